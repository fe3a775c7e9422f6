//! The stored lines an import replaces, read with only the columns it needs: whose they are,
//! which row wrote them, and what they bring to the rollups. Their dates, costs and texts as
//! imported are not read: decoding whole stored rows is the writing task's main cost on a file
//! whose lines all replace stored ones (docs/performance.md §9).

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect};

use crate::StoreError;
use crate::entities::billing_line_item::{Column, Entity};
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

/// The stored lines of tree `tenant` with these x_LineItemIds.
pub async fn with_ids<'a>(
    db: &impl ConnectionTrait,
    tenant: i64,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<StoredLine>, StoreError> {
    Ok(Entity::find()
        .select_only()
        .columns(COLUMNS)
        .filter(Column::TenantId.eq(tenant))
        .filter(Column::LineItemId.is_in(ids))
        .into_model::<StoredLine>()
        .all(db)
        .await?)
}
