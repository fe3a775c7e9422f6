//! Billing data in: import batches, fx rates and billing issues (docs/import.md, docs/data-model.md §8–§12).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::common::FieldError;
use crate::codes::CurrencyCode;
use crate::kinds::BillingIssueKind;

/// What happened to an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Every row is in: counted, or kept as a billing issue.
    Completed,
    /// The same content was imported before; nothing changed.
    Duplicate,
    /// Checked but not kept (`dry_run`).
    DryRun,
}

/// An import of billing lines: one file or one JSON batch, all or nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportBatch {
    /// Tierdash's id (of the earlier batch, for a duplicate; 0 for a dry run).
    pub id: i64,
    /// Completed, duplicate or dry run.
    pub status: ImportStatus,
    /// The file's name, or `json` for a JSON batch.
    pub file_name: String,
    /// SHA-256 of the content, hex: the same content is imported once.
    pub sha256: String,
    /// Data rows read.
    pub rows_total: u64,
    /// Rows rated and counted in revenue.
    pub rows_rated: u64,
    /// Rows kept out of revenue and reported as billing issues.
    pub rows_unrated: u64,
    /// Rows that replaced an earlier line with the same `x_LineItemId`.
    pub rows_replaced: u64,
    /// When the import started.
    pub created_at: DateTime<Utc>,
    /// When it was committed.
    pub completed_at: Option<DateTime<Utc>>,
}

/// A file refused for its structure: each bad row (the first 100) and how many in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRejection {
    /// The first 100 problems, in file order.
    pub errors: Vec<FieldError>,
    /// All problems found.
    pub total: u64,
}

/// Filters of `GET /imports`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ImportQuery {
    /// The file's name, for `POST /imports` (default `upload.csv`).
    pub file_name: Option<String>,
    /// Check everything, keep nothing.
    pub dry_run: Option<bool>,
    /// `billing_period`: the batch replaces every stored line, in the caller's scope, of each
    /// (provider, billing account, billing period) it covers — a restated period's figures
    /// replace the earlier ones instead of adding to them (docs/import.md §5).
    pub replace: Option<ReplaceMode>,
}

/// What an import replaces besides lines with the same `x_LineItemId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReplaceMode {
    /// Every stored line of each (provider, billing account, billing period) the batch covers.
    BillingPeriod,
}

/// Fields `GET /imports` sorts by.
pub const IMPORT_SORTS: &[&str] = &["id", "created_at", "file_name"];

/// USD per one unit of a currency, for one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"currency": "EUR", "month": "2026-10", "rate": "1.0842"})))]
pub struct FxRate {
    /// ISO 4217 currency.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "EUR"))]
    pub currency: CurrencyCode,
    /// `YYYY-MM`.
    pub month: String,
    /// USD for one unit, a decimal string, above zero.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1.0842"))]
    pub rate: Decimal,
}

/// Rates to add or replace, all or nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FxRateUpsert {
    /// The rates.
    pub rates: Vec<FxRate>,
}

/// Filters of `GET /fx-rates`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct FxRateFilter {
    /// Only this currency.
    pub currency: Option<String>,
    /// Only this month (`YYYY-MM`).
    pub month: Option<String>,
}

/// Fields `GET /fx-rates` sorts by.
pub const FX_RATE_SORTS: &[&str] = &["month", "currency"];

/// A line that could not be rated, reported per customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingIssue {
    /// Tierdash's id.
    pub id: i64,
    /// The customer, when known.
    pub customer_id: Option<i64>,
    /// The customer id the billing data used.
    pub customer_external_id: Option<String>,
    /// The reseller, when known.
    pub reseller_id: Option<i64>,
    /// The import that found it.
    pub batch_id: Option<i64>,
    /// Why its lines are held out of revenue.
    pub kind: BillingIssueKind,
    /// What is wrong and how many lines it holds back.
    pub message: String,
    /// When it was found.
    pub detected_at: DateTime<Utc>,
    /// When re-rating resolved it.
    pub resolved_at: Option<DateTime<Utc>>,
    /// The reseller's name, when it is in the caller's subtree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reseller_name: Option<String>,
    /// `unmapped_product`: the SKU the catalog lacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// `unmapped_product`: its lines (counted in the figures, under the family "Unmapped").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<u64>,
    /// `unmapped_product`: their revenue in USD (2 places, half to even).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1234.50"))]
    pub revenue: Option<Decimal>,
}

/// Filters of `GET /billing-issues`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct BillingIssueFilter {
    /// Only this customer's.
    pub customer_id: Option<i64>,
    /// Only this kind.
    pub kind: Option<BillingIssueKind>,
    /// Only open (true) or resolved (false) issues.
    pub open: Option<bool>,
}

/// Fields `GET /billing-issues` sorts by.
pub const BILLING_ISSUE_SORTS: &[&str] = &["id", "detected_at", "kind"];

/// What re-rating did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RerateResult {
    /// Lines now rated and counted.
    pub rated: u64,
    /// Lines still unrated.
    pub still_unrated: u64,
    /// Issues resolved.
    pub issues_resolved: u64,
}

/// A batch of billing lines as JSON: each item has the CSV's column names as keys
/// (`BillingAccountId`, `ChargePeriodStart`, `BilledCost`, …); numbers may be strings or
/// JSON numbers. Imported all or nothing, like a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"items": [{
    "BillingAccountId": "CUST-00042", "ChargePeriodStart": "2026-10-01", "ChargePeriodEnd": "2026-11-01",
    "BilledCost": "123.45", "BillingCurrency": "EUR", "ChargeCategory": "Usage",
    "ProviderName": "AWS", "ServiceName": "Amazon EC2", "SkuId": "AWS-EC2", "x_LineItemId": "aws-2026-10-000123"
}]})))]
#[serde(deny_unknown_fields)]
pub struct JsonImport {
    /// A name for the batch (default `json`).
    #[serde(default)]
    pub file_name: Option<String>,
    /// The lines.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub items: Vec<serde_json::Map<String, serde_json::Value>>,
    /// Check everything, keep nothing.
    #[serde(default)]
    pub dry_run: bool,
}
