//! The resellers and customers lists: searched, sorted and paged by the API.

use domain::api::{Organization, OrganizationFilter};
use domain::kinds::{OnboardingStage, OrgKind};
use leptos::prelude::*;

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
        let filter = OrganizationFilter { kind: Some(kind), parent_id, onboarding_stage, ..Default::default() };
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

/// The resellers of the caller's subtree.
#[component]
pub fn Resellers() -> impl IntoView {
    crate::components::title::set_title("Resellers");
    view! {
        <h1>"Resellers"</h1>
        <OrganizationTable kind=OrgKind::Reseller testid="resellers-table"/>
    }
}

/// The customers of the caller's subtree.
#[component]
pub fn Customers() -> impl IntoView {
    crate::components::title::set_title("Customers");
    view! {
        <h1>"Customers"</h1>
        <OrganizationTable kind=OrgKind::Customer testid="customers-table"/>
    }
}
