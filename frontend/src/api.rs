//! All HTTP: typed helpers over `domain::api` that add the token, decode problem details,
//! and send the user to log in on a 401.

use std::fmt;

use domain::api::{
    ListParams, Me, Organization, OrganizationFilter, Page, Problem, Product, Subscription, SubscriptionFilter,
    TokenRequest, TokenResponse,
};
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

async fn send(
    method: &str,
    path: &str,
    body: Option<String>,
    authenticated: bool,
) -> Result<(u16, String), ApiFailure> {
    let window = web_sys::window().ok_or_else(|| ApiFailure::Network("no window".into()))?;
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = &body {
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
    }
    let request = Request::new_with_str_and_init(path, &init).map_err(|e| ApiFailure::Network(format!("{e:?}")))?;
    let headers = request.headers();
    let _ = headers.set("Accept", "application/json");
    if body.is_some() {
        let _ = headers.set("Content-Type", "application/json");
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

fn decode<T: DeserializeOwned>((status, text): (u16, String)) -> Result<T, ApiFailure> {
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

/// Logs in; on success keeps the token.
pub async fn login(email: String, password: String) -> Result<TokenResponse, ApiFailure> {
    let body =
        serde_json::to_string(&TokenRequest { email, password }).map_err(|e| ApiFailure::Decode(e.to_string()))?;
    let response: TokenResponse = decode(send("POST", "/api/v1/auth/token", Some(body), false).await?)?;
    session::set_token(&response.access_token);
    Ok(response)
}

/// The caller.
pub async fn me() -> Result<Me, ApiFailure> {
    get("/api/v1/me").await
}

/// A page of organisations.
pub async fn organizations(list: ListParams, filter: OrganizationFilter) -> Result<Page<Organization>, ApiFailure> {
    get(&with_query("/api/v1/organizations", &[&list, &filter])).await
}

/// One organisation.
pub async fn organization(id: i64) -> Result<Organization, ApiFailure> {
    get(&format!("/api/v1/organizations/{id}")).await
}

/// A page of subscriptions.
pub async fn subscriptions(list: ListParams, filter: SubscriptionFilter) -> Result<Page<Subscription>, ApiFailure> {
    get(&with_query("/api/v1/subscriptions", &[&list, &filter])).await
}

/// The whole catalog (it is small: one page of the largest size).
pub async fn products() -> Result<Page<Product>, ApiFailure> {
    get("/api/v1/products?per_page=500&sort=name").await
}

/// How many organisations match a filter (one item fetched; the server counts).
pub async fn count_organizations(filter: OrganizationFilter) -> Result<u64, ApiFailure> {
    let list = ListParams { per_page: Some(1), ..Default::default() };
    Ok(organizations(list, filter).await?.total)
}

/// How many subscriptions match a filter.
pub async fn count_subscriptions(filter: SubscriptionFilter) -> Result<u64, ApiFailure> {
    let list = ListParams { per_page: Some(1), ..Default::default() };
    Ok(subscriptions(list, filter).await?.total)
}
