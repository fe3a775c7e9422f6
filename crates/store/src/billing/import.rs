//! The import pipeline: one transaction per file or batch. Rows arrive in chunks from a parser
//! (so memory stays bounded), are rated and summed into the rollup on a stage of their own
//! (`rate_stage`), and inserted here; a structural problem anywhere rolls everything back and
//! reports every bad row (DESIGN §3).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use domain::api::{FieldError, ImportBatch, ImportStatus};
use domain::focus::{LineInput, RowProblem};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use tokio::sync::mpsc::Receiver;

use super::import_txn::ImportTxn;
use super::line_insert::{self, Conflicted};
use super::rate_stage::{self, IssueCount, Rated, Target};
use super::rating::{Rater, Unrated};
use super::rollups::{Deltas, KEYS_HELD};
use super::stored_lines;
use crate::entities::{billing_issue, billing_line_item, import_batch};
use crate::{Scope, Store, StoreError, clock};

/// At most this many problems are returned; the total is always counted.
pub const MAX_REPORTED: usize = 100;

/// One item from the parser.
#[derive(Debug, Clone)]
pub enum Parsed {
    /// A good row and its data-row number.
    Row(u64, Box<LineInput>),
    /// A row (or the header) with problems.
    Bad(Vec<RowProblem>),
}

/// What is being imported.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file's name, or `json`.
    pub file_name: String,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// `csv` or `json`.
    pub kind: &'static str,
    /// The user importing, when a user.
    pub created_by: Option<i64>,
    /// Check and report, but keep nothing.
    pub dry_run: bool,
}

/// Progress callback: rows read so far.
pub type Progress = Box<dyn Fn(u64) + Send + Sync>;

/// Imports the rows of one source into the importer's scope, all or nothing.
pub async fn import(
    store: &Store,
    scope: &Scope,
    source: Source,
    mut rows: Receiver<Vec<Parsed>>,
    progress: Option<Progress>,
) -> Result<ImportBatch, StoreError> {
    if let Some(earlier) = completed_with_hash(store, scope, &source.sha256).await? {
        // Drain the parser so it can finish; nothing is written.
        while rows.recv().await.is_some() {}
        // Another organisation's import is not described to this one.
        if crate::organizations::find(store, scope, earlier.org_id).await.is_err() {
            return Err(StoreError::Conflict("the same content was imported by another organisation".into()));
        }
        return Ok(ImportBatch { status: ImportStatus::Duplicate, ..to_wire(earlier) });
    }
    let txn = ImportTxn::begin(store.db(), IMPORT_CACHE_KIB).await?;
    let started = clock::now();
    let inserted = import_batch::ActiveModel {
        tenant_id: Set(scope.tenant_id),
        org_id: Set(scope.org_id),
        created_by: Set(source.created_by),
        source: Set(source.kind.to_owned()),
        file_name: Set(source.file_name.clone()),
        sha256: Set(source.sha256.clone()),
        status: Set("importing".into()),
        created_at: Set(started),
        ..Default::default()
    }
    .insert(&txn)
    .await;

    let batch = match inserted.map_err(StoreError::from) {
        Ok(batch) => batch,
        // The same content committed by a concurrent import while this one waited: a duplicate.
        Err(StoreError::Conflict(_)) => {
            txn.rollback().await?;
            while rows.recv().await.is_some() {}
            return match completed_with_hash(store, scope, &source.sha256).await? {
                Some(earlier) if crate::organizations::find(store, scope, earlier.org_id).await.is_ok() => {
                    Ok(ImportBatch { status: ImportStatus::Duplicate, ..to_wire(earlier) })
                }
                _ => Err(StoreError::Conflict("the same content was imported by another organisation".into())),
            };
        }
        Err(other) => return Err(other),
    };

    // Read only after the first write: on SQLite a transaction that has read cannot take the
    // write lock once another import has committed, while one that starts by writing waits.
    let rater = Rater::load(&txn, scope).await?;
    let target = Target { tenant: scope.tenant_id, batch_id: batch.id, backend: txn.get_database_backend() };
    let stop = Arc::new(AtomicBool::new(false));
    let (mut rated, stage) = rate_stage::spawn(rows, rater, target, stop.clone(), progress);
    let mut state = State {
        tenant: scope.tenant_id,
        batch_id: batch.id,
        scope: *scope,
        replaced: 0,
        problems: Problems::default(),
        deltas: Deltas::default(),
    };
    while let Some(item) = rated.recv().await {
        // After the first problem nothing more is written: the file will be rolled back, and
        // the rest is only read to report every bad row.
        if state.problems.count > 0 {
            continue;
        }
        match item {
            Rated::Lines(lines, prepared) => {
                let conflicted = line_insert::insert_new(&txn, lines, prepared).await?;
                state.replace(&txn, conflicted).await?;
                if state.problems.count > 0 {
                    stop.store(true, Ordering::Relaxed);
                }
            }
            Rated::Changes(mut changes) => {
                changes.merge(std::mem::take(&mut state.deltas))?;
                changes.apply(&txn, scope.tenant_id).await?;
            }
        }
    }
    let mut tally = stage.await.map_err(|e| StoreError::Corrupt(format!("the rating stage failed: {e}")))??;
    if tally.total == 0 && tally.problems.count == 0 {
        tally.problems.add(vec![RowProblem {
            row: None,
            line: None,
            column: None,
            message: "the file has no data rows".into(),
        }]);
    }
    // The writer stops at its first problem while the stage reads on: a problem the writer
    // found may come before some of the stage's.
    tally.problems.merge(std::mem::take(&mut state.problems));
    if tally.problems.count > 0 {
        txn.rollback().await?;
        return Err(StoreError::Rejected { errors: tally.problems.reported, total: tally.problems.count });
    }
    let mut deltas = std::mem::take(&mut tally.deltas);
    deltas.merge(std::mem::take(&mut state.deltas))?;
    deltas.apply(&txn, scope.tenant_id).await?;
    state.record_issues(&txn, std::mem::take(&mut tally.issues)).await?;
    let completed = clock::now();
    let mut batch: import_batch::ActiveModel = batch.into();
    batch.status = Set("completed".into());
    batch.rows_total = Set(tally.total as i64);
    batch.rows_rated = Set(tally.rated as i64);
    batch.rows_unrated = Set(tally.unrated as i64);
    batch.rows_replaced = Set((tally.replaced + state.replaced) as i64);
    batch.completed_at = Set(Some(completed));
    let batch = batch.update(&txn).await?;
    if source.dry_run {
        txn.rollback().await?;
        return Ok(ImportBatch { id: 0, status: ImportStatus::DryRun, ..to_wire(batch) });
    }
    txn.commit().await?;
    Ok(to_wire(batch))
}

