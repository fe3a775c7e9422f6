//! The reports behind the Home panes' menus: each a chart, a table and a CSV download of the
//! same figures (the server makes the CSV, so the download and the page agree).

use chrono::NaiveDate;
use domain::api::{RevenueFigures, RevenueReportQuery};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::as_of::{AsOfPicker, as_of_signal, with_as_of};
use super::revenue_customers::RevenueCustomersTable;
use super::shell::MeResource;
use crate::api::{self, ApiFailure};
use crate::components::anchor::scroll_to_fragment;
use crate::components::{BarChart, Empty, ErrorView, LineChart, Loaded, Series};
use crate::components::{LocalColumn, LocalRow, LocalTable, SortKey};
use crate::format::{self, Locale};

fn usd(v: Decimal) -> String {
    format::money(v, "USD", &Locale::browser())
}

/// A y tick: short money (`$1.5M`) so the axis keeps its room for the bars.
fn tick(v: f64) -> String {
    format::money_short(Decimal::from_f64_retain(v).unwrap_or_default(), "USD", &Locale::browser())
}

/// A month as every chart writes it (`Nov 2026`).
fn month_label(m: domain::metrics::Month) -> String {
    format::month_short(m.first_day())
}

fn f(v: Decimal) -> f64 {
    v.to_f64().unwrap_or(0.0)
}

/// The frame of a report: title, back link, day picker and the CSV button.
#[component]
fn ReportFrame(
    #[prop(into)] title: String,
    path: &'static str,
    file: &'static str,
    as_of: Memo<Option<NaiveDate>>,
    children: Children,
) -> impl IntoView {
    crate::components::title::set_title(&title);
    // The download is offered only to roles that see the report's money (GET /me says which).
    let me = use_context::<MeResource>();
    let may_download = move || me.and_then(|me| me.get()).and_then(Result::ok).is_some_and(|me| me.can_view_revenue);
    let failure = RwSignal::new(None::<ApiFailure>);
    let download = move |_| {
        let url = with_as_of(path, as_of.get_untracked());
        let name =
            format!("{file}-{}.csv", as_of.get_untracked().map(|d| d.to_string()).unwrap_or_else(|| "today".into()));
        spawn_local(async move {
            failure.set(api::download_csv(&url, &name).await.err());
        });
    };
    view! {
        <p><A href=move || with_as_of("/", as_of.get())>"← Home"</A></p>
        <div class="page-head">
            <h1>{title}</h1>
            <AsOfPicker/>
            <Show when=may_download>
                <button type="button" data-testid="download-csv" on:click=download>"Download CSV"</button>
            </Show>
        </div>
        {move || failure.get().map(|e| view! { <ErrorView error=e/> })}
        {children()}
    }
}

/// Names with their revenue, cost and margin, largest revenue first, searched, sorted and paged.
fn figures_table(testid: &'static str, rows: Vec<(String, RevenueFigures)>) -> impl IntoView {
    let money = |v: Decimal| (usd(v), SortKey::Amount(v));
    let rows = rows
        .into_iter()
        .map(|(name, fig)| {
            let (cells, keys): (Vec<String>, Vec<SortKey>) =
                [(name.clone(), SortKey::Text(name)), money(fig.total), money(fig.cost), money(fig.margin)]
                    .into_iter()
                    .unzip();
            LocalRow { cells, keys }
        })
        .collect();
    let columns = vec![
        LocalColumn { label: "Name", numeric: false },
        LocalColumn { label: "Revenue", numeric: true },
        LocalColumn { label: "Cost", numeric: true },
        LocalColumn { label: "Margin", numeric: true },
    ];
    view! { <LocalTable columns=columns rows=rows testid=testid sorted=(1, true)/> }
}

fn bar(title: &str, rows: &[(String, RevenueFigures)]) -> impl IntoView + use<> {
    let series = vec![Series {
        name: "Revenue".into(),
        values: rows.iter().map(|(_, v)| f(v.total)).collect(),
        shown: rows.iter().map(|(_, v)| usd(v.total)).collect(),
    }];
    view! { <BarChart categories=rows.iter().map(|(n, _)| n.clone()).collect() series=series title=title.to_owned() tick=tick/> }
}

