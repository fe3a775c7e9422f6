//! The monthly grain (`monthly_rollups`): rated line items summed by (month, reseller,
//! customer, product, provider, service, marketplace, charge category), a line's own
//! [`Key`]; the source of every breakdown (docs/data-model.md), and with its consumed quantity
//! the source of usage ([`super::customer_services`]).

use std::borrow::Cow;
use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};

use super::grain::{Contribution, Grain};
use super::keys::{Key, KeyRef};
use super::names::Names;
use super::new_months::MonthProbe;
use super::sums::Sums;
use super::sums_table::SumsTable;
use super::writes::{self, StoredGrain};
use crate::bulk::{OnConflict, Table};
use crate::entities::monthly_rollup;
use crate::{StoreError, stored};

/// A [`Key`] held by [`Deltas`](super::deltas::Deltas): its texts as codes of [`Names`]. Held in
/// a fraction of the memory of a key of strings, and compared without reading text, so an
/// import holds more changes before it must write them, and finds a line's key faster
/// (docs/performance.md §8). The field
/// order keeps a customer's month together, as the grain's unique index does, so
/// [`writes`] reads and writes neighbouring index pages together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct MonthCode {
    month: u32,
    reseller_id: i64,
    customer_id: i64,
    product_id: i64,
    provider: u32,
    service: u32,
    marketplace: bool,
    category: u32,
}

/// The monthly grain's changes.
#[derive(Debug, Default)]
pub(crate) struct Monthly(SumsTable<MonthCode>);

impl Monthly {
    /// A change at `key`.
    pub fn add_key(&mut self, names: &mut Names, key: KeyRef<'_>, sums: &Sums, sign: i64) -> Result<(), StoreError> {
        let code = MonthCode {
            month: names.code(key.month),
            reseller_id: key.reseller_id,
            customer_id: key.customer_id,
            product_id: key.product_id,
            provider: names.code(key.provider),
            service: names.code(key.service),
            marketplace: key.marketplace,
            category: names.code(key.category),
        };
        self.0.entry(code).add(sums, sign)
    }

    /// The changes in key order, consumed.
    pub fn into_sorted(self, names: Names) -> impl Iterator<Item = (Key, Sums)> {
        self.0.into_sorted().map(move |(k, s)| (key(&names, &k), s))
    }
}

/// A held key's texts.
fn key(names: &Names, k: &MonthCode) -> Key {
    Key {
        month: names.name(k.month),
        reseller_id: k.reseller_id,
        customer_id: k.customer_id,
        product_id: k.product_id,
        provider: names.name(k.provider),
        service: names.name(k.service),
        marketplace: k.marketplace,
        category: names.name(k.category),
    }
}

impl Grain for Monthly {
    const NAME: &'static str = "monthly";

    type Key = Key;

    type Code = MonthCode;

    type Entity = monthly_rollup::Entity;

    fn held(&self) -> &SumsTable<MonthCode> {
        &self.0
    }

    fn held_mut(&mut self) -> &mut SumsTable<MonthCode> {
        &mut self.0
    }

    fn add(&mut self, names: &mut Names, line: &Contribution<'_>, sign: i64) -> Result<(), StoreError> {
        self.add_key(names, line.key, line.sums, sign)
    }

    fn merge(&mut self, names: &mut Names, other: Self, theirs: &Names) -> Result<(), StoreError> {
        for (k, sums) in other.0.into_entries() {
            let code = MonthCode {
                month: names.recode(theirs, k.month),
                provider: names.recode(theirs, k.provider),
                service: names.recode(theirs, k.service),
                category: names.recode(theirs, k.category),
                ..k
            };
            self.0.entry(code).add(&sums, 1)?;
        }
        Ok(())
    }

    fn into_map(self, names: &Names) -> HashMap<Key, Sums> {
        self.0.into_entries().map(|(k, s)| (key(names, &k), s)).collect()
    }

