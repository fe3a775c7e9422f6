//! Binding an import's line statements for SQLite ahead of time, on the rating stage rather than
//! the writer ([`Prepared`]; why: [`super::transaction`]), and the texts they bind, shared between
//! lines that repeat them ([`BoundTexts`]).
//!
//! sqlx holds each bound text in an `Arc`: a `String` bound by reference is cloned and then
//! boxed (two allocations), and SQLite's worker thread frees both once the statement has run,
//! across threads; with a dozen or more texts a line that is a real share of an import's CPU
//! (docs/performance.md §7). Most of those texts repeat from line to line (a provider, a service, a currency, a day), so each distinct one is made once here and
//! every line binds a reference to it; a text of its own (an id, a cost) is one allocation.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use foldhash::fast::RandomState;
use hashbrown::HashSet;
use sea_orm::sqlx::Arguments;
use sea_orm::sqlx::sqlite::SqliteArguments;
use sea_orm::{DbBackend, Value};

use super::line_columns::{LINES, values};
use crate::StoreError;
use crate::entities::billing_line_item::Model;

/// A chunk of lines' insert statements, bound by the rating stage rather than the writer.
pub enum Prepared {
    /// SQLite: each statement's row count and its arguments (see `transaction`).
    Sqlite(Vec<(usize, SqliteArguments)>),
    /// PostgreSQL: the lines in `COPY`'s text format (see `copy_text`).
    Copy(Vec<u8>),
    /// Other databases: each line's values, for sea-orm to bind.
    Values(Vec<Vec<Value>>),
}

impl Prepared {
    /// The statements that write `lines` on `backend`.
    pub fn of(backend: DbBackend, lines: &[Model], texts: &mut BoundTexts) -> Result<Prepared, StoreError> {
        match backend {
            DbBackend::Sqlite => {}
            DbBackend::Postgres => return Ok(Prepared::Copy(super::copy_text::rows(lines)?)),
            _ => return Ok(Prepared::Values(lines.iter().map(values).collect())),
        }
        let mut statements = Vec::new();
        let mut rest = lines;
        while !rest.is_empty() {
            let count = LINES.next_statement_rows(rest.len());
            let (part, after) = rest.split_at(count);
            let mut args = SqliteArguments::default();
            args.reserve(count * LINES.columns.len(), 0);
            for line in part {
                bind(&mut args, line, texts)
                    .map_err(|e| StoreError::Corrupt(format!("a line could not be bound: {e}")))?;
            }
            statements.push((count, args));
            rest = after;
        }
        Ok(Prepared::Sqlite(statements))
    }
}

/// Binds a line's values for SQLite, in the order of the columns written, as sea-orm binds
/// [`values`] (the same texts, so the same stored values). Texts that repeat from line to line
/// are bound shared ([`BoundTexts`]); a line's own (its id, its costs) are copied once.
fn bind(
    args: &mut SqliteArguments,
    line: &Model,
    texts: &mut BoundTexts,
) -> Result<(), sea_orm::sqlx::error::BoxDynError> {
    let own = |text: &Option<String>| text.as_deref().map(Arc::<str>::from);
    args.add(line.tenant_id)?;
    args.add(line.batch_id)?;
    args.add(line.row_number)?;
    args.add(own(&line.line_item_id))?;
    args.add(texts.shared(&line.customer_external_id))?;
    args.add(line.customer_id)?;
    args.add(line.reseller_id)?;
    args.add(line.owner_id)?;
    args.add(line.product_id)?;
    args.add(line.sku.as_deref().map(|sku| texts.shared(sku)))?;
    args.add(texts.shared(&line.provider))?;
    args.add(texts.shared(&line.service))?;
    args.add(texts.shared(&line.charge_category))?;
    args.add(texts.time(line.period_start))?;
    args.add(texts.time(line.period_end))?;
    args.add(texts.shared(&line.month))?;
    args.add(texts.day(line.day))?;
    args.add(Arc::<str>::from(line.billed_cost.as_str()))?;
    args.add(Arc::<str>::from(line.effective_cost.as_str()))?;
    args.add(texts.shared(&line.currency))?;
    args.add(line.usd_rate.as_deref().map(|rate| texts.shared(rate)))?;
    args.add(own(&line.billed_usd))?;
    args.add(own(&line.effective_usd))?;
    args.add(own(&line.quantity))?;
    args.add(line.marketplace)?;
    args.add(line.rated)?;
    // The accounts, period, issuer and classification repeat from line to line; an invoice id
    // and a quantity are the line's own.
    let shared = |text: &Option<String>, texts: &mut BoundTexts| text.as_deref().map(|t| texts.shared(t));
    args.add(shared(&line.billing_account_id, texts))?;
    args.add(shared(&line.billing_account_name, texts))?;
    args.add(shared(&line.sub_account_id, texts))?;
    args.add(shared(&line.sub_account_name, texts))?;
    args.add(shared(&line.billing_period, texts))?;
    args.add(shared(&line.invoice_id, texts))?;
    args.add(shared(&line.invoice_issuer, texts))?;
    args.add(shared(&line.publisher, texts))?;
    args.add(shared(&line.host_provider, texts))?;
    args.add(shared(&line.charge_class, texts))?;
    args.add(shared(&line.service_category, texts))?;
    args.add(shared(&line.region_id, texts))?;
    args.add(own(&line.consumed_quantity))
}

