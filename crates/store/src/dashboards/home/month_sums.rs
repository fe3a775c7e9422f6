//! A month's revenue and cost by service and by customer account (every category but Tax), for
//! the revenue report and its accounts' list, summed from the monthly rollup read packed
//! (`dashboards/packed.rs`): one row per service holding its rows' amounts, and one row holding
//! every row's customer and amounts. Read row by row, a month of the 1M tree (42,709 rows) took
//! ~190 ms crossing the driver (docs/performance.md §11). Service names are only the groups' keys,
//! never packed, so a comma in one changes nothing. Exact to `as_of`: in `as_of`'s month the rated
//! lines dated after it are taken away.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use domain::focus::ChargeCategory;
use domain::metrics::Month;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::dashboards::add;
use crate::dashboards::packed::{packed, unpacked};
use crate::entities::monthly_rollup;
use crate::rollups::{contribution, rated_after};
use crate::{Scope, Store, StoreError, stored};

/// Revenue, cost and lines of a service or an account in the month.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Part {
    pub(super) revenue: Decimal,
    pub(super) cost: Decimal,
    pub(super) lines: i64,
}

impl Part {
    fn add(&mut self, revenue: Decimal, cost: Decimal, lines: i64) -> Result<(), StoreError> {
        add(&mut self.revenue, revenue)?;
        add(&mut self.cost, cost)?;
        self.lines += lines;
        Ok(())
    }

    /// Adds another part (a service's to the month's total).
    pub(super) fn add_part(&mut self, other: &Part) -> Result<(), StoreError> {
        self.add(other.revenue, other.cost, other.lines)
    }
}

/// The month's parts by service and by customer; a service or account left with no line (every
/// line of it dated after `as_of`) is left out.
pub(super) async fn month_sums(
    store: &Store,
    scope: &Scope,
    month: Month,
    as_of: NaiveDate,
) -> Result<(BTreeMap<String, Part>, HashMap<i64, Part>), StoreError> {
    use monthly_rollup::Column;
    let backend = store.db().get_database_backend();
    let rows = || {
        monthly_rollup::Entity::find()
            .select_only()
            .expr_as(packed(backend, "billed_usd"), "billed")
            .expr_as(packed(backend, "effective_usd"), "effective")
            .expr_as(packed(backend, "line_count"), "lines")
            .filter(scope.rollup_rows(Column::TenantId, Column::ResellerId))
            .filter(Column::Month.eq(month.to_string()))
            .filter(Column::ChargeCategory.ne(ChargeCategory::Tax.as_str()))
    };
    let services = rows()
        .column(Column::Service)
        .group_by(Column::Service)
        .into_tuple::<(String, String, String, String)>()
        .all(store.db());
    let customers = rows()
        .expr_as(packed(backend, "customer_id"), "customers")
        .group_by(Column::Month)
        .into_tuple::<(String, String, String, String)>()
        .one(store.db());
    let (services, customers) = tokio::try_join!(services, customers)?;
    let what = format!("monthly rollup of {month}");
    let mut by_service: BTreeMap<String, Part> = BTreeMap::new();
    for (billed, effective, lines, service) in services {
        let part = by_service.entry(service).or_default();
        for [billed, effective, lines] in unpacked([&billed, &effective, &lines], &what)? {
            let (revenue, cost, lines) = amounts(billed, effective, lines, &what)?;
            part.add(revenue, cost, lines)?;
        }
    }
    let mut by_customer: HashMap<i64, Part> = HashMap::new();
    if let Some((billed, effective, lines, customers)) = customers {
        for [billed, effective, lines, customer] in unpacked([&billed, &effective, &lines, &customers], &what)? {
            let (revenue, cost, lines) = amounts(billed, effective, lines, &what)?;
            let customer = customer.parse::<i64>().map_err(|_| StoreError::Corrupt(what.clone()))?;
            by_customer.entry(customer).or_default().add(revenue, cost, lines)?;
        }
    }
    if month == Month::of(as_of) {
        take_away_later(store, scope, as_of, &mut by_service, &mut by_customer).await?;
    }
    by_service.retain(|_, part| part.lines > 0);
    by_customer.retain(|_, part| part.lines > 0);
    Ok((by_service, by_customer))
}

/// A packed row's amounts, parsed exactly.
fn amounts(billed: &str, effective: &str, lines: &str, what: &str) -> Result<(Decimal, Decimal, i64), StoreError> {
    Ok((
        stored::parse(billed, "monthly_rollups.billed_usd")?,
        stored::parse(effective, "monthly_rollups.effective_usd")?,
        lines.parse().map_err(|_| StoreError::Corrupt(what.to_owned()))?,
    ))
}

/// Takes away the rated lines of `as_of`'s month dated after it ([`rated_after`]).
async fn take_away_later(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
    by_service: &mut BTreeMap<String, Part>,
    by_customer: &mut HashMap<i64, Part>,
) -> Result<(), StoreError> {
    for line in &rated_after(store, scope, as_of).await? {
        let Some((key, sums)) = contribution(line)? else { continue };
        if key.category == ChargeCategory::Tax.as_str() {
            continue;
        }
        let (revenue, cost) = (-sums.billed_usd, -sums.effective_usd);
        by_service.entry(key.service.to_owned()).or_default().add(revenue, cost, -sums.lines)?;
        by_customer.entry(key.customer_id).or_default().add(revenue, cost, -sums.lines)?;
    }
    Ok(())
}
