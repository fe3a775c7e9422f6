use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(
    products_and_plans_round_trip,
    catalog_is_read_by_the_tree_and_written_by_its_top,
    plan_validation_names_fields,
);

async fn products_and_plans_round_trip(app: TestApp) {
    let token = app.token(D_OPS).await;
    let product = json!({"sku": "MS-M365-BP", "name": "M365 Business Premium", "family": "Microsoft 365", "provider": "Microsoft", "billing_model": "license"});
    let response = app.post(&token, "/api/v1/products", &product).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let product: Value = response.json().await.unwrap();
    assert_eq!(product["marketplace"], false);
    let id = product["id"].as_i64().unwrap();

    let other = json!({"sku": "AWS-EC2", "name": "Amazon EC2", "family": "AWS", "provider": "AWS", "billing_model": "usage", "marketplace": true});
    app.post(&token, "/api/v1/products", &other).await;
    let page: Value = app.get(&token, "/api/v1/products?provider=AWS").await.json().await.unwrap();
    assert_eq!(page["total"], 1);
    let page: Value = app.get(&token, "/api/v1/products?q=premium").await.json().await.unwrap();
    assert_eq!(ids(&page), vec![id]);
    let page: Value = app.get(&token, "/api/v1/products?sort=-sku").await.json().await.unwrap();
    assert_eq!(page["items"][0]["sku"], "MS-M365-BP");

    let updated: Value = app
        .patch(&token, &format!("/api/v1/products/{id}"), &json!({"name": "Microsoft 365 Business Premium"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(updated["name"], "Microsoft 365 Business Premium");
    problem(
        app.post(
            &token,
            "/api/v1/products",
            &json!({"sku": "MS-M365-BP", "name": "x", "family": "x", "provider": "x", "billing_model": "license"}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;

    for (code, price, interval) in [
        ("BP-M", "22.00", "monthly"),
        ("BP-Q", "66.00", "quarterly"),
        ("BP-A", "237.60", "annual"),
        ("BP-S", "125.40", "semiannual"),
    ] {
        let plan = json!({"product_id": id, "code": code, "name": code, "price": price, "currency": "usd", "billing_interval": interval});
        let response = app.post(&token, "/api/v1/service-plans", &plan).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let plan: Value = response.json().await.unwrap();
        assert_eq!(plan["price"], price, "money keeps its exact decimal string");
        assert_eq!(plan["currency"], "USD");
    }
    let by_price: Value = app.get(&token, "/api/v1/service-plans?sort=-price").await.json().await.unwrap();
    let prices: Vec<&str> =
        by_price["items"].as_array().unwrap().iter().map(|p| p["price"].as_str().unwrap()).collect();
    assert_eq!(prices, ["237.60", "125.40", "66.00", "22.00"], "prices sort as numbers, not text");
    let annual: Value = app.get(&token, "/api/v1/service-plans?billing_interval=annual").await.json().await.unwrap();
    let plan_id = annual["items"][0]["id"].as_i64().unwrap();
    let disabled: Value = app
        .patch(&token, &format!("/api/v1/service-plans/{plan_id}"), &json!({"enabled": false, "price": "200.00"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((disabled["enabled"].clone(), disabled["price"].clone()), (json!(false), json!("200.00")));
    let enabled: Value = app.get(&token, "/api/v1/service-plans?enabled=true").await.json().await.unwrap();
    assert_eq!(enabled["total"], 3);
}

async fn catalog_is_read_by_the_tree_and_written_by_its_top(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let product = json!({"sku": "QS-AIW", "name": "AI Writer", "family": "AI Writer", "provider": "Quillsoft", "billing_model": "license"});
    let product: Value = app.post(&d, "/api/v1/products", &product).await.json().await.unwrap();
    let r1 = app.token(R1_ADMIN).await;
    let seen: Value = app.get(&r1, &format!("/api/v1/products/{}", product["id"])).await.json().await.unwrap();
    assert_eq!(seen["sku"], "QS-AIW");
    let own = json!({"sku": "R1-OWN", "name": "x", "family": "x", "provider": "x", "billing_model": "license"});
    problem(app.post(&r1, "/api/v1/products", &own).await, StatusCode::FORBIDDEN).await;
    problem(
        app.patch(&r1, &format!("/api/v1/products/{}", product["id"]), &json!({"name": "mine"})).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let marketing = app.token(D_MARKETING).await;
    problem(app.post(&marketing, "/api/v1/products", &own).await, StatusCode::FORBIDDEN).await;
}

async fn plan_validation_names_fields(app: TestApp) {
    let token = app.token(D_ADMIN).await;
    let bad = json!({"product_id": 424242, "code": "X", "name": "X", "price": "-1", "currency": "EURO", "billing_interval": "monthly"});
    let p = problem(app.post(&token, "/api/v1/service-plans", &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["currency"], "an unreadable field is named before any other check");
    let bad = json!({"product_id": 1, "code": "X", "name": "X", "price": "1", "currency": "EUR", "billing_interval": "weekly"});
    let p = problem(app.post(&token, "/api/v1/service-plans", &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["billing_interval"]);
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("monthly"), "the message lists the accepted values");
    let bad = json!({"product_id": 424242, "code": "X", "name": "X", "price": "-1", "currency": "EUR", "billing_interval": "monthly"});
    let p = problem(app.post(&token, "/api/v1/service-plans", &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["price"]);
    let bad = json!({"product_id": 424242, "code": "X", "name": "X", "price": "1", "currency": "EUR", "billing_interval": "monthly"});
    let p = problem(app.post(&token, "/api/v1/service-plans", &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["product_id"]);
    let bad = json!({"product_id": 1, "code": "X", "name": "X", "price": "abc", "currency": "EUR", "billing_interval": "monthly"});
    let p = problem(app.post(&token, "/api/v1/service-plans", &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["price"]);
}
