//! Invoices (`/invoices`, `/invoices/:id`): what providers billed, by invoice, in the caller's
//! subtree — a payer's invoice shows each caller only its own customers' part. Opened from
//! Home's projection menu.

use domain::api::{Invoice, InvoiceDetail, InvoiceQuery, MonthParam};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use rust_decimal::Decimal;

use crate::api::{self, ApiFailure};
use crate::components::title::set_title;
use crate::components::{
    Column, DataTable, ErrorView, Loaded, LocalColumn, LocalRow, LocalTable, Row, SortKey, TablePage, TableState,
};
use crate::format::{Locale, count, money};

fn customers_text(invoice: &Invoice) -> String {
    match invoice.customers.as_slice() {
        [] => "—".into(),
        [one] => one.name.clone(),
        [first, rest @ ..] => format!("{} and {} more", first.name, rest.len()),
    }
}

fn row(key: i64, invoice: Invoice, locale: &Locale) -> Row {
    let currency = invoice.currency.as_str().to_owned();
    let amount = |v: Decimal| money(v, &currency, locale);
    Row {
        key,
        href: Some(format!("/invoices/{}", invoice.id)),
        cells: vec![
            // Without an invoice id the invoice is its account's statement of the period.
            invoice.invoice_id.clone().unwrap_or_else(|| invoice.billing_account_id.clone()),
            invoice.billing_period.clone(),
            invoice.provider.clone(),
            invoice.billing_account_name.clone().unwrap_or_else(|| invoice.billing_account_id.clone()),
            customers_text(&invoice),
            count(invoice.lines, locale),
            amount(invoice.billed_total),
            amount(invoice.tax),
            amount(invoice.credits),
        ],
    }
}

/// The invoices page.
#[component]
pub fn InvoicesPage() -> impl IntoView {
    set_title("Invoices");
    let state = TableState::new("");
    // This month's by default: without a period every line in scope is read.
    let this_month = super::as_of::today_utc().map(|d| d.format("%Y-%m").to_string()).unwrap_or_default();
    let period = RwSignal::new(this_month.clone());
    let query = move || InvoiceQuery { period: MonthParam::try_from(period.get()).ok(), format: None };
    let resource = LocalResource::new(move || {
        let list = state.list_params(25);
        let query = query();
        async move {
            let locale = Locale::browser();
            let page = api::invoices(list, query).await?;
            let first = (page.page.saturating_sub(1) * page.per_page) as i64;
            let rows = page.items.into_iter().enumerate().map(|(i, inv)| row(first + i as i64, inv, &locale)).collect();
            Ok(TablePage { total: page.total, page: page.page, per_page: page.per_page, rows })
        }
    });
    let failure = RwSignal::new(None::<ApiFailure>);
    let download = move |_| {
        let url = crate::api::with_query("/api/v1/invoices", &[&query()]);
        spawn_local(async move {
            failure.set(api::download_csv(&url, "invoices.csv").await.err());
        });
    };
    let columns = vec![
        Column::sorted("Invoice or account", "invoice_id"),
        Column::sorted("Period", "billing_period"),
        Column::sorted("Provider", "provider"),
        Column::sorted("Billing account", "billing_account_id"),
        Column::plain("Customers"),
        Column::sorted("Lines", "lines").numeric(),
        Column::sorted("Billed", "billed_total").numeric(),
        Column::plain("Tax").numeric(),
        Column::plain("Credits").numeric(),
    ];
    view! {
        <p><A href="/">"← Home"</A></p>
        <div class="page-head">
            <h1>"Invoices"</h1>
            <button type="button" data-testid="download-csv" on:click=download>"Download CSV"</button>
        </div>
        <p class="muted">"By the provider's invoice id where the export has one, else by billing account and billing period. Amounts in the invoice's currency, tax and credits included."</p>
        <div class="toolbar">
            <div>
                <label for="invoice-period">"Billing period"</label>
                <input id="invoice-period" type="month" data-testid="invoice-period" value=this_month
                    on:change=move |ev| { period.set(event_target_value(&ev)); state.page.set(1); }/>
            </div>
        </div>
        {move || failure.get().map(|e| view! { <ErrorView error=e/> })}
        <DataTable columns=columns state=state data=resource caption="Invoices"
            testid="invoices-table" empty="No invoice: imported lines appear here by invoice."
            search="Invoice, account or provider"/>
    }
}

