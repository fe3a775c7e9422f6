//! The rollup reads the dashboards make (docs/metrics.md): figures from the rollups, exact to a
//! day inside a month.

use chrono::NaiveDate;
use domain::metrics::Month;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::keys::Key;
use super::lines::contribution;
use super::monthly::{Monthly, key_ref_of, sums_of};
use super::names::Names;
use super::sums::Sums;
use crate::billing::issues::line_scope;
use crate::entities::{billing_line_item, monthly_rollup};
use crate::{Scope, Store, StoreError};

/// The monthly rollup of `months` (consecutive, ending at or before `as_of`'s month) in scope,
/// exact to `as_of`: in `as_of`'s month, the month's rollup minus that month's lines dated after
/// `as_of`. In key order, keys with no line left out.
pub async fn monthly_as_of(
    store: &Store,
    scope: &Scope,
    months: &[Month],
    as_of: NaiveDate,
) -> Result<Vec<(Key, Sums)>, StoreError> {
    let (Some(first), Some(last)) = (months.first(), months.last()) else { return Ok(Vec::new()) };
    let stored_rows = monthly_rollup::Entity::find()
        .filter(scope.rollup_rows(monthly_rollup::Column::TenantId, monthly_rollup::Column::ResellerId))
        .filter(monthly_rollup::Column::Month.gte(first.to_string()))
        .filter(monthly_rollup::Column::Month.lte(last.to_string()))
        .all(store.db())
        .await?;
    let (mut monthly, mut names) = (Monthly::default(), Names::default());
    for row in &stored_rows {
        monthly.add_key(&mut names, key_ref_of(row), &sums_of(row)?, 1)?;
    }
    if *last == Month::of(as_of) {
        for line in &rated_after(store, scope, as_of).await? {
            if let Some((key, sums)) = contribution(line)? {
                monthly.add_key(&mut names, key, &sums, -1)?;
            }
        }
    }
    Ok(monthly.into_sorted(names).filter(|(_, s)| s.lines > 0).collect())
}

/// The rated lines in scope of `as_of`'s month dated after it: in the rollups, not yet in the
/// figures of a day inside the month (none or few when `as_of` is today). None when `as_of` is
/// its month's last day.
pub async fn rated_after(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
) -> Result<Vec<billing_line_item::Model>, StoreError> {
    use billing_line_item::Column;
    let current = Month::of(as_of);
    if !current.is_partial_on(as_of) {
        return Ok(Vec::new());
    }
    Ok(billing_line_item::Entity::find()
        .filter(line_scope(scope))
        .filter(Column::Month.eq(current.to_string()))
        .filter(Column::Day.gt(as_of))
        .filter(Column::Rated.eq(true))
        .all(store.db())
        .await?)
}
