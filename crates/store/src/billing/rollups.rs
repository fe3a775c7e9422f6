//! The rollups, kept in step with the line items in the same transaction as every change:
//! - monthly: rated line items summed by (month, reseller, customer, product, provider, service,
//!   marketplace, charge category), for breakdowns;
//! - daily: summed by (scope, day, marketplace, charge category), where the scope is the line's
//!   reseller and, separately, the top of its tree, for the Home dashboard's totals.
//!
//! Sums are exact decimals, added in Rust.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use chrono::NaiveDate;

use super::rollup_writes;
use crate::entities::{billing_line_item, daily_rollup, monthly_rollup};
use crate::{Store, StoreError, stored};

/// The grain of the rollup.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// `YYYY-MM`.
    pub month: String,
    /// The line's reseller.
    pub reseller_id: i64,
    /// The line's customer.
    pub customer_id: i64,
    /// 0 when the line has no product.
    pub product_id: i64,
    /// `ProviderName`.
    pub provider: String,
    /// `ServiceName`.
    pub service: String,
    /// `x_Marketplace`.
    pub marketplace: bool,
    /// `ChargeCategory`.
    pub category: String,
}

/// Sums at one key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sums {
    /// Billed USD.
    pub billed_usd: Decimal,
    /// Effective USD.
    pub effective_usd: Decimal,
    /// Units (`PricingQuantity`, else `ConsumedQuantity`, else 0).
    pub units: Decimal,
    /// Lines.
    pub lines: i64,
}

impl Sums {
    /// Adds (`sign` 1) or takes away (`sign` -1) other sums; an overflow is refused, not a panic.
    pub(crate) fn add(&mut self, other: &Sums, sign: i64) -> Result<(), StoreError> {
        let s = Decimal::from(sign);
        let sum = |a: Decimal, b: Decimal| {
            b.checked_mul(s)
                .and_then(|b| a.checked_add(b))
                .ok_or_else(|| StoreError::invalid("BilledCost", "the totals are too large to hold exactly"))
        };
        self.billed_usd = sum(self.billed_usd, other.billed_usd)?;
        self.effective_usd = sum(self.effective_usd, other.effective_usd)?;
        self.units = sum(self.units, other.units)?;
        self.lines += other.lines * sign;
        Ok(())
    }
}

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

/// Changes to the rollups, gathered while lines are added, replaced or rated. Ordered maps: a
/// key's order begins with the group its stored rows are read by, so the writer takes the
/// changes group by group as they come (see `rollup_writes`).
#[derive(Debug, Default)]
pub struct Deltas {
    /// Monthly, customer grain.
    pub monthly: BTreeMap<Key, Sums>,
    /// Daily, scope grain.
    pub daily: BTreeMap<DayKey, Sums>,
}

impl Deltas {
    /// A rated line comes in (`sign` 1) or goes out (`sign` -1).
    pub fn line(&mut self, line: &billing_line_item::Model, sign: i64) -> Result<(), StoreError> {
        let Some((key, sums)) = contribution(line)? else { return Ok(()) };
        self.add(line.tenant_id, line.day, key, &sums, sign)
    }

    /// A rated line's contribution at `key` on `day`, in tree `tenant`: the import adds what it
    /// has just rated without reading it back from its stored text.
    pub fn add(&mut self, tenant: i64, day: NaiveDate, key: Key, sums: &Sums, sign: i64) -> Result<(), StoreError> {
        // The daily rollup keeps no units: no dashboard reads them by day.
        let day_sums = Sums { units: Decimal::ZERO, ..sums.clone() };
        let mut daily = |org_id| {
            let day_key = DayKey { org_id, day, marketplace: key.marketplace, category: key.category.clone() };
            self.daily.entry(day_key).or_default().add(&day_sums, sign)
        };
        daily(key.reseller_id)?;
        if tenant != key.reseller_id {
            daily(tenant)?;
        }
        self.monthly.entry(key).or_default().add(sums, sign)
    }

