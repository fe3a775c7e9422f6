//! Insights (seed 002, docs/metrics.md §3–§4): reseller performance over a range of months.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{AsOf, MonthParam, ReportFormat};

/// The query of every Insights view: a range of months and the day it is seen from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct InsightsQuery {
    /// The first month, `YYYY-MM` (default: 11 months before `to`).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "2025-12"))]
    pub from: Option<MonthParam>,
    /// The last month, `YYYY-MM`, not after `as_of`'s (default: `as_of`'s month). At most 36
    /// months from `from` to `to`.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "2026-11"))]
    pub to: Option<MonthParam>,
    /// `YYYY-MM-DD`; default today (UTC). Its month counts only to it.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date, example = "2026-11-15"))]
    pub as_of: Option<AsOf>,
    /// `csv` for a CSV download of the rows behind the view (as does `Accept: text/csv`).
    pub format: Option<ReportFormat>,
}

/// One month of the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InsightsMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// `as_of`'s month, counted only to `as_of`.
    pub partial: bool,
    /// Resellers with a subscription whose period overlaps the month.
    pub active: u64,
    /// Resellers whose revenue in the month is not zero.
    pub transacting: u64,
    /// Resellers whose first transacting month ever is this one.
    pub new: u64,
    /// Revenue (2 places; absent for roles without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1234.50"))]
    pub revenue: Option<Decimal>,
    /// Revenue by product family ("Unmapped" for lines without a catalog product; absent for
    /// roles without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<BTreeMap<String, String>>))]
    pub revenue_by_family: Option<BTreeMap<String, Decimal>>,
}

/// The range's figures: distinct resellers over all its months, and its revenue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InsightsRange {
    /// The first month.
    pub from: String,
    /// The last month.
    pub to: String,
    /// Resellers active in some month of the range.
    pub active: u64,
    /// Resellers transacting in some month of the range.
    pub transacting: u64,
    /// Resellers whose first transacting month is in the range.
    pub new: u64,
    /// Revenue over the range (2 places; absent for roles without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "98765.40"))]
    pub revenue: Option<Decimal>,
}

/// `GET /insights/summary`: the four KPI cards with their month-over-month series, and the
/// revenue by family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InsightsSummary {
    /// The day computed for.
    pub as_of: String,
    /// Every month of the range, oldest first.
    pub months: Vec<InsightsMonth>,
    /// The range as a whole.
    pub range: InsightsRange,
}

/// One month of adds and churns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddsChurnsMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// `as_of`'s month, counted only to `as_of`.
    pub partial: bool,
    /// Resellers created in the month (closed ones included): the view's "new".
    pub enrolled: u64,
    /// Resellers whose latest transacting month before this one is the 7th before it.
    pub churned: u64,
    /// Resellers that transacted in the month before.
    pub existing: u64,
}

/// `GET /insights/adds-churns`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddsChurns {
    /// The day computed for.
    pub as_of: String,
    /// Every month of the range, oldest first.
    pub months: Vec<AddsChurnsMonth>,
}

/// Fields `GET /insights/revenue-trend` sorts by (`-` for largest first).
pub const REVENUE_TREND_SORTS: &[&str] = &["revenue", "name"];

/// The leading five members by revenue over the range (ties by name), then "Others" when there
/// are six or more (docs/metrics.md §4): the same five in every month.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopFive {
    /// Up to five names, largest first, then "Others" when there are more.
    pub ranking: Vec<String>,
    /// Each ranked name's revenue over the range (2 places).
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, String>))]
    pub range_totals: BTreeMap<String, Decimal>,
    /// `YYYY-MM` → each ranked name's revenue in that month (2 places).
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, BTreeMap<String, String>>))]
    pub by_month: BTreeMap<String, BTreeMap<String, Decimal>>,
}

/// One month of the products view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductsMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// `as_of`'s month, counted only to `as_of`.
    pub partial: bool,
    /// Revenue by product family (absent for roles without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<BTreeMap<String, String>>))]
    pub revenue_by_family: Option<BTreeMap<String, Decimal>>,
    /// SKU → subscriptions whose period overlaps the month.
    pub subscriptions_by_product: BTreeMap<String, u64>,
    /// SKU → those subscriptions' quantities added up.
    pub licenses_by_product: BTreeMap<String, i64>,
}

