//! The organisation tree (steps 1 and 3). The distributor; resellers in a dozen
//! countries, most long-standing, some joined during the history shown, a few onboarding now,
//! three closed; customers spread unevenly over the resellers, across segments and onboarding
//! stages, more of them acquired recently than long ago, some churned or suspended.
//!
//! Each customer's subscriptions are drawn right after the customer, from the same random
//! stream ([`subscriptions::of_customer`]), so the customers step hands them on with it.

use chrono::{DateTime, Duration, Months, Utc};
use domain::api::{Organization, Subscription};
use domain::codes::{CountryCode, CurrencyCode};
use domain::kinds::{AgreementStatus, OnboardingStage, OrgKind, OrgStatus, Segment, VettingStatus};
use store::StoreError;
use store::seed::Seed;

use crate::catalog::Catalog;
use crate::rng::SplitMix64;
use crate::{Dates, code, subscriptions};

/// The seed of the tree's and the subscriptions' random stream.
pub(crate) const TREE_SEED: u64 = 0x7135_D45A_2026;

/// The distributor: name, external id, domain, country.
pub(crate) const DISTRIBUTOR: &str = "Northwind Distribution";
const DISTRIBUTOR_EXTERNAL_ID: &str = "NW-DIST";
/// The distributor's domain; its logins' e-mails end in it.
pub(crate) const DISTRIBUTOR_DOMAIN: &str = "northwind.example";
const DISTRIBUTOR_COUNTRY: &str = "US";
/// The distributor was trading a year before the history shown starts, so that no month shown
/// is its first.
const DISTRIBUTOR_MONTHS_BEFORE_HISTORY: u32 = 12;

/// The first two resellers, with the demo's reseller logins: name and domain.
pub(crate) const FIRST_RESELLER: (&str, &str) = ("Alpine Cloud Partners", "alpine-cloud.example");
/// See [`FIRST_RESELLER`].
pub(crate) const SECOND_RESELLER: (&str, &str) = ("Harbor IT Solutions", "harbor-it.example");
/// The first resellers are named; the others' names are made of [`RESELLER_WORDS`] and
/// [`RESELLER_SUFFIXES`].
const NAMED_RESELLERS: [(&str, &str); 2] = [FIRST_RESELLER, SECOND_RESELLER];

/// Resellers in all: enough for a long tail in the rankings, few enough to read in a list.
pub(crate) const RESELLERS: usize = 40;
/// The first resellers were trading before the history shown starts.
const LONG_STANDING_RESELLERS: usize = 30;
/// The next ones joined during the two years shown, one about every quarter, so growth shows.
const JOINED_DURING_HISTORY: usize = 6;
/// The remaining four joined in the past 90 days: they are still being onboarded (agreement and
/// vetting pending), and receive no customers yet.
const ONBOARDING_RESELLERS: usize = RESELLERS - LONG_STANDING_RESELLERS - JOINED_DURING_HISTORY;
/// Long-standing resellers joined this many days before the history starts.
const LONG_STANDING_DAYS_BEFORE: (i64, i64) = (30, 400);
/// Resellers joining during the history: one every this many days...
const JOIN_EVERY_DAYS: i64 = 95;
/// ... give or take up to this many days.
const JOIN_JITTER_DAYS: (i64, i64) = (0, 20);
/// Onboarding resellers joined this many days ago: all within the last 90 days.
const ONBOARDING_DAYS_AGO: (i64, i64) = (5, 85);
/// Resellers that closed: two long-standing, one that joined during the history, so that
/// the dashboards show churned partners at both ages.
const CLOSED_RESELLERS: [usize; 3] = [17, 29, 33];
/// A closed reseller closed this many days ago: within the year, after the history started.
const CLOSED_DAYS_AGO: (i64, i64) = (60, 300);

