//! The JSON wire types of the REST API (docs/api.md).
//!
//! Doc comments here become the OpenAPI descriptions integrators read. Requests refuse unknown
//! fields, so a misspelt field is an error rather than silently ignored. Money travels as a
//! decimal string, dates as ISO 8601.

pub mod api_keys;
pub mod auth;
pub mod billing;
pub mod billing_accounts;
pub mod catalog;
pub mod common;
pub mod dashboards;
pub mod invoices;
pub mod nullable;
pub mod organizations;
pub mod portal;
pub mod reports;
pub mod subscriptions;
pub mod users;
pub mod without_money;

pub use api_keys::*;
pub use auth::*;
pub use billing::*;
pub use billing_accounts::*;
pub use catalog::*;
pub use common::*;
pub use dashboards::*;
pub use invoices::*;
pub use organizations::*;
pub use portal::*;
pub use reports::*;
pub use subscriptions::*;
pub use users::*;