/// SQLite's page cache for an import's connection, in KiB: a large transaction's index pages
/// stay in memory instead of being spilled to the log and read back (about 16% faster at 1M
/// lines than the default), within the import's memory budget.
const IMPORT_CACHE_KIB: u32 = 16 * 1024;

async fn completed_with_hash(
    store: &Store,
    scope: &Scope,
    sha: &str,
) -> Result<Option<import_batch::Model>, StoreError> {
    Ok(import_batch::Entity::find()
        .filter(import_batch::Column::TenantId.eq(scope.tenant_id))
        .filter(import_batch::Column::Sha256.eq(sha))
        .filter(import_batch::Column::Status.eq("completed"))
        .one(store.db())
        .await?)
}

/// Problems found in a file: the first [`MAX_REPORTED`], and how many in all.
#[derive(Debug, Default)]
pub struct Problems {
    /// How many.
    pub count: u64,
    /// The first ones.
    pub reported: Vec<FieldError>,
}

impl Problems {
    /// Records `problems`.
    pub fn add(&mut self, problems: Vec<RowProblem>) {
        for p in problems {
            self.count += 1;
            if self.reported.len() < MAX_REPORTED {
                let row = p.row;
                let mut error = FieldError::from(p);
                if let Some(row) = row {
                    error.message = format!("row {row} (line {}): {}", row + 1, error.message);
                }
                self.reported.push(error);
            }
        }
    }

    /// Records `other`'s problems beside these. Each list is in row order, so the first
    /// [`MAX_REPORTED`] of both, in row order, are the first of the file (problems of the whole
    /// file, with no row, first).
    fn merge(&mut self, other: Problems) {
        self.count += other.count;
        self.reported.extend(other.reported);
        self.reported.sort_by_key(|e| e.row);
        self.reported.truncate(MAX_REPORTED);
    }
}

