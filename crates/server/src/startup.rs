//! Building the app: connect, migrate, bind, and serve the API, its OpenAPI document and the
//! docs page. Tests and the binary start the server through the same [`Application::build`].

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{Compress, NormalizePath, TrailingSlash, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use store::Store;
use tokio::sync::Notify;
use tracing_actix_web::TracingLogger;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::answers::Answers;
use crate::api_paths::ApiPaths;
use crate::auth::jwt::JwtKeys;
use crate::config::Config;
use crate::docs::ApiDoc;
use crate::extract::{MAX_JSON_BODY, path_error};
use crate::metrics::Metrics;
use crate::spa::{self, SpaDir};
use crate::state::AppState;
use crate::{problem_pages, routes, spec_rules};

/// The OpenAPI document, generated from the registered services, with the rules of
/// [`spec_rules`] applied.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) =
        App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(routes::configure).split_for_parts();
    let ruled = serde_json::to_value(&api).map(|mut spec| {
        spec_rules::apply(&mut spec);
        spec
    });
    // utoipa's own document always reads back; the unruled one is the fallback all the same.
    ruled.and_then(serde_json::from_value).unwrap_or(api)
}

/// The document as committed in `openapi/openapi.json`.
pub fn openapi_json() -> String {
    let mut json = openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Connects to the configured database, brings its schema up to date, starts the background
    /// jobs and binds.
    pub async fn build(config: &Config) -> anyhow::Result<Application> {
        let store = Store::connect(&config.database_url).await.context("connecting to the database")?;
        store.migrate().await.context("migrating the database")?;
        let reports_waiting = Arc::new(Notify::new());
        let metrics = web::Data::new(Metrics::default());
        crate::jobs::spawn_all(&store, &config.jobs, &reports_waiting, &metrics);
        Application::serve(config, store, reports_waiting, metrics)
    }

    /// Binds a server over an open store; `reports_waiting` wakes the report workers.
    fn serve(
        config: &Config,
        store: Store,
        reports_waiting: Arc<Notify>,
        metrics: web::Data<Metrics>,
    ) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(&config.bind).with_context(|| format!("binding {}", config.bind))?;
        let port = listener.local_addr()?.port();
        let answers = Arc::new(Answers::new(config.answer_cache_mb));
        if answers.keeps() {
            tokio::spawn(answers.clone().keep_refreshing(store.clone()));
        }
        let state = web::Data::new(AppState {
            store,
            jwt: JwtKeys::new(&config.jwt_secret, config.token_ttl),
            jobs: config.jobs.clone(),
            reports_waiting,
            unknown_logins: Default::default(),
            metrics_token: config.metrics_token.clone(),
            answers: answers.clone(),
        });
        let spa = SpaDir(config.static_dir.clone());
        // The document served is the committed one, rules applied (`spec_rules`).
        let spec = openapi();
        let api_paths = web::Data::new(ApiPaths::of(&spec));
        let mut server = HttpServer::new(move || {
            let (app, _) = App::new()
                .wrap(problem_pages::middleware())
                .wrap(Compress::default())
                .wrap(from_fn(crate::metrics::middleware::record))
                .wrap(NormalizePath::new(TrailingSlash::MergeOnly))
                .wrap(TracingLogger::default())
                .into_utoipa_app()
                .openapi(ApiDoc::openapi())
                .app_data(state.clone())
                .app_data(metrics.clone())
                .app_data(web::PayloadConfig::new(MAX_JSON_BODY))
                .app_data(web::PathConfig::default().error_handler(path_error))
                .configure(routes::configure)
                .split_for_parts();
            app.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", spec.clone()))
                .route("/api/docs", web::get().to(|| async { redirect("/api/docs/") }))
                .app_data(web::Data::new(spa.clone()))
                .app_data(api_paths.clone())
                .default_service(web::to(spa::serve))
        })
        .listen(listener)?
        .shutdown_timeout(20);
        if let Some(workers) = config.workers {
            server = server.workers(workers);
        }
        Ok(Application { port, server: server.run() })
    }

    /// The port bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle to stop the server.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight (up to 20 s).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn redirect(to: &'static str) -> HttpResponse {
    HttpResponse::Found().insert_header((actix_web::http::header::LOCATION, to)).finish()
}
