//! Background jobs of `tierdash serve`: the portal's renewals, hourly; the scheduled usage
//! update; the report workers; and the deletion of expired reports. Cron users can run renewals
//! and usage updates with `tierdash renewals run` and `tierdash usage refresh`; either may run
//! beside the server's (each renewal period is renewed once; one usage refresh runs at a time,
//! across processes).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use store::Store;
use tokio::sync::Notify;

use actix_web::web;

use crate::config::JobsConfig;
use crate::metrics::Metrics;

/// How often the server looks for renewals that fell due.
pub const RENEWAL_EVERY: Duration = Duration::from_secs(3600);

/// How often an idle report worker looks for work it was not woken for (a report requested
/// through another process, or one whose worker died).
const REPORT_POLL: Duration = Duration::from_secs(5);

/// How often expired reports are deleted.
const EXPIRY_EVERY: Duration = Duration::from_secs(3600);

/// Starts every background job.
pub fn spawn_all(store: &Store, jobs: &JobsConfig, reports_waiting: &Arc<Notify>, metrics: &web::Data<Metrics>) {
    spawn_renewals(store.clone(), metrics.clone());
    if let Some(every) = jobs.usage_every {
        spawn_usage_refresh(store.clone(), every);
    }
    for worker in 0..jobs.report_workers {
        spawn_report_worker(store.clone(), worker, jobs.report_lease, reports_waiting.clone());
    }
    spawn_report_expiry(store.clone());
}

/// Runs the renewal job now and then every [`RENEWAL_EVERY`], logging what it did.
pub fn spawn_renewals(store: Store, metrics: web::Data<Metrics>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(RENEWAL_EVERY);
        loop {
            tick.tick().await;
            let run = store::portal::renewals::run(&store, Utc::now().date_naive()).await;
            if let Ok(run) = &run {
                metrics.renewals(run);
            }
            match run {
                Ok(run) if run.renewed + run.expired + run.ended + run.failed > 0 => {
                    tracing::info!(
                        renewed = run.renewed,
                        expired = run.expired,
                        ended = run.ended,
                        failed = run.failed,
                        "renewals"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = ?e, "the renewal job failed; it runs again in an hour"),
            }
        }
    });
}

/// Updates usage for the current and previous month now and then every `every`.
fn spawn_usage_refresh(store: Store, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            let months = store::usage::default_months(Utc::now().date_naive());
            match store::usage::refresh(&store, &months).await {
                Ok(Some(done)) => tracing::info!(rows = done.rows, months = ?done.months, "usage updated"),
                Ok(None) => tracing::info!("a usage update is already running elsewhere; skipped"),
                Err(e) => tracing::error!(error = ?e, "the usage update failed; it runs again on schedule"),
            }
        }
    });
}

/// A report worker: claims a report, generates it, and looks again; sleeps until woken (a report
/// requested here) or [`REPORT_POLL`] when there is none.
fn spawn_report_worker(store: Store, worker: usize, lease: Duration, waiting: Arc<Notify>) {
    let lease = chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60));
    tokio::spawn(async move {
        loop {
            match store::reports::worker::claim(&store, lease).await {
                Ok(Some(claimed)) => match store::reports::worker::generate(&store, &claimed, lease).await {
                    Ok(status) => tracing::info!(worker, report = claimed.id, %status, "report generated"),
                    Err(e) => tracing::error!(worker, report = claimed.id, error = ?e, "a report could not be marked"),
                },
                Ok(None) => {
                    let _ = tokio::time::timeout(REPORT_POLL, waiting.notified()).await;
                }
                Err(e) => {
                    tracing::error!(worker, error = ?e, "looking for reports failed");
                    tokio::time::sleep(REPORT_POLL).await;
                }
            }
        }
    });
}

/// Deletes expired reports now and then every [`EXPIRY_EVERY`].
fn spawn_report_expiry(store: Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EXPIRY_EVERY);
        loop {
            tick.tick().await;
            match store::reports::expire(&store, Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "expired reports deleted"),
                Err(e) => tracing::error!(error = ?e, "deleting expired reports failed"),
            }
        }
    });
}
