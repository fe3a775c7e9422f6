//! The Partners dashboard (docs/metrics.md §8, seed 001): the distributor's console on a day —
//! count tiles, partner acquisition year over year, new partners, inactive new partners and
//! falling chargeable units. A
//! reseller gets the same answer over its own subtree: its customers, no partner rows.

mod lists;
mod tiles;
mod units;

pub use lists::{inactive_new_partners, new_partners};
pub(crate) use tiles::counted_on;
pub use units::decreasing_units_page;

use chrono::NaiveDate;
use domain::api::{InactiveNewPartners, NewPartners, PartnersDashboard};

use crate::dashboards::dashboard_scope;
use crate::{Scope, Store, StoreError};

/// Items a dashboard list holds; the rest are on its paged list.
pub const LISTED: u64 = 100;

/// The dashboard on `as_of`; `sees_money` says whether revenue is included.
pub async fn partners_dashboard(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
    inactive_days: u32,
    threshold_pct: rust_decimal::Decimal,
    sees_money: bool,
) -> Result<PartnersDashboard, StoreError> {
    dashboard_scope(scope)?;
    let day = as_of.format("%Y-%m-%d").to_string();
    let tiles = tiles::tiles(store, scope, as_of).await?;
    let acquisition = tiles::acquisition(store, scope, as_of).await?;
    let new = lists::new_partners(store, scope, as_of, sees_money, 1, LISTED).await?;
    let inactive = lists::inactive_new_partners(store, scope, as_of, inactive_days, 1, LISTED).await?;
    let decreasing_units = units::decreasing_units(store, scope, as_of, threshold_pct).await?;
    let decreasing_units = units::listed(decreasing_units, as_of, threshold_pct);
    Ok(PartnersDashboard {
        enabled_customers: tiles.enabled_customers,
        active_partners: tiles.active_partners,
        enabled_service_plans: tiles.enabled_service_plans,
        customer_license_status: tiles.license_status,
        partner_acquisition: acquisition,
        new_partners: NewPartners {
            total: new.total,
            items: new.items,
            list: format!("/api/v1/dashboards/partners/new-partners?as_of={day}"),
        },
        inactive_new_partners: InactiveNewPartners {
            days: inactive_days,
            total: inactive.total,
            items: inactive.items,
            list: format!(
                "/api/v1/dashboards/partners/inactive-new-partners?as_of={day}&inactive_days={inactive_days}"
            ),
        },
        decreasing_units,
        as_of: day,
        // Filled by the caller for a role that sees reports (`reports::status_tiles`).
        usage_report_status: None,
        billing_report_status: None,
    })
}
