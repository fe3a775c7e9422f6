//! Invoices of the imported lines (docs/import.md §12): the lines in scope summed by invoice —
//! `InvoiceId` where the export has one, else billing account and billing period — read a slice
//! at a time with only the columns needed, so memory grows with the invoices, not the lines.
//! With a period, only that period's lines are read (by the lines' period index).

use std::collections::{BTreeMap, HashMap};

use domain::api::{Invoice, InvoiceCustomer, InvoiceDetail, InvoiceService, Sort};
use domain::codes::CurrencyCode;
use domain::focus::ChargeCategory;
use domain::metrics::Month;
use domain::metrics::reported as money;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect};

use super::issues::line_scope;
use crate::entities::billing_line_item::{Column, Entity};
use crate::entities::organization;
use crate::{Scope, Store, StoreError, stored};

/// Lines read at a time.
const READ_AT_ONCE: u64 = 10_000;

/// What makes an invoice: provider, billing account, billing period, invoice id (empty when the
/// export has none) and currency.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Key {
    provider: String,
    account: String,
    period: String,
    invoice: String,
    currency: String,
}

/// Separates the key's parts in its id (a character no export writes).
const SEPARATOR: char = '\u{1f}';

impl Key {
    /// The invoice's id: its key, hex-encoded (stable, and read back by [`Key::from_id`]).
    fn id(&self) -> String {
        let parts = [&self.provider, &self.account, &self.period, &self.invoice, &self.currency];
        hex::encode(parts.map(String::as_str).join(&SEPARATOR.to_string()))
    }

    fn from_id(id: &str) -> Option<Key> {
        let text = String::from_utf8(hex::decode(id).ok()?).ok()?;
        let mut parts = text.split(SEPARATOR).map(str::to_owned);
        let key = Key {
            provider: parts.next()?,
            account: parts.next()?,
            period: parts.next()?,
            invoice: parts.next()?,
            currency: parts.next()?,
        };
        parts.next().is_none().then_some(key)
    }
}

/// A line, as far as invoices read it.
#[derive(Debug, FromQueryResult)]
struct InvoiceLine {
    id: i64,
    provider: String,
    service: String,
    service_category: Option<String>,
    invoice_id: Option<String>,
    invoice_issuer: Option<String>,
    billing_account_id: Option<String>,
    billing_account_name: Option<String>,
    billing_period: Option<String>,
    month: String,
    customer_external_id: String,
    currency: String,
    billed_cost: String,
    charge_category: String,
    customer_id: Option<i64>,
}

impl InvoiceLine {
    fn key(&self) -> Key {
        Key {
            provider: self.provider.clone(),
            account: self.billing_account_id.clone().unwrap_or_else(|| self.customer_external_id.clone()),
            period: self.billing_period.clone().unwrap_or_else(|| self.month.clone()),
            invoice: self.invoice_id.clone().unwrap_or_default(),
            currency: self.currency.clone(),
        }
    }
}

/// An invoice being summed.
#[derive(Default)]
struct Sum {
    issuer: Option<String>,
    account_name: Option<String>,
    billed: Decimal,
    tax: Decimal,
    credits: Decimal,
    lines: u64,
    unassigned: u64,
    customers: HashMap<i64, Decimal>,
    services: BTreeMap<String, (Option<String>, u64, Decimal, Decimal)>,
}

impl Sum {
    fn add(&mut self, line: InvoiceLine) -> Result<(), StoreError> {
        let billed: Decimal = stored::parse(&line.billed_cost, "billing_line_items.billed_cost")?;
        let category: ChargeCategory = stored::parse(&line.charge_category, "billing_line_items.charge_category")?;
        let tax = if category == ChargeCategory::Tax { billed } else { Decimal::ZERO };
        self.billed += billed;
        self.tax += tax;
        if category == ChargeCategory::Credit {
            self.credits += billed;
        }
        self.lines += 1;
        match line.customer_id {
            Some(customer) => *self.customers.entry(customer).or_default() += billed,
            None => self.unassigned += 1,
        }
        if self.issuer.is_none() {
            self.issuer = line.invoice_issuer;
        }
        if self.account_name.is_none() {
            self.account_name = line.billing_account_name;
        }
        let service = self.services.entry(line.service).or_default();
        if service.0.is_none() {
            service.0 = line.service_category;
        }
        service.1 += 1;
        service.2 += billed;
        service.3 += tax;
        Ok(())
    }
}

/// Sums the lines in scope (of `period`, when given; of one invoice, when `only` is given).
async fn sums(
    store: &Store,
    scope: &Scope,
    period: Option<&str>,
    only: Option<&Key>,
) -> Result<BTreeMap<Key, Sum>, StoreError> {
    let mut invoices: BTreeMap<Key, Sum> = BTreeMap::new();
    let mut after = 0i64;
    loop {
        let mut select = Entity::find()
            .select_only()
            .columns([
                Column::Id,
                Column::Provider,
                Column::Service,
                Column::ServiceCategory,
                Column::InvoiceId,
                Column::InvoiceIssuer,
                Column::BillingAccountId,
                Column::BillingAccountName,
                Column::BillingPeriod,
                Column::Month,
                Column::CustomerExternalId,
                Column::Currency,
                Column::BilledCost,
                Column::ChargeCategory,
                Column::CustomerId,
            ])
            .filter(line_scope(scope))
            .filter(Column::Id.gt(after));
        if let Some(period) = period.or(only.map(|k| k.period.as_str())) {
            select = select.filter(Column::BillingPeriod.eq(period));
        }
        if let Some(key) = only {
            select = select.filter(Column::BillingAccountId.eq(key.account.as_str()));
        }
        let lines =
            select.order_by_asc(Column::Id).limit(READ_AT_ONCE).into_model::<InvoiceLine>().all(store.db()).await?;
        let Some(last) = lines.last() else { break };
        after = last.id;
        for line in lines {
            let key = line.key();
            if only.is_some_and(|only| *only != key) {
                continue;
            }
            invoices.entry(key).or_default().add(line)?;
        }
    }
    Ok(invoices)
}

