//! What the OpenAPI document says beyond what the derive macros write, so that it states exactly
//! what the server accepts and answers (issue 24: a fuzzer and generated clients read it):
//!
//! - every response has a description (OpenAPI requires one; utoipa leaves it out of responses
//!   declared without one): the status's reason phrase;
//! - a list's `sort` takes exactly the fields that list sorts by, with or without `-` (the same
//!   constants the handlers check against), or nothing; a list that sorts by nothing has no
//!   `sort`;
//! - `q` is at most 200 characters without NUL, as `ListParams::check` holds;
//! - the days and months a dashboard takes are patterns of the range `check_as_of` allows
//!   (1900-01-01 to 9999-11-30), and `threshold_pct` a decimal of 0 to 100;
//! - a parameter declared twice keeps its first declaration (`GET /search`'s own required `q`
//!   before the shared `ListParams`' optional one), and that `q` is a text as `TEXT` says;
//! - `Idempotency-Key` is 1 to 255 visible ASCII characters;
//! - request bodies' texts, counts and lists are bounded as their validators bound them
//!   ([`body_rules`]).
//!
//! The rules work on the document as JSON, after every path has been collected.

use actix_web::http::StatusCode;
use domain::api::{
    ACTIVATION_SORTS, API_KEY_SORTS, BILLING_ISSUE_SORTS, FX_RATE_SORTS, IMPORT_SORTS, INVOICE_SERVICE_SORTS,
    INVOICE_SORTS, LEDGER_SORTS, ORGANIZATION_SORTS, PRODUCT_SORTS, REPORT_SORTS, REVENUE_CUSTOMER_SORTS,
    REVENUE_TREND_SORTS, SERVICE_PLAN_SORTS, SUBSCRIPTION_SORTS, UNMAPPED_ACCOUNT_SORTS, USER_SORTS,
};
use serde_json::{Value, json};
use store::usage::USAGE_SORTS;

/// The fields each list (by path, all GET) sorts by, as its handler checks them.
pub const SORTS: &[(&str, &[&str])] = &[
    ("/api/v1/api-keys", API_KEY_SORTS),
    ("/api/v1/billing-accounts/unmapped", UNMAPPED_ACCOUNT_SORTS),
    ("/api/v1/billing-issues", BILLING_ISSUE_SORTS),
    ("/api/v1/dashboards/home/revenue/customers", REVENUE_CUSTOMER_SORTS),
    ("/api/v1/dashboards/partners/decreasing-units", &[]),
    ("/api/v1/dashboards/partners/inactive-new-partners", &[]),
    ("/api/v1/dashboards/partners/new-partners", &[]),
    ("/api/v1/fx-rates", FX_RATE_SORTS),
    ("/api/v1/imports", IMPORT_SORTS),
    ("/api/v1/insights/agreements", &[]),
    ("/api/v1/insights/revenue-trend", REVENUE_TREND_SORTS),
    ("/api/v1/invoices", INVOICE_SORTS),
    ("/api/v1/invoices/{id}", INVOICE_SERVICE_SORTS),
    ("/api/v1/organizations", ORGANIZATION_SORTS),
    ("/api/v1/portal/activations", ACTIVATION_SORTS),
    ("/api/v1/portal/ledger", LEDGER_SORTS),
    ("/api/v1/products", PRODUCT_SORTS),
    ("/api/v1/reports", REPORT_SORTS),
    ("/api/v1/search", &[]),
    ("/api/v1/service-plans", SERVICE_PLAN_SORTS),
    ("/api/v1/subscriptions", SUBSCRIPTION_SORTS),
    ("/api/v1/usage/organizations", USAGE_SORTS),
    ("/api/v1/usage/resellers", USAGE_SORTS),
    ("/api/v1/users", USER_SORTS),
];

/// The longest `q` a list accepts.
const MAX_Q_CHARS: u64 = 200;

/// A year a dashboard's day may fall in, but 9999 (whose December is out of range).
const YEAR: &str = r"(?:19\d\d|[2-8]\d{3}|9[0-8]\d\d|99[0-8]\d|999[0-8])";

/// Query parameters (by name) with the pattern their values must match; `month` only where it
/// is a dashboard's month (`GET /fx-rates` filters by any month text).
fn pattern_of(path: &str, name: &str) -> Option<String> {
    let month = format!("(?:{YEAR}-(?:0[1-9]|1[0-2])|9999-(?:0[1-9]|1[01]))");
    match name {
        "as_of" => Some(format!("^{month}-(?:0[1-9]|[12]\\d|3[01])$")),
        "from" | "to" | "period" => Some(format!("^{month}$")),
        "month" if path != "/api/v1/fx-rates" => Some(format!("^{month}$")),
        "threshold_pct" => Some(r"^(?:100(?:\.0{1,10})?|\d{1,2}(?:\.\d{1,10})?)$".to_owned()),
        _ => None,
    }
}

/// A text as `Violations::text` takes it: not blank (Rust's `trim` whitespace), without NUL.
const TEXT: &str = "^[^\\u0000]*[^\\u0000\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000]*$";

/// A text of at most `max` characters.
fn text(max: u64) -> Value {
    json!({"minLength": 1, "maxLength": max, "pattern": TEXT})
}

