//! `TestApp`: the real server on port 0 over a fresh database (SQLite always; PostgreSQL when
//! `TIERDASH_TEST_POSTGRES_URL` is set), with a seeded organisation tree and a login per role.
//!
//! The tree: distributor D with resellers R1 and R2 (siblings), customers C1 (of R1) and C2
//! (of R2). Logins: every role at D, admin/operations/report_viewer at R1, admin at R2.

use std::sync::OnceLock;
use std::time::Duration;

use domain::api::{NewOrganization, NewUser};
use domain::codes::Email;
use domain::kinds::OrgKind;
use domain::roles::Role;
use reqwest::{Client, Response, StatusCode};
use secrecy::SecretString;
use serde_json::Value;
use server::config::{Config, JobsConfig, LogFormat};
use server::startup::Application;
use store::{Store, admin, credentials, organizations, users};

pub const PASSWORD: &str = "correct horse battery staple";
pub const METRICS_TOKEN: &str = "metrics-token-metrics-token-0123456789";
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";

/// Ids of the seeded tree.
#[derive(Debug, Clone, Copy)]
pub struct Tree {
    pub distributor: i64,
    pub r1: i64,
    pub r2: i64,
    pub c1: i64,
    pub c2: i64,
}

pub struct TestApp {
    pub base: String,
    pub database_url: String,
    pub client: Client,
    pub tree: Tree,
    handle: actix_web::dev::ServerHandle,
    _dir: tempfile::TempDir,
    postgres_db: Option<(String, String)>,
}

/// The seeded logins: (e-mail, role, organisation name in the tree).
pub const D_ADMIN: &str = "admin@dist.test";
pub const D_OPS: &str = "ops@dist.test";
pub const D_MARKETING: &str = "marketing@dist.test";
pub const D_VIEWER: &str = "viewer@dist.test";
pub const D_EXEC: &str = "exec@dist.test";
pub const R1_ADMIN: &str = "admin@r1.test";
pub const R1_OPS: &str = "ops@r1.test";
pub const R1_VIEWER: &str = "viewer@r1.test";
pub const R2_ADMIN: &str = "admin@r2.test";

fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| credentials::hash_password(PASSWORD).unwrap()).clone()
}

impl TestApp {
    /// On a fresh SQLite file.
    pub async fn sqlite() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        TestApp::start(url, dir, None).await
    }

    /// On SQLite, serving the single-page app from `static_dir`.
    pub async fn sqlite_serving(static_dir: &std::path::Path) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        std::os::unix::fs::symlink(static_dir, dir.path().join("no-frontend")).unwrap();
        TestApp::start(url, dir, None).await
    }

    /// On a fresh PostgreSQL database, or `None` when `TIERDASH_TEST_POSTGRES_URL` is unset.
    pub async fn postgres() -> Option<TestApp> {
        let admin_url = std::env::var("TIERDASH_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty())?;
        let name = format!("tierdash_test_{}", hex::encode(rand_bytes()));
        let admin_store =
            Store::connect(&admin_url).await.expect("TIERDASH_TEST_POSTGRES_URL is set but PostgreSQL is unreachable");
        admin_store.execute_raw(&format!("CREATE DATABASE {name}")).await.unwrap();
        let (base, _) = admin_url.rsplit_once('/').expect("a PostgreSQL URL ends in /database");
        let url = format!("{base}/{name}");
        Some(TestApp::start(url, tempfile::tempdir().unwrap(), Some((admin_url, name))).await)
    }

    async fn start(database_url: String, dir: tempfile::TempDir, postgres_db: Option<(String, String)>) -> TestApp {
        if std::env::var("TEST_LOG").is_ok() {
            server::telemetry::init(LogFormat::Pretty);
        }
        let config = Config {
            database_url: database_url.clone(),
            bind: "127.0.0.1:0".into(),
            data_dir: dir.path().to_owned(),
            jwt_secret: SecretString::from(JWT_SECRET.to_owned()),
            token_ttl: Duration::from_secs(3600),
            log_format: LogFormat::Pretty,
            workers: Some(1),
            static_dir: dir.path().join("no-frontend"),
            // Usage updates and report generation are run by the tests themselves, step by step.
            jobs: JobsConfig { usage_every: None, report_workers: 0, ..JobsConfig::default() },
            metrics_token: Some(SecretString::from(METRICS_TOKEN.to_owned())),
            // As served: every test that reads a view again after a write checks that the
            // answers kept are given only while the data is unchanged.
            answer_cache_mb: 64,
        };
        let app = Application::build(&config).await.expect("the app starts");
        let port = app.port();
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        let store = Store::connect(&database_url).await.unwrap();
        let tree = seed(&store).await;
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            database_url,
            client: Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
            tree,
            handle,
            _dir: dir,
            postgres_db,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Logs in and returns the access token.
    pub async fn token(&self, email: &str) -> String {
        let response =
            self.post_anon("/api/v1/auth/token", &serde_json::json!({"email": email, "password": PASSWORD})).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {email}");
        response.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn post_anon(&self, path: &str, body: &Value) -> Response {
        self.client.post(self.url(path)).json(body).send().await.unwrap()
    }

    pub async fn get(&self, token: &str, path: &str) -> Response {
        self.client.get(self.url(path)).bearer_auth(token).send().await.unwrap()
    }

    pub async fn post(&self, token: &str, path: &str, body: &Value) -> Response {
        self.client.post(self.url(path)).bearer_auth(token).json(body).send().await.unwrap()
    }

    pub async fn patch(&self, token: &str, path: &str, body: &Value) -> Response {
        self.client.patch(self.url(path)).bearer_auth(token).json(body).send().await.unwrap()
    }

    /// Posts a CSV body (text or raw bytes) to `/api/v1/imports`.
    pub async fn post_csv(&self, token: &str, body: impl Into<reqwest::Body>) -> Response {
        self.client
            .post(self.url("/api/v1/imports?file_name=test.csv"))
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn delete(&self, token: &str, path: &str) -> Response {
        self.client.delete(self.url(path)).bearer_auth(token).send().await.unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        let postgres_db = self.postgres_db.take();
        // Stop the server and drop the test database from a thread of our own: Drop cannot
        // await, and the test's runtime is shutting down.
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                handle.stop(false).await;
                if let Some((admin_url, name)) = postgres_db
                    && let Ok(store) = Store::connect(&admin_url).await
                {
                    let _ = store.execute_raw(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                }
            });
        })
        .join()
        .ok();
    }
}

