//! The usage snapshot's totals of a whole tree: per month and service (`usage_tree_services`), and
//! per month the resellers and customers with usage (`usage_tree_months`), written by the usage
//! refresh beside `usage_rows`.
//!
//! Why: a distributor's usage summary summed every reseller's rows per service (2,867 rows a
//! month in the 100,000-customer tree of `make bench-home`, each handed across the database
//! driver's thread) and counted its distinct customers over every customer row (37,000 index
//! entries): ~10 ms, no faster than DuckDB over the raw lines (docs/performance.md §14). A month
//! with no `usage_tree_months` row (a snapshot taken before this migration) is read from
//! `usage_rows` as before.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum UsageTreeServices {
    Table,
    Id,
    TenantId,
    Month,
    Provider,
    Service,
    Consumed,
    Units,
    Revenue,
    LineCount,
}

#[derive(DeriveIden, Clone, Copy)]
enum UsageTreeMonths {
    Table,
    Id,
    TenantId,
    Month,
    Resellers,
    Customers,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UsageTreeServices::Table)
                    .col(big_pk_auto(UsageTreeServices::Id))
                    .col(big_integer(UsageTreeServices::TenantId))
                    .col(string_len(UsageTreeServices::Month, 7))
                    .col(string_len(UsageTreeServices::Provider, 255))
                    .col(string_len(UsageTreeServices::Service, 255))
                    .col(string_len(UsageTreeServices::Consumed, 64))
                    .col(string_len(UsageTreeServices::Units, 64))
                    .col(string_len(UsageTreeServices::Revenue, 64))
                    .col(big_integer(UsageTreeServices::LineCount))
                    .to_owned(),
            )
            .await?;
        let grain = ["tenant_id", "month", "provider", "service"];
        let mut unique = index(UsageTreeServices::Table, "ux_usage_tree_services_grain", &grain);
        manager.create_index(unique.unique().to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table(UsageTreeMonths::Table)
                    .col(big_pk_auto(UsageTreeMonths::Id))
                    .col(big_integer(UsageTreeMonths::TenantId))
                    .col(string_len(UsageTreeMonths::Month, 7))
                    .col(big_integer(UsageTreeMonths::Resellers))
                    .col(big_integer(UsageTreeMonths::Customers))
                    .to_owned(),
            )
            .await?;
        let mut unique = index(UsageTreeMonths::Table, "ux_usage_tree_months_grain", &["tenant_id", "month"]);
        manager.create_index(unique.unique().to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [UsageTreeMonths::Table.into_iden(), UsageTreeServices::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
