//! Usage and reports (seed 003, docs/metrics.md §6, docs/api.md §Reports) on lines written for
//! the test. The figures are summed from the lines below in the test itself, and the API's and
//! each CSV's are compared with them.
//!
//! 2026-11: C1 (of R1) uses EC2 twice (one line without quantities) and S3 once (consumed
//! quantity only), and pays Tax (not usage); C2 (of R2) buys a VM and gets part of it back as a
//! credit. 2026-10 holds one more EC2 line of C1's, outside the period.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::Duration;
use domain::metrics::{Month, reported};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use store::Store;
use store::reports::worker;

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(
    usage_pages_and_reports_match_the_lines,
    report_generation_survives_takeover_failure_and_expiry,
    monthly_rows_without_the_consumed_quantity_are_rebuilt_at_the_next_start
);

/// (customer, reseller, day, category, service, provider, billed, effective, consumed, pricing).
type Line = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const LINES: &[Line] = &[
    ("C1", "R1", "2026-11-03", "Usage", "EC2", "AWS", "10.005", "8", "2.5", "3"),
    ("C1", "R1", "2026-11-04", "Usage", "EC2", "AWS", "5", "4", "", ""),
    ("C1", "R1", "2026-11-05", "Usage", "S3", "AWS", "1.25", "1", "100", ""),
    ("C1", "R1", "2026-11-05", "Tax", "EC2", "AWS", "2", "2", "", ""),
    ("C2", "R2", "2026-11-06", "Purchase", "VM", "Azure", "7.5", "6", "1", "1"),
    ("C2", "R2", "2026-11-07", "Credit", "VM", "Azure", "-2.5", "-2.5", "", ""),
    ("C1", "R1", "2026-10-20", "Usage", "EC2", "AWS", "100", "90", "7", "7"),
];

const PERIOD: &str = "2026-11";

fn dec(s: &str) -> Decimal {
    if s.is_empty() { Decimal::ZERO } else { Decimal::from_str(s).unwrap() }
}

/// Sums over the lines of the period but Tax, keyed by `key`: consumed, units, revenue, lines.
fn sums_by<K: Ord>(key: impl Fn(&Line) -> K) -> BTreeMap<K, (Decimal, Decimal, Decimal, u64)> {
    let mut sums = BTreeMap::new();
    for line in LINES.iter().filter(|l| l.2.starts_with(PERIOD) && l.3 != "Tax") {
        let entry = sums.entry(key(line)).or_insert((Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, 0));
        let units = if line.9.is_empty() { dec(line.8) } else { dec(line.9) };
        entry.0 += dec(line.8);
        entry.1 += units;
        entry.2 += dec(line.6);
        entry.3 += 1;
    }
    sums
}

async fn import_lines(app: &TestApp, token: &str) {
    let mut csv = String::from(
        "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName,ConsumedQuantity,PricingQuantity\n",
    );
    for (customer, _, day, category, service, provider, billed, effective, consumed, pricing) in LINES {
        csv.push_str(&format!(
            "{customer},{day},{day},{billed},{effective},USD,{category},{provider},{service},{consumed},{pricing}\n"
        ));
    }
    let imported = app.post_csv(token, csv).await;
    assert_eq!(imported.status(), StatusCode::CREATED, "{}", imported.text().await.unwrap());
}

/// Generates every claimable report, as the server's workers do.
async fn work(store: &Store) {
    while let Some(claimed) = worker::claim(store, Duration::seconds(60)).await.unwrap() {
        worker::generate(store, &claimed, Duration::seconds(60)).await.unwrap();
    }
}

