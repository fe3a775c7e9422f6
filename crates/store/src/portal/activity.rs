//! User activity from integrators (one row per reseller, customer, user and day) and the
//! active-users series of the portal.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Days, NaiveDate};
use domain::api::{ActiveUsersPoint, ActiveUsersRange, ActiveUsersSeries, ActivityBatch, ActivityResult};
use domain::codes::Email;
use domain::kinds::OrgKind;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use super::reseller_of;
use crate::entities::{organization, user_activity};
use crate::{Scope, Store, StoreError};

/// The most items one batch takes.
pub const MAX_BATCH: usize = 10_000;

/// Records a batch, all or nothing; a (customer, user, day) already known is not counted twice.
pub async fn record(store: &Store, scope: &Scope, batch: ActivityBatch) -> Result<ActivityResult, StoreError> {
    if batch.items.len() > MAX_BATCH {
        return Err(StoreError::invalid("items", format!("at most {MAX_BATCH} per batch")));
    }
    let mut v = domain::api::Violations::default();
    let mut rows = Vec::with_capacity(batch.items.len());
    for (i, item) in batch.items.iter().enumerate() {
        match Email::parse(item.user_email.trim()) {
            Ok(email) => rows.push((item.customer_id, email.as_str().to_ascii_lowercase(), item.day)),
            Err(e) => v.add(&format!("items[{i}].user_email"), e.to_string()),
        }
        if !(1900..=9999).contains(&item.day.year()) {
            v.add(&format!("items[{i}].day"), "must be a day between the years 1900 and 9999");
        }
    }
    v.finish().map_err(StoreError::Invalid)?;
    // Each customer must be in scope; its reseller is the one credited with the activity.
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect::<HashSet<_>>().into_iter().collect();
    let mut customers = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        for org in organization::Entity::find()
            .filter(scope.organizations())
            .filter(organization::Column::Kind.eq(OrgKind::Customer.as_str()))
            .filter(organization::Column::Id.is_in(chunk.to_vec()))
            .all(store.db())
            .await?
        {
            customers.insert(org.id, org);
        }
    }
    let mut unknown = domain::api::Violations::default();
    for (i, (customer, _, _)) in rows.iter().enumerate() {
        if !customers.contains_key(customer) {
            unknown.add(&format!("items[{i}].customer_id"), "is not one of your customers");
        }
    }
    unknown.finish().map_err(StoreError::Invalid)?;
    let txn = store.write().await?;
    let mut recorded = 0;
    for chunk in rows.chunks(500) {
        let models = chunk.iter().filter_map(|(customer, email, day)| {
            let org = customers.get(customer)?;
            Some(user_activity::ActiveModel {
                tenant_id: Set(org.tenant_id),
                reseller_id: Set(org.parent_id?),
                customer_id: Set(org.id),
                user_email: Set(email.clone()),
                day: Set(*day),
                ..Default::default()
            })
        });
        recorded += user_activity::Entity::insert_many(models)
            .on_conflict(
                OnConflict::columns([
                    user_activity::Column::ResellerId,
                    user_activity::Column::CustomerId,
                    user_activity::Column::UserEmail,
                    user_activity::Column::Day,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(ActivityResult { received: batch.items.len() as u64, recorded })
}

/// Distinct users of a reseller active in [from, to].
pub(crate) async fn distinct_users(
    store: &Store,
    reseller_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<u64, StoreError> {
    let rows = activity(store, reseller_id, from, to).await?;
    Ok(rows.iter().map(|(_, c, e)| (*c, e.as_str())).collect::<HashSet<_>>().len() as u64)
}

async fn activity(
    store: &Store,
    reseller_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, i64, String)>, StoreError> {
    Ok(user_activity::Entity::find()
        .filter(user_activity::Column::ResellerId.eq(reseller_id))
        .filter(user_activity::Column::Day.gte(from))
        .filter(user_activity::Column::Day.lte(to))
        .all(store.db())
        .await?
        .into_iter()
        .map(|a| (a.day, a.customer_id, a.user_email))
        .collect())
}

/// Distinct active users per day (7 or 30 days) or per week starting Monday (6 months).
pub async fn active_users_series(
    store: &Store,
    scope: &Scope,
    reseller_id: Option<i64>,
    range: ActiveUsersRange,
    as_of: NaiveDate,
) -> Result<ActiveUsersSeries, StoreError> {
    let reseller = reseller_of(store.db(), scope, reseller_id).await?;
    let (from, bucket): (NaiveDate, fn(NaiveDate) -> NaiveDate) = match range {
        ActiveUsersRange::Days7 => (as_of - Days::new(6), |d| d),
        ActiveUsersRange::Days30 => (as_of - Days::new(29), |d| d),
        ActiveUsersRange::Months6 => {
            let monday = |d: NaiveDate| d - Days::new(u64::from(d.weekday().num_days_from_monday()));
            (monday(as_of - Days::new(7 * 25)), monday)
        }
    };
    let mut points: BTreeMap<NaiveDate, HashSet<(i64, String)>> = BTreeMap::new();
    let mut day = from;
    while day <= as_of {
        points.entry(bucket(day)).or_default();
        day = day + Days::new(1);
    }
    for (day, customer, email) in activity(store, reseller.id, from, as_of).await? {
        points.entry(bucket(day)).or_default().insert((customer, email));
    }
    Ok(ActiveUsersSeries {
        range,
        as_of,
        points: points
            .into_iter()
            .map(|(start, users)| ActiveUsersPoint { start, users: users.len() as u64 })
            .collect(),
    })
}