/// This month's revenue by service and by customer account.
#[component]
pub fn RevenueReportPage() -> impl IntoView {
    let as_of = as_of_signal();
    let data = LocalResource::new(move || {
        api::revenue_report(RevenueReportQuery { as_of: api::as_of_param(as_of.get()), month: None, format: None })
    });
    view! {
        <ReportFrame title="Monthly revenue by service and account" path=api::reports::REVENUE file="revenue" as_of=as_of>
            <Loaded data=data view=move |r| {
                    let mut services: Vec<(String, RevenueFigures)> = r.by_service.clone().into_iter().collect();
                    services.sort_by_key(|s| std::cmp::Reverse(s.1.total));
                    let services_chart = bar("Revenue by service", &services[..services.len().min(12)]);
                    scroll_to_fragment();
                    view! {
                        <p class="muted">{format!("{} · revenue ", format::month_name(r.month.first_day()))} <strong data-testid="report-total">{usd(r.total.total)}</strong></p>
                        {if services.is_empty() { view! { <Empty message="No revenue this month yet."/> }.into_any() } else { ().into_any() }}
                        <section class="panel"><h2>"By service"</h2>{services_chart}{figures_table("by-service", services)}</section>
                        <section class="panel" id="by-customer">
                            <h2>"By customer account" <span class="muted">" · " {format::count(r.customers, &Locale::browser())}</span></h2>
                            <RevenueCustomersTable as_of=as_of/>
                        </section>
                    }
                    .into_any()
                }/>
        </ReportFrame>
    }
}

/// The projection by provider and service.
#[component]
pub fn ProjectionReportPage() -> impl IntoView {
    let as_of = as_of_signal();
    let data = LocalResource::new(move || api::projection_report(as_of.get()));
    view! {
        <ReportFrame title="Projected monthly revenue" path=api::reports::PROJECTION file="projection" as_of=as_of>
            <Loaded data=data view=move |r| match (r.projected.value, r.by_provider.clone(), r.rows.clone()) {
                    (Some(total), Some(by_provider), Some(rows)) => {
                        let providers: Vec<(String, Decimal)> = by_provider.into_iter().collect();
                        let series = vec![Series {
                            name: "Projected".into(),
                            values: providers.iter().map(|(_, v)| f(*v)).collect(),
                            shown: providers.iter().map(|(_, v)| usd(*v)).collect(),
                        }];
                        view! {
                            <p class="muted">{format!("{} · projected ", format::month_name(r.month.first_day()))} <strong data-testid="report-total">{usd(total)}</strong></p>
                            <section class="panel"><h2>"By provider"</h2>
                                <BarChart categories=providers.iter().map(|(p, _)| p.clone()).collect() series=series title="Projected revenue by provider" tick=tick/>
                            </section>
                            <section class="panel"><h2>"By provider and service"</h2>
                                {projection_table(rows)}
                            </section>
                        }
                        .into_any()
                    }
                    _ => view! { <Empty message=r.projected.reason.unwrap_or_default()/> }.into_any(),
                }/>
        </ReportFrame>
    }
}

/// The projection's (provider, service) pairs, largest projection first.
fn projection_table(rows: Vec<domain::api::ProjectionRow>) -> impl IntoView {
    let money = |v: Decimal| (usd(v), SortKey::Amount(v));
    let text = |t: String| (t.clone(), SortKey::Text(t));
    let rows = rows
        .into_iter()
        .map(|r| {
            let (cells, keys): (Vec<String>, Vec<SortKey>) =
                [text(r.provider), text(r.service), money(r.non_usage), money(r.usage_to_date), money(r.projected)]
                    .into_iter()
                    .unzip();
            LocalRow { cells, keys }
        })
        .collect();
    let columns = vec![
        LocalColumn { label: "Provider", numeric: false },
        LocalColumn { label: "Service", numeric: false },
        LocalColumn { label: "Non-usage", numeric: true },
        LocalColumn { label: "Usage to date", numeric: true },
        LocalColumn { label: "Projected", numeric: true },
    ];
    view! { <LocalTable columns=columns rows=rows testid="projection-rows" sorted=(4, true)/> }
}

