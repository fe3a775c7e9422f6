//! Billing: monthly EUR and GBP rates over the history, then the history's billing lines,
//! consistent with the subscriptions (licences billed as Purchase at each renewal with sales
//! tax alongside, cloud as Usage three times a month, now and then a credit; some through a
//! marketplace), in USD, EUR and GBP, plus a few lines nobody can rate yet so that billing
//! issues show. The rates go through `fx_rates::upsert` and the lines through the real import,
//! as the distributor's own would.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use domain::api::{FxRate, Organization, Subscription};
use domain::codes::CurrencyCode;
use domain::focus::{ChargeCategory, LineDetails, LineInput};
use domain::kinds::BillingModel;
use rust_decimal::Decimal;
use store::billing::fx_rates;
use store::import::{self, CHUNK, Parsed};
use store::{Scope, Store, StoreError};

use crate::catalog::Catalog;
use crate::rng::Xorshift64;
use crate::{Dates, decimal};

/// The seed of the noise in usage amounts.
const NOISE_SEED: u64 = 0x5eed;

/// The rates, USD per unit, in ten-thousandths: about the real ones...
const RATES: [(&str, i64); 2] = [("EUR", 1_0800), ("GBP", 1_2600)];
/// ... drifting over a cycle of this many months...
const RATE_CYCLE_MONTHS: i64 = 7;
/// ... by this many ten-thousandths a month either side of them.
const RATE_DRIFT: i64 = 15;

/// The channel's margin: it keeps about 15% of licences' billed cost...
const LICENCE_EFFECTIVE: Decimal = decimal(85, 2);
/// ... and about 8% of cloud usage.
const CLOUD_EFFECTIVE: Decimal = decimal(92, 2);
/// Sales tax on licences, billed alongside (and excluded from revenue).
const TAX_RATE: Decimal = decimal(8, 2);
/// A cloud account's monthly consumption in USD before growth: at least this...
const USAGE_BASE_MIN: i64 = 200;
/// ... plus up to this much more.
const USAGE_BASE_SPREAD: u64 = 4800;
/// Consumption grows 3% a month with the account's age...
const USAGE_GROWTH_PERCENT: i64 = 3;
/// ... for its first two years.
const USAGE_GROWTH_MONTHS: i64 = 24;
/// Usage is read on these days of the month...
const READING_DAYS: [u32; 3] = [3, 13, 23];
/// ... each a third of the month's, between 90% and 110% of it (in percent: the lowest, the spread).
const READING_PERCENT: (i64, u64) = (90, 21);
/// One month in this many, a cloud account gets a service credit...
const CREDIT_ONE_IN: u64 = 20;
/// ... on this day...
const CREDIT_DAY: u32 = 15;
/// ... of this share of its month's consumption.
const CREDIT_SHARE: Decimal = decimal(5, 2);
/// Lines for a customer the distributor has not created (unrated: a billing issue)...
const UNKNOWN_CUSTOMER: &str = "CUST-99999";
/// ... this many, of 49.99 USD and up (in cents).
const UNKNOWN_CUSTOMER_LINES: i64 = 3;
/// See [`UNKNOWN_CUSTOMER_LINES`].
const UNKNOWN_CUSTOMER_CENTS: i64 = 4999;
/// A line of a SKU retired from the catalog (another billing issue), of 12.50 USD.
const RETIRED_SKU: &str = "LEGACY-BACKUP-2019";
/// See [`RETIRED_SKU`].
const RETIRED_SKU_CENTS: i64 = 1250;
/// Usage and the lines that cannot be rated are in dollars.
const USD: &str = "USD";

/// What a line needs of a subscription.
struct Facts<'a> {
    /// The subscription's place among all drawn, for stable line ids.
    n: usize,
    /// The customer's external id.
    customer: &'a str,
    sku: &'static str,
    provider: &'static str,
    /// The product's name, the line's service.
    service: &'static str,
    /// A licence (Purchase at renewals) or usage (Usage lines).
    licence: bool,
    marketplace: bool,
    /// Price per unit per interval.
    unit_price: Decimal,
    currency: &'a str,
    quantity: i64,
    interval_months: u32,
    start: NaiveDate,
    end: Option<NaiveDate>,
    /// Trials are not billed.
    trial: bool,
}

