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

pub mod routes;

use leptos::prelude::*;
use leptos_router::Lazy;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::prelude::wasm_bindgen;

use pages::{Home, Login, MovedTo, NotFound, Shell};
use routes::*;

/// Starts the app when its wasm is instantiated: panic messages to the browser console, then
/// mount.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// The app: the router and its pages. Every page but login sits in the [`Shell`], which
/// checks the session and shows the navigation; all but Home load lazily ([`routes`]).
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <Shell><NotFound/></Shell> }>
                <Route path=path!("/login") view=Login/>
                <Route path=path!("/") view=|| view! { <Shell><Home/></Shell> }/>
                <Route path=path!("/resellers") view={Lazy::<ResellersRoute>::new()}/>
                <Route path=path!("/partners") view={Lazy::<PartnersRoute>::new()}/>
                <Route path=path!("/service-plans") view={Lazy::<ServicePlansRoute>::new()}/>
                <Route path=path!("/insights") view={Lazy::<InsightsRoute>::new()}/>
                <Route path=path!("/customers") view={Lazy::<CustomersRoute>::new()}/>
                <Route path=path!("/organizations/:id") view={Lazy::<OrganizationRoute>::new()}/>
                <Route path=path!("/portal") view={Lazy::<PortalRoute>::new()}/>
                <Route path=path!("/home/revenue") view={Lazy::<RevenueReportRoute>::new()}/>
                <Route path=path!("/home/projection") view={Lazy::<ProjectionReportRoute>::new()}/>
                <Route path=path!("/home/marketplace") view={Lazy::<MarketplaceReportRoute>::new()}/>
                <Route path=path!("/home/overview") view={Lazy::<RevenueOverviewRoute>::new()}/>
                <Route path=path!("/reports") view={Lazy::<UsageReportsRoute>::new()}/>
                // Home's reports lived under /reports/ until usage reports took that name.
                <Route path=path!("/reports/revenue") view=|| view! { <MovedTo to="/home/revenue"/> }/>
                <Route path=path!("/reports/projection") view=|| view! { <MovedTo to="/home/projection"/> }/>
                <Route path=path!("/reports/marketplace") view=|| view! { <MovedTo to="/home/marketplace"/> }/>
                <Route path=path!("/reports/overview") view=|| view! { <MovedTo to="/home/overview"/> }/>
                <Route path=path!("/billing") view={Lazy::<BillingIssuesRoute>::new()}/>
                <Route path=path!("/imports") view={Lazy::<ImportsRoute>::new()}/>
                <Route path=path!("/invoices") view={Lazy::<InvoicesRoute>::new()}/>
                <Route path=path!("/invoices/:id") view={Lazy::<InvoiceRoute>::new()}/>
                <Route path=path!("/onboarding") view={Lazy::<OnboardingRoute>::new()}/>
                <Route path=path!("/settings/users") view={Lazy::<UsersSettingsRoute>::new()}/>
                <Route path=path!("/settings/api-keys") view={Lazy::<ApiKeysSettingsRoute>::new()}/>
                <Route path=path!("/settings/fx-rates") view={Lazy::<FxRatesSettingsRoute>::new()}/>
            </Routes>
        </Router>
    }
}
