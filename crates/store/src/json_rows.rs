//! PostgreSQL: many rows of a table sent as one JSON array, a statement's only parameter, and
//! turned back into rows of the table's own column types by `json_populate_recordset`.
//!
//! Why: as a `VALUES` list, each row costs a bound value per column, copied into the driver's
//! arguments, sent, and planned with the statement (custom plans of up to 25,000 values); a 1M-line
//! import spent more time in that than PostgreSQL spent writing its rollup rows
//! (docs/performance.md §10). One text parameter is bound in no time, and the statement's text
//! and plan are the same whatever the number of rows.

use std::fmt::Write as _;

use sea_orm::{DbBackend, Statement, Value};

use crate::StoreError;

/// Rows sent per statement: a few megabytes of JSON at most (line items, the widest rows).
pub(crate) const ROWS_PER_STATEMENT: usize = 5_000;

/// `SELECT <columns> FROM json_populate_recordset(NULL::<table>, $1::json)`: the rows of the
/// statement's first parameter, as [`array`] writes them.
pub(crate) fn select(table: &str, columns: &[&str]) -> String {
    format!("SELECT {} FROM json_populate_recordset(NULL::{table}, $1::json)", columns.join(", "))
}

/// `sql` (whose only parameter is such an array) once per [`ROWS_PER_STATEMENT`] rows of `rows`,
/// each statement built only when the one before has been taken.
pub(crate) fn statements<'a>(
    sql: &'a str,
    columns: &'a [&str],
    rows: impl Iterator<Item = Vec<Value>> + 'a,
) -> impl Iterator<Item = Result<Statement, StoreError>> + 'a {
    let mut rows = rows.peekable();
    std::iter::from_fn(move || {
        rows.peek()?;
        let statement = array(columns, rows.by_ref().take(ROWS_PER_STATEMENT))
            .map(|json| Statement::from_sql_and_values(DbBackend::Postgres, sql, [json.into()]));
        Some(statement)
    })
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
        Value::String(Some(text)) => {
            string(json, text);
            Ok(())
        }
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

/// `text` as a JSON string: quoted, with `"`, `\\` and control characters escaped (RFC 8259 §7),
/// the runs between them copied whole. (Every byte escaped is ASCII, so each run ends on a
/// character boundary.)
fn string(json: &mut String, text: &str) {
    json.push('"');
    let mut run = 0;
    for (at, byte) in text.bytes().enumerate() {
        if byte != b'"' && byte != b'\\' && byte >= 0x20 {
            continue;
        }
        json.push_str(&text[run..at]);
        match byte {
            b'"' => json.push_str("\\\""),
            b'\\' => json.push_str("\\\\"),
            b'\n' => json.push_str("\\n"),
            b'\r' => json.push_str("\\r"),
            b'\t' => json.push_str("\\t"),
            control => {
                let _ = write!(json, "\\u{control:04x}");
            }
        }
        run = at + 1;
    }
    json.push_str(&text[run..]);
    json.push('"');
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
    fn strings_read_back_as_json_reads_them() {
        let texts = ["", "plain", "tab\there\r\n", "bell\u{7}\u{0}\u{1f}", "é 東京 🙂 \"q\" \\", "\u{7f}\u{85}"];
        for text in texts {
            let mut json = String::new();
            string(&mut json, text);
            assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text, "{json}");
        }
        let mut json = String::new();
        string(&mut json, "a\u{1}b");
        assert_eq!(json, r#""a\u0001b""#);
    }

    #[test]
    fn statements_take_the_rows_a_chunk_at_a_time() {
        let rows = (0..ROWS_PER_STATEMENT as i64 + 1).map(|n| vec![Value::from(n)]);
        let made: Vec<Statement> = statements("SELECT $1", &["a"], rows).collect::<Result<_, _>>().unwrap();
        assert_eq!(made.len(), 2);
        assert_eq!(
            made[1].values.as_ref().unwrap().0,
            vec![Value::from(format!("[{{\"a\":{}}}]", ROWS_PER_STATEMENT))]
        );
        assert_eq!(statements("SELECT $1", &["a"], std::iter::empty()).count(), 0);
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
