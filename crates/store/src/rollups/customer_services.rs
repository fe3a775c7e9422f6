//! Usage's cut of the monthly grain (seed 003, docs/metrics.md §9): one seller's customers' sums
//! by (customer, service, provider) in a month, every category but Tax, with the consumed
//! quantity beside the chargeable units — what the usage snapshot and the usage reports read.
//!
//! Read from `monthly_rollups`, whose key holds these columns, and summed here. Usage had a grain
//! of its own until migration `m20261207_000004`: in a tree of many customers every import wrote
//! a row of it beside nearly every monthly row (a customer's service in a month mostly has one
//! product and category), for a read made once a month per seller (docs/performance.md §15).

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};

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

/// The monthly rows of a seller's month but Tax (also the billing report's rows).
pub(crate) fn rows_of_seller(seller: i64, month: &str) -> Select<monthly_rollup::Entity> {
    use monthly_rollup::Column;
    monthly_rollup::Entity::find()
        .filter(Column::ResellerId.eq(seller))
        .filter(Column::Month.eq(month))
        .filter(Column::ChargeCategory.ne(TAX))
}

/// Seller `seller`'s customers' usage in `month`, ordered by customer, service and provider: one
/// range of the monthly grain's unique index, which starts with (reseller, month).
///
/// The seller names its tree (an organisation is of one tree), so the tree is not asked: with it,
/// SQLite took the (tree, month) index and read the whole tree's month for each seller.
pub(crate) async fn of_seller(
    db: &impl ConnectionTrait,
    seller: i64,
    month: &str,
) -> Result<Vec<CustomerService>, StoreError> {
    let rows = rows_of_seller(seller, month).all(db).await?;
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

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, QueryTrait, Statement};

    use super::*;
    use crate::Store;

    #[tokio::test]
    async fn a_seller_s_month_is_one_range_of_the_grain_s_unique_index() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        store.migrate().await.unwrap();
        let read = rows_of_seller(7, "2026-11").build(DbBackend::Sqlite);
        let explain = Statement { sql: format!("EXPLAIN QUERY PLAN {}", read.sql), ..read };
        let plan = store.db().query_all_raw(explain).await.unwrap();
        let plan: Vec<String> = plan.iter().map(|row| row.try_get::<String>("", "detail").unwrap()).collect();
        assert_eq!(plan, ["SEARCH monthly_rollups USING INDEX ux_monthly_rollups_grain (reseller_id=? AND month=?)"]);
    }
}
