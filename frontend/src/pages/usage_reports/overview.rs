//! One reseller's usage overview in the month: its totals, its services, the resources behind
//! them per provider, and its organisation sites with the most lines.

use domain::api::{CustomerUsage, ResellerUsageOverview, ResourceUsage};
use domain::metrics::Month;
use leptos::prelude::*;
use rust_decimal::Decimal;

use super::resellers::services_text;
use super::summary::services_table;
use crate::api;
use crate::components::{Empty, KpiCard, Loaded, LocalColumn, LocalRow, LocalTable, SortKey};
use crate::format::{self, Locale};

/// A count as a cell and its sort key.
fn counted(n: u64, locale: &Locale) -> (String, SortKey) {
    (format::count(n, locale), SortKey::Amount(Decimal::from(n)))
}

/// A revenue as a cell and its sort key.
fn revenue(v: Option<Decimal>, locale: &Locale) -> (String, SortKey) {
    let v = v.unwrap_or_default();
    (format::money(v, "USD", locale), SortKey::Amount(v))
}

fn text(t: &str) -> (String, SortKey) {
    (t.to_owned(), SortKey::Text(t.to_owned()))
}

fn local_row(cells: Vec<(String, SortKey)>) -> LocalRow {
    let (cells, keys) = cells.into_iter().unzip();
    LocalRow { cells, keys }
}

/// Columns, the revenue one only for a role that sees it.
fn columns(labels: &[(&'static str, bool)], money: bool) -> Vec<LocalColumn> {
    labels
        .iter()
        .filter(|(label, _)| money || *label != "Revenue")
        .map(|&(label, numeric)| LocalColumn { label, numeric })
        .collect()
}

fn resources_table(resources: &[ResourceUsage], money: bool) -> AnyView {
    if resources.is_empty() {
        return view! { <Empty message="No provider billed this reseller this month."/> }.into_any();
    }
    let locale = Locale::browser();
    let rows = resources
        .iter()
        .map(|r| {
            let mut cells = vec![
                text(&r.provider),
                counted(r.services, &locale),
                counted(r.customers, &locale),
                counted(r.line_count, &locale),
            ];
            if money {
                cells.push(revenue(r.revenue, &locale));
            }
            local_row(cells)
        })
        .collect();
    let labels = [("Provider", false), ("Services", true), ("Sites", true), ("Lines", true), ("Revenue", true)];
    view! { <LocalTable columns=columns(&labels, money) rows=rows testid="overview-resources" sorted=(3, true)/> }
        .into_any()
}

fn customers_table(customers: &[CustomerUsage], money: bool) -> AnyView {
    if customers.is_empty() {
        return view! { <Empty message="No organisation site of this reseller has usage this month."/> }.into_any();
    }
    let locale = Locale::browser();
    let rows = customers
        .iter()
        .map(|c| {
            let names: Vec<String> = c.services.iter().map(|s| s.service.clone()).collect();
            let mut cells = vec![
                text(&c.name),
                text(c.domain.as_deref().unwrap_or("—")),
                text(&services_text(&names)),
                counted(c.line_count, &locale),
            ];
            if money {
                cells.push(revenue(c.revenue, &locale));
            }
            local_row(cells)
        })
        .collect();
    let labels =
        [("Organisation site", false), ("Domain", false), ("Services", false), ("Lines", true), ("Revenue", true)];
    view! { <LocalTable columns=columns(&labels, money) rows=rows testid="overview-customers" sorted=(3, true)/> }
        .into_any()
}

/// The overview; `back` is the reseller list's address, `sites` that of its organisation sites.
#[component]
pub fn ResellerOverview(
    id: i64,
    period: Memo<Month>,
    money: bool,
    #[prop(into)] back: String,
    #[prop(into)] sites: String,
) -> impl IntoView {
    let overview = LocalResource::new(move || api::usage_reseller(id, Some(period.get().into())));
    let shown = move |o: ResellerUsageOverview| {
        let locale = Locale::browser();
        let r = &o.reseller;
        let revenue = r.revenue.filter(|_| money).map(|v| {
            view! { <KpiCard label="Revenue" value=format::money_short(v, "USD", &locale) testid="kpi-overview-revenue"/> }
        });
        let whole = (o.customers_total > o.customers.len() as u64).then(|| {
            format!("The {} with the most lines of {}.", o.customers.len(), format::count(o.customers_total, &locale))
        });
        let facts = [r.external_id.clone(), r.domain.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
        view! {
            <div class="page-head">
                <h2 data-testid="overview-name">{r.name.clone()}</h2>
                <p class="muted">{facts}</p>
            </div>
            <div class="kpis" data-testid="overview-kpis">
                <KpiCard label="Organisation sites" value=format::count(o.customers_total, &locale) testid="kpi-overview-sites"/>
                <KpiCard label="Services" value=format::count(o.services.len() as u64, &locale) testid="kpi-overview-services"/>
                <KpiCard label="Lines" value=format::count(r.line_count, &locale) testid="kpi-overview-lines"/>
                {revenue}
            </div>
            <section class="panel">
                <h2>"Services"</h2>
                {services_table(&o.services, money, "overview-services")}
            </section>
            <section class="panel">
                <h2>"Resources by provider"</h2>
                {resources_table(&o.resources, money)}
            </section>
            <section class="panel">
                <div class="panel-head">
                    <h2>"Top organisation sites"</h2>
                    <a href=sites.clone() data-testid="overview-all-sites">"All organisation sites"</a>
                </div>
                {whole.map(|w| view! { <p class="muted">{w}</p> })}
                {customers_table(&o.customers, money)}
            </section>
        }
    };
    view! {
        <p><a href=back data-testid="overview-back">"← All resellers"</a></p>
        <Loaded data=overview view=shown/>
    }
}
