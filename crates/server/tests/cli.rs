//! The `tierdash` binary's commands, run as a user would, on a fresh data directory.

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
