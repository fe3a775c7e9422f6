//! `/dashboards/partners` and its paged lists (seed 001, docs/metrics.md §8): the distributor's
//! console.

use actix_web::{get, web};
use chrono::Utc;
use domain::api::{InactivePartner, ListParams, NewPartner, Page, PartnersDashboard, PartnersQuery, UnitsDecrease};
use domain::kinds::ReportCategory;
use domain::roles::{MoneyFields, Permission};
use store::dashboards::partners;
use store::reports;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Listed, Report};
use crate::auth::Caller;
use crate::docs::AuthErrors;
use crate::error::ApiError;
use crate::extract::{Dated, ValidQuery};
use crate::state::AppState;

/// The inactive-new-partners window when none is asked for, in days.
const DEFAULT_INACTIVE_DAYS: u32 = 90;

/// Registers the Partners dashboard's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_partners)
        .service(list_new_partners)
        .service(list_inactive_new_partners)
        .service(list_decreasing_units);
}

/// The threshold of decreasing units when none is asked for, in percent.
const DEFAULT_THRESHOLD_PCT: i64 = 10;

/// The threshold asked for, checked: 0 to 100 percent.
fn threshold_pct(query: &PartnersQuery) -> Result<rust_decimal::Decimal, ApiError> {
    let hundred = rust_decimal::Decimal::ONE_HUNDRED;
    match query.threshold_pct {
        None => Ok(rust_decimal::Decimal::from(DEFAULT_THRESHOLD_PCT)),
        Some(pct) if pct >= rust_decimal::Decimal::ZERO && pct <= hundred => Ok(pct),
        Some(_) => Err(ApiError::invalid("threshold_pct", "must be between 0 and 100")),
    }
}

/// The window and threshold asked for, both checked by every endpoint that takes them, whether
/// it reads them or not: a query the spec forbids is refused wherever it is sent.
fn window_and_threshold(query: &PartnersQuery) -> Result<(u32, rust_decimal::Decimal), ApiError> {
    Ok((inactive_days(query)?, threshold_pct(query)?))
}

/// The window asked for, checked: 1 to 3650 days.
fn inactive_days(query: &PartnersQuery) -> Result<u32, ApiError> {
    match query.inactive_days {
        None => Ok(DEFAULT_INACTIVE_DAYS),
        Some(days @ 1..=3650) => Ok(days),
        Some(_) => Err(ApiError::invalid("inactive_days", "must be between 1 and 3650")),
    }
}

