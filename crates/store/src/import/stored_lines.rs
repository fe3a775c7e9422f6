//! The stored lines an import replaces, read with only the columns it needs: whose they are,
//! which row wrote them, and what they bring to the rollups. Their dates, costs and texts as
//! imported are not read: decoding whole stored rows is the writing task's main cost on a file
//! whose lines all replace stored ones (docs/performance.md §9).

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, FromQueryResult, IdenStatic, Statement, Value};

use crate::StoreError;
use crate::entities::billing_line_item::Column;
use crate::raw_sql::{joined_to_keys, numbered};
use crate::rollups::lines::rolled_up_by_columns;

/// A stored line, as far as its replacement needs it.
#[derive(Debug, FromQueryResult)]
pub struct StoredLine {
    pub batch_id: i64,
    pub row_number: i64,
    pub line_item_id: Option<String>,
    pub tenant_id: i64,
    pub rated: bool,
    pub day: NaiveDate,
    pub month: String,
    pub reseller_id: Option<i64>,
    pub owner_id: i64,
    pub customer_id: Option<i64>,
    pub product_id: Option<i64>,
    pub provider: String,
    pub service: String,
    pub marketplace: bool,
    pub charge_category: String,
    pub billed_usd: Option<String>,
    pub effective_usd: Option<String>,
    pub quantity: Option<String>,
    pub consumed_quantity: Option<String>,
    pub sku: Option<String>,
}

/// The columns read: [`StoredLine`]'s fields.
const COLUMNS: [Column; 20] = [
    Column::BatchId,
    Column::RowNumber,
    Column::LineItemId,
    Column::TenantId,
    Column::Rated,
    Column::Day,
    Column::Month,
    Column::ResellerId,
    Column::OwnerId,
    Column::CustomerId,
    Column::ProductId,
    Column::Provider,
    Column::Service,
    Column::Marketplace,
    Column::ChargeCategory,
    Column::BilledUsd,
    Column::EffectiveUsd,
    Column::Quantity,
    Column::ConsumedQuantity,
    Column::Sku,
];

rolled_up_by_columns!(StoredLine);

/// Keys are sent in statements of a multiple of this many.
const KEYS_STEP: usize = 250;

/// The most keys a statement sends: a writer's part can hold several chunks' lines
/// (`copy_batches`), and each count of keys is a statement text the connection prepares and keeps.
const KEYS_PER_READ: usize = 1000;

/// The stored lines of tree `tenant` with these (owner, x_LineItemId) keys.
///
/// Why a join with the keys as a `VALUES` list ([`joined_to_keys`]): the unique index is (tree,
/// owner, line id), and `line_item_id IN (…)` without the owner walked every line of the tree per
/// statement on SQLite (a file of 200,000 replacing lines took 157 s instead of 3:
/// docs/performance.md §9).
pub async fn with_keys(
    db: &impl ConnectionTrait,
    tenant: i64,
    keys: &[(i64, &str)],
) -> Result<Vec<StoredLine>, StoreError> {
    let mut stored = Vec::new();
    for keys in keys.chunks(KEYS_PER_READ) {
        stored.extend(with_few_keys(db, tenant, keys).await?);
    }
    Ok(stored)
}

/// [`with_keys`] for at most [`KEYS_PER_READ`] keys, in one statement.
async fn with_few_keys(
    db: &impl ConnectionTrait,
    tenant: i64,
    keys: &[(i64, &str)],
) -> Result<Vec<StoredLine>, StoreError> {
    // The keys padded to a multiple of KEYS_STEP with a key no line has (no owner is negative),
    // so that the connection prepares and caches a few texts rather than one per count.
    let padded = keys.len().div_ceil(KEYS_STEP) * KEYS_STEP;
    let columns: Vec<String> = COLUMNS.iter().map(|c| format!("t.{}", c.as_str())).collect();
    let key = [Column::OwnerId.as_str(), Column::LineItemId.as_str()];
    let backend = db.get_database_backend();
    let sql = joined_to_keys(backend, &columns.join(", "), "billing_line_items", &key, padded, " AND t.tenant_id = ?");
    let mut values: Vec<Value> = Vec::with_capacity(padded * 2 + 1);
    for (owner, id) in keys.iter().copied().chain(std::iter::repeat_n((-1, ""), padded - keys.len())) {
        values.push(owner.into());
        values.push(id.into());
    }
    values.push(tenant.into());
    let statement = Statement::from_sql_and_values(backend, numbered(backend, &sql), values);
    Ok(StoredLine::find_by_statement(statement).all(db).await?)
}
