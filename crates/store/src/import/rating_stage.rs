//! The import's rating stage, on a thread of its own between the parser and the writer: it
//! rates each parsed chunk into the lines to write (with their statement values built), sums
//! their rollup changes and counts their billing issues. The writing task is then left with
//! the database's work alone, so the database (SQLite's worker thread, or PostgreSQL) is kept
//! busy while the next chunks are rated on the other core.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use domain::focus::{ChargeCategory, LineInput, RowProblem};
use sea_orm::{DatabaseConnection, DbBackend, TransactionTrait};
use tokio::sync::mpsc::{Receiver, channel};
use tokio::task::JoinHandle;

use super::line_binding::{BoundTexts, Prepared};
use super::parsed::{Parsed, Progress};
use super::problems::Problems;
use super::rating::{Rater, UnknownKeys, Unrated};
use super::restated::Period;
use crate::billing::unmapped::UnmappedLines;
use crate::entities::billing_line_item;
use crate::rollups::deltas::{Deltas, KEYS_HELD};
use crate::rollups::lines::key_of_line;
use crate::rollups::sums::Sums;
use crate::{StoreError, clock};

/// Rated chunks waiting for the writer: enough for the writer never to wait on a short chunk.
const QUEUED: usize = 4;

/// On PostgreSQL, where the writer sends the chunks queued as one `COPY` (up to 8,000 lines,
/// [`super::copy_batches`]): a deeper queue makes fewer, larger `COPY`s, each of whose turns
/// between statements costs the server a few milliseconds idle (docs/performance.md §10).
const QUEUED_FOR_COPY: usize = 8;

/// What the rating stage hands the writer.
pub(super) enum Rated {
    /// Rated lines, and the statements that insert them.
    Lines(Vec<billing_line_item::Model>, Prepared),
    /// Rollup changes to write now: as many as memory should hold (see [`KEYS_HELD`]).
    Changes(Box<Deltas>),
}

/// Unrated lines of one batch, by customer and reason: one billing issue each.
#[derive(Default)]
pub(super) struct IssueCount {
    pub lines: u64,
    pub customer_id: Option<i64>,
    pub reseller_id: Option<i64>,
    pub example: String,
}

/// What the rating stage found, handed over once every row is read.
#[derive(Default)]
pub(super) struct Tally {
    pub total: u64,
    pub rated: u64,
    pub unrated: u64,
    /// Rows replaced by a later row of the same chunk.
    pub replaced: u64,
    pub problems: Problems,
    /// Rollup changes not yet handed over.
    pub deltas: Deltas,
    pub issues: HashMap<(String, Unrated), IssueCount>,
    /// Rated lines whose SKU the catalog does not know, by SKU and reseller.
    pub unmapped: HashMap<(String, Option<i64>), UnmappedLines>,
    /// The (provider, billing account, billing period) of every line, for a batch that
    /// replaces the periods it covers.
    pub periods: HashSet<Period>,
    /// The period of the line before.
    last_period: Option<Period>,
}

/// The batch the lines go into.
#[derive(Clone, Copy)]
pub(super) struct Target {
    pub tenant: i64,
    pub batch_id: i64,
    /// The database the lines are written to, which their statements are bound for.
    pub backend: DbBackend,
    /// The batch replaces the billing periods it covers: they are gathered.
    pub replace_periods: bool,
}

/// Starts rating `rows` on a blocking thread. Once `stop` is set (the writer found a problem),
/// or after the stage's own first problem, no more lines are handed over: the rest of the file
/// is only read, to report every bad row.
///
/// Each chunk's customers are looked up through `db`'s pool (not the import's transaction, which
/// the writer holds): the import writes no organisations, so both see the same ones.
pub(super) fn spawn(
    mut rows: Receiver<Vec<Parsed>>,
    mut rater: Rater,
    db: DatabaseConnection,
    target: Target,
    stop: Arc<AtomicBool>,
    progress: Option<Progress>,
) -> (Receiver<Rated>, JoinHandle<Result<Tally, StoreError>>) {
    let queued = match target.backend {
        DbBackend::Postgres => QUEUED_FOR_COPY,
        _ => QUEUED,
    };
    let (tx, rx) = channel(queued);
    let runtime = tokio::runtime::Handle::current();
    let stage = tokio::task::spawn_blocking(move || {
        let mut tally = Tally::default();
        let mut texts = BoundTexts::default();
        while let Some(chunk) = rows.blocking_recv() {
            let good = tally.count(chunk);
            if tally.problems.count == 0 && !stop.load(Ordering::Relaxed) {
                let unknown = rater.unknown(good.iter().map(|(_, line)| &**line));
                if !unknown.is_empty() {
                    runtime.block_on(look_up_on_one_connection(&mut rater, &db, unknown))?;
                }
                let lines = tally.rate_chunk(&rater, target, good)?;
                let prepared = Prepared::of(target.backend, &lines, &mut texts)?;
                // The writer has stopped (it failed): the rest is not needed.
                if tx.blocking_send(Rated::Lines(lines, prepared)).is_err() {
                    return Ok(tally);
                }
                if tally.deltas.len() >= KEYS_HELD {
                    let changes = std::mem::take(&mut tally.deltas);
                    if tx.blocking_send(Rated::Changes(Box::new(changes))).is_err() {
                        return Ok(tally);
                    }
                }
            }
            if let Some(progress) = &progress {
                progress(tally.total);
            }
        }
        Ok(tally)
    });
    (rx, stage)
}

