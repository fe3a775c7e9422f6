//! The reseller's portal (seed 004): statistics with the balance, recurring costs by interval,
//! the active-users graph, activating a product, the activated products with renew,
//! pause/resume and deactivate (each confirmed with its amount), the top-up history and a
//! key-stats CSV. Money is moved only by the server; this page asks and shows.

use domain::api::{Activation, ActiveUsersRange, ListParams, NewActivation, PortalSummary};
use domain::kinds::{LedgerKind, OrgKind, SubscriptionStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;

use crate::api::{self, ApiFailure};
use crate::components::{Empty, ErrorView, KpiCard, LineChart, Loading, Series};
use crate::format::{self, Locale};

fn money(v: Decimal, currency: &str) -> String {
    format::money(v, currency, &Locale::browser())
}

fn whole(v: f64) -> String {
    format!("{v:.0}")
}

fn confirm(message: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(message).ok()).unwrap_or(false)
}

/// The monthly key stats as CSV (what the statistics and recurring panes show).
fn key_stats_csv(s: &PortalSummary) -> String {
    let mut out = String::from("as_of,metric,interval,count,amount,currency\n");
    let c = s.currency.as_str();
    out += &format!("{},active_users,,{},,\n", s.as_of, s.active_users);
    out += &format!("{},active_software,,{},,\n", s.as_of, s.active_software);
    out += &format!("{},balance,,,{},{c}\n", s.as_of, s.balance);
    out += &format!("{},due_next_30_days,,,{},{c}\n", s.as_of, s.due_next_30_days);
    for r in &s.recurring {
        out += &format!("{},recurring,{},{},{},{c}\n", s.as_of, r.interval.as_str(), r.count, r.total_per_interval);
        out += &format!(
            "{},monthly_equivalent,{},{},{},{c}\n",
            s.as_of,
            r.interval.as_str(),
            r.count,
            r.monthly_equivalent
        );
    }
    out
}

fn summary_view(s: PortalSummary) -> impl IntoView {
    let c = s.currency.as_str().to_owned();
    let csv = key_stats_csv(&s);
    let name = format!("key-stats-{}.csv", s.as_of);
    view! {
        <div class="grid">
            <KpiCard label="Active users (30 days)" value=s.active_users.to_string() testid="kpi-active-users"/>
            <KpiCard label="Active software" value=s.active_software.to_string() testid="kpi-active-software"/>
            <div class="pane">
                <KpiCard label="Balance" value=money(s.balance, &c) testid="kpi-balance"/>
                {s.low_balance.then(|| view! {
                    <p class="error" data-testid="low-balance">{format!("Renewals of the next 30 days need {}: top up soon.", money(s.due_next_30_days, &c))}</p>
                })}
            </div>
        </div>
        <section class="panel">
            <h2>"Recurring costs"</h2>
            <table data-testid="recurring">
                <thead><tr><th>"Interval"</th><th class="num">"Products"</th><th class="num">"Per interval"</th><th class="num">"Per month"</th><th>"Next renewal"</th></tr></thead>
                <tbody>{s.recurring.iter().map(|r| view! {
                    <tr><td>{r.interval.as_str()}</td><td class="num">{r.count}</td><td class="num">{money(r.total_per_interval, &c)}</td>
                        <td class="num">{money(r.monthly_equivalent, &c)}</td><td>{r.next_renewal.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td></tr>
                }).collect_view()}</tbody>
            </table>
            <button type="button" class="secondary" data-testid="key-stats-csv" on:click=move |_| { let _ = api::save_file(&csv, &name); }>"Download key stats (CSV)"</button>
        </section>
    }
}

#[component]
fn ActiveUsersGraph() -> impl IntoView {
    let range = RwSignal::new(ActiveUsersRange::Days30);
    let series = LocalResource::new(move || api::active_users(range.get()));
    let pick = move |r: ActiveUsersRange, label: &'static str| {
        view! {
            <button type="button" class=move || if range.get() == r { "" } else { "secondary" } on:click=move |_| range.set(r)>{label}</button>
        }
    };
    view! {
        <section class="panel">
            <h2>"Active users"</h2>
            <div class="toolbar">{pick(ActiveUsersRange::Days7, "7 days")}{pick(ActiveUsersRange::Days30, "30 days")}{pick(ActiveUsersRange::Months6, "6 months")}</div>
            {move || match series.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                Some(Ok(s)) => {
                    let line = vec![Series {
                        name: "Active users".into(),
                        values: s.points.iter().map(|p| p.users as f64).collect(),
                        shown: s.points.iter().map(|p| p.users.to_string()).collect(),
                    }];
                    let days: Vec<String> = s.points.iter().map(|p| format::day(p.start)[5..].to_owned()).collect();
                    view! { <LineChart categories=days series=line title="Active users" tick=whole/> }.into_any()
                }
            }}
        </section>
    }
}

