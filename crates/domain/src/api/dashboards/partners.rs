//! The Partners dashboard (seed 001, docs/metrics.md §8): the distributor's console.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{AsOf, ReportFormat};

/// The query of `GET /dashboards/partners` and its lists (which also take `page`, `per_page`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PartnersQuery {
    /// `YYYY-MM-DD`; default today (UTC). Nothing dated after it counts.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date, example = "2026-11-15"))]
    pub as_of: Option<AsOf>,
    /// Inactive new partners: resellers created in the last this many days (1–3650, default 90).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 3650))]
    pub inactive_days: Option<u32>,
    /// Decreasing units: a fall of more than this percentage is listed (0–100, default 10).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "10"))]
    pub threshold_pct: Option<Decimal>,
    /// `csv` for a CSV download of every row (as does `Accept: text/csv`); default JSON.
    pub format: Option<ReportFormat>,
}

/// A product's chargeable units at a reseller that fell from one month to the next by more
/// than the threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitsDecrease {
    /// The product's SKU.
    pub sku: String,
    /// The product's name.
    pub product_name: String,
    /// The reseller.
    pub reseller_id: i64,
    /// Its external id.
    pub reseller_external_id: Option<String>,
    /// Its name.
    pub reseller_name: String,
    /// Units in the month before the last complete one, exact.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "120"))]
    pub previous_units: Decimal,
    /// Units in the last complete month, exact.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "90"))]
    pub last_units: Decimal,
    /// The change in percent (2 places, half to even; −100 for a fall to 0).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "-25.00"))]
    pub change_pct: Decimal,
}

/// The falling units of the last complete month against the month before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecreasingUnits {
    /// The threshold applied, in percent.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "10"))]
    pub threshold_pct: Decimal,
    /// The month before `as_of`'s, `YYYY-MM`.
    pub last_complete_month: String,
    /// The month before that.
    pub compared_with: String,
    /// How many.
    pub total: u64,
    /// The first 100, largest fall first.
    pub items: Vec<UnitsDecrease>,
    /// The whole list, paged.
    pub list: String,
}

/// A count and the API list it counts (whose `total` equals it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountTile {
    /// The count.
    pub count: u64,
    /// The list it counts, with its filters.
    pub list: String,
}

/// Resellers enrolled per month: this year's to `as_of`'s month, and every month of last year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerAcquisition {
    /// `YYYY-MM` → resellers created in it (closed ones included), January to `as_of`'s month.
    pub this_year: BTreeMap<String, u64>,
    /// The same for every month of the year before.
    pub last_year: BTreeMap<String, u64>,
    /// `as_of`'s month when `as_of` is not its last day: counted only to `as_of`.
    pub partial_month: Option<String>,
}

/// A reseller created in the 30 days ending `as_of`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPartner {
    /// The reseller.
    pub reseller_id: i64,
    /// Its external id.
    pub external_id: Option<String>,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// ISO 3166-1 alpha-2, when known.
    pub country: Option<String>,
    /// Its non-trial subscriptions started in [`created_at`, `as_of`].
    pub subscriptions: u64,
    /// Its revenue from `created_at`'s day to `as_of` (2 places; absent for roles without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1234.50"))]
    pub revenue: Option<Decimal>,
}

/// A reseller created in (`as_of` − days, `as_of`] with no non-trial subscription started since.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InactivePartner {
    /// The reseller.
    pub reseller_id: i64,
    /// Its external id.
    pub external_id: Option<String>,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// Up to 100 new partners, how many in all, and their full paged list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPartners {
    /// How many.
    pub total: u64,
    /// The first 100, latest first.
    pub items: Vec<NewPartner>,
    /// The whole list, paged.
    pub list: String,
}

/// Up to 100 inactive new partners, how many in all, and their full paged list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InactiveNewPartners {
    /// The window, in days.
    pub days: u32,
    /// How many.
    pub total: u64,
    /// The first 100, latest first.
    pub items: Vec<InactivePartner>,
    /// The whole list, paged.
    pub list: String,
}

/// The Partners dashboard of the caller's subtree on `as_of` (docs/metrics.md §8). A reseller
/// gets its own customers' counts and no partner rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnersDashboard {
    /// The day computed for.
    pub as_of: String,
    /// Customers counted on `as_of` in status `active`.
    pub enabled_customers: CountTile,
    /// Resellers counted on `as_of` in status `active` (0 for a reseller).
    pub active_partners: CountTile,
    /// Enabled service plans of the tree's catalog.
    pub enabled_service_plans: CountTile,
    /// Per licence status: customers counted on `as_of` holding a subscription with that
    /// current status, started on or before `as_of`.
    pub customer_license_status: BTreeMap<String, CountTile>,
    /// Resellers enrolled per month, this year against last.
    pub partner_acquisition: PartnerAcquisition,
    /// Resellers created in (`as_of` − 30 days, `as_of`].
    pub new_partners: NewPartners,
    /// New partners with no non-trial subscription yet.
    pub inactive_new_partners: InactiveNewPartners,
    /// Products whose chargeable units fell at a reseller (docs/metrics.md §6).
    pub decreasing_units: DecreasingUnits,
    /// Per status, the reports of the usage kinds in scope requested in the last 30 days, each
    /// with its list (absent for a role that may not see reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_report_status: Option<BTreeMap<String, CountTile>>,
    /// The same for billing reports (absent for a role that may not see them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_report_status: Option<BTreeMap<String, CountTile>>,
}
