use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(
    an_api_key_works_until_revoked,
    a_reseller_key_is_scoped_like_the_reseller,
    keys_are_managed_by_admins_only
);

async fn an_api_key_works_until_revoked(app: TestApp) {
    let admin = app.token(D_ADMIN).await;
    let response = app.post(&admin, "/api/v1/api-keys", &json!({"name": "ERP sync", "role": "operations"})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("tdk_"));
    assert!(secret.starts_with(created["key"]["prefix"].as_str().unwrap()));

    let me: Value = app.get(&secret, "/api/v1/me").await.json().await.unwrap();
    assert_eq!((me["role"].as_str(), me["user"].is_null()), (Some("operations"), true));
    let body = json!({"kind": "customer", "parent_id": app.tree.r1, "name": "Via key"});
    assert_eq!(app.post(&secret, "/api/v1/organizations", &body).await.status(), StatusCode::CREATED);
    problem(app.get(&secret, "/api/v1/users").await, StatusCode::FORBIDDEN).await;

    let list = app.get(&admin, "/api/v1/api-keys").await.text().await.unwrap();
    assert!(!list.contains(&secret[20..]), "lists never show the secret");

    let id = created["key"]["id"].as_i64().unwrap();
    let revoked: Value = app.delete(&admin, &format!("/api/v1/api-keys/{id}")).await.json().await.unwrap();
    assert!(revoked["revoked_at"].is_string());
    problem(app.get(&secret, "/api/v1/me").await, StatusCode::UNAUTHORIZED).await;
    let active: Value = app.get(&admin, "/api/v1/api-keys").await.json().await.unwrap();
    assert_eq!(active["total"], 0);
    let all: Value = app.get(&admin, "/api/v1/api-keys?include_revoked=true").await.json().await.unwrap();
    assert_eq!(all["total"], 1);

    let tampered = format!("{}{}", &secret[..secret.len() - 1], if secret.ends_with('0') { '1' } else { '0' });
    let fresh: Value =
        app.post(&admin, "/api/v1/api-keys", &json!({"name": "second", "role": "admin"})).await.json().await.unwrap();
    let fresh_secret = fresh["secret"].as_str().unwrap();
    let fresh_tampered =
        format!("{}{}", &fresh_secret[..fresh_secret.len() - 1], if fresh_secret.ends_with('0') { '1' } else { '0' });
    problem(app.get(&tampered, "/api/v1/me").await, StatusCode::UNAUTHORIZED).await;
    problem(app.get(&fresh_tampered, "/api/v1/me").await, StatusCode::UNAUTHORIZED).await;
    // A key cannot mint keys, nor logins.
    let login =
        json!({"email": "backdoor@dist.test", "name": "B", "role": "admin", "password": "a long enough password"});
    problem(app.post(fresh_secret, "/api/v1/users", &login).await, StatusCode::FORBIDDEN).await;
    problem(
        app.post(fresh_secret, "/api/v1/api-keys", &json!({"name": "child", "role": "admin"})).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let p = problem(
        app.post(
            &admin,
            "/api/v1/api-keys",
            &json!({"name": "old", "role": "admin", "expires_at": "2020-01-01T00:00:00Z"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&p), ["expires_at"]);
}

async fn a_reseller_key_is_scoped_like_the_reseller(app: TestApp) {
    let r1 = app.token(R1_ADMIN).await;
    let created: Value = app
        .post(&r1, "/api/v1/api-keys", &json!({"name": "R1 integration", "role": "operations"}))
        .await
        .json()
        .await
        .unwrap();
    let key = created["secret"].as_str().unwrap();
    let orgs: Value = app.get(key, "/api/v1/organizations?per_page=500").await.json().await.unwrap();
    let mut visible = ids(&orgs);
    visible.sort();
    assert_eq!(visible, vec![app.tree.r1, app.tree.c1]);
    problem(app.get(key, &format!("/api/v1/organizations/{}", app.tree.c2)).await, StatusCode::NOT_FOUND).await;
    let sneaky = json!({"kind": "customer", "parent_id": app.tree.r2, "name": "Sneaky"});
    problem(app.post(key, "/api/v1/organizations", &sneaky).await, StatusCode::UNPROCESSABLE_ENTITY).await;

    // A sibling's admin neither lists nor revokes R1's key.
    let r2 = app.token(R2_ADMIN).await;
    let r2_keys: Value = app.get(&r2, "/api/v1/api-keys").await.json().await.unwrap();
    assert_eq!(r2_keys["total"], 0);
    problem(app.delete(&r2, &format!("/api/v1/api-keys/{}", created["key"]["id"])).await, StatusCode::NOT_FOUND).await;
    // The distributor sees it: it is in its subtree.
    let d_keys: Value = app.get(&app.token(D_ADMIN).await, "/api/v1/api-keys").await.json().await.unwrap();
    assert_eq!(d_keys["total"], 1);
    let outside = json!({"name": "for R2", "role": "admin", "org_id": app.tree.r2});
    problem(app.post(&r1, "/api/v1/api-keys", &outside).await, StatusCode::UNPROCESSABLE_ENTITY).await;
}

async fn keys_are_managed_by_admins_only(app: TestApp) {
    let ops = app.token(D_OPS).await;
    problem(app.get(&ops, "/api/v1/api-keys").await, StatusCode::FORBIDDEN).await;
    problem(app.post(&ops, "/api/v1/api-keys", &json!({"name": "x", "role": "admin"})).await, StatusCode::FORBIDDEN)
        .await;
}
