//! PostgreSQL: the line items' foreign key to their import batch is dropped, for the import's
//! speed.
//!
//! PostgreSQL checks a foreign key with a trigger that looks the batch up again for every
//! inserted row: of `psql \copy` of 1M imported lines into a copy of the line items' table,
//! 12.6 s in all, the key took 3.5 s, as much as the two largest indexes (docs/performance.md
//! §10). The key guards nothing the code does not: a batch's row is inserted in the same
//! transaction before its lines, every line carries that batch's id, and no batch is ever
//! deleted. SQLite keeps the key in its schema (dropping one there means rebuilding the whole
//! table) but an import's own connection already writes without foreign-key checks
//! (`import::transaction`), so both databases now load lines without the check.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The key's name: sea-query's `CREATE TABLE` left it to PostgreSQL, which names it so; looked
/// up in the catalogue rather than assumed, in case a database was made another way.
const FIND_KEY: &str = "SELECT conname FROM pg_constraint \
     WHERE conrelid = 'billing_line_items'::regclass AND contype = 'f' \
     AND confrelid = 'import_batches'::regclass";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for row in db.query_all_raw(Statement::from_string(DbBackend::Postgres, FIND_KEY)).await? {
            let name: String = row.try_get("", "conname")?;
            db.execute_unprepared(&format!("ALTER TABLE billing_line_items DROP CONSTRAINT \"{name}\"")).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE billing_line_items ADD FOREIGN KEY (batch_id) REFERENCES import_batches (id)",
            )
            .await
            .map(|_| ())
    }
}
