//! `/dashboards/home` and its reports against a small dataset whose figures are worked out by
//! hand in the comments below, not by the code under test.
//!
//! Lines (USD unless noted; EUR is 1.1 USD in 2026-10 and 1.2 in 2026-11):
//!
//! | # | customer | ChargePeriodStart (UTC day)        | category | billed   | effective | mkt | provider / service    |
//! |---|----------|------------------------------------|----------|----------|-----------|-----|-----------------------|
//! | 1 | C1 (R1)  | 2026-10-05                         | Usage    | 100      | 80        |     | AWS / Compute         |
//! | 2 | C1       | 2026-10-20                         | Purchase | 50 EUR   | 40 EUR    | yes | Microsoft / Licences  |
//! | 3 | C1       | 2026-11-01T00:30+02:00 → 10-31     | Usage    | 10       | 8         | yes | AWS / Compute         |
//! | 4 | C1       | 2026-11-02                         | Usage    | 30       | 20        |     | AWS / Compute         |
//! | 5 | C1       | 2026-11-03                         | Purchase | 200 EUR  | 150 EUR   | yes | Microsoft / Licences  |
//! | 6 | C1       | 2026-11-04                         | Tax      | 40       | 40        |     | AWS / Tax             |
//! | 7 | C1       | 2026-11-05                         | Credit   | -20      | -20       |     | AWS / Compute         |
//! | 8 | C1       | 2026-11-10T23:30-02:00 → 11-11     | Usage    | 1000     | 900       |     | AWS / Compute         |
//! | 9 | C1       | 2026-11-12                         | Usage    | 500      | 400       |     | AWS / Compute         |
//! |10 | C2 (R2)  | 2026-11-02                         | Usage    | 70       | 60        | yes | AWS / Compute         |
//! |11 | C2       | 2026-10-15                         | Purchase | 25       | 20        | yes | Google / Marketplace  |

use chrono::Utc;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

const HEADER: &str = "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName,SkuId,x_Marketplace";

const LINES: &[&str] = &[
    "C1,2026-10-05,2026-10-06,100,80,USD,Usage,AWS,Compute,,false",
    "C1,2026-10-20,2026-10-21,50,40,EUR,Purchase,Microsoft,Licences,,true",
    "C1,2026-11-01T00:30:00+02:00,2026-11-02T00:00:00+02:00,10,8,USD,Usage,AWS,Compute,,true",
    "C1,2026-11-02,2026-11-03,30,20,USD,Usage,AWS,Compute,,false",
    "C1,2026-11-03,2026-11-04,200,150,EUR,Purchase,Microsoft,Licences,,true",
    "C1,2026-11-04,2026-11-05,40,40,USD,Tax,AWS,Tax,,false",
    "C1,2026-11-05,2026-11-06,-20,-20,USD,Credit,AWS,Compute,,false",
    "C1,2026-11-10T23:30:00-02:00,2026-11-11T23:30:00-02:00,1000,900,USD,Usage,AWS,Compute,,false",
    "C1,2026-11-12,2026-11-13,500,400,USD,Usage,AWS,Compute,,false",
    "C2,2026-11-02,2026-11-03,70,60,USD,Usage,AWS,Compute,,true",
    "C2,2026-10-15,2026-10-16,25,20,USD,Purchase,Google,Marketplace,,true",
];

async fn load(app: &TestApp) -> String {
    let token = app.token(D_ADMIN).await;
    let rates = json!({"rates": [
        {"currency": "EUR", "month": "2026-10", "rate": "1.1"},
        {"currency": "EUR", "month": "2026-11", "rate": "1.2"},
    ]});
    let put = app.client.put(app.url("/api/v1/fx-rates")).bearer_auth(&token).json(&rates).send().await.unwrap();
    assert_eq!(put.status(), StatusCode::OK);
    let body = format!("{HEADER}\n{}\n", LINES.join("\n"));
    let imported = app.post_csv(&token, body).await;
    assert_eq!(imported.status(), StatusCode::CREATED, "{}", imported.text().await.unwrap());
    token
}

