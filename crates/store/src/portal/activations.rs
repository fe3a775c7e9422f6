//! Activations: a product activated for a client and paid one interval at a time from the
//! balance, then renewed, paused, resumed or deactivated. An activation is a subscription with
//! a plan whose `end_date` is the last paid day.

use chrono::{Days, Months, NaiveDate, Utc};
use domain::api::{Activation, ActivationDetail, ActivationFilter, ListQuery, NewActivation, Page};
use domain::codes::Email;
use domain::kinds::{BillingInterval, LedgerKind, LicenseStatus, OrgKind, SubscriptionStatus};
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder,
};
use std::collections::HashMap;

use super::ledger::{self, Posting, by_key, check_key, lock, post};
use super::{balance_currency, reseller_of};
use crate::entities::{ledger_entry, organization, product, service_plan, subscription};
use crate::{Scope, Store, StoreError, clock, paging, stored};

/// The last day paid by one interval starting on `from`.
pub fn paid_until(from: NaiveDate, interval: BillingInterval) -> NaiveDate {
    from.checked_add_months(Months::new(interval.months()))
        .and_then(|d| d.checked_sub_days(Days::new(1)))
        .unwrap_or(from)
}

/// One interval's price: unit price × quantity.
pub(crate) fn price(sub: &subscription::Model) -> Result<Decimal, StoreError> {
    let unit: Decimal = stored::parse(&sub.unit_price, "subscriptions.unit_price")?;
    unit.checked_mul(Decimal::from(sub.quantity)).ok_or_else(|| StoreError::invalid("quantity", "is too large"))
}

/// The wire form, with the product's name.
fn to_wire(sub: &subscription::Model, product_name: &str) -> Result<Activation, StoreError> {
    let status: SubscriptionStatus = stored::parse(&sub.status, "subscriptions.status")?;
    Ok(Activation {
        id: sub.id,
        product_id: sub.product_id,
        product_name: product_name.to_owned(),
        plan_id: sub.plan_id,
        customer_id: sub.customer_id,
        assigned_client: sub.assigned_client.clone(),
        quantity: sub.quantity,
        price_per_interval: Some(price(sub)?),
        currency: stored::code(&sub.currency, "subscriptions.currency", domain::codes::CurrencyCode::parse)?,
        billing_interval: stored::parse(&sub.billing_interval, "subscriptions.billing_interval")?,
        status,
        activated_on: sub.start_date,
        paid_until: sub.end_date,
        next_renewal: if status == SubscriptionStatus::Active { sub.end_date.and_then(|d| d.succ_opt()) } else { None },
    })
}

