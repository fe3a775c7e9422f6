//! The demo's usage snapshot and reports (seed 003): usage updated for the current and previous
//! month, and reports in every state a user meets — ready ones of the distributor and of its
//! first reseller, one that failed, and one still pending (the server's workers take it on
//! first start).

use chrono::Duration;
use domain::api::NewReport;
use domain::kinds::ReportKind;
use domain::metrics::Month;
use store::reports::{self, Request, worker};
use store::{Scope, Store, StoreError, admin};

use crate::Dates;
use crate::logins::LOGINS;

/// Writes the snapshot and the reports.
pub(crate) async fn write(
    store: &Store,
    distributor: &Scope,
    first_reseller: i64,
    dates: &Dates,
) -> Result<(), StoreError> {
    store::usage::refresh(store, &store::usage::default_months(dates.today)).await?;
    let current = Month::of(dates.today);
    let previous = current.previous();
    let reseller = admin::scope_of(store, first_reseller).await?;
    let admin = LOGINS[0].email;
    let ready = [
        (distributor, ReportKind::ResellerUsage, previous, None),
        (distributor, ReportKind::CustomerUsage, previous, None),
        (distributor, ReportKind::Billing, previous, None),
        (distributor, ReportKind::ResellerUsage, current, Some(first_reseller)),
        (&reseller, ReportKind::CustomerUsage, previous, None),
    ];
    for (scope, kind, period, reseller_id) in ready {
        ask(store, scope, kind, period, reseller_id, admin, dates).await?;
        let claimed = worker::claim(store, Duration::seconds(60)).await?;
        if let Some(claimed) = claimed {
            worker::generate(store, &claimed, Duration::seconds(60)).await?;
        }
    }
    // A report whose generation was cut short too often: it failed, and says what to do.
    ask(store, distributor, ReportKind::UsageSummary, previous.previous(), None, admin, dates).await?;
    if let Some(claimed) = worker::claim(store, Duration::seconds(60)).await? {
        worker::fail(store, &claimed, "generation stopped before the end 3 times; request it again").await?;
    }
    ask(store, distributor, ReportKind::UsageSummary, current, None, LOGINS[1].email, dates).await?;
    Ok(())
}

/// Requests a report as `who`.
async fn ask(
    store: &Store,
    scope: &Scope,
    kind: ReportKind,
    period: Month,
    reseller_id: Option<i64>,
    who: &str,
    dates: &Dates,
) -> Result<(), StoreError> {
    let report = NewReport { kind, period: period.to_string(), reseller_id };
    let request = Request { report, requested_by: who.to_owned(), today: dates.today, retention_days: 90 };
    reports::request(store, scope, request).await?;
    Ok(())
}
