//! API tests: the real server over HTTP, each test on a fresh SQLite database and, when
//! `TIERDASH_TEST_POSTGRES_URL` is set, again on a fresh PostgreSQL database. Modules mirror
//! the URL tree.

mod helpers;

mod account_days;
mod answers;
mod api_keys;
mod auth;
mod catalog;
mod dashboards;
mod demo;
mod health;
mod http_edges;
mod imports;
mod insights;
mod metrics;
mod openapi;
mod organizations;
mod partners;
mod portal;
mod provider_exports;
mod roles_table;
mod rollup_property;
mod segment_days;
mod spa;
mod subscriptions;
mod usage_reports;
mod users;
