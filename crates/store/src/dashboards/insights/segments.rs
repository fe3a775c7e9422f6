//! Segments (`GET /insights/segments`, docs/metrics.md §4): per customer segment ("Unknown" when
//! none) and month the revenue of its customers, their subscriptions and licences; the segments'
//! top five over the range. Customers of a reseller only, as everywhere in Insights: the
//! distributor's own direct customers are not a reseller's performance.

use std::collections::{BTreeMap, HashMap};

use domain::api::{InsightsSegments, SegmentFigures, SegmentsMonth};
use domain::kinds::OrgKind;
use domain::metrics::{Month, reported};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::products::running;
use super::top_five::top_five;
use super::{Range, activity};
use crate::dashboards::packed::{packed, unpacked};
use crate::dashboards::partners::counted_on;
use crate::dashboards::{add, dashboard_scope};
use crate::entities::{customer_month_rollup, organization};
use crate::{Scope, Store, StoreError, stored};

/// The bucket of customers with no segment recorded.
pub const UNKNOWN_SEGMENT: &str = "Unknown";

/// The segments view over `range`; `sees_money` says whether revenue is included.
pub async fn segments(
    store: &Store,
    scope: &Scope,
    range: &Range,
    sees_money: bool,
) -> Result<InsightsSegments, StoreError> {
    dashboard_scope(scope)?;
    let (index_of, names) = customers(store, scope, range).await?;
    let segment_of = |customer: &i64| index_of.get(customer).map_or(UNKNOWN_SEGMENT, |&i| names[i].0.as_str());
    // Segment → month → revenue; every segment with a customer is a member, with revenue or not.
    let mut revenue: BTreeMap<String, BTreeMap<Month, Decimal>> =
        names.iter().map(|(segment, _)| (segment.clone(), BTreeMap::new())).collect();
    if sees_money {
        for ((index, month), amount) in customer_revenue(store, scope, range, &index_of).await? {
            let segment = index.map_or(UNKNOWN_SEGMENT, |i| names[i].0.as_str());
            add(revenue.entry(segment.to_owned()).or_default().entry(month).or_default(), amount)?;
        }
    }
    let (subscriptions, licences) = running(store, scope, range, |s| {
        (s.reseller_id != scope.tenant_id).then(|| segment_of(&s.customer_id).to_owned())
    })
    .await?;
    let months = range
        .months
        .iter()
        .map(|&month| SegmentsMonth {
            month: month.to_string(),
            partial: range.partial(month),
            revenue_by_segment: sees_money.then(|| {
                (revenue.iter())
                    .filter_map(|(segment, by_month)| {
                        by_month.get(&month).filter(|v| !v.is_zero()).map(|v| (segment, v))
                    })
                    .map(|(segment, v)| (segment.clone(), reported(*v)))
                    .collect()
            }),
            subscriptions_by_segment: subscriptions.get(&month).cloned().unwrap_or_default(),
            licenses_by_segment: licences.get(&month).cloned().unwrap_or_default(),
        })
        .collect();
    let mut segments = Vec::with_capacity(revenue.len());
    for (segment, by_month) in &revenue {
        let mut total = Decimal::ZERO;
        for amount in by_month.values() {
            add(&mut total, *amount)?;
        }
        segments.push(SegmentFigures {
            segment: segment.clone(),
            customers: names.iter().find(|(name, _)| name == segment).map_or(0, |(_, n)| *n),
            revenue: sees_money.then(|| reported(total)),
        });
    }
    segments.sort_by_key(|s| (s.segment == UNKNOWN_SEGMENT, s.segment.clone()));
    let revenue_top5 = match sees_money {
        true => Some(top_five(&revenue, &range.months)?),
        false => None,
    };
    Ok(InsightsSegments { as_of: range.as_of.to_string(), segments, months, revenue_top5 })
}

