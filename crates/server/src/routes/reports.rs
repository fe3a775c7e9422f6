//! `/reports` (seed 003): a report is requested (202, `pending`), generated in the background
//! (`generating` → `ready` or `failed`), followed by polling, downloaded as CSV once ready, and
//! deleted by hand or when it expires.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::Utc;
use domain::api::{ListParams, NewReport, Page, REPORT_SORTS, Report, ReportsFilter};
use domain::kinds::ReportKind;
use domain::roles::{MoneyFields, Permission};
use futures_util::stream;
use store::reports::{self, Request, content};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::docs::{AuthErrors, NotFound, NotReady, WriteErrors};
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::state::AppState;

/// Registers the report routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_report)
        .service(list_reports)
        .service(get_report)
        .service(download_report)
        .service(delete_report);
}

/// Whether the caller sees billing reports (all money: not a role without revenue rights).
fn sees_billing(caller: &Caller) -> bool {
    caller.role.sees(MoneyFields::BillingReports)
}

/// Requests a report of the caller's organisation for a month: answered at once with the
/// report `pending` (202), generated in the background; poll `GET /reports/{id}` until it is
/// `ready` or `failed`. The same request while one is pending or generating answers that one
/// (200).
#[utoipa::path(
    tag = "reports",
    request_body = NewReport,
    responses(
        (status = 202, description = "Requested: the new report, pending", body = Report, headers(("Location" = String))),
        (status = 200, description = "The same report already pending or generating", body = Report),
        AuthErrors,
        WriteErrors
    ),
    security(("bearer" = []))
)]
#[post("/reports")]
pub async fn create_report(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<NewReport>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::GenerateReports)?;
    let report = body.into_inner();
    if report.kind == ReportKind::Billing {
        caller.sees_money(MoneyFields::BillingReports)?;
    }
    let requested_by = reports::requester(&state.store, caller.user_id, caller.api_key_id).await?;
    let ask = Request {
        report,
        requested_by,
        today: Utc::now().date_naive(),
        retention_days: state.jobs.report_retention_days,
    };
    let (report, created) = reports::request(&state.store, &caller.scope, ask).await?;
    if !created {
        return Ok(HttpResponse::Ok().json(&report));
    }
    state.reports_waiting.notify_one();
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("/api/v1/reports/{}", report.id)))
        .json(&report))
}

/// The reports the caller's organisation and its subtree requested, newest first (sort by
/// `requested_at`, `period`, `kind` or `status`); filtered by kind, usage or billing, status,
/// reseller and day requested. A role without revenue rights never sees billing reports.
#[utoipa::path(
    tag = "reports",
    params(ListParams, ReportsFilter),
    responses((status = 200, body = Page<Report>), AuthErrors),
    security(("bearer" = []))
)]
#[get("/reports")]
pub async fn list_reports(
    caller: Caller,
    state: web::Data<AppState>,
    list: ValidQuery<ListParams>,
    filter: ValidQuery<ReportsFilter>,
) -> Result<web::Json<Page<Report>>, ApiError> {
    caller.require(Permission::ViewReports)?;
    let list = list.check(REPORT_SORTS)?;
    Ok(web::Json(reports::list(&state.store, &caller.scope, &filter, &list, sees_billing(&caller)).await?))
}

/// One report: its status, progress, rows, when it was generated and by whom it was requested.
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Report id")),
    responses((status = 200, body = Report), AuthErrors, NotFound),
    security(("bearer" = []))
)]
#[get("/reports/{id}")]
pub async fn get_report(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<Report>, ApiError> {
    caller.require(Permission::ViewReports)?;
    Ok(web::Json(reports::get(&state.store, &caller.scope, id.into_inner(), sees_billing(&caller)).await?))
}

/// A ready report's CSV, streamed a stored chunk at a time; 409 naming its status before it
/// is ready. A role without revenue rights gets it without the money columns.
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Report id")),
    responses(
        (status = 200, description = "The report as CSV, streamed", content_type = "text/csv", body = String),
        AuthErrors,
        NotFound,
        NotReady
    ),
    security(("bearer" = []))
)]
#[get("/reports/{id}/download")]
pub async fn download_report(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ViewReports)?;
    let found = reports::download(&state.store, &caller.scope, id.into_inner(), sees_billing(&caller)).await?;
    let columns = content::columns(found.kind);
    // The columns kept: all, or all but money for a role that does not see it.
    let keep: Option<Vec<usize>> = (!caller.sees_money(MoneyFields::UsageFigures)?)
        .then(|| (0..columns.len()).filter(|i| !content::MONEY_COLUMNS.contains(&columns[*i])).collect());
    let store = state.store.clone();
    // The first chunk is read before answering, so that a failure is still a problem answer.
    let first = reports::chunk(&store, found.id, 0).await?.unwrap_or_default();
    let body = stream::unfold((Some(first), 1i32, store, keep, found.id), |(next, seq, store, keep, id)| async move {
        let text = next?;
        let bytes = match &keep {
            Some(keep) => without_columns(&text, keep),
            None => Ok(Bytes::from(text)),
        };
        let then = match reports::chunk(&store, id, seq).await {
            Ok(next) => next,
            Err(e) => return Some((Err(std::io::Error::other(e.to_string())), (None, seq, store, keep, id))),
        };
        Some((bytes, (then, seq + 1, store, keep, id)))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}-{}-{}.csv\"", found.kind, found.period, found.id),
        ))
        .streaming(body))
}

/// A chunk of CSV with only the columns `keep`.
fn without_columns(text: &str, keep: &[usize]) -> Result<Bytes, std::io::Error> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    let mut out = csv::Writer::from_writer(Vec::new());
    for record in reader.records() {
        let record = record.map_err(std::io::Error::other)?;
        out.write_record(keep.iter().map(|i| record.get(*i).unwrap_or(""))).map_err(std::io::Error::other)?;
    }
    out.into_inner().map(Bytes::from).map_err(|e| std::io::Error::other(e.to_string()))
}

/// Deletes a report and its CSV (one being generated stops).
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Report id")),
    responses((status = 204, description = "Deleted"), AuthErrors, NotFound),
    security(("bearer" = []))
)]
#[delete("/reports/{id}")]
pub async fn delete_report(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::GenerateReports)?;
    reports::delete(&state.store, &caller.scope, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
