//! Months of a tree with no rollup row yet: a monthly export's file is mostly such a month, and
//! none of its keys can have a stored row to merge with, so [`writes`](super::writes) skips the
//! read of their rows. Whether a month has a row is one seek of an index that starts with the
//! tree and the month, asked once per month and call.

use std::borrow::Cow;
use std::collections::HashMap;

use sea_orm::{ConnectionTrait, Statement};

use crate::StoreError;
use crate::raw_sql;

/// How a grain's table tells whether a tree has a row in a month.
pub(super) struct MonthProbe<K> {
    /// The column that, beside `month`, begins one of the table's indexes and holds the tree:
    /// `tenant_id`, or the daily grain's `org_id`, since every day of a tree's lines has a row
    /// for the top of the tree.
    pub(super) tree_column: &'static str,
    /// A key's month, `YYYY-MM`, as the `month` column holds it.
    pub(super) month_of: fn(&K) -> Cow<'_, str>,
}

/// The months seen during one [`writes::write`](super::writes::write) call, and whether the tree
/// had a row in each when first probed. "None" stays true for the call's keys not yet written: a
/// call's keys are distinct, and a month found empty was probed before any of its keys was
/// written (a month first probed after some of its keys were written finds their rows).
pub(super) struct MonthsSeen<'p, K> {
    probe: &'p MonthProbe<K>,
    statement: String,
    had_rows: HashMap<String, bool>,
}

impl<'p, K> MonthsSeen<'p, K> {
    pub(super) fn new(probe: &'p MonthProbe<K>, table: &str, backend: sea_orm::DbBackend) -> Self {
        let sql = format!("SELECT 1 FROM {table} WHERE {} = ? AND month = ? LIMIT 1", probe.tree_column);
        MonthsSeen { probe, statement: raw_sql::numbered(backend, &sql), had_rows: HashMap::new() }
    }

    /// Whether any of `keys` may have a stored row: false when every key's month had none.
    pub(super) async fn any_stored<'k>(
        &mut self,
        db: &impl ConnectionTrait,
        tree: i64,
        keys: impl Iterator<Item = &'k K>,
    ) -> Result<bool, StoreError>
    where
        K: 'k,
    {
        for key in keys {
            let month = (self.probe.month_of)(key);
            let had_rows = match self.had_rows.get(month.as_ref()) {
                Some(had_rows) => *had_rows,
                None => {
                    let had_rows = self.has_rows(db, tree, &month).await?;
                    self.had_rows.insert(month.into_owned(), had_rows);
                    had_rows
                }
            };
            if had_rows {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Whether tree `tree` has a row in `month` now.
    async fn has_rows(&self, db: &impl ConnectionTrait, tree: i64, month: &str) -> Result<bool, StoreError> {
        let values = [tree.into(), month.into()];
        let statement = Statement::from_sql_and_values(db.get_database_backend(), self.statement.clone(), values);
        Ok(db.query_one_raw(statement).await?.is_some())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use sea_orm::EntityTrait;

    use super::*;
    use crate::Store;
    use crate::rollups::deltas::Deltas;
    use crate::rollups::keys::Key;
    use crate::rollups::lines::{LineView, RolledUp};
    use crate::rollups::writes::StoredGrain;
    use crate::rollups::{
        customer_months, daily, monthly, reseller_months, reseller_products, segment_months, service_months,
    };

    struct Line(LineView<'static>);

    impl RolledUp for Line {
        fn view(&self) -> LineView<'_> {
            self.0
        }
    }

    /// Whether `grain`'s table has a row of `tree` in `month`, as its probe sees it.
    async fn probed<E: EntityTrait, K>(store: &Store, grain: &StoredGrain<E, K>, tree: i64, month: &str) -> bool {
        let seen = MonthsSeen::new(&grain.months, grain.table.name, store.db().get_database_backend());
        seen.has_rows(store.db(), tree, month).await.unwrap()
    }

    #[tokio::test]
    async fn every_grain_s_probe_finds_the_months_of_its_tree_alone() {
        let path = std::env::temp_dir().join(format!("tierdash-new-months-{}.db", std::process::id()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        // One rated line of tree 1 (reseller 2, customer 3) in October.
        let line = Line(LineView {
            tenant_id: 1,
            rated: true,
            day: NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(),
            month: "2026-10",
            reseller_id: Some(2),
            customer_id: Some(3),
            product_id: None,
            provider: "AWS",
            service: "Amazon EC2",
            marketplace: false,
            category: "Usage",
            billed_usd: Some("10.50"),
            effective_usd: Some("8.25"),
            quantity: Some("1"),
            consumed: Some("1"),
        });
        let mut deltas = Deltas::default();
        deltas.line(&line, 1).unwrap();
        deltas.apply(store.db(), 1).await.unwrap();
        macro_rules! check {
            ($grain:path) => {
                assert!(probed(&store, &$grain, 1, "2026-10").await, "{} of October", stringify!($grain));
                assert!(!probed(&store, &$grain, 1, "2026-11").await, "{} of November", stringify!($grain));
                assert!(!probed(&store, &$grain, 9, "2026-10").await, "{} of another tree", stringify!($grain));
            };
        }
        check!(monthly::TABLE);
        check!(daily::TABLE);
        check!(reseller_products::TABLE);
        check!(reseller_months::TABLE);
        check!(customer_months::TABLE);
        check!(segment_months::TABLE);
        check!(service_months::TABLE);

        // A month is asked once per call: what it had when first seen holds for the call.
        let mut seen = MonthsSeen::new(&monthly::TABLE.months, "monthly_rollups", store.db().get_database_backend());
        let key = |month: &str| Key {
            month: month.to_owned(),
            reseller_id: 2,
            customer_id: 3,
            product_id: 0,
            provider: "AWS".to_owned(),
            service: "Amazon EC2".to_owned(),
            marketplace: false,
            category: "Usage".to_owned(),
        };
        let november = [key("2026-11")];
        assert!(!seen.any_stored(store.db(), 1, november.iter()).await.unwrap());
        let both = [key("2026-11"), key("2026-10")];
        assert!(seen.any_stored(store.db(), 1, both.iter()).await.unwrap());
        let _ = std::fs::remove_file(&path);
    }
}
