//! The scheduled usage update (seed 003): the usage snapshot (`usage_rows`) rewritten from the
//! monthly rollup's sums by customer and service ([`customer_services`]) for the months a refresh
//! covers, per customer and, summed, per reseller and service, with the whole tree's totals
//! (`usage_tree_services`, `usage_tree_months`); and the refresh's own record (`usage_refreshes`:
//! when it ran, what it covered). One refresh runs at a time across every process sharing the
//! database (the `usage_refresh` lease); one that finds it taken does nothing.
//!
//! Each (tree, month) is replaced in one transaction, so a page reads a month either as it was
//! or as it is now; the rollup is read one reseller at a time, so memory holds one reseller's
//! rows whatever the size of the tree.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use domain::kinds::OrgKind;
use domain::metrics::Month;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Set,
};

use crate::bulk::{OnConflict, Table};
use crate::entities::{
    organization, usage_refresh, usage_reseller_month, usage_row, usage_tree_month, usage_tree_service,
};
use crate::rollups::customer_services;
use crate::rollups::sums::Sums;
use crate::{Store, StoreError, clock, leases};

/// How long a refresh holds its lease before another process may take over (renewed after each
/// tree and month).
const LEASE: i64 = 600;

/// What a refresh did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refreshed {
    /// The refresh's id.
    pub id: i64,
    /// The months it covered.
    pub months: Vec<Month>,
    /// Snapshot rows written.
    pub rows: u64,
    /// When it finished.
    pub finished_at: DateTime<Utc>,
}

/// The months a refresh on `today` covers by default: the current and the previous.
pub fn default_months(today: chrono::NaiveDate) -> Vec<Month> {
    let current = Month::of(today);
    vec![current.previous(), current]
}

/// Refreshes the snapshot for `months`; `None` when another refresh is running.
pub async fn refresh(store: &Store, months: &[Month]) -> Result<Option<Refreshed>, StoreError> {
    let Some(lease) = leases::take(store, "usage_refresh", Duration::seconds(LEASE)).await? else {
        return Ok(None);
    };
    let result = run(store, &lease, months).await;
    lease.release(store).await?;
    result.map(Some)
}

/// The refresh, under its lease.
async fn run(store: &Store, lease: &leases::Lease, months: &[Month]) -> Result<Refreshed, StoreError> {
    let names: Vec<String> = months.iter().map(|m| m.to_string()).collect();
    let record = usage_refresh::ActiveModel {
        started_at: Set(clock::now()),
        months: Set(names.join(",")),
        row_count: Set(0),
        status: Set("running".to_owned()),
        ..Default::default()
    }
    .insert(store.db())
    .await?;
    let mut rows = 0;
    let outcome: Result<(), StoreError> = async {
        for tenant in tenants(store).await? {
            for month in &names {
                rows += refresh_month(store, tenant, month).await?;
                lease.renew(store, Duration::seconds(LEASE)).await?;
            }
        }
        Ok(())
    }
    .await;
    let finished_at = clock::now();
    let mut done: usage_refresh::ActiveModel = record.into();
    done.finished_at = Set(Some(finished_at));
    done.row_count = Set(rows as i64);
    match outcome {
        Ok(()) => {
            done.status = Set("done".to_owned());
            let done = done.update(store.db()).await?;
            Ok(Refreshed { id: done.id, months: months.to_vec(), rows, finished_at })
        }
        Err(e) => {
            done.status = Set("failed".to_owned());
            done.error = Set(Some(e.to_string()));
            done.update(store.db()).await?;
            Err(e)
        }
    }
}

/// Every tree: the roots (distributors and independent resellers).
async fn tenants(store: &Store) -> Result<Vec<i64>, StoreError> {
    use organization::Column;
    Ok(organization::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Kind.ne(OrgKind::Customer.as_str()))
        .filter(Expr::col(Column::Id).eq(Expr::col(Column::TenantId)))
        .order_by_asc(Column::Id)
        .into_tuple::<i64>()
        .all(store.db())
        .await?)
}

/// The sellers of a tree whose rows are billed: its resellers, and the root for its direct
/// customers.
async fn sellers<C: ConnectionTrait>(db: &C, tenant: i64) -> Result<Vec<i64>, StoreError> {
    use organization::Column;
    let mut ids = organization::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::TenantId.eq(tenant))
        .filter(Column::Kind.eq(OrgKind::Reseller.as_str()))
        .filter(Column::Id.ne(tenant))
        .order_by_asc(Column::Id)
        .into_tuple::<i64>()
        .all(db)
        .await?;
    ids.insert(0, tenant);
    Ok(ids)
}

/// `usage_rows`, written in bulk.
const USAGE_ROWS: Table = Table {
    name: "usage_rows",
    columns: &[
        "tenant_id",
        "month",
        "reseller_id",
        "customer_id",
        "provider",
        "service",
        "consumed",
        "units",
        "revenue",
        "line_count",
    ],
    on_conflict: OnConflict::Skip(&["tenant_id", "month", "reseller_id", "customer_id", "provider", "service"]),
};

