//! The reseller usage tab: every reseller with its usage in the month and its latest usage
//! report, searched and paged by the API; per reseller its overview, generating its CSV and,
//! once that is ready, downloading it.

use chrono::{DateTime, Utc};
use domain::api::{Page, Report, ResellerUsage};
use domain::kinds::{ReportKind, ReportStatus};
use domain::metrics::Month;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::live::{self, Live, status_badge, under_way};
use super::{Rights, failure_view};
use crate::api::{self, ApiFailure};
use crate::components::table::heading;
use crate::components::{Column, Empty, Loaded, Pager, TableState};
use crate::format::{self, Locale};

/// Resellers per page.
const PER_PAGE: u64 = 25;

/// The services of a row: the first three by name, and how many more.
pub fn services_text(names: &[String]) -> String {
    match names.len() {
        0 => "—".to_owned(),
        1..=3 => names.join(", "),
        n => format!("{} and {} more", names[..3].join(", "), n - 3),
    }
}

/// The report a reseller's row shows.
#[derive(Debug, Clone, PartialEq)]
struct RowReport {
    id: i64,
    status: ReportStatus,
    progress: u8,
    generated_at: Option<DateTime<Utc>>,
}

impl From<Report> for RowReport {
    fn from(r: Report) -> RowReport {
        RowReport { id: r.id, status: r.status, progress: r.progress, generated_at: r.generated_at }
    }
}

/// The newest of: the report requested for the reseller from this page, and the one the list
/// names (as last read when the page follows it).
fn row_report(live: Live, period: Month, r: &ResellerUsage) -> Option<RowReport> {
    let requested = live
        .newest(ReportKind::ResellerUsage, period, Some(r.id))
        .filter(|x| r.report_id.is_none_or(|listed| x.id >= listed));
    let listed = r.report_id.and_then(|id| live.get(id));
    match requested.or(listed) {
        Some(report) => Some(report.into()),
        None => match (r.report_id, r.report_status) {
            (Some(id), Some(status)) => Some(RowReport {
                id,
                status,
                progress: if status == ReportStatus::Ready { 100 } else { 0 },
                generated_at: r.report_generated_at,
            }),
            _ => None,
        },
    }
}

/// One reseller's row.
fn row(
    r: ResellerUsage,
    period: Month,
    live: Live,
    rights: Rights,
    overview: String,
    failure: RwSignal<Option<ApiFailure>>,
) -> impl IntoView {
    let locale = Locale::browser();
    let id = r.id;
    let services = services_text(&r.services);
    let all_services = r.services.join(", ");
    let revenue = rights.money.then(|| {
        view! { <td class="num">{r.revenue.map(|v| format::money(v, "USD", &locale)).unwrap_or_else(|| "—".into())}</td> }
    });
    let facts = (r.name.clone(), r.external_id.clone(), r.domain.clone(), r.customers, r.line_count);
    let report = Memo::new(move |_| row_report(live, period, &r));
    let busy = RwSignal::new(false);
    let generate = move |_| live::request(live, ReportKind::ResellerUsage, period, Some(id), busy, failure);
    let export = move |_| {
        let Some(report) = report.get_untracked() else { return };
        let file = format!("{}-{period}-{}.csv", ReportKind::ResellerUsage, report.id);
        spawn_local(async move {
            let path = format!("/api/v1/reports/{}/download", report.id);
            failure.set(api::download_csv(&path, &file).await.err());
        });
    };
    let ready = move || report.with(|r| r.as_ref().is_some_and(|r| r.status == ReportStatus::Ready));
    let working = move || busy.get() || report.with(|r| r.as_ref().is_some_and(|r| under_way(r.status)));
    let (name, external_id, domain, customers, lines) = facts;
    // Its external id and domain under its name: the table keeps its action column in view.
    let whose = [external_id, domain].into_iter().flatten();
    view! {
        <tr data-testid="row" data-reseller-id=id.to_string() data-lines=lines.to_string()>
            <td>
                <a href=overview.clone()>{name}</a>
                {whose.into_iter().map(|x| view! { <div class="muted small">{x}</div> }).collect_view()}
            </td>
            <td class="services" title=all_services>{services}</td>
            <td class="num">{format::count(customers, &locale)}</td>
            <td class="num">{format::count(lines, &locale)}</td>
            {revenue}
            <td class="nowrap">
                {move || match report.get() {
                    Some(r) => status_badge(r.status, r.progress, Some(r.id)).into_any(),
                    None => view! { <span class="muted" data-testid="report-status" data-status="none">"None yet"</span> }.into_any(),
                }}
            </td>
            <td>
                {move || report.get().and_then(|r| r.generated_at).map(format::moment).unwrap_or_else(|| "—".into())}
            </td>
            <td><div class="row-actions compact">
                <a href=overview class="button secondary" data-testid="reseller-overview">"Overview"</a>
                {rights.generate.then(|| view! {
                    <button type="button" class="secondary" data-testid="reseller-generate"
                        disabled=working on:click=generate>"Generate CSV"</button>
                })}
                <button type="button" data-testid="reseller-export" disabled=move || !ready() on:click=export
                    title="Downloads the reseller's latest usage report once it is ready">"Export CSV"</button>
            </div></td>
        </tr>
    }
}

