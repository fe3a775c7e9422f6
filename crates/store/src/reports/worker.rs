//! Generating reports: a worker claims a `pending` report (or one left `generating` whose
//! lease ran out: its worker died), writes its CSV a chunk at a time with its progress, and marks
//! it `ready` or `failed`.
//!
//! A claim is one conditional UPDATE, so two workers (in one process or in several sharing the
//! database) never both take a report. The claim counts an attempt; each later write of the
//! worker names that attempt, so a worker whose lease ran out and whose report was taken over
//! finds its writes refused and stops. A report whose generation was cut short
//! [`MAX_ATTEMPTS`] times fails rather than being taken forever.

use chrono::Duration;
use domain::kinds::{ReportKind, ReportStatus};
use domain::metrics::Month;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement,
};

use super::content::{self, columns};
use crate::entities::{report, report_chunk};
use crate::{Store, StoreError, admin, clock, raw_sql, stored};

/// Times a report's generation may be started before it is failed.
pub const MAX_ATTEMPTS: i32 = 3;

/// Rows per stored chunk of a report's CSV.
pub const ROWS_PER_CHUNK: usize = 2000;

/// A report a worker has claimed.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// The report's id.
    pub id: i64,
    /// The attempt the claim made (writes name it).
    pub attempt: i32,
    report: report::Model,
}

/// Reports that may be claimed at `now`.
fn claimable(now: chrono::DateTime<chrono::Utc>) -> Condition {
    use report::Column;
    Condition::any()
        .add(Column::Status.eq(ReportStatus::Pending.as_str()))
        .add(Condition::all().add(Column::Status.eq(ReportStatus::Generating.as_str())).add(Column::LeaseUntil.lt(now)))
}

/// Claims the oldest claimable report for `lease`; none when there is none.
pub async fn claim(store: &Store, lease: Duration) -> Result<Option<Claimed>, StoreError> {
    use report::Column;
    loop {
        let now = clock::now();
        let candidate = report::Entity::find()
            .select_only()
            .column(Column::Id)
            .filter(claimable(now))
            .order_by_asc(Column::Id)
            .into_tuple::<i64>()
            .one(store.db())
            .await?;
        let Some(id) = candidate else { return Ok(None) };
        let taken = report::Entity::update_many()
            .col_expr(Column::Status, Expr::value(ReportStatus::Generating.as_str()))
            .col_expr(Column::LeaseUntil, Expr::value(now + lease))
            .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
            .col_expr(Column::Progress, Expr::value(0))
            .filter(Column::Id.eq(id))
            .filter(claimable(now))
            .exec(store.db())
            .await?;
        if taken.rows_affected == 1 {
            let report = report::Entity::find_by_id(id).one(store.db()).await?.ok_or(StoreError::NotFound)?;
            return Ok(Some(Claimed { id, attempt: report.attempts, report }));
        }
        // Another worker took it first: look again.
    }
}

/// Generates a claimed report: `ready` with its CSV, or `failed` with the reason. An error is
/// returned only when the report could not be marked either way (the database is gone).
pub async fn generate(store: &Store, claimed: &Claimed, lease: Duration) -> Result<ReportStatus, StoreError> {
    if claimed.attempt > MAX_ATTEMPTS {
        let reason = format!("generation stopped before the end {MAX_ATTEMPTS} times; request it again");
        return finish(store, claimed, Err(reason)).await;
    }
    let outcome = write_csv(store, claimed, lease).await;
    match outcome {
        Ok(rows) => finish(store, claimed, Ok(rows)).await,
        // Taken over by another worker, or deleted: nothing more to write.
        Err(StoreError::Conflict(_)) | Err(StoreError::NotFound) => Ok(ReportStatus::Generating),
        Err(e) => finish(store, claimed, Err(e.to_string())).await,
    }
}

/// Marks a claimed report failed with `reason` (a generation given up from outside the worker).
pub async fn fail(store: &Store, claimed: &Claimed, reason: &str) -> Result<(), StoreError> {
    finish(store, claimed, Err(reason.to_owned())).await.map(|_| ())
}

