//! The segment × month rollup (`segment_month_rollups`): the customer × month grain summed again
//! by each customer's segment (empty when none), per (reseller, segment, month), so that
//! Insights' segments read a few rows per reseller and month whatever the number of customers.
//!
//! A segment is the customer's, not the line's, so this is not a grain of its own kept from the
//! lines: it follows the customer × month grain, which calls it (this file does not know that
//! one). Whatever that grain writes is written here too, under the segments the customers have
//! then ([`write_following`]); when a customer's segment changes, its rows move from the old
//! segment to the new ([`moved`]); and the rollup checks compare it with the customer × month
//! rows summed by today's segments ([`check`]). Each (segment, month) is summed over the tree's
//! resellers too, under reseller [`TREE_TOTAL`], for a distributor's Insights.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::grain;
use super::keys::TREE_TOTAL;
use super::new_months::MonthProbe;
use super::sums::Sums;
use super::writes::{self, StoredGrain};
use crate::bulk::{OnConflict, Table};
use crate::entities::{organization, segment_month_rollup};
use crate::{StoreError, stored};

/// A key of the segment × month rollup.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SegmentMonthKey {
    /// The tree: part of the key, since the tree totals of every tree share reseller
    /// [`TREE_TOTAL`].
    pub tenant_id: i64,
    /// The customers' reseller.
    pub reseller_id: i64,
    /// Their segment, empty when none.
    pub segment: String,
    /// `YYYY-MM`.
    pub month: String,
}

/// A customer × month row or change as this rollup takes it in: (reseller, customer, month, sums).
pub(super) type CustomerMonth<'a> = (i64, i64, &'a str, &'a Sums);

/// Customers whose segments are read per statement.
const IDS_PER_READ: usize = 500;

