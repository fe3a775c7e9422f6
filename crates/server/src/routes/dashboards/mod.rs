//! The dashboards, one module per dashboard, and what their handlers share: [`Report`], the
//! answer of a report endpoint in JSON or CSV, and [`CsvReport`], which each report implements
//! beside its handler (the wasm app shares the report types, not the CSV code). The day a
//! dashboard is computed for comes checked from `crate::extract::Dated`.
//!
//! A new dashboard is a module here with its own `configure`, and one line below.

pub mod home;
mod home_csv;
pub mod insights;
mod insights_csv;
mod insights_raw;
pub mod partners;
mod partners_csv;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, Responder};
use domain::api::{Page, ReportFormat};
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;

/// Registers every dashboard's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(home::configure).configure(partners::configure).configure(insights::configure);
    // The raw export uses the Insights range; registered here so that neither file needs the other.
    cfg.service(insights_raw::get_raw);
}

/// A report that can also be downloaded as CSV: one header row, then one row per figure, money
/// as the same decimal strings as the JSON, columns named as the JSON's fields so that a
/// download and an API call read alike.
pub trait CsvReport: Serialize {
    /// The download's file name, without `.csv`.
    fn file_name(&self) -> String;
    /// The column names.
    fn header(&self) -> &'static [&'static str];
    /// The rows, each as long as the header.
    fn rows(&self) -> Vec<Vec<String>>;
}

/// A report's answer: JSON, or CSV when `format=csv` is asked for, or when no format is and the
/// `Accept` header names `text/csv`.
pub struct Report<T> {
    report: T,
    format: Option<ReportFormat>,
}

impl<T> Report<T> {
    /// The report, in the format the query asked for (`None`: by the `Accept` header).
    pub fn new(report: T, format: Option<ReportFormat>) -> Report<T> {
        Report { report, format }
    }
}

/// Whether the answer is to be CSV: `format=csv`, or no format and an `Accept` naming `text/csv`.
/// A handler that reads less for one page than for the whole list asks this before reading.
pub fn wants_csv(format: Option<ReportFormat>, req: &HttpRequest) -> bool {
    match format {
        Some(format) => format == ReportFormat::Csv,
        None => req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/csv")),
    }
}

fn to_csv(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>, ApiError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| ApiError::Internal(e.into());
    out.write_record(header).map_err(fail)?;
    for row in rows {
        out.write_record(&row).map_err(fail)?;
    }
    out.into_inner().map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))
}

impl<T: CsvReport> Responder for Report<T> {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, req: &HttpRequest) -> HttpResponse {
        if !wants_csv(self.format, req) {
            return HttpResponse::Ok().json(&self.report);
        }
        match to_csv(self.report.header(), self.report.rows()) {
            Ok(body) => HttpResponse::Ok()
                .content_type("text/csv; charset=utf-8")
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}.csv\"", self.report.file_name()),
                ))
                .body(body),
            Err(e) => e.respond_to(req),
        }
    }
}

/// One row of a list's CSV download: its cells, in the order of `HEADER`.
pub trait CsvRow {
    /// The column names, as the JSON's fields.
    const HEADER: &'static [&'static str];
    /// The row's cells.
    fn cells(&self) -> Vec<String>;
    /// The CSV rows of one item: its cells, or more rows for an item with parts.
    fn rows(&self) -> Vec<Vec<String>> {
        vec![self.cells()]
    }
}

/// A paged list's answer: the page as JSON, or every row of the list as CSV.
pub struct Listed<T> {
    /// The page asked for.
    pub page: Page<T>,
    /// Every row, for the CSV.
    pub all: Vec<T>,
    /// The download's file name, without `.csv`.
    pub file_name: String,
}

impl<T: Serialize> Serialize for Listed<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.page.serialize(serializer)
    }
}

impl<T: CsvRow + Serialize> CsvReport for Listed<T> {
    fn file_name(&self) -> String {
        self.file_name.clone()
    }

    fn header(&self) -> &'static [&'static str] {
        T::HEADER
    }

    fn rows(&self) -> Vec<Vec<String>> {
        self.all.iter().flat_map(CsvRow::rows).collect()
    }
}

impl<T: Clone> Listed<T> {
    /// Page `page` of `all`, `per_page` rows to a page.
    pub fn paged(all: Vec<T>, page: u64, per_page: u64, file_name: String) -> Listed<T> {
        let total = all.len() as u64;
        let skip = Ord::min(page.saturating_sub(1).saturating_mul(per_page), total) as usize;
        let items = all.iter().skip(skip).take(per_page as usize).cloned().collect();
        Listed { page: Page { items, total, page, per_page }, all, file_name }
    }

    /// The answer to a request for page `page` of `per_page` rows when `found` holds either
    /// every row (`everything`: a CSV download) or only that page (JSON, read as one page).
    pub fn answer(found: Page<T>, everything: bool, page: u64, per_page: u64, file_name: String) -> Listed<T> {
        match everything {
            true => Listed::paged(found.items, page, per_page, file_name),
            false => Listed { page: found, all: Vec::new(), file_name },
        }
    }
}
