//! Hand-written SQL text, for the few statements the query builder makes too slow or cannot
//! say: written once with `?` placeholders, turned into the backend's style here.

use sea_orm::DbBackend;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_numbers_the_placeholders_sqlite_keeps_them() {
        let sql = "SELECT a FROM t WHERE b = ? AND c IN (?, ?)";
        assert_eq!(numbered(DbBackend::Postgres, sql), "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
        assert_eq!(numbered(DbBackend::Sqlite, sql), sql);
    }
}
