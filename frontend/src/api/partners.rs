//! The Partners console and the search across partners and customers.

use domain::api::{ListParams, Organization, Page, PartnersDashboard, PartnersQuery, SearchQuery};

use super::{ApiFailure, get, with_query};

/// The console on a day.
pub async fn partners(query: PartnersQuery) -> Result<PartnersDashboard, ApiFailure> {
    get(&with_query("/api/v1/dashboards/partners", &[&query])).await
}

/// Partners and customers whose name, external id or domain holds `q`, best first.
pub async fn search(q: String) -> Result<Page<Organization>, ApiFailure> {
    let list = ListParams { page: None, per_page: Some(8), q: None, sort: None };
    get(&with_query("/api/v1/search", &[&SearchQuery { q }, &list])).await
}
