//! The line items' columns as an import writes them: the table (see [`crate::bulk`]) and a
//! line's values, in the same order.

use sea_orm::Value;

use crate::bulk::{OnConflict, Table};
use crate::entities::billing_line_item::Model;

/// The line items, as an import inserts them.
pub(super) const LINES: Table = Table {
    name: "billing_line_items",
    columns: &[
        "tenant_id",
        "batch_id",
        "row_number",
        "line_item_id",
        "customer_external_id",
        "customer_id",
        "reseller_id",
        "owner_id",
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
        "billing_account_id",
        "billing_account_name",
        "sub_account_id",
        "sub_account_name",
        "billing_period",
        "invoice_id",
        "invoice_issuer",
        "publisher",
        "host_provider",
        "charge_class",
        "service_category",
        "region_id",
        "consumed_quantity",
    ],
    on_conflict: OnConflict::Skip(KEY),
};

/// The columns a line is known by in its tree: its x_LineItemId within its reseller.
pub(super) const KEY: &[&str] = &["tenant_id", "owner_id", "line_item_id"];

/// A line's values, in the order of the columns written.
pub(super) fn values(line: &Model) -> Vec<Value> {
    vec![
        Value::from(line.tenant_id),
        Value::from(line.batch_id),
        Value::from(line.row_number),
        Value::from(line.line_item_id.clone()),
        Value::from(line.customer_external_id.clone()),
        Value::from(line.customer_id),
        Value::from(line.reseller_id),
        Value::from(line.owner_id),
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
        Value::from(line.billing_account_id.clone()),
        Value::from(line.billing_account_name.clone()),
        Value::from(line.sub_account_id.clone()),
        Value::from(line.sub_account_name.clone()),
        Value::from(line.billing_period.clone()),
        Value::from(line.invoice_id.clone()),
        Value::from(line.invoice_issuer.clone()),
        Value::from(line.publisher.clone()),
        Value::from(line.host_provider.clone()),
        Value::from(line.charge_class.clone()),
        Value::from(line.service_category.clone()),
        Value::from(line.region_id.clone()),
        Value::from(line.consumed_quantity.clone()),
    ]
}
