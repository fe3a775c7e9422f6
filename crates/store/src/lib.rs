//! Tierdash's store: every database read and write, behind plain async functions.
//!
//! Every read of tenant data takes a [`Scope`], the caller's subtree, so a forgotten filter is a
//! type error rather than a leak; the few unscoped lookups (login, API-key check, `init`) live in
//! [`admin`]. The store speaks `domain` types and [`StoreError`], never HTTP.
//!
//! Main types: [`Store`] (a connection pool), [`Scope`], [`StoreError`].

pub mod admin;
pub mod api_keys;
pub mod billing;
mod bulk;
pub mod catalog;
mod clock;
pub mod credentials;
pub mod dashboards;
mod data_generation;
mod entities;
mod error;
pub mod import;
mod json_rows;
pub mod leases;
pub mod organizations;
mod paging;
pub mod portal;
mod product_services;
mod raw_sql;
pub mod reports;
pub mod rollups;
mod scope;
pub mod seed;
mod stored;
pub mod subscriptions;
pub mod usage;
mod usage_generation;
pub mod users;

pub use data_generation::DataGeneration;
pub use error::StoreError;
pub use scope::Scope;
pub use usage_generation::{Generations, UsageGeneration};

use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use std::time::Duration;

/// SQLite's page cache per pool connection of the server, in KiB.
const SERVING_PAGE_CACHE_KIB: u32 = 16 * 1024;

/// SQLite's page cache per pool connection of an import from the command line, in KiB.
const IMPORT_POOL_PAGE_CACHE_KIB: u32 = 2 * 1024;

/// A pool of connections to the database (SQLite or PostgreSQL, by the URL's scheme).
#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
}

/// A connection pool's state at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// Connections open, busy or idle.
    pub open: u32,
    /// Connections open and waiting for work.
    pub idle: usize,
    /// The most the pool opens.
    pub max: u32,
}

impl Store {
    /// Connects. For SQLite the file is created when missing and write-ahead logging is turned
    /// on, so that readers do not wait for an import.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_with_page_cache(url, SERVING_PAGE_CACHE_KIB).await
    }

    /// Connects for an import from the command line: its pool serves only the customer lookups
    /// of the rating stage (the lines go through the import's own connection), which read a
    /// file's customers about once each, so a small page cache per pool connection is enough
    /// where the server's 16 MiB each counted against the import's memory budget
    /// (docs/performance.md §15).
    pub async fn connect_for_import(url: &str) -> Result<Store, StoreError> {
        Store::connect_with_page_cache(url, IMPORT_POOL_PAGE_CACHE_KIB).await
    }

    async fn connect_with_page_cache(url: &str, page_cache_kib: u32) -> Result<Store, StoreError> {
        let mut options = ConnectOptions::new(url.to_owned());
        options.connect_timeout(Duration::from_secs(10)).acquire_timeout(Duration::from_secs(30)).sqlx_logging(false);
        if url.starts_with("sqlite:") {
            // SQLite allows one writer: a small pool avoids piling up writers that would only
            // wait on each other's lock (up to two minutes: a large import holds it that long).
            options.max_connections(8).min_connections(1);
            // Per connection, not per pool: a PRAGMA run once reaches only the connection that
            // ran it. WAL lets readers go on during an import; NORMAL syncs at checkpoints, which
            // WAL keeps safe; a writer waits up to two minutes for the lock rather than failing.
            // A new database gets 16 KiB pages (an existing one keeps its size): fewer B-tree
            // levels and page splits make large inserts cheaper than with the default 4 KiB
            // (docs/performance.md §6). (An import sets its own page cache.)
            options.map_sqlx_sqlite_opts(move |o| {
                o.page_size(16 * 1024)
                    .pragma("journal_mode", "WAL")
                    .pragma("synchronous", "NORMAL")
                    .pragma("cache_size", format!("-{page_cache_kib}"))
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(120))
            });
        } else {
            options.max_connections(20);
        }
        let db = Database::connect(options).await?;
        Ok(Store { db })
    }

    /// Brings the schema up to date, fills a rollup added since the data was imported, and rates
    /// the lines an earlier version held back for a reason that no longer holds a line back.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        Migrator::up(&self.db, None).await?;
        rollups::reseller_months::fill_from_products(&self.db).await?;
        rollups::service_months::fill_from_monthly(&self.db).await?;
        rollups::reseller_products::fill_tree_totals(&self.db).await?;
        rollups::segment_months::fill_tree_totals(&self.db).await?;
        if rollups::missing_grain(&self.db).await? {
            rollups::rebuild(self).await?;
        }
        billing::issues::rerate_retired_kinds(self).await
    }

    /// The connection pool now: (open connections, idle ones, the most it opens), for `/metrics`.
    pub fn pool_stats(&self) -> PoolStats {
        match self.db.get_database_backend() {
            sea_orm::DbBackend::Sqlite => {
                let pool = self.db.get_sqlite_connection_pool();
                PoolStats { open: pool.size(), idle: pool.num_idle(), max: pool.options().get_max_connections() }
            }
            _ => {
                let pool = self.db.get_postgres_connection_pool();
                PoolStats { open: pool.size(), idle: pool.num_idle(), max: pool.options().get_max_connections() }
            }
        }
    }

    /// The data's generation and the usage's, read at one moment: unchanged while nothing the
    /// usage pages read commits (the dashboards' answers follow the data's alone).
    pub async fn generations(&self) -> Result<Generations, StoreError> {
        usage_generation::read(&self.db).await
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await?;
        Ok(())
    }

    /// Runs one statement as it is: for the operator's and tests' database housekeeping
    /// (creating and dropping test databases), never with client input.
    pub async fn execute_raw(&self, sql: &str) -> Result<(), StoreError> {
        self.db.execute_unprepared(sql).await?;
        Ok(())
    }

    /// A transaction that will write. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), waiting for it as long as the busy timeout allows: a transaction that read
    /// first and only then wrote would fail at once (`database is locked`) whenever another
    /// writer had committed in between, which no wait can mend. PostgreSQL begins as usual.
    pub(crate) async fn write(&self) -> Result<DatabaseTransaction, DbErr> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        self.db.begin_with_options(options).await
    }

    /// The underlying connection, for the store's own modules.
    pub(crate) fn db(&self) -> &DatabaseConnection {
        &self.db
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};

    use super::*;

    /// The page cache, in KiB, of one of `store`'s pool connections.
    async fn page_cache_kib(store: &Store) -> i64 {
        let statement = Statement::from_string(DbBackend::Sqlite, "PRAGMA cache_size");
        let row = store.db().query_one_raw(statement).await.unwrap().unwrap();
        -row.try_get_by_index::<i64>(0).unwrap()
    }

    #[tokio::test]
    async fn an_import_s_pool_keeps_a_smaller_page_cache_than_the_server_s() {
        let server = Store::connect("sqlite::memory:").await.unwrap();
        let import = Store::connect_for_import("sqlite::memory:").await.unwrap();
        assert_eq!(page_cache_kib(&server).await, i64::from(SERVING_PAGE_CACHE_KIB));
        assert_eq!(page_cache_kib(&import).await, i64::from(IMPORT_POOL_PAGE_CACHE_KIB));
    }
}
