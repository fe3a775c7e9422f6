//! Line items in PostgreSQL's `COPY … FROM STDIN` text format, built on the rating stage's core
//! like SQLite's bound statements ([`super::line_binding`]): the writer only sends them.
//!
//! The text format: one line per row, columns separated by tabs, `\N` for NULL, and a
//! backslash, tab, newline or carriage return inside a value escaped with a backslash.

use std::fmt::Write as _;

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
        Value::ChronoDate(Some(day)) => write!(out, "{}", day.format("%Y-%m-%d")),
        Value::ChronoDateTimeUtc(Some(at)) => write!(out, "{}", at.format("%Y-%m-%d %H:%M:%S%.f+00")),
        Value::BigInt(None)
        | Value::Bool(None)
        | Value::String(None)
        | Value::ChronoDate(None)
        | Value::ChronoDateTimeUtc(None) => write!(out, "\\N"),
        other => return Err(StoreError::Corrupt(format!("a line's value has no COPY text: {other:?}"))),
    };
    Ok(())
}

fn escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
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
}
