//! Every grain recomputed from the line items alone: in memory, to check the rollups kept
//! incrementally ([`stored_and_rebuilt`]), or written over them ([`rebuild`]: the operator's
//! `tierdash rollups rebuild`, and `Store::migrate` when a grain was added since the data was
//! imported).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::deltas::{Deltas, KEYS_HELD};
use super::grain::Grain;
use super::grains::{Grains, Others};
use super::keys::Key;
use super::monthly::{self, Monthly};
use super::sums::Sums;
use crate::entities::billing_line_item;
use crate::{Store, StoreError, data_generation};

/// Rated lines read at a time.
const PAGE: u64 = 10_000;

/// A tree's rated lines, page by page in id order: each page is an index seek past the last id
/// read, where an offset would read every earlier line again.
struct RatedPages {
    tenant: i64,
    after: i64,
}

impl RatedPages {
    fn of(tenant: i64) -> RatedPages {
        RatedPages { tenant, after: 0 }
    }

    /// The next page, or `None` after the last.
    async fn next(&mut self, db: &impl ConnectionTrait) -> Result<Option<Vec<billing_line_item::Model>>, StoreError> {
        let lines = billing_line_item::Entity::find()
            .filter(billing_line_item::Column::TenantId.eq(self.tenant))
            .filter(billing_line_item::Column::Rated.eq(true))
            .filter(billing_line_item::Column::Id.gt(self.after))
            .order_by_asc(billing_line_item::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = lines.last() else { return Ok(None) };
        self.after = last.id;
        Ok(Some(lines))
    }
}

/// Every rollup recomputed from the line items alone, in memory (for comparisons).
pub async fn from_lines(db: &impl ConnectionTrait, tenant: i64) -> Result<Deltas, StoreError> {
    let mut deltas = Deltas::default();
    let mut pages = RatedPages::of(tenant);
    while let Some(lines) = pages.next(db).await? {
        for line in &lines {
            deltas.line(line, 1)?;
        }
    }
    deltas.retain_lines();
    Ok(deltas)
}

/// Recomputes every tree's rollups from its line items, in one transaction, writing as it reads
/// (memory holds one page of lines and at most [`KEYS_HELD`] keys). Returns the rows written.
pub async fn rebuild(store: &Store) -> Result<u64, StoreError> {
    let txn = store.write().await?;
    let tenants: Vec<i64> = billing_line_item::Entity::find()
        .select_only()
        .column(billing_line_item::Column::TenantId)
        .distinct()
        .into_tuple()
        .all(&txn)
        .await?;
    Monthly::delete_all(&txn).await?;
    Others::delete_all(&txn).await?;
    for tenant in tenants {
        let mut deltas = Deltas::default();
        let mut pages = RatedPages::of(tenant);
        while let Some(lines) = pages.next(&txn).await? {
            for line in &lines {
                deltas.line(line, 1)?;
            }
            if deltas.len() >= KEYS_HELD {
                std::mem::take(&mut deltas).apply(&txn, tenant).await?;
            }
        }
        deltas.apply(&txn, tenant).await?;
    }
    let written = Monthly::count(&txn).await? + Others::count(&txn).await?;
    data_generation::move_on(&txn).await?;
    txn.commit().await?;
    Ok(written)
}

/// A tree's monthly rollup as stored, and as recomputed from its lines: equal unless something
/// is wrong. Every other grain ([`Others`]) is compared too: a difference there is returned as
/// an error.
pub async fn stored_and_rebuilt(
    store: &Store,
    tenant: i64,
) -> Result<(HashMap<Key, Sums>, HashMap<Key, Sums>), StoreError> {
    let (rebuilt, others, names) = from_lines(store.db(), tenant).await?.into_parts();
    let rebuilt = rebuilt.into_map(&names);
    others.check(store.db(), tenant, &names).await?;
    Ok((monthly::snapshot(store.db(), tenant).await?, rebuilt))
}

/// Whether a grain needs filling for lines imported before it existed: it has no row while the
/// monthly grain has some, or monthly rows lack a column added since ([`monthly::lacks_consumed`]).
pub(crate) async fn missing_grain(db: &impl ConnectionTrait) -> Result<bool, StoreError> {
    let missing = Others::missing(db).await?;
    Ok((missing && !Monthly::stores_none(db).await?) || monthly::lacks_consumed(db).await?)
}
