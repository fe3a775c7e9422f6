//! Line items' period index in line order: (tree, billing period, id) rather than (tree, billing
//! period, billing account).
//!
//! Why: the lines of a file arrive in no order of billing account, so the old index took every
//! insert at a random place among a period's accounts, and SQLite spilled and re-read its pages:
//! 2.3 s of a 1M-line import into SQLite alone, against 0.8 s for an index whose entries of one
//! period follow the line ids and are appended (docs/performance.md §15). The id is written out
//! for PostgreSQL, whose index does not keep equal keys in id order: a period's lines are read
//! from it in id order, a page at a time, by a restatement (its accounts picked out of them:
//! `store::import::restated`) and by the invoices of a period. (On SQLite the id is the rowid,
//! in every index already.)

use sea_orm_migration::prelude::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum BillingLineItems {
    Table,
}

const ACCOUNT_PERIOD: &str = "ix_billing_line_items_period";
const LINE_PERIOD: &str = "ix_billing_line_items_tenant_period";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let lines = BillingLineItems::Table;
        manager.create_index(index(lines, LINE_PERIOD, &["tenant_id", "billing_period", "id"])).await?;
        manager.drop_index(Index::drop().name(ACCOUNT_PERIOD).table(lines).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let lines = BillingLineItems::Table;
        manager
            .create_index(index(lines, ACCOUNT_PERIOD, &["tenant_id", "billing_period", "billing_account_id"]))
            .await?;
        manager.drop_index(Index::drop().name(LINE_PERIOD).table(lines).to_owned()).await
    }
}
