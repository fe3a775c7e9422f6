//! Writing many rows at once: one multi-row INSERT (or upsert) per slice of rows, its text
//! written by hand rather than through an entity's `insert_many`. An import writes millions of
//! line items and rollup rows; building each statement through the query builder cost more than
//! the database's own work, while this text is the same for every full slice, so each
//! connection prepares it once and reuses it.
//!
//! A slice shorter than a full one is written as statements of power-of-two row counts, so that
//! a table has at most a dozen statement texts: each connection keeps its prepared statements
//! (up to 100), and these are reused rather than crowding out the rest with one-off texts of
//! thousands of values, one for every remainder length.
//!
//! On PostgreSQL the rows of a statement are one JSON parameter instead ([`crate::json_rows`]):
//! one statement text per table, whatever the number of rows.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::{StoreError, json_rows, raw_sql};

/// Values bound per statement at most: under SQLite's 32,766 and PostgreSQL's 65,535, and enough
/// for a whole chunk of line items (1,000 rows of 25) in one statement: fewer, larger statements
/// cost less per line (docs/performance.md §7).
const MAX_VALUES: usize = 25_000;

/// A table's columns written in bulk, and what to do when a row hits a unique index.
pub struct Table {
    /// The table.
    pub name: &'static str,
    /// The columns written, in the order each row's values are given (the id is left to the
    /// database).
    pub columns: &'static [&'static str],
    /// What a row that hits a unique index does.
    pub on_conflict: OnConflict,
}

/// What a row that hits a unique index does.
#[derive(Debug, Clone, Copy)]
pub enum OnConflict {
    /// The row is left out. The unique index on these columns must be the table's only one
    /// besides the id: SQLite skips with `INSERT OR IGNORE` (see [`Table::statement`]), which
    /// skips a conflict on any of them.
    Skip(&'static [&'static str]),
    /// The row is written over the stored row it meets on the columns `on` (which keeps its id):
    /// every other column but those it `keeps` is written anew. (SQLite rewrites every index
    /// holding a column written, even with the same value.)
    Replace {
        /// The unique index's columns.
        on: &'static [&'static str],
        /// Columns the stored row keeps.
        keeps: &'static [&'static str],
    },
}

impl Table {
    /// Rows per statement.
    pub fn rows_per_statement(&self) -> usize {
        MAX_VALUES / self.columns.len()
    }

    /// Rows of the next statement when `left` rows are still to be written (see the module's
    /// note on statement sizes).
    pub fn next_statement_rows(&self, left: usize) -> usize {
        statement_rows(left, self.rows_per_statement())
    }

    /// Writes `rows`, each with one value per column; returns how many were written, inserted or
    /// replacing (fewer than given only when conflicts are skipped).
    pub async fn insert(&self, db: &impl ConnectionTrait, rows: Vec<Vec<Value>>) -> Result<u64, StoreError> {
        let backend = db.get_database_backend();
        if backend == DbBackend::Postgres {
            return self.insert_as_json(db, rows).await;
        }
        let mut inserted = 0;
        let mut rows = rows.into_iter().peekable();
        let mut left = rows.len();
        while rows.peek().is_some() {
            let count = self.next_statement_rows(left);
            left -= count;
            let mut values = Vec::with_capacity(count * self.columns.len());
            for row in rows.by_ref().take(count) {
                debug_assert_eq!(row.len(), self.columns.len(), "one value per column of {}", self.name);
                values.extend(row);
            }
            let sql = self.statement(backend, count);
            inserted += db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?.rows_affected();
        }
        Ok(inserted)
    }

    /// PostgreSQL: [`Table::insert`] with each statement's rows one JSON parameter.
    async fn insert_as_json(&self, db: &impl ConnectionTrait, rows: Vec<Vec<Value>>) -> Result<u64, StoreError> {
        let sql = self.json_statement();
        let mut inserted = 0;
        for statement in json_rows::statements(&sql, self.columns, rows.into_iter()) {
            inserted += db.execute_raw(statement?).await?.rows_affected();
        }
        Ok(inserted)
    }

    /// PostgreSQL: `INSERT … SELECT … FROM json_populate_recordset($1)`.
    fn json_statement(&self) -> String {
        let (verb, suffix) = self.conflict_clause(DbBackend::Postgres);
        let select = json_rows::select(self.name, self.columns);
        format!("{verb} {} ({}) {select}{suffix}", self.name, self.columns.join(", "))
    }

