//! The units rollup the Partners dashboard's falling chargeable units read: rated line items'
//! units summed per reseller, catalog product and month (lines without a product under product
//! 0, so that the table has rows whenever lines exist and `Store::migrate` can tell an unfilled
//! grain from an empty one).
//!
//! A distributor's month is then one row per reseller and product it sells, whatever the number
//! of its customers or lines. Filled for existing data by `Store::migrate`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum ProductUnitRollups {
    Table,
    Id,
    TenantId,
    ResellerId,
    ProductId,
    Month,
    Units,
    LineCount,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = ProductUnitRollups::Table;
        manager
            .create_table(
                Table::create()
                    .table(table)
                    .col(big_pk_auto(ProductUnitRollups::Id))
                    .col(big_integer(ProductUnitRollups::TenantId))
                    .col(big_integer(ProductUnitRollups::ResellerId))
                    .col(big_integer(ProductUnitRollups::ProductId))
                    .col(string_len(ProductUnitRollups::Month, 7))
                    .col(string_len(ProductUnitRollups::Units, 64))
                    .col(big_integer(ProductUnitRollups::LineCount))
                    .to_owned(),
            )
            .await?;
        let mut grain = index(table, "ux_product_unit_rollups_grain", &["reseller_id", "product_id", "month"]);
        manager.create_index(grain.unique().to_owned()).await?;
        manager.create_index(index(table, "ix_product_unit_rollups_tenant_month", &["tenant_id", "month"])).await?;
        manager.create_index(index(table, "ix_product_unit_rollups_reseller_month", &["reseller_id", "month"])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ProductUnitRollups::Table).to_owned()).await
    }
}
