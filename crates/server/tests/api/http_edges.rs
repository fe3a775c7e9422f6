//! What the server answers at the edges of HTTP, whatever the route: bodies that are JSON but
//! not objects, methods a path does not take, bodies over the limit. Each is a problem+json a
//! client can read, and none changes anything.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_body_must_be_an_object_not_values_by_position() {
    let app = TestApp::sqlite().await;
    // An array of the right values in the right order was once read as the object.
    let login = app.post_anon("/api/v1/auth/token", &json!([R1_ADMIN, PASSWORD])).await;
    let p = problem(login, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), vec!["body"], "{p}");

    let token = app.token(D_ADMIN).await;
    let product = json!({"sku": "SKU1", "name": "P1", "family": "F", "provider": "AWS", "billing_model": "usage"});
    let created: Value = app.post(&token, "/api/v1/products", &product).await.json().await.unwrap();
    let path = format!("/api/v1/products/{}", created["id"]);
    for body in [json!(["NEW-SKU", "renamed"]), json!([null, null]), json!("renamed"), json!(3)] {
        problem(app.patch(&token, &path, &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let json_import = app.post(&token, "/api/v1/imports/json", &json!([[]])).await;
    problem(json_import, StatusCode::UNPROCESSABLE_ENTITY).await;
    let after: Value = app.get(&token, &path).await.json().await.unwrap();
    assert_eq!((after["sku"].as_str(), after["name"].as_str()), (Some("SKU1"), Some("P1")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_method_a_path_does_not_take_is_405_with_the_methods_it_does() {
    let app = TestApp::sqlite().await;
    let token = app.token(D_ADMIN).await;
    let cases = [
        (Method::DELETE, "/api/v1/auth/token", "POST"),
        (Method::GET, "/api/v1/auth/token", "POST"),
        (Method::TRACE, "/api/v1/organizations", "GET, POST"),
        (Method::OPTIONS, "/api/v1/organizations/1", "GET, PATCH"),
        (Method::PUT, "/api/v1/dashboards/home", "GET"),
    ];
    for (method, path, allow) in cases {
        let response = app.client.request(method.clone(), app.url(path)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.headers().get("allow").map(|v| v.to_str().unwrap().to_owned()).as_deref(), Some(allow));
        let p = problem(response, StatusCode::METHOD_NOT_ALLOWED).await;
        assert!(p["detail"].as_str().unwrap().contains(allow), "{method} {path}: {p}");
    }
    // A path that does not exist stays a 404, whatever the method.
    let missing = app.client.delete(app.url("/api/v1/no-such-thing")).bearer_auth(&token).send().await.unwrap();
    problem(missing, StatusCode::NOT_FOUND).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_the_limit_is_a_413_problem() {
    let app = TestApp::sqlite().await;
    let token = app.token(D_ADMIN).await;
    let big = format!("{{\"rates\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    for path in ["/api/v1/imports/json", "/api/v1/fx-rates/import", "/api/v1/auth/token"] {
        let response = app
            .client
            .post(app.url(path))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await
            .unwrap();
        let p = problem(response, StatusCode::PAYLOAD_TOO_LARGE).await;
        assert!(p["detail"].as_str().is_some(), "{path}: {p}");
    }
}