/// Writes the rates and imports the lines as the distributor; returns the lines imported.
pub(crate) async fn write(
    store: &Store,
    distributor: &Scope,
    dates: &Dates,
    catalog: &Catalog,
    customers: &[Organization],
    subscriptions: &[Subscription],
) -> Result<u64, StoreError> {
    let external: HashMap<i64, &str> =
        customers.iter().map(|c| (c.id, c.external_id.as_deref().unwrap_or_default())).collect();
    let facts: Vec<Facts> = subscriptions
        .iter()
        .enumerate()
        .filter_map(|(n, s)| {
            let spec = catalog.products.get(&s.product_id)?;
            Some(Facts {
                n,
                customer: external.get(&s.customer_id)?,
                sku: spec.sku,
                provider: spec.provider,
                service: spec.name,
                licence: spec.model == BillingModel::License,
                marketplace: spec.marketplace,
                unit_price: s.unit_price?,
                currency: s.currency.as_str(),
                quantity: s.quantity,
                interval_months: s.billing_interval.months(),
                start: s.start_date,
                end: s.end_date,
                trial: s.trial,
            })
        })
        .collect();
    let first_month = dates.history_start.date_naive();
    fx_rates::upsert(store, distributor, rates(first_month, dates.today)).await?;
    import(store, distributor, lines(&facts, first_month, dates.today)).await
}

fn month_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d)
}

fn months_between(a: NaiveDate, b: NaiveDate) -> i64 {
    (b.year() as i64 - a.year() as i64) * 12 + b.month() as i64 - a.month() as i64
}

fn line(
    customer: &str,
    day: NaiveDate,
    amount: Decimal,
    currency: &str,
    category: ChargeCategory,
    s: &Facts,
    id: String,
) -> Option<LineInput> {
    let start: DateTime<Utc> = day.and_hms_opt(0, 0, 0)?.and_utc();
    Some(LineInput {
        customer_external_id: customer.to_owned(),
        period_start: start,
        period_end: start + chrono::Duration::days(1),
        billed_cost: amount.round_dp(2),
        effective_cost: (amount * if s.licence { LICENCE_EFFECTIVE } else { CLOUD_EFFECTIVE }).round_dp(2),
        currency: CurrencyCode::parse(currency).ok()?,
        category,
        provider: s.provider.to_owned(),
        service: s.service.to_owned(),
        sku: Some(s.sku.to_owned()),
        quantity: (category == ChargeCategory::Purchase).then(|| Decimal::from(s.quantity)),
        reseller_external_id: None,
        marketplace: s.marketplace,
        line_item_id: Some(id),
        details: LineDetails { billing_account_id: Some(customer.to_owned()), ..LineDetails::default() },
    })
}

