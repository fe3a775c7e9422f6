//! The portal's statistics: active users and software, the balance (with a low-balance warning),
//! recurring costs by interval, and the key stats as CSV.

use domain::api::PortalSummary;
use leptos::prelude::*;

use super::money;
use crate::api;
use crate::components::KpiCard;

/// The monthly key stats as CSV (what the statistics and recurring panes show).
fn key_stats_csv(s: &PortalSummary) -> String {
    let mut out = String::from("as_of,metric,interval,count,amount,currency\n");
    let c = s.currency.as_str();
    out += &format!("{},active_users,,{},,\n", s.as_of, s.active_users);
    out += &format!("{},active_software,,{},,\n", s.as_of, s.active_software);
    // Amounts the server left out stay empty cells.
    let amount = |v: Option<rust_decimal::Decimal>| v.map(|v| v.to_string()).unwrap_or_default();
    out += &format!("{},balance,,,{},{c}\n", s.as_of, amount(s.balance));
    out += &format!("{},due_next_30_days,,,{},{c}\n", s.as_of, amount(s.due_next_30_days));
    for r in &s.recurring {
        let (interval, count) = (r.interval.as_str(), r.count);
        out += &format!("{},recurring,{interval},{count},{},{c}\n", s.as_of, amount(r.total_per_interval));
        out += &format!("{},monthly_equivalent,{interval},{count},{},{c}\n", s.as_of, amount(r.monthly_equivalent));
    }
    out
}

pub fn summary_view(s: PortalSummary) -> impl IntoView {
    let c = s.currency.as_str().to_owned();
    let csv = key_stats_csv(&s);
    let name = format!("key-stats-{}.csv", s.as_of);
    view! {
        <div class="grid">
            <KpiCard label="Active users (30 days)" value=s.active_users.to_string() testid="kpi-active-users"/>
            <KpiCard label="Active software" value=s.active_software.to_string() testid="kpi-active-software"/>
            {s.balance.map(|balance| view! {
                <div class="pane">
                    <KpiCard label="Balance" value=money(balance, &c) testid="kpi-balance"/>
                    {s.low_balance.unwrap_or(false).then(|| view! {
                        <p class="error" data-testid="low-balance">{format!("Renewals of the next 30 days need {}: top up soon.", money(s.due_next_30_days, &c))}</p>
                    })}
                </div>
            })}
        </div>
        <section class="panel">
            <h2>"Recurring costs"</h2>
            <div class="table-wrap"><table data-testid="recurring">
                <thead><tr><th>"Interval"</th><th class="num">"Products"</th><th class="num">"Per interval"</th><th class="num">"Per month"</th><th>"Next renewal"</th></tr></thead>
                <tbody>{s.recurring.iter().map(|r| view! {
                    <tr><td>{r.interval.as_str()}</td><td class="num">{r.count}</td><td class="num">{money(r.total_per_interval, &c)}</td>
                        <td class="num">{money(r.monthly_equivalent, &c)}</td><td>{r.next_renewal.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
            <button type="button" class="secondary" data-testid="key-stats-csv" on:click=move |_| { let _ = api::save_file(&csv, &name); }>"Download key stats (CSV)"</button>
        </section>
    }
}
