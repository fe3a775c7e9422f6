//! How many customer accounts have revenue lines (any category but Tax) in a month, for the
//! month's revenue report, without summing each account's figures: every account with lines in
//! the month has one customer × month row (an index count), less the accounts whose lines are all
//! Tax — among the rows with zero revenue and cost (Tax is neither), each looked up in the
//! monthly rollup's key in the same statement. Summing every account's figures took ~25 ms at 1M
//! lines, the count ~7 ms (docs/performance.md §11). Lines dated after `as_of` are not known to
//! the rollups' rows: with such lines the report sums its accounts instead (`reports.rs`).

use domain::focus::ChargeCategory;
use domain::metrics::Month;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter};

use crate::entities::customer_month_rollup;
use crate::{Scope, Store, StoreError};

/// The table counted.
const ROWS: &str = "customer_month_rollups";

/// How many customer accounts in scope have revenue lines in `month`, every line of the month
/// counted.
pub(super) async fn revenue_accounts(store: &Store, scope: &Scope, month: Month) -> Result<u64, StoreError> {
    use customer_month_rollup::Column;
    let backend = store.db().get_database_backend();
    let in_month = || {
        customer_month_rollup::Entity::find()
            .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
            .filter(Column::Month.eq(month.to_string()))
    };
    let only_tax = Expr::cust(format!(
        "{} AND {} AND NOT EXISTS (SELECT 1 FROM monthly_rollups m WHERE m.reseller_id = {ROWS}.reseller_id \
         AND m.month = {ROWS}.month AND m.customer_id = {ROWS}.customer_id AND m.charge_category <> '{}')",
        zero(backend, &format!("{ROWS}.billed_usd")),
        zero(backend, &format!("{ROWS}.effective_usd")),
        ChargeCategory::Tax.as_str(),
    ));
    let (rows, only_tax) =
        tokio::try_join!(in_month().count(store.db()), in_month().filter(only_tax).count(store.db()))?;
    Ok(rows.saturating_sub(only_tax))
}

/// Whether the decimal text in `column` is zero: it has no digit but 0 (decimals are stored as
/// plain text, never in exponent form).
fn zero(backend: DbBackend, column: &str) -> String {
    match backend {
        DbBackend::Sqlite => format!("{column} NOT GLOB '*[1-9]*'"),
        _ => format!("{column} !~ '[1-9]'"),
    }
}