    /// `INSERT … VALUES (…), …` for `rows` rows, in the backend's placeholder style.
    ///
    /// Conflicts are skipped on SQLite by `INSERT OR IGNORE` rather than `ON CONFLICT DO
    /// NOTHING`: a multi-row insert that may stop half-way (a NOT NULL column stops it by
    /// default) makes SQLite copy every page it changes into a statement journal first, to undo
    /// the statement alone. Under `OR IGNORE` no constraint stops it, so, on a connection without
    /// foreign-key checks (an import's, `import::transaction`), there is no such journal to write
    /// (docs/performance.md §6). A NOT NULL column given NULL is skipped too, so a caller counts what went in (our values never bind NULL there).
    pub fn statement(&self, backend: DbBackend, rows: usize) -> String {
        let (verb, suffix) = self.conflict_clause(backend);
        let sql = format!(
            "{verb} {} ({}) VALUES {}{suffix}",
            self.name,
            self.columns.join(", "),
            raw_sql::value_rows(self.columns.len(), rows)
        );
        raw_sql::numbered(backend, &sql)
    }

    /// The statement's verb and what follows its rows, for the conflicts it meets.
    fn conflict_clause(&self, backend: DbBackend) -> (&'static str, String) {
        match (self.on_conflict, backend) {
            (OnConflict::Skip(_), DbBackend::Sqlite) => ("INSERT OR IGNORE INTO", String::new()),
            (OnConflict::Skip(on), _) => ("INSERT INTO", format!(" ON CONFLICT ({}) DO NOTHING", on.join(", "))),
            (OnConflict::Replace { on, keeps }, _) => {
                let set: Vec<String> = (self.columns.iter())
                    .filter(|c| !on.contains(c) && !keeps.contains(c))
                    .map(|c| format!("{c} = excluded.{c}"))
                    .collect();
                ("INSERT INTO", format!(" ON CONFLICT ({}) DO UPDATE SET {}", on.join(", "), set.join(", ")))
            }
        }
    }
}

/// Rows of the next statement with `left` rows to write: a full statement, else the largest
/// power of two that fits.
fn statement_rows(left: usize, per_statement: usize) -> usize {
    if left >= per_statement { per_statement } else { 1 << left.ilog2() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Table = Table { name: "t", columns: &["a", "b", "c"], on_conflict: OnConflict::Skip(&["a", "b"]) };

    #[test]
    fn placeholders_follow_the_backend_and_count_every_value() {
        assert_eq!(T.statement(DbBackend::Sqlite, 2), "INSERT OR IGNORE INTO t (a, b, c) VALUES (?, ?, ?), (?, ?, ?)");
        assert_eq!(
            T.statement(DbBackend::Postgres, 2),
            "INSERT INTO t (a, b, c) VALUES ($1, $2, $3), ($4, $5, $6) ON CONFLICT (a, b) DO NOTHING"
        );
        let replacing = Table { on_conflict: OnConflict::Replace { on: &["a"], keeps: &["b"] }, ..T };
        for (backend, values) in [(DbBackend::Sqlite, "(?, ?, ?)"), (DbBackend::Postgres, "($1, $2, $3)")] {
            assert_eq!(
                replacing.statement(backend, 1),
                format!("INSERT INTO t (a, b, c) VALUES {values} ON CONFLICT (a) DO UPDATE SET c = excluded.c")
            );
        }
    }

    #[test]
    fn postgresql_reads_the_rows_of_one_json_parameter() {
        assert_eq!(
            T.json_statement(),
            "INSERT INTO t (a, b, c) SELECT a, b, c FROM json_populate_recordset(NULL::t, $1::json) \
             ON CONFLICT (a, b) DO NOTHING"
        );
    }

    #[test]
    fn remainders_are_written_in_a_few_statement_sizes() {
        let mut sizes = std::collections::BTreeSet::new();
        for rows in 1..=2000 {
            let (mut left, mut written) = (rows, 0);
            while left > 0 {
                let count = statement_rows(left, 500);
                assert!(count <= left && count > 0);
                sizes.insert(count);
                left -= count;
                written += count;
            }
            assert_eq!(written, rows);
        }
        // 500 and the nine powers of two below it, whatever the number of rows.
        assert_eq!(sizes.len(), 10, "{sizes:?}");
    }

    #[test]
    fn a_statement_stays_under_both_databases_parameter_limits() {
        let wide = Table { name: "w", columns: &["c"; 25], on_conflict: OnConflict::Skip(&["c"]) };
        assert!(wide.rows_per_statement() * 25 <= 32_766);
        assert_eq!(wide.rows_per_statement(), 1000);
    }
}
