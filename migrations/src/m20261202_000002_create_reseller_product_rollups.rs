//! The reseller × product rollup: rated line items summed per reseller, catalog product and
//! month — units of every category (the Partners dashboard's falling units), revenue and cost
//! without Tax (Insights' reseller activity and families). Lines without a product sum under
//! product 0, so that the table has rows whenever lines exist and `Store::migrate` can tell an
//! unfilled grain from an empty one.
//!
//! A distributor's month is then one row per reseller and product it sells, whatever the number
//! of its customers or lines. Filled for existing data by `Store::migrate`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum ResellerProductRollups {
    Table,
    Id,
    TenantId,
    ResellerId,
    ProductId,
    Month,
    BilledUsd,
    EffectiveUsd,
    Units,
    LineCount,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = ResellerProductRollups::Table;
        manager
            .create_table(
                Table::create()
                    .table(table)
                    .col(big_pk_auto(ResellerProductRollups::Id))
                    .col(big_integer(ResellerProductRollups::TenantId))
                    .col(big_integer(ResellerProductRollups::ResellerId))
                    .col(big_integer(ResellerProductRollups::ProductId))
                    .col(string_len(ResellerProductRollups::Month, 7))
                    .col(string_len(ResellerProductRollups::BilledUsd, 64))
                    .col(string_len(ResellerProductRollups::EffectiveUsd, 64))
                    .col(string_len(ResellerProductRollups::Units, 64))
                    .col(big_integer(ResellerProductRollups::LineCount))
                    .to_owned(),
            )
            .await?;
        let mut grain = index(table, "ux_reseller_product_rollups_grain", &["reseller_id", "product_id", "month"]);
        manager.create_index(grain.unique().to_owned()).await?;
        manager.create_index(index(table, "ix_reseller_product_rollups_tenant_month", &["tenant_id", "month"])).await?;
        manager
            .create_index(index(table, "ix_reseller_product_rollups_reseller_month", &["reseller_id", "month"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ResellerProductRollups::Table).to_owned()).await
    }
}
