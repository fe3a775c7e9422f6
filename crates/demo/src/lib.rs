//! Tierdash's demo data (`tierdash demo-data`): a deterministic, realistic distributor, written
//! into an empty database through the store.
//!
//! Resellers in a dozen countries, customers across segments and onboarding stages, a catalog
//! of six providers with plans in all four billing intervals, [`MONTHS_OF_HISTORY`] months of
//! subscriptions with trials, growth and churn, their billing lines, and the resellers' portal
//! (balances, activations, user activity). The same `now` gives the same data; dates are laid
//! out backwards from it, so the dashboards always have a current month to show.
//!
//! [`generate`] runs the steps in order, one module each:
//!
//! 1. `tree`: the distributor and its resellers.
//! 2. `catalog`: products and their service plans.
//! 3. `tree::customers` with `subscriptions`: the customers, each one's subscriptions drawn
//!    right after it (from the same random stream); then the subscriptions are written.
//! 4. `logins`: the demo logins ([`LOGINS`], all with [`DEMO_PASSWORD`]).
//! 5. `billing`: fx rates and the billing lines, through the real import.
//! 6. `provider_export`: a provider's export of last month and this month (a payer's invoice,
//!    linked accounts owned by a few customers and two by none, SKUs the catalog lacks).
//! 7. `portal`: top-ups, activations and user activity, through the portal's functions.
//!
//! Steps 1 to 4 write through [`store::seed`], in one transaction: rows as drawn, their dates
//! kept. Steps 5 to 7 go through the store's public API, as a distributor's own data would,
//! so that the rollups, billing issues and ledger are the store's own work. A step reads
//! nothing back from the database: what later steps need (ids, dates, currencies) is handed
//! on in memory.
//!
//! What a step must not do: draw from another step's random stream (the tree's stream is
//! shared by steps 1 and 3 only, in a fixed order: reordering or adding draws there changes
//! every customer after), read the clock (everything is dated from `now`), or write demo
//! content anywhere but here (the store knows nothing of the demo). A new dashboard's data goes
//! into a new step with its own seed, after the steps whose data it builds on.

mod billing;
mod catalog;
mod logins;
mod portal;
mod provider_export;
mod reports;
mod rng;
mod subscriptions;
mod tree;

use chrono::{DateTime, Datelike, Months, NaiveDate, SubsecRound, TimeZone, Utc};
use domain::codes::InvalidCode;
use rust_decimal::Decimal;
use store::seed::Seed;
use store::{Store, StoreError, admin};

pub use logins::{DEMO_PASSWORD, DemoLogin, LOGINS};

/// Months of history before the current one: subscriptions start, and billing lines are
/// dated, from the first of the month this many months back. Two full years, so that every
/// month shown has its month a year before to compare with.
pub const MONTHS_OF_HISTORY: u32 = 24;

/// What was generated.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// Resellers created.
    pub resellers: usize,
    /// Customers created.
    pub customers: usize,
    /// Products in the catalog.
    pub products: usize,
    /// Service plans.
    pub plans: usize,
    /// Subscriptions (besides those the portal's activations add).
    pub subscriptions: usize,
    /// Billing line items imported.
    pub line_items: u64,
}

/// The dates everything is laid out from.
pub(crate) struct Dates {
    /// Now, to the microsecond, as the store keeps timestamps: a date computed from it is
    /// stored as computed.
    pub(crate) now: DateTime<Utc>,
    /// Today (UTC).
    pub(crate) today: NaiveDate,
    /// Midnight at the start of the history's first month.
    pub(crate) history_start: DateTime<Utc>,
}

impl Dates {
    fn new(now: DateTime<Utc>) -> Dates {
        let now = now.trunc_subsecs(6);
        let month_start = Utc.with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0).single().unwrap_or(now);
        Dates { now, today: now.date_naive(), history_start: month_start - Months::new(MONTHS_OF_HISTORY) }
    }
}

/// `units / 10^scale`, for constants (`Decimal::new` is not `const`); `decimal(85, 2)` is 0.85.
pub(crate) const fn decimal(units: u32, scale: u32) -> Decimal {
    Decimal::from_parts(units, 0, 0, false, scale)
}

/// A code of the demo's own data; one that does not parse is a bug here.
pub(crate) fn code<T>(parsed: Result<T, InvalidCode>, field: &str) -> Result<T, StoreError> {
    parsed.map_err(|InvalidCode(message)| StoreError::invalid(field, message))
}

/// Writes the demo distributor into an empty database (the caller checks that it is empty).
pub async fn generate(store: &Store, now: DateTime<Utc>) -> Result<DemoSummary, StoreError> {
    let dates = Dates::new(now);
    let mut rng = rng::SplitMix64::new(tree::TREE_SEED);
    // Hashed before the transaction opens: it is slow on purpose.
    let password_hash = logins::password_hash()?;

    let seed = Seed::begin(store).await?;
    let tenant = tree::distributor(&seed, &dates).await?;
    let resellers = tree::resellers(&seed, tenant, &dates, &mut rng).await?;
    let catalog = catalog::write(&seed, tenant, &dates).await?;
    let (customers, mut subscriptions) = tree::customers(&seed, tenant, &dates, &resellers, &catalog, &mut rng).await?;
    subscriptions::standing(&mut subscriptions);
    subscriptions::write(&seed, tenant, &subscriptions).await?;
    logins::write(&seed, tenant, &resellers, &password_hash, &dates).await?;
    seed.commit().await?;

    let distributor = admin::scope_of(store, tenant).await?;
    let mut line_items = billing::write(store, &distributor, &dates, &catalog, &customers, &subscriptions).await?;
    line_items += provider_export::write(store, &distributor, &dates, &customers).await?;
    portal::write(store, &distributor, &dates, &resellers, &customers, &catalog).await?;
    reports::write(store, &distributor, resellers[0].id, &dates).await?;
    Ok(DemoSummary {
        resellers: resellers.len(),
        customers: customers.len(),
        products: catalog.products.len(),
        plans: catalog.plans.len(),
        subscriptions: subscriptions.len(),
        line_items,
    })
}
