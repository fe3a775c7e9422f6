//! Invoices of the imported billing data (docs/import.md §12): what providers billed, by invoice.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::api::{MonthParam, ReportFormat};
use crate::codes::CurrencyCode;

/// An invoice as the imported lines show it, in the caller's scope: by `InvoiceId` where the
/// export has one (FOCUS 1.2+), else by billing account and billing period. A payer's invoice
/// spans several customers; each caller sees only the part of its subtree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    /// A stable id, made from the invoice's key (the same import gives the same id).
    pub id: String,
    /// `InvoiceId`, when the export has one.
    pub invoice_id: Option<String>,
    /// `InvoiceIssuerName`, when given.
    pub issuer: Option<String>,
    /// The provider.
    pub provider: String,
    /// The billing account invoiced.
    pub billing_account_id: String,
    /// Its name in the export.
    pub billing_account_name: Option<String>,
    /// The billing period, `YYYY-MM`.
    pub billing_period: String,
    /// The currency billed.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "USD"))]
    pub currency: CurrencyCode,
    /// Every line's `BilledCost`, tax and credits included, in `currency` (2 places, half to even).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1234.56"))]
    pub billed_total: Decimal,
    /// The Tax lines' part of it.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12.00"))]
    pub tax: Decimal,
    /// The Credit lines' part of it (usually negative).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "-5.00"))]
    pub credits: Decimal,
    /// Lines in it (in scope).
    pub lines: u64,
    /// Lines whose customer is not known yet (held back, `docs/import.md §6`).
    pub unassigned_lines: u64,
    /// The customers in it, largest part first.
    pub customers: Vec<InvoiceCustomer>,
}

/// A customer's part of an invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceCustomer {
    /// The customer.
    pub customer_id: i64,
    /// Its name.
    pub name: String,
    /// Its part of `billed_total` (2 places, half to even).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "100.00"))]
    pub billed: Decimal,
}

/// An invoice with its lines summed by service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceDetail {
    /// The invoice.
    pub invoice: Invoice,
    /// Its lines by service, largest first.
    pub by_service: Vec<InvoiceService>,
}

/// One service's part of an invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceService {
    /// `ServiceName`.
    pub service: String,
    /// `ServiceCategory`, when given.
    pub category: Option<String>,
    /// Lines.
    pub lines: u64,
    /// Their `BilledCost` (2 places, half to even).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "100.00"))]
    pub billed: Decimal,
    /// The Tax lines' part of it.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "0.00"))]
    pub tax: Decimal,
}

/// Filters and format of `GET /invoices` and `GET /invoices/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct InvoiceQuery {
    /// Only this billing period, `YYYY-MM`.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "2026-10"))]
    pub period: Option<MonthParam>,
    /// `csv` for the whole list (every page) as CSV; default JSON, or CSV when `Accept` names it.
    pub format: Option<ReportFormat>,
}

/// Fields `GET /invoices` sorts by (default: latest period first, then largest).
pub const INVOICE_SORTS: &[&str] =
    &["billing_period", "billed_total", "lines", "billing_account_id", "invoice_id", "provider"];

/// Fields `GET /invoices/{id}` sorts its services by (default: largest first).
pub const INVOICE_SERVICE_SORTS: &[&str] = &["service", "billed", "lines"];
