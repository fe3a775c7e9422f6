//! The daily grain (`daily_rollups`): rated line items summed by (scope, day, marketplace,
//! charge category), where the scope is the line's reseller and, separately, the top of its
//! tree; the Home dashboard's totals (docs/data-model.md). It keeps no units: no dashboard reads
//! them by day.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::grain::{Contribution, Grain};
use super::names::Names;
use super::new_months::MonthProbe;
use super::sums::Sums;
use super::sums_table::SumsTable;
use super::writes::{self, StoredGrain};
use crate::bulk::{OnConflict, Table};
use crate::entities::daily_rollup;
use crate::{StoreError, stored};

/// The grain of the daily rollup.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DayKey {
    /// The scope summed for: the line's reseller, or the top of its tree.
    pub org_id: i64,
    /// The UTC day of `ChargePeriodStart`.
    pub day: NaiveDate,
    /// `x_Marketplace`.
    pub marketplace: bool,
    /// `ChargeCategory`.
    pub category: String,
}

/// A [`DayKey`] held by [`Deltas`](super::deltas::Deltas), its category as a code of [`Names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct DayCode {
    org_id: i64,
    day: NaiveDate,
    marketplace: bool,
    category: u32,
}

/// The daily grain's changes.
#[derive(Debug, Default)]
pub(crate) struct Daily(SumsTable<DayCode>);

/// A held key's texts.
fn day_key(names: &Names, k: &DayCode) -> DayKey {
    DayKey { org_id: k.org_id, day: k.day, marketplace: k.marketplace, category: names.name(k.category) }
}

impl Grain for Daily {
    const NAME: &'static str = "daily";

    type Key = DayKey;

    type Code = DayCode;

    type Entity = daily_rollup::Entity;

    fn held(&self) -> &SumsTable<DayCode> {
        &self.0
    }

    fn held_mut(&mut self) -> &mut SumsTable<DayCode> {
        &mut self.0
    }

    fn add(&mut self, names: &mut Names, line: &Contribution<'_>, sign: i64) -> Result<(), StoreError> {
        let key = line.key;
        // The daily rollup keeps no units: no dashboard reads them by day.
        let day_sums = Sums { units: Decimal::ZERO, consumed: Decimal::ZERO, ..line.sums.clone() };
        let category = names.code(key.category);
        let mut daily = |org_id| {
            let day_key = DayCode { org_id, day: line.day, marketplace: key.marketplace, category };
            self.0.entry(day_key).add(&day_sums, sign)
        };
        daily(key.reseller_id)?;
        if line.tenant != key.reseller_id {
            daily(line.tenant)?;
        }
        Ok(())
    }

    fn merge(&mut self, names: &mut Names, other: Self, theirs: &Names) -> Result<(), StoreError> {
        for (k, sums) in other.0.into_entries() {
            let code = DayCode { category: names.recode(theirs, k.category), ..k };
            self.0.entry(code).add(&sums, 1)?;
        }
        Ok(())
    }

    fn into_map(self, names: &Names) -> HashMap<DayKey, Sums> {
        self.0.into_entries().map(|(k, s)| (day_key(names, &k), s)).collect()
    }

    async fn write<C: ConnectionTrait>(self, db: &C, tenant: i64, names: &Names) -> Result<(), StoreError> {
        let changes = self.0.into_sorted().map(|(k, s)| (day_key(names, &k), s));
        writes::write(db, tenant, &TABLE, changes).await
    }

    async fn stored<C: ConnectionTrait>(db: &C, tenant: i64) -> Result<HashMap<DayKey, Sums>, StoreError> {
        daily_snapshot(db, tenant).await
    }
}

/// The daily grain's unique index, in the order `key_values` gives a key's values.
const DAILY_KEY: &[&str] = &["org_id", "day", "marketplace", "charge_category"];

/// `daily_rollups`, as [`writes`] writes it.
pub(super) const TABLE: StoredGrain<daily_rollup::Entity, DayKey> = StoredGrain {
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
    key_of: day_key_of,
    id_of: |row| row.id,
    sums_of: day_sums_of,
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
    months: MonthProbe { tree_column: "org_id", month_of: |k| Cow::Owned(k.day.format("%Y-%m").to_string()) },
};

/// A stored row's key.
fn day_key_of(row: &daily_rollup::Model) -> DayKey {
    DayKey { org_id: row.org_id, day: row.day, marketplace: row.marketplace, category: row.charge_category.clone() }
}

/// A stored row's sums.
fn day_sums_of(row: &daily_rollup::Model) -> Result<Sums, StoreError> {
    Ok(Sums {
        billed_usd: stored::parse(&row.billed_usd, "daily_rollups.billed_usd")?,
        effective_usd: stored::parse(&row.effective_usd, "daily_rollups.effective_usd")?,
        units: Decimal::ZERO,
        lines: row.line_count,
        consumed: Decimal::ZERO,
    })
}

/// Every daily rollup row of a tree, as key → sums.
pub async fn daily_snapshot(db: &impl ConnectionTrait, tenant: i64) -> Result<HashMap<DayKey, Sums>, StoreError> {
    daily_rollup::Entity::find()
        .filter(daily_rollup::Column::TenantId.eq(tenant))
        .all(db)
        .await?
        .iter()
        .map(|row| Ok((day_key_of(row), day_sums_of(row)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use sea_orm::DbBackend;

    use super::*;
    use crate::rollups::writes::KEYS_PER_READ;

    #[test]
    fn a_read_finds_each_key_by_its_grains_unique_index() {
        let daily = TABLE.read_statement(DbBackend::Sqlite);
        assert_eq!(daily.matches("), (").count(), KEYS_PER_READ - 1);
        assert_eq!(daily.matches(" = k.column").count(), TABLE.key_columns.len());
        assert_eq!(daily.matches('?').count(), KEYS_PER_READ * TABLE.key_columns.len());
    }
}
