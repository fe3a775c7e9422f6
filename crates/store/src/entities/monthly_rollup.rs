use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monthly_rollups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub month: String,
    pub reseller_id: i64,
    pub customer_id: i64,
    pub product_id: i64,
    pub provider: String,
    pub service: String,
    pub marketplace: bool,
    pub charge_category: String,
    pub billed_usd: String,
    pub effective_usd: String,
    pub units: String,
    pub line_count: i64,
    /// `ConsumedQuantity` summed; none in a row written before it was kept (`Store::migrate`
    /// rebuilds such rows from the line items).
    pub consumed: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
