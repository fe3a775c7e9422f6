//! Writing rollup changes into their tables, for both grains: the changes are grouped by a
//! narrow prefix of their grain's unique index (a customer's month, a scope's day), so that
//! only the stored rows near the changed keys are read, never a whole month of the rollup; a
//! batch of groups is read in one statement, merged in Rust (sums are exact decimals, never
//! added in SQL), and written in bulk: a key's row is inserted, or updated in place when it is
//! stored (its grain's index is not touched), or deleted when no line is left in it. Memory holds one
//! batch's rows, whatever the size of the rollup, and the changes are consumed as they are
//! written (a grouped copy of them doubled an import's memory at every flush).

use std::collections::HashMap;
use std::hash::Hash;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Value};

use super::rollups::{self, DayKey, Key, Sums};
use crate::StoreError;
use crate::bulk::{OnConflict, Table};
use crate::entities::{daily_rollup, monthly_rollup};

/// Groups read per statement: a few hundred statements for a large import instead of one per
/// group (tens of thousands, each a round trip on PostgreSQL). Every stored row of a group is
/// read, and a customer's month can hold thousands: with 200 groups a read, an import in which
/// each line had a service of its own peaked at 210 MB; with 50, at 137 MB, as fast.
const GROUPS_PER_READ: usize = 50;

/// Rows deleted per statement.
const IDS_PER_DELETE: usize = 1000;

/// Changed keys written per batch at most: the stored rows read and the rows written stay a few
/// megabytes however many keys a group has (a split group is merged correctly, see `write`).
const KEYS_PER_WRITE: usize = 10_000;

/// One rollup table and how its rows map to keys and sums.
struct Grain<E: EntityTrait, K, G> {
    table: Table,
    id: E::Column,
    /// A key's group: a prefix of the grain's unique index.
    group_of: fn(&K) -> G,
    /// The condition selecting one group's stored rows.
    group: fn(&G) -> Condition,
    key_of: fn(&E::Model) -> K,
    id_of: fn(&E::Model) -> i64,
    sums_of: fn(&E::Model) -> Result<Sums, StoreError>,
    /// A row's values in `table.columns` order: (tree, key, sums).
    values: fn(i64, K, Sums) -> Vec<Value>,
}

/// A customer's month: (reseller, `YYYY-MM`, customer).
type CustomerMonth = (i64, String, i64);

const MONTHLY: Grain<monthly_rollup::Entity, Key, CustomerMonth> = Grain {
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
        // The grain's unique index; the tree is the reseller's.
        on_conflict: OnConflict::Replace {
            on: "reseller_id, month, customer_id, product_id, provider, service, marketplace, charge_category",
            keeps: &["tenant_id"],
        },
    },
    id: monthly_rollup::Column::Id,
    group_of: |k| (k.reseller_id, k.month.clone(), k.customer_id),
    group: |(reseller, month, customer)| {
        Condition::all()
            .add(monthly_rollup::Column::ResellerId.eq(*reseller))
            .add(monthly_rollup::Column::Month.eq(month.as_str()))
            .add(monthly_rollup::Column::CustomerId.eq(*customer))
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

/// A scope's day: (scope, day).
type ScopeDay = (i64, NaiveDate);

const DAILY: Grain<daily_rollup::Entity, DayKey, ScopeDay> = Grain {
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
        // The grain's unique index; the tree and month follow from the scope and the day.
        on_conflict: OnConflict::Replace {
            on: "org_id, day, marketplace, charge_category",
            keeps: &["tenant_id", "month"],
        },
    },
    id: daily_rollup::Column::Id,
    group_of: |k| (k.org_id, k.day),
    group: |(org, day)| {
        Condition::all().add(daily_rollup::Column::OrgId.eq(*org)).add(daily_rollup::Column::Day.eq(*day))
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

/// Writes the monthly rollup's changes for tree `tenant`, given in key order.
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

async fn write<E, K, G>(
    db: &impl ConnectionTrait,
    tenant: i64,
    grain: &Grain<E, K, G>,
    changes: impl Iterator<Item = (K, Sums)> + Send,
) -> Result<(), StoreError>
where
    E: EntityTrait,
    K: Eq + Hash + std::fmt::Debug,
    G: PartialEq,
{
    // The keys come in order, and a group's fields lead its keys' order, so a group's keys are
    // neighbours: batches are cut from the ordered changes as they are consumed, with no second
    // copy of them in memory. (Were a group split between two batches, each would still merge
    // only its own keys.) A key whose changes cancel out moves nothing.
    let mut changes = changes.filter(|(_, sums)| *sums != Sums::default()).peekable();
    while changes.peek().is_some() {
        let mut groups: Vec<G> = Vec::new();
        let mut batch = Vec::new();
        while let Some((key, _)) = changes.peek() {
            if batch.len() == KEYS_PER_WRITE {
                break;
            }
            let group = (grain.group_of)(key);
            if groups.last() != Some(&group) {
                if groups.len() == GROUPS_PER_READ {
                    break;
                }
                groups.push(group);
            }
            batch.extend(changes.next());
        }
        // Always GROUPS_PER_READ terms (the last group repeated), so that the statement's text
        // is the same every time: the connection prepares and caches each text it sees, and one-off
        // texts of hundreds of terms, one per batch size, held tens of megabytes.
        let any = padded(&groups, GROUPS_PER_READ).fold(Condition::any(), |any, group| any.add((grain.group)(group)));
        let stored: HashMap<K, E::Model> =
            E::find().filter(any).all(db).await?.into_iter().map(|row| ((grain.key_of)(&row), row)).collect();
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
    use super::padded;

    #[test]
    fn padding_repeats_the_last_item_up_to_the_length() {
        assert_eq!(padded(&[1, 2], 4).copied().collect::<Vec<_>>(), [1, 2, 2, 2]);
        assert_eq!(padded(&[1, 2], 2).copied().collect::<Vec<_>>(), [1, 2]);
        assert_eq!(padded::<i32>(&[], 3).count(), 0);
    }
}
