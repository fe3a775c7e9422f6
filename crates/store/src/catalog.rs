//! The catalog: products and service plans. A tree shares its root's catalog: everyone in it
//! reads it, only the root organisation writes it.

use domain::api::{
    ListQuery, NewProduct, NewServicePlan, Page, Product, ProductFilter, ProductPatch, ServicePlan, ServicePlanFilter,
    ServicePlanPatch, Violations,
};
use domain::codes::CurrencyCode;
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};

use crate::billing::unmapped;
use crate::entities::{product, service_plan};
use crate::product_services;
use crate::{Scope, Store, StoreError, clock, paging, stored};

const CATALOG_OWNER_ONLY: &str = "the catalog is managed by the organisation at the top of your tree";

/// Products of the caller's catalog.
pub async fn list_products(
    store: &Store,
    scope: &Scope,
    filter: &ProductFilter,
    query: &ListQuery,
) -> Result<Page<Product>, StoreError> {
    use product::Column;
    let mut select = product::Entity::find().filter(Column::TenantId.eq(scope.tenant_id));
    if let Some(family) = &filter.family {
        select = select.filter(Column::Family.eq(family.trim()));
    }
    if let Some(provider) = &filter.provider {
        select = select.filter(Column::Provider.eq(provider.trim()));
    }
    if let Some(marketplace) = filter.marketplace {
        select = select.filter(Column::Marketplace.eq(marketplace));
    }
    if let Some(q) = &query.q {
        select = select.filter(paging::search(q, &[Column::Sku, Column::Name, Column::Family, Column::Provider]));
    }
    let page = paging::fetch_page(store.db(), select, query, Column::Id).await?;
    let ids: Vec<i64> = page.items.iter().map(|p| p.id).collect();
    let services = product_services::of(store.db(), &ids).await?;
    paging::convert(page, |p| {
        let names = services.get(&p.id).cloned().unwrap_or_default();
        product_to_wire(p, names)
    })
}

/// One product of the caller's catalog.
pub async fn get_product(store: &Store, scope: &Scope, id: i64) -> Result<Product, StoreError> {
    let product = find_product(store, scope, id).await?;
    let names = product_services::of(store.db(), &[product.id]).await?.remove(&product.id).unwrap_or_default();
    product_to_wire(product, names)
}

pub(crate) async fn find_product(store: &Store, scope: &Scope, id: i64) -> Result<product::Model, StoreError> {
    product::Entity::find_by_id(id)
        .filter(product::Column::TenantId.eq(scope.tenant_id))
        .one(store.db())
        .await?
        .ok_or(StoreError::NotFound)
}

fn check_product_text(
    v: &mut Violations,
    sku: Option<&str>,
    name: Option<&str>,
    family: Option<&str>,
    provider: Option<&str>,
) {
    if let Some(sku) = sku {
        v.text("sku", sku, 128);
    }
    for (field, value) in [("name", name), ("family", family), ("provider", provider)] {
        if let Some(value) = value {
            v.text(field, value, 200);
        }
    }
}

