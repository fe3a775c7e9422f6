use reqwest::StatusCode;

use crate::helpers::{TestApp, problem};
use crate::on_both_databases;

on_both_databases!(health_and_readiness_answer, unknown_routes_are_problem_json_404);

async fn health_and_readiness_answer(app: TestApp) {
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(ready.text().await.unwrap(), "ready");
}

async fn unknown_routes_are_problem_json_404(app: TestApp) {
    let response = app.client.get(app.url("/api/v1/nothing-here")).send().await.unwrap();
    problem(response, StatusCode::NOT_FOUND).await;
}
