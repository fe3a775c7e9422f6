//! Usage reports (`/reports`, seed 003): a month's usage as the latest scheduled update left
//! it — the summary, each reseller's usage with its overview, each organisation site's usage —
//! and the reports generated from it: requested here, followed while they are generated (no
//! reload), downloaded as CSV. The tab, the month, the reseller opened and the category of
//! reports are kept in the address (`/reports?tab=resellers&period=2026-11`), so a link or a
//! reload shows the same view. Generating and deleting are offered only to roles that may.

mod export;
mod live;
mod organizations;
mod overview;
mod resellers;
mod summary;

use domain::api::UsageSummary;
use domain::kinds::ReportCategory;
use domain::metrics::Month;
use domain::roles::Permission;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use self::export::ExportTab;
use self::live::Live;
use self::organizations::OrganizationsTab;
use self::overview::ResellerOverview;
use self::resellers::ResellersTab;
use self::summary::SummaryTab;
use super::as_of::today_utc;
use super::shell::MeResource;
use crate::api::{self, ApiFailure};
use crate::components::TableState;
use crate::components::title::set_title;
use crate::format;

/// The page's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Summary,
    Resellers,
    Organizations,
    Export,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Summary, Tab::Resellers, Tab::Organizations, Tab::Export];

    /// Its name in the address.
    fn key(self) -> &'static str {
        match self {
            Tab::Summary => "summary",
            Tab::Resellers => "resellers",
            Tab::Organizations => "organizations",
            Tab::Export => "export",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tab::Summary => "Summary",
            Tab::Resellers => "Reseller usage",
            Tab::Organizations => "Organisation site usage",
            Tab::Export => "Export reports",
        }
    }

    /// The tab an address names (an unknown name: the summary).
    fn from_key(key: &str) -> Tab {
        Tab::ALL.into_iter().find(|t| t.key() == key).unwrap_or(Tab::Summary)
    }
}

/// What the address says the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    tab: Tab,
    period: Month,
    /// The reseller whose overview is open (reseller tab) or whose sites are listed
    /// (organisation site tab).
    reseller: Option<i64>,
    /// Only usage or only billing reports (export tab).
    category: Option<ReportCategory>,
}

impl Place {
    /// Reads the address's query (`param` gives a parameter's value); a month that is not one,
    /// or is after `now`, is `now`.
    fn from_query<'a>(param: impl Fn(&str) -> Option<&'a str>, now: Month) -> Place {
        Place {
            tab: Tab::from_key(param("tab").unwrap_or_default()),
            period: param("period").and_then(|p| p.parse::<Month>().ok()).filter(|m| *m <= now).unwrap_or(now),
            reseller: param("reseller").and_then(|r| r.parse().ok()),
            category: param("category").and_then(|c| c.parse().ok()),
        }
    }

    /// The address of this view.
    fn href(self) -> String {
        let mut href = format!("/reports?tab={}&period={}", self.tab.key(), self.period);
        if let Some(id) = self.reseller {
            href.push_str(&format!("&reseller={id}"));
        }
        if let Some(category) = self.category {
            href.push_str(&format!("&category={category}"));
        }
        href
    }

    /// Another tab of the same month, nothing else chosen.
    fn tab(self, tab: Tab) -> Place {
        Place { tab, period: self.period, reseller: None, category: None }
    }
}

/// The current month in UTC, the latest the server shows.
fn current_month() -> Month {
    Month::of(today_utc().unwrap_or_default())
}

/// "Usage updated … · next update …", or that this month has not been updated yet.
fn update_line(summary: &UsageSummary) -> String {
    let update = &summary.update;
    let mut line = match update.updated_at {
        Some(at) => format!("Usage updated {}", format::moment(at)),
        None => "Usage not updated yet for this month".to_owned(),
    };
    if let Some(next) = update.next_update_at {
        line.push_str(&format!(" · next update {}", format::moment(next)));
    }
    line
}

/// What the caller may do here, from `GET /me`.
#[derive(Debug, Clone, Copy)]
struct Rights {
    /// Request and delete reports.
    generate: bool,
    /// See revenue (and so billing reports).
    money: bool,
}

/// The tables' searches and pages, kept while the user moves between tabs.
#[derive(Debug, Clone, Copy)]
struct Tables {
    resellers: TableState,
    organizations: TableState,
    reports: RwSignal<u64>,
}

