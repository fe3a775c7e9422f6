//! Writing rollup changes into their tables, the same way for every grain (each grain's file
//! describes its table as a [`StoredGrain`]). On PostgreSQL the database adds each change to its
//! key's stored row as it writes it ([`added_in_sql`]). On SQLite, which has no exact decimal
//! type, the changes are taken a batch of keys at a time, the stored rows of exactly those keys
//! are read in one statement (the keys a `VALUES` list joined to the table, each a lookup in its
//! grain's unique index; none when the batch's months have no row of the tree yet,
//! [`new_months`](super::new_months)), merged in Rust (sums are exact decimals, never added in
//! SQLite), and written in bulk: a key's row is inserted, or updated in place when it is stored
//! (its grain's index is not touched), or deleted when no line is left in it. Memory holds two
//! batches' rows (one being written while the next is read and merged), whatever the size of the
//! rollup, and the changes are consumed as they are written (never copied into a second
//! grouping: docs/performance.md §8).
//!
//! Reading by whole customer-months instead (every stored row of each touched customer's month)
//! read rows no change touched: with a rollup row per line, each flush of an import read every
//! row the earlier flushes had written.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use futures_util::future::join;
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement, Value};

use super::added_in_sql;
use super::new_months::{MonthProbe, MonthsSeen};
use super::sums::Sums;
use crate::bulk::Table;
use crate::raw_sql::{self, padded};
use crate::{StoreError, data_generation};

/// Keys whose stored rows are read per statement: a few hundred statements for a large import
/// instead of one per key (each a round trip on PostgreSQL), each well under both databases'
/// limits on bound values (8 per monthly key).
pub(super) const KEYS_PER_READ: usize = 400;

/// Rows deleted per statement.
const IDS_PER_DELETE: usize = 1000;

/// One rollup table and how its rows map to keys and sums: what a grain's file gives [`write`].
pub(super) struct StoredGrain<E: EntityTrait, K> {
    pub(super) table: Table,
    pub(super) id: E::Column,
    /// The grain's unique index: the columns a key's stored row is found by.
    pub(super) key_columns: &'static [&'static str],
    /// A key's values for `key_columns`, in their order.
    pub(super) key_values: fn(&K, &mut Vec<Value>),
    pub(super) key_of: fn(&E::Model) -> K,
    pub(super) id_of: fn(&E::Model) -> i64,
    pub(super) sums_of: fn(&E::Model) -> Result<Sums, StoreError>,
    /// A row's values in `table.columns` order: (tree, key, sums).
    pub(super) values: fn(i64, K, Sums) -> Vec<Value>,
    /// How to tell a month of the tree with no row yet, whose keys need no read.
    pub(super) months: MonthProbe<K>,
}

impl<E: EntityTrait, K> StoredGrain<E, K> {
    /// The stored rows of [`KEYS_PER_READ`] keys, given as a `VALUES` list joined to the table:
    /// each key a lookup in the grain's unique index ([`raw_sql::joined_to_keys`]).
    pub(super) fn read_statement(&self, backend: DbBackend) -> String {
        let sql = raw_sql::joined_to_keys(backend, "t.*", self.table.name, self.key_columns, KEYS_PER_READ, "");
        raw_sql::numbered(backend, &sql)
    }
}

/// Writes a grain's changes for tree `tenant`, given in key order (neighbouring keys,
/// neighbouring index pages).
pub(super) async fn write<E, K>(
    db: &impl ConnectionTrait,
    tenant: i64,
    grain: &StoredGrain<E, K>,
    changes: impl Iterator<Item = (K, Sums)> + Send,
) -> Result<(), StoreError>
where
    E: EntityTrait,
    K: Eq + Hash + std::fmt::Debug,
{
    let backend = db.get_database_backend();
    // A key whose changes cancel out moves nothing.
    let mut changes = changes.filter(|(_, sums)| *sums != Sums::default());
    if backend == DbBackend::Postgres {
        let rows = changes.map(|(key, sums)| (grain.values)(tenant, key, sums));
        let emptied = added_in_sql::write(db, &grain.table, rows).await?;
        return delete_rows(db, grain, &emptied).await;
    }
    // Written by hand once per call, not built through the query builder for every read:
    // building conditions for hundreds of thousands of keys costs seconds (docs/performance.md §7).
    let read_sql = grain.read_statement(backend);
    let mut months = MonthsSeen::new(&grain.months, grain.table.name, backend);
    // One batch's rows are written while the next batch is read and merged: SQLite's thread
    // runs the statements while this task builds the next ones, where done in turn each waited
    // on the other (docs/performance.md §15). A batch's keys are not another's, so neither
    // reads what the other writes.
    let mut merged = Merged::default();
    loop {
        let batch: Vec<(K, Sums)> = changes.by_ref().take(KEYS_PER_READ).collect();
        if batch.is_empty() {
            break;
        }
        let next = merge(db, tenant, grain, &read_sql, &mut months, batch);
        let (written, next) = join(merged.write(db, grain), next).await;
        written?;
        merged = next?;
    }
    merged.write(db, grain).await
}

