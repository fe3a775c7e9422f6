//! The API's routes, one module per area. Each handler extracts, authorises, makes one store
//! call and maps the result to a wire type.

pub mod api_keys;
pub mod auth;
pub mod billing;
pub mod catalog;
pub mod dashboards;
pub mod health;
pub mod organizations;
pub mod portal;
pub mod subscriptions;
pub mod users;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz).service(health::readyz).service(
        scope::scope("/api/v1")
            .service(auth::create_token)
            .service(auth::get_me)
            .service(organizations::list_organizations)
            .service(organizations::create_organization)
            .service(organizations::get_organization)
            .service(organizations::update_organization)
            .service(catalog::list_products)
            .service(catalog::create_product)
            .service(catalog::get_product)
            .service(catalog::update_product)
            .service(catalog::list_service_plans)
            .service(catalog::create_service_plan)
            .service(catalog::get_service_plan)
            .service(catalog::update_service_plan)
            .service(subscriptions::list_subscriptions)
            .service(subscriptions::create_subscription)
            .service(subscriptions::get_subscription)
            .service(subscriptions::update_subscription)
            .service(users::list_users)
            .service(users::create_user)
            .service(users::get_user)
            .service(users::update_user)
            .service(api_keys::list_api_keys)
            .service(api_keys::create_api_key)
            .service(api_keys::revoke_api_key)
            .service(billing::create_import)
            .service(billing::create_json_import)
            .service(billing::list_imports)
            .service(billing::get_import)
            .service(billing::list_fx_rates)
            .service(billing::upsert_fx_rates)
            .service(billing::import_fx_rates)
            .service(billing::list_billing_issues)
            .service(billing::rerate_billing_issues)
            .service(dashboards::get_home)
            .service(dashboards::get_revenue_report)
            .service(dashboards::get_projection_report)
            .service(dashboards::get_marketplace_report)
            .service(dashboards::get_revenue_overview)
            .service(portal::list_ledger)
            .service(portal::create_top_up)
            .service(portal::create_activation)
            .service(portal::list_activations)
            .service(portal::get_activation)
            .service(portal::renew_activation)
            .service(portal::pause_activation)
            .service(portal::resume_activation)
            .service(portal::deactivate_activation)
            .service(portal::get_summary)
            .service(portal::get_active_users)
            .service(portal::record_activity),
    );
}

/// The day a dashboard or the portal is computed for: the one asked for, else today (UTC),
/// within the years the metric arithmetic works in.
pub(crate) fn as_of_or_today(
    requested: Option<chrono::NaiveDate>,
) -> Result<chrono::NaiveDate, crate::error::ApiError> {
    domain::metrics::check_as_of(requested.unwrap_or_else(|| chrono::Utc::now().date_naive()))
        .map_err(|e| crate::error::ApiError::invalid("as_of", e))
}

/// `201 Created` with a `Location` header.
pub(crate) fn created<T: serde::Serialize>(location: String, body: &T) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Created().insert_header((actix_web::http::header::LOCATION, location)).json(body)
}
