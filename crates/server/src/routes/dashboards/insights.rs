//! `/insights/…` (seed 002, docs/metrics.md §3–§4): reseller performance over a range of months.
//! Each view answers CSV with `format=csv` (or `Accept: text/csv`).

use actix_web::{HttpRequest, get, web};
use domain::api::{
    AddsChurns, InsightsAgreements, InsightsGeography, InsightsProducts, InsightsQuery, InsightsSegments,
    InsightsSummary, ListParams, Page, REVENUE_TREND_SORTS, ResellerTrend,
};
use domain::roles::{MoneyFields, Permission};
use store::dashboards::insights::{self, Range};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Listed, Report, wants_csv};
use crate::auth::Caller;
use crate::docs::AuthErrors;
use crate::error::ApiError;
use crate::extract::{Dated, ValidQuery};
use crate::state::AppState;

/// Registers the Insights routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_summary)
        .service(get_adds_churns)
        .service(get_revenue_trend)
        .service(get_products)
        .service(get_geography)
        .service(get_segments)
        .service(get_agreements);
}

/// The range asked for, checked against `as_of`.
pub(super) fn range(query: &Dated<InsightsQuery>) -> Result<Range, ApiError> {
    Ok(Range::new(query.from.map(|m| m.month()), query.to.map(|m| m.month()), query.as_of)?)
}

