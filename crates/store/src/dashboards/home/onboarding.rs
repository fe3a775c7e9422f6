//! Customers still onboarding on a day (docs/metrics.md §2.6): how many, and the [`LISTED`]
//! longest in their stage. A tree's are counted from `onboarding_days` and listed stage by stage
//! from an index ordered by the stage's date; a reseller's from its customers' index.

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::OnboardingCustomer;
use domain::kinds::{OnboardingStage, OrgKind};
use futures_util::future::try_join_all;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::accounts::{LISTED, summed_days};
use crate::dashboards::end_of;
use crate::entities::organization;
use crate::{Scope, Store, StoreError, stored};

/// How long a customer has been in its stage is counted from this: what both the page's order
/// and the tree's index (`ix_organizations_tenant_stage_since`) are written with.
const STAGE_SINCE: &str = "COALESCE(onboarding_stage_at, created_at)";

/// The onboarding stages still open.
fn open_stages() -> impl Iterator<Item = &'static str> {
    OnboardingStage::ALL.iter().filter(|s| **s != OnboardingStage::Completed).map(|s| s.as_str())
}

/// Customers counted on `as_of` whose onboarding is not completed: the [`LISTED`] longest in
/// their stage, and how many in all. A tree's are counted from `onboarding_days` and listed
/// stage by stage ([`longest_in_stage`]), a reseller's from its customers' index.
pub async fn onboarding_customers(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
) -> Result<(Vec<OnboardingCustomer>, u64), StoreError> {
    use organization::Column;
    let (total, ids) = match scope.kind {
        OrgKind::Distributor => {
            let counted = summed_days(store, "onboarding_days WHERE tenant_id = ?", vec![scope.org_id.into()], as_of);
            let (counted, ids) = tokio::try_join!(counted, longest_in_stage(store, scope.org_id, as_of))?;
            (counted.0, ids)
        }
        _ => resellers_onboarding(store, scope, as_of).await?,
    };
    let mut rows = organization::Entity::find().filter(Column::Id.is_in(ids.iter().copied())).all(store.db()).await?;
    rows.sort_by_key(|org| ids.iter().position(|id| *id == org.id));
    let listed = rows
        .into_iter()
        .map(|org| {
            let stage =
                stored::parse(org.onboarding_stage.as_deref().unwrap_or_default(), "organizations.onboarding_stage")?;
            let since = org.onboarding_stage_at.unwrap_or(org.created_at);
            Ok(OnboardingCustomer {
                customer_id: org.id,
                name: org.name,
                external_id: org.external_id,
                reseller_id: org.parent_id,
                stage,
                since,
                days_in_stage: whole_days(since, as_of),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((listed, total))
}

/// Customers counted on `as_of` (created by its end, not closed by it), of the tree or parent
/// `column` names.
fn counted_customers(column: organization::Column, id: i64, as_of: NaiveDate) -> sea_orm::Select<organization::Entity> {
    use organization::Column;
    let next = end_of(as_of);
    organization::Entity::find()
        .filter(column.eq(id))
        .filter(Column::Kind.eq(OrgKind::Customer.as_str()))
        .filter(Column::CreatedAt.lt(next))
        .filter(Condition::any().add(Column::ClosedAt.is_null()).add(Column::ClosedAt.gte(next)))
}

/// A tree's [`LISTED`] onboarding customers longest in their stage: the first of each open stage
/// in the order of the tree's (tree, kind, stage, since, id) index, each read stopping after a
/// page, then merged. Ordering them all at once sorted every onboarding customer of the tree.
/// The stages are read at once, on as many connections: one after the other, each statement's
/// round trip to SQLite's thread added to Home's time.
async fn longest_in_stage(store: &Store, tenant: i64, as_of: NaiveDate) -> Result<Vec<i64>, StoreError> {
    use organization::Column;
    let pages = open_stages().map(|stage| {
        counted_customers(Column::TenantId, tenant, as_of)
            .select_only()
            .columns([Column::Id, Column::OnboardingStageAt, Column::CreatedAt])
            .filter(Column::OnboardingStage.eq(stage))
            .order_by_asc(Expr::cust(STAGE_SINCE))
            .order_by_asc(Column::Id)
            .limit(LISTED)
            .into_tuple::<(i64, Option<DateTime<Utc>>, DateTime<Utc>)>()
            .all(store.db())
    });
    let mut found: Vec<(DateTime<Utc>, i64)> = Vec::new();
    for page in try_join_all(pages).await? {
        found.extend(page.into_iter().map(|(id, since, created)| (since.unwrap_or(created), id)));
    }
    found.sort_unstable();
    Ok(found.into_iter().take(LISTED as usize).map(|(_, id)| id).collect())
}

/// A reseller's onboarding customers: how many, and the [`LISTED`] longest in their stage. With
/// the stages listed, the index on (parent, kind, stage, created, closed, stage since) answers the
/// count and the order, and only the page's rows are read.
async fn resellers_onboarding(store: &Store, scope: &Scope, as_of: NaiveDate) -> Result<(u64, Vec<i64>), StoreError> {
    use organization::Column;
    let select =
        counted_customers(Column::ParentId, scope.org_id, as_of).filter(Column::OnboardingStage.is_in(open_stages()));
    let listed_ids = select
        .clone()
        .select_only()
        .column(Column::Id)
        .order_by_asc(Expr::cust(STAGE_SINCE))
        .order_by_asc(Column::Id)
        .limit(LISTED)
        .into_tuple::<i64>()
        .all(store.db());
    Ok(tokio::try_join!(select.count(store.db()), listed_ids)?)
}

/// Calendar days from the UTC day of `since` to `as_of`, never negative.
fn whole_days(since: DateTime<Utc>, as_of: NaiveDate) -> i64 {
    Ord::max((as_of - since.date_naive()).num_days(), 0)
}
