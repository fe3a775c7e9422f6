//! Generated reports (seed 003, docs/api.md): requested, generated in the background, then
//! downloaded as CSV.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::kinds::{ReportCategory, ReportKind, ReportStatus};

/// `POST /reports`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// What the report holds.
    pub kind: ReportKind,
    /// The month, `YYYY-MM`, not after the current one.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$", example = "2026-11"))]
    pub period: String,
    /// Only this reseller's rows (a reseller in the caller's tree; a reseller's own reports are
    /// always its own).
    pub reseller_id: Option<i64>,
}

/// A report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    /// Its id.
    pub id: i64,
    /// What it holds.
    pub kind: ReportKind,
    /// `YYYY-MM`.
    pub period: String,
    /// The reseller it is limited to, if any.
    pub reseller_id: Option<i64>,
    /// The organisation that requested it (whose tree it reads).
    pub owner_id: i64,
    /// Where it is in its generation.
    pub status: ReportStatus,
    /// Percent done, 0–100 (100 once ready).
    pub progress: u8,
    /// Its CSV's rows, once ready.
    pub row_count: Option<u64>,
    /// Why it failed.
    pub error: Option<String>,
    /// The e-mail of the user (or the API key's name) that requested it.
    pub requested_by: String,
    /// When it was requested.
    pub requested_at: DateTime<Utc>,
    /// When it became ready.
    pub generated_at: Option<DateTime<Utc>>,
    /// When it is deleted.
    pub expires_at: DateTime<Utc>,
    /// Its CSV, once ready.
    pub download: Option<String>,
}

/// The report list's filters, besides paging.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ReportsFilter {
    /// Only this kind.
    pub kind: Option<ReportKind>,
    /// Only the usage kinds or only billing.
    pub category: Option<ReportCategory>,
    /// Only this status.
    pub status: Option<ReportStatus>,
    /// Only reports requested on or after this day, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date, example = "2026-11-01"))]
    pub requested_since: Option<chrono::NaiveDate>,
    /// Only reports limited to this reseller.
    pub reseller_id: Option<i64>,
}

/// The fields the report list sorts by.
pub const REPORT_SORTS: &[&str] = &["requested_at", "period", "kind", "status"];
