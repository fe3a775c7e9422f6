//! PostgreSQL: a grain's changes added to their keys' stored rows by the database, in the
//! statement that writes them, with no read of those rows first (SQLite, which has no exact
//! decimal type, reads them, adds in Rust and writes: [`writes`](super::writes)). Each change is
//! a row of an `INSERT … ON CONFLICT DO UPDATE` that adds its sums to the stored row's: the
//! amounts, stored as text, cast to `numeric` (PostgreSQL's exact decimal, of any precision),
//! added and written back as text; the line counts added as integers.
//!
//! The rows of a statement travel as one JSON array, its only parameter, turned back into rows of
//! the table's own type by `json_populate_recordset`: one short statement text, planned in no
//! time, and one value to bind, whatever the number of rows (docs/performance.md §10: written as
//! a `VALUES` list of 25,000 bound values, the binding and the planning of each statement took
//! more time than the database spent adding).
//!
//! The statement gives back only the rows the writer must still act on: a row left with no line
//! is deleted; one below zero lines means the rollup and its lines disagree, and one whose
//! amounts grew past what a `Decimal` holds is refused as [`Sums::add`](super::sums::Sums::add)
//! refuses an overflow; both fail the writer's transaction.
//!
//! Why: reading every batch's stored rows before writing them (a `VALUES` list of keys joined to
//! the table) was a third of a PostgreSQL import's statement time (docs/performance.md §10).

use std::fmt::Write as _;

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::StoreError;
use crate::bulk::{OnConflict, Table};

/// The columns of a rollup table that hold decimal sums as text.
const DECIMAL_SUMS: &[&str] = &["billed_usd", "effective_usd", "units", "consumed"];

/// The column that holds a row's lines.
const LINE_COUNT: &str = "line_count";

/// The largest magnitude a `Decimal` holds (`Decimal::MAX`).
const DECIMAL_MAX: &str = "79228162514264337593543950335";

/// Rows sent per statement: about a megabyte of JSON.
const ROWS_PER_STATEMENT: usize = 5_000;

/// Writes `rows` (a change's values in `table.columns` order, none with sums of zero, no key
/// twice) into a rollup `table`, each added to its key's stored row by PostgreSQL; returns the
/// ids of the rows left with no line, for the caller to delete.
pub(super) async fn write(
    db: &impl ConnectionTrait,
    table: &Table,
    rows: impl Iterator<Item = Vec<Value>>,
) -> Result<Vec<i64>, StoreError> {
    let sql = statement(table)?;
    let mut rows = rows.peekable();
    let mut emptied = Vec::new();
    while rows.peek().is_some() {
        let json = json_rows(table.columns, rows.by_ref().take(ROWS_PER_STATEMENT))?;
        let statement = Statement::from_sql_and_values(DbBackend::Postgres, &sql, [json.into()]);
        for row in db.query_all_raw(statement).await? {
            let id: i64 = row.try_get("", "id")?;
            let lines: i64 = row.try_get("", LINE_COUNT)?;
            if row.try_get::<bool>("", "too_large")? {
                return Err(StoreError::invalid("BilledCost", "the totals are too large to hold exactly"));
            }
            if lines < 0 {
                let name = table.name;
                return Err(StoreError::Corrupt(format!("{name} row {id} would go below zero lines ({lines})")));
            }
            emptied.push(id);
        }
    }
    Ok(emptied)
}

