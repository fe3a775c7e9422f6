//! The usage snapshot's customers with usage per reseller and month (`usage_reseller_months`),
//! written by the usage refresh beside `usage_rows`, and filled here from the snapshots already
//! taken.
//!
//! Why: the reseller usage tab counted each listed reseller's distinct customers over every
//! customer row of the page's resellers (50 resellers of the 100,000-customer tree: ~40,000 index
//! entries a page), 6.9 ms at 10M lines against DuckDB's 20.6 ms over the raw lines
//! (docs/performance.md §14).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum UsageResellerMonths {
    Table,
    Id,
    TenantId,
    Month,
    ResellerId,
    Customers,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UsageResellerMonths::Table)
                    .col(big_pk_auto(UsageResellerMonths::Id))
                    .col(big_integer(UsageResellerMonths::TenantId))
                    .col(string_len(UsageResellerMonths::Month, 7))
                    .col(big_integer(UsageResellerMonths::ResellerId))
                    .col(big_integer(UsageResellerMonths::Customers))
                    .to_owned(),
            )
            .await?;
        let grain = ["tenant_id", "month", "reseller_id"];
        let mut unique = index(UsageResellerMonths::Table, "ux_usage_reseller_months_grain", &grain);
        manager.create_index(unique.unique().to_owned()).await?;
        // The snapshots taken before: their customer rows (a reseller's own sums are customer 0).
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO usage_reseller_months (tenant_id, month, reseller_id, customers) \
                 SELECT tenant_id, month, reseller_id, COUNT(DISTINCT customer_id) FROM usage_rows \
                 WHERE customer_id <> 0 GROUP BY tenant_id, month, reseller_id",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(UsageResellerMonths::Table).to_owned()).await
    }
}
