//! The committed spec is what the code generates, and the served spec is the same document.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;

#[test]
fn committed_spec_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json"))
        .expect("openapi/openapi.json exists (run `make openapi`)");
    let generated = server::startup::openapi_json();
    assert!(committed == generated, "openapi/openapi.json is out of date: run `make openapi` and commit it");
}

#[test]
fn every_operation_is_described_and_protected_ones_name_their_scheme() {
    let spec: Value = serde_json::from_str(&server::startup::openapi_json()).unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
    let mut operations = 0;
    // Generated clients name their functions after operation ids: each is one operation's.
    let mut ids = std::collections::HashSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let id = op["operationId"].as_str().unwrap_or_default().to_owned();
            assert!(ids.insert(id.clone()), "{method} {path}: operationId {id:?} is not unique");
            let described = op["summary"].is_string() || op["description"].is_string();
            assert!(described, "{method} {path} has no description");
            let public = matches!(path.as_str(), "/healthz" | "/readyz" | "/api/v1/auth/token");
            // The scrape has a token of its own, not a user's.
            let scheme = if path == "/metrics" { "metrics_token" } else { "bearer" };
            if !public {
                assert!(op["security"].to_string().contains(scheme), "{method} {path} does not name its security");
                assert!(op["responses"]["401"].is_object(), "{method} {path} does not document 401");
            }
        }
    }
    assert!(operations >= 27, "only {operations} operations documented");
}

/// Every response is described (OpenAPI requires it), every list's `sort` names exactly the
/// fields it sorts by, and every path of `spec_rules::SORTS` exists.
#[test]
fn responses_are_described_and_sorts_enumerated() {
    let spec: Value = serde_json::from_str(&server::startup::openapi_json()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                let described = response["description"].as_str().is_some_and(|d| !d.is_empty());
                assert!(described, "{method} {path} {status} has no description");
            }
            for parameter in op["parameters"].as_array().into_iter().flatten() {
                if parameter["name"] == "sort" {
                    assert!(parameter["schema"]["enum"].is_array(), "{method} {path}: sort is not enumerated");
                }
            }
        }
    }
    for (path, fields) in server::spec_rules::SORTS {
        let parameters = &spec["paths"][path]["get"]["parameters"];
        let sort = parameters.as_array().unwrap().iter().find(|p| p["name"] == "sort");
        match sort {
            Some(sort) => assert_eq!(sort["schema"]["enum"].as_array().unwrap().len(), fields.len() * 2 + 1, "{path}"),
            None => assert!(fields.is_empty(), "{path} lost its sort"),
        }
    }
    let trend = &spec["paths"]["/api/v1/insights/revenue-trend"]["get"]["parameters"];
    let sort = trend.as_array().unwrap().iter().find(|p| p["name"] == "sort").unwrap();
    assert_eq!(sort["schema"]["enum"], serde_json::json!(["", "revenue", "-revenue", "name", "-name"]));
}

/// A body rule names a property the document has (a renamed schema or field would otherwise
/// leave the rule, and the bound it states, silently behind).
#[test]
fn every_body_rule_names_a_property_of_the_document() {
    let spec: Value = serde_json::from_str(&server::startup::openapi_json()).unwrap();
    for (schema, property, rule) in server::spec_rules::body_rules() {
        let target = spec.pointer(&format!("/components/schemas/{schema}/properties/{property}"));
        let target = target.unwrap_or_else(|| panic!("{schema}.{property} is not in the document"));
        for (key, value) in rule.as_object().unwrap() {
            assert_eq!(&target[key], value, "{schema}.{property}.{key}");
        }
    }
}

#[test]
fn every_schema_referred_to_is_defined() {
    let spec = server::startup::openapi_json();
    let parsed: Value = serde_json::from_str(&spec).unwrap();
    let defined = parsed["components"]["schemas"].as_object().unwrap();
    let prefix = "\"#/components/schemas/";
    for reference in spec.split(prefix).skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(defined.contains_key(name), "#/components/schemas/{name} is referred to and not defined");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_spec_and_docs_page_work_offline() {
    let app = TestApp::sqlite().await;
    let served: Value = app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let generated: Value = serde_json::from_str(&server::startup::openapi_json()).unwrap();
    assert_eq!(served, generated);
    let docs = app.client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    let html = docs.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "the docs page is Swagger UI");
    assert!(!html.contains("https://"), "the docs page loads nothing from the internet");
}
