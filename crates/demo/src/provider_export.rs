//! A provider's export, as a channel company receives one: AWS bills the distributor's payer
//! account for its customers' linked accounts, last month and this month to date, with an
//! invoice id, services the catalog does not list (their SKUs count under "Unmapped"), tax,
//! and two linked accounts no customer owns yet (held back until they are given to one). A few
//! demo customers own linked accounts (`billing_accounts`), so the invoices, the unmapped
//! accounts and the unmapped SKUs of the imports page have something to show.

use chrono::{Datelike, Months, NaiveDate};
use domain::api::{Organization, OrganizationPatch};
use domain::codes::CurrencyCode;
use domain::focus::{ChargeCategory, LineDetails, LineInput};
use rust_decimal::Decimal;
use store::import::{self, CHUNK, Parsed};
use store::{Scope, Store, StoreError, organizations};

use crate::Dates;

/// Customers that own a linked account.
const OWNERS: usize = 6;
/// The payer account, as AWS names it.
const PAYER: (&str, &str) = ("480011223344", "Northwind Distribution (payer)");
/// Linked accounts no customer owns yet: (id, name).
const UNOWNED: [(&str, &str); 2] = [("480099000001", "Contoso Labs sandbox"), ("480099000002", "Fabrikam analytics")];
/// Services billed: (service, category, SKU, monthly USD in cents before the account's share).
const SERVICES: [(&str, &str, &str, i64); 3] = [
    ("Amazon Elastic Compute Cloud", "Compute", "BoxUsage:m6i.large", 182_450),
    ("Amazon Simple Storage Service", "Storage", "TimedStorage-ByteHrs", 31_220),
    ("AWS Lambda", "Compute", "Lambda-GB-Second", 8_930),
];
/// Sales tax billed on the invoice, in percent.
const TAX_PERCENT: i64 = 8;

/// A linked account's id: the payer's prefix and the customer's place.
fn linked_account(n: usize) -> String {
    format!("4800550000{n:02}")
}

/// Gives the first customers a linked account each, and imports last month's and this month's
/// export. Returns the lines imported.
pub(crate) async fn write(
    store: &Store,
    distributor: &Scope,
    dates: &Dates,
    customers: &[Organization],
) -> Result<u64, StoreError> {
    let owners: Vec<(String, String)> = customers
        .iter()
        .take(OWNERS)
        .enumerate()
        .map(|(n, c)| (linked_account(n + 1), format!("{} production", c.name)))
        .collect();
    for (customer, (account, _)) in customers.iter().zip(&owners) {
        let patch = OrganizationPatch { billing_accounts: Some(vec![account.clone()]), ..Default::default() };
        organizations::update(store, distributor, customer.id, patch).await?;
    }
    let this_month = dates.today.with_day(1).unwrap_or(dates.today);
    let last_month = this_month.checked_sub_months(Months::new(1)).unwrap_or(this_month);
    let mut total = 0;
    for (month, to) in [(last_month, this_month.pred_opt().unwrap_or(this_month)), (this_month, dates.today)] {
        let accounts = owners.iter().map(|(a, n)| (a.as_str(), n.as_str())).chain(UNOWNED);
        let lines = export(month, to, accounts.collect());
        total += lines.len() as u64;
        import_export(store, distributor, month, lines).await?;
    }
    Ok(total)
}

/// The export of `month` up to `to`: one line per account, service and week, and the tax.
fn export(month: NaiveDate, to: NaiveDate, accounts: Vec<(&str, &str)>) -> Vec<LineInput> {
    let invoice = format!("EUINV{:04}{:02}", month.year(), month.month());
    let mut out = Vec::new();
    for (i, (account, name)) in accounts.into_iter().enumerate() {
        let share = Decimal::new(60 + 17 * i as i64 % 90, 2);
        let mut taxed = Decimal::ZERO;
        for (service, category, sku, cents) in SERVICES {
            for week in 0..4u32 {
                let Some(day) = NaiveDate::from_ymd_opt(month.year(), month.month(), 1 + week * 7) else { continue };
                if day > to {
                    continue;
                }
                let amount = (Decimal::new(cents, 2) * share / Decimal::from(4)).round_dp(6);
                taxed += amount;
                out.push(line(
                    account,
                    name,
                    &invoice,
                    day,
                    amount,
                    ChargeCategory::Usage,
                    service,
                    category,
                    Some(sku),
                ));
            }
        }
        if !taxed.is_zero() {
            let tax = (taxed * Decimal::new(TAX_PERCENT, 2)).round_dp(2);
            let day = month.min(to);
            out.push(line(account, name, &invoice, day, tax, ChargeCategory::Tax, "Tax", "Other", None));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn line(
    account: &str,
    name: &str,
    invoice: &str,
    day: NaiveDate,
    amount: Decimal,
    category: ChargeCategory,
    service: &str,
    service_category: &str,
    sku: Option<&str>,
) -> LineInput {
    let start = day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let month_of = format!("{:04}-{:02}", day.year(), day.month());
    LineInput {
        customer_external_id: account.to_owned(),
        period_start: start,
        period_end: start + chrono::Duration::days(7),
        billed_cost: amount,
        effective_cost: (amount * Decimal::new(94, 2)).round_dp(6),
        currency: CurrencyCode::parse("USD").expect("USD is a currency"),
        category,
        provider: "AWS".into(),
        service: service.into(),
        sku: sku.map(str::to_owned),
        quantity: None,
        reseller_external_id: None,
        marketplace: false,
        line_item_id: None,
        details: LineDetails {
            billing_account_id: Some(PAYER.0.into()),
            billing_account_name: Some(PAYER.1.into()),
            sub_account_id: Some(account.into()),
            sub_account_name: Some(name.into()),
            billing_period: Some(month_of),
            invoice_id: Some(invoice.into()),
            invoice_issuer: Some("Amazon Web Services EMEA SARL".into()),
            publisher: Some("AWS".into()),
            service_category: Some(service_category.into()),
            region_id: Some("eu-central-1".into()),
            ..LineDetails::default()
        },
    }
}

/// Imports one month's export, restating its billing period as AWS's daily exports do.
async fn import_export(
    store: &Store,
    distributor: &Scope,
    month: NaiveDate,
    lines: Vec<LineInput>,
) -> Result<(), StoreError> {
    let total = lines.len();
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        let rows: Vec<Parsed> =
            lines.into_iter().enumerate().map(|(i, l)| Parsed::Row(i as u64 + 1, Box::new(l))).collect();
        for chunk in rows.chunks(CHUNK) {
            if tx.send(chunk.to_vec()).await.is_err() {
                return;
            }
        }
    });
    let name = format!("aws-focus-{:04}-{:02}.csv", month.year(), month.month());
    let source = import::Source {
        sha256: format!("demo-{name}-{total}"),
        file_name: name,
        kind: "csv",
        created_by: None,
        dry_run: false,
        replace_periods: true,
    };
    import::import(store, distributor, source, rx, None).await?;
    Ok(())
}
