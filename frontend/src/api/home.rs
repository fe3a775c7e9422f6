//! The Home dashboard and the reports behind its panes.

use domain::api::{
    AsOf, AsOfQuery, HomeDashboard, HomeQuery, MarketplaceReport, ProjectionReport, RevenueOverview, RevenueReport,
    RevenueReportQuery,
};

use super::{ApiFailure, get, with_query};

/// The day to ask for: none (the server's today) when there is none or the metrics cannot reach
/// it (before 1900 or at the end of the calendar).
pub fn as_of_param(day: Option<chrono::NaiveDate>) -> Option<AsOf> {
    day.and_then(|day| AsOf::new(day).ok())
}

/// The Home dashboard on `as_of` (today when none).
pub async fn home(as_of: Option<chrono::NaiveDate>) -> Result<HomeDashboard, ApiFailure> {
    get(&with_query("/api/v1/dashboards/home", &[&HomeQuery { as_of: as_of_param(as_of) }])).await
}

/// The report paths behind the Home panes, each also served as CSV.
pub mod reports {
    /// A month's revenue by service and customer.
    pub const REVENUE: &str = "/api/v1/dashboards/home/revenue";
    /// The projection by provider and service.
    pub const PROJECTION: &str = "/api/v1/dashboards/home/projection";
    /// 12 months of marketplace spend.
    pub const MARKETPLACE: &str = "/api/v1/dashboards/home/marketplace";
    /// The revenue overview.
    pub const OVERVIEW: &str = "/api/v1/dashboards/home/overview";
}

/// A month's revenue by service and customer.
pub async fn revenue_report(query: RevenueReportQuery) -> Result<RevenueReport, ApiFailure> {
    get(&with_query(reports::REVENUE, &[&query])).await
}

/// The projection by provider and service.
pub async fn projection_report(as_of: Option<chrono::NaiveDate>) -> Result<ProjectionReport, ApiFailure> {
    get(&with_query(reports::PROJECTION, &[&AsOfQuery { as_of: as_of_param(as_of), format: None }])).await
}

/// 12 months of marketplace spend.
pub async fn marketplace_report(as_of: Option<chrono::NaiveDate>) -> Result<MarketplaceReport, ApiFailure> {
    get(&with_query(reports::MARKETPLACE, &[&AsOfQuery { as_of: as_of_param(as_of), format: None }])).await
}

/// The revenue overview.
pub async fn revenue_overview(as_of: Option<chrono::NaiveDate>) -> Result<RevenueOverview, ApiFailure> {
    get(&with_query(reports::OVERVIEW, &[&AsOfQuery { as_of: as_of_param(as_of), format: None }])).await
}

/// One page of a month's customer accounts, with their resellers.
pub async fn revenue_customers(
    query: domain::api::RevenueCustomersQuery,
    list: domain::api::ListParams,
) -> Result<domain::api::Page<domain::api::CustomerRevenue>, ApiFailure> {
    get(&with_query(&format!("{}/customers", reports::REVENUE), &[&query, &list])).await
}
