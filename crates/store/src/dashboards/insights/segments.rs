//! Segments (`GET /insights/segments`, docs/metrics.md §4): per customer segment ("Unknown" when
//! none) and month the revenue of its customers, their subscriptions and licences; the segments'
//! top five over the range, from the segment × month rollup. Customers of a reseller only, as
//! everywhere in Insights.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use domain::api::{InsightsSegments, SegmentFigures, SegmentsMonth};
use domain::kinds::OrgKind;
use domain::metrics::{Month, reported};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Statement};

use super::products::{Running, running};
use super::top_five::top_five;
use super::{Range, activity};
use crate::dashboards::packed::{packed, unpacked};
use crate::dashboards::partners::counted_on;
use crate::dashboards::{add, dashboard_scope};
use crate::entities::{organization, segment_month_rollup};
use crate::rollups::segment_months::segments_of;
use crate::{Scope, Store, StoreError, raw_sql, stored};

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
    // At once: each read's statements wait on the database, not on one another.
    let money = async {
        match sees_money {
            true => segment_revenue(store, scope, range).await,
            false => Ok(Default::default()),
        }
    };
    let (counted, by_segment, (subscriptions, licences)) =
        tokio::try_join!(customers(store, scope, range), money, running_by_segment(store, scope, range))?;
    // Segment → month → revenue; every segment with a customer is a member, with revenue or not.
    let mut revenue: BTreeMap<String, BTreeMap<Month, Decimal>> =
        counted.keys().map(|segment| (segment.clone(), BTreeMap::new())).collect();
    for ((segment, month), amount) in by_segment {
        add(revenue.entry(segment).or_default().entry(month).or_default(), amount)?;
    }
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
            customers: counted.get(segment).copied().unwrap_or(0),
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

/// A stored segment's name: [`UNKNOWN_SEGMENT`] for none.
fn named(segment: Option<String>) -> String {
    segment.filter(|s| !s.is_empty()).unwrap_or_else(|| UNKNOWN_SEGMENT.to_owned())
}

/// The segments of the customers in scope, each with its customers counted on `as_of` (created
/// by its end and not closed by then, as the Partners console counts): every segment with a
/// customer present. (A customer always sits below a reseller, so these are resellers'.)
async fn customers(store: &Store, scope: &Scope, range: &Range) -> Result<BTreeMap<String, u64>, StoreError> {
    use organization::Column;
    if scope.kind == OrgKind::Distributor {
        return tree_customers(store, scope.org_id, range.as_of).await;
    }
    // One pass over the tree's customers: every segment, and those counted on the day (two
    // queries walked the 100,000 customers twice).
    let on_the_day = Expr::case(counted_on(range.as_of), Expr::val(1)).finally(Expr::val(0));
    let rows = organization::Entity::find()
        .select_only()
        .column(Column::Segment)
        .expr_as(Func::sum(on_the_day), "customers")
        .filter(scope.organizations())
        .filter(Column::Kind.eq(OrgKind::Customer.as_str()))
        .group_by(Column::Segment)
        .into_tuple::<(Option<String>, Option<i64>)>()
        .all(store.db())
        .await?;
    let mut counted = BTreeMap::new();
    for (segment, n) in rows {
        *counted.entry(named(segment)).or_default() += n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0);
    }
    Ok(counted)
}

/// [`customers`] of a whole tree, from its customers opened and closed per segment and day
/// (`segment_days`, kept by triggers on the organisations): a segment has customers while the
/// sum of its openings is above zero, and counts those opened by `as_of` and not closed by then.
async fn tree_customers(store: &Store, tenant: i64, as_of: NaiveDate) -> Result<BTreeMap<String, u64>, StoreError> {
    let backend = store.db().get_database_backend();
    let sql = "SELECT segment, CAST(SUM(CASE WHEN day <= ? THEN opened - closed ELSE 0 END) AS BIGINT) \
               FROM segment_days WHERE tenant_id = ? GROUP BY segment HAVING SUM(opened) > 0";
    let statement =
        Statement::from_sql_and_values(backend, raw_sql::numbered(backend, sql), [as_of.into(), tenant.into()]);
    let mut counted = BTreeMap::new();
    for row in store.db().query_all_raw(statement).await? {
        let (segment, n): (String, i64) = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
        *counted.entry(named(Some(segment))).or_default() += u64::try_from(n).unwrap_or(0);
    }
    Ok(counted)
}

