//! The line items' index on `batch_id` answers no query (a batch is described by its
//! `import_batches` row, and replacements look lines up by `x_LineItemId`), yet every imported
//! line paid for it: one B-tree insert in five. Dropped for the import's speed.

use sea_orm_migration::prelude::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum BillingLineItems {
    Table,
}

const NAME: &str = "ix_billing_line_items_batch";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(NAME).table(BillingLineItems::Table).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(index(BillingLineItems::Table, NAME, &["batch_id"])).await
    }
}
