//! Generated reports (seed 003, docs/api.md §Reports): requested by a user of an organisation,
//! generated in the background by a worker ([`worker`]) from the rollups of their month
//! ([`content`]), kept as CSV in chunks (`report_chunks`) and downloaded a chunk at a time.
//!
//! A report belongs to the organisation that requested it and reads that organisation's subtree
//! (at generation time). It is visible to its owner and to the owner's ancestors' callers (a
//! distributor sees its resellers' reports); never to a sibling.

pub mod content;
pub mod worker;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::api::{CountTile, ListQuery, NewReport, Page, Report, ReportsFilter};
use domain::kinds::{OrgKind, ReportCategory, ReportKind, ReportStatus};
use domain::metrics::Month;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};

use crate::entities::{organization, report, report_chunk};
use crate::{Scope, Store, StoreError, clock, stored};

/// Reports the caller's subtree owns.
pub(crate) fn visible(scope: &Scope) -> Condition {
    use report::Column;
    match scope.kind {
        OrgKind::Distributor => Condition::all().add(Column::TenantId.eq(scope.org_id)),
        _ => Condition::all().add(Column::TenantId.eq(scope.tenant_id)).add(Column::OwnerOrgId.eq(scope.org_id)),
    }
}

/// A report request, checked.
#[derive(Debug, Clone)]
pub struct Request {
    /// What is asked for.
    pub report: NewReport,
    /// Who asks (a user's e-mail or an API key's name).
    pub requested_by: String,
    /// Today, which the period may not come after.
    pub today: NaiveDate,
    /// Days the report is kept.
    pub retention_days: u32,
}

/// Requests a report for the caller's organisation: a new `pending` one (`true`), or the one
/// already pending or generating for the same owner, kind, period and reseller (`false`).
pub async fn request(store: &Store, scope: &Scope, ask: Request) -> Result<(Report, bool), StoreError> {
    crate::dashboards::dashboard_scope(scope)?;
    let period = period_of(&ask.report.period, ask.today)?;
    if let Some(reseller) = ask.report.reseller_id {
        let found = organization::Entity::find_by_id(reseller)
            .filter(scope.organizations())
            .filter(organization::Column::Kind.eq(OrgKind::Reseller.as_str()))
            .one(store.db())
            .await?;
        if found.is_none() {
            return Err(StoreError::invalid("reseller_id", "is not a reseller of your organisation"));
        }
    }
    if let Some(running) = running(store, scope, &ask.report, period).await? {
        return Ok((wire(running)?, false));
    }
    let now = clock::now();
    let created = report::ActiveModel {
        tenant_id: Set(scope.tenant_id),
        owner_org_id: Set(scope.org_id),
        kind: Set(ask.report.kind.as_str().to_owned()),
        period: Set(period.to_string()),
        reseller_id: Set(ask.report.reseller_id),
        status: Set(ReportStatus::Pending.as_str().to_owned()),
        progress: Set(0),
        requested_by: Set(ask.requested_by),
        requested_at: Set(now),
        attempts: Set(0),
        expires_at: Set(now + Duration::days(i64::from(ask.retention_days))),
        ..Default::default()
    }
    .insert(store.db())
    .await;
    match created {
        Ok(created) => Ok((wire(created)?, true)),
        // The same request at the same moment won the unique index of running reports.
        Err(e) => match running(store, scope, &ask.report, period).await? {
            Some(running) => Ok((wire(running)?, false)),
            None => Err(e.into()),
        },
    }
}

/// The caller's organisation's report for the same kind, period and reseller that is pending or
/// generating, if any.
async fn running(
    store: &Store,
    scope: &Scope,
    asked: &NewReport,
    period: Month,
) -> Result<Option<report::Model>, StoreError> {
    use report::Column;
    let reseller = match asked.reseller_id {
        Some(id) => Column::ResellerId.eq(id),
        None => Column::ResellerId.is_null(),
    };
    Ok(report::Entity::find()
        .filter(Column::TenantId.eq(scope.tenant_id))
        .filter(Column::OwnerOrgId.eq(scope.org_id))
        .filter(Column::Kind.eq(asked.kind.as_str()))
        .filter(Column::Period.eq(period.to_string()))
        .filter(reseller)
        .filter(Column::Status.is_in([ReportStatus::Pending.as_str(), ReportStatus::Generating.as_str()]))
        .one(store.db())
        .await?)
}

/// The period asked for: a month, not after today's.
fn period_of(period: &str, today: NaiveDate) -> Result<Month, StoreError> {
    let month =
        domain::api::MonthParam::try_from(period.to_owned()).map_err(|e| StoreError::invalid("period", e))?.month();
    if month > Month::of(today) {
        return Err(StoreError::invalid(
            "period",
            format!("`{period}` has not begun: use a month up to the current one"),
        ));
    }
    Ok(month)
}

