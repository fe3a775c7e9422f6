//! The usage pages (seed 003): the summary, the reseller list, one reseller's overview and the
//! organisation-site list, read from the usage snapshot of a month (`refresh.rs`) within the
//! caller's subtree, with when that snapshot was taken and when the next is due.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::Duration;
use domain::api::{
    CustomerUsage, ListQuery, Page, ResellerUsage, ResellerUsageOverview, ResourceUsage, ServiceUsage, UsageSummary,
    UsageUpdate,
};
use domain::kinds::{OrgKind, ReportKind};
use domain::metrics::{Month, reported};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, FromQueryResult, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement,
};

use super::refresh;
use crate::dashboards::labels::{Label, labels_by_id};
use crate::dashboards::{add, dashboard_scope};
use crate::entities::{organization, report, usage_reseller_month, usage_row};
use crate::organizations::matching;
use crate::{Scope, Store, StoreError, raw_sql, stored};

/// What every usage page is asked with.
#[derive(Debug, Clone, Copy)]
pub struct UsageAsk {
    /// The month.
    pub period: Month,
    /// Whether revenue is shown.
    pub sees_money: bool,
    /// How often the server refreshes usage (none: it does not).
    pub every: Option<Duration>,
}

/// A snapshot row's usage, parsed.
#[derive(Debug, Clone, Default)]
struct Figures {
    consumed: Decimal,
    units: Decimal,
    revenue: Decimal,
    lines: i64,
}

impl Figures {
    fn of(row: &usage_row::Model) -> Result<Figures, StoreError> {
        let columns = ["usage_rows.consumed", "usage_rows.units", "usage_rows.revenue"];
        Figures::parse(columns, [&row.consumed, &row.units, &row.revenue], row.line_count)
    }

    /// A stored row's consumed quantity, units and revenue (texts of `columns`) and its lines.
    fn parse(columns: [&str; 3], [consumed, units, revenue]: [&str; 3], lines: i64) -> Result<Figures, StoreError> {
        Ok(Figures {
            consumed: stored::parse(consumed, columns[0])?,
            units: stored::parse(units, columns[1])?,
            revenue: stored::parse(revenue, columns[2])?,
            lines,
        })
    }

    fn add(&mut self, other: &Figures) -> Result<(), StoreError> {
        add(&mut self.consumed, other.consumed)?;
        add(&mut self.units, other.units)?;
        add(&mut self.revenue, other.revenue)?;
        self.lines += other.lines;
        Ok(())
    }
}

/// A stored count as the API sends it (never below zero).
fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Per (provider, service), summed.
type ByService = BTreeMap<(String, String), Figures>;

/// The services, largest line count first, then by name.
fn services(by_service: ByService, sees_money: bool) -> Vec<ServiceUsage> {
    let mut services: Vec<ServiceUsage> = by_service
        .into_iter()
        .map(|((provider, service), f)| ServiceUsage {
            provider,
            service,
            consumed_quantity: f.consumed.normalize(),
            chargeable_units: f.units.normalize(),
            revenue: sees_money.then(|| reported(f.revenue)),
            line_count: count(f.lines),
        })
        .collect();
    services.sort_by(|a, b| {
        b.line_count.cmp(&a.line_count).then_with(|| (&a.service, &a.provider).cmp(&(&b.service, &b.provider)))
    });
    services
}

/// When the snapshot of the month was taken, and the next refresh.
async fn update(store: &Store, ask: &UsageAsk) -> Result<UsageUpdate, StoreError> {
    let refresh::Latest { latest, covering } = refresh::latest_and_covering(store, ask.period).await?;
    // Due now while no refresh ever started: the server's starts as it does (its record then
    // moves the usage's generation, so a kept page does not go on saying "now").
    let next_update_at = ask.every.map(|every| latest.map_or_else(crate::clock::now, |l| l.started_at + every));
    Ok(UsageUpdate {
        updated_at: covering.as_ref().and_then(|c| c.finished_at),
        months: covering.map(|c| c.months.split(',').map(str::to_owned).collect()).unwrap_or_default(),
        next_update_at,
    })
}

