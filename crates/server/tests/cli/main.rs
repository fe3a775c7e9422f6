//! The `tierdash` binary's commands, run as a user would, on a fresh data directory.

mod upload_memory;

use std::process::{Command, Output};

fn tierdash(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tierdash"))
        .args(args)
        .env("TIERDASH_DATA_DIR", dir)
        .env_remove("TIERDASH_DATABASE_URL")
        .env_remove("TIERDASH_JWT_SECRET")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["init", "--help"],
        &["users", "add", "--help"],
        &["demo-data", "--help"],
        &["openapi", "--help"],
    ] {
        let output = tierdash(dir.path(), args);
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage"), "{args:?}");
    }
}

#[test]
fn init_sets_up_an_empty_database_once_and_keeps_a_generated_secret() {
    let dir = tempfile::tempdir().unwrap();
    let init = [
        "init",
        "--org-name",
        "Acme Distribution",
        "--admin-email",
        "root@acme.test",
        "--admin-password",
        "a long password",
    ];
    let first = tierdash(dir.path(), &init);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(stdout(&first).contains("Acme Distribution"));
    assert!(dir.path().join("tierdash.db").exists());
    let secret = std::fs::read_to_string(dir.path().join("jwt-secret")).unwrap();
    assert!(secret.len() >= 32);

    let second = tierdash(dir.path(), &init);
    assert!(!second.status.success(), "init refuses a database that has organisations");
    assert!(String::from_utf8_lossy(&second.stderr).contains("already"));
    assert_eq!(std::fs::read_to_string(dir.path().join("jwt-secret")).unwrap(), secret, "the secret is kept");

    let weak =
        tierdash(dir.path(), &["init", "--org-name", "X", "--admin-email", "x@x.test", "--admin-password", "short"]);
    assert!(!weak.status.success());

    let add = [
        "users",
        "add",
        "--org-id",
        "1",
        "--email",
        "ops@acme.test",
        "--name",
        "Ops",
        "--role",
        "operations",
        "--password",
        "another long password",
    ];
    let added = tierdash(dir.path(), &add);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let again = tierdash(dir.path(), &add);
    assert!(!again.status.success(), "an e-mail is used once");
    let bad_role = tierdash(
        dir.path(),
        &[
            "users",
            "add",
            "--org-id",
            "1",
            "--email",
            "a@acme.test",
            "--name",
            "A",
            "--role",
            "root",
            "--password",
            "another long password",
        ],
    );
    assert!(!bad_role.status.success());

    let demo = tierdash(dir.path(), &["demo-data"]);
    assert!(!demo.status.success(), "demo data only goes into an empty database");
    let demo = tierdash(dir.path(), &["demo-data", "--if-empty"]);
    assert!(demo.status.success());
}

