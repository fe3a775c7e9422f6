//! The reports behind the Home panes' menus, read from the service × month and monthly rollups
//! (`rollup_totals`): a month's revenue by service and customer, the projection by provider and
//! service, 12 months of marketplace spend, and the revenue overview. In `as_of`'s month the
//! rollups are corrected by taking away that month's lines dated after `as_of`, so every figure is
//! exact.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use domain::api::{
    CustomerRevenue, ListQuery, MarketplaceMonth, MarketplaceReport, OverviewMonth, Page, ProjectedRevenue,
    ProjectionReport, ProjectionRow, RankedRevenue, RevenueFigures, RevenueOverview, RevenueReport,
};
use domain::metrics::{Month, change_pct, projected, projection_available, reported};
use rust_decimal::Decimal;

use super::month_accounts::revenue_accounts;
use super::panes::{day_rows, first_rated_day};
use super::part::Part;
use super::rollup_totals::{Accounts, RollupTotals, lines_after, rollup_totals};
use crate::dashboards::labels::{Label, labels_by_id};
use crate::dashboards::{add, dashboard_scope};
use crate::entities::billing_line_item;
use crate::{Scope, Store, StoreError};

/// How many customers and services the overview ranks.
pub const TOP: usize = 10;

/// The key a customer is ranked under: its `external_id`, or `#id` when it has none.
fn customer_key(id: i64, org: Option<&Label>) -> String {
    org.and_then(|o| o.external_id.clone()).unwrap_or_else(|| format!("#{id}"))
}

/// A month's revenue report and every customer account in it (the report's JSON carries the
/// count; its CSV and the paged list carry the accounts).
#[derive(Debug, Clone)]
pub struct RevenueMonth {
    /// The report.
    pub report: RevenueReport,
    /// Every customer with revenue lines in the month, by revenue, largest first.
    pub customers: Vec<CustomerRevenue>,
}

/// A month's report and its customer accounts' figures, by revenue (largest first, ties by id),
/// not yet named: naming tens of thousands of accounts costs more than the sums, and the report
/// and a page by figure need none or a page of them.
struct MonthTotals {
    report: RevenueReport,
    accounts: Vec<(i64, RevenueFigures)>,
}

/// The month's report from its totals, with `customers` accounts.
fn service_report(
    totals: &RollupTotals,
    month: Month,
    as_of: NaiveDate,
    customers: u64,
) -> Result<RevenueReport, StoreError> {
    let by_service: BTreeMap<&str, Part> = totals.by(|g| g.service.as_str())?.into_iter().collect();
    let mut total = Part::default();
    for part in by_service.values() {
        total.add_part(part)?;
    }
    let by_service = by_service
        .into_iter()
        .map(|(k, part)| Ok((k.to_owned(), part.reported()?)))
        .collect::<Result<_, StoreError>>()?;
    Ok(RevenueReport { as_of, month, total: total.reported()?, by_service, customers })
}

async fn month_totals(store: &Store, scope: &Scope, month: Month, as_of: NaiveDate) -> Result<MonthTotals, StoreError> {
    dashboard_scope(scope)?;
    let later = lines_after(store, scope, month, as_of).await?;
    summed_month(store, scope, month, as_of, &later).await
}