/// Distinct values held at most, per kind: a file with more (a cost column, say) starts afresh
/// rather than growing without bound.
const HELD: usize = 4096;

/// Shared texts, and the text of each time and day already written.
#[derive(Debug, Default)]
pub struct BoundTexts {
    texts: HashSet<Arc<str>, RandomState>,
    times: HashMap<DateTime<Utc>, Arc<str>, RandomState>,
    days: HashMap<NaiveDate, Arc<str>, RandomState>,
}

impl BoundTexts {
    /// `text`, shared with every earlier line that bound the same.
    pub fn shared(&mut self, text: &str) -> Arc<str> {
        if let Some(held) = self.texts.get(text) {
            return held.clone();
        }
        if self.texts.len() >= HELD {
            self.texts.clear();
        }
        let held: Arc<str> = Arc::from(text);
        self.texts.insert(held.clone());
        held
    }

    /// A time as sqlx binds a `DateTime<Utc>` for SQLite (RFC 3339, `+00:00`).
    pub fn time(&mut self, time: DateTime<Utc>) -> Arc<str> {
        cached(&mut self.times, time, |t| t.to_rfc3339_opts(SecondsFormat::AutoSi, false))
    }

    /// A day as sqlx binds a `NaiveDate` for SQLite (`%F`).
    pub fn day(&mut self, day: NaiveDate) -> Arc<str> {
        cached(&mut self.days, day, |d| d.format("%F").to_string())
    }
}

/// The text of `value`, written by `write` once while it is held.
fn cached<K: Hash + Eq + Copy>(
    held: &mut HashMap<K, Arc<str>, RandomState>,
    value: K,
    write: impl Fn(K) -> String,
) -> Arc<str> {
    if let Some(text) = held.get(&value) {
        return text.clone();
    }
    if held.len() >= HELD {
        held.clear();
    }
    let text: Arc<str> = Arc::from(write(value));
    held.insert(value, text.clone());
    text
}

#[cfg(test)]
pub(super) mod tests {
    use chrono::TimeZone;

    use super::*;

    /// A rated line numbered `n`, with every kind of value set.
    pub(in crate::import) fn line(n: i64) -> Model {
        Model {
            id: 0,
            tenant_id: 1,
            batch_id: 2,
            row_number: n,
            line_item_id: Some(format!("l-{n}")),
            customer_external_id: "C".into(),
            customer_id: Some(3),
            reseller_id: Some(4),
            owner_id: 4,
            product_id: None,
            sku: None,
            provider: "P".into(),
            service: "S".into(),
            charge_category: "Usage".into(),
            period_start: Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap(),
            period_end: Utc.with_ymd_and_hms(2026, 1, 3, 0, 0, 0).unwrap(),
            month: "2026-01".into(),
            day: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
            billed_cost: "1.5".into(),
            effective_cost: "1.5".into(),
            currency: "USD".into(),
            usd_rate: Some("1".into()),
            billed_usd: Some("1.5".into()),
            effective_usd: Some("1.5".into()),
            quantity: None,
            marketplace: false,
            rated: true,
            billing_account_id: Some("PAYER".into()),
            billing_account_name: None,
            sub_account_id: Some("C".into()),
            sub_account_name: Some("Customer C".into()),
            billing_period: Some("2026-01".into()),
            invoice_id: None,
            invoice_issuer: Some("AWS".into()),
            publisher: None,
            host_provider: None,
            charge_class: None,
            service_category: Some("Compute".into()),
            region_id: None,
            consumed_quantity: Some("2.5".into()),
        }
    }

