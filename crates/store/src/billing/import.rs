//! The import pipeline: one transaction per file or batch. Rows arrive in chunks from a parser
//! (so memory stays bounded), are rated, inserted, and summed into the rollup; a structural
//! problem anywhere rolls everything back and reports every bad row (DESIGN §3).

use std::collections::HashMap;

use domain::api::{FieldError, ImportBatch, ImportStatus};
use domain::focus::{LineInput, RowProblem};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    TransactionTrait,
};
use tokio::sync::mpsc::Receiver;

use super::line_insert;
use super::rating::{Rater, Unrated};
use super::rollups::{self, Deltas, Sums};
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
    let txn = store.db().begin().await?;
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
    page_cache(&txn, IMPORT_CACHE_KIB).await?;
    let mut state = State { batch_id: batch.id, tenant: scope.tenant_id, scope: Some(*scope), ..State::default() };
    // Rated lines waiting to be written: a chunk is written while the next one is rated, so
    // that the database's work and this task's overlap (SQLite works on a thread of its own,
    // PostgreSQL in its server).
    let mut unwritten: Vec<billing_line_item::Model> = Vec::new();
    while let Some(chunk) = rows.recv().await {
        let mut good = Vec::with_capacity(chunk.len());
        for item in chunk {
            match item {
                Parsed::Row(n, line) => {
                    state.total += 1;
                    good.push((n, line));
                }
                Parsed::Bad(problems) => {
                    if problems.iter().any(|p| p.row.is_some()) {
                        state.total += 1;
                    }
                    state.problem(problems);
                }
            }
        }
        // After the first problem nothing more is written: the file will be rolled back, and
        // the rest is only read to report every bad row.
        if state.problems == 0 {
            let (conflicted, rated) = tokio::join!(
                line_insert::insert_new(&txn, std::mem::take(&mut unwritten)),
                state.rate_chunk(&rater, good)
            );
            state.replace(&txn, conflicted?).await?;
            unwritten = rated?;
            if state.deltas.len() >= rollups::KEYS_HELD {
                std::mem::take(&mut state.deltas).apply(&txn, scope.tenant_id).await?;
            }
        }
        if let Some(progress) = &progress {
            progress(state.total);
        }
    }
    if state.total == 0 && state.problems == 0 {
        state.problem(vec![RowProblem {
            row: None,
            line: None,
            column: None,
            message: "the file has no data rows".into(),
        }]);
    }
    if state.problems == 0 {
        let conflicted = line_insert::insert_new(&txn, unwritten).await?;
        state.replace(&txn, conflicted).await?;
    }
    if state.problems > 0 {
        txn.rollback().await?;
        return Err(StoreError::Rejected { errors: state.reported, total: state.problems });
    }
    std::mem::take(&mut state.deltas).apply(&txn, scope.tenant_id).await?;
    state.record_issues(&txn, scope).await?;
    let completed = clock::now();
    let mut batch: import_batch::ActiveModel = batch.into();
    batch.status = Set("completed".into());
    batch.rows_total = Set(state.total as i64);
    batch.rows_rated = Set(state.rated as i64);
    batch.rows_unrated = Set(state.unrated as i64);
    batch.rows_replaced = Set(state.replaced as i64);
    batch.completed_at = Set(Some(completed));
    let batch = batch.update(&txn).await?;
    // Back to the default before the connection returns to the pool: the clean pages beyond it
    // are freed, and the server's other work does not hold an import's cache. (A failed import
    // leaves it on that one connection until the pool retires it.)
    page_cache(&txn, DEFAULT_CACHE_KIB).await?;
    if source.dry_run {
        txn.rollback().await?;
        return Ok(ImportBatch { id: 0, status: ImportStatus::DryRun, ..to_wire(batch) });
    }
    txn.commit().await?;
    Ok(to_wire(batch))
}

/// Rows rated between two chances for the write beside the rating to go on.
const YIELD_EVERY: usize = 100;