/// [`month_totals`], with the month's lines after `as_of` read.
async fn summed_month(
    store: &Store,
    scope: &Scope,
    month: Month,
    as_of: NaiveDate,
    later: &[billing_line_item::Model],
) -> Result<MonthTotals, StoreError> {
    let totals = rollup_totals(store, scope, (month, month), as_of, Accounts::Summed, later).await?;
    let report = service_report(&totals, month, as_of, 0)?;
    let mut accounts = totals
        .customers()
        .into_iter()
        .map(|(id, part)| Ok((id, part.reported()?)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    accounts.sort_by(|a, b| b.1.total.cmp(&a.1.total).then(a.0.cmp(&b.0)));
    let report = RevenueReport { customers: accounts.len() as u64, ..report };
    Ok(MonthTotals { report, accounts })
}

/// The accounts with their names and resellers, in the order given.
async fn named(store: &Store, accounts: Vec<(i64, RevenueFigures)>) -> Result<Vec<CustomerRevenue>, StoreError> {
    let orgs = labels_by_id(store, accounts.iter().map(|(id, _)| *id)).await?;
    let resellers = labels_by_id(store, orgs.values().filter_map(|o| o.parent_id)).await?;
    Ok(accounts
        .into_iter()
        .map(|(id, figures)| {
            let org = orgs.get(&id);
            let reseller = org.and_then(|o| o.parent_id).and_then(|p| Some((p, resellers.get(&p)?)));
            CustomerRevenue {
                customer_id: id,
                name: org.map(|o| o.name.clone()).unwrap_or_default(),
                external_id: org.and_then(|o| o.external_id.clone()),
                reseller_id: reseller.map(|(id, _)| id),
                reseller_name: reseller.map(|(_, r)| r.name.clone()),
                figures,
            }
        })
        .collect())
}

/// A month's revenue by service and the number of customer accounts (to `as_of` in `as_of`'s
/// month). The accounts are counted from the rollups, unless lines of the month come after
/// `as_of`: which accounts those leave without a line then takes every account's sums.
pub async fn revenue_report(
    store: &Store,
    scope: &Scope,
    month: Month,
    as_of: NaiveDate,
) -> Result<RevenueReport, StoreError> {
    dashboard_scope(scope)?;
    let later = lines_after(store, scope, month, as_of).await?;
    if !later.is_empty() {
        return Ok(summed_month(store, scope, month, as_of, &later).await?.report);
    }
    let (totals, customers) = tokio::try_join!(
        rollup_totals(store, scope, (month, month), as_of, Accounts::Not, &later),
        revenue_accounts(store, scope, month),
    )?;
    service_report(&totals, month, as_of, customers)
}

/// A month's revenue by service and by customer account, every account named (to `as_of` in
/// `as_of`'s month).
pub async fn revenue_of_month(
    store: &Store,
    scope: &Scope,
    month: Month,
    as_of: NaiveDate,
) -> Result<RevenueMonth, StoreError> {
    let MonthTotals { report, accounts } = month_totals(store, scope, month, as_of).await?;
    Ok(RevenueMonth { report, customers: named(store, accounts).await? })
}

/// The sorts of the accounts' list that need no names.
const FIGURES: [&str; 3] = ["revenue", "cost", "margin"];

/// The order of two accounts by a figure `field` names; `None` for a field of text.
fn by_figure(field: &str, a: &RevenueFigures, b: &RevenueFigures) -> Option<std::cmp::Ordering> {
    match field {
        "revenue" => Some(a.total.cmp(&b.total)),
        "cost" => Some(a.cost.cmp(&b.cost)),
        "margin" => Some(a.margin.cmp(&b.margin)),
        _ => None,
    }
}

/// One page of a month's customer accounts: `q` searches name, external id and reseller,
/// `sort` takes `domain::api::REVENUE_CUSTOMER_SORTS` (default: revenue, largest first); ties by id.
/// Unsearched and sorted by a figure, only the page's accounts are named.
pub async fn revenue_customers(
    store: &Store,
    scope: &Scope,
    month: Month,
    as_of: NaiveDate,
    query: &ListQuery,
) -> Result<Page<CustomerRevenue>, StoreError> {
    let mut accounts = month_totals(store, scope, month, as_of).await?.accounts;
    let total = accounts.len() as u64;
    let skip = usize::try_from((query.page - 1).saturating_mul(query.per_page)).unwrap_or(usize::MAX);
    let page = |items: Vec<CustomerRevenue>| Page { items, total, page: query.page, per_page: query.per_page };
    let by_text = query.sort.is_some_and(|s| !FIGURES.contains(&s.field));
    if query.q.is_none() && !by_text {
        if let Some(sort) = query.sort {
            accounts.sort_by(|a, b| {
                let order = by_figure(sort.field, &a.1, &b.1).unwrap_or(std::cmp::Ordering::Equal);
                let order = if sort.descending { order.reverse() } else { order };
                order.then(a.0.cmp(&b.0))
            });
        }
        let listed = accounts.into_iter().skip(skip).take(query.per_page as usize).collect();
        return Ok(page(named(store, listed).await?));
    }
    let mut customers = named(store, accounts).await?;
    if let Some(q) = &query.q {
        let q = q.to_lowercase();
        let hit = |text: Option<&str>| text.is_some_and(|t| t.to_lowercase().contains(&q));
        customers.retain(|c| hit(Some(&c.name)) || hit(c.external_id.as_deref()) || hit(c.reseller_name.as_deref()));
    }
    if let Some(sort) = query.sort {
        let text = |c: &CustomerRevenue| -> String {
            match sort.field {
                "external_id" => c.external_id.clone().unwrap_or_default(),
                "reseller_name" => c.reseller_name.clone().unwrap_or_default(),
                _ => c.name.to_lowercase(),
            }
        };
        customers.sort_by(|a, b| {
            let order = by_figure(sort.field, &a.figures, &b.figures).unwrap_or_else(|| text(a).cmp(&text(b)));
            let order = if sort.descending { order.reverse() } else { order };
            order.then(a.customer_id.cmp(&b.customer_id))
        });
    }
    let found = customers.len() as u64;
    let items = customers.into_iter().skip(skip).take(query.per_page as usize).collect();
    Ok(Page { items, total: found, page: query.page, per_page: query.per_page })
}

/// The month's projection by provider and service, under the 30-day rule.
pub async fn projection_by_service(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
) -> Result<ProjectionReport, StoreError> {
    dashboard_scope(scope)?;
    let month = Month::of(as_of);
    let unavailable = |reason| ProjectionReport {
        as_of,
        month,
        projected: ProjectedRevenue { available: false, value: None, reason: Some(reason) },
        by_provider: None,
        rows: None,
    };
    if let Err(reason) = projection_available(first_rated_day(store, scope, as_of).await?, as_of) {
        return Ok(unavailable(reason));
    }
    let later = lines_after(store, scope, month, as_of).await?;
    let totals = rollup_totals(store, scope, (month, month), as_of, Accounts::Not, &later).await?;
    let mut parts: BTreeMap<(String, String), (Decimal, Decimal)> = BTreeMap::new();
    for ((provider, service, usage), part) in totals.by(|g| (&g.provider, &g.service, g.category.is_usage()))? {
        let sums = parts.entry((provider.clone(), service.clone())).or_default();
        add(if usage { &mut sums.1 } else { &mut sums.0 }, part.revenue)?;
    }
    let too_large = || StoreError::invalid("as_of", "the projection is too large to compute exactly");
    let (mut whole, mut by_provider) = (Decimal::ZERO, BTreeMap::<String, Decimal>::new());
    let mut out = Vec::new();
    for ((provider, service), (non_usage, usage)) in parts {
        let value = projected(non_usage, usage, as_of).ok_or_else(too_large)?;
        add(&mut whole, value)?;
        add(by_provider.entry(provider.clone()).or_default(), value)?;
        out.push((
            value,
            ProjectionRow {
                provider,
                service,
                non_usage: reported(non_usage),
                usage_to_date: reported(usage),
                projected: reported(value),
            },
        ));
    }
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| (&a.1.provider, &a.1.service).cmp(&(&b.1.provider, &b.1.service))));
    Ok(ProjectionReport {
        as_of,
        month,
        projected: ProjectedRevenue { available: true, value: Some(reported(whole)), reason: None },
        by_provider: Some(by_provider.into_iter().map(|(k, v)| (k, reported(v))).collect()),
        rows: Some(out.into_iter().map(|(_, row)| row).collect()),
    })
}

