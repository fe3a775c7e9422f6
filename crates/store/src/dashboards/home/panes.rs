//! The Home dashboard (seed 000): revenue, projection and marketplace spend from the scope's
//! daily rollup, then the account panes.

use chrono::{Datelike, NaiveDate};
use domain::api::{HomeDashboard, MarketplaceSpend, PaneAction, ProjectedRevenue};
use domain::focus::ChargeCategory;
use domain::metrics::{Month, change_pct, projected, projection_available, reported};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{accounts, onboarding};
use crate::dashboards::{add, dashboard_scope, figures};
use crate::entities::daily_rollup;
use crate::{Scope, Store, StoreError, stored};

/// One day's sums for one (marketplace, category) in the scope.
#[derive(Debug, Clone)]
pub struct DayRow {
    /// The day.
    pub day: NaiveDate,
    /// `x_Marketplace`.
    pub marketplace: bool,
    /// `ChargeCategory`.
    pub category: ChargeCategory,
    /// Billed USD.
    pub billed: Decimal,
    /// Effective USD.
    pub effective: Decimal,
}

/// The scope's daily rows in [from, to].
pub async fn day_rows(store: &Store, scope: &Scope, from: NaiveDate, to: NaiveDate) -> Result<Vec<DayRow>, StoreError> {
    rows_where(store, scope, from, to, Condition::all()).await
}

/// The rows Home's panes read: every row of `month` to `as_of`, and the marketplace rows of the
/// month before (its only figures Home compares with). Why not both months whole: this is the
/// page's slowest read, and the driver hands its rows over one at a time (docs/performance.md
/// §11).
async fn home_rows(store: &Store, scope: &Scope, month: Month, as_of: NaiveDate) -> Result<Vec<DayRow>, StoreError> {
    use daily_rollup::Column;
    let wanted = Condition::any().add(Column::Day.gte(month.first_day())).add(Column::Marketplace.eq(true));
    rows_where(store, scope, month.previous().first_day(), as_of, wanted).await
}

/// The scope's daily rows in [from, to] that meet `wanted`.
async fn rows_where(
    store: &Store,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    wanted: Condition,
) -> Result<Vec<DayRow>, StoreError> {
    use daily_rollup::Column;
    // Only the columns used: the driver copies every value of every row.
    daily_rollup::Entity::find()
        .select_only()
        .columns([Column::Day, Column::Marketplace, Column::ChargeCategory, Column::BilledUsd, Column::EffectiveUsd])
        .filter(Column::OrgId.eq(scope.org_id))
        .filter(Column::Day.gte(from))
        .filter(Column::Day.lte(to))
        .filter(wanted)
        .into_tuple::<(NaiveDate, bool, String, String, String)>()
        .all(store.db())
        .await?
        .into_iter()
        .map(|(day, marketplace, category, billed, effective)| {
            Ok(DayRow {
                day,
                marketplace,
                category: stored::parse(&category, "daily_rollups.charge_category")?,
                billed: stored::parse(&billed, "daily_rollups.billed_usd")?,
                effective: stored::parse(&effective, "daily_rollups.effective_usd")?,
            })
        })
        .collect()
}

/// The day of the scope's first rated line item dated on or before `as_of`.
pub async fn first_rated_day(store: &Store, scope: &Scope, as_of: NaiveDate) -> Result<Option<NaiveDate>, StoreError> {
    use daily_rollup::Column;
    Ok(daily_rollup::Entity::find()
        .select_only()
        .column(Column::Day)
        .filter(Column::OrgId.eq(scope.org_id))
        .filter(Column::Day.lte(as_of))
        .order_by_asc(Column::Day)
        .limit(1)
        .into_tuple()
        .one(store.db())
        .await?)
}

/// Sums kept apart the way the Home panes need them.
#[derive(Debug, Default)]
struct MonthSums {
    revenue: Decimal,
    cost: Decimal,
    usage: Decimal,
    marketplace: Decimal,
}

fn month_sums<'a>(rows: impl Iterator<Item = &'a DayRow>) -> Result<MonthSums, StoreError> {
    let mut sums = MonthSums::default();
    for row in rows.filter(|r| r.category.counts_as_revenue()) {
        add(&mut sums.revenue, row.billed)?;
        add(&mut sums.cost, row.effective)?;
        if row.category.is_usage() {
            add(&mut sums.usage, row.billed)?;
        }
        if row.marketplace {
            add(&mut sums.marketplace, row.billed)?;
        }
    }
    Ok(sums)
}

