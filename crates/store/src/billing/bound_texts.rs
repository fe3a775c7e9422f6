//! The texts an import binds for SQLite, shared between lines that repeat them.
//!
//! sqlx holds each bound text in an `Arc`: a `String` bound by reference is cloned and then
//! boxed (two allocations), and SQLite's worker thread frees both once the statement has run,
//! across threads. With ~14 texts a line, allocating and freeing them was about a sixth of a
//! 1M-line import's CPU (a profile on a 2-core machine). Most of those texts repeat from line to
//! line (a provider, a service, a currency, a day), so each distinct one is made once here and
//! every line binds a reference to it; a text of its own (an id, a cost) is one allocation.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use foldhash::fast::RandomState;
use hashbrown::HashSet;

/// Distinct values held at most, per kind: a file with more (a cost column, say) starts afresh
/// rather than growing without bound.
const HELD: usize = 4096;

/// Shared texts, and the text of each time and day already written.
#[derive(Debug, Default)]
pub struct BoundTexts {
    texts: HashSet<Arc<str>, RandomState>,
    times: HashMap<DateTime<Utc>, Arc<str>, RandomState>,
    days: HashMap<NaiveDate, Arc<str>, RandomState>,
}

impl BoundTexts {
    /// `text`, shared with every earlier line that bound the same.
    pub fn shared(&mut self, text: &str) -> Arc<str> {
        if let Some(held) = self.texts.get(text) {
            return held.clone();
        }
        if self.texts.len() >= HELD {
            self.texts.clear();
        }
        let held: Arc<str> = Arc::from(text);
        self.texts.insert(held.clone());
        held
    }

    /// A time as sqlx binds a `DateTime<Utc>` for SQLite (RFC 3339, `+00:00`).
    pub fn time(&mut self, time: DateTime<Utc>) -> Arc<str> {
        cached(&mut self.times, time, |t| t.to_rfc3339_opts(SecondsFormat::AutoSi, false))
    }

    /// A day as sqlx binds a `NaiveDate` for SQLite (`%F`).
    pub fn day(&mut self, day: NaiveDate) -> Arc<str> {
        cached(&mut self.days, day, |d| d.format("%F").to_string())
    }
}

/// The text of `value`, written by `write` once while it is held.
fn cached<K: Hash + Eq + Copy>(
    held: &mut HashMap<K, Arc<str>, RandomState>,
    value: K,
    write: impl Fn(K) -> String,
) -> Arc<str> {
    if let Some(text) = held.get(&value) {
        return text.clone();
    }
    if held.len() >= HELD {
        held.clear();
    }
    let text: Arc<str> = Arc::from(write(value));
    held.insert(value, text.clone());
    text
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_repeated_text_is_shared_and_the_held_ones_stay_bounded() {
        let mut texts = BoundTexts::default();
        let first = texts.shared("Azure");
        assert!(Arc::ptr_eq(&first, &texts.shared("Azure")));
        for n in 0..HELD * 2 {
            assert_eq!(&*texts.shared(&n.to_string()), n.to_string());
        }
        assert!(texts.texts.len() <= HELD);
        assert_eq!(&*texts.shared("Azure"), "Azure");
    }

    #[test]
    fn times_and_days_are_written_as_sqlx_writes_them() {
        let mut texts = BoundTexts::default();
        let time = Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap();
        assert_eq!(&*texts.time(time), "2026-03-04T05:06:07+00:00");
        assert!(Arc::ptr_eq(&texts.time(time), &texts.time(time)));
        let day = NaiveDate::from_ymd_opt(-5, 3, 4).unwrap();
        assert_eq!(&*texts.day(day), day.format("%F").to_string());
    }
}
