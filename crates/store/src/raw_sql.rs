//! Hand-written SQL text, for the few statements the query builder makes too slow or cannot
//! say: written once with `?` placeholders, turned into the backend's style here.

use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{Condition, DbBackend};

/// `sql` with its `?` placeholders as the backend wants them: PostgreSQL numbers them (`$1`,
/// `$2`, …), SQLite takes them as they are. The text must hold no other `?`.
pub fn numbered(backend: DbBackend, sql: &str) -> String {
    if backend != DbBackend::Postgres {
        return sql.to_owned();
    }
    let mut out = String::with_capacity(sql.len() + sql.len() / 4);
    for (n, part) in sql.split('?').enumerate() {
        if n > 0 {
            out.push('$');
            out.push_str(&n.to_string());
        }
        out.push_str(part);
    }
    out
}

/// `table.column = value`, on SQLite written `+column` so that it cannot pick the index: SQLite
/// has no statistics and took a tree's (tree, …) index over a narrower one the statement's other
/// condition names (a page of resellers among thousands of rows of their tree). PostgreSQL's
/// planner, with its statistics, gets the plain condition.
pub(crate) fn equal_unindexed(backend: DbBackend, table: &str, column: &str, value: i64) -> Condition {
    let condition = match backend {
        DbBackend::Sqlite => Expr::cust_with_values(format!("+\"{table}\".\"{column}\" = ?"), [value]),
        _ => Expr::col((Alias::new(table), Alias::new(column))).eq(value),
    };
    Condition::all().add(condition)
}

/// SQL that is true when a stored decimal text in `column` is not zero: it holds a digit other
/// than 0 (a decimal's text has no exponent, and its zeros are "0", "0.00", "-0.0" …), told by the
/// database without a cast.
pub(crate) fn decimal_not_zero(backend: DbBackend, column: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("{column} ~ '[1-9]'"),
        _ => format!("{column} GLOB '*[1-9]*'"),
    }
}

/// `rows` rows of `columns` placeholders each, for a `VALUES` list: `(?, ?), (?, ?)`.
pub(crate) fn value_rows(columns: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    vec![row; rows].join(", ")
}

/// `items`, then the last of them again until there are `len` (`items` is not longer): a list
/// of values always as long, so that a statement binding it has the same text every time. A
/// connection prepares and keeps each text it sees (sqlx keeps up to 100), and one text per
/// list length, each of hundreds of placeholders, crowded that cache and the memory it holds.
pub(crate) fn padded<T>(items: &[T], len: usize) -> impl Iterator<Item = &T> {
    items.iter().chain(items.last().map(|last| std::iter::repeat_n(last, len - items.len())).into_iter().flatten())
}

/// `SELECT {select}` from `table` (named `t`) joined to `rows` keys sent as a `VALUES` list (named
/// `k`), each key's values in `key_columns` order, and `also` (further conditions on `t`, each
/// `AND …`, whose placeholders follow the keys'): with an index on `key_columns` each key is one
/// seek of it, on both databases.
///
/// Why this shape rather than `WHERE (key) OR (key) …` or `IN (…)`: PostgreSQL planned a chain of
/// ORs afresh at every execution, and an `IN` on part of an index walked the rest of it
/// (docs/performance.md §9, §10).
///
/// On PostgreSQL each key's row is a `LATERAL` subquery with `LIMIT 1` (`key_columns` and
/// `also` name at most one row: a unique index), which the planner cannot turn back into a join:
/// planned as a join, with statistics from before a large import was analysed (a tree of 943
/// lines where it held 1.4 million), it hashed the whole tree's lines for every 1,000 keys
/// (docs/performance.md §10).
pub fn joined_to_keys(
    backend: DbBackend,
    select: &str,
    table: &str,
    key_columns: &[&str],
    rows: usize,
    also: &str,
) -> String {
    let values = value_rows(key_columns.len(), rows);
    let on: Vec<String> = key_columns.iter().enumerate().map(|(n, c)| format!("t.{c} = k.column{}", n + 1)).collect();
    let on = on.join(" AND ");
    match backend {
        DbBackend::Postgres => format!(
            "SELECT {select} FROM (VALUES {values}) AS k \
             CROSS JOIN LATERAL (SELECT * FROM {table} t WHERE {on}{also} LIMIT 1) t"
        ),
        _ => format!("SELECT {select} FROM (VALUES {values}) AS k JOIN {table} t ON {on}{also}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_joined_column_by_column() {
        assert_eq!(
            joined_to_keys(DbBackend::Sqlite, "t.id", "items", &["owner", "code"], 2, " AND t.tree = ?"),
            "SELECT t.id FROM (VALUES (?, ?), (?, ?)) AS k JOIN items t \
             ON t.owner = k.column1 AND t.code = k.column2 AND t.tree = ?"
        );
        // Each key a lookup of its own on PostgreSQL, whatever the table's statistics say.
        assert_eq!(
            joined_to_keys(DbBackend::Postgres, "t.id", "items", &["owner", "code"], 2, " AND t.tree = ?"),
            "SELECT t.id FROM (VALUES (?, ?), (?, ?)) AS k CROSS JOIN LATERAL \
             (SELECT * FROM items t WHERE t.owner = k.column1 AND t.code = k.column2 AND t.tree = ? LIMIT 1) t"
        );
    }

    #[test]
    fn postgres_numbers_the_placeholders_sqlite_keeps_them() {
        let sql = "SELECT a FROM t WHERE b = ? AND c IN (?, ?)";
        assert_eq!(numbered(DbBackend::Postgres, sql), "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
        assert_eq!(numbered(DbBackend::Sqlite, sql), sql);
    }

    #[test]
    fn padding_repeats_the_last_item_up_to_the_length() {
        assert_eq!(padded(&[1, 2], 4).copied().collect::<Vec<_>>(), [1, 2, 2, 2]);
        assert_eq!(padded(&[1, 2], 2).copied().collect::<Vec<_>>(), [1, 2]);
        assert_eq!(padded::<i32>(&[], 3).count(), 0);
    }
}
