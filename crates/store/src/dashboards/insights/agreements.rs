//! Agreements (`GET /insights/agreements`): each reseller's agreement and vetting status, with
//! the counts per status over every reseller in scope.

use std::collections::BTreeMap;

use domain::api::{InsightsAgreements, ListQuery, ResellerAgreement};
use domain::kinds::OrgKind;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::dashboards::dashboard_scope;
use crate::entities::organization;
use crate::{Scope, Store, StoreError};

/// The status written when none is recorded.
const UNKNOWN: &str = "unknown";

/// The counts, and one page of the resellers by name (searched by name or external id).
pub async fn agreements(store: &Store, scope: &Scope, list: &ListQuery) -> Result<InsightsAgreements, StoreError> {
    dashboard_scope(scope)?;
    let resellers = organization::Entity::find()
        .filter(scope.organizations())
        .filter(organization::Column::Kind.eq(OrgKind::Reseller.as_str()))
        .order_by_asc(organization::Column::Name)
        .order_by_asc(organization::Column::Id)
        .all(store.db())
        .await?;
    let (mut agreement_counts, mut vetting_counts) = (BTreeMap::new(), BTreeMap::new());
    let rows: Vec<ResellerAgreement> = resellers
        .into_iter()
        .map(|r| {
            let agreement = r.agreement_status.unwrap_or_else(|| UNKNOWN.into());
            let vetting = r.vetting_status.unwrap_or_else(|| UNKNOWN.into());
            *agreement_counts.entry(agreement.clone()).or_insert(0) += 1;
            *vetting_counts.entry(vetting.clone()).or_insert(0) += 1;
            ResellerAgreement {
                reseller_id: r.id,
                external_id: r.external_id,
                name: r.name,
                agreement_status: agreement,
                vetting_status: vetting,
            }
        })
        .collect();
    let q = list.q.as_deref().map(str::to_lowercase);
    let found = |r: &ResellerAgreement| {
        q.as_ref().is_none_or(|q| {
            r.name.to_lowercase().contains(q.as_str())
                || r.external_id.as_ref().is_some_and(|e| e.to_lowercase().contains(q.as_str()))
        })
    };
    let shown: Vec<ResellerAgreement> = rows.into_iter().filter(found).collect();
    let total = shown.len() as u64;
    let skip = Ord::min(list.page.saturating_sub(1).saturating_mul(list.per_page), total) as usize;
    Ok(InsightsAgreements {
        agreement_counts,
        vetting_counts,
        items: shown.into_iter().skip(skip).take(list.per_page as usize).collect(),
        total,
        page: list.page,
        per_page: list.per_page,
    })
}
