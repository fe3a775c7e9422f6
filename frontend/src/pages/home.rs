//! Home (seed 000): the three revenue panes with menus leading to their reports, the account
//! pane, customers still onboarding, and billing issues by customer. Every figure is the
//! server's; a role without revenue rights gets a page without money, because the server
//! leaves the figures out.

use chrono::NaiveDate;
use domain::api::{AccountCounts, CustomerIssues, HomeDashboard, OnboardingCustomer};
use domain::kinds::OrgKind;
use leptos::prelude::*;
use leptos_router::components::A;

use super::as_of::{AsOfPicker, as_of_signal, day_as_picker_shows, with_as_of};
use crate::api;
use crate::components::{Empty, KpiCard, Loaded};
use crate::format::{self, Locale, words};

/// A pane's menu of reports: a disclosure of links.
#[component]
fn PaneMenu(#[prop(into)] label: String, links: Vec<(&'static str, String)>, testid: &'static str) -> impl IntoView {
    view! {
        <details class="menu" data-testid=testid>
            <summary>{label}</summary>
            <ul>
                {links.into_iter().map(|(text, href)| view! { <li><A href=href>{text}</A></li> }).collect_view()}
            </ul>
        </details>
    }
}

fn money_panes(home: &HomeDashboard, locale: &Locale) -> AnyView {
    let link = |path: &str| with_as_of(path, Some(home.as_of));
    let Some(revenue) = home.current_month_revenue.clone() else {
        return view! { <p class="muted" data-testid="figures-hidden">"Revenue figures are not shown for your role."</p> }
            .into_any();
    };
    let usd = |v| format::money(v, "USD", locale);
    let projection = home.projected_monthly_revenue.clone();
    let marketplace = home.marketplace_spend.clone();
    view! {
        <div class="grid">
            <div class="pane">
                <KpiCard label="Current month revenue" value=usd(revenue.total) testid="kpi-revenue"/>
                <p class="muted">"Cost " {usd(revenue.cost)} " · margin " {usd(revenue.margin)}</p>
                <PaneMenu label="Review revenue" testid="menu-revenue" links=vec![
                    ("Monthly revenue by service", link("/home/revenue")),
                    ("Monthly revenue by account", format!("{}#by-customer", link("/home/revenue"))),
                    ("Full revenue dashboard", link("/home/overview")),
                ]/>
            </div>
            <div class="pane">
                {match projection {
                    Some(p) if p.available => view! {
                        <KpiCard label="Projected monthly revenue" value=p.value.map(usd).unwrap_or_default() testid="kpi-projection"/>
                    }.into_any(),
                    Some(p) => view! {
                        <div class="panel kpi" data-testid="kpi-projection">
                            <div class="label">"Projected monthly revenue"</div>
                            <div class="value" data-testid="kpi-value">"—"</div>
                            <p class="muted" data-testid="projection-reason">{p.reason.unwrap_or_default()}</p>
                        </div>
                    }.into_any(),
                    None => ().into_any(),
                }}
                <PaneMenu label="View projected revenue" testid="menu-projection" links=vec![
                    ("Projected revenue by provider and service", link("/home/projection")),
                    ("Revenue breakdown", link("/home/overview")),
                    ("Review invoices", "/invoices".to_owned()),
                ]/>
            </div>
            <div class="pane">
                {marketplace.map(|m| {
                    // A month to date is compared with the same days of last month, never with
                    // a whole month; the whole month is shown beside it for reference.
                    let label = if m.partial { "Marketplace spend, month to date" } else { "Marketplace spend this month" };
                    view! {
                        <KpiCard label=label value=usd(m.current) change_pct=m.change_to_date_pct
                            compared_with=if m.partial { "the same days last month" } else { "last month" } testid="kpi-marketplace"/>
                        <p class="muted" data-testid="marketplace-compared">
                            {if m.partial { "Same days last month " } else { "Last month " }} {usd(m.previous_to_date)}
                            {m.partial.then(|| format!(" · whole last month {}", usd(m.previous)))}
                        </p>
                    }
                })}
                <PaneMenu label="View full breakdown" testid="menu-marketplace" links=vec![
                    ("Marketplace spend month over month", link("/home/marketplace")),
                    ("Full revenue dashboard", link("/home/overview")),
                ]/>
            </div>
        </div>
    }
    .into_any()
}

