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
use crate::dashboards::labels::{Label, labels_by_id};
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
    let products: HashMap<i64, (String, String)> = product::Entity::find()
        .filter(product::Column::TenantId.eq(scope.tenant_id))
        .all(store.db())
        .await?
        .into_iter()
        .map(|p| (p.id, (p.sku, p.name)))
        .collect();
    let no_product = (String::new(), String::new());
    // A fall of more than the threshold from a month above 0: (before − last) × 100 > threshold
    // × before, exactly (no rounding before the comparison). Each fall's share and SKU are taken
    // once, not in every comparison of the sort (a thousand falls, ten thousand comparisons).
    let mut falls: Vec<Fall<'_>> = units
        .into_iter()
        .filter(|(_, (before, last))| *before > Decimal::ZERO && (*before - *last) * hundred > threshold * *before)
        .map(|((product, reseller), (before, last))| Fall {
            share: (before - last) / before,
            product: products.get(&product).unwrap_or(&no_product),
            reseller,
            before,
            last,
        })
        .collect();
    falls.sort_by(|a, b| {
        b.share.cmp(&a.share).then_with(|| a.product.0.cmp(&b.product.0)).then(a.reseller.cmp(&b.reseller))
    });
    let resellers = labels_by_id(store, falls.iter().map(|f| f.reseller)).await?;
    let items = falls
        .into_iter()
        .map(|Fall { product: (sku, product_name), reseller, before, last, .. }| {
            let Label { name, external_id, .. } = resellers.get(&reseller).cloned().unwrap_or_default();
            UnitsDecrease {
                sku: sku.clone(),
                product_name: product_name.clone(),
                reseller_id: reseller,
                reseller_external_id: external_id,
                reseller_name: name,
                previous_units: before.normalize(),
                last_units: last.normalize(),
                change_pct: change_pct(last, before).unwrap_or_default(),
            }
        })
        .collect();
    Ok(items)
}

/// A reseller's fall in a product's units: (before − last) / before of it.
struct Fall<'p> {
    share: Decimal,
    /// The product's SKU and name.
    product: &'p (String, String),
    reseller: i64,
    before: Decimal,
    last: Decimal,
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