/// The segments of the customers of a reseller in scope, each with its customers counted on
/// `as_of` (created by its end and not closed by then, as the Partners console counts), and each
/// customer's segment as its index in that list. Ids come packed per segment.
async fn customers(
    store: &Store,
    scope: &Scope,
    range: &Range,
) -> Result<(HashMap<i64, usize>, Vec<(String, u64)>), StoreError> {
    use organization::Column;
    let query = || {
        organization::Entity::find()
            .select_only()
            .column(Column::Segment)
            .filter(scope.organizations())
            .filter(Column::Kind.eq(OrgKind::Customer.as_str()))
            .filter(Column::ParentId.ne(scope.tenant_id))
            .group_by(Column::Segment)
    };
    let named = |segment: Option<String>| segment.unwrap_or_else(|| UNKNOWN_SEGMENT.to_owned());
    let packed_ids = query()
        .expr_as(packed(store.db().get_database_backend(), &["id"]), "packed")
        .into_tuple::<(Option<String>, String)>()
        .all(store.db())
        .await?;
    let mut index_of = HashMap::new();
    let mut names = Vec::with_capacity(packed_ids.len());
    for (segment, ids) in packed_ids {
        let segment = named(segment);
        for mut row in unpacked(&ids) {
            let id = row.next().and_then(|id| id.parse::<i64>().ok());
            let id = id.ok_or_else(|| StoreError::Corrupt(format!("organisation id of segment {segment}")))?;
            index_of.insert(id, names.len());
        }
        names.push((segment, 0));
    }
    let counts = query()
        .expr_as(Expr::col(Column::Id).count(), "counted")
        .filter(counted_on(range.as_of))
        .into_tuple::<(Option<String>, i64)>()
        .all(store.db())
        .await?;
    for (segment, n) in counts {
        let segment = named(segment);
        if let Some(entry) = names.iter_mut().find(|(name, _)| *name == segment) {
            entry.1 = u64::try_from(n).unwrap_or(0);
        }
    }
    Ok((index_of, names))
}

/// Revenue per (segment index, none when unknown) and month of the range, exact to `as_of`, from
/// the customer × month rollup; none of the distributor's direct customers.
async fn customer_revenue(
    store: &Store,
    scope: &Scope,
    range: &Range,
    index_of: &HashMap<i64, usize>,
) -> Result<HashMap<(Option<usize>, Month), Decimal>, StoreError> {
    use customer_month_rollup::Column;
    let backend = store.db().get_database_backend();
    let months = customer_month_rollup::Entity::find()
        .select_only()
        .column(Column::Month)
        .expr_as(packed(backend, &["customer_id", "billed_usd"]), "packed")
        .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
        .filter(Column::ResellerId.ne(scope.tenant_id))
        .filter(Column::Month.gte(range.months[0].to_string()))
        .filter(Column::Month.lte(range.last().to_string()))
        .group_by(Column::Month)
        .into_tuple::<(String, String)>()
        .all(store.db())
        .await?;
    let mut revenue: HashMap<(Option<usize>, Month), Decimal> = HashMap::new();
    for (month, rows) in months {
        let month: Month = month.parse().map_err(|_| StoreError::Corrupt(format!("rollup month {month}")))?;
        for mut row in unpacked(&rows) {
            let (customer, billed) = (row.next().and_then(|c| c.parse::<i64>().ok()), row.next());
            let (Some(customer), Some(billed)) = (customer, billed) else {
                return Err(StoreError::Corrupt(format!("customer month rollup row of {month}")));
            };
            let amount = stored::parse(billed, "customer_month_rollups.billed_usd")?;
            add(revenue.entry((index_of.get(&customer).copied(), month)).or_default(), amount)?;
        }
    }
    let current = Month::of(range.as_of);
    for (reseller, customer, _, billed) in activity::revenue_after(store, scope, range.last(), range.as_of).await? {
        if reseller != scope.tenant_id {
            add(revenue.entry((index_of.get(&customer).copied(), current)).or_default(), -billed)?;
        }
    }
    Ok(revenue)
}