/// Per month of the range (default: the 12 months ending `as_of`'s): the resellers active
/// (a subscription running), transacting (revenue not zero) and new (first transacting month
/// ever), revenue and revenue by product family; and the same over the range. Revenue is left
/// out for a role without revenue rights.
#[utoipa::path(
    tag = "dashboards",
    operation_id = "get_insights_summary",
    params(InsightsQuery),
    responses(
        (status = 200, description = "The summary as JSON, or its months as CSV", content((InsightsSummary = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/insights/summary")]
pub async fn get_summary(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<InsightsQuery>,
) -> Result<Report<InsightsSummary>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    let sees_money = caller.sees_money(MoneyFields::HomeFigures)?;
    let range = range(&query)?;
    let inputs = (range, sees_money);
    let summary =
        state
            .answers
            .answer(
                &state.store,
                &caller.scope,
                "insights summary",
                inputs,
                |store, scope, (range, sees_money)| async move {
                    insights::summary(&store, &scope, &range, sees_money).await
                },
            )
            .await?;
    Ok(Report::new(summary, query.format))
}

/// Per month of the range: resellers enrolled (created), churned (latest transacting month
/// before it the 7th before it) and existing (transacting the month before).
#[utoipa::path(
    tag = "dashboards",
    params(InsightsQuery),
    responses(
        (status = 200, description = "Adds and churns as JSON, or as CSV", content((AddsChurns = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/insights/adds-churns")]
pub async fn get_adds_churns(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<InsightsQuery>,
) -> Result<Report<AddsChurns>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    let range = range(&query)?;
    let adds = state
        .answers
        .answer(&state.store, &caller.scope, "insights adds-churns", range, |store, scope, range| async move {
            insights::adds_churns(&store, &scope, &range).await
        })
        .await?;
    Ok(Report::new(adds, query.format))
}

/// Per reseller in scope its revenue by product family, month by month over the range;
/// searched by name or external id (`q`), sorted by the range's revenue (default largest first)
/// or by name, paged; `format=csv` gives every reseller's months as CSV. All of it is money:
/// refused to a role without revenue rights.
#[utoipa::path(
    tag = "dashboards",
    params(InsightsQuery, ListParams),
    responses(
        (status = 200, description = "A page as JSON, or every reseller's months as CSV", content((Page<ResellerTrend> = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/insights/revenue-trend")]
pub async fn get_revenue_trend(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<InsightsQuery>,
    list: ValidQuery<ListParams>,
) -> Result<Report<Listed<ResellerTrend>>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    caller.sees_money(MoneyFields::HomeReports)?;
    let mut list = list.check(REVENUE_TREND_SORTS)?;
    let range = range(&query)?;
    let (page, per_page) = (list.page, list.per_page);
    // JSON reads the page's resellers by product only; the CSV holds every reseller.
    let everything = wants_csv(query.format, &req);
    if everything {
        (list.page, list.per_page) = (1, u64::MAX);
    }
    let inputs = (range, list);
    let found = state
        .answers
        .answer(
            &state.store,
            &caller.scope,
            "insights revenue-trend",
            inputs,
            |store, scope, (range, list)| async move { insights::revenue_trend(&store, &scope, &range, &list).await },
        )
        .await?;
    let name = format!("insights-revenue-trend-{}", query.as_of);
    Ok(Report::new(Listed::answer(found, everything, page, per_page, name), query.format))
}

/// Per month of the range: revenue by product family, subscriptions and licences by product
/// (SKU); and the families' top five over the range (five by name, then "Others"). Revenue is
/// left out for a role without revenue rights.
#[utoipa::path(
    tag = "dashboards",
    params(InsightsQuery),
    responses(
        (status = 200, description = "The products view as JSON, or its rows as CSV", content((InsightsProducts = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/insights/products")]
pub async fn get_products(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<InsightsQuery>,
) -> Result<Report<InsightsProducts>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    let sees_money = caller.sees_money(MoneyFields::HomeFigures)?;
    let range = range(&query)?;
    let inputs = (range, sees_money);
    let products =
        state
            .answers
            .answer(
                &state.store,
                &caller.scope,
                "insights products",
                inputs,
                |store, scope, (range, sees_money)| async move {
                    insights::products(&store, &scope, &range, sees_money).await
                },
            )
            .await?;
    Ok(Report::new(products, query.format))
}

/// Per reseller country ("Unknown" when none): resellers transacting in the range, new ones
/// (first transacting month in it) and revenue; active resellers per month for the five
/// countries with most revenue and Others; and those five's revenue. Revenue is left out for a
/// role without revenue rights.
#[utoipa::path(
    tag = "dashboards",
    params(InsightsQuery),
    responses(
        (status = 200, description = "The geography view as JSON, or its countries as CSV", content((InsightsGeography = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/insights/geography")]
pub async fn get_geography(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<InsightsQuery>,
) -> Result<Report<InsightsGeography>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    let sees_money = caller.sees_money(MoneyFields::HomeFigures)?;
    let range = range(&query)?;
    let inputs = (range, sees_money);
    let geography =
        state
            .answers
            .answer(
                &state.store,
                &caller.scope,
                "insights geography",
                inputs,
                |store, scope, (range, sees_money)| async move {
                    insights::geography(&store, &scope, &range, sees_money).await
                },
            )
            .await?;
    Ok(Report::new(geography, query.format))
}

/// Per customer segment ("Unknown" when none; customers of a reseller): its customers counted
/// on `as_of` and revenue over the range; per month its revenue, subscriptions and licences; and
/// the segments' top five over the range. Revenue is left out for a role without revenue rights.
#[utoipa::path(
    tag = "dashboards",
    params(InsightsQuery),
    responses(
        (status = 200, description = "The segments view as JSON, or its rows as CSV", content((InsightsSegments = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/insights/segments")]
pub async fn get_segments(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<InsightsQuery>,
) -> Result<Report<InsightsSegments>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    let sees_money = caller.sees_money(MoneyFields::HomeFigures)?;
    let range = range(&query)?;
    let inputs = (range, sees_money);
    let segments =
        state
            .answers
            .answer(
                &state.store,
                &caller.scope,
                "insights segments",
                inputs,
                |store, scope, (range, sees_money)| async move {
                    insights::segments(&store, &scope, &range, sees_money).await
                },
            )
            .await?;
    Ok(Report::new(segments, query.format))
}

/// Each reseller's agreement and vetting status ("unknown" when none is recorded), by name,
/// searched by name or external id and paged, with the counts per status over every reseller in
/// scope.
#[utoipa::path(
    tag = "dashboards",
    params(InsightsQuery, ListParams),
    responses(
        (status = 200, description = "The statuses as JSON, or every reseller's as CSV", content((InsightsAgreements = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/insights/agreements")]
pub async fn get_agreements(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<InsightsQuery>,
    list: ValidQuery<ListParams>,
) -> Result<Report<AgreementsAnswer>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    let mut list = list.check(&[])?;
    let (page, per_page) = (list.page, list.per_page);
    (list.page, list.per_page) = (1, u64::MAX);
    let inputs = list;
    let all = state
        .answers
        .answer(&state.store, &caller.scope, "insights agreements", inputs, |store, scope, list| async move {
            insights::agreements(&store, &scope, &list).await
        })
        .await?;
    // Taken apart rather than cloned with the page: the answer holds every reseller.
    let InsightsAgreements { agreement_counts, vetting_counts, items: every, total, .. } = all;
    let skip = usize::try_from(page.saturating_sub(1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    let items = every.iter().skip(skip).take(usize::try_from(per_page).unwrap_or(usize::MAX)).cloned().collect();
    let shown = InsightsAgreements { agreement_counts, vetting_counts, items, total, page, per_page };
    Ok(Report::new(AgreementsAnswer { page: shown, all: every, as_of: query.as_of.to_string() }, query.format))
}

/// The agreements view: the page as JSON, every reseller in the CSV.
pub struct AgreementsAnswer {
    pub(super) page: InsightsAgreements,
    pub(super) all: Vec<domain::api::ResellerAgreement>,
    pub(super) as_of: String,
}

impl serde::Serialize for AgreementsAnswer {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.page.serialize(serializer)
    }
}
