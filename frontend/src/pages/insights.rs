//! Insights (`/insights`, seed 002): reseller performance over a range of months — the four KPI
//! cards with their month-over-month lines, revenue by product family, adds and churns, the
//! families' top five, geography, customer segments, the resellers' revenue trend and agreement
//! statuses; each part downloads as CSV.

use chrono::NaiveDate;
use domain::api::{AsOf, InsightsQuery, ListParams, MonthParam, TopFive};
use domain::metrics::Month;
use leptos::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::as_of::{AsOfPicker, as_of_signal, today_utc};
use crate::api;
use crate::components::{
    BarChart, DonutChart, KpiCard, LineChart, Loaded, LocalColumn, LocalRow, LocalTable, MonthRange, MonthRangePicker,
    Series, Slice, SortKey, csv_button,
};
use crate::format::{self, Locale};

fn usd(v: Decimal) -> String {
    format::money(v, "USD", &Locale::browser())
}

fn money_tick(v: f64) -> String {
    format::money_short(Decimal::from_f64_retain(v).unwrap_or_default(), "USD", &Locale::browser())
}

fn count_tick(v: f64) -> String {
    format!("{v:.0}")
}

fn f(v: Decimal) -> f64 {
    v.to_f64().unwrap_or(0.0)
}

/// `Nov 2026` for `2026-11`.
fn month_label(m: &str) -> String {
    NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").map(format::month_short).unwrap_or_else(|_| m.to_owned())
}

/// The 12 months ending `day`'s.
fn default_range(day: Option<NaiveDate>) -> MonthRange {
    let last = Month::of(day.or_else(today_utc).unwrap_or_default());
    let months = last.trailing(12);
    MonthRange { from: months[0].to_string(), to: last.to_string() }
}

/// A panel's heading with its CSV download.
fn head(title: &'static str, path: String, file: String, testid: &'static str) -> impl IntoView {
    view! { <div class="panel-head"><h2>{title}</h2>{csv_button(path, file, testid)}</div> }
}

/// A customer segment as people write it: `SMB`, `Mid-market`, `Education`.
fn segment_label(segment: &str) -> String {
    match segment {
        "smb" => "SMB".into(),
        "mid_market" => "Mid-market".into(),
        other => format::words(other),
    }
}

/// The donut of a top five, its members named by `label`.
fn top_five(top: TopFive, title: &'static str, label: fn(&str) -> String) -> impl IntoView {
    let slices: Vec<Slice> = (top.ranking.iter())
        .map(|name| {
            let v = top.range_totals.get(name).copied().unwrap_or_default();
            Slice { name: label(name), value: f(v).max(0.0), shown: usd(v) }
        })
        .collect();
    let total: Decimal = top.range_totals.values().copied().sum();
    // The ring's hole fits a short figure; the legend beside it has every slice in full.
    view! { <DonutChart slices=slices title=title total=money_tick(f(total))/> }
}

