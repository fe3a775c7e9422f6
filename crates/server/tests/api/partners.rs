//! The Partners dashboard (docs/metrics.md §8) on a small tree written for the test, the
//! expected figures worked out by hand below, on 2026-10-15 (the helper tree's own resellers
//! and customers are created today, after that day, so they do not exist yet on it).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(
    the_console_counts_lists_and_windows_are_as_worked_out_by_hand,
    search_finds_partners_and_customers_best_first_within_the_subtree,
);

const AS_OF: &str = "2026-10-15";

async fn create(app: &TestApp, token: &str, body: Value) -> i64 {
    let response = app.post(token, "/api/v1/organizations", &body).await;
    let status = response.status();
    let created: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_i64().unwrap()
}

async fn reseller(app: &TestApp, token: &str, name: &str, created: &str) -> i64 {
    let body = json!({"kind": "reseller", "name": name, "external_id": name, "created_at": created});
    create(app, token, body).await
}

async fn customer(app: &TestApp, token: &str, parent: i64, name: &str, created: &str, status: &str) -> i64 {
    let body = json!({"kind": "customer", "parent_id": parent, "name": name, "external_id": name,
        "created_at": created, "status": status});
    create(app, token, body).await
}

async fn subscribe(app: &TestApp, token: &str, customer: i64, product: i64, start: &str, licence: &str, trial: bool) {
    let body = json!({"customer_id": customer, "product_id": product, "quantity": 1, "unit_price": "10",
        "currency": "USD", "billing_interval": "monthly", "license_status": licence, "trial": trial,
        "start_date": start});
    let response = app.post(token, "/api/v1/subscriptions", &body).await;
    let status = response.status();
    assert_eq!(status, StatusCode::CREATED, "{}", response.text().await.unwrap());
}

/// The reseller id of the console's `n`th fall.
fn falls_reseller(console: &Value, n: usize) -> i64 {
    console["decreasing_units"]["items"][n]["reseller_id"].as_i64().unwrap()
}

fn names(items: &Value) -> Vec<&str> {
    items.as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect()
}