async fn request(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    let response = app.post(token, "/api/v1/reports", &body).await;
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn csv_lines(app: &TestApp, token: &str, id: i64) -> Vec<String> {
    let response = app.get(token, &format!("/api/v1/reports/{id}/download")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    response.text().await.unwrap().lines().map(str::to_owned).collect()
}

fn quantity(d: Decimal) -> String {
    d.normalize().to_string()
}

async fn usage_pages_and_reports_match_the_lines(app: TestApp) {
    let store = Store::connect(&app.database_url).await.unwrap();
    let (d, viewer, r1, r2) =
        (app.token(D_ADMIN).await, app.token(D_VIEWER).await, app.token(R1_ADMIN).await, app.token(R2_ADMIN).await);
    import_lines(&app, &d).await;
    let (stored, rebuilt) = store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();
    assert_eq!(stored, rebuilt, "the monthly grain keeps the consumed quantity as it is rebuilt");

    // Before any usage update the pages say so.
    let summary = json_of(&app, &d, &format!("/api/v1/usage/summary?period={PERIOD}")).await;
    assert_eq!((summary["update"]["updated_at"].clone(), summary["line_count"].clone()), (Value::Null, json!(0)));

    // Two updates at once: the second finds the lease taken and does nothing.
    let months = [Month::from_str("2026-10").unwrap(), Month::from_str(PERIOD).unwrap()];
    let held = store::leases::take(&store, "usage_refresh", Duration::seconds(60)).await.unwrap().unwrap();
    assert_eq!(store::usage::refresh(&store, &months).await.unwrap(), None);
    held.release(&store).await.unwrap();
    let done = store::usage::refresh(&store, &months).await.unwrap().expect("the update runs");
    assert!(done.rows > 0);

    // The summary, against the lines.
    let by_service = sums_by(|l| (l.4, l.5));
    let total_revenue: Decimal = by_service.values().map(|s| s.2).sum();
    let summary = json_of(&app, &d, &format!("/api/v1/usage/summary?period={PERIOD}")).await;
    assert_eq!(summary["update"]["months"], json!(["2026-10", PERIOD]));
    assert!(summary["update"]["updated_at"].is_string());
    assert_eq!((summary["resellers"].clone(), summary["customers"].clone()), (json!(2), json!(2)));
    assert_eq!(summary["line_count"], json!(5), "Tax and October left out");
    assert_eq!(summary["revenue"], json!(reported(total_revenue).to_string()));
    let services: BTreeMap<(String, String), Value> = summary["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| ((s["service"].as_str().unwrap().to_owned(), s["provider"].as_str().unwrap().to_owned()), s.clone()))
        .collect();
    assert_eq!(services.len(), by_service.len());
    for ((service, provider), (consumed, units, revenue, lines)) in &by_service {
        let s = &services[&(service.to_string(), provider.to_string())];
        assert_eq!(s["consumed_quantity"], json!(quantity(*consumed)), "{service}");
        assert_eq!(s["chargeable_units"], json!(quantity(*units)), "{service}");
        assert_eq!(s["revenue"], json!(reported(*revenue).to_string()), "{service}");
        assert_eq!(s["line_count"], json!(lines), "{service}");
    }
    // 10.005 + 5 is 15.005: half to even, 15.00.
    assert_eq!(services[&("EC2".into(), "AWS".into())]["revenue"], "15.00");
    let hidden = json_of(&app, &viewer, &format!("/api/v1/usage/summary?period={PERIOD}")).await;
    assert!(hidden.get("revenue").is_none() && hidden["services"][0].get("revenue").is_none(), "{hidden}");
    assert_eq!(hidden["line_count"], json!(5), "counts stay");
    let own = json_of(&app, &r1, &format!("/api/v1/usage/summary?period={PERIOD}")).await;
    assert_eq!((own["customers"].clone(), own["line_count"].clone()), (json!(1), json!(3)), "R1's own only");
    let future = app.get(&d, "/api/v1/usage/summary?period=2026-12&as_of=2026-11-30").await;
    assert_eq!(error_fields(&problem(future, StatusCode::UNPROCESSABLE_ENTITY).await), ["period"]);

    // The reseller tab and overviews.
    let resellers = json_of(&app, &d, &format!("/api/v1/usage/resellers?period={PERIOD}")).await;
    assert_eq!(resellers["total"], json!(2));
    let one = &resellers["items"][0];
    assert_eq!((one["name"].clone(), one["services"].clone()), (json!("Reseller One"), json!(["EC2", "S3"])));
    assert_eq!(
        (one["customers"].clone(), one["line_count"].clone(), one["revenue"].clone()),
        (json!(1), json!(3), json!("16.26"))
    );
    assert_eq!(one["report_status"], Value::Null);
    let overview = json_of(&app, &d, &format!("/api/v1/usage/resellers/{}?period={PERIOD}", app.tree.r2)).await;
    assert_eq!(overview["services"].as_array().unwrap().len(), 1);
    assert_eq!(
        overview["resources"],
        json!([{"provider": "Azure", "services": 1, "customers": 1, "line_count": 2, "revenue": "5.00"}])
    );
    assert_eq!(
        (overview["customers_total"].clone(), overview["customers"][0]["name"].clone()),
        (json!(1), json!("Customer Two"))
    );
    let sibling = app.get(&r1, &format!("/api/v1/usage/resellers/{}?period={PERIOD}", app.tree.r2)).await;
    problem(sibling, StatusCode::NOT_FOUND).await;
    let sites =
        json_of(&app, &d, &format!("/api/v1/usage/organizations?period={PERIOD}&reseller_id={}", app.tree.r1)).await;
    assert_eq!(ids(&sites), [app.tree.c1]);
    assert_eq!(sites["items"][0]["services"].as_array().unwrap().len(), 2);
    let theirs = json_of(&app, &r2, &format!("/api/v1/usage/organizations?period={PERIOD}")).await;
    assert_eq!(ids(&theirs), [app.tree.c2], "a reseller sees its own sites only");
    // The lists' totals, as the refresh counted each seller's customers, and through a search.
    let all = json_of(&app, &d, &format!("/api/v1/usage/organizations?period={PERIOD}")).await;
    assert_eq!((ids(&all), all["total"].clone()), (vec![app.tree.c1, app.tree.c2], json!(2)));
    assert_eq!((sites["total"].clone(), theirs["total"].clone()), (json!(1), json!(1)));
    let sibling =
        json_of(&app, &r2, &format!("/api/v1/usage/organizations?period={PERIOD}&reseller_id={}", app.tree.r1)).await;
    assert_eq!((ids(&sibling), sibling["total"].clone()), (vec![], json!(0)), "a sibling's sites, not even counted");
    let found = json_of(&app, &d, &format!("/api/v1/usage/organizations?period={PERIOD}&q=Two")).await;
    assert_eq!((ids(&found), found["total"].clone()), (vec![app.tree.c2], json!(1)));

    // Reports: who may request, then pending → ready; the same request while pending is the
    // same report.
    let marketing = app.token(D_MARKETING).await;
    let (status, _) = request(&app, &marketing, json!({"kind": "reseller_usage", "period": PERIOD})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "marketing may not generate");
    let (status, report) = request(&app, &d, json!({"kind": "reseller_usage", "period": PERIOD})).await;
    assert_eq!((status, report["status"].clone()), (StatusCode::ACCEPTED, json!("pending")));
    let id = report["id"].as_i64().unwrap();
    let (status, again) = request(&app, &d, json!({"kind": "reseller_usage", "period": PERIOD})).await;
    assert_eq!((status, again["id"].as_i64()), (StatusCode::OK, Some(id)), "deduplicated");
    // Identical requests at the same moment make one report too.
    let at_once = (0..6).map(|_| request(&app, &d, json!({"kind": "usage_summary", "period": PERIOD})));
    let answers = futures_util::future::join_all(at_once).await;
    let made: std::collections::BTreeSet<i64> = answers.iter().map(|(_, r)| r["id"].as_i64().unwrap()).collect();
    assert_eq!(made.len(), 1, "{answers:?}");
    assert_eq!(answers.iter().filter(|(s, _)| *s == StatusCode::ACCEPTED).count(), 1, "{answers:?}");
    let early = app.get(&d, &format!("/api/v1/reports/{id}/download")).await;
    let early = problem(early, StatusCode::CONFLICT).await;
    assert!(early["detail"].as_str().unwrap().contains("pending"), "{early}");
    let (status, bad) = request(&app, &d, json!({"kind": "reseller_usage", "period": "2026-13"})).await;
    assert_eq!((status, error_fields(&bad)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["period".to_owned()]));
    let (status, bad) =
        request(&app, &r1, json!({"kind": "customer_usage", "period": PERIOD, "reseller_id": app.tree.r2})).await;
    assert_eq!((status, error_fields(&bad)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["reseller_id".to_owned()]));
    work(&store).await;
    let ready = json_of(&app, &d, &format!("/api/v1/reports/{id}")).await;
    assert_eq!((ready["status"].clone(), ready["progress"].clone()), (json!("ready"), json!(100)));
    assert_eq!(ready["requested_by"], json!(D_ADMIN));
    assert!(ready["generated_at"].is_string());

    // reseller_usage's rows are the lines summed per reseller and service.
    let mut expected = vec![
        "reseller_external_id,reseller_name,service,provider,consumed_quantity,chargeable_units,revenue,line_count"
            .to_owned(),
    ];
    let names = BTreeMap::from([
        ("R1", "Reseller One"),
        ("R2", "Reseller Two"),
        ("C1", "Customer One"),
        ("C2", "Customer Two"),
    ]);
    for ((reseller, service, provider), (consumed, units, revenue, lines)) in sums_by(|l| (l.1, l.4, l.5)) {
        expected.push(format!(
            "{reseller},{},{service},{provider},{},{},{},{lines}",
            names[reseller],
            quantity(consumed),
            quantity(units),
            reported(revenue)
        ));
    }
    assert_eq!(csv_lines(&app, &d, id).await, expected);
    assert_eq!(ready["row_count"], json!(expected.len() - 1));
    // The API's figures for the same period are the CSV's.
    let r1_row = &resellers["items"][0];
    let r1_revenue: Decimal = sums_by(|l| l.1)[&"R1"].2;
    assert_eq!(r1_row["revenue"], json!(reported(r1_revenue).to_string()));
    // A role without revenue rights gets the CSV without its money column.
    let lines = csv_lines(&app, &viewer, id).await;
    assert_eq!(
        lines[0],
        "reseller_external_id,reseller_name,service,provider,consumed_quantity,chargeable_units,line_count"
    );
    assert_eq!(lines.len(), expected.len());
    // The reseller tab names the latest reseller usage report.
    let resellers = json_of(&app, &d, &format!("/api/v1/usage/resellers?period={PERIOD}")).await;
    assert_eq!(resellers["items"][0]["report_status"], json!("ready"));

    // customer_usage, requested by R2: its own rows only, invisible to its sibling R1.
    let (status, theirs) = request(&app, &r2, json!({"kind": "customer_usage", "period": PERIOD})).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let theirs = theirs["id"].as_i64().unwrap();
    work(&store).await;
    let mut expected = vec!["customer_external_id,customer_name,reseller_external_id,reseller_name,service,provider,consumed_quantity,chargeable_units,revenue,line_count".to_owned()];
    for ((customer, reseller, service, provider), (consumed, units, revenue, lines)) in
        sums_by(|l| (l.0, l.1, l.4, l.5)).into_iter().filter(|(k, _)| k.1 == "R2")
    {
        expected.push(format!(
            "{customer},{},{reseller},{},{service},{provider},{},{},{},{lines}",
            names[customer],
            names[reseller],
            quantity(consumed),
            quantity(units),
            reported(revenue)
        ));
    }
    assert_eq!(csv_lines(&app, &r2, theirs).await, expected);
    problem(app.get(&r1, &format!("/api/v1/reports/{theirs}")).await, StatusCode::NOT_FOUND).await;
    problem(app.get(&r1, &format!("/api/v1/reports/{theirs}/download")).await, StatusCode::NOT_FOUND).await;
    problem(app.delete(&r1, &format!("/api/v1/reports/{theirs}")).await, StatusCode::NOT_FOUND).await;
    let r1_list = json_of(&app, &r1, "/api/v1/reports").await;
    assert_eq!(r1_list["total"], json!(0), "{r1_list}");
    let d_list = json_of(&app, &d, "/api/v1/reports?kind=customer_usage").await;
    assert_eq!(ids(&d_list), [theirs], "the distributor sees its resellers' reports");

    // billing: per customer and charge category, revenue, cost and margin; never a report
    // viewer's.
    let ops = app.token(D_OPS).await;
    let (status, billing) = request(&app, &ops, json!({"kind": "billing", "period": PERIOD})).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let billing = billing["id"].as_i64().unwrap();
    work(&store).await;
    let mut expected = vec![
        "customer_external_id,customer_name,reseller_external_id,reseller_name,charge_category,revenue,cost,margin"
            .to_owned(),
    ];
    let mut by_category: BTreeMap<(&str, &str, &str), (Decimal, Decimal)> = BTreeMap::new();
    for line in LINES.iter().filter(|l| l.2.starts_with(PERIOD) && l.3 != "Tax") {
        let entry = by_category.entry((line.1, line.0, line.3)).or_default();
        entry.0 += dec(line.6);
        entry.1 += dec(line.7);
    }
    for ((reseller, customer, category), (revenue, cost)) in by_category {
        expected.push(format!(
            "{customer},{},{reseller},{},{category},{},{},{}",
            names[customer],
            names[reseller],
            reported(revenue),
            reported(cost),
            reported(revenue - cost)
        ));
    }
    assert_eq!(csv_lines(&app, &d, billing).await, expected);
    problem(app.get(&viewer, &format!("/api/v1/reports/{billing}")).await, StatusCode::NOT_FOUND).await;
    let viewer_list = json_of(&app, &viewer, "/api/v1/reports").await;
    assert!(viewer_list["items"].as_array().unwrap().iter().all(|r| r["kind"] != "billing"), "{viewer_list}");

    // The Partners console counts the reports of the last 30 days per status.
    let partners = json_of(&app, &d, "/api/v1/dashboards/partners").await;
    assert_eq!(
        partners["usage_report_status"]["ready"]["count"],
        json!(3),
        "reseller_usage, usage_summary, customer_usage"
    );
    assert_eq!(partners["billing_report_status"]["ready"]["count"], json!(1));
    let listed = json_of(
        &app,
        &d,
        partners["usage_report_status"]["ready"]["list"].as_str().unwrap().trim_start_matches(&app.base),
    )
    .await;
    assert_eq!(listed["total"], json!(3), "the tile's list holds what it counts");
    let partners = json_of(&app, &viewer, "/api/v1/dashboards/partners").await;
    assert!(partners["usage_report_status"].is_object() && partners.get("billing_report_status").is_none());

    // Deleting: not by marketing; by an admin, with its CSV.
    problem(app.delete(&marketing, &format!("/api/v1/reports/{id}")).await, StatusCode::FORBIDDEN).await;
    assert_eq!(app.delete(&d, &format!("/api/v1/reports/{id}")).await.status(), StatusCode::NO_CONTENT);
    problem(app.get(&d, &format!("/api/v1/reports/{id}")).await, StatusCode::NOT_FOUND).await;
    assert_eq!(store::reports::chunk(&store, id, 0).await.unwrap(), None);
}

async fn report_generation_survives_takeover_failure_and_expiry(app: TestApp) {
    let store = Store::connect(&app.database_url).await.unwrap();
    let d = app.token(D_ADMIN).await;
    import_lines(&app, &d).await;

    // A worker that stops answering (its lease runs out) is taken over; its late writes are
    // refused, and the CSV is written once.
    let (_, report) = request(&app, &d, json!({"kind": "customer_usage", "period": PERIOD})).await;
    let id = report["id"].as_i64().unwrap();
    let stalled = worker::claim(&store, Duration::seconds(-1)).await.unwrap().unwrap();
    let taking =
        worker::claim(&store, Duration::seconds(60)).await.unwrap().expect("the stalled report is taken again");
    assert_eq!((stalled.id, taking.id, taking.attempt), (id, id, 2));
    assert_eq!(worker::generate(&store, &stalled, Duration::seconds(60)).await.unwrap().to_string(), "generating");
    assert_eq!(worker::generate(&store, &taking, Duration::seconds(60)).await.unwrap().to_string(), "ready");
    let lines = csv_lines(&app, &d, id).await;
    assert_eq!(lines.len(), 4, "a header and three rows, none twice: {lines:?}");

    // A report whose generation keeps stopping fails rather than being taken forever.
    let (_, report) = request(&app, &d, json!({"kind": "usage_summary", "period": PERIOD})).await;
    let id = report["id"].as_i64().unwrap();
    for _ in 0..worker::MAX_ATTEMPTS {
        worker::claim(&store, Duration::seconds(-1)).await.unwrap().unwrap();
    }
    let last = worker::claim(&store, Duration::seconds(60)).await.unwrap().unwrap();
    assert_eq!(worker::generate(&store, &last, Duration::seconds(60)).await.unwrap().to_string(), "failed");
    let failed = json_of(&app, &d, &format!("/api/v1/reports/{id}")).await;
    assert!(failed["error"].as_str().unwrap().contains("request it again"), "{failed}");
    let early = problem(app.get(&d, &format!("/api/v1/reports/{id}/download")).await, StatusCode::CONFLICT).await;
    assert!(early["detail"].as_str().unwrap().contains("failed"));

    // A rollup that cannot be read fails the report with the reason, and nothing else.
    store.execute_raw("UPDATE monthly_rollups SET consumed = 'not a number'").await.unwrap();
    let (_, report) = request(&app, &d, json!({"kind": "reseller_usage", "period": PERIOD})).await;
    let id = report["id"].as_i64().unwrap();
    work(&store).await;
    let failed = json_of(&app, &d, &format!("/api/v1/reports/{id}")).await;
    assert_eq!(failed["status"], "failed");
    assert!(failed["error"].as_str().unwrap().contains("monthly_rollups.consumed"), "{failed}");

    // Reports expire after the retention period, with their CSV.
    let before = json_of(&app, &d, "/api/v1/reports").await["total"].as_u64().unwrap();
    assert_eq!(before, 3);
    assert_eq!(store::reports::expire(&store, chrono::Utc::now() + Duration::days(89)).await.unwrap(), 0);
    assert_eq!(store::reports::expire(&store, chrono::Utc::now() + Duration::days(91)).await.unwrap(), 3);
    assert_eq!(json_of(&app, &d, "/api/v1/reports").await["total"], json!(0));
}

/// A database whose monthly rows were written before they kept the consumed quantity (usage had a
/// grain of its own then) gets them rebuilt from the lines at the next start, and usage reads
/// the same figures as before.
async fn monthly_rows_without_the_consumed_quantity_are_rebuilt_at_the_next_start(app: TestApp) {
    let store = Store::connect(&app.database_url).await.unwrap();
    let d = app.token(D_ADMIN).await;
    import_lines(&app, &d).await;
    let months = [Month::from_str(PERIOD).unwrap()];
    let summary = || async {
        store::usage::refresh(&store, &months).await.unwrap().expect("the update runs");
        let mut summary = json_of(&app, &d, &format!("/api/v1/usage/summary?period={PERIOD}")).await;
        summary["update"] = Value::Null;
        summary
    };
    let before = summary().await;
    let consumed: Decimal = sums_by(|l| (l.4, l.5)).values().map(|s| s.0).sum();
    let services = before["services"].as_array().unwrap();
    let in_summary: Decimal = services.iter().map(|s| dec(s["consumed_quantity"].as_str().unwrap())).sum();
    assert_eq!(in_summary, consumed, "{before}");

    store.execute_raw("UPDATE monthly_rollups SET consumed = NULL").await.unwrap();
    let (stored, rebuilt) = store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();
    assert_ne!(stored, rebuilt, "rows without the consumed quantity read as none");
    store.migrate().await.unwrap();
    let (stored, rebuilt) = store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();
    assert_eq!(stored, rebuilt);
    assert_eq!(summary().await, before);
}
