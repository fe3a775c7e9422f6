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

on_both_databases!(
    reseller_activity_adds_churns_products_and_trends_are_as_worked_out_by_hand,
    months_before_the_range_count_by_their_revenue_alone
);

const QUERY: &str = "as_of=2026-10-15";

/// `field` of every month, in order.
fn series(body: &Value, field: &str) -> Vec<Value> {
    body["months"].as_array().unwrap().iter().map(|m| m[field].clone()).collect()
}

async fn reseller_activity_adds_churns_products_and_trends_are_as_worked_out_by_hand(app: TestApp) {
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

    // Products: families by month and over the range, subscriptions and licences by SKU.
    let products = json_of(&app, &d, &format!("/api/v1/insights/products?{QUERY}")).await;
    assert_eq!(products["months"][4]["subscriptions_by_product"], json!({"P1": 1}), "2026-03");
    assert_eq!(products["months"][5]["licenses_by_product"], json!({"P1": 1}), "2026-04");
    assert_eq!(products["months"][11]["subscriptions_by_product"], json!({}), "C2's starts after as_of");
    assert_eq!(products["months"][10]["revenue_by_family"], json!({"Compute": "-5.00"}));
    let top = &products["revenue_top5"];
    assert_eq!(top["ranking"], json!(["Compute", "Unmapped"]), "two families: no Others");
    assert_eq!(top["range_totals"], json!({"Compute": "95.00", "Unmapped": "50.00"}));
    assert_eq!(top["by_month"]["2025-12"], json!({"Compute": "100.00", "Unmapped": "0.00"}));

    // Geography: by reseller country, the counts adding up to the summary's.
    let geography = json_of(&app, &d, &format!("/api/v1/insights/geography?{QUERY}")).await;
    let countries = geography["countries"].as_array().unwrap();
    let sum = |field: &str| countries.iter().map(|c| c[field].as_u64().unwrap()).sum::<u64>();
    assert_eq!((sum("transacting"), sum("new")), (2, 1), "{geography}");
    let revenue: rust_decimal::Decimal =
        countries.iter().map(|c| c["revenue"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap()).sum();
    assert_eq!(revenue.to_string(), "145.00");
    let active_march: u64 =
        geography["active_by_month"]["2026-03"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(active_march, 1);
    assert_eq!(geography["ranking"], geography["revenue_top5"]["ranking"], "the same five in both views");

    // The revenue trend: every reseller of the tree, largest revenue first, searched and paged.
    let trend = json_of(&app, &d, &format!("/api/v1/insights/revenue-trend?{QUERY}")).await;
    let names: Vec<&str> = trend["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Reseller One", "R3", "R4", "Reseller Two"]);
    assert_eq!((&trend["items"][0]["revenue"], &trend["items"][3]["revenue"]), (&json!("150.00"), &json!("-5.00")));
    assert_eq!(trend["items"][0]["months"][2]["revenue_by_family"], json!({"Unmapped": "50.00"}));
    let found = json_of(&app, &d, &format!("/api/v1/insights/revenue-trend?{QUERY}&q=two&sort=name")).await;
    assert_eq!((&found["total"], &found["items"][0]["name"]), (&json!(1), &json!("Reseller Two")));
    let csv = app.get(&d, &format!("/api/v1/insights/revenue-trend?{QUERY}&q=two&format=csv")).await;
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("reseller_id,external_id,name,month,family,revenue\n"), "{csv}");
    assert!(csv.contains(",R2,Reseller Two,2026-09,Compute,-5.00"), "{csv}");
    // A later page as JSON is read alone (only its resellers by family) and carries their months;
    // the CSV holds every reseller whatever the page asked for.
    let second = json_of(&app, &d, &format!("/api/v1/insights/revenue-trend?{QUERY}&page=2&per_page=2")).await;
    let names: Vec<&str> = second["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!((names, &second["total"]), (vec!["R4", "Reseller Two"], &json!(4)), "{second}");
    assert_eq!(second["items"][1]["months"][10]["revenue_by_family"], json!({"Compute": "-5.00"}), "{second}");
    let csv = app.get(&d, &format!("/api/v1/insights/revenue-trend?{QUERY}&page=2&per_page=1&format=csv")).await;
    let csv = csv.text().await.unwrap();
    assert!(csv.contains(",Reseller One,") && csv.contains(",Reseller Two,"), "every reseller: {csv}");

    // Agreements: the counts cover every reseller (one signed and approved, the rest as created);
    // a reseller sees itself only.
    let patch = json!({"agreement_status": "signed", "vetting_status": "approved"});
    let r1 = format!("/api/v1/organizations/{}", app.tree.r1);
    assert_eq!(app.patch(&d, &r1, &patch).await.status(), StatusCode::OK);
    let agreements = json_of(&app, &d, &format!("/api/v1/insights/agreements?{QUERY}&per_page=2")).await;
    assert_eq!((&agreements["total"], agreements["items"].as_array().unwrap().len()), (&json!(4), 2));
    let counted: u64 = agreements["agreement_counts"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(counted, 4);
    assert_eq!(agreements["agreement_counts"], json!({"not_started": 3, "signed": 1}), "{agreements}");
    assert_eq!(agreements["vetting_counts"], json!({"pending": 3, "approved": 1}), "{agreements}");

    // A sibling's lines never show: R2 sees its own refund only; a viewer sees no money.
    let r2 = app.token(R2_ADMIN).await;
    let theirs = json_of(&app, &r2, &format!("/api/v1/insights/summary?{QUERY}")).await;
    assert_eq!(theirs["range"]["revenue"], "-5.00", "{theirs}");
    assert_eq!(theirs["range"]["transacting"], 1);
    let viewer = app.token(D_VIEWER).await;
    let seen = json_of(&app, &viewer, &format!("/api/v1/insights/summary?{QUERY}")).await;
    assert!(seen["range"].get("revenue").is_none() && seen["months"][1].get("revenue_by_family").is_none());
    assert_eq!(seen["range"]["transacting"], 2);
    let products = json_of(&app, &viewer, &format!("/api/v1/insights/products?{QUERY}")).await;
    assert!(products.get("revenue_top5").is_none() && products["months"][1].get("revenue_by_family").is_none());
    let refused = app.get(&viewer, &format!("/api/v1/insights/revenue-trend?{QUERY}")).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "the trend is all money");
    let own = json_of(&app, &r2, &format!("/api/v1/insights/agreements?{QUERY}")).await;
    assert_eq!((&own["total"], &own["items"][0]["name"]), (&json!(1), &json!("Reseller Two")));
    let own_trend = json_of(&app, &r2, &format!("/api/v1/insights/revenue-trend?{QUERY}")).await;
    assert_eq!(own_trend["total"], 1, "a sibling's trend never shows: {own_trend}");

    // The raw rows: the range's monthly rollup rows in scope, streamed as CSV.
    let raw = app.get(&d, &format!("/api/v1/insights/raw?{QUERY}")).await;
    assert_eq!(raw.headers()["content-type"], "text/csv; charset=utf-8");
    let raw = raw.text().await.unwrap();
    let rows: Vec<&str> = raw.lines().collect();
    assert_eq!(
        rows[0],
        "month,reseller_id,customer_id,product_id,provider,service,marketplace,charge_category,billed_usd,effective_usd,units,line_count"
    );
    // R1: 2025-12, 2026-01, and 2026-10's Tax and Usage (as stored); R2: 2026-09. Not 2025-05.
    assert_eq!(rows.len(), 6, "{raw}");
    assert!(rows.iter().all(|r| !r.starts_with("2025-05")), "{raw}");
    let theirs = app.get(&r2, &format!("/api/v1/insights/raw?{QUERY}")).await.text().await.unwrap();
    assert_eq!(theirs.lines().count(), 2, "a sibling's rows never show: {theirs}");
    assert!(theirs.lines().nth(1).unwrap().starts_with("2026-09,"), "{theirs}");
    let refused = app.get(&viewer, &format!("/api/v1/insights/raw?{QUERY}")).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    // Read a row at a time, the batches walk month by month through the same rows.
    let store = store::Store::connect(&app.database_url).await.unwrap();
    let scope = store::admin::scope_of(&store, app.tree.distributor).await.unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 10, 15).unwrap();
    let range = store::dashboards::insights::Range::new(None, None, as_of).unwrap();
    let (mut cursor, mut months) = (Some(store::dashboards::insights::RawCursor::default()), Vec::new());
    while let Some(from) = cursor {
        let batch = store::dashboards::insights::raw_batch(&store, &scope, &range, from, 1).await.unwrap();
        months.extend(batch.rows.iter().map(|r| r[0].clone()));
        cursor = batch.next;
    }
    assert_eq!(months, ["2025-12", "2026-01", "2026-09", "2026-10", "2026-10"], "{raw}");

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

on_both_databases!(customer_segments_are_as_worked_out_by_hand);

/// What the views read of the months before the range, seen on 2026-10-15 over 2025-11 … 2026-10.
/// C1 (R1): 20 and a credit of −20 in 2025-05, adding up to nothing, then 40 in 2026-02. C2 (R2):
/// 0.50 in 2025-04, then 10 in 2026-03. So R1 is new in 2026-02 (its first transacting month) and
/// R2 is not; R2 churns in 2025-11 (its latest month before, 2025-04, is seven before), R1 in
/// 2026-09 and R2 again in 2026-10.
async fn months_before_the_range_count_by_their_revenue_alone(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let mut lines = String::from(
        "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName\n",
    );
    for (customer, day, amount, category) in [
        ("C1", "2025-05-10", "20", "Usage"),
        ("C1", "2025-05-20", "-20.00", "Credit"),
        ("C1", "2026-02-03", "40", "Usage"),
        ("C2", "2025-04-07", "0.50", "Usage"),
        ("C2", "2026-03-04", "10", "Usage"),
    ] {
        lines.push_str(&format!("{customer},{day},{day},{amount},USD,{category},AWS,Compute\n"));
    }
    let imported = app.post_csv(&d, lines).await;
    assert_eq!(imported.status(), StatusCode::CREATED, "{}", imported.text().await.unwrap());
    let n = |v: &[u64]| v.iter().map(|n| json!(n)).collect::<Vec<_>>();

    let summary = json_of(&app, &d, &format!("/api/v1/insights/summary?{QUERY}")).await;
    assert_eq!(series(&summary, "new"), n(&[0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]), "R1 alone, in 2026-02");
    assert_eq!((&summary["range"]["transacting"], &summary["range"]["new"]), (&json!(2), &json!(1)));
    let geography = json_of(&app, &d, &format!("/api/v1/insights/geography?{QUERY}")).await;
    let countries = geography["countries"].as_array().unwrap();
    let sum = |field: &str| countries.iter().map(|c| c[field].as_u64().unwrap()).sum::<u64>();
    assert_eq!((sum("transacting"), sum("new")), (2, 1), "{geography}");
    let adds = json_of(&app, &d, &format!("/api/v1/insights/adds-churns?{QUERY}")).await;
    assert_eq!(series(&adds, "churned"), n(&[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]));
    // Seen from a range starting after R1's first month, R1 is no longer new.
    let later = json_of(&app, &d, "/api/v1/insights/summary?as_of=2026-10-15&from=2026-03").await;
    assert_eq!(later["range"]["new"], json!(0), "{later}");
    let trend = json_of(&app, &d, &format!("/api/v1/insights/revenue-trend?{QUERY}")).await;
    let totals: Vec<&Value> = trend["items"].as_array().unwrap().iter().map(|r| &r["revenue"]).collect();
    assert_eq!(totals[..2], [&json!("40.00"), &json!("10.00")], "the range's revenue alone");
}

/// Seen on 2026-10-15 over 2025-11 … 2026-10. C1 (R1, enterprise, created today): 100 in
/// 2025-12; 10 of Tax on 2026-10-03 and 30 on 2026-10-20 (neither counts). C3 (R1, education,
/// created 2026-01-05): 40 in 2026-02, 7 on 2026-10-02; 3 licences from 2026-02-01. C2 (R2, no
/// segment): a refund of −5 in 2026-09. C4 (R2, smb, created 2026-01-05, closed 2026-06-30): 70
/// in 2026-02, 9 licences over 2026-02.
async fn customer_segments_are_as_worked_out_by_hand(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let product =
        json!({"sku": "P1", "name": "Product 1", "family": "Compute", "provider": "AWS", "billing_model": "usage"});
    let response = app.post(&d, "/api/v1/products", &product).await;
    let p1 = response.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let c1 = format!("/api/v1/organizations/{}", app.tree.c1);
    assert_eq!(app.patch(&d, &c1, &json!({"segment": "enterprise"})).await.status(), StatusCode::OK);
    let mut ids = Vec::new();
    for (name, parent, segment, closed) in
        [("C3", app.tree.r1, "education", None), ("C4", app.tree.r2, "smb", Some("2026-06-30T09:00:00Z"))]
    {
        let body = json!({"kind": "customer", "name": name, "external_id": name, "parent_id": parent,
            "segment": segment, "created_at": "2026-01-05T09:00:00Z", "closed_at": closed});
        let response = app.post(&d, "/api/v1/organizations", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{}", response.text().await.unwrap());
        ids.push(response.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    for (customer, quantity, start, end) in [
        (ids[0], 3, "2026-02-01", None),
        (ids[1], 9, "2026-02-01", Some("2026-02-28")),
        (app.tree.c1, 1, "2026-03-01", Some("2026-04-15")),
    ] {
        let body = json!({"customer_id": customer, "product_id": p1, "quantity": quantity, "unit_price": "10",
            "currency": "USD", "billing_interval": "monthly", "license_status": "active", "trial": false,
            "start_date": start, "end_date": end});
        let response = app.post(&d, "/api/v1/subscriptions", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{}", response.text().await.unwrap());
    }
    let mut lines = String::from(
        "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName,SkuId\n",
    );
    for (customer, day, amount, category) in [
        ("C1", "2025-12-05", "100", "Usage"),
        ("C1", "2026-10-03", "10", "Tax"),
        ("C1", "2026-10-20", "30", "Usage"),
        ("C3", "2026-02-10", "40", "Usage"),
        ("C3", "2026-10-02", "7", "Usage"),
        ("C2", "2026-09-02", "-5", "Credit"),
        ("C4", "2026-02-10", "70", "Usage"),
    ] {
        lines.push_str(&format!("{customer},{day},{day},{amount},USD,{category},AWS,Compute,P1\n"));
    }
    let imported = app.post_csv(&d, lines).await;
    assert_eq!(imported.status(), StatusCode::CREATED, "{}", imported.text().await.unwrap());

    let segments = json_of(&app, &d, &format!("/api/v1/insights/segments?{QUERY}")).await;
    assert_eq!(
        segments["segments"],
        json!([
            {"segment": "education", "customers": 1, "revenue": "47.00"},
            {"segment": "enterprise", "customers": 0, "revenue": "100.00"},
            {"segment": "smb", "customers": 0, "revenue": "70.00"},
            {"segment": "Unknown", "customers": 0, "revenue": "-5.00"},
        ]),
        "C1 is created after as_of, C4 closed before it"
    );
    assert_eq!(series(&segments, "month").len(), 12);
    assert_eq!(segments["months"][1]["revenue_by_segment"], json!({"enterprise": "100.00"}), "2025-12");
    assert_eq!(segments["months"][3]["revenue_by_segment"], json!({"education": "40.00", "smb": "70.00"}), "2026-02");
    assert_eq!(segments["months"][10]["revenue_by_segment"], json!({"Unknown": "-5.00"}), "2026-09");
    assert_eq!(
        segments["months"][11]["revenue_by_segment"],
        json!({"education": "7.00"}),
        "no Tax, nothing after as_of"
    );
    assert_eq!(segments["months"][3]["subscriptions_by_segment"], json!({"education": 1, "smb": 1}));
    assert_eq!(segments["months"][3]["licenses_by_segment"], json!({"education": 3, "smb": 9}));
    assert_eq!(segments["months"][4]["licenses_by_segment"], json!({"education": 3, "enterprise": 1}), "2026-03");
    assert_eq!(segments["months"][6]["subscriptions_by_segment"], json!({"education": 1}), "C1's ended in 2026-04");
    let top = &segments["revenue_top5"];
    assert_eq!(top["ranking"], json!(["enterprise", "smb", "education", "Unknown"]), "four segments: no Others");
    assert_eq!(
        top["range_totals"],
        json!({"Unknown": "-5.00", "education": "47.00", "enterprise": "100.00", "smb": "70.00"})
    );

    let csv = app.get(&d, &format!("/api/v1/insights/segments?{QUERY}&format=csv")).await;
    let csv = csv.text().await.unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "month,partial,figure,segment,value");
    for row in
        ["2026-02,false,revenue,education,40.00", "2026-03,false,licenses,enterprise,1", ",,customers,education,1"]
    {
        assert!(rows.contains(&row), "{row} in {csv}");
    }

    // A customer's new segment takes its revenue along, and the segments' rollup stays the
    // customers' summed by today's segments (the rollup check compares them).
    let c3 = format!("/api/v1/organizations/{}", ids[0]);
    assert_eq!(app.patch(&d, &c3, &json!({"segment": "government"})).await.status(), StatusCode::OK);
    let moved = json_of(&app, &d, &format!("/api/v1/insights/segments?{QUERY}")).await;
    assert_eq!(
        moved["segments"],
        json!([
            {"segment": "enterprise", "customers": 0, "revenue": "100.00"},
            {"segment": "government", "customers": 1, "revenue": "47.00"},
            {"segment": "smb", "customers": 0, "revenue": "70.00"},
            {"segment": "Unknown", "customers": 0, "revenue": "-5.00"},
        ])
    );
    assert_eq!(moved["months"][3]["revenue_by_segment"], json!({"government": "40.00", "smb": "70.00"}));
    let store = store::Store::connect(&app.database_url).await.unwrap();
    store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();
    assert_eq!(app.patch(&d, &c3, &json!({"segment": "education"})).await.status(), StatusCode::OK);
    store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();

    // A reseller sees its own customers' segments only; a viewer sees no money.
    let r2 = app.token(R2_ADMIN).await;
    let theirs = json_of(&app, &r2, &format!("/api/v1/insights/segments?{QUERY}")).await;
    assert_eq!(
        theirs["segments"],
        json!([{"segment": "smb", "customers": 0, "revenue": "70.00"}, {"segment": "Unknown", "customers": 0, "revenue": "-5.00"}]),
        "{theirs}"
    );
    assert_eq!(theirs["months"][4]["subscriptions_by_segment"], json!({}), "R1's subscriptions never show");
    let csv = app.get(&r2, &format!("/api/v1/insights/segments?{QUERY}&format=csv")).await.text().await.unwrap();
    assert!(!csv.contains("education") && !csv.contains("enterprise"), "{csv}");
    let viewer = app.token(D_VIEWER).await;
    let seen = json_of(&app, &viewer, &format!("/api/v1/insights/segments?{QUERY}")).await;
    assert!(seen.get("revenue_top5").is_none() && seen["segments"][0].get("revenue").is_none(), "{seen}");
    assert!(seen["months"][1].get("revenue_by_segment").is_none());
    assert_eq!(seen["months"][3]["licenses_by_segment"], json!({"education": 3, "smb": 9}));
}
