//! Money, percent and number formatting by locale, exact from decimals: a figure is rounded
//! once (half to even, like the server) and never passes through a float.

use rust_decimal::{Decimal, RoundingStrategy};

/// How a locale writes numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale {
    /// Between groups of thousands.
    pub group: &'static str,
    /// Before the fraction.
    pub decimal: &'static str,
    /// Whether the currency symbol follows the number (`1.234,50 €`) or precedes it (`€1,234.50`).
    pub symbol_after: bool,
    /// Between number and percent sign.
    pub percent_space: bool,
}

/// English (US, UK, Australia, Canada) and the default.
pub const EN: Locale = Locale { group: ",", decimal: ".", symbol_after: false, percent_space: false };
/// German, Spanish, Italian, Dutch, Polish: dot groups, comma decimals.
pub const DE: Locale = Locale { group: ".", decimal: ",", symbol_after: true, percent_space: true };
/// French and Swedish: narrow no-break space groups, comma decimals.
pub const FR: Locale = Locale { group: "\u{202f}", decimal: ",", symbol_after: true, percent_space: true };

impl Locale {
    /// The locale for a BCP 47 tag such as `de-DE` (by language; unknown ones get English).
    pub fn from_tag(tag: &str) -> Locale {
        match tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase().as_str() {
            "de" | "es" | "it" | "nl" | "pl" | "pt" | "da" => DE,
            "fr" | "sv" | "nb" | "fi" | "cs" => FR,
            _ => EN,
        }
    }

    /// The browser's preferred locale.
    pub fn browser() -> Locale {
        web_sys::window().and_then(|w| w.navigator().language()).map(|tag| Locale::from_tag(&tag)).unwrap_or(EN)
    }
}

/// A number with `decimals` places, grouped by thousands.
pub fn number(value: Decimal, decimals: u32, locale: &Locale) -> String {
    let rounded = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointNearestEven);
    let text = format!("{:.*}", decimals as usize, rounded.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push_str(locale.group);
        }
        grouped.push(digit);
    }
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() { "-" } else { "" };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{}{fraction}", locale.decimal)
    }
}

/// A day as `YYYY-MM-DD` (written out: chrono's strftime would add its parser to the app).
pub fn day(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// A moment as `YYYY-MM-DD HH:MM UTC` (written out, like [`day`]).
pub fn moment(at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Timelike;
    format!("{} {:02}:{:02} UTC", day(at.date_naive()), at.hour(), at.minute())
}

/// A measured quantity (consumed quantity, chargeable units): whole numbers as such, fractions
/// to two places, and small fractions to four so that they do not read as zero.
pub fn quantity(value: Decimal, locale: &Locale) -> String {
    let scale = value.normalize().scale();
    let places = if value.abs() < Decimal::ONE { scale.min(4) } else { scale.min(2) };
    number(value, places, locale)
}

/// English month names; the first three letters are the short form.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A month as its English name and year (`November 2026`).
pub fn month_name(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {}", MONTHS[d.month0() as usize], d.year())
}

/// A month for chart labels (`Nov 2026`): every chart writes months this way. The year stays
/// whole so a month never reads as a day (`Nov 26`).
pub fn month_short(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {}", &MONTHS[d.month0() as usize][..3], d.year())
}

/// A day for chart labels (`Nov 2`).
pub fn day_short(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {}", &MONTHS[d.month0() as usize][..3], d.day())
}

/// A whole count.
pub fn count(value: u64, locale: &Locale) -> String {
    number(Decimal::from(value), 0, locale)
}

/// A currency's symbol (or its code) and its decimal places.
fn currency_symbol(currency: &str) -> (&str, u32) {
    match currency {
        "USD" => ("$", 2),
        "EUR" => ("€", 2),
        "GBP" => ("£", 2),
        "JPY" => ("¥", 0),
        other => (other, 2),
    }
}

/// `amount` (without sign) with the currency symbol where the locale puts it.
fn with_symbol(negative: bool, amount: &str, symbol: &str, locale: &Locale) -> String {
    let sign = if negative { "-" } else { "" };
    let spaced = symbol.len() > 1 && symbol.chars().all(|c| c.is_ascii_alphabetic());
    match (locale.symbol_after, spaced) {
        (true, _) => format!("{sign}{amount}\u{a0}{symbol}"),
        (false, true) => format!("{sign}{symbol}\u{a0}{amount}"),
        (false, false) => format!("{sign}{symbol}{amount}"),
    }
}

/// An amount of money with its currency's symbol (or code), two places.
pub fn money(value: Decimal, currency: &str, locale: &Locale) -> String {
    let (symbol, places) = currency_symbol(currency);
    let amount = number(value.abs(), places, locale);
    let negative = value.is_sign_negative() && !value.round_dp(places).is_zero();
    with_symbol(negative, &amount, symbol, locale)
}

/// `abs` scaled to the largest unit it reaches after rounding to two places (so 999,999 is
/// `1M`, not `1000K`), trailing zeros dropped.
fn shorten(abs: Decimal) -> (Decimal, &'static str) {
    const UNITS: [(&str, i64); 4] = [("T", 1_000_000_000_000), ("B", 1_000_000_000), ("M", 1_000_000), ("K", 1_000)];
    let round = |v: Decimal| v.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven).normalize();
    UNITS
        .iter()
        .map(|(unit, size)| (round(abs / Decimal::from(*size)), *unit))
        .find(|(scaled, _)| *scaled >= Decimal::ONE)
        .unwrap_or_else(|| (round(abs), ""))
}

