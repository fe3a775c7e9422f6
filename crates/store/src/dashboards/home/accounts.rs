//! Who is in scope on a day: account counts and open billing issues by customer
//! (docs/metrics.md §2.5, §2.7 and its rulings); customers still onboarding are `onboarding.rs`'s.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Days, NaiveDate, Utc};
use domain::api::{AccountCounts, CustomerIssues};
use domain::kinds::{BillingIssueKind, OrgKind, OrgStatus};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Statement};

use crate::billing::issues::issue_scope;
use crate::dashboards::end_of;
use crate::dashboards::labels::labels_by_id;
use crate::entities::{billing_issue, organization};
use crate::{Scope, Store, StoreError, raw_sql, stored};

/// An issue group's key (customer, else the billing data's id) and (count, kinds, first found).
type IssueGroups = HashMap<(Option<i64>, Option<String>), (u64, BTreeSet<BillingIssueKind>, DateTime<Utc>)>;

/// How many onboarding customers and issue groups the Home page lists.
pub const LISTED: u64 = 50;

/// Organisations counted on `as_of` and created or closed in the 30 days ending it.
///
/// For a reseller each figure is an index range count, not a scan of its customers: counted on
/// a day = created before its end − closed before its end (an organisation closes after it is
/// created). A whole tree is summed from its day-by-day openings and closings instead.
pub async fn account_counts(store: &Store, scope: &Scope, as_of: NaiveDate) -> Result<AccountCounts, StoreError> {
    use organization::Column;
    if scope.kind == OrgKind::Distributor {
        let ((customers, new_customers), (resellers, new_resellers)) = tokio::try_join!(
            tree_days(store, scope.org_id, OrgKind::Customer, as_of),
            tree_days(store, scope.org_id, OrgKind::Reseller, as_of)
        )?;
        return Ok(AccountCounts {
            customers,
            resellers: Some(resellers),
            net_new_30d: new_customers + new_resellers,
            active_customers: None,
        });
    }
    let next = end_of(as_of);
    // (as_of − 30 days, as_of]: the window starts the day after as_of − 30.
    let window = end_of(as_of - Days::new(30));
    let customers = || {
        organization::Entity::find()
            .filter(Column::Kind.eq(OrgKind::Customer.as_str()))
            .filter(Column::ParentId.eq(scope.org_id))
    };
    let db = store.db();
    let counted = |active_only: bool| async move {
        let mut created = customers().filter(Column::CreatedAt.lt(next));
        let mut closed = customers().filter(Column::ClosedAt.lt(next));
        if active_only {
            created = created.filter(Column::Status.eq(OrgStatus::Active.as_str()));
            closed = closed.filter(Column::Status.eq(OrgStatus::Active.as_str()));
        }
        let (created, closed) = tokio::try_join!(created.count(db), closed.count(db))?;
        Ok::<u64, StoreError>(created.saturating_sub(closed))
    };
    let created = customers().filter(Column::CreatedAt.gte(window)).filter(Column::CreatedAt.lt(next)).count(db);
    let closed = customers().filter(Column::ClosedAt.gte(window)).filter(Column::ClosedAt.lt(next)).count(db);
    // At once: one after the other, each count's round trip to the database added to Home's time.
    let (created, closed, customers, active) =
        tokio::try_join!(async { Ok(created.await?) }, async { Ok(closed.await?) }, counted(false), counted(true))?;
    Ok(AccountCounts {
        customers,
        active_customers: Some(active),
        net_new_30d: created as i64 - closed as i64,
        resellers: None,
    })
}

/// A tree's organisations of `kind` counted on `as_of`, and opened minus closed in the 30 days
/// ending it, from `account_days` (kept by triggers on every organisation write): one row per
/// day with an opening or closing, whatever the number of organisations.
pub(crate) async fn tree_days(
    store: &Store,
    tenant: i64,
    kind: OrgKind,
    as_of: NaiveDate,
) -> Result<(u64, i64), StoreError> {
    summed_days(
        store,
        "account_days WHERE tenant_id = ? AND kind = ?",
        vec![tenant.into(), kind.as_str().into()],
        as_of,
    )
    .await
}

/// Rows counted on `as_of` and opened minus closed in the 30 days ending it, summed from the
/// day-by-day openings and closings of `from_where` (a table and its conditions, with `values`
/// for their placeholders).
pub(super) async fn summed_days(
    store: &Store,
    from_where: &str,
    values: Vec<sea_orm::Value>,
    as_of: NaiveDate,
) -> Result<(u64, i64), StoreError> {
    let db = store.db();
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(opened - closed), 0) AS BIGINT), \
                CAST(COALESCE(SUM(CASE WHEN day > ? THEN opened - closed ELSE 0 END), 0) AS BIGINT) \
         FROM {from_where} AND day <= ?"
    );
    let window = std::iter::once((as_of - Days::new(30)).into());
    let values = window.chain(values).chain([as_of.into()]);
    let statement = Statement::from_sql_and_values(backend, raw_sql::numbered(backend, &sql), values);
    let row = db.query_one_raw(statement).await?.ok_or_else(|| StoreError::Corrupt("no day sums".into()))?;
    let counted: i64 = row.try_get_by_index(0)?;
    Ok((Ord::max(counted, 0) as u64, row.try_get_by_index(1)?))
}

/// Billing issues open on `as_of` (found by its end, not resolved by it) that hold lines back,
/// grouped by customer:
/// the [`LISTED`] customers with most, and how many issues in all.
pub async fn open_issues_by_customer(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
) -> Result<(Vec<CustomerIssues>, u64), StoreError> {
    use billing_issue::Column;
    let next = end_of(as_of);
    let issues = billing_issue::Entity::find()
        .filter(issue_scope(scope))
        // A SKU the catalog lacks holds no line back and is no customer's: it is the catalog's.
        .filter(Column::Kind.ne(BillingIssueKind::UnmappedProduct.as_str()))
        .filter(Column::DetectedAt.lt(next))
        .filter(Condition::any().add(Column::ResolvedAt.is_null()).add(Column::ResolvedAt.gte(next)))
        .all(store.db())
        .await?;
    let total = issues.len() as u64;
    // Keyed by the customer when known, else by the id the billing data used.
    let mut groups: IssueGroups = HashMap::new();
    for issue in issues {
        let key = (issue.customer_id, if issue.customer_id.is_some() { None } else { issue.customer_external_id });
        let entry = groups.entry(key).or_insert((0, BTreeSet::new(), issue.detected_at));
        entry.0 += 1;
        entry.1.insert(stored::parse::<BillingIssueKind>(&issue.kind, "billing_issues.kind")?);
        entry.2 = Ord::min(entry.2, issue.detected_at);
    }
    let names = labels_by_id(store, groups.keys().filter_map(|(id, _)| *id)).await?;
    let mut listed: Vec<CustomerIssues> = groups
        .into_iter()
        .map(|((customer_id, external), (open, kinds, first))| {
            let known = customer_id.and_then(|id| names.get(&id));
            CustomerIssues {
                customer_id,
                name: known.map(|org| org.name.clone()),
                external_id: known.and_then(|org| org.external_id.clone()).or(external),
                open,
                kinds: kinds.into_iter().collect(),
                first_detected_at: first,
            }
        })
        .collect();
    listed.sort_by(|a, b| {
        b.open.cmp(&a.open).then(a.first_detected_at.cmp(&b.first_detected_at)).then(a.external_id.cmp(&b.external_id))
    });
    listed.truncate(LISTED as usize);
    Ok((listed, total))
}
