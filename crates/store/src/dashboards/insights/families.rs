//! Revenue by product family per month of a range, over every reseller (the distributor's own
//! direct customers left out), from the reseller × product rollup of the range's months only —
//! a distributor's tree totals, a reseller's own rows — packed per month (`dashboards/packed.rs`)
//! and summed exactly here per product, then family. In `as_of`'s month less the lines dated
//! after `as_of`.

use std::collections::{BTreeMap, HashMap};

use domain::metrics::Month;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::Range;
use super::activity::{UNMAPPED, add_to, revenue_after};
use crate::dashboards::packed::{packed, unpacked};
use crate::entities::{product, reseller_product_rollup};
use crate::{Scope, Store, StoreError, stored};

/// Month → family → revenue.
pub(super) type ByFamily = BTreeMap<Month, BTreeMap<String, Decimal>>;

/// Each product's family in the caller's tree.
pub(super) async fn families(store: &Store, scope: &Scope) -> Result<HashMap<i64, String>, StoreError> {
    let products = product::Entity::find()
        .select_only()
        .columns([product::Column::Id, product::Column::Family])
        .filter(product::Column::TenantId.eq(scope.tenant_id))
        .into_tuple::<(i64, String)>()
        .all(store.db())
        .await?;
    Ok(products.into_iter().collect())
}

/// Revenue by family for each month of `range` that has some.
pub(super) async fn by_family(store: &Store, scope: &Scope, range: &Range) -> Result<ByFamily, StoreError> {
    use reseller_product_rollup::Column;
    let families = families(store, scope).await?;
    let family = |product: i64| families.get(&product).map_or(UNMAPPED, String::as_str);
    let backend = store.db().get_database_backend();
    // Grouped by month alone, the rows come in an index's month order: grouping by product too
    // had SQLite sort every row of the range first.
    let months = reseller_product_rollup::Entity::find()
        .select_only()
        .column(Column::Month)
        .expr_as(packed(backend, "product_id"), "products")
        .expr_as(packed(backend, "billed_usd"), "billed")
        .filter(scope.resold_rollup_rows(Column::TenantId, Column::ResellerId))
        .filter(Column::Month.gte(range.months[0].to_string()))
        .filter(Column::Month.lte(range.last().to_string()))
        .group_by(Column::Month)
        .into_tuple::<(String, String, String)>()
        .all(store.db())
        .await?;
    let mut by_month = ByFamily::new();
    for (month, products, billed) in months {
        let month: Month = month.parse().map_err(|_| StoreError::Corrupt(format!("rollup month {month}")))?;
        let what = format!("reseller product rollup of {month}");
        // Summed per product first: a few products, many resellers each.
        let mut by_product: HashMap<&str, Decimal> = HashMap::new();
        for [product, billed] in unpacked([&products, &billed], &what)? {
            let amount = stored::parse(billed, "reseller_product_rollups.billed_usd")?;
            crate::dashboards::add(by_product.entry(product).or_default(), amount)?;
        }
        let by_family = by_month.entry(month).or_default();
        for (product, total) in by_product {
            let product = product.parse::<i64>().map_err(|_| StoreError::Corrupt(what.clone()))?;
            add_to(by_family, family(product), total)?;
        }
    }
    for (reseller, _, product, billed) in revenue_after(store, scope, range.last(), range.as_of).await? {
        if reseller != scope.tenant_id {
            add_to(by_month.entry(Month::of(range.as_of)).or_default(), family(product), -billed)?;
        }
    }
    Ok(by_month)
}
