//! The reseller's portal (seed 004): statistics with the balance, recurring costs by interval,
//! the active-users graph, activating a product, the activated products with renew,
//! pause/resume and deactivate (each confirmed with its amount), the top-up history and a
//! key-stats CSV. Money is moved only by the server; this page asks and shows.
//!
//! A reseller opens its own portal; a distributor first picks one of its resellers, which the
//! address keeps (`/portal?reseller_id=…`) and every call names.

mod activations;
mod active_users;
mod reseller_choice;
mod summary;
mod top_ups;

use domain::kinds::OrgKind;
use domain::roles::Permission;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;

use super::shell::MeResource;
use crate::api;
use crate::components::title::set_title;
use crate::components::{Loaded, Loading};
use crate::format::{self, Locale};
use activations::{ActivateForm, ActivatedProducts};
use active_users::ActiveUsersGraph;
use reseller_choice::ResellerChoice;
use top_ups::TopUps;

/// An amount in the browser's locale; "—" for one the server left out (a role that sees no
/// money, docs/roles.md §3).
fn money(v: impl Into<Option<Decimal>>, currency: &str) -> String {
    v.into().map_or_else(|| "—".into(), |v| format::money(v, currency, &Locale::browser()))
}

fn confirm(message: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(message).ok()).unwrap_or(false)
}

/// The portal page.
#[component]
pub fn Portal() -> impl IntoView {
    set_title("Portal");
    let me = expect_context::<MeResource>();
    let query = use_query_map();
    let named = Memo::new(move |_| query.with(|q| q.get("reseller_id").and_then(|id| id.parse::<i64>().ok())));
    move || {
        let Some(Ok(me)) = me.get() else { return view! { <Loading/> }.into_any() };
        match (me.organization.kind, named.get()) {
            (OrgKind::Distributor, None) => view! {
                <h1>"Portal"</h1>
                <ResellerChoice/>
            }
            .into_any(),
            (_, reseller) => {
                // Activating and changing activations are offered only to roles that may do it.
                let may_act = me.permissions.contains(&Permission::Activate);
                // The ledger is all money: a role that sees none is not offered it.
                let sees_money = me.can_view_revenue;
                view! { <ResellerPortal reseller=reseller may_act=may_act sees_money=sees_money/> }.into_any()
            }
        }
    }
}

/// One reseller's portal (`None`: the caller's own).
#[component]
fn ResellerPortal(reseller: Option<i64>, may_act: bool, sees_money: bool) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let summary = LocalResource::new(move || {
        version.track();
        api::portal_summary(reseller)
    });
    let whose = LocalResource::new(move || async move {
        match reseller {
            Some(id) => api::organization(id).await.map(|o| Some(o.name)),
            None => Ok(None),
        }
    });
    view! {
        <div class="page-head">
            <h1>"Portal" {move || whose.get().and_then(Result::ok).flatten().map(|name| format!(" · {name}"))}</h1>
            {reseller.is_some().then(|| view! { <a href="/portal" data-testid="other-reseller">"Another reseller"</a> })}
        </div>
        <Loaded data=summary view=move |s| summary::summary_view(s).into_any()/>
        <ActiveUsersGraph reseller=reseller/>
        {may_act.then(|| view! { <ActivateForm reseller=reseller version=version/> })}
        <ActivatedProducts reseller=reseller version=version may_act=may_act/>
        {sees_money.then(|| view! { <TopUps reseller=reseller version=version/> })}
    }
}
