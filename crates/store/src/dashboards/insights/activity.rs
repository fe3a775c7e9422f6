//! Reseller activity (docs/metrics.md §3): each reseller's revenue by product family per month
//! up to `as_of`, from the reseller × product rollup, for the revenue trend (the history of
//! transacting months comes from the reseller × month rollup, `history.rs`); in `as_of`'s month
//! less the lines dated after `as_of` (`revenue_after`, which every view shares). And the months
//! each reseller had a subscription running (active, R6).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use domain::kinds::OrgKind;
use domain::metrics::Month;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, Condition, DbBackend, EntityTrait, QueryFilter, QuerySelect};

use super::periods::{Period, periods};
use crate::dashboards::packed::{packed, unpacked};
use crate::entities::reseller_product_rollup;
use crate::rollups::{contribution, rated_after};
use crate::{Scope, Store, StoreError, dashboards, raw_sql, stored};

/// The family of lines without a catalog product (R15).
pub const UNMAPPED: &str = "Unmapped";

/// Revenue by (reseller, month), by family.
pub(super) type Revenue = BTreeMap<(i64, Month), BTreeMap<String, Decimal>>;

/// The revenue of `resellers` by family per month from `first` to `last` (at most `as_of`'s month), exact
/// to `as_of`. A distributor's own direct customers are not a reseller's and are left out.
pub(super) async fn revenue(
    store: &Store,
    scope: &Scope,
    resellers: &[i64],
    first: Month,
    last: Month,
    as_of: NaiveDate,
) -> Result<Revenue, StoreError> {
    use reseller_product_rollup::Column;
    let backend = store.db().get_database_backend();
    let months = reseller_product_rollup::Entity::find()
        .select_only()
        .column(Column::Month)
        .expr_as(packed(backend, "reseller_id"), "resellers")
        .expr_as(packed(backend, "product_id"), "products")
        .expr_as(packed(backend, "billed_usd"), "billed")
        .filter(page_rows(scope, backend, resellers))
        .filter(Column::Month.gte(first.to_string()))
        .filter(Column::Month.lte(last.to_string()))
        .group_by(Column::Month)
        .into_tuple::<(String, String, String, String)>()
        .all(store.db());
    let (families, months) = tokio::try_join!(super::families::families(store, scope), async { Ok(months.await?) })?;
    let family = |product: i64| families.get(&product).map_or(UNMAPPED, String::as_str);
    let mut revenue = Revenue::new();
    let mut add = |reseller: i64, month: Month, family: &str, amount: Decimal| -> Result<(), StoreError> {
        if reseller == scope.tenant_id {
            return Ok(());
        }
        add_to(revenue.entry((reseller, month)).or_default(), family, amount)
    };
    for (month, resellers, products, billed) in months {
        let month: Month = month.parse().map_err(|_| StoreError::Corrupt(format!("rollup month {month}")))?;
        let what = format!("reseller product rollup of {month}");
        for [reseller, product, billed] in unpacked([&resellers, &products, &billed], &what)? {
            let id = |v: &str| v.parse::<i64>().map_err(|_| StoreError::Corrupt(what.clone()));
            let amount = stored::parse(billed, "reseller_product_rollups.billed_usd")?;
            add(id(reseller)?, month, family(id(product)?), amount)?;
        }
    }
    for (reseller, _, product, billed) in revenue_after(store, scope, last, as_of).await? {
        add(reseller, Month::of(as_of), family(product), -billed)?;
    }
    Ok(revenue)
}

/// The rollup rows of `resellers` in the scope, read by the (reseller, month) index: a
/// distributor's tree condition is kept from the (tree, month) one, which reads every row of the
/// range for a page of resellers.
fn page_rows(scope: &Scope, backend: DbBackend, resellers: &[i64]) -> Condition {
    use reseller_product_rollup::Column;
    let listed = Column::ResellerId.is_in(resellers.iter().copied());
    match scope.kind {
        OrgKind::Distributor => {
            raw_sql::equal_unindexed(backend, "reseller_product_rollups", "tenant_id", scope.org_id).add(listed)
        }
        _ => scope.rollup_rows(Column::TenantId, Column::ResellerId).add(listed),
    }
}

/// Adds `amount` to `family`'s total; the family's name is copied only the first time (a range
/// reads tens of thousands of rows, a few families).
pub(super) fn add_to(
    by_family: &mut BTreeMap<String, Decimal>,
    family: &str,
    amount: Decimal,
) -> Result<(), StoreError> {
    match by_family.get_mut(family) {
        Some(total) => dashboards::add(total, amount),
        None => {
            by_family.insert(family.to_owned(), amount);
            Ok(())
        }
    }
}

/// The revenue of the lines of `as_of`'s month dated after it, as (reseller, customer, product,
/// revenue), when `last` is that month and `as_of` cuts it short: those lines are in the rollups
/// but not yet in the figures.
pub(super) async fn revenue_after(
    store: &Store,
    scope: &Scope,
    last: Month,
    as_of: NaiveDate,
) -> Result<Vec<(i64, i64, i64, Decimal)>, StoreError> {
    if last != Month::of(as_of) {
        return Ok(Vec::new());
    }
    let later = rated_after(store, scope, as_of).await?;
    let mut revenue = Vec::new();
    for line in &later {
        if let Some((key, sums)) = contribution(line)?
            && key.category != "Tax"
        {
            revenue.push((key.reseller_id, key.customer_id, key.product_id, sums.billed_usd));
        }
    }
    Ok(revenue)
}

/// Per month of `months`, the resellers with a subscription whose period [start, end] overlaps
/// it (status and trial flag ignored, R6); none starting after `as_of` (R1).
pub(super) async fn active(
    store: &Store,
    scope: &Scope,
    months: &[Month],
    as_of: NaiveDate,
) -> Result<BTreeMap<Month, BTreeSet<i64>>, StoreError> {
    let mut active: BTreeMap<Month, BTreeSet<i64>> = months.iter().map(|m| (*m, BTreeSet::new())).collect();
    let (Some(first), Some(last)) = (months.first(), months.last()) else { return Ok(active) };
    let periods = periods(store, scope, first.first_day(), last.last_day().min(as_of)).await?;
    for Period { reseller_id: reseller, start, end, .. } in periods {
        if reseller == scope.tenant_id {
            continue;
        }
        for (month, resellers) in active.iter_mut() {
            let month_end = month.last_day().min(as_of);
            if start <= month_end && end.is_none_or(|end| end >= month.first_day()) {
                resellers.insert(reseller);
            }
        }
    }
    Ok(active)
}
