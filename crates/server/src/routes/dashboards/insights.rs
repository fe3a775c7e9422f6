//! `/insights/…` (seed 002, docs/metrics.md §3–§4): reseller performance over a range of months.
//! Each view answers CSV with `format=csv` (or `Accept: text/csv`).

use actix_web::{get, web};
use domain::api::{AddsChurns, InsightsQuery, InsightsSummary};
use domain::roles::{MoneyFields, Permission};
use store::dashboards::insights::{self, Range};
use utoipa_actix_web::service_config::ServiceConfig;

use super::Report;
use crate::auth::Caller;
use crate::docs::AuthErrors;
use crate::error::ApiError;
use crate::extract::Dated;
use crate::state::AppState;

/// Registers the Insights routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_summary).service(get_adds_churns);
}

/// The range asked for, checked against `as_of`.
fn range(query: &Dated<InsightsQuery>) -> Result<Range, ApiError> {
    Ok(Range::new(query.from.map(|m| m.month()), query.to.map(|m| m.month()), query.as_of)?)
}

/// Per month of the range (default: the 12 months ending `as_of`'s): the resellers active
/// (a subscription running), transacting (revenue not zero) and new (first transacting month
/// ever), revenue and revenue by product family; and the same over the range. Revenue is left
/// out for a role without revenue rights.
#[utoipa::path(
    tag = "dashboards",
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
    let summary = insights::summary(&state.store, &caller.scope, &range(&query)?, sees_money).await?;
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
    let adds = insights::adds_churns(&state.store, &caller.scope, &range(&query)?).await?;
    Ok(Report::new(adds, query.format))
}
