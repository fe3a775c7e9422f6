//! Demo data, generated into a database that already holds another distributor's tree: it
//! must be realistic, and the two trees must not see each other.

use chrono::{Datelike, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(demo_distributor_is_complete_and_isolated_from_other_trees);

async fn demo_distributor_is_complete_and_isolated_from_other_trees(app: TestApp) {
    let store = store::Store::connect(&app.database_url).await.unwrap();
    let summary = demo::generate(&store, Utc::now()).await.unwrap();
    assert_eq!((summary.resellers, summary.customers), (40, 800));
    assert!(summary.subscriptions > 1500, "{summary:?}");

    let login = app
        .post_anon("/api/v1/auth/token", &json!({"email": "admin@northwind.example", "password": demo::DEMO_PASSWORD}))
        .await;
    assert_eq!(login.status(), StatusCode::OK);
    let demo = login.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();

    let resellers: Value =
        app.get(&demo, "/api/v1/organizations?kind=reseller&per_page=500").await.json().await.unwrap();
    assert_eq!(resellers["total"], 40);
    let countries: std::collections::BTreeSet<&str> =
        resellers["items"].as_array().unwrap().iter().filter_map(|r| r["country"].as_str()).collect();
    assert!(countries.len() >= 10, "{countries:?}");

    let customers: Value =
        app.get(&demo, "/api/v1/organizations?kind=customer&per_page=500").await.json().await.unwrap();
    assert_eq!(customers["total"], 800);
    let stages: std::collections::BTreeSet<&str> =
        customers["items"].as_array().unwrap().iter().filter_map(|c| c["onboarding_stage"].as_str()).collect();
    assert!(stages.len() >= 4, "{stages:?}");

    let plans: Value = app.get(&demo, "/api/v1/service-plans?per_page=500").await.json().await.unwrap();
    let intervals: std::collections::BTreeSet<&str> =
        plans["items"].as_array().unwrap().iter().filter_map(|p| p["billing_interval"].as_str()).collect();
    assert_eq!(intervals.len(), 4, "plans in all four intervals");
    let products: Value = app.get(&demo, "/api/v1/products?per_page=500").await.json().await.unwrap();
    let providers: std::collections::BTreeSet<&str> =
        products["items"].as_array().unwrap().iter().filter_map(|p| p["provider"].as_str()).collect();
    assert!(providers.len() >= 5, "{providers:?}");

    // 24 months of history, with trials and churn, up to this month.
    let subs: Value = app.get(&demo, "/api/v1/subscriptions?per_page=500&sort=start_date").await.json().await.unwrap();
    let first = subs["items"][0]["start_date"].as_str().unwrap();
    let today = Utc::now().date_naive();
    let two_years_ago = today.checked_sub_months(chrono::Months::new(24)).unwrap();
    let first_month = format!("{:04}-{:02}", two_years_ago.year(), two_years_ago.month());
    assert!(first.starts_with(&first_month), "oldest subscription {first}, expected in {first_month}");
    let trials: Value = app.get(&demo, "/api/v1/subscriptions?per_page=1&status=expired").await.json().await.unwrap();
    assert!(trials["total"].as_u64().unwrap() > 0, "expired trials");
    let churned: Value =
        app.get(&demo, "/api/v1/subscriptions?per_page=1&status=cancelled").await.json().await.unwrap();
    assert!(churned["total"].as_u64().unwrap() > 0, "churned subscriptions");

    // 24 months of billing lines went through the import pipeline: rated lines in the rollup,
    // in several currencies, plus a few lines that show up as billing issues.
    assert!(summary.line_items > 10_000, "{summary:?}");
    let (stored, rebuilt) = store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();
    let demo_tenant = resellers["items"][0]["parent_id"].as_i64().unwrap();
    let (stored_demo, rebuilt_demo) = store::rollups::stored_and_rebuilt(&store, demo_tenant).await.unwrap();
    assert!(stored.is_empty() && rebuilt.is_empty(), "the test tree has no billing");
    assert_eq!(stored_demo, rebuilt_demo);
    let categories: std::collections::BTreeSet<&str> = stored_demo.keys().map(|k| k.category.as_str()).collect();
    assert_eq!(categories.into_iter().collect::<Vec<_>>(), ["Credit", "Purchase", "Tax", "Usage"]);
    assert!(stored_demo.keys().any(|k| k.marketplace));
    let issues: Value = app.get(&demo, "/api/v1/billing-issues?open=true").await.json().await.unwrap();
    let kinds: std::collections::BTreeSet<&str> =
        issues["items"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["unknown_customer", "unmapped_product"]);
    let rates: Value = app.get(&demo, "/api/v1/fx-rates?per_page=500").await.json().await.unwrap();
    assert!(rates["total"].as_u64().unwrap() >= 48, "EUR and GBP for every month");

    // The Partners console has every part to show: each licence status, a new partner, an
    // inactive new partner, a reseller whose units fell.
    let console: Value = app.get(&demo, "/api/v1/dashboards/partners").await.json().await.unwrap();
    for (status, tile) in console["customer_license_status"].as_object().unwrap() {
        assert!(tile["count"].as_u64().unwrap() > 0, "no customer with a {status} licence: {console}");
    }
    for part in ["new_partners", "inactive_new_partners", "decreasing_units"] {
        assert!(console[part]["total"].as_u64().unwrap() > 0, "{part}: {console}");
    }

    // Usage was updated for this month and the last, and the reports are in every state.
    let month = format!("{:04}-{:02}", today.year(), today.month());
    let usage: Value = app.get(&demo, &format!("/api/v1/usage/summary?period={month}")).await.json().await.unwrap();
    assert!(usage["update"]["updated_at"].is_string() && !usage["services"].as_array().unwrap().is_empty(), "{usage}");
    let reports: Value = app.get(&demo, "/api/v1/reports?per_page=100").await.json().await.unwrap();
    let statuses: std::collections::BTreeSet<&str> =
        reports["items"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses.into_iter().collect::<Vec<_>>(), ["failed", "pending", "ready"], "{reports}");
    for tile in ["usage_report_status", "billing_report_status"] {
        assert!(console[tile]["ready"]["count"].as_u64().unwrap() > 0, "{tile}: {console}");
    }

    // Each trading reseller has a portal: a top-up, activations paid from it, active users; the
    // ledger explains the balance, and one in eight runs low.
    let alpine = app
        .post_anon(
            "/api/v1/auth/token",
            &json!({"email": "admin@alpine-cloud.example", "password": demo::DEMO_PASSWORD}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let portal: Value = app.get(&alpine, "/api/v1/portal/summary").await.json().await.unwrap();
    assert!(portal["active_users"].as_u64().unwrap() > 0, "{portal}");
    let ledger: Value = app.get(&alpine, "/api/v1/portal/ledger?per_page=500").await.json().await.unwrap();
    let sum: rust_decimal::Decimal = ledger["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["amount"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    assert_eq!(format!("{sum:.2}"), portal["balance"].as_str().unwrap());
    let activations: Value = app.get(&alpine, "/api/v1/portal/activations").await.json().await.unwrap();
    assert!(activations["total"].as_u64().unwrap() >= 2, "{activations}");

    // The test tree's distributor sees none of the demo tree, and the other way round.
    let d = app.token(D_ADMIN).await;
    let ours: Value = app.get(&d, "/api/v1/organizations?per_page=500").await.json().await.unwrap();
    assert_eq!(ours["total"], 5);
    let theirs: Value = app.get(&demo, &format!("/api/v1/organizations/{}", app.tree.c1)).await.json().await.unwrap();
    assert_eq!(theirs["status"], 404);
    let catalog: Value = app.get(&d, "/api/v1/products").await.json().await.unwrap();
    assert_eq!(catalog["total"], 0, "catalogs are per tree");

    // Each tree's totals of a segment are its own, though every tree keeps them under the same
    // reseller 0: our customer in a segment the demo's customers are in, billed in a month they
    // were billed in, adds to our figures and leaves the demo's as they were.
    let last_month = today.with_day(1).unwrap().checked_sub_months(chrono::Months::new(1)).unwrap();
    let segments = format!("/api/v1/insights/segments?as_of={today}");
    let demo_before: Value = app.get(&demo, &segments).await.json().await.unwrap();
    let smb = |body: &Value| body["segments"].as_array().unwrap().iter().find(|s| s["segment"] == "smb").cloned();
    assert!(smb(&demo_before).is_some(), "the demo has smb customers: {demo_before}");
    let c1 = format!("/api/v1/organizations/{}", app.tree.c1);
    assert_eq!(app.patch(&d, &c1, &json!({"segment": "smb"})).await.status(), StatusCode::OK);
    let line = format!(
        "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName\n\
         C1,{last_month},{last_month},1000,USD,Usage,AWS,Compute\n"
    );
    let imported = app.post_csv(&d, line).await;
    assert_eq!(imported.status(), StatusCode::CREATED, "{}", imported.text().await.unwrap());
    let demo_after: Value = app.get(&demo, &segments).await.json().await.unwrap();
    assert_eq!(demo_after["segments"], demo_before["segments"], "the demo's segments are the demo's");
    let ours: Value = app.get(&d, &segments).await.json().await.unwrap();
    let expected = json!([
        {"segment": "smb", "customers": 1, "revenue": "1000.00"},
        {"segment": "Unknown", "customers": 1, "revenue": "0.00"},
    ]);
    assert_eq!(ours["segments"], expected, "C1 in smb, C2 in none");
    let (stored, rebuilt) = store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();
    assert_eq!(stored, rebuilt);
}
