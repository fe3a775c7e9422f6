//! `/portal/…` and `/activity`: the reseller portal (seed 004). Writes that move money take an
//! `Idempotency-Key` header: the same key again answers the first result (200 instead of 201)
//! and moves nothing.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use domain::api::{
    ACTIVATION_SORTS, Activation, ActivationDetail, ActivationFilter, ActiveUsersQuery, ActiveUsersRange,
    ActiveUsersSeries, ActivityBatch, ActivityResult, LEDGER_SORTS, LedgerEntry, LedgerFilter, ListParams,
    NewActivation, NewTopUp, Page, PortalQuery, PortalSummary,
};
use domain::roles::{MoneyFields, Permission};
use serde::Deserialize;
use store::portal::activations::{self, Change};
use store::portal::{activity, ledger, summary};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::docs::{AuthErrors, NotFound, WriteErrors};
use crate::error::ApiError;
use crate::extract::{Dated, ValidJson, ValidQuery};
use crate::state::AppState;

/// The header that makes a money-moving write safe to retry.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

fn key(req: &HttpRequest) -> Result<Option<&str>, ApiError> {
    match req.headers().get(IDEMPOTENCY_KEY) {
        None => Ok(None),
        Some(v) => v.to_str().map(Some).map_err(|_| ApiError::invalid(IDEMPOTENCY_KEY, "must be visible ASCII")),
    }
}

/// Whose activations: a distributor names a reseller.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResellerParam {
    /// The reseller (a distributor's callers only; a reseller sees its own).
    pub reseller_id: Option<i64>,
}

/// The reseller's balance ledger, newest first. `q` searches references.
#[utoipa::path(tag = "portal", params(ListParams, LedgerFilter),
    responses((status = 200, body = Page<LedgerEntry>), AuthErrors, NotFound), security(("bearer" = [])))]
#[get("/portal/ledger")]
pub async fn list_ledger(
    caller: Caller,
    state: web::Data<AppState>,
    list: ValidQuery<ListParams>,
    filter: ValidQuery<LedgerFilter>,
) -> Result<web::Json<Page<LedgerEntry>>, ApiError> {
    caller.require(Permission::ReadData)?;
    caller.sees_money(MoneyFields::PortalLedger)?;
    let query = list.check(LEDGER_SORTS)?;
    Ok(web::Json(ledger::list(&state.store, &caller.scope, &filter, &query).await?))
}

/// Credits a reseller's balance with a payment received (a distributor for its reseller, or a
/// reseller's admin for its own), recording the payment's reference.
#[utoipa::path(tag = "portal", request_body = NewTopUp,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = LedgerEntry), (status = 200, description = "A retry: the first result", body = LedgerEntry),
        AuthErrors, NotFound, WriteErrors),
    security(("bearer" = [])))]
#[post("/portal/top-ups")]
pub async fn create_top_up(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<NewTopUp>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::TopUp)?;
    let (entry, new) =
        ledger::top_up(&state.store, &caller.scope, body.into_inner(), key(&req)?, caller.user_id).await?;
    Ok(if new {
        super::created(format!("/api/v1/portal/ledger?kind=top_up#{}", entry.id), &entry)
    } else {
        HttpResponse::Ok().json(entry)
    })
}

/// Activates a plan for a client: pays its first interval from the balance and creates the
/// subscription, in one transaction. Too little balance answers 402 with `balance` and
/// `needed`, and changes nothing.
#[utoipa::path(tag = "portal", request_body = NewActivation,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"), ResellerParam),
    responses((status = 201, body = Activation), (status = 200, description = "A retry: the first result", body = Activation),
        (status = 402, description = "The balance does not cover it", body = domain::api::Problem, content_type = "application/problem+json"),
        AuthErrors, NotFound, WriteErrors),
    security(("bearer" = [])))]
#[post("/portal/activations")]
pub async fn create_activation(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<NewActivation>,
    who: ValidQuery<ResellerParam>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::Activate)?;
    let (activation, new) = activations::activate(
        &state.store,
        &caller.scope,
        who.reseller_id,
        body.into_inner(),
        key(&req)?,
        caller.user_id,
    )
    .await?;
    Ok(if new {
        super::created(format!("/api/v1/portal/activations/{}", activation.id), &activation)
    } else {
        HttpResponse::Ok().json(activation)
    })
}

/// The reseller's activations with product, activation date, client, status and next renewal.
#[utoipa::path(tag = "portal", params(ListParams, ActivationFilter, ResellerParam),
    responses((status = 200, body = Page<Activation>), AuthErrors, NotFound), security(("bearer" = [])))]
#[get("/portal/activations")]
pub async fn list_activations(
    caller: Caller,
    state: web::Data<AppState>,
    list: ValidQuery<ListParams>,
    filter: ValidQuery<ActivationFilter>,
    who: ValidQuery<ResellerParam>,
) -> Result<web::Json<Page<Activation>>, ApiError> {
    caller.require(Permission::ReadData)?;
    let query = list.check(ACTIVATION_SORTS)?;
    let page = activations::list(&state.store, &caller.scope, who.reseller_id, &filter, &query).await?;
    Ok(web::Json(caller.money(MoneyFields::PortalMoney, page)?))
}

/// One activation with the ledger entries that paid for it.
#[utoipa::path(tag = "portal", params(("id" = i64, Path, description = "Activation id"), ResellerParam),
    responses((status = 200, body = ActivationDetail), AuthErrors, NotFound), security(("bearer" = [])))]
