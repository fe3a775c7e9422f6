//! Every error answer as `application/problem+json`. Our handlers build problems themselves
//! ([`crate::error::ApiError`]), but actix answers some requests before a handler runs — a body
//! over its limit (413), a header it cannot read (400) — in plain text, which a client reading
//! problems cannot parse. This middleware rewrites those, keeping their status and headers.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use domain::api::Problem;

/// The middleware: leaves problem answers as they are and rewrites every other 4xx and 5xx.
pub fn middleware<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(as_problem)
}

fn as_problem<B: MessageBody + 'static>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json"));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    // The error actix attached says what went wrong ("A payload reached size limit."); our
    // own words where we have them.
    let detail = match status.as_u16() {
        413 => Some("the request body is larger than this operation takes (docs/api.md §1)".to_owned()),
        _ => res.response().error().map(ToString::to_string).filter(|d| !d.is_empty()),
    };
    let problem = Problem {
        kind: format!("https://tierdash.dev/problems/{}", slug(status.as_u16())),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail,
        request_id: None,
        errors: Vec::new(),
        balance: None,
        needed: None,
    };
    let (req, mut response) = res.into_parts();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    headers.remove(header::CONTENT_LENGTH);
    let response = response.set_body(BoxBody::new(serde_json::to_string(&problem).unwrap_or_default()));
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, response).map_into_right_body()))
}

/// The problem type's last segment, as [`crate::error::ApiError`] names its own.
fn slug(status: u16) -> &'static str {
    match status {
        400 => "bad-request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        431 => "headers-too-large",
        s if s >= 500 => "internal",
        _ => "http-error",
    }
}
