//! The portal's statistics: active users and software, the balance, recurring costs by
//! interval, and whether the balance covers the renewals of the next 30 days.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use domain::api::{PortalSummary, RecurringCost};
use domain::kinds::{BillingInterval, SubscriptionStatus};
use domain::metrics::reported;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::activations::{paid_until, price};
use super::activity::distinct_users;
use super::ledger::balance;
use super::{balance_currency, reseller_of};
use crate::entities::subscription;
use crate::{Scope, Store, StoreError, stored};

/// The summary of the reseller in scope on `as_of`.
pub async fn portal_summary(
    store: &Store,
    scope: &Scope,
    reseller_id: Option<i64>,
    as_of: NaiveDate,
) -> Result<PortalSummary, StoreError> {
    let reseller = reseller_of(store.db(), scope, reseller_id).await?;
    let currency = balance_currency(&reseller);
    let balance = balance(store.db(), reseller.id).await?;
    let active = subscription::Entity::find()
        .filter(subscription::Column::ResellerId.eq(reseller.id))
        .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.as_str()))
        .filter(subscription::Column::StartDate.lte(as_of))
        .all(store.db())
        .await?;
    let window_end = as_of + Days::new(30);
    let mut by_interval: BTreeMap<u32, (BillingInterval, u64, Decimal, Option<NaiveDate>)> = BTreeMap::new();
    let mut due = Decimal::ZERO;
    let too_large = || StoreError::invalid("as_of", "the recurring costs are too large to add up");
    for sub in &active {
        // Recurring costs are what the balance pays: activations in its currency.
        if sub.currency != currency {
            continue;
        }
        let interval: BillingInterval = stored::parse(&sub.billing_interval, "subscriptions.billing_interval")?;
        let price = price(sub)?;
        let next = sub.end_date.and_then(|d| d.succ_opt());
        let entry = by_interval.entry(interval.months()).or_insert((interval, 0, Decimal::ZERO, None));
        entry.1 += 1;
        entry.2 = entry.2.checked_add(price).ok_or_else(too_large)?;
        entry.3 = match (entry.3, next) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        // Every renewal falling in (as_of, as_of + 30 days] of a plan-paid activation.
        if sub.plan_id.is_some() {
            let mut renewal = next;
            while let Some(day) = renewal.filter(|d| *d <= window_end) {
                if day > as_of {
                    due = due.checked_add(price).ok_or_else(too_large)?;
                }
                renewal = paid_until(day, interval).succ_opt().filter(|n| *n > day);
            }
        }
    }
    let recurring =
        [BillingInterval::Monthly, BillingInterval::Quarterly, BillingInterval::Semiannual, BillingInterval::Annual]
            .into_iter()
            .map(|interval| {
                let (_, count, total, next) =
                    by_interval.get(&interval.months()).cloned().unwrap_or((interval, 0, Decimal::ZERO, None));
                RecurringCost {
                    interval,
                    count,
                    total_per_interval: Some(reported(total)),
                    monthly_equivalent: Some(reported(total / Decimal::from(interval.months()))),
                    next_renewal: next,
                }
            })
            .collect();
    Ok(PortalSummary {
        as_of,
        reseller_id: reseller.id,
        active_users: distinct_users(store, reseller.id, as_of - Days::new(29), as_of).await?,
        active_software: active.len() as u64,
        balance: Some(reported(balance)),
        currency: domain::codes::CurrencyCode::parse(&currency)
            .map_err(|e| StoreError::Corrupt(format!("organizations.balance_currency: {e}")))?,
        recurring,
        due_next_30_days: Some(reported(due)),
        low_balance: Some(balance < due),
    })
}
