//! Billing data in: `/imports` (CSV body or JSON batch), `/fx-rates`, `/billing-issues`.

use std::io::Write;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use domain::api::{
    BILLING_ISSUE_SORTS, BillingIssue, BillingIssueFilter, FX_RATE_SORTS, FxRate, FxRateFilter, FxRateUpsert,
    IMPORT_SORTS, ImportBatch, ImportQuery, ImportStatus, JsonImport, ListParams, Page, Problem, ReplaceMode,
    RerateResult,
};
use domain::column_map::ColumnMap;
use domain::roles::Permission;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use store::billing::{batches, fx_rates, issues};
use store::import::{self, file_source, json_source};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::docs::{AuthErrors, NotFound, WriteErrors};
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::metrics::Metrics;
use crate::state::AppState;

/// The largest CSV accepted over HTTP (larger files: `tierdash import`).
pub const MAX_CSV_BYTES: usize = 2 * 1024 * 1024 * 1024;

fn outcome(batch: ImportBatch) -> HttpResponse {
    match batch.status {
        ImportStatus::Completed => super::created(format!("/api/v1/imports/{}", batch.id), &batch),
        _ => HttpResponse::Ok().json(batch),
    }
}

/// Imports a FOCUS export sent as the request body (`Content-Type: text/csv`) or as the files of
/// a `multipart/form-data` form (several files are one batch), all or nothing.
/// Rows that cannot be rated are kept out of revenue and reported as billing issues; the same
/// content sent again changes nothing and answers `duplicate`. A structural problem rejects
/// the file with 422 listing the first 100 bad rows and the total, and changes nothing.
#[utoipa::path(
    tag = "billing",
    params(
        ImportQuery,
        ("map" = Option<Vec<String>>, Query, explode, description = "Repeatable `Source:Target`: the file's column `Source` is read as the FOCUS column `Target` (docs/import.md §7)")
    ),
    request_body(content = String, content_type = "text/csv", description = "A FOCUS export with the columns of docs/import.md §2: CSV, gzip-compressed CSV or Parquet, told by its first bytes"),
    responses(
        (status = 201, description = "Imported", body = ImportBatch),
        (status = 200, description = "A duplicate of an earlier import, or a dry run: nothing changed", body = ImportBatch),
        (status = 413, description = "Larger than 2 GiB", body = Problem, content_type = "application/problem+json"),
        AuthErrors, WriteErrors
    ),
    security(("bearer" = []))
)]
#[post("/imports")]
pub async fn create_import(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    query: ValidQuery<ImportQuery>,
    metrics: web::Data<Metrics>,
    mut body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ImportBilling)?;
    let map = column_map(&req)?;
    let content_type =
        req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let mut file_name = query.file_name.clone();
    // Each file spooled to a temporary one while hashed, so memory stays bounded whatever the size.
    let mut files: Vec<(String, std::fs::File, String)> = Vec::new();
    let mut size = 0usize;
    if content_type.starts_with("multipart/form-data") {
        // Every part that carries a file (a form's `<input type=file multiple>`) is one part of
        // the batch: one billing period's export may come in several files.
        let mut form = actix_multipart::Multipart::new(req.headers(), body);
        while let Some(field) = form.next().await {
            let mut field = field.map_err(|e| ApiError::BadRequest(format!("could not read the form: {e}")))?;
            let Some(name) = field.content_disposition().and_then(|d| d.get_filename()).map(str::to_owned) else {
                continue;
            };
            if files.len() == MAX_FILES {
                return Err(ApiError::invalid("file", format!("at most {MAX_FILES} files in one batch")));
            }
            let mut spool = Spool::new()?;
            while let Some(chunk) = field.next().await {
                spool.keep(
                    &chunk.map_err(|e| ApiError::BadRequest(format!("could not read the file: {e}")))?,
                    &mut size,
                )?;
            }
            let (file, sha) = spool.finish();
            files.push((name, file, sha));
        }
        if files.is_empty() {
            return Err(ApiError::invalid("file", "the form has no file part"));
        }
    } else if ["text/csv", "application/octet-stream", "text/plain"].iter().any(|t| content_type.starts_with(t)) {
        let mut spool = Spool::new()?;
        while let Some(chunk) = body.next().await {
            spool
                .keep(&chunk.map_err(|e| ApiError::BadRequest(format!("could not read the body: {e}")))?, &mut size)?;
        }
        let (file, sha) = spool.finish();
        files.push((file_name.clone().unwrap_or_else(|| "upload.csv".into()), file, sha));
    } else {
        return Err(ApiError::UnsupportedMediaType);
    }
    let names: Vec<String> = files.iter().map(|(name, _, _)| name.clone()).collect();
    let hashes: Vec<String> = files.iter().map(|(_, _, sha)| sha.clone()).collect();
    let format = match files.as_mut_slice() {
        [(_, file, _)] => file_source::sniff(file).map_err(|e| ApiError::Internal(e.into()))?.as_str(),
        _ => "batch",
    };
    if file_name.is_none() || files.len() > 1 {
        file_name = Some(import::batch_name(&names));
    }
    let source = import::Source {
        file_name: file_name.unwrap_or_else(|| "upload.csv".into()),
        sha256: import::batch_hash(&hashes),
        kind: format,
        created_by: caller.user_id,
        dry_run: query.dry_run.unwrap_or(false),
        replace_periods: query.replace == Some(ReplaceMode::BillingPeriod),
    };
    let parts = files.into_iter().map(|(name, file, _)| (name, file)).collect();
    let rows = file_source::spawn_all(parts, map, |file| file).map_err(|e| ApiError::Internal(e.into()))?;
    let batch = counted(&metrics, import::import(&state.store, &caller.scope, source, rows, None)).await?;
    Ok(outcome(batch))
}

