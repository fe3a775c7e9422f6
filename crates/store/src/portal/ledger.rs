//! The balance ledger: every movement of a reseller's credit, with the balance after it.

use domain::api::{LedgerEntry, LedgerFilter, ListQuery, NewTopUp, Page};
use domain::kinds::LedgerKind;
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{balance_currency, reseller_of};
use crate::entities::{ledger_entry, organization};
use crate::{Scope, Store, StoreError, clock, paging, stored};

/// The longest idempotency key and payment reference kept.
pub const MAX_KEY: usize = 255;

/// Takes the reseller's lock for the rest of the transaction. It is the transaction's first
/// statement and a write: on SQLite it takes the write lock before anything is read (a
/// transaction that read first could not upgrade once another had written), on PostgreSQL it
/// locks the reseller's row.
pub(crate) async fn lock(db: &impl ConnectionTrait, reseller_id: i64) -> Result<(), StoreError> {
    organization::Entity::update_many()
        .col_expr(organization::Column::UpdatedAt, Expr::col(organization::Column::UpdatedAt))
        .filter(organization::Column::Id.eq(reseller_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The balance now: the last entry's `balance_after`, 0 with none.
pub(crate) async fn balance(db: &impl ConnectionTrait, reseller_id: i64) -> Result<Decimal, StoreError> {
    let last = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::ResellerId.eq(reseller_id))
        .order_by_desc(ledger_entry::Column::Id)
        .one(db)
        .await?;
    last.map(|e| stored::parse(&e.balance_after, "ledger_entries.balance_after"))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// An entry already made with this idempotency key.
pub(crate) async fn by_key(
    db: &impl ConnectionTrait,
    reseller_id: i64,
    key: Option<&str>,
) -> Result<Option<ledger_entry::Model>, StoreError> {
    let Some(key) = key else { return Ok(None) };
    Ok(ledger_entry::Entity::find()
        .filter(ledger_entry::Column::ResellerId.eq(reseller_id))
        .filter(ledger_entry::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?)
}

/// A movement to record.
pub(crate) struct Posting<'a> {
    pub reseller: &'a organization::Model,
    pub kind: LedgerKind,
    pub amount: Decimal,
    pub subscription_id: Option<i64>,
    pub reference: Option<String>,
    pub key: Option<String>,
    pub created_by: Option<i64>,
}

/// Records a movement under the reseller's lock (see [`lock`]); a debit beyond the balance is
/// refused with the balance and the amount needed.
pub(crate) async fn post(db: &impl ConnectionTrait, p: Posting<'_>) -> Result<ledger_entry::Model, StoreError> {
    let before = balance(db, p.reseller.id).await?;
    let after = before.checked_add(p.amount).ok_or_else(|| StoreError::invalid("amount", "is too large"))?;
    if after < Decimal::ZERO {
        return Err(StoreError::InsufficientBalance {
            balance: before,
            needed: -p.amount,
            currency: balance_currency(p.reseller),
        });
    }
    let entry = ledger_entry::ActiveModel {
        tenant_id: Set(p.reseller.tenant_id),
        reseller_id: Set(p.reseller.id),
        kind: Set(p.kind.as_str().to_owned()),
        amount: Set(p.amount.to_string()),
        currency: Set(balance_currency(p.reseller)),
        balance_after: Set(after.to_string()),
        subscription_id: Set(p.subscription_id),
        reference: Set(p.reference),
        idempotency_key: Set(p.key),
        created_by: Set(p.created_by),
        created_at: Set(clock::now()),
        ..Default::default()
    };
    Ok(entry.insert(db).await?)
}

/// Checks an `Idempotency-Key` a client sent.
pub fn check_key(key: Option<&str>) -> Result<Option<String>, StoreError> {
    match key.map(str::trim) {
        None => Ok(None),
        Some("") => Err(StoreError::invalid("Idempotency-Key", "must not be empty")),
        Some(k) if k.len() > MAX_KEY || k.contains('\0') => {
            Err(StoreError::invalid("Idempotency-Key", "must be at most 255 characters, without NUL"))
        }
        Some(k) => Ok(Some(k.to_owned())),
    }
}

/// A money amount a client sent: above 0, at most 2 places, at most 10^12.
fn check_amount(amount: Decimal) -> Result<Decimal, StoreError> {
    let most = Decimal::from(1_000_000_000_000i64);
    if amount <= Decimal::ZERO || amount.normalize().scale() > 2 || amount > most {
        return Err(StoreError::invalid("amount", "must be above 0, at most 10^12, with at most 2 decimal places"));
    }
    Ok(amount.normalize())
}

/// Credits a reseller's balance (a payment received), once per idempotency key.
pub async fn top_up(
    store: &Store,
    scope: &Scope,
    new: NewTopUp,
    key: Option<&str>,
    created_by: Option<i64>,
) -> Result<(LedgerEntry, bool), StoreError> {
    let key = check_key(key)?;
    let amount = check_amount(new.amount)?;
    let reference = new.payment_reference.trim().to_owned();
    // Counted before trimming, as the spec's maxLength counts.
    if reference.is_empty() || new.payment_reference.chars().count() > MAX_KEY || reference.contains('\0') {
        return Err(StoreError::invalid("payment_reference", "is required, at most 255 characters"));
    }
    let reseller = reseller_of(store.db(), scope, new.reseller_id).await?;
    let txn = store.write().await?;
    lock(&txn, reseller.id).await?;
    if let Some(first) = by_key(&txn, reseller.id, key.as_deref()).await? {
        return Ok((to_wire(first)?, false));
    }
    let entry = post(
        &txn,
        Posting {
            reseller: &reseller,
            kind: LedgerKind::TopUp,
            amount,
            subscription_id: None,
            reference: Some(reference),
            key,
            created_by,
        },
    )
    .await?;
    txn.commit().await?;
    Ok((to_wire(entry)?, true))
}

/// The ledger of the reseller in scope, newest first by default.
pub async fn list(
    store: &Store,
    scope: &Scope,
    filter: &LedgerFilter,
    query: &ListQuery,
) -> Result<Page<LedgerEntry>, StoreError> {
    use ledger_entry::Column;
    let reseller = reseller_of(store.db(), scope, filter.reseller_id).await?;
    let mut select = ledger_entry::Entity::find().filter(Column::ResellerId.eq(reseller.id));
    if let Some(kind) = filter.kind {
        select = select.filter(Column::Kind.eq(kind.as_str()));
    }
    if let Some(id) = filter.subscription_id {
        select = select.filter(Column::SubscriptionId.eq(id));
    }
    if let Some(q) = &query.q {
        select = select.filter(paging::search(q, &[Column::Reference]));
    }
    let mut query = query.clone();
    if query.sort.is_none() {
        query.sort = Some(domain::api::Sort { field: "id", descending: true });
    }
    let page = paging::fetch_page(store.db(), select, &query, Column::Id).await?;
    paging::convert(page, to_wire)
}

/// The wire form of an entry.
pub(crate) fn to_wire(m: ledger_entry::Model) -> Result<LedgerEntry, StoreError> {
    Ok(LedgerEntry {
        id: m.id,
        reseller_id: m.reseller_id,
        kind: stored::parse(&m.kind, "ledger_entries.kind")?,
        amount: stored::parse(&m.amount, "ledger_entries.amount")?,
        currency: stored::code(&m.currency, "ledger_entries.currency", domain::codes::CurrencyCode::parse)?,
        balance_after: stored::parse(&m.balance_after, "ledger_entries.balance_after")?,
        subscription_id: m.subscription_id,
        reference: m.reference,
        created_at: m.created_at,
    })
}