async fn the_console_counts_lists_and_windows_are_as_worked_out_by_hand(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    // R3 and R7 are new and active or inactive; R4 closed; R5 comes the day after; R6 exactly 30
    // days before (outside the new-partner window); R8 last year.
    let r3 = reseller(&app, &d, "R3", "2026-10-05T10:00:00Z").await;
    let r4 = reseller(&app, &d, "R4", "2026-09-25T10:00:00Z").await;
    app.patch(
        &d,
        &format!("/api/v1/organizations/{r4}"),
        &json!({"status": "closed", "closed_at": "2026-10-10T00:00:00Z"}),
    )
    .await;
    reseller(&app, &d, "R5", "2026-10-16T00:00:00Z").await;
    reseller(&app, &d, "R6", "2026-09-15T00:00:00Z").await;
    let r7 = reseller(&app, &d, "R7", "2026-10-15T23:00:00Z").await;
    reseller(&app, &d, "R8", "2025-03-10T00:00:00Z").await;
    let c3 = customer(&app, &d, r3, "C3", "2026-10-06T00:00:00Z", "active").await;
    let c4 = customer(&app, &d, r3, "C4", "2026-10-08T00:00:00Z", "suspended").await;
    let c5 = customer(&app, &d, r7, "C5", "2026-10-15T00:00:00Z", "active").await;
    let product = json!({"sku": "P1", "name": "P1", "family": "F", "provider": "AWS", "billing_model": "license"});
    let product: Value = app.post(&d, "/api/v1/products", &product).await.json().await.unwrap();
    let product = product["id"].as_i64().unwrap();
    for (code, enabled) in [("A", true), ("B", false)] {
        let plan = json!({"product_id": product, "code": code, "name": code, "price": "10", "currency": "USD",
            "billing_interval": "monthly", "enabled": enabled});
        assert_eq!(app.post(&d, "/api/v1/service-plans", &plan).await.status(), StatusCode::CREATED);
    }
    subscribe(&app, &d, c3, product, "2026-10-07", "active", false).await;
    subscribe(&app, &d, c3, product, "2026-10-20", "expired", false).await;
    subscribe(&app, &d, c4, product, "2026-10-09", "grace", false).await;
    subscribe(&app, &d, c5, product, "2026-10-15", "trial", true).await;
    // C8 held an expired licence, and was closed before the day: not a holder on it.
    let c8 = customer(&app, &d, r3, "C8", "2026-10-01T00:00:00Z", "active").await;
    subscribe(&app, &d, c8, product, "2026-10-02", "expired", false).await;
    let closed = json!({"status": "closed", "closed_at": "2026-10-12T00:00:00Z"});
    assert_eq!(app.patch(&d, &format!("/api/v1/organizations/{c8}"), &closed).await.status(), StatusCode::OK);
    let lines = "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName\n\
                 C3,2026-10-10,2026-10-11,100,USD,Usage,AWS,EC2\n\
                 C3,2026-10-10,2026-10-11,8,USD,Tax,AWS,EC2\n\
                 C3,2026-10-20,2026-10-21,50,USD,Usage,AWS,EC2\n";
    assert_eq!(app.post_csv(&d, lines.to_owned()).await.status(), StatusCode::CREATED);

    let console = json_of(&app, &d, &format!("/api/v1/dashboards/partners?as_of={AS_OF}")).await;
    // Active partners: R3, R6, R7 and R8 (R4 closed on the 10th, R5 not yet, R1 and R2 not yet).
    assert_eq!(console["active_partners"]["count"], 4, "{console}");
    // Enabled customers: C3 and C5 (C4 is suspended).
    assert_eq!(console["enabled_customers"]["count"], 2);
    assert_eq!(console["enabled_service_plans"]["count"], 1);
    let licences = &console["customer_license_status"];
    let counts: Vec<u64> = ["trial", "active", "grace", "expired", "suspended"]
        .iter()
        .map(|s| licences[*s]["count"].as_u64().unwrap())
        .collect();
    // C5's trial, C3's active (its expired one starts after as_of), C4's grace; not closed C8's.
    assert_eq!(counts, [1, 1, 1, 0, 0]);
    // Every count's list totals the count.
    let mut tiles = vec![&console["active_partners"], &console["enabled_customers"], &console["enabled_service_plans"]];
    tiles.extend(["trial", "active", "grace", "expired", "suspended"].iter().map(|s| &licences[*s]));
    for tile in tiles {
        let list = json_of(&app, &d, tile["list"].as_str().unwrap()).await;
        assert_eq!(list["total"], tile["count"], "{tile}");
    }

    let acquisition = &console["partner_acquisition"];
    assert_eq!(acquisition["this_year"]["2026-09"], 2, "R4 and R6: {acquisition}");
    assert_eq!(acquisition["this_year"]["2026-10"], 2, "R3 and R7, not R5");
    assert_eq!(acquisition["this_year"].as_object().unwrap().len(), 10, "January to October");
    assert_eq!(acquisition["last_year"]["2025-03"], 1);
    assert_eq!(acquisition["last_year"].as_object().unwrap().len(), 12);
    assert_eq!(acquisition["partial_month"], "2026-10");

    // New partners: created in (15 September, 15 October], latest first.
    let new = &console["new_partners"];
    assert_eq!((new["total"].as_u64(), names(&new["items"])), (Some(3), vec!["R7", "R3", "R4"]));
    let r3_row = &new["items"][1];
    assert_eq!(
        (&r3_row["subscriptions"], &r3_row["revenue"]),
        (&json!(2), &json!("100.00")),
        "Tax and after as_of left out"
    );
    let paged = json_of(&app, &d, new["list"].as_str().unwrap()).await;
    assert_eq!(paged["total"], 3);

    // Inactive new partners over 90 days: R7 (a trial only), R4 and R6; over 20 days: R7.
    let inactive = &console["inactive_new_partners"];
    assert_eq!((inactive["days"].as_u64(), names(&inactive["items"])), (Some(90), vec!["R7", "R4", "R6"]));
    let short = json_of(&app, &d, &format!("/api/v1/dashboards/partners?as_of={AS_OF}&inactive_days=20")).await;
    assert_eq!(names(&short["inactive_new_partners"]["items"]), ["R7"]);
    assert_eq!(short["inactive_new_partners"]["items"][0]["reseller_id"], r7);

    // A role without revenue gets no revenue; bad parameters are named.
    let viewer = app.token(D_VIEWER).await;
    let seen = json_of(&app, &viewer, &format!("/api/v1/dashboards/partners?as_of={AS_OF}")).await;
    assert!(seen["new_partners"]["items"][1].get("revenue").is_none(), "{seen}");
    for bad in ["inactive_days=0", "inactive_days=3651", "as_of=2026-10-5"] {
        let refused =
            problem(app.get(&d, &format!("/api/v1/dashboards/partners?{bad}")).await, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        assert_eq!(error_fields(&refused), [bad.split('=').next().unwrap()], "{bad}");
    }

    // Chargeable units, September against August, per product and reseller.
    let r6 = json_of(&app, &d, "/api/v1/organizations?kind=reseller&external_id=R6").await["items"][0]["id"]
        .as_i64()
        .unwrap();
    customer(&app, &d, r6, "C6", "2026-08-01T00:00:00Z", "active").await;
    for sku in ["P2", "P3", "P4"] {
        let body = json!({"sku": sku, "name": format!("Product {sku}"), "family": "F", "provider": "AWS", "billing_model": "license"});
        assert_eq!(app.post(&d, "/api/v1/products", &body).await.status(), StatusCode::CREATED);
    }
    let mut units = String::from(
        "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName,SkuId,PricingQuantity\n",
    );
    for (customer, day, sku, quantity) in [
        ("C3", "2026-08-03", "P1", "60"), // R3 P1: 100 → 90, exactly the threshold: not listed
        ("C3", "2026-08-20", "P1", "40"),
        ("C3", "2026-09-03", "P1", "90"),
        ("C3", "2026-08-03", "P2", "50"),  // R3 P2: 50 → 0, −100 %
        ("C3", "2026-09-03", "P3", "10"),  // R3 P3: 0 → 10, an earlier month of 0: not listed
        ("C6", "2026-08-03", "P1", "200"), // R6 P1: 200 → 150, −25 %
        ("C6", "2026-09-03", "P1", "150"),
        ("C1", "2026-08-03", "P4", "10"), // R1 P4: 10 → 1, −90 %
        ("C1", "2026-09-03", "P4", "1"),
    ] {
        units.push_str(&format!("{customer},{day},{day},1,USD,Purchase,AWS,Licences,{sku},{quantity}\n"));
    }
    assert_eq!(app.post_csv(&d, units).await.status(), StatusCode::CREATED);
    let falls = |body: &Value| -> Vec<(String, String, String, String, String)> {
        body["decreasing_units"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let text = |k: &str| i[k].as_str().unwrap().to_owned();
                (text("sku"), text("reseller_name"), text("previous_units"), text("last_units"), text("change_pct"))
            })
            .collect()
    };
    let s = |v: &str| v.to_owned();
    let console = json_of(&app, &d, &format!("/api/v1/dashboards/partners?as_of={AS_OF}")).await;
    let decreasing = &console["decreasing_units"];
    assert_eq!(
        (
            &decreasing["last_complete_month"],
            &decreasing["compared_with"],
            &decreasing["total"],
            &decreasing["threshold_pct"]
        ),
        (&json!("2026-09"), &json!("2026-08"), &json!(3), &json!("10"))
    );
    assert_eq!(
        falls(&console),
        [
            (s("P2"), s("R3"), s("50"), s("0"), s("-100.00")),
            (s("P4"), s("Reseller One"), s("10"), s("1"), s("-90.00")),
            (s("P1"), s("R6"), s("200"), s("150"), s("-25.00")),
        ]
    );
    // The falls' full list: paged, its total the console's, and every row in its CSV.
    let list = decreasing["list"].as_str().unwrap().to_owned();
    let second = json_of(&app, &d, &format!("{list}&per_page=2&page=2")).await;
    assert_eq!((&second["total"], second["items"].as_array().unwrap().len()), (&json!(3), 1), "{second}");
    assert_eq!(second["items"][0]["reseller_name"], "R6");
    let csv = app.get(&d, &format!("{list}&format=csv")).await.text().await.unwrap();
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        [
            "sku,product_name,reseller_id,reseller_external_id,reseller_name,previous_units,last_units,change_pct",
            &format!("P2,Product P2,{r3},R3,R3,50,0,-100.00"),
            &format!("P4,Product P4,{},R1,Reseller One,10,1,-90.00", falls_reseller(&console, 1)),
            &format!("P1,P1,{r6},R6,R6,200,150,-25.00"),
        ]
    );
    let figures = app.get(&d, &format!("/api/v1/dashboards/partners?as_of={AS_OF}&format=csv")).await;
    let figures = figures.text().await.unwrap();
    assert!(figures.starts_with("figure,key,value,list\nenabled_customers,,"), "{figures}");
    assert!(figures.contains(&format!("decreasing_units,,3,{list}")), "{figures}");
    for part in ["new_partners", "inactive_new_partners"] {
        let list = console[part]["list"].as_str().unwrap();
        let total = console[part]["total"].as_u64().unwrap();
        assert_eq!(json_of(&app, &d, list).await["total"], total, "{part}");
        let csv = app.get(&d, &format!("{list}&format=csv")).await.text().await.unwrap();
        assert_eq!(csv.lines().count() as u64, total + 1, "{part}: {csv}");
        assert!(csv.starts_with("reseller_id,external_id,name,created_at"), "{part}: {csv}");
    }
    let all = json_of(&app, &d, &format!("/api/v1/dashboards/partners?as_of={AS_OF}&threshold_pct=0")).await;
    assert_eq!(all["decreasing_units"]["total"], 4, "at 0 % R3's fall of 10 % is listed too");
    let steep = json_of(&app, &d, &format!("/api/v1/dashboards/partners?as_of={AS_OF}&threshold_pct=95")).await;
    assert_eq!(falls(&steep).len(), 1);
    for bad in ["threshold_pct=101", "threshold_pct=-1"] {
        let refused =
            problem(app.get(&d, &format!("/api/v1/dashboards/partners?{bad}")).await, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        assert_eq!(error_fields(&refused), ["threshold_pct"], "{bad}");
    }
    let r2 = app.token(R2_ADMIN).await;
    let theirs = json_of(&app, &r2, &format!("/api/v1/dashboards/partners?as_of={AS_OF}")).await;
    assert_eq!(theirs["decreasing_units"]["total"], 0, "a sibling's units never show: {theirs}");

    // A reseller sees its own subtree: none of R3's customers or partners.
    let r1 = app.token(R1_ADMIN).await;
    let mine = json_of(&app, &r1, &format!("/api/v1/dashboards/partners?as_of={AS_OF}")).await;
    assert_eq!(
        (&mine["active_partners"]["count"], &mine["enabled_customers"]["count"], &mine["new_partners"]["total"]),
        (&json!(0), &json!(0), &json!(0)),
        "{mine}"
    );
    assert_eq!(mine["customer_license_status"]["active"]["count"], 0);
    assert_eq!(falls(&mine), [(s("P4"), s("Reseller One"), s("10"), s("1"), s("-90.00"))]);
}

