//! The reseller portal: the ledger explains the balance to the cent, money moves once per
//! idempotency key, concurrent debits never overdraw, renewals happen once per period, and a
//! sibling reseller sees nothing.

use chrono::{Days, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::Store;

use crate::helpers::*;
use crate::on_both_databases;

/// A USD plan at `price` a month (refundable when asked) in the distributor's catalog.
async fn plan(app: &TestApp, d: &str, code: &str, price: &str, refundable: bool) -> i64 {
    let product = json!({"sku": format!("SKU-{code}"), "name": format!("Writer {code}"), "family": "AI Writer", "provider": "Tierdash", "billing_model": "license"});
    let product: Value = app.post(d, "/api/v1/products", &product).await.json().await.unwrap();
    let plan = json!({"product_id": product["id"], "code": code, "name": format!("Plan {code}"), "price": price,
        "currency": "USD", "billing_interval": "monthly", "refundable": refundable});
    let response = app.post(d, "/api/v1/service-plans", &plan).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn top_up(app: &TestApp, d: &str, reseller: i64, amount: &str, key: Option<&str>) -> reqwest::Response {
    let mut request = app.client.post(app.url("/api/v1/portal/top-ups")).bearer_auth(d);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request
        .json(&json!({"reseller_id": reseller, "amount": amount, "payment_reference": "bank transfer 42"}))
        .send()
        .await
        .unwrap()
}

async fn activate(app: &TestApp, token: &str, body: &Value, key: Option<&str>) -> reqwest::Response {
    let mut request = app.client.post(app.url("/api/v1/portal/activations")).bearer_auth(token);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.json(body).send().await.unwrap()
}

async fn balance(app: &TestApp, token: &str) -> String {
    let summary: Value = app.get(token, "/api/v1/portal/summary").await.json().await.unwrap();
    summary["balance"].as_str().unwrap().to_owned()
}

async fn fifty_concurrent_activations_against_a_balance_for_ten(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let r1 = app.token(R1_ADMIN).await;
    let plan = plan(&app, &d, "P10", "10.00", false).await;
    assert_eq!(top_up(&app, &d, app.tree.r1, "100.00", None).await.status(), StatusCode::CREATED);
    let body = json!({"plan_id": plan, "quantity": 1, "customer_id": app.tree.c1});
    let attempts = (0..50).map(|_| activate(&app, &r1, &body, None));
    let statuses: Vec<StatusCode> = futures_util::future::join_all(attempts).await.iter().map(|r| r.status()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count(), 10, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::PAYMENT_REQUIRED).count(), 40, "{statuses:?}");
    assert_eq!(balance(&app, &r1).await, "0.00");

    // The ledger explains the balance: one top-up, ten debits, each paying one activation.
    let ledger: Value = app.get(&r1, "/api/v1/portal/ledger?per_page=100&sort=id").await.json().await.unwrap();
    let entries = ledger["items"].as_array().unwrap();
    assert_eq!(entries.len(), 11);
    let mut running = rust_decimal::Decimal::ZERO;
    for e in entries {
        running += e["amount"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(e["balance_after"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap(), running);
    }
    let activations: Value = app.get(&r1, "/api/v1/portal/activations?per_page=100").await.json().await.unwrap();
    assert_eq!(activations["total"], 10);
    let mut paid: Vec<i64> = entries.iter().filter_map(|e| e["subscription_id"].as_i64()).collect();
    let mut made: Vec<i64> = ids(&activations);
    paid.sort();
    made.sort();
    assert_eq!(paid, made);
}

async fn retries_with_the_same_key_move_money_once(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let r1 = app.token(R1_ADMIN).await;
    let plan = plan(&app, &d, "P25", "25.00", false).await;
    let first = top_up(&app, &d, app.tree.r1, "100.00", Some("pay-1")).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again = top_up(&app, &d, app.tree.r1, "100.00", Some("pay-1")).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Value>().await.unwrap()["id"], first["id"]);
    assert_eq!(balance(&app, &r1).await, "100.00");

    // Five identical retries at once: one activation, one debit.
    let body = json!({"plan_id": plan, "quantity": 2, "client_email": "ann@c1.example", "customer_id": app.tree.c1});
    let tries = (0..5).map(|_| activate(&app, &r1, &body, Some("act-1")));
    let answers = futures_util::future::join_all(tries).await;
    let created = answers.iter().filter(|r| r.status() == StatusCode::CREATED).count();
    assert_eq!(created, 1);
    let mut ids = Vec::new();
    for a in answers {
        ids.push(a.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every retry answers the same activation");
    assert_eq!(balance(&app, &r1).await, "50.00");

    // A renewal retried with its key is paid once.
    let renew = |key: &'static str| {
        app.client
            .post(app.url(&format!("/api/v1/portal/activations/{}/renew", ids[0])))
            .bearer_auth(&r1)
            .header("Idempotency-Key", key)
            .send()
    };
    assert_eq!(renew("renew-1").await.unwrap().status(), StatusCode::OK);
    assert_eq!(renew("renew-1").await.unwrap().status(), StatusCode::OK);
    assert_eq!(balance(&app, &r1).await, "0.00");
    let detail: Value = app.get(&r1, &format!("/api/v1/portal/activations/{}", ids[0])).await.json().await.unwrap();
    assert_eq!(detail["ledger"].as_array().unwrap().len(), 2);
    assert_eq!(detail["activation"]["assigned_client"], "ann@c1.example");
}

async fn a_short_balance_answers_402_and_changes_nothing(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let r1 = app.token(R1_ADMIN).await;
    let plan = plan(&app, &d, "P10", "10.00", false).await;
    top_up(&app, &d, app.tree.r1, "5", None).await;
    let response =
        activate(&app, &r1, &json!({"plan_id": plan, "quantity": 1, "customer_id": app.tree.c1}), None).await;
    let refusal = problem(response, StatusCode::PAYMENT_REQUIRED).await;
    assert_eq!(refusal["balance"], "5");
    assert_eq!(refusal["needed"], "10.00");
    assert_eq!(refusal["detail"], "the balance of 5.00 USD does not cover 10.00 USD");
    let activations: Value = app.get(&r1, "/api/v1/portal/activations").await.json().await.unwrap();
    assert_eq!(activations["total"], 0);
    let ledger: Value = app.get(&r1, "/api/v1/portal/ledger").await.json().await.unwrap();
    assert_eq!(ledger["total"], 1);
    // Bad requests are 422 and change nothing either.
    for body in [
        json!({"plan_id": plan, "quantity": 0, "customer_id": app.tree.c1}),
        json!({"plan_id": plan, "quantity": 1, "customer_id": app.tree.c2}),
        json!({"plan_id": 999999, "quantity": 1, "customer_id": app.tree.c1}),
        json!({"plan_id": plan, "quantity": 1}),
    ] {
        problem(activate(&app, &r1, &body, None).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    for amount in ["0", "-5", "1.001"] {
        problem(top_up(&app, &d, app.tree.r1, amount, None).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    assert_eq!(balance(&app, &r1).await, "5.00");
}

async fn renewals_happen_once_per_period_even_with_two_jobs(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let r1 = app.token(R1_ADMIN).await;
    let plan = plan(&app, &d, "P10", "10.00", false).await;
    top_up(&app, &d, app.tree.r1, "30", None).await;
    let a: Value = activate(&app, &r1, &json!({"plan_id": plan, "quantity": 1, "customer_id": app.tree.c1}), None)
        .await
        .json()
        .await
        .unwrap();
    let b: Value = activate(&app, &r1, &json!({"plan_id": plan, "quantity": 1, "customer_id": app.tree.c1}), None)
        .await
        .json()
        .await
        .unwrap();
    // Both paid periods ended yesterday; the balance (10) pays one more month, not two.
    let today = Utc::now().date_naive();
    let yesterday = (today - Days::new(1)).to_string();
    let started = (today - Days::new(40)).to_string();
    for id in [&a["id"], &b["id"]] {
        let body = json!({"start_date": started, "end_date": yesterday});
        let patch = app.patch(&d, &format!("/api/v1/subscriptions/{id}"), &body).await;
        assert_eq!(patch.status(), StatusCode::OK);
    }
    let store = Store::connect(&app.database_url).await.unwrap();
    let (one, two) =
        tokio::join!(store::portal::renewals::run(&store, today), store::portal::renewals::run(&store, today));
    let (one, two) = (one.unwrap(), two.unwrap());
    assert_eq!(one.renewed + two.renewed, 1, "{one:?} {two:?}");
    assert_eq!(one.expired + two.expired, 1, "{one:?} {two:?}");
    assert_eq!(balance(&app, &r1).await, "0.00");
    let again = store::portal::renewals::run(&store, today).await.unwrap();
    assert_eq!(again, Default::default(), "nothing is due twice");

    let list: Value = app.get(&r1, "/api/v1/portal/activations?sort=id").await.json().await.unwrap();
    let statuses: Vec<&str> = list["items"].as_array().unwrap().iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert!(statuses.contains(&"active") && statuses.contains(&"expired"), "{statuses:?}");
    let expired = list["items"].as_array().unwrap().iter().find(|x| x["status"] == "expired").unwrap();
    let detail: Value =
        app.get(&r1, &format!("/api/v1/portal/activations/{}", expired["id"])).await.json().await.unwrap();
    let why = detail["ledger"].as_array().unwrap().last().unwrap();
    assert_eq!(why["amount"], "0");
    assert!(why["reference"].as_str().unwrap().contains("not renewed"));
}

async fn pause_resume_and_deactivate_with_refund(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let r1 = app.token(R1_ADMIN).await;
    let plan = plan(&app, &d, "PR", "30.00", true).await;
    top_up(&app, &d, app.tree.r1, "30", None).await;
    let a: Value = activate(&app, &r1, &json!({"plan_id": plan, "quantity": 1, "customer_id": app.tree.c1}), None)
        .await
        .json()
        .await
        .unwrap();
    let empty = json!({});
    let act = |what: &str| {
        let path = format!("/api/v1/portal/activations/{}/{what}", a["id"]);
        let (app, r1, empty) = (&app, &r1, &empty);
        async move { app.post(r1, &path, empty).await }
    };
    assert_eq!(act("pause").await.json::<Value>().await.unwrap()["status"], "paused");
    let twice = problem(act("pause").await, StatusCode::CONFLICT).await;
    assert_eq!(twice["detail"], "the activation is not active, so it cannot be paused");
    assert_eq!(act("resume").await.json::<Value>().await.unwrap()["status"], "active");
    let gone: Value = act("deactivate").await.json().await.unwrap();
    assert_eq!(gone["status"], "cancelled");
    assert_eq!(gone["next_renewal"], Value::Null);
    // Refundable: the unused days come back, so the balance rose above 0 but not above 30.
    let after: rust_decimal::Decimal = balance(&app, &r1).await.parse().unwrap();
    assert!(after > rust_decimal::Decimal::ZERO && after <= rust_decimal::Decimal::from(30), "{after}");
    assert_eq!(act("renew").await.status(), StatusCode::CONFLICT);
}

async fn resuming_after_the_paid_period_does_not_charge_the_pause(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let r1 = app.token(R1_ADMIN).await;
    let plan = plan(&app, &d, "P10", "10.00", false).await;
    top_up(&app, &d, app.tree.r1, "100", None).await;
    let a: Value = activate(&app, &r1, &json!({"plan_id": plan, "quantity": 1, "customer_id": app.tree.c1}), None)
        .await
        .json()
        .await
        .unwrap();
    let path = |what: &str| format!("/api/v1/portal/activations/{}/{what}", a["id"]);
    assert_eq!(app.post(&r1, &path("pause"), &json!({})).await.status(), StatusCode::OK);
    // Paused for three months: the paid period ended long ago.
    let today = Utc::now().date_naive();
    let body =
        json!({"start_date": (today - Days::new(120)).to_string(), "end_date": (today - Days::new(90)).to_string()});
    app.patch(&d, &format!("/api/v1/subscriptions/{}", a["id"]), &body).await;
    let resumed: Value = app.post(&r1, &path("resume"), &json!({})).await.json().await.unwrap();
    assert_eq!(resumed["next_renewal"], today.to_string(), "the next interval starts today");
    let store = Store::connect(&app.database_url).await.unwrap();
    let run = store::portal::renewals::run(&store, today).await.unwrap();
    assert_eq!(run.renewed, 1, "one interval, not the three months of the pause");
    assert_eq!(balance(&app, &r1).await, "80.00");
}

async fn a_sibling_reseller_never_sees_another_portal(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let r1 = app.token(R1_ADMIN).await;
    let r2 = app.token(R2_ADMIN).await;
    let plan = plan(&app, &d, "P10", "10.00", false).await;
    top_up(&app, &d, app.tree.r1, "50", None).await;
    let a: Value = activate(&app, &r1, &json!({"plan_id": plan, "quantity": 1, "customer_id": app.tree.c1}), None)
        .await
        .json()
        .await
        .unwrap();
    let none: Value = app.get(&r2, "/api/v1/portal/activations").await.json().await.unwrap();
    assert_eq!(none["total"], 0);
    assert_eq!(app.get(&r2, &format!("/api/v1/portal/activations/{}", a["id"])).await.status(), StatusCode::NOT_FOUND);
    let ledger: Value = app.get(&r2, "/api/v1/portal/ledger").await.json().await.unwrap();
    assert_eq!(ledger["total"], 0);
    let peek = app.get(&r2, &format!("/api/v1/portal/ledger?reseller_id={}", app.tree.r1)).await;
    assert_eq!(peek.status(), StatusCode::NOT_FOUND);
    let act = app.post(&r2, &format!("/api/v1/portal/activations/{}/deactivate", a["id"]), &json!({})).await;
    assert_eq!(act.status(), StatusCode::NOT_FOUND);
    assert_eq!(balance(&app, &r2).await, "0.00");
    // A reseller cannot top itself up from another's id, nor activate for a sibling's customer.
    let r1_ops = app.token(R1_OPS).await;
    problem(top_up(&app, &r1_ops, app.tree.r1, "10", None).await, StatusCode::FORBIDDEN).await;
    // The distributor sees R1's portal when it names R1.
    let summary: Value =
        app.get(&d, &format!("/api/v1/portal/summary?reseller_id={}", app.tree.r1)).await.json().await.unwrap();
    assert_eq!(summary["balance"], "40.00");
    assert_eq!(summary["active_software"], 1);
    problem(app.get(&d, "/api/v1/portal/summary").await, StatusCode::UNPROCESSABLE_ENTITY).await;
}

async fn a_distributor_acts_in_a_resellers_portal_when_it_names_it(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let r1 = app.token(R1_ADMIN).await;
    let plan = plan(&app, &d, "P10", "10.00", false).await;
    top_up(&app, &d, app.tree.r1, "50", None).await;
    let body = json!({"plan_id": plan, "quantity": 1, "customer_id": app.tree.c1});
    // Without naming the reseller the distributor is told which parameter to give.
    let unnamed = problem(activate(&app, &d, &body, None).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&unnamed), ["reseller_id"]);
    let named = app.client.post(app.url(&format!("/api/v1/portal/activations?reseller_id={}", app.tree.r1)));
    let created = named.bearer_auth(&d).json(&body).send().await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let a: Value = created.json().await.unwrap();
    // R1 sees the activation the distributor made, paid from R1's balance.
    assert_eq!(balance(&app, &r1).await, "40.00");
    let path = |what: &str, who: i64| format!("/api/v1/portal/activations/{}/{what}?reseller_id={who}", a["id"]);
    let paused: Value = app.post(&d, &path("pause", app.tree.r1), &json!({})).await.json().await.unwrap();
    assert_eq!(paused["status"], "paused");
    // Naming the wrong reseller finds nothing: the activation is R1's, not R2's.
    assert_eq!(app.post(&d, &path("resume", app.tree.r2), &json!({})).await.status(), StatusCode::NOT_FOUND);
    let resumed: Value = app.post(&d, &path("resume", app.tree.r1), &json!({})).await.json().await.unwrap();
    assert_eq!(resumed["status"], "active");
    // A reseller naming a sibling is refused, whatever it asks.
    let sibling = format!("/api/v1/portal/activations/{}/pause?reseller_id={}", a["id"], app.tree.r2);
    assert_eq!(app.post(&r1, &sibling, &json!({})).await.status(), StatusCode::NOT_FOUND);
}

async fn activity_feeds_active_users_and_the_summary(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let r1 = app.token(R1_ADMIN).await;
    let today = Utc::now().date_naive();
    let day = |n: u64| (today - Days::new(n)).to_string();
    let batch = json!({"items": [
        {"customer_id": app.tree.c1, "user_email": "ann@c1.example", "day": day(0)},
        {"customer_id": app.tree.c1, "user_email": "ANN@c1.example", "day": day(0)},
        {"customer_id": app.tree.c1, "user_email": "bob@c1.example", "day": day(3)},
        {"customer_id": app.tree.c1, "user_email": "cy@c1.example", "day": day(40)},
        {"customer_id": app.tree.c2, "user_email": "dee@c2.example", "day": day(1)},
    ]});
    let result: Value = app.post(&d, "/api/v1/activity", &batch).await.json().await.unwrap();
    assert_eq!(result, json!({"received": 5, "recorded": 4}));
    let again: Value = app.post(&d, "/api/v1/activity", &batch).await.json().await.unwrap();
    assert_eq!(again["recorded"], 0, "the same users and days count once");
    // R1 cannot report for R2's customer.
    let foreign = json!({"items": [{"customer_id": app.tree.c2, "user_email": "x@c2.example", "day": day(0)}]});
    problem(app.post(&r1, "/api/v1/activity", &foreign).await, StatusCode::UNPROCESSABLE_ENTITY).await;

    let summary: Value = app.get(&r1, "/api/v1/portal/summary").await.json().await.unwrap();
    assert_eq!(summary["active_users"], 2, "ann and bob in the last 30 days; cy is older, dee is R2's");
    let week: Value = app.get(&r1, "/api/v1/portal/active-users?range=7d").await.json().await.unwrap();
    let points = week["points"].as_array().unwrap();
    assert_eq!(points.len(), 7);
    assert_eq!(points[6], json!({"start": day(0), "users": 1}));
    assert_eq!(points[3], json!({"start": day(3), "users": 1}));
    let half_year: Value = app.get(&r1, "/api/v1/portal/active-users?range=6m").await.json().await.unwrap();
    assert_eq!(half_year["points"].as_array().unwrap().len(), 26);
    problem(app.get(&r1, "/api/v1/portal/active-users?range=1y").await, StatusCode::UNPROCESSABLE_ENTITY).await;
}

/// A `report_viewer` sees the portal's counts, dates and statuses but none of its money
/// (docs/roles.md §3): no balance, recurring totals, prices or ledger; an admin sees them all.
async fn a_report_viewer_sees_the_portal_without_money(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let (r1, viewer) = (app.token(R1_ADMIN).await, app.token(R1_VIEWER).await);
    let plan = plan(&app, &d, "P7", "7.00", false).await;
    assert_eq!(top_up(&app, &d, app.tree.r1, "20.00", None).await.status(), StatusCode::CREATED);
    let body = json!({"plan_id": plan, "quantity": 2, "customer_id": app.tree.c1});
    let made: Value = activate(&app, &r1, &body, None).await.json().await.unwrap();
    let id = made["id"].as_i64().unwrap();
    let get = |token: String, path: String| {
        let app = &app;
        async move { app.get(&token, &path).await.json::<Value>().await.unwrap() }
    };
    let money = ["balance", "due_next_30_days", "low_balance"];
    let summary = get(r1.clone(), "/api/v1/portal/summary".into()).await;
    assert_eq!((summary["balance"].as_str(), summary["active_software"].as_u64()), (Some("6.00"), Some(1)));
    let summary = get(viewer.clone(), "/api/v1/portal/summary".into()).await;
    assert_eq!(summary["active_software"], 1, "{summary}");
    for field in money {
        assert!(summary.get(field).is_none(), "{field} in {summary}");
    }
    let monthly = &summary["recurring"][0];
    assert_eq!(monthly["count"], 1, "{summary}");
    assert!(monthly.get("total_per_interval").is_none() && monthly.get("monthly_equivalent").is_none(), "{monthly}");
    let list = get(viewer.clone(), "/api/v1/portal/activations".into()).await;
    assert_eq!(list["items"][0]["quantity"], 2);
    assert!(list["items"][0].get("price_per_interval").is_none(), "{list}");
    let detail = get(viewer.clone(), format!("/api/v1/portal/activations/{id}")).await;
    assert!(detail.get("ledger").is_none() && detail["activation"].get("price_per_interval").is_none(), "{detail}");
    let mine = get(r1.clone(), format!("/api/v1/portal/activations/{id}")).await;
    assert_eq!(
        (mine["activation"]["price_per_interval"].as_str(), mine["ledger"].as_array().map(Vec::len)),
        (Some("14.00"), Some(1))
    );
    let plans = get(viewer.clone(), "/api/v1/service-plans".into()).await;
    assert!(plans["total"].as_u64() >= Some(1) && plans["items"][0].get("price").is_none(), "{plans}");
    let subscription = get(viewer.clone(), format!("/api/v1/subscriptions/{id}")).await;
    assert!(subscription["quantity"] == 2 && subscription.get("unit_price").is_none(), "{subscription}");
    assert_eq!(get(r1.clone(), format!("/api/v1/subscriptions/{id}")).await["unit_price"], "7.00");
    problem(app.get(&viewer, "/api/v1/portal/ledger").await, StatusCode::FORBIDDEN).await;
}

on_both_databases!(
    a_report_viewer_sees_the_portal_without_money,
    fifty_concurrent_activations_against_a_balance_for_ten,
    retries_with_the_same_key_move_money_once,
    a_short_balance_answers_402_and_changes_nothing,
    a_distributor_acts_in_a_resellers_portal_when_it_names_it,
    renewals_happen_once_per_period_even_with_two_jobs,
    pause_resume_and_deactivate_with_refund,
    resuming_after_the_paid_period_does_not_charge_the_pause,
    a_sibling_reseller_never_sees_another_portal,
    activity_feeds_active_users_and_the_summary,
);