/// The writer's part of an import: stored lines replaced by the file's, and what that found.
struct State {
    batch_id: i64,
    tenant: i64,
    scope: Scope,
    replaced: u64,
    problems: Problems,
    /// The replaced lines' contributions, taken away: written with the rating stage's (the
    /// lines coming in), or on their own once they are as many as memory should hold.
    deltas: Deltas,
}

impl State {
    /// Some lines of `part` were not inserted because their x_LineItemId is stored already:
    /// the stored lines leave the rollup, and these are written over them.
    async fn replace(&mut self, txn: &ImportTxn, part: Conflicted) -> Result<(), StoreError> {
        let Conflicted { lines: part, skipped } = part;
        if part.is_empty() {
            return Ok(());
        }
        let rows_of_part: HashMap<&str, &billing_line_item::Model> =
            part.iter().filter_map(|m| m.line_item_id.as_deref().map(|id| (id, m))).collect();
        let stored = stored_lines::with_ids(txn, self.tenant, rows_of_part.keys().copied()).await?;
        let mut again = Vec::new();
        let mut found = 0;
        for old in stored {
            let Some(new) = old.line_item_id.as_deref().and_then(|id| rows_of_part.get(id)) else { continue };
            // The row this part just inserted is not an earlier line.
            if old.batch_id == self.batch_id && old.row_number == new.row_number {
                continue;
            }
            found += 1;
            // An importer replaces only its own lines: a sibling reseller's line with the same
            // id is neither removed nor moved.
            let mine = match self.scope.kind {
                domain::kinds::OrgKind::Reseller => old.reseller_id == Some(self.scope.org_id),
                domain::kinds::OrgKind::Customer => old.customer_id == Some(self.scope.org_id),
                _ => true,
            };
            if !mine {
                let row = new.row_number as u64;
                self.problems.add(vec![RowProblem {
                    row: Some(row),
                    line: Some(row + 1),
                    column: Some("x_LineItemId".into()),
                    message: "is already used by a line outside your organisation".into(),
                }]);
                continue;
            }
            self.deltas.line(&old, -1)?;
            self.replaced += 1;
            again.push(((*new).clone(), old.day == new.day && old.month == new.month));
        }
        // Every line left out must be one that meets a stored line: nothing is dropped unseen
        // (SQLite's `INSERT OR IGNORE` would also skip a line for another constraint).
        if found != skipped {
            return Err(StoreError::Corrupt(format!(
                "{skipped} line(s) were not written, and {found} of them meet a stored line"
            )));
        }
        if self.problems.count > 0 {
            return Ok(());
        }
        line_insert::replace_all(txn, again).await?;
        if self.deltas.len() >= KEYS_HELD {
            std::mem::take(&mut self.deltas).apply(txn, self.tenant).await?;
        }
        Ok(())
    }

    async fn record_issues(
        &self,
        txn: &ImportTxn,
        issues: HashMap<(String, Unrated), IssueCount>,
    ) -> Result<(), StoreError> {
        let now = clock::now();
        for ((external, reason), count) in issues {
            billing_issue::ActiveModel {
                tenant_id: Set(self.tenant),
                customer_id: Set(count.customer_id),
                customer_external_id: Set(Some(external)),
                reseller_id: Set(count.reseller_id),
                batch_id: Set(Some(self.batch_id)),
                line_id: Set(None),
                kind: Set(reason.kind().to_owned()),
                message: Set(format!("{} line(s) held back from revenue: {}", count.lines, count.example)),
                detected_at: Set(now),
                resolved_at: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        Ok(())
    }
}

pub(crate) fn to_wire(m: import_batch::Model) -> ImportBatch {
    ImportBatch {
        id: m.id,
        status: if m.status == "completed" { ImportStatus::Completed } else { ImportStatus::DryRun },
        file_name: m.file_name,
        sha256: m.sha256,
        rows_total: m.rows_total.max(0) as u64,
        rows_rated: m.rows_rated.max(0) as u64,
        rows_unrated: m.rows_unrated.max(0) as u64,
        rows_replaced: m.rows_replaced.max(0) as u64,
        created_at: m.created_at,
        completed_at: m.completed_at,
    }
}
