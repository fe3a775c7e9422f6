//! Writing rollup changes into their tables, for both grains: the changes are taken a batch of
//! keys at a time, the stored rows of exactly those keys are read in one statement (each key a
//! lookup in its grain's unique index), merged in Rust (sums are exact decimals, never added in
//! SQL), and written in bulk: a key's row is inserted, or updated in place when it is stored
//! (its grain's index is not touched), or deleted when no line is left in it. Memory holds one
//! batch's rows, whatever the size of the rollup, and the changes are consumed as they are
//! written (a grouped copy of them doubled an import's memory at every flush).
//!
//! Reading by whole customer-months instead (every stored row of each touched customer's month)
//! read rows no change touched: with a rollup row per line, each flush of an import read every
//! row the earlier flushes had written.

use std::collections::HashMap;
use std::hash::Hash;

use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement, Value};

use super::rollups::{self, DayKey, Key, Sums};
use crate::bulk::{OnConflict, Table};
use crate::entities::{daily_rollup, monthly_rollup};
use crate::{StoreError, raw_sql};

/// Keys whose stored rows are read per statement: a few hundred statements for a large import
/// instead of one per key (each a round trip on PostgreSQL), each well under both databases'
/// limits on bound values (8 per monthly key) and SQLite's on an expression's depth (1,000: a
/// chain of ORs is as deep as it is long).
const KEYS_PER_READ: usize = 400;

/// Rows deleted per statement.
const IDS_PER_DELETE: usize = 1000;

/// One rollup table and how its rows map to keys and sums.
struct Grain<E: EntityTrait, K> {
    table: Table,
    id: E::Column,
    /// The grain's unique index: the columns a key's stored row is found by.
    key_columns: &'static [&'static str],
    /// A key's values for `key_columns`, in their order.
    key_values: fn(&K, &mut Vec<Value>),
    key_of: fn(&E::Model) -> K,
    id_of: fn(&E::Model) -> i64,
    sums_of: fn(&E::Model) -> Result<Sums, StoreError>,
    /// A row's values in `table.columns` order: (tree, key, sums).
    values: fn(i64, K, Sums) -> Vec<Value>,
}

impl<E: EntityTrait, K> Grain<E, K> {
    /// `SELECT * … WHERE (key) OR (key) …` for [`KEYS_PER_READ`] keys: each term a lookup in
    /// the grain's unique index.
    fn read_statement(&self, backend: DbBackend) -> String {
        let key: Vec<String> = self.key_columns.iter().map(|c| format!("{c} = ?")).collect();
        let term = format!("({})", key.join(" AND "));
        let sql = format!("SELECT * FROM {} WHERE {}", self.table.name, vec![term; KEYS_PER_READ].join(" OR "));
        raw_sql::numbered(backend, &sql)
    }
}

/// The monthly grain's unique index, in the order `key_values` gives a key's values.
const MONTHLY_KEY: &[&str] =
    &["reseller_id", "month", "customer_id", "product_id", "provider", "service", "marketplace", "charge_category"];

const MONTHLY: Grain<monthly_rollup::Entity, Key> = Grain {
    table: Table {
        name: "monthly_rollups",
        columns: &[
            "tenant_id",
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
        ],
        // The tree is the reseller's.
        on_conflict: OnConflict::Replace { on: MONTHLY_KEY, keeps: &["tenant_id"] },
    },
    id: monthly_rollup::Column::Id,
    key_columns: MONTHLY_KEY,
    key_values: |k, values| {
        values.extend([
            k.reseller_id.into(),
            k.month.as_str().into(),
            k.customer_id.into(),
            k.product_id.into(),
            k.provider.as_str().into(),
            k.service.as_str().into(),
            k.marketplace.into(),
            k.category.as_str().into(),
        ])
    },
    key_of: rollups::key_of,
    id_of: |row| row.id,
    sums_of: rollups::sums_of,
    values: |tenant, key, sums| {
        vec![
            tenant.into(),
            key.month.into(),
            key.reseller_id.into(),
            key.customer_id.into(),
            key.product_id.into(),
            key.provider.into(),
            key.service.into(),
            key.marketplace.into(),
            key.category.into(),
            sums.billed_usd.to_string().into(),
            sums.effective_usd.to_string().into(),
            sums.units.to_string().into(),
            sums.lines.into(),
        ]
    },
};

/// The daily grain's unique index, in the order `key_values` gives a key's values.
const DAILY_KEY: &[&str] = &["org_id", "day", "marketplace", "charge_category"];

const DAILY: Grain<daily_rollup::Entity, DayKey> = Grain {
    table: Table {
        name: "daily_rollups",
        columns: &[
            "tenant_id",
            "org_id",
            "day",
            "month",
            "marketplace",
            "charge_category",
            "billed_usd",
            "effective_usd",
            "line_count",
        ],
        // The tree and month follow from the scope and the day.
        on_conflict: OnConflict::Replace { on: DAILY_KEY, keeps: &["tenant_id", "month"] },
    },
    id: daily_rollup::Column::Id,
    key_columns: DAILY_KEY,
    key_values: |k, values| {
        values.extend([k.org_id.into(), k.day.into(), k.marketplace.into(), k.category.as_str().into()])
    },
    key_of: rollups::day_key_of,
    id_of: |row| row.id,
    sums_of: rollups::day_sums_of,
    values: |tenant, key, sums| {
        vec![
            tenant.into(),
            key.org_id.into(),
            key.day.into(),
            key.day.format("%Y-%m").to_string().into(),
            key.marketplace.into(),
            key.category.into(),
            sums.billed_usd.to_string().into(),
            sums.effective_usd.to_string().into(),
            sums.lines.into(),
        ]
    },
};

