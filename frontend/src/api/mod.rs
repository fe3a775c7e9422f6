//! All HTTP: typed helpers over `domain::api` that add the token, decode problem details,
//! and send the user to log in on a 401. This module holds the transport; each area of the API
//! has a module of its own, re-exported here so pages call `api::name`.

mod auth;
mod billing;
mod downloads;
mod home;
mod imports;
mod insights;
mod invoices;
mod organizations;
mod partners;
mod portal;
mod settings;
mod usage;

pub use auth::*;
pub use billing::*;
pub use downloads::*;
pub use home::*;
pub use imports::*;
pub use insights::*;
pub use invoices::*;
pub use organizations::*;
pub use partners::*;
pub use portal::*;
pub use settings::*;
pub use usage::*;

use std::fmt;

use domain::api::Problem;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use crate::session;

/// Why a call failed, in words a user can read.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// The session is over; the user is being sent to log in.
    Unauthorized,
    /// The server refused, with its problem details.
    Problem(Box<Problem>),
    /// The server could not be reached.
    Network(String),
    /// The answer was not what the API documents.
    Decode(String),
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiFailure::Unauthorized => f.write_str("Your session has ended. Please log in again."),
            ApiFailure::Problem(p) => {
                write!(f, "{}", p.detail.clone().unwrap_or_else(|| p.title.clone()))?;
                for e in &p.errors {
                    write!(f, " · {}: {}", e.field.as_deref().unwrap_or("request"), e.message)?;
                }
                Ok(())
            }
            ApiFailure::Network(why) => write!(f, "The server could not be reached ({why})."),
            ApiFailure::Decode(why) => write!(f, "Unexpected answer from the server ({why})."),
        }
    }
}

pub(crate) async fn send(
    method: &str,
    path: &str,
    body: Option<String>,
    authenticated: bool,
) -> Result<(u16, String), ApiFailure> {
    send_with(method, path, body.map(|b| (b, "application/json")), authenticated, None).await
}

/// A read is aborted when the reactive owner that asked for it is cleaned up: the page was left,
/// or the resource asked again with other parameters, so the answer would be thrown away. Writes
/// are never aborted: the server may have acted on them already, and the user should see how it
/// went.
fn abort_on_cleanup(init: &RequestInit) {
    if leptos::prelude::Owner::current().is_none() {
        return;
    }
    if let Ok(controller) = web_sys::AbortController::new() {
        init.set_signal(Some(&controller.signal()));
        let controller = send_wrapper::SendWrapper::new(controller);
        leptos::prelude::on_cleanup(move || controller.abort());
    }
}

/// Sends a request; `body` is the text and its content type.
pub(crate) async fn send_with(
    method: &str,
    path: &str,
    body: Option<(String, &str)>,
    authenticated: bool,
    idempotency_key: Option<&str>,
) -> Result<(u16, String), ApiFailure> {
    let window = web_sys::window().ok_or_else(|| ApiFailure::Network("no window".into()))?;
    let init = RequestInit::new();
    init.set_method(method);
    if let Some((text, _)) = &body {
        init.set_body(&wasm_bindgen::JsValue::from_str(text));
    }
    if method == "GET" {
        abort_on_cleanup(&init);
    }
    let request = Request::new_with_str_and_init(path, &init).map_err(|e| ApiFailure::Network(format!("{e:?}")))?;
    let headers = request.headers();
    let _ = headers.set("Accept", "application/json");
    if let Some((_, content_type)) = body {
        let _ = headers.set("Content-Type", content_type);
    }
    if let Some(key) = idempotency_key {
        let _ = headers.set("Idempotency-Key", key);
    }
    if authenticated {
        match session::token() {
            Some(token) => {
                let _ = headers.set("Authorization", &format!("Bearer {token}"));
            }
            None => {
                session::go_to_login();
                return Err(ApiFailure::Unauthorized);
            }
        }
    }
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|e| ApiFailure::Network(e.as_string().unwrap_or_else(|| "network error".into())))?;
    let response: Response = response.dyn_into().map_err(|_| ApiFailure::Network("not a response".into()))?;
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    if status == 401 && authenticated {
        session::go_to_login();
        return Err(ApiFailure::Unauthorized);
    }
    Ok((status, text))
}

pub(crate) fn decode<T: DeserializeOwned>((status, text): (u16, String)) -> Result<T, ApiFailure> {
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|e| ApiFailure::Decode(e.to_string()))
    } else {
        Err(match serde_json::from_str::<Problem>(&text) {
            Ok(problem) => ApiFailure::Problem(Box::new(problem)),
            Err(_) => ApiFailure::Decode(format!("status {status}")),
        })
    }
}

/// A GET of the API, decoded.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiFailure> {
    decode(send("GET", path, None, true).await?)
}

/// Appends serialisable parameters as a query string (absent ones left out).
pub fn with_query(path: &str, params: &[&dyn ErasedQuery]) -> String {
    let mut pairs = Vec::new();
    for p in params {
        p.pairs(&mut pairs);
    }
    if pairs.is_empty() {
        return path.to_owned();
    }
    let query: Vec<String> =
        pairs.into_iter().map(|(k, v)| format!("{}={}", k, String::from(js_sys::encode_uri_component(&v)))).collect();
    format!("{path}?{}", query.join("&"))
}

/// Something that can be turned into query pairs (the `domain::api` filter types).
pub trait ErasedQuery {
    /// Adds this value's non-empty fields.
    fn pairs(&self, out: &mut Vec<(String, String)>);
}

impl<T: Serialize> ErasedQuery for T {
    fn pairs(&self, out: &mut Vec<(String, String)>) {
        if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(self) {
            for (k, v) in map {
                match v {
                    serde_json::Value::Null => {}
                    serde_json::Value::String(s) => out.push((k, s)),
                    other => out.push((k, other.to_string())),
                }
            }
        }
    }
}

/// A fresh key for one money-moving action: a retry of the same click sends the same key.
pub fn new_idempotency_key() -> String {
    format!("web-{}-{}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e12) as u64)
}

/// A POST of JSON with an idempotency key, decoded.
pub(crate) async fn post_keyed<T: DeserializeOwned>(
    path: &str,
    body: &impl Serialize,
    key: &str,
) -> Result<T, ApiFailure> {
    let body = serde_json::to_string(body).map_err(|e| ApiFailure::Decode(e.to_string()))?;
    decode(send_with("POST", path, Some((body, "application/json")), true, Some(key)).await?)
}

/// A request with a JSON body and no idempotency key (PATCH, PUT, a plain POST), decoded.
pub(crate) async fn send_json<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: &impl Serialize,
) -> Result<T, ApiFailure> {
    let body = serde_json::to_string(body).map_err(|e| ApiFailure::Decode(e.to_string()))?;
    decode(send(method, path, Some(body), true).await?)
}

/// A POST of a body that is not JSON (a CSV file), sent with its own content type, decoded.
pub(crate) async fn post_raw<T: DeserializeOwned>(
    path: &str,
    body: String,
    content_type: &str,
) -> Result<T, ApiFailure> {
    decode(send_with("POST", path, Some((body, content_type)), true, None).await?)
}
