//! Partners (`/partners`, seed 001): the distributor's console on a day — the count tiles, each
//! opening the list it counts; partner acquisition this year against last; new partners; the
//! products whose chargeable units fell at a reseller; inactive new partners; and a search
//! across partners and customers as you type.

use domain::api::{AsOf, PartnersDashboard, PartnersQuery};
use leptos::prelude::*;
use leptos_router::components::A;
use rust_decimal::Decimal;

use super::as_of::{AsOfPicker, as_of_signal};
use crate::api;
use crate::components::{BarChart, Empty, KpiCard, Loaded, LocalColumn, LocalRow, LocalTable, Series, SortKey};
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

fn console(d: PartnersDashboard) -> impl IntoView {
    let locale = Locale::browser();
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
    let fall_rows: Vec<LocalRow> = d
        .decreasing_units
        .items
        .iter()
        .map(|f| LocalRow {
            cells: vec![
                format!("{} · {}", f.sku, f.product_name),
                f.reseller_name.clone(),
                f.previous_units.to_string(),
                f.last_units.to_string(),
                format::percent(f.change_pct, 2, &locale),
            ],
            keys: vec![
                SortKey::Text(f.sku.clone()),
                SortKey::Text(f.reseller_name.clone()),
                SortKey::Amount(f.previous_units),
                SortKey::Amount(f.last_units),
                SortKey::Amount(f.change_pct),
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
    let text = |label: &'static str| LocalColumn { label, numeric: false };
    let number = |label: &'static str| LocalColumn { label, numeric: true };
    let table = |columns, rows: Vec<LocalRow>, testid: &'static str, empty: &'static str, sorted| {
        if rows.is_empty() {
            view! { <Empty message=empty/> }.into_any()
        } else {
            view! { <LocalTable columns=columns rows=rows testid=testid sorted=sorted/> }.into_any()
        }
    };
    view! {
        <div class="kpis" data-testid="partner-tiles">
            {tile("Enabled customers", d.enabled_customers.count, &d.enabled_customers.list, "tile-enabled-customers")}
            {tile("Active partners", d.active_partners.count, &d.active_partners.list, "tile-active-partners")}
            {tile("Enabled service plans", d.enabled_service_plans.count, &d.enabled_service_plans.list, "tile-plans")}
        </div>
        <div class="kpis" data-testid="licence-tiles">{licences}</div>
        <section class="panel">
            <h2>"Partner acquisition"</h2>
            <BarChart categories=months series=series title="Resellers enrolled per month, this year against last" counts=true tick=count_tick/>
        </section>
        <section class="panel">
            <h2>{format!("New partners · {}", d.new_partners.total)}</h2>
            {table(vec![text("Partner"), text("Created"), text("Country"), number("Subscriptions"), number("Revenue")],
                new_rows, "new-partners", "No partner joined in the last 30 days.", (1, true))}
        </section>
        <section class="panel">
            <h2>{format!("Falling chargeable units · {}", d.decreasing_units.total)}</h2>
            <p class="muted">{format!(
                "{} against {}, falls of more than {} %.",
                d.decreasing_units.last_complete_month, d.decreasing_units.compared_with, d.decreasing_units.threshold_pct
            )}</p>
            {table(vec![text("Product"), text("Partner"), number("Units before"), number("Units last month"), number("Change")],
                fall_rows, "decreasing-units", "No product's units fell by more than the threshold.", (4, false))}
        </section>
        <section class="panel">
            <h2>{format!("Inactive new partners · {}", d.inactive_new_partners.total)}</h2>
            <p class="muted">{format!("Joined in the last {} days with no paid subscription yet.", d.inactive_new_partners.days)}</p>
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
    let data = LocalResource::new(move || {
        let query = PartnersQuery { as_of: as_of.get().and_then(|d| AsOf::new(d).ok()), ..Default::default() };
        api::partners(query)
    });
    view! {
        <div class="page-head">
            <h1>"Partners"</h1>
            <AsOfPicker/>
        </div>
        <Search/>
        <Loaded data=data view=console/>
    }
}
