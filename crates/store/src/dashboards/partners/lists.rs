//! New partners (resellers created in the 30 days ending `as_of`, with their subscriptions and
//! revenue since) and inactive new partners (created in the N days ending it, with no non-trial
//! subscription started since), each paged (docs/metrics.md §7, §8).

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use domain::api::{InactivePartner, NewPartner, Page};
use domain::focus::ChargeCategory;
use domain::kinds::OrgKind;
use domain::metrics::reported;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::dashboards::end_of;
use crate::entities::{daily_rollup, organization, subscription};
use crate::{Scope, Store, StoreError, raw_sql, stored};

/// The resellers in scope created in (`as_of` − `days`, `as_of`], latest first (a reseller's
/// own scope has none).
async fn created_within(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
    days: u32,
) -> Result<Vec<organization::Model>, StoreError> {
    use organization::Column;
    if scope.kind != OrgKind::Distributor {
        return Ok(Vec::new());
    }
    let from = end_of(as_of - Days::new(u64::from(days)));
    Ok(organization::Entity::find()
        .filter(scope.organizations())
        .filter(Column::Kind.eq(OrgKind::Reseller.as_str()))
        .filter(Column::CreatedAt.gte(from))
        .filter(Column::CreatedAt.lt(end_of(as_of)))
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .all(store.db())
        .await?)
}

/// Each reseller's non-trial subscriptions started from its creation day to `as_of`.
async fn paid_subscriptions(
    store: &Store,
    scope: &Scope,
    resellers: &[organization::Model],
    as_of: NaiveDate,
) -> Result<HashMap<i64, u64>, StoreError> {
    use subscription::Column;
    let created: HashMap<i64, NaiveDate> = resellers.iter().map(|r| (r.id, r.created_at.date_naive())).collect();
    let mut counts = HashMap::new();
    for part in resellers.chunks(500) {
        let rows = subscription::Entity::find()
            .select_only()
            .column(Column::ResellerId)
            .column(Column::StartDate)
            .filter(in_tree(store, scope.tenant_id))
            .filter(Column::ResellerId.is_in(part.iter().map(|r| r.id)))
            .filter(Column::Trial.eq(false))
            .filter(Column::StartDate.lte(as_of))
            .into_tuple::<(i64, NaiveDate)>()
            .all(store.db())
            .await?;
        for (reseller, start) in rows {
            if created.get(&reseller).is_some_and(|since| start >= *since) {
                *counts.entry(reseller).or_default() += 1;
            }
        }
    }
    Ok(counts)
}

/// The subscriptions of tree `tenant`, read by the resellers' (reseller, start) index rather than
/// the (tree, start) one, which reads every subscription of the tree for a few resellers.
fn in_tree(store: &Store, tenant: i64) -> Condition {
    raw_sql::equal_unindexed(store.db().get_database_backend(), "subscriptions", "tenant_id", tenant)
}

/// A reseller's revenue from `since` to `as_of`, from the daily rollup (every category but Tax).
async fn revenue_since(
    store: &Store,
    reseller: i64,
    since: NaiveDate,
    as_of: NaiveDate,
) -> Result<Decimal, StoreError> {
    use daily_rollup::Column;
    let rows = daily_rollup::Entity::find()
        .select_only()
        .column(Column::BilledUsd)
        .filter(Column::OrgId.eq(reseller))
        .filter(Column::Day.gte(since))
        .filter(Column::Day.lte(as_of))
        .filter(Column::ChargeCategory.ne(ChargeCategory::Tax.as_str()))
        .into_tuple::<String>()
        .all(store.db())
        .await?;
    rows.iter().try_fold(Decimal::ZERO, |sum, v| Ok(sum + stored::parse::<Decimal>(v, "daily_rollups.billed_usd")?))
}

/// One page of a list held whole.
pub(super) fn page_of<T>(all: Vec<T>, page: u64, per_page: u64) -> Page<T> {
    let total = all.len() as u64;
    let skip = Ord::min(page.saturating_sub(1).saturating_mul(per_page), total) as usize;
    Page { items: all.into_iter().skip(skip).take(per_page as usize).collect(), total, page, per_page }
}

/// One page of the resellers created in the 30 days ending `as_of`, latest first.
pub async fn new_partners(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
    sees_money: bool,
    page: u64,
    per_page: u64,
) -> Result<Page<NewPartner>, StoreError> {
    let resellers = created_within(store, scope, as_of, 30).await?;
    let subscriptions = paid_subscriptions(store, scope, &resellers, as_of).await?;
    let shown = page_of(resellers, page, per_page);
    let mut items = Vec::with_capacity(shown.items.len());
    for r in shown.items {
        let revenue = match sees_money {
            true => Some(reported(revenue_since(store, r.id, r.created_at.date_naive(), as_of).await?)),
            false => None,
        };
        items.push(NewPartner {
            reseller_id: r.id,
            external_id: r.external_id,
            name: r.name,
            created_at: r.created_at,
            country: r.country,
            subscriptions: subscriptions.get(&r.id).copied().unwrap_or(0),
            revenue,
        });
    }
    Ok(Page { items, total: shown.total, page: shown.page, per_page: shown.per_page })
}

/// One page of the resellers created in the `days` ending `as_of` with no non-trial
/// subscription started since, latest first.
pub async fn inactive_new_partners(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
    days: u32,
    page: u64,
    per_page: u64,
) -> Result<Page<InactivePartner>, StoreError> {
    let resellers = created_within(store, scope, as_of, days).await?;
    let subscriptions = paid_subscriptions(store, scope, &resellers, as_of).await?;
    let inactive = resellers
        .into_iter()
        .filter(|r| !subscriptions.contains_key(&r.id))
        .map(|r| InactivePartner {
            reseller_id: r.id,
            external_id: r.external_id,
            name: r.name,
            created_at: r.created_at,
        })
        .collect();
    Ok(page_of(inactive, page, per_page))
}
