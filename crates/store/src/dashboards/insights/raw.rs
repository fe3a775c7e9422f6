//! The raw data behind Insights (`GET /insights/raw`): the monthly rollup rows of a range in
//! scope, read a batch at a time, month by month and in id order within a month, so that an
//! export of any size is held one batch at a time (the server streams each batch as CSV before
//! reading the next). A batch is one seek in the (tree, month) index: reading in id order across
//! the whole range instead sorted every row of the range for each batch (docs/performance.md §11a).

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::Range;
use crate::dashboards::dashboard_scope;
use crate::entities::monthly_rollup;
use crate::{Scope, Store, StoreError};

/// The CSV columns of a raw row, in order.
pub const RAW_HEADER: &[&str] = &[
    "month",
    "reseller_id",
    "customer_id",
    "product_id",
    "provider",
    "service",
    "marketplace",
    "charge_category",
    "billed_usd",
    "effective_usd",
    "units",
    "line_count",
];

/// Where a batch starts: the month (its place in the range) and the last row id sent of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RawCursor {
    /// The month's place in the range.
    pub month: usize,
    /// Rows of that month after this id.
    pub after: i64,
}

/// One batch of raw rows: their cells in [`RAW_HEADER`]'s order, and where the next starts
/// (none when this was the last batch).
pub struct RawBatch {
    /// The rows.
    pub rows: Vec<Vec<String>>,
    /// Where the next batch starts; `None` at the end.
    pub next: Option<RawCursor>,
}

/// At most `limit` rows of the range from `from` on, all of one month. The rows are the whole
/// months of the rollup (the `as_of` month as stored: the raw data is the rollup itself).
pub async fn raw_batch(
    store: &Store,
    scope: &Scope,
    range: &Range,
    from: RawCursor,
    limit: u64,
) -> Result<RawBatch, StoreError> {
    use monthly_rollup::Column;
    dashboard_scope(scope)?;
    let mut cursor = from;
    let rows = loop {
        let Some(month) = range.months.get(cursor.month) else { return Ok(RawBatch { rows: Vec::new(), next: None }) };
        let rows = monthly_rollup::Entity::find()
            .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
            .filter(Column::Month.eq(month.to_string()))
            .filter(Column::Id.gt(cursor.after))
            .order_by_asc(Column::Id)
            .limit(limit)
            .all(store.db())
            .await?;
        if !rows.is_empty() {
            break rows;
        }
        cursor = RawCursor { month: cursor.month + 1, after: 0 };
    };
    let next = match (rows.len() as u64 == limit, rows.last()) {
        (true, Some(last)) => Some(RawCursor { month: cursor.month, after: last.id }),
        _ => (cursor.month + 1 < range.months.len()).then_some(RawCursor { month: cursor.month + 1, after: 0 }),
    };
    let rows = rows
        .into_iter()
        .map(|r| {
            vec![
                r.month,
                r.reseller_id.to_string(),
                r.customer_id.to_string(),
                r.product_id.to_string(),
                r.provider,
                r.service,
                r.marketplace.to_string(),
                r.charge_category,
                r.billed_usd,
                r.effective_usd,
                r.units,
                r.line_count.to_string(),
            ]
        })
        .collect();
    Ok(RawBatch { rows, next })
}
