//! Provider accounts and the customers that own them (docs/import.md §6): a customer's
//! `billing_accounts`, the accounts seen in imports that no customer owns, and mapping one to a
//! customer (an existing one, or one made from the account), which rates its lines in the same
//! transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::api::{
    AccountMapped, CustomerFromAccount, ListQuery, MAX_BILLING_ACCOUNTS, MapAccount, NewOrganization, Organization,
    Page, UnmappedAccount, Violations,
};
use domain::codes::CurrencyCode;
use domain::kinds::OrgKind;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::issues::{line_scope, rerate_in};
use crate::entities::{billing_line_item, customer_billing_account, organization};
use crate::{Scope, Store, StoreError, stored};

/// The longest account id.
const MAX_ACCOUNT: usize = 256;

/// Lines read at a time when the unmapped accounts are summed.
const READ_AT_ONCE: u64 = 10_000;

/// Checks a customer's accounts as sent: trimmed, filled, at most [`MAX_ACCOUNT`] characters,
/// each once, at most [`MAX_BILLING_ACCOUNTS`].
pub(crate) fn check(accounts: &[String]) -> Result<Vec<String>, StoreError> {
    let mut v = Violations::default();
    if accounts.len() > MAX_BILLING_ACCOUNTS {
        v.add("billing_accounts", format!("must hold at most {MAX_BILLING_ACCOUNTS} accounts"));
    }
    let mut clean: Vec<String> = Vec::with_capacity(accounts.len());
    for (i, account) in accounts.iter().enumerate() {
        let field = format!("billing_accounts[{i}]");
        let account = account.trim();
        if account.is_empty() {
            v.add(&field, "must not be empty");
        } else if account.chars().count() > MAX_ACCOUNT {
            v.add(&field, format!("must be at most {MAX_ACCOUNT} characters"));
        } else if account.contains('\0') {
            v.add(&field, "must not contain a NUL character");
        } else if clean.iter().any(|a| a == account) {
            v.add(&field, "is listed twice");
        } else {
            clean.push(account.to_owned());
        }
    }
    v.finish().map_err(StoreError::Invalid)?;
    Ok(clean)
}

