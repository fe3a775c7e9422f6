//! One writer of a tree's rollups at a time. Rollup rows are read, added to in Rust (exact
//! decimals) and written back, so two transactions changing the same row at once would each write
//! their own sum and one change would be lost; the tree totals (`keys::TREE_TOTAL`) are such a
//! row for every import of a tree. SQLite runs one writing transaction at a time anyway (each
//! begins IMMEDIATE). On PostgreSQL a transaction-scoped advisory lock keyed by the tree's id
//! serialises them: taken before the first rollup row is read, released at commit or rollback;
//! taking it again in the same transaction never waits. No other advisory lock is taken.

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::StoreError;

/// Waits until no other transaction writes tree `tenant`'s rollups (PostgreSQL; nothing on SQLite).
pub(crate) async fn lock_tree(db: &impl ConnectionTrait, tenant: i64) -> Result<(), StoreError> {
    if db.get_database_backend() == DbBackend::Postgres {
        let sql = "SELECT pg_advisory_xact_lock($1)::text";
        db.query_one_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, [tenant.into()])).await?;
    }
    Ok(())
}