/// Snapshot rows of the month in scope, with `more` conditions.
fn rows(scope: &Scope, period: Month) -> sea_orm::Select<usage_row::Entity> {
    use usage_row::Column;
    usage_row::Entity::find()
        .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
        .filter(Column::Month.eq(period.to_string()))
}

/// The summary tab.
pub async fn summary(store: &Store, scope: &Scope, ask: &UsageAsk) -> Result<UsageSummary, StoreError> {
    dashboard_scope(scope)?;
    let (by_service, resellers, customers) = match tree_totals(store, scope, ask.period).await? {
        Some(totals) => totals,
        None => subtree_totals(store, scope, ask.period).await?,
    };
    let mut total = Figures::default();
    for figures in by_service.values() {
        total.add(figures)?;
    }
    Ok(UsageSummary {
        period: ask.period.to_string(),
        update: update(store, ask).await?,
        resellers,
        customers,
        line_count: count(total.lines),
        revenue: ask.sees_money.then(|| reported(total.revenue)),
        services: services(by_service, ask.sees_money),
    })
}

/// Per service, and the resellers and customers with usage.
type Totals = (ByService, u64, u64);

/// A distributor's totals, as the refresh summed them for its whole tree; none for anyone else,
/// or for a month the snapshot holds no totals of (taken before they were kept).
async fn tree_totals(store: &Store, scope: &Scope, period: Month) -> Result<Option<Totals>, StoreError> {
    if scope.kind != OrgKind::Distributor {
        return Ok(None);
    }
    // The month's counts and its services in one statement (each is a round trip): the counts
    // on every row, and one row with no service when no service had usage.
    let sql = "SELECT m.resellers, m.customers, s.provider, s.service, s.consumed, s.units, s.revenue, \
               s.line_count FROM usage_tree_months m LEFT JOIN usage_tree_services s \
               ON s.tenant_id = m.tenant_id AND s.month = m.month WHERE m.tenant_id = ? AND m.month = ?";
    let backend = store.db().get_database_backend();
    let values = [scope.org_id.into(), period.to_string().into()];
    let statement = Statement::from_sql_and_values(backend, raw_sql::numbered(backend, sql), values);
    let rows = TreeMonthRow::find_by_statement(statement).all(store.db()).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let counts = (count(first.resellers), count(first.customers));
    let mut by_service = ByService::new();
    for row in rows {
        if let TreeMonthRow {
            provider: Some(provider),
            service: Some(service),
            consumed: Some(consumed),
            units: Some(units),
            revenue: Some(revenue),
            line_count: Some(lines),
            ..
        } = row
        {
            let columns = ["usage_tree_services.consumed", "usage_tree_services.units", "usage_tree_services.revenue"];
            by_service.insert((provider, service), Figures::parse(columns, [&consumed, &units, &revenue], lines)?);
        }
    }
    Ok(Some((by_service, counts.0, counts.1)))
}

/// A row of [`tree_totals`]' statement: a tree's month and one of its services, if any.
#[derive(Debug, FromQueryResult)]
struct TreeMonthRow {
    resellers: i64,
    customers: i64,
    provider: Option<String>,
    service: Option<String>,
    consumed: Option<String>,
    units: Option<String>,
    revenue: Option<String>,
    line_count: Option<i64>,
}

/// The subtree's totals, summed from its resellers' rows, its customers counted from theirs.
async fn subtree_totals(store: &Store, scope: &Scope, period: Month) -> Result<Totals, StoreError> {
    use usage_row::Column;
    let sellers = rows(scope, period).filter(Column::CustomerId.eq(0)).all(store.db()).await?;
    let mut by_service = ByService::new();
    let mut resellers = BTreeSet::new();
    for row in &sellers {
        by_service.entry((row.provider.clone(), row.service.clone())).or_default().add(&Figures::of(row)?)?;
        if row.reseller_id != scope.tenant_id || scope.kind == OrgKind::Reseller {
            resellers.insert(row.reseller_id);
        }
    }
    let customers = rows(scope, period)
        .filter(Column::CustomerId.ne(0))
        .select_only()
        .column(Column::CustomerId)
        .distinct()
        .count(store.db())
        .await?;
    Ok((by_service, resellers.len() as u64, customers))
}

