use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub parent_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub external_id: Option<String>,
    pub domain: Option<String>,
    pub country: Option<String>,
    pub segment: Option<String>,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub onboarding_stage: Option<String>,
    pub onboarding_stage_at: Option<DateTimeUtc>,
    pub agreement_status: Option<String>,
    pub vetting_status: Option<String>,
    pub balance_currency: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
