//! `/products` and `/service-plans`: the catalog of the caller's tree. Everyone in the tree
//! reads it; only the organisation at the top writes it.

use actix_web::{HttpResponse, get, patch, post, web};
use domain::api::{
    ListParams, NewProduct, NewServicePlan, PRODUCT_SORTS, Page, Product, ProductFilter, ProductPatch,
    SERVICE_PLAN_SORTS, ServicePlan, ServicePlanFilter, ServicePlanPatch,
};
use domain::roles::{MoneyFields, Permission};
use store::catalog;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::docs::{AuthErrors, NotFound, WriteErrors};
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::state::AppState;

/// Lists products. `q` searches SKU, name, family and provider; `sort` takes id, sku, name,
/// family, provider or created_at.
#[utoipa::path(
    tag = "catalog",
    params(ListParams, ProductFilter),
    responses((status = 200, body = Page<Product>), AuthErrors),
    security(("bearer" = []))
)]
#[get("/products")]
pub async fn list_products(
    caller: Caller,
    state: web::Data<AppState>,
    list: ValidQuery<ListParams>,
    filter: ValidQuery<ProductFilter>,
) -> Result<web::Json<Page<Product>>, ApiError> {
    caller.require(Permission::ReadData)?;
    let query = list.check(PRODUCT_SORTS)?;
    Ok(web::Json(catalog::list_products(&state.store, &caller.scope, &filter, &query).await?))
}

/// One product.
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "Product id")),
    responses((status = 200, body = Product), AuthErrors, NotFound),
    security(("bearer" = []))
)]
#[get("/products/{id}")]
pub async fn get_product(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<Product>, ApiError> {
    caller.require(Permission::ReadData)?;
    Ok(web::Json(catalog::get_product(&state.store, &caller.scope, id.into_inner()).await?))
}

/// Adds a product to the catalog.
#[utoipa::path(
    tag = "catalog",
    request_body = NewProduct,
    responses((status = 201, body = Product, headers(("Location" = String))), AuthErrors, WriteErrors),
    security(("bearer" = []))
)]
#[post("/products")]
pub async fn create_product(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<NewProduct>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteData)?;
    let product = catalog::create_product(&state.store, &caller.scope, body.into_inner()).await?;
    Ok(super::created(format!("/api/v1/products/{}", product.id), &product))
}

/// Changes a product.
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "Product id")),
    request_body = ProductPatch,
    responses((status = 200, body = Product), AuthErrors, NotFound, WriteErrors),
    security(("bearer" = []))
)]
#[patch("/products/{id}")]
pub async fn update_product(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<ProductPatch>,
) -> Result<web::Json<Product>, ApiError> {
    caller.require(Permission::WriteData)?;
    Ok(web::Json(catalog::update_product(&state.store, &caller.scope, id.into_inner(), body.into_inner()).await?))
}

/// Lists service plans. `q` searches code and name; `sort` takes id, code, name, price or
/// created_at.
#[utoipa::path(
    tag = "catalog",
    params(ListParams, ServicePlanFilter),
    responses((status = 200, body = Page<ServicePlan>), AuthErrors),
    security(("bearer" = []))
)]
#[get("/service-plans")]
pub async fn list_service_plans(
    caller: Caller,
    state: web::Data<AppState>,
    list: ValidQuery<ListParams>,
    filter: ValidQuery<ServicePlanFilter>,
) -> Result<web::Json<Page<ServicePlan>>, ApiError> {
    caller.require(Permission::ReadData)?;
    let query = list.check(SERVICE_PLAN_SORTS)?;
    let plans = catalog::list_plans(&state.store, &caller.scope, &filter, &query).await?;
    Ok(web::Json(caller.money(MoneyFields::PortalMoney, plans)?))
}

/// One service plan.
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "Service plan id")),
    responses((status = 200, body = ServicePlan), AuthErrors, NotFound),
    security(("bearer" = []))
)]
#[get("/service-plans/{id}")]
pub async fn get_service_plan(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<ServicePlan>, ApiError> {
    caller.require(Permission::ReadData)?;
    let plan = catalog::get_plan(&state.store, &caller.scope, id.into_inner()).await?;
    Ok(web::Json(caller.money(MoneyFields::PortalMoney, plan)?))
}

/// Adds a service plan to a product.
#[utoipa::path(
    tag = "catalog",
    request_body = NewServicePlan,
    responses((status = 201, body = ServicePlan, headers(("Location" = String))), AuthErrors, WriteErrors),
    security(("bearer" = []))
)]
#[post("/service-plans")]
pub async fn create_service_plan(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<NewServicePlan>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::WriteData)?;
    let plan = catalog::create_plan(&state.store, &caller.scope, body.into_inner()).await?;
    Ok(super::created(format!("/api/v1/service-plans/{}", plan.id), &plan))
}

/// Changes a service plan.
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "Service plan id")),
    request_body = ServicePlanPatch,
    responses((status = 200, body = ServicePlan), AuthErrors, NotFound, WriteErrors),
    security(("bearer" = []))
)]
#[patch("/service-plans/{id}")]
pub async fn update_service_plan(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<ServicePlanPatch>,
) -> Result<web::Json<ServicePlan>, ApiError> {
    caller.require(Permission::WriteData)?;
    Ok(web::Json(catalog::update_plan(&state.store, &caller.scope, id.into_inner(), body.into_inner()).await?))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_products)
        .service(create_product)
        .service(get_product)
        .service(update_product)
        .service(list_service_plans)
        .service(create_service_plan)
        .service(get_service_plan)
        .service(update_service_plan);
}
