//! The pages, one module each.

mod as_of;
mod billing;
mod home;
mod login;
mod moved;
mod not_found;
mod onboarding;
mod organization;
pub(crate) mod organizations;
mod portal;
mod reports;
mod revenue_customers;
mod settings;
mod shell;

pub use billing::BillingIssuesPage;
pub use home::Home;
pub use login::Login;
pub use moved::MovedTo;
pub use not_found::NotFound;
pub use onboarding::OnboardingPage;
pub use organization::OrganizationPage;
pub use organizations::{Customers, Resellers};
pub use portal::Portal;
pub use reports::{MarketplaceReportPage, ProjectionReportPage, RevenueOverviewPage, RevenueReportPage};
pub use settings::{ApiKeysSettings, FxRatesSettings, UsersSettings};
pub use shell::Shell;
