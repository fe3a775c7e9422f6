//! The reseller portal: statistics, activations, the ledger and the plans it sells. A reseller's
//! callers pass no reseller (`None`: their own); a distributor's name the reseller whose portal
//! it opened, on every read and every action.

use domain::api::{ListParams, Page};
use serde::Serialize;

use super::{ApiFailure, get, post_keyed, with_query};

/// `?reseller_id=` when one is named.
#[derive(Serialize)]
struct Whose {
    reseller_id: Option<i64>,
}

fn whose(path: &str, reseller: Option<i64>) -> String {
    with_query(path, &[&Whose { reseller_id: reseller }])
}

/// The portal's statistics.
pub async fn portal_summary(reseller: Option<i64>) -> Result<domain::api::PortalSummary, ApiFailure> {
    get(&whose("/api/v1/portal/summary", reseller)).await
}

/// The active-users series.
pub async fn active_users(
    range: domain::api::ActiveUsersRange,
    reseller: Option<i64>,
) -> Result<domain::api::ActiveUsersSeries, ApiFailure> {
    let query = domain::api::ActiveUsersQuery { range: Some(range), as_of: None, reseller_id: reseller };
    get(&with_query("/api/v1/portal/active-users", &[&query])).await
}

/// A page of activations.
pub async fn activations(list: ListParams, reseller: Option<i64>) -> Result<Page<domain::api::Activation>, ApiFailure> {
    get(&with_query("/api/v1/portal/activations", &[&list, &Whose { reseller_id: reseller }])).await
}

/// A page of ledger entries of one kind.
pub async fn ledger(
    list: ListParams,
    kind: Option<domain::kinds::LedgerKind>,
    reseller: Option<i64>,
) -> Result<Page<domain::api::LedgerEntry>, ApiFailure> {
    let filter = domain::api::LedgerFilter { kind, reseller_id: reseller, ..Default::default() };
    get(&with_query("/api/v1/portal/ledger", &[&list, &filter])).await
}

/// The enabled plans of the catalog.
pub async fn service_plans() -> Result<Page<domain::api::ServicePlan>, ApiFailure> {
    get("/api/v1/service-plans?per_page=500&enabled=true&sort=name").await
}

/// Activates a plan for a client of the reseller.
pub async fn activate(
    new: &domain::api::NewActivation,
    reseller: Option<i64>,
    key: &str,
) -> Result<domain::api::Activation, ApiFailure> {
    post_keyed(&whose("/api/v1/portal/activations", reseller), new, key).await
}

/// Renews, pauses, resumes or deactivates an activation (`action` is the path's last part).
pub async fn change_activation(
    id: i64,
    action: &str,
    reseller: Option<i64>,
    key: &str,
) -> Result<domain::api::Activation, ApiFailure> {
    post_keyed(&whose(&format!("/api/v1/portal/activations/{id}/{action}"), reseller), &serde_json::json!({}), key)
        .await
}
