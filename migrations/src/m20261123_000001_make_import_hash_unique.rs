//! One completed import per content and tree: the database, not a check before the
//! transaction, guarantees that the same file sent twice at once is counted once. Only
//! completed batches are ever stored (a rejected or dry-run import rolls back its row).

use sea_orm_migration::prelude::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum ImportBatches {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                index(ImportBatches::Table, "ux_import_batches_tenant_sha", &["tenant_id", "sha256"])
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("ux_import_batches_tenant_sha").table(ImportBatches::Table).to_owned())
            .await
    }
}