/// Runs an import, counting its outcome, rows and time for `/metrics`.
async fn counted(
    metrics: &Metrics,
    import: impl std::future::Future<Output = Result<ImportBatch, store::StoreError>>,
) -> Result<ImportBatch, store::StoreError> {
    let started = std::time::Instant::now();
    let result = import.await;
    let outcome = match &result {
        Ok(batch) => match batch.status {
            ImportStatus::Completed => "completed",
            ImportStatus::Duplicate => "duplicate",
            ImportStatus::DryRun => "dry_run",
        },
        Err(store::StoreError::Rejected { .. } | store::StoreError::Invalid(_)) => "rejected",
        Err(_) => "failed",
    };
    let rows = result.as_ref().map_or(0, |batch| batch.rows_total);
    metrics.import(outcome, rows, started.elapsed().as_secs_f64());
    result
}

/// The most files one multipart import takes.
const MAX_FILES: usize = 100;

/// A file of an upload, written to a temporary file while hashed.
struct Spool {
    file: std::fs::File,
    hasher: Sha256,
}

impl Spool {
    fn new() -> Result<Spool, ApiError> {
        Ok(Spool { file: tempfile::tempfile().map_err(|e| ApiError::Internal(e.into()))?, hasher: Sha256::new() })
    }

    /// Keeps `chunk`, with `size` the bytes of the whole upload so far.
    fn keep(&mut self, chunk: &[u8], size: &mut usize) -> Result<(), ApiError> {
        *size += chunk.len();
        if *size > MAX_CSV_BYTES {
            return Err(ApiError::PayloadTooLarge("at most 2 GiB over HTTP; use `tierdash import` for more".into()));
        }
        self.hasher.update(chunk);
        self.file.write_all(chunk).map_err(|e| ApiError::Internal(e.into()))
    }

    /// The file, at its start, and its SHA-256.
    fn finish(self) -> (std::fs::File, String) {
        use std::io::Seek;
        let mut file = self.file;
        // A failed rewind shows up as the file being read from its end: "no data rows".
        let _ = file.rewind();
        (file, hex::encode(self.hasher.finalize()))
    }
}

/// The `map` parameters of a request, checked (a query string repeats them, which the query
/// extractor does not read).
fn column_map(req: &HttpRequest) -> Result<ColumnMap, ApiError> {
    let pairs: Vec<String> = form_urlencoded::parse(req.query_string().as_bytes())
        .filter(|(key, _)| key == "map")
        .map(|(_, value)| value.into_owned())
        .collect();
    ColumnMap::parse(&pairs).map_err(|message| ApiError::invalid("map", message))
}

/// Imports a batch of lines given as JSON, all or nothing, with the same rules as a file.
#[utoipa::path(
    tag = "billing",
    request_body = JsonImport,
    responses(
        (status = 201, description = "Imported", body = ImportBatch),
        (status = 200, description = "A duplicate of an earlier import, or a dry run: nothing changed", body = ImportBatch),
        AuthErrors, WriteErrors
    ),
    security(("bearer" = []))
)]
#[post("/imports/json")]
pub async fn create_json_import(
    caller: Caller,
    state: web::Data<AppState>,
    metrics: web::Data<Metrics>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ImportBilling)?;
    crate::extract::check_body(&body)?;
    let de = &mut serde_json::Deserializer::from_slice(&body);
    let batch: JsonImport = serde_path_to_error::deserialize(de)
        .map_err(|e| ApiError::invalid(&e.path().to_string(), e.into_inner().to_string()))?;
    let source = import::Source {
        file_name: batch.file_name.clone().unwrap_or_else(|| "json".into()),
        sha256: import::csv_source::sha256_bytes(&body),
        kind: "json",
        created_by: caller.user_id,
        dry_run: batch.dry_run,
        replace_periods: false,
    };
    let rows = json_source::spawn(batch.items);
    Ok(outcome(counted(&metrics, import::import(&state.store, &caller.scope, source, rows, None)).await?))
}

