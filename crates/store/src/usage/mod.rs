//! Usage (seed 003, docs/metrics.md §9): the scheduled usage update ([`refresh`]) and the pages
//! that read what it wrote ([`pages`]).

pub mod pages;
pub mod refresh;

pub use pages::{USAGE_SORTS, UsageAsk, organizations, reseller, resellers, summary};
pub use refresh::{Refreshed, default_months, refresh};