async fn revenue_figures_follow_the_definitions(app: TestApp) {
    let d = load(&app).await;
    let home = json_of(&app, &d, "/api/v1/dashboards/home?as_of=2026-11-10").await;
    assert_eq!(home["month"], "2026-11");
    assert_eq!(home["org_kind"], "distributor");
    assert_eq!(home["figures_hidden"], false);
    // Lines 4, 5, 7, 10: 30 + 240 − 20 + 70; tax (6) and lines after as_of (8, 9) left out;
    // line 3 belongs to October in UTC.
    assert_eq!(home["current_month_revenue"], json!({"total": "320.00", "cost": "240.00", "margin": "80.00"}));
    // Non-usage 240 − 20 = 220, usage 30 + 70 = 100 scaled by 30 days ÷ day 10.
    assert_eq!(home["projected_monthly_revenue"], json!({"available": true, "value": "520.00", "reason": null}));
    // Marketplace November 240 + 70 = 310; October 55 + 10 + 25 = 90; +244.44 %.
    // The same days of October (1st to 10th) had no marketplace spend: no change to date.
    assert_eq!(
        home["marketplace_spend"],
        json!({"current": "310.00", "previous": "90.00", "change_pct": "244.44",
               "previous_to_date": "0.00", "change_to_date_pct": null, "partial": true})
    );
    // On the 20th: October 1st to 20th holds lines 2 (55) and 11 (25); (310 − 80) ÷ 80 = 287.5 %.
    let later = json_of(&app, &d, "/api/v1/dashboards/home?as_of=2026-11-20").await;
    assert_eq!(later["marketplace_spend"]["previous_to_date"], "80.00");
    assert_eq!(later["marketplace_spend"]["change_to_date_pct"], "287.50");
    // On the month's last day the month is whole.
    let last = json_of(&app, &d, "/api/v1/dashboards/home?as_of=2026-11-30").await;
    assert_eq!(last["marketplace_spend"]["partial"], false);

    // The reseller sees only its own customers' lines: never C2's (a sibling's).
    let r1 = app.token(R1_ADMIN).await;
    let home = json_of(&app, &r1, "/api/v1/dashboards/home?as_of=2026-11-10").await;
    assert_eq!(home["org_kind"], "reseller");
    assert_eq!(home["current_month_revenue"], json!({"total": "250.00", "cost": "180.00", "margin": "70.00"}));
    assert_eq!(home["projected_monthly_revenue"]["value"], "310.00");
    // (240 − 65) ÷ 65 = 269.2307…
    assert_eq!(home["marketplace_spend"]["current"], "240.00");
    assert_eq!(home["marketplace_spend"]["previous"], "65.00");
    assert_eq!(home["marketplace_spend"]["change_pct"], "269.23");

    // R2's first line is 2026-10-15, after as_of − 30 days (2026-10-11): no projection yet.
    let r2 = app.token(R2_ADMIN).await;
    let home = json_of(&app, &r2, "/api/v1/dashboards/home?as_of=2026-11-10").await;
    assert_eq!(home["current_month_revenue"]["total"], "70.00");
    assert_eq!(home["projected_monthly_revenue"]["available"], false);
    assert_eq!(home["projected_monthly_revenue"]["value"], Value::Null);
    assert!(home["projected_monthly_revenue"]["reason"].as_str().unwrap().contains("2026-10-15"));
    // From 2026-11-14 on it is available (first line on or before as_of − 30 days).
    let later = json_of(&app, &r2, "/api/v1/dashboards/home?as_of=2026-11-14").await;
    assert_eq!(later["projected_monthly_revenue"]["available"], true);

    // In the middle of a past month: October to the 19th holds lines 1 and 11 only.
    let mid = json_of(&app, &d, "/api/v1/dashboards/home?as_of=2026-10-19").await;
    assert_eq!(mid["current_month_revenue"], json!({"total": "125.00", "cost": "100.00", "margin": "25.00"}));
    // September had no marketplace spend: the change is null, not infinite.
    assert_eq!(mid["marketplace_spend"]["current"], "25.00");
    assert_eq!(mid["marketplace_spend"]["previous"], "0.00");
    assert_eq!(mid["marketplace_spend"]["change_pct"], Value::Null);
}

