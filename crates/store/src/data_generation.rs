//! The data's generation: a counter that every commit changing what the dashboards read moves
//! on (migration `m20261206_000005`). An answer computed after reading generation `g` is still
//! the answer while the generation reads `g` (the server's kept answers, `server/src/answers.rs`),
//! whichever process or connection wrote since: a login, an API key's use, the usage refresh or a
//! report leave it as it was.
//!
//! Every table of the schema is in one of three lists, and a test (below) holds them to the schema:
//! - counted by triggers (the migration's list): read by the dashboards, written a few rows at a
//!   time;
//! - moved by their writers: written a row per line or rollup key, where a trigger would fire
//!   millions of times an import; their writers call [`move_on`] in the writing transaction;
//! - unread by the dashboards: no dashboard read that keeps its answer reads them.

use sea_orm::{ConnectionTrait, DbErr};

/// The data's generation at one moment; equal generations, no change of the dashboards' data
/// committed between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataGeneration(i64);

impl DataGeneration {
    /// The generation the counter's row holds.
    pub(crate) fn from_counter(generation: i64) -> DataGeneration {
        DataGeneration(generation)
    }
}

/// The statement that moves the generation on: a mark, whose trigger moves it (on PostgreSQL at
/// the commit, so that the counter's row is not held locked while the writer goes on).
const MOVE_ON: &str = "INSERT INTO data_generation_marks DEFAULT VALUES";

/// Moves the generation on, in the writing transaction `db` (so that it moves when, and only
/// when, the writes commit).
pub(crate) async fn move_on(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    db.execute_unprepared(MOVE_ON).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, Statement};

    use super::*;
    use crate::Store;

    /// The tables whose writers move the generation themselves: every write of the rollups
    /// (`Deltas::apply`, the rebuild, the fills `Store::migrate` runs), the import's transaction
    /// (`ImportTxn::commit`: its line items).
    const MOVED_BY_WRITERS: &[&str] = &[
        "billing_line_items",
        "daily_rollups",
        "monthly_rollups",
        "customer_month_rollups",
        "reseller_product_rollups",
        "reseller_month_rollups",
        "segment_month_rollups",
        "service_month_rollups",
    ];

    /// The tables no kept answer reads: sign-ins and keys, the portal's activity, reports and
    /// their workers' leases, the usage snapshot, the migrations' own record, the counter and its
    /// marks, the search index.
    const UNREAD_BY_DASHBOARDS: &[&str] = &[
        "users",
        "api_keys",
        "user_activities",
        "reports",
        "report_chunks",
        "job_leases",
        "usage_refreshes",
        "usage_rows",
        "usage_reseller_months",
        "usage_tree_months",
        "usage_tree_services",
        "seaql_migrations",
        "data_generations",
        "data_generation_marks",
        // The usage's own counter (`usage_generation.rs`).
        "usage_generations",
        // The organisations' search index (SQLite's full-text table and the tables it keeps).
        "organization_search",
        "organization_search_config",
        "organization_search_data",
        "organization_search_docsize",
        "organization_search_idx",
    ];

    /// The schema's tables, for the test that holds the lists to it.
    async fn tables(db: &impl ConnectionTrait) -> Vec<(String, bool)> {
        assert_eq!(db.get_database_backend(), DbBackend::Sqlite);
        let sql = "SELECT name, EXISTS (SELECT 1 FROM sqlite_master t WHERE t.type = 'trigger' AND t.tbl_name = m.name \
               AND t.name LIKE 'tr_' || m.name || '_data_generation_%') FROM sqlite_master m WHERE m.type = 'table' \
               AND m.name NOT LIKE 'sqlite_%' ORDER BY name";
        let rows = db.query_all_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.unwrap();
        rows.iter().map(|r| (r.try_get_by_index(0).unwrap(), r.try_get_by_index(1).unwrap())).collect()
    }

    /// A table added without a place in the lists (or a trigger) fails here: its writes would
    /// otherwise leave kept answers as they were.
    #[tokio::test]
    async fn every_table_is_counted_moved_by_its_writers_or_unread() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        store.migrate().await.unwrap();
        let mut unplaced = Vec::new();
        for (table, triggered) in tables(store.db()).await {
            let listed =
                [MOVED_BY_WRITERS, UNREAD_BY_DASHBOARDS].iter().filter(|l| l.contains(&table.as_str())).count();
            if usize::from(triggered) + listed != 1 {
                unplaced.push(format!("{table} (triggered: {triggered}, in {listed} of the lists)"));
            }
        }
        assert!(unplaced.is_empty(), "{unplaced:?}");
    }

    /// Every command of the command line migrates first: with nothing to migrate or fill, the
    /// server's kept answers stay.
    #[tokio::test]
    async fn migrating_an_up_to_date_database_leaves_the_generation() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        store.migrate().await.unwrap();
        let first = store.generations().await.unwrap().data;
        store.migrate().await.unwrap();
        assert_eq!(store.generations().await.unwrap().data, first);
    }

    #[tokio::test]
    async fn a_counted_table_written_or_a_writer_moving_it_on_changes_the_generation() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        store.migrate().await.unwrap();
        let first = store.generations().await.unwrap().data;
        assert_eq!(store.generations().await.unwrap().data, first, "nothing written, the same generation");
        store
            .execute_raw("INSERT INTO job_leases (name, holder, until) VALUES ('x', 'y', '2026-01-01T00:00:00+00:00')")
            .await
            .unwrap();
        assert_eq!(store.generations().await.unwrap().data, first, "a table the dashboards do not read");
        let counted = "INSERT INTO account_days (tenant_id, kind, day, opened, closed) VALUES (1, 'customer', '2026-10-01', 1, 0)";
        store.execute_raw(counted).await.unwrap();
        let second = store.generations().await.unwrap().data;
        assert_ne!(second, first, "a counted table");
        move_on(store.db()).await.unwrap();
        assert_ne!(store.generations().await.unwrap().data, second, "a writer's move");
    }
}
