//! The line items keep only the indexes a query reads, for the import's speed.
//!
//! Every imported line paid for five B-tree inserts; two of those indexes served no query:
//! - (reseller, month, day): the reports' "lines of `as_of`'s month dated after it" are found by
//!   (tree, month, day), and a reseller's are picked from those rows;
//! - (customer, month): nothing reads line items by customer.
//!
//! Re-rating reads only the unrated lines of a tree, so it gets a partial index holding just
//! those (a handful of rows, where the rated lines are millions). Every index dropped here is
//! one B-tree insert less for every imported line (docs/performance.md §6).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum BillingLineItems {
    Table,
}

const RESELLER_MONTH_DAY: &str = "ix_billing_line_items_reseller_month_day";
const CUSTOMER_MONTH: &str = "ix_billing_line_items_customer_month";
const UNRATED: &str = "ix_billing_line_items_unrated";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let lines = BillingLineItems::Table;
        manager.drop_index(Index::drop().name(RESELLER_MONTH_DAY).table(lines).to_owned()).await?;
        manager.drop_index(Index::drop().name(CUSTOMER_MONTH).table(lines).to_owned()).await?;
        // `NOT rated` reads the same on both databases (a boolean on PostgreSQL, 0/1 on SQLite);
        // a query uses the index when its WHERE holds this very term (`billing::issues`).
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "CREATE INDEX {UNRATED} ON billing_line_items (tenant_id, reseller_id) WHERE NOT rated"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let lines = BillingLineItems::Table;
        manager.drop_index(Index::drop().name(UNRATED).table(lines).to_owned()).await?;
        manager.create_index(index(lines, RESELLER_MONTH_DAY, &["reseller_id", "month", "day"])).await?;
        manager.create_index(index(lines, CUSTOMER_MONTH, &["customer_id", "month"])).await
    }
}
