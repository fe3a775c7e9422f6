//! Changes to the rollups, gathered while lines are added, replaced or rated, and written in the
//! same transaction as the lines: every grain's changes, their texts held once ([`Names`]).

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use super::daily::DayKey;
use super::grain::{Contribution, Grain};
use super::grains::{Grains, Others};
use super::keys::{Key, KeyRef};
use super::lines::{RolledUp, contribution};
use super::monthly::Monthly;
use super::names::Names;
use super::sums::Sums;
use super::tree_lock::lock_tree;
use crate::{StoreError, data_generation};

/// Rollup keys (and distinct texts) held in memory before they are written: an import or a
/// rebuild writes its changes as they pile up, so that memory stays bounded however many
/// distinct keys the lines touch. Writing them costs a read, a delete and an insert per key, so
/// the bound is as high as the memory budget allows, for as few writes as possible
/// (docs/performance.md §8).
pub const KEYS_HELD: usize = 250_000;

/// Changes to the rollups, gathered while lines are added, replaced or rated, in hashed tables
/// with a fast hasher (an import adds four keys per line, so the lookups are on its hot path;
/// docs/performance.md §8). The keys are put in order only when written, a customer's month
/// together (`writes`).
#[derive(Debug, Default)]
pub struct Deltas {
    /// Monthly, customer grain: a line's own key.
    monthly: Monthly,
    /// The other grains ([`Others`]: daily, reseller products).
    others: Others,
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
        let line = Contribution { tenant, day, key, sums };
        self.others.add(&mut self.names, &line, sign)?;
        self.monthly.add(&mut self.names, &line, sign)
    }

    /// A change to the monthly rollup alone.
    pub fn add_monthly(&mut self, key: KeyRef<'_>, sums: &Sums, sign: i64) -> Result<(), StoreError> {
        self.monthly.add_key(&mut self.names, key, sums, sign)
    }

    /// Adds `other`'s changes to these: an import's lines coming in and the stored lines they
    /// replace going out are written together, so a key both touch is read and written once
    /// (and not at all when they cancel out: a file of other content whose lines carry stored
    /// lines' ids and the same costs).
    pub fn merge(&mut self, other: Deltas) -> Result<(), StoreError> {
        let Deltas { monthly, others, names } = other;
        self.monthly.merge(&mut self.names, monthly, &names)?;
        self.others.merge(&mut self.names, others, &names)
    }

    /// How many keys and distinct texts are held (what their memory grows with).
    pub fn len(&self) -> usize {
        self.monthly.len() + self.others.len() + self.names.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.monthly.is_empty() && self.others.is_empty()
    }

    /// The monthly changes in key order, consumed.
    pub fn into_monthly(self) -> impl Iterator<Item = (Key, Sums)> {
        self.monthly.into_sorted(self.names)
    }

    /// Writes the changes to every rollup, moving the data's generation on (no trigger counts
    /// the rollups' writes).
    pub async fn apply(self, db: &impl ConnectionTrait, tenant: i64) -> Result<(), StoreError> {
        lock_tree(db, tenant).await?;
        let Deltas { monthly, others, names } = self;
        monthly.write(db, tenant, &names).await?;
        others.write(db, tenant, &names).await?;
        // After the writes: outside a transaction, a reader in between keeps an older answer.
        data_generation::move_on(db).await?;
        Ok(())
    }

    /// The monthly and daily changes with their texts, for comparisons.
    pub fn into_maps(self) -> (HashMap<Key, Sums>, HashMap<DayKey, Sums>) {
        let Deltas { monthly, others: (daily, ..), names } = self;
        (monthly.into_map(&names), daily.into_map(&names))
    }

    /// Keeps only the keys with lines, in every grain.
    pub(crate) fn retain_lines(&mut self) {
        self.monthly.retain_lines();
        self.others.retain_lines();
    }

    /// The monthly grain, the other grains, and the texts their codes name.
    pub(crate) fn into_parts(self) -> (Monthly, Others, Names) {
        (self.monthly, self.others, self.names)
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

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
        let sums = Sums { billed_usd: Decimal::ONE, effective_usd: Decimal::ONE, lines: 1, ..Sums::default() };
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
        assert_eq!(deltas.names.len(), 6);
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
}