/// Revenue per segment and month of the range, exact to `as_of`, from the segment × month
/// rollup (a distributor's tree totals, a reseller's own rows; each month's rows packed in one
/// text); none of the distributor's direct customers.
async fn segment_revenue(
    store: &Store,
    scope: &Scope,
    range: &Range,
) -> Result<HashMap<(String, Month), Decimal>, StoreError> {
    use segment_month_rollup::Column;
    let backend = store.db().get_database_backend();
    let months = segment_month_rollup::Entity::find()
        .select_only()
        .column(Column::Month)
        .expr_as(packed(backend, "segment"), "segments")
        .expr_as(packed(backend, "billed_usd"), "billed")
        .filter(scope.resold_rollup_rows(Column::TenantId, Column::ResellerId))
        .filter(Column::Month.gte(range.months[0].to_string()))
        .filter(Column::Month.lte(range.last().to_string()))
        .group_by(Column::Month)
        .into_tuple::<(String, String, String)>()
        .all(store.db())
        .await?;
    let mut revenue: HashMap<(String, Month), Decimal> = HashMap::new();
    for (month, segments, billed) in months {
        let month: Month = month.parse().map_err(|_| StoreError::Corrupt(format!("rollup month {month}")))?;
        for [segment, billed] in unpacked([&segments, &billed], &format!("segment month rollup of {month}"))? {
            let amount = stored::parse(billed, "segment_month_rollups.billed_usd")?;
            add(revenue.entry((named(Some(segment.to_owned())), month)).or_default(), amount)?;
        }
    }
    // Lines of as_of's month dated after it are in the rollup but not yet in the figures.
    let later: Vec<_> = activity::revenue_after(store, scope, range.last(), range.as_of)
        .await?
        .into_iter()
        .filter(|(reseller, ..)| *reseller != scope.tenant_id)
        .collect();
    let customers: Vec<i64> = later.iter().map(|(_, customer, ..)| *customer).collect();
    let segments = segments_of(store.db(), &customers).await?;
    let current = Month::of(range.as_of);
    for (_, customer, _, billed) in later {
        let segment = named(segments.get(&customer).cloned());
        add(revenue.entry((segment, current)).or_default(), -billed)?;
    }
    Ok(revenue)
}

/// Per month the subscriptions running and their licences by the segment of their customer; none
/// of the distributor's direct customers.
async fn running_by_segment(store: &Store, scope: &Scope, range: &Range) -> Result<Running<String>, StoreError> {
    let (by_customer, licences_by_customer) =
        running(store, scope, range, |s| (s.reseller_id != scope.tenant_id).then_some(s.customer_id)).await?;
    let customers: Vec<i64> = by_customer.values().flat_map(|m| m.keys().copied()).collect();
    let segments = segments_of(store.db(), &customers).await?;
    let segment_of = |customer: &i64| named(segments.get(customer).cloned());
    Ok((by_segment(by_customer, segment_of), by_segment(licences_by_customer, segment_of)))
}

/// Month → customer → n, added up by the customers' segments.
fn by_segment<N: Default + std::ops::AddAssign>(
    by_customer: BTreeMap<Month, BTreeMap<i64, N>>,
    segment_of: impl Fn(&i64) -> String,
) -> BTreeMap<Month, BTreeMap<String, N>> {
    (by_customer.into_iter())
        .map(|(month, per)| {
            let mut summed: BTreeMap<String, N> = BTreeMap::new();
            for (customer, n) in per {
                *summed.entry(segment_of(&customer)).or_default() += n;
            }
            (month, summed)
        })
        .collect()
}
