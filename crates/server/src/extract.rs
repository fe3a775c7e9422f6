//! Extractors that turn bad input into 4xx problem details naming the field, instead of
//! actix's plain-text 400s: JSON bodies, query strings (and the day a dashboard is computed
//! for) and path ids.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, ResponseError, dev::Payload, web};
use chrono::{NaiveDate, Utc};
use domain::api::{DatedQuery, FieldError};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The largest JSON body accepted.
pub const MAX_JSON_BODY: usize = 1024 * 1024;

/// A JSON body; an unreadable or mistyped field gives 422 naming it.
#[derive(Debug)]
pub struct ValidJson<T>(pub T);

impl<T> Deref for ValidJson<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> ValidJson<T> {
    /// The body.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .is_some_and(|v| v == "application/json" || v.ends_with("+json"));
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType);
            }
            let bytes = body.await.map_err(|e| match e.as_response_error().status_code() {
                StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(format!("at most {MAX_JSON_BODY} bytes")),
                _ => ApiError::BadRequest(format!("could not read the body: {e}")),
            })?;
            check_body(&bytes)?;
            let de = &mut serde_json::Deserializer::from_slice(&bytes);
            serde_path_to_error::deserialize(de).map(ValidJson).map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner();
                if inner.is_syntax() || inner.is_eof() || inner.is_io() {
                    ApiError::BadRequest(format!("the body is not valid JSON: {inner}"))
                } else {
                    let field = (path != ".").then_some(path);
                    ApiError::Invalid(vec![FieldError {
                        field,
                        row: None,
                        rows: None,
                        message: strip_position(&inner.to_string()),
                    }])
                }
            })
        })
    }
}

/// What every JSON body must be before its fields are read: free of NUL characters, and an
/// object — serde would otherwise take an array's values by position, so
/// `["e-mail", "password"]` would log in.
pub fn check_body(bytes: &[u8]) -> Result<(), ApiError> {
    if has_nul(bytes) {
        return Err(ApiError::invalid("body", "must not contain NUL characters"));
    }
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Ok(()),
        // Not JSON at all is the parser's to describe.
        Some(b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
            Err(ApiError::invalid("body", "must be a JSON object"))
        }
        _ => Ok(()),
    }
}

/// Whether JSON text or a query string carries a NUL character (raw, `\u0000` or `%00`):
/// no field of ours means one, and PostgreSQL refuses to store it.
pub fn has_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
        || bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"))
        || bytes.windows(3).any(|w| w == b"%00")
}

/// serde_json appends " at line 1 column 42", which says nothing to an API client that named
/// the field already.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Query parameters; a mistyped one gives 422 naming it. Unknown parameters are ignored, so
/// one query string can feed several extractors (paging and filters).
#[derive(Debug)]
pub struct ValidQuery<T>(pub T);

impl<T> Deref for ValidQuery<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for ValidQuery<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if has_nul(req.query_string().as_bytes()) {
            return std::future::ready(Err(ApiError::invalid("query", "must not contain NUL characters")));
        }
        let pairs = form_urlencoded::parse(req.query_string().as_bytes());
        let de = serde_urlencoded::Deserializer::new(pairs);
        std::future::ready(serde_path_to_error::deserialize(de).map(ValidQuery).map_err(|e| {
            let path = e.path().to_string();
            ApiError::Invalid(vec![FieldError {
                field: (path != ".").then_some(path),
                row: None,
                rows: None,
                message: e.into_inner().to_string(),
            }])
        }))
    }
}

/// The query of a dashboard or report with its day settled: the `as_of` asked for (checked
/// when the query was read, a 422 naming `as_of` otherwise), else today in UTC.
#[derive(Debug)]
pub struct Dated<T> {
    /// The day computed for.
    pub as_of: NaiveDate,
    /// The whole query.
    pub query: T,
}

impl<T> Deref for Dated<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.query
    }
}

impl<T: DatedQuery + DeserializeOwned> FromRequest for Dated<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        std::future::ready(ValidQuery::<T>::from_request(req, payload).into_inner().map(|ValidQuery(query)| {
            let as_of = query.as_of().map_or_else(|| Utc::now().date_naive(), |as_of| as_of.day());
            Dated { as_of, query }
        }))
    }
}

/// The error for a path segment that does not parse (an id that is not a number): no such
/// resource, or a 405 where the path is another operation's.
pub fn path_error(_: actix_web::error::PathError, req: &HttpRequest) -> actix_web::Error {
    // `GET /imports/json` reaches `GET /imports/{id}`, yet the path is `POST /imports/json`'s.
    let paths = req.app_data::<actix_web::web::Data<crate::api_paths::ApiPaths>>();
    match paths.and_then(|paths| paths.refused(req.method().as_str(), req.path())) {
        Some(allow) => ApiError::MethodNotAllowed(allow).into(),
        None => ApiError::NotFound.into(),
    }
}

impl actix_web::Responder for ApiError {
    type Body = actix_web::body::BoxBody;
    fn respond_to(self, _: &HttpRequest) -> actix_web::HttpResponse {
        self.error_response()
    }
}
