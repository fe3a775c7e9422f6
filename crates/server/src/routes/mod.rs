//! The API's routes, one module per area, each registering its own services. Each handler
//! extracts, authorises, makes one store call and maps the result to a wire type.

pub mod api_keys;
pub mod auth;
pub mod billing;
pub mod billing_accounts;
pub mod catalog;
pub mod dashboards;
pub mod health;
pub mod invoices;
pub mod metrics;
pub mod organizations;
pub mod portal;
pub mod reports;
pub mod subscriptions;
pub mod usage;
pub mod users;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route: each area registers its own, so a new area is one line.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz).service(health::readyz).configure(metrics::configure).service(
        scope::scope("/api/v1")
            .configure(auth::configure)
            .configure(organizations::configure)
            .configure(catalog::configure)
            .configure(subscriptions::configure)
            .configure(users::configure)
            .configure(api_keys::configure)
            .configure(billing::configure)
            .configure(billing_accounts::configure)
            .configure(invoices::configure)
            .configure(dashboards::configure)
            .configure(portal::configure)
            .configure(usage::configure)
            .configure(reports::configure),
    );
}

/// `201 Created` with a `Location` header.
pub(crate) fn created<T: serde::Serialize>(location: String, body: &T) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Created().insert_header((actix_web::http::header::LOCATION, location)).json(body)
}
