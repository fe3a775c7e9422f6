//! Products (`GET /insights/products`, docs/metrics.md §4–§5): per month revenue by family and
//! subscriptions and licences by product; the families' top five over the range.

use std::collections::BTreeMap;

use domain::api::{InsightsProducts, ProductsMonth};
use domain::metrics::{Month, reported};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::periods::{Period, periods};
use super::top_five::top_five;
use super::{Range, families};
use crate::dashboards::{add, dashboard_scope};
use crate::entities::product;
use crate::{Scope, Store, StoreError};

/// The products view over `range`; `sees_money` says whether revenue is included.
pub async fn products(
    store: &Store,
    scope: &Scope,
    range: &Range,
    sees_money: bool,
) -> Result<InsightsProducts, StoreError> {
    dashboard_scope(scope)?;
    // family → month → revenue, over every reseller.
    let money = async {
        match sees_money {
            true => families::by_family(store, scope, range).await,
            false => Ok(Default::default()),
        }
    };
    // At once: each read's statements wait on the database, not on one another.
    let (by_month, (subscriptions, licences)) = tokio::try_join!(money, subscriptions_by_product(store, scope, range))?;
    let mut families: BTreeMap<String, BTreeMap<Month, Decimal>> = BTreeMap::new();
    for (month, by_family) in by_month {
        for (family, amount) in by_family {
            add(families.entry(family).or_default().entry(month).or_default(), amount)?;
        }
    }
    let months = range
        .months
        .iter()
        .map(|&month| ProductsMonth {
            month: month.to_string(),
            partial: range.partial(month),
            revenue_by_family: sees_money.then(|| {
                (families.iter())
                    .filter_map(|(family, by_month)| by_month.get(&month).filter(|v| !v.is_zero()).map(|v| (family, v)))
                    .map(|(family, v)| (family.clone(), reported(*v)))
                    .collect()
            }),
            subscriptions_by_product: subscriptions.get(&month).cloned().unwrap_or_default(),
            licenses_by_product: licences.get(&month).cloned().unwrap_or_default(),
        })
        .collect();
    let revenue_top5 = match sees_money {
        true => Some(top_five(&families, &range.months)?),
        false => None,
    };
    Ok(InsightsProducts { as_of: range.as_of.to_string(), months, revenue_top5 })
}

/// Month → SKU → subscriptions whose period overlaps the month, and their quantities.
async fn subscriptions_by_product(store: &Store, scope: &Scope, range: &Range) -> Result<Running<String>, StoreError> {
    let skus: BTreeMap<i64, String> = product::Entity::find()
        .select_only()
        .columns([product::Column::Id, product::Column::Sku])
        .filter(product::Column::TenantId.eq(scope.tenant_id))
        .into_tuple::<(i64, String)>()
        .all(store.db())
        .await?
        .into_iter()
        .collect();
    running(store, scope, range, |s| skus.get(&s.product_id).cloned()).await
}

/// Month → member → subscriptions whose period overlaps the month, and month → member → their
/// quantities.
pub(super) type Running<K> = (BTreeMap<Month, BTreeMap<K, u64>>, BTreeMap<Month, BTreeMap<K, i64>>);

/// A subscription as [`running`] hands it to its grouping.
pub(super) struct Held {
    pub product_id: i64,
    pub customer_id: i64,
    pub reseller_id: i64,
}

/// The subscriptions in scope running in each month of the range (R6: only the dates decide,
/// the quantity is today's; none starting after `as_of`), counted under the member `member`
/// names (none: left out).
pub(super) async fn running<K: Ord + Clone>(
    store: &Store,
    scope: &Scope,
    range: &Range,
    member: impl Fn(&Held) -> Option<K>,
) -> Result<Running<K>, StoreError> {
    let until = range.last().last_day().min(range.as_of);
    let periods = periods(store, scope, range.months[0].first_day(), until).await?;
    let (mut counts, mut quantities) = (BTreeMap::new(), BTreeMap::new());
    for Period { product_id, customer_id, reseller_id, quantity, start, end } in periods {
        let Some(name) = member(&Held { product_id, customer_id, reseller_id }) else { continue };
        for &month in &range.months {
            let month_end = month.last_day().min(range.as_of);
            if start <= month_end && end.is_none_or(|end| end >= month.first_day()) {
                *counts.entry(month).or_insert_with(BTreeMap::new).entry(name.clone()).or_insert(0u64) += 1;
                let held = quantities.entry(month).or_insert_with(BTreeMap::new).entry(name.clone()).or_insert(0i64);
                *held = held.saturating_add(quantity);
            }
        }
    }
    Ok((counts, quantities))
}
