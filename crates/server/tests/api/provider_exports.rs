//! Provider exports imported unmodified (docs/import.md): FOCUS 1.0–1.4 as AWS, Azure and GCP
//! write them (fixtures made by `focus-data-toolkit`, see tests/fixtures/focus/README.md),
//! gzip and Parquet copies, accounts mapped to customers, SKUs the catalog lacks counted, column
//! mapping, FOCUS's other datasets refused and repeated row errors grouped.

use std::io::Write;
use std::path::PathBuf;

use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases!(
    every_fixture_imports_unmodified_and_counts_its_whole_revenue_once_its_accounts_are_mapped,
    gzip_and_parquet_copies_import_as_their_csv,
    an_unmapped_sku_counts_under_unmapped_and_resolves_when_the_sku_is_added,
    an_account_mapped_to_a_customer_rates_its_lines_and_stays_in_the_callers_subtree,
    a_column_map_reads_an_export_that_names_columns_its_own_way,
    other_focus_datasets_are_refused_by_name,
    one_bad_column_in_every_row_is_reported_once_with_its_count,
    a_restated_period_replaces_the_earlier_figures_and_a_period_in_parts_is_one_batch,
    a_restatement_replaces_only_the_importers_own_lines,
    a_restatement_leaves_the_periods_other_accounts_and_providers,
    a_payers_invoice_shows_each_customer_its_own_part,
    a_product_covering_a_service_gives_lines_of_unknown_skus_their_product,
);

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/focus").join(name)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

/// What the test expects of a CSV, computed here from the file itself: its rows, its revenue
/// (BilledCost of every category but Tax, exact) and its customer keys (SubAccountId, else
/// BillingAccountId).
struct Expected {
    rows: u64,
    revenue: Decimal,
    accounts: std::collections::BTreeSet<String>,
}

fn expected(name: &str) -> Expected {
    let bytes = read(name);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header = reader.headers().unwrap().clone();
    let at = |column: &str| header.iter().position(|h| h == column);
    let (billed, category) = (at("BilledCost").unwrap(), at("ChargeCategory").unwrap());
    let (sub, payer) = (at("SubAccountId"), at("BillingAccountId").unwrap());
    let mut out = Expected { rows: 0, revenue: Decimal::ZERO, accounts: Default::default() };
    for record in reader.records() {
        let record = record.unwrap();
        out.rows += 1;
        if &record[category] != "Tax" {
            out.revenue += record[billed].parse::<Decimal>().unwrap();
        }
        let key = sub.map(|s| &record[s]).filter(|s| !s.is_empty() && *s != "NULL").unwrap_or(&record[payer]);
        out.accounts.insert(key.to_owned());
    }
    out
}

async fn post_file(app: &TestApp, token: &str, query: &str, body: Vec<u8>) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/imports?{query}")))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn imported(response: reqwest::Response) -> Value {
    let status = response.status();
    let batch: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{batch}");
    batch
}

/// Revenue in the rollups (every category but Tax), after checking they equal a rebuild.
async fn rolled_up_revenue(app: &TestApp) -> Decimal {
    let store = store::Store::connect(&app.database_url).await.unwrap();
    let (stored, rebuilt) = store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();
    assert_eq!(stored, rebuilt, "the incremental rollup equals one rebuilt from the lines");
    stored.iter().filter(|(k, _)| k.category != "Tax").map(|(_, s)| s.billed_usd).sum()
}

