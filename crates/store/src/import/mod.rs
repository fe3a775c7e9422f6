//! The import pipeline (docs/import.md): one source's rows into the line items, rated, with the
//! rollups kept in step, in one transaction per file or batch. Rows arrive in chunks from a
//! parser (so memory stays bounded), are rated and summed into rollup changes on a stage of
//! their own, and are written by the calling task; a structural problem anywhere rolls
//! everything back and reports every bad row.
//!
//! ```text
//!   source                 rating                             writing
//!   (a thread or task)     (rating_stage: a thread)           (import(): the caller's task)
//!
//!   file_source:           rating: Rater::rate                writer, in one transaction:
//!    csv_source ─┐
//!    (gzip)      │
//!    parquet_src ├─Parsed─▶ line_binding: Prepared ──Rated──▶  line_writes: the lines inserted,
//!   json_source ─┘ chunks  rollup changes (Deltas),            stored_lines: stored ones replaced,
//!                (parsed)  problems, billing issues            rollup changes written,
//!                               │                              restated: periods replaced,
//!                               │                              billing issues recorded
//!                               └───── Tally, at the end ─────▶ batch completed, or rolled back
//! ```
//!
//! - source: [`file_source`] tells a file's format by its first bytes and reads one or several
//!   files as one batch through [`csv_source`] (plain or gzip) or [`parquet_source`];
//!   [`json_source`] reads a JSON batch; all parse into [`Parsed`] rows, [`CHUNK`] at a time
//!   ([`parsed`]);
//! - rating: [`rating`] ties a line to its customer, reseller and product and fixes its USD
//!   value; [`rating_stage`] runs it on every chunk, binds the chunk's statements ahead of the
//!   writer ([`line_binding`]), gathers the rollup changes, counts the rows and the billing
//!   issues, and hands the writer [`Rated`](rating_stage::Rated) chunks;
//! - writing: [`writer`] inserts each chunk ([`line_writes`], the columns in [`line_columns`]),
//!   replaces the stored lines a chunk's x_LineItemIds meet ([`stored_lines`]), writes the rollup
//!   changes, removes the stored lines of the periods a batch restates ([`restated`]), and records
//!   the billing issues; all in the import's [`transaction`].
//!
//! Problems from either stage are gathered in [`Problems`]. No file of this folder imports one
//! that imports it back: each stage imports the ones before it and the shared [`parsed`] and
//! [`problems`], and only this file drives them.

mod copy_batches;
mod copy_text;
pub mod csv_source;
pub mod file_source;
pub mod json_source;
mod line_binding;
mod line_columns;
mod line_writes;
mod lookup_statistics;
mod parquet_source;
mod parsed;
mod problems;
pub(crate) mod rating;
mod rating_stage;
mod restated;
pub mod row_limit;
mod stored_lines;
mod transaction;
mod writer;

pub use parsed::{CHUNK, Parsed, Progress};
pub use problems::{MAX_REPORTED, Problems};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use domain::api::{ImportBatch, ImportStatus};
use domain::focus::RowProblem;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use tokio::sync::mpsc::Receiver;

use self::rating::Rater;
use self::rating_stage::{Rated, Target};
use self::transaction::ImportTxn;
use self::writer::Writer;
use crate::billing::batches::to_wire;
use crate::billing::unmapped;
use crate::entities::import_batch;
use crate::{Scope, Store, StoreError, clock};

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
    /// Replace every stored line in scope of each (provider, billing account, billing period)
    /// the batch covers ([`restated`]).
    pub replace_periods: bool,
}

/// The name a batch of several files is recorded under: their names, joined (cut at 200
/// characters).
pub fn batch_name(names: &[String]) -> String {
    let joined = names.join(" + ");
    if joined.chars().count() <= 200 {
        return joined;
    }
    let mut cut: String = joined.chars().take(199).collect();
    cut.push('…');
    cut
}

