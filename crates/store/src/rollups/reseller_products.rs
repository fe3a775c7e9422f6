//! The reseller × product grain (`reseller_product_rollups`): rated line items summed by
//! (reseller, catalog product, month) — chargeable units of every category (the Partners
//! dashboard's falling units, docs/metrics.md §6) and revenue and cost without Tax (the reseller
//! activity and families of Insights, §3–§4) — so that those read one row per reseller and
//! product instead of the customer-grain monthly rollup. Lines without a product sum under
//! product 0: the table then has rows whenever lines exist, which is how `Store::migrate` tells
//! an unfilled grain. Each (product, month) is summed over the tree's resellers too, under
//! reseller [`TREE_TOTAL`], for a distributor's Insights.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::grain::{Contribution, Grain};
use super::keys::TREE_TOTAL;
use super::names::Names;
use super::new_months::MonthProbe;
use super::sums::Sums;
use super::sums_table::SumsTable;
use super::writes::{self, StoredGrain};
use crate::bulk::{OnConflict, Table};
use crate::entities::reseller_product_rollup;
use crate::{StoreError, stored};

/// The grain of the reseller × product rollup.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResellerProductKey {
    /// The tree: part of the key, since every tree's totals are under reseller [`TREE_TOTAL`]
    /// (and product 0 is every tree's "no product").
    pub tenant_id: i64,
    /// The line's reseller.
    pub reseller_id: i64,
    /// The line's catalog product, 0 when none.
    pub product_id: i64,
    /// `YYYY-MM`.
    pub month: String,
}

/// A [`ResellerProductKey`] held by [`Deltas`](super::deltas::Deltas), its month as a code of [`Names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ResellerProductCode {
    tenant_id: i64,
    reseller_id: i64,
    product_id: i64,
    month: u32,
}

/// The reseller × product grain's changes.
#[derive(Debug, Default)]
pub(crate) struct ResellerProducts(SumsTable<ResellerProductCode>);

/// A held key's texts.
fn reseller_product_key(names: &Names, k: &ResellerProductCode) -> ResellerProductKey {
    ResellerProductKey {
        tenant_id: k.tenant_id,
        reseller_id: k.reseller_id,
        product_id: k.product_id,
        month: names.name(k.month),
    }
}

impl Grain for ResellerProducts {
    const NAME: &'static str = "reseller product";

    type Key = ResellerProductKey;

    type Code = ResellerProductCode;

    type Entity = reseller_product_rollup::Entity;

    fn held(&self) -> &SumsTable<ResellerProductCode> {
        &self.0
    }

    fn held_mut(&mut self) -> &mut SumsTable<ResellerProductCode> {
        &mut self.0
    }

    fn add(&mut self, names: &mut Names, line: &Contribution<'_>, sign: i64) -> Result<(), StoreError> {
        let key = line.key;
        let sums = line.without_tax_money();
        let code = ResellerProductCode {
            tenant_id: line.tenant,
            reseller_id: key.reseller_id,
            product_id: key.product_id,
            month: names.code(key.month),
        };
        self.0.entry(code).add(&sums, sign)?;
        // A reseller's line counts in its tree's total too; a direct customer's of the
        // distributor (its reseller is the tree) does not.
        if key.reseller_id != line.tenant {
            self.0.entry(ResellerProductCode { reseller_id: TREE_TOTAL, ..code }).add(&sums, sign)?;
        }
        Ok(())
    }

    fn merge(&mut self, names: &mut Names, other: Self, theirs: &Names) -> Result<(), StoreError> {
        for (k, sums) in other.0.into_entries() {
            let code = ResellerProductCode { month: names.recode(theirs, k.month), ..k };
            self.0.entry(code).add(&sums, 1)?;
        }
        Ok(())
    }

    fn into_map(self, names: &Names) -> HashMap<ResellerProductKey, Sums> {
        self.0.into_entries().map(|(k, s)| (reseller_product_key(names, &k), s)).collect()
    }

