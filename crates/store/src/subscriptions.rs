//! Subscriptions: scoped list, get, create and update.

use domain::api::{ListQuery, NewSubscription, Page, Subscription, SubscriptionFilter, SubscriptionPatch, Violations};
use domain::codes::CurrencyCode;
use domain::kinds::{LicenseStatus, OrgKind, SubscriptionStatus};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};

use crate::entities::subscription::{self, Column, Entity};
use crate::{Scope, Store, StoreError, catalog, clock, organizations, paging, stored};

/// Subscriptions in scope, filtered; `q` searches the assigned client.
pub async fn list(
    store: &Store,
    scope: &Scope,
    filter: &SubscriptionFilter,
    query: &ListQuery,
) -> Result<Page<Subscription>, StoreError> {
    let mut select = Entity::find().filter(scope.subscriptions());
    if let Some(customer_id) = filter.customer_id {
        select = select.filter(Column::CustomerId.eq(customer_id));
    }
    if let Some(reseller_id) = filter.reseller_id {
        select = select.filter(Column::ResellerId.eq(reseller_id));
    }
    if let Some(product_id) = filter.product_id {
        select = select.filter(Column::ProductId.eq(product_id));
    }
    if let Some(status) = filter.status {
        select = select.filter(Column::Status.eq(status.as_str()));
    }
    if let Some(q) = &query.q {
        select = select.filter(paging::search(q, &[Column::AssignedClient]));
    }
    let page = paging::fetch_page(store.db(), select, query, Column::Id).await?;
    paging::convert(page, to_wire)
}

/// One subscription in scope.
pub async fn get(store: &Store, scope: &Scope, id: i64) -> Result<Subscription, StoreError> {
    to_wire(find(store, scope, id).await?)
}

async fn find(store: &Store, scope: &Scope, id: i64) -> Result<subscription::Model, StoreError> {
    Entity::find_by_id(id).filter(scope.subscriptions()).one(store.db()).await?.ok_or(StoreError::NotFound)
}

fn check(v: &mut Violations, quantity: Option<i64>, unit_price: Option<Decimal>, assigned_client: Option<&str>) {
    if quantity.is_some_and(|q| q < 0) {
        v.add("quantity", "must not be negative");
    }
    if unit_price.is_some_and(|p| p < Decimal::ZERO) {
        v.add("unit_price", "must not be negative");
    }
    if assigned_client.is_some_and(|c| c.chars().count() > 254) {
        v.add("assigned_client", "must be at most 254 characters");
    }
}

/// Dates outside the years 1 to 9999 cannot be stored alike on both databases.
fn check_years(v: &mut Violations, start: Option<chrono::NaiveDate>, end: Option<chrono::NaiveDate>) {
    use chrono::Datelike;
    for (field, date) in [("start_date", start), ("end_date", end)] {
        if date.is_some_and(|d| !(1..=9999).contains(&d.year())) {
            v.add(field, "must be a date between the years 1 and 9999");
        }
    }
}

/// Creates a subscription for a customer in scope.
pub async fn create(store: &Store, scope: &Scope, new: NewSubscription) -> Result<Subscription, StoreError> {
    let mut v = Violations::default();
    check(&mut v, Some(new.quantity), new.unit_price, new.assigned_client.as_deref());
    if new.end_date.is_some_and(|end| end < new.start_date) {
        v.add("end_date", "must not be before start_date");
    }
    check_years(&mut v, Some(new.start_date), new.end_date);
    v.finish().map_err(StoreError::Invalid)?;

    let customer = organizations::find(store, scope, new.customer_id)
        .await
        .ok()
        .filter(|c| c.kind == OrgKind::Customer.as_str())
        .ok_or_else(|| StoreError::invalid("customer_id", "is not a customer you can see"))?;
    // The tree fixes a customer's reseller: its parent.
    let reseller_id =
        customer.parent_id.ok_or_else(|| StoreError::Corrupt(format!("customer {} has no parent", customer.id)))?;
    if new.reseller_id.is_some_and(|r| r != reseller_id) {
        return Err(StoreError::invalid("reseller_id", "must be the customer's reseller"));
    }
    let product = catalog::find_product(store, scope, new.product_id)
        .await
        .map_err(|_| StoreError::invalid("product_id", "is not a product of your catalog"))?;
    let plan = match new.plan_id {
        Some(plan_id) => {
            let plan = catalog::find_plan(store, scope, plan_id)
                .await
                .map_err(|_| StoreError::invalid("plan_id", "is not a plan of your catalog"))?;
            if plan.product_id != product.id {
                return Err(StoreError::invalid("plan_id", "is a plan of another product"));
            }
            Some(catalog::plan_to_wire(plan)?)
        }
        None => None,
    };
    let mut missing = Violations::default();
    let unit_price = new.unit_price.or(plan.as_ref().and_then(|p| p.price));
    let currency = new.currency.or(plan.as_ref().map(|p| p.currency.clone()));
    let interval = new.billing_interval.or(plan.as_ref().map(|p| p.billing_interval));
    for (field, absent) in [
        ("unit_price", unit_price.is_none()),
        ("currency", currency.is_none()),
        ("billing_interval", interval.is_none()),
    ] {
        if absent {
            missing.add(field, "is required when no plan_id is given");
        }
    }
    missing.finish().map_err(StoreError::Invalid)?;
    let (Some(unit_price), Some(currency), Some(interval)) = (unit_price, currency, interval) else {
        unreachable!("each was checked just above");
    };

    let now = clock::now();
    let license_status =
        new.license_status.unwrap_or(if new.trial { LicenseStatus::Trial } else { LicenseStatus::Active });
    let model = subscription::ActiveModel {
        tenant_id: Set(customer.tenant_id),
        customer_id: Set(customer.id),
        reseller_id: Set(reseller_id),
        product_id: Set(product.id),
        plan_id: Set(plan.as_ref().map(|p| p.id)),
        quantity: Set(new.quantity),
        unit_price: Set(unit_price.to_string()),
        currency: Set(currency.into()),
        billing_interval: Set(interval.as_str().to_owned()),
        status: Set(new.status.unwrap_or(SubscriptionStatus::Active).as_str().to_owned()),
        license_status: Set(license_status.as_str().to_owned()),
        trial: Set(new.trial),
        assigned_client: Set(new.assigned_client.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty())),
        start_date: Set(new.start_date),
        end_date: Set(new.end_date),
        created_at: Set(clock::stored(new.created_at.unwrap_or(now))),
        updated_at: Set(now),
        ..Default::default()
    };
    to_wire(model.insert(store.db()).await?)
}

