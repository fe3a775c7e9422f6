//! PostgreSQL: the planner's statistics of the tables an import looks its customers up in,
//! taken again before the import when many of their rows changed since they were last taken.
//!
//! Why: right after a distributor's customers are added in bulk, the statistics still describe
//! the tree as it was (a tree of 122 organisations where it held 101,343), and the lookup of a
//! chunk's customers by external id then read the whole tree through its tenant index rather
//! than seeking each key in the unique (tree, external id) index: 14–20 ms a lookup of 500 keys
//! instead of 4 (docs/performance.md §10). Autovacuum takes them again in time, but not before
//! the files that follow the new customers, the common order of onboarding. SQLite keeps no
//! statistics: nothing to do.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::StoreError;

/// The tables the rating stage reads customers from.
const LOOKED_UP: &[&str] = &["organizations", "customer_billing_accounts"];

/// Whether a table's statistics are stale: more rows changed since they were taken than a
/// fifth of the table and a thousand (autovacuum's own default is a tenth and fifty, checked once
/// a minute).
const STALE: &str = "SELECT n_mod_since_analyze > 1000 + n_live_tup / 5 AS stale FROM pg_stat_user_tables \
                     WHERE relname = $1 AND schemaname = current_schema()";

/// Takes the statistics of the looked-up tables again where they are stale, on PostgreSQL; a
/// few hundred milliseconds for a table of 100,000 rows (`ANALYZE` reads a sample).
pub(super) async fn refresh(db: &DatabaseConnection) -> Result<(), StoreError> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in LOOKED_UP {
        let statement = Statement::from_sql_and_values(DbBackend::Postgres, STALE, [(*table).into()]);
        let stale = match db.query_one_raw(statement).await? {
            Some(row) => row.try_get::<bool>("", "stale")?,
            None => false,
        };
        if stale {
            db.execute_unprepared(&format!("ANALYZE {table}")).await?;
        }
    }
    Ok(())
}