/// Completed imports of the caller's subtree.
#[utoipa::path(tag = "billing", params(ListParams), responses((status = 200, body = Page<ImportBatch>), AuthErrors), security(("bearer" = [])))]
#[get("/imports")]
pub async fn list_imports(
    caller: Caller,
    state: web::Data<AppState>,
    list: ValidQuery<ListParams>,
) -> Result<web::Json<Page<ImportBatch>>, ApiError> {
    caller.require(Permission::ReadData)?;
    let query = list.check(IMPORT_SORTS)?;
    Ok(web::Json(batches::list(&state.store, &caller.scope, &query).await?))
}

/// One import: status and counts.
#[utoipa::path(
    tag = "billing",
    params(("id" = i64, Path, description = "Import id")),
    responses((status = 200, body = ImportBatch), AuthErrors, NotFound),
    security(("bearer" = []))
)]
#[get("/imports/{id}")]
pub async fn get_import(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<ImportBatch>, ApiError> {
    caller.require(Permission::ReadData)?;
    Ok(web::Json(batches::get(&state.store, &caller.scope, id.into_inner()).await?))
}

/// Fx rates of the caller's tree (USD per unit, per month).
#[utoipa::path(tag = "billing", params(ListParams, FxRateFilter), responses((status = 200, body = Page<FxRate>), AuthErrors), security(("bearer" = [])))]
#[get("/fx-rates")]
pub async fn list_fx_rates(
    caller: Caller,
    state: web::Data<AppState>,
    list: ValidQuery<ListParams>,
    filter: ValidQuery<FxRateFilter>,
) -> Result<web::Json<Page<FxRate>>, ApiError> {
    caller.require(Permission::ReadData)?;
    let query = list.check(FX_RATE_SORTS)?;
    Ok(web::Json(fx_rates::list(&state.store, &caller.scope, &filter, &query).await?))
}

/// Adds or replaces fx rates, all or nothing. Lines already rated keep their rate; re-rate
/// to pick up lines that lacked one.
#[utoipa::path(
    tag = "billing",
    request_body = FxRateUpsert,
    responses((status = 200, description = "How many rates were written", body = u64, content_type = "application/json"), AuthErrors, WriteErrors),
    security(("bearer" = []))
)]
#[put("/fx-rates")]
pub async fn upsert_fx_rates(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<FxRateUpsert>,
) -> Result<web::Json<u64>, ApiError> {
    caller.require(Permission::ImportBilling)?;
    Ok(web::Json(fx_rates::upsert(&state.store, &caller.scope, body.into_inner().rates).await?))
}

/// Adds or replaces fx rates from a CSV body (`Content-Type: text/csv`) with the columns
/// `currency,month,rate`, all or nothing; every bad row is reported.
#[utoipa::path(
    tag = "billing",
    request_body(content = String, content_type = "text/csv", description = "currency,month,rate\nEUR,2026-10,1.0842"),
    responses((status = 200, description = "How many rates were written", body = u64, content_type = "application/json"), AuthErrors, WriteErrors),
    security(("bearer" = []))
)]
#[post("/fx-rates/import")]
pub async fn import_fx_rates(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<web::Json<u64>, ApiError> {
    caller.require(Permission::ImportBilling)?;
    let rates = fx_rates::parse_csv(&body).map_err(ApiError::Invalid)?;
    Ok(web::Json(fx_rates::upsert(&state.store, &caller.scope, rates).await?))
}

/// Billing issues of the caller's subtree: lines held back from revenue, per customer.
#[utoipa::path(
    tag = "billing",
    params(ListParams, BillingIssueFilter),
    responses((status = 200, body = Page<BillingIssue>), AuthErrors),
    security(("bearer" = []))
)]
#[get("/billing-issues")]
pub async fn list_billing_issues(
    caller: Caller,
    state: web::Data<AppState>,
    list: ValidQuery<ListParams>,
    filter: ValidQuery<BillingIssueFilter>,
) -> Result<web::Json<Page<BillingIssue>>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    let query = list.check(BILLING_ISSUE_SORTS)?;
    Ok(web::Json(issues::list(&state.store, &caller.scope, &filter, &query).await?))
}

/// Rates the held-back lines again, now that a customer, SKU or rate may have been added, and
/// resolves the issues that are fixed.
#[utoipa::path(tag = "billing", responses((status = 200, body = RerateResult), AuthErrors), security(("bearer" = [])))]
#[post("/billing-issues/rerate")]
pub async fn rerate_billing_issues(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<RerateResult>, ApiError> {
    caller.require(Permission::ImportBilling)?;
    Ok(web::Json(issues::rerate(&state.store, &caller.scope).await?))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_import)
        .service(create_json_import)
        .service(list_imports)
        .service(get_import)
        .service(list_fx_rates)
        .service(upsert_fx_rates)
        .service(import_fx_rates)
        .service(list_billing_issues)
        .service(rerate_billing_issues);
}
