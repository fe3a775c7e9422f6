//! Provider accounts no customer owns yet: `/billing-accounts/unmapped`, and mapping one to a
//! customer (docs/import.md §6).

use actix_web::{HttpResponse, get, post, web};
use domain::api::{
    AccountMapped, CustomerFromAccount, ListParams, MapAccount, Page, UNMAPPED_ACCOUNT_SORTS, UnmappedAccount,
};
use domain::roles::Permission;
use store::billing::accounts;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::docs::{AuthErrors, WriteErrors};
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::state::AppState;

/// The provider accounts in the caller's subtree whose lines are held back because no customer
/// owns them: each with its name in the export, lines, billed cost and first and last day.
#[utoipa::path(
    tag = "billing",
    params(ListParams),
    responses((status = 200, body = Page<UnmappedAccount>), AuthErrors),
    security(("bearer" = []))
)]
#[get("/billing-accounts/unmapped")]
pub async fn list_unmapped_accounts(
    caller: Caller,
    state: web::Data<AppState>,
    list: ValidQuery<ListParams>,
) -> Result<web::Json<Page<UnmappedAccount>>, ApiError> {
    caller.require(Permission::ImportBilling)?;
    let query = list.check(UNMAPPED_ACCOUNT_SORTS)?;
    Ok(web::Json(accounts::unmapped(&state.store, &caller.scope, &query).await?))
}

/// Makes an account one of a customer's `billing_accounts` and rates the lines it held back,
/// in one transaction.
#[utoipa::path(
    tag = "billing",
    request_body = MapAccount,
    responses((status = 200, body = AccountMapped), AuthErrors, WriteErrors),
    security(("bearer" = []))
)]
#[post("/billing-accounts/unmapped/map")]
pub async fn map_account(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<MapAccount>,
) -> Result<web::Json<AccountMapped>, ApiError> {
    caller.require(Permission::ImportBilling)?;
    caller.require(Permission::WriteData)?;
    Ok(web::Json(accounts::map(&state.store, &caller.scope, body.into_inner()).await?))
}

/// Creates a customer owning an account (named as the export names it, acquired on its first
/// line's day) and rates the lines it held back, in one transaction.
#[utoipa::path(
    tag = "billing",
    request_body = CustomerFromAccount,
    responses((status = 201, body = AccountMapped), AuthErrors, WriteErrors),
    security(("bearer" = []))
)]
#[post("/billing-accounts/unmapped/customer")]
pub async fn customer_from_account(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<CustomerFromAccount>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ImportBilling)?;
    caller.require(Permission::WriteData)?;
    let (customer, mapped) = accounts::customer_from(&state.store, &caller.scope, body.into_inner()).await?;
    Ok(super::created(format!("/api/v1/organizations/{}", customer.id), &mapped))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_unmapped_accounts).service(map_account).service(customer_from_account);
}
