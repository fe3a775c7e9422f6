use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(admin_manages_users_of_its_subtree, only_admins_manage_users, admins_cannot_lock_themselves_out);

async fn admin_manages_users_of_its_subtree(app: TestApp) {
    let r1 = app.token(R1_ADMIN).await;
    let body = json!({"email": "New.Person@R1.test", "name": "New Person", "role": "marketing", "password": "a long enough password", "org_id": app.tree.c1});
    let response = app.post(&r1, "/api/v1/users", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["email"], "new.person@r1.test");
    assert!(user.get("password_hash").is_none() && user.get("password").is_none());
    let login = app
        .post_anon("/api/v1/auth/token", &json!({"email": "new.person@r1.test", "password": "a long enough password"}))
        .await;
    assert_eq!(login.status(), StatusCode::OK);
    let theirs = login.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get(&theirs, "/api/v1/me").await.status(), StatusCode::OK);

    let list: Value = app.get(&r1, "/api/v1/users?per_page=100").await.json().await.unwrap();
    let emails: Vec<&str> = list["items"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap()).collect();
    assert!(emails.contains(&"new.person@r1.test") && emails.contains(&R1_OPS));
    assert!(!emails.contains(&R2_ADMIN) && !emails.contains(&D_ADMIN), "no user outside the subtree: {emails:?}");

    let r2_user = app.get(&app.token(R2_ADMIN).await, "/api/v1/me").await.json::<Value>().await.unwrap()["user"]["id"]
        .as_i64()
        .unwrap();
    problem(app.get(&r1, &format!("/api/v1/users/{r2_user}")).await, StatusCode::NOT_FOUND).await;
    problem(
        app.patch(&r1, &format!("/api/v1/users/{r2_user}"), &json!({"disabled": true})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let outside = json!({"email": "x@x.test", "name": "X", "role": "admin", "password": "a long enough password", "org_id": app.tree.r2});
    let p = problem(app.post(&r1, "/api/v1/users", &outside).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["org_id"]);

    let duplicate = json!({"email": R2_ADMIN, "name": "Dup", "role": "admin", "password": "a long enough password"});
    problem(app.post(&r1, "/api/v1/users", &duplicate).await, StatusCode::CONFLICT).await;
    let weak = json!({"email": "weak@r1.test", "name": "W", "role": "admin", "password": "short"});
    let p = problem(app.post(&r1, "/api/v1/users", &weak).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["password"]);
    let bad_role =
        json!({"email": "r@r1.test", "name": "R", "role": "superuser", "password": "a long enough password"});
    let p = problem(app.post(&r1, "/api/v1/users", &bad_role).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["role"]);

    let id = user["id"].as_i64().unwrap();
    let promoted: Value = app
        .patch(&r1, &format!("/api/v1/users/{id}"), &json!({"role": "operations", "password": "another long password"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(promoted["role"], "operations");
    let old = app
        .post_anon("/api/v1/auth/token", &json!({"email": "new.person@r1.test", "password": "a long enough password"}))
        .await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    // The token issued before still signs its user in, with the role stored now.
    let me = app.get(&theirs, "/api/v1/me").await.json::<Value>().await.unwrap();
    assert_eq!(me["user"]["role"], "operations", "{me}");
}

async fn only_admins_manage_users(app: TestApp) {
    for email in [D_OPS, D_MARKETING, D_VIEWER, D_EXEC, R1_OPS] {
        let token = app.token(email).await;
        problem(app.get(&token, "/api/v1/users").await, StatusCode::FORBIDDEN).await;
        let body = json!({"email": "x@x.test", "name": "X", "role": "admin", "password": "a long enough password"});
        problem(app.post(&token, "/api/v1/users", &body).await, StatusCode::FORBIDDEN).await;
    }
}

async fn admins_cannot_lock_themselves_out(app: TestApp) {
    let token = app.token(D_ADMIN).await;
    let me = app.get(&token, "/api/v1/me").await.json::<Value>().await.unwrap()["user"]["id"].as_i64().unwrap();
    problem(
        app.patch(&token, &format!("/api/v1/users/{me}"), &json!({"disabled": true})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    problem(
        app.patch(&token, &format!("/api/v1/users/{me}"), &json!({"role": "marketing"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
}
