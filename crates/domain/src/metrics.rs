//! The metric math of docs/metrics.md that does not need the database: calendar months, the edge
//! rounding of money, month-over-month change and the revenue projection with its 30-day rule.
//! The store sums; these functions decide what the sums mean.

use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A UTC calendar month, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    first: NaiveDate,
}

impl Month {
    /// The month a day falls in.
    pub fn of(day: NaiveDate) -> Month {
        Month { first: day.with_day(1).expect("every month has a first day") }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    /// Whether `as_of` cuts this month short: it is `as_of`'s month and `as_of` is not its last
    /// day (docs/metrics.md: nothing dated after `as_of` counts).
    pub fn is_partial_on(self, as_of: NaiveDate) -> bool {
        Month::of(as_of) == self && as_of < self.last_day()
    }

    /// Its last day.
    pub fn last_day(self) -> NaiveDate {
        self.next().first - Days::new(1)
    }

    /// How many days it has.
    pub fn days(self) -> u32 {
        self.last_day().day()
    }

    /// The month before.
    pub fn previous(self) -> Month {
        Month { first: self.first - Months::new(1) }
    }

    /// The month after (saturating at the end of the calendar).
    pub fn next(self) -> Month {
        Month { first: self.first.checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX) }
    }

    /// This month and the `count - 1` before it, oldest first.
    pub fn trailing(self, count: usize) -> Vec<Month> {
        let mut months: Vec<Month> =
            std::iter::successors(Some(self), |m| (m.first.year() > 1).then(|| m.previous())).take(count).collect();
        months.reverse();
        months
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written out rather than with chrono's strftime, whose parser the web app need not carry.
        write!(f, "{:04}-{:02}", self.first.year(), self.first.month())
    }
}

impl FromStr for Month {
    type Err = String;
    fn from_str(s: &str) -> Result<Month, String> {
        let valid = s.len() == 7 && s.as_bytes()[4] == b'-';
        match NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d") {
            Ok(first) if valid => Ok(Month { first }),
            _ => Err(format!("`{s}` is not a month: use YYYY-MM")),
        }
    }
}

impl TryFrom<String> for Month {
    type Error = String;
    fn try_from(s: String) -> Result<Month, String> {
        s.parse()
    }
}

impl From<Month> for String {
    fn from(m: Month) -> String {
        m.to_string()
    }
}

/// Checks an `as_of` a client sent: the calendar arithmetic of the metrics needs a year
/// between 1900 and 9999 (a year of months before it, 30 days after it).
pub fn check_as_of(as_of: NaiveDate) -> Result<NaiveDate, String> {
    if (1900..=9998).contains(&as_of.year()) || (as_of.year() == 9999 && as_of.month() < 12) {
        Ok(as_of)
    } else {
        Err(format!("{as_of} is out of range: use a day from 1900-01-01 to 9999-11-30"))
    }
}

/// Money as a person reads it in a message: reported (2 places, half to even), thousands
/// grouped with commas, then the currency — `18,247.00 USD`. Clients format figures by their
/// own locale; this is for the words of an error.
pub fn money_text(value: Decimal, currency: &str) -> String {
    let text = reported(value).abs().to_string();
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if value.is_sign_negative() && !reported(value).is_zero() { "-" } else { "" };
    format!("{sign}{grouped}.{cents:0<2} {currency}")
}

/// A figure as reported: rounded half to even to 2 places, always written with 2 places
/// (docs/metrics.md §1: full precision inside, rounding only at the edge).
pub fn reported(value: Decimal) -> Decimal {
    let mut rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    rounded.rescale(2);
    rounded
}

/// Change from `previous` to `current` in percent of the previous figure's size, rounded for
/// reporting; none when the previous figure is 0 (there is nothing to compare with).
pub fn change_pct(current: Decimal, previous: Decimal) -> Option<Decimal> {
    if previous.is_zero() {
        return None;
    }
    let change = current.checked_sub(previous)?.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(previous.abs())?;
    Some(reported(change))
}

/// The projected revenue of `as_of`'s month: the non-usage charges to date as they are, plus the
/// usage to date scaled by (days in month ÷ `as_of`'s day of month). Exact until the caller
/// rounds it; none if the figures are too large to scale.
pub fn projected(non_usage: Decimal, usage_to_date: Decimal, as_of: NaiveDate) -> Option<Decimal> {
    let days = Decimal::from(Month::of(as_of).days());
    let day = Decimal::from(as_of.day());
    // Multiply before dividing, so that a whole month (day = days) scales by exactly 1.
    non_usage.checked_add(usage_to_date.checked_mul(days)?.checked_div(day)?)
}

