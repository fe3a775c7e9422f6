//! Billing data in (DESIGN §3): fx rates, the all-or-nothing import pipeline, rating, the
//! monthly rollups it maintains in the same transaction, and billing issues.

pub mod batches;
mod bound_texts;
pub mod csv_source;
pub mod fx_rates;
pub mod import;
mod import_txn;
pub mod issues;
pub mod json_source;
mod line_insert;
mod rate_stage;
mod rating;
mod rollup_writes;
pub mod rollups;
mod stored_lines;
mod sums_table;

/// Rows handed from the parser to the importer at a time: large enough to insert in bulk,
/// small enough that memory stays bounded whatever the file size.
pub const CHUNK: usize = 1000;