    async fn write<C: ConnectionTrait>(self, db: &C, tenant: i64, names: &Names) -> Result<(), StoreError> {
        let changes = self.0.into_sorted().map(|(k, s)| (reseller_product_key(names, &k), s));
        writes::write(db, tenant, &TABLE, changes).await
    }

    async fn stored<C: ConnectionTrait>(db: &C, tenant: i64) -> Result<HashMap<ResellerProductKey, Sums>, StoreError> {
        reseller_product_rollup::Entity::find()
            .filter(reseller_product_rollup::Column::TenantId.eq(tenant))
            .all(db)
            .await?
            .iter()
            .map(|row| Ok((reseller_product_key_of(row), reseller_product_sums_of(row)?)))
            .collect()
    }
}

/// Fills the tree totals of rollups written before they were kept, from the resellers' rows of
/// the same table (a few per reseller, product and month, where the rebuild would read every
/// line again). Does nothing when some total is stored already: a tree with reseller rows has
/// total rows from then on.
pub(crate) async fn fill_tree_totals<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    use reseller_product_rollup::Column;
    if reseller_product_rollup::Entity::find().filter(Column::ResellerId.eq(TREE_TOTAL)).one(db).await?.is_some() {
        return Ok(());
    }
    let mut by_tenant: BTreeMap<i64, BTreeMap<ResellerProductKey, Sums>> = BTreeMap::new();
    let resold = Expr::col(Column::ResellerId).ne(Expr::col(Column::TenantId));
    for row in reseller_product_rollup::Entity::find().filter(resold).all(db).await? {
        let key = ResellerProductKey { reseller_id: TREE_TOTAL, ..reseller_product_key_of(&row) };
        by_tenant.entry(row.tenant_id).or_default().entry(key).or_default().add(&reseller_product_sums_of(&row)?, 1)?;
    }
    writes::write_trees(db, &TABLE, by_tenant).await
}

/// The grain's unique index, in the order `key_values` gives a key's values. The tree is in it:
/// every tree's totals are under reseller [`TREE_TOTAL`], and without it two trees' totals of
/// product 0 (no product) in a month were one row (`m20261206_000002`).
const RESELLER_PRODUCT_KEY: &[&str] = &["tenant_id", "reseller_id", "product_id", "month"];

/// `reseller_product_rollups`, as [`writes`] writes it.
pub(super) const TABLE: StoredGrain<reseller_product_rollup::Entity, ResellerProductKey> = StoredGrain {
    table: Table {
        name: "reseller_product_rollups",
        columns: &[
            "tenant_id",
            "reseller_id",
            "product_id",
            "month",
            "billed_usd",
            "effective_usd",
            "units",
            "line_count",
        ],
        on_conflict: OnConflict::Replace { on: RESELLER_PRODUCT_KEY, keeps: &[] },
    },
    id: reseller_product_rollup::Column::Id,
    key_columns: RESELLER_PRODUCT_KEY,
    key_values: |k, values| {
        values.extend([k.tenant_id.into(), k.reseller_id.into(), k.product_id.into(), k.month.as_str().into()])
    },
    key_of: reseller_product_key_of,
    id_of: |row| row.id,
    sums_of: reseller_product_sums_of,
    values: |tenant, key, sums| {
        vec![
            tenant.into(),
            key.reseller_id.into(),
            key.product_id.into(),
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
fn reseller_product_key_of(row: &reseller_product_rollup::Model) -> ResellerProductKey {
    ResellerProductKey {
        tenant_id: row.tenant_id,
        reseller_id: row.reseller_id,
        product_id: row.product_id,
        month: row.month.clone(),
    }
}

/// A stored row's sums.
pub(super) fn reseller_product_sums_of(row: &reseller_product_rollup::Model) -> Result<Sums, StoreError> {
    Ok(Sums {
        billed_usd: stored::parse(&row.billed_usd, "reseller_product_rollups.billed_usd")?,
        effective_usd: stored::parse(&row.effective_usd, "reseller_product_rollups.effective_usd")?,
        units: stored::parse(&row.units, "reseller_product_rollups.units")?,
        lines: row.line_count,
        consumed: Decimal::ZERO,
    })
}
