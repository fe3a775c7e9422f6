use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "usage_rows")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub month: String,
    pub reseller_id: i64,
    /// 0 on a reseller's own row (its customers' usage summed).
    pub customer_id: i64,
    pub provider: String,
    pub service: String,
    pub consumed: String,
    pub units: String,
    pub revenue: String,
    pub line_count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
