//! Many small rollup rows read as a few long texts: `SELECT month, group_concat(a, ','),
//! group_concat(b, ',') … GROUP BY month` (PostgreSQL: `string_agg`), one text per column,
//! unpacked in Rust. The database walks the rows in C and the driver hands over one row per group
//! instead of one per rollup row, which is what an Insights view spent its time on
//! (docs/performance.md §11a). One text per column rather than one of `a:b` pairs: SQLite then
//! builds no text per row, which halved the read. Amounts travel as their stored decimal text and
//! are parsed exactly, as when read row by row.

use sea_orm::DbBackend;
use sea_orm::sea_query::Expr;

use crate::StoreError;

/// The aggregate packing `column`'s values (integers, decimal texts or codes: never NULL and never
/// holding a `,`; an empty text is a value) of a group's rows into one text, `a,a,…`. The aggregates of one query are fed
/// the group's rows in the same order, one row at a time, so the n-th value of each column's text
/// comes from the same row.
pub(crate) fn packed(backend: DbBackend, column: &str) -> Expr {
    match backend {
        DbBackend::Postgres => Expr::cust(format!("string_agg({column}::text, ',')")),
        _ => Expr::cust(format!("group_concat({column}, ',')")),
    }
}

/// The rows of a group's packed columns: the n-th value of each text; an error naming `what`
/// when the texts do not hold as many values each.
pub(crate) fn unpacked<'a, const N: usize>(columns: [&'a str; N], what: &str) -> Result<Vec<[&'a str; N]>, StoreError> {
    // A group has rows, so each text holds at least one value (`""` is one empty value).
    let mut values = columns.map(|text| text.split(','));
    let mut rows = Vec::new();
    loop {
        let row = values.each_mut().map(Iterator::next);
        match (row.iter().all(Option::is_some), row.iter().all(Option::is_none)) {
            (true, _) => rows.push(row.map(|v| v.unwrap_or_default())),
            (_, true) => return Ok(rows),
            _ => return Err(StoreError::Corrupt(format!("{what}: packed columns of different lengths"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_as_their_columns() {
        let rows = unpacked(["7,12", "-1.50,0.0001"], "test").unwrap();
        assert_eq!(rows, [["7", "-1.50"], ["12", "0.0001"]]);
        assert_eq!(unpacked([",smb", "1,2"], "test").unwrap(), [["", "1"], ["smb", "2"]], "an empty value is a value");
        assert!(unpacked(["7,12", "1"], "test").is_err(), "texts of different lengths are an error");
    }
}
