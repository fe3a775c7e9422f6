//! Organisations of a tree, and a reseller's, of one kind in name order: `(tenant_id, kind, name,
//! id)` and `(parent_id, kind, name, id)`.
//!
//! Why: the organisation-site list (customers with usage, by name) picked its page from every
//! customer id of the month's usage rows and sorted the survivors, 0.4 s at 10M lines against
//! DuckDB's 0.1 s (docs/performance.md §14); walking the customers in name order and checking
//! each against the usage rows' index reads about a page's worth.

use sea_orm_migration::prelude::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
}

const INDEXES: [(&str, [&str; 4]); 2] = [
    ("ix_organizations_tenant_kind_name", ["tenant_id", "kind", "name", "id"]),
    ("ix_organizations_parent_kind_name", ["parent_id", "kind", "name", "id"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, columns) in INDEXES {
            manager.create_index(index(Organizations::Table, name, &columns).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager.drop_index(Index::drop().name(name).table(Organizations::Table).to_owned()).await?;
        }
        Ok(())
    }
}