/// Adds a product to the caller's catalog.
pub async fn create_product(store: &Store, scope: &Scope, new: NewProduct) -> Result<Product, StoreError> {
    if !scope.owns_catalog() {
        return Err(StoreError::Forbidden(CATALOG_OWNER_ONLY));
    }
    let mut v = Violations::default();
    check_product_text(&mut v, Some(&new.sku), Some(&new.name), Some(&new.family), Some(&new.provider));
    v.finish().map_err(StoreError::Invalid)?;
    let services = product_services::check(new.service_names.as_deref().unwrap_or_default())?;
    let now = clock::now();
    let model = product::ActiveModel {
        tenant_id: Set(scope.tenant_id),
        sku: Set(new.sku.trim().to_owned()),
        name: Set(new.name.trim().to_owned()),
        family: Set(new.family.trim().to_owned()),
        provider: Set(new.provider.trim().to_owned()),
        billing_model: Set(new.billing_model.as_str().to_owned()),
        marketplace: Set(new.marketplace),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    // The lines already imported with this SKU, or of these services, take the product, in the
    // same transaction.
    let txn = store.write().await?;
    let product = model.insert(&txn).await?;
    product_services::set(&txn, product.tenant_id, product.id, &services).await?;
    unmapped::map_sku(&txn, product.tenant_id, &product.sku, product.id).await?;
    unmapped::map_services(&txn, product.tenant_id, &services, product.id).await?;
    txn.commit().await?;
    product_to_wire(product, services)
}

/// Changes a product of the caller's catalog.
pub async fn update_product(store: &Store, scope: &Scope, id: i64, patch: ProductPatch) -> Result<Product, StoreError> {
    let current = find_product(store, scope, id).await?;
    if !scope.owns_catalog() {
        return Err(StoreError::Forbidden(CATALOG_OWNER_ONLY));
    }
    let mut v = Violations::default();
    check_product_text(
        &mut v,
        patch.sku.as_deref(),
        patch.name.as_deref(),
        patch.family.as_deref(),
        patch.provider.as_deref(),
    );
    v.finish().map_err(StoreError::Invalid)?;
    let mut model = current.into_active_model();
    if let Some(sku) = patch.sku {
        model.sku = Set(sku.trim().to_owned());
    }
    if let Some(name) = patch.name {
        model.name = Set(name.trim().to_owned());
    }
    if let Some(family) = patch.family {
        model.family = Set(family.trim().to_owned());
    }
    if let Some(provider) = patch.provider {
        model.provider = Set(provider.trim().to_owned());
    }
    if let Some(billing_model) = patch.billing_model {
        model.billing_model = Set(billing_model.as_str().to_owned());
    }
    if let Some(marketplace) = patch.marketplace {
        model.marketplace = Set(marketplace);
    }
    model.updated_at = Set(clock::now());
    let services = patch.service_names.as_deref().map(product_services::check).transpose()?;
    let sku_changed = model.sku.is_set();
    let txn = store.write().await?;
    let product = model.update(&txn).await?;
    // A new SKU, or a service newly covered, may be one lines were imported with.
    if sku_changed {
        unmapped::map_sku(&txn, product.tenant_id, &product.sku, product.id).await?;
    }
    if let Some(services) = &services {
        product_services::set(&txn, product.tenant_id, product.id, services).await?;
        unmapped::map_services(&txn, product.tenant_id, services, product.id).await?;
    }
    let names = match services {
        Some(services) => services,
        None => product_services::of(&txn, &[product.id]).await?.remove(&product.id).unwrap_or_default(),
    };
    txn.commit().await?;
    product_to_wire(product, names)
}

fn product_to_wire(m: product::Model, service_names: Vec<String>) -> Result<Product, StoreError> {
    Ok(Product {
        id: m.id,
        sku: m.sku,
        name: m.name,
        family: m.family,
        provider: m.provider,
        billing_model: stored::parse(&m.billing_model, "products.billing_model")?,
        marketplace: m.marketplace,
        service_names,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// Service plans of the caller's catalog.
pub async fn list_plans(
    store: &Store,
    scope: &Scope,
    filter: &ServicePlanFilter,
    query: &ListQuery,
) -> Result<Page<ServicePlan>, StoreError> {
    use service_plan::Column;
    let mut select = service_plan::Entity::find().filter(Column::TenantId.eq(scope.tenant_id));
    if let Some(product_id) = filter.product_id {
        select = select.filter(Column::ProductId.eq(product_id));
    }
    if let Some(enabled) = filter.enabled {
        select = select.filter(Column::Enabled.eq(enabled));
    }
    if let Some(interval) = filter.billing_interval {
        select = select.filter(Column::BillingInterval.eq(interval.as_str()));
    }
    if let Some(q) = &query.q {
        select = select.filter(paging::search(q, &[Column::Code, Column::Name]));
    }
    // Prices are stored as text, which would sort "100" before "20": sort them in Rust.
    if query.sort.is_some_and(|s| s.field == "price") {
        return list_plans_by_price(store, select, query).await;
    }
    let page = paging::fetch_page(store.db(), select, query, Column::Id).await?;
    paging::convert(page, plan_to_wire)
}

async fn list_plans_by_price(
    store: &Store,
    select: sea_orm::Select<service_plan::Entity>,
    query: &ListQuery,
) -> Result<Page<ServicePlan>, StoreError> {
    let mut plans = select.all(store.db()).await?.into_iter().map(plan_to_wire).collect::<Result<Vec<_>, _>>()?;
    plans.sort_by(|a, b| a.price.cmp(&b.price).then(a.id.cmp(&b.id)));
    if query.sort.is_some_and(|s| s.descending) {
        plans.reverse();
    }
    let total = plans.len() as u64;
    let skip = usize::try_from((query.page - 1).saturating_mul(query.per_page)).unwrap_or(usize::MAX);
    let items = plans.into_iter().skip(skip).take(query.per_page as usize).collect();
    Ok(Page { items, total, page: query.page, per_page: query.per_page })
}

/// One plan of the caller's catalog.
pub async fn get_plan(store: &Store, scope: &Scope, id: i64) -> Result<ServicePlan, StoreError> {
    plan_to_wire(find_plan(store, scope, id).await?)
}

pub(crate) async fn find_plan(store: &Store, scope: &Scope, id: i64) -> Result<service_plan::Model, StoreError> {
    service_plan::Entity::find_by_id(id)
        .filter(service_plan::Column::TenantId.eq(scope.tenant_id))
        .one(store.db())
        .await?
        .ok_or(StoreError::NotFound)
}

fn check_plan(v: &mut Violations, code: Option<&str>, name: Option<&str>, price: Option<Decimal>) {
    if let Some(code) = code {
        v.text("code", code, 128);
    }
    if let Some(name) = name {
        v.text("name", name, 200);
    }
    if price.is_some_and(|p| p.is_sign_negative() && !p.is_zero()) {
        v.add("price", "must not be negative");
    }
}

/// Adds a plan to a product of the caller's catalog.
pub async fn create_plan(store: &Store, scope: &Scope, new: NewServicePlan) -> Result<ServicePlan, StoreError> {
    if !scope.owns_catalog() {
        return Err(StoreError::Forbidden(CATALOG_OWNER_ONLY));
    }
    let mut v = Violations::default();
    check_plan(&mut v, Some(&new.code), Some(&new.name), Some(new.price));
    v.finish().map_err(StoreError::Invalid)?;
    let product = find_product(store, scope, new.product_id)
        .await
        .map_err(|_| StoreError::invalid("product_id", "is not a product of your catalog"))?;
    let now = clock::now();
    let model = service_plan::ActiveModel {
        tenant_id: Set(scope.tenant_id),
        product_id: Set(product.id),
        code: Set(new.code.trim().to_owned()),
        name: Set(new.name.trim().to_owned()),
        price: Set(new.price.to_string()),
        currency: Set(new.currency.into()),
        billing_interval: Set(new.billing_interval.as_str().to_owned()),
        enabled: Set(new.enabled.unwrap_or(true)),
        refundable: Set(new.refundable.unwrap_or(false)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    plan_to_wire(model.insert(store.db()).await?)
}

/// Changes a plan of the caller's catalog.
pub async fn update_plan(
    store: &Store,
    scope: &Scope,
    id: i64,
    patch: ServicePlanPatch,
) -> Result<ServicePlan, StoreError> {
    let current = find_plan(store, scope, id).await?;
    if !scope.owns_catalog() {
        return Err(StoreError::Forbidden(CATALOG_OWNER_ONLY));
    }
    let mut v = Violations::default();
    check_plan(&mut v, patch.code.as_deref(), patch.name.as_deref(), patch.price);
    v.finish().map_err(StoreError::Invalid)?;
    let mut model = current.into_active_model();
    if let Some(code) = patch.code {
        model.code = Set(code.trim().to_owned());
    }
    if let Some(name) = patch.name {
        model.name = Set(name.trim().to_owned());
    }
    if let Some(price) = patch.price {
        model.price = Set(price.to_string());
    }
    if let Some(currency) = patch.currency {
        model.currency = Set(currency.into());
    }
    if let Some(interval) = patch.billing_interval {
        model.billing_interval = Set(interval.as_str().to_owned());
    }
    if let Some(enabled) = patch.enabled {
        model.enabled = Set(enabled);
    }
    if let Some(refundable) = patch.refundable {
        model.refundable = Set(refundable);
    }
    model.updated_at = Set(clock::now());
    plan_to_wire(model.update(store.db()).await?)
}

pub(crate) fn plan_to_wire(m: service_plan::Model) -> Result<ServicePlan, StoreError> {
    Ok(ServicePlan {
        id: m.id,
        product_id: m.product_id,
        code: m.code,
        name: m.name,
        price: Some(stored::parse(&m.price, "service_plans.price")?),
        currency: stored::code(&m.currency, "service_plans.currency", CurrencyCode::parse)?,
        billing_interval: stored::parse(&m.billing_interval, "service_plans.billing_interval")?,
        enabled: m.enabled,
        refundable: m.refundable,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}
