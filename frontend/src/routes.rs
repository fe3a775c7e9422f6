//! The pages that load lazily: each is a route whose view (and every part only it uses) is
//! split into a wasm chunk of its own by the build (`scripts/build-app.sh`) and fetched the
//! first time the page is opened, so the first load carries only login, the shell and Home.
//! A new page adds a line here and a `Route` in `lib.rs`.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use crate::pages::{
    ApiKeysSettings, BillingIssuesPage, Customers, FxRatesSettings, ImportsPage, InsightsPage, InvoicePage,
    InvoicesPage, MarketplaceReportPage, OnboardingPage, OrganizationPage, PartnersPage, Portal, ProjectionReportPage,
    Resellers, RevenueOverviewPage, RevenueReportPage, ServicePlans, Shell, UsageReportsPage, UsersSettings,
};

/// A route whose page, inside the [`Shell`], is its own chunk.
macro_rules! lazy_pages {
    ($($route:ident => $page:ident),+ $(,)?) => {$(
        #[doc = concat!("The lazily loaded route of [`", stringify!($page), "`].")]
        #[derive(Debug)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                let page = view! { <Shell><$page/></Shell> };
                page.into_any()
            }
        }
    )+};
}

lazy_pages! {
    ResellersRoute => Resellers,
    PartnersRoute => PartnersPage,
    InsightsRoute => InsightsPage,
    CustomersRoute => Customers,
    ServicePlansRoute => ServicePlans,
    OrganizationRoute => OrganizationPage,
    PortalRoute => Portal,
    RevenueReportRoute => RevenueReportPage,
    ProjectionReportRoute => ProjectionReportPage,
    MarketplaceReportRoute => MarketplaceReportPage,
    RevenueOverviewRoute => RevenueOverviewPage,
    UsageReportsRoute => UsageReportsPage,
    BillingIssuesRoute => BillingIssuesPage,
    ImportsRoute => ImportsPage,
    InvoicesRoute => InvoicesPage,
    InvoiceRoute => InvoicePage,
    OnboardingRoute => OnboardingPage,
    UsersSettingsRoute => UsersSettings,
    ApiKeysSettingsRoute => ApiKeysSettings,
    FxRatesSettingsRoute => FxRatesSettings,
}