/// Resellers' countries, in turn; customers mostly share their reseller's.
pub(crate) const COUNTRIES: &[&str] = &["US", "GB", "DE", "FR", "NL", "ES", "IT", "SE", "PL", "AU", "CA", "JP"];
/// Countries whose resellers keep their balance in euros (in pounds: GB; in dollars: the rest).
const EURO_COUNTRIES: [&str; 5] = ["DE", "FR", "NL", "ES", "IT"];
const RESELLER_WORDS: &[&str] = &[
    "Summit",
    "Bluewave",
    "Nordic",
    "Cedar",
    "Granite",
    "Lumen",
    "Vertex",
    "Atlas",
    "Beacon",
    "Cobalt",
    "Delta",
    "Ember",
    "Fjord",
    "Helix",
    "Iris",
    "Juniper",
    "Keystone",
    "Lighthouse",
    "Meridian",
    "Nimbus",
];
const RESELLER_SUFFIXES: &[&str] = &["Cloud", "IT Services", "Systems", "Technologies", "Networks", "Digital"];
/// The suffix of reseller `i` is suffix `i * 7` (in turn): words and suffixes then pair up
/// differently on the second round of words.
const RESELLER_SUFFIX_STEP: usize = 7;

/// Customers in all: a book of business large enough for every chart to have a shape.
pub(crate) const CUSTOMERS: usize = 800;
/// The first customers are the founding book of business, there from the first month shown
/// (the history's first ten days), each with one of the long-standing resellers.
const FOUNDING_CUSTOMERS: usize = 40;
/// Founding customers joined within this many days of the history's start.
const FOUNDING_DAYS: (i64, i64) = (0, 10);
/// Reseller `i`'s share of the other customers is `RESELLER_SHARE / (i + 1) ^ RESELLER_SHARE_DECAY`:
/// a few large partners and a long tail (Zipf-like). Onboarding resellers get none.
const RESELLER_SHARE: f64 = 1000.0;
/// See [`RESELLER_SHARE`].
const RESELLER_SHARE_DECAY: f64 = 0.7;
/// Segments by weight: mostly small businesses, as in the channel.
const SEGMENTS: [(Segment, u32); 6] = [
    (Segment::Smb, 50),
    (Segment::MidMarket, 20),
    (Segment::Enterprise, 8),
    (Segment::Education, 10),
    (Segment::Government, 5),
    (Segment::Nonprofit, 7),
];
/// Customers younger than this many days may still be onboarding...
const ONBOARDING_DAYS: i64 = 60;
/// ... at these stages, by weight, so that every stage of the funnel shows.
const ONBOARDING_STAGES: [(OnboardingStage, u32); 5] = [
    (OnboardingStage::Invited, 3),
    (OnboardingStage::AccountLinked, 3),
    (OnboardingStage::BillingConfigured, 2),
    (OnboardingStage::Completed, 4),
    (OnboardingStage::Failed, 1),
];
/// Of older customers, this share's onboarding failed; the rest completed it.
const FAILED_ONBOARDING: f64 = 0.03;
/// A customer entered its current stage up to this many days after joining.
const STAGE_AFTER_DAYS: i64 = 20;
/// Of customers older than [`CHURN_MIN_AGE_DAYS`], this share closed (besides those of closed
/// resellers)...
const CUSTOMER_CHURN: f64 = 0.05;
/// ... when older than this many days...
const CHURN_MIN_AGE_DAYS: i64 = 90;
/// ... at least this many days after joining.
const CHURN_AFTER_DAYS: i64 = 60;
/// Of open customers, this share is suspended.
const SUSPENDED: f64 = 0.02;
/// This share of customers is in its reseller's country; the rest anywhere.
const HOME_COUNTRY: f64 = 0.85;
const CUSTOMER_WORDS: &[&str] = &[
    "Acme", "Birch", "Canyon", "Dune", "Elm", "Falcon", "Grove", "Horizon", "Ivy", "Jade", "Kite", "Lotus", "Maple",
    "North", "Oak", "Pine", "Quartz", "River", "Stone", "Tide", "Union", "Valley", "Willow", "Zenith",
];
const CUSTOMER_SUFFIXES: &[&str] = &[
    "Logistics",
    "Dental",
    "Architects",
    "Bakery",
    "Legal",
    "Engineering",
    "Academy",
    "Clinic",
    "Foods",
    "Media",
    "Robotics",
    "Council",
    "Foundation",
    "Retail",
    "Motors",
    "Labs",
];
/// Customer `n`'s suffix moves on this many places per customer (and one per round of
/// words), so that names repeat only after many customers.
const CUSTOMER_SUFFIX_STEP: usize = 3;