/// Marketplace spend for the 12 months ending with `as_of`'s, each with its change from the
/// month before; read from the daily rollup.
pub async fn marketplace_by_month(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
) -> Result<MarketplaceReport, StoreError> {
    dashboard_scope(scope)?;
    let months = Month::of(as_of).trailing(13);
    let from = months.first().map(|m| m.first_day()).unwrap_or(as_of);
    let mut spend: BTreeMap<Month, Decimal> = months.iter().map(|m| (*m, Decimal::ZERO)).collect();
    for row in day_rows(store, scope, from, as_of).await? {
        if row.marketplace && row.category.counts_as_revenue() {
            add(spend.entry(Month::of(row.day)).or_default(), row.billed)?;
        }
    }
    let series: Vec<(Month, Decimal)> = spend.into_iter().collect();
    let months = series
        .windows(2)
        .map(|pair| MarketplaceMonth {
            month: pair[1].0,
            spend: reported(pair[1].1),
            change_pct: change_pct(pair[1].1, pair[0].1),
            partial: pair[1].0.is_partial_on(as_of),
        })
        .collect();
    Ok(MarketplaceReport { as_of, months })
}

fn ranked(totals: HashMap<String, (Part, Option<String>)>) -> Result<Vec<RankedRevenue>, StoreError> {
    let mut all: Vec<(String, Part, Option<String>)> = totals.into_iter().map(|(k, (t, e))| (k, t, e)).collect();
    // Most revenue first; ties by name (docs/metrics.md §2.4).
    all.sort_by(|a, b| b.1.revenue.cmp(&a.1.revenue).then_with(|| a.0.cmp(&b.0)));
    all.into_iter()
        .take(TOP)
        .map(|(name, part, external_id)| Ok(RankedRevenue { name, external_id, figures: part.reported()? }))
        .collect()
}