    async fn write<C: ConnectionTrait>(self, db: &C, tenant: i64, names: &Names) -> Result<(), StoreError> {
        // Each key's texts are looked up as the writer takes it, not all at once: the changes
        // are never held twice.
        let changes = self.0.into_sorted().map(|(k, s)| (key(names, &k), s));
        writes::write(db, tenant, &TABLE, changes).await
    }

    async fn stored<C: ConnectionTrait>(db: &C, tenant: i64) -> Result<HashMap<Key, Sums>, StoreError> {
        snapshot(db, tenant).await
    }
}

/// The monthly grain's unique index, in the order `key_values` gives a key's values.
const MONTHLY_KEY: &[&str] =
    &["reseller_id", "month", "customer_id", "product_id", "provider", "service", "marketplace", "charge_category"];

/// `monthly_rollups`, as [`writes`] writes it.
pub(super) const TABLE: StoredGrain<monthly_rollup::Entity, Key> = StoredGrain {
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
            "consumed",
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
    key_of,
    id_of: |row| row.id,
    sums_of,
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
            sums.consumed.to_string().into(),
        ]
    },
    months: MonthProbe { tree_column: "tenant_id", month_of: |k| Cow::Borrowed(&k.month) },
};

/// A stored row's key.
fn key_of(row: &monthly_rollup::Model) -> Key {
    key_ref_of(row).to_key()
}

/// A stored row's key, borrowed.
pub(crate) fn key_ref_of(row: &monthly_rollup::Model) -> KeyRef<'_> {
    KeyRef {
        month: &row.month,
        reseller_id: row.reseller_id,
        customer_id: row.customer_id,
        product_id: row.product_id,
        provider: &row.provider,
        service: &row.service,
        marketplace: row.marketplace,
        category: &row.charge_category,
    }
}

/// A stored row's sums.
pub(crate) fn sums_of(row: &monthly_rollup::Model) -> Result<Sums, StoreError> {
    Ok(Sums {
        billed_usd: stored::parse(&row.billed_usd, "monthly_rollups.billed_usd")?,
        effective_usd: stored::parse(&row.effective_usd, "monthly_rollups.effective_usd")?,
        units: stored::parse(&row.units, "monthly_rollups.units")?,
        lines: row.line_count,
        // None only before `Store::migrate`'s rebuild of rows written without it.
        consumed: match &row.consumed {
            Some(consumed) => stored::parse(consumed, "monthly_rollups.consumed")?,
            None => Decimal::ZERO,
        },
    })
}

/// Whether a monthly row written before the consumed quantity was kept is left (migration
/// `m20261207_000004`): `Store::migrate` then rebuilds the rollups. One seek of a partial index
/// that is empty once they are rebuilt.
pub(crate) async fn lacks_consumed(db: &impl ConnectionTrait) -> Result<bool, StoreError> {
    let sql = "SELECT 1 FROM monthly_rollups WHERE consumed IS NULL LIMIT 1";
    Ok(db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?.is_some())
}

/// Every rollup row of a tree, as key → sums (for comparisons and the rebuild).
pub async fn snapshot(db: &impl ConnectionTrait, tenant: i64) -> Result<HashMap<Key, Sums>, StoreError> {
    monthly_rollup::Entity::find()
        .filter(monthly_rollup::Column::TenantId.eq(tenant))
        .all(db)
        .await?
        .iter()
        .map(|row| Ok((key_of(row), sums_of(row)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use sea_orm::DbBackend;

    use super::*;
    use crate::rollups::writes::KEYS_PER_READ;

    #[test]
    fn a_read_finds_each_key_by_its_grains_unique_index() {
        // Read on SQLite only: PostgreSQL adds the changes as it writes them (`added_in_sql`).
        let monthly = TABLE.read_statement(DbBackend::Sqlite);
        assert!(monthly.starts_with("SELECT t.* FROM (VALUES (?, ?, ?, ?, ?, ?, ?, ?), (?, "), "{monthly}");
        assert_eq!(monthly.matches('?').count(), KEYS_PER_READ * 8);
        assert!(monthly.contains("?)) AS k JOIN monthly_rollups t ON "), "{monthly}");
        assert!(monthly.ends_with(" AND t.charge_category = k.column8"), "{monthly}");
    }
}
