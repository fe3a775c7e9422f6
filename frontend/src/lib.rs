//! Tierdash's web app: a Leptos single-page app over the JSON API.
//!
//! - [`api`]: every HTTP call, typed with `domain::api`; a 401 sends the user to log in.
//! - [`session`]: the access token, kept for the browser session only.
//! - [`format`]: money, percent and number formatting by locale (exact, from decimals).
//! - [`components`]: the dashboard building blocks (KPI card, charts, data table, month range,
//!   loading/empty/error states).
//! - [`pages`]: one module per page.
//!
//! No metric is computed here: the server does the math and omits what a role may not see.

pub mod api;
pub mod components;
pub mod format;
pub mod pages;
pub mod session;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use pages::{
    ApiKeysSettings, BillingIssuesPage, Customers, FxRatesSettings, Home, Login, MarketplaceReportPage, MovedTo,
    NotFound, OnboardingPage, OrganizationPage, Portal, ProjectionReportPage, Resellers, RevenueOverviewPage,
    RevenueReportPage, Shell, UsersSettings,
};

/// The app: the router and its pages. Every page but login sits in the [`Shell`], which
/// checks the session and shows the navigation.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <Shell><NotFound/></Shell> }>
                <Route path=path!("/login") view=Login/>
                <Route path=path!("/") view=|| view! { <Shell><Home/></Shell> }/>
                <Route path=path!("/resellers") view=|| view! { <Shell><Resellers/></Shell> }/>
                <Route path=path!("/customers") view=|| view! { <Shell><Customers/></Shell> }/>
                <Route path=path!("/organizations/:id") view=|| view! { <Shell><OrganizationPage/></Shell> }/>
                <Route path=path!("/portal") view=|| view! { <Shell><Portal/></Shell> }/>
                <Route path=path!("/home/revenue") view=|| view! { <Shell><RevenueReportPage/></Shell> }/>
                <Route path=path!("/home/projection") view=|| view! { <Shell><ProjectionReportPage/></Shell> }/>
                <Route path=path!("/home/marketplace") view=|| view! { <Shell><MarketplaceReportPage/></Shell> }/>
                <Route path=path!("/home/overview") view=|| view! { <Shell><RevenueOverviewPage/></Shell> }/>
                // Home's reports lived under /reports/ until usage reports took that name.
                <Route path=path!("/reports/revenue") view=|| view! { <MovedTo to="/home/revenue"/> }/>
                <Route path=path!("/reports/projection") view=|| view! { <MovedTo to="/home/projection"/> }/>
                <Route path=path!("/reports/marketplace") view=|| view! { <MovedTo to="/home/marketplace"/> }/>
                <Route path=path!("/reports/overview") view=|| view! { <MovedTo to="/home/overview"/> }/>
                <Route path=path!("/billing") view=|| view! { <Shell><BillingIssuesPage/></Shell> }/>
                <Route path=path!("/onboarding") view=|| view! { <Shell><OnboardingPage/></Shell> }/>
                <Route path=path!("/settings/users") view=|| view! { <Shell><UsersSettings/></Shell> }/>
                <Route path=path!("/settings/api-keys") view=|| view! { <Shell><ApiKeysSettings/></Shell> }/>
                <Route path=path!("/settings/fx-rates") view=|| view! { <Shell><FxRatesSettings/></Shell> }/>
            </Routes>
        </Router>
    }
}
