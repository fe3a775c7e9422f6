//! The console's counts on a day, each with the API list it counts, and partner acquisition.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use domain::api::{CountTile, PartnerAcquisition};
use domain::kinds::{LicenseStatus, OrgKind, OrgStatus};
use domain::metrics::Month;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

use crate::dashboards::end_of;
use crate::dashboards::home::accounts::tree_days;
use crate::entities::{organization, service_plan, subscription};
use crate::{Scope, Store, StoreError};

/// The count tiles.
pub(super) struct Tiles {
    pub enabled_customers: CountTile,
    pub active_partners: CountTile,
    pub enabled_service_plans: CountTile,
    pub license_status: BTreeMap<String, CountTile>,
}

/// Organisations of `kind` in scope counted on `as_of`: created by its end and not closed by
/// then (docs/metrics.md rulings). The organisation list's `as_of` filter is this condition.
pub(crate) fn counted_on(as_of: NaiveDate) -> Condition {
    use organization::Column;
    let next = end_of(as_of);
    Condition::all()
        .add(Column::CreatedAt.lt(next))
        .add(Condition::any().add(Column::ClosedAt.is_null()).add(Column::ClosedAt.gte(next)))
}

/// Organisations of `kind` in scope counted on `as_of` whose status is `active`. For a whole
/// tree: the count on the day from `account_days` less those counted whose status is another
/// (an index range over the few suspended or closed ones), so that 100,000 customers are not
/// counted one by one; for a reseller, an index range over its own.
async fn active_on(store: &Store, scope: &Scope, kind: OrgKind, as_of: NaiveDate) -> Result<u64, StoreError> {
    use organization::Column;
    let db = store.db();
    if scope.kind != OrgKind::Distributor {
        return Ok(organization::Entity::find()
            .filter(scope.organizations())
            .filter(Column::Kind.eq(kind.as_str()))
            .filter(Column::Status.eq(OrgStatus::Active.as_str()))
            .filter(counted_on(as_of))
            .count(db)
            .await?);
    }
    let (counted, _) = tree_days(store, scope.org_id, kind, as_of).await?;
    let others: Vec<&str> = OrgStatus::ALL.iter().filter(|s| **s != OrgStatus::Active).map(|s| s.as_str()).collect();
    let inactive = organization::Entity::find()
        .filter(Column::TenantId.eq(scope.org_id))
        .filter(Column::Kind.eq(kind.as_str()))
        .filter(Column::Status.is_in(others))
        .filter(counted_on(as_of))
        .count(db)
        .await?;
    Ok(counted.saturating_sub(inactive))
}

/// Per licence status, the customers counted on `as_of` holding a subscription with that
/// (current) status started by then, counted by the database: each subscription's customer is
/// checked by its primary key (a correlated `EXISTS`), so the cost follows the subscriptions, not
/// the customers, and a few rows cross the driver instead of every subscription.
async fn licence_holders(store: &Store, scope: &Scope, as_of: NaiveDate) -> Result<HashMap<String, u64>, StoreError> {
    use subscription::Column;
    let counted = Query::select()
        .expr(Expr::val(1))
        .from(organization::Entity)
        .and_where(
            Expr::col((organization::Entity, organization::Column::Id))
                .equals((subscription::Entity, Column::CustomerId)),
        )
        .cond_where(counted_on(as_of))
        .to_owned();
    let held = subscription::Entity::find()
        .select_only()
        .column(Column::LicenseStatus)
        .expr(Func::count_distinct(Expr::col((subscription::Entity, Column::CustomerId))))
        .filter(scope.subscriptions())
        .filter(Column::StartDate.lte(as_of))
        .filter(Expr::exists(counted))
        .group_by(Column::LicenseStatus)
        .into_tuple::<(String, i64)>()
        .all(store.db())
        .await?;
    Ok(held.into_iter().map(|(status, customers)| (status, u64::try_from(customers).unwrap_or(0))).collect())
}

pub(super) async fn tiles(store: &Store, scope: &Scope, as_of: NaiveDate) -> Result<Tiles, StoreError> {
    let db = store.db();
    let day = as_of.format("%Y-%m-%d");
    let enabled_customers = active_on(store, scope, OrgKind::Customer, as_of).await?;
    let active_partners = active_on(store, scope, OrgKind::Reseller, as_of).await?;
    let plans = service_plan::Entity::find()
        .filter(service_plan::Column::TenantId.eq(scope.tenant_id))
        .filter(service_plan::Column::Enabled.eq(true))
        .count(db)
        .await?;
    let holders = licence_holders(store, scope, as_of).await?;
    let license_status = LicenseStatus::ALL
        .iter()
        .map(|status| {
            let count = holders.get(status.as_str()).copied().unwrap_or(0);
            let list = format!("/api/v1/organizations?kind=customer&license_status={}&as_of={day}", status.as_str());
            (status.as_str().to_owned(), CountTile { count, list })
        })
        .collect();
    Ok(Tiles {
        enabled_customers: CountTile {
            count: enabled_customers,
            list: format!("/api/v1/organizations?kind=customer&status=active&as_of={day}"),
        },
        active_partners: CountTile {
            count: active_partners,
            list: format!("/api/v1/organizations?kind=reseller&status=active&as_of={day}"),
        },
        enabled_service_plans: CountTile { count: plans, list: "/api/v1/service-plans?enabled=true".into() },
        license_status,
    })
}

/// Resellers enrolled (created, closed ones included) in each month of `as_of`'s year up to its
/// month, and in every month of the year before.
pub(super) async fn acquisition(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
) -> Result<PartnerAcquisition, StoreError> {
    use organization::Column;
    let month = Month::of(as_of);
    let year = as_of.year();
    let mut this_year = BTreeMap::new();
    let mut last_year = BTreeMap::new();
    for m in 1..=12u32 {
        if m <= as_of.month() {
            this_year.insert(format!("{year:04}-{m:02}"), 0);
        }
        last_year.insert(format!("{:04}-{m:02}", year - 1), 0);
    }
    let start =
        NaiveDate::from_ymd_opt(year - 1, 1, 1).unwrap_or(as_of).and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let created = organization::Entity::find()
        .select_only()
        .column(Column::CreatedAt)
        .filter(scope.organizations())
        .filter(Column::Kind.eq(OrgKind::Reseller.as_str()))
        .filter(Column::CreatedAt.gte(start))
        .filter(Column::CreatedAt.lt(end_of(as_of)))
        .into_tuple::<chrono::DateTime<chrono::Utc>>()
        .all(store.db())
        .await?;
    for at in created {
        let key = format!("{:04}-{:02}", at.year(), at.month());
        if let Some(n) = this_year.get_mut(&key).or_else(|| last_year.get_mut(&key)) {
            *n += 1;
        }
    }
    Ok(PartnerAcquisition {
        this_year,
        last_year,
        partial_month: month.is_partial_on(as_of).then(|| month.to_string()),
    })
}