/// Writes the report's CSV chunks; returns its row count.
async fn write_csv(store: &Store, claimed: &Claimed, lease: Duration) -> Result<u64, StoreError> {
    let r = &claimed.report;
    let kind: ReportKind = stored::parse(&r.kind, "reports.kind")?;
    let period: Month = stored::parse(&r.period, "reports.period")?;
    let owner = admin::scope_of(store, r.owner_org_id).await?;
    // An earlier attempt's chunks are written again from the start.
    report_chunk::Entity::delete_many().filter(report_chunk::Column::ReportId.eq(r.id)).exec(store.db()).await?;
    let sellers = content::sellers(store, &owner, r.reseller_id).await?;
    let mut csv = Chunker::new(columns(kind))?;
    let (mut rows, mut seq) = (0u64, 0i32);
    for (n, seller) in sellers.iter().enumerate() {
        for row in content::seller_rows(store.db(), kind, period, seller).await? {
            csv.push(&row)?;
            rows += 1;
            if csv.rows >= ROWS_PER_CHUNK {
                store_chunk(store, claimed, seq, csv.take()?).await?;
                seq += 1;
            }
        }
        let progress = ((n + 1) * 99 / sellers.len().max(1)) as i32;
        keep(store, claimed, progress, lease).await?;
    }
    if csv.rows > 0 || seq == 0 {
        store_chunk(store, claimed, seq, csv.take()?).await?;
    }
    Ok(rows)
}

/// CSV text gathered for the next chunk.
struct Chunker {
    writer: csv::Writer<Vec<u8>>,
    rows: usize,
}

impl Chunker {
    /// A chunker whose first chunk starts with the header.
    fn new(header: &[&str]) -> Result<Chunker, StoreError> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(header).map_err(csv_error)?;
        Ok(Chunker { writer, rows: 0 })
    }

    fn push(&mut self, row: &[String]) -> Result<(), StoreError> {
        self.writer.write_record(row).map_err(csv_error)?;
        self.rows += 1;
        Ok(())
    }

    /// The text gathered, and a fresh chunk.
    fn take(&mut self) -> Result<String, StoreError> {
        let writer = std::mem::replace(&mut self.writer, csv::Writer::from_writer(Vec::new()));
        self.rows = 0;
        let bytes = writer.into_inner().map_err(|e| StoreError::Corrupt(format!("writing a report: {e}")))?;
        String::from_utf8(bytes).map_err(|e| StoreError::Corrupt(format!("writing a report: {e}")))
    }
}

fn csv_error(e: csv::Error) -> StoreError {
    StoreError::Corrupt(format!("writing a report: {e}"))
}

/// The claim's own report, still being generated by this attempt.
fn ours(claimed: &Claimed) -> Condition {
    use report::Column;
    Condition::all()
        .add(Column::Id.eq(claimed.id))
        .add(Column::Status.eq(ReportStatus::Generating.as_str()))
        .add(Column::Attempts.eq(claimed.attempt))
}

/// Stores chunk `seq`, while the report is still this attempt's.
async fn store_chunk(store: &Store, claimed: &Claimed, seq: i32, body: String) -> Result<(), StoreError> {
    let txn = store.write().await?;
    let still = report::Entity::find().filter(ours(claimed)).count(&txn).await?;
    if still == 0 {
        return Err(StoreError::Conflict("the report was taken over or deleted".into()));
    }
    let backend = txn.get_database_backend();
    let sql = raw_sql::numbered(backend, "INSERT INTO report_chunks (report_id, seq, body) VALUES (?, ?, ?)");
    txn.execute_raw(Statement::from_sql_and_values(backend, sql, vec![claimed.id.into(), seq.into(), body.into()]))
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Records progress and extends the lease; a conflict when the report is no longer this
/// attempt's.
async fn keep(store: &Store, claimed: &Claimed, progress: i32, lease: Duration) -> Result<(), StoreError> {
    use report::Column;
    let kept = report::Entity::update_many()
        .col_expr(Column::Progress, Expr::value(progress))
        .col_expr(Column::LeaseUntil, Expr::value(clock::now() + lease))
        .filter(ours(claimed))
        .exec(store.db())
        .await?;
    match kept.rows_affected {
        1 => Ok(()),
        _ => Err(StoreError::Conflict("the report was taken over or deleted".into())),
    }
}

/// Marks the report ready with its rows, or failed with a reason.
async fn finish(store: &Store, claimed: &Claimed, outcome: Result<u64, String>) -> Result<ReportStatus, StoreError> {
    use report::Column;
    let update = report::Entity::update_many()
        .col_expr(Column::LeaseUntil, Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None));
    let (update, status) = match outcome {
        Ok(rows) => (
            update
                .col_expr(Column::Status, Expr::value(ReportStatus::Ready.as_str()))
                .col_expr(Column::Progress, Expr::value(100))
                .col_expr(Column::RowCount, Expr::value(rows as i64))
                .col_expr(Column::GeneratedAt, Expr::value(clock::now())),
            ReportStatus::Ready,
        ),
        Err(reason) => (
            update
                .col_expr(Column::Status, Expr::value(ReportStatus::Failed.as_str()))
                .col_expr(Column::Error, Expr::value(reason)),
            ReportStatus::Failed,
        ),
    };
    update.filter(ours(claimed)).exec(store.db()).await?;
    Ok(status)
}
