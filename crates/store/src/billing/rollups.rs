//! The rollups, kept in step with the line items in the same transaction as every change:
//! - monthly: rated line items summed by (month, reseller, customer, product, provider, service,
//!   marketplace, charge category), for breakdowns;
//! - daily: summed by (scope, day, marketplace, charge category), where the scope is the line's
//!   reseller and, separately, the top of its tree, for the Home dashboard's totals.
//!
//! Sums are exact decimals, added in Rust.

use std::collections::HashMap;
use std::hash::Hash;

use foldhash::fast::RandomState;

use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use chrono::NaiveDate;

use super::rollup_writes;
use super::sums_table::SumsTable;
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
        // Adding and taking away are the cases that occur, without a multiplication each.
        let sum = |a: Decimal, b: Decimal| {
            match sign {
                1 => a.checked_add(b),
                -1 => a.checked_sub(b),
                _ => b.checked_mul(s).and_then(|b| a.checked_add(b)),
            }
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

/// A [`Key`] borrowed from a line or a stored row, so that adding it to [`Deltas`] copies no text.
#[derive(Debug, Clone, Copy)]
pub struct KeyRef<'a> {
    /// `YYYY-MM`.
    pub month: &'a str,
    /// The line's reseller.
    pub reseller_id: i64,
    /// The line's customer.
    pub customer_id: i64,
    /// 0 when the line has no product.
    pub product_id: i64,
    /// `ProviderName`.
    pub provider: &'a str,
    /// `ServiceName`.
    pub service: &'a str,
    /// `x_Marketplace`.
    pub marketplace: bool,
    /// `ChargeCategory`.
    pub category: &'a str,
}

impl KeyRef<'_> {
    /// The key, owned.
    pub fn to_key(self) -> Key {
        Key {
            month: self.month.to_owned(),
            reseller_id: self.reseller_id,
            customer_id: self.customer_id,
            product_id: self.product_id,
            provider: self.provider.to_owned(),
            service: self.service.to_owned(),
            marketplace: self.marketplace,
            category: self.category.to_owned(),
        }
    }
}

impl Key {
    /// The key, borrowed.
    pub fn as_ref(&self) -> KeyRef<'_> {
        KeyRef {
            month: &self.month,
            reseller_id: self.reseller_id,
            customer_id: self.customer_id,
            product_id: self.product_id,
            provider: &self.provider,
            service: &self.service,
            marketplace: self.marketplace,
            category: &self.category,
        }
    }
}

/// A [`Key`] held by [`Deltas`]: its texts as codes of [`Names`]. Held in a fraction of the
/// memory of a key of strings (a 1M-line import that held 200,000 keys of strings peaked at
/// 126 MB, with these at 103 MB), and compared without reading text, so an import holds more
/// changes before it must write them, and finds a line's key faster. The field order keeps a
/// customer's month together, as the grain's unique index does, so `rollup_writes` reads and
/// writes neighbouring index pages together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct MonthCode {
    month: u32,
    reseller_id: i64,
    customer_id: i64,
    product_id: i64,
    provider: u32,
    service: u32,
    marketplace: bool,
    category: u32,
}

/// A [`DayKey`] held by [`Deltas`], its category as a code of [`Names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct DayCode {
    org_id: i64,
    day: NaiveDate,
    marketplace: bool,
    category: u32,
}

/// The texts of the keys held by one [`Deltas`] (months, providers, services, categories: a
/// handful of distinct values in millions of lines), each stored once and named by a code.
#[derive(Debug, Default)]
struct Names {
    names: Vec<String>,
    codes: HashMap<String, u32, RandomState>,
}

impl Names {
    fn code(&mut self, name: &str) -> u32 {
        if let Some(code) = self.codes.get(name) {
            return *code;
        }
        let code = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.codes.insert(name.to_owned(), code);
        code
    }