/// Marketplace spend month over month.
#[component]
pub fn MarketplaceReportPage() -> impl IntoView {
    let as_of = as_of_signal();
    let data = LocalResource::new(move || api::marketplace_report(as_of.get()));
    let locale = Locale::browser();
    view! {
        <ReportFrame title="Marketplace spend, month over month" path=api::reports::MARKETPLACE file="marketplace" as_of=as_of>
            <Loaded data=data view=move |r| {
                    let series = vec![Series {
                        name: "Marketplace spend".into(),
                        values: r.months.iter().map(|m| f(m.spend)).collect(),
                        shown: r.months.iter().map(|m| usd(m.spend)).collect(),
                    }];
                    view! {
                        <section class="panel">
                            <BarChart categories=r.months.iter().map(|m| month_label(m.month)).collect() series=series title="Marketplace spend by month"
                                timeline=true partial=r.months.iter().map(|m| m.partial).collect() tick=tick/>
                            <div class="table-wrap"><table data-testid="marketplace-months">
                                <thead><tr><th>"Month"</th><th class="num">"Spend"</th><th class="num">"Change"</th></tr></thead>
                                <tbody>{r.months.iter().rev().map(|m| view! {
                                    <tr><td>{format::month_name(m.month.first_day())}{m.partial.then_some(" (to date)")}</td><td class="num">{usd(m.spend)}</td>
                                        <td class="num">{m.change_pct.map(|c| format::change(c, &locale)).unwrap_or_else(|| "—".into())}</td></tr>
                                }).collect_view()}</tbody>
                            </table></div>
                        </section>
                    }
                    .into_any()
                }/>
        </ReportFrame>
    }
}

/// The full revenue dashboard: 12-month trend by provider, top customers and services.
#[component]
pub fn RevenueOverviewPage() -> impl IntoView {
    let as_of = as_of_signal();
    let data = LocalResource::new(move || api::revenue_overview(as_of.get()));
    view! {
        <ReportFrame title="Revenue overview" path=api::reports::OVERVIEW file="revenue-overview" as_of=as_of>
            <Loaded data=data view=move |r| {
                    let months: Vec<String> = r.months.iter().map(|m| month_label(m.month)).collect();
                    let partial: Vec<bool> = r.months.iter().map(|m| m.partial).collect();
                    let line = |name: &str, pick: fn(&RevenueFigures) -> Decimal| Series {
                        name: name.into(),
                        values: r.months.iter().map(|m| f(pick(&m.total))).collect(),
                        shown: r.months.iter().map(|m| usd(pick(&m.total))).collect(),
                    };
                    let trend = vec![line("Revenue", |x| x.total), line("Cost", |x| x.cost), line("Margin", |x| x.margin)];
                    let mut providers: Vec<String> = r.months.iter().flat_map(|m| m.by_provider.keys().cloned()).collect();
                    providers.sort();
                    providers.dedup();
                    let stacked: Vec<Series> = providers.iter().map(|p| Series {
                        name: p.clone(),
                        values: r.months.iter().map(|m| m.by_provider.get(p).map(|x| f(x.total)).unwrap_or(0.0)).collect(),
                        shown: r.months.iter().map(|m| usd(m.by_provider.get(p).map(|x| x.total).unwrap_or_default())).collect(),
                    }).collect();
                    let ranked = |list: &[domain::api::RankedRevenue]| list.iter().map(|x| (x.name.clone(), x.figures.clone())).collect::<Vec<_>>();
                    view! {
                        <section class="panel"><h2>"Revenue, cost and margin"</h2>
                            <LineChart categories=months.clone() series=trend title="Revenue, cost and margin by month" partial=partial.clone() tick=tick/>
                        </section>
                        <section class="panel"><h2>"Revenue by provider"</h2>
                            <BarChart categories=months series=stacked stacked=true timeline=true partial=partial title="Revenue by provider and month" tick=tick/>
                        </section>
                        <div class="grid">
                            <section class="panel"><h2>"Top customers"</h2>{figures_table("top-customers", ranked(&r.top_customers))}</section>
                            <section class="panel"><h2>"Top services"</h2>{figures_table("top-services", ranked(&r.top_services))}</section>
                        </div>
                    }
                    .into_any()
                }/>
        </ReportFrame>
    }
}
