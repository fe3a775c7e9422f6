//! Partners (`/partners`, seed 001): the distributor's console on a day — the count tiles, each
//! opening the list it counts; partner acquisition this year against last; new partners; the
//! products whose chargeable units fell at a reseller (grouped by product, the threshold
//! editable); inactive new partners (the window editable); a search across partners and
//! customers as you type; and a CSV download of the console's figures and of each list.

use std::collections::BTreeMap;

use domain::api::{AsOf, CountTile, PartnersDashboard, PartnersQuery, UnitsDecrease};
use domain::kinds::{ReportCategory, ReportStatus};
use leptos::prelude::*;
use leptos_router::components::A;
use rust_decimal::Decimal;

use super::as_of::{AsOfPicker, as_of_signal};
use crate::api;
use crate::components::{
    BarChart, Empty, KpiCard, Loaded, LocalColumn, LocalRow, LocalTable, Series, SortKey, csv_button,
};
use crate::format::{self, Locale};

/// The app page a tile's API list is shown on: the same filters, on the customers or resellers
/// page.
fn page_of(list: &str) -> Option<String> {
    let query = list.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let rest: Vec<&str> = query.split('&').filter(|p| !p.starts_with("kind=")).collect();
    let path = if list.contains("kind=customer") {
        "/customers"
    } else if list.contains("kind=reseller") {
        "/resellers"
    } else if list.starts_with("/api/v1/service-plans") {
        "/service-plans"
    } else {
        return None;
    };
    Some(format!("{path}?{}", rest.join("&")))
}

fn tile(label: &str, count: u64, list: &str, testid: &'static str) -> AnyView {
    let value = format::count(count, &Locale::browser());
    let card = view! { <KpiCard label=label.to_owned() value=value testid=testid/> };
    match page_of(list) {
        Some(href) => view! { <A href=href attr:class="tile-link">{card}</A> }.into_any(),
        None => card.into_any(),
    }
}

fn month_label(key: &str) -> String {
    key.get(5..7)
        .and_then(|m| m.parse::<u32>().ok())
        .and_then(|m| chrono::NaiveDate::from_ymd_opt(2000, m, 1))
        .map(|d| format::month_short(d).split(' ').next().unwrap_or_default().to_owned())
        .unwrap_or_else(|| key.to_owned())
}

fn count_tick(v: f64) -> String {
    format!("{v:.0}")
}

