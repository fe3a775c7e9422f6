//! The summary tab: how many resellers and organisation sites had usage in the month, its lines
//! and revenue, and per service the consumed quantity, chargeable units, revenue and lines.

use domain::api::{ServiceUsage, UsageSummary};
use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::api::ApiFailure;
use crate::components::{Empty, KpiCard, Loaded, LocalColumn, LocalRow, LocalTable, SortKey};
use crate::format::{self, Locale};

/// The services' table (summary and reseller overview): service, provider, consumed quantity,
/// chargeable units, revenue (when the role sees it) and lines, most lines first.
pub fn services_table(services: &[ServiceUsage], money: bool, testid: &'static str) -> AnyView {
    if services.is_empty() {
        return view! { <Empty message="No service was billed this month yet."/> }.into_any();
    }
    let locale = Locale::browser();
    let rows = services
        .iter()
        .map(|s| {
            let mut cells = vec![
                s.service.clone(),
                s.provider.clone(),
                format::quantity(s.consumed_quantity, &locale),
                format::quantity(s.chargeable_units, &locale),
            ];
            let mut keys = vec![
                SortKey::Text(s.service.clone()),
                SortKey::Text(s.provider.clone()),
                SortKey::Amount(s.consumed_quantity),
                SortKey::Amount(s.chargeable_units),
            ];
            if money {
                let revenue = s.revenue.unwrap_or_default();
                cells.push(format::money(revenue, "USD", &locale));
                keys.push(SortKey::Amount(revenue));
            }
            cells.push(format::count(s.line_count, &locale));
            keys.push(SortKey::Amount(Decimal::from(s.line_count)));
            LocalRow { cells, keys }
        })
        .collect();
    let mut columns = vec![
        LocalColumn { label: "Service", numeric: false },
        LocalColumn { label: "Provider", numeric: false },
        LocalColumn { label: "Consumed quantity", numeric: true },
        LocalColumn { label: "Chargeable units", numeric: true },
    ];
    if money {
        columns.push(LocalColumn { label: "Revenue", numeric: true });
    }
    columns.push(LocalColumn { label: "Lines", numeric: true });
    let lines = columns.len() - 1;
    view! { <LocalTable columns=columns rows=rows testid=testid sorted=(lines, true)/> }.into_any()
}

/// The tab.
#[component]
pub fn SummaryTab(summary: LocalResource<Result<UsageSummary, ApiFailure>>, money: bool) -> impl IntoView {
    let shown = move |s: UsageSummary| {
        let locale = Locale::browser();
        // Revenue is shown whole in the card; the table and the CSV have the cents.
        let revenue = s.revenue.filter(|_| money).map(|r| {
            view! { <KpiCard label="Revenue" value=format::money_short(r, "USD", &locale) testid="kpi-usage-revenue"/> }
        });
        view! {
            <div class="kpis" data-testid="usage-kpis">
                <KpiCard label="Resellers" value=format::count(s.resellers, &locale) testid="kpi-usage-resellers"/>
                <KpiCard label="Organisation sites" value=format::count(s.customers, &locale) testid="kpi-usage-sites"/>
                <KpiCard label="Lines" value=format::count(s.line_count, &locale) testid="kpi-usage-lines"/>
                {revenue}
            </div>
            <section class="panel">
                <h2>"Services"</h2>
                {services_table(&s.services, money, "usage-services")}
            </section>
        }
    };
    view! { <Loaded data=summary view=shown/> }
}
