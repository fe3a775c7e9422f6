//! Writing line items in bulk (see [`crate::bulk`]): new lines whose (tree, `x_LineItemId`) is
//! stored already are left out, for the import to replace once it has taken the stored lines'
//! contributions out of the rollups.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use sea_orm::sqlx::Arguments;
use sea_orm::sqlx::sqlite::SqliteArguments;
use sea_orm::{ConnectionTrait, DbBackend, Value};

use super::bound_texts::BoundTexts;
use super::import_txn::ImportTxn;
use crate::StoreError;
use crate::bulk::{OnConflict, Table};
use crate::entities::billing_line_item::Model;

const LINES: Table = Table {
    name: "billing_line_items",
    columns: &[
        "tenant_id",
        "batch_id",
        "row_number",
        "line_item_id",
        "customer_external_id",
        "customer_id",
        "reseller_id",
        "product_id",
        "sku",
        "provider",
        "service",
        "charge_category",
        "period_start",
        "period_end",
        "month",
        "day",
        "billed_cost",
        "effective_cost",
        "currency",
        "usd_rate",
        "billed_usd",
        "effective_usd",
        "quantity",
        "marketplace",
        "rated",
    ],
    on_conflict: OnConflict::Skip(KEY),
};

/// The columns a line is known by in its tree.
const KEY: &[&str] = &["tenant_id", "line_item_id"];

/// The same columns, writing over the stored line with the same key.
const REPLACING: Table = Table { on_conflict: OnConflict::Replace { on: KEY, keeps: &[] }, ..LINES };

/// The same, for lines of the same day as the lines they replace (restated costs, the common
/// case): the day is not written, so SQLite leaves the index on days alone. It rewrites an index
/// whose column is written even with the same value, and those random index pages were ~20% of
/// an import of 200,000 replacing lines.
const REPLACING_SAME_DAY: Table =
    Table { on_conflict: OnConflict::Replace { on: KEY, keeps: &["month", "day"] }, ..LINES };

/// A chunk of lines' insert statements, bound by the rating stage rather than the writer.
pub enum Prepared {
    /// SQLite: each statement's row count and its arguments (see `import_txn`).
    Sqlite(Vec<(usize, SqliteArguments)>),
    /// Other databases: each line's values, for sea-orm to bind.
    Values(Vec<Vec<Value>>),
}