/// The lines up to `today`.
fn lines(subscriptions: &[Facts], first_month: NaiveDate, today: NaiveDate) -> Vec<LineInput> {
    let mut out = Vec::new();
    let mut noise = Xorshift64::new(NOISE_SEED);
    for s in subscriptions.iter().filter(|s| !s.trial) {
        let mut month = month_start(s.start.max(first_month));
        while month <= today && s.end.is_none_or(|end| end >= month) {
            let since = months_between(month_start(s.start), month);
            if s.licence {
                // Billed up front at the start and at each renewal.
                if since % s.interval_months as i64 == 0 {
                    let day = if since == 0 { s.start.max(month) } else { month };
                    let amount = s.unit_price * Decimal::from(s.quantity);
                    if day <= today && !amount.is_zero() {
                        let id = format!("demo-{}-{}", s.n, month);
                        out.extend(line(s.customer, day, amount, s.currency, ChargeCategory::Purchase, s, id));
                        let id = format!("demo-{}-{}-tax", s.n, month);
                        out.extend(line(s.customer, day, amount * TAX_RATE, s.currency, ChargeCategory::Tax, s, id));
                    }
                }
            } else {
                // Cloud consumption, growing with the account's age.
                let base = Decimal::from(USAGE_BASE_MIN + (noise.next() % USAGE_BASE_SPREAD) as i64)
                    * (Decimal::ONE
                        + Decimal::new(since.min(USAGE_GROWTH_MONTHS), 2) * Decimal::from(USAGE_GROWTH_PERCENT));
                for (k, day) in READING_DAYS.into_iter().enumerate() {
                    let Some(date) = NaiveDate::from_ymd_opt(month.year(), month.month(), day) else { continue };
                    if date > today || date < s.start {
                        continue;
                    }
                    let percent = READING_PERCENT.0 + (noise.next() % READING_PERCENT.1) as i64;
                    let amount = base / Decimal::from(READING_DAYS.len()) * Decimal::new(percent, 2);
                    let id = format!("demo-{}-{}-u{k}", s.n, month);
                    out.extend(line(s.customer, date, amount, USD, ChargeCategory::Usage, s, id));
                }
                if noise.next().is_multiple_of(CREDIT_ONE_IN) {
                    let date = NaiveDate::from_ymd_opt(month.year(), month.month(), CREDIT_DAY).filter(|d| *d <= today);
                    if let Some(date) = date {
                        let id = format!("demo-{}-{}-credit", s.n, month);
                        out.extend(line(s.customer, date, -base * CREDIT_SHARE, USD, ChargeCategory::Credit, s, id));
                    }
                }
            }
            month = match month.checked_add_months(Months::new(1)) {
                Some(m) => m,
                None => break,
            };
        }
    }
    // A few lines nobody can rate yet, on the first of this month.
    if let Some(any) = subscriptions.first() {
        let day = today.with_day(1).unwrap_or(today);
        for k in 0..UNKNOWN_CUSTOMER_LINES {
            let amount = Decimal::new(UNKNOWN_CUSTOMER_CENTS + k, 2);
            let id = format!("demo-unknown-customer-{k}");
            out.extend(line(UNKNOWN_CUSTOMER, day, amount, USD, ChargeCategory::Usage, any, id));
        }
        let amount = Decimal::new(RETIRED_SKU_CENTS, 2);
        let mut retired =
            line(any.customer, day, amount, USD, ChargeCategory::Purchase, any, "demo-retired-sku".into());
        if let Some(l) = retired.as_mut() {
            l.sku = Some(RETIRED_SKU.into());
        }
        out.extend(retired);
    }
    out
}

/// Monthly rates for EUR and GBP over the history's months, gently drifting.
fn rates(first_month: NaiveDate, today: NaiveDate) -> Vec<FxRate> {
    let mut out = Vec::new();
    let mut month = month_start(first_month);
    let mut i = 0i64;
    while month <= today {
        let label = format!("{:04}-{:02}", month.year(), month.month());
        for (currency, base) in RATES {
            let drift = (i % RATE_CYCLE_MONTHS - RATE_CYCLE_MONTHS / 2) * RATE_DRIFT;
            if let Ok(code) = CurrencyCode::parse(currency) {
                out.push(FxRate { currency: code, month: label.clone(), rate: Decimal::new(base + drift, 4) });
            }
        }
        month = match month.checked_add_months(Months::new(1)) {
            Some(m) => m,
            None => break,
        };
        i += 1;
    }
    out
}

/// Imports the lines, as a CSV file of them would be.
async fn import(store: &Store, distributor: &Scope, lines: Vec<LineInput>) -> Result<u64, StoreError> {
    let total = lines.len() as u64;
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
    let source = import::Source {
        file_name: "demo-billing.csv".into(),
        sha256: format!("demo-{total}"),
        kind: "csv",
        created_by: None,
        dry_run: false,
        replace_periods: false,
    };
    import::import(store, distributor, source, rx, None).await?;
    Ok(total)
}
