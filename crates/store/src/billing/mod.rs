//! Billing data around the import (docs/import.md): fx rates, billing issues (the lines held
//! back from revenue, and re-rating them), and the history of import batches. The import
//! pipeline itself is [`crate::import`]; the rollups it maintains are [`crate::rollups`].

pub mod accounts;
pub mod batches;
pub mod fx_rates;
pub mod invoices;
pub mod issues;
pub mod unmapped;
