//! The frame of every page after login: navigation by role, who is logged in, logout. Without
//! a session it sends the user to log in, and back here afterwards.

use domain::api::Me;
use domain::kinds::OrgKind;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::api::{self, ApiFailure};
use crate::components::{ErrorView, Loading};
use crate::session;

/// The caller, shared with the pages below the shell.
pub type MeResource = LocalResource<Result<Me, ApiFailure>>;

/// A navigation entry and who sees it.
struct NavItem {
    href: &'static str,
    label: &'static str,
    testid: &'static str,
    shown: fn(&Me) -> bool,
}

const NAV: &[NavItem] = &[
    NavItem { href: "/", label: "Home", testid: "nav-home", shown: |_| true },
    NavItem {
        href: "/resellers",
        label: "Resellers",
        testid: "nav-resellers",
        shown: |me| me.organization.kind == OrgKind::Distributor,
    },
    NavItem {
        href: "/portal",
        label: "Portal",
        testid: "nav-portal",
        shown: |me| me.organization.kind == OrgKind::Reseller,
    },
    NavItem {
        href: "/customers",
        label: "Customers",
        testid: "nav-customers",
        shown: |me| me.organization.kind != OrgKind::Customer,
    },
];

/// Wraps a page.
#[component]
pub fn Shell(children: ChildrenFn) -> impl IntoView {
    if session::token().is_none() {
        session::go_to_login();
    }
    let me: MeResource = LocalResource::new(api::me);
    provide_context(me);
    let location = use_location();
    let nav = move || {
        me.get().and_then(Result::ok).map(|me| {
            NAV.iter()
                .filter(|item| (item.shown)(&me))
                .map(|item| {
                    let href = item.href;
                    let current = move || {
                        let path = location.pathname.get();
                        let here = if href == "/" { path == "/" } else { path.starts_with(href) };
                        here.then_some("page")
                    };
                    view! { <A href=href attr:data-testid=item.testid attr:aria-current=current>{item.label}</A> }
                })
                .collect_view()
        })
    };
    let who = move || {
        me.get().and_then(Result::ok).map(|me| {
            let name = me.user.as_ref().map(|u| u.email.to_string()).unwrap_or_else(|| "API key".into());
            view! {
                <div class="who" data-testid="who">
                    <div>{name}</div>
                    <div>{me.organization.name.clone()}" · "{me.role.as_str().replace('_', " ")}</div>
                </div>
            }
        })
    };
    let logout = move |_| {
        session::clear();
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_href("/login");
        }
    };
    view! {
        <div class="shell">
            <nav class="nav" aria-label="Main">
                <div class="brand">"Tierdash"</div>
                {nav}
                {who}
                <button type="button" class="secondary" style="color:#dbe4ff;border-color:#dbe4ff" data-testid="logout" on:click=logout>"Log out"</button>
            </nav>
            <main class="content">
                {move || match me.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                    Some(Ok(_)) => children().into_any(),
                }}
            </main>
        </div>
    }
}
