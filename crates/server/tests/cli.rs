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