/// The fields the report list sorts by, as columns.
fn sort_column(field: &str) -> Option<report::Column> {
    match field {
        "requested_at" => Some(report::Column::RequestedAt),
        "period" => Some(report::Column::Period),
        "kind" => Some(report::Column::Kind),
        "status" => Some(report::Column::Status),
        _ => None,
    }
}

/// The reports the caller sees, newest first unless sorted; `billing` false leaves the billing
/// kind out (a role that never sees it).
pub async fn list(
    store: &Store,
    scope: &Scope,
    filter: &ReportsFilter,
    list: &ListQuery,
    billing: bool,
) -> Result<Page<Report>, StoreError> {
    use report::Column;
    let mut select = report::Entity::find().filter(visible(scope));
    if !billing {
        select = select.filter(Column::Kind.ne(ReportKind::Billing.as_str()));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(Column::Kind.eq(kind.as_str()));
    }
    if let Some(category) = filter.category {
        let kinds: Vec<&str> =
            ReportKind::ALL.iter().filter(|k| k.category() == category).map(|k| k.as_str()).collect();
        select = select.filter(Column::Kind.is_in(kinds));
    }
    if let Some(status) = filter.status {
        select = select.filter(Column::Status.eq(status.as_str()));
    }
    if let Some(since) = filter.requested_since {
        select = select.filter(Column::RequestedAt.gte(since.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()));
    }
    if let Some(reseller) = filter.reseller_id {
        select = select.filter(Column::ResellerId.eq(reseller));
    }
    if let Some(q) = &list.q {
        select = select.filter(crate::paging::search(q, &[Column::Kind, Column::Period, Column::RequestedBy]));
    }
    select = match list.sort.and_then(|s| sort_column(s.field).map(|c| (c, s.descending))) {
        Some((column, descending)) => select.order_by(column, if descending { Order::Desc } else { Order::Asc }),
        None => select.order_by_desc(Column::RequestedAt),
    };
    let paginator = select.order_by_desc(Column::Id).paginate(store.db(), list.per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(list.page - 1).await?.into_iter().map(wire).collect::<Result<_, _>>()?;
    Ok(Page { items, total, page: list.page, per_page: list.per_page })
}

/// Per category asked and status, how many reports the caller sees were requested on or after
/// `since`'s day, each with the list it counts (the Partners console's report tiles), in the
/// order of `categories`.
pub async fn status_tiles(
    store: &Store,
    scope: &Scope,
    categories: &[ReportCategory],
    since: NaiveDate,
) -> Result<Vec<BTreeMap<String, CountTile>>, StoreError> {
    use report::Column;
    let kinds: Vec<&str> =
        ReportKind::ALL.iter().filter(|k| categories.contains(&k.category())).map(|k| k.as_str()).collect();
    let from = since.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    // Every category and status counted in one statement: the Partners console reads these on
    // each request, its other figures from a kept answer.
    let counted: Vec<(String, String, i64)> = report::Entity::find()
        .select_only()
        .column(Column::Kind)
        .column(Column::Status)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(visible(scope))
        .filter(Column::Kind.is_in(kinds))
        .filter(Column::RequestedAt.gte(from))
        .group_by(Column::Kind)
        .group_by(Column::Status)
        .into_tuple()
        .all(store.db())
        .await?;
    let count = |category: ReportCategory, status: ReportStatus| -> u64 {
        let of_category = |kind: &str| kind.parse::<ReportKind>().is_ok_and(|k| k.category() == category);
        let n: i64 = counted.iter().filter(|(k, s, _)| of_category(k) && s == status.as_str()).map(|c| c.2).sum();
        u64::try_from(n).unwrap_or(0)
    };
    let tiles = categories.iter().map(|&category| {
        let tile = |status: ReportStatus| {
            let list = format!("/api/v1/reports?category={category}&status={status}&requested_since={since}");
            (status.as_str().to_owned(), CountTile { count: count(category, status), list })
        };
        ReportStatus::ALL.iter().copied().map(tile).collect()
    });
    Ok(tiles.collect())
}

/// How many reports of every tenant are in each status now (the operator's `/metrics`).
pub async fn counts_by_status(store: &Store) -> Result<BTreeMap<&'static str, u64>, StoreError> {
    use report::Column;
    let mut counts = BTreeMap::new();
    for status in ReportStatus::ALL {
        let n = report::Entity::find().filter(Column::Status.eq(status.as_str())).count(store.db()).await?;
        counts.insert(status.as_str(), n);
    }
    Ok(counts)
}

