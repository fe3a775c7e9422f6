//! Billing imports: rating, rollups, idempotency, replacement, rejection, re-rating, scoping.

use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(
    a_file_is_rated_converted_and_rolled_up,
    the_same_content_twice_is_a_duplicate,
    the_same_content_twice_at_once_is_counted_once,
    files_of_one_tree_imported_at_once_are_all_counted,
    a_line_item_id_replaces_the_earlier_line,
    a_line_item_id_repeated_across_the_chunks_of_one_file_is_replaced,
    a_stored_or_repeated_id_met_in_the_middle_of_a_chunk_is_replaced_once,
    an_id_three_times_in_one_chunk_keeps_its_last_row,
    a_customer_month_of_more_rollup_rows_than_one_write_is_summed_whole,
    totals_past_what_a_rollup_holds_are_refused_and_change_nothing,
    customers_added_in_bulk_are_looked_up_with_fresh_statistics,
    malformed_files_are_rejected_whole_and_change_nothing,
    a_file_failing_half_way_leaves_nothing,
    rerating_after_the_cause_is_fixed,
    a_reseller_imports_only_for_its_own_customers,
    json_batches_follow_the_same_rules,
    fx_rates_are_found_by_q,
    the_reseller_month_grain_is_filled_from_the_reseller_product_one,
    the_service_month_grain_is_filled_from_the_monthly_one,
    tree_totals_are_filled_from_the_resellers_rows,
    focus_1_4_names_zone_less_times_and_null_cells_import,
);

const HEADER: &str = "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName,SkuId,PricingQuantity,x_Marketplace,x_LineItemId";

fn csv(rows: &[&str]) -> String {
    let mut body = String::from(HEADER);
    for row in rows {
        body.push('\n');
        body.push_str(row);
    }
    body.push('\n');
    body
}

async fn import(app: &TestApp, token: &str, body: &str) -> reqwest::Response {
    app.post_csv(token, body.to_owned()).await
}

async fn setup_catalog(app: &TestApp, token: &str) {
    let product = json!({"sku": "SKU1", "name": "P1", "family": "F", "provider": "AWS", "billing_model": "usage"});
    assert_eq!(app.post(token, "/api/v1/products", &product).await.status(), StatusCode::CREATED);
    let rates = json!({"rates": [{"currency": "EUR", "month": "2026-10", "rate": "1.1"}]});
    assert_eq!(
        app.client.put(app.url("/api/v1/fx-rates")).bearer_auth(token).json(&rates).send().await.unwrap().status(),
        StatusCode::OK
    );
}

async fn rollup_is_consistent(app: &TestApp) -> std::collections::HashMap<store::rollups::Key, store::rollups::Sums> {
    let store = store::Store::connect(&app.database_url).await.unwrap();
    let (stored, rebuilt) = store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();
    assert_eq!(stored, rebuilt, "the incremental rollup equals one rebuilt from the lines");
    stored
}

/// The lines and billed USD of every rollup row of the tree, once the rollup is checked.
async fn rollup_totals(app: &TestApp) -> (i64, Decimal) {
    let rollup = rollup_is_consistent(app).await;
    (rollup.values().map(|s| s.lines).sum(), rollup.values().map(|s| s.billed_usd).sum())
}