/// Request bodies: (schema, property, what is merged into the property's schema). Each is what
/// the store's validator of that body checks (`Violations::text`, `product_services::check`,
/// `users::check_password`, …).
pub fn body_rules() -> Vec<(&'static str, &'static str, Value)> {
    let password = json!({"minLength": domain::api::MIN_PASSWORD, "maxLength": domain::api::MAX_PASSWORD});
    let mut item = text(256);
    item["type"] = Value::from("string");
    let services = json!({"maxItems": 100, "uniqueItems": true, "items": item});
    let month = json!({"pattern": "^\\d{4}-(?:0[1-9]|1[0-2])$"});
    vec![
        ("NewProduct", "sku", text(128)),
        ("NewProduct", "name", text(200)),
        ("NewProduct", "family", text(200)),
        ("NewProduct", "provider", text(200)),
        ("NewProduct", "service_names", services.clone()),
        ("ProductPatch", "sku", text(128)),
        ("ProductPatch", "name", text(200)),
        ("ProductPatch", "family", text(200)),
        ("ProductPatch", "provider", text(200)),
        ("ProductPatch", "service_names", services),
        ("NewServicePlan", "code", text(128)),
        ("NewServicePlan", "name", text(200)),
        ("ServicePlanPatch", "code", text(128)),
        ("ServicePlanPatch", "name", text(200)),
        ("NewTopUp", "payment_reference", text(255)),
        ("NewActivation", "quantity", json!({"minimum": 1, "maximum": 1_000_000})),
        ("NewUser", "password", password.clone()),
        ("NewUser", "name", text(200)),
        ("UserPatch", "password", password),
        ("UserPatch", "name", text(200)),
        ("NewApiKey", "name", text(200)),
        ("JsonImport", "items", json!({"minItems": 1})),
        ("FxRateUpsert", "rates", json!({"minItems": 1})),
        ("FxRate", "month", month),
        ("ActivityBatch", "items", json!({"maxItems": 10_000})),
        ("UserActivity", "user_email", json!({"format": "email"})),
    ]
}

/// Applies every rule to `spec`.
pub fn apply(spec: &mut Value) {
    for (schema, property, rule) in body_rules() {
        let Some(target) = spec.pointer_mut(&format!("/components/schemas/{schema}/properties/{property}")) else {
            continue;
        };
        if let (Some(target), Some(rule)) = (target.as_object_mut(), rule.as_object()) {
            for (key, value) in rule {
                target.insert(key.clone(), value.clone());
            }
        }
    }
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, operation) in item.iter_mut() {
            describe_responses(operation);
            if method == "get" {
                list_parameters(path, operation);
            }
            idempotency_key(operation);
        }
    }
}

/// Responses without a description get their status's reason phrase.
fn describe_responses(operation: &mut Value) {
    let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else { return };
    for (status, response) in responses.iter_mut() {
        let Some(response) = response.as_object_mut() else { continue };
        if response.contains_key("$ref") || response.get("description").is_some_and(|d| d != "") {
            continue;
        }
        let reason = status
            .parse::<u16>()
            .ok()
            .and_then(|code| StatusCode::from_u16(code).ok())
            .and_then(|code| code.canonical_reason())
            .unwrap_or("The answer");
        response.insert("description".into(), Value::from(reason));
    }
}

/// `Idempotency-Key` as `ledger::check_key` takes it.
fn idempotency_key(operation: &mut Value) {
    let Some(parameters) = operation.get_mut("parameters").and_then(Value::as_array_mut) else { return };
    for parameter in parameters.iter_mut().filter(|p| p["name"] == "Idempotency-Key" && p["in"] == "header") {
        parameter["schema"] =
            json!({"type": "string", "pattern": "^[\\x21-\\x7E](?:[\\x20-\\x7E]{0,253}[\\x21-\\x7E])?$"});
    }
}

/// `sort` as the list takes it; `q` bounded.
fn list_parameters(path: &str, operation: &mut Value) {
    let Some(parameters) = operation.get_mut("parameters").and_then(Value::as_array_mut) else { return };
    let mut seen = std::collections::HashSet::new();
    parameters.retain(|p| seen.insert((p["name"].to_string(), p["in"].to_string())));
    let sorts = SORTS.iter().find(|(p, _)| *p == path).map(|(_, fields)| *fields);
    parameters.retain(|p| !(p["name"] == "sort" && p["in"] == "query" && sorts.is_some_and(<[_]>::is_empty)));
    for parameter in parameters.iter_mut() {
        if parameter["in"] != "query" {
            continue;
        }
        match parameter["name"].as_str() {
            Some("sort") => {
                if let Some(fields) = sorts {
                    // Empty asks for the default order.
                    let values: Vec<String> = std::iter::once(String::new())
                        .chain(fields.iter().flat_map(|f| [f.to_string(), format!("-{f}")]))
                        .collect();
                    parameter["schema"] = json!({"type": "string", "enum": values});
                }
            }
            Some("q") if path == "/api/v1/search" => {
                parameter["schema"] =
                    json!({"type": "string", "minLength": 1, "maxLength": MAX_Q_CHARS, "pattern": TEXT});
            }
            Some("q") if parameter["schema"].get("maxLength").is_none() => {
                parameter["schema"]["maxLength"] = Value::from(MAX_Q_CHARS);
                parameter["schema"]["pattern"] = Value::from("^[^\\u0000]*$");
            }
            Some(name) => {
                if let Some(pattern) = pattern_of(path, name) {
                    parameter["schema"]["pattern"] = Value::from(pattern);
                }
            }
            None => {}
        }
    }
}
