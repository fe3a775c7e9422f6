//! `ApiError`, the server's one error type, and its rendering as RFC 9457 problem details.
//!
//! Which error type where: `domain` validates into `FieldError`s, `store` returns `StoreError`,
//! and everything a handler returns is an `ApiError`; each variant has exactly one status, set
//! in [`ApiError::status`]. A 5xx shows the caller only an id; the cause goes to the log.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use domain::api::{FieldError, Problem};
use domain::metrics::money_text;
use rand::RngCore;
use store::StoreError;

/// What a handler can answer instead of a result.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request could not be read at all.
    #[error("{0}")]
    BadRequest(String),
    /// 401: no usable credentials.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// 403: the caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// 404: nothing there in the caller's scope.
    #[error("not found")]
    NotFound,
    /// 409: a uniqueness rule would break.
    #[error("{0}")]
    Conflict(String),
    /// The path exists but not with this method; holds the `Allow` header's value.
    #[error("this path takes only {0}")]
    MethodNotAllowed(String),
    /// 413: the body is too large.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 415: the body is not JSON.
    #[error("this Content-Type is not accepted here")]
    UnsupportedMediaType,
    /// 422: the request is well-formed but some fields are not valid.
    #[error("the request is not valid")]
    Invalid(Vec<FieldError>),
    /// 422: an import refused for its structure; nothing was imported.
    #[error("the import was rejected")]
    Rejected {
        /// The first 100 problems.
        errors: Vec<FieldError>,
        /// All problems.
        total: u64,
    },
    /// 429: too many failed logins; retry after this many seconds.
    #[error("too many attempts")]
    TooManyRequests {
        /// Seconds until the next attempt is considered.
        retry_after: u64,
    },
    /// 503: a dependency (the database) is down.
    #[error("{0}")]
    Unavailable(&'static str),
    /// 402: the balance does not cover the debit.
    #[error("the balance of {balance} {currency} does not cover {needed} {currency}")]
    PaymentRequired {
        /// The balance now.
        balance: rust_decimal::Decimal,
        /// What the operation costs.
        needed: rust_decimal::Decimal,
        /// The balance's currency.
        currency: String,
    },
    /// 500: a bug or an outage; details only in the log.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    fn parts(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => ("bad-request", "The request could not be read"),
            ApiError::Unauthorized(_) => ("unauthorized", "Authentication is required"),
            ApiError::Forbidden(_) => ("forbidden", "Not allowed"),
            ApiError::NotFound => ("not-found", "Not found"),
            ApiError::Conflict(_) => ("conflict", "Conflict"),
            ApiError::MethodNotAllowed(_) => ("method-not-allowed", "Method not allowed"),
            ApiError::PayloadTooLarge(_) => ("payload-too-large", "The request body is too large"),
            ApiError::UnsupportedMediaType => ("unsupported-media-type", "Unsupported media type"),
            ApiError::Invalid(_) => ("validation", "The request is not valid"),
            ApiError::Rejected { .. } => ("import-rejected", "The import was rejected"),
            ApiError::TooManyRequests { .. } => ("too-many-requests", "Too many attempts"),
            ApiError::Unavailable(_) => ("unavailable", "Service unavailable"),
            ApiError::PaymentRequired { .. } => ("insufficient-balance", "The balance is too low"),
            ApiError::Internal(_) => ("internal", "Internal server error"),
        }
    }

    fn detail(&self) -> Option<String> {
        match self {
            ApiError::NotFound => Some(
                "Nothing with that id is visible to you: it does not exist, or it belongs to another organisation."
                    .into(),
            ),
            ApiError::Invalid(errors) => Some(match errors.len() {
                1 => format!("{} {}", errors[0].field.as_deref().unwrap_or("the body"), errors[0].message),
                n => format!("{n} fields are not valid"),
            }),
            ApiError::Rejected { errors, total } => Some(format!(
                "{total} problem(s) found, listed as {} distinct one(s) with their rows; nothing was imported",
                errors.len()
            )),
            ApiError::PaymentRequired { balance, needed, currency } => Some(format!(
                "the balance of {} does not cover {}",
                money_text(*balance, currency),
                money_text(*needed, currency)
            )),
            ApiError::TooManyRequests { retry_after } => {
                Some(format!("too many failed attempts; try again in {retry_after} seconds"))
            }
            ApiError::Internal(_) => {
                Some("an unexpected error occurred; quote the request_id when reporting it".into())
            }
            other => Some(other.to_string()),
        }
    }

    /// The body of the response.
    pub fn problem(&self) -> Problem {
        let (slug, title) = self.parts();
        Problem {
            kind: format!("https://tierdash.dev/problems/{slug}"),
            title: title.into(),
            status: self.status().as_u16(),
            detail: self.detail(),
            request_id: None,
            errors: match self {
                ApiError::Invalid(errors) | ApiError::Rejected { errors, .. } => errors.clone(),
                _ => Vec::new(),
            },
            balance: match self {
                ApiError::PaymentRequired { balance, .. } => Some(*balance),
                _ => None,
            },
            needed: match self {
                ApiError::PaymentRequired { needed, .. } => Some(*needed),
                _ => None,
            },
        }
    }

    /// The one status of each variant.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Invalid(_) | ApiError::Rejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::PaymentRequired { .. } => StatusCode::PAYMENT_REQUIRED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// One invalid field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid(vec![FieldError::field(field, message)])
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut problem = self.problem();
        if let ApiError::Internal(cause) = self {
            let mut id = [0u8; 8];
            rand::rngs::OsRng.fill_bytes(&mut id);
            let id = hex::encode(id);
            tracing::error!(request_id = %id, error = ?cause, "request failed");
            problem.request_id = Some(id);
        }
        let mut response = HttpResponse::build(self.status());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json")));
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            ApiError::TooManyRequests { retry_after } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::MethodNotAllowed(allow) => {
                response.insert_header((header::ALLOW, allow.clone()));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&problem).unwrap_or_default())
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict(detail) => ApiError::Conflict(conflict_message(&detail)),
            StoreError::Invalid(errors) => ApiError::Invalid(errors),
            StoreError::Forbidden(why) => ApiError::Forbidden(why.into()),
            StoreError::InsufficientBalance { balance, needed, currency } => {
                ApiError::PaymentRequired { balance, needed, currency }
            }
            StoreError::Rejected { errors, total } => ApiError::Rejected { errors, total },
            other => ApiError::Internal(other.into()),
        }
    }
}

