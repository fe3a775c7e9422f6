//! Rollup sums by key, as each grain of [`super::deltas::Deltas`] gathers them: the entries in
//! blocks of fixed size, found through a hash index of their positions.
//!
//! An import adds four keys per line and holds up to `KEYS_HELD` of them, then wants them in
//! key order to write. A hash map keeps the lookups cheap but reserves room for twice its entries
//! of a hundred bytes and must be copied to be sorted; here the index holds only 4-byte
//! positions. One vector of entries would still double as it grows (up to twice the room its
//! entries need, and three times while it is copied), so the entries fill blocks that never
//! move; each block is sorted in place when written, and the blocks are merged in key order as
//! they are read (docs/performance.md §8).

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::hash::{BuildHasher, Hash};

use foldhash::fast::RandomState;
use hashbrown::HashTable;

use super::sums::Sums;

/// Entries a block holds: small against the hundreds of thousands held, so that the room left
/// in the last block of each grain is a few hundred kilobytes at most, and large enough that
/// merging the blocks compares few heads per entry.
const BLOCK: usize = 4096;

/// Sums by key: the entries, and where each key's entry is.
#[derive(Debug)]
pub(crate) struct SumsTable<K> {
    /// Entries in the order they came, [`BLOCK`] to a block; every block but the last is full.
    blocks: Vec<Vec<(K, Sums)>>,
    /// Positions of entries (block × [`BLOCK`] + place in it), hashed by their key (foldhash,
    /// seeded per process, so a file cannot choose its collisions).
    index: HashTable<u32>,
    hasher: RandomState,
}

// By hand: a derived `Default` would ask it of the keys.
impl<K> Default for SumsTable<K> {
    fn default() -> Self {
        SumsTable { blocks: Vec::new(), index: HashTable::new(), hasher: RandomState::default() }
    }
}

/// How many entries `blocks` hold (every block but the last is full).
fn count<K>(blocks: &[Vec<(K, Sums)>]) -> usize {
    blocks.last().map_or(0, |last| (blocks.len() - 1) * BLOCK + last.len())
}

/// The entry at `position`.
fn at<K>(blocks: &[Vec<(K, Sums)>], position: u32) -> &(K, Sums) {
    let position = position as usize;
    &blocks[position / BLOCK][position % BLOCK]
}

impl<K: Hash + Eq + Ord> SumsTable<K> {
    /// The sums at `key`, zero when new.
    pub fn entry(&mut self, key: K) -> &mut Sums {
        let SumsTable { blocks, index, hasher } = self;
        let hash = hasher.hash_one(&key);
        let position = match index.find(hash, |&i| at(blocks, i).0 == key) {
            Some(&i) => i as usize,
            None => {
                let position = count(blocks);
                if position % BLOCK == 0 {
                    blocks.push(Vec::with_capacity(BLOCK));
                }
                blocks.last_mut().expect("a block with room was just made").push((key, Sums::default()));
                index.insert_unique(hash, position as u32, |&j| hasher.hash_one(&at(blocks, j).0));
                position
            }
        };
        &mut blocks[position / BLOCK][position % BLOCK].1
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        count(&self.blocks)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Keeps the entries `keep` holds true of.
    pub fn retain(&mut self, keep: impl Fn(&Sums) -> bool) {
        let entries = std::mem::take(self).into_entries().filter(|(_, s)| keep(s));
        for (key, sums) in entries {
            *self.entry(key) = sums;
        }
    }

    /// The entries in key order, each block sorted and the blocks merged as they are read.
    pub fn into_sorted(self) -> impl Iterator<Item = (K, Sums)> {
        let SumsTable { blocks, index, .. } = self;
        drop(index);
        let mut runs: Vec<std::vec::IntoIter<(K, Sums)>> = blocks
            .into_iter()
            .map(|mut block| {
                block.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                block.into_iter()
            })
            .collect();
        let mut heads: BinaryHeap<Head<K>> = runs
            .iter_mut()
            .enumerate()
            .filter_map(|(run, entries)| Some(Head { entry: entries.next()?, run }))
            .collect();
        std::iter::from_fn(move || {
            let Head { entry, run } = heads.pop()?;
            if let Some(next) = runs[run].next() {
                heads.push(Head { entry: next, run });
            }
            Some(entry)
        })
    }

    /// The entries, in no order.
    pub fn into_entries(self) -> impl Iterator<Item = (K, Sums)> {
        self.blocks.into_iter().flatten()
    }
}

/// The smallest entry not yet read of one sorted block, ordered so that [`BinaryHeap`], a
/// max-heap, gives the smallest key first. Keys are unique, so no two heads are equal.
struct Head<K> {
    entry: (K, Sums),
    run: usize,
}

impl<K: Ord> Ord for Head<K> {
    fn cmp(&self, other: &Self) -> Ordering {
        other.entry.0.cmp(&self.entry.0)
    }
}

impl<K: Ord> PartialOrd for Head<K> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<K: Ord> PartialEq for Head<K> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<K: Ord> Eq for Head<K> {}

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
        let sorted: Vec<(u32, i64)> = table.into_sorted().map(|(k, s)| (k, s.lines)).collect();
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
        let sorted: Vec<(u32, Sums)> = table.into_sorted().collect();
        assert_eq!(sorted.iter().find(|(k, _)| *k == 1).unwrap().1.lines, 2);
        assert_eq!(sorted.iter().find(|(k, _)| *k == 3).unwrap().1.lines, 1);
        assert!(sorted.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn keys_over_many_blocks_come_out_once_each_in_order() {
        // Keys in a scrambled order over several blocks, each added to twice.
        let keys = 3 * BLOCK as u64 + 17;
        let scrambled = |i: u64| (i * 7919) % keys;
        let mut table = SumsTable::default();
        for round in 0..2 {
            for i in 0..keys {
                table.entry(scrambled(i)).add(&sums(1), 1).unwrap();
            }
            assert_eq!(table.len() as u64, keys, "round {round}");
        }
        assert_eq!(table.blocks.len(), 4);
        let sorted: Vec<(u64, i64)> = table.into_sorted().map(|(k, s)| (k, s.lines)).collect();
        let expected: Vec<(u64, i64)> = (0..keys).map(|k| (k, 2)).collect();
        assert_eq!(sorted, expected);
    }
}
