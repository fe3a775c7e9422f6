use sea_orm::entity::prelude::*;

/// A seller's month in the usage snapshot: how many of its customers have usage (the root's own
/// customers under the root).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "usage_reseller_months")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub month: String,
    pub reseller_id: i64,
    pub customers: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
