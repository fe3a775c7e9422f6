//! The organisation site usage tab: every customer with usage in the month (of one reseller when
//! the address names it), with its reseller, services, lines and revenue; searched and paged by
//! the API.

use domain::api::{CustomerUsage, UsageOrganizationsFilter};
use domain::metrics::Month;
use leptos::prelude::*;

use super::resellers::services_text;
use crate::api;
use crate::components::{Column, DataTable, Row, TablePage, TableState};
use crate::format::{self, Locale};

/// Sites per page.
const PER_PAGE: u64 = 25;

fn row(c: CustomerUsage, money: bool, locale: &Locale) -> Row {
    let names: Vec<String> = c.services.iter().map(|s| s.service.clone()).collect();
    let mut cells = vec![c.name, c.reseller_name, services_text(&names), format::count(c.line_count, locale)];
    if money {
        cells.push(c.revenue.map(|v| format::money(v, "USD", locale)).unwrap_or_else(|| "—".into()));
    }
    Row { key: c.id, href: Some(format!("/organizations/{}", c.id)), cells }
}

/// The tab; `all` is the address of every reseller's sites (to leave a reseller's).
#[component]
pub fn OrganizationsTab(
    period: Memo<Month>,
    reseller: Option<i64>,
    state: TableState,
    money: bool,
    #[prop(into)] all: String,
) -> impl IntoView {
    let sites = LocalResource::new(move || {
        let list = state.list_params(PER_PAGE);
        let period = period.get();
        async move {
            let locale = Locale::browser();
            let filter = UsageOrganizationsFilter { reseller_id: reseller };
            let page = api::usage_organizations(Some(period.into()), filter, list).await?;
            let rows = page.items.into_iter().map(|c| row(c, money, &locale)).collect();
            Ok(TablePage { total: page.total, page: page.page, per_page: page.per_page, rows })
        }
    });
    // Whose sites these are, when one reseller's.
    let whose = LocalResource::new(move || async move {
        match reseller {
            Some(id) => api::organization(id).await.map(|o| Some(o.name)),
            None => Ok(None),
        }
    });
    let mut columns = vec![
        Column::sorted("Organisation site", "name"),
        Column::plain("Reseller"),
        Column::plain("Services"),
        Column::plain("Lines").numeric(),
    ];
    if money {
        columns.push(Column::plain("Revenue").numeric());
    }
    view! {
        <section class="panel" data-testid="organization-usage">
            <h2>"Organisation site usage"</h2>
            {reseller.map(|_| view! {
                <p class="muted">
                    {move || whose.get().and_then(Result::ok).flatten().map(|name| format!("Sites of {name}. "))}
                    <a href=all.clone() data-testid="all-sites">"Every reseller's sites"</a>
                </p>
            })}
            <DataTable columns=columns state=state data=sites caption="Customers with usage in the month, by name"
                testid="organization-usage-table" empty="No organisation site had usage this month."
                search="Name, id or domain"/>
        </section>
    }
}
