//! `/invoices`: the invoices of the imported billing data, in the caller's subtree, as JSON or
//! CSV (docs/import.md §12).

use actix_web::{get, web};
use domain::api::{INVOICE_SERVICE_SORTS, INVOICE_SORTS, Invoice, InvoiceDetail, InvoiceQuery, ListParams, Page, Sort};
use domain::roles::{MoneyFields, Permission};
use store::billing::invoices;
use utoipa_actix_web::service_config::ServiceConfig;

use super::dashboards::{CsvReport, CsvRow, Listed, Report};
use crate::auth::Caller;
use crate::docs::{AuthErrors, NotFound};
use crate::error::ApiError;
use crate::extract::ValidQuery;
use crate::state::AppState;

/// An invoice as a row of the list's CSV.
impl CsvRow for Invoice {
    const HEADER: &'static [&'static str] = &[
        "id",
        "invoice_id",
        "issuer",
        "provider",
        "billing_account_id",
        "billing_account_name",
        "billing_period",
        "currency",
        "billed_total",
        "tax",
        "credits",
        "lines",
        "unassigned_lines",
        "customers",
    ];

    fn cells(&self) -> Vec<String> {
        let i = self;
        vec![
            i.id.clone(),
            i.invoice_id.clone().unwrap_or_default(),
            i.issuer.clone().unwrap_or_default(),
            i.provider.clone(),
            i.billing_account_id.clone(),
            i.billing_account_name.clone().unwrap_or_default(),
            i.billing_period.clone(),
            i.currency.to_string(),
            i.billed_total.to_string(),
            i.tax.to_string(),
            i.credits.to_string(),
            i.lines.to_string(),
            i.unassigned_lines.to_string(),
            i.customers.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join("; "),
        ]
    }
}

/// An invoice's services as CSV.
impl CsvReport for InvoiceDetail {
    fn file_name(&self) -> String {
        let name = self.invoice.invoice_id.clone().unwrap_or_else(|| self.invoice.billing_account_id.clone());
        format!("invoice-{}-{}", name, self.invoice.billing_period)
    }

    fn header(&self) -> &'static [&'static str] {
        &["service", "category", "lines", "billed", "tax", "currency"]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        self.by_service
            .iter()
            .map(|s| {
                vec![
                    s.service.clone(),
                    s.category.clone().unwrap_or_default(),
                    s.lines.to_string(),
                    s.billed.to_string(),
                    s.tax.to_string(),
                    self.invoice.currency.to_string(),
                ]
            })
            .collect()
    }
}

/// The invoices of the caller's subtree: by `InvoiceId` where the export has one, else by
/// billing account and billing period, each with its issuer, account, period, currency, billed
/// total, tax, credits, lines and customers (a payer's invoice shows each caller only its
/// part). Paged; `format=csv` (or `Accept: text/csv`) lists them all as CSV.
#[utoipa::path(
    tag = "billing",
    params(InvoiceQuery, ListParams),
    responses(
        (status = 200, description = "A page of invoices as JSON, or all of them as CSV", content((Page<Invoice> = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/invoices")]
pub async fn list_invoices(
    caller: Caller,
    state: web::Data<AppState>,
    query: ValidQuery<InvoiceQuery>,
    list: ValidQuery<ListParams>,
) -> Result<Report<Listed<Invoice>>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    // Every figure of an invoice is money: refused to the roles that see no report money.
    caller.sees_money(MoneyFields::HomeReports)?;
    let list = list.check(INVOICE_SORTS)?;
    let mut all = invoices::list(&state.store, &caller.scope, query.period.map(|p| p.month()), list.sort).await?;
    if let Some(q) = list.q.as_deref().map(str::to_lowercase) {
        all.retain(|i| {
            [Some(&i.billing_account_id), i.invoice_id.as_ref(), i.billing_account_name.as_ref(), Some(&i.provider)]
                .into_iter()
                .flatten()
                .any(|text| text.to_lowercase().contains(&q))
        });
    }
    Ok(Report::new(Listed::paged(all, list.page, list.per_page, "invoices".into()), query.format))
}

/// One invoice of the caller's subtree with its lines summed by service (largest first, or by
/// `sort`: service, billed, lines); `format=csv` for the services as CSV.
#[utoipa::path(
    tag = "billing",
    params(("id" = String, Path, description = "The invoice's id, as listed"), InvoiceQuery, ListParams),
    responses(
        (status = 200, description = "The invoice as JSON, or its services as CSV", content((InvoiceDetail = "application/json"), (String = "text/csv"))),
        AuthErrors, NotFound
    ),
    security(("bearer" = []))
)]
#[get("/invoices/{id}")]
pub async fn get_invoice(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: ValidQuery<InvoiceQuery>,
    list: ValidQuery<ListParams>,
) -> Result<Report<InvoiceDetail>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    // Every figure of an invoice is money: refused to the roles that see no report money.
    caller.sees_money(MoneyFields::HomeReports)?;
    let list = list.check(INVOICE_SERVICE_SORTS)?;
    let mut detail = invoices::get(&state.store, &caller.scope, &id).await?;
    if let Some(Sort { field, descending }) = list.sort {
        detail.by_service.sort_by(|a, b| {
            let order = match field {
                "service" => a.service.cmp(&b.service),
                "lines" => a.lines.cmp(&b.lines),
                _ => a.billed.cmp(&b.billed),
            };
            if descending { order.reverse() } else { order }
        });
    }
    Ok(Report::new(detail, query.format))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_invoices).service(get_invoice);
}
