//! Insights (docs/metrics.md §3–§4) on lines written for the test, the figures worked out by hand
//! below, seen on 2026-10-15 over the 12 months 2025-11 … 2026-10 (the helper tree's resellers
//! are created today, after that day).
//!
//! R1 (customer C1): 100 of P1 (family Compute) in 2025-12; 50 of an SKU the catalog lacks
//! (Unmapped) in 2026-01; 10 of Tax on 2026-10-03 (not revenue) and 30 on 2026-10-20 (after
//! as_of). R2 (customer C2): 20 in 2025-05, before the range, then a refund of −5 in 2026-09
//! (a transacting month: revenue is not zero). R3 is created on 2026-02-10, R4 on 2026-10-20.
//! C1 has a subscription from 2026-03-01 to 2026-04-15; C2 one starting 2026-10-16.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(reseller_activity_adds_and_churns_are_as_worked_out_by_hand);

const QUERY: &str = "as_of=2026-10-15";

async fn json_of(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get(token, path).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

/// `field` of every month, in order.
fn series(body: &Value, field: &str) -> Vec<Value> {
    body["months"].as_array().unwrap().iter().map(|m| m[field].clone()).collect()
}

async fn reseller_activity_adds_and_churns_are_as_worked_out_by_hand(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let product =
        json!({"sku": "P1", "name": "Product 1", "family": "Compute", "provider": "AWS", "billing_model": "usage"});
    let response = app.post(&d, "/api/v1/products", &product).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let p1 = response.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    for (name, created) in [("R3", "2026-02-10T09:00:00Z"), ("R4", "2026-10-20T09:00:00Z")] {
        let body = json!({"kind": "reseller", "name": name, "external_id": name, "created_at": created});
        assert_eq!(app.post(&d, "/api/v1/organizations", &body).await.status(), StatusCode::CREATED);
    }
    for (customer, start, end) in [(app.tree.c1, "2026-03-01", Some("2026-04-15")), (app.tree.c2, "2026-10-16", None)] {
        let body = json!({"customer_id": customer, "product_id": p1, "quantity": 1, "unit_price": "10",
            "currency": "USD", "billing_interval": "monthly", "license_status": "active", "trial": false,
            "start_date": start, "end_date": end});
        let response = app.post(&d, "/api/v1/subscriptions", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{}", response.text().await.unwrap());
    }
    let mut lines = String::from(
        "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName,SkuId\n",
    );
    for (customer, day, amount, category, sku) in [
        ("C1", "2025-12-05", "100", "Usage", "P1"),
        ("C1", "2026-01-10", "50", "Usage", "ZZZ"),
        ("C1", "2026-10-03", "10", "Tax", "P1"),
        ("C1", "2026-10-20", "30", "Usage", "P1"),
        ("C2", "2025-05-10", "20", "Usage", "P1"),
        ("C2", "2026-09-02", "-5", "Credit", "P1"),
    ] {
        lines.push_str(&format!("{customer},{day},{day},{amount},USD,{category},AWS,Compute,{sku}\n"));
    }
    let imported = app.post_csv(&d, lines).await;
    assert_eq!(imported.status(), StatusCode::CREATED, "{}", imported.text().await.unwrap());

    let summary = json_of(&app, &d, &format!("/api/v1/insights/summary?{QUERY}")).await;
    let months: Vec<Value> = series(&summary, "month");
    assert_eq!(months.len(), 12);
    assert_eq!((&months[0], &months[11]), (&json!("2025-11"), &json!("2026-10")));
    let partial: Vec<bool> = series(&summary, "partial").iter().map(|p| p.as_bool().unwrap()).collect();
    assert_eq!(partial.iter().filter(|p| **p).count(), 1);
    assert!(partial[11], "as_of's month is partial");
    let n = |v: &[u64]| v.iter().map(|n| json!(n)).collect::<Vec<_>>();
    assert_eq!(series(&summary, "transacting"), n(&[0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0]));
    assert_eq!(series(&summary, "new"), n(&[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    assert_eq!(series(&summary, "active"), n(&[0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]));
    let money = |v: &[&str]| v.iter().map(|s| json!(s)).collect::<Vec<_>>();
    assert_eq!(
        series(&summary, "revenue"),
        money(&["0.00", "100.00", "50.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "-5.00", "0.00"])
    );
    assert_eq!(summary["months"][1]["revenue_by_family"], json!({"Compute": "100.00"}));
    assert_eq!(summary["months"][2]["revenue_by_family"], json!({"Unmapped": "50.00"}));
    assert_eq!(summary["months"][11]["revenue_by_family"], json!({}), "Tax and lines after as_of are not revenue");
    assert_eq!(
        summary["range"],
        json!({"from": "2025-11", "to": "2026-10", "active": 1, "transacting": 2, "new": 1, "revenue": "145.00"})
    );

    let adds = json_of(&app, &d, &format!("/api/v1/insights/adds-churns?{QUERY}")).await;
    assert_eq!(series(&adds, "enrolled"), n(&[0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]), "R3; R4 comes after as_of");
    // R2's latest month before 2025-12 is 2025-05, seven before; R1's before 2026-08 is 2026-01.
    assert_eq!(series(&adds, "churned"), n(&[0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]));
    assert_eq!(series(&adds, "existing"), n(&[0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1]));

    // A range of its own, and CSV.
    let short = json_of(&app, &d, "/api/v1/insights/summary?as_of=2026-10-15&from=2025-12&to=2026-01").await;
    assert_eq!(short["range"]["revenue"], "150.00");
    assert_eq!(series(&short, "partial"), [json!(false), json!(false)]);
    let csv = app.get(&d, "/api/v1/insights/summary?as_of=2026-10-15&from=2025-12&to=2026-01&format=csv").await;
    assert_eq!(
        csv.text().await.unwrap().lines().collect::<Vec<_>>(),
        [
            "month,partial,active,transacting,new,family,revenue",
            "2025-12,false,0,1,1,,100.00",
            "2025-12,false,0,1,1,Compute,100.00",
            "2026-01,false,0,1,0,,50.00",
            "2026-01,false,0,1,0,Unmapped,50.00",
        ]
    );

    // A sibling's lines never show: R2 sees its own refund only; a viewer sees no money.
    let r2 = app.token(R2_ADMIN).await;
    let theirs = json_of(&app, &r2, &format!("/api/v1/insights/summary?{QUERY}")).await;
    assert_eq!(theirs["range"]["revenue"], "-5.00", "{theirs}");
    assert_eq!(theirs["range"]["transacting"], 1);
    let viewer = app.token(D_VIEWER).await;
    let seen = json_of(&app, &viewer, &format!("/api/v1/insights/summary?{QUERY}")).await;
    assert!(seen["range"].get("revenue").is_none() && seen["months"][1].get("revenue_by_family").is_none());
    assert_eq!(seen["range"]["transacting"], 2);

    // Ranges that cannot be are named.
    for (bad, field) in [
        ("as_of=2026-10-15&to=2026-11", "to"),
        ("as_of=2026-10-15&from=2026-10&to=2026-09", "from"),
        ("as_of=2026-10-15&from=2023-01", "from"),
        ("as_of=2026-10-15&from=2026-1", "from"),
    ] {
        let refused =
            problem(app.get(&d, &format!("/api/v1/insights/summary?{bad}")).await, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        assert_eq!(error_fields(&refused), [field], "{bad}");
    }
}
