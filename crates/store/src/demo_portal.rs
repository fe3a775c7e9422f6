//! The demo's portal: every trading reseller gets a top-up, a few activations paid from its
//! balance and six months of user activity, all through the portal's own functions (so the
//! ledger explains each balance exactly as it would for real data).

use chrono::{DateTime, Days, Utc};
use domain::api::{ActivityBatch, NewActivation, NewTopUp, UserActivity};
use domain::kinds::{OrgKind, OrgStatus};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{organization, service_plan};
use crate::portal::{activations, activity, ledger};
use crate::{Scope, Store, StoreError};

/// A small deterministic generator: the same demo every time.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Seeds the portal of every trading reseller of the tree.
pub(crate) async fn seed(store: &Store, tenant: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut rng = Lcg(2026);
    let distributor = Scope { org_id: tenant, kind: OrgKind::Distributor, tenant_id: tenant };
    let resellers = organization::Entity::find()
        .filter(organization::Column::TenantId.eq(tenant))
        .filter(organization::Column::Kind.eq(OrgKind::Reseller.as_str()))
        .filter(organization::Column::Status.eq(OrgStatus::Active.as_str()))
        .order_by_asc(organization::Column::Id)
        .all(store.db())
        .await?;
    let plans = service_plan::Entity::find()
        .filter(service_plan::Column::TenantId.eq(tenant))
        .filter(service_plan::Column::Enabled.eq(true))
        .order_by_asc(service_plan::Column::Id)
        .all(store.db())
        .await?;
    let today = now.date_naive();
    let mut items = Vec::new();
    for (n, reseller) in resellers.iter().enumerate() {
        let customers: Vec<i64> = organization::Entity::find()
            .select_only()
            .column(organization::Column::Id)
            .filter(organization::Column::ParentId.eq(reseller.id))
            .filter(organization::Column::Status.eq(OrgStatus::Active.as_str()))
            .order_by_asc(organization::Column::Id)
            .limit(5)
            .into_tuple()
            .all(store.db())
            .await?;
        if customers.is_empty() {
            continue;
        }
        let currency = reseller.balance_currency.clone().unwrap_or_else(|| "USD".into());
        // One reseller in eight keeps a thin balance, so the low-balance warning shows.
        let amount = if n % 8 == 7 { Decimal::from(150) } else { Decimal::from(20_000) };
        let top_up = NewTopUp {
            reseller_id: Some(reseller.id),
            amount,
            payment_reference: format!("Bank transfer NW-{:05}", 1000 + n),
        };
        ledger::top_up(store, &distributor, top_up, Some(&format!("demo-top-up-{}", reseller.id)), None).await?;
        let scope = Scope { org_id: reseller.id, kind: OrgKind::Reseller, tenant_id: tenant };
        let mine: Vec<&service_plan::Model> = plans.iter().filter(|p| p.currency == currency).collect();
        for k in 0..mine.len().min(4) {
            let plan = mine[(n + k * 3) % mine.len()];
            let new = NewActivation {
                plan_id: plan.id,
                quantity: 1 + rng.below(15) as i64,
                customer_id: Some(customers[k % customers.len()]),
                client_email: None,
            };
            let key = format!("demo-activation-{}-{k}", reseller.id);
            match activations::activate(store, &scope, new, Some(&key), None).await {
                Ok(_) | Err(StoreError::InsufficientBalance { .. }) => {}
                Err(other) => return Err(other),
            }
        }
        // Users of the first customers, each active on about two days in five.
        for (c, customer) in customers.iter().enumerate() {
            for u in 0..(3 + rng.below(5)) {
                for back in 0..182u64 {
                    if rng.below(5) < 2 {
                        items.push(UserActivity {
                            customer_id: *customer,
                            user_email: format!("user{u}.c{c}@client{customer}.example"),
                            day: today - Days::new(back),
                        });
                    }
                }
            }
        }
    }
    for batch in items.chunks(activity::MAX_BATCH) {
        activity::record(store, &distributor, ActivityBatch { items: batch.to_vec() }).await?;
    }
    Ok(())
}
