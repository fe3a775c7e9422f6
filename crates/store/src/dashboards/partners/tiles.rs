//! The console's counts on a day, each with the API list it counts, and partner acquisition.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use domain::api::{CountTile, PartnerAcquisition};
use domain::kinds::{LicenseStatus, OrgKind, OrgStatus};
use domain::metrics::Month;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

use crate::dashboards::end_of;
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

pub(super) async fn tiles(store: &Store, scope: &Scope, as_of: NaiveDate) -> Result<Tiles, StoreError> {
    use organization::Column;
    let db = store.db();
    let day = as_of.format("%Y-%m-%d");
    let active = |kind: OrgKind| {
        organization::Entity::find()
            .filter(scope.organizations())
            .filter(Column::Kind.eq(kind.as_str()))
            .filter(Column::Status.eq(OrgStatus::Active.as_str()))
            .filter(counted_on(as_of))
    };
    let enabled_customers = active(OrgKind::Customer).count(db).await?;
    let active_partners = active(OrgKind::Reseller).count(db).await?;
    let plans = service_plan::Entity::find()
        .filter(service_plan::Column::TenantId.eq(scope.tenant_id))
        .filter(service_plan::Column::Enabled.eq(true))
        .count(db)
        .await?;

    // Licence status: customers counted on the day, by the current status of the subscriptions
    // they hold that started by then.
    let counted: HashSet<i64> = organization::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(scope.organizations())
        .filter(Column::Kind.eq(OrgKind::Customer.as_str()))
        .filter(counted_on(as_of))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut subscriptions = subscription::Entity::find()
        .select_only()
        .column(subscription::Column::CustomerId)
        .column(subscription::Column::LicenseStatus)
        .filter(subscription::Column::TenantId.eq(scope.tenant_id))
        .filter(subscription::Column::StartDate.lte(as_of));
    if scope.kind == OrgKind::Reseller {
        subscriptions = subscriptions.filter(subscription::Column::ResellerId.eq(scope.org_id));
    }
    let mut holders: HashMap<String, HashSet<i64>> = HashMap::new();
    for (customer, status) in subscriptions.into_tuple::<(i64, String)>().all(db).await? {
        if counted.contains(&customer) {
            holders.entry(status).or_default().insert(customer);
        }
    }
    let license_status = LicenseStatus::ALL
        .iter()
        .map(|status| {
            let count = holders.get(status.as_str()).map_or(0, |c| c.len() as u64);
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