/// Looks up a chunk's unknown customers on one connection of the pool, in one read
/// transaction. Each lookup on the pool itself took a connection and dropped it, and the pool
/// takes a dropped connection back on a task of its own: the next lookup, at once, found none
/// idle and opened another, each with its own thread, page cache and prepared statements, all
/// counted in the import's memory (docs/performance.md §15).
async fn look_up_on_one_connection(
    rater: &mut Rater,
    db: &DatabaseConnection,
    unknown: UnknownKeys,
) -> Result<(), StoreError> {
    let reads = db.begin().await?;
    rater.look_up(&reads, unknown).await?;
    reads.commit().await?;
    Ok(())
}

impl Tally {
    /// Counts a chunk's rows and records its bad ones; returns the good ones.
    fn count(&mut self, chunk: Vec<Parsed>) -> Vec<(u64, Box<LineInput>)> {
        let mut good = Vec::with_capacity(chunk.len());
        for item in chunk {
            match item {
                Parsed::Row(n, line) => {
                    self.total += 1;
                    good.push((n, line));
                }
                Parsed::Bad(problems) => {
                    if problems.iter().any(|p| p.row.is_some()) {
                        self.total += 1;
                    }
                    self.problems.add(problems);
                }
            }
        }
        good
    }

    /// Rates a chunk of good rows into the lines to write, gathering their rollup changes and
    /// billing issues.
    fn rate_chunk(
        &mut self,
        rater: &Rater,
        target: Target,
        rows: Vec<(u64, Box<LineInput>)>,
    ) -> Result<Vec<billing_line_item::Model>, StoreError> {
        // A later row with the same x_LineItemId (within the reseller it is filed under)
        // replaces an earlier one, in this chunk or already stored.
        let rows: Vec<_> = rows.into_iter().map(|(n, line)| (rater.rate(&line), n, line)).collect();
        let mut keep = vec![true; rows.len()];
        let mut latest: HashMap<(i64, &str), usize> = HashMap::new();
        for (i, (rating, _, line)) in rows.iter().enumerate() {
            if let (Some(id), Ok(rating)) = (line.line_item_id.as_deref(), rating)
                && let Some(earlier) = latest.insert((rating.reseller_id.unwrap_or(0), id), i)
            {
                keep[earlier] = false;
                self.replaced += 1;
            }
        }
        drop(latest);
        let mut models = Vec::with_capacity(rows.len());
        for ((rating, n, line), keep) in rows.into_iter().zip(keep) {
            if !keep {
                continue;
            }
            let rating = match rating {
                Ok(rating) => rating,
                Err(message) => {
                    self.problems.add(vec![RowProblem {
                        row: Some(n),
                        line: Some(n + 1),
                        column: Some("BilledCost".into()),
                        message: message.into(),
                        value: None,
                    }]);
                    continue;
                }
            };
            if let Some(reason) = rating.unrated {
                self.unrated += 1;
                let issue = self.issues.entry((line.customer_external_id.clone(), reason)).or_default();
                issue.lines += 1;
                issue.customer_id = rating.customer_id;
                issue.reseller_id = rating.reseller_id;
                if issue.example.is_empty() {
                    issue.example = example(&line, reason);
                }
            }
            let (month, day, units) = (line.month(), line.day(), line.quantity.unwrap_or_default());
            // The line's texts move into the model: an import copies each of them once less.
            let line = *line;
            let mut details = line.details;
            let consumed = details.consumed_quantity.unwrap_or_default();
            // A file without BillingAccountId (x_CustomerId only) is billed to the customer.
            let billing_account =
                details.billing_account_id.take().unwrap_or_else(|| line.customer_external_id.clone());
            let model = billing_line_item::Model {
                id: 0,
                tenant_id: target.tenant,
                batch_id: target.batch_id,
                row_number: n as i64,
                line_item_id: line.line_item_id,
                customer_external_id: line.customer_external_id,
                customer_id: rating.customer_id,
                reseller_id: rating.reseller_id,
                owner_id: rating.reseller_id.unwrap_or(0),
                product_id: rating.product_id,
                sku: line.sku,
                provider: line.provider,
                service: line.service,
                charge_category: line.category.as_str().to_owned(),
                period_start: clock::stored(line.period_start),
                period_end: clock::stored(line.period_end),
                day,
                billed_cost: line.billed_cost.to_string(),
                effective_cost: line.effective_cost.to_string(),
                currency: line.currency.to_string(),
                usd_rate: rating.usd.map(|(r, _, _)| r.to_string()),
                billed_usd: rating.usd.map(|(_, b, _)| b.to_string()),
                effective_usd: rating.usd.map(|(_, _, e)| e.to_string()),
                quantity: line.quantity.map(|q| q.to_string()),
                marketplace: line.marketplace,
                rated: rating.unrated.is_none(),
                billing_period: Some(details.billing_period.unwrap_or_else(|| month.clone())),
                month,
                billing_account_id: Some(billing_account),
                billing_account_name: details.billing_account_name,
                sub_account_id: details.sub_account_id,
                sub_account_name: details.sub_account_name,
                invoice_id: details.invoice_id,
                invoice_issuer: details.invoice_issuer,
                publisher: details.publisher,
                host_provider: details.host_provider,
                charge_class: details.charge_class,
                service_category: details.service_category,
                region_id: details.region_id,
                consumed_quantity: details.consumed_quantity.map(|q| q.to_string()),
            };
            if target.replace_periods
                && let (Some(account), Some(period)) = (&model.billing_account_id, &model.billing_period)
                && self.last_period.as_ref().is_none_or(|(p, a, m)| (p, a, m) != (&model.provider, account, period))
            {
                // Lines of one period come together: most lines repeat the one before.
                let key = (model.provider.clone(), account.clone(), period.clone());
                self.periods.insert(key.clone());
                self.last_period = Some(key);
            }
            match (rating.unrated, rating.usd) {
                (None, Some((_, billed_usd, effective_usd))) => {
                    self.rated += 1;
                    if rating.unmapped_sku
                        && let Some(sku) = &model.sku
                    {
                        let unmapped = self.unmapped.entry((sku.clone(), model.reseller_id)).or_default();
                        unmapped.lines += 1;
                        if model.charge_category != ChargeCategory::Tax.as_str() {
                            unmapped.revenue += billed_usd;
                        }
                    }
                    // Summed from the values just rated, not read back from their text.
                    if let Some(key) = key_of_line(&model) {
                        let sums = Sums { billed_usd, effective_usd, units, consumed, lines: 1 };
                        self.deltas.add(target.tenant, model.day, key, &sums, 1)?;
                    }
                }
                (None, None) => return Err(StoreError::Corrupt("a rated line without a USD value".into())),
                // Counted as an issue above.
                (Some(_), _) => {}
            }
            models.push(model);
        }
        Ok(models)
    }
}

