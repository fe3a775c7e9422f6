//! Many small rollup rows read as a few long texts: `SELECT month, group_concat(a || ':' || b,
//! ',') … GROUP BY month` (PostgreSQL: `string_agg`), unpacked in Rust. The database walks the
//! rows in C and the driver hands over one row per group instead of one per rollup row, which is
//! what an Insights view spent its time on (docs/performance.md §11a). Amounts travel as their
//! stored decimal text and are parsed exactly, as when read row by row.

use sea_orm::DbBackend;
use sea_orm::sea_query::Expr;

/// The aggregate packing `columns` (integers and decimal texts: neither holds `:` or `,`) of each
/// row of a group into one text, `a:b,a:b,…`.
pub(crate) fn packed(backend: DbBackend, columns: &[&str]) -> Expr {
    match backend {
        DbBackend::Postgres => {
            let row: Vec<String> = columns.iter().map(|c| format!("{c}::text")).collect();
            Expr::cust(format!("string_agg({}, ',')", row.join(" || ':' || ")))
        }
        _ => Expr::cust(format!("group_concat({}, ',')", columns.join(" || ':' || "))),
    }
}

/// The rows of a packed text, each as its columns' texts.
pub(crate) fn unpacked(packed: &str) -> impl Iterator<Item = std::str::Split<'_, char>> {
    packed.split(',').filter(|row| !row.is_empty()).map(|row| row.split(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_as_their_columns() {
        let rows: Vec<Vec<&str>> = unpacked("7:-1.50,12:0.0001").map(|r| r.collect()).collect();
        assert_eq!(rows, [vec!["7", "-1.50"], vec!["12", "0.0001"]]);
        assert_eq!(unpacked("").count(), 0);
    }
}