/// The resellers in scope (all of them, with or without usage), by name.
pub async fn resellers(
    store: &Store,
    scope: &Scope,
    ask: &UsageAsk,
    list: &ListQuery,
) -> Result<Page<ResellerUsage>, StoreError> {
    use organization::Column;
    dashboard_scope(scope)?;
    let mut select =
        organization::Entity::find().filter(scope.organizations()).filter(Column::Kind.eq(OrgKind::Reseller.as_str()));
    if let Some(q) = &list.q {
        select = select.filter(matching(store, q));
    }
    let descending = list.sort.is_some_and(|s| s.descending);
    let order = if descending { Order::Desc } else { Order::Asc };
    let paginator = select.order_by(Column::Name, order).order_by_asc(Column::Id).paginate(store.db(), list.per_page);
    let total = paginator.num_items().await?;
    let orgs = paginator.fetch_page(list.page - 1).await?;
    let items = reseller_usages(store, scope, ask, orgs).await?;
    Ok(Page { items, total, page: list.page, per_page: list.per_page })
}

/// The reseller tab's lines of `orgs`, in their order: three queries whatever their number.
async fn reseller_usages(
    store: &Store,
    scope: &Scope,
    ask: &UsageAsk,
    orgs: Vec<organization::Model>,
) -> Result<Vec<ResellerUsage>, StoreError> {
    use usage_row::Column;
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let mut totals: HashMap<i64, (Figures, BTreeSet<String>)> = HashMap::new();
    let sums = rows(scope, ask.period).filter(Column::CustomerId.eq(0)).filter(Column::ResellerId.is_in(ids.clone()));
    for row in sums.all(store.db()).await? {
        let entry = totals.entry(row.reseller_id).or_default();
        entry.0.add(&Figures::of(&row)?)?;
        entry.1.insert(row.service);
    }
    // Counted by the refresh: counting here read every customer row of the page's resellers.
    let counted = (usage_reseller_month::Column::TenantId, usage_reseller_month::Column::ResellerId);
    let customers: HashMap<i64, i64> = usage_reseller_month::Entity::find()
        .select_only()
        .columns([counted.1, usage_reseller_month::Column::Customers])
        .filter(scope.rollup_rows(counted.0, counted.1))
        .filter(usage_reseller_month::Column::Month.eq(ask.period.to_string()))
        .filter(counted.1.is_in(ids.clone()))
        .into_tuple::<(i64, i64)>()
        .all(store.db())
        .await?
        .into_iter()
        .collect();
    let reports = latest_reports(store, scope, &ids, ask.period).await?;
    let mut out = Vec::with_capacity(orgs.len());
    for org in orgs {
        let (total, names) = totals.remove(&org.id).unwrap_or_default();
        let latest = reports.get(&org.id);
        out.push(ResellerUsage {
            id: org.id,
            customers: count(customers.get(&org.id).copied().unwrap_or(0)),
            name: org.name,
            external_id: org.external_id,
            domain: org.domain,
            services: names.into_iter().collect(),
            line_count: count(total.lines),
            revenue: ask.sees_money.then(|| reported(total.revenue)),
            report_status: latest.map(|r| stored::parse(&r.status, "reports.status")).transpose()?,
            report_generated_at: latest.and_then(|r| r.generated_at),
            report_id: latest.map(|r| r.id),
        });
    }
    Ok(out)
}

