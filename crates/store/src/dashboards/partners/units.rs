//! Chargeable units that fell (docs/metrics.md §6): per product and reseller, the units of the
//! last complete month (the one before `as_of`'s) against the month before, from the reseller ×
//! product rollup (every category, rated lines only; lines without a catalog product are left out, as
//! they have no SKU of the catalog to name): two months' rows per reseller and product sold,
//! whatever the number of customers or lines.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::api::{DecreasingUnits, Page, UnitsDecrease};
use domain::metrics::{Month, change_pct};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::LISTED;
use super::lists::page_of;
use crate::dashboards::dashboard_scope;
use crate::dashboards::packed::{packed, unpacked};
use crate::entities::{product, reseller_product_rollup};
use crate::rollups::keys::TREE_TOTAL;
use crate::{Scope, Store, StoreError, dashboards, stored};

/// The falls of more than `threshold` percent, largest first (ties by SKU, then reseller).
pub(super) async fn decreasing_units(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
    threshold: Decimal,
) -> Result<Vec<UnitsDecrease>, StoreError> {
    use reseller_product_rollup::Column;
    let last = Month::of(as_of).previous();
    let before = last.previous();
    // Each month's rows packed in one text (`dashboards/packed.rs`): two rows cross the driver
    // instead of one per reseller and product (5,685 at 10M: 8 ms of the console's ~21 ms).
    let backend = store.db().get_database_backend();
    let months = reseller_product_rollup::Entity::find()
        .select_only()
        .column(Column::Month)
        .expr_as(packed(backend, "reseller_id"), "resellers")
        .expr_as(packed(backend, "product_id"), "products")
        .expr_as(packed(backend, "units"), "units")
        .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
        .filter(Column::Month.is_in([last.to_string(), before.to_string()]))
        .filter(Column::ProductId.ne(0))
        .filter(Column::ResellerId.ne(TREE_TOTAL))
        .group_by(Column::Month)
        .into_tuple::<(String, String, String, String)>()
        .all(store.db())
        .await?;
    // (product, reseller) → (units before, units last).
    let mut units: HashMap<(i64, i64), (Decimal, Decimal)> = HashMap::new();
    let last_text = last.to_string();
    for (month, resellers, products, amounts) in months {
        let what = format!("reseller product rollup of {month}");
        for [reseller, product, amount] in unpacked([&resellers, &products, &amounts], &what)? {
            let id = |v: &str| v.parse::<i64>().map_err(|_| StoreError::Corrupt(what.clone()));
            let amount: Decimal = stored::parse(amount, "reseller_product_rollups.units")?;
            let entry = units.entry((id(product)?, id(reseller)?)).or_default();
            dashboards::add(if month == last_text { &mut entry.1 } else { &mut entry.0 }, amount)?;
        }
    }
    let hundred = Decimal::ONE_HUNDRED;
    // A fall of more than the threshold from a month above 0: (before − last) × 100 > threshold
    // × before, exactly (no rounding before the comparison).
    let mut falls: Vec<((i64, i64), Decimal, Decimal)> = units
        .into_iter()
        .filter(|(_, (before, last))| *before > Decimal::ZERO && (*before - *last) * hundred > threshold * *before)
        .map(|(key, (before, last))| (key, before, last))
        .collect();
    let products: HashMap<i64, (String, String)> = product::Entity::find()
        .filter(product::Column::TenantId.eq(scope.tenant_id))
        .all(store.db())
        .await?
        .into_iter()
        .map(|p| (p.id, (p.sku, p.name)))
        .collect();
    let resellers = dashboards::orgs_by_id(store, falls.iter().map(|((_, r), _, _)| *r)).await?;
    let share = |before: Decimal, last: Decimal| (before - last) / before;
    falls.sort_by(|a, b| {
        share(b.1, b.2).cmp(&share(a.1, a.2)).then_with(|| {
            let sku = |k: &(i64, i64)| products.get(&k.0).map(|p| p.0.clone()).unwrap_or_default();
            sku(&a.0).cmp(&sku(&b.0)).then(a.0.1.cmp(&b.0.1))
        })
    });
    let items = falls
        .into_iter()
        .map(|((product, reseller), before, last)| {
            let (sku, product_name) = products.get(&product).cloned().unwrap_or_default();
            let org = resellers.get(&reseller);
            UnitsDecrease {
                sku,
                product_name,
                reseller_id: reseller,
                reseller_external_id: org.and_then(|o| o.external_id.clone()),
                reseller_name: org.map(|o| o.name.clone()).unwrap_or_default(),
                previous_units: before.normalize(),
                last_units: last.normalize(),
                change_pct: change_pct(last, before).unwrap_or_default(),
            }
        })
        .collect();
    Ok(items)
}

/// The dashboard's part: the first [`LISTED`] falls, how many in all and their paged list.
pub(super) fn listed(all: Vec<UnitsDecrease>, as_of: NaiveDate, threshold: Decimal) -> DecreasingUnits {
    let last = Month::of(as_of).previous();
    let total = all.len() as u64;
    DecreasingUnits {
        threshold_pct: threshold,
        last_complete_month: last.to_string(),
        compared_with: last.previous().to_string(),
        total,
        items: all.into_iter().take(LISTED as usize).collect(),
        list: format!(
            "/api/v1/dashboards/partners/decreasing-units?as_of={}&threshold_pct={threshold}",
            as_of.format("%Y-%m-%d")
        ),
    }
}

/// One page of the falls of more than `threshold` percent, largest first.
pub async fn decreasing_units_page(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
    threshold: Decimal,
    page: u64,
    per_page: u64,
) -> Result<Page<UnitsDecrease>, StoreError> {
    dashboard_scope(scope)?;
    Ok(page_of(decreasing_units(store, scope, as_of, threshold).await?, page, per_page))
}
