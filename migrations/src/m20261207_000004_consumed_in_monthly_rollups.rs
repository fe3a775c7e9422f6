//! The consumed quantity kept in `monthly_rollups`, and `customer_service_rollups` dropped.
//!
//! Why: usage read its own grain, (customer, provider, service, month), which is the monthly
//! grain's key less its product, marketplace and charge category. In a tree of many customers a
//! month's customer keeps one product and category per service, so that grain wrote a row beside
//! nearly every monthly row: a third of a monthly file's rollup rows, each with its unique index
//! and (tree, month) index (docs/performance.md §15). Usage now reads the monthly rows of a
//! seller's month and sums them by service in Rust.
//!
//! The column is nullable: rows written before it hold no consumed quantity, and `Store::migrate`
//! rebuilds the rollups from the line items while any such row is left. A partial index of those
//! rows answers that at once (it holds no entry once they are rebuilt), where a scan would read
//! every monthly row on each command's start.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum MonthlyRollups {
    Table,
    Consumed,
}

#[derive(DeriveIden, Clone, Copy)]
enum CustomerServiceRollups {
    Table,
    Id,
    TenantId,
    ResellerId,
    CustomerId,
    Provider,
    Service,
    Month,
    BilledUsd,
    EffectiveUsd,
    Units,
    Consumed,
    LineCount,
}

/// The monthly rows written before the consumed quantity was kept (the same on both databases).
const WITHOUT_CONSUMED: &str =
    "CREATE INDEX ix_monthly_rollups_without_consumed ON monthly_rollups (id) WHERE consumed IS NULL";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let consumed = string_len_null(MonthlyRollups::Consumed, 64);
        manager.alter_table(Table::alter().table(MonthlyRollups::Table).add_column(consumed).to_owned()).await?;
        manager.get_connection().execute_unprepared(WITHOUT_CONSUMED).await?;
        manager.drop_table(Table::drop().table(CustomerServiceRollups::Table).to_owned()).await
    }

    /// The grain as `m20261203_000001` made it, empty: `Store::migrate` of the older binary fills
    /// a grain with no rows from the line items.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use CustomerServiceRollups as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(big_pk_auto(C::Id))
                    .col(big_integer(C::TenantId))
                    .col(big_integer(C::ResellerId))
                    .col(big_integer(C::CustomerId))
                    .col(string_len(C::Provider, 255))
                    .col(string_len(C::Service, 255))
                    .col(string_len(C::Month, 7))
                    .col(string_len(C::BilledUsd, 64))
                    .col(string_len(C::EffectiveUsd, 64))
                    .col(string_len(C::Units, 64))
                    .col(string_len(C::Consumed, 64))
                    .col(big_integer(C::LineCount))
                    .to_owned(),
            )
            .await?;
        let grain = ["customer_id", "provider", "service", "month", "reseller_id"];
        let mut unique = index(C::Table, "ux_customer_service_rollups_grain", &grain);
        manager.create_index(unique.unique().to_owned()).await?;
        let by_month = ["tenant_id", "month", "reseller_id", "customer_id"];
        manager.create_index(index(C::Table, "ix_customer_service_rollups_tenant_month", &by_month)).await?;
        manager.get_connection().execute_unprepared("DROP INDEX ix_monthly_rollups_without_consumed").await?;
        let drop = Table::alter().table(MonthlyRollups::Table).drop_column(MonthlyRollups::Consumed).to_owned();
        manager.alter_table(drop).await
    }
}