/// Makes a customer of reseller R1 from every unmapped account; returns how many.
async fn map_every_account(app: &TestApp, token: &str) -> u64 {
    let page: Value = app.get(token, "/api/v1/billing-accounts/unmapped?per_page=500").await.json().await.unwrap();
    let accounts = page["items"].as_array().unwrap();
    for account in accounts {
        let body = json!({"account_id": account["account_id"], "parent_id": app.tree.r1});
        let response = app.post(token, "/api/v1/billing-accounts/unmapped/customer", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{account}");
    }
    accounts.len() as u64
}

async fn every_fixture_imports_unmodified_and_counts_its_whole_revenue_once_its_accounts_are_mapped(app: TestApp) {
    let token = app.token(D_OPS).await;
    let mut revenue = Decimal::ZERO;
    // The toolkit's files of one provider share their accounts: once mapped, later files rate.
    let mut mapped = std::collections::BTreeSet::new();
    for name in [
        "aws-1.2.csv",
        "aws-1.3.csv",
        "aws-1.4.csv",
        "azure-1.2.csv",
        "azure-1.3.csv",
        "azure-1.4.csv",
        "gcp-1.2.csv",
        "gcp-1.3.csv",
        "gcp-1.4.csv",
        "focus-1.0-sample.csv",
    ] {
        let want = expected(name);
        let batch = imported(post_file(&app, &token, &format!("file_name={name}"), read(name)).await).await;
        assert_eq!(batch["rows_total"].as_u64(), Some(want.rows), "{name}: {batch}");
        // Lines of accounts no customer owns yet wait for one, and their accounts are listed.
        let page: Value = app.get(&token, "/api/v1/billing-accounts/unmapped?per_page=500").await.json().await.unwrap();
        let listed: std::collections::BTreeSet<String> =
            page["items"].as_array().unwrap().iter().map(|a| a["account_id"].as_str().unwrap().to_owned()).collect();
        let new: std::collections::BTreeSet<String> = want.accounts.difference(&mapped).cloned().collect();
        assert_eq!(listed, new, "{name}");
        assert_eq!(batch["rows_rated"].as_u64() == Some(0), mapped.is_disjoint(&want.accounts), "{name}: {batch}");
        assert_eq!(map_every_account(&app, &token).await, new.len() as u64);
        mapped.extend(new);
        revenue += want.revenue;
        assert_eq!(rolled_up_revenue(&app).await, revenue, "{name}: every line counts, SKUs in the catalog or not");
    }
    // The FOCUS 1.0 sample: 73 sub-accounts under 3 payers became 73 customers.
    assert_eq!(expected("focus-1.0-sample.csv").accounts.len(), 73);
    let issues: Value =
        app.get(&token, "/api/v1/billing-issues?open=true&kind=unknown_customer").await.json().await.unwrap();
    assert_eq!(issues["total"], 0, "every held-back line was rated once its account was mapped: {issues}");
}

async fn gzip_and_parquet_copies_import_as_their_csv(app: TestApp) {
    let token = app.token(D_OPS).await;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&read("azure-1.2.csv")).unwrap();
    let mut revenue = Decimal::ZERO;
    for (name, body, like) in [
        ("azure-1.2.csv.gz", gz.finish().unwrap(), "azure-1.2.csv"),
        ("aws-1.4.parquet", read("aws-1.4.parquet"), "aws-1.4.csv"),
        ("gcp-1.3.zstd.parquet", read("gcp-1.3.zstd.parquet"), "gcp-1.3.csv"),
    ] {
        let want = expected(like);
        // The format is told by the first bytes, not the Content-Type or the name.
        let batch = imported(post_file(&app, &token, "file_name=export", body).await).await;
        assert_eq!(batch["rows_total"].as_u64(), Some(want.rows), "{name}: {batch}");
        map_every_account(&app, &token).await;
        revenue += want.revenue;
        assert_eq!(rolled_up_revenue(&app).await, revenue, "{name}");
    }
}

/// A CSV of one line for `customer` with SKU `sku`.
fn one_line(customer: &str, sku: &str, billed: &str) -> String {
    format!(
        "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,ProviderName,\
         ServiceName,SkuId\n{customer},2026-10-05,2026-10-06,{billed},USD,Usage,AWS,Amazon EC2,{sku}\n"
    )
}

