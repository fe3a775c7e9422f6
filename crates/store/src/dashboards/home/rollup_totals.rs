//! Revenue and cost (every category but Tax) of a run of months, for Home's reports: by (month,
//! provider, service, category) from the service × month rollup, a few rows a month, and, when
//! asked, by customer account (`account_parts`). Grouping the monthly rollup itself by service had
//! SQLite sort every row: the 12-month overview took 0.8 s at 1M (docs/performance.md §11). Exact
//! to `as_of`: in `as_of`'s month the rated lines dated after it are taken away.

use std::collections::HashMap;
use std::hash::Hash;

use chrono::NaiveDate;
use domain::focus::ChargeCategory;
use domain::metrics::Month;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::account_parts::{Source, account_parts};
use super::part::Part;
use crate::entities::{billing_line_item, service_month_rollup};
use crate::rollups::{contribution, rated_after};
use crate::{Scope, Store, StoreError, stored};

/// What the rollup rows of a group share.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Group {
    pub(super) month: Month,
    pub(super) provider: String,
    pub(super) service: String,
    pub(super) category: ChargeCategory,
}

/// The months' parts by group and by customer account.
#[derive(Debug, Default)]
pub(super) struct RollupTotals {
    groups: HashMap<Group, Part>,
    customers: HashMap<i64, Part>,
}

impl RollupTotals {
    /// The groups' parts summed by `key`; a sum left with no line (every line of it dated after
    /// `as_of`) is left out.
    pub(super) fn by<'a, K: Eq + Hash>(&'a self, key: impl Fn(&'a Group) -> K) -> Result<HashMap<K, Part>, StoreError> {
        let mut out: HashMap<K, Part> = HashMap::new();
        for (group, part) in &self.groups {
            out.entry(key(group)).or_default().add_part(part)?;
        }
        out.retain(|_, part| part.lines > 0);
        Ok(out)
    }

    /// Each customer account's part, accounts left with no line left out.
    pub(super) fn customers(self) -> HashMap<i64, Part> {
        let mut customers = self.customers;
        customers.retain(|_, part| part.lines > 0);
        customers
    }
}

/// Whether a read of [`rollup_totals`] sums each customer account's part too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Accounts {
    Summed,
    Not,
}

/// The rated lines in scope of `as_of`'s month dated after it when `last` is that month (none
/// otherwise): what the rollups hold and a figure to `as_of` leaves out. Read once per request,
/// for [`rollup_totals`] and whatever else the request corrects with them.
pub(super) async fn lines_after(
    store: &Store,
    scope: &Scope,
    last: Month,
    as_of: NaiveDate,
) -> Result<Vec<billing_line_item::Model>, StoreError> {
    match last == Month::of(as_of) {
        true => rated_after(store, scope, as_of).await,
        false => Ok(Vec::new()),
    }
}

/// The parts of the months `first..=last` (ending at or before `as_of`'s month) in scope: the
/// groups from the service × month rollup, and, when asked, each account's from the monthly
/// rollup; `later` is [`lines_after`]`(last, as_of)`.
pub(super) async fn rollup_totals(
    store: &Store,
    scope: &Scope,
    (first, last): (Month, Month),
    as_of: NaiveDate,
    accounts: Accounts,
    later: &[billing_line_item::Model],
) -> Result<RollupTotals, StoreError> {
    use service_month_rollup::Column;
    if last > Month::of(as_of) {
        return Err(StoreError::invalid("month", format!("{last} is after as_of ({as_of})")));
    }
    let groups = service_month_rollup::Entity::find()
        .select_only()
        .columns([Column::Month, Column::Provider, Column::Service, Column::ChargeCategory])
        .columns([Column::BilledUsd, Column::EffectiveUsd, Column::LineCount])
        .filter(Column::OrgId.eq(scope.org_id))
        .filter(Column::Month.gte(first.to_string()))
        .filter(Column::Month.lte(last.to_string()))
        .filter(Column::ChargeCategory.ne(ChargeCategory::Tax.as_str()))
        .into_tuple::<(String, String, String, String, String, String, i64)>()
        .all(store.db());
    let customers = async {
        match accounts {
            Accounts::Summed => {
                // Lines after `as_of` take lines away from accounts: only the monthly rollup
                // counts them (`account_parts`).
                let source = if later.is_empty() { Source::CustomerMonths } else { Source::Monthly };
                account_parts(store, scope, (first, last), source).await
            }
            Accounts::Not => Ok(HashMap::new()),
        }
    };
    let (groups, customers) = tokio::try_join!(async { Ok::<_, StoreError>(groups.await?) }, customers)?;
    let mut totals = RollupTotals { customers, ..RollupTotals::default() };
    for (month, provider, service, category, billed, effective, lines) in groups {
        // As the row-by-row read did, a category this version does not know counts for nothing.
        let Ok(category) = category.parse::<ChargeCategory>() else { continue };
        let group = Group { month: stored::parse(&month, "service_month_rollups.month")?, provider, service, category };
        totals.groups.entry(group).or_default().add(
            stored::parse(&billed, "service_month_rollups.billed_usd")?,
            stored::parse(&effective, "service_month_rollups.effective_usd")?,
            lines,
        )?;
    }
    for line in later {
        let Some((key, sums)) = contribution(line)? else { continue };
        let Ok(category) = key.category.parse::<ChargeCategory>() else { continue };
        if !category.counts_as_revenue() {
            continue;
        }
        let month = stored::parse(key.month, "billing_line_items.charge_period_start")?;
        let group = Group { month, provider: key.provider.to_owned(), service: key.service.to_owned(), category };
        let (revenue, cost) = (-sums.billed_usd, -sums.effective_usd);
        totals.groups.entry(group).or_default().add(revenue, cost, -sums.lines)?;
        if accounts == Accounts::Summed {
            totals.customers.entry(key.customer_id).or_default().add(revenue, cost, -sums.lines)?;
        }
    }
    Ok(totals)
}