/// The content hash of a batch of files, from each file's SHA-256 whatever their order (the
/// same parts dropped in another order are the same batch): a single file's own, so that a file
/// is a duplicate of itself whichever way it came in.
pub fn batch_hash(hashes: &[String]) -> String {
    match hashes {
        [one] => one.clone(),
        several => {
            let mut sorted = several.to_vec();
            sorted.sort();
            csv_source::sha256_bytes(format!("batch\n{}", sorted.join("\n")).as_bytes())
        }
    }
}

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
    lookup_statistics::refresh(store.db()).await?;
    let txn = ImportTxn::begin(store.db(), IMPORT_CACHE_KIB).await?;
    line_writes::create_staging(&txn).await?;
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

    // Imports of one tree one at a time from here (PostgreSQL; SQLite's write lock already
    // does): before any line is written, so that two imports never wait on each other's lines.
    crate::rollups::tree_lock::lock_tree(&txn, scope.tenant_id).await?;
    // Read only after the first write: on SQLite a transaction that has read cannot take the
    // write lock once another import has committed, while one that starts by writing waits.
    let rater = Rater::load(&txn, scope).await?;
    let target = Target {
        tenant: scope.tenant_id,
        batch_id: batch.id,
        backend: txn.get_database_backend(),
        replace_periods: source.replace_periods,
    };
    let stop = Arc::new(AtomicBool::new(false));
    let (mut rated, stage) = rating_stage::spawn(rows, rater, store.db().clone(), target, stop.clone(), progress);
    let mut writer = Writer::new(scope, batch.id);
    // An item taken from the queue while gathering chunks, to handle next.
    let mut pending = None;
    loop {
        let item = match pending.take() {
            Some(item) => item,
            None => match rated.recv().await {
                Some(item) => item,
                None => break,
            },
        };
        // After the first problem nothing more is written: the file will be rolled back, and
        // the rest is only read to report every bad row.
        if writer.problems.count > 0 {
            continue;
        }
        match item {
            Rated::Lines(lines, prepared) => {
                let (lines, prepared) = copy_batches::gather(lines, prepared, &mut rated, &mut pending);
                writer.write(&txn, lines, prepared).await?;
                if writer.problems.count > 0 {
                    stop.store(true, Ordering::Relaxed);
                }
            }
            Rated::Changes(mut changes) => {
                changes.merge(std::mem::take(&mut writer.deltas))?;
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
            value: None,
        }]);
    }
    // The writer stops at its first problem while the stage reads on: a problem the writer
    // found may come before some of the stage's.
    tally.problems.merge(std::mem::take(&mut writer.problems));
    if tally.problems.count > 0 {
        txn.rollback().await?;
        let total = tally.problems.count;
        return Err(StoreError::Rejected { errors: tally.problems.reported(), total });
    }
    let mut deltas = std::mem::take(&mut tally.deltas);
    deltas.merge(std::mem::take(&mut writer.deltas))?;
    let mut unmapped_gone = std::mem::take(&mut writer.unmapped_gone);
    let restated = if source.replace_periods {
        restated::replace(&txn, scope, batch.id, &tally.periods, &mut deltas, &mut unmapped_gone).await?
    } else {
        0
    };
    deltas.apply(&txn, scope.tenant_id).await?;
    writer.record_issues(&txn, std::mem::take(&mut tally.issues)).await?;
    for (key, gone) in unmapped_gone {
        unmapped::remove(&txn, scope.tenant_id, key, &gone).await?;
    }
    for (key, found) in std::mem::take(&mut tally.unmapped) {
        unmapped::record(&txn, scope.tenant_id, batch.id, key, &found).await?;
    }
    let completed = clock::now();
    let mut batch: import_batch::ActiveModel = batch.into();
    batch.status = Set("completed".into());
    batch.rows_total = Set(tally.total as i64);
    batch.rows_rated = Set(tally.rated as i64);
    batch.rows_unrated = Set(tally.unrated as i64);
    batch.rows_replaced = Set((tally.replaced + writer.replaced + restated) as i64);
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
/// stay in memory instead of being spilled to the log and read back, within the import's memory
/// budget: past this size a larger cache bought no speed and cost more memory than its own
/// size (docs/performance.md §6).
const IMPORT_CACHE_KIB: u32 = 12 * 1024;

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
