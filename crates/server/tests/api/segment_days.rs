//! A tree's customers per segment in Insights are summed from `segment_days`, which triggers keep
//! on every organisation write (a change of segment, a closing) and a migration fills for
//! organisations stored before it. Both must agree with counting the customers one by one.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(segment_counts_agree_with_the_customers);

/// A customer's id, segment, creation and closing.
type Customer = (i64, Option<String>, DateTime<Utc>, Option<DateTime<Utc>>);

/// Every customer the token sees.
async fn customers(app: &TestApp, token: &str) -> Vec<Customer> {
    let mut all = Vec::new();
    for page in 1.. {
        let path = format!("/api/v1/organizations?kind=customer&per_page=500&page={page}");
        let body: Value = app.get(token, &path).await.json().await.unwrap();
        let items = body["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        for org in items {
            let at = |field: &str| org[field].as_str().map(|s| s.parse::<DateTime<Utc>>().unwrap());
            let segment = org["segment"].as_str().map(str::to_owned);
            all.push((org["id"].as_i64().unwrap(), segment, at("created_at").unwrap(), at("closed_at")));
        }
    }
    all
}

/// Customers per segment counted on `as_of`, worked out from the customers themselves: every
/// segment with a customer is listed, "Unknown" for none.
fn expected(customers: &[Customer], as_of: NaiveDate) -> BTreeMap<String, u64> {
    let by_end = |at: &DateTime<Utc>| at.date_naive() <= as_of;
    let mut counted = BTreeMap::new();
    for (_, segment, created, closed) in customers {
        let name = segment.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "Unknown".into());
        *counted.entry(name).or_default() += u64::from(by_end(created) && !closed.as_ref().is_some_and(by_end));
    }
    counted
}

async fn check_segments(app: &TestApp, token: &str, when: &str) {
    let all = customers(app, token).await;
    let today = Utc::now().date_naive();
    for back in [0, 20, 45, 200, 400, 800] {
        let as_of = today - Days::new(back);
        let response = app.get(token, &format!("/api/v1/insights/segments?as_of={as_of}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        let listed: BTreeMap<String, u64> = (body["segments"].as_array().unwrap().iter())
            .map(|s| (s["segment"].as_str().unwrap().to_owned(), s["customers"].as_u64().unwrap()))
            .collect();
        assert_eq!(listed, expected(&all, as_of), "{when}, as of {as_of}");
    }
}

async fn segment_counts_agree_with_the_customers(app: TestApp) {
    let store = store::Store::connect(&app.database_url).await.unwrap();
    demo::generate(&store, Utc::now()).await.unwrap();
    let login = app
        .post_anon("/api/v1/auth/token", &json!({"email": "admin@northwind.example", "password": demo::DEMO_PASSWORD}))
        .await;
    let token = login.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();
    check_segments(&app, &token, "kept by the triggers").await;

    // One customer moves to a new segment, another is closed 30 days ago: both are counted
    // where they are now.
    let all = customers(&app, &token).await;
    let closed_at = (Utc::now() - Days::new(30)).to_rfc3339();
    let moved =
        app.patch(&token, &format!("/api/v1/organizations/{}", all[0].0), &json!({"segment": "nonprofit"})).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let closing = json!({"status": "closed", "closed_at": closed_at});
    assert_eq!(
        app.patch(&token, &format!("/api/v1/organizations/{}", all[1].0), &closing).await.status(),
        StatusCode::OK
    );
    check_segments(&app, &token, "after a move and a closing").await;

    // As for a database whose customers were stored before the table existed.
    let postgres = app.database_url.starts_with("postgres");
    let mut undo = vec!["DROP TABLE segment_days".to_owned()];
    if postgres {
        undo.push("DROP TRIGGER tr_organizations_segment_days ON organizations".into());
        undo.push("DROP FUNCTION organizations_segment_days()".into());
        undo.push("DROP FUNCTION segment_days_add(BIGINT, VARCHAR, TIMESTAMPTZ, BIGINT, BIGINT)".into());
    } else {
        for event in ["insert", "update", "delete"] {
            undo.push(format!("DROP TRIGGER tr_organizations_segment_days_{event}"));
        }
    }
    undo.push("DELETE FROM seaql_migrations WHERE version = 'm20261206_000001_create_segment_days'".into());
    for sql in undo {
        store.execute_raw(&sql).await.unwrap();
    }
    store.migrate().await.unwrap();
    check_segments(&app, &token, "filled by the migration").await;
}
