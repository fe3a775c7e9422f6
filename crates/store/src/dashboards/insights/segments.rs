//! Segments (`GET /insights/segments`, docs/metrics.md §4): per customer segment ("Unknown" when
//! none) and month the revenue of its customers, their subscriptions and licences; the segments'
//! top five over the range. Customers of a reseller only, as everywhere in Insights: the
//! distributor's own direct customers are not a reseller's performance.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use domain::api::{InsightsSegments, SegmentFigures, SegmentsMonth};
use domain::kinds::OrgKind;
use domain::metrics::{Month, reported};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::products::running;
use super::top_five::top_five;
use super::{Range, activity};
use crate::dashboards::{add, dashboard_scope, end_of};
use crate::entities::{customer_month_rollup, organization};
use crate::{Scope, Store, StoreError, stored};

/// The bucket of customers with no segment recorded.
pub const UNKNOWN_SEGMENT: &str = "Unknown";

/// A customer in scope: its segment, and whether it is counted on `as_of`.
struct Customer {
    segment: String,
    counted: bool,
}

/// The segments view over `range`; `sees_money` says whether revenue is included.
pub async fn segments(
    store: &Store,
    scope: &Scope,
    range: &Range,
    sees_money: bool,
) -> Result<InsightsSegments, StoreError> {
    dashboard_scope(scope)?;
    let customers = customers(store, scope, range).await?;
    let segment_of = |customer: &i64| customers.get(customer).map(|c| c.segment.as_str()).unwrap_or(UNKNOWN_SEGMENT);
    // Segment → month → revenue; every segment with a customer is a member, with revenue or not.
    let mut revenue: BTreeMap<String, BTreeMap<Month, Decimal>> =
        customers.values().map(|c| (c.segment.clone(), BTreeMap::new())).collect();
    if sees_money {
        for (customer, month, amount) in customer_revenue(store, scope, range).await? {
            add(revenue.entry(segment_of(&customer).to_owned()).or_default().entry(month).or_default(), amount)?;
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
    let mut counted: HashMap<&str, u64> = HashMap::new();
    for c in customers.values() {
        *counted.entry(c.segment.as_str()).or_default() += u64::from(c.counted);
    }
    let mut segments = Vec::with_capacity(revenue.len());
    for (segment, by_month) in &revenue {
        let mut total = Decimal::ZERO;
        for amount in by_month.values() {
            add(&mut total, *amount)?;
        }
        segments.push(SegmentFigures {
            segment: segment.clone(),
            customers: counted.get(segment.as_str()).copied().unwrap_or(0),
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

/// The customers of a reseller in scope, by id: each one's segment, and whether it is counted
/// on `as_of` (created by its end and not closed by then, as the Partners console counts).
async fn customers(store: &Store, scope: &Scope, range: &Range) -> Result<HashMap<i64, Customer>, StoreError> {
    use organization::Column;
    let next = end_of(range.as_of);
    let rows = organization::Entity::find()
        .select_only()
        .columns([Column::Id, Column::Segment, Column::CreatedAt, Column::ClosedAt])
        .filter(scope.organizations())
        .filter(Column::Kind.eq(OrgKind::Customer.as_str()))
        .filter(Column::ParentId.ne(scope.tenant_id))
        .into_tuple::<(i64, Option<String>, DateTime<Utc>, Option<DateTime<Utc>>)>()
        .all(store.db())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, segment, created, closed)| {
            let segment = segment.unwrap_or_else(|| UNKNOWN_SEGMENT.to_owned());
            (id, Customer { segment, counted: created < next && closed.is_none_or(|c| c >= next) })
        })
        .collect())
}

/// Each customer's revenue per month of the range, exact to `as_of`, from the customer × month
/// rollup; none of the distributor's direct customers.
async fn customer_revenue(
    store: &Store,
    scope: &Scope,
    range: &Range,
) -> Result<Vec<(i64, Month, Decimal)>, StoreError> {
    use customer_month_rollup::Column;
    let rows = customer_month_rollup::Entity::find()
        .select_only()
        .columns([Column::CustomerId, Column::Month, Column::BilledUsd])
        .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
        .filter(Column::ResellerId.ne(scope.tenant_id))
        .filter(Column::Month.gte(range.months[0].to_string()))
        .filter(Column::Month.lte(range.last().to_string()))
        .into_tuple::<(i64, String, String)>()
        .all(store.db())
        .await?;
    let mut revenue = Vec::with_capacity(rows.len());
    for (customer, month, billed) in rows {
        let month: Month = month.parse().map_err(|_| StoreError::Corrupt(format!("rollup month {month}")))?;
        revenue.push((customer, month, stored::parse(&billed, "customer_month_rollups.billed_usd")?));
    }
    let current = Month::of(range.as_of);
    for (reseller, customer, _, billed) in activity::revenue_after(store, scope, range.last(), range.as_of).await? {
        if reseller != scope.tenant_id {
            revenue.push((customer, current, -billed));
        }
    }
    Ok(revenue)
}