async fn search_finds_partners_and_customers_best_first_within_the_subtree(app: TestApp) {
    let d = app.token(D_ADMIN).await;
    let body = |name: &str, ext: &str, domain: &str| json!({"kind": "customer", "parent_id": app.tree.r1, "name": name, "external_id": ext, "domain": domain});
    create(&app, &d, body("Northwind Traders", "NW-1", "northwind.example")).await;
    create(&app, &d, body("Wind Power Ltd", "WIND", "windpower.example")).await;
    create(&app, &d, body("Big Wind 100%_Co", "BW-2", "bigwind.example")).await;
    create(&app, &d, body("Zephyr", "Z-1", "windy.example")).await;
    let found = json_of(&app, &d, "/api/v1/search?q=wind").await;
    let order = names(&found["items"]);
    // The exact id first, then a prefix (here of a domain), then the rest, each by name.
    assert_eq!(order, ["Wind Power Ltd", "Zephyr", "Big Wind 100%_Co", "Northwind Traders"], "{found}");
    assert_eq!(found["total"], 4);
    assert_eq!(
        (&found["items"][0]["kind"], &found["items"][0]["parent_name"]),
        (&json!("customer"), &json!("Reseller One"))
    );
    // Any case, and short words too (below three characters there is no trigram to look up).
    assert_eq!(json_of(&app, &d, "/api/v1/search?q=WIND").await["total"], 4);
    assert_eq!(json_of(&app, &d, "/api/v1/search?q=wi").await["total"], 4);
    // The index follows changes: a new domain is found, the old one no longer.
    let zephyr = found["items"][1]["id"].as_i64().unwrap();
    let patch = json!({"domain": "breeze.example"});
    assert_eq!(app.patch(&d, &format!("/api/v1/organizations/{zephyr}"), &patch).await.status(), StatusCode::OK);
    assert_eq!(names(&json_of(&app, &d, "/api/v1/search?q=breeze").await["items"]), ["Zephyr"]);
    assert_eq!(json_of(&app, &d, "/api/v1/search?q=windy").await["total"], 0);
    // Quotes are only text to the index's query language.
    assert_eq!(json_of(&app, &d, "/api/v1/search?q=%22wind%22%20OR").await["total"], 0);
    // LIKE's wildcards are only text: "%_" finds the one name that holds them.
    assert_eq!(names(&json_of(&app, &d, "/api/v1/search?q=%25_").await["items"]), ["Big Wind 100%_Co"]);
    // A sibling reseller finds nothing of R1's; R1 finds its own customer.
    let r2 = app.token(R2_ADMIN).await;
    assert_eq!(json_of(&app, &r2, "/api/v1/search?q=wind").await["total"], 0);
    let r1 = app.token(R1_ADMIN).await;
    assert_eq!(json_of(&app, &r1, "/api/v1/search?q=customer%20one").await["total"], 1);
    let refused = problem(app.get(&d, "/api/v1/search?q=%20").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&refused), ["q"]);
}
