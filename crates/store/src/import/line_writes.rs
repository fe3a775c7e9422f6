//! Writing line items in bulk (see [`crate::bulk`]): new lines whose (tree, `x_LineItemId`) is
//! stored already are left out, for the import to replace once it has taken the stored lines'
//! contributions out of the rollups.

use std::borrow::Cow;
use std::sync::OnceLock;

use sea_orm::{ConnectionTrait, DbBackend};

use super::line_binding::Prepared;
use super::line_columns::{KEY, LINES, values};
use super::transaction::ImportTxn;
use crate::StoreError;
use crate::bulk::{OnConflict, Table};
use crate::entities::billing_line_item::Model;

/// The same columns, writing over the stored line with the same key.
const REPLACING: Table = Table { on_conflict: OnConflict::Replace { on: KEY, keeps: &[] }, ..LINES };

/// The same, for lines of the same day as the lines they replace (restated costs, the common
/// case): the day is not written, so SQLite leaves the index on days alone: it rewrites an index
/// whose column is written even with the same value, in random pages (docs/performance.md §9).
const REPLACING_SAME_DAY: Table =
    Table { on_conflict: OnConflict::Replace { on: KEY, keeps: &["month", "day"] }, ..LINES };

/// The SQLite statement that inserts `count` lines. The full one (a text of ~80 KB, and nearly
/// every statement of an import) is written once: the writer asks for it between two of
/// SQLite's statements, while SQLite waits.
fn sqlite_statement(count: usize) -> Cow<'static, str> {
    static FULL: OnceLock<String> = OnceLock::new();
    if count == LINES.rows_per_statement() {
        Cow::Borrowed(FULL.get_or_init(|| LINES.statement(DbBackend::Sqlite, count)))
    } else {
        Cow::Owned(LINES.statement(DbBackend::Sqlite, count))
    }
}

/// The lines of the statements that left some out.
#[derive(Debug, Default)]
pub struct Conflicted {
    /// Every line of those statements, written or not.
    pub lines: Vec<Model>,
    /// How many of them were left out: as many as were found stored, or something is wrong.
    pub skipped: u64,
}

/// How an import's chunks of lines reach the table on PostgreSQL: straight, or through the
/// staging table.
///
/// Straight is tried first: one `COPY` into the line items, under a savepoint. A chunk with a
/// key that is stored already (or twice in the chunk) makes that `COPY` fail; it is rolled back
/// to the savepoint and goes through the staging table, which leaves such lines out for the
/// writer to replace, as do the chunks after it until one of them meets no stored key. Why:
/// moving rows from the staging table with `INSERT … SELECT … ON CONFLICT` cost more than
/// copying them twice (docs/performance.md §10), and most chunks of most files are new lines.
#[derive(Debug)]
pub struct CopyRoute {
    straight: bool,
}

impl Default for CopyRoute {
    fn default() -> Self {
        CopyRoute { straight: true }
    }
}

/// Inserts new `lines`, whose statements are `prepared` from them, statement by statement;
/// returns the lines of every statement that left some out because their (tree, x_LineItemId)
/// is stored already, for the caller to replace (a line is looked up only then, the rare case).
pub async fn insert_new(
    txn: &ImportTxn,
    lines: Vec<Model>,
    prepared: Prepared,
    route: &mut CopyRoute,
) -> Result<Conflicted, StoreError> {
    let mut conflicted = Conflicted::default();
    let mut at = 0;
    let mut statement = |inserted: u64, count: usize| {
        if inserted < count as u64 {
            conflicted.lines.extend_from_slice(&lines[at..at + count]);
            conflicted.skipped += count as u64 - inserted;
        }
        at += count;
    };
    match prepared {
        Prepared::Sqlite(statements) => {
            for (count, args) in statements {
                statement(txn.execute_bound(&sqlite_statement(count), args).await?, count);
            }
        }
        Prepared::Copy(rows) => {
            let count = lines.len();
            statement(copy_new(txn, &rows, count, route).await?, count);
        }
        Prepared::Values(rows) => {
            debug_assert_eq!(lines.len(), rows.len(), "values for every line");
            let mut rows = rows.into_iter();
            while rows.len() > 0 {
                let count = rows.len().min(LINES.rows_per_statement());
                statement(LINES.insert(txn, rows.by_ref().take(count).collect()).await?, count);
            }
        }
    }
    debug_assert_eq!(at, lines.len(), "a statement for every line");
    Ok(conflicted)
}

