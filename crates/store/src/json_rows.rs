//! PostgreSQL: many rows of a table sent as one JSON array, a statement's only parameter, and
//! turned back into rows of the table's own column types by `json_populate_recordset`.
//!
//! Why: as a `VALUES` list, each row costs a bound value per column, copied into the driver's
//! arguments, sent, and planned with the statement (custom plans of up to 25,000 values); a 1M-line
//! import spent more time in that than PostgreSQL spent writing its rollup rows
//! (docs/performance.md §10). One text parameter is bound in no time, and the statement's text
//! and plan are the same whatever the number of rows.

use std::fmt::Write as _;

use sea_orm::Value;

use crate::StoreError;

/// Rows sent per statement: a few megabytes of JSON at most (line items, the widest rows).
pub(crate) const ROWS_PER_STATEMENT: usize = 5_000;

/// `SELECT <columns> FROM json_populate_recordset(NULL::<table>, $1::json)`: the rows of the
/// statement's first parameter, as [`array`] writes them.
pub(crate) fn select(table: &str, columns: &[&str]) -> String {
    format!("SELECT {} FROM json_populate_recordset(NULL::{table}, $1::json)", columns.join(", "))
}

/// `rows` as a JSON array of objects named by `columns`, each value in the text its column's
/// type reads: numbers and booleans as such, text escaped, days as `YYYY-MM-DD`, instants in
/// UTC to the microsecond (PostgreSQL's precision, truncated as the driver truncates).
pub(crate) fn array(columns: &[&str], rows: impl Iterator<Item = Vec<Value>>) -> Result<String, StoreError> {
    let mut json = String::from("[");
    for (n, row) in rows.enumerate() {
        debug_assert_eq!(row.len(), columns.len(), "one value per column");
        json.push_str(if n == 0 { "{" } else { ",{" });
        for (i, (column, value)) in columns.iter().zip(&row).enumerate() {
            if i > 0 {
                json.push(',');
            }
            let _ = write!(json, "\"{column}\":");
            json_value(&mut json, value)?;
        }
        json.push('}');
    }
    json.push(']');
    Ok(json)
}

fn json_value(json: &mut String, value: &Value) -> Result<(), StoreError> {
    // Writing to a String cannot fail.
    let _ = match value {
        Value::BigInt(Some(n)) => write!(json, "{n}"),
        Value::Bool(Some(b)) => write!(json, "{b}"),
        Value::String(Some(text)) => write!(json, "{}", serde_json::Value::from(text.as_str())),
        Value::ChronoDate(Some(day)) => write!(json, "\"{}\"", day.format("%Y-%m-%d")),
        Value::ChronoDateTimeUtc(Some(at)) => write!(json, "\"{}\"", at.format("%Y-%m-%dT%H:%M:%S%.6fZ")),
        Value::BigInt(None)
        | Value::Bool(None)
        | Value::String(None)
        | Value::ChronoDate(None)
        | Value::ChronoDateTimeUtc(None) => write!(json, "null"),
        other => return Err(StoreError::Corrupt(format!("a value with no JSON form: {other:?}"))),
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;

    #[test]
    fn rows_are_objects_named_by_their_columns_with_text_escaped() {
        let day = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 10, 5, 23, 30, 0).unwrap() + chrono::Duration::nanoseconds(1_234_567);
        let rows = vec![
            vec![7_i64.into(), "Say \"hi\"\\\n".into(), true.into(), day.into(), at.into()],
            vec![
                Value::BigInt(None),
                "12.50".into(),
                false.into(),
                Value::ChronoDate(None),
                Value::ChronoDateTimeUtc(None),
            ],
        ];
        assert_eq!(
            array(&["a", "b", "c", "d", "e"], rows.into_iter()).unwrap(),
            r#"[{"a":7,"b":"Say \"hi\"\\\n","c":true,"d":"2026-10-05","e":"2026-10-05T23:30:00.001234Z"},{"a":null,"b":"12.50","c":false,"d":null,"e":null}]"#
        );
    }

    #[test]
    fn a_value_of_another_type_is_refused_not_guessed() {
        assert!(array(&["a"], std::iter::once(vec![1.5_f64.into()])).is_err());
    }

    #[test]
    fn no_rows_is_an_empty_array() {
        assert_eq!(array(&["a"], std::iter::empty()).unwrap(), "[]");
        assert_eq!(select("t", &["a", "b"]), "SELECT a, b FROM json_populate_recordset(NULL::t, $1::json)");
    }
}