    /// How many keys are held.
    pub fn len(&self) -> usize {
        self.monthly.len() + self.daily.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.monthly.is_empty() && self.daily.is_empty()
    }

    /// Writes the changes to both rollups.
    pub async fn apply(self, db: &impl ConnectionTrait, tenant: i64) -> Result<(), StoreError> {
        rollup_writes::apply(db, tenant, self).await
    }
}

pub(crate) fn day_key_of(row: &daily_rollup::Model) -> DayKey {
    DayKey { org_id: row.org_id, day: row.day, marketplace: row.marketplace, category: row.charge_category.clone() }
}

pub(crate) fn day_sums_of(row: &daily_rollup::Model) -> Result<Sums, StoreError> {
    Ok(Sums {
        billed_usd: stored::parse(&row.billed_usd, "daily_rollups.billed_usd")?,
        effective_usd: stored::parse(&row.effective_usd, "daily_rollups.effective_usd")?,
        units: Decimal::ZERO,
        lines: row.line_count,
    })
}

/// A rated line's key: none for an unrated line, or one without a customer.
pub fn key_of_line(line: &billing_line_item::Model) -> Option<Key> {
    if !line.rated {
        return None;
    }
    Some(Key {
        month: line.month.clone(),
        reseller_id: line.reseller_id?,
        customer_id: line.customer_id?,
        product_id: line.product_id.unwrap_or(0),
        provider: line.provider.clone(),
        service: line.service.clone(),
        marketplace: line.marketplace,
        category: line.charge_category.clone(),
    })
}

/// A rated line's key and sums; none for an unrated line.
pub fn contribution(line: &billing_line_item::Model) -> Result<Option<(Key, Sums)>, StoreError> {
    let Some(key) = key_of_line(line) else { return Ok(None) };
    let decimal = |v: &Option<String>, column: &str| -> Result<Decimal, StoreError> {
        v.as_deref().map(|v| stored::parse(v, column)).transpose().map(|d| d.unwrap_or_default())
    };
    let sums = Sums {
        billed_usd: decimal(&line.billed_usd, "billing_line_items.billed_usd")?,
        effective_usd: decimal(&line.effective_usd, "billing_line_items.effective_usd")?,
        units: decimal(&line.quantity, "billing_line_items.quantity")?,
        lines: 1,
    };
    Ok(Some((key, sums)))
}

pub(crate) fn key_of(row: &monthly_rollup::Model) -> Key {
    Key {
        month: row.month.clone(),
        reseller_id: row.reseller_id,
        customer_id: row.customer_id,
        product_id: row.product_id,
        provider: row.provider.clone(),
        service: row.service.clone(),
        marketplace: row.marketplace,
        category: row.charge_category.clone(),
    }
}

