//! Insights (seed 002, docs/metrics.md §3–§4): reseller performance over a range of months.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{AsOf, MonthParam, ReportFormat};

/// The query of every Insights view: a range of months and the day it is seen from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
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
