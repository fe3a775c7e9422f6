//! The usage's generation: a second counter beside the data's ([`crate::DataGeneration`]), moved
//! on by every commit that changes what the usage pages read beyond the dashboards' data — the
//! usage refresh's snapshot and record, a report created or moving on (migration
//! `m20261207_000003`). The usage pages read the dashboards' data too (the organisations), so an
//! answer of theirs lasts while both read the same; the dashboards' answers follow the data's
//! alone, and a report being written leaves them.

use sea_orm::{ConnectionTrait, DbErr, Statement};

use crate::{DataGeneration, StoreError};

/// The usage's generation at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UsageGeneration(i64);

/// Both generations, read at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Generations {
    /// The data the dashboards read.
    pub data: DataGeneration,
    /// What the usage pages read beyond it.
    pub usage: UsageGeneration,
}

/// Both generations now, in one statement (a kept answer is given after one round trip).
pub(crate) async fn read(db: &impl ConnectionTrait) -> Result<Generations, StoreError> {
    let sql =
        "SELECT d.generation, u.generation FROM data_generations d, usage_generations u WHERE d.id = 1 AND u.id = 1";
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    let row = row.ok_or_else(|| StoreError::Db(DbErr::RecordNotFound("data_generations, usage_generations".into())))?;
    Ok(Generations {
        data: DataGeneration::from_counter(row.try_get_by_index(0)?),
        usage: UsageGeneration(row.try_get_by_index(1)?),
    })
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use domain::metrics::Month;

    use super::*;
    use crate::Store;

    /// The tables the usage pages read, and what moves a generation when they change: the
    /// organisations are the dashboards' data; the rest move the usage's.
    const READ_BY_USAGE_PAGES: &[&str] = &[
        "usage_refreshes",
        "usage_tree_months",
        "reports",
        // Written by the refresh only, in the transaction that replaces `usage_tree_months`' row.
        "usage_rows",
        "usage_tree_services",
        "usage_reseller_months",
    ];

    async fn triggered(store: &Store, table: &str) -> bool {
        let sql = format!(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '{table}' \
             AND name LIKE 'tr_{table}_usage_generation_%'"
        );
        let row = store.db().query_one_raw(Statement::from_string(store.db().get_database_backend(), sql));
        row.await.unwrap().unwrap().try_get_by_index::<i64>(0).unwrap() == 3
    }

    #[tokio::test]
    async fn the_usage_pages_tables_move_the_usage_generation_and_leave_the_data_generation() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        store.migrate().await.unwrap();
        for table in &READ_BY_USAGE_PAGES[..3] {
            assert!(triggered(&store, table).await, "{table} has a trigger for each write");
        }
        for table in &READ_BY_USAGE_PAGES[3..] {
            assert!(!triggered(&store, table).await, "{table} is written beside usage_tree_months");
        }
        let first = store.generations().await.unwrap();
        // A refresh over an empty database still replaces each tree's months: here there is no
        // tree, so only its record is written.
        crate::usage::refresh(&store, &[Month::from_str("2026-10").unwrap()]).await.unwrap().unwrap();
        let second = store.generations().await.unwrap();
        assert_ne!(second.usage, first.usage, "the refresh's record");
        assert_eq!(second.data, first.data, "the dashboards' answers stay");
        store
            .execute_raw(
                "INSERT INTO usage_tree_months (tenant_id, month, resellers, customers) VALUES (1, '2026-10', 0, 0)",
            )
            .await
            .unwrap();
        let third = store.generations().await.unwrap();
        assert_ne!(third.usage, second.usage, "a tree's month replaced");
        assert_eq!(third.data, first.data);
    }
}
