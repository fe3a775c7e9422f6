//! The service × month rollup: rated line items summed per scope (the line's reseller, and the
//! top of its tree, as the daily rollup), month, provider, service and charge category. Home's
//! reports (the month's revenue by service, the projection, the 12-month overview) read a few
//! rows per month from it where they grouped the customer-grain monthly rollup — 42,709 rows a
//! month in the 1M benchmark, sorted by SQLite for the group: the overview took 0.8–2 s
//! (docs/performance.md §11). Filled for existing data by `Store::migrate`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum ServiceMonthRollups {
    Table,
    Id,
    TenantId,
    OrgId,
    Month,
    Provider,
    Service,
    ChargeCategory,
    BilledUsd,
    EffectiveUsd,
    LineCount,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = ServiceMonthRollups::Table;
        manager
            .create_table(
                Table::create()
                    .table(table)
                    .col(big_pk_auto(ServiceMonthRollups::Id))
                    .col(big_integer(ServiceMonthRollups::TenantId))
                    // The scope the row sums for: a reseller, or the top of the tree.
                    .col(big_integer(ServiceMonthRollups::OrgId))
                    .col(string_len(ServiceMonthRollups::Month, 7))
                    .col(string_len(ServiceMonthRollups::Provider, 255))
                    .col(string_len(ServiceMonthRollups::Service, 255))
                    .col(string_len(ServiceMonthRollups::ChargeCategory, 16))
                    .col(string_len(ServiceMonthRollups::BilledUsd, 64))
                    .col(string_len(ServiceMonthRollups::EffectiveUsd, 64))
                    .col(big_integer(ServiceMonthRollups::LineCount))
                    .to_owned(),
            )
            .await?;
        let grain = ["org_id", "month", "provider", "service", "charge_category"];
        manager.create_index(index(table, "ux_service_month_rollups_grain", &grain).unique().to_owned()).await?;
        manager.create_index(index(table, "ix_service_month_rollups_tenant", &["tenant_id"])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ServiceMonthRollups::Table).to_owned()).await
    }
}