async fn reports_break_the_figures_down(app: TestApp) {
    let d = load(&app).await;
    let report = json_of(&app, &d, "/api/v1/dashboards/home/revenue?as_of=2026-11-10").await;
    assert_eq!(report["total"]["total"], "320.00");
    // Compute: 30 − 20 + 70; Licences: 240.
    assert_eq!(report["by_service"]["Compute"], json!({"total": "80.00", "cost": "60.00", "margin": "20.00"}));
    assert_eq!(report["by_service"]["Licences"]["total"], "240.00");
    assert!(report["by_service"].get("Tax").is_none());
    assert_eq!(report["customers"], 2);
    assert!(report.get("by_customer").is_none(), "customers are paged, not listed in the report");

    // A whole past month, and the same month cut at as_of.
    let october = json_of(&app, &d, "/api/v1/dashboards/home/revenue?as_of=2026-11-10&month=2026-10").await;
    assert_eq!(october["total"]["total"], "190.00");
    let cut = json_of(&app, &d, "/api/v1/dashboards/home/revenue?as_of=2026-10-19&month=2026-10").await;
    assert_eq!(cut["total"]["total"], "125.00");
    // Lines 1 and 11; Licences has only line 2, dated after as_of: no such service yet.
    assert_eq!(cut["by_service"].as_object().unwrap().keys().collect::<Vec<_>>(), ["Compute", "Marketplace"]);
    assert_eq!(cut["customers"], 2);
    // Before October's first line, no account and no service.
    let early = json_of(&app, &d, "/api/v1/dashboards/home/revenue?as_of=2026-10-04&month=2026-10").await;
    assert_eq!(
        (&early["customers"], &early["by_service"], &early["total"]["total"]),
        (&json!(0), &json!({}), &json!("0.00"))
    );
    let after = app.get(&d, "/api/v1/dashboards/home/revenue?as_of=2026-10-19&month=2026-11").await;
    assert_eq!(error_fields(&problem(after, StatusCode::UNPROCESSABLE_ENTITY).await), ["month"]);

    // AWS: −20 + 100 × 3 = 280; Microsoft: 240.
    let projection = json_of(&app, &d, "/api/v1/dashboards/home/projection?as_of=2026-11-10").await;
    assert_eq!(projection["projected"]["value"], "520.00");
    assert_eq!(projection["by_provider"], json!({"AWS": "280.00", "Microsoft": "240.00"}));
    assert_eq!(projection["rows"][0]["service"], "Compute");
    assert_eq!(projection["rows"][0]["projected"], "280.00");

    let marketplace = json_of(&app, &d, "/api/v1/dashboards/home/marketplace?as_of=2026-11-10").await;
    let months = marketplace["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[11], json!({"month": "2026-11", "spend": "310.00", "change_pct": "244.44", "partial": true}));
    assert_eq!(months[10], json!({"month": "2026-10", "spend": "90.00", "change_pct": null, "partial": false}));
    assert_eq!(months[0]["month"], "2025-12");

    let overview = json_of(&app, &d, "/api/v1/dashboards/home/overview?as_of=2026-11-10").await;
    let months = overview["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[10]["total"]["total"], "190.00");
    assert_eq!(months[11]["by_provider"]["Microsoft"]["total"], "240.00");
    assert_eq!((months[10]["partial"].clone(), months[11]["partial"].clone()), (json!(false), json!(true)));
    // C1: 190 − 25 (C2's) + 250 = 415 over both months; C2: 25 + 70 = 95.
    assert_eq!(overview["top_customers"][0]["external_id"], "C1");
    assert_eq!(overview["top_customers"][0]["total"], "415.00");
    assert_eq!(overview["top_customers"][1]["total"], "95.00");
    assert_eq!(overview["top_services"][0]["name"], "Licences");

    // The reseller's reports hold only its own customer.
    let r1 = app.token(R1_ADMIN).await;
    let report = json_of(&app, &r1, "/api/v1/dashboards/home/revenue?as_of=2026-11-10").await;
    assert_eq!(report["customers"], 1);
    let customers = json_of(&app, &r1, "/api/v1/dashboards/home/revenue/customers?as_of=2026-11-10").await;
    assert_eq!(customers["total"], 1);
    assert_eq!(customers["items"][0]["external_id"], "C1");
    assert_eq!(report["by_service"]["Compute"]["total"], "10.00");
}

/// The overview names ten accounts: ties at the tenth place go by name, Tax is not revenue, and
/// lines dated after `as_of` count for nothing yet; the month's report counts the same accounts.
async fn the_overview_ranks_ten_accounts(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    // (name, external id, revenue in 2026-11): eight clear leaders, then three tied at 5 for the
    // last two places; "Taxed" pays only tax, "Late" bills only after as_of.
    let mut accounts: Vec<(String, String, &str)> = (1..=8)
        .map(|i| (format!("Leader {i}"), format!("L{i}"), ["100", "90", "80", "70", "60", "50", "40", "30"][i - 1]))
        .collect();
    accounts.extend(
        [("Zed", "T1", "5"), ("Amy", "T2", "5"), ("Mia", "T3", "5"), ("Taxed", "X1", "0"), ("Late", "X2", "0")]
            .map(|(n, e, r)| (n.to_owned(), e.to_owned(), r)),
    );
    // "Even" bills and is credited the same: no revenue, yet an account with revenue lines.
    accounts.push(("Even".to_owned(), "E1".to_owned(), "0"));
    for (name, ext, _) in &accounts {
        let body = json!({"kind": "customer", "parent_id": app.tree.r1, "name": name, "external_id": ext});
        let response = app.post(&d, "/api/v1/organizations", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{}", response.text().await.unwrap());
    }
    // The sibling reseller's one customer pays only tax: no account anywhere.
    let body = json!({"kind": "customer", "parent_id": app.tree.r2, "name": "Sibling Taxed", "external_id": "Y1"});
    assert_eq!(app.post(&d, "/api/v1/organizations", &body).await.status(), StatusCode::CREATED);
    let mut lines: Vec<String> = accounts
        .iter()
        .filter(|(_, _, revenue)| *revenue != "0")
        .map(|(_, ext, revenue)| format!("{ext},2026-11-02,2026-11-03,{revenue},1,USD,Usage,AWS,Compute,,false"))
        .collect();
    lines.push("X1,2026-11-02,2026-11-03,5000,5000,USD,Tax,AWS,Tax,,false".into());
    lines.push("Y1,2026-11-02,2026-11-03,70,70,USD,Tax,AWS,Tax,,false".into());
    lines.push("X2,2026-11-20,2026-11-21,9000,1,USD,Usage,AWS,Compute,,false".into());
    lines.push("E1,2026-11-02,2026-11-03,5,1,USD,Usage,AWS,Compute,,false".into());
    lines.push("E1,2026-11-03,2026-11-04,-5,-1,USD,Credit,AWS,Compute,,false".into());
    // A leader's later line leaves it an account before that line's day.
    lines.push("L1,2026-11-25,2026-11-26,7,0,USD,Usage,AWS,Compute,,false".into());
    let imported = app.post_csv(&d, format!("{HEADER}\n{}\n", lines.join("\n"))).await;
    assert_eq!(imported.status(), StatusCode::CREATED, "{}", imported.text().await.unwrap());

    let overview = json_of(&app, &d, "/api/v1/dashboards/home/overview?as_of=2026-11-10").await;
    let top: Vec<(&str, &str)> = overview["top_customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["total"].as_str().unwrap()))
        .collect();
    let leaders = ["100.00", "90.00", "80.00", "70.00", "60.00", "50.00", "40.00", "30.00"];
    let mut expected: Vec<(String, &str)> = (1..=8).map(|i| (format!("Leader {i}"), leaders[i - 1])).collect();
    expected.extend([("Amy".to_owned(), "5.00"), ("Mia".to_owned(), "5.00")]);
    assert_eq!(top, expected.iter().map(|(n, t)| (n.as_str(), *t)).collect::<Vec<_>>());
    let november = &overview["months"][11];
    assert_eq!(november["total"], json!({"total": "535.00", "cost": "11.00", "margin": "524.00"}));
    assert_eq!(
        overview["top_services"],
        json!([{"name": "Compute", "total": "535.00", "cost": "11.00", "margin": "524.00"}])
    );

    // On the last day the late line counts: Late leads, and Mia drops out.
    let later = json_of(&app, &d, "/api/v1/dashboards/home/overview?as_of=2026-11-30").await;
    assert_eq!(later["top_customers"][0]["name"], "Late");
    assert_eq!(later["top_customers"][9]["name"], "Amy");
    assert_eq!(later["months"][11]["total"]["total"], "9542.00");

    // The month's accounts, counted (the report) and listed (its pages), agree: eight leaders,
    // three tied and Even; never Taxed; Late only from its line's day on.
    let r1 = app.token(R1_ADMIN).await;
    let r2 = app.token(R2_ADMIN).await;
    for (as_of, accounts) in [("2026-11-10", 12), ("2026-11-30", 13)] {
        for (who, token) in [("distributor", &d), ("reseller", &r1)] {
            let report = json_of(&app, token, &format!("/api/v1/dashboards/home/revenue?as_of={as_of}")).await;
            assert_eq!(report["customers"], accounts, "{who} on {as_of}");
            let path = format!("/api/v1/dashboards/home/revenue/customers?as_of={as_of}");
            assert_eq!(json_of(&app, token, &path).await["total"], accounts, "{who} on {as_of}");
        }
        // The sibling reseller counts none of them, nor its customer of tax alone.
        let sibling = json_of(&app, &r2, &format!("/api/v1/dashboards/home/revenue?as_of={as_of}")).await;
        assert_eq!(sibling["customers"], 0);
        let path = format!("/api/v1/dashboards/home/revenue/customers?as_of={as_of}");
        assert_eq!(json_of(&app, &r2, &path).await["total"], 0);
        let overview = json_of(&app, &r2, &format!("/api/v1/dashboards/home/overview?as_of={as_of}")).await;
        assert_eq!(overview["top_customers"], json!([]), "{overview}");
    }
}

async fn report_customers_page_sort_and_search(app: TestApp) {
    let d = load(&app).await;
    let path = "/api/v1/dashboards/home/revenue/customers?as_of=2026-11-10";
    // Largest revenue first by default, each with its reseller.
    let page = json_of(&app, &d, path).await;
    assert_eq!(page["total"], 2);
    assert_eq!(page["page"], 1);
    let first = &page["items"][0];
    assert_eq!((first["external_id"].clone(), first["total"].clone()), (json!("C1"), json!("250.00")));
    assert_eq!((first["name"].clone(), first["reseller_name"].clone()), (json!("Customer One"), json!("Reseller One")));
    assert_eq!(page["items"][1]["reseller_name"], "Reseller Two");
    // Sorted the other way, one per page: page 2 holds the larger.
    let page = json_of(&app, &d, &format!("{path}&sort=revenue&per_page=1&page=2")).await;
    assert_eq!((page["total"].clone(), page["items"][0]["external_id"].clone()), (json!(2), json!("C1")));
    // By name, which names every account before the page is taken.
    let page = json_of(&app, &d, &format!("{path}&sort=-name&per_page=1")).await;
    assert_eq!((page["total"].clone(), page["items"][0]["external_id"].clone()), (json!(2), json!("C2")));
    // Search covers the reseller's name too.
    let page = json_of(&app, &d, &format!("{path}&q=reseller%20two")).await;
    assert_eq!((page["total"].clone(), page["items"][0]["external_id"].clone()), (json!(1), json!("C2")));
    let page = json_of(&app, &d, &format!("{path}&q=nobody")).await;
    assert_eq!((page["total"].clone(), page["items"].as_array().unwrap().len()), (json!(0), 0));
    // A past month.
    let october = json_of(&app, &d, "/api/v1/dashboards/home/revenue/customers?as_of=2026-11-10&month=2026-10").await;
    assert_eq!(october["items"][0]["total"], "165.00");
    // Bad paging or sorting names the parameter.
    let bad = app.get(&d, &format!("{path}&sort=colour")).await;
    assert_eq!(error_fields(&problem(bad, StatusCode::UNPROCESSABLE_ENTITY).await), ["sort"]);
    let bad = app.get(&d, &format!("{path}&per_page=501")).await;
    assert_eq!(error_fields(&problem(bad, StatusCode::UNPROCESSABLE_ENTITY).await), ["per_page"]);
    // The sibling reseller never sees the other's customer, searched for or not.
    let r2 = app.token(R2_ADMIN).await;
    let page = json_of(&app, &r2, &format!("{path}&q=C1")).await;
    assert_eq!(page["total"], 0);
    let page = json_of(&app, &r2, path).await;
    assert_eq!((page["total"].clone(), page["items"][0]["external_id"].clone()), (json!(1), json!("C2")));
    // A role without revenue rights gets no customer figures.
    let viewer = app.token(D_VIEWER).await;
    assert_eq!(app.get(&viewer, path).await.status(), StatusCode::FORBIDDEN);
}

async fn reports_download_as_csv(app: TestApp) {
    let d = load(&app).await;
    let by_query = app.get(&d, "/api/v1/dashboards/home/revenue?as_of=2026-11-10&format=csv").await;
    assert_eq!(by_query.status(), StatusCode::OK);
    assert!(by_query.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(by_query.headers()["content-disposition"].to_str().unwrap().contains("revenue-2026-11.csv"));
    let text = by_query.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "month,dimension,key,name,revenue,cost,margin");
    assert!(lines.contains(&"2026-11,total,,,320.00,240.00,80.00"));
    // Every customer is in the CSV, largest first, though the JSON only counts them.
    let c1 = lines.iter().position(|l| *l == "2026-11,customer,C1,Customer One,250.00,180.00,70.00");
    let c2 = lines.iter().position(|l| l.starts_with("2026-11,customer,C2,"));
    assert!(c1.is_some() && c1 < c2, "{text}");

    let by_accept = app
        .client
        .get(app.url("/api/v1/dashboards/home/marketplace?as_of=2026-11-10"))
        .bearer_auth(&d)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    let text = by_accept.text().await.unwrap();
    assert!(text.starts_with("month,spend,change_pct\n"));
    assert!(text.contains("2026-11,310.00,244.44\n"));
    assert!(text.contains("2026-10,90.00,\n"));

    for path in ["projection", "overview"] {
        let response = app.get(&d, &format!("/api/v1/dashboards/home/{path}?as_of=2026-11-10&format=csv")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.text().await.unwrap().lines().count() > 1);
    }
}

async fn a_report_viewer_gets_no_money(app: TestApp) {
    load(&app).await;
    let viewer = app.token(D_VIEWER).await;
    let response = app.get(&viewer, "/api/v1/dashboards/home?as_of=2026-11-10").await;
    let raw = response.text().await.unwrap();
    let home: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(home["figures_hidden"], true);
    for field in ["current_month_revenue", "projected_monthly_revenue", "marketplace_spend"] {
        assert!(home.get(field).is_none(), "{field} must be left out");
    }
    assert!(!raw.contains("320.00") && !raw.contains("310.00"));
    assert!(home["accounts"].is_object());
    for path in ["revenue", "projection", "marketplace", "overview"] {
        let response = app.get(&viewer, &format!("/api/v1/dashboards/home/{path}")).await;
        problem(response, StatusCode::FORBIDDEN).await;
    }
}

async fn bad_days_are_refused(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    for query in ["as_of=2026-02-30", "as_of=yesterday", "as_of=0001-01-01", "as_of=9999-12-31", "colour=red"] {
        let response = app.get(&d, &format!("/api/v1/dashboards/home?{query}")).await;
        problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    for query in ["month=2026-13", "format=pdf", "month=26-1"] {
        let response = app.get(&d, &format!("/api/v1/dashboards/home/revenue?{query}")).await;
        problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
}

/// Every endpoint computed for a day takes it only zero-padded and in range, and names `as_of`
/// when it is not; a month likewise names `month`.
async fn days_and_months_are_checked_on_every_dated_endpoint(app: TestApp) {
    let r1 = app.token(R1_ADMIN).await;
    let dated = [
        "/api/v1/dashboards/home",
        "/api/v1/dashboards/home/revenue",
        "/api/v1/dashboards/home/revenue/customers",
        "/api/v1/dashboards/home/projection",
        "/api/v1/dashboards/home/marketplace",
        "/api/v1/dashboards/home/overview",
        "/api/v1/portal/summary",
        "/api/v1/portal/active-users",
    ];
    for path in dated {
        for day in ["2026-6-5", "2026-06-5", "+2026-06-05", "1899-12-31"] {
            let body =
                problem(app.get(&r1, &format!("{path}?as_of={day}")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(error_fields(&body), ["as_of"], "{path}?as_of={day}");
        }
        let fine = app.get(&r1, &format!("{path}?as_of=2026-06-05")).await;
        assert_eq!(fine.status(), StatusCode::OK, "{path}");
    }
    for month in ["0000-01", "2026-1", "1899-12", "9999-12"] {
        let response = app.get(&r1, &format!("/api/v1/dashboards/home/revenue?month={month}")).await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&body), ["month"], "month={month}");
    }
}

/// Organisations made with the dates the counts depend on (as_of 2026-11-10, window
/// (2026-10-11, 2026-11-10]). The seeded R1, R2, C1, C2 are created today: after as_of.
async fn accounts_are_counted_as_of_the_day(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let org = |kind: &str, parent: i64, ext: &str, created: &str, extra: Value| {
        let mut body = json!({"kind": kind, "parent_id": parent, "name": format!("Org {ext}"), "external_id": ext, "created_at": created});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let dist = app.tree.distributor;
    let r1 = app.tree.r1;
    let orgs = [
        org("reseller", dist, "R3", "2026-01-01T00:00:00Z", json!({})), // counted
        org("reseller", dist, "R4", "2026-10-20T00:00:00Z", json!({})), // counted, new
        org(
            "reseller",
            dist,
            "R5",
            "2025-05-01T00:00:00Z",
            json!({"status": "closed", "closed_at": "2026-11-01T00:00:00Z"}),
        ), // closed in window
        org(
            "reseller",
            dist,
            "R6",
            "2025-01-01T00:00:00Z",
            json!({"status": "closed", "closed_at": "2026-11-11T00:00:00Z"}),
        ), // closed after: counted
        org(
            "customer",
            r1,
            "C3",
            "2026-10-11T12:00:00Z",
            json!({"onboarding_stage": "invited", "onboarding_stage_since": "2026-11-01T09:00:00Z"}),
        ), // counted, not in window
        org("customer", r1, "C4", "2026-11-10T23:59:00Z", json!({"status": "suspended", "onboarding_stage": "failed"})), // counted, new, not active
        org(
            "customer",
            r1,
            "C5",
            "2026-06-01T00:00:00Z",
            json!({"status": "closed", "closed_at": "2026-11-10T08:00:00Z", "onboarding_stage": "invited"}),
        ), // closed on the day
        org("customer", r1, "C6", "2026-11-01T00:00:00Z", json!({"onboarding_stage": "completed"})), // counted, new
    ];
    let mut ids = std::collections::HashMap::new();
    for body in orgs {
        let response = app.post(&d, "/api/v1/organizations", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{}", response.text().await.unwrap());
        let created: Value = response.json().await.unwrap();
        ids.insert(body["external_id"].as_str().unwrap().to_owned(), created["id"].as_i64().unwrap());
    }
    let home = json_of(&app, &d, "/api/v1/dashboards/home?as_of=2026-11-10").await;
    // Resellers R3, R4, R6; customers C3, C4, C6; created in window R4, C4, C6 minus closed R5, C5.
    assert_eq!(home["accounts"], json!({"resellers": 3, "customers": 3, "net_new_30d": 1}));

    // Changes move the tree's counts too: R4 closed in the window, then its closing moved after
    // as_of; C3's creation moved into the window.
    let patch = |ext: &str| format!("/api/v1/organizations/{}", ids[ext]);
    let closed = app.patch(&d, &patch("R4"), &json!({"status": "closed", "closed_at": "2026-11-05T00:00:00Z"})).await;
    assert_eq!(closed.status(), StatusCode::OK, "{}", closed.text().await.unwrap());
    let home = json_of(&app, &d, "/api/v1/dashboards/home?as_of=2026-11-10").await;
    assert_eq!(home["accounts"], json!({"resellers": 2, "customers": 3, "net_new_30d": 0}));
    for (ext, body) in
        [("R4", json!({"closed_at": "2026-11-12T00:00:00Z"})), ("C3", json!({"created_at": "2026-10-12T00:00:00Z"}))]
    {
        let moved = app.patch(&d, &patch(ext), &body).await;
        assert_eq!(moved.status(), StatusCode::OK, "{}", moved.text().await.unwrap());
    }
    let home = json_of(&app, &d, "/api/v1/dashboards/home?as_of=2026-11-10").await;
    assert_eq!(home["accounts"], json!({"resellers": 3, "customers": 3, "net_new_30d": 2}));
    // Onboarding: C3 (invited since 11-01: 9 days) before C4 (failed since its creation).
    let stages: Vec<(&str, &str, i64)> = home["onboarding"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (c["external_id"].as_str().unwrap(), c["stage"].as_str().unwrap(), c["days_in_stage"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(stages, [("C3", "invited", 9), ("C4", "failed", 0)]);
    assert_eq!(home["onboarding_total"], 2);

    let r1_token = app.token(R1_ADMIN).await;
    let home = json_of(&app, &r1_token, "/api/v1/dashboards/home?as_of=2026-11-10").await;
    // C3, C4, C6 counted; C4 is suspended; C3 (moved above), C4 and C6 new, C5 closed.
    assert_eq!(home["accounts"], json!({"customers": 3, "active_customers": 2, "net_new_30d": 2}));
    assert_eq!(home["onboarding_total"], 2);

    // The sibling reseller has none of them.
    let r2 = app.token(R2_ADMIN).await;
    let home = json_of(&app, &r2, "/api/v1/dashboards/home?as_of=2026-11-10").await;
    assert_eq!(home["accounts"], json!({"customers": 0, "active_customers": 0, "net_new_30d": 0}));
    assert_eq!(home["onboarding"], json!([]));

    // A completed stage takes a customer out of the tree's onboarding count, a closing too, and a
    // stage opened again puts it back.
    let listed = |home: &Value| -> Vec<String> {
        home["onboarding"].as_array().unwrap().iter().map(|c| c["external_id"].as_str().unwrap().to_owned()).collect()
    };
    for (ext, body) in [
        ("C4", json!({"onboarding_stage": "completed"})),
        ("C3", json!({"status": "closed", "closed_at": "2026-11-09T00:00:00Z"})),
    ] {
        let changed = app.patch(&d, &patch(ext), &body).await;
        assert_eq!(changed.status(), StatusCode::OK, "{}", changed.text().await.unwrap());
    }
    let home = json_of(&app, &d, "/api/v1/dashboards/home?as_of=2026-11-10").await;
    assert_eq!((&home["onboarding_total"], listed(&home).len()), (&json!(0), 0), "{home}");
    // On 11-08 C3 is not closed yet, nor C5 (invited since June, closed on 11-10).
    let before_closing = json_of(&app, &d, "/api/v1/dashboards/home?as_of=2026-11-08").await;
    assert_eq!(
        (&before_closing["onboarding_total"], listed(&before_closing)),
        (&json!(2), vec!["C5".to_owned(), "C3".to_owned()])
    );
    let reopened = app.patch(&d, &patch("C4"), &json!({"onboarding_stage": "account_linked"})).await;
    assert_eq!(reopened.status(), StatusCode::OK, "{}", reopened.text().await.unwrap());
    let home = json_of(&app, &d, "/api/v1/dashboards/home?as_of=2026-11-10").await;
    assert_eq!((&home["onboarding_total"], listed(&home)), (&json!(1), vec!["C4".to_owned()]));

    // Today the seeded organisations exist too.
    let today = json_of(&app, &d, "/api/v1/dashboards/home").await;
    assert_eq!(today["as_of"], Utc::now().date_naive().to_string());
    // R1, R2 and R3: R4, R5 and R6 are closed by now.
    assert_eq!(today["accounts"]["resellers"], 3);
}

async fn billing_issues_are_grouped_by_customer(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let body = format!(
        "{HEADER}\nCX,2026-11-02,2026-11-03,5,5,USD,Usage,AWS,Compute,,false\nCX,2026-11-03,2026-11-04,5,5,USD,Usage,AWS,Compute,,false\nC1,2026-11-02,2026-11-03,5,5,EUR,Usage,AWS,Compute,NOPE,false\n"
    );
    assert_eq!(app.post_csv(&d, body).await.status(), StatusCode::CREATED);
    let home = json_of(&app, &d, "/api/v1/dashboards/home").await;
    let issues = home["billing_issues"].as_array().unwrap();
    assert_eq!(home["billing_issues_total"], 2, "{issues:?}");
    let c1 = issues.iter().find(|i| i["external_id"] == "C1").unwrap();
    assert_eq!(c1["customer_id"], app.tree.c1);
    assert_eq!(c1["name"], "Customer One");
    // Its unknown SKU is no issue of the customer's (the line counts); its missing rate is.
    assert_eq!(c1["kinds"], json!(["missing_fx_rate"]));
    let cx = issues.iter().find(|i| i["external_id"] == "CX").unwrap();
    assert_eq!(cx["customer_id"], Value::Null);
    assert!(home.get("billing_issues_empty").is_none());

    // R1 sees its customer's issue only; R2 has none and is offered the billing page instead.
    let r1 = app.token(R1_ADMIN).await;
    let home = json_of(&app, &r1, "/api/v1/dashboards/home").await;
    assert_eq!(home["billing_issues"].as_array().unwrap().len(), 1);
    assert_eq!(home["billing_issues"][0]["external_id"], "C1");
    let r2 = app.token(R2_ADMIN).await;
    let home = json_of(&app, &r2, "/api/v1/dashboards/home").await;
    assert_eq!(home["billing_issues"], json!([]));
    assert_eq!(home["billing_issues_empty"]["label"], "View billing");

    // Before the import the issues did not exist yet.
    let yesterday = (Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    let before = json_of(&app, &d, &format!("/api/v1/dashboards/home?as_of={yesterday}")).await;
    assert_eq!(before["billing_issues_total"], 0);
}

on_both_databases!(
    revenue_figures_follow_the_definitions,
    reports_break_the_figures_down,
    the_overview_ranks_ten_accounts,
    report_customers_page_sort_and_search,
    reports_download_as_csv,
    a_report_viewer_gets_no_money,
    bad_days_are_refused,
    days_and_months_are_checked_on_every_dated_endpoint,
    accounts_are_counted_as_of_the_day,
    billing_issues_are_grouped_by_customer,
);
