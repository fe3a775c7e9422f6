//! Writing line items in bulk: one multi-row INSERT per slice of lines, written by hand rather
//! than through the entity's `insert_many`. An import writes millions of lines; building each
//! statement through the query builder cost more than the database's own work, while this text
//! is the same for every full slice, so each connection prepares it once and reuses it.

use std::fmt::Write;

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::StoreError;
use crate::entities::billing_line_item::Model;

/// The columns written, in the order their values are bound.
const COLUMNS: [&str; 25] = [
    "tenant_id",
    "batch_id",
    "row_number",
    "line_item_id",
    "customer_external_id",
    "customer_id",
    "reseller_id",
    "product_id",
    "sku",
    "provider",
    "service",
    "charge_category",
    "period_start",
    "period_end",
    "month",
    "day",
    "billed_cost",
    "effective_cost",
    "currency",
    "usd_rate",
    "billed_usd",
    "effective_usd",
    "quantity",
    "marketplace",
    "rated",
];

/// Lines per statement: 25 values each stays far under SQLite's 32,766 and PostgreSQL's 65,535
/// parameters.
pub const LINES_PER_STATEMENT: usize = 500;

/// Inserts `lines` (their `id` is ignored; the database assigns it). A line whose
/// (tenant, x_LineItemId) is stored already is left out, not an error; returns how many went in.
pub async fn insert(db: &impl ConnectionTrait, lines: &[Model]) -> Result<u64, StoreError> {
    let backend = db.get_database_backend();
    let mut inserted = 0;
    for part in lines.chunks(LINES_PER_STATEMENT) {
        let mut values = Vec::with_capacity(part.len() * COLUMNS.len());
        for line in part {
            push_values(&mut values, line);
        }
        let sql = statement(backend, part.len());
        inserted += db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?.rows_affected();
    }
    Ok(inserted)
}

/// Inserts `lines` that replace stored ones (whose rows were just deleted): every one must go in.
pub async fn insert_all(db: &impl ConnectionTrait, lines: &[Model]) -> Result<(), StoreError> {
    let inserted = insert(db, lines).await?;
    if inserted != lines.len() as u64 {
        return Err(StoreError::Corrupt(format!("{} of {} replacing lines were written", inserted, lines.len())));
    }
    Ok(())
}

fn push_values(values: &mut Vec<Value>, line: &Model) {
    values.extend([
        Value::from(line.tenant_id),
        Value::from(line.batch_id),
        Value::from(line.row_number),
        Value::from(line.line_item_id.clone()),
        Value::from(line.customer_external_id.clone()),
        Value::from(line.customer_id),
        Value::from(line.reseller_id),
        Value::from(line.product_id),
        Value::from(line.sku.clone()),
        Value::from(line.provider.clone()),
        Value::from(line.service.clone()),
        Value::from(line.charge_category.clone()),
        Value::from(line.period_start),
        Value::from(line.period_end),
        Value::from(line.month.clone()),
        Value::from(line.day),
        Value::from(line.billed_cost.clone()),
        Value::from(line.effective_cost.clone()),
        Value::from(line.currency.clone()),
        Value::from(line.usd_rate.clone()),
        Value::from(line.billed_usd.clone()),
        Value::from(line.effective_usd.clone()),
        Value::from(line.quantity.clone()),
        Value::from(line.marketplace),
        Value::from(line.rated),
    ]);
}

/// `INSERT … VALUES (…), … ON CONFLICT DO NOTHING` for `rows` lines, in the backend's
/// placeholder style. The id is left to the database.
fn statement(backend: DbBackend, rows: usize) -> String {
    let bound = COLUMNS.len();
    let columns = COLUMNS.join(", ");
    let mut sql = String::with_capacity(120 + rows * bound * 6);
    let _ = write!(sql, "INSERT INTO billing_line_items ({columns}) VALUES ");
    let mut n = 0;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..bound {
            n += 1;
            if column > 0 {
                sql.push_str(", ");
            }
            match backend {
                DbBackend::Postgres => {
                    let _ = write!(sql, "${n}");
                }
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    sql.push_str(" ON CONFLICT (tenant_id, line_item_id) DO NOTHING");
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_backend_and_count_every_value() {
        let sqlite = statement(DbBackend::Sqlite, 2);
        assert_eq!(sqlite.matches('?').count(), 50);
        let postgres = statement(DbBackend::Postgres, 2);
        assert!(postgres.contains("$50)") && !postgres.contains("$51"), "{postgres}");
        assert!(postgres.starts_with("INSERT INTO billing_line_items (tenant_id, batch_id,"));
        assert!(postgres.ends_with("ON CONFLICT (tenant_id, line_item_id) DO NOTHING"));
    }
}