    fn name(&self, code: u32) -> String {
        self.names[code as usize].clone()
    }

    fn key(&self, k: &MonthCode) -> Key {
        Key {
            month: self.name(k.month),
            reseller_id: k.reseller_id,
            customer_id: k.customer_id,
            product_id: k.product_id,
            provider: self.name(k.provider),
            service: self.name(k.service),
            marketplace: k.marketplace,
            category: self.name(k.category),
        }
    }

    fn day_key(&self, k: &DayCode) -> DayKey {
        DayKey { org_id: k.org_id, day: k.day, marketplace: k.marketplace, category: self.name(k.category) }
    }
}

/// Changes to the rollups, gathered while lines are added, replaced or rated, in hashed tables
/// (an import adds three keys per line; with ordered maps, their lookups and SipHash took ~10%
/// of a 1M-line import's CPU). The keys are put in order only when written, a customer's month
/// together (`rollup_writes`).
#[derive(Debug, Default)]
pub struct Deltas {
    /// Monthly, customer grain.
    monthly: SumsTable<MonthCode>,
    /// Daily, scope grain.
    daily: SumsTable<DayCode>,
    names: Names,
}

impl Deltas {
    /// A rated line comes in (`sign` 1) or goes out (`sign` -1).
    pub fn line(&mut self, line: &impl RolledUp, sign: i64) -> Result<(), StoreError> {
        let Some((key, sums)) = contribution(line)? else { return Ok(()) };
        let view = line.view();
        self.add(view.tenant_id, view.day, key, &sums, sign)
    }

    /// A rated line's contribution at `key` on `day`, in tree `tenant`: the import adds what it
    /// has just rated without reading it back from its stored text.
    pub fn add(
        &mut self,
        tenant: i64,
        day: NaiveDate,
        key: KeyRef<'_>,
        sums: &Sums,
        sign: i64,
    ) -> Result<(), StoreError> {
        // The daily rollup keeps no units: no dashboard reads them by day.
        let day_sums = Sums { units: Decimal::ZERO, ..sums.clone() };
        let category = self.names.code(key.category);
        let mut daily = |org_id| {
            let day_key = DayCode { org_id, day, marketplace: key.marketplace, category };
            self.daily.entry(day_key).add(&day_sums, sign)
        };
        daily(key.reseller_id)?;
        if tenant != key.reseller_id {
            daily(tenant)?;
        }
        self.add_monthly(key, sums, sign)
    }

    /// A change to the monthly rollup alone.
    pub fn add_monthly(&mut self, key: KeyRef<'_>, sums: &Sums, sign: i64) -> Result<(), StoreError> {
        let code = MonthCode {
            month: self.names.code(key.month),
            reseller_id: key.reseller_id,
            customer_id: key.customer_id,
            product_id: key.product_id,
            provider: self.names.code(key.provider),
            service: self.names.code(key.service),
            marketplace: key.marketplace,
            category: self.names.code(key.category),
        };
        self.monthly.entry(code).add(sums, sign)
    }

    /// Adds `other`'s changes to these: an import's lines coming in and the stored lines they
    /// replace going out are written together, so a key both touch is read and written once
    /// (and not at all when they cancel out: a file of other content whose lines carry stored
    /// lines' ids and the same costs).
    pub fn merge(&mut self, other: Deltas) -> Result<(), StoreError> {
        let Deltas { monthly, daily, names } = other;
        for (k, sums) in monthly.into_entries() {
            let code = MonthCode {
                month: self.names.code(&names.names[k.month as usize]),
                provider: self.names.code(&names.names[k.provider as usize]),
                service: self.names.code(&names.names[k.service as usize]),
                category: self.names.code(&names.names[k.category as usize]),
                ..k
            };
            self.monthly.entry(code).add(&sums, 1)?;
        }
        for (k, sums) in daily.into_entries() {
            let code = DayCode { category: self.names.code(&names.names[k.category as usize]), ..k };
            self.daily.entry(code).add(&sums, 1)?;
        }
        Ok(())
    }