/// `GET /insights/products`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InsightsProducts {
    /// The day computed for.
    pub as_of: String,
    /// Every month of the range, oldest first.
    pub months: Vec<ProductsMonth>,
    /// Product families by revenue (absent for roles without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_top5: Option<TopFive>,
}

/// One month of a reseller's revenue trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Revenue (2 places).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "120.00"))]
    pub revenue: Decimal,
    /// Revenue by product family (2 places).
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, String>))]
    pub revenue_by_family: BTreeMap<String, Decimal>,
}

/// A reseller's revenue over the range, month by month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResellerTrend {
    /// The reseller.
    pub reseller_id: i64,
    /// Its external id.
    pub external_id: Option<String>,
    /// Its name.
    pub name: String,
    /// Its revenue over the range (2 places).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1440.00"))]
    pub revenue: Decimal,
    /// Every month of the range, oldest first.
    pub months: Vec<TrendMonth>,
}

/// A reseller's agreement and vetting status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResellerAgreement {
    /// The reseller.
    pub reseller_id: i64,
    /// Its external id.
    pub external_id: Option<String>,
    /// Its name.
    pub name: String,
    /// `not_started`, `pending`, `signed`, … ("unknown" when none is recorded).
    pub agreement_status: String,
    /// `pending`, `approved`, … ("unknown" when none is recorded).
    pub vetting_status: String,
}

/// `GET /insights/agreements`: counts per status over every reseller in scope, and one page of
/// the resellers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InsightsAgreements {
    /// Agreement status → resellers.
    pub agreement_counts: BTreeMap<String, u64>,
    /// Vetting status → resellers.
    pub vetting_counts: BTreeMap<String, u64>,
    /// The resellers, by name.
    pub items: Vec<ResellerAgreement>,
    /// How many resellers in all.
    pub total: u64,
    /// The page shown.
    pub page: u64,
    /// Items per page.
    pub per_page: u64,
}

/// A reseller country's figures over the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryFigures {
    /// ISO 3166-1 alpha-2, or "Unknown".
    pub country: String,
    /// Its resellers transacting in some month of the range.
    pub transacting: u64,
    /// Its resellers whose first transacting month is in the range.
    pub new: u64,
    /// Its resellers' revenue over the range (2 places; absent for roles without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "5400.00"))]
    pub revenue: Option<Decimal>,
}

/// `GET /insights/geography`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InsightsGeography {
    /// The day computed for.
    pub as_of: String,
    /// Every reseller country in scope, by name ("Unknown" last).
    pub countries: Vec<CountryFigures>,
    /// The five countries with most revenue over the range (ties by name), then "Others".
    pub ranking: Vec<String>,
    /// `YYYY-MM` → active resellers per ranked country.
    pub active_by_month: BTreeMap<String, BTreeMap<String, u64>>,
    /// Revenue by reseller country, the same five (absent for roles without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_top5: Option<TopFive>,
}

/// One month of the segments view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentsMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// `as_of`'s month, counted only to `as_of`.
    pub partial: bool,
    /// Customer segment → its customers' revenue (2 places; absent for roles without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<BTreeMap<String, String>>))]
    pub revenue_by_segment: Option<BTreeMap<String, Decimal>>,
    /// Customer segment → subscriptions whose period overlaps the month.
    pub subscriptions_by_segment: BTreeMap<String, u64>,
    /// Customer segment → those subscriptions' quantities added up.
    pub licenses_by_segment: BTreeMap<String, i64>,
}

/// A customer segment's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentFigures {
    /// `smb`, `mid_market`, `enterprise`, `education`, `government`, `nonprofit`, or "Unknown".
    pub segment: String,
    /// Its customers (of a reseller) counted on `as_of`.
    pub customers: u64,
    /// Its customers' revenue over the range (2 places; absent for roles without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "5400.00"))]
    pub revenue: Option<Decimal>,
}

/// `GET /insights/segments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InsightsSegments {
    /// The day computed for.
    pub as_of: String,
    /// Every customer segment in scope, by name ("Unknown" last).
    pub segments: Vec<SegmentFigures>,
    /// Every month of the range, oldest first.
    pub months: Vec<SegmentsMonth>,
    /// Revenue by customer segment: the five with most, then "Others" (absent for roles
    /// without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_top5: Option<TopFive>,
}
