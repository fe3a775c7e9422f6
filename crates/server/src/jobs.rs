//! Background jobs of `tierdash serve`: the portal's renewals, hourly. Cron users can run the
//! same with `tierdash renewals run`; both may run at once (each period is renewed once).

use std::time::Duration;

use chrono::Utc;
use store::Store;

/// How often the server looks for renewals that fell due.
pub const RENEWAL_EVERY: Duration = Duration::from_secs(3600);

/// Runs the renewal job now and then every [`RENEWAL_EVERY`], logging what it did.
pub fn spawn_renewals(store: Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(RENEWAL_EVERY);
        loop {
            tick.tick().await;
            match store::portal::renewals::run(&store, Utc::now().date_naive()).await {
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