/// The marketplace revenue of `rows`: all the month before is compared on, and all `home_rows`
/// holds of it.
fn marketplace_sum<'a>(rows: impl Iterator<Item = &'a DayRow>) -> Result<Decimal, StoreError> {
    let mut sum = Decimal::ZERO;
    for row in rows.filter(|r| r.marketplace && r.category.counts_as_revenue()) {
        add(&mut sum, row.billed)?;
    }
    Ok(sum)
}

/// The Home dashboard for `scope` on `as_of`; money figures only when `show_money`.
pub async fn home_dashboard(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
    show_money: bool,
) -> Result<HomeDashboard, StoreError> {
    dashboard_scope(scope)?;
    let month = Month::of(as_of);
    // The reads do not depend on each other: each on a connection of its own, the page waits
    // for the slowest rather than for their sum.
    let money = async {
        if !show_money {
            return Ok(None);
        }
        let (rows, first) =
            tokio::try_join!(home_rows(store, scope, month, as_of), first_rated_day(store, scope, as_of))?;
        Ok::<_, StoreError>(Some((rows, first)))
    };
    let (accounts, (onboarding, onboarding_total), (billing_issues, billing_issues_total), money) = tokio::try_join!(
        accounts::account_counts(store, scope, as_of),
        onboarding::onboarding_customers(store, scope, as_of),
        accounts::open_issues_by_customer(store, scope, as_of),
        money,
    )?;
    let mut home = HomeDashboard {
        as_of,
        month,
        org_id: scope.org_id,
        org_kind: scope.kind,
        figures_hidden: !show_money,
        current_month_revenue: None,
        projected_monthly_revenue: None,
        marketplace_spend: None,
        accounts,
        onboarding,
        onboarding_total,
        billing_issues_empty: billing_issues
            .is_empty()
            .then(|| PaneAction { label: "View billing".into(), href: "/billing".into() }),
        billing_issues,
        billing_issues_total,
    };
    let Some((rows, first_rated)) = money else { return Ok(home) };
    let current = month_sums(rows.iter().filter(|r| r.day >= month.first_day()))?;
    let previous = marketplace_sum(rows.iter().filter(|r| r.day < month.first_day()))?;
    let same_day_last_month = same_day_of_previous_month(as_of);
    let previous_to_date = marketplace_sum(rows.iter().filter(|r| r.day <= same_day_last_month))?;
    home.current_month_revenue = Some(figures(current.revenue, current.cost)?);
    home.projected_monthly_revenue = Some(match projection_available(first_rated, as_of) {
        Ok(()) => {
            let value = current
                .revenue
                .checked_sub(current.usage)
                .and_then(|non_usage| projected(non_usage, current.usage, as_of))
                .ok_or_else(|| StoreError::invalid("as_of", "the projection is too large to compute exactly"))?;
            ProjectedRevenue { available: true, value: Some(reported(value)), reason: None }
        }
        Err(reason) => ProjectedRevenue { available: false, value: None, reason: Some(reason) },
    });
    home.marketplace_spend = Some(MarketplaceSpend {
        current: reported(current.marketplace),
        previous: reported(previous),
        change_pct: change_pct(current.marketplace, previous),
        previous_to_date: reported(previous_to_date),
        change_to_date_pct: change_pct(current.marketplace, previous_to_date),
        partial: month.is_partial_on(as_of),
    });
    Ok(home)
}

/// `as_of`'s day of month in the month before, or that month's last day when it is shorter
/// (31 March is compared with the whole of February): the end of "the same days last month".
fn same_day_of_previous_month(as_of: NaiveDate) -> NaiveDate {
    let previous = Month::of(as_of).previous();
    previous.first_day().with_day(as_of.day()).unwrap_or_else(|| previous.last_day())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_same_days_last_month_end_on_the_same_day_or_the_months_end() {
        assert_eq!(same_day_of_previous_month(day("2026-12-01")), day("2026-11-01"));
        assert_eq!(same_day_of_previous_month(day("2026-12-15")), day("2026-11-15"));
        assert_eq!(same_day_of_previous_month(day("2026-03-31")), day("2026-02-28"));
        assert_eq!(same_day_of_previous_month(day("2026-01-31")), day("2025-12-31"));
    }
}
