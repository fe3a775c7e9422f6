//! Organisations by (tree, external id) with what an import reads of a customer: its kind and
//! parent (and id).
//!
//! Why: an import looks its customers up by external id a few hundred keys a statement
//! (`store::import::rating`); through the unique (tree, external id) index each key then read its
//! organisation's whole row, a random page of a large table: in a 100,000-customer tree a monthly
//! file of 42,000 lines spent 0.42 s of its 2.2 s there (docs/performance.md §15). This index
//! answers the lookup by itself.

use sea_orm_migration::prelude::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
}

const NAME: &str = "ix_organizations_tenant_external_kind_parent";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = ["tenant_id", "external_id", "kind", "parent_id", "id"];
        manager.create_index(index(Organizations::Table, NAME, &columns)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(NAME).table(Organizations::Table).to_owned()).await
    }
}
