//! The export tab: generating a report of any kind for the month, and every report requested in
//! the caller's tree, newest first, each with its status (and progress, followed live), who
//! requested it, when it was generated and its rows; downloaded once ready, deleted by roles that
//! may.

use std::collections::BTreeMap;

use domain::api::{ListParams, Page, Report, ReportsFilter};
use domain::kinds::{ReportCategory, ReportKind, ReportStatus};
use domain::metrics::Month;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use super::live::{self, Live, kind_label, status_badge};
use super::{Rights, failure_view};
use crate::api::{self, ApiFailure};
use crate::components::{Empty, Loaded, Pager};
use crate::format::{self, Locale};

/// Reports per page.
const PER_PAGE: u64 = 20;

/// The names of the resellers the reports are limited to (one call per reseller: a page of
/// reports names few).
async fn reseller_names(reports: &[Report]) -> BTreeMap<i64, String> {
    let mut names = BTreeMap::new();
    for id in reports.iter().filter_map(|r| r.reseller_id) {
        if names.contains_key(&id) {
            continue;
        }
        if let Ok(org) = api::organization(id).await {
            names.insert(id, org.name);
        }
    }
    names
}

/// `November 2026` for `2026-11`.
fn month_words(period: &str) -> String {
    period.parse::<Month>().map(|m| format::month_name(m.first_day())).unwrap_or_else(|_| period.to_owned())
}

fn confirm(message: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(message).ok()).unwrap_or(false)
}

/// One report's row, its status as the page last read it.
fn row(
    listed: Report,
    reseller: Option<String>,
    live: Live,
    rights: Rights,
    failure: RwSignal<Option<ApiFailure>>,
) -> impl IntoView {
    let id = listed.id;
    let report = Memo::new(move |_| live.get(id).unwrap_or_else(|| listed.clone()));
    let first = report.get_untracked();
    let locale = Locale::browser();
    let download = move |_| live::download(report.get_untracked(), failure);
    let delete = move |_| {
        if !confirm("Delete this report and its CSV?") {
            return;
        }
        spawn_local(async move {
            match api::delete_report(id).await {
                Ok(()) => {
                    live.forget(id);
                    live.changed.try_update(|n| *n += 1);
                }
                Err(e) => {
                    failure.try_set(Some(e));
                }
            }
        });
    };
    let ready = move || report.with(|r| r.status == ReportStatus::Ready);
    view! {
        <tr data-testid="row" data-report-id=id.to_string()>
            <td>
                {kind_label(first.kind)}
                {reseller.map(|name| view! { <div class="muted">{name}</div> })}
            </td>
            <td>{month_words(&first.period)}</td>
            <td>
                {move || report.with(|r| status_badge(r.status, r.progress, Some(r.id)))}
                {move || report.with(|r| r.error.clone()).map(|e| view! { <div class="report-error">{e}</div> })}
            </td>
            <td>
                {first.requested_by.clone()}
                <div class="muted">{format::moment(first.requested_at)}</div>
            </td>
            <td class="nowrap">{move || report.with(|r| r.generated_at.map(format::moment).unwrap_or_else(|| "—".into()))}</td>
            <td class="num">{move || report.with(|r| r.row_count.map(|n| format::count(n, &locale)).unwrap_or_else(|| "—".into()))}</td>
            <td><div class="row-actions compact">
                <button type="button" data-testid="report-download" disabled=move || !ready() on:click=download>"Download"</button>
                {rights.generate.then(|| view! {
                    <button type="button" class="secondary" data-testid="report-delete" on:click=delete>"Delete"</button>
                })}
            </div></td>
        </tr>
    }
}

/// The buttons that request a report of each kind for the month.
fn generate_buttons(
    period: Memo<Month>,
    live: Live,
    rights: Rights,
    failure: RwSignal<Option<ApiFailure>>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    ReportKind::ALL
        .iter()
        .copied()
        // Billing reports are all money: not offered to a role that does not see it.
        .filter(|kind| rights.money || *kind != ReportKind::Billing)
        .map(|kind| {
            let ask = move |_| live::request(live, kind, period.get_untracked(), None, busy, failure);
            view! {
                <button type="button" class="secondary" data-testid=format!("generate-{kind}") disabled=move || busy.get()
                    on:click=ask>{kind_label(kind)}</button>
            }
        })
        .collect_view()
}

/// The tab; `filtered` gives the address of the list of one category (or all).
#[component]
pub fn ExportTab(
    period: Memo<Month>,
    category: Option<ReportCategory>,
    page: RwSignal<u64>,
    live: Live,
    rights: Rights,
    #[prop(into)] filtered: Callback<Option<ReportCategory>, String>,
) -> impl IntoView {
    let failure = RwSignal::new(None::<ApiFailure>);
    let reports = LocalResource::new(move || {
        live.changed.track();
        let list = ListParams {
            page: Some(page.get()),
            per_page: Some(PER_PAGE),
            q: None,
            sort: Some("-requested_at".into()),
        };
        let filter = ReportsFilter { category, ..Default::default() };
        async move {
            let found = api::reports(filter, list).await?;
            live.follow(&found.items);
            let names = reseller_names(&found.items).await;
            Ok::<_, ApiFailure>((found, names))
        }
    });
    let table = move |(found, names): (Page<Report>, BTreeMap<i64, String>)| {
        if found.items.is_empty() {
            let message = if rights.generate {
                "No report yet: generate one above."
            } else {
                "No report has been generated yet."
            };
            return view! { <Empty message=message/> }.into_any();
        }
        let (total, per_page) = (found.total, found.per_page);
        let rows = found
            .items
            .into_iter()
            .map(|r| {
                let reseller =
                    r.reseller_id.map(|id| names.get(&id).cloned().unwrap_or_else(|| format!("Reseller #{id}")));
                row(r, reseller, live, rights, failure)
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table data-testid="reports-table">
                    <caption class="visually-hidden">"Reports, newest first"</caption>
                    <thead><tr>
                        <th scope="col">"Report"</th>
                        <th scope="col">"Month"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Requested by"</th>
                        <th scope="col">"Generated"</th>
                        <th scope="col" class="num">"Rows"</th>
                        <th scope="col">"Actions"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <Pager page=page total=total per_page=per_page/>
        }
        .into_any()
    };
    let navigate = use_navigate();
    let pick_category = move |ev| {
        page.set(1);
        navigate(&filtered.run(event_target_value(&ev).parse().ok()), Default::default());
    };
    let option = move |value: &'static str, label: &'static str| {
        let selected = category.map(|c| c.as_str()).unwrap_or("") == value;
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        {rights.generate.then(|| view! {
            <section class="panel" data-testid="generate-reports">
                <h2>{move || format!("Generate for {}", format::month_name(period.get().first_day()))}</h2>
                <div class="generate-buttons">{generate_buttons(period, live, rights, failure)}</div>
            </section>
        })}
        <section class="panel" data-testid="reports">
            <div class="panel-head">
                <h2>"Reports"</h2>
                <div>
                    <label for="report-category">"Show"</label>
                    <select id="report-category" data-testid="report-category" on:change=pick_category>
                        {option("", "All reports")}
                        {option("usage", "Usage reports")}
                        {rights.money.then(|| option("billing", "Billing reports"))}
                    </select>
                </div>
            </div>
            {failure_view(failure)}
            <Loaded data=reports view=table/>
        </section>
    }
}