/// The falls grouped by product, products in the order of their largest fall (the list's
/// order), each with its resellers.
fn fall_groups(falls: &[UnitsDecrease], locale: &Locale) -> AnyView {
    let mut groups: Vec<(&str, &str, Vec<&UnitsDecrease>)> = Vec::new();
    for f in falls {
        match groups.iter_mut().find(|(sku, _, _)| *sku == f.sku) {
            Some(group) => group.2.push(f),
            None => groups.push((&f.sku, &f.product_name, vec![f])),
        }
    }
    groups
        .into_iter()
        .map(|(sku, name, falls)| {
            let rows = falls
                .into_iter()
                .map(|f| {
                    view! {
                        <tr>
                            <td>{f.reseller_name.clone()}</td>
                            <td class="num">{f.previous_units.to_string()}</td>
                            <td class="num">{f.last_units.to_string()}</td>
                            <td class="num">{format::percent(f.change_pct, 2, locale)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="fall-group" data-testid="fall-group">
                    <h3>{format!("{sku} · {name}")}</h3>
                    <div class="table-wrap">
                        <table>
                            <thead><tr><th>"Partner"</th><th class="num">"Units before"</th>
                                <th class="num">"Units last month"</th><th class="num">"Change"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                </div>
            }
        })
        .collect_view()
        .into_any()
}

/// A category's report tile: how many of its reports requested in the last 30 days are in each
/// status, opening the reports page's list of that category.
fn report_tile(
    label: &'static str,
    category: ReportCategory,
    counts: &BTreeMap<String, CountTile>,
) -> impl IntoView + use<> {
    let locale = Locale::browser();
    let items = ReportStatus::ALL
        .iter()
        .map(|status| {
            let n = counts.get(status.as_str()).map_or(0, |t| t.count);
            view! {
                <li data-status=status.as_str()>
                    <span class=format!("badge status-{status}")>{format::words(status.as_str())}</span>
                    <strong data-testid="report-count">{format::count(n, &locale)}</strong>
                </li>
            }
        })
        .collect_view();
    view! {
        <A href=format!("/reports?tab=export&category={category}") attr:class="report-tile-link"
            attr:data-testid=format!("tile-{category}-reports")>
            <div class="panel kpi">
                <div class="label">{label}</div>
                <ul class="status-counts">{items}</ul>
                <div class="muted small">"Requested in the last 30 days"</div>
            </div>
        </A>
    }
}

/// The report tiles, for roles that see reports (billing: only roles that see money).
fn report_tiles(d: &PartnersDashboard) -> Option<impl IntoView + use<>> {
    if d.usage_report_status.is_none() && d.billing_report_status.is_none() {
        return None;
    }
    let usage = d.usage_report_status.as_ref().map(|c| report_tile("Usage reports", ReportCategory::Usage, c));
    let billing = d.billing_report_status.as_ref().map(|c| report_tile("Billing reports", ReportCategory::Billing, c));
    Some(view! { <div class="kpis" data-testid="report-tiles">{usage}{billing}</div> })
}

/// The choices of the falls' threshold and the inactive window, kept while the page is open.
#[derive(Clone, Copy)]
struct Choices {
    threshold: RwSignal<Option<Decimal>>,
    days: RwSignal<Option<u32>>,
}

/// The inactive windows offered, in days.
const WINDOWS: [u32; 5] = [30, 60, 90, 180, 365];

fn console(d: PartnersDashboard, choices: Choices) -> impl IntoView {
    let locale = Locale::browser();
    let day = d.as_of.clone();
    let reports = report_tiles(&d);
    let licences = d
        .customer_license_status
        .iter()
        .map(|(status, t)| {
            let label = format!("Customers, {} licence", status);
            view! { <div>{tile(&label, t.count, &t.list, "tile-licence")}</div> }
        })
        .collect_view();
    // Acquisition: the same month of both years side by side.
    let months: Vec<String> = d.partner_acquisition.last_year.keys().map(|k| month_label(k)).collect();
    let last: Vec<f64> = d.partner_acquisition.last_year.values().map(|n| *n as f64).collect();
    let this: Vec<f64> =
        (0..months.len()).map(|i| d.partner_acquisition.this_year.values().nth(i).map_or(0.0, |n| *n as f64)).collect();
    let shown = |values: &[f64]| values.iter().map(|v| format!("{v:.0}")).collect::<Vec<_>>();
    let year = d.as_of.get(..4).unwrap_or_default().to_owned();
    let last_year = year.parse::<i32>().map(|y| (y - 1).to_string()).unwrap_or_default();
    let series = vec![
        Series { name: last_year, shown: shown(&last), values: last },
        Series { name: year, shown: shown(&this), values: this },
    ];
    let money = |v: Option<Decimal>| v.map(|v| format::money(v, "USD", &locale)).unwrap_or_else(|| "—".into());
    let new_rows: Vec<LocalRow> = d
        .new_partners
        .items
        .iter()
        .map(|p| LocalRow {
            cells: vec![
                p.name.clone(),
                format::day(p.created_at.date_naive()),
                p.country.clone().unwrap_or_else(|| "—".into()),
                format::count(p.subscriptions, &locale),
                money(p.revenue),
            ],
            keys: vec![
                SortKey::Text(p.name.clone()),
                SortKey::Text(p.created_at.to_rfc3339()),
                SortKey::Text(p.country.clone().unwrap_or_default()),
                SortKey::Amount(Decimal::from(p.subscriptions)),
                SortKey::Amount(p.revenue.unwrap_or_default()),
            ],
        })
        .collect();
    let inactive_rows: Vec<LocalRow> = d
        .inactive_new_partners
        .items
        .iter()
        .map(|p| LocalRow {
            cells: vec![
                p.name.clone(),
                p.external_id.clone().unwrap_or_else(|| "—".into()),
                format::day(p.created_at.date_naive()),
            ],
            keys: vec![
                SortKey::Text(p.name.clone()),
                SortKey::Text(p.external_id.clone().unwrap_or_default()),
                SortKey::Text(p.created_at.to_rfc3339()),
            ],
        })
        .collect();
    let falls = match d.decreasing_units.items.is_empty() {
        true => view! { <Empty message="No product's units fell by more than the threshold."/> }.into_any(),
        false => fall_groups(&d.decreasing_units.items, &locale),
    };
    let shown_falls = d.decreasing_units.items.len() as u64;
    let more_falls = (d.decreasing_units.total > shown_falls).then(|| {
        view! { <p class="muted">{format!("The {shown_falls} largest falls are shown; the CSV holds all {}.", d.decreasing_units.total)}</p> }
    });
    let set_threshold = move |ev| {
        let value = event_target_value(&ev);
        match value.trim().parse::<Decimal>() {
            Ok(pct) if pct >= Decimal::ZERO && pct <= Decimal::ONE_HUNDRED => choices.threshold.set(Some(pct)),
            _ => choices.threshold.set(None),
        }
    };
    let days_now = d.inactive_new_partners.days;
    let set_days = move |ev| choices.days.set(event_target_value(&ev).parse().ok());
    let windows = WINDOWS
        .iter()
        .map(|w| view! { <option value=w.to_string() selected={*w == days_now}>{format!("{w} days")}</option> })
        .collect_view();
    let text = |label: &'static str| LocalColumn { label, numeric: false };
    let number = |label: &'static str| LocalColumn { label, numeric: true };
    let table = |columns, rows: Vec<LocalRow>, testid: &'static str, empty: &'static str, sorted| {
        if rows.is_empty() {
            view! { <Empty message=empty/> }.into_any()
        } else {
            view! { <LocalTable columns=columns rows=rows testid=testid sorted=sorted/> }.into_any()
        }
    };
    let console_csv = format!("/api/v1/dashboards/partners?as_of={day}");
    view! {
        <div class="toolbar">{csv_button(console_csv, format!("partners-{day}.csv"), "console-csv")}</div>
        <div class="kpis" data-testid="partner-tiles">
            {tile("Enabled customers", d.enabled_customers.count, &d.enabled_customers.list, "tile-enabled-customers")}
            {tile("Active partners", d.active_partners.count, &d.active_partners.list, "tile-active-partners")}
            {tile("Enabled service plans", d.enabled_service_plans.count, &d.enabled_service_plans.list, "tile-plans")}
        </div>
        <div class="kpis" data-testid="licence-tiles">{licences}</div>
        {reports}
        <section class="panel">
            <h2>"Partner acquisition"</h2>
            <BarChart categories=months series=series title="Resellers enrolled per month, this year against last" counts=true tick=count_tick/>
        </section>
        <section class="panel">
            <div class="panel-head">
                <h2>{format!("New partners · {}", d.new_partners.total)}</h2>
                {csv_button(d.new_partners.list.clone(), format!("new-partners-{day}.csv"), "new-partners-csv")}
            </div>
            {table(vec![text("Partner"), text("Created"), text("Country"), number("Subscriptions"), number("Revenue")],
                new_rows, "new-partners", "No partner joined in the last 30 days.", (1, true))}
        </section>
        <section class="panel">
            <div class="panel-head">
                <h2>{format!("Falling chargeable units · {}", d.decreasing_units.total)}</h2>
                {csv_button(d.decreasing_units.list.clone(), format!("falling-units-{day}.csv"), "falls-csv")}
            </div>
            <div class="toolbar">
                <div>
                    <label for="threshold">"Falls of more than (%)"</label>
                    <input id="threshold" type="number" min="0" max="100" step="1" inputmode="decimal"
                        data-testid="threshold" prop:value=d.decreasing_units.threshold_pct.to_string()
                        on:change=set_threshold/>
                </div>
                <p class="muted">{format!(
                    "Units of {} against {}, per product and partner.",
                    d.decreasing_units.last_complete_month, d.decreasing_units.compared_with
                )}</p>
            </div>
            <div data-testid="decreasing-units">{falls}</div>
            {more_falls}
        </section>
        <section class="panel">
            <div class="panel-head">
                <h2>{format!("Inactive new partners · {}", d.inactive_new_partners.total)}</h2>
                {csv_button(d.inactive_new_partners.list.clone(), format!("inactive-new-partners-{day}.csv"), "inactive-csv")}
            </div>
            <div class="toolbar">
                <div>
                    <label for="inactive-days">"Joined in the last"</label>
                    <select id="inactive-days" data-testid="inactive-days" on:change=set_days>{windows}</select>
                </div>
                <p class="muted">"with no paid subscription yet."</p>
            </div>
            {table(vec![text("Partner"), text("External id"), text("Created")],
                inactive_rows, "inactive-new-partners", "Every new partner has a paid subscription.", (2, true))}
        </section>
    }
}

/// The search box, with results as the user types.
#[component]
fn Search() -> impl IntoView {
    let q = RwSignal::new(String::new());
    let found = LocalResource::new(move || {
        let q = q.get().trim().to_owned();
        async move {
            match q.is_empty() {
                true => Ok(None),
                false => api::search(q).await.map(Some),
            }
        }
    });
    let results = move || {
        found.get().and_then(Result::ok).flatten().map(|page| {
            if page.items.is_empty() {
                return view! { <p class="muted">"Nothing found."</p> }.into_any();
            }
            view! {
                <ul class="search-results" data-testid="search-results">
                    {page.items.into_iter().map(|o| view! {
                        <li><A href=format!("/organizations/{}", o.id)>{o.name}</A>
                            <span class="muted">{format!(" · {} · {}", o.kind.as_str(), o.parent_name.unwrap_or_default())}</span></li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        })
    };
    view! {
        <div class="field">
            <label for="partner-search">"Find a partner or customer"</label>
            <input id="partner-search" type="search" placeholder="Name, id or domain" data-testid="partner-search"
                on:input=move |ev| q.set(event_target_value(&ev))/>
            {results}
        </div>
    }
}

/// The Partners page.
#[component]
pub fn PartnersPage() -> impl IntoView {
    crate::components::title::set_title("Partners");
    let as_of = as_of_signal();
    let choices = Choices { threshold: RwSignal::new(None), days: RwSignal::new(None) };
    let data = LocalResource::new(move || {
        let query = PartnersQuery {
            as_of: as_of.get().and_then(|d| AsOf::new(d).ok()),
            threshold_pct: choices.threshold.get(),
            inactive_days: choices.days.get(),
            format: None,
        };
        api::partners(query)
    });
    view! {
        <div class="page-head">
            <h1>"Partners"</h1>
            <AsOfPicker/>
        </div>
        <Search/>
        <Loaded data=data view=move |d| console(d, choices)/>
    }
}