    /// How many keys and distinct texts are held (what their memory grows with).
    pub fn len(&self) -> usize {
        self.monthly.len() + self.daily.len() + self.names.names.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.monthly.is_empty() && self.daily.is_empty()
    }

    /// The monthly changes in key order, consumed.
    pub fn into_monthly(self) -> impl Iterator<Item = (Key, Sums)> {
        let names = self.names;
        self.monthly.into_sorted().into_iter().map(move |(k, s)| (names.key(&k), s))
    }

    /// Writes the changes to both rollups.
    pub async fn apply(self, db: &impl ConnectionTrait, tenant: i64) -> Result<(), StoreError> {
        let Deltas { monthly, daily, names } = self;
        // Each key's texts are looked up as the writer takes it, not all at once: the changes
        // are never held twice.
        let monthly = monthly.into_sorted().into_iter().map(|(k, s)| (names.key(&k), s));
        rollup_writes::write_monthly(db, tenant, monthly).await?;
        let daily = daily.into_sorted().into_iter().map(|(k, s)| (names.day_key(&k), s));
        rollup_writes::write_daily(db, tenant, daily).await
    }

    /// Both grains' changes with their texts, for comparisons.
    pub fn into_maps(self) -> (HashMap<Key, Sums>, HashMap<DayKey, Sums>) {
        let Deltas { monthly, daily, names } = self;
        (
            monthly.into_entries().into_iter().map(|(k, s)| (names.key(&k), s)).collect(),
            daily.into_entries().into_iter().map(|(k, s)| (names.day_key(&k), s)).collect(),
        )
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

/// The columns of a line item the rollups read.
#[derive(Debug, Clone, Copy)]
pub struct LineView<'a> {
    /// The line's tree.
    pub tenant_id: i64,
    /// `rated`: only rated lines count.
    pub rated: bool,
    /// The UTC day of `ChargePeriodStart`.
    pub day: NaiveDate,
    /// `YYYY-MM`.
    pub month: &'a str,
    /// The rated reseller.
    pub reseller_id: Option<i64>,
    /// The rated customer.
    pub customer_id: Option<i64>,
    /// The rated product.
    pub product_id: Option<i64>,
    /// `ProviderName`.
    pub provider: &'a str,
    /// `ServiceName`.
    pub service: &'a str,
    /// `x_Marketplace`.
    pub marketplace: bool,
    /// `ChargeCategory`.
    pub category: &'a str,
    /// Billed USD, as stored.
    pub billed_usd: Option<&'a str>,
    /// Effective USD, as stored.
    pub effective_usd: Option<&'a str>,
    /// Units, as stored.
    pub quantity: Option<&'a str>,
}

/// A line the rollups can read: a whole line item, or a stored one read with only the columns
/// they need (an import reads those of the lines it replaces, not their whole rows).
pub trait RolledUp {
    /// The columns the rollups read.
    fn view(&self) -> LineView<'_>;
}

/// [`RolledUp`] for a struct with a line item's columns, by their names.
macro_rules! rolled_up_by_columns {
    ($line:ty) => {
        impl $crate::billing::rollups::RolledUp for $line {
            fn view(&self) -> $crate::billing::rollups::LineView<'_> {
                $crate::billing::rollups::LineView {
                    tenant_id: self.tenant_id,
                    rated: self.rated,
                    day: self.day,
                    month: &self.month,
                    reseller_id: self.reseller_id,
                    customer_id: self.customer_id,
                    product_id: self.product_id,
                    provider: &self.provider,
                    service: &self.service,
                    marketplace: self.marketplace,
                    category: &self.charge_category,
                    billed_usd: self.billed_usd.as_deref(),
                    effective_usd: self.effective_usd.as_deref(),
                    quantity: self.quantity.as_deref(),
                }
            }
        }
    };
}
pub(crate) use rolled_up_by_columns;