/// A number in few characters for chart axes (`1.5M`, `250K`, `12`, `0.5`): thousands,
/// millions, billions or trillions with at most two decimals. For reading a scale, never for a
/// figure a user takes as exact.
pub fn short(value: Decimal, locale: &Locale) -> String {
    let (scaled, unit) = shorten(value.abs());
    let sign = if value.is_sign_negative() && !scaled.is_zero() { "-" } else { "" };
    format!("{sign}{}{unit}", number(scaled, scaled.scale(), locale))
}

/// An amount of money in few characters for chart axes (`$1.5M`, `$250K`, `$0`, `-$50K`);
/// see [`short`].
pub fn money_short(value: Decimal, currency: &str, locale: &Locale) -> String {
    let (symbol, _) = currency_symbol(currency);
    let (scaled, unit) = shorten(value.abs());
    let amount = format!("{}{unit}", number(scaled, scaled.scale(), locale));
    with_symbol(value.is_sign_negative() && !scaled.is_zero(), &amount, symbol, locale)
}

/// A percentage given in percent units (12.5 means 12.5 %), with `decimals` places.
pub fn percent(value: Decimal, decimals: u32, locale: &Locale) -> String {
    let space = if locale.percent_space { "\u{a0}" } else { "" };
    format!("{}{space}%", number(value, decimals, locale))
}

/// A change in percent with an explicit sign (`+4.2%`, `-1.0%`).
pub fn change(value: Decimal, locale: &Locale) -> String {
    let text = percent(value, 1, locale);
    if value.round_dp(1) > Decimal::ZERO { format!("+{text}") } else { text }
}

/// A stored name (`billing_configured`) in words (`Billing configured`).
pub fn words(s: &str) -> String {
    let s = s.replace('_', " ");
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn numbers_group_thousands_by_locale() {
        assert_eq!(number(d("1234567.891"), 2, &EN), "1,234,567.89");
        assert_eq!(number(d("1234567.891"), 2, &DE), "1.234.567,89");
        assert_eq!(number(d("1234567.891"), 2, &FR), "1\u{202f}234\u{202f}567,89");
        assert_eq!(number(d("999"), 0, &EN), "999");
        assert_eq!(number(d("-1000"), 0, &EN), "-1,000");
    }

    #[test]
    fn rounding_is_half_to_even_and_exact() {
        assert_eq!(number(d("2.345"), 2, &EN), "2.34");
        assert_eq!(number(d("2.355"), 2, &EN), "2.36");
        assert_eq!(number(d("0.1") + d("0.2"), 2, &EN), "0.30");
        assert_eq!(number(d("-0.001"), 2, &EN), "0.00", "no negative zero");
    }

    #[test]
    fn money_places_the_symbol_by_locale() {
        assert_eq!(money(d("1234.5"), "USD", &EN), "$1,234.50");
        assert_eq!(money(d("1234.5"), "EUR", &DE), "1.234,50\u{a0}€");
        assert_eq!(money(d("-12"), "GBP", &EN), "-£12.00");
        assert_eq!(money(d("1500"), "JPY", &EN), "¥1,500");
        assert_eq!(money(d("10"), "CHF", &EN), "CHF\u{a0}10.00");
    }

    #[test]
    fn percentages_and_changes() {
        assert_eq!(percent(d("12.345"), 1, &EN), "12.3%");
        assert_eq!(percent(d("12.345"), 1, &DE), "12,3\u{a0}%");
        assert_eq!(change(d("4.25"), &EN), "+4.2%");
        assert_eq!(change(d("-1"), &EN), "-1.0%");
        assert_eq!(change(d("0"), &EN), "0.0%");
    }

    #[test]
    fn locale_tags_pick_their_conventions() {
        assert_eq!(Locale::from_tag("de-AT"), DE);
        assert_eq!(Locale::from_tag("fr"), FR);
        assert_eq!(Locale::from_tag("en-GB"), EN);
        assert_eq!(Locale::from_tag("xx"), EN);
    }

    #[test]
    fn short_money_fits_an_axis() {
        assert_eq!(money_short(d("1500000"), "USD", &EN), "$1.5M");
        assert_eq!(money_short(d("250000"), "USD", &EN), "$250K");
        assert_eq!(money_short(d("0"), "USD", &EN), "$0");
        assert_eq!(money_short(d("1250000"), "USD", &EN), "$1.25M");
        assert_eq!(money_short(d("999999"), "USD", &EN), "$1M", "rounding up moves to the next unit");
        assert_eq!(money_short(d("-50000"), "USD", &EN), "-$50K");
        assert_eq!(money_short(d("0.30000000000000004"), "USD", &EN), "$0.3");
        assert_eq!(money_short(d("-0.001"), "USD", &EN), "$0", "no negative zero");
        assert_eq!(money_short(d("2000000000"), "USD", &EN), "$2B");
        assert_eq!(money_short(d("1500000"), "EUR", &DE), "1,5M\u{a0}€");
        assert_eq!(short(d("12"), &EN), "12");
        assert_eq!(short(d("12000"), &EN), "12K");
    }

    #[test]
    fn moments_and_quantities_are_written_out() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-10-03T07:05:00Z").unwrap().with_timezone(&chrono::Utc);
        assert_eq!(moment(at), "2026-10-03 07:05 UTC");
        assert_eq!(quantity(d("1520.000"), &EN), "1,520");
        assert_eq!(quantity(d("1520.256"), &EN), "1,520.26");
        assert_eq!(quantity(d("0.000123"), &EN), "0.0001");
        assert_eq!(quantity(d("0"), &EN), "0");
    }

    #[test]
    fn chart_months_and_days_are_short() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        assert_eq!(month_short(day), "Nov 2026");
        assert_eq!(day_short(day), "Nov 2");
        assert_eq!(month_name(day), "November 2026");
        assert_eq!(month_short(chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap()), "Sep 2026");
    }
}