#[get("/portal/activations/{id}")]
pub async fn get_activation(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    who: ValidQuery<ResellerParam>,
) -> Result<web::Json<ActivationDetail>, ApiError> {
    caller.require(Permission::ReadData)?;
    let detail = activations::get(&state.store, &caller.scope, who.reseller_id, *id).await?;
    Ok(web::Json(caller.money(MoneyFields::PortalMoney, detail)?))
}

async fn change(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: i64,
    who: ValidQuery<ResellerParam>,
    what: Change,
) -> Result<web::Json<Activation>, ApiError> {
    caller.require(Permission::Activate)?;
    let (scope, key) = (&caller.scope, key(&req)?);
    Ok(web::Json(activations::change(&state.store, scope, who.reseller_id, id, what, key, caller.user_id).await?))
}

/// Pays one more interval and moves the paid-until date (an expired activation starts again
/// today). 402 when the balance is short.
#[utoipa::path(tag = "portal", params(("id" = i64, Path, description = "Activation id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"), ResellerParam),
    responses((status = 200, body = Activation), (status = 402, description = "The balance does not cover it", body = domain::api::Problem, content_type = "application/problem+json"),
        AuthErrors, NotFound, WriteErrors), security(("bearer" = [])))]
#[post("/portal/activations/{id}/renew")]
pub async fn renew_activation(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i64>,
    who: ValidQuery<ResellerParam>,
) -> Result<web::Json<Activation>, ApiError> {
    change(caller, state, req, *id, who, Change::Renew).await
}

/// Stops renewing until resumed.
#[utoipa::path(tag = "portal", params(("id" = i64, Path, description = "Activation id"), ResellerParam),
    responses((status = 200, body = Activation), AuthErrors, NotFound, WriteErrors), security(("bearer" = [])))]
#[post("/portal/activations/{id}/pause")]
pub async fn pause_activation(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i64>,
    who: ValidQuery<ResellerParam>,
) -> Result<web::Json<Activation>, ApiError> {
    change(caller, state, req, *id, who, Change::Pause).await
}

/// Renews again.
#[utoipa::path(tag = "portal", params(("id" = i64, Path, description = "Activation id"), ResellerParam),
    responses((status = 200, body = Activation), AuthErrors, NotFound, WriteErrors), security(("bearer" = [])))]
#[post("/portal/activations/{id}/resume")]
pub async fn resume_activation(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i64>,
    who: ValidQuery<ResellerParam>,
) -> Result<web::Json<Activation>, ApiError> {
    change(caller, state, req, *id, who, Change::Resume).await
}

/// Stops renewal at the end of the paid period; a refundable plan refunds the unused days.
#[utoipa::path(tag = "portal", params(("id" = i64, Path, description = "Activation id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"), ResellerParam),
    responses((status = 200, body = Activation), AuthErrors, NotFound, WriteErrors), security(("bearer" = [])))]
#[post("/portal/activations/{id}/deactivate")]
pub async fn deactivate_activation(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i64>,
    who: ValidQuery<ResellerParam>,
) -> Result<web::Json<Activation>, ApiError> {
    change(caller, state, req, *id, who, Change::Deactivate).await
}

/// Active users and software, the balance, recurring costs by interval, and a low-balance
/// warning when the balance will not cover the renewals of the next 30 days.
#[utoipa::path(tag = "portal", operation_id = "get_portal_summary", params(PortalQuery),
    responses((status = 200, body = PortalSummary), AuthErrors, NotFound), security(("bearer" = [])))]
#[get("/portal/summary")]
pub async fn get_summary(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<PortalQuery>,
) -> Result<web::Json<PortalSummary>, ApiError> {
    caller.require(Permission::ReadData)?;
    let summary = summary::portal_summary(&state.store, &caller.scope, query.reseller_id, query.as_of).await?;
    Ok(web::Json(caller.money(MoneyFields::PortalMoney, summary)?))
}

/// Distinct active users per day (`7d`, `30d`) or per week (`6m`).
#[utoipa::path(tag = "portal", params(ActiveUsersQuery),
    responses((status = 200, body = ActiveUsersSeries), AuthErrors, NotFound), security(("bearer" = [])))]
#[get("/portal/active-users")]
pub async fn get_active_users(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<ActiveUsersQuery>,
) -> Result<web::Json<ActiveUsersSeries>, ApiError> {
    caller.require(Permission::ReadData)?;
    let range = query.range.unwrap_or(ActiveUsersRange::Days30);
    let series = activity::active_users_series(&state.store, &caller.scope, query.reseller_id, range, query.as_of);
    Ok(web::Json(series.await?))
}

/// Takes a batch of user activity (at most 10,000 items, all or nothing); the same customer,
/// user and day again is not counted twice.
#[utoipa::path(tag = "portal", request_body = ActivityBatch,
    responses((status = 200, body = ActivityResult), AuthErrors, WriteErrors), security(("bearer" = [])))]
#[post("/activity")]
pub async fn record_activity(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<ActivityBatch>,
) -> Result<web::Json<ActivityResult>, ApiError> {
    caller.require(Permission::WriteData)?;
    Ok(web::Json(activity::record(&state.store, &caller.scope, body.into_inner()).await?))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_ledger)
        .service(create_top_up)
        .service(create_activation)
        .service(list_activations)
        .service(get_activation)
        .service(renew_activation)
        .service(pause_activation)
        .service(resume_activation)
        .service(deactivate_activation)
        .service(get_summary)
        .service(get_active_users)
        .service(record_activity);
}
