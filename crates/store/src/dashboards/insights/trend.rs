//! Revenue trend (`GET /insights/revenue-trend`): per reseller its revenue by family month by
//! month over the range, searched by name or external id, sorted by the range's revenue or by
//! name, paged.

use std::collections::BTreeMap;

use domain::api::{ListQuery, Page, ResellerTrend, TrendMonth};
use domain::kinds::OrgKind;
use domain::metrics::reported;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{Range, activity, history};
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
    let (first, last) = (range.months[0], range.last());
    // Sorted and paged on the totals of the reseller × month grain; only the page's resellers
    // are read by product for their families.
    let resellers = organization::Entity::find()
        .select_only()
        .columns([organization::Column::Id, organization::Column::Name, organization::Column::ExternalId])
        .filter(scope.organizations())
        .filter(organization::Column::Kind.eq(OrgKind::Reseller.as_str()))
        .into_tuple::<(i64, String, Option<String>)>()
        .all(store.db());
    let (history, resellers) =
        tokio::try_join!(history::history(store, scope, (first, last), range.as_of, false), async {
            Ok(resellers.await?)
        })?;
    let history = history.revenue;
    let q = list.q.as_deref().map(str::to_lowercase);
    let found = |text: &str| q.as_ref().is_none_or(|q| text.to_lowercase().contains(q.as_str()));
    let mut ranked = Vec::new();
    for (id, name, external_id) in resellers {
        if !(found(&name) || external_id.as_deref().is_some_and(found)) {
            continue;
        }
        let mut total = Decimal::ZERO;
        for amount in history.get(&id).into_iter().flat_map(BTreeMap::values) {
            add(&mut total, *amount)?;
        }
        ranked.push((id, name, external_id, reported(total)));
    }
    let (field, descending) = list.sort.map_or(("revenue", true), |s| (s.field, s.descending));
    ranked.sort_by(|a, b| {
        let order = match field {
            "name" => a.1.cmp(&b.1),
            _ => a.3.cmp(&b.3),
        };
        let order = if descending { order.reverse() } else { order };
        order.then_with(|| a.1.cmp(&b.1)).then(a.0.cmp(&b.0))
    });
    let total = ranked.len() as u64;
    let skip = Ord::min(list.page.saturating_sub(1).saturating_mul(list.per_page), total) as usize;
    let page: Vec<_> = ranked.into_iter().skip(skip).take(list.per_page as usize).collect();
    let ids: Vec<i64> = page.iter().map(|(id, ..)| *id).collect();
    let revenue = activity::revenue(store, scope, &ids, first, last, range.as_of).await?;
    let mut items = Vec::with_capacity(page.len());
    for (reseller_id, name, external_id, revenue_total) in page {
        let mut months = Vec::with_capacity(range.months.len());
        for &month in &range.months {
            let by_family = revenue.get(&(reseller_id, month)).cloned().unwrap_or_default();
            let mut in_month = Decimal::ZERO;
            for amount in by_family.values() {
                add(&mut in_month, *amount)?;
            }
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
        items.push(ResellerTrend { reseller_id, external_id, name, revenue: revenue_total, months });
    }
    Ok(Page { items, total, page: list.page, per_page: list.per_page })
}