pub(crate) fn sums_of(row: &monthly_rollup::Model) -> Result<Sums, StoreError> {
    Ok(Sums {
        billed_usd: stored::parse(&row.billed_usd, "monthly_rollups.billed_usd")?,
        effective_usd: stored::parse(&row.effective_usd, "monthly_rollups.effective_usd")?,
        units: stored::parse(&row.units, "monthly_rollups.units")?,
        lines: row.line_count,
    })
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

/// Rollup keys held in memory before they are written (each about 500 bytes with its share of
/// the map): an import or a rebuild writes its changes as they pile up, so that memory stays
/// bounded however many distinct keys the lines touch.
pub const KEYS_HELD: usize = 200_000;

/// Rated lines read at a time.
const PAGE: u64 = 10_000;

/// A tree's rated lines, page by page in id order: each page is an index seek past the last id
/// read, where an offset would read every earlier line again.
struct RatedPages {
    tenant: i64,
    after: i64,
}

impl RatedPages {
    fn of(tenant: i64) -> RatedPages {
        RatedPages { tenant, after: 0 }
    }

    /// The next page, or `None` after the last.
    async fn next(&mut self, db: &impl ConnectionTrait) -> Result<Option<Vec<billing_line_item::Model>>, StoreError> {
        let lines = billing_line_item::Entity::find()
            .filter(billing_line_item::Column::TenantId.eq(self.tenant))
            .filter(billing_line_item::Column::Rated.eq(true))
            .filter(billing_line_item::Column::Id.gt(self.after))
            .order_by_asc(billing_line_item::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = lines.last() else { return Ok(None) };
        self.after = last.id;
        Ok(Some(lines))
    }
}

/// Both rollups recomputed from the line items alone, in memory (for comparisons).
pub async fn from_lines(db: &impl ConnectionTrait, tenant: i64) -> Result<Deltas, StoreError> {
    let mut deltas = Deltas::default();
    let mut pages = RatedPages::of(tenant);
    while let Some(lines) = pages.next(db).await? {
        for line in &lines {
            deltas.line(line, 1)?;
        }
    }
    deltas.monthly.retain(|_, s| s.lines > 0);
    deltas.daily.retain(|_, s| s.lines > 0);
    Ok(deltas)
}

/// Recomputes every tree's rollups from its line items, in one transaction, writing as it reads
/// (memory holds one page of lines and at most [`KEYS_HELD`] keys). Returns the rows written.
pub async fn rebuild(store: &Store) -> Result<u64, StoreError> {
    let txn = store.db().begin().await?;
    let tenants: Vec<i64> = billing_line_item::Entity::find()
        .select_only()
        .column(billing_line_item::Column::TenantId)
        .distinct()
        .into_tuple()
        .all(&txn)
        .await?;
    monthly_rollup::Entity::delete_many().exec(&txn).await?;
    daily_rollup::Entity::delete_many().exec(&txn).await?;
    for tenant in tenants {
        let mut deltas = Deltas::default();
        let mut pages = RatedPages::of(tenant);
        while let Some(lines) = pages.next(&txn).await? {
            for line in &lines {
                deltas.line(line, 1)?;
            }
            if deltas.len() >= KEYS_HELD {
                std::mem::take(&mut deltas).apply(&txn, tenant).await?;
            }
        }
        deltas.apply(&txn, tenant).await?;
    }
    let written = monthly_rollup::Entity::find().count(&txn).await? + daily_rollup::Entity::find().count(&txn).await?;
    txn.commit().await?;
    Ok(written)
}

/// A tree's monthly rollup as stored, and as recomputed from its lines: equal unless something
/// is wrong. The daily rollup is compared too: a difference there is returned as an error.
pub async fn stored_and_rebuilt(
    store: &Store,
    tenant: i64,
) -> Result<(HashMap<Key, Sums>, HashMap<Key, Sums>), StoreError> {
    let rebuilt = from_lines(store.db(), tenant).await?;
    let daily = daily_snapshot(store.db(), tenant).await?;
    let rebuilt_daily: HashMap<DayKey, Sums> = rebuilt.daily.into_iter().collect();
    if daily != rebuilt_daily {
        let mut diff: Vec<_> =
            daily.keys().chain(rebuilt_daily.keys()).filter(|k| daily.get(*k) != rebuilt_daily.get(*k)).collect();
        diff.sort();
        return Err(StoreError::Corrupt(format!("the daily rollup differs from its lines at {:?}", diff.first())));
    }
    Ok((snapshot(store.db(), tenant).await?, rebuilt.monthly.into_iter().collect()))
}

/// Whether the daily rollup needs filling for lines imported before it existed.
pub(crate) async fn daily_missing(db: &impl ConnectionTrait) -> Result<bool, StoreError> {
    let daily = daily_rollup::Entity::find().count(db).await?;
    let monthly = monthly_rollup::Entity::find().count(db).await?;
    Ok(daily == 0 && monthly > 0)
}
