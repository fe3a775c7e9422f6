//! `/dashboards/home` and the reports behind its panes' menus (seed 000, DESIGN §4). Reports
//! answer JSON, or CSV with `?format=csv` or `Accept: text/csv`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use domain::api::{
    AsOfQuery, HomeDashboard, HomeQuery, MarketplaceReport, ProjectionReport, ReportFormat, RevenueOverview,
    RevenueReport, RevenueReportQuery,
};
use domain::metrics::Month;
use domain::roles::Permission;
use serde::Serialize;
use store::dashboards::{home, revenue};

use crate::auth::Caller;
use crate::docs::AuthErrors;
use crate::error::ApiError;
use crate::extract::ValidQuery;
use crate::report_csv;
use crate::startup::AppState;

/// Reports need both the dashboards and the money: every figure in them is revenue.
fn require_reports(caller: &Caller) -> Result<(), ApiError> {
    caller.require(Permission::ViewDashboards)?;
    caller.require(Permission::ViewRevenue)
}

/// JSON, or CSV when asked for by the query or the `Accept` header.
fn respond<T: Serialize>(
    req: &HttpRequest,
    format: Option<ReportFormat>,
    name: &str,
    report: &T,
    csv: impl FnOnce(&T) -> Result<Vec<u8>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let accepts_csv =
        || req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/csv"));
    let wants_csv = match format {
        Some(f) => f == ReportFormat::Csv,
        None => accepts_csv(),
    };
    if !wants_csv {
        return Ok(HttpResponse::Ok().json(report));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")))
        .body(csv(report)?))
}

/// The Home dashboard of the caller's organisation on `as_of`: this month's revenue, its
/// projection, marketplace spend, account counts, customers still onboarding and open billing
/// issues by customer. For a role without revenue rights the money fields are left out.
#[utoipa::path(
    tag = "dashboards",
    params(HomeQuery),
    responses((status = 200, body = HomeDashboard), AuthErrors),
    security(("bearer" = []))
)]
#[get("/dashboards/home")]
pub async fn get_home(
    caller: Caller,
    state: web::Data<AppState>,
    query: ValidQuery<HomeQuery>,
) -> Result<web::Json<HomeDashboard>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    let as_of = super::as_of_or_today(query.as_of)?;
    Ok(web::Json(home::home(&state.store, &caller.scope, as_of, caller.sees_revenue()).await?))
}

/// A month's revenue, cost and margin by service (`by_service`, keyed by `ServiceName`) and by
/// customer account (`by_customer`, keyed by the customer's `external_id`). The month defaults
/// to `as_of`'s and is then counted to `as_of`.
#[utoipa::path(
    tag = "dashboards",
    params(RevenueReportQuery),
    responses(
        (status = 200, description = "The report as JSON, or as CSV when asked for", content((RevenueReport = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/dashboards/home/revenue")]
pub async fn get_revenue_report(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    query: ValidQuery<RevenueReportQuery>,
) -> Result<HttpResponse, ApiError> {
    require_reports(&caller)?;
    let as_of = super::as_of_or_today(query.as_of)?;
    let month = query.month.unwrap_or_else(|| Month::of(as_of));
    let report = revenue::revenue(&state.store, &caller.scope, month, as_of).await?;
    respond(&req, query.format, &format!("revenue-{month}"), &report, report_csv::revenue)
}

/// The month's projected revenue by provider and service (absent, with the reason, before 30
/// days of billing data).
#[utoipa::path(
    tag = "dashboards",
    params(AsOfQuery),
    responses(
        (status = 200, description = "The report as JSON, or as CSV when asked for", content((ProjectionReport = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/dashboards/home/projection")]
pub async fn get_projection_report(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    query: ValidQuery<AsOfQuery>,
) -> Result<HttpResponse, ApiError> {
    require_reports(&caller)?;
    let as_of = super::as_of_or_today(query.as_of)?;
    let report = revenue::projection(&state.store, &caller.scope, as_of).await?;
    respond(&req, query.format, &format!("projection-{as_of}"), &report, report_csv::projection)
}

/// Marketplace spend for the 12 months ending with `as_of`'s, month over month.
#[utoipa::path(
    tag = "dashboards",
    params(AsOfQuery),
    responses(
        (status = 200, description = "The report as JSON, or as CSV when asked for", content((MarketplaceReport = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/dashboards/home/marketplace")]
pub async fn get_marketplace_report(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    query: ValidQuery<AsOfQuery>,
) -> Result<HttpResponse, ApiError> {
    require_reports(&caller)?;
    let as_of = super::as_of_or_today(query.as_of)?;
    let report = revenue::marketplace(&state.store, &caller.scope, as_of).await?;
    respond(&req, query.format, &format!("marketplace-{as_of}"), &report, report_csv::marketplace)
}

/// The full revenue dashboard: 12 months of revenue, cost and margin by provider, with the top
/// customers and services over those months.
#[utoipa::path(
    tag = "dashboards",
    params(AsOfQuery),
    responses(
        (status = 200, description = "The report as JSON, or as CSV when asked for", content((RevenueOverview = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/dashboards/home/overview")]
pub async fn get_revenue_overview(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    query: ValidQuery<AsOfQuery>,
) -> Result<HttpResponse, ApiError> {
    require_reports(&caller)?;
    let as_of = super::as_of_or_today(query.as_of)?;
    let report = revenue::overview(&state.store, &caller.scope, as_of).await?;
    respond(&req, query.format, &format!("revenue-overview-{as_of}"), &report, report_csv::overview)
}
