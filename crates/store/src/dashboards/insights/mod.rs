//! Insights (docs/metrics.md §3–§4, seed 002): reseller performance over a range of months, from
//! the reseller × month and reseller × product rollups and the subscriptions, never from line items (but those of
//! `as_of`'s month dated after `as_of`).

mod activity;
mod adds_churns;
mod agreements;
mod families;
mod geography;
mod history;
mod periods;
mod products;
mod raw;
mod segments;
mod summary;
mod top_five;
mod trend;

pub use activity::UNMAPPED;
pub use adds_churns::adds_churns;
pub use agreements::agreements;
pub use geography::{UNKNOWN_COUNTRY, geography};
pub use products::products;
pub use raw::{RAW_HEADER, RawBatch, RawCursor, raw_batch};
pub use segments::{UNKNOWN_SEGMENT, segments};
pub use summary::summary;
pub use top_five::OTHERS;
pub use trend::revenue_trend;

use chrono::NaiveDate;
use domain::metrics::Month;

use crate::StoreError;

/// The most months a range may hold.
pub const MAX_MONTHS: usize = 36;

/// A range of months checked against `as_of`: every month from `from` to `to`, oldest first.
#[derive(Debug, Clone)]
pub struct Range {
    /// The months, oldest first.
    pub months: Vec<Month>,
    /// The day seen from: its month counts only to it.
    pub as_of: NaiveDate,
}

impl Range {
    /// The range asked for: by default the 12 months ending `as_of`'s. `to` after `as_of`'s
    /// month, `from` after `to`, or more than [`MAX_MONTHS`] months are refused, naming the field.
    pub fn new(from: Option<Month>, to: Option<Month>, as_of: NaiveDate) -> Result<Range, StoreError> {
        let current = Month::of(as_of);
        let to = to.unwrap_or(current);
        if to > current {
            return Err(StoreError::invalid("to", format!("must not be after as_of's month {current}")));
        }
        let from = from.unwrap_or_else(|| to.trailing(12)[0]);
        if from > to {
            return Err(StoreError::invalid("from", format!("must not be after to ({to})")));
        }
        let months = to.trailing(MAX_MONTHS + 1);
        let Some(start) = months.iter().position(|m| *m == from) else {
            return Err(StoreError::invalid("from", format!("a range holds at most {MAX_MONTHS} months")));
        };
        let months = months[start..].to_vec();
        if months.len() > MAX_MONTHS {
            return Err(StoreError::invalid("from", format!("a range holds at most {MAX_MONTHS} months")));
        }
        Ok(Range { months, as_of })
    }

    /// The last month.
    pub fn last(&self) -> Month {
        *self.months.last().expect("a range has a month")
    }

    /// Whether `month` is cut short by `as_of`.
    pub fn partial(&self, month: Month) -> bool {
        month.is_partial_on(self.as_of)
    }
}
