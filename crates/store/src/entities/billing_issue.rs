use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_issues")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub customer_id: Option<i64>,
    pub customer_external_id: Option<String>,
    pub reseller_id: Option<i64>,
    pub batch_id: Option<i64>,
    pub line_id: Option<i64>,
    pub kind: String,
    pub message: String,
    pub detected_at: DateTimeUtc,
    pub resolved_at: Option<DateTimeUtc>,
    pub sku: Option<String>,
    pub lines: Option<i64>,
    pub amount_usd: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
