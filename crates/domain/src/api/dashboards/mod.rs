//! The dashboards' wire types, one module per dashboard (docs/metrics.md), and what they share:
//! the day and month a client asks for, and the format a report answers in.
//!
//! Field names are a public contract: integrators and generated clients read them. Money and
//! percentages are decimal strings with exactly 2 places. Money a role may not see is left out
//! by the server (the fields are absent, not blanked; see `roles::MONEY`).

pub mod home;
pub mod insights;
pub mod partners;
pub mod usage;

pub use home::*;
pub use insights::*;
pub use partners::*;
pub use usage::*;

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::metrics::{Month, check_as_of};

/// The day a dashboard is computed for, as a client sends it: `YYYY-MM-DD`, zero-padded, from
/// 1900-01-01 to 9999-11-30 (the metrics look a year back and 30 days ahead of it). Nothing
/// dated after it counts. The only way to make one checks it, so a handler never re-checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AsOf(NaiveDate);

impl AsOf {
    /// Checks a day against the range the metrics work in.
    pub fn new(day: NaiveDate) -> Result<AsOf, String> {
        check_as_of(day).map(AsOf)
    }

    /// The day.
    pub fn day(self) -> NaiveDate {
        self.0
    }
}

/// Whether `s` is `YYYY-MM-DD` or `YYYY-MM`, digits where digits go: chrono alone also takes
/// `2026-6-5` and signed years.
fn is_zero_padded(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
}

impl TryFrom<String> for AsOf {
    type Error = String;
    fn try_from(s: String) -> Result<AsOf, String> {
        let day = NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok().filter(|_| is_zero_padded(&s, 10));
        AsOf::new(day.ok_or_else(|| format!("`{s}` is not a day: use YYYY-MM-DD"))?)
    }
}

impl From<AsOf> for String {
    fn from(as_of: AsOf) -> String {
        as_of.to_string()
    }
}

impl fmt::Display for AsOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), self.0.month(), self.0.day())
    }
}

/// A month a client asks for: `YYYY-MM`, zero-padded, from 1900-01 to 9999-11 (the months an
/// [`AsOf`] may fall in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MonthParam(Month);

impl MonthParam {
    /// The month.
    pub fn month(self) -> Month {
        self.0
    }
}

impl TryFrom<String> for MonthParam {
    type Error = String;
    fn try_from(s: String) -> Result<MonthParam, String> {
        let month: Month = s
            .parse()
            .ok()
            .filter(|_| is_zero_padded(&s, 7))
            .ok_or_else(|| format!("`{s}` is not a month: use YYYY-MM"))?;
        check_as_of(month.first_day())
            .map(|_| MonthParam(month))
            .map_err(|_| format!("`{s}` is out of range: use a month from 1900-01 to 9999-11"))
    }
}

impl From<Month> for MonthParam {
    /// For clients building a query from a month they hold (the server checks what it gets).
    fn from(month: Month) -> MonthParam {
        MonthParam(month)
    }
}

impl From<MonthParam> for String {
    fn from(m: MonthParam) -> String {
        m.0.to_string()
    }
}

/// A query that names the day it is computed for; the server fills in today when it does not.
pub trait DatedQuery {
    /// The day asked for, if any.
    fn as_of(&self) -> Option<AsOf>;
}

/// Implements [`DatedQuery`] for queries whose `as_of` field is an `Option<AsOf>`.
macro_rules! dated_queries {
    ($($query:ty),+ $(,)?) => {
        $(impl $crate::api::dashboards::DatedQuery for $query {
            fn as_of(&self) -> Option<$crate::api::dashboards::AsOf> {
                self.as_of
            }
        })+
    };
}
pub(crate) use dated_queries;

/// How a report is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// `application/json`.
    Json,
    /// `text/csv`, one row per figure.
    Csv,
}

/// The query of a report computed for a day: the day (default today, UTC) and its format.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AsOfQuery {
    /// `YYYY-MM-DD`; default today (UTC).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date, example = "2026-11-15"))]
    pub as_of: Option<AsOf>,
    /// `csv` for a CSV download (as does `Accept: text/csv`); default JSON.
    pub format: Option<ReportFormat>,
}

dated_queries!(AsOfQuery, PartnersQuery, InsightsQuery, UsageQuery);

#[cfg(test)]
mod tests {
    use super::*;

    fn as_of(s: &str) -> Result<AsOf, String> {
        AsOf::try_from(s.to_owned())
    }

    fn month(s: &str) -> Result<MonthParam, String> {
        MonthParam::try_from(s.to_owned())
    }

    #[test]
    fn as_of_is_a_zero_padded_day() {
        assert_eq!(as_of("2026-06-05").map(|d| d.to_string()), Ok("2026-06-05".to_owned()));
        for bad in ["2026-6-5", "2026-06-5", "+2026-06-05", "2026-13-01", "2026-02-30", "20260605", ""] {
            assert!(as_of(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn as_of_years_are_bounded() {
        assert!(as_of("1900-01-01").is_ok() && as_of("9999-11-30").is_ok());
        assert!(as_of("1899-12-31").is_err() && as_of("9999-12-01").is_err() && as_of("0001-01-01").is_err());
    }

    #[test]
    fn a_month_is_zero_padded_and_bounded() {
        assert_eq!(month("2026-10").map(|m| m.month().to_string()), Ok("2026-10".to_owned()));
        for bad in ["2026-1", "0000-01", "1899-12", "9999-12", "2026-00", "2026-13", "2026/10"] {
            assert!(month(bad).is_err(), "{bad}");
        }
    }
}
