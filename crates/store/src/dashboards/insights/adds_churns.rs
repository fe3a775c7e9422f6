//! Adds and churns (`GET /insights/adds-churns`, docs/metrics.md §3): per month the resellers
//! enrolled, churned and existing.

use domain::api::{AddsChurns, AddsChurnsMonth};
use domain::kinds::OrgKind;
use domain::metrics::Month;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{Range, history};
use crate::dashboards::{dashboard_scope, end_of};
use crate::entities::organization;
use crate::{Scope, Store, StoreError};

/// How many months without a transaction make a churn: the latest transacting month before m is
/// m − 7 (R4).
const CHURN_GAP: u32 = 7;

/// The month `k` months before `month`.
fn before(month: Month, k: u32) -> Month {
    (0..k).fold(month, |m, _| m.previous())
}

/// Adds and churns over `range`.
pub async fn adds_churns(store: &Store, scope: &Scope, range: &Range) -> Result<AddsChurns, StoreError> {
    dashboard_scope(scope)?;
    // A churn in the range's first month looks back CHURN_GAP months; nothing before matters.
    let from = before(range.months[0], CHURN_GAP);
    let first = range.months[0].first_day().and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let created = organization::Entity::find()
        .select_only()
        .column(organization::Column::CreatedAt)
        .filter(scope.organizations())
        .filter(organization::Column::Kind.eq(OrgKind::Reseller.as_str()))
        .filter(organization::Column::CreatedAt.gte(first))
        .filter(organization::Column::CreatedAt.lt(end_of(range.as_of)))
        .into_tuple::<chrono::DateTime<chrono::Utc>>()
        .all(store.db());
    let (history, created) =
        tokio::try_join!(history::history(store, scope, (from, range.last()), range.as_of, false), async {
            Ok(created.await?)
        })?;
    let transacting = history.transacting();
    let months = range
        .months
        .iter()
        .map(|&month| {
            let enrolled = created.iter().filter(|at| Month::of(at.date_naive()) == month).count() as u64;
            let previous = month.previous();
            let gap = before(month, CHURN_GAP);
            let mut existing = 0;
            let mut churned = 0;
            for months in transacting.values() {
                existing += u64::from(months.contains(&previous));
                // The latest transacting month before this one.
                if months.range(..month).next_back() == Some(&gap) {
                    churned += 1;
                }
            }
            AddsChurnsMonth { month: month.to_string(), partial: range.partial(month), enrolled, churned, existing }
        })
        .collect();
    Ok(AddsChurns { as_of: range.as_of.to_string(), months })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn seven_months_before_is_counted_across_years() {
        let m = Month::of(NaiveDate::from_ymd_opt(2026, 3, 15).unwrap());
        assert_eq!(before(m, CHURN_GAP).to_string(), "2025-08");
    }
}
