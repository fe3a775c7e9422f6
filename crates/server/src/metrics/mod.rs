//! What `GET /metrics` reports, in the Prometheus text format (docs/api.md §8): each
//! request's latency per route, method and status; imports (batches by outcome, rows, time);
//! renewal runs; and, read when scraped, the report queue, the database pool and the kept
//! dashboard answers.
//!
//! Labels come from a fixed set — the route's template, never the path a client typed, and the
//! standard methods — so no request can add series without bound.

mod histogram;
pub mod middleware;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

use domain::api::RenewalRun;
pub use histogram::Histogram;
use store::PoolStats;

use crate::answers::AnswerStats;

/// The process's counters and histograms.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, String, u16), Histogram>>,
    imports: Mutex<Imports>,
    renewals: Mutex<RenewalRun>,
    renewal_runs: Mutex<u64>,
}

#[derive(Debug, Default)]
struct Imports {
    /// Batches by outcome: completed, duplicate, dry_run, rejected, failed.
    batches: BTreeMap<&'static str, u64>,
    /// Rows of completed batches.
    rows: u64,
    /// Each batch's time, whatever its outcome.
    seconds: Histogram,
}

/// What is read from the database when scraped.
#[derive(Debug, Clone, Default)]
pub struct Gauges {
    /// Reports per status.
    pub reports: BTreeMap<&'static str, u64>,
    /// The connection pool.
    pub pool: Option<PoolStats>,
    /// The kept answers of the slow dashboard reads.
    pub answers: Option<AnswerStats>,
}

/// The methods labelled as themselves; any other is `OTHER`.
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Metrics {
    /// Counts a request answered in `seconds`; `route` is the matched route's template, or
    /// `None` when no route matched.
    pub fn request(&self, method: &str, route: Option<&str>, status: u16, seconds: f64) {
        let method = METHODS.iter().find(|m| **m == method).copied().unwrap_or("OTHER");
        let route = route.unwrap_or("unmatched").to_owned();
        lock(&self.requests).entry((method, route, status)).or_default().observe(seconds);
    }

    /// Counts an import batch: `outcome` one of completed, duplicate, dry_run, rejected, failed.
    pub fn import(&self, outcome: &'static str, rows: u64, seconds: f64) {
        let mut imports = lock(&self.imports);
        *imports.batches.entry(outcome).or_default() += 1;
        if outcome == "completed" {
            imports.rows += rows;
        }
        imports.seconds.observe(seconds);
    }

    /// Counts a run of the renewal job and what it did.
    pub fn renewals(&self, run: &RenewalRun) {
        *lock(&self.renewal_runs) += 1;
        let mut total = lock(&self.renewals);
        total.renewed += run.renewed;
        total.expired += run.expired;
        total.ended += run.ended;
        total.failed += run.failed;
    }

    /// The text a scrape answers.
    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::with_capacity(16 * 1024);
        out.push_str("# HELP tierdash_http_request_duration_seconds Time to answer a request, by route template, method and status.\n");
        out.push_str("# TYPE tierdash_http_request_duration_seconds histogram\n");
        for ((method, route, status), h) in lock(&self.requests).iter() {
            let labels = format!("method=\"{method}\",route=\"{}\",status=\"{status}\"", escape(route));
            h.write(&mut out, "tierdash_http_request_duration_seconds", &labels);
        }
        out.push_str("# HELP tierdash_http_requests_total Requests answered, by route template, method and status.\n");
        out.push_str("# TYPE tierdash_http_requests_total counter\n");
        for ((method, route, status), h) in lock(&self.requests).iter() {
            let _ = writeln!(
                out,
                "tierdash_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {}",
                escape(route),
                h.count()
            );
        }
        {
            let imports = lock(&self.imports);
            out.push_str("# HELP tierdash_import_batches_total Import batches over HTTP, by outcome.\n");
            out.push_str("# TYPE tierdash_import_batches_total counter\n");
            for outcome in ["completed", "duplicate", "dry_run", "rejected", "failed"] {
                let n = imports.batches.get(outcome).copied().unwrap_or(0);
                let _ = writeln!(out, "tierdash_import_batches_total{{outcome=\"{outcome}\"}} {n}");
            }
            out.push_str("# HELP tierdash_import_rows_total Rows of completed import batches.\n");
            out.push_str("# TYPE tierdash_import_rows_total counter\n");
            let _ = writeln!(out, "tierdash_import_rows_total {}", imports.rows);
            out.push_str("# HELP tierdash_import_duration_seconds Time of an import batch.\n");
            out.push_str("# TYPE tierdash_import_duration_seconds histogram\n");
            imports.seconds.write(&mut out, "tierdash_import_duration_seconds", "");
        }
        {
            let runs = *lock(&self.renewal_runs);
            let total = lock(&self.renewals);
            out.push_str("# HELP tierdash_renewal_runs_total Runs of the renewal job in this process.\n");
            out.push_str("# TYPE tierdash_renewal_runs_total counter\n");
            let _ = writeln!(out, "tierdash_renewal_runs_total {runs}");
            out.push_str("# HELP tierdash_renewals_total Activations the renewal job handled, by result.\n");
            out.push_str("# TYPE tierdash_renewals_total counter\n");
            for (result, n) in [
                ("renewed", total.renewed),
                ("expired", total.expired),
                ("ended", total.ended),
                ("failed", total.failed),
            ] {
                let _ = writeln!(out, "tierdash_renewals_total{{result=\"{result}\"}} {n}");
            }
        }
        out.push_str("# HELP tierdash_reports Generated reports of every tenant, by status.\n");
        out.push_str("# TYPE tierdash_reports gauge\n");
        for (status, n) in &gauges.reports {
            let _ = writeln!(out, "tierdash_reports{{status=\"{status}\"}} {n}");
        }
        if let Some(pool) = gauges.pool {
            out.push_str("# HELP tierdash_db_pool_connections Database connections, by state.\n");
            out.push_str("# TYPE tierdash_db_pool_connections gauge\n");
            let busy = u64::from(pool.open).saturating_sub(pool.idle as u64);
            let _ = writeln!(out, "tierdash_db_pool_connections{{state=\"busy\"}} {busy}");
            let _ = writeln!(out, "tierdash_db_pool_connections{{state=\"idle\"}} {}", pool.idle);
            out.push_str("# HELP tierdash_db_pool_max_connections The most connections the pool opens.\n");
            out.push_str("# TYPE tierdash_db_pool_max_connections gauge\n");
            let _ = writeln!(out, "tierdash_db_pool_max_connections {}", pool.max);
        }
        if let Some(answers) = gauges.answers {
            out.push_str("# HELP tierdash_dashboard_answers_total Dashboard reads answered: given from a kept answer, computed for a request, or computed again after the data changed (refreshed).\n");
            out.push_str("# TYPE tierdash_dashboard_answers_total counter\n");
            let _ = writeln!(out, "tierdash_dashboard_answers_total{{result=\"kept\"}} {}", answers.given);
            let _ = writeln!(out, "tierdash_dashboard_answers_total{{result=\"computed\"}} {}", answers.computed);
            let _ = writeln!(out, "tierdash_dashboard_answers_total{{result=\"refreshed\"}} {}", answers.refreshed);
            out.push_str("# HELP tierdash_dashboard_answers_kept_bytes The kept answers' size as JSON.\n");
            out.push_str("# TYPE tierdash_dashboard_answers_kept_bytes gauge\n");
            let _ = writeln!(out, "tierdash_dashboard_answers_kept_bytes {}", answers.bytes);
        }
        out
    }
}

/// A label value as the text format wants it.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}