/// Each of `customers`' segment (empty when none).
pub(crate) async fn segments_of<C: ConnectionTrait>(
    db: &C,
    customers: &[i64],
) -> Result<HashMap<i64, String>, StoreError> {
    let mut customers = customers.to_vec();
    customers.sort_unstable();
    customers.dedup();
    let mut found = HashMap::with_capacity(customers.len());
    for chunk in customers.chunks(IDS_PER_READ) {
        let rows = organization::Entity::find()
            .select_only()
            .columns([organization::Column::Id, organization::Column::Segment])
            .filter(organization::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple::<(i64, Option<String>)>()
            .all(db)
            .await?;
        found.extend(rows.into_iter().map(|(id, segment)| (id, segment.unwrap_or_default())));
    }
    Ok(found)
}

/// Customer × month rows or changes of tree `tenant`, summed by the customers' segments, per
/// reseller and over the tree's resellers ([`TREE_TOTAL`]).
async fn by_segment<C: ConnectionTrait>(
    db: &C,
    tenant: i64,
    rows: &[CustomerMonth<'_>],
) -> Result<BTreeMap<SegmentMonthKey, Sums>, StoreError> {
    let customers: Vec<i64> = rows.iter().map(|(_, customer, ..)| *customer).collect();
    let segments = segments_of(db, &customers).await?;
    let mut summed: BTreeMap<SegmentMonthKey, Sums> = BTreeMap::new();
    for (reseller_id, customer, month, sums) in rows {
        let segment = segments.get(customer).map_or("", String::as_str);
        add_under(&mut summed, tenant, *reseller_id, segment, month, sums, 1)?;
    }
    Ok(summed)
}

/// Adds `sums` × `sign` to (`reseller_id`, `segment`, `month`) and, for a reseller's customer
/// (not one of the distributor's own), to the tree's total of that segment and month.
fn add_under(
    summed: &mut BTreeMap<SegmentMonthKey, Sums>,
    tenant: i64,
    reseller_id: i64,
    segment: &str,
    month: &str,
    sums: &Sums,
    sign: i64,
) -> Result<(), StoreError> {
    let resellers: &[i64] = if reseller_id == tenant { &[reseller_id] } else { &[reseller_id, TREE_TOTAL] };
    for &reseller_id in resellers {
        let key =
            SegmentMonthKey { tenant_id: tenant, reseller_id, segment: segment.to_owned(), month: month.to_owned() };
        summed.entry(key).or_default().add(sums, sign)?;
    }
    Ok(())
}

/// Writes customer × month changes of tree `tenant` here too, under the segments the customers
/// have now.
pub(super) async fn write_following<C: ConnectionTrait>(
    db: &C,
    tenant: i64,
    changes: &[CustomerMonth<'_>],
) -> Result<(), StoreError> {
    let summed = by_segment(db, tenant, changes).await?;
    writes::write(db, tenant, &TABLE, summed.into_iter()).await
}

/// A customer of tree `tenant` moves from segment `from` to `to` (none: empty): its customer ×
/// month rows `rows` (reseller, month, sums) are taken out of the one and added to the other.
pub(super) async fn moved<C: ConnectionTrait>(
    db: &C,
    tenant: i64,
    rows: &[(i64, &str, &Sums)],
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(), StoreError> {
    let mut moves: BTreeMap<SegmentMonthKey, Sums> = BTreeMap::new();
    for (reseller_id, month, sums) in rows {
        for (segment, sign) in [(from, -1), (to, 1)] {
            add_under(&mut moves, tenant, *reseller_id, segment.unwrap_or(""), month, sums, sign)?;
        }
    }
    writes::write(db, tenant, &TABLE, moves.into_iter()).await
}

/// Compares the stored segment rows of tree `tenant` with its customer × month rows `rows`
/// summed by today's segments: a difference names the first key that differs.
pub(super) async fn check<C: ConnectionTrait>(
    db: &C,
    tenant: i64,
    rows: &[CustomerMonth<'_>],
) -> Result<(), StoreError> {
    let expected: HashMap<SegmentMonthKey, Sums> = by_segment(db, tenant, rows).await?.into_iter().collect();
    let stored: HashMap<SegmentMonthKey, Sums> = segment_month_rollup::Entity::find()
        .filter(segment_month_rollup::Column::TenantId.eq(tenant))
        .all(db)
        .await?
        .iter()
        .map(|row| Ok((key_of(row), sums_of(row)?)))
        .collect::<Result<_, StoreError>>()?;
    grain::compare(&stored, &expected, "the segment month rollup differs from its customers")
}

/// Fills the tree totals of rollups written before they were kept, from the resellers' rows of
/// the same table. Does nothing when some total is stored already.
pub(crate) async fn fill_tree_totals<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    use segment_month_rollup::Column;
    if segment_month_rollup::Entity::find().filter(Column::ResellerId.eq(TREE_TOTAL)).one(db).await?.is_some() {
        return Ok(());
    }
    let mut by_tenant: BTreeMap<i64, BTreeMap<SegmentMonthKey, Sums>> = BTreeMap::new();
    let resold = Expr::col(Column::ResellerId).ne(Expr::col(Column::TenantId));
    for row in segment_month_rollup::Entity::find().filter(resold).all(db).await? {
        let key = SegmentMonthKey { reseller_id: TREE_TOTAL, ..key_of(&row) };
        by_tenant.entry(row.tenant_id).or_default().entry(key).or_default().add(&sums_of(&row)?, 1)?;
    }
    writes::write_trees(db, &TABLE, by_tenant).await
}

/// Deletes every row of every tree (a rebuild).
pub(super) async fn delete_all<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    segment_month_rollup::Entity::delete_many().exec(db).await?;
    Ok(())
}

/// The rollup's unique index, in the order `key_values` gives a key's values. The tree is in
/// it: every tree's totals are under reseller [`TREE_TOTAL`], and without it two trees' totals
/// of a segment and month were one row (`m20261206_000002`).
const SEGMENT_MONTH_KEY: &[&str] = &["tenant_id", "reseller_id", "segment", "month"];

/// `segment_month_rollups`, as [`writes`] writes it.
pub(super) const TABLE: StoredGrain<segment_month_rollup::Entity, SegmentMonthKey> = StoredGrain {
    table: Table {
        name: "segment_month_rollups",
        columns: &[
            "tenant_id",
            "reseller_id",
            "segment",
            "month",
            "billed_usd",
            "effective_usd",
            "units",
            "line_count",
        ],
        on_conflict: OnConflict::Replace { on: SEGMENT_MONTH_KEY, keeps: &[] },
    },
    id: segment_month_rollup::Column::Id,
    key_columns: SEGMENT_MONTH_KEY,
    key_values: |k, values| {
        values.extend([k.tenant_id.into(), k.reseller_id.into(), k.segment.as_str().into(), k.month.as_str().into()])
    },
    key_of,
    id_of: |row| row.id,
    sums_of,
    values: |tenant, key, sums| {
        vec![
            tenant.into(),
            key.reseller_id.into(),
            key.segment.into(),
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
fn key_of(row: &segment_month_rollup::Model) -> SegmentMonthKey {
    SegmentMonthKey {
        tenant_id: row.tenant_id,
        reseller_id: row.reseller_id,
        segment: row.segment.clone(),
        month: row.month.clone(),
    }
}

/// A stored row's sums.
fn sums_of(row: &segment_month_rollup::Model) -> Result<Sums, StoreError> {
    Ok(Sums {
        billed_usd: stored::parse(&row.billed_usd, "segment_month_rollups.billed_usd")?,
        effective_usd: stored::parse(&row.effective_usd, "segment_month_rollups.effective_usd")?,
        units: stored::parse(&row.units, "segment_month_rollups.units")?,
        lines: row.line_count,
        consumed: Decimal::ZERO,
    })
}
