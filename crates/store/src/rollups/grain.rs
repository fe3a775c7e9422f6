//! What a grain's file gives the rest of the rollups: a [`Grain`] holds one rollup table's
//! changes while lines come and go, writes them, reads its table back, and empties or counts it
//! for a rebuild. [`Deltas`](super::deltas::Deltas) and the rebuild use grains only through it.

use std::collections::HashMap;
use std::fmt::Debug;
use std::future::Future;
use std::hash::Hash;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};

use super::keys::KeyRef;
use super::names::Names;
use super::sums::Sums;
use super::sums_table::SumsTable;
use crate::StoreError;

/// A rated line's contribution, as every grain takes it in: its tree, its day, its key (the
/// monthly grain's, which every grain cuts its own from) and its sums.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Contribution<'a> {
    /// The line's tree.
    pub tenant: i64,
    /// The UTC day of `ChargePeriodStart`.
    pub day: NaiveDate,
    /// The line's key.
    pub key: KeyRef<'a>,
    /// What it brings.
    pub sums: &'a Sums,
}

impl Contribution<'_> {
    /// The sums a grain of revenue and units keeps: units of every category (R11), money only
    /// where it is revenue and cost (not Tax, R10); no consumed quantity.
    pub fn without_tax_money(&self) -> Sums {
        match self.is_tax() {
            true => Sums { units: self.sums.units, lines: self.sums.lines, ..Sums::default() },
            false => self.sums.without_consumed(),
        }
    }

    /// Whether the line is Tax: neither revenue nor cost, nor usage.
    pub fn is_tax(&self) -> bool {
        self.key.category == TAX
    }
}

/// `ChargeCategory` of the lines that are neither revenue nor cost.
pub(crate) const TAX: &str = "Tax";

/// One rollup table's changes, their texts as codes of the [`Names`] they are held with.
pub(crate) trait Grain: Default + Send {
    /// The grain's name in messages: `monthly`, `daily`.
    const NAME: &'static str;

    /// A key of the grain, with its texts.
    type Key: Eq + Hash + Ord + Debug + Send;

    /// Takes in (`sign` 1) or takes out (`sign` -1) a rated line's contribution.
    fn add(&mut self, names: &mut Names, line: &Contribution<'_>, sign: i64) -> Result<(), StoreError>;

    /// Adds `other`'s changes, whose texts are codes of `theirs`.
    fn merge(&mut self, names: &mut Names, other: Self, theirs: &Names) -> Result<(), StoreError>;

    /// A held key, its texts as codes of [`Names`].
    type Code: Eq + Hash + Ord;

    /// The rollup table.
    type Entity: EntityTrait<Model: Sync>;

    /// The changes held.
    fn held(&self) -> &SumsTable<Self::Code>;

    /// The changes held, to change.
    fn held_mut(&mut self) -> &mut SumsTable<Self::Code>;

    /// How many keys are held.
    fn len(&self) -> usize {
        self.held().len()
    }

    /// Whether no key is held.
    fn is_empty(&self) -> bool {
        self.held().is_empty()
    }

    /// Keeps only the keys with lines (sums rebuilt from lines, none below zero).
    fn retain_lines(&mut self) {
        self.held_mut().retain(|s| s.lines > 0);
    }

    /// The changes with their texts, in no order.
    fn into_map(self, names: &Names) -> HashMap<Self::Key, Sums>;

    /// Writes the changes for tree `tenant`.
    fn write<C: ConnectionTrait>(
        self,
        db: &C,
        tenant: i64,
        names: &Names,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every stored row of tree `tenant`, as key → sums.
    fn stored<C: ConnectionTrait>(
        db: &C,
        tenant: i64,
    ) -> impl Future<Output = Result<HashMap<Self::Key, Sums>, StoreError>> + Send;

    /// Deletes every row of every tree (a rebuild).
    fn delete_all<C: ConnectionTrait>(db: &C) -> impl Future<Output = Result<(), StoreError>> + Send {
        async move {
            Self::Entity::delete_many().exec(db).await?;
            Ok(())
        }
    }

    /// How many rows are stored, in every tree.
    fn count<C: ConnectionTrait>(db: &C) -> impl Future<Output = Result<u64, StoreError>> + Send {
        async move { Ok(Self::Entity::find().count(db).await?) }
    }

    /// Whether no row is stored, in any tree: one row read, where a count walks them all (every
    /// start-up asks, `rebuild::missing_grain`).
    fn stores_none<C: ConnectionTrait>(db: &C) -> impl Future<Output = Result<bool, StoreError>> + Send {
        async move { Ok(Self::Entity::find().one(db).await?.is_none()) }
    }

    /// Compares what follows the grain (a rollup derived from it, kept when it is written) with
    /// the grain as stored for tree `tenant`; nothing follows most grains.
    fn check_following<C: ConnectionTrait>(
        _db: &C,
        _tenant: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }
}

/// Compares grain `G` as stored for tree `tenant` with `rebuilt`, its sums recomputed from the
/// lines: a difference is an error that names the first key that differs.
pub(crate) async fn check<G: Grain, C: ConnectionTrait>(
    db: &C,
    tenant: i64,
    rebuilt: G,
    names: &Names,
) -> Result<(), StoreError> {
    let rebuilt = rebuilt.into_map(names);
    let stored = G::stored(db, tenant).await?;
    compare(&stored, &rebuilt, &format!("the {} rollup differs from its lines", G::NAME))
}

/// A rollup's stored rows against the rows they should be: a difference is an error, `what`
/// followed by the first key that differs.
pub(crate) fn compare<K: Eq + Hash + Ord + Debug>(
    stored: &HashMap<K, Sums>,
    expected: &HashMap<K, Sums>,
    what: &str,
) -> Result<(), StoreError> {
    if stored != expected {
        let mut diff: Vec<_> =
            stored.keys().chain(expected.keys()).filter(|k| stored.get(*k) != expected.get(*k)).collect();
        diff.sort();
        return Err(StoreError::Corrupt(format!("{what} at {:?}", diff.first())));
    }
    Ok(())
}
