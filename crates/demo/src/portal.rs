//! The reseller portal: every trading reseller with customers gets a top-up, a few
//! activations paid from its balance and six months of its customers' user activity, all
//! through the portal's own functions, so that the ledger explains each balance exactly as it
//! would for real data.

use chrono::Days;
use domain::api::{ActivityBatch, NewActivation, NewTopUp, Organization, UserActivity};
use domain::kinds::{OrgKind, OrgStatus};
use rust_decimal::Decimal;
use store::portal::{activations, activity, ledger};
use store::{Scope, Store, StoreError, admin};

use crate::Dates;
use crate::catalog::Catalog;
use crate::rng::Lcg;

/// The seed of the portal's random stream.
const PORTAL_SEED: u64 = 2026;
/// A reseller's portal is about its first open customers, this many.
const PORTAL_CUSTOMERS: usize = 5;
/// A reseller tops up this much, in its balance's currency...
const TOP_UP: i64 = 20_000;
/// ... except one reseller in eight (the eighth, sixteenth, ...) ...
const THIN_BALANCE_EVERY: usize = 8;
/// ... which keeps a thin balance, so that the low-balance warning shows.
const THIN_TOP_UP: i64 = 150;
/// Top-ups' payment references count up from this number.
const FIRST_PAYMENT_REFERENCE: usize = 1000;
/// A reseller activates at most this many plans of its currency...
const ACTIVATIONS: usize = 4;
/// ... going through them this many plans apart, so that resellers activate different ones...
const PLAN_STEP: usize = 3;
/// ... for 1 to this many seats.
const MAX_SEATS: u64 = 15;
/// Each of the portal's customers has at least this many users...
const MIN_USERS: u64 = 3;
/// ... plus fewer than this many more.
const EXTRA_USERS: u64 = 5;
/// Users' activity goes back this many days (six months)...
const ACTIVITY_DAYS: u64 = 182;
/// ... each user active on about two days in five.
const ACTIVE_DAYS: (u64, u64) = (2, 5);

/// Writes the portal's data of every open reseller that has open customers.
pub(crate) async fn write(
    store: &Store,
    distributor: &Scope,
    dates: &Dates,
    resellers: &[Organization],
    customers: &[Organization],
    catalog: &Catalog,
) -> Result<(), StoreError> {
    let mut rng = Lcg::new(PORTAL_SEED);
    let open = |o: &&Organization| o.status == OrgStatus::Active;
    let mut items = Vec::new();
    for (n, reseller) in resellers.iter().filter(open).enumerate() {
        let theirs: Vec<i64> = customers
            .iter()
            .filter(open)
            .filter(|c| c.parent_id == Some(reseller.id))
            .take(PORTAL_CUSTOMERS)
            .map(|c| c.id)
            .collect();
        if theirs.is_empty() {
            continue;
        }
        let currency = reseller.balance_currency.as_ref().map_or("USD", |c| c.as_str());
        let amount = Decimal::from(if n % THIN_BALANCE_EVERY == THIN_BALANCE_EVERY - 1 { THIN_TOP_UP } else { TOP_UP });
        let top_up = NewTopUp {
            reseller_id: Some(reseller.id),
            amount,
            payment_reference: format!("Bank transfer NW-{:05}", FIRST_PAYMENT_REFERENCE + n),
        };
        ledger::top_up(store, distributor, top_up, Some(&format!("demo-top-up-{}", reseller.id)), None).await?;
        let scope = admin::scope_of(store, reseller.id).await?;
        debug_assert_eq!(scope.kind, OrgKind::Reseller);
        let mine: Vec<i64> = catalog.plans.iter().filter(|p| p.currency.as_str() == currency).map(|p| p.id).collect();
        for k in 0..mine.len().min(ACTIVATIONS) {
            let new = NewActivation {
                plan_id: mine[(n + k * PLAN_STEP) % mine.len()],
                quantity: 1 + rng.below(MAX_SEATS) as i64,
                customer_id: Some(theirs[k % theirs.len()]),
                client_email: None,
            };
            let key = format!("demo-activation-{}-{k}", reseller.id);
            match activations::activate(store, &scope, None, new, Some(&key), None).await {
                // A thin balance pays for few activations: the rest are refused, as they would be.
                Ok(_) | Err(StoreError::InsufficientBalance { .. }) => {}
                Err(other) => return Err(other),
            }
        }
        for (c, customer) in theirs.iter().enumerate() {
            for u in 0..(MIN_USERS + rng.below(EXTRA_USERS)) {
                for back in 0..ACTIVITY_DAYS {
                    if rng.below(ACTIVE_DAYS.1) < ACTIVE_DAYS.0 {
                        items.push(UserActivity {
                            customer_id: *customer,
                            user_email: format!("user{u}.c{c}@client{customer}.example"),
                            day: dates.today - Days::new(back),
                        });
                    }
                }
            }
        }
    }
    for batch in items.chunks(activity::MAX_BATCH) {
        activity::record(store, distributor, ActivityBatch { items: batch.to_vec() }).await?;
    }
    Ok(())
}