/// One invoice: its figures, its customers' parts and its services.
#[component]
pub fn InvoicePage() -> impl IntoView {
    set_title("Invoice");
    let params = use_params_map();
    let invoice = LocalResource::new(move || {
        let id = params.get().get("id").unwrap_or_default();
        async move { api::invoice(&id).await }
    });
    let page = move |detail: InvoiceDetail| {
        let locale = Locale::browser();
        let inv = detail.invoice;
        let currency = inv.currency.as_str().to_owned();
        let amount = |v: Decimal| money(v, &currency, &locale);
        let title = inv.invoice_id.clone().map(|id| format!("Invoice {id}")).unwrap_or_else(|| {
            format!(
                "{} · {}",
                inv.billing_account_name.clone().unwrap_or_else(|| inv.billing_account_id.clone()),
                inv.billing_period
            )
        });
        set_title("Invoice");
        let facts = vec![
            ("Issuer", inv.issuer.clone().unwrap_or_else(|| inv.provider.clone())),
            (
                "Billing account",
                format!("{} ({})", inv.billing_account_name.clone().unwrap_or_default(), inv.billing_account_id),
            ),
            ("Period", inv.billing_period.clone()),
            ("Billed", amount(inv.billed_total)),
            ("Tax", amount(inv.tax)),
            ("Credits", amount(inv.credits)),
            ("Lines", count(inv.lines, &locale)),
            ("No customer yet", count(inv.unassigned_lines, &locale)),
        ];
        let facts = facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view();
        let customers: Vec<LocalRow> = inv
            .customers
            .iter()
            .map(|c| LocalRow {
                cells: vec![c.name.clone(), amount(c.billed)],
                keys: vec![SortKey::Text(c.name.clone()), SortKey::Amount(c.billed)],
            })
            .collect();
        // The category column only when the export has one.
        let categorised = detail.by_service.iter().any(|s| s.category.is_some());
        let services: Vec<LocalRow> = detail
            .by_service
            .iter()
            .map(|s| {
                let mut cells = vec![s.service.clone()];
                let mut keys = vec![SortKey::Text(s.service.clone())];
                if categorised {
                    cells.push(s.category.clone().unwrap_or_default());
                    keys.push(SortKey::Text(s.category.clone().unwrap_or_default()));
                }
                cells.extend([count(s.lines, &locale), amount(s.billed), amount(s.tax)]);
                keys.extend([
                    SortKey::Amount(Decimal::from(s.lines)),
                    SortKey::Amount(s.billed),
                    SortKey::Amount(s.tax),
                ]);
                LocalRow { cells, keys }
            })
            .collect();
        let mut service_columns = vec![LocalColumn { label: "Service", numeric: false }];
        if categorised {
            service_columns.push(LocalColumn { label: "Category", numeric: false });
        }
        service_columns.extend([
            LocalColumn { label: "Lines", numeric: true },
            LocalColumn { label: "Billed", numeric: true },
            LocalColumn { label: "Tax", numeric: true },
        ]);
        let billed_column = service_columns.len() - 2;
        view! {
            <h1>{title}</h1>
            <section class="panel"><dl class="details" data-testid="invoice-facts">{facts}</dl></section>
            <h2>"Customers"</h2>
            <LocalTable columns=vec![LocalColumn { label: "Customer", numeric: false }, LocalColumn { label: "Billed", numeric: true }]
                rows=customers testid="invoice-customers" sorted=(1, true)/>
            <h2>"Services"</h2>
            <LocalTable columns=service_columns rows=services testid="invoice-services" sorted=(billed_column, true)/>
        }
    };
    view! {
        <p><A href="/invoices">"← Invoices"</A></p>
        <Loaded data=invoice view=page/>
    }
}
