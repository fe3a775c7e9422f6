//! The single-page app is served at `/` with a fallback for deep links, immutable caching of
//! hashed assets, no caching of index.html, and compression; `/api` stays the API's.

use reqwest::StatusCode;

use crate::helpers::{TestApp, problem};

const INDEX: &str = "<!doctype html><html><body><script src=\"/app-0123456789abcdef.js\"></script></body></html>";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_links_get_index_and_assets_are_cached_by_name() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), INDEX).unwrap();
    std::fs::write(dist.path().join("app-0123456789abcdef.js"), "console.log('app');".repeat(200)).unwrap();
    let app = TestApp::sqlite_serving(dist.path()).await;

    for path in ["/", "/organizations/12", "/resellers?q=x"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(response.text().await.unwrap(), INDEX, "{path}");
    }

    let asset =
        app.client.get(app.url("/app-0123456789abcdef.js")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(asset.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(asset.headers()["content-encoding"], "gzip", "responses are compressed");
    assert!(asset.headers()["content-type"].to_str().unwrap().contains("javascript"));

    problem(app.client.get(app.url("/api/v1/unknown")).send().await.unwrap(), StatusCode::NOT_FOUND).await;
    problem(app.client.get(app.url("/api")).send().await.unwrap(), StatusCode::NOT_FOUND).await;
    let escape = app.client.get(app.url("/%2e%2e/%2e%2e/etc/passwd")).send().await.unwrap();
    assert!(!escape.text().await.unwrap().contains("root:"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_built_app_the_root_leads_to_the_api_docs() {
    let app = TestApp::sqlite().await;
    let root = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(root.status(), StatusCode::FOUND);
    assert_eq!(root.headers()["location"], "/api/docs/");
}