rolled_up_by_columns!(billing_line_item::Model);

/// A rated line's key: none for an unrated line, or one without a customer.
pub fn key_of_line(line: &impl RolledUp) -> Option<KeyRef<'_>> {
    let line = line.view();
    if !line.rated {
        return None;
    }
    Some(KeyRef {
        month: line.month,
        reseller_id: line.reseller_id?,
        customer_id: line.customer_id?,
        product_id: line.product_id.unwrap_or(0),
        provider: line.provider,
        service: line.service,
        marketplace: line.marketplace,
        category: line.category,
    })
}

/// A rated line's key and sums; none for an unrated line.
pub fn contribution(line: &impl RolledUp) -> Result<Option<(KeyRef<'_>, Sums)>, StoreError> {
    let Some(key) = key_of_line(line) else { return Ok(None) };
    let view = line.view();
    let decimal = |v: Option<&str>, column: &str| -> Result<Decimal, StoreError> {
        v.map(|v| stored::parse(v, column)).transpose().map(|d| d.unwrap_or_default())
    };
    let sums = Sums {
        billed_usd: decimal(view.billed_usd, "billing_line_items.billed_usd")?,
        effective_usd: decimal(view.effective_usd, "billing_line_items.effective_usd")?,
        units: decimal(view.quantity, "billing_line_items.quantity")?,
        lines: 1,
    };
    Ok(Some((key, sums)))
}

pub(crate) fn key_of(row: &monthly_rollup::Model) -> Key {
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

/// Rollup keys (and distinct texts) held in memory before they are written: an import or a
/// rebuild writes its changes as they pile up, so that memory stays bounded however many
/// distinct keys the lines touch. Writing them costs a read, a delete and an insert per key, so
/// the fewer times the better: the 1M-line benchmark's ~220,000 keys are written once, at the
/// end, and a file with a rollup row per line peaks at ~140 MB.
pub const KEYS_HELD: usize = 250_000;

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
    deltas.monthly.retain(|s| s.lines > 0);
    deltas.daily.retain(|s| s.lines > 0);
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
    let (rebuilt, rebuilt_daily) = from_lines(store.db(), tenant).await?.into_maps();
    let daily = daily_snapshot(store.db(), tenant).await?;
    if daily != rebuilt_daily {
        let mut diff: Vec<_> =
            daily.keys().chain(rebuilt_daily.keys()).filter(|k| daily.get(*k) != rebuilt_daily.get(*k)).collect();
        diff.sort();
        return Err(StoreError::Corrupt(format!("the daily rollup differs from its lines at {:?}", diff.first())));
    }
    Ok((snapshot(store.db(), tenant).await?, rebuilt))
}

