//! Invoices of the imported billing data.

use domain::api::{Invoice, InvoiceDetail, InvoiceQuery, ListParams, Page};

use super::{ApiFailure, get, with_query};

/// A page of invoices.
pub async fn invoices(list: ListParams, query: InvoiceQuery) -> Result<Page<Invoice>, ApiFailure> {
    get(&with_query("/api/v1/invoices", &[&list, &query])).await
}

/// One invoice with its services.
pub async fn invoice(id: &str) -> Result<InvoiceDetail, ApiFailure> {
    get(&format!("/api/v1/invoices/{id}")).await
}
