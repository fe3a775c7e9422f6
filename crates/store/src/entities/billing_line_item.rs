use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_line_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub batch_id: i64,
    pub row_number: i64,
    pub line_item_id: Option<String>,
    pub customer_external_id: String,
    pub customer_id: Option<i64>,
    pub reseller_id: Option<i64>,
    /// The reseller whose x_LineItemIds this line's is one of: `reseller_id`, or 0 for none.
    pub owner_id: i64,
    pub product_id: Option<i64>,
    pub sku: Option<String>,
    pub provider: String,
    pub service: String,
    pub charge_category: String,
    pub period_start: DateTimeUtc,
    pub period_end: DateTimeUtc,
    pub month: String,
    pub day: Date,
    pub billed_cost: String,
    pub effective_cost: String,
    pub currency: String,
    pub usd_rate: Option<String>,
    pub billed_usd: Option<String>,
    pub effective_usd: Option<String>,
    pub quantity: Option<String>,
    pub marketplace: bool,
    pub rated: bool,
    pub billing_account_id: Option<String>,
    pub billing_account_name: Option<String>,
    pub sub_account_id: Option<String>,
    pub sub_account_name: Option<String>,
    pub billing_period: Option<String>,
    pub invoice_id: Option<String>,
    pub invoice_issuer: Option<String>,
    pub publisher: Option<String>,
    pub host_provider: Option<String>,
    pub charge_class: Option<String>,
    pub service_category: Option<String>,
    pub region_id: Option<String>,
    pub consumed_quantity: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