/// The portal page.
#[component]
pub fn Portal() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let summary = LocalResource::new(move || {
        version.track();
        api::portal_summary()
    });
    let list = LocalResource::new(move || {
        version.track();
        api::activations(ListParams { per_page: Some(100), sort: Some("-id".into()), ..Default::default() })
    });
    let top_ups = LocalResource::new(move || {
        version.track();
        api::ledger(ListParams { per_page: Some(20), ..Default::default() }, Some(LedgerKind::TopUp))
    });
    let plans = LocalResource::new(api::service_plans);
    let customers = LocalResource::new(|| {
        api::organizations(
            ListParams { per_page: Some(500), sort: Some("name".into()), ..Default::default() },
            domain::api::OrganizationFilter { kind: Some(OrgKind::Customer), ..Default::default() },
        )
    });
    let failure = RwSignal::new(None::<ApiFailure>);
    let hint = RwSignal::new(None::<&'static str>);
    let done = move |result: Result<Activation, ApiFailure>| match result {
        Ok(_) => {
            failure.set(None);
            version.update(|v| *v += 1);
        }
        Err(e) => failure.set(Some(e)),
    };
    let (plan_id, customer_id, quantity) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new("1".to_owned()));
    let activate = move |_| {
        let (Ok(plan), Ok(customer), Ok(qty)) =
            (plan_id.get().parse::<i64>(), customer_id.get().parse::<i64>(), quantity.get().parse::<i64>())
        else {
            hint.set(Some("Choose a plan, a client and a number of seats."));
            return;
        };
        hint.set(None);
        let price = plans
            .get()
            .and_then(Result::ok)
            .and_then(|p| p.items.into_iter().find(|x| x.id == plan))
            .map(|p| money(p.price * Decimal::from(qty), p.currency.as_str()))
            .unwrap_or_default();
        if !confirm(&format!("Activate it for {price}? The first interval is paid from your balance now.")) {
            return;
        }
        let key = api::new_idempotency_key();
        spawn_local(async move {
            let new = NewActivation { plan_id: plan, quantity: qty, customer_id: Some(customer), client_email: None };
            done(api::activate(&new, &key).await);
        });
    };
    let act = move |a: Activation, action: &'static str| {
        let amount = money(a.price_per_interval, a.currency.as_str());
        let question = match action {
            "renew" => {
                format!("Renew {} for one more {} interval: {amount}?", a.product_name, a.billing_interval.as_str())
            }
            "deactivate" => format!(
                "Deactivate {}? It stops renewing at the end of the paid period (no refund unless the plan allows one).",
                a.product_name
            ),
            other => format!("{other} {}?", a.product_name),
        };
        if confirm(&question) {
            let key = api::new_idempotency_key();
            spawn_local(async move { done(api::change_activation(a.id, action, &key).await) });
        }
    };
    view! {
        <h1>"Portal"</h1>
        {move || match summary.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
            Some(Ok(s)) => summary_view(s).into_any(),
        }}
        <ActiveUsersGraph/>
        <section class="panel">
            <h2>"Activate a product"</h2>
            <div class="toolbar">
                <div><label for="plan">"Plan"</label>
                    <select id="plan" data-testid="activate-plan" on:change=move |ev| plan_id.set(event_target_value(&ev))>
                        <option value="">"Choose…"</option>
                        {move || plans.get().and_then(Result::ok).map(|p| p.items.into_iter().map(|x| {
                            let label = format!("{} — {}", x.name, money(x.price, x.currency.as_str()));
                            view! { <option value=x.id.to_string()>{label}</option> }
                        }).collect_view())}
                    </select></div>
                <div><label for="client">"Client"</label>
                    <select id="client" data-testid="activate-client" on:change=move |ev| customer_id.set(event_target_value(&ev))>
                        <option value="">"Choose…"</option>
                        {move || customers.get().and_then(Result::ok).map(|p| p.items.into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view())}
                    </select></div>
                <div><label for="qty">"Seats"</label>
                    <input id="qty" type="number" min="1" data-testid="activate-quantity" prop:value=move || quantity.get() on:input=move |ev| quantity.set(event_target_value(&ev))/></div>
                <button type="button" data-testid="activate-submit" on:click=activate>"Activate"</button>
            </div>
            {move || hint.get().map(|h| view! { <p class="error">{h}</p> })}
            {move || failure.get().map(|e| view! { <ErrorView error=e/> })}
        </section>
        <section class="panel">
            <h2>"Activated products"</h2>
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <Empty message="Nothing activated yet."/> }.into_any(),
                Some(Ok(page)) => view! {
                    <table data-testid="activations">
                        <thead><tr><th>"Product"</th><th>"Client"</th><th>"Activated"</th><th>"Status"</th><th>"Next renewal"</th><th class="num">"Per interval"</th><th></th></tr></thead>
                        <tbody>{page.items.into_iter().map(|a| {
                            let (r, p, d) = (a.clone(), a.clone(), a.clone());
                            let paused = a.status == SubscriptionStatus::Paused;
                            let live = matches!(a.status, SubscriptionStatus::Active | SubscriptionStatus::Paused);
                            view! {
                                <tr data-testid="activation">
                                    <td>{a.product_name.clone()}</td><td>{a.assigned_client.clone().unwrap_or_default()}</td>
                                    <td>{a.activated_on.to_string()}</td><td>{a.status.as_str()}</td>
                                    <td>{a.next_renewal.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td>
                                    <td class="num">{money(a.price_per_interval, a.currency.as_str())}</td>
                                    <td>{live.then(|| view! {
                                        <button type="button" class="secondary" on:click=move |_| act(r.clone(), "renew")>"Renew"</button>
                                        <button type="button" class="secondary" on:click=move |_| act(p.clone(), if paused { "resume" } else { "pause" })>{if paused { "Resume" } else { "Pause" }}</button>
                                        <button type="button" class="secondary" on:click=move |_| act(d.clone(), "deactivate")>"Deactivate"</button>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
        </section>
        <section class="panel">
            <h2>"Top-ups"</h2>
            {move || match top_ups.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <Empty message="No top-ups yet."/> }.into_any(),
                Some(Ok(page)) => view! {
                    <table data-testid="top-ups">
                        <thead><tr><th>"Date"</th><th>"Reference"</th><th class="num">"Amount"</th><th class="num">"Balance after"</th></tr></thead>
                        <tbody>{page.items.into_iter().map(|e| view! {
                            <tr><td>{format::day(e.created_at.date_naive())}</td><td>{e.reference.clone().unwrap_or_default()}</td>
                                <td class="num">{money(e.amount, e.currency.as_str())}</td><td class="num">{money(e.balance_after, e.currency.as_str())}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
