//! Revenue trend (`GET /insights/revenue-trend`): per reseller its revenue by family month by
//! month over the range, searched by name or external id, sorted by the range's revenue or by
//! name, paged.

use domain::api::{ListQuery, Page, ResellerTrend, TrendMonth};
use domain::kinds::OrgKind;
use domain::metrics::reported;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{Range, activity};
use crate::dashboards::{add, dashboard_scope};
use crate::entities::organization;
use crate::{Scope, Store, StoreError};

/// One page of the resellers' trends; by default the largest revenue first.
pub async fn revenue_trend(
    store: &Store,
    scope: &Scope,
    range: &Range,
    list: &ListQuery,
) -> Result<Page<ResellerTrend>, StoreError> {
    dashboard_scope(scope)?;
    let revenue = activity::revenue(store, scope, range.months[0], range.last(), range.as_of).await?;
    let resellers = organization::Entity::find()
        .filter(scope.organizations())
        .filter(organization::Column::Kind.eq(OrgKind::Reseller.as_str()))
        .all(store.db())
        .await?;
    let q = list.q.as_deref().map(str::to_lowercase);
    let mut trends = Vec::new();
    for r in resellers {
        let found = |text: &str| q.as_ref().is_none_or(|q| text.to_lowercase().contains(q.as_str()));
        if !(found(&r.name) || r.external_id.as_deref().is_some_and(found)) {
            continue;
        }
        let mut total = Decimal::ZERO;
        let mut months = Vec::with_capacity(range.months.len());
        for &month in &range.months {
            let by_family = revenue.get(&(r.id, month)).cloned().unwrap_or_default();
            let mut in_month = Decimal::ZERO;
            for amount in by_family.values() {
                add(&mut in_month, *amount)?;
            }
            add(&mut total, in_month)?;
            months.push(TrendMonth {
                month: month.to_string(),
                revenue: reported(in_month),
                revenue_by_family: by_family
                    .into_iter()
                    .filter(|(_, v)| !v.is_zero())
                    .map(|(f, v)| (f, reported(v)))
                    .collect(),
            });
        }
        trends.push(ResellerTrend {
            reseller_id: r.id,
            external_id: r.external_id,
            name: r.name,
            revenue: reported(total),
            months,
        });
    }
    let (field, descending) = list.sort.map_or(("revenue", true), |s| (s.field, s.descending));
    trends.sort_by(|a, b| {
        let order = match field {
            "name" => a.name.cmp(&b.name),
            _ => a.revenue.cmp(&b.revenue),
        };
        let order = if descending { order.reverse() } else { order };
        order.then_with(|| a.name.cmp(&b.name)).then(a.reseller_id.cmp(&b.reseller_id))
    });
    let total = trends.len() as u64;
    let skip = Ord::min(list.page.saturating_sub(1).saturating_mul(list.per_page), total) as usize;
    let items = trends.into_iter().skip(skip).take(list.per_page as usize).collect();
    Ok(Page { items, total, page: list.page, per_page: list.per_page })
}
