//! All HTTP: typed helpers over `domain::api` that add the token, decode problem details,
//! and send the user to log in on a 401.

use std::fmt;

use domain::api::{
    AsOf, AsOfQuery, HomeDashboard, HomeQuery, ListParams, MarketplaceReport, Me, Organization, OrganizationFilter,
    Page, Problem, Product, ProjectionReport, RevenueOverview, RevenueReport, RevenueReportQuery, Subscription,
    SubscriptionFilter, TokenRequest, TokenResponse,
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
    send_with(method, path, body, authenticated, None).await
}

async fn send_with(
    method: &str,
    path: &str,
    body: Option<String>,
    authenticated: bool,
    idempotency_key: Option<&str>,
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

/// The day to ask for: none (the server's today) when there is none or the metrics cannot reach
/// it (before 1900 or at the end of the calendar).
pub fn as_of_param(day: Option<chrono::NaiveDate>) -> Option<AsOf> {
    day.and_then(|day| AsOf::new(day).ok())
}

/// The Home dashboard on `as_of` (today when none).
pub async fn home(as_of: Option<chrono::NaiveDate>) -> Result<HomeDashboard, ApiFailure> {
    get(&with_query("/api/v1/dashboards/home", &[&HomeQuery { as_of: as_of_param(as_of) }])).await
}

/// The report paths behind the Home panes, each also served as CSV.
pub mod reports {
    /// A month's revenue by service and customer.
    pub const REVENUE: &str = "/api/v1/dashboards/home/revenue";
    /// The projection by provider and service.
    pub const PROJECTION: &str = "/api/v1/dashboards/home/projection";
    /// 12 months of marketplace spend.
    pub const MARKETPLACE: &str = "/api/v1/dashboards/home/marketplace";
    /// The revenue overview.
    pub const OVERVIEW: &str = "/api/v1/dashboards/home/overview";
}

/// A month's revenue by service and customer.
pub async fn revenue_report(query: RevenueReportQuery) -> Result<RevenueReport, ApiFailure> {
    get(&with_query(reports::REVENUE, &[&query])).await
}

/// The projection by provider and service.
pub async fn projection_report(as_of: Option<chrono::NaiveDate>) -> Result<ProjectionReport, ApiFailure> {
    get(&with_query(reports::PROJECTION, &[&AsOfQuery { as_of: as_of_param(as_of), format: None }])).await
}

/// 12 months of marketplace spend.
pub async fn marketplace_report(as_of: Option<chrono::NaiveDate>) -> Result<MarketplaceReport, ApiFailure> {
    get(&with_query(reports::MARKETPLACE, &[&AsOfQuery { as_of: as_of_param(as_of), format: None }])).await
}

/// The revenue overview.
pub async fn revenue_overview(as_of: Option<chrono::NaiveDate>) -> Result<RevenueOverview, ApiFailure> {
    get(&with_query(reports::OVERVIEW, &[&AsOfQuery { as_of: as_of_param(as_of), format: None }])).await
}

/// Fetches a report as CSV (with the session's token, which a plain link could not send) and
/// hands it to the browser as a download named `file_name`.
pub async fn download_csv(path_with_query: &str, file_name: &str) -> Result<(), ApiFailure> {
    let sep = if path_with_query.contains('?') { '&' } else { '?' };
    let (status, text) = send("GET", &format!("{path_with_query}{sep}format=csv"), None, true).await?;
    if !(200..300).contains(&status) {
        return decode::<()>((status, text));
    }
    save_file(&text, file_name)
}

/// Hands text to the browser as a download named `file_name`.
pub fn save_file(text: &str, file_name: &str) -> Result<(), ApiFailure> {
    let fail = |e: wasm_bindgen::JsValue| ApiFailure::Network(format!("{e:?}"));
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let blob = web_sys::Blob::new_with_str_sequence(&parts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document =
        web_sys::window().and_then(|w| w.document()).ok_or_else(|| ApiFailure::Network("no document".into()))?;
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.dyn_into().map_err(|_| ApiFailure::Network("no link".into()))?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // The URL is not revoked at once: some browsers start reading it only after this returns.
    Ok(())
}

/// A fresh key for one money-moving action: a retry of the same click sends the same key.
pub fn new_idempotency_key() -> String {
    format!("web-{}-{}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e12) as u64)
}

/// A POST of JSON with an idempotency key, decoded.
async fn post_keyed<T: DeserializeOwned>(path: &str, body: &impl Serialize, key: &str) -> Result<T, ApiFailure> {
    let body = serde_json::to_string(body).map_err(|e| ApiFailure::Decode(e.to_string()))?;
    decode(send_with("POST", path, Some(body), true, Some(key)).await?)
}

/// The portal's statistics.
pub async fn portal_summary() -> Result<domain::api::PortalSummary, ApiFailure> {
    get("/api/v1/portal/summary").await
}

/// The active-users series.
pub async fn active_users(range: domain::api::ActiveUsersRange) -> Result<domain::api::ActiveUsersSeries, ApiFailure> {
    let query = domain::api::ActiveUsersQuery { range: Some(range), as_of: None, reseller_id: None };
    get(&with_query("/api/v1/portal/active-users", &[&query])).await
}

/// A page of activations.
pub async fn activations(list: ListParams) -> Result<Page<domain::api::Activation>, ApiFailure> {
    get(&with_query("/api/v1/portal/activations", &[&list])).await
}

/// A page of ledger entries of one kind.
pub async fn ledger(
    list: ListParams,
    kind: Option<domain::kinds::LedgerKind>,
) -> Result<Page<domain::api::LedgerEntry>, ApiFailure> {
    let filter = domain::api::LedgerFilter { kind, ..Default::default() };
    get(&with_query("/api/v1/portal/ledger", &[&list, &filter])).await
}

/// The enabled plans of the catalog.
pub async fn service_plans() -> Result<Page<domain::api::ServicePlan>, ApiFailure> {
    get("/api/v1/service-plans?per_page=500&enabled=true&sort=name").await
}

/// Activates a plan for a client.
pub async fn activate(new: &domain::api::NewActivation, key: &str) -> Result<domain::api::Activation, ApiFailure> {
    post_keyed("/api/v1/portal/activations", new, key).await
}

/// Renews, pauses, resumes or deactivates an activation (`action` is the path's last part).
pub async fn change_activation(id: i64, action: &str, key: &str) -> Result<domain::api::Activation, ApiFailure> {
    post_keyed(&format!("/api/v1/portal/activations/{id}/{action}"), &serde_json::json!({}), key).await
}