/// The page.
#[component]
pub fn UsageReportsPage() -> impl IntoView {
    set_title("Reports");
    let me = use_context::<MeResource>().and_then(|me| me.get_untracked()).and_then(Result::ok);
    let rights = Rights {
        generate: me.as_ref().is_some_and(|me| me.permissions.contains(&Permission::GenerateReports)),
        money: me.as_ref().is_some_and(|me| me.can_view_revenue),
    };
    let now = current_month();
    let query = use_query_map();
    let place = Memo::new(move |_| query.with(|q| Place::from_query(|k| q.get_str(k), now)));
    let period = Memo::new(move |_| place.get().period);
    let live = Live::new();
    let tables = Tables {
        resellers: TableState::new("name"),
        organizations: TableState::new("name"),
        reports: RwSignal::new(1),
    };
    let summary = LocalResource::new(move || api::usage_summary(Some(period.get().into())));
    let navigate = use_navigate();
    let pick_month = move |ev| {
        let Ok(month) = event_target_value(&ev).parse::<Month>() else { return };
        // Another month starts every list on its first page.
        tables.resellers.page.set(1);
        tables.organizations.page.set(1);
        let next = Place { period: month.min(now), ..place.get_untracked() };
        navigate(&next.href(), Default::default());
    };
    let updated = move || {
        summary
            .get()
            .and_then(Result::ok)
            .map(|s| view! { <p class="muted" data-testid="usage-updated">{update_line(&s)}</p> })
    };
    let tabs = move || {
        Tab::ALL
            .into_iter()
            .map(|t| {
                let href = place.get().tab(t).href();
                let current = (place.get().tab == t).then_some("page");
                view! {
                    <a href=href data-testid=format!("tab-{}", t.key()) aria-current=current>{t.label()}</a>
                }
            })
            .collect_view()
    };
    let content = move || {
        let p = place.get();
        match (p.tab, p.reseller) {
            (Tab::Summary, _) => view! { <SummaryTab summary=summary money=rights.money/> }.into_any(),
            (Tab::Resellers, None) => view! {
                <ResellersTab period=period state=tables.resellers live=live rights=rights
                    overview=move |id| Place { reseller: Some(id), ..place.get_untracked() }.href()/>
            }
            .into_any(),
            (Tab::Resellers, Some(id)) => view! {
                <ResellerOverview id=id period=period money=rights.money
                    back=p.tab(Tab::Resellers).href()
                    sites=Place { reseller: Some(id), ..p.tab(Tab::Organizations) }.href()/>
            }
            .into_any(),
            (Tab::Organizations, reseller) => view! {
                // One reseller's sites start on their first page; every reseller's keep theirs.
                <OrganizationsTab period=period reseller=reseller money=rights.money
                    state=if reseller.is_some() { TableState::new("name") } else { tables.organizations }
                    all=p.tab(Tab::Organizations).href()/>
            }
            .into_any(),
            (Tab::Export, _) => view! {
                <ExportTab period=period category=p.category page=tables.reports live=live rights=rights
                    filtered=move |category| Place { category, ..p.tab(Tab::Export) }.href()/>
            }
            .into_any(),
        }
    };
    view! {
        <div class="page-head">
            <h1>"Reports"</h1>
            <div class="toolbar">
                <div>
                    <label for="usage-period">"Month"</label>
                    <input id="usage-period" type="month" data-testid="usage-period" max=now.to_string()
                        prop:value=move || period.get().to_string() on:change=pick_month/>
                </div>
            </div>
        </div>
        {updated}
        <nav class="tabs" aria-label="Usage reports" data-testid="usage-tabs">{tabs}</nav>
        {content}
    }
}

/// A failure of an action (requesting, downloading, deleting), shown where it happened.
fn failure_view(failure: RwSignal<Option<ApiFailure>>) -> impl IntoView {
    move || failure.get().map(|e| view! { <crate::components::ErrorView error=e/> })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(s: &str) -> Month {
        s.parse().unwrap()
    }

    /// The place an address's query pairs name.
    fn read(pairs: &[(&str, &'static str)], now: Month) -> Place {
        Place::from_query(|key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v), now)
    }

    #[test]
    fn an_address_round_trips_through_its_place() {
        let now = month("2026-11");
        let place = Place {
            tab: Tab::Export,
            period: month("2026-10"),
            reseller: Some(7),
            category: Some(ReportCategory::Billing),
        };
        assert_eq!(place.href(), "/reports?tab=export&period=2026-10&reseller=7&category=billing");
        let q = [("tab", "export"), ("period", "2026-10"), ("reseller", "7"), ("category", "billing")];
        assert_eq!(read(&q, now), place);
    }

    #[test]
    fn a_missing_or_bad_address_shows_this_months_summary() {
        let now = month("2026-11");
        let expected = Place { tab: Tab::Summary, period: now, reseller: None, category: None };
        assert_eq!(read(&[], now), expected);
        let bad = [("tab", "nope"), ("period", "2026-13"), ("reseller", "x"), ("category", "other")];
        assert_eq!(read(&bad, now), expected);
        assert_eq!(read(&[("period", "2027-01")], now).period, now, "no month after now");
    }

    #[test]
    fn another_tab_keeps_the_month_and_drops_the_rest() {
        let place = Place { tab: Tab::Resellers, period: month("2026-09"), reseller: Some(3), category: None };
        assert_eq!(place.tab(Tab::Organizations).href(), "/reports?tab=organizations&period=2026-09");
    }
}
