//! How many customer accounts have revenue lines (any category but Tax) in a month, for the
//! month's revenue report, without summing each account's figures: the customer × month rows of
//! the month (one per account with lines), each counted when its account has a revenue line then
//! (`account_parts::with_revenue_line`). Summing every account's figures took ~25 ms at 1M lines,
//! the count ~7 ms (docs/performance.md §11). Lines dated after `as_of` are not known to the
//! rollups' rows: with such lines the report sums its accounts instead (`reports.rs`).

use domain::metrics::Month;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::account_parts::with_revenue_line;
use crate::entities::customer_month_rollup;
use crate::{Scope, Store, StoreError};

/// How many customer accounts in scope have revenue lines in `month`, every line of the month
/// counted.
pub(super) async fn revenue_accounts(store: &Store, scope: &Scope, month: Month) -> Result<u64, StoreError> {
    use customer_month_rollup::Column;
    let backend = store.db().get_database_backend();
    let accounts = customer_month_rollup::Entity::find()
        .select_only()
        .expr(Expr::cust(format!("COALESCE(SUM({}), 0)", with_revenue_line(backend))))
        .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
        .filter(Column::Month.eq(month.to_string()))
        .into_tuple::<i64>()
        .one(store.db())
        .await?;
    Ok(accounts.unwrap_or(0).max(0) as u64)
}