/// The page.
#[component]
pub fn InsightsPage() -> impl IntoView {
    crate::components::title::set_title("Insights");
    let as_of = as_of_signal();
    let range = RwSignal::new(default_range(as_of.get_untracked()));
    let query = Memo::new(move |_| {
        let r = range.get();
        InsightsQuery {
            from: MonthParam::try_from(r.from).ok(),
            to: MonthParam::try_from(r.to).ok(),
            as_of: as_of.get().and_then(|d| AsOf::new(d).ok()),
            format: None,
        }
    });
    let file = move |view: &str| {
        let r = range.get_untracked();
        format!("insights-{view}-{}-{}.csv", r.from, r.to)
    };
    let summary = LocalResource::new(move || api::insights_summary(query.get()));
    let adds = LocalResource::new(move || api::adds_churns(query.get()));
    let products = LocalResource::new(move || api::insights_products(query.get()));
    let geography = LocalResource::new(move || api::insights_geography(query.get()));
    let segments = LocalResource::new(move || api::insights_segments(query.get()));
    let trend = LocalResource::new(move || {
        let list = ListParams { page: None, per_page: Some(100), q: None, sort: Some("-revenue".into()) };
        api::revenue_trend(query.get(), list)
    });
    let agreements = LocalResource::new(move || {
        api::insights_agreements(query.get(), ListParams { page: None, per_page: Some(1), q: None, sort: None })
    });
    let path = move |view: &str| api::insights_path(view, &query.get_untracked());

    let summary_view = move |s: domain::api::InsightsSummary| {
        let series = |pick: fn(&domain::api::InsightsMonth) -> f64| s.months.iter().map(pick).collect::<Vec<f64>>();
        let locale = Locale::browser();
        let months: Vec<String> = s.months.iter().map(|m| month_label(&m.month)).collect();
        let partial: Vec<bool> = s.months.iter().map(|m| m.partial).collect();
        let mut families: Vec<String> =
            s.months.iter().flat_map(|m| m.revenue_by_family.iter().flat_map(|b| b.keys().cloned())).collect();
        families.sort();
        families.dedup();
        let stacked: Vec<Series> = (families.iter())
            .map(|family| {
                let value = |m: &domain::api::InsightsMonth| {
                    m.revenue_by_family.as_ref().and_then(|b| b.get(family)).copied().unwrap_or_default()
                };
                Series {
                    name: family.clone(),
                    values: s.months.iter().map(|m| f(value(m))).collect(),
                    shown: s.months.iter().map(|m| usd(value(m))).collect(),
                }
            })
            .collect();
        let revenue = s.range.revenue.map(|total| {
            let trend = series(|m| m.revenue.map(f).unwrap_or(0.0));
            // Short, so that a distributor's millions fit the card (the CSV has the cents).
            let value = format::money_short(total, "USD", &locale);
            view! { <KpiCard label="Revenue" value=value trend=trend testid="kpi-revenue"/> }
        });
        let by_family = (!stacked.is_empty()).then(|| {
            view! {
                <section class="panel">
                    <h2>"Revenue by product family"</h2>
                    <BarChart categories=months series=stacked stacked=true timeline=true partial=partial
                        title="Revenue by product family and month" tick=money_tick/>
                </section>
            }
        });
        view! {
            <div class="kpis" data-testid="insights-kpis">
                <KpiCard label="Active resellers" value=format::count(s.range.active, &locale)
                    trend=series(|m| m.active as f64) testid="kpi-active"/>
                <KpiCard label="Transacting resellers" value=format::count(s.range.transacting, &locale)
                    trend=series(|m| m.transacting as f64) testid="kpi-transacting"/>
                <KpiCard label="New resellers" value=format::count(s.range.new, &locale)
                    trend=series(|m| m.new as f64) testid="kpi-new"/>
                {revenue}
            </div>
            {by_family}
        }
    };
    let adds_view = move |a: domain::api::AddsChurns| {
        let months: Vec<String> = a.months.iter().map(|m| month_label(&m.month)).collect();
        let partial: Vec<bool> = a.months.iter().map(|m| m.partial).collect();
        let line = |name: &str, pick: fn(&domain::api::AddsChurnsMonth) -> u64| Series {
            name: name.into(),
            values: a.months.iter().map(|m| pick(m) as f64).collect(),
            shown: a.months.iter().map(|m| pick(m).to_string()).collect(),
        };
        let series =
            vec![line("Enrolled", |m| m.enrolled), line("Churned", |m| m.churned), line("Existing", |m| m.existing)];
        view! {
            <BarChart categories=months series=series timeline=true partial=partial counts=true
                title="Resellers enrolled, churned and existing per month" tick=count_tick/>
        }
    };
    let products_view = move |p: domain::api::InsightsProducts| {
        let last = p.months.last().cloned();
        let rows: Vec<LocalRow> = (last.iter())
            .flat_map(|m| {
                m.subscriptions_by_product.iter().map(|(sku, n)| {
                    let licences = m.licenses_by_product.get(sku).copied().unwrap_or_default();
                    let locale = Locale::browser();
                    LocalRow {
                        cells: vec![
                            sku.clone(),
                            format::count(*n, &locale),
                            format::count(licences.max(0).unsigned_abs(), &locale),
                        ],
                        keys: vec![
                            SortKey::Text(sku.clone()),
                            SortKey::Amount(Decimal::from(*n)),
                            SortKey::Amount(Decimal::from(licences)),
                        ],
                    }
                })
            })
            .collect();
        let columns = vec![
            LocalColumn { label: "Product", numeric: false },
            LocalColumn { label: "Subscriptions", numeric: true },
            LocalColumn { label: "Licences", numeric: true },
        ];
        let month = last.map(|m| month_label(&m.month)).unwrap_or_default();
        view! {
            {p.revenue_top5.map(|top| top_five(top, "Revenue by product family over the range", str::to_owned))}
            <h3>{format!("Subscriptions and licences, {month}")}</h3>
            <LocalTable columns=columns rows=rows testid="insights-products" sorted=(1, true)/>
        }
    };
    let geography_view = move |g: domain::api::InsightsGeography| {
        let locale = Locale::browser();
        let rows: Vec<LocalRow> = (g.countries.iter())
            .map(|c| LocalRow {
                cells: vec![
                    c.country.clone(),
                    format::count(c.transacting, &locale),
                    format::count(c.new, &locale),
                    c.revenue.map(usd).unwrap_or_else(|| "—".into()),
                ],
                keys: vec![
                    SortKey::Text(c.country.clone()),
                    SortKey::Amount(Decimal::from(c.transacting)),
                    SortKey::Amount(Decimal::from(c.new)),
                    SortKey::Amount(c.revenue.unwrap_or_default()),
                ],
            })
            .collect();
        let columns = vec![
            LocalColumn { label: "Country", numeric: false },
            LocalColumn { label: "Transacting", numeric: true },
            LocalColumn { label: "New", numeric: true },
            LocalColumn { label: "Revenue", numeric: true },
        ];
        view! {
            {g.revenue_top5.map(|top| top_five(top, "Revenue by reseller country over the range", str::to_owned))}
            <LocalTable columns=columns rows=rows testid="insights-geography" sorted=(3, true)/>
        }
    };
    let segments_view = move |s: domain::api::InsightsSegments| {
        let locale = Locale::browser();
        let last = s.months.last().cloned();
        let held = |segment: &str| {
            let m = last.as_ref();
            let n = m.and_then(|m| m.subscriptions_by_segment.get(segment)).copied().unwrap_or_default();
            let l = m.and_then(|m| m.licenses_by_segment.get(segment)).copied().unwrap_or_default();
            (n, l)
        };
        let rows: Vec<LocalRow> = (s.segments.iter())
            .map(|seg| {
                let (n, l) = held(&seg.segment);
                LocalRow {
                    cells: vec![
                        segment_label(&seg.segment),
                        format::count(seg.customers, &locale),
                        format::count(n, &locale),
                        format::count(l.max(0).unsigned_abs(), &locale),
                        seg.revenue.map(usd).unwrap_or_else(|| "—".into()),
                    ],
                    keys: vec![
                        SortKey::Text(seg.segment.clone()),
                        SortKey::Amount(Decimal::from(seg.customers)),
                        SortKey::Amount(Decimal::from(n)),
                        SortKey::Amount(Decimal::from(l)),
                        SortKey::Amount(seg.revenue.unwrap_or_default()),
                    ],
                }
            })
            .collect();
        let month = last.map(|m| month_label(&m.month)).unwrap_or_default();
        let columns = vec![
            LocalColumn { label: "Segment", numeric: false },
            LocalColumn { label: "Customers", numeric: true },
            LocalColumn { label: "Subscriptions", numeric: true },
            LocalColumn { label: "Licences", numeric: true },
            LocalColumn { label: "Revenue, range", numeric: true },
        ];
        view! {
            {s.revenue_top5.map(|top| top_five(top, "Revenue by customer segment over the range", segment_label))}
            <p class="muted">{format!("Customers counted on the day; subscriptions and licences in {month}.")}</p>
            <LocalTable columns=columns rows=rows testid="insights-segments" sorted=(4, true)/>
        }
    };
    let trend_view = move |t: domain::api::Page<domain::api::ResellerTrend>| {
        let rows: Vec<LocalRow> = (t.items.iter())
            .map(|r| {
                let last = r.months.last().map(|m| m.revenue).unwrap_or_default();
                LocalRow {
                    cells: vec![r.name.clone(), usd(r.revenue), usd(last)],
                    keys: vec![SortKey::Text(r.name.clone()), SortKey::Amount(r.revenue), SortKey::Amount(last)],
                }
            })
            .collect();
        let columns = vec![
            LocalColumn { label: "Reseller", numeric: false },
            LocalColumn { label: "Revenue, range", numeric: true },
            LocalColumn { label: "Revenue, last month", numeric: true },
        ];
        let note = (t.total > t.items.len() as u64)
            .then(|| format!("The {} largest of {} resellers; the CSV holds them all.", t.items.len(), t.total));
        // The five largest as lines, month by month.
        let months: Vec<String> =
            t.items.first().map(|r| r.months.iter().map(|m| month_label(&m.month)).collect()).unwrap_or_default();
        let lines: Vec<Series> = (t.items.iter().take(5))
            .map(|r| Series {
                name: r.name.clone(),
                values: r.months.iter().map(|m| f(m.revenue)).collect(),
                shown: r.months.iter().map(|m| usd(m.revenue)).collect(),
            })
            .collect();
        let chart = (!lines.is_empty()).then(|| {
            view! { <LineChart categories=months series=lines title="The five largest resellers' revenue by month" tick=money_tick/> }
        });
        view! {
            {chart}
            <p class="muted">{note}</p>
            <LocalTable columns=columns rows=rows testid="insights-trend" sorted=(1, true)/>
        }
    };
    let agreements_view = move |a: domain::api::InsightsAgreements| {
        let list = |counts: std::collections::BTreeMap<String, u64>| {
            counts
                .into_iter()
                .map(|(status, n)| view! { <li>{format!("{}: {n}", status.replace('_', " "))}</li> })
                .collect_view()
        };
        view! {
            <div class="grid">
                <div><h3>"Agreement"</h3><ul data-testid="agreement-counts">{list(a.agreement_counts)}</ul></div>
                <div><h3>"Vetting"</h3><ul>{list(a.vetting_counts)}</ul></div>
            </div>
        }
    };
    view! {
        <div class="page-head">
            <h1>"Insights"</h1>
            <AsOfPicker/>
        </div>
        <MonthRangePicker range=range/>
        <div class="toolbar">{move || csv_button(path("summary"), file("summary"), "summary-csv")}</div>
        <Loaded data=summary view=summary_view/>
        <section class="panel">
            {move || head("Adds and churns", path("adds-churns"), file("adds-churns"), "adds-csv")}
            <Loaded data=adds view=adds_view/>
        </section>
        <section class="panel">
            {move || head("Products", path("products"), file("products"), "products-csv")}
            <Loaded data=products view=products_view/>
        </section>
        <section class="panel">
            {move || head("Geography", path("geography"), file("geography"), "geography-csv")}
            <Loaded data=geography view=geography_view/>
        </section>
        <section class="panel">
            {move || head("Customer segments", path("segments"), file("segments"), "segments-csv")}
            <Loaded data=segments view=segments_view/>
        </section>
        <section class="panel">
            {move || head("Revenue trend by reseller", path("revenue-trend"), file("revenue-trend"), "trend-csv")}
            <Loaded data=trend view=trend_view/>
        </section>
        <section class="panel">
            {move || head("Agreement status", path("agreements"), file("agreements"), "agreements-csv")}
            <Loaded data=agreements view=agreements_view/>
        </section>
    }
}
