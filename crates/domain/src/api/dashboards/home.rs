//! The Home dashboard and the reports behind its panes' menus (docs/metrics.md §2). For a role
//! that may not see money the server leaves every revenue, cost and spend figure of the
//! dashboard out, and refuses the reports (`roles::MONEY`).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{AsOf, MonthParam, ReportFormat, dated_queries};
use crate::kinds::{BillingIssueKind, OnboardingStage, OrgKind};
use crate::metrics::Month;

/// The query of the Home dashboard.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct HomeQuery {
    /// `YYYY-MM-DD`; default today (UTC). Nothing dated after it counts.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date, example = "2026-11-15"))]
    pub as_of: Option<AsOf>,
}

/// The query of the monthly revenue report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct RevenueReportQuery {
    /// `YYYY-MM-DD`; default today (UTC).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date, example = "2026-11-15"))]
    pub as_of: Option<AsOf>,
    /// `YYYY-MM`, not after `as_of`'s month; default `as_of`'s month (counted to `as_of`).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, pattern = r"^\d{4}-\d{2}$", example = "2026-10"))]
    pub month: Option<MonthParam>,
    /// `csv` for a CSV download (as does `Accept: text/csv`); default JSON.
    pub format: Option<ReportFormat>,
}

/// The query of the paged customer accounts of the monthly revenue report (with `page`,
/// `per_page`, `q` and `sort`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct RevenueCustomersQuery {
    /// `YYYY-MM-DD`; default today (UTC).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date, example = "2026-11-15"))]
    pub as_of: Option<AsOf>,
    /// `YYYY-MM`, not after `as_of`'s month; default `as_of`'s month (counted to `as_of`).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, pattern = r"^\d{4}-\d{2}$", example = "2026-10"))]
    pub month: Option<MonthParam>,
}

/// Fields the revenue report's customer list sorts by (default `-revenue`).
pub const REVENUE_CUSTOMER_SORTS: &[&str] = &["name", "external_id", "reseller_name", "revenue", "cost", "margin"];

/// Revenue, cost and margin of a set of lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevenueFigures {
    /// Billed cost in USD, every category except Tax.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12500.00"))]
    pub total: Decimal,
    /// Effective cost in USD over the same lines.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "10800.00"))]
    pub cost: Decimal,
    /// `total` − `cost`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1700.00"))]
    pub margin: Decimal,
}

/// The month's revenue projected to its end, or why it is not shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectedRevenue {
    /// Whether the 30-day rule allows a projection.
    pub available: bool,
    /// Non-usage charges to date + usage to date × days in month ÷ day of month.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "15320.40"))]
    pub value: Option<Decimal>,
    /// Why there is no value.
    pub reason: Option<String>,
}

/// Marketplace spend this month (to `as_of`) and the whole previous month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarketplaceSpend {
    /// This month to `as_of`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "830.00"))]
    pub current: Decimal,
    /// The whole previous month.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1200.00"))]
    pub previous: Decimal,
    /// (current − previous) ÷ |previous| × 100; null when the previous month is 0. On any day
    /// but the month's last this compares part of a month with a whole one: see
    /// `change_to_date_pct`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "-30.83"))]
    pub change_pct: Option<Decimal>,
    /// The previous month from its first day to `as_of`'s day of month (its last day when it is
    /// shorter): the same days as `current`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "790.00"))]
    pub previous_to_date: Decimal,
    /// (current − previous_to_date) ÷ |previous_to_date| × 100; null when that is 0.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "5.06"))]
    pub change_to_date_pct: Option<Decimal>,
    /// True when `as_of` is not the month's last day, so `current` is a month to date.
    pub partial: bool,
}

/// Organisations counted on `as_of`: created on or before it and not closed by it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountCounts {
    /// A distributor's resellers (absent for a reseller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resellers: Option<u64>,
    /// End customers in scope.
    pub customers: u64,
    /// A reseller's counted customers whose status is active (absent for a distributor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_customers: Option<u64>,
    /// Created in (as_of − 30 days, as_of] minus closed in the same window: resellers and
    /// customers for a distributor, customers for a reseller.
    pub net_new_30d: i64,
}

/// A customer still onboarding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnboardingCustomer {
    /// The customer.
    pub customer_id: i64,
    /// Its name.
    pub name: String,
    /// Its id in billing data.
    pub external_id: Option<String>,
    /// Its reseller.
    pub reseller_id: Option<i64>,
    /// Where it is (`failed` needs someone to act).
    pub stage: OnboardingStage,
    /// When it reached the stage (its creation when never moved).
    pub since: DateTime<Utc>,
    /// Whole days in the stage on `as_of`.
    pub days_in_stage: i64,
}

/// The open billing issues of one customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerIssues {
    /// The customer, when known (an unknown customer is an issue in itself).
    pub customer_id: Option<i64>,
    /// Its name, when known.
    pub name: Option<String>,
    /// The customer id the billing data used.
    pub external_id: Option<String>,
    /// Open issues.
    pub open: u64,
    /// Their kinds, in name order.
    pub kinds: Vec<BillingIssueKind>,
    /// When the oldest was found.
    pub first_detected_at: DateTime<Utc>,
}

/// Where to go when a pane is empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaneAction {
    /// The link's text.
    pub label: String,
    /// The app path it opens.
    pub href: String,
}

