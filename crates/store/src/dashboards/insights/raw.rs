//! The raw data behind Insights (`GET /insights/raw`): the monthly rollup rows of a range in
//! scope, read a batch at a time in id order so that an export of any size is held one batch at
//! a time (the server streams each batch as CSV before reading the next).

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

/// One batch of raw rows: their cells in [`RAW_HEADER`]'s order, and the id to read on from
/// (none when this was the last batch).
pub struct RawBatch {
    /// The rows.
    pub rows: Vec<Vec<String>>,
    /// Where the next batch starts; `None` at the end.
    pub next: Option<i64>,
}

/// The rows of the range after row id `after`, at most `limit` of them. The rows are the whole
/// months of the rollup (the `as_of` month as stored: the raw data is the rollup itself).
pub async fn raw_batch(
    store: &Store,
    scope: &Scope,
    range: &Range,
    after: i64,
    limit: u64,
) -> Result<RawBatch, StoreError> {
    use monthly_rollup::Column;
    dashboard_scope(scope)?;
    let rows = monthly_rollup::Entity::find()
        .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
        .filter(Column::Month.gte(range.months[0].to_string()))
        .filter(Column::Month.lte(range.last().to_string()))
        .filter(Column::Id.gt(after))
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(store.db())
        .await?;
    let next = (rows.len() as u64 == limit).then(|| rows.last().map(|r| r.id)).flatten();
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
