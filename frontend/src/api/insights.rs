//! Insights: reseller performance over a range of months.

use domain::api::{
    AddsChurns, InsightsAgreements, InsightsGeography, InsightsProducts, InsightsQuery, InsightsSegments,
    InsightsSummary, ListParams, Page, ResellerTrend,
};

use super::{ApiFailure, get, with_query};

/// The API path of a view with the range's query (for the CSV downloads too).
pub fn insights_path(view: &str, query: &InsightsQuery) -> String {
    with_query(&format!("/api/v1/insights/{view}"), &[query])
}

/// The KPIs and revenue by family.
pub async fn insights_summary(query: InsightsQuery) -> Result<InsightsSummary, ApiFailure> {
    get(&insights_path("summary", &query)).await
}

/// Enrolled, churned and existing resellers per month.
pub async fn adds_churns(query: InsightsQuery) -> Result<AddsChurns, ApiFailure> {
    get(&insights_path("adds-churns", &query)).await
}

/// Families, subscriptions and licences by product.
pub async fn insights_products(query: InsightsQuery) -> Result<InsightsProducts, ApiFailure> {
    get(&insights_path("products", &query)).await
}

/// By reseller country.
pub async fn insights_geography(query: InsightsQuery) -> Result<InsightsGeography, ApiFailure> {
    get(&insights_path("geography", &query)).await
}

/// By customer segment.
pub async fn insights_segments(query: InsightsQuery) -> Result<InsightsSegments, ApiFailure> {
    get(&insights_path("segments", &query)).await
}

/// Agreement and vetting statuses.
pub async fn insights_agreements(query: InsightsQuery, list: ListParams) -> Result<InsightsAgreements, ApiFailure> {
    get(&with_query("/api/v1/insights/agreements", &[&query, &list])).await
}

/// One page of the resellers' revenue trends.
pub async fn revenue_trend(query: InsightsQuery, list: ListParams) -> Result<Page<ResellerTrend>, ApiFailure> {
    get(&with_query("/api/v1/insights/revenue-trend", &[&query, &list])).await
}