#[test]
fn demo_data_fills_an_empty_database_and_prints_every_role() {
    let dir = tempfile::tempdir().unwrap();
    let output = tierdash(dir.path(), &["demo-data"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = stdout(&output);
    assert!(text.contains("40 resellers, 800 customers"), "{text}");
    for role in ["admin", "operations", "marketing", "report_viewer", "executive_viewer"] {
        assert!(text.contains(role), "no {role} login printed");
    }
    assert!(text.contains("tierdash-demo"));
}

#[test]
fn openapi_prints_the_committed_document() {
    let dir = tempfile::tempdir().unwrap();
    let output = tierdash(dir.path(), &["openapi"]);
    assert!(output.status.success());
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json")).unwrap();
    assert_eq!(stdout(&output), committed);
}

const IMPORT_HEADER: &str = "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName";

fn write_lines(path: &std::path::Path, rows: usize, bad_row: Option<usize>) {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(file, "{IMPORT_HEADER}").unwrap();
    for i in 1..=rows {
        let amount = if Some(i) == bad_row { "n/a".to_owned() } else { format!("{}.{:02}", i % 1000, i % 100) };
        writeln!(
            file,
            "CUST-00001,2026-10-{:02},2026-10-{:02},{amount},USD,Usage,AWS,Amazon EC2",
            i % 28 + 1,
            i % 28 + 1
        )
        .unwrap();
    }
}

fn completed_imports(dir: &std::path::Path) -> u64 {
    let url = format!("sqlite://{}?mode=rw", dir.join("tierdash.db").display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = store::Store::connect(&url).await.unwrap();
        let root = store::admin::only_root(&store).await.unwrap().unwrap();
        let scope = store::admin::scope_of(&store, root).await.unwrap();
        let query = domain::api::ListParams::default().check(domain::api::IMPORT_SORTS).unwrap();
        store::billing::batches::list(&store, &scope, &query).await.unwrap().total
    })
}

#[test]
fn import_reports_a_summary_is_idempotent_and_refuses_bad_files_whole() {
    let dir = tempfile::tempdir().unwrap();
    assert!(tierdash(dir.path(), &["demo-data"]).status.success());
    let before = completed_imports(dir.path());
    let file = dir.path().join("october.csv");
    write_lines(&file, 2500, None);
    let path = file.to_str().unwrap();

    let dry = tierdash(dir.path(), &["import", path, "--dry-run"]);
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    assert!(stdout(&dry).contains("Dry run"));
    assert_eq!(completed_imports(dir.path()), before, "a dry run keeps nothing");

    let first = tierdash(dir.path(), &["import", path]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(stdout(&first).contains("2500 rows"), "{}", stdout(&first));
    let shown = String::from_utf8_lossy(&first.stderr);
    assert!(shown.contains("rows read") && shown.contains("] 100%"), "progress is shown to the end: {shown}");
    let again = tierdash(dir.path(), &["import", path]);
    assert!(stdout(&again).contains("Already imported"), "{}", stdout(&again));
    assert_eq!(completed_imports(dir.path()), before + 1);

    let bad = dir.path().join("bad.csv");
    write_lines(&bad, 2500, Some(2100));
    let refused = tierdash(dir.path(), &["import", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("row 2100 (line 2101)") && stderr.contains("nothing was imported"), "{stderr}");
    assert_eq!(completed_imports(dir.path()), before + 1);
}

#[test]
fn killing_an_import_midway_leaves_no_partial_batch() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    assert!(tierdash(dir.path(), &["demo-data"]).status.success());
    let before = completed_imports(dir.path());
    let file = dir.path().join("big.csv");
    write_lines(&file, 100_000, None);
    let mut child = Command::new(env!("CARGO_BIN_EXE_tierdash"))
        .args(["import", file.to_str().unwrap()])
        .env("TIERDASH_DATA_DIR", dir.path())
        .env_remove("TIERDASH_DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until a good part of the file is in the (uncommitted) transaction, then SIGKILL.
    let mut stderr = child.stderr.take().unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 256];
    // Progress lines read "[###---]  30%  21000 rows read (…)", one per tenth of the file.
    let rows_read = |seen: &str| {
        seen.lines()
            .filter_map(|line| line.split(" rows read").next()?.rsplit(' ').next()?.parse::<u64>().ok())
            .max()
            .unwrap_or(0)
    };
    while rows_read(&seen) < 20_000 {
        let n = stderr.read(&mut buf).unwrap();
        assert!(n > 0, "the import ended before it could be killed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(completed_imports(dir.path()), before, "no batch from the killed import");
    // And the same file imports fine afterwards: nothing half-done is in the way.
    let again = tierdash(dir.path(), &["import", "--dry-run", file.to_str().unwrap()]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
}

/// The database of a data directory (SQLite), or the PostgreSQL database `url`.
fn database_url(dir: &std::path::Path, postgres: Option<&str>) -> String {
    postgres.map_or_else(|| format!("sqlite://{}?mode=rw", dir.join("tierdash.db").display()), str::to_owned)
}

/// `tierdash <args>` on the data directory and database given, with the jobs' settings a report
/// test wants: a short lease, no scheduled usage update.
fn command(dir: &std::path::Path, postgres: Option<&str>, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tierdash"));
    command
        .args(args)
        .env("TIERDASH_DATA_DIR", dir)
        .env_remove("TIERDASH_JWT_SECRET")
        .env("TIERDASH_REPORT_LEASE_SECONDS", "2")
        .env("TIERDASH_USAGE_REFRESH_SECONDS", "0")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match postgres {
        Some(url) => command.env("TIERDASH_DATABASE_URL", url),
        None => command.env_remove("TIERDASH_DATABASE_URL"),
    };
    command
}

/// A server started by a test, killed (SIGKILL) when dropped, so that a failing test leaves none
/// running.
struct Server(std::process::Child);

impl Server {
    fn start(dir: &std::path::Path, postgres: Option<&str>, bind: &str) -> Server {
        Server(command(dir, postgres, &["serve"]).env("TIERDASH_BIND", bind).spawn().unwrap())
    }

    /// SIGKILL, and wait for the end.
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A report's (status, progress) and how many chunks of CSV it has.
async fn report_state(store: &store::Store, id: i64) -> (String, i64, u64) {
    let scope = distributor(store).await;
    let report = store::reports::get(store, &scope, id, true).await.unwrap();
    let mut chunks = 0;
    while store::reports::chunk(store, id, chunks).await.unwrap().is_some() {
        chunks += 1;
    }
    (report.status.to_string(), i64::from(report.progress), chunks as u64)
}

async fn distributor(store: &store::Store) -> store::Scope {
    let root = store::admin::only_root(store).await.unwrap().unwrap();
    store::admin::scope_of(store, root).await.unwrap()
}

/// Runs `test` on SQLite, and on PostgreSQL when `TIERDASH_TEST_POSTGRES_URL` is set.
async fn on_both_databases(test: impl AsyncFn(&std::path::Path, Option<&str>)) {
    let dir = tempfile::tempdir().unwrap();
    test(dir.path(), None).await;
    let Some(admin) = std::env::var("TIERDASH_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty()) else { return };
    // Tests of this binary run at once: each its own database.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("tierdash_cli_{}_{n}", std::process::id());
    let admin_store = store::Store::connect(&admin).await.unwrap();
    admin_store.execute_raw(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    admin_store.execute_raw(&format!("CREATE DATABASE {name}")).await.unwrap();
    let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
    let dir = tempfile::tempdir().unwrap();
    test(dir.path(), Some(&url)).await;
    admin_store.execute_raw(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_killed_mid_generation_is_generated_once_after_a_restart() {
    on_both_databases(killed_mid_generation).await;
}

/// Demo data and 32,000 lines of October (800 customers × 40 services), so that a
/// `customer_usage` report of October is 32,000 rows in 16 chunks: long enough to be killed in.
async fn killed_mid_generation(dir: &std::path::Path, postgres: Option<&str>) {
    use std::io::Write;
    assert!(command(dir, postgres, &["demo-data"]).status().unwrap().success());
    let file = dir.join("october-usage.csv");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
        writeln!(out, "{IMPORT_HEADER},ConsumedQuantity").unwrap();
        for customer in 1..=800 {
            for service in 1..=40 {
                writeln!(out, "CUST-{customer:05},2026-10-07,2026-10-07,1.25,USD,Usage,AWS,Service {service:03},2")
                    .unwrap();
            }
        }
    }
    let imported = command(dir, postgres, &["import", file.to_str().unwrap()]).status().unwrap();
    assert!(imported.success());
    let store = store::Store::connect(&database_url(dir, postgres)).await.unwrap();
    let scope = distributor(&store).await;
    let ask = |kind| store::reports::Request {
        report: domain::api::NewReport { kind, period: "2026-10".into(), reseller_id: None },
        requested_by: "cli test".into(),
        today: chrono::Utc::now().date_naive(),
        retention_days: 90,
    };
    let (report, _) =
        store::reports::request(&store, &scope, ask(domain::kinds::ReportKind::CustomerUsage)).await.unwrap();

    // Serve until the report is half-written, then SIGKILL.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().to_string();
    let bind = format!("127.0.0.1:{port}");
    let mut server = Server::start(dir, postgres, &bind);
    let started = std::time::Instant::now();
    loop {
        let (status, _, chunks) = report_state(&store, report.id).await;
        assert_ne!(status, "ready", "the report was written before it could be killed");
        if status == "generating" && chunks >= 2 {
            break;
        }
        assert!(started.elapsed().as_secs() < 120, "the report was not taken");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    server.kill();
    let (status, _, chunks) = report_state(&store, report.id).await;
    assert_eq!(status, "generating", "half-written, and not shown as ready");
    assert!(chunks < 16, "{chunks} chunks");
    let early = store::reports::download(&store, &scope, report.id, true).await.map(|_| ()).unwrap_err();
    assert!(early.to_string().contains("generating"), "{early}");

    // After a restart the lease runs out, the report is taken again from the start and written
    // once; three more reports are generated at most two at once (TIERDASH_REPORT_WORKERS).
    let mut server = Server::start(dir, postgres, &bind);
    let mut others = Vec::new();
    for kind in [
        domain::kinds::ReportKind::ResellerUsage,
        domain::kinds::ReportKind::UsageSummary,
        domain::kinds::ReportKind::Billing,
    ] {
        others.push(store::reports::request(&store, &scope, ask(kind)).await.unwrap().0.id);
    }
    let started = std::time::Instant::now();
    let mut most_at_once = 0;
    loop {
        // One SELECT: a snapshot of every report at one instant. Reading them one by one saw a
        // report still generating, then its worker's next one, then the other worker's: three.
        let listed = store::reports::list(
            &store,
            &scope,
            &Default::default(),
            &domain::api::ListQuery { page: 1, per_page: 100, q: None, sort: None },
            true,
        )
        .await
        .unwrap();
        let state = |id: i64| listed.items.iter().find(|r| r.id == id).map(|r| r.status.to_string()).unwrap();
        let states: Vec<String> = others.iter().chain([&report.id]).map(|id| state(*id)).collect();
        // The killed report stays `generating` until a worker takes it again: the others are
        // counted.
        most_at_once = most_at_once.max(states[..others.len()].iter().filter(|s| *s == "generating").count());
        if states.iter().all(|s| s == "ready") {
            break;
        }
        assert!(started.elapsed().as_secs() < 180, "the reports were not generated: {states:?}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    server.kill();
    assert!(most_at_once <= 2, "{most_at_once} reports generated at once by two workers");
    let done = store::reports::get(&store, &scope, report.id, true).await.unwrap();
    // The test's 32,000 rows and the demo's own of October.
    assert!(done.row_count.unwrap() > 32_000, "{done:?}");
    let (_, progress, chunks) = report_state(&store, report.id).await;
    assert_eq!((progress, chunks), (100, done.row_count.unwrap().div_ceil(2000)));
    let mut seen = std::collections::HashSet::new();
    for seq in 0..chunks as i32 {
        for line in store::reports::chunk(&store, report.id, seq).await.unwrap().unwrap().lines() {
            assert!(seen.insert(line.to_owned()), "a row written twice: {line}");
        }
    }
    assert_eq!(seen.len() as u64, done.row_count.unwrap() + 1, "the header and each row once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_run_killed_midway_renews_each_period_once_after_a_restart() {
    on_both_databases(renewals_killed_midway).await;
}

/// Every entry of every reseller's ledger, oldest first.
async fn ledgers(store: &store::Store) -> Vec<domain::api::LedgerEntry> {
    use domain::api::{ListQuery, OrganizationFilter, Sort};
    let scope = distributor(store).await;
    let query = |page| ListQuery { page, per_page: 500, q: None, sort: Some(Sort { field: "id", descending: false }) };
    let filter = OrganizationFilter { kind: Some(domain::kinds::OrgKind::Reseller), ..Default::default() };
    let resellers = store::organizations::list(store, &scope, &filter, &query(1)).await.unwrap();
    let mut entries = Vec::new();
    for reseller in resellers.items {
        let filter = domain::api::LedgerFilter { reseller_id: Some(reseller.id), ..Default::default() };
        for page in 1.. {
            let found = store::portal::ledger::list(store, &scope, &filter, &query(page)).await.unwrap();
            let last = found.items.len() < 500;
            entries.extend(found.items);
            if last {
                break;
            }
        }
    }
    entries
}

/// The demo's activations, paid up to 18 months ago, are renewed month by month by
/// `tierdash renewals run`; the run is killed (SIGKILL) half-way and run again. After it, each
/// reseller's ledger adds up entry by entry, each activation's renewals follow on from one
/// another without a gap or a period paid twice, its paid-until date is the last renewal's, and
/// a third run finds nothing left to do.
async fn renewals_killed_midway(dir: &std::path::Path, postgres: Option<&str>) {
    assert!(command(dir, postgres, &["demo-data"]).status().unwrap().success());
    let store = store::Store::connect(&database_url(dir, postgres)).await.unwrap();
    let paid_until = (chrono::Utc::now().date_naive() - chrono::Months::new(18)).to_string();
    store
        .execute_raw(&format!(
            "UPDATE subscriptions SET end_date = '{paid_until}' WHERE id IN \
             (SELECT subscription_id FROM ledger_entries WHERE subscription_id IS NOT NULL)"
        ))
        .await
        .unwrap();
    let renewals = |entries: &[domain::api::LedgerEntry]| {
        entries.iter().filter(|e| e.kind == domain::kinds::LedgerKind::Renewal && !e.amount.is_zero()).count()
    };

    let mut run = command(dir, postgres, &["renewals", "run"]).spawn().unwrap();
    let started = std::time::Instant::now();
    loop {
        let done = renewals(&ledgers(&store).await);
        if done >= 20 {
            break;
        }
        assert!(run.try_wait().unwrap().is_none(), "the run ended after {done} renewals, before it could be killed");
        assert!(started.elapsed().as_secs() < 120, "no renewals");
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    run.kill().unwrap();
    run.wait().unwrap();
    let at_kill = renewals(&ledgers(&store).await);
    assert!(command(dir, postgres, &["renewals", "run"]).status().unwrap().success());
    let entries = ledgers(&store).await;
    assert!(renewals(&entries) > at_kill, "the second run renewed what the first left");

    // Each reseller's ledger adds up, entry by entry.
    let mut balances = std::collections::HashMap::<i64, rust_decimal::Decimal>::new();
    for entry in &entries {
        let balance = balances.entry(entry.reseller_id).or_default();
        *balance += entry.amount;
        assert_eq!(*balance, entry.balance_after, "{entry:?}");
    }
    // Each activation's renewals follow on from one another: `renewed from A to B`, the next
    // from B + 1; its paid-until date is the last one's B.
    let scope = distributor(&store).await;
    let mut periods = std::collections::BTreeMap::<i64, Vec<(chrono::NaiveDate, chrono::NaiveDate)>>::new();
    for entry in entries.iter().filter(|e| e.kind == domain::kinds::LedgerKind::Renewal && !e.amount.is_zero()) {
        let reference = entry.reference.as_deref().unwrap();
        let dates: Vec<chrono::NaiveDate> =
            reference.strip_prefix("renewed from ").unwrap().split(" to ").map(|d| d.parse().unwrap()).collect();
        periods.entry(entry.subscription_id.unwrap()).or_default().push((dates[0], dates[1]));
    }
    assert!(!periods.is_empty());
    for (id, periods) in &periods {
        for pair in periods.windows(2) {
            assert_eq!(pair[0].1.succ_opt().unwrap(), pair[1].0, "activation {id}: {periods:?}");
        }
        let subscription = store::subscriptions::get(&store, &scope, *id).await.unwrap();
        assert_eq!(subscription.end_date, Some(periods.last().unwrap().1), "activation {id}");
    }
    // Nothing is left for a third run.
    let third = command(dir, postgres, &["renewals", "run"]).output().unwrap();
    assert!(third.status.success());
    assert_eq!(renewals(&ledgers(&store).await), renewals(&entries));
}
