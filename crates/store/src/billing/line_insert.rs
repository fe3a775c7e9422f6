//! Writing line items in bulk (see [`crate::bulk`]): new lines whose (tree, `x_LineItemId`) is
//! stored already are left out, for the import to replace.

use sea_orm::{ConnectionTrait, Value};

use crate::StoreError;
use crate::bulk::Table;
use crate::entities::billing_line_item::Model;

const LINES: Table = Table {
    name: "billing_line_items",
    columns: &[
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
    ],
    skip_conflicts_on: Some("tenant_id, line_item_id"),
};

/// Inserts new `lines`, whose statement values are `rows` (built by [`values`]), statement by
/// statement; returns the lines of every statement that left some out because their (tree,
/// x_LineItemId) is stored already, for the caller to replace (a line is looked up only then,
/// the rare case).
pub async fn insert_new(
    db: &impl ConnectionTrait,
    lines: Vec<Model>,
    rows: Vec<Vec<Value>>,
) -> Result<Vec<Model>, StoreError> {
    debug_assert_eq!(lines.len(), rows.len(), "values for every line");
    let mut conflicted = Vec::new();
    let mut rows = rows.into_iter();
    for part in lines.chunks(LINES.rows_per_statement()) {
        let values = rows.by_ref().take(part.len()).collect();
        if LINES.insert(db, values).await? < part.len() as u64 {
            conflicted.extend_from_slice(part);
        }
    }
    Ok(conflicted)
}

/// Inserts `lines` (their `id` is ignored; the database assigns it). A line whose
/// (tenant, x_LineItemId) is stored already is left out, not an error; returns how many went in.
pub async fn insert(db: &impl ConnectionTrait, lines: &[Model]) -> Result<u64, StoreError> {
    LINES.insert(db, lines.iter().map(values).collect()).await
}

/// Inserts `lines` that replace stored ones (whose rows were just deleted): every one must go in.
pub async fn insert_all(db: &impl ConnectionTrait, lines: &[Model]) -> Result<(), StoreError> {
    let inserted = insert(db, lines).await?;
    if inserted != lines.len() as u64 {
        return Err(StoreError::Corrupt(format!("{} of {} replacing lines were written", inserted, lines.len())));
    }
    Ok(())
}

/// A line's values, in the order of the columns written.
pub fn values(line: &Model) -> Vec<Value> {
    vec![
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
    ]
}