/// SQLite's page cache for an import's connection, in KiB: a large transaction's index pages
/// stay in memory instead of being spilled to the log and read back (about 16% faster at 1M
/// lines than the default), within the import's memory budget.
const IMPORT_CACHE_KIB: i64 = 16 * 1024;
/// SQLite's default page cache, in KiB.
const DEFAULT_CACHE_KIB: i64 = 2000;

/// Sets the page cache of the transaction's connection (SQLite only; PostgreSQL's is shared).
async fn page_cache(txn: &DatabaseTransaction, kib: i64) -> Result<(), StoreError> {
    if txn.get_database_backend() == sea_orm::DbBackend::Sqlite {
        txn.execute_unprepared(&format!("PRAGMA cache_size = -{kib}")).await?;
    }
    Ok(())
}

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

/// Unrated lines of one batch, by customer and reason: one billing issue each.
#[derive(Default)]
struct IssueCount {
    lines: u64,
    customer_id: Option<i64>,
    reseller_id: Option<i64>,
    example: String,
}

#[derive(Default)]
struct State {
    batch_id: i64,
    tenant: i64,
    scope: Option<Scope>,
    total: u64,
    rated: u64,
    unrated: u64,
    replaced: u64,
    problems: u64,
    reported: Vec<FieldError>,
    deltas: Deltas,
    issues: HashMap<(String, Unrated), IssueCount>,
}

