//! `/usage/…` (seed 003): the usage pages — summary, resellers, one reseller's overview and
//! organisation sites — for a month, as the latest scheduled usage update left them; their
//! answers kept until the data, the snapshot or the reports change (`answers.rs`).

use actix_web::{get, web};
use domain::api::{
    CustomerUsage, ListParams, Page, ResellerUsage, ResellerUsageOverview, UsageOrganizationsFilter, UsageQuery,
    UsageSummary,
};
use domain::metrics::Month;
use domain::roles::{MoneyFields, Permission};
use store::usage::{self, USAGE_SORTS, UsageAsk};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::answers::{JsonAnswer, View};
use crate::auth::Caller;
use crate::docs::{AuthErrors, NotFound};
use crate::error::ApiError;
use crate::extract::{Dated, ValidQuery};
use crate::state::AppState;

/// Registers the usage routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_summary).service(list_resellers).service(get_reseller).service(list_organizations);
}

/// The month asked for (default `as_of`'s), not after `as_of`'s; and what the caller sees.
fn ask(caller: &Caller, state: &AppState, query: &Dated<UsageQuery>) -> Result<UsageAsk, ApiError> {
    caller.require(Permission::ViewReports)?;
    let current = Month::of(query.as_of);
    let period = query.period.map_or(current, |p| p.month());
    if period > current {
        return Err(ApiError::invalid("period", "must not be after as_of's month"));
    }
    let every = state.jobs.usage_every.and_then(|d| chrono::Duration::from_std(d).ok());
    Ok(UsageAsk { period, sees_money: caller.sees_money(MoneyFields::UsageFigures)?, every })
}

/// The summary tab: resellers and organisation sites with usage in the month, and per service
/// the consumed quantity, chargeable units, revenue and lines; with when usage was last updated
/// and when the next update is due.
#[utoipa::path(
    tag = "usage",
    operation_id = "get_usage_summary",
    params(UsageQuery),
    responses((status = 200, body = UsageSummary), AuthErrors),
    security(("bearer" = []))
)]
#[get("/usage/summary")]
pub async fn get_summary(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<UsageQuery>,
) -> Result<JsonAnswer, ApiError> {
    let ask = ask(&caller, &state, &query)?;
    let summary = state.answers.answer_json(
        &state.store,
        &caller.scope,
        View::usage("usage summary"),
        ask,
        |store, scope, ask| async move { usage::summary(&store, &scope, &ask).await },
    );
    Ok(summary.await?)
}

/// The reseller usage tab: every reseller in scope by name (`sort=-name` for the reverse;
/// `q` searches name, external id and domain) with the services billed in the month, its
/// customers with usage, lines and revenue, and its latest usage report for the month.
#[utoipa::path(
    tag = "usage",
    params(UsageQuery, ListParams),
    responses((status = 200, body = Page<ResellerUsage>), AuthErrors),
    security(("bearer" = []))
)]
#[get("/usage/resellers")]
pub async fn list_resellers(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<UsageQuery>,
    list: ValidQuery<ListParams>,
) -> Result<JsonAnswer, ApiError> {
    let ask = ask(&caller, &state, &query)?;
    let list = list.check(USAGE_SORTS)?;
    let page = state.answers.answer_json(
        &state.store,
        &caller.scope,
        View::usage("usage resellers"),
        (ask, list),
        |store, scope, (ask, list)| async move { usage::resellers(&store, &scope, &ask, &list).await },
    );
    Ok(page.await?)
}

/// One reseller's overview: its totals, service usage, resource usage per provider, and its
/// organisation sites with the most lines.
#[utoipa::path(
    tag = "usage",
    params(("id" = i64, Path, description = "Reseller id"), UsageQuery),
    responses((status = 200, body = ResellerUsageOverview), AuthErrors, NotFound),
    security(("bearer" = []))
)]
#[get("/usage/resellers/{id}")]
pub async fn get_reseller(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: Dated<UsageQuery>,
) -> Result<JsonAnswer, ApiError> {
    let ask = ask(&caller, &state, &query)?;
    let overview = state.answers.answer_json(
        &state.store,
        &caller.scope,
        View::usage("usage reseller"),
        (id.into_inner(), ask),
        |store, scope, (id, ask)| async move { usage::reseller(&store, &scope, id, &ask).await },
    );
    Ok(overview.await?)
}

/// The organisation-site tab: the customers in scope with usage in the month (of one reseller
/// with `reseller_id`), by name, each with its usage per service.
#[utoipa::path(
    tag = "usage",
    operation_id = "list_usage_organizations",
    params(UsageQuery, UsageOrganizationsFilter, ListParams),
    responses((status = 200, body = Page<CustomerUsage>), AuthErrors),
    security(("bearer" = []))
)]
#[get("/usage/organizations")]
pub async fn list_organizations(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<UsageQuery>,
    filter: ValidQuery<UsageOrganizationsFilter>,
    list: ValidQuery<ListParams>,
) -> Result<JsonAnswer, ApiError> {
    let ask = ask(&caller, &state, &query)?;
    let list = list.check(USAGE_SORTS)?;
    let page = state.answers.answer_json(
        &state.store,
        &caller.scope,
        View::usage("usage organizations"),
        (ask, filter.reseller_id, list),
        |store, scope, (ask, reseller, list)| async move {
            usage::organizations(&store, &scope, &ask, reseller, &list).await
        },
    );
    Ok(page.await?)
}
