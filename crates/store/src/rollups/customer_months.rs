//! The customer × month grain (`customer_month_rollups`): rated line items summed by (customer,
//! month) — revenue and cost without Tax and units of every category, as the reseller × product
//! grain keeps them — so that Insights' customer segments (docs/metrics.md §4) read one row per
//! customer and month. The segment × month rollup follows it (`segment_months`).

use std::borrow::Cow;
use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::grain::{Contribution, Grain};
use super::names::Names;
use super::new_months::MonthProbe;
use super::segment_months;
use super::sums::Sums;
use super::sums_table::SumsTable;
use super::tree_lock::lock_tree;
use super::writes::{self, StoredGrain};
use crate::bulk::{OnConflict, Table};
use crate::entities::customer_month_rollup;
use crate::{StoreError, stored};

/// The grain of the customer × month rollup.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerMonthKey {
    /// The line's reseller.
    pub reseller_id: i64,
    /// The line's customer.
    pub customer_id: i64,
    /// `YYYY-MM`.
    pub month: String,
}

/// A [`CustomerMonthKey`] held by [`Deltas`](super::deltas::Deltas), its month as a code of [`Names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct CustomerMonthCode {
    reseller_id: i64,
    customer_id: i64,
    month: u32,
}

/// The customer × month grain's changes.
#[derive(Debug, Default)]
pub(crate) struct CustomerMonths(SumsTable<CustomerMonthCode>);

/// A held key's texts.
fn customer_month_key(names: &Names, k: &CustomerMonthCode) -> CustomerMonthKey {
    CustomerMonthKey { reseller_id: k.reseller_id, customer_id: k.customer_id, month: names.name(k.month) }
}

impl Grain for CustomerMonths {
    const NAME: &'static str = "customer month";

    type Key = CustomerMonthKey;

    type Code = CustomerMonthCode;

    type Entity = customer_month_rollup::Entity;

    fn held(&self) -> &SumsTable<CustomerMonthCode> {
        &self.0
    }

    fn held_mut(&mut self) -> &mut SumsTable<CustomerMonthCode> {
        &mut self.0
    }

    fn add(&mut self, names: &mut Names, line: &Contribution<'_>, sign: i64) -> Result<(), StoreError> {
        let code = CustomerMonthCode {
            reseller_id: line.key.reseller_id,
            customer_id: line.key.customer_id,
            month: names.code(line.key.month),
        };
        self.0.entry(code).add(&line.without_tax_money(), sign)
    }

    fn merge(&mut self, names: &mut Names, other: Self, theirs: &Names) -> Result<(), StoreError> {
        for (k, sums) in other.0.into_entries() {
            let code = CustomerMonthCode { month: names.recode(theirs, k.month), ..k };
            self.0.entry(code).add(&sums, 1)?;
        }
        Ok(())
    }

    fn into_map(self, names: &Names) -> HashMap<CustomerMonthKey, Sums> {
        self.0.into_entries().map(|(k, s)| (customer_month_key(names, &k), s)).collect()
    }

    async fn write<C: ConnectionTrait>(self, db: &C, tenant: i64, names: &Names) -> Result<(), StoreError> {
        let changes: Vec<(CustomerMonthKey, Sums)> =
            self.0.into_sorted().map(|(k, s)| (customer_month_key(names, &k), s)).collect();
        let following: Vec<_> =
            changes.iter().map(|(k, s)| (k.reseller_id, k.customer_id, k.month.as_str(), s)).collect();
        segment_months::write_following(db, tenant, &following).await?;
        writes::write(db, tenant, &TABLE, changes.into_iter()).await
    }

    async fn stored<C: ConnectionTrait>(db: &C, tenant: i64) -> Result<HashMap<CustomerMonthKey, Sums>, StoreError> {
        customer_month_rollup::Entity::find()
            .filter(customer_month_rollup::Column::TenantId.eq(tenant))
            .all(db)
            .await?
            .iter()
            .map(|row| Ok((key_of(row), sums_of(row)?)))
            .collect()
    }

    async fn delete_all<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
        customer_month_rollup::Entity::delete_many().exec(db).await?;
        segment_months::delete_all(db).await
    }

    async fn check_following<C: ConnectionTrait>(db: &C, tenant: i64) -> Result<(), StoreError> {
        let rows = customer_month_rollup::Entity::find()
            .filter(customer_month_rollup::Column::TenantId.eq(tenant))
            .all(db)
            .await?;
        let sums = rows.iter().map(sums_of).collect::<Result<Vec<_>, _>>()?;
        let following: Vec<_> =
            rows.iter().zip(&sums).map(|(r, s)| (r.reseller_id, r.customer_id, r.month.as_str(), s)).collect();
        segment_months::check(db, tenant, &following).await
    }
}

/// Customer `customer` of tree `tenant` moves from segment `from` to `to` (none: `None`): its
/// rows move along in the segment × month rollup that follows this grain.
pub(crate) async fn resegment<C: ConnectionTrait>(
    db: &C,
    tenant: i64,
    customer: i64,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(), StoreError> {
    if from == to {
        return Ok(());
    }
    lock_tree(db, tenant).await?;
    let rows = customer_month_rollup::Entity::find()
        .filter(customer_month_rollup::Column::CustomerId.eq(customer))
        .all(db)
        .await?;
    let sums = rows.iter().map(sums_of).collect::<Result<Vec<_>, _>>()?;
    let moving: Vec<_> = rows.iter().zip(&sums).map(|(r, s)| (r.reseller_id, r.month.as_str(), s)).collect();
    segment_months::moved(db, tenant, &moving, from, to).await
}

/// The grain's unique index, in the order `key_values` gives a key's values.
const CUSTOMER_MONTH_KEY: &[&str] = &["reseller_id", "customer_id", "month"];

/// `customer_month_rollups`, as [`writes`] writes it.
pub(super) const TABLE: StoredGrain<customer_month_rollup::Entity, CustomerMonthKey> = StoredGrain {
    table: Table {
        name: "customer_month_rollups",
        columns: &[
            "tenant_id",
            "reseller_id",
            "customer_id",
            "month",
            "billed_usd",
            "effective_usd",
            "units",
            "line_count",
        ],
        // The tree follows from the reseller.
        on_conflict: OnConflict::Replace { on: CUSTOMER_MONTH_KEY, keeps: &["tenant_id"] },
    },
    id: customer_month_rollup::Column::Id,
    key_columns: CUSTOMER_MONTH_KEY,
    key_values: |k, values| values.extend([k.reseller_id.into(), k.customer_id.into(), k.month.as_str().into()]),
    key_of,
    id_of: |row| row.id,
    sums_of,
    values: |tenant, key, sums| {
        vec![
            tenant.into(),
            key.reseller_id.into(),
            key.customer_id.into(),
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
fn key_of(row: &customer_month_rollup::Model) -> CustomerMonthKey {
    CustomerMonthKey { reseller_id: row.reseller_id, customer_id: row.customer_id, month: row.month.clone() }
}

/// A stored row's sums.
fn sums_of(row: &customer_month_rollup::Model) -> Result<Sums, StoreError> {
    Ok(Sums {
        billed_usd: stored::parse(&row.billed_usd, "customer_month_rollups.billed_usd")?,
        effective_usd: stored::parse(&row.effective_usd, "customer_month_rollups.effective_usd")?,
        units: stored::parse(&row.units, "customer_month_rollups.units")?,
        lines: row.line_count,
        consumed: Decimal::ZERO,
    })
}