/// A billing issue's example of its reason.
fn example(line: &LineInput, reason: Unrated) -> String {
    match reason {
        Unrated::UnknownCustomer => format!("customer {} is not known", line.customer_external_id),
        Unrated::UnknownReseller => {
            format!("reseller {} is not known", line.reseller_external_id.clone().unwrap_or_default())
        }
        Unrated::MissingFxRate => format!("no {} rate for {}", line.currency, line.month()),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use domain::kinds::OrgKind;

    use super::*;
    use crate::{Scope, Store};

    #[tokio::test]
    async fn a_chunk_s_lookups_take_one_connection_of_the_pool() {
        let path = std::env::temp_dir().join(format!("tierdash-lookups-{}.db", std::process::id()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        Store::connect(&url).await.unwrap().migrate().await.unwrap();
        let store = Store::connect(&url).await.unwrap();
        let scope = Scope { org_id: 1, kind: OrgKind::Distributor, tenant_id: 1 };
        let reads = store.db().begin().await.unwrap();
        let mut rater = Rater::load(&reads, &scope).await.unwrap();
        reads.commit().await.unwrap();
        // Every connection lent is back (the pool takes them back on tasks of their own).
        for _ in 0..100 {
            let stats = store.pool_stats();
            if stats.idle == stats.open as usize {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let open = store.pool_stats().open;
        // Three lookups of 500 keys by id and three by account, one after another: each on the
        // pool itself would find the connection before it not yet back, and open another.
        let keys = || (0..1200).map(|i| format!("C-{i}")).collect::<Vec<String>>();
        let unknown = UnknownKeys { ids: keys(), accounts: keys() };
        look_up_on_one_connection(&mut rater, store.db(), unknown).await.unwrap();
        assert_eq!(store.pool_stats().open, open, "the lookups took one connection, an idle one");
        store.db().get_sqlite_connection_pool().close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