/// Per reseller of `resellers`, the latest reseller usage report holding its rows for the month
/// that the caller may see: one limited to it, its own, or one of the whole tree.
async fn latest_reports(
    store: &Store,
    scope: &Scope,
    resellers: &[i64],
    period: Month,
) -> Result<HashMap<i64, report::Model>, StoreError> {
    use report::Column;
    let whole_tree = Condition::all().add(Column::ResellerId.is_null()).add(Column::OwnerOrgId.eq(scope.tenant_id));
    let found = report::Entity::find()
        .filter(crate::reports::visible(scope))
        .filter(Column::Kind.eq(ReportKind::ResellerUsage.as_str()))
        .filter(Column::Period.eq(period.to_string()))
        .filter(
            Condition::any()
                .add(Column::ResellerId.is_in(resellers.to_vec()))
                .add(Column::OwnerOrgId.is_in(resellers.to_vec()))
                .add(whole_tree),
        )
        .order_by_desc(Column::Id)
        .all(store.db())
        .await?;
    let mut latest = HashMap::new();
    for &reseller in resellers {
        let theirs = found.iter().find(|r| {
            r.reseller_id == Some(reseller)
                || (r.reseller_id.is_none() && r.owner_org_id == reseller)
                || (r.reseller_id.is_none() && r.owner_org_id == scope.tenant_id)
        });
        if let Some(r) = theirs {
            latest.insert(reseller, r.clone());
        }
    }
    Ok(latest)
}

/// One reseller's overview: its totals, service usage, resource usage per provider and its
/// customers with the most lines.
pub async fn reseller(
    store: &Store,
    scope: &Scope,
    id: i64,
    ask: &UsageAsk,
) -> Result<ResellerUsageOverview, StoreError> {
    use usage_row::Column;
    dashboard_scope(scope)?;
    let org = organization::Entity::find_by_id(id)
        .filter(scope.organizations())
        .filter(organization::Column::Kind.eq(OrgKind::Reseller.as_str()))
        .one(store.db())
        .await?
        .ok_or(StoreError::NotFound)?;
    let own = rows(scope, ask.period).filter(Column::ResellerId.eq(id));
    let mut by_service = ByService::new();
    let mut by_provider: BTreeMap<String, (Figures, BTreeSet<String>)> = BTreeMap::new();
    for row in own.clone().filter(Column::CustomerId.eq(0)).all(store.db()).await? {
        let f = Figures::of(&row)?;
        by_service.entry((row.provider.clone(), row.service.clone())).or_default().add(&f)?;
        let provider = by_provider.entry(row.provider.clone()).or_default();
        provider.0.add(&f)?;
        provider.1.insert(row.service);
    }
    let customer_rows = own.filter(Column::CustomerId.ne(0)).all(store.db()).await?;
    let mut provider_customers: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    for row in &customer_rows {
        provider_customers.entry(row.provider.clone()).or_default().insert(row.customer_id);
    }
    let resources = by_provider
        .into_iter()
        .map(|(provider, (f, services))| ResourceUsage {
            customers: provider_customers.get(&provider).map_or(0, |c| c.len() as u64),
            provider,
            services: services.len() as u64,
            line_count: count(f.lines),
            revenue: ask.sees_money.then(|| reported(f.revenue)),
        })
        .collect();
    let mut customers = customer_usages(store, customer_rows, ask.sees_money).await?;
    let customers_total = customers.len() as u64;
    customers.sort_by(|a, b| b.line_count.cmp(&a.line_count).then_with(|| a.name.cmp(&b.name)));
    customers.truncate(100);
    Ok(ResellerUsageOverview {
        period: ask.period.to_string(),
        update: update(store, ask).await?,
        reseller: reseller_usages(store, scope, ask, vec![org]).await?.remove(0),
        services: services(by_service, ask.sees_money),
        resources,
        customers,
        customers_total,
    })
}

/// Customers' usage from their snapshot rows, in no order.
async fn customer_usages(
    store: &Store,
    rows: Vec<usage_row::Model>,
    sees_money: bool,
) -> Result<Vec<CustomerUsage>, StoreError> {
    let mut by_customer: BTreeMap<i64, (i64, ByService)> = BTreeMap::new();
    for row in &rows {
        let entry = by_customer.entry(row.customer_id).or_insert_with(|| (row.reseller_id, ByService::new()));
        entry.1.entry((row.provider.clone(), row.service.clone())).or_default().add(&Figures::of(row)?)?;
    }
    let ids = by_customer.keys().copied().chain(by_customer.values().map(|(r, _)| *r)).collect::<BTreeSet<_>>();
    let orgs: HashMap<i64, Label> = labels_by_id(store, ids.into_iter()).await?;
    let mut out = Vec::with_capacity(by_customer.len());
    for (customer, (reseller, by_service)) in by_customer {
        let (Some(org), Some(seller)) = (orgs.get(&customer), orgs.get(&reseller)) else { continue };
        let mut total = Figures::default();
        for f in by_service.values() {
            total.add(f)?;
        }
        out.push(CustomerUsage {
            id: customer,
            name: org.name.clone(),
            external_id: org.external_id.clone(),
            domain: org.domain.clone(),
            reseller_id: reseller,
            reseller_name: seller.name.clone(),
            line_count: count(total.lines),
            revenue: sees_money.then(|| reported(total.revenue)),
            services: services(by_service, sees_money),
        });
    }
    Ok(out)
}