impl State {
    fn problem(&mut self, problems: Vec<RowProblem>) {
        for p in problems {
            self.problems += 1;
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

    /// Rates a chunk of good rows into the lines to write, gathering their rollup changes and
    /// billing issues. It yields now and then, so that the previous chunk's write, awaited
    /// beside it, moves on to its next statement.
    async fn rate_chunk(
        &mut self,
        rater: &Rater,
        rows: Vec<(u64, Box<LineInput>)>,
    ) -> Result<Vec<billing_line_item::Model>, StoreError> {
        // A later row with the same x_LineItemId replaces an earlier one, in this chunk or
        // already stored.
        let mut latest: HashMap<&str, usize> = HashMap::new();
        for (i, (_, line)) in rows.iter().enumerate() {
            if let Some(id) = line.line_item_id.as_deref()
                && latest.insert(id, i).is_some()
            {
                self.replaced += 1;
            }
        }
        let mut models = Vec::with_capacity(rows.len());
        for (i, (n, line)) in rows.iter().enumerate() {
            if line.line_item_id.as_deref().is_some_and(|id| latest.get(id) != Some(&i)) {
                continue;
            }
            if i % YIELD_EVERY == YIELD_EVERY - 1 {
                tokio::task::yield_now().await;
            }
            let rating = match rater.rate(line) {
                Ok(rating) => rating,
                Err(message) => {
                    self.problem(vec![RowProblem {
                        row: Some(*n),
                        line: Some(n + 1),
                        column: Some("BilledCost".into()),
                        message: message.into(),
                    }]);
                    continue;
                }
            };
            let model = billing_line_item::Model {
                id: 0,
                tenant_id: self.tenant,
                batch_id: self.batch_id,
                row_number: *n as i64,
                line_item_id: line.line_item_id.clone(),
                customer_external_id: line.customer_external_id.clone(),
                customer_id: rating.customer_id,
                reseller_id: rating.reseller_id,
                product_id: rating.product_id,
                sku: line.sku.clone(),
                provider: line.provider.clone(),
                service: line.service.clone(),
                charge_category: line.category.as_str().to_owned(),
                period_start: clock::stored(line.period_start),
                period_end: clock::stored(line.period_end),
                month: line.month(),
                day: line.day(),
                billed_cost: line.billed_cost.to_string(),
                effective_cost: line.effective_cost.to_string(),
                currency: line.currency.to_string(),
                usd_rate: rating.usd.map(|(r, _, _)| r.to_string()),
                billed_usd: rating.usd.map(|(_, b, _)| b.to_string()),
                effective_usd: rating.usd.map(|(_, _, e)| e.to_string()),
                quantity: line.quantity.map(|q| q.to_string()),
                marketplace: line.marketplace,
                rated: rating.unrated.is_none(),
            };
            match (rating.unrated, rating.usd) {
                (None, Some((_, billed_usd, effective_usd))) => {
                    self.rated += 1;
                    // Summed from the values just rated, not read back from their text.
                    if let Some(key) = rollups::key_of_line(&model) {
                        let sums =
                            Sums { billed_usd, effective_usd, units: line.quantity.unwrap_or_default(), lines: 1 };
                        self.deltas.add(self.tenant, model.day, key, &sums, 1)?;
                    }
                }
                (None, None) => return Err(StoreError::Corrupt("a rated line without a USD value".into())),
                (Some(reason), _) => {
                    self.unrated += 1;
                    let issue = self.issues.entry((line.customer_external_id.clone(), reason)).or_default();
                    issue.lines += 1;
                    issue.customer_id = rating.customer_id;
                    issue.reseller_id = rating.reseller_id;
                    if issue.example.is_empty() {
                        issue.example = match reason {
                            Unrated::UnknownCustomer => format!("customer {} is not known", line.customer_external_id),
                            Unrated::UnknownReseller => format!(
                                "reseller {} is not known",
                                line.reseller_external_id.clone().unwrap_or_default()
                            ),
                            Unrated::UnknownProduct => {
                                format!("SKU {} is not in the catalog", line.sku.clone().unwrap_or_default())
                            }
                            Unrated::MissingFxRate => format!("no {} rate for {}", line.currency, line.month()),
                        };
                    }
                }
            }
            models.push(model);
        }
        Ok(models)
    }

    /// Some lines of `part` were not inserted because their x_LineItemId is stored already:
    /// the stored lines leave the rollup and the table, and these take their place.
    async fn replace(
        &mut self,
        txn: &DatabaseTransaction,
        part: Vec<billing_line_item::Model>,
    ) -> Result<(), StoreError> {
        if part.is_empty() {
            return Ok(());
        }
        let rows_of_part: HashMap<&str, &billing_line_item::Model> =
            part.iter().filter_map(|m| m.line_item_id.as_deref().map(|id| (id, m))).collect();
        let stored = billing_line_item::Entity::find()
            .filter(billing_line_item::Column::TenantId.eq(self.tenant))
            .filter(billing_line_item::Column::LineItemId.is_in(rows_of_part.keys().copied()))
            .all(txn)
            .await?;
        let mut again = Vec::new();
        let mut old_ids = Vec::new();
        for old in stored {
            let Some(new) = old.line_item_id.as_deref().and_then(|id| rows_of_part.get(id)) else { continue };
            // The row this part just inserted is not an earlier line.
            if old.batch_id == self.batch_id && old.row_number == new.row_number {
                continue;
            }
            // An importer replaces only its own lines: a sibling reseller's line with the same
            // id is neither removed nor moved.
            let mine = match self.scope.map(|s| (s.kind, s.org_id)) {
                Some((domain::kinds::OrgKind::Reseller, org)) => old.reseller_id == Some(org),
                Some((domain::kinds::OrgKind::Customer, org)) => old.customer_id == Some(org),
                _ => true,
            };
            if !mine {
                let row = new.row_number as u64;
                self.problem(vec![RowProblem {
                    row: Some(row),
                    line: Some(row + 1),
                    column: Some("x_LineItemId".into()),
                    message: "is already used by a line outside your organisation".into(),
                }]);
                continue;
            }
            self.deltas.line(&old, -1)?;
            self.replaced += 1;
            old_ids.push(old.id);
            again.push((*new).clone());
        }
        if self.problems > 0 {
            return Ok(());
        }
        if !old_ids.is_empty() {
            billing_line_item::Entity::delete_many()
                .filter(billing_line_item::Column::Id.is_in(old_ids))
                .exec(txn)
                .await?;
            line_insert::insert_all(txn, &again).await?;
        }
        Ok(())
    }

    async fn record_issues(&mut self, txn: &DatabaseTransaction, _scope: &Scope) -> Result<(), StoreError> {
        let now = clock::now();
        for ((external, reason), count) in std::mem::take(&mut self.issues) {
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