/// Every invoice in scope (of `period`, when given), sorted by `sort` (default: latest period
/// first, then largest).
pub async fn list(
    store: &Store,
    scope: &Scope,
    period: Option<Month>,
    sort: Option<Sort>,
) -> Result<Vec<Invoice>, StoreError> {
    let period = period.map(|p| p.to_string());
    let sums = sums(store, scope, period.as_deref(), None).await?;
    let names = customer_names(store, scope, &sums).await?;
    let mut invoices = sums.into_iter().map(|(key, sum)| to_wire(key, sum, &names)).collect::<Result<Vec<_>, _>>()?;
    invoices.sort_by(|a, b| {
        let order = match sort.map(|s| s.field) {
            Some("billed_total") => a.billed_total.cmp(&b.billed_total),
            Some("lines") => a.lines.cmp(&b.lines),
            Some("billing_account_id") => a.billing_account_id.cmp(&b.billing_account_id),
            Some("invoice_id") => a.invoice_id.cmp(&b.invoice_id),
            Some("provider") => a.provider.cmp(&b.provider),
            Some(_) => a.billing_period.cmp(&b.billing_period),
            None => b.billing_period.cmp(&a.billing_period).then(b.billed_total.cmp(&a.billed_total)),
        };
        let order = if sort.is_some_and(|s| s.descending) { order.reverse() } else { order };
        order.then_with(|| a.id.cmp(&b.id))
    });
    Ok(invoices)
}

/// One invoice in scope, with its lines by service; not found when the id is no invoice of the
/// caller's subtree.
pub async fn get(store: &Store, scope: &Scope, id: &str) -> Result<InvoiceDetail, StoreError> {
    let key = Key::from_id(id).ok_or(StoreError::NotFound)?;
    let mut sums = sums(store, scope, None, Some(&key)).await?;
    let Some(sum) = sums.remove(&key) else { return Err(StoreError::NotFound) };
    let mut by_service: Vec<InvoiceService> = sum
        .services
        .iter()
        .map(|(service, (category, lines, billed, tax))| InvoiceService {
            service: service.clone(),
            category: category.clone(),
            lines: *lines,
            billed: money(*billed),
            tax: money(*tax),
        })
        .collect();
    by_service.sort_by(|a, b| b.billed.cmp(&a.billed).then_with(|| a.service.cmp(&b.service)));
    let one = BTreeMap::from([(key.clone(), sum)]);
    let names = customer_names(store, scope, &one).await?;
    let (key, sum) = one.into_iter().next().expect("one invoice");
    Ok(InvoiceDetail { invoice: to_wire(key, sum, &names)?, by_service })
}

async fn customer_names(
    store: &Store,
    scope: &Scope,
    sums: &BTreeMap<Key, Sum>,
) -> Result<HashMap<i64, String>, StoreError> {
    let mut ids: Vec<i64> = sums.values().flat_map(|s| s.customers.keys().copied()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut names = HashMap::new();
    for part in ids.chunks(500) {
        let orgs = organization::Entity::find()
            .filter(scope.organizations())
            .filter(organization::Column::Id.is_in(part.iter().copied()))
            .all(store.db())
            .await?;
        names.extend(orgs.into_iter().map(|o| (o.id, o.name)));
    }
    Ok(names)
}

fn to_wire(key: Key, sum: Sum, names: &HashMap<i64, String>) -> Result<Invoice, StoreError> {
    let mut customers: Vec<InvoiceCustomer> = sum
        .customers
        .into_iter()
        .map(|(customer_id, billed)| InvoiceCustomer {
            customer_id,
            name: names.get(&customer_id).cloned().unwrap_or_default(),
            billed: money(billed),
        })
        .collect();
    customers.sort_by(|a, b| b.billed.cmp(&a.billed).then(a.customer_id.cmp(&b.customer_id)));
    Ok(Invoice {
        id: key.id(),
        invoice_id: (!key.invoice.is_empty()).then(|| key.invoice.clone()),
        issuer: sum.issuer,
        provider: key.provider,
        billing_account_id: key.account,
        billing_account_name: sum.account_name,
        billing_period: key.period,
        currency: stored::code(&key.currency, "billing_line_items.currency", CurrencyCode::parse)?,
        billed_total: money(sum.billed),
        tax: money(sum.tax),
        credits: money(sum.credits),
        lines: sum.lines,
        unassigned_lines: sum.unassigned,
        customers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invoice_id_reads_back_as_its_key_and_nothing_else_does() {
        let key = Key {
            provider: "AWS".into(),
            account: "PAYER".into(),
            period: "2026-10".into(),
            invoice: String::new(),
            currency: "USD".into(),
        };
        assert_eq!(Key::from_id(&key.id()), Some(key));
        assert_eq!(Key::from_id("zz"), None);
        assert_eq!(Key::from_id(&hex::encode("a\u{1f}b")), None);
    }
}
