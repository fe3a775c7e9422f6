//! The kept answers of the slow dashboard and usage reads (`server/src/answers.rs`): given again
//! only while the data (and for the usage pages the snapshot and reports) is unchanged, whoever
//! wrote it and through whatever connection, and only to a caller of the same scope and rights.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(
    a_kept_answer_is_given_only_while_the_data_is_unchanged,
    kept_answers_are_computed_again_when_the_data_changes,
    kept_answers_stay_with_the_scope_and_rights_that_asked,
    usage_pages_are_kept_until_the_snapshot_or_a_report_changes
);

const SUMMARY: &str = "/api/v1/insights/summary?as_of=2026-10-31";
const TREND: &str = "/api/v1/insights/revenue-trend?as_of=2026-10-31";
const OVERVIEW: &str = "/api/v1/dashboards/home/overview?as_of=2026-10-31";
const HOME: &str = "/api/v1/dashboards/home?as_of=2026-10-31";

async fn import(app: &TestApp, token: &str, rows: &[&str]) {
    let body = format!(
        "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName\n{}\n",
        rows.join("\n")
    );
    let response = app.post_csv(token, body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{}", response.text().await.unwrap());
}

/// Answers (kept, computed) so far, from `/metrics`.
async fn answer_counts(app: &TestApp) -> (u64, u64) {
    let (kept, computed, _) = answers_so_far(app).await;
    (kept, computed)
}

/// Answers (kept, computed, refreshed) so far, from `/metrics`.
async fn answers_so_far(app: &TestApp) -> (u64, u64, u64) {
    let metrics = app.client.get(app.url("/metrics")).bearer_auth(METRICS_TOKEN).send().await.unwrap();
    let metrics = metrics.text().await.unwrap();
    let count = |result: &str| -> u64 {
        let line = format!("tierdash_dashboard_answers_total{{result=\"{result}\"}} ");
        metrics.lines().find_map(|l| l.strip_prefix(line.as_str())).and_then(|n| n.parse().ok()).unwrap_or(u64::MAX)
    };
    (count("kept"), count("computed"), count("refreshed"))
}

/// The first reseller's name in the trend.
async fn trend_name(app: &TestApp, token: &str) -> Value {
    let trend = json_of(app, token, TREND).await;
    let items = trend["items"].as_array().unwrap();
    items.iter().find(|r| r["reseller_id"] == json!(app.tree.r1)).map(|r| r["name"].clone()).unwrap_or(Value::Null)
}

async fn a_kept_answer_is_given_only_while_the_data_is_unchanged(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    import(&app, &d, &["C1,2026-10-05,2026-10-05,100,USD,Usage,AWS,EC2"]).await;
    let first = json_of(&app, &d, SUMMARY).await;
    assert_eq!(first["range"]["revenue"], "100.00", "{first}");
    assert_eq!(json_of(&app, &d, SUMMARY).await, first, "the same question, the same answer");
    assert_eq!(answer_counts(&app).await, (1, 1), "the second was given from the first");
    // A write the dashboards do not read leaves the answer kept: an API key made.
    let key = app.post(&d, "/api/v1/api-keys", &json!({"name": "ERP sync", "role": "operations"})).await;
    assert_eq!(key.status(), StatusCode::CREATED, "{}", key.text().await.unwrap());
    assert_eq!(json_of(&app, &d, SUMMARY).await, first);
    assert_eq!(answer_counts(&app).await, (2, 1), "kept across a write of a table no dashboard reads");
    let overview = json_of(&app, &d, OVERVIEW).await;
    assert_eq!(overview["months"][11]["total"]["total"], "100.00", "{overview}");
    assert_eq!(json_of(&app, &d, HOME).await["current_month_revenue"]["total"], "100.00");
    assert_eq!(json_of(&app, &d, HOME).await["current_month_revenue"]["total"], "100.00");

    // An import: every view is computed again.
    import(&app, &d, &["C2,2026-10-06,2026-10-06,20,USD,Usage,AWS,EC2"]).await;
    assert_eq!(json_of(&app, &d, SUMMARY).await["range"]["revenue"], "120.00");
    assert_eq!(json_of(&app, &d, OVERVIEW).await["months"][11]["total"]["total"], "120.00");
    assert_eq!(json_of(&app, &d, HOME).await["current_month_revenue"]["total"], "120.00");

    // A reseller renamed through the API.
    assert_eq!(trend_name(&app, &d).await, "Reseller One");
    let path = format!("/api/v1/organizations/{}", app.tree.r1);
    let renamed = app.patch(&d, &path, &json!({"name": "Renamed"})).await;
    assert_eq!(renamed.status(), StatusCode::OK, "{}", renamed.text().await.unwrap());
    assert_eq!(trend_name(&app, &d).await, "Renamed");

    // A write through another connection (the command line's imports, an operator's SQL).
    let store = store::Store::connect(&app.database_url).await.unwrap();
    store.execute_raw(&format!("UPDATE organizations SET name = 'Outside' WHERE id = {}", app.tree.r1)).await.unwrap();
    assert_eq!(trend_name(&app, &d).await, "Outside");
}

/// After an import the questions asked before are answered again in the background: the next
/// request is given the new figures without computing them.
async fn kept_answers_are_computed_again_when_the_data_changes(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    import(&app, &d, &["C1,2026-10-05,2026-10-05,100,USD,Usage,AWS,EC2"]).await;
    assert_eq!(json_of(&app, &d, SUMMARY).await["range"]["revenue"], "100.00");
    assert_eq!(json_of(&app, &d, HOME).await["current_month_revenue"]["total"], "100.00");
    let (_, _, refreshed_before) = answers_so_far(&app).await;
    import(&app, &d, &["C2,2026-10-06,2026-10-06,20,USD,Usage,AWS,EC2"]).await;
    // The server looks at the data's generation every second; waited for, at most 30 s.
    let mut so_far = answers_so_far(&app).await;
    for _ in 0..300 {
        if so_far.2 >= refreshed_before + 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        so_far = answers_so_far(&app).await;
    }
    assert!(so_far.2 >= refreshed_before + 2, "both answers refreshed: {so_far:?}");
    assert_eq!(json_of(&app, &d, SUMMARY).await["range"]["revenue"], "120.00");
    assert_eq!(json_of(&app, &d, HOME).await["current_month_revenue"]["total"], "120.00");
    let after = answers_so_far(&app).await;
    assert_eq!((after.0, after.1), (so_far.0 + 2, so_far.1), "given from the refreshed answers, none computed");
}

async fn kept_answers_stay_with_the_scope_and_rights_that_asked(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    import(
        &app,
        &d,
        &["C1,2026-10-05,2026-10-05,100,USD,Usage,AWS,EC2", "C2,2026-10-06,2026-10-06,20,USD,Usage,AWS,EC2"],
    )
    .await;
    assert_eq!(json_of(&app, &d, SUMMARY).await["range"]["revenue"], "120.00");
    // The same question from each reseller, and from a role that sees no money.
    let r1 = app.token(R1_ADMIN).await;
    assert_eq!(json_of(&app, &r1, SUMMARY).await["range"]["revenue"], "100.00");
    let r2 = app.token(R2_ADMIN).await;
    assert_eq!(json_of(&app, &r2, SUMMARY).await["range"]["revenue"], "20.00");
    let viewer = app.token(D_VIEWER).await;
    let seen = json_of(&app, &viewer, SUMMARY).await;
    assert!(seen["range"].get("revenue").is_none(), "{seen}");
    assert_eq!(seen["range"]["transacting"], 2);
    // And back: each still gets its own.
    assert_eq!(json_of(&app, &r1, SUMMARY).await["range"]["revenue"], "100.00");
    assert_eq!(json_of(&app, &d, SUMMARY).await["range"]["revenue"], "120.00");
}

/// The usage pages' answers last while the snapshot and the reports are unchanged, and follow a
/// usage refresh and a report as soon as they commit; the dashboards' answers stay through both.
async fn usage_pages_are_kept_until_the_snapshot_or_a_report_changes(app: TestApp) {
    const RESELLERS: &str = "/api/v1/usage/resellers?period=2026-10&as_of=2026-10-31";
    let d = app.token(D_ADMIN).await;
    let store = store::Store::connect(&app.database_url).await.unwrap();
    let october = [domain::metrics::Month::of(chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap())];
    import(&app, &d, &["C1,2026-10-05,2026-10-05,100,USD,Usage,AWS,EC2"]).await;
    store::usage::refresh(&store, &october).await.unwrap().expect("the refresh runs");
    // (line count, report status) of each reseller on the tab.
    let tab = || async {
        let page = json_of(&app, &d, RESELLERS).await;
        let items = page["items"].as_array().unwrap().clone();
        items.iter().map(|r| (r["line_count"].clone(), r["report_status"].clone())).collect::<Vec<_>>()
    };
    let first = tab().await;
    assert_eq!(first, [(json!(1), Value::Null), (json!(0), Value::Null)], "R1 then R2, by name");
    let before = answer_counts(&app).await;
    assert_eq!(tab().await, first);
    assert_eq!(answer_counts(&app).await, (before.0 + 1, before.1), "given from the kept answer");

    // A line imported: the snapshot is as it was until the refresh, which the next page follows.
    import(&app, &d, &["C2,2026-10-06,2026-10-06,20,USD,Usage,AWS,EC2"]).await;
    assert_eq!(tab().await, first, "not refreshed yet");
    let home = json_of(&app, &d, HOME).await;
    assert_eq!(home["current_month_revenue"]["total"], "120.00", "{home}");
    let before = answer_counts(&app).await;
    store::usage::refresh(&store, &october).await.unwrap().expect("the refresh runs");
    let refreshed = tab().await;
    assert_eq!(refreshed, [(json!(1), Value::Null), (json!(1), Value::Null)], "R2's line after the refresh");
    assert_eq!(json_of(&app, &d, HOME).await, home);
    assert_eq!(answer_counts(&app).await, (before.0 + 1, before.1 + 1), "Home kept through the refresh, the tab not");

    // A usage report requested: the tab names it at once.
    let requested = app.post(&d, "/api/v1/reports", &json!({"kind": "reseller_usage", "period": "2026-10"})).await;
    assert_eq!(requested.status(), StatusCode::ACCEPTED, "{}", requested.text().await.unwrap());
    let status = tab().await[0].1.clone();
    assert!(status.is_string(), "the report's status on the tab: {status}");
    assert_eq!(json_of(&app, &d, HOME).await, home);
}
