//! `/subscriptions`: customers' subscriptions in the caller's subtree.

use actix_web::{HttpResponse, get, patch, post, web};
use domain::api::{
    ListParams, NewSubscription, Page, SUBSCRIPTION_SORTS, Subscription, SubscriptionFilter, SubscriptionPatch,
};
use domain::roles::{MoneyFields, Permission};
use store::subscriptions;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::docs::{AuthErrors, NotFound, WriteErrors};
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::state::AppState;

/// Lists subscriptions. `q` searches the assigned client; `sort` takes id, start_date,
/// end_date, quantity, status or created_at.
#[utoipa::path(
    tag = "subscriptions",
    params(ListParams, SubscriptionFilter),
    responses((status = 200, body = Page<Subscription>), AuthErrors),
    security(("bearer" = []))
)]
#[get("/subscriptions")]
pub async fn list_subscriptions(
    caller: Caller,
    state: web::Data<AppState>,
    list: ValidQuery<ListParams>,
    filter: ValidQuery<SubscriptionFilter>,
) -> Result<web::Json<Page<Subscription>>, ApiError> {
    caller.require(Permission::ReadData)?;
    let query = list.check(SUBSCRIPTION_SORTS)?;
    let subscriptions = subscriptions::list(&state.store, &caller.scope, &filter, &query).await?;
    Ok(web::Json(caller.money(MoneyFields::PortalMoney, subscriptions)?))
}

/// One subscription.
#[utoipa::path(
    tag = "subscriptions",
    params(("id" = i64, Path, description = "Subscription id")),
    responses((status = 200, body = Subscription), AuthErrors, NotFound),
    security(("bearer" = []))
)]
#[get("/subscriptions/{id}")]
pub async fn get_subscription(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<Subscription>, ApiError> {
    caller.require(Permission::ReadData)?;
    let subscription = subscriptions::get(&state.store, &caller.scope, id.into_inner()).await?;
    Ok(web::Json(caller.money(MoneyFields::PortalMoney, subscription)?))
}

/// Records a subscription for a customer of the caller's subtree. With a `plan_id`, price,
/// currency and interval default to the plan's. No balance is debited: that is the portal's
/// activation.
#[utoipa::path(
    tag = "subscriptions",
    request_body = NewSubscription,
    responses((status = 201, body = Subscription, headers(("Location" = String))), AuthErrors, WriteErrors),
    security(("bearer" = []))
)]
#[post("/subscriptions")]
pub async fn create_subscription(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<NewSubscription>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteData)?;
    let subscription = subscriptions::create(&state.store, &caller.scope, body.into_inner()).await?;
    Ok(super::created(format!("/api/v1/subscriptions/{}", subscription.id), &subscription))
}

/// Changes a subscription.
#[utoipa::path(
    tag = "subscriptions",
    params(("id" = i64, Path, description = "Subscription id")),
    request_body = SubscriptionPatch,
    responses((status = 200, body = Subscription), AuthErrors, NotFound, WriteErrors),
    security(("bearer" = []))
)]
#[patch("/subscriptions/{id}")]
pub async fn update_subscription(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<SubscriptionPatch>,
) -> Result<web::Json<Subscription>, ApiError> {
    caller.require(Permission::WriteData)?;
    Ok(web::Json(subscriptions::update(&state.store, &caller.scope, id.into_inner(), body.into_inner()).await?))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_subscriptions).service(create_subscription).service(get_subscription).service(update_subscription);
}
