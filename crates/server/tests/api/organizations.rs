use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(
    create_get_update_round_trip_with_history,
    list_pages_searches_sorts_and_filters,
    bad_input_is_422_naming_each_field_and_changes_nothing,
    external_id_is_unique_within_the_tree,
    sibling_reseller_sees_nothing_of_the_other,
    reseller_cannot_create_outside_its_subtree,
    roles_without_write_get_403,
    own_status_is_set_from_above,
);

async fn create_get_update_round_trip_with_history(app: TestApp) {
    let token = app.token(D_ADMIN).await;
    let body = json!({
        "kind": "customer", "parent_id": app.tree.r1, "name": "Contoso GmbH", "external_id": "CUST-42",
        "domain": "contoso.example", "country": "de", "segment": "mid_market",
        "onboarding_stage": "account_linked", "onboarding_stage_since": "2024-03-05T00:00:00Z",
        "created_at": "2024-03-01T00:00:00Z", "balance_currency": "eur"
    });
    let response = app.post(&token, "/api/v1/organizations", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers().get("location").unwrap().to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["country"], "DE");
    assert_eq!(created["balance_currency"], "EUR");
    assert_eq!(created["created_at"], "2024-03-01T00:00:00Z");
    assert_eq!(created["status"], "active");
    assert_eq!(created["onboarding_stage_since"], "2024-03-05T00:00:00Z");

    let fetched: Value = app.get(&token, &location).await.json().await.unwrap();
    assert_eq!(fetched, created);

    let patch = json!({"status": "closed", "closed_at": "2025-06-30T00:00:00Z", "onboarding_stage": "completed", "domain": null});
    let updated: Value = app.patch(&token, &location, &patch).await.json().await.unwrap();
    assert_eq!(updated["status"], "closed");
    assert_eq!(updated["closed_at"], "2025-06-30T00:00:00Z");
    assert_eq!(updated["onboarding_stage"], "completed");
    assert_eq!(updated["domain"], Value::Null);
    assert_eq!(updated["name"], "Contoso GmbH");
    assert_ne!(updated["onboarding_stage_since"], created["onboarding_stage_since"], "a new stage starts now");

    let reseller = json!({"kind": "reseller", "name": "Newco", "agreement_status": "signed", "vetting_status": "approved", "country": "FR"});
    let reseller: Value = app.post(&token, "/api/v1/organizations", &reseller).await.json().await.unwrap();
    assert_eq!(reseller["parent_id"], app.tree.distributor, "a distributor's new reseller sits below it");
    assert_eq!(reseller["agreement_status"], "signed");
}

async fn list_pages_searches_sorts_and_filters(app: TestApp) {
    let token = app.token(D_OPS).await;
    for n in 0..7 {
        let body = json!({"kind": "customer", "parent_id": app.tree.r1, "name": format!("Paging Co {n}"), "external_id": format!("P-{n}")});
        assert_eq!(app.post(&token, "/api/v1/organizations", &body).await.status(), StatusCode::CREATED);
    }
    let page: Value =
        app.get(&token, "/api/v1/organizations?q=paging%20co&per_page=3&page=3&sort=name").await.json().await.unwrap();
    assert_eq!(page["total"], 7);
    assert_eq!(page["page"], 3);
    assert_eq!(page["per_page"], 3);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["name"], "Paging Co 6");

    let desc: Value =
        app.get(&token, "/api/v1/organizations?q=PAGING&sort=-name&per_page=2").await.json().await.unwrap();
    assert_eq!(desc["items"][0]["name"], "Paging Co 6");
    assert_eq!(desc["items"][1]["name"], "Paging Co 5");

    let resellers: Value = app.get(&token, "/api/v1/organizations?kind=reseller").await.json().await.unwrap();
    let mut found = ids(&resellers);
    found.sort();
    assert_eq!(found, vec![app.tree.r1, app.tree.r2]);

    let children: Value =
        app.get(&token, &format!("/api/v1/organizations?parent_id={}", app.tree.r2)).await.json().await.unwrap();
    assert_eq!(ids(&children), vec![app.tree.c2]);

    let by_external: Value = app.get(&token, "/api/v1/organizations?external_id=C1").await.json().await.unwrap();
    assert_eq!(ids(&by_external), vec![app.tree.c1]);

    let body = json!({"kind": "customer", "parent_id": app.tree.r2, "name": "Edu", "segment": "education", "onboarding_stage": "failed"});
    let edu: Value = app.post(&token, "/api/v1/organizations", &body).await.json().await.unwrap();
    let by_segment: Value = app.get(&token, "/api/v1/organizations?segment=education").await.json().await.unwrap();
    assert_eq!(ids(&by_segment), vec![edu["id"].as_i64().unwrap()]);
    let by_stage: Value = app.get(&token, "/api/v1/organizations?onboarding_stage=failed").await.json().await.unwrap();
    assert_eq!(ids(&by_stage), vec![edu["id"].as_i64().unwrap()]);

    // Search text is matched literally: % and _ are not wildcards.
    let literal: Value = app.get(&token, "/api/v1/organizations?q=%25").await.json().await.unwrap();
    assert_eq!(literal["total"], 0);
}

