//! The dashboards' reads, one folder per dashboard (docs/metrics.md), and the helpers they
//! share. Every figure comes from the rollups, so its cost does not grow with the line items; an
//! `as_of` inside a month is exact all the same.
//!
//! A new dashboard is a folder here and one `pub mod` line.

pub mod home;
pub mod insights;
pub(crate) mod packed;
pub mod partners;

use chrono::{DateTime, Days, NaiveDate, Utc};
use domain::api::RevenueFigures;
use domain::kinds::OrgKind;
use domain::metrics::reported;
use rust_decimal::Decimal;

use crate::{Scope, StoreError};

/// The first instant after `day` (UTC): "on or before the day" is "before this".
pub(crate) fn end_of(day: NaiveDate) -> DateTime<Utc> {
    (day + Days::new(1)).and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()
}

/// Dashboards are for a distributor or a reseller; a customer's users have no Home page.
pub(crate) fn dashboard_scope(scope: &Scope) -> Result<(), StoreError> {
    match scope.kind {
        OrgKind::Distributor | OrgKind::Reseller => Ok(()),
        OrgKind::Customer => Err(StoreError::Forbidden("dashboards are for distributors and resellers")),
    }
}

/// Organisations by id (customers named in a breakdown or an issue list), read in chunks.
pub(crate) async fn orgs_by_id(
    store: &crate::Store,
    ids: impl Iterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, crate::entities::organization::Model>, StoreError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let ids: Vec<i64> = ids.collect();
    let mut found = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let orgs = crate::entities::organization::Entity::find()
            .filter(crate::entities::organization::Column::Id.is_in(chunk.to_vec()))
            .all(store.db())
            .await?;
        found.extend(orgs.into_iter().map(|org| (org.id, org)));
    }
    Ok(found)
}

/// Organisations' names and external ids by id, read in chunks: for lists that show no more of
/// them (a whole row per organisation, hundreds crossing the driver, cost more than the list).
pub(crate) async fn names_by_id(
    store: &crate::Store,
    ids: impl Iterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, (String, Option<String>)>, StoreError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

    use crate::entities::organization::{Column, Entity};
    let ids: Vec<i64> = ids.collect::<std::collections::BTreeSet<i64>>().into_iter().collect();
    let mut found = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let names = Entity::find()
            .select_only()
            .columns([Column::Id, Column::Name, Column::ExternalId])
            .filter(Column::Id.is_in(chunk.to_vec()))
            .into_tuple::<(i64, String, Option<String>)>()
            .all(store.db())
            .await?;
        found.extend(names.into_iter().map(|(id, name, external_id)| (id, (name, external_id))));
    }
    Ok(found)
}

/// Adds to a running total; a sum too large to hold exactly is refused, not a panic.
pub(crate) fn add(total: &mut Decimal, value: Decimal) -> Result<(), StoreError> {
    *total = total.checked_add(value).ok_or_else(too_large)?;
    Ok(())
}

fn too_large() -> StoreError {
    StoreError::invalid("as_of", "the totals are too large to add up exactly")
}

/// Revenue, cost and margin as reported (rounded at the edge, each on its own).
pub(crate) fn figures(revenue: Decimal, cost: Decimal) -> Result<RevenueFigures, StoreError> {
    let margin = revenue.checked_sub(cost).ok_or_else(too_large)?;
    Ok(RevenueFigures { total: reported(revenue), cost: reported(cost), margin: reported(margin) })
}
