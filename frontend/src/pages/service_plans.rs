//! The catalog's service plans (`/service-plans`), sorted and paged by the API; the Partners
//! console's plans tile opens it filtered to the enabled ones (`?enabled=true`).

use domain::api::{ServicePlan, ServicePlanFilter};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::components::{Column, DataTable, Row, TablePage, TableState};
use crate::format::{self, Locale};

fn row(plan: ServicePlan, locale: &Locale) -> Row {
    let interval = plan.billing_interval.as_str().replace('_', " ");
    let price = plan.price.map_or_else(|| "—".into(), |p| format::money(p, plan.currency.as_str(), locale));
    let enabled = if plan.enabled { "enabled" } else { "disabled" };
    let cells = vec![plan.name, plan.code, interval, price, enabled.into(), format::day(plan.created_at.date_naive())];
    Row { key: plan.id, href: None, cells }
}

/// The service plans of the caller's catalog.
#[component]
pub fn ServicePlans() -> impl IntoView {
    crate::components::title::set_title("Service plans");
    let enabled = use_query_map().get_untracked().get("enabled").and_then(|v| v.parse::<bool>().ok());
    let state = TableState::new("name");
    let columns = vec![
        Column::sorted("Name", "name"),
        Column::sorted("Code", "code"),
        Column::plain("Billed"),
        Column::sorted("Price", "price").numeric(),
        Column::plain("State"),
        Column::sorted("Created", "created_at"),
    ];
    let resource = LocalResource::new(move || {
        let list = state.list_params(25);
        let filter = ServicePlanFilter { enabled, ..Default::default() };
        async move {
            let locale = Locale::browser();
            let page = api::service_plans_page(list, filter).await?;
            Ok(TablePage {
                total: page.total,
                page: page.page,
                per_page: page.per_page,
                rows: page.items.into_iter().map(|p| row(p, &locale)).collect(),
            })
        }
    });
    let note = enabled.map(|on| {
        let which = if on { "enabled" } else { "disabled" };
        view! {
            <p class="muted" data-testid="list-filter">{format!("Only the {which} plans. ")}<A href="/service-plans">"Show all"</A></p>
        }
    });
    view! {
        <h1>"Service plans"</h1>
        {note}
        <DataTable columns=columns state=state data=resource caption="Service plans" testid="service-plans-table" search="Name or code"
            empty="No service plan matches."/>
    }
}
