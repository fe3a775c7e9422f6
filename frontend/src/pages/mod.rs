//! The pages, one module each.

mod as_of;
mod billing;
mod home;
mod imports;
mod insights;
mod invoices;
mod login;
mod moved;
mod not_found;
mod onboarding;
mod organization;
pub(crate) mod organizations;
mod partners;
mod portal;
mod reports;
mod revenue_customers;
mod service_plans;
mod settings;
pub(crate) mod shell;

pub use billing::BillingIssuesPage;
pub use home::Home;
pub use imports::ImportsPage;
pub use insights::InsightsPage;
pub use invoices::{InvoicePage, InvoicesPage};
pub use login::Login;
pub use moved::MovedTo;
pub use not_found::NotFound;
pub use onboarding::OnboardingPage;
pub use organization::OrganizationPage;
pub use organizations::{Customers, Resellers};
pub use partners::PartnersPage;
pub use portal::Portal;
pub use reports::{MarketplaceReportPage, ProjectionReportPage, RevenueOverviewPage, RevenueReportPage};
pub use service_plans::ServicePlans;
pub use settings::{ApiKeysSettings, FxRatesSettings, UsersSettings};
pub use shell::Shell;
