use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub customer_id: i64,
    pub reseller_id: i64,
    pub product_id: i64,
    pub plan_id: Option<i64>,
    pub quantity: i64,
    pub unit_price: String,
    pub currency: String,
    pub billing_interval: String,
    pub status: String,
    pub license_status: String,
    pub trial: bool,
    pub assigned_client: Option<String>,
    pub start_date: Date,
    pub end_date: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
