//! Rollup sums by key, as each grain of [`super::deltas::Deltas`] gathers them: the entries in a
//! vector, found through a hash index of their positions.
//!
//! An import adds four keys per line and holds up to `KEYS_HELD` of them, then wants them in
//! key order to write. A hash map keeps the lookups cheap but reserves room for twice its entries
//! of a hundred bytes and must be copied to be sorted; here the index holds only 4-byte
//! positions, and the vector is sorted in place, with the index dropped first
//! (docs/performance.md §8).

use std::hash::{BuildHasher, Hash};

use foldhash::fast::RandomState;
use hashbrown::HashTable;

use super::sums::Sums;

/// Sums by key: the entries, and where each key's entry is.
#[derive(Debug)]
pub(super) struct SumsTable<K> {
    entries: Vec<(K, Sums)>,
    /// Positions in `entries`, hashed by their key (foldhash, seeded per process, so a file
    /// cannot choose its collisions).
    index: HashTable<u32>,
    hasher: RandomState,
}

// By hand: a derived `Default` would ask it of the keys.
impl<K> Default for SumsTable<K> {
    fn default() -> Self {
        SumsTable { entries: Vec::new(), index: HashTable::new(), hasher: RandomState::default() }
    }
}

impl<K: Hash + Eq + Ord> SumsTable<K> {
    /// The sums at `key`, zero when new.
    pub fn entry(&mut self, key: K) -> &mut Sums {
        let SumsTable { entries, index, hasher } = self;
        let hash = hasher.hash_one(&key);
        let at = match index.find(hash, |&i| entries[i as usize].0 == key) {
            Some(&i) => i as usize,
            None => {
                let i = entries.len();
                entries.push((key, Sums::default()));
                index.insert_unique(hash, i as u32, |&j| hasher.hash_one(&entries[j as usize].0));
                i
            }
        };
        &mut entries[at].1
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Keeps the entries `keep` holds true of.
    pub fn retain(&mut self, keep: impl Fn(&Sums) -> bool) {
        let entries: Vec<(K, Sums)> = std::mem::take(&mut self.entries).into_iter().filter(|(_, s)| keep(s)).collect();
        self.index.clear();
        let SumsTable { index, hasher, .. } = self;
        for (i, (key, _)) in entries.iter().enumerate() {
            index.insert_unique(hasher.hash_one(key), i as u32, |&j| hasher.hash_one(&entries[j as usize].0));
        }
        self.entries = entries;
    }

    /// The entries in key order.
    pub fn into_sorted(self) -> Vec<(K, Sums)> {
        let SumsTable { mut entries, index, .. } = self;
        drop(index);
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        entries
    }

    /// The entries, in no order.
    pub fn into_entries(self) -> Vec<(K, Sums)> {
        self.entries
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;

    fn sums(lines: i64) -> Sums {
        Sums { billed_usd: Decimal::from(lines), lines, ..Sums::default() }
    }

    #[test]
    fn equal_keys_share_an_entry_and_the_order_comes_at_the_end() {
        let mut table = SumsTable::default();
        for key in [5u32, 1, 5, 3, 1, 5] {
            table.entry(key).add(&sums(1), 1).unwrap();
        }
        assert_eq!(table.len(), 3);
        let sorted: Vec<(u32, i64)> = table.into_sorted().into_iter().map(|(k, s)| (k, s.lines)).collect();
        assert_eq!(sorted, [(1, 2), (3, 1), (5, 3)]);
    }

    #[test]
    fn entries_kept_by_retain_are_still_found() {
        let mut table = SumsTable::default();
        for key in 0..1000u32 {
            table.entry(key).add(&sums(i64::from(key % 3)), 1).unwrap();
        }
        table.retain(|s| s.lines > 0);
        assert_eq!(table.len(), 666);
        // A kept key adds to its entry; a dropped one starts again from zero.
        table.entry(1).add(&sums(1), 1).unwrap();
        table.entry(3).add(&sums(1), 1).unwrap();
        assert_eq!(table.len(), 667);
        let sorted = table.into_sorted();
        assert_eq!(sorted.iter().find(|(k, _)| *k == 1).unwrap().1.lines, 2);
        assert_eq!(sorted.iter().find(|(k, _)| *k == 3).unwrap().1.lines, 1);
        assert!(sorted.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
