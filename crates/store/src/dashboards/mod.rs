//! The dashboards' reads, one folder per dashboard (docs/metrics.md), and the helpers they
//! share. Every figure comes from the rollups, so its cost does not grow with the line items; an
//! `as_of` inside a month is exact all the same.
//!
//! A new dashboard is a folder here and one `pub mod` line.

pub mod home;
pub mod insights;
pub(crate) mod labels;
pub(crate) mod packed;
pub mod partners;

use chrono::{DateTime, Days, NaiveDate, Utc};
use domain::api::RevenueFigures;
use domain::kinds::OrgKind;
use domain::metrics::reported;
use rust_decimal::Decimal;

use crate::{Scope, StoreError};

/// The first instant after `day` (UTC): "on or before the day" is "before this".
pub(crate) fn end_of(day: NaiveDate) -> DateTime<Utc> {
    (day + Days::new(1)).and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()
}

/// Dashboards are for a distributor or a reseller; a customer's users have no Home page.
pub(crate) fn dashboard_scope(scope: &Scope) -> Result<(), StoreError> {
    match scope.kind {
        OrgKind::Distributor | OrgKind::Reseller => Ok(()),
        OrgKind::Customer => Err(StoreError::Forbidden("dashboards are for distributors and resellers")),
    }
}

/// Adds to a running total; a sum too large to hold exactly is refused, not a panic.
pub(crate) fn add(total: &mut Decimal, value: Decimal) -> Result<(), StoreError> {
    *total = total.checked_add(value).ok_or_else(too_large)?;
    Ok(())
}

fn too_large() -> StoreError {
    StoreError::invalid("as_of", "the totals are too large to add up exactly")
}

/// Revenue, cost and margin as reported (rounded at the edge, each on its own).
pub(crate) fn figures(revenue: Decimal, cost: Decimal) -> Result<RevenueFigures, StoreError> {
    let margin = revenue.checked_sub(cost).ok_or_else(too_large)?;
    Ok(RevenueFigures { total: reported(revenue), cost: reported(cost), margin: reported(margin) })
}