/// The tab; `overview` gives the address of a reseller's overview.
#[component]
pub fn ResellersTab(
    period: Memo<Month>,
    state: TableState,
    live: Live,
    rights: Rights,
    #[prop(into)] overview: Callback<i64, String>,
) -> impl IntoView {
    let resellers = LocalResource::new(move || {
        let list = state.list_params(PER_PAGE);
        let period = period.get();
        async move {
            let page = api::usage_resellers(Some(period.into()), list).await?;
            // Reports already under way are followed from the start.
            let under_way = page.items.iter().filter(|r| r.report_status.is_some_and(under_way));
            for id in under_way.filter_map(|r| r.report_id).collect::<Vec<_>>() {
                if let Ok(report) = api::report(id).await {
                    live.follow(&[report]);
                }
            }
            Ok::<_, ApiFailure>(page)
        }
    });
    let failure = RwSignal::new(None::<ApiFailure>);
    let name_column = Column::sorted("Reseller", "name");
    let table = move |page: Page<ResellerUsage>| {
        if page.items.is_empty() {
            return view! { <Empty message="No reseller matches."/> }.into_any();
        }
        let (total, per_page) = (page.total, page.per_page);
        let period = period.get_untracked();
        let rows = page
            .items
            .into_iter()
            .map(|r| {
                let href = overview.run(r.id);
                row(r, period, live, rights, href, failure)
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table data-testid="reseller-usage-table">
                    <caption class="visually-hidden">"Reseller usage"</caption>
                    <thead><tr>
                        {heading(&name_column, state)}
                        <th scope="col">"Services"</th>
                        <th scope="col" class="num">"Sites"</th>
                        <th scope="col" class="num">"Lines"</th>
                        {rights.money.then(|| view! { <th scope="col" class="num">"Revenue"</th> })}
                        <th scope="col">"Report"</th>
                        <th scope="col">"Generated"</th>
                        <th scope="col">"Actions"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <Pager page=state.page total=total per_page=per_page/>
        }
        .into_any()
    };
    view! {
        <section class="panel" data-testid="reseller-usage">
            <h2>"Reseller usage"</h2>
            <div class="toolbar">
                <div>
                    <label for="reseller-usage-search">"Search"</label>
                    <input id="reseller-usage-search" type="search" data-testid="search" placeholder="Name, id or domain"
                        prop:value=move || state.q.get()
                        on:input=move |ev| { state.q.set(event_target_value(&ev)); state.page.set(1); }/>
                </div>
            </div>
            {failure_view(failure)}
            <Loaded data=resellers view=table/>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_names_three_services_and_counts_the_rest() {
        let names = |n: usize| (1..=n).map(|i| format!("S{i}")).collect::<Vec<_>>();
        assert_eq!(services_text(&names(0)), "—");
        assert_eq!(services_text(&names(3)), "S1, S2, S3");
        assert_eq!(services_text(&names(5)), "S1, S2, S3 and 2 more");
    }
}
