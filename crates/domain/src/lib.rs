//! Tierdash's domain: the vocabulary every other crate shares.
//!
//! - [`kinds`]: the closed sets of docs/data-model.md (organisation kinds, statuses, billing intervals…).
//! - [`codes`]: validated codes (country, currency, e-mail) whose only constructor checks them.
//! - [`roles`]: the role → permission table and the money table (docs/roles.md), in one place.
//! - [`api`]: the JSON wire types of the REST API, shared by the server and the frontend.
//!
//! This crate does no I/O and reads no clock (callers pass `as_of`), so it compiles to wasm32
//! for the frontend. OpenAPI schemas are derived only with the `openapi` feature.
#![deny(missing_docs)]

pub mod api;
pub mod codes;
pub mod column_map;
pub mod focus;
pub mod kinds;
pub mod metrics;
pub mod roles;