/// An organisation of the tree with nothing but its kind, name and dates set.
fn org(kind: OrgKind, parent_id: Option<i64>, name: String, created_at: DateTime<Utc>) -> Organization {
    Organization {
        id: 0,
        kind,
        parent_id,
        name,
        external_id: None,
        domain: None,
        country: None,
        segment: None,
        status: OrgStatus::Active,
        created_at,
        closed_at: None,
        onboarding_stage: None,
        onboarding_stage_since: None,
        agreement_status: None,
        vetting_status: None,
        balance_currency: None,
        // The demo's organisations were last changed when they were created.
        updated_at: created_at,
        parent_name: None,
        billing_accounts: Vec::new(),
    }
}

/// Writes the distributor; returns its id, the tenant of everything else.
pub(crate) async fn distributor(seed: &Seed, dates: &Dates) -> Result<i64, StoreError> {
    let created_at = dates.history_start - Months::new(DISTRIBUTOR_MONTHS_BEFORE_HISTORY);
    let distributor = Organization {
        external_id: Some(DISTRIBUTOR_EXTERNAL_ID.into()),
        domain: Some(DISTRIBUTOR_DOMAIN.into()),
        country: Some(code(CountryCode::parse(DISTRIBUTOR_COUNTRY), "country")?),
        ..org(OrgKind::Distributor, None, DISTRIBUTOR.into(), created_at)
    };
    seed.root(&distributor).await
}

/// Draws and writes the resellers; returns them with their ids, in order.
pub(crate) async fn resellers(
    seed: &Seed,
    tenant: i64,
    dates: &Dates,
    rng: &mut SplitMix64,
) -> Result<Vec<Organization>, StoreError> {
    let now = dates.now;
    let mut resellers = Vec::with_capacity(RESELLERS);
    for i in 0..RESELLERS {
        let (name, domain) = match NAMED_RESELLERS.get(i) {
            Some((name, domain)) => (name.to_string(), domain.to_string()),
            None => {
                let word = RESELLER_WORDS[(i - NAMED_RESELLERS.len()) % RESELLER_WORDS.len()];
                let suffix = RESELLER_SUFFIXES[(i * RESELLER_SUFFIX_STEP) % RESELLER_SUFFIXES.len()];
                let slug =
                    format!("{}-{}", word.to_lowercase(), suffix.split(' ').next().unwrap_or("it").to_lowercase());
                (format!("{word} {suffix}"), format!("{slug}.example"))
            }
        };
        let created_at = if i < LONG_STANDING_RESELLERS {
            dates.history_start - Duration::days(rng.within(LONG_STANDING_DAYS_BEFORE))
        } else if i < LONG_STANDING_RESELLERS + JOINED_DURING_HISTORY {
            let nth = (i - LONG_STANDING_RESELLERS + 1) as i64;
            dates.history_start + Duration::days(nth * JOIN_EVERY_DAYS + rng.within(JOIN_JITTER_DAYS))
        } else {
            now - Duration::days(rng.within(ONBOARDING_DAYS_AGO))
        };
        let closed = CLOSED_RESELLERS.contains(&i);
        let onboarding = i >= RESELLERS - ONBOARDING_RESELLERS;
        // The draws' order is the data's: closing date, then agreement.
        let closed_at = closed.then(|| now - Duration::days(rng.within(CLOSED_DAYS_AGO)));
        let agreement = if onboarding {
            *rng.pick(&[AgreementStatus::Pending, AgreementStatus::NotStarted])
        } else {
            AgreementStatus::Signed
        };
        let country = COUNTRIES[i % COUNTRIES.len()];
        let currency = if country == "GB" {
            "GBP"
        } else if EURO_COUNTRIES.contains(&country) {
            "EUR"
        } else {
            "USD"
        };
        resellers.push(Organization {
            external_id: Some(format!("RS-{:04}", i + 1)),
            domain: Some(domain),
            country: Some(code(CountryCode::parse(country), "country")?),
            status: if closed { OrgStatus::Closed } else { OrgStatus::Active },
            closed_at,
            agreement_status: Some(agreement),
            vetting_status: Some(if onboarding { VettingStatus::Pending } else { VettingStatus::Approved }),
            balance_currency: Some(code(CurrencyCode::parse(currency), "balance_currency")?),
            ..org(OrgKind::Reseller, Some(tenant), name, created_at)
        });
    }
    let ids = seed.organizations(tenant, &resellers).await?;
    for (reseller, id) in resellers.iter_mut().zip(ids) {
        reseller.id = id;
    }
    Ok(resellers)
}