/// Makes the staging table [`copy_new`] copies into, on PostgreSQL; once per import, before
/// its first lines. Temporary: dropped with the import's own connection. It has only the columns
/// written (the id is left to the insert).
pub async fn create_staging(txn: &ImportTxn) -> Result<(), StoreError> {
    if txn.get_database_backend() == DbBackend::Postgres {
        let sql = format!(
            "CREATE TEMPORARY TABLE import_lines AS SELECT {} FROM {} WITH NO DATA",
            LINES.columns.join(", "),
            LINES.name
        );
        txn.execute_unprepared(&sql).await?;
    }
    Ok(())
}

/// Copies `count` rows in COPY's text format into the line items, straight or through the
/// staging table as `route` says (and learns); returns how many went in.
async fn copy_new(txn: &ImportTxn, rows: &[u8], count: usize, route: &mut CopyRoute) -> Result<u64, StoreError> {
    static STRAIGHT: OnceLock<String> = OnceLock::new();
    if route.straight {
        let copy = STRAIGHT.get_or_init(|| format!("COPY {} ({}) FROM STDIN", LINES.name, LINES.columns.join(", ")));
        txn.execute_unprepared("SAVEPOINT straight_copy").await?;
        match txn.copy_in(copy, rows).await.map_err(StoreError::from) {
            Ok(copied) => {
                txn.execute_unprepared("RELEASE SAVEPOINT straight_copy").await?;
                return Ok(copied);
            }
            Err(StoreError::Conflict(_)) => {
                txn.execute_unprepared("ROLLBACK TO SAVEPOINT straight_copy").await?;
                route.straight = false;
            }
            Err(other) => return Err(other),
        }
    }
    let copied = copy_staged(txn, rows).await?;
    // A chunk that met no stored key: the next is likely new lines too.
    route.straight = copied == count as u64;
    Ok(copied)
}

/// Copies rows in COPY's text format into the staging table, then moves them all into the line
/// items with one `INSERT … SELECT`, leaving out those whose key is stored (COPY itself cannot
/// skip a conflict); returns how many went in.
async fn copy_staged(txn: &ImportTxn, rows: &[u8]) -> Result<u64, StoreError> {
    static STATEMENTS: OnceLock<(String, String)> = OnceLock::new();
    let (copy, insert) = STATEMENTS.get_or_init(|| {
        let columns = LINES.columns.join(", ");
        let copy = format!("COPY import_lines ({columns}) FROM STDIN");
        let insert = format!(
            "INSERT INTO {} ({columns}) SELECT {columns} FROM import_lines ON CONFLICT ({}) DO NOTHING",
            LINES.name,
            KEY.join(", ")
        );
        (copy, insert)
    });
    txn.copy_in(copy, rows).await?;
    let inserted = txn.execute_unprepared(insert).await?.rows_affected();
    // Emptied with TRUNCATE, not DELETE: a temporary table is never vacuumed, and deleted rows
    // left in it would be read again by every later chunk's insert.
    txn.execute_unprepared("TRUNCATE import_lines").await?;
    Ok(inserted)
}

/// Writes `lines` over the stored lines with the same (tree, x_LineItemId), each given with
/// whether it keeps its stored line's day: each stored row is updated in place and keeps its id,
/// where a delete and a new insert changed the table and every index twice (and the key's own
/// index not at all now). Every line must be written.
pub async fn replace_all(db: &impl ConnectionTrait, lines: Vec<(Model, bool)>) -> Result<(), StoreError> {
    let expected = lines.len() as u64;
    let (same_day, moved): (Vec<_>, Vec<_>) = lines.into_iter().partition(|(_, same_day)| *same_day);
    let mut written = 0;
    for (table, lines) in [(&REPLACING_SAME_DAY, same_day), (&REPLACING, moved)] {
        written += table.insert(db, lines.iter().map(|(line, _)| values(line)).collect()).await?;
    }
    if written != expected {
        return Err(StoreError::Corrupt(format!("{written} of {expected} replacing lines were written")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_statement_is_the_one_written_for_its_size() {
        let full = LINES.rows_per_statement();
        assert_eq!(sqlite_statement(full), LINES.statement(DbBackend::Sqlite, full));
        assert_eq!(sqlite_statement(2), LINES.statement(DbBackend::Sqlite, 2));
    }
}
