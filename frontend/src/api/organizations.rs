//! Organisations, subscriptions and the catalog.

use domain::api::{ListParams, Organization, OrganizationFilter, Page, Product, Subscription, SubscriptionFilter};

use super::{ApiFailure, get, with_query};

/// A page of organisations.
pub async fn organizations(list: ListParams, filter: OrganizationFilter) -> Result<Page<Organization>, ApiFailure> {
    get(&with_query("/api/v1/organizations", &[&list, &filter])).await
}

/// One organisation.
pub async fn organization(id: i64) -> Result<Organization, ApiFailure> {
    get(&format!("/api/v1/organizations/{id}")).await
}

/// A page of subscriptions.
pub async fn subscriptions(list: ListParams, filter: SubscriptionFilter) -> Result<Page<Subscription>, ApiFailure> {
    get(&with_query("/api/v1/subscriptions", &[&list, &filter])).await
}

/// The whole catalog (it is small: one page of the largest size).
pub async fn products() -> Result<Page<Product>, ApiFailure> {
    get("/api/v1/products?per_page=500&sort=name").await
}

/// How many organisations match a filter (one item fetched; the server counts).
pub async fn count_organizations(filter: OrganizationFilter) -> Result<u64, ApiFailure> {
    let list = ListParams { per_page: Some(1), ..Default::default() };
    Ok(organizations(list, filter).await?.total)
}

/// How many subscriptions match a filter.
pub async fn count_subscriptions(filter: SubscriptionFilter) -> Result<u64, ApiFailure> {
    let list = ListParams { per_page: Some(1), ..Default::default() };
    Ok(subscriptions(list, filter).await?.total)
}

/// A page of the catalog's service plans.
pub async fn service_plans_page(
    list: ListParams,
    filter: domain::api::ServicePlanFilter,
) -> Result<Page<domain::api::ServicePlan>, ApiFailure> {
    get(&with_query("/api/v1/service-plans", &[&list, &filter])).await
}