/// Whether the daily rollup needs filling for lines imported before it existed.
pub(crate) async fn daily_missing(db: &impl ConnectionTrait) -> Result<bool, StoreError> {
    let daily = daily_rollup::Entity::find().count(db).await?;
    let monthly = monthly_rollup::Entity::find().count(db).await?;
    Ok(daily == 0 && monthly > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(month: &str, customer: i64, service: &str) -> Key {
        Key {
            month: month.into(),
            reseller_id: 2,
            customer_id: customer,
            product_id: 0,
            provider: "AWS".into(),
            service: service.into(),
            marketplace: false,
            category: "Usage".into(),
        }
    }

    #[test]
    fn equal_texts_are_one_key_and_a_customers_month_stays_together() {
        let sums = Sums { billed_usd: Decimal::ONE, effective_usd: Decimal::ONE, units: Decimal::ZERO, lines: 1 };
        let day = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        let mut deltas = Deltas::default();
        // Interleaved customers and months, each key built from fresh strings.
        for (month, customer, service) in [
            ("2026-10", 7, "EC2"),
            ("2026-09", 8, "S3"),
            ("2026-10", 8, "EC2"),
            ("2026-10", 7, "S3"),
            ("2026-09", 7, "EC2"),
            ("2026-10", 7, "EC2"),
            ("2026-09", 8, "EC2"),
        ] {
            deltas.add(1, day, key(month, customer, service).as_ref(), &sums, 1).unwrap();
        }
        // Each text held once: two months, AWS, EC2, S3, Usage.
        assert_eq!(deltas.names.names.len(), 6);
        let monthly: Vec<(Key, Sums)> = deltas.into_monthly().collect();
        assert_eq!(monthly.len(), 6);
        let twice = monthly.iter().find(|(k, _)| *k == key("2026-10", 7, "EC2")).unwrap();
        assert_eq!((twice.1.lines, twice.1.billed_usd), (2, Decimal::from(2)));
        // The writer takes the keys in this order: each (reseller, month, customer)'s keys come
        // one after another, as in the grain's unique index.
        let groups: Vec<(i64, &str, i64)> =
            monthly.iter().map(|(k, _)| (k.reseller_id, k.month.as_str(), k.customer_id)).collect();
        let mut seen = Vec::new();
        for (i, group) in groups.iter().enumerate() {
            if i == 0 || groups[i - 1] != *group {
                assert!(!seen.contains(group), "{group:?} split in {groups:?}");
                seen.push(*group);
            }
        }
        assert_eq!(seen.len(), 4);
    }

    #[test]
    fn merged_changes_add_up_key_by_key_whatever_the_codes_of_their_texts() {
        let sums = |lines: i64| Sums { billed_usd: Decimal::from(lines), lines, ..Sums::default() };
        let day = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        let (mut coming, mut going) = (Deltas::default(), Deltas::default());
        coming.add(1, day, key("2026-10", 7, "EC2").as_ref(), &sums(3), 1).unwrap();
        coming.add(1, day, key("2026-10", 7, "S3").as_ref(), &sums(1), 1).unwrap();
        // Texts met in another order, so other codes for the same names.
        going.add(1, day, key("2026-09", 8, "S3").as_ref(), &sums(2), -1).unwrap();
        going.add(1, day, key("2026-10", 7, "EC2").as_ref(), &sums(1), -1).unwrap();
        going.add(1, day, key("2026-10", 7, "S3").as_ref(), &sums(1), -1).unwrap();
        coming.merge(going).unwrap();
        let (monthly, daily) = coming.into_maps();
        let lines = |k: Key| monthly.get(&k).map(|s| s.lines);
        assert_eq!(lines(key("2026-10", 7, "EC2")), Some(2));
        assert_eq!(lines(key("2026-10", 7, "S3")), Some(0), "cancelled out: nothing to write");
        assert_eq!(lines(key("2026-09", 8, "S3")), Some(-2));
        assert_eq!(monthly.len(), 3);
        // Both scopes' days (the reseller 2 and the tree 1): 3 + 1 - 2 - 1 - 1 lines.
        assert_eq!(daily.len(), 2);
        assert!(daily.values().all(|s| s.lines == 0 && s.billed_usd == Decimal::ZERO));
    }

    #[test]
    fn taking_away_what_was_added_leaves_zero() {
        let mut sums = Sums::default();
        let line =
            Sums { billed_usd: Decimal::new(1234, 2), effective_usd: Decimal::ONE, units: Decimal::TWO, lines: 1 };
        sums.add(&line, 1).unwrap();
        sums.add(&line, 1).unwrap();
        sums.add(&line, -1).unwrap();
        assert_eq!(sums, line);
        sums.add(&line, -1).unwrap();
        assert_eq!(sums, Sums::default());
        let max = Sums { billed_usd: Decimal::MAX, ..Sums::default() };
        assert!(sums.add(&max, 1).is_ok() && sums.add(&max, 1).is_err(), "an overflow is refused");
    }
}
