//! The frame of every page after login: navigation by role, who is logged in, logout. Without
//! a session it sends the user to log in, and back here afterwards.

use domain::api::Me;
use domain::kinds::OrgKind;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::api::{self, ApiFailure};
use crate::components::Loaded;
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
        href: "/partners",
        label: "Partners",
        testid: "nav-partners",
        shown: |me| me.organization.kind == OrgKind::Distributor,
    },
    NavItem {
        href: "/insights",
        label: "Insights",
        testid: "nav-insights",
        shown: |me| me.organization.kind != OrgKind::Customer,
    },
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
        // A distributor opens one of its resellers' portals from here.
        shown: |me| me.organization.kind != OrgKind::Customer,
    },
    NavItem {
        href: "/customers",
        label: "Customers",
        testid: "nav-customers",
        shown: |me| me.organization.kind != OrgKind::Customer,
    },
    NavItem {
        href: "/reports",
        label: "Reports",
        testid: "nav-reports",
        shown: |me| me.permissions.contains(&domain::roles::Permission::ViewReports),
    },
    NavItem {
        href: "/billing",
        label: "Billing issues",
        testid: "nav-billing",
        shown: |me| me.organization.kind != OrgKind::Customer,
    },
    NavItem {
        href: "/imports",
        label: "Imports",
        testid: "nav-imports",
        shown: |me| me.permissions.contains(&domain::roles::Permission::ImportBilling),
    },
    NavItem {
        href: "/settings/users",
        label: "Users",
        testid: "nav-settings-users",
        shown: |me| me.permissions.contains(&domain::roles::Permission::ManageUsers),
    },
    NavItem {
        href: "/settings/api-keys",
        label: "API keys",
        testid: "nav-settings-api-keys",
        shown: |me| me.permissions.contains(&domain::roles::Permission::ManageApiKeys),
    },
    NavItem {
        href: "/settings/fx-rates",
        label: "FX rates",
        testid: "nav-settings-fx-rates",
        shown: |me| me.permissions.contains(&domain::roles::Permission::ReadData),
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
    // Narrow screens show the links behind a menu button, closed at first and again after each
    // navigation; wide screens always show them (style.css).
    let menu_open = RwSignal::new(false);
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            menu_open.set(false);
        }
    };
    let logout = move |_| {
        session::clear();
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_href("/login");
        }
    };
    view! {
        <div class="shell">
            <nav class="nav" aria-label="Main" on:keydown=close_on_escape>
                <div class="nav-bar">
                    <div class="brand">"Tierdash"</div>
                    <button type="button" class="menu-toggle" aria-controls="nav-links" data-testid="menu-toggle"
                        aria-expanded=move || menu_open.get().to_string()
                        on:click=move |_| menu_open.update(|open| *open = !*open)>
                        <span aria-hidden="true">"☰ "</span>"Menu"
                    </button>
                </div>
                <div id="nav-links" class="nav-links" class:open=move || menu_open.get() data-testid="nav-links">
                    {nav}
                    {who}
                    <button type="button" class="secondary logout" data-testid="logout" on:click=logout>"Log out"</button>
                </div>
            </nav>
            <main class="content">
                <Loaded data=me view=move |_| children().into_any()/>
            </main>
        </div>
    }
}