/// `GET /dashboards/home`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HomeDashboard {
    /// The day computed for.
    pub as_of: NaiveDate,
    /// `as_of`'s month, `YYYY-MM`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-11"))]
    pub month: Month,
    /// Whose figures: the caller's organisation.
    pub org_id: i64,
    /// Distributor or reseller: which variant of the page this is.
    pub org_kind: OrgKind,
    /// True when the caller's role may not see money: the revenue, projection and marketplace
    /// fields are then absent.
    pub figures_hidden: bool,
    /// This month's revenue to `as_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_month_revenue: Option<RevenueFigures>,
    /// This month's projected revenue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projected_monthly_revenue: Option<ProjectedRevenue>,
    /// Marketplace spend, month over month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketplace_spend: Option<MarketplaceSpend>,
    /// Resellers and customers counted on `as_of`.
    pub accounts: AccountCounts,
    /// Customers not yet onboarded (the 50 longest in their stage first).
    pub onboarding: Vec<OnboardingCustomer>,
    /// All customers not yet onboarded.
    pub onboarding_total: u64,
    /// Open billing issues by customer (the 50 with most issues first).
    pub billing_issues: Vec<CustomerIssues>,
    /// All open billing issues.
    pub billing_issues_total: u64,
    /// What to offer when there are no billing issues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_issues_empty: Option<PaneAction>,
}

/// `GET /dashboards/home/revenue`: a month's revenue by service, and how many customer accounts
/// share it; the accounts themselves are a paged list at `/dashboards/home/revenue/customers`
/// (a distributor may have 100,000), and every one of them is in the report's CSV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevenueReport {
    /// The day computed for.
    pub as_of: NaiveDate,
    /// The month, `YYYY-MM` (to `as_of` when it is `as_of`'s month).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-11"))]
    pub month: Month,
    /// The month's revenue.
    pub total: RevenueFigures,
    /// By `ServiceName`.
    pub by_service: BTreeMap<String, RevenueFigures>,
    /// How many customer accounts have revenue lines in the month.
    pub customers: u64,
}

/// A customer's share of a month's revenue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerRevenue {
    /// The customer.
    pub customer_id: i64,
    /// Its name.
    pub name: String,
    /// Its `external_id`, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// The reseller it buys from (none for a reseller's own customers seen by that reseller's
    /// parent chain ending at the caller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reseller_id: Option<i64>,
    /// That reseller's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reseller_name: Option<String>,
    /// Its revenue, cost and margin.
    #[serde(flatten)]
    pub figures: RevenueFigures,
}

/// One provider and service's part of the projection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectionRow {
    /// `ProviderName`.
    pub provider: String,
    /// `ServiceName`.
    pub service: String,
    /// Purchase, Adjustment and Credit charges to date.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub non_usage: Decimal,
    /// Usage charges to date.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub usage_to_date: Decimal,
    /// `non_usage` + `usage_to_date` × days in month ÷ day of month.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub projected: Decimal,
}

/// `GET /dashboards/home/projection`: the projection by provider and service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectionReport {
    /// The day computed for.
    pub as_of: NaiveDate,
    /// `as_of`'s month.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-11"))]
    pub month: Month,
    /// The whole projection, or why there is none.
    pub projected: ProjectedRevenue,
    /// By provider (absent when unavailable).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<BTreeMap<String, String>>))]
    pub by_provider: Option<BTreeMap<String, Decimal>>,
    /// By provider and service, largest first (absent when unavailable).
    pub rows: Option<Vec<ProjectionRow>>,
}

/// One month of marketplace spend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarketplaceMonth {
    /// `YYYY-MM`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-10"))]
    pub month: Month,
    /// Spend (to `as_of` in `as_of`'s month).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub spend: Decimal,
    /// Change from the month before in percent; null when that month is 0.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub change_pct: Option<Decimal>,
    /// True for `as_of`'s month when `as_of` is not its last day: the month is counted to `as_of`
    /// only, so it is not comparable with whole months as it stands.
    #[serde(default)]
    pub partial: bool,
}

/// `GET /dashboards/home/marketplace`: 12 months of marketplace spend, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarketplaceReport {
    /// The day computed for.
    pub as_of: NaiveDate,
    /// Oldest first, ending with `as_of`'s month.
    pub months: Vec<MarketplaceMonth>,
}

/// One month of the revenue overview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverviewMonth {
    /// `YYYY-MM`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-10"))]
    pub month: Month,
    /// The month's revenue, cost and margin (to `as_of` in `as_of`'s month).
    pub total: RevenueFigures,
    /// By `ProviderName`.
    pub by_provider: BTreeMap<String, RevenueFigures>,
    /// True for `as_of`'s month when `as_of` is not its last day: the month is counted to `as_of`
    /// only, so it is not comparable with whole months as it stands.
    #[serde(default)]
    pub partial: bool,
}

/// A named share of revenue over the overview's 12 months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankedRevenue {
    /// The customer's name or the service.
    pub name: String,
    /// The customer's `external_id`, for customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Revenue, cost and margin over the 12 months.
    #[serde(flatten)]
    pub figures: RevenueFigures,
}

/// `GET /dashboards/home/overview`: the full revenue dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevenueOverview {
    /// The day computed for.
    pub as_of: NaiveDate,
    /// The 12 months ending with `as_of`'s, oldest first.
    pub months: Vec<OverviewMonth>,
    /// The 10 customers with most revenue over the 12 months (ties by name).
    pub top_customers: Vec<RankedRevenue>,
    /// The 10 services with most revenue over the 12 months (ties by name).
    pub top_services: Vec<RankedRevenue>,
}

dated_queries!(HomeQuery, RevenueReportQuery, RevenueCustomersQuery);