/// The Partners console of the caller's subtree on `as_of`: enabled customers, active partners,
/// enabled service plans and customers by licence status (each with the API list it counts),
/// partner acquisition this year against last, new partners, inactive new partners and the
/// products whose chargeable units fell by more than `threshold_pct` at a reseller. A reseller
/// gets its own customers' counts and no partner rows; revenue is left out for a role
/// without revenue rights. `format=csv` (or `Accept: text/csv`) gives its figures as CSV.
#[utoipa::path(
    tag = "dashboards",
    params(PartnersQuery),
    responses(
        (status = 200, description = "The console as JSON, or its figures as CSV", content((PartnersDashboard = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/dashboards/partners")]
pub async fn get_partners(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<PartnersQuery>,
) -> Result<Report<PartnersDashboard>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    let sees_money = caller.sees_money(MoneyFields::HomeFigures)?;
    let (days, threshold) = window_and_threshold(&query)?;
    let inputs = (query.as_of, days, threshold, sees_money);
    let mut dashboard = state
        .answers
        .answer(
            &state.store,
            &caller.scope,
            "partners",
            inputs,
            |store, scope, (as_of, days, threshold, sees_money)| async move {
                partners::partners_dashboard(&store, &scope, as_of, days, threshold, sees_money).await
            },
        )
        .await?;
    if caller.role.can(Permission::ViewReports) {
        let since = Utc::now().date_naive() - chrono::Duration::days(29);
        let billing = caller.role.sees(MoneyFields::BillingReports);
        let categories: &[ReportCategory] =
            if billing { &[ReportCategory::Usage, ReportCategory::Billing] } else { &[ReportCategory::Usage] };
        let mut tiles = reports::status_tiles(&state.store, &caller.scope, categories, since).await?.into_iter();
        dashboard.usage_report_status = tiles.next();
        dashboard.billing_report_status = tiles.next();
    }
    Ok(Report::new(dashboard, query.format))
}

/// One page of the resellers created in the 30 days ending `as_of`, latest first, with their
/// non-trial subscriptions and revenue since; `format=csv` lists them all as CSV.
#[utoipa::path(
    tag = "dashboards",
    params(PartnersQuery, ListParams),
    responses(
        (status = 200, description = "A page as JSON, or the whole list as CSV", content((Page<NewPartner> = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/dashboards/partners/new-partners")]
pub async fn list_new_partners(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<PartnersQuery>,
    list: ValidQuery<ListParams>,
) -> Result<Report<Listed<NewPartner>>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    let sees_money = caller.sees_money(MoneyFields::HomeFigures)?;
    window_and_threshold(&query)?;
    let list = list.check(&[])?;
    let inputs = (query.as_of, sees_money);
    let all = state
        .answers
        .answer(&state.store, &caller.scope, "partners new", inputs, |store, scope, (as_of, sees_money)| async move {
            partners::new_partners(&store, &scope, as_of, sees_money, 1, u64::MAX).await
        })
        .await?;
    let name = format!("new-partners-{}", query.as_of);
    Ok(Report::new(Listed::paged(all.items, list.page, list.per_page, name), query.format))
}

/// One page of the resellers created in the `inactive_days` ending `as_of` with no non-trial
/// subscription started since, latest first; `format=csv` lists them all as CSV.
#[utoipa::path(
    tag = "dashboards",
    params(PartnersQuery, ListParams),
    responses(
        (status = 200, description = "A page as JSON, or the whole list as CSV", content((Page<InactivePartner> = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/dashboards/partners/inactive-new-partners")]
pub async fn list_inactive_new_partners(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<PartnersQuery>,
    list: ValidQuery<ListParams>,
) -> Result<Report<Listed<InactivePartner>>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    let (days, _) = window_and_threshold(&query)?;
    let list = list.check(&[])?;
    let inputs = (query.as_of, days);
    let all = state
        .answers
        .answer(
            &state.store,
            &caller.scope,
            "partners inactive new",
            inputs,
            |store, scope, (as_of, days)| async move {
                partners::inactive_new_partners(&store, &scope, as_of, days, 1, u64::MAX).await
            },
        )
        .await?;
    let name = format!("inactive-new-partners-{}", query.as_of);
    Ok(Report::new(Listed::paged(all.items, list.page, list.per_page, name), query.format))
}

/// One page of the products whose chargeable units fell at a reseller by more than
/// `threshold_pct` from the month before the last complete one to it, largest fall first;
/// `format=csv` lists them all as CSV.
#[utoipa::path(
    tag = "dashboards",
    params(PartnersQuery, ListParams),
    responses(
        (status = 200, description = "A page as JSON, or the whole list as CSV", content((Page<UnitsDecrease> = "application/json"), (String = "text/csv"))),
        AuthErrors
    ),
    security(("bearer" = []))
)]
#[get("/dashboards/partners/decreasing-units")]
pub async fn list_decreasing_units(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<PartnersQuery>,
    list: ValidQuery<ListParams>,
) -> Result<Report<Listed<UnitsDecrease>>, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    let (_, threshold) = window_and_threshold(&query)?;
    let list = list.check(&[])?;
    let inputs = (query.as_of, threshold);
    let all = state
        .answers
        .answer(
            &state.store,
            &caller.scope,
            "partners decreasing units",
            inputs,
            |store, scope, (as_of, threshold)| async move {
                partners::decreasing_units_page(&store, &scope, as_of, threshold, 1, u64::MAX).await
            },
        )
        .await?;
    let name = format!("decreasing-units-{}", query.as_of);
    Ok(Report::new(Listed::paged(all.items, list.page, list.per_page, name), query.format))
}