/// Makes `accounts` the whole list of `customer`'s accounts. An account another customer of the
/// tree owns is refused, naming the account but not the other customer (who may be outside the
/// caller's subtree).
pub(crate) async fn set(
    db: &impl ConnectionTrait,
    tenant: i64,
    customer: i64,
    accounts: &[String],
) -> Result<(), StoreError> {
    use customer_billing_account::Column;
    if !accounts.is_empty() {
        let taken = customer_billing_account::Entity::find()
            .filter(Column::TenantId.eq(tenant))
            .filter(Column::AccountId.is_in(accounts.iter().cloned()))
            .filter(Column::CustomerId.ne(customer))
            .all(db)
            .await?;
        if !taken.is_empty() {
            let mut v = Violations::default();
            for (i, account) in accounts.iter().enumerate() {
                if taken.iter().any(|t| &t.account_id == account) {
                    v.add(&format!("billing_accounts[{i}]"), format!("{account} belongs to another customer"));
                }
            }
            return Err(StoreError::Invalid(v.finish().unwrap_err()));
        }
    }
    customer_billing_account::Entity::delete_many().filter(Column::CustomerId.eq(customer)).exec(db).await?;
    for account in accounts {
        customer_billing_account::ActiveModel {
            tenant_id: Set(tenant),
            customer_id: Set(customer),
            account_id: Set(account.clone()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The accounts of each of `customers`, in the order they were set.
pub(crate) async fn of(db: &impl ConnectionTrait, customers: &[i64]) -> Result<HashMap<i64, Vec<String>>, StoreError> {
    let mut owned: HashMap<i64, Vec<String>> = HashMap::new();
    if customers.is_empty() {
        return Ok(owned);
    }
    let rows = customer_billing_account::Entity::find()
        .filter(customer_billing_account::Column::CustomerId.is_in(customers.iter().copied()))
        .order_by_asc(customer_billing_account::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        owned.entry(row.customer_id).or_default().push(row.account_id);
    }
    Ok(owned)
}

/// The accounts in scope whose lines are held back because no customer owns them.
pub async fn unmapped(store: &Store, scope: &Scope, query: &ListQuery) -> Result<Page<UnmappedAccount>, StoreError> {
    let mut items: Vec<UnmappedAccount> = sum_unmapped(store.db(), scope, None).await?.into_values().collect();
    if let Some(q) = &query.q {
        let q = q.to_lowercase();
        items.retain(|a| {
            a.account_id.to_lowercase().contains(&q) || a.name.as_deref().is_some_and(|n| n.to_lowercase().contains(&q))
        });
    }
    match query.sort {
        Some(sort) => {
            items.sort_by(|a, b| {
                let order = match sort.field {
                    "name" => a.name.cmp(&b.name),
                    "lines" => a.lines.cmp(&b.lines),
                    "first_day" => a.first_day.cmp(&b.first_day),
                    "last_day" => a.last_day.cmp(&b.last_day),
                    _ => a.account_id.cmp(&b.account_id),
                };
                let order = if sort.descending { order.reverse() } else { order };
                order.then_with(|| a.account_id.cmp(&b.account_id))
            });
        }
        None => items.sort_by(|a, b| b.lines.cmp(&a.lines).then_with(|| a.account_id.cmp(&b.account_id))),
    }
    let total = items.len() as u64;
    let skip = Ord::min((query.page - 1).saturating_mul(query.per_page), total) as usize;
    let items = items.into_iter().skip(skip).take(query.per_page as usize).collect();
    Ok(Page { items, total, page: query.page, per_page: query.per_page })
}

/// The held-back lines in scope that no customer owns (only `account`'s, when given), summed by
/// account a slice at a time: memory grows with the accounts, not the lines.
async fn sum_unmapped(
    db: &impl ConnectionTrait,
    scope: &Scope,
    account: Option<&str>,
) -> Result<HashMap<String, UnmappedAccount>, StoreError> {
    use billing_line_item::Column;
    let mut accounts: HashMap<String, UnmappedAccount> = HashMap::new();
    let mut after = 0i64;
    loop {
        let mut select = billing_line_item::Entity::find()
            .filter(line_scope(scope))
            // The partial index's own term (see `issues::rerate`).
            .filter(Expr::col(Column::Rated).not())
            .filter(Column::CustomerId.is_null())
            .filter(Column::Id.gt(after));
        if let Some(account) = account {
            select = select.filter(Column::CustomerExternalId.eq(account));
        }
        let lines = select.order_by_asc(Column::Id).limit(READ_AT_ONCE).all(db).await?;
        let Some(last) = lines.last() else { break };
        after = last.id;
        for line in lines {
            add_line(&mut accounts, line)?;
        }
    }
    Ok(accounts)
}

fn add_line(accounts: &mut HashMap<String, UnmappedAccount>, line: billing_line_item::Model) -> Result<(), StoreError> {
    let billed = stored::parse::<Decimal>(&line.billed_cost, "billing_line_items.billed_cost")?;
    let currency = stored::code(&line.currency, "billing_line_items.currency", CurrencyCode::parse)?;
    let name = line.sub_account_name.clone().or_else(|| line.billing_account_name.clone());
    let payer = line.billing_account_id.clone().filter(|payer| *payer != line.customer_external_id);
    let day: NaiveDate = line.day;
    match accounts.get_mut(&line.customer_external_id) {
        Some(account) => {
            account.lines += 1;
            if account.currency == currency {
                account.billed_cost += billed;
            } else {
                account.mixed_currencies = true;
            }
            account.first_day = Ord::min(account.first_day, day);
            account.last_day = Ord::max(account.last_day, day);
            if account.name.is_none() {
                account.name = name;
            }
        }
        None => {
            accounts.insert(
                line.customer_external_id.clone(),
                UnmappedAccount {
                    account_id: line.customer_external_id,
                    name,
                    provider: line.provider,
                    billing_account_id: payer,
                    lines: 1,
                    billed_cost: billed,
                    currency,
                    mixed_currencies: false,
                    first_day: day,
                    last_day: day,
                },
            );
        }
    }
    Ok(())
}

/// Makes `map.account_id` one of customer `map.customer_id`'s accounts and rates the lines it
/// held back, in one transaction.
pub async fn map(store: &Store, scope: &Scope, map: MapAccount) -> Result<AccountMapped, StoreError> {
    let [account] = <[String; 1]>::try_from(check(std::slice::from_ref(&map.account_id))?)
        .map_err(|_| StoreError::invalid("account_id", "must be one account"))?;
    let txn = store.write().await?;
    let customer = customer_in_scope(&txn, scope, map.customer_id).await?;
    let mut owned = of(&txn, &[customer.id]).await?.remove(&customer.id).unwrap_or_default();
    if !owned.contains(&account) {
        owned.push(account.clone());
    }
    set(&txn, customer.tenant_id, customer.id, &owned).await?;
    let done = rerate_in(&txn, scope).await?;
    txn.commit().await?;
    Ok(AccountMapped {
        customer_id: customer.id,
        account_id: account,
        rated: done.rated,
        still_unrated: done.still_unrated,
        issues_resolved: done.issues_resolved,
    })
}

/// A new customer owning `from.account_id`: named as the export names the account, acquired on
/// its first line's day; its lines are rated in the same transaction.
pub async fn customer_from(
    store: &Store,
    scope: &Scope,
    from: CustomerFromAccount,
) -> Result<(Organization, AccountMapped), StoreError> {
    let account_id = from.account_id.trim();
    let txn = store.write().await?;
    let Some(account) = sum_unmapped(&txn, scope, Some(account_id)).await?.remove(account_id) else {
        return Err(StoreError::invalid("account_id", "is not an account of held-back lines you can see"));
    };
    let new = NewOrganization {
        kind: OrgKind::Customer,
        parent_id: from.parent_id,
        name: from.name.or(account.name).unwrap_or_else(|| account.account_id.clone()),
        external_id: None,
        domain: None,
        country: None,
        segment: None,
        status: None,
        created_at: Some(account.first_day.and_time(chrono::NaiveTime::MIN).and_utc()),
        closed_at: None,
        onboarding_stage: None,
        onboarding_stage_since: None,
        agreement_status: None,
        vetting_status: None,
        balance_currency: None,
        billing_accounts: Some(vec![account.account_id.clone()]),
    };
    let created = crate::organizations::create_in(&txn, scope, new).await?;
    let done = rerate_in(&txn, scope).await?;
    txn.commit().await?;
    let created = crate::organizations::get(store, scope, created.id).await?;
    let mapped = AccountMapped {
        customer_id: created.id,
        account_id: account.account_id,
        rated: done.rated,
        still_unrated: done.still_unrated,
        issues_resolved: done.issues_resolved,
    };
    Ok((created, mapped))
}

/// A customer in scope, for mapping an account to it.
async fn customer_in_scope(
    txn: &DatabaseTransaction,
    scope: &Scope,
    id: i64,
) -> Result<organization::Model, StoreError> {
    organization::Entity::find_by_id(id)
        .filter(scope.organizations())
        .filter(organization::Column::Kind.eq(OrgKind::Customer.as_str()))
        .one(txn)
        .await?
        .ok_or_else(|| StoreError::invalid("customer_id", "is not a customer you can see"))
}
