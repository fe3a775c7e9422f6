use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub owner_org_id: i64,
    pub kind: String,
    pub period: String,
    pub reseller_id: Option<i64>,
    pub status: String,
    pub progress: i32,
    pub row_count: Option<i64>,
    pub error: Option<String>,
    pub requested_by: String,
    pub requested_at: DateTimeUtc,
    pub generated_at: Option<DateTimeUtc>,
    pub lease_until: Option<DateTimeUtc>,
    pub attempts: i32,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
