//! Each reseller's revenue per month over a window of months ending `last` (at most `as_of`'s
//! month), from the reseller × month rollup: one row per reseller and month, whatever the number
//! of products (docs/performance.md §11a). In `as_of`'s month less the lines dated after `as_of`.
//! The distributor's own direct customers are not a reseller's and are left out.
//!
//! The months before the window are not read: what a view needs of them (R5: whether a reseller
//! transacting in the range is new) is one question per reseller, answered by the database from
//! the first such month it finds ([`History::earlier`]).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use domain::kinds::OrgKind;
use domain::metrics::Month;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::activity::revenue_after;
use crate::dashboards::packed::{packed, unpacked};
use crate::entities::{organization, reseller_month_rollup};
use crate::{Scope, Store, StoreError, dashboards, raw_sql, stored};

/// Revenue (without Tax) by reseller, then month, over the window read.
pub(super) type Revenue = BTreeMap<i64, BTreeMap<Month, Decimal>>;

/// The window's revenue and, when asked for, the resellers that transacted before it.
#[derive(Debug, Default)]
pub(super) struct History {
    /// Revenue by reseller and month from the window's first month to its last.
    pub(super) revenue: Revenue,
    /// The resellers with revenue in a month before the window (when asked for).
    pub(super) earlier: BTreeSet<i64>,
}

impl History {
    /// Each reseller's transacting months in the window (revenue not zero, R2).
    pub(super) fn transacting(&self) -> BTreeMap<i64, BTreeSet<Month>> {
        self.revenue
            .iter()
            .map(|(reseller, months)| {
                (*reseller, months.iter().filter(|(_, revenue)| !revenue.is_zero()).map(|(m, _)| *m).collect())
            })
            .filter(|(_, months): &(i64, BTreeSet<Month>)| !months.is_empty())
            .collect()
    }

    /// Of the window's `transacting` months ([`History::transacting`]), each reseller's first
    /// month ever, for those whose first is in the window (new in that month, R5); right only when
    /// the history was read with `earlier`.
    pub(super) fn first_months(&self, transacting: &BTreeMap<i64, BTreeSet<Month>>) -> BTreeMap<i64, Month> {
        transacting
            .iter()
            .filter(|(reseller, _)| !self.earlier.contains(reseller))
            .filter_map(|(reseller, months)| Some((*reseller, *months.first()?)))
            .collect()
    }
}

/// Every reseller's revenue per month from `from` to `last` (at most `as_of`'s month), exact to
/// `as_of`; with `earlier` also which of those transacting in it did so before `from`.
pub(super) async fn history(
    store: &Store,
    scope: &Scope,
    (from, last): (Month, Month),
    as_of: NaiveDate,
    earlier: bool,
) -> Result<History, StoreError> {
    use reseller_month_rollup::Column;
    let backend = store.db().get_database_backend();
    let months = reseller_month_rollup::Entity::find()
        .select_only()
        .column(Column::Month)
        .expr_as(packed(backend, "reseller_id"), "resellers")
        .expr_as(packed(backend, "billed_usd"), "billed")
        .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
        .filter(Column::ResellerId.ne(scope.tenant_id))
        .filter(Column::Month.gte(from.to_string()))
        .filter(Column::Month.lte(last.to_string()))
        .group_by(Column::Month)
        .into_tuple::<(String, String, String)>()
        .all(store.db());
    let earlier_ones = async {
        match earlier {
            true => transacted_before(store, scope, from).await,
            false => Ok(BTreeSet::new()),
        }
    };
    // At once: each statement waits on the database, not on the others.
    let (months, after, earlier) =
        tokio::try_join!(async { Ok(months.await?) }, revenue_after(store, scope, last, as_of), earlier_ones)?;
    let mut history = History { revenue: Revenue::default(), earlier };
    for (month, resellers, billed) in months {
        let month: Month = month.parse().map_err(|_| StoreError::Corrupt(format!("rollup month {month}")))?;
        let what = format!("reseller month rollup of {month}");
        for [reseller, billed] in unpacked([&resellers, &billed], &what)? {
            let reseller = reseller.parse::<i64>().map_err(|_| StoreError::Corrupt(what.clone()))?;
            let amount = stored::parse(billed, "reseller_month_rollups.billed_usd")?;
            history.revenue.entry(reseller).or_default().insert(month, amount);
        }
    }
    for (reseller, _, _, billed) in after {
        if reseller != scope.tenant_id {
            dashboards::add(
                history.revenue.entry(reseller).or_default().entry(Month::of(as_of)).or_default(),
                -billed,
            )?;
        }
    }
    Ok(history)
}

/// The resellers in scope with revenue in a month before `from`. Each is one seek of the
/// rollup's (reseller, month) index that stops at the first such month (a correlated `EXISTS`),
/// so the cost follows the resellers, not the months of history before the window. Months before
/// `from` end before `as_of`'s, so their rows are whole.
async fn transacted_before(store: &Store, scope: &Scope, from: Month) -> Result<BTreeSet<i64>, StoreError> {
    use reseller_month_rollup::{Column, Entity};
    let backend = store.db().get_database_backend();
    let earlier = Query::select()
        .expr(Expr::val(1))
        .from(Entity)
        .and_where(Expr::col((Entity, Column::ResellerId)).equals((organization::Entity, organization::Column::Id)))
        .and_where(Expr::col((Entity, Column::Month)).lt(from.to_string()))
        .and_where(Expr::cust(raw_sql::decimal_not_zero(backend, "reseller_month_rollups.billed_usd")))
        .to_owned();
    let found = organization::Entity::find()
        .select_only()
        .column(organization::Column::Id)
        .filter(scope.organizations())
        .filter(organization::Column::Kind.eq(OrgKind::Reseller.as_str()))
        .filter(Expr::exists(earlier))
        .into_tuple::<i64>()
        .all(store.db())
        .await?;
    Ok(found.into_iter().collect())
}
