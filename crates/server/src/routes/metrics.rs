//! `GET /metrics`: the Prometheus scrape (crate::metrics says what it holds). Not behind a
//! user's token — a scraper has none — but behind `TIERDASH_METRICS_TOKEN` when set, else open
//! to loopback clients only: route timings and queue sizes are the operator's, not a tenant's.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use secrecy::ExposeSecret;

use crate::error::ApiError;
use crate::metrics::{Gauges, Metrics};
use crate::state::AppState;

/// The server's metrics in the Prometheus text format: requests and their latency per route,
/// imports, renewals, the report queue and the database pool. With `TIERDASH_METRICS_TOKEN`
/// set it asks for that token as a bearer token; without, it answers loopback clients only.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "The metrics", body = String, content_type = "text/plain; version=0.0.4"),
        (status = 401, description = "The metrics token is missing or wrong", body = domain::api::Problem, content_type = "application/problem+json"),
        (status = 403, description = "No metrics token is set and the client is not on loopback", body = domain::api::Problem, content_type = "application/problem+json")
    ),
    security(("metrics_token" = []))
)]
#[get("/metrics")]
pub async fn get_metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
    metrics: web::Data<Metrics>,
) -> Result<HttpResponse, ApiError> {
    allowed(&req, &state)?;
    let gauges = Gauges {
        reports: store::reports::counts_by_status(&state.store).await?,
        pool: Some(state.store.pool_stats()),
        answers: Some(state.answers.stats()),
    };
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(metrics.render(&gauges)))
}

fn allowed(req: &HttpRequest, state: &AppState) -> Result<(), ApiError> {
    match &state.metrics_token {
        Some(token) => {
            let sent = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or("");
            if constant_time_eq(sent.as_bytes(), token.expose_secret().as_bytes()) {
                Ok(())
            } else {
                Err(ApiError::Unauthorized("the metrics token is missing or wrong"))
            }
        }
        None if req.peer_addr().is_some_and(|peer| peer.ip().is_loopback()) => Ok(()),
        None => Err(ApiError::Forbidden("set TIERDASH_METRICS_TOKEN to scrape from another host".into())),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Registers this area's routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_metrics);
}
