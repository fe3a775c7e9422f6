//! `/organizations`: resellers and customers of the caller's subtree.

use actix_web::{HttpResponse, get, patch, post, web};
use domain::api::{
    ListParams, NewOrganization, ORGANIZATION_SORTS, Organization, OrganizationFilter, OrganizationPatch, Page,
    SearchQuery,
};
use domain::roles::Permission;
use store::organizations;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::docs::{AuthErrors, NotFound, WriteErrors};
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::state::AppState;

/// Lists organisations of the caller's subtree (the caller's own included). `q` searches
/// name, external id and domain; `sort` takes id, name, external_id, country, status,
/// created_at, closed_at or kind.
#[utoipa::path(
    tag = "organizations",
    params(ListParams, OrganizationFilter),
    responses((status = 200, body = Page<Organization>), AuthErrors),
    security(("bearer" = []))
)]
#[get("/organizations")]
pub async fn list_organizations(
    caller: Caller,
    state: web::Data<AppState>,
    list: ValidQuery<ListParams>,
    filter: ValidQuery<OrganizationFilter>,
) -> Result<web::Json<Page<Organization>>, ApiError> {
    caller.require(Permission::ReadData)?;
    let query = list.check(ORGANIZATION_SORTS)?;
    Ok(web::Json(organizations::list(&state.store, &caller.scope, &filter, &query).await?))
}

/// The console's search: resellers and customers of the caller's subtree whose name, external
/// id or domain holds `q` (any case), best first — an exact match, then a prefix, then the
/// rest, each by name — with kind, parent and status, paged.
#[utoipa::path(
    tag = "organizations",
    params(SearchQuery, ListParams),
    responses((status = 200, body = Page<Organization>), AuthErrors),
    security(("bearer" = []))
)]
#[get("/search")]
pub async fn search_organizations(
    caller: Caller,
    state: web::Data<AppState>,
    query: ValidQuery<SearchQuery>,
    list: ValidQuery<ListParams>,
) -> Result<web::Json<Page<Organization>>, ApiError> {
    caller.require(Permission::ReadData)?;
    let list = list.check(&[])?;
    // Counted before trimming, as the spec's maxLength counts.
    let q = query.q.trim();
    if q.is_empty() || query.q.chars().count() > 200 || q.contains('\0') {
        return Err(ApiError::invalid("q", "must be 1 to 200 characters, without NUL"));
    }
    Ok(web::Json(organizations::search(&state.store, &caller.scope, q, list.page, list.per_page).await?))
}

/// One organisation of the caller's subtree.
#[utoipa::path(
    tag = "organizations",
    params(("id" = i64, Path, description = "Organisation id")),
    responses((status = 200, body = Organization), AuthErrors, NotFound),
    security(("bearer" = []))
)]
#[get("/organizations/{id}")]
pub async fn get_organization(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<Organization>, ApiError> {
    caller.require(Permission::ReadData)?;
    Ok(web::Json(organizations::get(&state.store, &caller.scope, id.into_inner()).await?))
}

/// Creates a reseller (below a distributor) or a customer (below a reseller) in the caller's
/// subtree. Any field may carry history: a past `created_at`, a `closed_at`, a status or an
/// onboarding stage.
#[utoipa::path(
    tag = "organizations",
    request_body = NewOrganization,
    responses((status = 201, body = Organization, headers(("Location" = String))), AuthErrors, WriteErrors),
    security(("bearer" = []))
)]
#[post("/organizations")]
pub async fn create_organization(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<NewOrganization>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteData)?;
    let org = organizations::create(&state.store, &caller.scope, body.into_inner()).await?;
    Ok(super::created(format!("/api/v1/organizations/{}", org.id), &org))
}

/// Changes an organisation of the caller's subtree. An organisation's own status, dates,
/// onboarding and agreement are set by the organisation above it.
#[utoipa::path(
    tag = "organizations",
    params(("id" = i64, Path, description = "Organisation id")),
    request_body = OrganizationPatch,
    responses((status = 200, body = Organization), AuthErrors, NotFound, WriteErrors),
    security(("bearer" = []))
)]
#[patch("/organizations/{id}")]
pub async fn update_organization(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<OrganizationPatch>,
) -> Result<web::Json<Organization>, ApiError> {
    caller.require(Permission::WriteData)?;
    Ok(web::Json(organizations::update(&state.store, &caller.scope, id.into_inner(), body.into_inner()).await?))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_organizations)
        .service(search_organizations)
        .service(create_organization)
        .service(get_organization)
        .service(update_organization);
}
