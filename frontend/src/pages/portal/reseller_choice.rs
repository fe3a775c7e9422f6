//! A distributor opens a reseller's portal by picking the reseller: a searched list of its
//! resellers, each a link to `/portal?reseller_id=…`.

use domain::api::OrganizationFilter;
use domain::kinds::OrgKind;
use leptos::prelude::*;

use crate::api;
use crate::components::{Column, DataTable, Row, TablePage, TableState};

/// The list of resellers whose portal to open.
#[component]
pub fn ResellerChoice() -> impl IntoView {
    let state = TableState::new("name");
    let resource = LocalResource::new(move || {
        let list = state.list_params(25);
        let filter = OrganizationFilter { kind: Some(OrgKind::Reseller), ..Default::default() };
        async move {
            let page = api::organizations(list, filter).await?;
            Ok(TablePage {
                total: page.total,
                page: page.page,
                per_page: page.per_page,
                rows: page
                    .items
                    .into_iter()
                    .map(|o| Row {
                        key: o.id,
                        href: Some(format!("/portal?reseller_id={}", o.id)),
                        cells: vec![o.name, o.external_id.unwrap_or_default(), o.status.to_string()],
                    })
                    .collect(),
            })
        }
    });
    let columns =
        vec![Column::sorted("Reseller", "name"), Column::sorted("External id", "external_id"), Column::plain("Status")];
    view! {
        <p class="muted">"Pick the reseller whose portal to open: its balance, activations and top-ups."</p>
        <DataTable columns=columns state=state data=resource caption="Resellers"
            testid="portal-resellers" empty="No reseller matches."/>
    }
}
