//! A tree's account counts on Home are summed from `account_days`, which triggers keep on every
//! organisation write and a migration fills for organisations stored before it. Both must agree
//! with counting the organisations one by one, on a realistic tree with openings and closings
//! spread over years.

use chrono::{DateTime, Days, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(tree_counts_agree_with_the_organisations);

/// An organisation's kind, creation and closing.
type Dates = (String, DateTime<Utc>, Option<DateTime<Utc>>);

/// The dates of every organisation the token sees.
async fn organisations(app: &TestApp, token: &str) -> Vec<Dates> {
    let mut all = Vec::new();
    for page in 1.. {
        let body: Value =
            app.get(token, &format!("/api/v1/organizations?per_page=500&page={page}")).await.json().await.unwrap();
        let items = body["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        for org in items {
            let at = |field: &str| org[field].as_str().map(|s| s.parse::<DateTime<Utc>>().unwrap());
            all.push((org["kind"].as_str().unwrap().to_owned(), at("created_at").unwrap(), at("closed_at")));
        }
    }
    all
}

/// The accounts pane worked out from the organisations themselves (docs/metrics.md §2.5).
fn expected(orgs: &[Dates], as_of: NaiveDate) -> Value {
    let by_end = |at: &DateTime<Utc>| at.date_naive() <= as_of;
    let in_window = |at: &DateTime<Utc>| at.date_naive() <= as_of && at.date_naive() > as_of - Days::new(30);
    let counted = |kind: &str| {
        orgs.iter()
            .filter(|(k, created, closed)| k == kind && by_end(created) && !closed.as_ref().is_some_and(by_end))
            .count()
    };
    let opened = orgs.iter().filter(|(k, created, _)| k != "distributor" && in_window(created)).count() as i64;
    let closed =
        orgs.iter().filter(|(k, _, closed)| k != "distributor" && closed.as_ref().is_some_and(in_window)).count()
            as i64;
    json!({"resellers": counted("reseller"), "customers": counted("customer"), "net_new_30d": opened - closed})
}

async fn check_days(app: &TestApp, token: &str, when: &str) {
    let orgs = organisations(app, token).await;
    let today = Utc::now().date_naive();
    for back in [0, 20, 45, 200, 400, 800] {
        let as_of = today - Days::new(back);
        let response = app.get(token, &format!("/api/v1/dashboards/home?as_of={as_of}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        let home: Value = response.json().await.unwrap();
        assert_eq!(home["accounts"], expected(&orgs, as_of), "{when}, as of {as_of}");
    }
}

async fn tree_counts_agree_with_the_organisations(app: TestApp) {
    let store = store::Store::connect(&app.database_url).await.unwrap();
    demo::generate(&store, Utc::now()).await.unwrap();
    let login = app
        .post_anon("/api/v1/auth/token", &json!({"email": "admin@northwind.example", "password": demo::DEMO_PASSWORD}))
        .await;
    let token = login.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();
    check_days(&app, &token, "kept by the triggers").await;

    // As for a database whose organisations were stored before the table existed: table,
    // triggers and the migration's record removed, then the migrations run again.
    let postgres = app.database_url.starts_with("postgres");
    let mut undo = vec!["DROP TABLE account_days".to_owned()];
    if postgres {
        undo.push("DROP TRIGGER tr_organizations_account_days ON organizations".into());
        undo.push("DROP FUNCTION organizations_account_days()".into());
        undo.push("DROP FUNCTION account_days_add(BIGINT, VARCHAR, TIMESTAMPTZ, BIGINT, BIGINT)".into());
    } else {
        for event in ["insert", "update", "delete"] {
            undo.push(format!("DROP TRIGGER tr_organizations_account_days_{event}"));
        }
    }
    undo.push("DELETE FROM seaql_migrations WHERE version = 'm20261123_000004_create_account_days'".into());
    for sql in undo {
        store.execute_raw(&sql).await.unwrap();
    }
    store.migrate().await.unwrap();
    check_days(&app, &token, "filled by the migration").await;
}
