//! The resellers and customers lists: searched, sorted and paged by the API.

use domain::api::{Organization, OrganizationFilter};
use domain::kinds::{OnboardingStage, OrgKind};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::components::{Column, DataTable, Row, TablePage, TableState};

fn text<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string().replace('_', " ")).unwrap_or_else(|| "—".into())
}

/// Where a listed organisation links to, unless a table says otherwise: its own page.
fn organization_page(id: i64) -> String {
    format!("/organizations/{id}")
}

fn row(kind: OrgKind, o: Organization, link: fn(i64) -> String) -> Row {
    let date = crate::format::day(o.created_at.date_naive());
    let cells = match kind {
        OrgKind::Reseller => {
            vec![o.name, text(o.external_id), text(o.country), o.status.to_string(), text(o.agreement_status), date]
        }
        _ => vec![
            o.name,
            text(o.external_id),
            text(o.parent_name),
            text(o.segment),
            text(o.onboarding_stage),
            o.status.to_string(),
            date,
        ],
    };
    Row { key: o.id, href: Some(link(o.id)), cells }
}

/// A list of organisations of one kind, optionally the children of one parent; each name
/// links to `link(id)` (default: the organisation's page).
#[component]
pub fn OrganizationTable(
    kind: OrgKind,
    #[prop(optional)] link: Option<fn(i64) -> String>,
    #[prop(optional)] parent_id: Option<i64>,
    #[prop(optional, into)] onboarding_stage: Option<OnboardingStage>,
    /// Further filters (status, licence status, a day), as the Partners console's tiles ask.
    #[prop(optional)]
    filter: Option<OrganizationFilter>,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let link = link.unwrap_or(organization_page);
    let state = TableState::new("name");
    let columns = match kind {
        OrgKind::Reseller => vec![
            Column::sorted("Name", "name"),
            Column::sorted("External id", "external_id"),
            Column::sorted("Country", "country"),
            Column::sorted("Status", "status"),
            Column::plain("Agreement"),
            Column::sorted("Acquired", "created_at"),
        ],
        _ => vec![
            Column::sorted("Name", "name"),
            Column::sorted("External id", "external_id"),
            Column::plain("Reseller"),
            Column::plain("Segment"),
            Column::plain("Onboarding"),
            Column::sorted("Status", "status"),
            Column::sorted("Acquired", "created_at"),
        ],
    };
    let resource = LocalResource::new(move || {
        let list = state.list_params(25);
        let base = filter.clone().unwrap_or_default();
        let filter = OrganizationFilter { kind: Some(kind), parent_id, onboarding_stage, ..base };
        async move {
            let page = api::organizations(list, filter).await?;
            Ok(TablePage {
                total: page.total,
                page: page.page,
                per_page: page.per_page,
                rows: page.items.into_iter().map(|o| row(kind, o, link)).collect(),
            })
        }
    });
    let caption = match kind {
        OrgKind::Reseller => "Resellers",
        _ => "Customers",
    };
    view! {
        <DataTable columns=columns state=state data=resource caption=caption testid=testid
            empty="No organisation matches."/>
    }
}

/// The filters of the address (`?status=active&license_status=trial&as_of=2026-10-15`), as the
/// Partners console's tiles link to them, and their description.
fn address_filter() -> (OrganizationFilter, Option<String>) {
    let query = use_query_map().get_untracked();
    let value = |name: &str| query.get(name).filter(|v| !v.is_empty());
    let filter = OrganizationFilter {
        status: value("status").and_then(|v| v.parse().ok()),
        license_status: value("license_status").and_then(|v| v.parse().ok()),
        as_of: value("as_of").and_then(|v| domain::api::AsOf::try_from(v).ok()),
        ..Default::default()
    };
    let mut said = Vec::new();
    if let Some(status) = filter.status {
        said.push(format!("status {status}"));
    }
    if let Some(licence) = filter.license_status {
        said.push(format!("holding a {} licence", licence.as_str()));
    }
    if let Some(day) = filter.as_of {
        said.push(format!("on {day}"));
    }
    (filter, (!said.is_empty()).then(|| said.join(", ")))
}

fn filtered_note(said: Option<String>, path: &'static str) -> impl IntoView {
    said.map(|said| {
        view! {
            <p class="muted" data-testid="list-filter">{format!("Only those {said}. ")}<A href=path>"Show all"</A></p>
        }
    })
}

/// The resellers of the caller's subtree.
#[component]
pub fn Resellers() -> impl IntoView {
    crate::components::title::set_title("Resellers");
    let (filter, said) = address_filter();
    view! {
        <h1>"Resellers"</h1>
        {filtered_note(said, "/resellers")}
        <OrganizationTable kind=OrgKind::Reseller filter=filter testid="resellers-table"/>
    }
}

/// The customers of the caller's subtree.
#[component]
pub fn Customers() -> impl IntoView {
    crate::components::title::set_title("Customers");
    let (filter, said) = address_filter();
    view! {
        <h1>"Customers"</h1>
        {filtered_note(said, "/customers")}
        <OrganizationTable kind=OrgKind::Customer filter=filter testid="customers-table"/>
    }
}