/// The organisation-site tab: the customers in scope with usage in the month (of one reseller
/// when `reseller` is given), by name.
pub async fn organizations(
    store: &Store,
    scope: &Scope,
    ask: &UsageAsk,
    reseller: Option<i64>,
    list: &ListQuery,
) -> Result<Page<CustomerUsage>, StoreError> {
    use organization::Column;
    dashboard_scope(scope)?;
    // The customers in scope, in name order (an index), each kept when the snapshot has a row of
    // it (an index seek): a page reads about its own customers. Picking them from every customer
    // id of the month's rows instead (an `IN` list of ~400,000 rows at 10M lines) took 0.4 s.
    let mut used = sea_orm::sea_query::Query::select()
        .expr(Expr::val(1))
        .from(usage_row::Entity)
        .and_where(usage_row::Column::TenantId.eq(scope.tenant_id))
        .and_where(usage_row::Column::Month.eq(ask.period.to_string()))
        .and_where(
            Expr::col((usage_row::Entity, usage_row::Column::CustomerId)).equals((organization::Entity, Column::Id)),
        )
        .to_owned();
    let mut select =
        organization::Entity::find().filter(scope.organizations()).filter(Column::Kind.eq(OrgKind::Customer.as_str()));
    if let Some(reseller) = reseller {
        // Its customers (in name order by their own index) with rows under it in the snapshot.
        used.and_where(usage_row::Column::ResellerId.eq(reseller));
        select = select.filter(Column::ParentId.eq(reseller));
    }
    let mut select = select.filter(Expr::exists(used));
    if let Some(q) = &list.q {
        select = select.filter(matching(store, q));
    }
    let descending = list.sort.is_some_and(|s| s.descending);
    let order = if descending { Order::Desc } else { Order::Asc };
    let paginator = select.order_by(Column::Name, order).order_by_asc(Column::Id).paginate(store.db(), list.per_page);
    let total = match &list.q {
        Some(_) => paginator.num_items().await?,
        None => customers_with_usage(store, scope, ask.period, reseller).await?,
    };
    let orgs = paginator.fetch_page(list.page - 1).await?;
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let page_rows =
        rows(scope, ask.period).filter(usage_row::Column::CustomerId.is_in(ids.clone())).all(store.db()).await?;
    let mut usages: HashMap<i64, CustomerUsage> =
        customer_usages(store, page_rows, ask.sees_money).await?.into_iter().map(|c| (c.id, c)).collect();
    let items = ids.iter().filter_map(|id| usages.remove(id)).collect();
    Ok(Page { items, total, page: list.page, per_page: list.per_page })
}

/// How many customers in scope (of `reseller` only, when given) have usage in the month, as the
/// refresh counted them per seller: counting the list's own rows would check every customer.
async fn customers_with_usage(
    store: &Store,
    scope: &Scope,
    period: Month,
    reseller: Option<i64>,
) -> Result<u64, StoreError> {
    use usage_reseller_month::Column;
    let mut counts = usage_reseller_month::Entity::find()
        .select_only()
        .column(Column::Customers)
        .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
        .filter(Column::Month.eq(period.to_string()));
    if let Some(reseller) = reseller {
        counts = counts.filter(Column::ResellerId.eq(reseller));
    }
    let counts = counts.into_tuple::<i64>().all(store.db()).await?;
    Ok(counts.into_iter().map(count).sum())
}

/// The fields the usage lists sort by.
pub const USAGE_SORTS: &[&str] = &["name"];
