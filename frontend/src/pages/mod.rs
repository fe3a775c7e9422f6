//! The pages, one module each.

mod as_of;
mod home;
mod login;
mod not_found;
mod organization;
mod organizations;
mod portal;
mod reports;
mod shell;

pub use home::Home;
pub use login::Login;
pub use not_found::NotFound;
pub use organization::OrganizationPage;
pub use organizations::{Customers, Resellers};
pub use portal::Portal;
pub use reports::{MarketplaceReportPage, ProjectionReportPage, RevenueOverviewPage, RevenueReportPage};
pub use shell::Shell;