/// `usage_tree_services`, written in bulk.
const USAGE_TREE_SERVICES: Table = Table {
    name: "usage_tree_services",
    columns: &["tenant_id", "month", "provider", "service", "consumed", "units", "revenue", "line_count"],
    on_conflict: OnConflict::Skip(&["tenant_id", "month", "provider", "service"]),
};

/// `usage_reseller_months`, written in bulk.
const USAGE_RESELLER_MONTHS: Table = Table {
    name: "usage_reseller_months",
    columns: &["tenant_id", "month", "reseller_id", "customers"],
    on_conflict: OnConflict::Skip(&["tenant_id", "month", "reseller_id"]),
};

/// Replaces the snapshot of one tree's month, and its totals; returns the `usage_rows` written.
async fn refresh_month(store: &Store, tenant: i64, month: &str) -> Result<u64, StoreError> {
    let txn = store.write().await?;
    usage_row::Entity::delete_many()
        .filter(usage_row::Column::TenantId.eq(tenant))
        .filter(usage_row::Column::Month.eq(month))
        .exec(&txn)
        .await?;
    usage_tree_service::Entity::delete_many()
        .filter(usage_tree_service::Column::TenantId.eq(tenant))
        .filter(usage_tree_service::Column::Month.eq(month))
        .exec(&txn)
        .await?;
    usage_tree_month::Entity::delete_many()
        .filter(usage_tree_month::Column::TenantId.eq(tenant))
        .filter(usage_tree_month::Column::Month.eq(month))
        .exec(&txn)
        .await?;
    usage_reseller_month::Entity::delete_many()
        .filter(usage_reseller_month::Column::TenantId.eq(tenant))
        .filter(usage_reseller_month::Column::Month.eq(month))
        .exec(&txn)
        .await?;
    let mut written = 0;
    // The whole tree's totals, for its root's summary.
    let mut tree_services: BTreeMap<(String, String), Sums> = BTreeMap::new();
    let mut resellers = 0;
    let mut customers = HashSet::new();
    // Each seller's customers with usage, for the reseller usage tab.
    let mut seller_months = Vec::new();
    for seller in sellers(&txn, tenant).await? {
        let rollup = customer_services::of_seller(&txn, seller, month).await?;
        if rollup.is_empty() {
            continue;
        }
        let mut by_service: BTreeMap<(String, String), Sums> = BTreeMap::new();
        let mut rows = Vec::with_capacity(rollup.len() + 8);
        for row in &rollup {
            by_service.entry((row.provider.clone(), row.service.clone())).or_default().add(&row.sums, 1)?;
            rows.push(values(tenant, month, seller, row.customer_id, &row.provider, &row.service, &row.sums));
        }
        for ((provider, service), sums) in &by_service {
            rows.push(values(tenant, month, seller, 0, provider, service, sums));
        }
        written += USAGE_ROWS.insert(&txn, rows).await?;
        for (service, sums) in by_service {
            tree_services.entry(service).or_default().add(&sums, 1)?;
        }
        let theirs: HashSet<i64> = rollup.iter().map(|row| row.customer_id).collect();
        seller_months.push(vec![tenant.into(), month.into(), seller.into(), (theirs.len() as i64).into()]);
        customers.extend(theirs);
        // The root's own customers count as organisation sites, not as a reseller.
        resellers += i64::from(seller != tenant);
    }
    if !tree_services.is_empty() {
        let rows = tree_services
            .iter()
            .map(|((provider, service), sums)| {
                let mut row = vec![tenant.into(), month.into(), provider.into(), service.into()];
                row.extend(figures(sums));
                row
            })
            .collect();
        USAGE_TREE_SERVICES.insert(&txn, rows).await?;
    }
    USAGE_RESELLER_MONTHS.insert(&txn, seller_months).await?;
    usage_tree_month::ActiveModel {
        tenant_id: Set(tenant),
        month: Set(month.to_owned()),
        resellers: Set(resellers),
        customers: Set(customers.len() as i64),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(written)
}

/// A snapshot row's values, in [`USAGE_ROWS`]' column order.
fn values(
    tenant: i64,
    month: &str,
    reseller: i64,
    customer: i64,
    provider: &str,
    service: &str,
    sums: &Sums,
) -> Vec<sea_orm::Value> {
    let mut row = vec![tenant.into(), month.into(), reseller.into(), customer.into(), provider.into(), service.into()];
    row.extend(figures(sums));
    row
}

/// The figures of a snapshot row: consumed, units, revenue and lines.
fn figures(sums: &Sums) -> [sea_orm::Value; 4] {
    let text = |d: Decimal| d.normalize().to_string().into();
    [text(sums.consumed), text(sums.units), text(sums.billed_usd), sums.lines.into()]
}

/// The refreshes a usage page tells of, read in one statement (each page asks both, and every
/// statement is a round trip): the latest to start, finished or not, and the latest finished
/// one that covered `month` (the same refresh, or an older one when the latest is running,
/// failed or covered other months).
pub(crate) async fn latest_and_covering(store: &Store, month: Month) -> Result<Latest, StoreError> {
    use usage_refresh::Column;
    let month = month.to_string();
    let latest = usage_refresh::Entity::find().select_only().column(Column::Id).order_by_desc(Column::Id).limit(1);
    let covering = latest.clone().filter(Column::Status.eq("done")).filter(Column::Months.contains(&month));
    let rows = usage_refresh::Entity::find()
        .filter(
            Condition::any()
                .add(Column::Id.in_subquery(latest.into_query()))
                .add(Column::Id.in_subquery(covering.into_query())),
        )
        .order_by_desc(Column::Id)
        .all(store.db())
        .await?;
    // The same test as the statement's: a finished refresh whose months hold the month's text.
    let covers = |row: &usage_refresh::Model| row.status == "done" && row.months.contains(&month);
    let covering = rows.iter().find(|row| covers(row)).cloned();
    Ok(Latest { latest: rows.into_iter().next(), covering })
}

/// What [`latest_and_covering`] found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Latest {
    /// The latest refresh to start, finished or not.
    pub(crate) latest: Option<usage_refresh::Model>,
    /// The latest finished refresh that covered the month asked for.
    pub(crate) covering: Option<usage_refresh::Model>,
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    /// One refresh's record, as a refresh writes it.
    async fn record(store: &Store, months: &str, status: &str) -> i64 {
        let started_at = clock::now();
        let finished_at = (status != "running").then_some(started_at);
        let row = usage_refresh::ActiveModel {
            started_at: Set(started_at),
            finished_at: Set(finished_at),
            months: Set(months.to_owned()),
            row_count: Set(0),
            status: Set(status.to_owned()),
            ..Default::default()
        };
        row.insert(store.db()).await.unwrap().id
    }

    async fn ids(store: &Store, month: &str) -> (Option<i64>, Option<i64>) {
        let found = latest_and_covering(store, Month::from_str(month).unwrap()).await.unwrap();
        (found.latest.map(|r| r.id), found.covering.map(|r| r.id))
    }

    /// The pages' "updated at" is the latest finished refresh of the month, their "next update"
    /// follows the latest to start, whatever it covers or however it ended.
    #[tokio::test]
    async fn the_latest_refresh_and_the_latest_finished_one_covering_a_month_are_told_apart() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        store.migrate().await.unwrap();
        assert_eq!(ids(&store, "2026-10").await, (None, None), "no refresh yet");
        let october = record(&store, "2026-09,2026-10", "done").await;
        assert_eq!(ids(&store, "2026-10").await, (Some(october), Some(october)), "one refresh, both");
        assert_eq!(ids(&store, "2026-11").await, (Some(october), None), "a month it did not cover");
        let november = record(&store, "2026-10,2026-11", "done").await;
        let failed = record(&store, "2026-11,2026-12", "failed").await;
        let running = record(&store, "2026-11,2026-12", "running").await;
        assert_eq!(ids(&store, "2026-09").await, (Some(running), Some(october)));
        assert_eq!(ids(&store, "2026-11").await, (Some(running), Some(november)));
        assert_eq!(ids(&store, "2026-12").await, (Some(running), None), "failed and running cover nothing");
        assert!(failed < running);
    }

    /// The migration that keeps each seller's customers with usage counts them in the snapshots
    /// taken before it, as the refresh would have.
    #[tokio::test]
    async fn the_customers_of_earlier_snapshots_are_counted_by_the_migration() {
        use migrations::{Migrator, MigratorTrait};
        let store = Store::connect("sqlite::memory:").await.unwrap();
        // Every migration before the one under test (later ones may follow it).
        let before = Migrator::migrations().iter().position(|m| m.name() == "m20261207_000001_usage_reseller_months");
        Migrator::up(store.db(), Some(before.expect("the migration is listed") as u32)).await.unwrap();
        let rows = [(5, 0, "EC2"), (5, 7, "EC2"), (5, 7, "S3"), (5, 8, "S3"), (6, 0, "EC2"), (6, 9, "EC2")];
        let rows: Vec<Vec<sea_orm::Value>> =
            rows.iter().map(|(r, c, s)| values(1, "2026-10", *r, *c, "AWS", s, &Sums::default())).collect();
        USAGE_ROWS.insert(store.db(), rows).await.unwrap();
        store.migrate().await.unwrap();
        let counted: Vec<(i64, i64)> = usage_reseller_month::Entity::find()
            .select_only()
            .columns([usage_reseller_month::Column::ResellerId, usage_reseller_month::Column::Customers])
            .order_by_asc(usage_reseller_month::Column::ResellerId)
            .into_tuple()
            .all(store.db())
            .await
            .unwrap();
        assert_eq!(counted, [(5, 2), (6, 1)]);
    }
}
