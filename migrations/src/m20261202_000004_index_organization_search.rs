//! Organisations found by any part of their name, external id or domain (`GET /search`, the
//! organisation lists' `q`) without reading every organisation of a tree: a trigram index.
//!
//! - SQLite: an FTS5 table with the trigram tokenizer over the three columns, its rows the
//!   organisations' ids (external content: the text stays in `organizations`), kept by triggers
//!   on every insert, update of those columns and delete, filled here from the existing rows.
//! - PostgreSQL: pg_trgm GIN indexes on the lower-cased columns, which `lower(col) LIKE '%q%'`
//!   uses as it stands.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns searched.
const COLUMNS: [&str; 3] = ["name", "external_id", "domain"];

/// SQLite: the index, its filling and the triggers that keep it.
const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE organization_search USING fts5(name, external_id, domain, \
     content='organizations', content_rowid='id', tokenize='trigram')",
    "INSERT INTO organization_search(organization_search) VALUES ('rebuild')",
    "CREATE TRIGGER tr_organization_search_insert AFTER INSERT ON organizations BEGIN \
     INSERT INTO organization_search(rowid, name, external_id, domain) \
     VALUES (new.id, new.name, new.external_id, new.domain); END",
    "CREATE TRIGGER tr_organization_search_delete AFTER DELETE ON organizations BEGIN \
     INSERT INTO organization_search(organization_search, rowid, name, external_id, domain) \
     VALUES ('delete', old.id, old.name, old.external_id, old.domain); END",
    "CREATE TRIGGER tr_organization_search_update AFTER UPDATE OF name, external_id, domain ON organizations BEGIN \
     INSERT INTO organization_search(organization_search, rowid, name, external_id, domain) \
     VALUES ('delete', old.id, old.name, old.external_id, old.domain); \
     INSERT INTO organization_search(rowid, name, external_id, domain) \
     VALUES (new.id, new.name, new.external_id, new.domain); END",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER tr_organization_search_update",
    "DROP TRIGGER tr_organization_search_delete",
    "DROP TRIGGER tr_organization_search_insert",
    "DROP TABLE organization_search",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                // A trusted extension since PostgreSQL 13: the database's owner may create it.
                db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm").await?;
                for column in COLUMNS {
                    db.execute_unprepared(&format!(
                        "CREATE INDEX ix_organizations_{column}_trgm ON organizations \
                         USING gin (lower({column}) gin_trgm_ops)"
                    ))
                    .await?;
                }
            }
            _ => {
                for statement in SQLITE_UP {
                    db.execute_unprepared(statement).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                for column in COLUMNS {
                    db.execute_unprepared(&format!("DROP INDEX ix_organizations_{column}_trgm")).await?;
                }
            }
            _ => {
                for statement in SQLITE_DOWN {
                    db.execute_unprepared(statement).await?;
                }
            }
        }
        Ok(())
    }
}
