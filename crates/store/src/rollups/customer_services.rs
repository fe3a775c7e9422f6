//! Usage's cut of the monthly grain (seed 003, docs/metrics.md §6): one seller's customers' sums
//! by (customer, service, provider) in a month, every category but Tax, with the consumed
//! quantity beside the chargeable units — what the usage snapshot and the usage reports read.
//!
//! Read from `monthly_rollups`, whose key holds these columns, and summed here. Usage had a grain
//! of its own until migration `m20261207_000004`: in a tree of many customers it wrote a row
//! beside nearly every monthly row (a customer's service in a month mostly has one product and
//! category), a third of an import's rollup rows, for a read made once a month per seller.

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::grain::TAX;
use super::monthly;
use super::sums::Sums;
use crate::StoreError;
use crate::entities::monthly_rollup;

/// A customer's use of one service in a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CustomerService {
    /// The customer.
    pub customer_id: i64,
    /// `ServiceName`.
    pub service: String,
    /// `ProviderName`.
    pub provider: String,
    /// Billed and effective cost, units, consumed quantity and lines, Tax left out.
    pub sums: Sums,
}

/// Seller `seller`'s customers' usage in `month` of tree `tenant`, ordered by customer, service
/// and provider: one seek of the monthly grain's unique index, which starts with (reseller, month).
pub(crate) async fn of_seller(
    db: &impl ConnectionTrait,
    tenant: i64,
    month: &str,
    seller: i64,
) -> Result<Vec<CustomerService>, StoreError> {
    use monthly_rollup::Column;
    let rows = monthly_rollup::Entity::find()
        .filter(Column::ResellerId.eq(seller))
        .filter(Column::Month.eq(month))
        .filter(Column::TenantId.eq(tenant))
        .filter(Column::ChargeCategory.ne(TAX))
        .all(db)
        .await?;
    let mut by_service: BTreeMap<(i64, String, String), Sums> = BTreeMap::new();
    for row in rows {
        let sums = monthly::sums_of(&row)?;
        by_service.entry((row.customer_id, row.service, row.provider)).or_default().add(&sums, 1)?;
    }
    Ok(by_service
        .into_iter()
        .map(|((customer_id, service, provider), sums)| CustomerService { customer_id, service, provider, sums })
        .collect())
}