async fn an_unmapped_sku_counts_under_unmapped_and_resolves_when_the_sku_is_added(app: TestApp) {
    let token = app.token(D_OPS).await;
    imported(app.post_csv(&token, one_line("C1", "NEW-SKU", "10.25")).await).await;
    imported(app.post_csv(&token, one_line("C1", "NEW-SKU", "4.75")).await).await;
    assert_eq!(rolled_up_revenue(&app).await, "15.00".parse().unwrap(), "a SKU the catalog lacks still counts");
    let issues: Value =
        app.get(&token, "/api/v1/billing-issues?open=true&kind=unmapped_product").await.json().await.unwrap();
    assert_eq!(issues["total"], 1, "one issue per SKU and reseller: {issues}");
    let message = issues["items"][0]["message"].as_str().unwrap();
    assert!(message.contains("NEW-SKU") && message.contains("2 line(s)") && message.contains("15.00"), "{message}");
    let issue = &issues["items"][0];
    assert_eq!(
        (&issue["sku"], &issue["lines"], &issue["revenue"], &issue["reseller_name"]),
        (&json!("NEW-SKU"), &json!(2), &json!("15.00"), &json!("Reseller One"))
    );
    // A re-rate leaves it open: the SKU is still missing.
    app.post(&token, "/api/v1/billing-issues/rerate", &json!({})).await;
    // The period restated: the issue counts the lines there are now, not every line ever seen.
    let restated = post_file(&app, &token, "replace=billing_period", one_line("C1", "NEW-SKU", "6").into_bytes()).await;
    imported(restated).await;
    let issues: Value =
        app.get(&token, "/api/v1/billing-issues?open=true&kind=unmapped_product").await.json().await.unwrap();
    assert_eq!(issues["total"], 1, "{issues}");
    let message = issues["items"][0]["message"].as_str().unwrap();
    assert!(message.contains("1 line(s)") && message.contains("6.00"), "{message}");
    assert_eq!(rolled_up_revenue(&app).await, "6".parse().unwrap());
    imported(app.post_csv(&token, one_line("C1", "NEW-SKU", "9")).await).await;

    let product =
        json!({"sku": "NEW-SKU", "name": "New", "family": "Compute", "provider": "AWS", "billing_model": "usage"});
    let created: Value = app.post(&token, "/api/v1/products", &product).await.json().await.unwrap();
    assert_eq!(rolled_up_revenue(&app).await, "15".parse().unwrap());
    let issues: Value =
        app.get(&token, "/api/v1/billing-issues?open=true&kind=unmapped_product").await.json().await.unwrap();
    assert_eq!(issues["total"], 0, "adding the SKU resolves its issue: {issues}");
    let store = store::Store::connect(&app.database_url).await.unwrap();
    let (stored, _) = store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();
    assert!(stored.keys().all(|k| k.product_id == created["id"].as_i64().unwrap()), "{stored:?}");
}