/// A batch of changes merged with their keys' stored rows: what to delete and what to write.
#[derive(Default)]
struct Merged {
    /// Rows left with no line.
    emptied: Vec<i64>,
    /// Rows to insert or write over their stored rows, in `table.columns` order.
    written: Vec<Vec<Value>>,
}

impl Merged {
    async fn write<E: EntityTrait, K>(
        self,
        db: &impl ConnectionTrait,
        grain: &StoredGrain<E, K>,
    ) -> Result<(), StoreError> {
        delete_rows(db, grain, &self.emptied).await?;
        grain.table.insert(db, self.written).await?;
        Ok(())
    }
}

/// Reads the stored rows of `batch`'s keys (none when their months have no row yet) and adds
/// the batch's changes to them.
async fn merge<E, K>(
    db: &impl ConnectionTrait,
    tenant: i64,
    grain: &StoredGrain<E, K>,
    read_sql: &str,
    months: &mut MonthsSeen<'_, K>,
    batch: Vec<(K, Sums)>,
) -> Result<Merged, StoreError>
where
    E: EntityTrait,
    K: Eq + Hash + std::fmt::Debug,
{
    let backend = db.get_database_backend();
    let mut stored: HashMap<K, E::Model> = HashMap::new();
    if months.any_stored(db, tenant, batch.iter().map(|(key, _)| key)).await? {
        // Always KEYS_PER_READ terms (the last key repeated), so that the statement's text is
        // the same every time: the connection prepares and caches each text it sees, and
        // one-off texts of hundreds of terms, one per batch size, would crowd its cache.
        let mut values = Vec::with_capacity(KEYS_PER_READ * grain.key_columns.len());
        for (key, _) in padded(&batch, KEYS_PER_READ) {
            (grain.key_values)(key, &mut values);
        }
        let read = Statement::from_sql_and_values(backend, read_sql, values);
        let rows = E::find().from_raw_sql(read).all(db).await?;
        stored = rows.into_iter().map(|row| ((grain.key_of)(&row), row)).collect();
    }
    let mut merged = Merged::default();
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
            (0, Some(row)) => merged.emptied.push((grain.id_of)(row)),
            (0, None) => {}
            _ => merged.written.push((grain.values)(tenant, key, sums)),
        }
    }
    Ok(merged)
}

/// Deletes a grain's rows by id, [`IDS_PER_DELETE`] a statement (padded like the reads, for the
/// same reason).
async fn delete_rows<E: EntityTrait, K>(
    db: &impl ConnectionTrait,
    grain: &StoredGrain<E, K>,
    ids: &[i64],
) -> Result<(), StoreError> {
    for ids in ids.chunks(IDS_PER_DELETE) {
        E::delete_many().filter(grain.id.is_in(padded(ids, IDS_PER_DELETE).copied())).exec(db).await?;
    }
    Ok(())
}

/// Writes the rows a fill summed for every tree, then moves the data's generation when it wrote
/// any: rollups have no trigger, and a fill runs outside a transaction, so the mark comes after
/// the rows (a reader in between keeps the older answer, never one from a half-filled grain).
pub(super) async fn write_trees<E, K>(
    db: &impl ConnectionTrait,
    grain: &StoredGrain<E, K>,
    by_tenant: BTreeMap<i64, BTreeMap<K, Sums>>,
) -> Result<(), StoreError>
where
    E: EntityTrait,
    K: Eq + Hash + std::fmt::Debug + Send,
{
    let filled = !by_tenant.is_empty();
    for (tenant, changes) in by_tenant {
        write(db, tenant, grain, changes.into_iter()).await?;
    }
    if filled {
        data_generation::move_on(db).await?;
    }
    Ok(())
}