/// The 30-day rule: a projection is shown only when the scope's first rated line item is dated
/// on or before `as_of` − 30 days. The error is the reason to show instead.
pub fn projection_available(first_line: Option<NaiveDate>, as_of: NaiveDate) -> Result<(), String> {
    let needed = as_of - Days::new(30);
    match first_line {
        None => {
            Err("No rated billing data on or before this day yet: the projection needs 30 days of activity.".into())
        }
        Some(first) if first > needed => Err(format!(
            "Billing data starts on {first}; the projection needs 30 days of activity, so it is shown from {}.",
            first + Days::new(30)
        )),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn money_in_words_is_grouped_and_rounded_half_to_even() {
        assert_eq!(money_text(dec("18247"), "USD"), "18,247.00 USD");
        assert_eq!(money_text(dec("21600000.005"), "EUR"), "21,600,000.00 EUR");
        assert_eq!(money_text(dec("-1234.5"), "USD"), "-1,234.50 USD");
        assert_eq!(money_text(dec("999.995"), "USD"), "1,000.00 USD");
        assert_eq!(money_text(dec("0"), "USD"), "0.00 USD");
    }

    #[test]
    fn a_month_is_partial_only_when_as_of_cuts_it_short() {
        let nov = Month::of(day("2026-11-05"));
        assert!(nov.is_partial_on(day("2026-11-01")));
        assert!(nov.is_partial_on(day("2026-11-29")));
        assert!(!nov.is_partial_on(day("2026-11-30")), "the last day completes the month");
        assert!(!nov.is_partial_on(day("2026-12-01")), "a month before as_of's is whole");
    }

    #[test]
    fn months_know_their_lengths_and_neighbours() {
        let feb = Month::of(day("2024-02-17"));
        assert_eq!(feb.to_string(), "2024-02");
        assert_eq!(feb.days(), 29);
        assert_eq!(feb.previous().to_string(), "2024-01");
        assert_eq!(Month::of(day("2024-01-05")).previous().to_string(), "2023-12");
        assert_eq!(feb.last_day(), day("2024-02-29"));
        let months: Vec<String> = feb.trailing(3).iter().map(Month::to_string).collect();
        assert_eq!(months, ["2023-12", "2024-01", "2024-02"]);
        assert!("2024-13".parse::<Month>().is_err());
        assert!("2024-1".parse::<Month>().is_err());
        assert_eq!("2024-11".parse::<Month>().unwrap().first_day(), day("2024-11-01"));
    }

    #[test]
    fn as_of_stays_where_the_calendar_arithmetic_works() {
        assert!(check_as_of(day("2026-11-22")).is_ok());
        assert!(check_as_of(day("1899-12-31")).is_err());
        assert!(check_as_of(day("9999-12-31")).is_err());
    }

    #[test]
    fn reported_figures_round_half_to_even_with_two_places() {
        assert_eq!(reported(dec("2.345")).to_string(), "2.34");
        assert_eq!(reported(dec("2.355")).to_string(), "2.36");
        assert_eq!(reported(dec("7")).to_string(), "7.00");
        assert_eq!(reported(dec("-0.125")).to_string(), "-0.12");
    }

    #[test]
    fn change_is_null_against_zero_and_signed_otherwise() {
        assert_eq!(change_pct(dec("10"), Decimal::ZERO), None);
        assert_eq!(change_pct(dec("150"), dec("100")), Some(dec("50.00")));
        assert_eq!(change_pct(dec("1"), dec("3")), Some(dec("-66.67")));
        // A smaller loss is an improvement: the sign follows the direction of the change.
        assert_eq!(change_pct(dec("-50"), dec("-100")), Some(dec("50.00")));
    }

    #[test]
    fn projection_scales_usage_only() {
        // 10 days into a 30-day month: usage × 3, purchases as they are.
        assert_eq!(projected(dec("100"), dec("20"), day("2026-11-10")), Some(dec("160")));
        // The last day scales by exactly 1.
        assert_eq!(projected(dec("1"), dec("0.01"), day("2026-01-31")), Some(dec("1.01")));
        // 3 days into a 31-day month: 31/3 is not a short decimal; rounding only at the edge.
        assert_eq!(reported(projected(Decimal::ZERO, dec("1"), day("2026-01-03")).unwrap()).to_string(), "10.33");
    }

    #[test]
    fn the_thirty_day_rule_counts_from_the_first_line() {
        let as_of = day("2026-11-30");
        assert!(projection_available(Some(day("2026-10-31")), as_of).is_ok());
        assert!(projection_available(Some(day("2026-11-01")), as_of).is_err());
        assert!(projection_available(None, as_of).is_err());
    }
}
