//! The import's transaction. On SQLite it is the connection's own (sqlx) transaction rather than
//! sea-orm's, so that the line inserts can be handed arguments bound ahead of time.
//!
//! Why: sea-orm copies every statement's values into the driver's arguments on the writing
//! task, under the transaction's lock, while SQLite's worker thread waits for the statement: at
//! 25,000 values a statement that copy is a large share of an import, all of it between two of
//! SQLite's statements (docs/performance.md §7).
//! Here the rating stage binds each line statement's arguments on the other core
//! ([`super::line_binding::Prepared`]), and the writer only passes them on.
//!
//! Every other statement of the import (the batch record, replacements, rollups, issues) still
//! comes from sea-orm, through [`ConnectionTrait`], and is bound as sea-orm binds it.
//!
//! On PostgreSQL the transaction is likewise on a connection of its own, for the line items to be
//! sent with `COPY` ([`ImportTxn::copy_in`]), which a sea-orm transaction cannot do.
//!
//! The SQLite transaction runs on a connection of the import's own, opened with the pool's
//! options but without foreign-key checks and with the import's page cache, and closed at the
//! end (an uncommitted transaction is rolled back as it closes). Without foreign-key checks a
//! line insert cannot stop half-way, and SQLite skips its statement journal
//! ([`crate::bulk::Table::statement`]). Nothing is lost by that: every key the import writes
//! refers to a row it wrote or read in the same transaction (its batch, the importer, the
//! customers and products the rater loaded), and the same import code runs with every check on
//! PostgreSQL in the tests (all but the line items' key to their batch, which PostgreSQL no
//! longer keeps: `m20261207_000005`). The pool's connections never change.

use sea_orm::sqlx::postgres::PgConnection;
use sea_orm::sqlx::sqlite::{SqliteArguments, SqliteConnection, SqliteQueryResult};
use sea_orm::sqlx::{self, AssertSqlSafe, ConnectOptions, Connection, IntoArguments, Sqlite};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr,
    Statement, TransactionTrait,
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::Mutex;

use crate::data_generation;

/// An import's transaction; rolled back when dropped uncommitted.
pub(crate) enum ImportTxn {
    /// SQLite: the import's own connection, in a (deferred) transaction.
    Sqlite(Mutex<SqliteConnection>),
    /// PostgreSQL: the import's own connection, in a transaction.
    Postgres(Mutex<PgConnection>),
    /// Any other database: sea-orm's.
    Other(DatabaseTransaction),
}

fn exec_err(e: sqlx::Error) -> DbErr {
    DbErr::Exec(RuntimeErr::SqlxError(e.into()))
}

fn query_err(e: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(e.into()))
}

fn values(stmt: Statement) -> (String, SqlxValues) {
    (stmt.sql, SqlxValues(stmt.values.unwrap_or(sea_orm::Values(Vec::new()))))
}

impl ImportTxn {
    /// Begins a transaction: on SQLite on a connection of its own with `cache_kib` KiB of page
    /// cache, elsewhere on one of `db`'s connections.
    pub async fn begin(db: &DatabaseConnection, cache_kib: u32) -> Result<ImportTxn, DbErr> {
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                let options = db.get_sqlite_connection_pool().connect_options();
                let options = (*options).clone().foreign_keys(false).pragma("cache_size", format!("-{cache_kib}"));
                let mut conn = options.connect().await.map_err(exec_err)?;
                // The write lock at once, as every writing transaction takes it (`Store::write`).
                sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut conn).await.map_err(exec_err)?;
                Ok(ImportTxn::Sqlite(Mutex::new(conn)))
            }
            DbBackend::Postgres => {
                let options = db.get_postgres_connection_pool().connect_options();
                let mut conn = options.connect().await.map_err(exec_err)?;
                // The server's default plan cache: `force_custom_plan`, which the rollup reads
                // once needed, also planned the foreign-key check of every copied line again
                // (docs/performance.md §10).
                sqlx::raw_sql("BEGIN").execute(&mut conn).await.map_err(exec_err)?;
                Ok(ImportTxn::Postgres(Mutex::new(conn)))
            }
            _ => Ok(ImportTxn::Other(db.begin().await?)),
        }
    }

    /// Sends `data` (rows in COPY's text format) with `statement` (`COPY … FROM STDIN`), on
    /// PostgreSQL; returns the rows copied.
    pub async fn copy_in(&self, statement: &str, data: &[u8]) -> Result<u64, DbErr> {
        let ImportTxn::Postgres(conn) = self else {
            return Err(DbErr::Custom("COPY is for PostgreSQL".into()));
        };
        let mut conn = conn.lock().await;
        let mut copy = conn.copy_in_raw(statement).await.map_err(exec_err)?;
        copy.send(data).await.map_err(exec_err)?;
        copy.finish().await.map_err(exec_err)
    }

    /// Commits, moving the data's generation on: an import writes line items and rollups, which
    /// no trigger counts.
    pub async fn commit(self) -> Result<(), DbErr> {
        data_generation::move_on(&self).await?;
        match self {
            ImportTxn::Sqlite(conn) => end(conn.into_inner(), "COMMIT").await,
            ImportTxn::Postgres(conn) => end(conn.into_inner(), "COMMIT").await,
            ImportTxn::Other(txn) => txn.commit().await,
        }
    }

    /// Rolls back.
    pub async fn rollback(self) -> Result<(), DbErr> {
        match self {
            ImportTxn::Sqlite(conn) => end(conn.into_inner(), "ROLLBACK").await,
            ImportTxn::Postgres(conn) => end(conn.into_inner(), "ROLLBACK").await,
            ImportTxn::Other(txn) => txn.rollback().await,
        }
    }

    /// Runs `sql` with `args` bound ahead of time (SQLite only); returns the rows it changed.
    pub async fn execute_bound(&self, sql: &str, args: SqliteArguments) -> Result<u64, DbErr> {
        let ImportTxn::Sqlite(txn) = self else {
            return Err(DbErr::Custom("arguments bound for SQLite were sent to another database".into()));
        };
        Ok(execute(txn, sql, args).await?.rows_affected())
    }
}