/// Applies a partial update to a subscription in scope.
pub async fn update(
    store: &Store,
    scope: &Scope,
    id: i64,
    patch: SubscriptionPatch,
) -> Result<Subscription, StoreError> {
    let current = find(store, scope, id).await?;
    let mut v = Violations::default();
    check(&mut v, patch.quantity, patch.unit_price, patch.assigned_client.as_ref().and_then(|c| c.as_deref()));
    let start = patch.start_date.unwrap_or(current.start_date);
    let end = patch.end_date.unwrap_or(current.end_date);
    if end.is_some_and(|end| end < start) {
        v.add("end_date", "must not be before start_date");
    }
    check_years(&mut v, Some(start), end);
    v.finish().map_err(StoreError::Invalid)?;
    if let Some(Some(plan_id)) = patch.plan_id {
        let plan = catalog::find_plan(store, scope, plan_id)
            .await
            .map_err(|_| StoreError::invalid("plan_id", "is not a plan of your catalog"))?;
        if plan.product_id != current.product_id {
            return Err(StoreError::invalid("plan_id", "is a plan of another product"));
        }
    }
    let mut model = current.into_active_model();
    if let Some(plan_id) = patch.plan_id {
        model.plan_id = Set(plan_id);
    }
    if let Some(quantity) = patch.quantity {
        model.quantity = Set(quantity);
    }
    if let Some(price) = patch.unit_price {
        model.unit_price = Set(price.to_string());
    }
    if let Some(currency) = patch.currency {
        model.currency = Set(currency.into());
    }
    if let Some(interval) = patch.billing_interval {
        model.billing_interval = Set(interval.as_str().to_owned());
    }
    if let Some(status) = patch.status {
        model.status = Set(status.as_str().to_owned());
    }
    if let Some(license_status) = patch.license_status {
        model.license_status = Set(license_status.as_str().to_owned());
    }
    if let Some(trial) = patch.trial {
        model.trial = Set(trial);
    }
    if let Some(client) = patch.assigned_client {
        model.assigned_client = Set(client.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()));
    }
    model.start_date = Set(start);
    model.end_date = Set(end);
    model.updated_at = Set(clock::now());
    to_wire(model.update(store.db()).await?)
}

fn to_wire(m: subscription::Model) -> Result<Subscription, StoreError> {
    Ok(Subscription {
        id: m.id,
        customer_id: m.customer_id,
        reseller_id: m.reseller_id,
        product_id: m.product_id,
        plan_id: m.plan_id,
        quantity: m.quantity,
        unit_price: Some(stored::parse(&m.unit_price, "subscriptions.unit_price")?),
        currency: stored::code(&m.currency, "subscriptions.currency", CurrencyCode::parse)?,
        billing_interval: stored::parse(&m.billing_interval, "subscriptions.billing_interval")?,
        status: stored::parse(&m.status, "subscriptions.status")?,
        license_status: stored::parse(&m.license_status, "subscriptions.license_status")?,
        trial: m.trial,
        assigned_client: m.assigned_client,
        start_date: m.start_date,
        end_date: m.end_date,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}
