//! Each customer account's revenue and cost over a run of months, for Home's reports that rank
//! or list accounts (a month's accounts, the overview's top customers), read packed
//! (`dashboards/packed.rs`), one row a month. Grouped by month alone, the rows come in the order
//! of the (tree, month) index and SQLite sorts nothing; each month is summed as it arrives, while
//! SQLite packs the next (docs/performance.md §11).
//!
//! From the customer × month rollup, one row per account and month (its revenue and cost leave
//! Tax out), when no line of the months is dated after `as_of`: a third of the monthly rollup's
//! rows at 10M lines. An account is one with a revenue line (not Tax): the row counts as a line
//! unless its revenue and cost are zero and the monthly rollup holds no row of the account's month
//! but Tax, which the statement looks up for those rows alone. When lines come after `as_of`,
//! whose accounts they leave without a line needs every account's line count: then from the
//! monthly rollup but Tax, its rows' line counts, which `rollup_totals` corrects.

use std::collections::HashMap;

use domain::focus::ChargeCategory;
use domain::metrics::Month;
use futures_util::{Stream, TryStreamExt};
use sea_orm::{ColumnTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QuerySelect};

use super::part::Part;
use crate::dashboards::packed::{packed, unpacked};
use crate::entities::{customer_month_rollup, monthly_rollup};
use crate::{Scope, Store, StoreError, raw_sql, stored};

/// Which rollup an account's part is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    /// The customer × month rollup: each row one line if the account has a revenue line then.
    CustomerMonths,
    /// The monthly rollup but Tax: each row its line count.
    Monthly,
}

/// Each customer account's part of the months `first..=last` in scope; accounts with no revenue
/// line have `lines` 0.
pub(super) async fn account_parts(
    store: &Store,
    scope: &Scope,
    (first, last): (Month, Month),
    source: Source,
) -> Result<HashMap<i64, Part>, StoreError> {
    let backend = store.db().get_database_backend();
    match source {
        Source::CustomerMonths => {
            use customer_month_rollup::Column;
            let months = customer_month_rollup::Entity::find()
                .select_only()
                .column(Column::Month)
                .expr_as(packed(backend, "customer_id"), "customers")
                .expr_as(packed(backend, "billed_usd"), "billed")
                .expr_as(packed(backend, "effective_usd"), "effective")
                .expr_as(packed(backend, &with_revenue_line(backend)), "lines")
                .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
                .filter(Column::Month.gte(first.to_string()))
                .filter(Column::Month.lte(last.to_string()))
                .group_by(Column::Month)
                .into_tuple::<(String, String, String, String, String)>()
                .stream(store.db())
                .await?;
            summed(months, "customer_month_rollups").await
        }
        Source::Monthly => {
            use monthly_rollup::Column;
            let months = monthly_rollup::Entity::find()
                .select_only()
                .column(Column::Month)
                .expr_as(packed(backend, "customer_id"), "customers")
                .expr_as(packed(backend, "billed_usd"), "billed")
                .expr_as(packed(backend, "effective_usd"), "effective")
                .expr_as(packed(backend, "line_count"), "lines")
                .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
                .filter(Column::Month.gte(first.to_string()))
                .filter(Column::Month.lte(last.to_string()))
                .filter(Column::ChargeCategory.ne(ChargeCategory::Tax.as_str()))
                .group_by(Column::Month)
                .into_tuple::<(String, String, String, String, String)>()
                .stream(store.db())
                .await?;
            summed(months, "monthly_rollups").await
        }
    }
}

/// 1 when a customer × month row's account has a revenue line that month, else 0: its revenue or
/// cost is not zero, or the monthly rollup holds a row of it but Tax (looked up only for rows of
/// zero revenue and cost; a decimal text is zero when it has no digit but 0).
pub(super) fn with_revenue_line(backend: DbBackend) -> String {
    let zero = |column: &str| {
        format!("NOT ({})", raw_sql::decimal_not_zero(backend, &format!("customer_month_rollups.{column}")))
    };
    format!(
        "(CASE WHEN {} AND {} AND NOT EXISTS (SELECT 1 FROM monthly_rollups m \
         WHERE m.reseller_id = customer_month_rollups.reseller_id AND m.month = customer_month_rollups.month \
         AND m.customer_id = customer_month_rollups.customer_id AND m.charge_category <> '{}') THEN 0 ELSE 1 END)",
        zero("billed_usd"),
        zero("effective_usd"),
        ChargeCategory::Tax.as_str(),
    )
}

/// The packed months summed per account as they arrive.
async fn summed(
    months: impl Stream<Item = Result<(String, String, String, String, String), DbErr>>,
    table: &str,
) -> Result<HashMap<i64, Part>, StoreError> {
    let mut months = std::pin::pin!(months);
    let (billed_column, effective_column) = (format!("{table}.billed_usd"), format!("{table}.effective_usd"));
    let mut parts: HashMap<i64, Part> = HashMap::new();
    while let Some((month, customers, billed, effective, lines)) = months.try_next().await? {
        let what = format!("{table} of {month}");
        for [customer, billed, effective, lines] in unpacked([&customers, &billed, &effective, &lines], &what)? {
            parts.entry(customer.parse().map_err(|_| StoreError::Corrupt(what.clone()))?).or_default().add(
                stored::parse(billed, &billed_column)?,
                stored::parse(effective, &effective_column)?,
                lines.parse().map_err(|_| StoreError::Corrupt(what.clone()))?,
            )?;
        }
    }
    Ok(parts)
}
