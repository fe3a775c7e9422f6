use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(
    subscriptions_round_trip_with_plan_defaults_and_filters,
    sibling_subscriptions_are_invisible,
    subscription_validation
);

/// A product with a monthly plan; returns (product id, plan id).
async fn catalog(app: &TestApp, token: &str) -> (i64, i64) {
    let product = json!({"sku": "GWS", "name": "Workspace", "family": "Google Workspace", "provider": "Google Cloud", "billing_model": "license"});
    let product: Value = app.post(token, "/api/v1/products", &product).await.json().await.unwrap();
    let plan = json!({"product_id": product["id"], "code": "GWS-M", "name": "Monthly", "price": "12.00", "currency": "EUR", "billing_interval": "monthly"});
    let plan: Value = app.post(token, "/api/v1/service-plans", &plan).await.json().await.unwrap();
    (product["id"].as_i64().unwrap(), plan["id"].as_i64().unwrap())
}

async fn subscriptions_round_trip_with_plan_defaults_and_filters(app: TestApp) {
    let d = app.token(D_OPS).await;
    let (product, plan) = catalog(&app, &d).await;
    let body = json!({"customer_id": app.tree.c1, "product_id": product, "plan_id": plan, "quantity": 25, "start_date": "2025-01-01", "assigned_client": "it@c1.example"});
    let response = app.post(&d, "/api/v1/subscriptions", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sub: Value = response.json().await.unwrap();
    assert_eq!(sub["reseller_id"], app.tree.r1, "the reseller is the customer's");
    assert_eq!(
        (sub["unit_price"].as_str(), sub["currency"].as_str(), sub["billing_interval"].as_str()),
        (Some("12.00"), Some("EUR"), Some("monthly"))
    );
    assert_eq!((sub["status"].as_str(), sub["license_status"].as_str()), (Some("active"), Some("active")));

    let trial = json!({"customer_id": app.tree.c2, "product_id": product, "quantity": 5, "unit_price": "0", "currency": "USD", "billing_interval": "monthly", "trial": true, "start_date": "2025-02-01", "end_date": "2025-03-02"});
    let trial: Value = app.post(&d, "/api/v1/subscriptions", &trial).await.json().await.unwrap();
    assert_eq!(trial["license_status"], "trial");

    let r1_subs: Value =
        app.get(&d, &format!("/api/v1/subscriptions?reseller_id={}", app.tree.r1)).await.json().await.unwrap();
    assert_eq!(ids(&r1_subs), vec![sub["id"].as_i64().unwrap()]);
    let by_customer: Value =
        app.get(&d, &format!("/api/v1/subscriptions?customer_id={}", app.tree.c2)).await.json().await.unwrap();
    assert_eq!(ids(&by_customer), vec![trial["id"].as_i64().unwrap()]);
    let by_product: Value = app
        .get(&d, &format!("/api/v1/subscriptions?product_id={product}&sort=-start_date"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_product["items"][0]["id"], trial["id"]);

    let path = format!("/api/v1/subscriptions/{}", sub["id"]);
    let cancelled: Value = app
        .patch(&d, &path, &json!({"status": "cancelled", "end_date": "2025-09-30", "quantity": 30}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (cancelled["status"].as_str(), cancelled["end_date"].as_str(), cancelled["quantity"].as_i64()),
        (Some("cancelled"), Some("2025-09-30"), Some(30))
    );
    let active: Value = app.get(&d, "/api/v1/subscriptions?status=active").await.json().await.unwrap();
    assert_eq!(ids(&active), vec![trial["id"].as_i64().unwrap()]);
    let search: Value = app.get(&d, "/api/v1/subscriptions?q=C1.EXAMPLE").await.json().await.unwrap();
    assert_eq!(search["total"], 1);
}

async fn sibling_subscriptions_are_invisible(app: TestApp) {
    let d = app.token(D_OPS).await;
    let (product, plan) = catalog(&app, &d).await;
    let of_c2 = json!({"customer_id": app.tree.c2, "product_id": product, "plan_id": plan, "quantity": 3, "start_date": "2025-01-01"});
    let of_c2: Value = app.post(&d, "/api/v1/subscriptions", &of_c2).await.json().await.unwrap();
    let r1 = app.token(R1_OPS).await;
    let list: Value = app.get(&r1, "/api/v1/subscriptions").await.json().await.unwrap();
    assert_eq!(list["total"], 0);
    let filtered: Value =
        app.get(&r1, &format!("/api/v1/subscriptions?customer_id={}", app.tree.c2)).await.json().await.unwrap();
    assert_eq!(filtered["total"], 0);
    let path = format!("/api/v1/subscriptions/{}", of_c2["id"]);
    problem(app.get(&r1, &path).await, StatusCode::NOT_FOUND).await;
    problem(app.patch(&r1, &path, &json!({"quantity": 1})).await, StatusCode::NOT_FOUND).await;
    let for_sibling = json!({"customer_id": app.tree.c2, "product_id": product, "plan_id": plan, "quantity": 1, "start_date": "2025-01-01"});
    let p = problem(app.post(&r1, "/api/v1/subscriptions", &for_sibling).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["customer_id"]);
    let own = json!({"customer_id": app.tree.c1, "product_id": product, "plan_id": plan, "quantity": 1, "start_date": "2025-01-01"});
    assert_eq!(app.post(&r1, "/api/v1/subscriptions", &own).await.status(), StatusCode::CREATED);
}

async fn subscription_validation(app: TestApp) {
    let d = app.token(D_OPS).await;
    let (product, _) = catalog(&app, &d).await;
    let bad = json!({"customer_id": app.tree.c1, "product_id": product, "quantity": -1, "unit_price": "-2", "start_date": "2025-05-01", "end_date": "2025-04-01"});
    let p = problem(app.post(&d, "/api/v1/subscriptions", &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["quantity", "unit_price", "end_date"]);
    let no_price =
        json!({"customer_id": app.tree.c1, "product_id": product, "quantity": 1, "start_date": "2025-05-01"});
    let p = problem(app.post(&d, "/api/v1/subscriptions", &no_price).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["unit_price", "currency", "billing_interval"]);
    let a_reseller = json!({"customer_id": app.tree.r1, "product_id": product, "quantity": 1, "unit_price": "1", "currency": "USD", "billing_interval": "monthly", "start_date": "2025-05-01"});
    let p = problem(app.post(&d, "/api/v1/subscriptions", &a_reseller).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["customer_id"]);
    let bad_date =
        json!({"customer_id": app.tree.c1, "product_id": product, "quantity": 1, "start_date": "2025-02-30"});
    let p = problem(app.post(&d, "/api/v1/subscriptions", &bad_date).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["start_date"]);
}
