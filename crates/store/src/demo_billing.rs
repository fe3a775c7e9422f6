//! Demo billing lines for the demo distributor: 24 months of charges consistent with its
//! subscriptions (licences as Purchase at each renewal, cloud as Usage a few times a month,
//! some marketplace, credits, tax), in USD, EUR and GBP, plus a few lines that cannot be rated
//! so that billing issues show. They go through the real import pipeline.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use domain::api::FxRate;
use domain::codes::CurrencyCode;
use domain::focus::{ChargeCategory, LineInput};
use rust_decimal::Decimal;

use crate::billing::import::{self, Parsed};
use crate::billing::{CHUNK, fx_rates};
use crate::{Scope, Store, StoreError};

/// What a line needs of a subscription.
pub struct SubscriptionFacts {
    /// Stable index, for line ids.
    pub n: usize,
    /// The customer's external id.
    pub customer: String,
    /// SKU, provider, product name (the service), licence or usage, marketplace.
    pub sku: &'static str,
    /// Provider.
    pub provider: &'static str,
    /// Service name.
    pub service: &'static str,
    /// Licence product (Purchase at renewals) or usage (Usage lines).
    pub licence: bool,
    /// Sold through a marketplace.
    pub marketplace: bool,
    /// Price per unit per interval.
    pub unit_price: Decimal,
    /// Currency.
    pub currency: &'static str,
    /// Seats.
    pub quantity: i64,
    /// Months per interval.
    pub interval_months: u32,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: Option<NaiveDate>,
    /// Trials are not billed.
    pub trial: bool,
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
    s: &SubscriptionFacts,
    id: String,
) -> Option<LineInput> {
    let start: DateTime<Utc> = day.and_hms_opt(0, 0, 0)?.and_utc();
    Some(LineInput {
        customer_external_id: customer.to_owned(),
        period_start: start,
        period_end: start + chrono::Duration::days(1),
        billed_cost: amount.round_dp(2),
        // The channel keeps about 15 % (licences) or 8 % (cloud) as margin.
        effective_cost: (amount * if s.licence { Decimal::new(85, 2) } else { Decimal::new(92, 2) }).round_dp(2),
        currency: CurrencyCode::parse(currency).ok()?,
        category,
        provider: s.provider.to_owned(),
        service: s.service.to_owned(),
        sku: Some(s.sku.to_owned()),
        quantity: (category == ChargeCategory::Purchase).then(|| Decimal::from(s.quantity)),
        reseller_external_id: None,
        marketplace: s.marketplace,
        line_item_id: Some(id),
    })
}

/// The demo's lines up to `today`.
pub fn lines(subscriptions: &[SubscriptionFacts], first_month: NaiveDate, today: NaiveDate) -> Vec<LineInput> {
    let mut out = Vec::new();
    let mut noise = 0x5eed_u64;
    let mut next = move || {
        noise ^= noise << 13;
        noise ^= noise >> 7;
        noise ^= noise << 17;
        noise
    };
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
                        out.extend(line(
                            &s.customer,
                            day,
                            amount,
                            s.currency,
                            ChargeCategory::Purchase,
                            s,
                            format!("demo-{}-{}", s.n, month),
                        ));
                        // Sales tax on licences, billed alongside (excluded from revenue).
                        out.extend(line(
                            &s.customer,
                            day,
                            amount * Decimal::new(8, 2),
                            s.currency,
                            ChargeCategory::Tax,
                            s,
                            format!("demo-{}-{}-tax", s.n, month),
                        ));
                    }
                }
            } else {
                // Cloud consumption, three readings a month, growing with the account's age.
                let base = Decimal::from(200 + (next() % 4800) as i64)
                    * (Decimal::ONE + Decimal::new(since.min(24), 2) * Decimal::new(3, 0));
                for (k, day) in [3u32, 13, 23].into_iter().enumerate() {
                    let Some(date) = NaiveDate::from_ymd_opt(month.year(), month.month(), day) else { continue };
                    if date > today || date < s.start {
                        continue;
                    }
                    let amount = base / Decimal::from(3) * Decimal::new(90 + (next() % 21) as i64, 2);
                    out.extend(line(
                        &s.customer,
                        date,
                        amount,
                        "USD",
                        ChargeCategory::Usage,
                        s,
                        format!("demo-{}-{}-u{k}", s.n, month),
                    ));
                }
                // Now and then a service credit.
                if next() % 20 == 0 {
                    let date = NaiveDate::from_ymd_opt(month.year(), month.month(), 15).filter(|d| *d <= today);
                    if let Some(date) = date {
                        out.extend(line(
                            &s.customer,
                            date,
                            -base * Decimal::new(5, 2),
                            "USD",
                            ChargeCategory::Credit,
                            s,
                            format!("demo-{}-{}-credit", s.n, month),
                        ));
                    }
                }
            }
            month = match month.checked_add_months(Months::new(1)) {
                Some(m) => m,
                None => break,
            };
        }
    }
    // A few lines nobody can rate yet: a customer the distributor has not created, and a SKU
    // retired from the catalog.
    if let Some(any) = subscriptions.first() {
        let day = today.with_day(1).unwrap_or(today);
        for k in 0..3 {
            out.extend(line(
                "CUST-99999",
                day,
                Decimal::new(4999 + k, 2),
                "USD",
                ChargeCategory::Usage,
                any,
                format!("demo-unknown-customer-{k}"),
            ));
        }
        let mut retired = line(
            &any.customer,
            day,
            Decimal::new(1250, 2),
            "USD",
            ChargeCategory::Purchase,
            any,
            "demo-retired-sku".into(),
        );
        if let Some(l) = retired.as_mut() {
            l.sku = Some("LEGACY-BACKUP-2019".into());
        }
        out.extend(retired);
    }
    out
}

/// Monthly rates for EUR and GBP over the demo's months, gently drifting.
pub fn rates(first_month: NaiveDate, today: NaiveDate) -> Vec<FxRate> {
    let mut out = Vec::new();
    let mut month = month_start(first_month);
    let mut i = 0i64;
    while month <= today {
        let label = format!("{:04}-{:02}", month.year(), month.month());
        for (currency, base) in [("EUR", 1_0800i64), ("GBP", 1_2600)] {
            let drift = (i % 7 - 3) * 15;
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

/// Writes the rates and imports the lines as the distributor.
pub async fn load(store: &Store, scope: &Scope, rates: Vec<FxRate>, lines: Vec<LineInput>) -> Result<u64, StoreError> {
    for rate in &rates {
        fx_rates::upsert_one(store.db(), scope.tenant_id, rate).await?;
    }
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
    };
    import::import(store, scope, source, rx, None).await?;
    Ok(total)
}