impl Prepared {
    /// The statements that write `lines` on `backend`.
    pub fn of(backend: DbBackend, lines: &[Model], texts: &mut BoundTexts) -> Result<Prepared, StoreError> {
        if backend != DbBackend::Sqlite {
            return Ok(Prepared::Values(lines.iter().map(values).collect()));
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

/// The SQLite statement that inserts `count` lines. The full one (a text of ~80 KB, and nearly
/// every statement of an import) is written once: the writer asks for it between two of
/// SQLite's statements, while SQLite waits.
fn sqlite_statement(count: usize) -> Cow<'static, str> {
    static FULL: OnceLock<String> = OnceLock::new();
    if count == LINES.rows_per_statement() {
        Cow::Borrowed(FULL.get_or_init(|| LINES.statement(DbBackend::Sqlite, count)))
    } else {
        Cow::Owned(LINES.statement(DbBackend::Sqlite, count))
    }
}

/// The lines of the statements that left some out.
#[derive(Debug, Default)]
pub struct Conflicted {
    /// Every line of those statements, written or not.
    pub lines: Vec<Model>,
    /// How many of them were left out: as many as were found stored, or something is wrong.
    pub skipped: u64,
}

/// Inserts new `lines`, whose statements are `prepared` from them, statement by statement;
/// returns the lines of every statement that left some out because their (tree, x_LineItemId)
/// is stored already, for the caller to replace (a line is looked up only then, the rare case).
pub async fn insert_new(txn: &ImportTxn, lines: Vec<Model>, prepared: Prepared) -> Result<Conflicted, StoreError> {
    let mut conflicted = Conflicted::default();
    let mut at = 0;
    let mut statement = |inserted: u64, count: usize| {
        if inserted < count as u64 {
            conflicted.lines.extend_from_slice(&lines[at..at + count]);
            conflicted.skipped += count as u64 - inserted;
        }
        at += count;
    };
    match prepared {
        Prepared::Sqlite(statements) => {
            for (count, args) in statements {
                statement(txn.execute_bound(&sqlite_statement(count), args).await?, count);
            }
        }
        Prepared::Values(rows) => {
            debug_assert_eq!(lines.len(), rows.len(), "values for every line");
            let mut rows = rows.into_iter();
            while rows.len() > 0 {
                let count = rows.len().min(LINES.rows_per_statement());
                statement(LINES.insert(txn, rows.by_ref().take(count).collect()).await?, count);
            }
        }
    }
    debug_assert_eq!(at, lines.len(), "a statement for every line");
    Ok(conflicted)
}

/// Writes `lines` over the stored lines with the same (tree, x_LineItemId), each given with
/// whether it keeps its stored line's day: each stored row is updated in place and keeps its id,
/// where a delete and a new insert changed the table and every index twice (and the key's own
/// index not at all now). Every line must be written.
pub async fn replace_all(db: &impl ConnectionTrait, lines: Vec<(Model, bool)>) -> Result<(), StoreError> {
    let expected = lines.len() as u64;
    let (same_day, moved): (Vec<_>, Vec<_>) = lines.into_iter().partition(|(_, same_day)| *same_day);
    let mut written = 0;
    for (table, lines) in [(&REPLACING_SAME_DAY, same_day), (&REPLACING, moved)] {
        written += table.insert(db, lines.iter().map(|(line, _)| values(line)).collect()).await?;
    }
    if written != expected {
        return Err(StoreError::Corrupt(format!("{written} of {expected} replacing lines were written")));
    }
    Ok(())
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
    args.add(line.rated)
}

/// A line's values, in the order of the columns written.
pub fn values(line: &Model) -> Vec<Value> {
    vec![
        Value::from(line.tenant_id),
        Value::from(line.batch_id),
        Value::from(line.row_number),
        Value::from(line.line_item_id.clone()),
        Value::from(line.customer_external_id.clone()),
        Value::from(line.customer_id),
        Value::from(line.reseller_id),
        Value::from(line.product_id),
        Value::from(line.sku.clone()),
        Value::from(line.provider.clone()),
        Value::from(line.service.clone()),
        Value::from(line.charge_category.clone()),
        Value::from(line.period_start),
        Value::from(line.period_end),
        Value::from(line.month.clone()),
        Value::from(line.day),
        Value::from(line.billed_cost.clone()),
        Value::from(line.effective_cost.clone()),
        Value::from(line.currency.clone()),
        Value::from(line.usd_rate.clone()),
        Value::from(line.billed_usd.clone()),
        Value::from(line.effective_usd.clone()),
        Value::from(line.quantity.clone()),
        Value::from(line.marketplace),
        Value::from(line.rated),
    ]
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;

    fn line(n: i64) -> Model {
        Model {
            id: 0,
            tenant_id: 1,
            batch_id: 2,
            row_number: n,
            line_item_id: Some(format!("l-{n}")),
            customer_external_id: "C".into(),
            customer_id: Some(3),
            reseller_id: Some(4),
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
        }
    }

    #[test]
    fn the_full_statement_is_the_one_written_for_its_size() {
        let full = LINES.rows_per_statement();
        assert_eq!(sqlite_statement(full), LINES.statement(DbBackend::Sqlite, full));
        assert_eq!(sqlite_statement(2), LINES.statement(DbBackend::Sqlite, 2));
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
        assert_eq!(counts, [1000, 256, 128, 64, 32, 16, 4]);
        for (count, args) in &statements {
            assert_eq!(args.len(), count * LINES.columns.len());
        }
        let Prepared::Values(rows) = Prepared::of(DbBackend::Postgres, &lines, &mut BoundTexts::default()).unwrap()
        else {
            panic!("PostgreSQL lines are left to sea-orm");
        };
        assert_eq!(rows.len(), 1500);
        assert!(rows.iter().all(|row| row.len() == LINES.columns.len()));
    }
}
