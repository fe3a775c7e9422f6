//! Revenue by product family per month of a range, over every reseller (the distributor's own
//! direct customers left out), from the reseller × product rollup read per (month, product):
//! a few rows per month however many resellers, each holding its resellers' amounts packed, summed
//! exactly here. In `as_of`'s month less the lines dated after `as_of`.

use std::collections::{BTreeMap, HashMap};

use domain::metrics::Month;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::Range;
use super::activity::{UNMAPPED, add_to, revenue_after};
use crate::dashboards::packed::packed;
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
    let rows = reseller_product_rollup::Entity::find()
        .select_only()
        .columns([Column::Month])
        .column(Column::ProductId)
        .expr_as(packed(backend, "billed_usd"), "billed")
        .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
        .filter(Column::ResellerId.ne(scope.tenant_id))
        .filter(Column::Month.gte(range.months[0].to_string()))
        .filter(Column::Month.lte(range.last().to_string()))
        .group_by(Column::Month)
        .group_by(Column::ProductId)
        .into_tuple::<(String, i64, String)>()
        .all(store.db())
        .await?;
    let mut by_month = ByFamily::new();
    for (month, product, billed) in rows {
        let month: Month = month.parse().map_err(|_| StoreError::Corrupt(format!("rollup month {month}")))?;
        let mut total = Decimal::ZERO;
        for amount in billed.split(',') {
            crate::dashboards::add(&mut total, stored::parse(amount, "reseller_product_rollups.billed_usd")?)?;
        }
        add_to(by_month.entry(month).or_default(), family(product), total)?;
    }
    for (reseller, _, product, billed) in revenue_after(store, scope, range.last(), range.as_of).await? {
        if reseller != scope.tenant_id {
            add_to(by_month.entry(Month::of(range.as_of)).or_default(), family(product), -billed)?;
        }
    }
    Ok(by_month)
}
