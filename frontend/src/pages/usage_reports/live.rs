//! Reports followed while they are generated: every report the page has met that is pending or
//! generating is asked for again every 1.5 s, and the page shows each as it is now, without a
//! reload. Asking stops when none is under way, and when the page is left.

use std::collections::BTreeMap;
use std::time::Duration;

use domain::api::{NewReport, Report};
use domain::kinds::{ReportKind, ReportStatus};
use domain::metrics::Month;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiFailure};
use crate::format::{self, Locale};

/// How long to wait between two looks at the reports under way.
const POLL_EVERY: Duration = Duration::from_millis(1500);

/// Whether a report is still being worked on.
pub fn under_way(status: ReportStatus) -> bool {
    matches!(status, ReportStatus::Pending | ReportStatus::Generating)
}

/// The reports the page follows, by id, as last read.
#[derive(Debug, Clone, Copy)]
pub struct Live {
    reports: RwSignal<BTreeMap<i64, Report>>,
    /// Bumped when a report is requested or deleted, so that lists of reports read again.
    pub changed: RwSignal<u32>,
}

impl Live {
    /// Starts following; asking stops when the page's owner is cleaned up.
    pub fn new() -> Live {
        let live = Live { reports: RwSignal::new(BTreeMap::new()), changed: RwSignal::new(0) };
        let waiting = StoredValue::new(None::<TimeoutHandle>);
        Effect::new(move |_| {
            let any = live.reports.with(|m| m.values().any(|r| under_way(r.status)));
            if !any || waiting.with_value(Option::is_some) {
                return;
            }
            let look = move || {
                waiting.try_set_value(None);
                spawn_local(live.look_again());
            };
            waiting.set_value(set_timeout_with_handle(look, POLL_EVERY).ok());
        });
        on_cleanup(move || {
            if let Some(handle) = waiting.try_get_value().flatten() {
                handle.clear();
            }
        });
        live
    }

    /// Reads every report under way again (a deleted one is forgotten).
    async fn look_again(self) {
        let Some(ids) = self
            .reports
            .try_with_untracked(|m| m.values().filter(|r| under_way(r.status)).map(|r| r.id).collect::<Vec<_>>())
        else {
            return;
        };
        let mut fresh = Vec::new();
        let mut gone = Vec::new();
        for id in ids {
            match api::report(id).await {
                Ok(report) => fresh.push(report),
                Err(ApiFailure::Problem(p)) if p.status == 404 => gone.push(id),
                // Unreachable for now: asked again at the next look.
                Err(_) => {}
            }
        }
        // Always an update, even with nothing new, so that the next look is scheduled.
        self.reports.try_update(|m| {
            for report in fresh {
                m.insert(report.id, report);
            }
            for id in gone {
                m.remove(&id);
            }
        });
    }

    /// Keeps `report` as it is now.
    pub fn put(self, report: Report) {
        self.reports.update(|m| {
            m.insert(report.id, report);
        });
    }

    /// Follows the reports of a list the page read: those under way that it does not know yet
    /// (one it knows is at least as fresh as the list).
    pub fn follow(self, reports: &[Report]) {
        let new: Vec<&Report> = self
            .reports
            .with_untracked(|m| reports.iter().filter(|r| under_way(r.status) && !m.contains_key(&r.id)).collect());
        if !new.is_empty() {
            self.reports.update(|m| {
                for r in new {
                    m.insert(r.id, r.clone());
                }
            });
        }
    }

    /// Forgets a deleted report.
    pub fn forget(self, id: i64) {
        self.reports.update(|m| {
            m.remove(&id);
        });
    }

    /// The report with this id as last read, if followed (tracked).
    pub fn get(self, id: i64) -> Option<Report> {
        self.reports.with(|m| m.get(&id).cloned())
    }

    /// The newest followed report of this kind, month and reseller (tracked).
    pub fn newest(self, kind: ReportKind, period: Month, reseller_id: Option<i64>) -> Option<Report> {
        let period = period.to_string();
        self.reports.with(|m| {
            m.values().rev().find(|r| r.kind == kind && r.period == period && r.reseller_id == reseller_id).cloned()
        })
    }
}

/// A report's status as a badge: its words, and its progress while it is generated. The
/// `data-status` attribute holds the status as the API names it.
pub fn status_badge(status: ReportStatus, progress: u8, id: Option<i64>) -> impl IntoView {
    let words = match status {
        ReportStatus::Pending => "Pending".to_owned(),
        ReportStatus::Generating => {
            format!("Generating {}", format::percent(progress.into(), 0, &Locale::browser()))
        }
        ReportStatus::Ready => "Ready".to_owned(),
        ReportStatus::Failed => "Failed".to_owned(),
    };
    view! {
        <span class=format!("badge status-{status}") data-testid="report-status" data-status=status.as_str()
            data-report-id=id.map(|id| id.to_string())>{words}</span>
    }
}

/// What a report holds, in words.
pub fn kind_label(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::UsageSummary => "Usage summary",
        ReportKind::ResellerUsage => "Reseller usage",
        ReportKind::CustomerUsage => "Organisation site usage",
        ReportKind::Billing => "Billing",
    }
}

/// Downloads a ready report; what went wrong goes to `failure`.
pub fn download(report: Report, failure: RwSignal<Option<ApiFailure>>) {
    spawn_local(async move {
        failure.set(api::download_report(&report).await.err());
    });
}

/// Requests a report of `kind` for the month (of one reseller); the answer — the new report, or
/// the same one already under way — is followed, and lists of reports read again.
pub fn request(
    live: Live,
    kind: ReportKind,
    period: Month,
    reseller_id: Option<i64>,
    busy: RwSignal<bool>,
    failure: RwSignal<Option<ApiFailure>>,
) {
    busy.set(true);
    failure.set(None);
    let new = NewReport { kind, period: period.to_string(), reseller_id };
    spawn_local(async move {
        let answer = api::request_report(&new).await;
        busy.try_set(false);
        match answer {
            Ok(report) => {
                live.put(report);
                live.changed.try_update(|n| *n += 1);
            }
            Err(e) => {
                failure.try_set(Some(e));
            }
        }
    });
}
