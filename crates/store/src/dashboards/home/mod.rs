//! Home's reads (seed 000, docs/metrics.md §2): the dashboard's panes from the scope's daily
//! rollup ([`panes`]), who is in scope on a day ([`accounts`], [`onboarding`]), and the reports behind the panes'
//! menus from the service × month and monthly rollups ([`reports`]), the count of a month's
//! accounts from the customer × month rollup ([`month_accounts`]).

mod account_parts;
pub mod accounts;
mod month_accounts;
pub mod onboarding;
pub mod panes;
mod part;
pub mod reports;
mod rollup_totals;

pub use accounts::{account_counts, open_issues_by_customer};
pub use onboarding::onboarding_customers;
pub use panes::home_dashboard;
pub use reports::{
    RevenueMonth, marketplace_by_month, projection_by_service, revenue_customers, revenue_of_month, revenue_overview,
    revenue_report,
};
