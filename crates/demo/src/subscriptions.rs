//! The customers' subscriptions: a few licence plans each (some trials first, some churned)
//! and, for about a third of the customers, cloud usage. Drawn customer by customer from the
//! tree's random stream (see [`crate::tree::customers`]), then written in bulk.

use chrono::{Duration, NaiveDate};
use domain::api::{Organization, Subscription};
use domain::kinds::{LicenseStatus, Segment, SubscriptionStatus};
use rust_decimal::Decimal;
use store::StoreError;
use store::seed::Seed;

use crate::Dates;
use crate::catalog::{Catalog, Plan};
use crate::rng::SplitMix64;

/// Licence subscriptions drawn per customer (a draw starting after today is dropped).
const LICENCES_PER_CUSTOMER: (i64, i64) = (1, 4);
/// A licence starts within this many days of the customer joining.
const LICENCE_START_DAYS: (i64, i64) = (0, 15);
/// Share of licences that start as a trial.
const TRIAL: f64 = 0.12;
/// A trial lasts this many days...
const TRIAL_DAYS: i64 = 30;
/// ... for at most this many seats...
const TRIAL_MAX_SEATS: i64 = 25;
/// ... and this share of ended trials converts to a paid subscription the day after.
const TRIAL_CONVERTS: f64 = 0.6;
/// Share of paid licences cancelled (if that date has passed)...
const LICENCE_CHURN: f64 = 0.10;
/// ... this many days after they started.
const CHURN_AFTER_DAYS: (i64, i64) = (60, 540);
/// Share of customers that also consume cloud services.
const CLOUD_CUSTOMERS: f64 = 0.35;
/// Cloud usage starts within this many days of the customer joining.
const CLOUD_START_DAYS: (i64, i64) = (0, 90);
/// A subscription was created at this hour (UTC) of its first day.
const CREATED_AT_HOUR: u32 = 9;

/// Seats per licence by segment, smallest and largest.
fn seats(segment: Segment) -> (i64, i64) {
    match segment {
        Segment::Smb => (1, 25),
        Segment::MidMarket => (20, 200),
        Segment::Enterprise => (150, 2000),
        Segment::Education => (40, 600),
        Segment::Government => (30, 400),
        Segment::Nonprofit => (5, 60),
    }
}

/// One customer's subscriptions, its id (`customer_id`) left for the caller to set once the
/// customer is written.
pub(crate) fn of_customer(
    rng: &mut SplitMix64,
    customer: &Organization,
    segment: Segment,
    catalog: &Catalog,
    dates: &Dates,
) -> Vec<Subscription> {
    let today = dates.today;
    let joined = customer.created_at.date_naive();
    let closed = customer.closed_at.map(|at| at.date_naive());
    let domain = customer.domain.clone().unwrap_or_default();
    let reseller_id = customer.parent_id.unwrap_or_default();
    let draw = |plan: &Plan, quantity, start, end, client: &str| Draw {
        reseller_id,
        plan: plan.clone(),
        quantity,
        trial: false,
        start,
        end,
        trial_over: false,
        client: client.to_owned(),
    };
    let seats = seats(segment);
    let mut out = Vec::new();
    for _ in 0..rng.within(LICENCES_PER_CUSTOMER) {
        let plan = rng.pick(&catalog.plans).clone();
        let start = joined + Duration::days(rng.within(LICENCE_START_DAYS));
        if start > today {
            continue;
        }
        let quantity = rng.within(seats);
        let client = format!("it@{domain}");
        if rng.chance(TRIAL) {
            let end = start + Duration::days(TRIAL_DAYS);
            let trial = draw(&plan, quantity.min(TRIAL_MAX_SEATS), start, Some(end), &client);
            out.push(Draw { trial: true, trial_over: end < today, ..trial });
            if !rng.chance(TRIAL_CONVERTS) || end >= today {
                continue;
            }
            out.push(draw(&plan, quantity, end + Duration::days(1), closed, &client));
            continue;
        }
        let churn_end = rng
            .chance(LICENCE_CHURN)
            .then(|| start + Duration::days(rng.within(CHURN_AFTER_DAYS)))
            .filter(|end| *end < today);
        let end = match (closed, churn_end) {
            (Some(c), Some(e)) => Some(c.min(e)),
            (c, e) => c.or(e),
        };
        out.push(draw(&plan, quantity, start, end, &client));
    }
    if rng.chance(CLOUD_CUSTOMERS) && !catalog.usage_products.is_empty() {
        let product_id = *rng.pick(&catalog.usage_products);
        let start = joined + Duration::days(rng.within(CLOUD_START_DAYS));
        if start <= today {
            out.push(draw(&catalog.usage_plan(product_id), 1, start, closed, &format!("cloud@{domain}")));
        }
    }
    out.into_iter().map(|draw| draw.subscription(dates)).collect()
}

/// A subscription as drawn.
struct Draw {
    reseller_id: i64,
    plan: Plan,
    quantity: i64,
    trial: bool,
    start: NaiveDate,
    end: Option<NaiveDate>,
    /// A trial that ended without converting.
    trial_over: bool,
    client: String,
}

impl Draw {
    /// The subscription, its status following from its dates.
    fn subscription(self, dates: &Dates) -> Subscription {
        let ended = self.end.is_some_and(|e| e < dates.today);
        let (status, license_status) = match (self.trial, ended) {
            (true, true) if self.trial_over => (SubscriptionStatus::Expired, LicenseStatus::Expired),
            (true, _) => (SubscriptionStatus::Active, LicenseStatus::Trial),
            (false, true) => (SubscriptionStatus::Cancelled, LicenseStatus::Expired),
            (false, false) => (SubscriptionStatus::Active, LicenseStatus::Active),
        };
        Subscription {
            id: 0,
            customer_id: 0,
            reseller_id: self.reseller_id,
            product_id: self.plan.product_id,
            plan_id: (self.plan.id != 0).then_some(self.plan.id),
            quantity: self.quantity,
            unit_price: Some(if self.trial { Decimal::ZERO } else { self.plan.price }),
            currency: self.plan.currency,
            billing_interval: self.plan.interval,
            status,
            license_status,
            trial: self.trial,
            assigned_client: Some(self.client),
            start_date: self.start,
            end_date: self.end,
            created_at: self.start.and_hms_opt(CREATED_AT_HOUR, 0, 0).unwrap_or_default().and_utc(),
            updated_at: dates.now,
        }
    }
}

/// Every this many paid, running licence is in its grace period (its renewal unpaid)...
const GRACE_EVERY: usize = 37;
/// ...and every this many is suspended, so that the Partners console shows each licence status.
const SUSPENDED_EVERY: usize = 61;

/// Puts some paid, running licences in grace or suspended, by their order (no draw: the rest of
/// the data stays as drawn).
pub(crate) fn standing(subscriptions: &mut [Subscription]) {
    let running = subscriptions.iter_mut().filter(|s| s.license_status == LicenseStatus::Active);
    for (n, subscription) in running.enumerate() {
        if n % SUSPENDED_EVERY == SUSPENDED_EVERY - 1 {
            subscription.license_status = LicenseStatus::Suspended;
        } else if n % GRACE_EVERY == GRACE_EVERY - 1 {
            subscription.license_status = LicenseStatus::Grace;
        }
    }
}

/// Writes the subscriptions.
pub(crate) async fn write(seed: &Seed, tenant: i64, subscriptions: &[Subscription]) -> Result<u64, StoreError> {
    seed.subscriptions(tenant, subscriptions).await
}
