//! The renewal job: every activation whose paid period has ended is renewed from the balance,
//! or expired (with an entry of 0 saying why) when the balance is short. Each renewal is its
//! own transaction under the reseller's lock and carries a key naming the period it pays, so
//! two jobs at once, or a job re-run after a crash, renew each period once.

use chrono::NaiveDate;
use domain::api::RenewalRun;
use domain::kinds::{BillingInterval, LedgerKind, LicenseStatus, SubscriptionStatus};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};

use super::activations::{paid_until, price};
use super::ledger::{Posting, by_key, lock, post};
use crate::entities::{organization, subscription};
use crate::{Store, StoreError, clock, stored};

/// Renews or expires what fell due on or before `today`.
pub async fn run(store: &Store, today: NaiveDate) -> Result<RenewalRun, StoreError> {
    let due = subscription::Entity::find()
        .filter(subscription::Column::PlanId.is_not_null())
        .filter(
            subscription::Column::Status
                .is_in([SubscriptionStatus::Active.as_str(), SubscriptionStatus::Cancelled.as_str()]),
        )
        .filter(subscription::Column::LicenseStatus.ne(LicenseStatus::Expired.as_str()))
        .filter(subscription::Column::EndDate.lt(today))
        .all(store.db())
        .await?;
    let mut run = RenewalRun::default();
    for sub in due {
        // Catch up interval by interval (a job that did not run for months), each once. One
        // activation that cannot be renewed does not hold up the others.
        loop {
            match renew_one(store, sub.id, today, &mut run).await {
                Ok(true) => continue,
                Ok(false) => break,
                Err(e) => {
                    tracing::warn!(subscription = sub.id, error = %e, "renewal failed; retried on the next run");
                    run.failed += 1;
                    break;
                }
            }
        }
    }
    Ok(run)
}

/// One step for one activation; true when it moved on and may be due again.
async fn renew_one(store: &Store, id: i64, today: NaiveDate, run: &mut RenewalRun) -> Result<bool, StoreError> {
    let Some(peek) = subscription::Entity::find_by_id(id).one(store.db()).await? else { return Ok(false) };
    let txn = store.write().await?;
    lock(&txn, peek.reseller_id).await?;
    // Read again under the lock: another job may have renewed it meanwhile.
    let Some(sub) = subscription::Entity::find_by_id(id).one(&txn).await? else { return Ok(false) };
    let Some(end) = sub.end_date.filter(|end| *end < today) else { return Ok(false) };
    if sub.license_status == LicenseStatus::Expired.as_str() {
        return Ok(false);
    }
    let reseller = organization::Entity::find_by_id(sub.reseller_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    let mut model = sub.clone().into_active_model();
    model.updated_at = Set(clock::now());
    let status: SubscriptionStatus = stored::parse(&sub.status, "subscriptions.status")?;
    let renewed = if status == SubscriptionStatus::Cancelled {
        // Deactivated: the paid period is over, nothing renews.
        model.license_status = Set(LicenseStatus::Expired.as_str().into());
        run.ended += 1;
        false
    } else {
        let interval: BillingInterval = stored::parse(&sub.billing_interval, "subscriptions.billing_interval")?;
        let from = end.succ_opt().unwrap_or(end);
        let until = paid_until(from, interval);
        let key = format!("renewal:{}:{from}", sub.id);
        if by_key(&txn, reseller.id, Some(&key)).await?.is_some() {
            return Ok(false);
        }
        let amount = price(&sub)?;
        let posting = |kind, amount, reference: String, key: String| Posting {
            reseller: &reseller,
            kind,
            amount,
            subscription_id: Some(sub.id),
            reference: Some(reference),
            key: Some(key),
            created_by: None,
        };
        match post(&txn, posting(LedgerKind::Renewal, -amount, format!("renewed from {from} to {until}"), key)).await {
            Ok(_) => {
                model.end_date = Set(Some(until));
                run.renewed += 1;
                true
            }
            Err(StoreError::InsufficientBalance { balance: have, needed, currency }) => {
                let why =
                    format!("not renewed on {from}: the balance of {have} {currency} is short of {needed} {currency}");
                post(
                    &txn,
                    posting(LedgerKind::Renewal, rust_decimal::Decimal::ZERO, why, format!("expiry:{}:{from}", sub.id)),
                )
                .await?;
                model.status = Set(SubscriptionStatus::Expired.as_str().into());
                model.license_status = Set(LicenseStatus::Expired.as_str().into());
                run.expired += 1;
                false
            }
            Err(other) => return Err(other),
        }
    };
    model.update(&txn).await?;
    txn.commit().await?;
    Ok(renewed)
}
