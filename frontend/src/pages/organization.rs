//! One organisation: its details, its customers (for a reseller) and its subscriptions.

use std::collections::HashMap;

use domain::api::{Organization, SubscriptionFilter};
use domain::kinds::OrgKind;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::organizations::OrganizationTable;
use crate::api;
use crate::components::title::set_title;
use crate::components::{Column, DataTable, Loaded, Row, TablePage, TableState};
use crate::format::{self, Locale};

fn details(o: &Organization) -> Vec<(&'static str, String)> {
    let opt = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    let mut rows = vec![
        ("Kind", o.kind.to_string()),
        ("External id", opt(o.external_id.clone())),
        ("Domain", opt(o.domain.clone())),
        ("Country", opt(o.country.as_ref().map(|c| c.to_string()))),
        ("Status", o.status.to_string()),
        ("Acquired", format::day(o.created_at.date_naive())),
        ("Closed", opt(o.closed_at.map(|d| format::day(d.date_naive())))),
    ];
    match o.kind {
        OrgKind::Customer => {
            rows.push(("Segment", opt(o.segment.map(|s| s.to_string().replace('_', " ")))));
            rows.push(("Onboarding", opt(o.onboarding_stage.map(|s| s.to_string().replace('_', " ")))));
        }
        OrgKind::Reseller => {
            rows.push(("Agreement", opt(o.agreement_status.map(|s| s.to_string().replace('_', " ")))));
            rows.push(("Vetting", opt(o.vetting_status.map(|s| s.to_string()))));
        }
        OrgKind::Distributor => {}
    }
    rows
}

/// The subscriptions of a reseller or customer, with product names from the catalog.
#[component]
fn SubscriptionTable(org: Organization) -> impl IntoView {
    let state = TableState::new("-start_date");
    let filter = match org.kind {
        OrgKind::Customer => SubscriptionFilter { customer_id: Some(org.id), ..Default::default() },
        _ => SubscriptionFilter { reseller_id: Some(org.id), ..Default::default() },
    };
    // The product names come from the catalog, which is small: one page of the largest size.
    let data = LocalResource::new(move || {
        let list = state.list_params(25);
        let filter = filter.clone();
        async move {
            let page = api::subscriptions(list, filter).await?;
            let names: HashMap<i64, String> =
                api::products().await?.items.into_iter().map(|p| (p.id, p.name)).collect();
            let locale = Locale::browser();
            let rows = page
                .items
                .into_iter()
                .map(|s| Row {
                    key: s.id,
                    href: None,
                    cells: vec![
                        names.get(&s.product_id).cloned().unwrap_or_else(|| format!("product {}", s.product_id)),
                        format::count(s.quantity.max(0) as u64, &locale),
                        s.unit_price.map_or_else(|| "—".into(), |p| format::money(p, s.currency.as_str(), &locale)),
                        s.billing_interval.to_string(),
                        if s.trial { format!("{} (trial)", s.status) } else { s.status.to_string() },
                        s.start_date.to_string(),
                        s.end_date.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
                    ],
                })
                .collect();
            Ok(TablePage { rows, total: page.total, page: page.page, per_page: page.per_page })
        }
    });
    let columns = vec![
        Column::plain("Product"),
        Column::sorted("Quantity", "quantity").numeric(),
        Column::plain("Unit price").numeric(),
        Column::plain("Interval"),
        Column::sorted("Status", "status"),
        Column::sorted("Start", "start_date"),
        Column::sorted("End", "end_date"),
    ];
    view! {
        <DataTable columns=columns state=state data=data caption="Subscriptions" testid="subscriptions-table"
            empty="No subscriptions."/>
    }
}

/// The organisation page.
#[component]
pub fn OrganizationPage() -> impl IntoView {
    let params = use_params_map();
    let org = LocalResource::new(move || {
        let id = params.get().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(-1);
        api::organization(id)
    });
    set_title("Organisation");
    let page = move |o: Organization| {
        set_title(&o.name);
        let rows = details(&o).into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view();
        let customers = (o.kind == OrgKind::Reseller).then(|| {
            view! {
                <h2>"Customers"</h2>
                <OrganizationTable kind=OrgKind::Customer parent_id=o.id testid="org-customers-table"/>
            }
        });
        let subscriptions = (o.kind != OrgKind::Distributor).then(|| {
            view! { <h2>"Subscriptions"</h2><SubscriptionTable org=o.clone()/> }
        });
        view! {
            <h1 data-testid="org-name">{o.name.clone()}</h1>
            <section class="panel"><dl class="details" data-testid="org-details">{rows}</dl></section>
            {customers}
            {subscriptions}
        }
    };
    view! { <Loaded data=org view=page/> }
}