/// `WITH merged AS (INSERT … SELECT … FROM json_populate_recordset($1) ON CONFLICT … DO UPDATE …
/// RETURNING …) SELECT …` for a rollup `table`: the rows it returns are those left with no line
/// or below zero lines, or with a sum too large.
fn statement(table: &Table) -> Result<String, StoreError> {
    let OnConflict::Replace { on, keeps } = table.on_conflict else {
        return Err(StoreError::Corrupt(format!("{} is a rollup, written over its stored rows", table.name)));
    };
    let set: Vec<String> = (table.columns.iter())
        .filter(|c| !on.contains(c) && !keeps.contains(c))
        .map(|&c| match c {
            // The consumed quantity is null in monthly rows written before it was kept, until
            // `Store::migrate` rebuilds them.
            c if DECIMAL_SUMS.contains(&c) => {
                format!("{c} = (coalesce(t.{c}, '0')::numeric + excluded.{c}::numeric)::text")
            }
            LINE_COUNT => format!("{c} = t.{c} + excluded.{c}"),
            c => format!("{c} = excluded.{c}"),
        })
        .collect();
    let sums: Vec<String> =
        (table.columns.iter()).filter(|c| DECIMAL_SUMS.contains(c)).map(|c| format!("abs(t.{c}::numeric)")).collect();
    let (name, columns) = (table.name, table.columns.join(", "));
    Ok(format!(
        "WITH merged AS (INSERT INTO {name} AS t ({columns}) \
         SELECT {columns} FROM json_populate_recordset(NULL::{name}, $1::json) \
         ON CONFLICT ({}) DO UPDATE SET {} \
         RETURNING t.id, t.{LINE_COUNT}, greatest({}) > {DECIMAL_MAX} AS too_large) \
         SELECT id, {LINE_COUNT}, too_large FROM merged WHERE {LINE_COUNT} <= 0 OR too_large",
        on.join(", "),
        set.join(", "),
        sums.join(", "),
    ))
}

/// `rows` as a JSON array of objects named by `columns`, which `json_populate_recordset` reads
/// into the table's own column types.
fn json_rows(columns: &[&str], rows: impl Iterator<Item = Vec<Value>>) -> Result<String, StoreError> {
    let mut json = String::from("[");
    for (n, row) in rows.enumerate() {
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
        Value::BigInt(None) | Value::Bool(None) | Value::String(None) | Value::ChronoDate(None) => {
            write!(json, "null")
        }
        other => return Err(StoreError::Corrupt(format!("a rollup value has no JSON form: {other:?}"))),
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_added_to_the_stored_row_and_only_rows_to_act_on_come_back() {
        let table = Table {
            name: "reseller_month_rollups",
            columns: &["tenant_id", "reseller_id", "month", "billed_usd", "effective_usd", "units", "line_count"],
            on_conflict: OnConflict::Replace { on: &["reseller_id", "month"], keeps: &["tenant_id"] },
        };
        assert_eq!(
            statement(&table).unwrap(),
            "WITH merged AS (INSERT INTO reseller_month_rollups AS t \
             (tenant_id, reseller_id, month, billed_usd, effective_usd, units, line_count) \
             SELECT tenant_id, reseller_id, month, billed_usd, effective_usd, units, line_count \
             FROM json_populate_recordset(NULL::reseller_month_rollups, $1::json) \
             ON CONFLICT (reseller_id, month) DO UPDATE SET \
             billed_usd = (coalesce(t.billed_usd, '0')::numeric + excluded.billed_usd::numeric)::text, \
             effective_usd = (coalesce(t.effective_usd, '0')::numeric + excluded.effective_usd::numeric)::text, \
             units = (coalesce(t.units, '0')::numeric + excluded.units::numeric)::text, \
             line_count = t.line_count + excluded.line_count \
             RETURNING t.id, t.line_count, greatest(abs(t.billed_usd::numeric), abs(t.effective_usd::numeric), \
             abs(t.units::numeric)) > 79228162514264337593543950335 AS too_large) \
             SELECT id, line_count, too_large FROM merged WHERE line_count <= 0 OR too_large"
        );
    }

    #[test]
    fn rows_are_objects_named_by_their_columns_with_text_escaped() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        let rows = vec![
            vec![Value::from(7_i64), Value::from("Say \"hi\"\\\n"), Value::from(true), Value::from(day)],
            vec![Value::BigInt(None), Value::from("12.50"), Value::from(false), Value::ChronoDate(None)],
        ];
        assert_eq!(
            json_rows(&["a", "b", "c", "d"], rows.into_iter()).unwrap(),
            r#"[{"a":7,"b":"Say \"hi\"\\\n","c":true,"d":"2026-10-05"},{"a":null,"b":"12.50","c":false,"d":null}]"#
        );
        assert!(json_rows(&["a"], std::iter::once(vec![Value::from(1.5_f64)])).is_err(), "no silent float");
    }

    #[test]
    fn the_largest_magnitude_is_decimal_s() {
        assert_eq!(DECIMAL_MAX, rust_decimal::Decimal::MAX.to_string());
    }
}
