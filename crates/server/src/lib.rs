//! Tierdash's HTTP server: the actix-web app, authentication, the OpenAPI document and the
//! command line of the `tierdash` binary.
//!
//! Handlers extract, authorise, make one store call and return a `domain::api` type; they hold
//! no SQL. Routes are registered through `utoipa_actix_web` so that the OpenAPI document is made
//! from the very list of services that serve.
//!
//! Main types: [`startup::Application`] (build, bind, run), [`config::Config`],
//! [`error::ApiError`], [`auth::Caller`].

pub mod answers;
pub mod api_paths;
pub mod auth;
pub mod cli;
pub mod config;
pub mod docs;
pub mod error;
pub mod extract;
pub mod import_progress;
pub mod jobs;
pub mod metrics;
pub mod problem_pages;
pub mod routes;
pub mod spa;
pub mod spec_rules;
pub mod startup;
pub mod state;
pub mod telemetry;