/// FOCUS 1.4 names the provider `ServiceProviderName`; the FinOps Foundation's sample writes
/// times with a space and no zone (UTC) and `NULL` in empty cells.
async fn focus_1_4_names_zone_less_times_and_null_cells_import(app: TestApp) {
    let token = app.token(D_OPS).await;
    setup_catalog(&app, &token).await;
    let body = "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,BillingCurrency,\
                ChargeCategory,ServiceProviderName,HostProviderName,ServiceName,SkuId,PricingQuantity\n\
                C1,2026-10-31 23:30:00,2026-11-01 00:00:00,12.50,NULL,USD,Usage,AWS,AWS,EC2,SKU1,NULL\n";
    let response = import(&app, &token, body).await;
    let status = response.status();
    let batch: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{batch}");
    assert_eq!(batch["rows_rated"], 1);
    let rollup = rollup_is_consistent(&app).await;
    let (key, sums) = rollup.iter().next().unwrap();
    // 23:30 with no zone is UTC: still October. NULL cost means BilledCost, NULL units 0.
    assert_eq!((key.month.as_str(), key.provider.as_str()), ("2026-10", "AWS"));
    assert_eq!((sums.billed_usd, sums.effective_usd, sums.units), (d("12.50"), d("12.50"), d("0")));

    // A bad cell's problem shows what the file holds.
    let bad = "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,\
               ServiceProviderName,ServiceName\nC1,18/09/2024,2024-09-19,1,USD,Usage,AWS,EC2\n";
    let refused = problem(import(&app, &token, bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let message = refused["errors"][0]["message"].as_str().unwrap();
    assert!(message.ends_with("; found \"18/09/2024\""), "{refused}");
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

async fn a_file_is_rated_converted_and_rolled_up(app: TestApp) {
    let token = app.token(D_OPS).await;
    setup_catalog(&app, &token).await;
    let body = csv(&[
        "C1,2026-10-05,2026-10-06,10.00,8.00,USD,Usage,AWS,EC2,SKU1,3,false,",
        "C1,2026-10-31T23:30:00-02:00,2026-11-02T00:00:00Z,100,90,eur,Purchase,AWS,EC2,SKU1,,TRUE,",
        "C2,2026-10-10,2026-10-11,5,5,USD,Tax,AWS,EC2,,,,",
        "NOPE,2026-10-10,2026-10-11,7,7,USD,Usage,AWS,EC2,,,,",
        // A reseller's key is not a customer's.
        "R1,2026-10-10,2026-10-11,7,7,USD,Usage,AWS,EC2,,,,",
        "C1,2026-10-10,2026-10-11,7,7,USD,Usage,AWS,EC2,UNKNOWN-SKU,,,",
        "C2,2026-09-10,2026-09-11,7,7,EUR,Usage,AWS,EC2,,,,",
    ]);
    let response = import(&app, &token, &body).await;
    let status = response.status();
    let batch: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{batch}");
    assert_eq!(
        (batch["rows_total"].as_u64(), batch["rows_rated"].as_u64(), batch["rows_unrated"].as_u64()),
        (Some(7), Some(3), Some(4)),
        "an unknown SKU is rated (under the family Unmapped)"
    );

    let rollup = rollup_is_consistent(&app).await;
    // The EUR purchase dated 23:30 at UTC-2 on 31 October is in November (UTC), at the
    // November rate... which does not exist: so only the October lines count.
    let purchase = rollup.iter().find(|(k, _)| k.category == "Purchase");
    assert!(purchase.is_none(), "a line with no rate for its month is not rated: {rollup:?}");
    let usage = rollup.iter().find(|(k, _)| k.category == "Usage" && k.product_id != 0).unwrap();
    assert_eq!(
        (usage.0.month.as_str(), usage.1.billed_usd, usage.1.effective_usd, usage.1.units),
        ("2026-10", d("10.00"), d("8.00"), d("3"))
    );
    let unmapped = rollup.iter().find(|(k, _)| k.category == "Usage" && k.product_id == 0).unwrap();
    assert_eq!((unmapped.0.customer_id, unmapped.1.billed_usd), (app.tree.c1, d("7")));
    let tax = rollup.iter().find(|(k, _)| k.category == "Tax").unwrap();
    assert_eq!((tax.0.customer_id, tax.0.reseller_id), (app.tree.c2, app.tree.r2));

    let issues: Value = app.get(&token, "/api/v1/billing-issues?open=true&sort=kind").await.json().await.unwrap();
    let kinds: Vec<&str> = issues["items"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["missing_fx_rate", "missing_fx_rate", "unknown_customer", "unknown_customer", "unmapped_product"]
    );

    // With the November rate the purchase rates at exactly 100 × 1.2.
    let rates = json!({"rates": [{"currency": "EUR", "month": "2026-11", "rate": "1.2"}]});
    app.client.put(app.url("/api/v1/fx-rates")).bearer_auth(&token).json(&rates).send().await.unwrap();
    let rerated: Value = app.post(&token, "/api/v1/billing-issues/rerate", &json!({})).await.json().await.unwrap();
    assert_eq!(rerated["rated"], 1);
    let rollup = rollup_is_consistent(&app).await;
    let purchase = rollup.iter().find(|(k, _)| k.category == "Purchase").unwrap();
    assert_eq!(
        (purchase.0.month.as_str(), purchase.1.billed_usd, purchase.0.marketplace),
        ("2026-11", d("120.0"), true)
    );
}

async fn the_same_content_twice_at_once_is_counted_once(app: TestApp) {
    let token = app.token(D_OPS).await;
    let rows: Vec<String> =
        (0..3000).map(|i| format!("C1,2026-10-05,2026-10-06,{i},1,USD,Usage,AWS,EC2,,,,")).collect();
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let body = csv(&refs);
    let (a, b) = tokio::join!(import(&app, &token, &body), import(&app, &token, &body));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 201], "one import, one duplicate");
    assert_eq!(rollup_totals(&app).await.0, 3000);
}

/// Six files of one tree at once, each adding to the same rollup rows (the tree's totals, each
/// reseller's product and month): every line is counted once, nothing lost to another import's
/// write (on PostgreSQL the imports of a tree take turns, `rollups/tree_lock.rs`).
async fn files_of_one_tree_imported_at_once_are_all_counted(app: TestApp) {
    let token = app.token(D_OPS).await;
    let bodies: Vec<String> = (0..6)
        .map(|file| {
            let customer = if file % 2 == 0 { "C1" } else { "C2" };
            let rows: Vec<String> = (0..500)
                .map(|i| format!("{customer},2026-10-05,2026-10-06,{file}.{i:03},1,USD,Usage,AWS,EC2,,,,"))
                .collect();
            csv(&rows.iter().map(String::as_str).collect::<Vec<_>>())
        })
        .collect();
    let statuses = futures_util::future::join_all(bodies.iter().map(|body| import(&app, &token, body))).await;
    assert!(statuses.iter().all(|r| r.status() == StatusCode::CREATED), "every file imported");
    assert_eq!(rollup_totals(&app).await.0, 3000);
}

async fn the_same_content_twice_is_a_duplicate(app: TestApp) {
    let token = app.token(D_OPS).await;
    let body = csv(&["C1,2026-10-05,2026-10-06,10.00,8.00,USD,Usage,AWS,EC2,,,,"]);
    let first: Value = import(&app, &token, &body).await.json().await.unwrap();
    let again = import(&app, &token, &body).await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: Value = again.json().await.unwrap();
    assert_eq!((again["status"].as_str(), again["id"].clone()), (Some("duplicate"), first["id"].clone()));
    let list: Value = app.get(&token, "/api/v1/imports").await.json().await.unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(rollup_totals(&app).await.0, 1);
}

async fn a_line_item_id_replaces_the_earlier_line(app: TestApp) {
    let token = app.token(D_OPS).await;
    import(
        &app,
        &token,
        &csv(&[
            "C1,2026-10-05,2026-10-06,10,10,USD,Usage,AWS,EC2,,,,L-1",
            "C1,2026-10-05,2026-10-06,1,1,USD,Usage,AWS,EC2,,,,L-2",
        ]),
    )
    .await;
    let second: Value = import(&app, &token, &csv(&["C1,2026-10-05,2026-10-06,25,20,USD,Usage,AWS,EC2,,,,L-1"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["rows_replaced"], 1);
    let rollup = rollup_is_consistent(&app).await;
    let sums = rollup.values().next().unwrap();
    assert_eq!((sums.billed_usd, sums.lines), (d("26"), 2), "25 replaced 10, 1 stays");
    // Twice in one file: the later row wins.
    import(
        &app,
        &token,
        &csv(&[
            "C1,2026-10-05,2026-10-06,3,3,USD,Usage,AWS,EC2,,,,L-3",
            "C1,2026-10-05,2026-10-06,4,4,USD,Usage,AWS,EC2,,,,L-3",
        ]),
    )
    .await;
    let rollup = rollup_is_consistent(&app).await;
    assert_eq!(rollup.values().next().unwrap().billed_usd, d("30"));
    // Restated to another day of the month, and to another month: each line moves with its
    // rollup contributions (the daily rollup is compared with its lines too).
    let moved = csv(&[
        "C1,2026-10-20,2026-10-21,4,4,USD,Usage,AWS,EC2,,,,L-3",
        "C1,2026-09-20,2026-09-21,7,7,USD,Usage,AWS,EC2,,,,L-2",
    ]);
    let third: Value = import(&app, &token, &moved).await.json().await.unwrap();
    assert_eq!(third["rows_replaced"], 2);
    let rollup = rollup_is_consistent(&app).await;
    let by_month: std::collections::BTreeMap<&str, (Decimal, i64)> =
        rollup.iter().map(|(k, s)| (k.month.as_str(), (s.billed_usd, s.lines))).collect();
    assert_eq!(by_month, [("2026-09", (d("7"), 1)), ("2026-10", (d("29"), 2))].into_iter().collect());
}

/// The importer writes one chunk of rows (1,000) while it rates the next: a line whose
/// x_LineItemId was written by an earlier chunk of the same file, or by an earlier import, is
/// still replaced, once, by the last row carrying it.
async fn a_line_item_id_repeated_across_the_chunks_of_one_file_is_replaced(app: TestApp) {
    let token = app.token(D_OPS).await;
    let earlier: Vec<String> =
        (0..10).map(|k| format!("C1,2026-10-05,2026-10-06,1,1,USD,Usage,AWS,EC2,,,,L-{k}")).collect();
    let earlier: Vec<&str> = earlier.iter().map(String::as_str).collect();
    assert_eq!(import(&app, &token, &csv(&earlier)).await.status(), StatusCode::CREATED);

    // 2,500 rows over 1,200 ids: each id comes back in a later chunk, some twice.
    let rows: Vec<String> =
        (0..2500).map(|i| format!("C1,2026-10-05,2026-10-06,{i},1,USD,Usage,AWS,EC2,,,,L-{}", i % 1200)).collect();
    let mut last_wins = std::collections::HashMap::new();
    for i in 0..2500u64 {
        last_wins.insert(i % 1200, i);
    }
    let expected: u64 = last_wins.values().sum();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let response = import(&app, &token, &csv(&rows)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let batch: Value = response.json().await.unwrap();
    // 10 lines of the earlier import, then 1,300 repeats within the file.
    assert_eq!(batch["rows_replaced"], 1310, "{batch}");
    let (lines, billed) = rollup_totals(&app).await;
    assert_eq!(lines, 1200, "one line per id");
    assert_eq!(billed, Decimal::from(expected), "each id's last row");
}

/// A file may carry one x_LineItemId on several rows of one chunk: the last row is the line,
/// each row before it counted as replaced, as when the rows fall in different chunks.
async fn an_id_three_times_in_one_chunk_keeps_its_last_row(app: TestApp) {
    let token = app.token(D_OPS).await;
    let rows = [
        "C1,2026-10-05,2026-10-06,1,1,USD,Usage,AWS,EC2,,,,L-1",
        "C1,2026-10-05,2026-10-06,2,2,USD,Usage,AWS,EC2,,,,L-2",
        "C1,2026-10-05,2026-10-06,3,3,USD,Usage,AWS,EC2,,,,L-1",
        "C1,2026-10-05,2026-10-06,4,4,USD,Usage,AWS,EC2,,,,L-1",
    ];
    let response = import(&app, &token, &csv(&rows)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let batch: Value = response.json().await.unwrap();
    assert_eq!(batch["rows_replaced"], 2, "{batch}");
    let (lines, billed) = rollup_totals(&app).await;
    assert_eq!((lines, billed), (2, Decimal::from(6)), "L-1's last row and L-2");
}

/// On PostgreSQL a chunk of new lines is copied straight into the table, and one that meets a
/// stored key half-way is rolled back and goes the careful way: the lines copied before the
/// meeting must neither stay twice nor be lost, and the chunks after it are copied straight again.
async fn a_stored_or_repeated_id_met_in_the_middle_of_a_chunk_is_replaced_once(app: TestApp) {
    let token = app.token(D_OPS).await;
    let earlier = csv(&["C1,2026-10-05,2026-10-06,100,100,USD,Usage,AWS,EC2,,,,L-1500"]);
    assert_eq!(import(&app, &token, &earlier).await.status(), StatusCode::CREATED);

    // Chunk 1 new; chunk 2 meets the stored L-1500 at its 501st row; chunk 3 new; chunk 4 holds
    // L-3000 twice, its first row and its last.
    let mut rows: Vec<String> =
        (0..3499).map(|i| format!("C1,2026-10-05,2026-10-06,1,1,USD,Usage,AWS,EC2,,,,L-{i}")).collect();
    rows.push("C1,2026-10-05,2026-10-06,5,5,USD,Usage,AWS,EC2,,,,L-3000".into());
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let response = import(&app, &token, &csv(&rows)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let batch: Value = response.json().await.unwrap();
    let counts = ["rows_total", "rows_rated", "rows_replaced"].map(|k| batch[k].as_u64());
    assert_eq!(counts, [Some(3500), Some(3499), Some(2)], "the repeated row counted once: {batch}");
    let (lines, billed) = rollup_totals(&app).await;
    assert_eq!((lines, billed), (3499, Decimal::from(3498 + 5)), "one line per id, L-1500 at 1 and L-3000 at 5");
}

async fn a_customer_month_of_more_rollup_rows_than_one_write_is_summed_whole(app: TestApp) {
    // 10,500 services of one customer in one month: many times the rollup rows the writer reads
    // at a time (400), each read, summed and written again by the second file.
    let token = app.token(D_OPS).await;
    let file = |cost: u32| {
        let rows: Vec<String> =
            (0..10_500).map(|i| format!("C1,2026-10-05,2026-10-06,{cost},1,USD,Usage,AWS,Service {i},,,,")).collect();
        csv(&rows.iter().map(String::as_str).collect::<Vec<_>>())
    };
    assert_eq!(import(&app, &token, &file(1)).await.status(), StatusCode::CREATED);
    assert_eq!(import(&app, &token, &file(2)).await.status(), StatusCode::CREATED);
    let rollup = rollup_is_consistent(&app).await;
    assert_eq!(rollup.len(), 10_500, "one row per service");
    assert!(rollup.values().all(|s| s.lines == 2 && s.billed_usd == Decimal::from(3)), "both files in every row");
}

/// A rollup row whose cost is near the largest a decimal holds (no real history gets there: a
/// line's cost is at most 10^15) takes no more: the file that would pass it is refused and
/// changes nothing, whether the sums are added in Rust (SQLite) or by the database as the rows
/// are written (PostgreSQL).
async fn totals_past_what_a_rollup_holds_are_refused_and_change_nothing(app: TestApp) {
    let token = app.token(D_OPS).await;
    let line = |id: &str| csv(&[&format!("C1,2026-10-05,2026-10-06,1000,1,USD,Usage,AWS,EC2,,,,{id}")]);
    assert_eq!(import(&app, &token, &line("L1")).await.status(), StatusCode::CREATED);
    let store = store::Store::connect(&app.database_url).await.unwrap();
    let near = "79228162514264337593543950000";
    store.execute_raw(&format!("UPDATE monthly_rollups SET billed_usd = '{near}'")).await.unwrap();
    let p = problem(import(&app, &token, &line("L2")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(p["errors"][0]["field"], "BilledCost", "{p}");
    let list: Value = app.get(&token, "/api/v1/imports").await.json().await.unwrap();
    assert_eq!(list["total"], 1);
    let (stored, _) = store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();
    let billed: Vec<Decimal> = stored.values().map(|s| s.billed_usd).collect();
    assert_eq!(billed, [d(near)], "the row as it was");
}

/// After many customers are added at once, an import on PostgreSQL first takes the statistics
/// of the tables it looks customers up in again (`ANALYZE`, not autovacuum's own), so that each
/// lookup seeks its keys rather than reading the whole tree; SQLite keeps none.
async fn customers_added_in_bulk_are_looked_up_with_fresh_statistics(app: TestApp) {
    let token = app.token(D_OPS).await;
    let store = store::Store::connect(&app.database_url).await.unwrap();
    let postgres = app.database_url.starts_with("postgres");
    let now = if postgres { "now()" } else { "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')" };
    // On PostgreSQL the session's counts of changed rows are sent on at once, not after up to
    // ten idle seconds: the import reads them.
    let flush = if postgres { "; SELECT pg_stat_force_next_flush()" } else { "" };
    let (tree, reseller) = (app.tree.distributor, app.tree.r1);
    store
        .execute_raw(&format!(
            "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 1500) \
             INSERT INTO organizations (tenant_id, parent_id, kind, name, external_id, status, created_at, updated_at) \
             SELECT {tree}, {reseller}, 'customer', 'Bulk ' || n, 'BULK-' || n, 'active', {now}, {now} FROM seq{flush}"
        ))
        .await
        .unwrap();
    let never_analysed = "DO $$ BEGIN IF (SELECT last_analyze FROM pg_stat_user_tables \
        WHERE relname = 'organizations' AND schemaname = current_schema()) IS NULL \
        THEN RAISE EXCEPTION 'organizations never analysed'; END IF; END $$";
    if postgres {
        // Sent as the session went idle; read by others shortly after.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert!(store.execute_raw(never_analysed).await.is_err(), "not analysed before the import");
    }
    let file = csv(&["BULK-1200,2026-10-05,2026-10-06,10,10,USD,Usage,AWS,EC2,,,,"]);
    let response = import(&app, &token, &file).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let batch: Value = response.json().await.unwrap();
    assert_eq!(batch["rows_rated"], 1, "a customer added in bulk is found: {batch}");
    if postgres {
        store.execute_raw(never_analysed).await.expect("analysed by the import");
    }
}

async fn malformed_files_are_rejected_whole_and_change_nothing(app: TestApp) {
    let token = app.token(D_OPS).await;
    let good = "C1,2026-10-05,2026-10-06,10,10,USD,Usage,AWS,EC2,,,,";
    let cases: Vec<(Vec<u8>, Option<u64>)> = vec![
        (b"BillingAccountId,ChargePeriodStart\nC1,2026-10-05\n".to_vec(), None),
        (csv(&[good, "C1,2026-10-05,2026-10-06,ten,10,USD,Usage,AWS,EC2,,,,"]).into_bytes(), Some(2)),
        (csv(&[good, good, "C1,2026-13-05,2026-10-06,10,10,USD,Usage,AWS,EC2,,,,"]).into_bytes(), Some(3)),
        (csv(&["C1,2026-10-05,2026-10-06,10"]).into_bytes(), Some(1)),
        (
            [csv(&[good]).into_bytes(), b"C1,2026-10-05,2026-10-06,1\xff0,10,USD,Usage,AWS,EC2,,,,\n".to_vec()]
                .concat(),
            Some(2),
        ),
        (Vec::new(), None),
        (format!("{HEADER}\n").into_bytes(), None),
        // Rows past 1 MiB, refused before they are held: commas (a million empty fields), one
        // line with no newline to its end, and a header.
        ([csv(&[good]).into_bytes(), vec![b','; 2 << 20], b"\n".to_vec(), csv(&[good]).into_bytes()].concat(), Some(2)),
        ([csv(&[good]).into_bytes(), vec![b'x'; 3 << 20]].concat(), Some(2)),
        ([HEADER.as_bytes(), &vec![b','; 2 << 20]].concat(), None),
    ];
    for (i, (body, row)) in cases.into_iter().enumerate() {
        let p = problem(app.post_csv(&token, body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(p["errors"].as_array().is_some_and(|e| !e.is_empty()), "case {i}: {p}");
        if let Some(row) = row {
            assert_eq!(p["errors"][0]["row"], row, "case {i}: {p}");
        }
    }
    let list: Value = app.get(&token, "/api/v1/imports").await.json().await.unwrap();
    assert_eq!(list["total"], 0);
    assert!(rollup_is_consistent(&app).await.is_empty());
}

async fn a_file_failing_half_way_leaves_nothing(app: TestApp) {
    let token = app.token(D_OPS).await;
    let mut rows: Vec<String> =
        (0..2500).map(|i| format!("C1,2026-10-05,2026-10-06,{i}.5,1,USD,Usage,AWS,EC2,,,,row-{i}")).collect();
    rows.push("C1,2026-10-05,2026-10-06,oops,1,USD,Usage,AWS,EC2,,,,".into());
    rows.push("C1,not a date,2026-10-06,1,1,USD,Usage,AWS,EC2,,,,".into());
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let p = problem(import(&app, &token, &csv(&refs)).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(p["errors"][0]["row"], 2501);
    assert_eq!(p["errors"][1]["row"], 2502, "every bad row is reported, not just the first");
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("line 2502"));
    let list: Value = app.get(&token, "/api/v1/imports").await.json().await.unwrap();
    assert_eq!(list["total"], 0);
    assert!(rollup_is_consistent(&app).await.is_empty(), "the first 2,500 rows were rolled back");
}

async fn rerating_after_the_cause_is_fixed(app: TestApp) {
    let token = app.token(D_OPS).await;
    let body = csv(&[
        "NEW-1,2026-10-05,2026-10-06,10,10,USD,Usage,AWS,EC2,,,,",
        "C1,2026-10-05,2026-10-06,50,50,GBP,Usage,AWS,EC2,,,,",
    ]);
    let batch: Value = import(&app, &token, &body).await.json().await.unwrap();
    assert_eq!(batch["rows_unrated"], 2);
    let nothing: Value = app.post(&token, "/api/v1/billing-issues/rerate", &json!({})).await.json().await.unwrap();
    assert_eq!((nothing["rated"].as_u64(), nothing["still_unrated"].as_u64()), (Some(0), Some(2)));

    let customer = json!({"kind": "customer", "parent_id": app.tree.r1, "name": "New", "external_id": "NEW-1"});
    app.post(&token, "/api/v1/organizations", &customer).await;
    let bad_rates = app
        .client
        .post(app.url("/api/v1/fx-rates/import"))
        .bearer_auth(&token)
        .header("content-type", "text/csv")
        .body("currency,month,rate\nGBP,2026-10,abc\nPOUND,2026-13,1.2\n")
        .send()
        .await
        .unwrap();
    let p = problem(bad_rates, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&p), ["rate", "currency", "month"]);
    let good_rates = app
        .client
        .post(app.url("/api/v1/fx-rates/import"))
        .bearer_auth(&token)
        .header("content-type", "text/csv")
        .body("\u{feff}Month,Currency,Rate\n2026-10,GBP,1.25\n")
        .send()
        .await
        .unwrap();
    assert_eq!(good_rates.status(), StatusCode::OK);
    let done: Value = app.post(&token, "/api/v1/billing-issues/rerate", &json!({})).await.json().await.unwrap();
    assert_eq!(
        (done["rated"].as_u64(), done["still_unrated"].as_u64(), done["issues_resolved"].as_u64()),
        (Some(2), Some(0), Some(2))
    );
    let open: Value = app.get(&token, "/api/v1/billing-issues?open=true").await.json().await.unwrap();
    assert_eq!(open["total"], 0);
    let (_, total) = rollup_totals(&app).await;
    assert_eq!(total, d("72.50"), "10 USD + 50 GBP × 1.25");
}

async fn a_reseller_imports_only_for_its_own_customers(app: TestApp) {
    let r1 = app.token(R1_OPS).await;
    let body = csv(&[
        "C1,2026-10-05,2026-10-06,10,10,USD,Usage,AWS,EC2,,,,",
        "C2,2026-10-05,2026-10-06,99,99,USD,Usage,AWS,EC2,,,,",
    ]);
    let batch: Value = import(&app, &r1, &body).await.json().await.unwrap();
    assert_eq!(
        (batch["rows_rated"].as_u64(), batch["rows_unrated"].as_u64()),
        (Some(1), Some(1)),
        "a sibling's customer is unknown to R1"
    );
    let rollup = rollup_is_consistent(&app).await;
    assert!(rollup.keys().all(|k| k.reseller_id == app.tree.r1), "nothing was counted for R2");

    let r1_issues: Value = app.get(&r1, "/api/v1/billing-issues").await.json().await.unwrap();
    assert_eq!(r1_issues["total"], 1);
    let r2 = app.token(R2_ADMIN).await;
    let r2_issues: Value = app.get(&r2, "/api/v1/billing-issues").await.json().await.unwrap();
    assert_eq!(r2_issues["total"], 0);
    let r2_imports: Value = app.get(&r2, "/api/v1/imports").await.json().await.unwrap();
    assert_eq!(r2_imports["total"], 0);
    problem(app.get(&r2, &format!("/api/v1/imports/{}", batch["id"])).await, StatusCode::NOT_FOUND).await;
    let d_imports: Value = app.get(&app.token(D_ADMIN).await, "/api/v1/imports").await.json().await.unwrap();
    assert_eq!(d_imports["total"], 1);
    let viewer = app.token(R1_VIEWER).await;
    problem(import(&app, &viewer, &body).await, StatusCode::FORBIDDEN).await;
    let rates = json!({"rates": [{"currency": "GBP", "month": "2026-10", "rate": "1.25"}]});
    let forbidden = app.client.put(app.url("/api/v1/fx-rates")).bearer_auth(&r1).json(&rates).send().await.unwrap();
    problem(forbidden, StatusCode::FORBIDDEN).await;
}

async fn json_batches_follow_the_same_rules(app: TestApp) {
    let token = app.token(D_OPS).await;
    let item = json!({"BillingAccountId": "C1", "ChargePeriodStart": "2026-10-05", "ChargePeriodEnd": "2026-10-06", "BilledCost": 12.5, "BillingCurrency": "USD", "ChargeCategory": "Credit", "ProviderName": "AWS", "ServiceName": "EC2"});
    let ok = app.post(&token, "/api/v1/imports/json", &json!({"items": [item.clone()]})).await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    let rollup = rollup_is_consistent(&app).await;
    assert_eq!(rollup.values().next().unwrap().billed_usd, d("12.5"));
    let mut bad = item.clone();
    bad["BilledCost"] = json!("twelve");
    let p = problem(
        app.post(&token, "/api/v1/imports/json", &json!({"items": [item, bad]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["row"], 2);
    let empty = app.post(&token, "/api/v1/imports/json", &json!({"items": []})).await;
    problem(empty, StatusCode::UNPROCESSABLE_ENTITY).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_can_come_as_a_multipart_form() {
    let app = TestApp::sqlite().await;
    let token = app.token(D_OPS).await;
    let file = csv(&["C1,2026-10-05,2026-10-06,10,10,USD,Usage,AWS,EC2,,,,"]);
    let boundary = "----tierdash-test";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nignored\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"october.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    );
    let response = app
        .client
        .post(app.url("/api/v1/imports"))
        .bearer_auth(&token)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let batch: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{batch}");
    assert_eq!((batch["file_name"].as_str(), batch["rows_rated"].as_u64()), (Some("october.csv"), Some(1)));
    let json_body = app.post(&token, "/api/v1/imports", &json!({"not": "csv"})).await;
    problem(json_body, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
}

on_both_databases!(a_sibling_cannot_replace_or_learn_of_another_resellers_lines);

/// An x_LineItemId names a line within its reseller: a sibling's use of the same id is another
/// line, imported without a word about the first; the distributor's import replaces the line of
/// the reseller it is filed under.
async fn a_sibling_cannot_replace_or_learn_of_another_resellers_lines(app: TestApp) {
    let r1 = app.token(R1_OPS).await;
    let r2 = app.token(R2_ADMIN).await;
    let by_reseller = |rollup: std::collections::HashMap<store::rollups::Key, store::rollups::Sums>| {
        let mut sums = std::collections::BTreeMap::<i64, Decimal>::new();
        for (key, s) in rollup {
            *sums.entry(key.reseller_id).or_default() += s.billed_usd;
        }
        sums
    };
    let mine = csv(&["C1,2026-10-05,2026-10-06,10,10,USD,Usage,AWS,EC2,,,,shared-id"]);
    assert_eq!(import(&app, &r1, &mine).await.status(), StatusCode::CREATED);
    // R2 uses the same id: its own line, and R1's stays as it was.
    let theirs = csv(&["C2,2026-10-05,2026-10-06,99,99,USD,Usage,AWS,EC2,,,,shared-id"]);
    let response = import(&app, &r2, &theirs).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let batch: Value = response.json().await.unwrap();
    assert_eq!((batch["rows_rated"].as_u64(), batch["rows_replaced"].as_u64()), (Some(1), Some(0)), "{batch}");
    let expected = |r1_usd: &str, r2_usd: &str| {
        std::collections::BTreeMap::from([(app.tree.r1, d(r1_usd)), (app.tree.r2, d(r2_usd))])
    };
    assert_eq!(by_reseller(rollup_is_consistent(&app).await), expected("10", "99"));
    // R2 imports the id again: its own line is replaced, R1's is not.
    let again = csv(&["C2,2026-10-05,2026-10-06,50,50,USD,Usage,AWS,EC2,,,,shared-id"]);
    let batch: Value = import(&app, &r2, &again).await.json().await.unwrap();
    assert_eq!(batch["rows_replaced"], 1, "{batch}");
    assert_eq!(by_reseller(rollup_is_consistent(&app).await), expected("10", "50"));
    // The distributor's line of R1's customer replaces R1's line of that id.
    let d_ops = app.token(D_OPS).await;
    let distributors = csv(&["C1,2026-10-05,2026-10-06,12,12,USD,Usage,AWS,EC2,,,,shared-id"]);
    let batch: Value = import(&app, &d_ops, &distributors).await.json().await.unwrap();
    assert_eq!(batch["rows_replaced"], 1, "{batch}");
    assert_eq!(by_reseller(rollup_is_consistent(&app).await), expected("12", "50"));
    // The same bytes as R1's file: R2 learns nothing of R1's batch.
    let p = problem(import(&app, &r2, &mine).await, StatusCode::CONFLICT).await;
    assert!(!p.to_string().contains("test.csv"), "{p}");
    // R1's upload naming R2's customer stays unrated even when the distributor re-rates.
    let stray = csv(&["C2,2026-10-07,2026-10-08,-500,-500,USD,Credit,AWS,EC2,,,,"]);
    let batch: Value = import(&app, &r1, &stray).await.json().await.unwrap();
    assert_eq!(batch["rows_unrated"], 1);
    let rerate: Value =
        app.post(&app.token(D_OPS).await, "/api/v1/billing-issues/rerate", &json!({})).await.json().await.unwrap();
    assert_eq!(rerate["rated"], 0);
    assert_eq!(by_reseller(rollup_is_consistent(&app).await), expected("12", "50"), "nothing moved into R2's");
    // The distributor's line of a customer not yet known, with R1's id: once the customer is
    // made R1's, a re-rate leaves it unrated rather than put two lines of one id under R1.
    let unknown = csv(&["NEW-9,2026-10-05,2026-10-06,7,7,USD,Usage,AWS,EC2,,,,shared-id"]);
    let batch: Value = import(&app, &d_ops, &unknown).await.json().await.unwrap();
    assert_eq!((batch["rows_unrated"].as_u64(), batch["rows_replaced"].as_u64()), (Some(1), Some(0)), "{batch}");
    let customer = json!({"kind": "customer", "parent_id": app.tree.r1, "name": "New", "external_id": "NEW-9"});
    assert_eq!(app.post(&d_ops, "/api/v1/organizations", &customer).await.status(), StatusCode::CREATED);
    let rerate: Value = app.post(&d_ops, "/api/v1/billing-issues/rerate", &json!({})).await.json().await.unwrap();
    assert_eq!(rerate["rated"], 0, "{rerate}");
    assert_eq!(by_reseller(rollup_is_consistent(&app).await), expected("12", "50"));
}

async fn fx_rates_are_found_by_q(app: TestApp) {
    let token = app.token(D_OPS).await;
    setup_catalog(&app, &token).await;
    let rates = json!({"rates": [{"currency": "GBP", "month": "2026-09", "rate": "1.25"}]});
    assert_eq!(
        app.client.put(app.url("/api/v1/fx-rates")).bearer_auth(&token).json(&rates).send().await.unwrap().status(),
        StatusCode::OK
    );
    let found = |page: Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|r| r["currency"].as_str().unwrap().to_owned()).collect()
    };
    let gbp: Value = app.get(&token, "/api/v1/fx-rates?q=gb").await.json().await.unwrap();
    assert_eq!(found(gbp), vec!["GBP"]);
    let october: Value = app.get(&token, "/api/v1/fx-rates?q=2026-10").await.json().await.unwrap();
    assert_eq!(found(october), vec!["EUR"]);
}

/// A database imported before the reseller × month grain existed gets it at the next start from
/// the reseller × product grain, equal to the one the lines would give.
async fn the_reseller_month_grain_is_filled_from_the_reseller_product_one(app: TestApp) {
    let token = app.token(D_OPS).await;
    let rows = [
        "C1,2026-09-05,2026-09-06,10,10,USD,Usage,AWS,EC2,,,,",
        "C2,2026-10-05,2026-10-06,-4,-4,USD,Credit,AWS,EC2,,,,",
    ];
    assert_eq!(import(&app, &token, &csv(&rows)).await.status(), StatusCode::CREATED);
    let store = store::Store::connect(&app.database_url).await.unwrap();
    store.execute_raw("DELETE FROM reseller_month_rollups").await.unwrap();
    store.migrate().await.unwrap();
    rollup_is_consistent(&app).await;
    let (stored, rebuilt) = store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();
    assert_eq!(stored, rebuilt);
    let summary: Value = app
        .get(&token, "/api/v1/insights/adds-churns?from=2026-09&to=2026-10&as_of=2026-10-31")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(summary["months"][1]["existing"], 1, "{summary}");
}

/// A database imported before the service × month grain existed gets it at the next start from
/// the monthly grain, equal to the one the lines would give, without reading the lines again.
async fn the_service_month_grain_is_filled_from_the_monthly_one(app: TestApp) {
    let token = app.token(D_OPS).await;
    let rows = [
        "C1,2026-09-05,2026-09-06,10,8,USD,Usage,AWS,EC2,,,,",
        "C1,2026-09-05,2026-09-06,2,2,USD,Tax,AWS,EC2,,,,",
        "C2,2026-09-07,2026-09-08,30,20,USD,Purchase,Microsoft,Licences,,,,",
        "C2,2026-10-05,2026-10-06,-4,-4,USD,Credit,AWS,EC2,,,,",
    ];
    assert_eq!(import(&app, &token, &csv(&rows)).await.status(), StatusCode::CREATED);
    let reports = || async {
        let mut reports = Vec::new();
        for month in ["2026-09", "2026-10"] {
            let path = format!("/api/v1/dashboards/home/revenue?as_of=2026-10-31&month={month}");
            reports.push(app.get(&token, &path).await.json::<Value>().await.unwrap());
        }
        reports
    };
    let before = reports().await;
    assert_eq!(before[0]["by_service"]["Licences"]["total"], "30.00", "{}", before[0]);
    let store = store::Store::connect(&app.database_url).await.unwrap();
    store.execute_raw("DELETE FROM service_month_rollups").await.unwrap();
    store.migrate().await.unwrap();
    let (stored, rebuilt) = store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();
    assert_eq!(stored, rebuilt);
    assert_eq!(reports().await, before);
    // Filled from the monthly rows, not the lines: with the lines gone, a rebuild would leave
    // every rollup empty.
    store.execute_raw("DELETE FROM service_month_rollups").await.unwrap();
    store.execute_raw("DELETE FROM billing_line_items").await.unwrap();
    store.migrate().await.unwrap();
    assert_eq!(reports().await, before);
}

/// Rollups written before the tree totals were kept (reseller 0 of the reseller × product and
/// segment × month rollups) get them at the next start from the resellers' rows, equal to the
/// ones the lines would give; a distributor's products and segments read them.
async fn tree_totals_are_filled_from_the_resellers_rows(app: TestApp) {
    let token = app.token(D_OPS).await;
    let rows = [
        "C1,2026-09-05,2026-09-06,10,10,USD,Usage,AWS,EC2,,,,",
        "C2,2026-10-05,2026-10-06,-4,-4,USD,Credit,AWS,EC2,,,,",
    ];
    assert_eq!(import(&app, &token, &csv(&rows)).await.status(), StatusCode::CREATED);
    let before = products_and_segments(&app, &token).await;
    assert_eq!(before[0]["revenue_top5"]["range_totals"], json!({"Unmapped": "6.00"}), "{}", before[0]);
    assert_eq!(before[1]["months"][0]["revenue_by_segment"], json!({"Unknown": "10.00"}), "{}", before[1]);
    let store = store::Store::connect(&app.database_url).await.unwrap();
    store.execute_raw("DELETE FROM reseller_product_rollups WHERE reseller_id = 0").await.unwrap();
    store.execute_raw("DELETE FROM segment_month_rollups WHERE reseller_id = 0").await.unwrap();
    // Hand-written SQL on the rollups, which no trigger counts, moves the data's generation
    // itself (docs/data-model.md §17), or the server would give its kept answers.
    store.execute_raw("INSERT INTO data_generation_marks DEFAULT VALUES").await.unwrap();
    let emptied = products_and_segments(&app, &token).await;
    assert_eq!(emptied[1]["months"][0]["revenue_by_segment"], json!({}), "read from the totals");
    store.migrate().await.unwrap();
    let (stored, rebuilt) = store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();
    assert_eq!(stored, rebuilt);
    assert_eq!(products_and_segments(&app, &token).await, before);
}

/// The distributor's Insights products and segments of 2026-09 and 2026-10.
async fn products_and_segments(app: &TestApp, token: &str) -> [Value; 2] {
    let mut views = Vec::new();
    for view in ["products", "segments"] {
        let path = format!("/api/v1/insights/{view}?from=2026-09&to=2026-10&as_of=2026-10-31");
        views.push(app.get(token, &path).await.json::<Value>().await.unwrap());
    }
    views.try_into().unwrap()
}
