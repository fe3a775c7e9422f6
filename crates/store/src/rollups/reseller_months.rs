//! The reseller × month grain (`reseller_month_rollups`): rated line items summed by (reseller,
//! month), revenue and cost without Tax and chargeable units — the reseller × product grain with
//! the product summed away. Insights read a tree's whole history to tell each reseller's
//! transacting months (new, churned, docs/metrics.md §3); this reads one row per reseller and
//! month for it, whatever the number of products.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::grain::{Contribution, Grain};
use super::keys::TREE_TOTAL;
use super::names::Names;
use super::new_months::MonthProbe;
use super::reseller_products::reseller_product_sums_of;
use super::sums::Sums;
use super::sums_table::SumsTable;
use super::writes::{self, StoredGrain};
use crate::bulk::{OnConflict, Table};
use crate::entities::{reseller_month_rollup, reseller_product_rollup};
use crate::{StoreError, stored};

/// The grain of the reseller × month rollup.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResellerMonthKey {
    /// The line's reseller.
    pub reseller_id: i64,
    /// `YYYY-MM`.
    pub month: String,
}

/// A [`ResellerMonthKey`] held by [`Deltas`](super::deltas::Deltas), its month as a code of [`Names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ResellerMonthCode {
    reseller_id: i64,
    month: u32,
}

/// The reseller × month grain's changes.
#[derive(Debug, Default)]
pub(crate) struct ResellerMonths(SumsTable<ResellerMonthCode>);

/// A held key's texts.
fn reseller_month_key(names: &Names, k: &ResellerMonthCode) -> ResellerMonthKey {
    ResellerMonthKey { reseller_id: k.reseller_id, month: names.name(k.month) }
}

impl Grain for ResellerMonths {
    const NAME: &'static str = "reseller month";

    type Key = ResellerMonthKey;

    type Code = ResellerMonthCode;

    type Entity = reseller_month_rollup::Entity;

    fn held(&self) -> &SumsTable<ResellerMonthCode> {
        &self.0
    }

    fn held_mut(&mut self) -> &mut SumsTable<ResellerMonthCode> {
        &mut self.0
    }

    fn add(&mut self, names: &mut Names, line: &Contribution<'_>, sign: i64) -> Result<(), StoreError> {
        let key = line.key;
        let sums = line.without_tax_money();
        let code = ResellerMonthCode { reseller_id: key.reseller_id, month: names.code(key.month) };
        self.0.entry(code).add(&sums, sign)
    }

    fn merge(&mut self, names: &mut Names, other: Self, theirs: &Names) -> Result<(), StoreError> {
        for (k, sums) in other.0.into_entries() {
            let code = ResellerMonthCode { month: names.recode(theirs, k.month), ..k };
            self.0.entry(code).add(&sums, 1)?;
        }
        Ok(())
    }

    fn into_map(self, names: &Names) -> HashMap<ResellerMonthKey, Sums> {
        self.0.into_entries().map(|(k, s)| (reseller_month_key(names, &k), s)).collect()
    }

    async fn write<C: ConnectionTrait>(self, db: &C, tenant: i64, names: &Names) -> Result<(), StoreError> {
        let changes = self.0.into_sorted().map(|(k, s)| (reseller_month_key(names, &k), s));
        writes::write(db, tenant, &TABLE, changes).await
    }

    async fn stored<C: ConnectionTrait>(db: &C, tenant: i64) -> Result<HashMap<ResellerMonthKey, Sums>, StoreError> {
        reseller_month_rollup::Entity::find()
            .filter(reseller_month_rollup::Column::TenantId.eq(tenant))
            .all(db)
            .await?
            .iter()
            .map(|row| Ok((reseller_month_key_of(row), reseller_month_sums_of(row)?)))
            .collect()
    }
}

/// The grain's unique index, in the order `key_values` gives a key's values.
const RESELLER_MONTH_KEY: &[&str] = &["reseller_id", "month"];

/// `reseller_month_rollups`, as [`writes`] writes it.
pub(super) const TABLE: StoredGrain<reseller_month_rollup::Entity, ResellerMonthKey> = StoredGrain {
    table: Table {
        name: "reseller_month_rollups",
        columns: &["tenant_id", "reseller_id", "month", "billed_usd", "effective_usd", "units", "line_count"],
        // The tree follows from the reseller.
        on_conflict: OnConflict::Replace { on: RESELLER_MONTH_KEY, keeps: &["tenant_id"] },
    },
    id: reseller_month_rollup::Column::Id,
    key_columns: RESELLER_MONTH_KEY,
    key_values: |k, values| values.extend([k.reseller_id.into(), k.month.as_str().into()]),
    key_of: reseller_month_key_of,
    id_of: |row| row.id,
    sums_of: reseller_month_sums_of,
    values: |tenant, key, sums| {
        vec![
            tenant.into(),
            key.reseller_id.into(),
            key.month.into(),
            sums.billed_usd.to_string().into(),
            sums.effective_usd.to_string().into(),
            sums.units.to_string().into(),
            sums.lines.into(),
        ]
    },
    months: MonthProbe { tree_column: "tenant_id", month_of: |k| Cow::Borrowed(&k.month) },
};

/// A stored row's key.
fn reseller_month_key_of(row: &reseller_month_rollup::Model) -> ResellerMonthKey {
    ResellerMonthKey { reseller_id: row.reseller_id, month: row.month.clone() }
}

/// A stored row's sums.
fn reseller_month_sums_of(row: &reseller_month_rollup::Model) -> Result<Sums, StoreError> {
    Ok(Sums {
        billed_usd: stored::parse(&row.billed_usd, "reseller_month_rollups.billed_usd")?,
        effective_usd: stored::parse(&row.effective_usd, "reseller_month_rollups.effective_usd")?,
        units: stored::parse(&row.units, "reseller_month_rollups.units")?,
        lines: row.line_count,
        consumed: Decimal::ZERO,
    })
}

/// Fills an empty reseller × month grain from the reseller × product grain, which holds the same
/// sums per product (both add a line's revenue and units without Tax): a database imported
/// before this grain gets it from a few rows per reseller and month, instead of every line read
/// again by the rebuild (270 s at 1M lines); the tree totals there are not a reseller's. Does
/// nothing when the grain has rows already.
pub(crate) async fn fill_from_products<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    if !ResellerMonths::stores_none(db).await? {
        return Ok(());
    }
    let mut by_tenant: BTreeMap<i64, BTreeMap<ResellerMonthKey, Sums>> = BTreeMap::new();
    let resellers = reseller_product_rollup::Column::ResellerId.ne(TREE_TOTAL);
    for row in reseller_product_rollup::Entity::find().filter(resellers).all(db).await? {
        let key = ResellerMonthKey { reseller_id: row.reseller_id, month: row.month.clone() };
        let sums = reseller_product_sums_of(&row)?;
        by_tenant.entry(row.tenant_id).or_default().entry(key).or_default().add(&sums, 1)?;
    }
    writes::write_trees(db, &TABLE, by_tenant).await
}
