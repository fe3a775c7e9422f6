use sea_orm::entity::prelude::*;

/// A tree's usage of one service in a month: its `usage_rows` of resellers summed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "usage_tree_services")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub month: String,
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
