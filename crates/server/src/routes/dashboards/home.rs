//! `/dashboards/home` and the reports behind its panes' menus (seed 000, docs/metrics.md §2).
//! Reports answer JSON, or CSV with `?format=csv` or `Accept: text/csv`.

use actix_web::{HttpRequest, get, web};
use domain::api::{
    AsOfQuery, CustomerRevenue, HomeDashboard, HomeQuery, ListParams, MarketplaceReport, Page, ProjectionReport,
    REVENUE_CUSTOMER_SORTS, RevenueCustomersQuery, RevenueOverview, RevenueReport, RevenueReportQuery, Sort,
};
use domain::metrics::Month;
use domain::roles::{MoneyFields, Permission};
use store::dashboards::home;
use utoipa_actix_web::service_config::ServiceConfig;

use super::home_csv::RevenueExport;
use super::{Report, wants_csv};
use crate::answers::JsonAnswer;
use crate::auth::Caller;
use crate::docs::AuthErrors;
use crate::error::ApiError;
use crate::extract::{Dated, ValidQuery};
use crate::state::AppState;

/// Registers Home's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_home)
        .service(get_revenue_report)
        .service(list_revenue_customers)
        .service(get_projection_report)
        .service(get_marketplace_report)
        .service(get_revenue_overview);
}

/// Reports need the dashboards and the money: every figure in them is revenue.
fn require_reports(caller: &Caller) -> Result<(), ApiError> {
    caller.require(Permission::ViewDashboards)?;
    caller.sees_money(MoneyFields::HomeReports).map(|_| ())
}

/// The Home dashboard of the caller's organisation on `as_of`: this month's revenue, its
/// projection, marketplace spend, account counts, customers still onboarding and open billing
/// issues by customer. For a role without revenue rights the money fields are left out.
#[utoipa::path(
    tag = "dashboards",
    params(HomeQuery),
    responses((status = 200, body = HomeDashboard), AuthErrors),
    security(("bearer" = []))
)]
#[get("/dashboards/home")]
pub async fn get_home(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<HomeQuery>,
) -> Result<JsonAnswer, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    let sees_money = caller.sees_money(MoneyFields::HomeFigures)?;
    let inputs = (query.as_of, sees_money);
    let dashboard = state.answers.answer_json(&state.store, &caller.scope, "home", inputs, |store, scope, (as_of, sees_money)| async move {
        home::home_dashboard(&store, &scope, as_of, sees_money).await
    });
    Ok(dashboard.await?)
}

/// A month's revenue, cost and margin by service (`by_service`, keyed by `ServiceName`) and the
/// number of customer accounts in it (`customers`; page them at
/// `/dashboards/home/revenue/customers`). The CSV holds every account, one row each. The month
/// defaults to `as_of`'s and is then counted to `as_of`.
#[utoipa::path(
    tag = "dashboards",
    params(RevenueReportQuery),
    responses(
        (status = 200, description = "The report as JSON, or as CSV when asked for", content((RevenueReport = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/dashboards/home/revenue")]
pub async fn get_revenue_report(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<RevenueReportQuery>,
    req: HttpRequest,
) -> Result<Report<RevenueExport>, ApiError> {
    require_reports(&caller)?;
    let month = query.month.map_or_else(|| Month::of(query.as_of), |m| m.month());
    // The JSON carries the accounts' count alone: only the CSV names every account.
    let report = if wants_csv(query.format, &req) {
        home::revenue_of_month(&state.store, &caller.scope, month, query.as_of).await?
    } else {
        let inputs = (month, query.as_of);
        let report = state
            .answers
            .answer(&state.store, &caller.scope, "home revenue", inputs, |store, scope, (month, as_of)| async move {
                home::revenue_report(&store, &scope, month, as_of).await
            })
            .await?;
        home::RevenueMonth { report, customers: Vec::new() }
    };
    Ok(Report::new(RevenueExport(report), query.format))
}

/// One page of the customer accounts of a month's revenue: each with its reseller, revenue,
/// cost and margin. `q` searches name, external id and reseller name; `sort` takes name,
/// external_id, reseller_name, revenue, cost or margin (default `-revenue`).
#[utoipa::path(
    tag = "dashboards",
    params(RevenueCustomersQuery, ListParams),
    responses((status = 200, body = Page<CustomerRevenue>), AuthErrors),
    security(("bearer" = []))
)]
#[get("/dashboards/home/revenue/customers")]
pub async fn list_revenue_customers(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<RevenueCustomersQuery>,
    list: ValidQuery<ListParams>,
) -> Result<JsonAnswer, ApiError> {
    require_reports(&caller)?;
    let mut list = list.check(REVENUE_CUSTOMER_SORTS)?;
    if list.sort.is_none() {
        list.sort = Some(Sort { field: "revenue", descending: true });
    }
    let month = query.month.map_or_else(|| Month::of(query.as_of), |m| m.month());
    let inputs = (month, query.as_of, list);
    let page = state.answers.answer_json(
        &state.store,
        &caller.scope,
        "home revenue customers",
        inputs,
        |store, scope, (month, as_of, list)| async move {
            home::revenue_customers(&store, &scope, month, as_of, &list).await
        },
    );
    Ok(page.await?)
}

/// The month's projected revenue by provider and service (absent, with the reason, before 30
/// days of billing data).
#[utoipa::path(
    tag = "dashboards",
    params(AsOfQuery),
    responses(
        (status = 200, description = "The report as JSON, or as CSV when asked for", content((ProjectionReport = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/dashboards/home/projection")]
pub async fn get_projection_report(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<AsOfQuery>,
) -> Result<Report<ProjectionReport>, ApiError> {
    require_reports(&caller)?;
    let report = state
        .answers
        .answer(&state.store, &caller.scope, "home projection", query.as_of, |store, scope, as_of| async move {
            home::projection_by_service(&store, &scope, as_of).await
        })
        .await?;
    Ok(Report::new(report, query.format))
}

/// Marketplace spend for the 12 months ending with `as_of`'s, month over month.
#[utoipa::path(
    tag = "dashboards",
    params(AsOfQuery),
    responses(
        (status = 200, description = "The report as JSON, or as CSV when asked for", content((MarketplaceReport = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/dashboards/home/marketplace")]
pub async fn get_marketplace_report(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<AsOfQuery>,
) -> Result<Report<MarketplaceReport>, ApiError> {
    require_reports(&caller)?;
    let report = state
        .answers
        .answer(&state.store, &caller.scope, "home marketplace", query.as_of, |store, scope, as_of| async move {
            home::marketplace_by_month(&store, &scope, as_of).await
        })
        .await?;
    Ok(Report::new(report, query.format))
}

/// The full revenue dashboard: 12 months of revenue, cost and margin by provider, with the top
/// customers and services over those months.
#[utoipa::path(
    tag = "dashboards",
    params(AsOfQuery),
    responses(
        (status = 200, description = "The report as JSON, or as CSV when asked for", content((RevenueOverview = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/dashboards/home/overview")]
pub async fn get_revenue_overview(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<AsOfQuery>,
) -> Result<Report<RevenueOverview>, ApiError> {
    require_reports(&caller)?;
    let report = state
        .answers
        .answer(&state.store, &caller.scope, "home overview", query.as_of, |store, scope, as_of| async move {
            home::revenue_overview(&store, &scope, as_of).await
        })
        .await?;
    Ok(Report::new(report, query.format))
}