    #[test]
    fn a_repeated_text_is_shared_and_the_held_ones_stay_bounded() {
        let mut texts = BoundTexts::default();
        let first = texts.shared("Azure");
        assert!(Arc::ptr_eq(&first, &texts.shared("Azure")));
        for n in 0..HELD * 2 {
            assert_eq!(&*texts.shared(&n.to_string()), n.to_string());
        }
        assert!(texts.texts.len() <= HELD);
        assert_eq!(&*texts.shared("Azure"), "Azure");
    }

    #[test]
    fn times_and_days_are_written_as_sqlx_writes_them() {
        let mut texts = BoundTexts::default();
        let time = Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap();
        assert_eq!(&*texts.time(time), "2026-03-04T05:06:07+00:00");
        assert!(Arc::ptr_eq(&texts.time(time), &texts.time(time)));
        let day = NaiveDate::from_ymd_opt(-5, 3, 4).unwrap();
        assert_eq!(&*texts.day(day), day.format("%F").to_string());
    }

    #[test]
    fn a_line_is_bound_for_sqlite_as_sea_orm_binds_its_values() {
        use sea_orm::sqlx::IntoArguments;
        use sea_query_sqlx::SqlxValues;

        // `bind` repeats `values`' column order: both must give SQLite the same arguments.
        // A shared text is an `Arc<str>` (`TextSlice`), sea-orm's an `Arc<String>` (`Text`): both
        // are bound with `sqlite3_bind_text`, so only the variant's name may differ.
        let mut with_nulls = line(7);
        (with_nulls.line_item_id, with_nulls.customer_id, with_nulls.usd_rate) = (None, None, None);
        let mut texts = BoundTexts::default();
        // The same line twice: the second binds the texts the first left shared.
        for line in [line(1), with_nulls, line(1)] {
            let mut bound = SqliteArguments::default();
            bind(&mut bound, &line, &mut texts).unwrap();
            let by_sea_orm: SqliteArguments =
                IntoArguments::<sea_orm::sqlx::Sqlite>::into_arguments(SqlxValues(sea_orm::Values(values(&line))));
            assert_eq!(format!("{bound:?}").replace("TextSlice(", "Text("), format!("{by_sea_orm:?}"));
        }
    }

    #[test]
    fn sqlite_statements_bind_every_column_of_every_line_once() {
        let lines: Vec<Model> = (0..1500).map(line).collect();
        let Prepared::Sqlite(statements) = Prepared::of(DbBackend::Sqlite, &lines, &mut BoundTexts::default()).unwrap()
        else {
            panic!("SQLite lines are bound ahead");
        };
        let counts: Vec<usize> = statements.iter().map(|(count, _)| *count).collect();
        // A full statement, then the remainder in power-of-two sizes (see `bulk`).
        assert_eq!(counts, [641, 641, 128, 64, 16, 8, 2]);
        for (count, args) in &statements {
            assert_eq!(args.len(), count * LINES.columns.len());
        }
        // PostgreSQL's lines are COPY text: a row per line, every column tab-separated.
        let Prepared::Copy(text) = Prepared::of(DbBackend::Postgres, &lines, &mut BoundTexts::default()).unwrap()
        else {
            panic!("PostgreSQL lines are copied");
        };
        let text = String::from_utf8(text).unwrap();
        assert_eq!(text.lines().count(), 1500);
        assert!(text.lines().all(|row| row.split('\t').count() == LINES.columns.len()));
    }
}