/// Ends the transaction with `COMMIT` or `ROLLBACK`, and closes its connection.
async fn end<C: Connection>(mut conn: C, statement: &'static str) -> Result<(), DbErr>
where
    for<'c> &'c mut C: sqlx::Executor<'c, Database = C::Database>,
{
    sqlx::raw_sql(statement).execute(&mut conn).await.map_err(exec_err)?;
    conn.close().await.map_err(exec_err)
}

/// Runs one statement on the SQLite transaction, with its arguments, whoever bound them.
async fn execute<A: IntoArguments<Sqlite>>(
    conn: &Mutex<SqliteConnection>,
    sql: impl Into<String>,
    args: A,
) -> Result<SqliteQueryResult, DbErr> {
    let mut conn = conn.lock().await;
    sqlx::query_with(AssertSqlSafe(sql.into()), args).execute(&mut *conn).await.map_err(exec_err)
}

#[async_trait::async_trait]
impl ConnectionTrait for ImportTxn {
    fn get_database_backend(&self) -> DbBackend {
        match self {
            ImportTxn::Sqlite(_) => DbBackend::Sqlite,
            ImportTxn::Postgres(_) => DbBackend::Postgres,
            ImportTxn::Other(txn) => txn.get_database_backend(),
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        match self {
            ImportTxn::Sqlite(txn) => {
                let (sql, values) = values(stmt);
                Ok(execute(txn, sql, values).await?.into())
            }
            ImportTxn::Postgres(txn) => {
                let (sql, values) = values(stmt);
                let mut conn = txn.lock().await;
                let done = sqlx::query_with(AssertSqlSafe(sql), values).execute(&mut *conn).await.map_err(exec_err)?;
                Ok(done.into())
            }
            ImportTxn::Other(txn) => txn.execute_raw(stmt).await,
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match self {
            ImportTxn::Sqlite(txn) => {
                let mut conn = txn.lock().await;
                let done = sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *conn).await.map_err(exec_err)?;
                Ok(done.into())
            }
            ImportTxn::Postgres(txn) => {
                let mut conn = txn.lock().await;
                let done = sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *conn).await.map_err(exec_err)?;
                Ok(done.into())
            }
            ImportTxn::Other(txn) => txn.execute_unprepared(sql).await,
        }
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        match self {
            ImportTxn::Sqlite(txn) => {
                let (sql, values) = values(stmt);
                let mut conn = txn.lock().await;
                let row =
                    sqlx::query_with(AssertSqlSafe(sql), values).fetch_optional(&mut *conn).await.map_err(query_err)?;
                Ok(row.map(Into::into))
            }
            ImportTxn::Postgres(txn) => {
                let (sql, values) = values(stmt);
                let mut conn = txn.lock().await;
                let row =
                    sqlx::query_with(AssertSqlSafe(sql), values).fetch_optional(&mut *conn).await.map_err(query_err)?;
                Ok(row.map(Into::into))
            }
            ImportTxn::Other(txn) => txn.query_one_raw(stmt).await,
        }
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match self {
            ImportTxn::Sqlite(txn) => {
                let (sql, values) = values(stmt);
                let mut conn = txn.lock().await;
                let rows =
                    sqlx::query_with(AssertSqlSafe(sql), values).fetch_all(&mut *conn).await.map_err(query_err)?;
                Ok(rows.into_iter().map(Into::into).collect())
            }
            ImportTxn::Postgres(txn) => {
                let (sql, values) = values(stmt);
                let mut conn = txn.lock().await;
                let rows =
                    sqlx::query_with(AssertSqlSafe(sql), values).fetch_all(&mut *conn).await.map_err(query_err)?;
                Ok(rows.into_iter().map(Into::into).collect())
            }
            ImportTxn::Other(txn) => txn.query_all_raw(stmt).await,
        }
    }
}
