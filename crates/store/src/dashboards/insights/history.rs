//! Each reseller's revenue per month over its whole history to `as_of` (new and churned read it
//! all, R5), from the reseller × month rollup: one row per reseller and month, whatever the
//! number of products (docs/performance.md §11a). In `as_of`'s month less the lines dated after
//! `as_of`. The distributor's own direct customers are not a reseller's and are left out.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use domain::metrics::Month;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::activity::revenue_after;
use crate::dashboards::packed::{packed, unpacked};
use crate::entities::reseller_month_rollup;
use crate::{Scope, Store, StoreError, dashboards, stored};

/// Revenue (without Tax) by reseller, then month.
pub(super) type History = BTreeMap<i64, BTreeMap<Month, Decimal>>;

/// Every reseller's revenue per month up to `last` (at most `as_of`'s month), exact to `as_of`.
pub(super) async fn history(
    store: &Store,
    scope: &Scope,
    last: Month,
    as_of: NaiveDate,
) -> Result<History, StoreError> {
    use reseller_month_rollup::Column;
    let backend = store.db().get_database_backend();
    let months = reseller_month_rollup::Entity::find()
        .select_only()
        .column(Column::Month)
        .expr_as(packed(backend, "reseller_id"), "resellers")
        .expr_as(packed(backend, "billed_usd"), "billed")
        .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
        .filter(Column::ResellerId.ne(scope.tenant_id))
        .filter(Column::Month.lte(last.to_string()))
        .group_by(Column::Month)
        .into_tuple::<(String, String, String)>()
        .all(store.db())
        .await?;
    let mut history = History::new();
    for (month, resellers, billed) in months {
        let month: Month = month.parse().map_err(|_| StoreError::Corrupt(format!("rollup month {month}")))?;
        let what = format!("reseller month rollup of {month}");
        for [reseller, billed] in unpacked([&resellers, &billed], &what)? {
            let reseller = reseller.parse::<i64>().map_err(|_| StoreError::Corrupt(what.clone()))?;
            let amount = stored::parse(billed, "reseller_month_rollups.billed_usd")?;
            history.entry(reseller).or_default().insert(month, amount);
        }
    }
    for (reseller, _, _, billed) in revenue_after(store, scope, last, as_of).await? {
        if reseller != scope.tenant_id {
            dashboards::add(history.entry(reseller).or_default().entry(Month::of(as_of)).or_default(), -billed)?;
        }
    }
    Ok(history)
}

/// Each reseller's transacting months (revenue not zero, R2).
pub(super) fn transacting(history: &History) -> BTreeMap<i64, BTreeSet<Month>> {
    history
        .iter()
        .map(|(reseller, months)| {
            (*reseller, months.iter().filter(|(_, revenue)| !revenue.is_zero()).map(|(m, _)| *m).collect())
        })
        .filter(|(_, months): &(i64, BTreeSet<Month>)| !months.is_empty())
        .collect()
}