/// One report the caller sees; `billing` false hides the billing kind.
pub async fn get(store: &Store, scope: &Scope, id: i64, billing: bool) -> Result<Report, StoreError> {
    wire(find(store, scope, id, billing).await?)
}

/// The stored report, when the caller sees it.
async fn find(store: &Store, scope: &Scope, id: i64, billing: bool) -> Result<report::Model, StoreError> {
    let found = report::Entity::find_by_id(id).filter(visible(scope)).one(store.db()).await?;
    match found {
        Some(r) if billing || r.kind != ReportKind::Billing.as_str() => Ok(r),
        _ => Err(StoreError::NotFound),
    }
}

/// Deletes a report and its CSV.
pub async fn delete(store: &Store, scope: &Scope, id: i64) -> Result<(), StoreError> {
    let found = find(store, scope, id, true).await?;
    let txn = store.write().await?;
    report_chunk::Entity::delete_many().filter(report_chunk::Column::ReportId.eq(found.id)).exec(&txn).await?;
    report::Entity::delete_by_id(found.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// A ready report to download: its kind (which fixes its columns) and how many chunks it has.
#[derive(Debug, Clone, Copy)]
pub struct Download {
    /// The report's id.
    pub id: i64,
    /// Its kind.
    pub kind: ReportKind,
    /// Its period.
    pub period: Month,
}

/// The report to download; a 409 naming its status when it is not ready.
pub async fn download(store: &Store, scope: &Scope, id: i64, billing: bool) -> Result<Download, StoreError> {
    let found = find(store, scope, id, billing).await?;
    let status: ReportStatus = stored::parse(&found.status, "reports.status")?;
    if status != ReportStatus::Ready {
        return Err(StoreError::Conflict(format!("the report is {status}, not ready: download it once it is ready")));
    }
    Ok(Download {
        id: found.id,
        kind: stored::parse(&found.kind, "reports.kind")?,
        period: stored::parse(&found.period, "reports.period")?,
    })
}

/// Chunk `seq` of a report's CSV (from 0); none past the last.
pub async fn chunk(store: &Store, id: i64, seq: i32) -> Result<Option<String>, StoreError> {
    use report_chunk::Column;
    let found = report_chunk::Entity::find()
        .filter(Column::ReportId.eq(id))
        .filter(Column::Seq.eq(seq))
        .one(store.db())
        .await?;
    Ok(found.map(|c| c.body))
}

/// Deletes the reports past their expiry, and their CSV; returns how many.
pub async fn expire(store: &Store, now: DateTime<Utc>) -> Result<u64, StoreError> {
    use report::Column;
    let ids: Vec<i64> = report::Entity::find()
        .filter(Column::ExpiresAt.lt(now))
        .all(store.db())
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    for chunk in ids.chunks(500) {
        let txn = store.write().await?;
        report_chunk::Entity::delete_many()
            .filter(report_chunk::Column::ReportId.is_in(chunk.to_vec()))
            .exec(&txn)
            .await?;
        report::Entity::delete_many().filter(Column::Id.is_in(chunk.to_vec())).exec(&txn).await?;
        txn.commit().await?;
    }
    Ok(ids.len() as u64)
}

/// A stored report as the API sends it.
fn wire(r: report::Model) -> Result<Report, StoreError> {
    let status: ReportStatus = stored::parse(&r.status, "reports.status")?;
    Ok(Report {
        id: r.id,
        kind: stored::parse(&r.kind, "reports.kind")?,
        period: r.period,
        reseller_id: r.reseller_id,
        owner_id: r.owner_org_id,
        status,
        progress: r.progress.clamp(0, 100) as u8,
        row_count: r.row_count.map(|n| n.max(0) as u64),
        error: r.error,
        requested_by: r.requested_by,
        requested_at: r.requested_at,
        generated_at: r.generated_at,
        expires_at: r.expires_at,
        download: (status == ReportStatus::Ready).then(|| format!("/api/v1/reports/{}/download", r.id)),
    })
}

/// Who requested a report, as it records them: the user's e-mail, or the API key's name.
pub async fn requester(store: &Store, user_id: Option<i64>, api_key_id: Option<i64>) -> Result<String, StoreError> {
    use crate::entities::{api_key, user};
    if let Some(id) = user_id
        && let Some(found) = user::Entity::find_by_id(id).one(store.db()).await?
    {
        return Ok(found.email);
    }
    if let Some(id) = api_key_id
        && let Some(found) = api_key::Entity::find_by_id(id).one(store.db()).await?
    {
        return Ok(format!("API key {}", found.name));
    }
    Ok("unknown".to_owned())
}
