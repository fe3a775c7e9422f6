//! The units grain (`product_unit_rollups`): rated line items' chargeable units summed by
//! (reseller, catalog product, month), the Partners dashboard's falling units
//! (docs/metrics.md §6), so that it reads one row per reseller and product instead of the
//! customer-grain monthly rollup. Lines without a product sum under product 0: the table then
//! has rows whenever lines exist, which is how `Store::migrate` tells an unfilled grain.

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::grain::{Contribution, Grain};
use super::names::Names;
use super::sums::Sums;
use super::sums_table::SumsTable;
use super::writes::{self, StoredGrain};
use crate::bulk::{OnConflict, Table};
use crate::entities::product_unit_rollup;
use crate::{StoreError, stored};

/// The grain of the units rollup.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitsKey {
    /// The line's reseller.
    pub reseller_id: i64,
    /// The line's catalog product, 0 when none.
    pub product_id: i64,
    /// `YYYY-MM`.
    pub month: String,
}

/// A [`UnitsKey`] held by [`Deltas`](super::deltas::Deltas), its month as a code of [`Names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct UnitsCode {
    reseller_id: i64,
    product_id: i64,
    month: u32,
}

/// The units grain's changes.
#[derive(Debug, Default)]
pub(crate) struct ProductUnits(SumsTable<UnitsCode>);

/// A held key's texts.
fn units_key(names: &Names, k: &UnitsCode) -> UnitsKey {
    UnitsKey { reseller_id: k.reseller_id, product_id: k.product_id, month: names.name(k.month) }
}

impl Grain for ProductUnits {
    const NAME: &'static str = "product units";

    type Key = UnitsKey;

    fn add(&mut self, names: &mut Names, line: &Contribution<'_>, sign: i64) -> Result<(), StoreError> {
        let key = line.key;
        // Only units and lines are kept: no dashboard reads money at this grain.
        let sums = Sums { units: line.sums.units, lines: line.sums.lines, ..Sums::default() };
        let code = UnitsCode { reseller_id: key.reseller_id, product_id: key.product_id, month: names.code(key.month) };
        self.0.entry(code).add(&sums, sign)
    }

    fn merge(&mut self, names: &mut Names, other: Self, theirs: &Names) -> Result<(), StoreError> {
        for (k, sums) in other.0.into_entries() {
            let code = UnitsCode { month: names.recode(theirs, k.month), ..k };
            self.0.entry(code).add(&sums, 1)?;
        }
        Ok(())
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn retain_lines(&mut self) {
        self.0.retain(|s| s.lines > 0);
    }

    fn into_map(self, names: &Names) -> HashMap<UnitsKey, Sums> {
        self.0.into_entries().into_iter().map(|(k, s)| (units_key(names, &k), s)).collect()
    }

    async fn write<C: ConnectionTrait>(self, db: &C, tenant: i64, names: &Names) -> Result<(), StoreError> {
        let changes = self.0.into_sorted().into_iter().map(|(k, s)| (units_key(names, &k), s));
        writes::write(db, tenant, &TABLE, changes).await
    }

    async fn stored<C: ConnectionTrait>(db: &C, tenant: i64) -> Result<HashMap<UnitsKey, Sums>, StoreError> {
        product_unit_rollup::Entity::find()
            .filter(product_unit_rollup::Column::TenantId.eq(tenant))
            .all(db)
            .await?
            .iter()
            .map(|row| Ok((units_key_of(row), units_sums_of(row)?)))
            .collect()
    }

    async fn delete_all<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
        product_unit_rollup::Entity::delete_many().exec(db).await?;
        Ok(())
    }

    async fn count<C: ConnectionTrait>(db: &C) -> Result<u64, StoreError> {
        Ok(product_unit_rollup::Entity::find().count(db).await?)
    }
}

/// The units grain's unique index, in the order `key_values` gives a key's values.
const UNITS_KEY: &[&str] = &["reseller_id", "product_id", "month"];

/// `product_unit_rollups`, as [`writes`] writes it.
const TABLE: StoredGrain<product_unit_rollup::Entity, UnitsKey> = StoredGrain {
    table: Table {
        name: "product_unit_rollups",
        columns: &["tenant_id", "reseller_id", "product_id", "month", "units", "line_count"],
        // The tree follows from the reseller.
        on_conflict: OnConflict::Replace { on: UNITS_KEY, keeps: &["tenant_id"] },
    },
    id: product_unit_rollup::Column::Id,
    key_columns: UNITS_KEY,
    key_values: |k, values| values.extend([k.reseller_id.into(), k.product_id.into(), k.month.as_str().into()]),
    key_of: units_key_of,
    id_of: |row| row.id,
    sums_of: units_sums_of,
    values: |tenant, key, sums| {
        vec![
            tenant.into(),
            key.reseller_id.into(),
            key.product_id.into(),
            key.month.into(),
            sums.units.to_string().into(),
            sums.lines.into(),
        ]
    },
};

/// A stored row's key.
fn units_key_of(row: &product_unit_rollup::Model) -> UnitsKey {
    UnitsKey { reseller_id: row.reseller_id, product_id: row.product_id, month: row.month.clone() }
}

/// A stored row's sums.
fn units_sums_of(row: &product_unit_rollup::Model) -> Result<Sums, StoreError> {
    Ok(Sums {
        units: stored::parse(&row.units, "product_unit_rollups.units")?,
        lines: row.line_count,
        billed_usd: Decimal::ZERO,
        effective_usd: Decimal::ZERO,
    })
}