/// Draws the customers and each one's subscriptions, and writes the customers; returns them
/// with their ids, in order, and the subscriptions (their customers' ids set), in order.
pub(crate) async fn customers(
    seed: &Seed,
    tenant: i64,
    dates: &Dates,
    resellers: &[Organization],
    catalog: &Catalog,
    rng: &mut SplitMix64,
) -> Result<(Vec<Organization>, Vec<Subscription>), StoreError> {
    let now = dates.now;
    let weights: Vec<(usize, u32)> = (0..resellers.len())
        .map(|i| {
            let onboarding = i >= RESELLERS - ONBOARDING_RESELLERS;
            (i, if onboarding { 0 } else { (RESELLER_SHARE / ((i + 1) as f64).powf(RESELLER_SHARE_DECAY)) as u32 })
        })
        .collect();
    let mut customers = Vec::with_capacity(CUSTOMERS);
    let mut subscriptions_of = Vec::with_capacity(CUSTOMERS);
    for n in 0..CUSTOMERS {
        let founding = n < FOUNDING_CUSTOMERS;
        let r =
            if founding { rng.range(0, LONG_STANDING_RESELLERS as i64 - 1) as usize } else { rng.weighted(&weights) };
        let reseller = &resellers[r];
        let earliest = reseller.created_at.max(dates.history_start);
        let span = (now - earliest).num_days().max(1);
        // Later customers arrive more often recently: the channel grows.
        let created_at = if founding {
            dates.history_start + Duration::days(rng.within(FOUNDING_DAYS))
        } else {
            earliest + Duration::days((span as f64 * rng.unit().sqrt()) as i64)
        };
        let segment = rng.weighted(&SEGMENTS);
        let age_days = (now - created_at).num_days();
        let stage = if age_days < ONBOARDING_DAYS {
            rng.weighted(&ONBOARDING_STAGES)
        } else if rng.chance(FAILED_ONBOARDING) {
            OnboardingStage::Failed
        } else {
            OnboardingStage::Completed
        };
        let stage_since = created_at + Duration::days(rng.range(0, age_days.clamp(0, STAGE_AFTER_DAYS)));
        let closed_at = match reseller.closed_at {
            // A closed reseller's customers closed with it.
            Some(at) if at > created_at => Some(at),
            _ if rng.chance(CUSTOMER_CHURN) && age_days > CHURN_MIN_AGE_DAYS => {
                Some(created_at + Duration::days(rng.range(CHURN_AFTER_DAYS, age_days)))
            }
            _ => None,
        };
        let status = if closed_at.is_some() {
            OrgStatus::Closed
        } else if rng.chance(SUSPENDED) {
            OrgStatus::Suspended
        } else {
            OrgStatus::Active
        };
        let word = CUSTOMER_WORDS[n % CUSTOMER_WORDS.len()];
        let suffix = CUSTOMER_SUFFIXES[(n / CUSTOMER_WORDS.len() + n * CUSTOMER_SUFFIX_STEP) % CUSTOMER_SUFFIXES.len()];
        let country = if rng.chance(HOME_COUNTRY) {
            reseller.country.clone()
        } else {
            let anywhere = *rng.pick(COUNTRIES);
            Some(code(CountryCode::parse(anywhere), "country")?)
        };
        let name = format!("{word} {suffix} {}", n / (CUSTOMER_WORDS.len() * 2) + 1);
        let customer = Organization {
            external_id: Some(format!("CUST-{:05}", n + 1)),
            domain: Some(format!("{}-{}-{}.example", word.to_lowercase(), suffix.to_lowercase(), n + 1)),
            country,
            segment: Some(segment),
            status,
            closed_at,
            onboarding_stage: Some(stage),
            onboarding_stage_since: Some(stage_since),
            ..org(OrgKind::Customer, Some(reseller.id), name, created_at)
        };
        subscriptions_of.push(subscriptions::of_customer(rng, &customer, segment, catalog, dates));
        customers.push(customer);
    }
    let ids = seed.organizations(tenant, &customers).await?;
    let mut subscriptions = Vec::new();
    for ((customer, id), mut theirs) in customers.iter_mut().zip(ids).zip(subscriptions_of) {
        customer.id = id;
        for s in &mut theirs {
            s.customer_id = id;
        }
        subscriptions.extend(theirs);
    }
    Ok((customers, subscriptions))
}
