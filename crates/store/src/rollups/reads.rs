//! What the dashboards' rollup reads take away to be exact to a day inside a month
//! (docs/metrics.md).

use chrono::NaiveDate;
use domain::metrics::Month;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::billing::issues::line_scope;
use crate::entities::billing_line_item;
use crate::{Scope, Store, StoreError};

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