fn accounts_pane(kind: OrgKind, a: AccountCounts, locale: &Locale) -> impl IntoView {
    let net = format::number(a.net_new_30d.into(), 0, locale);
    let net = if a.net_new_30d > 0 { format!("+{net}") } else { net };
    let figures = if kind == OrgKind::Distributor {
        view! {
            <KpiCard label="Resellers" value=format::count(a.resellers.unwrap_or(0), locale) testid="kpi-resellers"/>
            <KpiCard label="End customers" value=format::count(a.customers, locale) testid="kpi-customers"/>
        }
        .into_any()
    } else {
        view! {
            <KpiCard label="Active customers" value=format::count(a.active_customers.unwrap_or(0), locale) testid="kpi-active-customers"/>
            <KpiCard label="Customers" value=format::count(a.customers, locale) testid="kpi-customers"/>
        }
        .into_any()
    };
    view! {
        <section class="panel">
            <h2>{if kind == OrgKind::Distributor { "Resellers and customers" } else { "Your customers" }}</h2>
            <div class="grid">
                {figures}
                <KpiCard label="Net new accounts, 30 days" value=net testid="kpi-net-new"/>
            </div>
            <A href="/customers">"View customers"</A>
        </section>
    }
}

fn onboarding_pane(list: Vec<OnboardingCustomer>, total: u64, locale: &Locale) -> impl IntoView {
    let shown = list.len().min(10) as u64;
    let all = if total > shown {
        format!("View all {} in progress", format::count(total, locale))
    } else {
        "View by stage".into()
    };
    // The ten longest in their stage; the server sends more for integrators.
    let rows = list
        .into_iter()
        .take(10)
        .map(|c| {
            view! {
                <tr>
                    <td><A href=format!("/organizations/{}", c.customer_id)>{c.name}</A></td>
                    <td class=if c.stage.as_str() == "failed" { "stage failed" } else { "stage" }>{words(c.stage.as_str())}</td>
                    <td class="num">{c.days_in_stage}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" data-testid="onboarding">
            <h2>"Customer onboarding" <span class="muted">" · " {format::count(total, locale)} " in progress"</span></h2>
            {if total == 0 {
                view! { <Empty message="Every customer is onboarded."/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead><tr><th>"Customer"</th><th>"Stage"</th><th class="num">"Days in stage"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <p><A href="/onboarding" attr:data-testid="onboarding-all">
                        {all}
                    </A></p>
                }
                .into_any()
            }}
        </section>
    }
}

fn issues_pane(home: &HomeDashboard, list: Vec<CustomerIssues>, locale: &Locale) -> impl IntoView {
    let empty = home.billing_issues_empty.clone();
    let total = home.billing_issues_total;
    view! {
        <section class="panel" data-testid="billing-issues">
            <h2>"Billing issues by customer" <span class="muted">" · " {format::count(total, locale)} " open"</span></h2>
            {match empty {
                Some(action) => view! {
                    <div class="empty">
                        <p>"No billing issues detected."</p>
                        <A href=with_as_of(&action.href, Some(home.as_of))>{action.label}</A>
                    </div>
                }
                .into_any(),
                None => view! {
                    <div class="table-wrap">
                    <table>
                        <thead><tr><th>"Customer"</th><th>"Issues"</th><th class="num">"Open"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|c| view! {
                                <tr>
                                    <td>{c.name.clone().or(c.external_id.clone()).unwrap_or_default()}
                                        {c.name.is_some().then(|| view! { <span class="muted">" " {c.external_id.clone()}</span> })}
                                    </td>
                                    <td>{c.kinds.iter().map(|k| words(k.as_str())).collect::<Vec<_>>().join(", ")}</td>
                                    <td class="num">{c.open}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                    <p><A href="/billing" attr:data-testid="billing-issues-all">"View all billing issues"</A></p>
                }
                .into_any(),
            }}
        </section>
    }
}

/// The Home page.
#[component]
pub fn Home() -> impl IntoView {
    crate::components::title::set_title("Home");
    let as_of = as_of_signal();
    let data = LocalResource::new(move || api::home(as_of.get()));
    let locale = Locale::browser();
    view! {
        <div class="page-head">
            <h1>"Home"</h1>
            <AsOfPicker/>
        </div>
        <Loaded data=data view=move |home| {
                let month: NaiveDate = home.month.first_day();
                view! {
                    <p class="muted" data-testid="home-month">{format!("{} · as of {}", format::month_name(month), day_as_picker_shows(home.as_of))}</p>
                    {money_panes(&home, &locale)}
                    {accounts_pane(home.org_kind, home.accounts.clone(), &locale)}
                    <div class="grid">
                        {onboarding_pane(home.onboarding.clone(), home.onboarding_total, &locale)}
                        {issues_pane(&home, home.billing_issues.clone(), &locale)}
                    </div>
                }
                .into_any()
            }/>
    }
}
