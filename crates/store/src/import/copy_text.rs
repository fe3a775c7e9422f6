//! Line items in PostgreSQL's `COPY … FROM STDIN` text format, built on the rating stage's core
//! like SQLite's bound statements ([`super::line_binding`]): the writer only sends them.
//!
//! The text format: one line per row, columns separated by tabs, `\N` for NULL, and a
//! backslash, tab, newline or carriage return inside a value escaped with a backslash.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use sea_orm::Value;

use super::line_columns::values;
use crate::StoreError;
use crate::entities::billing_line_item::Model;

/// `lines`, one text row each, in the order of the columns written.
pub fn rows(lines: &[Model]) -> Result<Vec<u8>, StoreError> {
    let mut out = String::with_capacity(lines.len() * 400);
    for line in lines {
        for (i, value) in values(line).iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            field(&mut out, value)?;
        }
        out.push('\n');
    }
    Ok(out.into_bytes())
}

fn field(out: &mut String, value: &Value) -> Result<(), StoreError> {
    // Writing to a String cannot fail.
    let _ = match value {
        Value::BigInt(Some(n)) => write!(out, "{n}"),
        Value::Bool(Some(b)) => write!(out, "{}", if *b { 't' } else { 'f' }),
        Value::String(Some(s)) => {
            escaped(out, s);
            Ok(())
        }
        Value::ChronoDate(Some(day)) => {
            date(out, *day);
            Ok(())
        }
        Value::ChronoDateTimeUtc(Some(at)) => {
            instant(out, at);
            Ok(())
        }
        Value::BigInt(None)
        | Value::Bool(None)
        | Value::String(None)
        | Value::ChronoDate(None)
        | Value::ChronoDateTimeUtc(None) => write!(out, "\\N"),
        other => return Err(StoreError::Corrupt(format!("a line's value has no COPY text: {other:?}"))),
    };
    Ok(())
}

/// `text` with its backslashes, tabs, newlines and carriage returns escaped; the runs between
/// them copied whole (each escaped byte is ASCII, so every run ends on a character boundary).
fn escaped(out: &mut String, text: &str) {
    let mut run = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'\\' => "\\\\",
            b'\t' => "\\t",
            b'\n' => "\\n",
            b'\r' => "\\r",
            _ => continue,
        };
        out.push_str(&text[run..at]);
        out.push_str(escape);
        run = at + 1;
    }
    out.push_str(&text[run..]);
}

// Days and instants are written digit by digit: chrono's `format` reads its pattern anew for
// every value, three values a line (docs/performance.md §10). Years outside 0..=9999 keep
// chrono's own form.

/// `day` as `YYYY-MM-DD`.
fn date(out: &mut String, day: NaiveDate) {
    match u32::try_from(day.year()) {
        Ok(year @ 0..=9999) => {
            digits(out, year, 4);
            out.push('-');
            digits(out, day.month(), 2);
            out.push('-');
            digits(out, day.day(), 2);
        }
        _ => {
            let _ = write!(out, "{}", day.format("%Y-%m-%d"));
        }
    }
}

/// `at` as `YYYY-MM-DD HH:MM:SS[.fraction]+00`, the fraction in 3, 6 or 9 digits as needed
/// (chrono's `%.f`, which the text was written with before).
fn instant(out: &mut String, at: &DateTime<Utc>) {
    if !(0..=9999).contains(&at.year()) {
        let _ = write!(out, "{}", at.format("%Y-%m-%d %H:%M:%S%.f+00"));
        return;
    }
    date(out, at.date_naive());
    out.push(' ');
    digits(out, at.hour(), 2);
    out.push(':');
    digits(out, at.minute(), 2);
    out.push(':');
    // A leap second is held as a second of more than 10^9 nanoseconds; its text says 60.
    let (second, nanos) = match at.nanosecond() {
        n if n >= 1_000_000_000 => (at.second() + 1, n - 1_000_000_000),
        n => (at.second(), n),
    };
    digits(out, second, 2);
    match nanos {
        0 => {}
        n if n % 1_000_000 == 0 => fraction(out, n / 1_000_000, 3),
        n if n % 1_000 == 0 => fraction(out, n / 1_000, 6),
        n => fraction(out, n, 9),
    }
    out.push_str("+00");
}

fn fraction(out: &mut String, value: u32, width: u32) {
    out.push('.');
    digits(out, value, width);
}

/// `value` in `width` decimal digits, zeros in front (`value` < 10^`width`).
fn digits(out: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        out.push(char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_nulls_marked() {
        let mut out = String::new();
        for value in [
            Value::from(Some("a\tb\\c\nd\re".to_owned())),
            Value::String(None),
            Value::from(true),
            Value::from(-7i64),
            Value::from(chrono::NaiveDate::from_ymd_opt(2026, 10, 7).unwrap()),
        ] {
            field(&mut out, &value).unwrap();
            out.push('|');
        }
        assert_eq!(out, "a\\tb\\\\c\\nd\\re|\\N|t|-7|2026-10-07|");
        let at = chrono::DateTime::parse_from_rfc3339("2026-10-07T05:06:07.25Z").unwrap().to_utc();
        let mut out = String::new();
        field(&mut out, &Value::from(at)).unwrap();
        assert_eq!(out, "2026-10-07 05:06:07.250+00");
    }

    #[test]
    fn days_and_instants_read_as_chrono_wrote_them() {
        let days =
            ["0001-01-01", "0999-12-31", "2026-02-28", "2028-02-29", "9999-12-31", "+10000-01-01", "-0044-03-15"];
        for text in days {
            let day: chrono::NaiveDate = text.parse().unwrap();
            let mut out = String::new();
            date(&mut out, day);
            assert_eq!(out, day.format("%Y-%m-%d").to_string());
        }
        let base = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let times = [
            base.and_hms_opt(0, 0, 0).unwrap(),
            base.and_hms_nano_opt(23, 59, 59, 1).unwrap(),
            base.and_hms_nano_opt(9, 8, 7, 120_000_000).unwrap(),
            base.and_hms_nano_opt(9, 8, 7, 120_500_000).unwrap(),
            base.and_hms_nano_opt(9, 8, 7, 123_456_000).unwrap(),
            base.and_hms_nano_opt(9, 8, 7, 123_456_789).unwrap(),
            base.and_hms_nano_opt(23, 59, 59, 1_500_000_000).unwrap(),
            chrono::NaiveDate::from_ymd_opt(12026, 1, 2).unwrap().and_hms_opt(3, 4, 5).unwrap(),
        ];
        for time in times {
            let at = time.and_utc();
            let mut out = String::new();
            instant(&mut out, &at);
            assert_eq!(out, at.format("%Y-%m-%d %H:%M:%S%.f+00").to_string());
        }
    }
}