fn rand_bytes() -> [u8; 8] {
    use rand::RngCore;
    let mut bytes = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// Seeds the tree through the store's own functions.
async fn seed(store: &Store) -> Tree {
    let init = admin::Init {
        org_name: "Dist".into(),
        kind: OrgKind::Distributor,
        admin_email: Email::parse(D_ADMIN).unwrap(),
        admin_name: "D admin".into(),
        password_hash: password_hash(),
        created_at: chrono::Utc::now() - chrono::Duration::days(800),
    };
    let (dist, _) = admin::create_root(store, init, true).await.unwrap();
    let d = admin::scope_of(store, dist.id).await.unwrap();
    let org = |kind, parent: i64, name: &str, ext: &str| NewOrganization {
        kind,
        parent_id: Some(parent),
        name: name.into(),
        external_id: Some(ext.into()),
        domain: None,
        country: None,
        segment: None,
        status: None,
        created_at: None,
        closed_at: None,
        onboarding_stage: None,
        onboarding_stage_since: None,
        agreement_status: None,
        vetting_status: None,
        balance_currency: None,
        billing_accounts: None,
    };
    let r1 = organizations::create(store, &d, org(OrgKind::Reseller, dist.id, "Reseller One", "R1")).await.unwrap();
    let r2 = organizations::create(store, &d, org(OrgKind::Reseller, dist.id, "Reseller Two", "R2")).await.unwrap();
    let c1 = organizations::create(store, &d, org(OrgKind::Customer, r1.id, "Customer One", "C1")).await.unwrap();
    let c2 = organizations::create(store, &d, org(OrgKind::Customer, r2.id, "Customer Two", "C2")).await.unwrap();
    let logins = [
        (D_OPS, Role::Operations, dist.id),
        (D_MARKETING, Role::Marketing, dist.id),
        (D_VIEWER, Role::ReportViewer, dist.id),
        (D_EXEC, Role::ExecutiveViewer, dist.id),
        (R1_ADMIN, Role::Admin, r1.id),
        (R1_OPS, Role::Operations, r1.id),
        (R1_VIEWER, Role::ReportViewer, r1.id),
        (R2_ADMIN, Role::Admin, r2.id),
    ];
    for (email, role, org_id) in logins {
        let new = NewUser {
            org_id: Some(org_id),
            email: Email::parse(email).unwrap(),
            name: email.into(),
            role,
            password: PASSWORD.into(),
        };
        users::create(store, &d, new, password_hash()).await.unwrap();
    }
    Tree { distributor: dist.id, r1: r1.id, r2: r2.id, c1: c1.id, c2: c2.id }
}

/// Runs each named `async fn(TestApp)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::TestApp::sqlite().await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = $crate::helpers::TestApp::postgres().await {
                    super::$name(app).await;
                }
            }
        }
    )*};
}

/// Asserts a problem+json response with this status; returns its body.
/// The JSON of a GET that must answer 200 (the body shown when it does not).
pub async fn json_of(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get(token, path).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

pub async fn problem(response: Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status, "expected {status}");
    let content_type = response.headers().get("content-type").unwrap().to_str().unwrap().to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16());
    body
}

/// The fields named by a 422's `errors`.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str().map(str::to_owned)).collect()
}

/// The ids of a list response's items.
pub fn ids(page: &Value) -> Vec<i64> {
    page["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
}