/// Writes the monthly rollup's changes for tree `tenant`, given in key order (neighbouring keys,
/// neighbouring index pages).
pub async fn write_monthly(
    db: &impl ConnectionTrait,
    tenant: i64,
    changes: impl Iterator<Item = (Key, Sums)> + Send,
) -> Result<(), StoreError> {
    write(db, tenant, &MONTHLY, changes).await
}

/// Writes the daily rollup's changes for tree `tenant`, given in key order.
pub async fn write_daily(
    db: &impl ConnectionTrait,
    tenant: i64,
    changes: impl Iterator<Item = (DayKey, Sums)> + Send,
) -> Result<(), StoreError> {
    write(db, tenant, &DAILY, changes).await
}

async fn write<E, K>(
    db: &impl ConnectionTrait,
    tenant: i64,
    grain: &Grain<E, K>,
    changes: impl Iterator<Item = (K, Sums)> + Send,
) -> Result<(), StoreError>
where
    E: EntityTrait,
    K: Eq + Hash + std::fmt::Debug,
{
    // A key whose changes cancel out moves nothing.
    let mut changes = changes.filter(|(_, sums)| *sums != Sums::default());
    let backend = db.get_database_backend();
    // Written by hand once per call, not built through the query builder for every read:
    // conditions built for a 1M-line import's 220,000 keys made it 1.5–3 s slower.
    let read_sql = grain.read_statement(backend);
    loop {
        let batch: Vec<(K, Sums)> = changes.by_ref().take(KEYS_PER_READ).collect();
        if batch.is_empty() {
            break;
        }
        // Always KEYS_PER_READ terms (the last key repeated), so that the statement's text is
        // the same every time: the connection prepares and caches each text it sees, and one-off
        // texts of hundreds of terms, one per batch size, held tens of megabytes.
        let mut values = Vec::with_capacity(KEYS_PER_READ * grain.key_columns.len());
        for (key, _) in padded(&batch, KEYS_PER_READ) {
            (grain.key_values)(key, &mut values);
        }
        let read = Statement::from_sql_and_values(backend, read_sql.clone(), values);
        let stored: HashMap<K, E::Model> =
            E::find().from_raw_sql(read).all(db).await?.into_iter().map(|row| ((grain.key_of)(&row), row)).collect();
        let mut emptied = Vec::new();
        let mut written = Vec::new();
        for (key, delta) in batch {
            let row = stored.get(&key);
            let mut sums = row.map(grain.sums_of).transpose()?.unwrap_or_default();
            sums.add(&delta, 1)?;
            // Below zero lines, the rollup and its lines disagree.
            if sums.lines < 0 {
                return Err(StoreError::Corrupt(format!("rollup for {key:?} would go below zero lines")));
            }
            // A key with no line left has no row; any other is written over its stored row.
            match (sums.lines, row) {
                (0, Some(row)) => emptied.push((grain.id_of)(row)),
                (0, None) => {}
                _ => written.push((grain.values)(tenant, key, sums)),
            }
        }
        // Padded like the read above, for the same reason.
        for ids in emptied.chunks(IDS_PER_DELETE) {
            E::delete_many().filter(grain.id.is_in(padded(ids, IDS_PER_DELETE).copied())).exec(db).await?;
        }
        grain.table.insert(db, written).await?;
    }
    Ok(())
}

/// `items`, then the last of them again until there are `len` (`items` is not longer).
fn padded<T>(items: &[T], len: usize) -> impl Iterator<Item = &T> {
    items.iter().chain(items.last().map(|last| std::iter::repeat_n(last, len - items.len())).into_iter().flatten())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_finds_each_key_by_its_grains_unique_index() {
        let monthly = MONTHLY.read_statement(DbBackend::Postgres);
        assert!(monthly.starts_with("SELECT * FROM monthly_rollups WHERE (reseller_id = $1 AND month = $2 AND"));
        assert!(monthly.ends_with(&format!(" AND charge_category = ${})", KEYS_PER_READ * 8)), "{monthly}");
        let daily = DAILY.read_statement(DbBackend::Sqlite);
        assert_eq!(daily.matches(" OR ").count(), KEYS_PER_READ - 1);
        assert_eq!(daily.matches('?').count(), KEYS_PER_READ * DAILY.key_columns.len());
    }

    #[test]
    fn padding_repeats_the_last_item_up_to_the_length() {
        assert_eq!(padded(&[1, 2], 4).copied().collect::<Vec<_>>(), [1, 2, 2, 2]);
        assert_eq!(padded(&[1, 2], 2).copied().collect::<Vec<_>>(), [1, 2]);
        assert_eq!(padded::<i32>(&[], 3).count(), 0);
    }
}
