//! Fx rates: USD per unit of a currency, per month, per tree. The USD value of a line is fixed
//! with its month's rate when it is rated.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::api::{FxRate, FxRateFilter, ListQuery, Page, Violations};
use domain::codes::CurrencyCode;
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entities::fx_rate::{self, Column, Entity};
use crate::{Scope, Store, StoreError, clock, paging, stored};

/// Whether `month` is a real `YYYY-MM`.
pub fn valid_month(month: &str) -> bool {
    month.len() == 7 && NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_ok()
}

/// Rates of the caller's tree.
pub async fn list(
    store: &Store,
    scope: &Scope,
    filter: &FxRateFilter,
    query: &ListQuery,
) -> Result<Page<FxRate>, StoreError> {
    let mut select = Entity::find().filter(Column::TenantId.eq(scope.tenant_id));
    if let Some(currency) = &filter.currency {
        select = select.filter(Column::Currency.eq(currency.trim().to_uppercase()));
    }
    if let Some(month) = &filter.month {
        select = select.filter(Column::Month.eq(month.trim()));
    }
    if let Some(q) = &query.q {
        select = select.filter(paging::search(q, &[Column::Currency, Column::Month]));
    }
    let page = paging::fetch_page(store.db(), select, query, Column::Id).await?;
    paging::convert(page, to_wire)
}

/// Adds or replaces rates, all or nothing. Only the top of the tree sets them. Lines already
/// rated keep the rate they were rated with; `rerate` picks up lines that lacked one.
pub async fn upsert(store: &Store, scope: &Scope, rates: Vec<FxRate>) -> Result<u64, StoreError> {
    if !scope.owns_catalog() {
        return Err(StoreError::Forbidden("fx rates are managed by the organisation at the top of your tree"));
    }
    let mut v = Violations::default();
    for (i, rate) in rates.iter().enumerate() {
        if !valid_month(&rate.month) {
            v.add(&format!("rates[{i}].month"), "must be a month such as 2026-10");
        }
        if rate.rate <= Decimal::ZERO || rate.rate > Decimal::from(1_000_000) {
            v.add(&format!("rates[{i}].rate"), "must be above zero and at most 1,000,000");
        }
    }
    if rates.is_empty() {
        v.add("rates", "must not be empty");
    }
    v.finish().map_err(StoreError::Invalid)?;
    let txn = store.write().await?;
    for rate in &rates {
        upsert_one(&txn, scope.tenant_id, rate).await?;
    }
    txn.commit().await?;
    Ok(rates.len() as u64)
}

pub(crate) async fn upsert_one(db: &impl ConnectionTrait, tenant: i64, rate: &FxRate) -> Result<(), StoreError> {
    let existing = Entity::find()
        .filter(Column::TenantId.eq(tenant))
        .filter(Column::Currency.eq(rate.currency.as_str()))
        .filter(Column::Month.eq(&rate.month))
        .one(db)
        .await?;
    match existing {
        Some(row) => {
            let mut model: fx_rate::ActiveModel = row.into();
            model.rate = Set(rate.rate.to_string());
            model.updated_at = Set(clock::now());
            model.update(db).await?;
        }
        None => {
            fx_rate::ActiveModel {
                tenant_id: Set(tenant),
                currency: Set(rate.currency.to_string()),
                month: Set(rate.month.clone()),
                rate: Set(rate.rate.to_string()),
                updated_at: Set(clock::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// Every rate of a tree, by (currency, month).
pub(crate) async fn table(
    db: &impl ConnectionTrait,
    tenant: i64,
) -> Result<HashMap<(String, String), Decimal>, StoreError> {
    Entity::find()
        .filter(Column::TenantId.eq(tenant))
        .all(db)
        .await?
        .into_iter()
        .map(|r| Ok(((r.currency.clone(), r.month.clone()), stored::parse(&r.rate, "fx_rates.rate")?)))
        .collect()
}

fn to_wire(m: fx_rate::Model) -> Result<FxRate, StoreError> {
    Ok(FxRate {
        currency: stored::code(&m.currency, "fx_rates.currency", CurrencyCode::parse)?,
        month: m.month,
        rate: stored::parse(&m.rate, "fx_rates.rate")?,
    })
}

/// Reads rates from a CSV with the columns `currency,month,rate` (any case, any order; a BOM
/// and extra columns are fine). Every bad row is reported, with its data-row number.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<FxRate>, Vec<domain::api::FieldError>> {
    use domain::api::FieldError;
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            return Err(vec![FieldError {
                field: None,
                row: None,
                rows: None,
                message: format!("the header cannot be read: {e}"),
            }]);
        }
    };
    let index = |name: &str| header.iter().position(|h| h == name);
    let (Some(c), Some(m), Some(r)) = (index("currency"), index("month"), index("rate")) else {
        return Err(vec![FieldError {
            field: None,
            row: None,
            rows: None,
            message: "the columns currency, month and rate are required".into(),
        }]);
    };
    let mut rates = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i as u64 + 1;
        let problem = |field: &str, message: &str| FieldError {
            field: Some(field.into()),
            row: Some(row),
            rows: None,
            message: format!("row {row}: {message}"),
        };
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(FieldError {
                    field: None,
                    row: Some(row),
                    rows: None,
                    message: format!("row {row} cannot be read: {e}"),
                });
                continue;
            }
        };
        let cell = |k: usize| record.get(k).unwrap_or("").trim();
        let currency = CurrencyCode::parse(cell(c)).map_err(|e| problem("currency", &e.to_string()));
        let month = Some(cell(m).to_owned())
            .filter(|m| valid_month(m))
            .ok_or_else(|| problem("month", "must be a month such as 2026-10"));
        let rate = Decimal::from_str_exact(cell(r))
            .ok()
            .filter(|r| *r > Decimal::ZERO && *r <= Decimal::from(1_000_000))
            .ok_or_else(|| problem("rate", "must be a decimal above zero and at most 1,000,000"));
        match (currency, month, rate) {
            (Ok(currency), Ok(month), Ok(rate)) => rates.push(FxRate { currency, month, rate }),
            (a, b, c) => errors.extend([a.err(), b.err(), c.err()].into_iter().flatten()),
        }
    }
    if rates.is_empty() && errors.is_empty() {
        errors.push(FieldError { field: None, row: None, message: "the file has no rates".into(), rows: None });
    }
    if errors.is_empty() { Ok(rates) } else { Err(errors) }
}
