//! A distributor opens a reseller's portal by picking the reseller: its resellers, searched,
//! each a link to `/portal?reseller_id=…`.

use domain::kinds::OrgKind;
use leptos::prelude::*;

use crate::pages::organizations::OrganizationTable;

fn portal_of(id: i64) -> String {
    format!("/portal?reseller_id={id}")
}

/// The list of resellers whose portal to open.
#[component]
pub fn ResellerChoice() -> impl IntoView {
    view! {
        <p class="muted">"Pick the reseller whose portal to open: its balance, activations and top-ups."</p>
        <OrganizationTable kind=OrgKind::Reseller link=portal_of testid="portal-resellers"/>
    }
}
