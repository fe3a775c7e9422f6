use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_batches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub org_id: i64,
    pub created_by: Option<i64>,
    pub source: String,
    pub file_name: String,
    pub sha256: String,
    pub status: String,
    pub rows_total: i64,
    pub rows_rated: i64,
    pub rows_unrated: i64,
    pub rows_replaced: i64,
    pub errors: Option<String>,
    pub created_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
