//! The summary (`GET /insights/summary`): per month active, transacting and new resellers,
//! revenue and revenue by family; and the same over the range (docs/metrics.md §3).

use std::collections::BTreeSet;

use domain::api::{InsightsMonth, InsightsRange, InsightsSummary};
use domain::metrics::reported;
use rust_decimal::Decimal;

use super::{Range, activity, families, history};
use crate::dashboards::{add, dashboard_scope};
use crate::{Scope, Store, StoreError};

/// The summary over `range`; `sees_money` says whether revenue is included.
pub async fn summary(
    store: &Store,
    scope: &Scope,
    range: &Range,
    sees_money: bool,
) -> Result<InsightsSummary, StoreError> {
    dashboard_scope(scope)?;
    // At once: each read's statements wait on the database, not on one another.
    let (history, active, mut by_month) = tokio::try_join!(
        history::history(store, scope, (range.months[0], range.last()), range.as_of, true),
        activity::active(store, scope, &range.months, range.as_of),
        // Revenue by month and family, over every reseller.
        families::by_family(store, scope, range),
    )?;
    let transacting = history.transacting();
    let first_month = history.first_months(&transacting);
    let mut months = Vec::with_capacity(range.months.len());
    let (mut all_active, mut all_transacting, mut all_new) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let mut range_revenue = Decimal::ZERO;
    for &month in &range.months {
        let by_family = by_month.remove(&month).unwrap_or_default();
        let mut total = Decimal::ZERO;
        for amount in by_family.values() {
            add(&mut total, *amount)?;
        }
        add(&mut range_revenue, total)?;
        let doing: Vec<i64> =
            transacting.iter().filter(|(_, months)| months.contains(&month)).map(|(r, _)| *r).collect();
        let new: Vec<i64> = first_month.iter().filter(|(_, m)| **m == month).map(|(r, _)| *r).collect();
        let running = active.get(&month).cloned().unwrap_or_default();
        months.push(InsightsMonth {
            month: month.to_string(),
            partial: range.partial(month),
            active: running.len() as u64,
            transacting: doing.len() as u64,
            new: new.len() as u64,
            revenue: sees_money.then(|| reported(total)),
            // A family whose lines add up to nothing (Tax only, or cancelled out) is not shown.
            revenue_by_family: sees_money
                .then(|| by_family.into_iter().filter(|(_, v)| !v.is_zero()).map(|(f, v)| (f, reported(v))).collect()),
        });
        all_active.extend(running);
        all_transacting.extend(doing);
        all_new.extend(new);
    }
    Ok(InsightsSummary {
        as_of: range.as_of.to_string(),
        months,
        range: InsightsRange {
            from: range.months[0].to_string(),
            to: range.last().to_string(),
            active: all_active.len() as u64,
            transacting: all_transacting.len() as u64,
            new: all_new.len() as u64,
            revenue: sees_money.then(|| reported(range_revenue)),
        },
    })
}
