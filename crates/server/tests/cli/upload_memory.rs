//! The server's memory whatever shape an upload takes: one row of 20 MB or 200 MB of commas
//! (a million empty fields per megabyte), one 200 MB line with no newline. Each is refused with
//! a 422 naming the row, and the process's peak resident memory (`VmHWM`) stays under 200 MB.

use super::{Server, tierdash};

/// The peak resident memory of process `pid`, in bytes.
fn peak_memory(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

const HEADER: &[u8] = b"BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName\nCUST-1,2026-10-01,2026-10-02,1,USD,Usage,AWS,EC2\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_of_any_shape_are_refused_by_row_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let init = ["init", "--org-name", "Acme", "--admin-email", "root@acme.test", "--admin-password", "a long password"];
    assert!(tierdash(dir.path(), &init).status.success());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let server = Server::start(dir.path(), None, &format!("127.0.0.1:{port}"));
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let started = std::time::Instant::now();
    while client.get(format!("{base}/readyz")).send().await.map(|r| r.status().is_success()).ok() != Some(true) {
        assert!(started.elapsed().as_secs() < 60, "the server did not start");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/token"))
        .json(&serde_json::json!({"email": "root@acme.test", "password": "a long password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    let shapes: [(&str, Vec<u8>); 3] = [
        ("20 MB of commas", [HEADER, &vec![b','; 20 << 20], b"\n"].concat()),
        ("200 MB of commas", [HEADER, &vec![b','; 200 << 20], b"\n"].concat()),
        ("one 200 MB line", [HEADER, &vec![b'7'; 200 << 20]].concat()),
    ];
    for (shape, body) in shapes {
        let response = client
            .post(format!("{base}/api/v1/imports"))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY, "{shape}");
        let problem: serde_json::Value = response.json().await.unwrap();
        assert_eq!(problem["errors"][0]["row"], 2, "{shape}: {problem}");
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("longer than 1 MiB"), "{problem}");
    }
    let peak = peak_memory(server.0.id());
    assert!(peak < 200 << 20, "the server peaked at {} MB", peak >> 20);
}
