//! A value that changes whenever a write commits to the database, from this process or another
//! (the command line's imports): an answer computed after reading version `v` is still the
//! answer while the version reads `v` (the server's answer cache, `server/src/answers.rs`).
//!
//! SQLite: `PRAGMA data_version` on a connection of its own that never writes. The value changes
//! when any other connection commits, and only compares with values of the same connection, so
//! the connection is never pooled (a pool may replace it), and a new one after an error starts a
//! new epoch. PostgreSQL: the WAL's insert position, which every commit moves (and a write of
//! another database of the cluster too: an answer is then computed again, never kept too long).
//! An in-memory SQLite database is seen by no other connection: its version is never known.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::sqlx::{ConnectOptions, Connection, SqliteConnection};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::sync::Mutex;

use crate::StoreError;

/// The database's version at one moment; equal versions, no commit between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataVersion {
    /// Which connection of [`Source::Sqlite`] read it (0 on PostgreSQL).
    epoch: u64,
    value: i64,
}

/// Where versions are read.
pub(crate) enum Source {
    Sqlite { url: String, reader: Mutex<Reader> },
    Postgres,
    Unknown,
}

/// The SQLite connection versions are read on, and how many were opened.
#[derive(Default)]
pub(crate) struct Reader {
    connection: Option<SqliteConnection>,
    opened: u64,
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Sqlite { .. } => "Sqlite",
            Source::Postgres => "Postgres",
            Source::Unknown => "Unknown",
        })
    }
}

impl Source {
    /// The source for the database at `url`.
    pub(crate) fn of(url: &str) -> Source {
        match url {
            u if u.starts_with("postgres") => Source::Postgres,
            u if u.contains(":memory:") || u.contains("mode=memory") => Source::Unknown,
            u if u.starts_with("sqlite:") => Source::Sqlite { url: u.to_owned(), reader: Mutex::default() },
            _ => Source::Unknown,
        }
    }

    /// The version now; `None` when it cannot be told.
    pub(crate) async fn read(&self, db: &DatabaseConnection) -> Result<Option<DataVersion>, StoreError> {
        match self {
            Source::Unknown => Ok(None),
            Source::Postgres => {
                let sql = "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint";
                let row = db.query_one_raw(Statement::from_string(DbBackend::Postgres, sql)).await?;
                let value = row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?;
                Ok(value.map(|value| DataVersion { epoch: 0, value }))
            }
            Source::Sqlite { url, reader } => {
                let mut reader = reader.lock().await;
                if reader.connection.is_none() {
                    let options = SqliteConnectOptions::from_str(url).map_err(query_error)?;
                    reader.connection = Some(options.connect().await.map_err(query_error)?);
                    reader.opened += 1;
                }
                let epoch = reader.opened;
                let Some(connection) = reader.connection.as_mut() else { return Ok(None) };
                match sea_orm::sqlx::query_scalar::<_, i64>("PRAGMA data_version").fetch_one(&mut *connection).await {
                    Ok(value) => Ok(Some(DataVersion { epoch, value })),
                    Err(error) => {
                        // The next read opens another connection: a new epoch.
                        if let Some(connection) = reader.connection.take() {
                            let _ = connection.close().await;
                        }
                        Err(query_error(error))
                    }
                }
            }
        }
    }
}

/// A driver's error as the store's.
fn query_error(error: sea_orm::sqlx::Error) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Query(sea_orm::RuntimeErr::SqlxError(Arc::new(error))))
}