async fn product_names(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, String>, StoreError> {
    let ids: Vec<i64> = ids.collect();
    Ok(product::Entity::find()
        .filter(product::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

async fn wire_one(db: &impl ConnectionTrait, sub: &subscription::Model) -> Result<Activation, StoreError> {
    let names = product_names(db, std::iter::once(sub.product_id)).await?;
    to_wire(sub, names.get(&sub.product_id).map(String::as_str).unwrap_or_default())
}

/// The client an activation is for: a customer of the reseller, named by id or by the domain
/// of the client's e-mail.
async fn client(
    db: &impl ConnectionTrait,
    reseller: &organization::Model,
    new: &NewActivation,
) -> Result<(organization::Model, Option<String>), StoreError> {
    let email = match new.client_email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => Some(Email::parse(e).map_err(|err| StoreError::invalid("client_email", err.to_string()))?),
        None => None,
    };
    let customers = organization::Entity::find()
        .filter(organization::Column::ParentId.eq(reseller.id))
        .filter(organization::Column::Kind.eq(OrgKind::Customer.as_str()));
    let customer = match (new.customer_id, &email) {
        (Some(id), _) => customers.filter(organization::Column::Id.eq(id)).one(db).await?,
        (None, Some(email)) => {
            let domain = email.as_str().rsplit('@').next().unwrap_or_default().to_ascii_lowercase();
            customers
                .filter(organization::Column::Domain.eq(domain))
                .order_by_asc(organization::Column::Id)
                .one(db)
                .await?
        }
        (None, None) => return Err(StoreError::invalid("customer_id", "name the client: customer_id or client_email")),
    };
    let customer = customer.ok_or_else(|| {
        StoreError::invalid(
            if new.customer_id.is_some() { "customer_id" } else { "client_email" },
            "is not one of your customers",
        )
    })?;
    let assigned = email.map(|e| e.as_str().to_owned()).or_else(|| Some(customer.name.clone()));
    Ok((customer, assigned))
}

/// Activates a plan for a client of the reseller in scope (a distributor names the reseller):
/// debits one interval and creates the subscription, in one transaction; a retry with the same
/// key answers the first activation.
pub async fn activate(
    store: &Store,
    scope: &Scope,
    reseller_id: Option<i64>,
    new: NewActivation,
    key: Option<&str>,
    created_by: Option<i64>,
) -> Result<(Activation, bool), StoreError> {
    let key = check_key(key)?;
    if !(1..=1_000_000).contains(&new.quantity) {
        return Err(StoreError::invalid("quantity", "must be from 1 to 1,000,000"));
    }
    let reseller = reseller_of(store.db(), scope, reseller_id).await?;
    let txn = store.write().await?;
    lock(&txn, reseller.id).await?;
    if let Some(first) = by_key(&txn, reseller.id, key.as_deref()).await? {
        return Ok((replay(&txn, &first).await?, false));
    }
    let plan = service_plan::Entity::find_by_id(new.plan_id)
        .filter(service_plan::Column::TenantId.eq(scope.tenant_id))
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::invalid("plan_id", "is not a plan of your catalog"))?;
    if !plan.enabled {
        return Err(StoreError::invalid("plan_id", "is not enabled"));
    }
    let currency = balance_currency(&reseller);
    if plan.currency != currency {
        return Err(StoreError::invalid(
            "plan_id",
            format!("is priced in {}, and your balance is in {currency}", plan.currency),
        ));
    }
    let (customer, assigned) = client(&txn, &reseller, &new).await?;
    let interval: BillingInterval = stored::parse(&plan.billing_interval, "service_plans.billing_interval")?;
    let today = Utc::now().date_naive();
    let now = clock::now();
    let sub = subscription::ActiveModel {
        tenant_id: Set(reseller.tenant_id),
        customer_id: Set(customer.id),
        reseller_id: Set(reseller.id),
        product_id: Set(plan.product_id),
        plan_id: Set(Some(plan.id)),
        quantity: Set(new.quantity),
        unit_price: Set(plan.price.clone()),
        currency: Set(plan.currency.clone()),
        billing_interval: Set(plan.billing_interval.clone()),
        status: Set(SubscriptionStatus::Active.as_str().into()),
        license_status: Set(LicenseStatus::Active.as_str().into()),
        trial: Set(false),
        assigned_client: Set(assigned),
        start_date: Set(today),
        end_date: Set(Some(paid_until(today, interval))),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let amount = price(&sub)?;
    post(
        &txn,
        Posting {
            reseller: &reseller,
            kind: LedgerKind::Activation,
            amount: -amount,
            subscription_id: Some(sub.id),
            reference: Some(format!("{} × {} for {}", plan.name, sub.quantity, customer.name)),
            key,
            created_by,
        },
    )
    .await?;
    let wire = wire_one(&txn, &sub).await?;
    txn.commit().await?;
    Ok((wire, true))
}

/// The activation a stored entry paid for: what a retry answers.
async fn replay(db: &DatabaseTransaction, entry: &ledger_entry::Model) -> Result<Activation, StoreError> {
    let sub = subscription::Entity::find_by_id(entry.subscription_id.unwrap_or_default())
        .one(db)
        .await?
        .ok_or_else(|| StoreError::Conflict("the Idempotency-Key was used for another kind of request".into()))?;
    wire_one(db, &sub).await
}

/// What a change of an activation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Pay one more interval and move the paid-until date.
    Renew,
    /// Stop renewing for now.
    Pause,
    /// Renew again.
    Resume,
    /// Stop renewing at the end of the paid period (refunding the unused days when the plan
    /// is refundable).
    Deactivate,
}

/// Applies a change to an activation of the reseller in scope (a distributor names the
/// reseller); money-moving changes take a key.
pub async fn change(
    store: &Store,
    scope: &Scope,
    reseller_id: Option<i64>,
    id: i64,
    what: Change,
    key: Option<&str>,
    created_by: Option<i64>,
) -> Result<Activation, StoreError> {
    let key = check_key(key)?;
    let reseller = reseller_of(store.db(), scope, reseller_id).await?;
    let txn = store.write().await?;
    lock(&txn, reseller.id).await?;
    if let Some(first) = by_key(&txn, reseller.id, key.as_deref()).await? {
        return replay(&txn, &first).await;
    }
    let sub = subscription::Entity::find_by_id(id)
        .filter(subscription::Column::ResellerId.eq(reseller.id))
        .filter(subscription::Column::PlanId.is_not_null())
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let status: SubscriptionStatus = stored::parse(&sub.status, "subscriptions.status")?;
    let interval: BillingInterval = stored::parse(&sub.billing_interval, "subscriptions.billing_interval")?;
    let today = Utc::now().date_naive();
    let conflict = |why: &str| Err(StoreError::Conflict(why.to_owned()));
    let mut model = sub.clone().into_active_model();
    model.updated_at = Set(clock::now());
    match (what, status) {
        (Change::Renew, SubscriptionStatus::Cancelled) => return conflict("a deactivated activation is not renewed"),
        (Change::Renew, _) => {
            // An expired activation starts a new period today; a running one extends its own.
            let from = match (status, sub.end_date.and_then(|end| end.succ_opt())) {
                (SubscriptionStatus::Expired, _) | (_, None) => today,
                (_, Some(next)) => next,
            };
            let until = paid_until(from, interval);
            post(
                &txn,
                Posting {
                    reseller: &reseller,
                    kind: LedgerKind::Renewal,
                    amount: -price(&sub)?,
                    subscription_id: Some(sub.id),
                    reference: Some(format!("renewed from {from} to {until}")),
                    key,
                    created_by,
                },
            )
            .await?;
            model.end_date = Set(Some(until));
            if status == SubscriptionStatus::Expired {
                model.status = Set(SubscriptionStatus::Active.as_str().into());
                model.license_status = Set(LicenseStatus::Active.as_str().into());
            }
        }
        (Change::Pause, SubscriptionStatus::Active) => model.status = Set(SubscriptionStatus::Paused.as_str().into()),
        (Change::Pause, _) => return conflict("the activation is not active, so it cannot be paused"),
        (Change::Resume, SubscriptionStatus::Paused) => {
            model.status = Set(SubscriptionStatus::Active.as_str().into());
            // Paused past its paid period: the next interval starts today, not back when the
            // period ended (a pause is not charged).
            if let Some(yesterday) = today.pred_opt()
                && sub.end_date.is_some_and(|end| end < yesterday)
            {
                model.end_date = Set(Some(yesterday));
            }
        }
        (Change::Resume, _) => return conflict("the activation is not paused, so it cannot be resumed"),
        (Change::Deactivate, SubscriptionStatus::Active | SubscriptionStatus::Paused) => {
            model.status = Set(SubscriptionStatus::Cancelled.as_str().into());
            let plan = service_plan::Entity::find_by_id(sub.plan_id.unwrap_or_default()).one(&txn).await?;
            if let (Some(plan), Some(end)) = (plan, sub.end_date)
                && plan.refundable
                && end > today
            {
                // The unused whole days of the paid interval, pro rata, to the cent.
                let start = end.checked_sub_months(Months::new(interval.months())).unwrap_or(end);
                let period = Decimal::from((end - start).num_days().max(1));
                let unused = Decimal::from((end - today).num_days());
                let refund =
                    (price(&sub)? * unused / period).round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
                if refund > Decimal::ZERO {
                    post(
                        &txn,
                        Posting {
                            reseller: &reseller,
                            kind: LedgerKind::Refund,
                            amount: refund,
                            subscription_id: Some(sub.id),
                            reference: Some(format!("{unused} unused days after {today}")),
                            key,
                            created_by,
                        },
                    )
                    .await?;
                    model.end_date = Set(Some(today));
                }
            }
        }
        (Change::Deactivate, _) => return conflict("the activation is already deactivated or expired"),
    }
    let updated = model.update(&txn).await?;
    let wire = wire_one(&txn, &updated).await?;
    txn.commit().await?;
    Ok(wire)
}

/// Activations of the reseller in scope.
pub async fn list(
    store: &Store,
    scope: &Scope,
    reseller_id: Option<i64>,
    filter: &ActivationFilter,
    query: &ListQuery,
) -> Result<Page<Activation>, StoreError> {
    use subscription::Column;
    let reseller = reseller_of(store.db(), scope, reseller_id).await?;
    let mut select =
        subscription::Entity::find().filter(Column::ResellerId.eq(reseller.id)).filter(Column::PlanId.is_not_null());
    if let Some(status) = filter.status {
        select = select.filter(Column::Status.eq(status.as_str()));
    }
    if let Some(id) = filter.product_id {
        select = select.filter(Column::ProductId.eq(id));
    }
    if let Some(id) = filter.customer_id {
        select = select.filter(Column::CustomerId.eq(id));
    }
    if let Some(q) = &query.q {
        select = select.filter(paging::search(q, &[Column::AssignedClient]));
    }
    let page = paging::fetch_page(store.db(), select, query, Column::Id).await?;
    let names = product_names(store.db(), page.items.iter().map(|s| s.product_id)).await?;
    paging::convert(page, |s| to_wire(&s, names.get(&s.product_id).map(String::as_str).unwrap_or_default()))
}

/// One activation with its ledger entries.
pub async fn get(
    store: &Store,
    scope: &Scope,
    reseller_id: Option<i64>,
    id: i64,
) -> Result<ActivationDetail, StoreError> {
    let reseller = reseller_of(store.db(), scope, reseller_id).await?;
    let sub = subscription::Entity::find_by_id(id)
        .filter(subscription::Column::ResellerId.eq(reseller.id))
        .filter(subscription::Column::PlanId.is_not_null())
        .one(store.db())
        .await?
        .ok_or(StoreError::NotFound)?;
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::ResellerId.eq(reseller.id))
        .filter(ledger_entry::Column::SubscriptionId.eq(id))
        .order_by_asc(ledger_entry::Column::Id)
        .all(store.db())
        .await?;
    Ok(ActivationDetail {
        activation: wire_one(store.db(), &sub).await?,
        ledger: Some(entries.into_iter().map(ledger::to_wire).collect::<Result<_, _>>()?),
    })
}