/// The full revenue dashboard: 12 months of revenue, cost and margin by provider, the top
/// customers and services over those months.
pub async fn revenue_overview(store: &Store, scope: &Scope, as_of: NaiveDate) -> Result<RevenueOverview, StoreError> {
    dashboard_scope(scope)?;
    let months = Month::of(as_of).trailing(12);
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Err(StoreError::invalid("as_of", "no months to report"));
    };
    let later = lines_after(store, scope, *last, as_of).await?;
    let totals = rollup_totals(store, scope, (*first, *last), as_of, Accounts::Summed, &later).await?;
    let by_month = totals.by(|g| g.month)?;
    let mut by_provider: HashMap<Month, BTreeMap<String, RevenueFigures>> = HashMap::new();
    for ((month, provider), part) in totals.by(|g| (g.month, g.provider.as_str()))? {
        by_provider.entry(month).or_default().insert(provider.to_owned(), part.reported()?);
    }
    let by_service = totals.by(|g| g.service.clone())?.into_iter().map(|(k, part)| (k, (part, None))).collect();
    let top_services = ranked(by_service)?;
    let by_customer = totals.customers();
    // Only the ten largest accounts are named: ties at the tenth place are broken by name, so
    // every account with the tenth-largest revenue or more is read.
    let mut revenues: Vec<Decimal> = by_customer.values().map(|p| p.revenue).collect();
    revenues.sort_unstable_by(|a, b| b.cmp(a));
    let floor = revenues.get(TOP - 1).copied();
    let contenders: Vec<(i64, Part)> =
        by_customer.into_iter().filter(|(_, p)| floor.is_none_or(|f| p.revenue >= f)).collect();
    let orgs = labels_by_id(store, contenders.iter().map(|(id, _)| *id)).await?;
    let mut named: HashMap<String, (Part, Option<String>)> = HashMap::new();
    for (id, part) in contenders {
        let org = orgs.get(&id);
        let name = org.map(|o| o.name.clone()).unwrap_or_else(|| format!("#{id}"));
        // Two customers may share a name: the external id keeps them apart.
        named.insert(format!("{name}\u{0}{id}"), (part, Some(customer_key(id, org))));
    }
    let mut top_customers = ranked(named)?;
    for c in &mut top_customers {
        c.name = c.name.split('\u{0}').next().unwrap_or_default().to_owned();
    }
    let months = months
        .into_iter()
        .map(|month| {
            Ok(OverviewMonth {
                month,
                total: by_month.get(&month).copied().unwrap_or_default().reported()?,
                by_provider: by_provider.remove(&month).unwrap_or_default(),
                partial: month.is_partial_on(as_of),
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(RevenueOverview { as_of, months, top_customers, top_services })
}