async fn an_account_mapped_to_a_customer_rates_its_lines_and_stays_in_the_callers_subtree(app: TestApp) {
    let d_ops = app.token(D_OPS).await;
    let r1 = app.token(R1_ADMIN).await;
    let r2 = app.token(R2_ADMIN).await;
    let body = "BillingAccountId,BillingAccountName,SubAccountId,SubAccountName,ChargePeriodStart,ChargePeriodEnd,\
                BilledCost,BillingCurrency,ChargeCategory,ServiceProviderName,ServiceName\n\
                PAYER,Channel Co,ACC-9,Acme Prod,2026-10-03 00:00:00,2026-10-04 00:00:00,30.5,USD,Usage,AWS,Amazon S3\n\
                PAYER,Channel Co,ACC-9,Acme Prod,2026-10-09 00:00:00,2026-10-10 00:00:00,1.5,USD,Tax,AWS,Amazon S3\n";
    let batch = imported(app.post_csv(&r1, body.to_owned()).await).await;
    assert_eq!(batch["rows_unrated"], 2);
    let page: Value = app.get(&r1, "/api/v1/billing-accounts/unmapped").await.json().await.unwrap();
    let account = &page["items"][0];
    assert_eq!(
        (&account["account_id"], &account["name"], &account["billing_account_id"], &account["lines"]),
        (&json!("ACC-9"), &json!("Acme Prod"), &json!("PAYER"), &json!(2))
    );
    assert_eq!((&account["billed_cost"], &account["first_day"]), (&json!("32.0"), &json!("2026-10-03")));
    // A sibling reseller neither sees the account nor can take it.
    let sibling: Value = app.get(&r2, "/api/v1/billing-accounts/unmapped").await.json().await.unwrap();
    assert_eq!(sibling["total"], 0, "{sibling}");
    let taken = app
        .post(&r2, "/api/v1/billing-accounts/unmapped/map", &json!({"account_id": "ACC-9", "customer_id": app.tree.c2}))
        .await;
    let mapped: Value = taken.json().await.unwrap();
    assert_eq!(mapped["rated"], 0, "R2's re-rate does not reach R1's lines: {mapped}");
    // R1 cannot map it to R2's customer.
    let refused = app
        .post(&r1, "/api/v1/billing-accounts/unmapped/map", &json!({"account_id": "ACC-9", "customer_id": app.tree.c2}))
        .await;
    assert_eq!(error_fields(&problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await), ["customer_id"]);
    // The account is R2's customer's now, so R1's customer cannot have it too.
    let clash = app
        .patch(&d_ops, &format!("/api/v1/organizations/{}", app.tree.c1), &json!({"billing_accounts": ["ACC-9"]}))
        .await;
    assert_eq!(error_fields(&problem(clash, StatusCode::UNPROCESSABLE_ENTITY).await), ["billing_accounts[0]"]);
    app.patch(&d_ops, &format!("/api/v1/organizations/{}", app.tree.c2), &json!({"billing_accounts": []})).await;
    let mapped: Value = app
        .post(&r1, "/api/v1/billing-accounts/unmapped/map", &json!({"account_id": "ACC-9", "customer_id": app.tree.c1}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((&mapped["rated"], &mapped["still_unrated"]), (&json!(2), &json!(0)), "{mapped}");
    let customer: Value = app.get(&r1, &format!("/api/v1/organizations/{}", app.tree.c1)).await.json().await.unwrap();
    assert_eq!(customer["billing_accounts"], json!(["ACC-9"]));
    assert_eq!(rolled_up_revenue(&app).await, "30.5".parse().unwrap());
}

async fn a_column_map_reads_an_export_that_names_columns_its_own_way(app: TestApp) {
    let token = app.token(D_OPS).await;
    // OCI names the provider `provider` and the region `region`.
    let body = "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,provider,\
                ServiceName,region\nC1,2026-10-05,2026-10-06,3,USD,Usage,Oracle,Compute,eu-frankfurt-1\n";
    let refused = problem(app.post_csv(&token, body.to_owned()).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&refused), ["ProviderName"]);
    let batch =
        post_file(&app, &token, "map=provider:ProviderName&map=region:RegionId", body.as_bytes().to_vec()).await;
    assert_eq!(imported(batch).await["rows_rated"], 1);
    let bad = post_file(&app, &token, "map=provider:Nonsense", body.as_bytes().to_vec()).await;
    assert_eq!(error_fields(&problem(bad, StatusCode::UNPROCESSABLE_ENTITY).await), ["map"]);
}

async fn other_focus_datasets_are_refused_by_name(app: TestApp) {
    let token = app.token(D_OPS).await;
    let body = "BillingAccountId,ContractCommitmentId,ContractCommitmentCategory,BillingCurrency\nA,CC-1,Spend,USD\n";
    let refused = problem(app.post_csv(&token, body.to_owned()).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let message = refused["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("contract commitment dataset"), "{refused}");
}

async fn one_bad_column_in_every_row_is_reported_once_with_its_count(app: TestApp) {
    let token = app.token(D_OPS).await;
    let mut body = String::from(
        "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName\n",
    );
    for _ in 0..1000 {
        body.push_str("C1,18/09/2024,2024-09-19,1,USD,Usage,AWS,EC2\n");
    }
    body.push_str("C1,2024-09-18,2024-09-19,one,USD,Usage,AWS,EC2\n");
    let refused = problem(app.post_csv(&token, body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(refused["detail"].as_str().unwrap().starts_with("1001 problem(s) found"), "{refused}");
    let errors = refused["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{refused}");
    assert_eq!(
        (&errors[0]["field"], &errors[0]["row"], &errors[0]["rows"]),
        (&json!("ChargePeriodStart"), &json!(1), &json!(1000))
    );
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.starts_with("rows 1, 2, 3, 4, 5 and 995 more: must be a date"), "{message}");
    assert!(message.ends_with("; found \"18/09/2024\""), "{message}");
    assert_eq!((&errors[1]["field"], &errors[1]["row"]), (&json!("BilledCost"), &json!(1001)));
}

/// A payer-level export of `period` (`YYYY-MM`): one line per (sub-account, amount).
fn period_export(period: &str, lines: &[(&str, &str)]) -> String {
    let mut body = String::from(
        "BillingAccountId,SubAccountId,BillingPeriodStart,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,\
         ChargeCategory,ProviderName,ServiceName\n",
    );
    for (sub, amount) in lines {
        body.push_str(&format!(
            "PAYER,{sub},{period}-01T00:00:00Z,{period}-03,{period}-04,{amount},USD,Usage,AWS,Amazon EC2\n"
        ));
    }
    body
}

/// A multipart form with one file part per (name, content).
async fn post_parts(app: &TestApp, token: &str, query: &str, parts: &[(&str, String)]) -> reqwest::Response {
    let boundary = "tierdash-test-boundary";
    let mut body = String::new();
    for (name, content) in parts {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: text/csv\r\n\r\n{content}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    app.client
        .post(app.url(&format!("/api/v1/imports?{query}")))
        .bearer_auth(token)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn map_accounts(app: &TestApp, token: &str, customer: i64, accounts: &[&str]) {
    let path = format!("/api/v1/organizations/{customer}");
    let response = app.patch(token, &path, &json!({ "billing_accounts": accounts })).await;
    assert_eq!(response.status(), StatusCode::OK);
}

async fn a_restated_period_replaces_the_earlier_figures_and_a_period_in_parts_is_one_batch(app: TestApp) {
    let token = app.token(D_OPS).await;
    map_accounts(&app, &token, app.tree.c1, &["SUB-1", "SUB-2"]).await;
    let first = period_export("2026-10", &[("SUB-1", "10"), ("SUB-2", "20")]);
    imported(post_file(&app, &token, "file_name=oct.csv", first.into_bytes()).await).await;
    assert_eq!(rolled_up_revenue(&app).await, "30".parse().unwrap());

    // The provider re-exports October: the restated lines replace the earlier ones.
    let restated = period_export("2026-10", &[("SUB-1", "12.5"), ("SUB-2", "20"), ("SUB-2", "1")]);
    let batch = imported(post_file(&app, &token, "replace=billing_period", restated.clone().into_bytes()).await).await;
    assert_eq!(batch["rows_replaced"], 2, "{batch}");
    assert_eq!(rolled_up_revenue(&app).await, "33.5".parse().unwrap(), "the restated figures, not the sum");

    // November comes in three parts: one batch, all or nothing, restated as a whole later.
    let parts = [
        ("nov-1.csv", period_export("2026-11", &[("SUB-1", "1")])),
        ("nov-2.csv", period_export("2026-11", &[("SUB-2", "2")])),
        ("nov-3.csv", period_export("2026-11", &[("SUB-1", "3")])),
    ];
    let batch = imported(post_parts(&app, &token, "replace=billing_period", &parts).await).await;
    assert_eq!((&batch["rows_total"], &batch["file_name"]), (&json!(3), &json!("nov-1.csv + nov-2.csv + nov-3.csv")));
    assert_eq!(rolled_up_revenue(&app).await, "39.5".parse().unwrap());
    let mut broken = parts.clone();
    broken[2].1.push_str("PAYER,SUB-1,2026-11-01,2026-11-03,2026-11-04,lots,USD,Usage,AWS,Amazon EC2\n");
    let refused =
        problem(post_parts(&app, &token, "replace=billing_period", &broken).await, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    let message = refused["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("row 2 (line 3): nov-3.csv: "), "the problem names its file and row: {message}");
    assert_eq!(rolled_up_revenue(&app).await, "39.5".parse().unwrap(), "a rejected batch changes nothing");
    let again = [
        ("nov-1.csv", period_export("2026-11", &[("SUB-1", "1.5")])),
        ("nov-2.csv", period_export("2026-11", &[("SUB-2", "2")])),
        ("nov-3.csv", period_export("2026-11", &[])),
    ];
    let again: Vec<(&str, String)> = again.into_iter().filter(|(_, body)| body.lines().count() > 1).collect();
    imported(post_parts(&app, &token, "replace=billing_period", &again).await).await;
    assert_eq!(rolled_up_revenue(&app).await, "37".parse().unwrap(), "October 33.5, November restated to 3.5");

    // Without replace=billing_period the same restatement adds up, as before.
    let added = period_export("2026-10", &[("SUB-1", "0.5")]);
    imported(post_file(&app, &token, "", added.into_bytes()).await).await;
    assert_eq!(rolled_up_revenue(&app).await, "37.5".parse().unwrap());
}

async fn a_restatement_replaces_only_the_importers_own_lines(app: TestApp) {
    let d_ops = app.token(D_OPS).await;
    map_accounts(&app, &d_ops, app.tree.c1, &["SUB-1"]).await;
    map_accounts(&app, &d_ops, app.tree.c2, &["SUB-2"]).await;
    let r1 = app.token(R1_ADMIN).await;
    let r2 = app.token(R2_ADMIN).await;
    imported(post_file(&app, &r1, "", period_export("2026-10", &[("SUB-1", "10")]).into_bytes()).await).await;
    // R2 restates the same payer's October with its own customer's lines: R1's stay.
    let batch = imported(
        post_file(&app, &r2, "replace=billing_period", period_export("2026-10", &[("SUB-2", "4")]).into_bytes()).await,
    )
    .await;
    assert_eq!(batch["rows_replaced"], 0, "{batch}");
    assert_eq!(rolled_up_revenue(&app).await, "14".parse().unwrap());
}

async fn a_restatement_leaves_the_periods_other_accounts_and_providers(app: TestApp) {
    let token = app.token(D_OPS).await;
    map_accounts(&app, &token, app.tree.c1, &["SUB-1"]).await;
    // October of payer PAYER at AWS, of another payer at AWS, and of an account called PAYER too
    // at another provider: one (provider, account, period) restated, the other two kept.
    let mut october = period_export("2026-10", &[("SUB-1", "10")]);
    october.push_str("OTHER,SUB-1,2026-10-01T00:00:00Z,2026-10-03,2026-10-04,20,USD,Usage,AWS,Amazon EC2\n");
    october.push_str("PAYER,SUB-1,2026-10-01T00:00:00Z,2026-10-03,2026-10-04,40,USD,Usage,Azure,Virtual Machines\n");
    imported(post_file(&app, &token, "", october.into_bytes()).await).await;
    assert_eq!(rolled_up_revenue(&app).await, "70".parse().unwrap());
    let restated = period_export("2026-10", &[("SUB-1", "1")]);
    let batch = imported(post_file(&app, &token, "replace=billing_period", restated.into_bytes()).await).await;
    assert_eq!(batch["rows_replaced"], 1, "{batch}");
    assert_eq!(rolled_up_revenue(&app).await, "61".parse().unwrap(), "OTHER's 20 and Azure's 40 stay");
}

async fn a_payers_invoice_shows_each_customer_its_own_part(app: TestApp) {
    let d_ops = app.token(D_OPS).await;
    map_accounts(&app, &d_ops, app.tree.c1, &["SUB-1"]).await;
    map_accounts(&app, &d_ops, app.tree.c2, &["SUB-2"]).await;
    let body = "BillingAccountId,BillingAccountName,SubAccountId,InvoiceId,InvoiceIssuerName,BillingPeriodStart,\
                ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName,\
                ServiceCategory\n\
                PAYER,Channel Co,SUB-1,INV-1,AWS EMEA,2026-10-01,2026-10-02,2026-10-03,100,EUR,Usage,AWS,Amazon EC2,Compute\n\
                PAYER,Channel Co,SUB-2,INV-1,AWS EMEA,2026-10-01,2026-10-02,2026-10-03,50,EUR,Usage,AWS,Amazon S3,Storage\n\
                PAYER,Channel Co,SUB-2,INV-1,AWS EMEA,2026-10-01,2026-10-02,2026-10-03,5,EUR,Tax,AWS,Amazon S3,Storage\n\
                PAYER,Channel Co,SUB-1,INV-1,AWS EMEA,2026-10-01,2026-10-05,2026-10-06,-10,EUR,Credit,AWS,Amazon EC2,Compute\n\
                OTHER,,,,,2026-10-01,2026-10-02,2026-10-03,7,USD,Usage,AWS,Amazon EC2,Compute\n";
    imported(app.post_csv(&d_ops, body.to_owned()).await).await;

    let all: Value = app.get(&d_ops, "/api/v1/invoices").await.json().await.unwrap();
    assert_eq!(all["total"], 2, "by InvoiceId, else by billing account and period: {all}");
    let inv = all["items"].as_array().unwrap().iter().find(|i| i["invoice_id"] == "INV-1").unwrap();
    assert_eq!(
        (&inv["billed_total"], &inv["tax"], &inv["credits"], &inv["lines"], &inv["currency"], &inv["issuer"]),
        (&json!("145.00"), &json!("5.00"), &json!("-10.00"), &json!(4), &json!("EUR"), &json!("AWS EMEA"))
    );
    let parts: Vec<(i64, &str)> = inv["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["customer_id"].as_i64().unwrap(), c["billed"].as_str().unwrap()))
        .collect();
    assert_eq!(parts, [(app.tree.c1, "90.00"), (app.tree.c2, "55.00")]);
    let other = all["items"].as_array().unwrap().iter().find(|i| i["invoice_id"].is_null()).unwrap();
    assert_eq!((&other["billing_account_id"], &other["unassigned_lines"]), (&json!("OTHER"), &json!(1)));

    // Each reseller sees only its customer's part of the payer's invoice, and nothing else.
    for (login, total, customer) in [(R1_ADMIN, "90.00", app.tree.c1), (R2_ADMIN, "55.00", app.tree.c2)] {
        let token = app.token(login).await;
        let mine: Value = app.get(&token, "/api/v1/invoices").await.json().await.unwrap();
        assert_eq!(mine["total"], 1, "{login}: {mine}");
        assert_eq!(mine["items"][0]["billed_total"], total, "{login}");
        assert_eq!(mine["items"][0]["customers"][0]["customer_id"], customer);
        let hidden = app.get(&token, &format!("/api/v1/invoices/{}", other["id"].as_str().unwrap())).await;
        assert_eq!(hidden.status(), StatusCode::NOT_FOUND, "{login}");
    }

    let detail: Value =
        app.get(&d_ops, &format!("/api/v1/invoices/{}", inv["id"].as_str().unwrap())).await.json().await.unwrap();
    let services: Vec<(&str, &str, &str)> = detail["by_service"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["service"].as_str().unwrap(), s["billed"].as_str().unwrap(), s["tax"].as_str().unwrap()))
        .collect();
    assert_eq!(services, [("Amazon EC2", "90.00", "0.00"), ("Amazon S3", "55.00", "5.00")]);

    let csv =
        app.client.get(app.url("/api/v1/invoices?period=2026-10&format=csv")).bearer_auth(&d_ops).send().await.unwrap();
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("id,invoice_id,issuer,provider,billing_account_id"), "{text}");
    assert_eq!(text.lines().count(), 3, "{text}");
    let viewer = app.token(D_VIEWER).await;
    assert_eq!(app.get(&viewer, "/api/v1/invoices").await.status(), StatusCode::FORBIDDEN);
}

async fn a_product_covering_a_service_gives_lines_of_unknown_skus_their_product(app: TestApp) {
    let token = app.token(D_OPS).await;
    imported(app.post_csv(&token, one_line("C1", "ODD-SKU", "10")).await).await;
    let product = json!({"sku": "EC2-ANY", "name": "EC2", "family": "Compute", "provider": "AWS",
        "billing_model": "usage", "service_names": ["Amazon EC2"]});
    let response = app.post(&token, "/api/v1/products", &product).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["service_names"], json!(["Amazon EC2"]));
    let id = created["id"].as_i64().unwrap();
    let issues: Value =
        app.get(&token, "/api/v1/billing-issues?open=true&kind=unmapped_product").await.json().await.unwrap();
    assert_eq!(issues["total"], 0, "the SKU's lines found their product by their service: {issues}");
    // Later lines of the service, with an unknown SKU or none, take the product at once.
    imported(app.post_csv(&token, one_line("C1", "ODD-2", "5")).await).await;
    imported(app.post_csv(&token, one_line("C1", "", "1")).await).await;
    let store = store::Store::connect(&app.database_url).await.unwrap();
    let (stored, _) = store::rollups::stored_and_rebuilt(&store, app.tree.distributor).await.unwrap();
    assert!(stored.keys().all(|k| k.product_id == id), "{stored:?}");
    assert_eq!(rolled_up_revenue(&app).await, "16".parse().unwrap());
    let issues: Value =
        app.get(&token, "/api/v1/billing-issues?open=true&kind=unmapped_product").await.json().await.unwrap();
    assert_eq!(issues["total"], 0, "{issues}");
    // One service, one product.
    let other = json!({"sku": "EC2-OTHER", "name": "EC2 too", "family": "Compute", "provider": "AWS",
        "billing_model": "usage", "service_names": ["Amazon EC2"]});
    let refused = problem(app.post(&token, "/api/v1/products", &other).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&refused), ["service_names[0]"]);
}
