//! The reseller × month rollup: rated line items summed per reseller and month, revenue and cost
//! without Tax — the reseller × product rollup with the product summed away. What reads a tree's
//! whole history (each reseller's transacting months: new, churned, adds and churns, geography)
//! then reads one row per reseller and month instead of one per product too. A reseller's rows
//! exist whenever it has rated lines, so `Store::migrate` can tell an unfilled grain and fill it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum ResellerMonthRollups {
    Table,
    Id,
    TenantId,
    ResellerId,
    Month,
    BilledUsd,
    EffectiveUsd,
    Units,
    LineCount,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = ResellerMonthRollups::Table;
        manager
            .create_table(
                Table::create()
                    .table(table)
                    .col(big_pk_auto(ResellerMonthRollups::Id))
                    .col(big_integer(ResellerMonthRollups::TenantId))
                    .col(big_integer(ResellerMonthRollups::ResellerId))
                    .col(string_len(ResellerMonthRollups::Month, 7))
                    .col(string_len(ResellerMonthRollups::BilledUsd, 64))
                    .col(string_len(ResellerMonthRollups::EffectiveUsd, 64))
                    .col(string_len(ResellerMonthRollups::Units, 64))
                    .col(big_integer(ResellerMonthRollups::LineCount))
                    .to_owned(),
            )
            .await?;
        let mut grain = index(table, "ux_reseller_month_rollups_grain", &["reseller_id", "month"]);
        manager.create_index(grain.unique().to_owned()).await?;
        manager.create_index(index(table, "ix_reseller_month_rollups_tenant_month", &["tenant_id", "month"])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ResellerMonthRollups::Table).to_owned()).await
    }
}
