//! PostgreSQL: a grain's changes added to their keys' stored rows by the database, in the
//! statement that writes them, with no read of those rows first (SQLite, which has no exact
//! decimal type, reads them, adds in Rust and writes: [`writes`](super::writes)). Each change is
//! a row of an `INSERT … ON CONFLICT DO UPDATE` that adds its sums to the stored row's: the
//! amounts, stored as text, cast to `numeric` (PostgreSQL's exact decimal, of any precision),
//! added and written back as text; the line counts added as integers.
//!
//! The rows of a statement travel as one JSON parameter ([`crate::json_rows`]).
//!
//! The statement gives back only the rows the writer must still act on: a row left with no line
//! is deleted; one below zero lines means the rollup and its lines disagree, and one whose
//! amounts grew past what a `Decimal` holds is refused as [`Sums::add`](super::sums::Sums::add)
//! refuses an overflow; both fail the writer's transaction.
//!
//! Why: reading every batch's stored rows before writing them (a `VALUES` list of keys joined to
//! the table) was a third of a PostgreSQL import's statement time (docs/performance.md §10).

use sea_orm::{ConnectionTrait, Value};

use crate::StoreError;
use crate::bulk::{OnConflict, Table};
use crate::json_rows;

/// The columns of a rollup table that hold decimal sums as text.
const DECIMAL_SUMS: &[&str] = &["billed_usd", "effective_usd", "units", "consumed"];

/// The column that holds a row's lines.
const LINE_COUNT: &str = "line_count";

/// The largest magnitude a `Decimal` holds (`Decimal::MAX`).
const DECIMAL_MAX: &str = "79228162514264337593543950335";

/// Writes `rows` (a change's values in `table.columns` order, none with sums of zero, no key
/// twice) into a rollup `table`, each added to its key's stored row by PostgreSQL; returns the
/// ids of the rows left with no line, for the caller to delete.
pub(super) async fn write(
    db: &impl ConnectionTrait,
    table: &Table,
    rows: impl Iterator<Item = Vec<Value>>,
) -> Result<Vec<i64>, StoreError> {
    let sql = statement(table)?;
    let mut emptied = Vec::new();
    for statement in json_rows::statements(&sql, table.columns, rows) {
        for row in db.query_all_raw(statement?).await? {
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
        "WITH merged AS (INSERT INTO {name} AS t ({columns}) {} \
         ON CONFLICT ({}) DO UPDATE SET {} \
         RETURNING t.id, t.{LINE_COUNT}, greatest({}) > {DECIMAL_MAX} AS too_large) \
         SELECT id, {LINE_COUNT}, too_large FROM merged WHERE {LINE_COUNT} <= 0 OR too_large",
        json_rows::select(name, table.columns),
        on.join(", "),
        set.join(", "),
        sums.join(", "),
    ))
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
    fn the_largest_magnitude_is_decimal_s() {
        assert_eq!(DECIMAL_MAX, rust_decimal::Decimal::MAX.to_string());
    }
}
