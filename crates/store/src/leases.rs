//! Named leases: the one row per job (`job_leases`) that lets a single process of several run
//! it at a time. A lease is taken by one conditional upsert, which both databases apply
//! atomically: it is written when no row exists or the holder's time has run out, and left alone
//! otherwise, so two processes asking at once cannot both get it. A holder that dies loses it
//! when its time runs out.

use argon2::password_hash::rand_core::OsRng;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{ConnectionTrait, Statement};

use crate::{Store, StoreError, clock, raw_sql};

/// A lease held: release it when done (or let it run out).
#[derive(Debug, Clone)]
pub struct Lease {
    name: String,
    holder: String,
}

/// Takes the lease `name` for `ttl` when no one holds it; `None` when another holder does.
pub async fn take(store: &Store, name: &str, ttl: Duration) -> Result<Option<Lease>, StoreError> {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    let holder = hex::encode(bytes);
    let now = clock::now();
    if write(store, name, &holder, now, now + ttl).await? {
        Ok(Some(Lease { name: name.to_owned(), holder }))
    } else {
        Ok(None)
    }
}

impl Lease {
    /// Keeps the lease for `ttl` from now; an error when it was lost (run out and taken).
    pub async fn renew(&self, store: &Store, ttl: Duration) -> Result<(), StoreError> {
        let db = store.db();
        let backend = db.get_database_backend();
        let sql = raw_sql::numbered(backend, "UPDATE job_leases SET until = ? WHERE name = ? AND holder = ?");
        let values = vec![(clock::now() + ttl).into(), self.name.as_str().into(), self.holder.as_str().into()];
        match db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?.rows_affected() {
            1 => Ok(()),
            _ => Err(StoreError::Conflict(format!("the {} lease was lost", self.name))),
        }
    }

    /// Gives the lease up.
    pub async fn release(self, store: &Store) -> Result<(), StoreError> {
        let db = store.db();
        let backend = db.get_database_backend();
        let sql = raw_sql::numbered(backend, "DELETE FROM job_leases WHERE name = ? AND holder = ?");
        let values = vec![self.name.into(), self.holder.into()];
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
        Ok(())
    }
}

/// Writes the lease when it is free or has run out; whether it was written.
async fn write(
    store: &Store,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let db = store.db();
    let backend = db.get_database_backend();
    let sql = raw_sql::numbered(
        backend,
        "INSERT INTO job_leases (name, holder, until) VALUES (?, ?, ?) \
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until \
         WHERE job_leases.until < ?",
    );
    let values = vec![name.into(), holder.into(), until.into(), now.into()];
    Ok(db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?.rows_affected() == 1)
}
