//! The pages, one module each.

mod home;
mod login;
mod not_found;
mod organization;
mod organizations;
mod shell;

pub use home::Home;
pub use login::Login;
pub use not_found::NotFound;
pub use organization::OrganizationPage;
pub use organizations::{Customers, Resellers};
pub use shell::Shell;
