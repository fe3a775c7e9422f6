use base64::Engine;
use chrono::Utc;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(
    login_gives_a_short_lived_token_and_me_describes_the_caller,
    wrong_password_and_unknown_email_are_the_same_401,
    missing_expired_forged_and_unsigned_tokens_are_401,
    repeated_failures_lock_the_account,
    a_lock_answers_the_same_whether_the_account_exists,
    disabling_a_user_stops_its_tokens,
);

async fn login_gives_a_short_lived_token_and_me_describes_the_caller(app: TestApp) {
    let response = app.post_anon("/api/v1/auth/token", &json!({"email": "ADMIN@r1.test", "password": PASSWORD})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_u64().unwrap() <= 3600);
    let token = body["access_token"].as_str().unwrap();
    let claims = decode_claims(token);
    assert!(claims["exp"].as_i64().unwrap() - Utc::now().timestamp() <= 3600);
    assert_eq!(claims["org"], app.tree.r1);
    assert_eq!(claims["role"], "admin");

    let me: Value = app.get(token, "/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["organization"]["id"], app.tree.r1);
    assert_eq!(me["user"]["email"], "admin@r1.test");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["can_manage_users"], true);
    let permissions = me["permissions"].as_array().unwrap();
    assert!(permissions.contains(&json!("manage_users")) && permissions.contains(&json!("top_up")), "{me}");

    let viewer = app.token(R1_VIEWER).await;
    let me: Value = app.get(&viewer, "/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["can_view_revenue"], false);
    assert_eq!(me["can_write"], false);
    assert_eq!(me["permissions"], json!(["read_data", "view_dashboards", "view_reports"]));
}

async fn wrong_password_and_unknown_email_are_the_same_401(app: TestApp) {
    let wrong = app.post_anon("/api/v1/auth/token", &json!({"email": R1_ADMIN, "password": "not the password"})).await;
    let wrong = problem(wrong, StatusCode::UNAUTHORIZED).await;
    let unknown =
        app.post_anon("/api/v1/auth/token", &json!({"email": "nobody@r1.test", "password": "not the password"})).await;
    let unknown = problem(unknown, StatusCode::UNAUTHORIZED).await;
    assert_eq!(wrong["detail"], unknown["detail"]);
    let missing = app.post_anon("/api/v1/auth/token", &json!({"email": R1_ADMIN})).await;
    let missing = problem(missing, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(missing["detail"].as_str().unwrap().contains("password"), "{missing}");
}

async fn missing_expired_forged_and_unsigned_tokens_are_401(app: TestApp) {
    let none = app.client.get(app.url("/api/v1/organizations")).send().await.unwrap();
    assert_eq!(none.headers().get("www-authenticate").unwrap(), "Bearer");
    problem(none, StatusCode::UNAUTHORIZED).await;

    let user_id = app.get(&app.token(R1_ADMIN).await, "/api/v1/me").await.json::<Value>().await.unwrap()["user"]["id"]
        .as_i64()
        .unwrap();
    let now = Utc::now().timestamp();
    let claims = |exp: i64| json!({"sub": user_id.to_string(), "org": app.tree.r1, "role": "admin", "iat": now - 7200, "exp": exp, "iss": "tierdash"});

    let expired = sign(&claims(now - 3600), JWT_SECRET);
    problem(app.get(&expired, "/api/v1/organizations").await, StatusCode::UNAUTHORIZED).await;

    let forged = sign(&claims(now + 600), "another-secret-another-secret-another-secret");
    problem(app.get(&forged, "/api/v1/organizations").await, StatusCode::UNAUTHORIZED).await;

    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let unsigned =
        format!("{}.{}.", b64.encode(r#"{"alg":"none","typ":"JWT"}"#), b64.encode(claims(now + 600).to_string()));
    problem(app.get(&unsigned, "/api/v1/organizations").await, StatusCode::UNAUTHORIZED).await;

    // The same claims, properly signed, are accepted: the refusals above are about the token.
    let good = sign(&claims(now + 600), JWT_SECRET);
    assert_eq!(app.get(&good, "/api/v1/organizations").await.status(), StatusCode::OK);

    problem(app.get("garbage", "/api/v1/organizations").await, StatusCode::UNAUTHORIZED).await;
}

async fn repeated_failures_lock_the_account(app: TestApp) {
    for _ in 0..5 {
        let r = app.post_anon("/api/v1/auth/token", &json!({"email": R1_OPS, "password": "guess guess guess"})).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // The sixth failure locks the account: from now on even the right password waits.
    app.post_anon("/api/v1/auth/token", &json!({"email": R1_OPS, "password": "guess guess guess"})).await;
    let locked = app.post_anon("/api/v1/auth/token", &json!({"email": R1_OPS, "password": PASSWORD})).await;
    assert!(locked.headers().get("retry-after").is_some());
    problem(locked, StatusCode::TOO_MANY_REQUESTS).await;
    // Other accounts are not affected.
    app.token(R1_ADMIN).await;
}

/// The statuses and `Retry-After` presence of seven wrong passwords in a row.
async fn seven_wrong_passwords(app: &TestApp, email: &str) -> Vec<(StatusCode, bool)> {
    let mut seen = Vec::new();
    for _ in 0..7 {
        let r = app.post_anon("/api/v1/auth/token", &json!({"email": email, "password": "guess guess guess"})).await;
        seen.push((r.status(), r.headers().get("retry-after").is_some()));
    }
    seen
}

async fn a_lock_answers_the_same_whether_the_account_exists(app: TestApp) {
    let known = seven_wrong_passwords(&app, R1_OPS).await;
    let unknown = seven_wrong_passwords(&app, "nobody-here@r1.test").await;
    assert_eq!(known, unknown);
    assert_eq!(known[4], (StatusCode::UNAUTHORIZED, false));
    assert_eq!(known[5], (StatusCode::TOO_MANY_REQUESTS, true));
    // Another unknown e-mail is not locked by the first.
    let other = app.post_anon("/api/v1/auth/token", &json!({"email": "someone-else@r1.test", "password": "x"})).await;
    problem(other, StatusCode::UNAUTHORIZED).await;
}

async fn disabling_a_user_stops_its_tokens(app: TestApp) {
    let ops_token = app.token(R1_OPS).await;
    let admin = app.token(R1_ADMIN).await;
    let ops_id = app.get(&ops_token, "/api/v1/me").await.json::<Value>().await.unwrap()["user"]["id"].as_i64().unwrap();
    let r = app.patch(&admin, &format!("/api/v1/users/{ops_id}"), &json!({"disabled": true})).await;
    assert_eq!(r.status(), StatusCode::OK);
    problem(app.get(&ops_token, "/api/v1/me").await, StatusCode::UNAUTHORIZED).await;
    let login = app.post_anon("/api/v1/auth/token", &json!({"email": R1_OPS, "password": PASSWORD})).await;
    problem(login, StatusCode::UNAUTHORIZED).await;
}

fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn decode_claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}