impl From<Vec<FieldError>> for ApiError {
    fn from(errors: Vec<FieldError>) -> Self {
        ApiError::Invalid(errors)
    }
}

/// Turns a database's unique-constraint message into one a client can act on, naming the
/// field but nothing of the schema.
fn conflict_message(detail: &str) -> String {
    let d = detail.to_lowercase();
    let field = [("external", "external_id"), ("sku", "sku"), ("code", "code"), ("email", "email")]
        .iter()
        .find(|(needle, _)| d.contains(needle))
        .map(|(_, field)| *field);
    match field {
        Some(field) => format!("another record already uses this {field}"),
        None if detail.starts_with("a ") || detail.starts_with("the ") => detail.to_owned(),
        None => "a record with these values already exists".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_problem_json_with_its_status() {
        let err = ApiError::invalid("country", "must be an ISO code");
        let response = err.error_response();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.headers().get(header::CONTENT_TYPE).unwrap(), "application/problem+json");
        let problem = err.problem();
        assert_eq!(problem.errors[0].field.as_deref(), Some("country"));
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let err = ApiError::Internal(anyhow::anyhow!("password authentication failed for user postgres"));
        let problem = err.problem();
        assert!(!problem.detail.unwrap().contains("postgres"));
    }

    #[test]
    fn conflicts_name_the_field_not_the_index() {
        let msg = conflict_message("UNIQUE constraint failed: organizations.tenant_id, organizations.external_id");
        assert_eq!(msg, "another record already uses this external_id");
    }
}
