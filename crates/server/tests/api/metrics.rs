//! `GET /metrics`: the Prometheus scrape, behind its own token, counting requests by route
//! template (never by the path typed) and imports by outcome.

use reqwest::StatusCode;

use crate::helpers::*;

async fn scrape(app: &TestApp) -> String {
    let response = app.client.get(app.url("/metrics")).bearer_auth(METRICS_TOKEN).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    response.text().await.unwrap()
}

fn value(text: &str, series: &str) -> f64 {
    let line = text.lines().find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '));
    line.unwrap_or_else(|| panic!("no {series} in:\n{text}")).rsplit(' ').next().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_ask_for_their_token_and_count_requests_by_route_and_imports_by_outcome() {
    let app = TestApp::sqlite().await;
    let user_token = app.token(D_OPS).await;
    // A user's token is not the metrics token.
    let refused = app.client.get(app.url("/metrics")).bearer_auth(&user_token).send().await.unwrap();
    problem(refused, StatusCode::UNAUTHORIZED).await;

    for id in [app.tree.r1, app.tree.r2, 999_999] {
        app.get(&user_token, &format!("/api/v1/organizations/{id}")).await;
    }
    let csv = "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName\nC1,2026-10-05,2026-10-06,10,10,USD,Usage,AWS,EC2\nC1,2026-10-06,2026-10-07,5,5,USD,Usage,AWS,EC2\n";
    assert_eq!(app.post_csv(&user_token, csv).await.status(), StatusCode::CREATED);
    assert_eq!(app.post_csv(&user_token, csv).await.status(), StatusCode::OK);
    assert_eq!(app.post_csv(&user_token, "not,a\nfocus,file\n").await.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let text = scrape(&app).await;
    let route = "route=\"/api/v1/organizations/{id}\"";
    assert_eq!(value(&text, &format!("tierdash_http_requests_total{{method=\"GET\",{route},status=\"200\"}}")), 2.0);
    assert_eq!(value(&text, &format!("tierdash_http_requests_total{{method=\"GET\",{route},status=\"404\"}}")), 1.0);
    assert_eq!(
        value(
            &text,
            &format!(
                "tierdash_http_request_duration_seconds_bucket{{method=\"GET\",{route},status=\"200\",le=\"+Inf\"}}"
            )
        ),
        2.0
    );
    assert!(!text.contains("organizations/999999"), "the path typed is never a label");
    assert_eq!(value(&text, "tierdash_import_batches_total{outcome=\"completed\"}"), 1.0);
    assert_eq!(value(&text, "tierdash_import_batches_total{outcome=\"duplicate\"}"), 1.0);
    assert_eq!(value(&text, "tierdash_import_batches_total{outcome=\"rejected\"}"), 1.0);
    assert_eq!(value(&text, "tierdash_import_rows_total"), 2.0);
    assert_eq!(value(&text, "tierdash_import_duration_seconds_count"), 3.0);
    assert_eq!(value(&text, "tierdash_reports{status=\"pending\"}"), 0.0);
    assert!(value(&text, "tierdash_db_pool_max_connections") >= 1.0);
    assert!(text.contains("# TYPE tierdash_renewals_total counter"));
}