async fn bad_input_is_422_naming_each_field_and_changes_nothing(app: TestApp) {
    let token = app.token(D_ADMIN).await;
    let before: Value = app.get(&token, "/api/v1/organizations").await.json().await.unwrap();

    let bad_country = json!({"kind": "customer", "parent_id": app.tree.r1, "name": "X", "country": "Germany"});
    let p =
        problem(app.post(&token, "/api/v1/organizations", &bad_country).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["country"]);

    let unknown_field = json!({"kind": "customer", "parent_id": app.tree.r1, "name": "X", "colour": "red"});
    let p = problem(app.post(&token, "/api/v1/organizations", &unknown_field).await, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("colour"));

    let wrong_type = json!({"kind": "customer", "parent_id": "one", "name": "X"});
    let p =
        problem(app.post(&token, "/api/v1/organizations", &wrong_type).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["parent_id"]);

    let bad_kind = json!({"kind": "partner", "name": "X"});
    let p = problem(app.post(&token, "/api/v1/organizations", &bad_kind).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["kind"]);

    let several = json!({"kind": "reseller", "name": " ", "segment": "smb", "created_at": "2025-01-01T00:00:00Z", "closed_at": "2024-01-01T00:00:00Z"});
    let p = problem(app.post(&token, "/api/v1/organizations", &several).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["name", "segment", "closed_at"]);

    let not_json = app
        .client
        .post(app.url("/api/v1/organizations"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    problem(not_json, StatusCode::BAD_REQUEST).await;
    let not_json_type = app
        .client
        .post(app.url("/api/v1/organizations"))
        .bearer_auth(&token)
        .body("kind=customer")
        .send()
        .await
        .unwrap();
    problem(not_json_type, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;

    let p = problem(
        app.get(&token, "/api/v1/organizations?per_page=501&page=0&sort=secret").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&p), ["page", "per_page", "sort"]);
    let p = problem(app.get(&token, "/api/v1/organizations?page=abc").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["page"]);
    problem(app.get(&token, "/api/v1/organizations/not-a-number").await, StatusCode::NOT_FOUND).await;
    problem(app.get(&token, "/api/v1/organizations/99999999999999999999").await, StatusCode::NOT_FOUND).await;

    let after: Value = app.get(&token, "/api/v1/organizations").await.json().await.unwrap();
    assert_eq!(before["total"], after["total"]);
}

async fn external_id_is_unique_within_the_tree(app: TestApp) {
    let token = app.token(D_ADMIN).await;
    let body = json!({"kind": "customer", "parent_id": app.tree.r2, "name": "Dup", "external_id": "C1"});
    let p = problem(app.post(&token, "/api/v1/organizations", &body).await, StatusCode::CONFLICT).await;
    assert!(p["detail"].as_str().unwrap().contains("external_id"));
    let patch = json!({"external_id": "C1"});
    problem(app.patch(&token, &format!("/api/v1/organizations/{}", app.tree.c2), &patch).await, StatusCode::CONFLICT)
        .await;
}

async fn sibling_reseller_sees_nothing_of_the_other(app: TestApp) {
    let r1 = app.token(R1_ADMIN).await;
    let list: Value = app.get(&r1, "/api/v1/organizations?per_page=500").await.json().await.unwrap();
    let mut visible = ids(&list);
    visible.sort();
    assert_eq!(visible, vec![app.tree.r1, app.tree.c1]);
    for id in [app.tree.r2, app.tree.c2, app.tree.distributor] {
        problem(app.get(&r1, &format!("/api/v1/organizations/{id}")).await, StatusCode::NOT_FOUND).await;
        let patch = json!({"name": "hijacked"});
        problem(app.patch(&r1, &format!("/api/v1/organizations/{id}"), &patch).await, StatusCode::NOT_FOUND).await;
    }
    let by_external: Value = app.get(&r1, "/api/v1/organizations?external_id=C2").await.json().await.unwrap();
    assert_eq!(by_external["total"], 0);
    let by_parent: Value =
        app.get(&r1, &format!("/api/v1/organizations?parent_id={}", app.tree.r2)).await.json().await.unwrap();
    assert_eq!(by_parent["total"], 0);
    // Names of parents come only from inside the subtree: R1's customer names R1, but R1 itself
    // does not name the distributor above it.
    let own: Value = app.get(&r1, &format!("/api/v1/organizations/{}", app.tree.r1)).await.json().await.unwrap();
    assert!(own.get("parent_name").is_none(), "{own}");
    let c1: Value = app.get(&r1, &format!("/api/v1/organizations/{}", app.tree.c1)).await.json().await.unwrap();
    assert_eq!(c1["parent_name"], "Reseller One");
    let d = app.token(D_ADMIN).await;
    let customers: Value = app.get(&d, "/api/v1/organizations?kind=customer&sort=name").await.json().await.unwrap();
    let resellers: Vec<&str> =
        customers["items"].as_array().unwrap().iter().map(|c| c["parent_name"].as_str().unwrap()).collect();
    assert_eq!(resellers, ["Reseller One", "Reseller Two"]);
    // And the other way round.
    let r2 = app.token(R2_ADMIN).await;
    problem(app.get(&r2, &format!("/api/v1/organizations/{}", app.tree.c1)).await, StatusCode::NOT_FOUND).await;
}

async fn reseller_cannot_create_outside_its_subtree(app: TestApp) {
    let r1 = app.token(R1_OPS).await;
    let under_sibling = json!({"kind": "customer", "parent_id": app.tree.r2, "name": "Sneaky"});
    let p =
        problem(app.post(&r1, "/api/v1/organizations", &under_sibling).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["parent_id"]);
    let a_reseller = json!({"kind": "reseller", "name": "Sneaky", "parent_id": app.tree.distributor});
    problem(app.post(&r1, "/api/v1/organizations", &a_reseller).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let reseller_under_reseller = json!({"kind": "reseller", "name": "Sneaky"});
    problem(app.post(&r1, "/api/v1/organizations", &reseller_under_reseller).await, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let own = json!({"kind": "customer", "name": "Own customer"});
    let created: Value = app.post(&r1, "/api/v1/organizations", &own).await.json().await.unwrap();
    assert_eq!(created["parent_id"], app.tree.r1, "a reseller's customer defaults to below it");
}

async fn roles_without_write_get_403(app: TestApp) {
    let body = json!({"kind": "customer", "parent_id": app.tree.r1, "name": "X"});
    for email in [D_MARKETING, D_VIEWER, D_EXEC, R1_VIEWER] {
        let token = app.token(email).await;
        problem(app.post(&token, "/api/v1/organizations", &body).await, StatusCode::FORBIDDEN).await;
        assert_eq!(app.get(&token, "/api/v1/organizations").await.status(), StatusCode::OK, "{email} reads");
    }
}

async fn own_status_is_set_from_above(app: TestApp) {
    let r1 = app.token(R1_ADMIN).await;
    let path = format!("/api/v1/organizations/{}", app.tree.r1);
    problem(app.patch(&r1, &path, &json!({"agreement_status": "signed"})).await, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let renamed: Value = app.patch(&r1, &path, &json!({"name": "Reseller One Ltd"})).await.json().await.unwrap();
    assert_eq!(renamed["name"], "Reseller One Ltd");
    let d = app.token(D_ADMIN).await;
    let signed: Value = app.patch(&d, &path, &json!({"agreement_status": "signed"})).await.json().await.unwrap();
    assert_eq!(signed["agreement_status"], "signed");
}

on_both_databases!(hostile_input_is_a_4xx_never_a_500);

async fn hostile_input_is_a_4xx_never_a_500(app: TestApp) {
    let token = app.token(D_ADMIN).await;
    // A NUL byte, which PostgreSQL refuses to store, in a query and in a body.
    problem(app.get(&token, "/api/v1/organizations?q=a%00b").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let nul = json!({"kind": "customer", "parent_id": app.tree.r1, "name": "a\u{0}b"});
    problem(app.post(&token, "/api/v1/organizations", &nul).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    // An offset beyond 64 bits.
    let p = problem(
        app.get(&token, "/api/v1/organizations?per_page=2&page=4611686018427387905").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&p), ["page"]);
    // An identifier too long for an index.
    let long = json!({"kind": "customer", "parent_id": app.tree.r1, "name": "Long", "external_id": "x".repeat(3000)});
    let p = problem(app.post(&token, "/api/v1/organizations", &long).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["external_id"]);
    // A year no database stores alike.
    let product = json!({"sku": "S", "name": "S", "family": "F", "provider": "P", "billing_model": "license"});
    let product: Value = app.post(&token, "/api/v1/products", &product).await.json().await.unwrap();
    let sub = json!({"customer_id": app.tree.c1, "product_id": product["id"], "quantity": 1, "unit_price": "1", "currency": "USD", "billing_interval": "monthly", "start_date": "-10000-01-01"});
    problem(app.post(&token, "/api/v1/subscriptions", &sub).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    // Reopening a closed organisation clears its closing date.
    let path = format!("/api/v1/organizations/{}", app.tree.c1);
    app.patch(&token, &path, &json!({"status": "closed"})).await;
    let reopened: Value = app.patch(&token, &path, &json!({"status": "active"})).await.json().await.unwrap();
    assert_eq!(reopened["closed_at"], Value::Null);
}
