//! A deterministic, realistic demo distributor: resellers in a dozen countries, customers
//! across segments and onboarding stages, a catalog of six providers with plans in all four
//! billing intervals, and 24 months of subscriptions with trials, growth and churn.
//!
//! The same seed and the same month give the same data; dates are laid out backwards from
//! `now`, so the dashboards always have a current month to show.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, TimeZone, Utc};
use domain::kinds::{
    AgreementStatus, BillingInterval, BillingModel, LicenseStatus, OnboardingStage, OrgKind, OrgStatus, Segment,
    SubscriptionStatus, VettingStatus,
};
use domain::roles::Role;
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ActiveValue, ActiveValue::Set, DatabaseTransaction, EntityTrait, TransactionTrait};

use crate::demo_billing::{self, SubscriptionFacts};
use crate::entities::{organization, product, service_plan, subscription, user};
use crate::{Scope, Store, StoreError, clock, credentials};

/// The password of every demo login. Demo data only: it is printed on purpose.
pub const DEMO_PASSWORD: &str = "tierdash-demo";

/// A demo login.
pub struct DemoLogin {
    /// Login e-mail.
    pub email: &'static str,
    /// Its role.
    pub role: Role,
    /// Which organisation it belongs to, in words.
    pub org: &'static str,
}

const DISTRIBUTOR: &str = "Northwind Distribution";
const FIRST_RESELLER: (&str, &str) = ("Alpine Cloud Partners", "alpine-cloud.example");
const SECOND_RESELLER: (&str, &str) = ("Harbor IT Solutions", "harbor-it.example");

/// Every demo login, one per role at the distributor and a few at two sibling resellers.
pub const LOGINS: &[DemoLogin] = &[
    DemoLogin { email: "admin@northwind.example", role: Role::Admin, org: "distributor Northwind Distribution" },
    DemoLogin { email: "ops@northwind.example", role: Role::Operations, org: "distributor Northwind Distribution" },
    DemoLogin {
        email: "marketing@northwind.example",
        role: Role::Marketing,
        org: "distributor Northwind Distribution",
    },
    DemoLogin {
        email: "viewer@northwind.example",
        role: Role::ReportViewer,
        org: "distributor Northwind Distribution",
    },
    DemoLogin {
        email: "exec@northwind.example",
        role: Role::ExecutiveViewer,
        org: "distributor Northwind Distribution",
    },
    DemoLogin { email: "admin@alpine-cloud.example", role: Role::Admin, org: "reseller Alpine Cloud Partners" },
    DemoLogin { email: "ops@alpine-cloud.example", role: Role::Operations, org: "reseller Alpine Cloud Partners" },
    DemoLogin { email: "viewer@alpine-cloud.example", role: Role::ReportViewer, org: "reseller Alpine Cloud Partners" },
    DemoLogin { email: "admin@harbor-it.example", role: Role::Admin, org: "reseller Harbor IT Solutions" },
];

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
    /// Subscriptions.
    pub subscriptions: usize,
    /// Billing line items imported.
    pub line_items: u64,
}

/// The value of a field the generator set.
fn set<T: Clone + Into<sea_orm::Value>>(v: &ActiveValue<T>) -> Option<T> {
    match v {
        ActiveValue::Set(x) | ActiveValue::Unchanged(x) => Some(x.clone()),
        ActiveValue::NotSet => None,
    }
}

/// What billing needs of a generated subscription.
fn facts(
    n: usize,
    sub: &subscription::ActiveModel,
    customers: &std::collections::HashMap<i64, String>,
    products: &std::collections::HashMap<i64, &'static ProductSpec>,
) -> Option<SubscriptionFacts> {
    let spec = products.get(&set(&sub.product_id)?)?;
    let interval: BillingInterval = set(&sub.billing_interval)?.parse().ok()?;
    Some(SubscriptionFacts {
        n,
        customer: customers.get(&set(&sub.customer_id)?)?.clone(),
        sku: spec.sku,
        provider: spec.provider,
        service: spec.name,
        licence: spec.model == BillingModel::License,
        marketplace: spec.marketplace,
        unit_price: set(&sub.unit_price)?.parse().ok()?,
        currency: match set(&sub.currency)?.as_str() {
            "EUR" => "EUR",
            "GBP" => "GBP",
            _ => "USD",
        },
        quantity: set(&sub.quantity)?,
        interval_months: interval.months(),
        start: set(&sub.start_date)?,
        end: set(&sub.end_date)?,
        trial: set(&sub.trial)?,
    })
}

/// SplitMix64: tiny, fast, and the same sequence on every platform and version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [lo, hi].
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() as usize % items.len()]
    }
    /// Picks by weight.
    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut roll = (self.next() % total as u64) as u32;
        for (item, weight) in items {
            if roll < *weight {
                return *item;
            }
            roll -= weight;
        }
        items[0].0
    }
}

const COUNTRIES: &[&str] = &["US", "GB", "DE", "FR", "NL", "ES", "IT", "SE", "PL", "AU", "CA", "JP"];
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

struct ProductSpec {
    sku: &'static str,
    name: &'static str,
    family: &'static str,
    provider: &'static str,
    model: BillingModel,
    marketplace: bool,
    /// Monthly list price per seat in USD (licences); none for usage products.
    monthly_usd: Option<&'static str>,
}

const PRODUCTS: &[ProductSpec] = &[
    ProductSpec {
        sku: "MS-M365-BB",
        name: "Microsoft 365 Business Basic",
        family: "Microsoft 365",
        provider: "Microsoft",
        model: BillingModel::License,
        marketplace: false,
        monthly_usd: Some("6.00"),
    },
    ProductSpec {
        sku: "MS-M365-BS",
        name: "Microsoft 365 Business Standard",
        family: "Microsoft 365",
        provider: "Microsoft",
        model: BillingModel::License,
        marketplace: false,
        monthly_usd: Some("12.50"),
    },
    ProductSpec {
        sku: "MS-M365-BP",
        name: "Microsoft 365 Business Premium",
        family: "Microsoft 365",
        provider: "Microsoft",
        model: BillingModel::License,
        marketplace: false,
        monthly_usd: Some("22.00"),
    },
    ProductSpec {
        sku: "MS-D365-SALES",
        name: "Dynamics 365 Sales Professional",
        family: "Dynamics 365",
        provider: "Microsoft",
        model: BillingModel::License,
        marketplace: false,
        monthly_usd: Some("65.00"),
    },
    ProductSpec {
        sku: "AZ-VM",
        name: "Azure Virtual Machines",
        family: "Azure",
        provider: "Azure",
        model: BillingModel::Usage,
        marketplace: false,
        monthly_usd: None,
    },
    ProductSpec {
        sku: "AZ-SQL",
        name: "Azure SQL Database",
        family: "Azure",
        provider: "Azure",
        model: BillingModel::Usage,
        marketplace: false,
        monthly_usd: None,
    },
    ProductSpec {
        sku: "AWS-EC2",
        name: "Amazon EC2",
        family: "AWS",
        provider: "AWS",
        model: BillingModel::Usage,
        marketplace: false,
        monthly_usd: None,
    },
    ProductSpec {
        sku: "AWS-S3",
        name: "Amazon S3",
        family: "AWS",
        provider: "AWS",
        model: BillingModel::Usage,
        marketplace: false,
        monthly_usd: None,
    },
    ProductSpec {
        sku: "AWS-MP-OBSERVE",
        name: "Observability Suite (AWS Marketplace)",
        family: "AWS",
        provider: "AWS",
        model: BillingModel::Usage,
        marketplace: true,
        monthly_usd: None,
    },
    ProductSpec {
        sku: "GCP-GCE",
        name: "Compute Engine",
        family: "Google Cloud",
        provider: "Google Cloud",
        model: BillingModel::Usage,
        marketplace: false,
        monthly_usd: None,
    },
    ProductSpec {
        sku: "GWS-BS",
        name: "Google Workspace Business Standard",
        family: "Google Workspace",
        provider: "Google Cloud",
        model: BillingModel::License,
        marketplace: false,
        monthly_usd: Some("12.00"),
    },
    ProductSpec {
        sku: "QS-AIW-PRO",
        name: "AI Writer Pro",
        family: "AI Writer",
        provider: "Quillsoft",
        model: BillingModel::License,
        marketplace: true,
        monthly_usd: Some("20.00"),
    },
    ProductSpec {
        sku: "QS-AIW-TEAM",
        name: "AI Writer Teams",
        family: "AI Writer",
        provider: "Quillsoft",
        model: BillingModel::License,
        marketplace: true,
        monthly_usd: Some("30.00"),
    },
    ProductSpec {
        sku: "ACR-CP-STD",
        name: "Cyber Protect Standard",
        family: "Backup",
        provider: "Acronis",
        model: BillingModel::License,
        marketplace: false,
        monthly_usd: Some("8.00"),
    },
];

/// A plan as generated: what a subscription needs of it.
#[derive(Clone)]
struct Plan {
    id: i64,
    product_id: i64,
    price: Decimal,
    currency: &'static str,
    interval: BillingInterval,
}

/// Writes the demo distributor into an empty database, in one transaction.
pub async fn generate(store: &Store, now: DateTime<Utc>) -> Result<DemoSummary, StoreError> {
    let now = clock::stored(now);
    let mut rng = Rng(0x7135_D45A_2026);
    let month_start = Utc.with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0).single().unwrap_or(now);
    let history_start = month_start - Months::new(24);
    let password_hash = credentials::hash_password(DEMO_PASSWORD)?;
    let txn = store.db().begin().await?;
    let mut summary = DemoSummary::default();

    let distributor = insert_org(
        &txn,
        OrgSeed {
            tenant_id: 0,
            parent_id: None,
            kind: OrgKind::Distributor,
            name: DISTRIBUTOR.into(),
            external_id: Some("NW-DIST".into()),
            domain: Some("northwind.example".into()),
            country: Some("US".into()),
            created_at: history_start - Months::new(12),
            ..OrgSeed::default()
        },
    )
    .await?;
    let tenant = distributor.id;
    let mut root: organization::ActiveModel = distributor.into();
    root.tenant_id = Set(tenant);
    root.update(&txn).await?;

    let (plans, usage_products, products) = insert_catalog(&txn, tenant, now, &mut summary).await?;
    let mut customer_ids = std::collections::HashMap::new();

    let mut resellers = Vec::new();
    for i in 0..40 {
        let (name, domain) = match i {
            0 => (FIRST_RESELLER.0.to_owned(), FIRST_RESELLER.1.to_owned()),
            1 => (SECOND_RESELLER.0.to_owned(), SECOND_RESELLER.1.to_owned()),
            _ => {
                let word = RESELLER_WORDS[(i - 2) % RESELLER_WORDS.len()];
                let suffix = RESELLER_SUFFIXES[(i * 7) % RESELLER_SUFFIXES.len()];
                let slug =
                    format!("{}-{}", word.to_lowercase(), suffix.split(' ').next().unwrap_or("it").to_lowercase());
                (format!("{word} {suffix}"), format!("{slug}.example"))
            }
        };
        // Most resellers are long-standing; six joined during the two years shown and the
        // last four in the past 90 days.
        let created_at = match i {
            0..30 => history_start - Duration::days(rng.range(30, 400)),
            30..36 => history_start + Duration::days((i as i64 - 29) * 95 + rng.range(0, 20)),
            _ => now - Duration::days(rng.range(5, 85)),
        };
        let closed = matches!(i, 17 | 29 | 33);
        let recent = i >= 36;
        let reseller = insert_org(
            &txn,
            OrgSeed {
                tenant_id: tenant,
                parent_id: Some(tenant),
                kind: OrgKind::Reseller,
                name,
                external_id: Some(format!("RS-{:04}", i + 1)),
                domain: Some(domain),
                country: Some(COUNTRIES[i % COUNTRIES.len()].into()),
                status: if closed { OrgStatus::Closed } else { OrgStatus::Active },
                created_at,
                closed_at: closed.then(|| now - Duration::days(rng.range(60, 300))),
                agreement: Some(if recent {
                    *rng.pick(&[AgreementStatus::Pending, AgreementStatus::NotStarted])
                } else {
                    AgreementStatus::Signed
                }),
                vetting: Some(if recent { VettingStatus::Pending } else { VettingStatus::Approved }),
                balance_currency: Some(if COUNTRIES[i % COUNTRIES.len()] == "GB" {
                    "GBP"
                } else if ["DE", "FR", "NL", "ES", "IT"].contains(&COUNTRIES[i % COUNTRIES.len()]) {
                    "EUR"
                } else {
                    "USD"
                }),
                ..OrgSeed::default()
            },
        )
        .await?;
        resellers.push(reseller);
    }
    summary.resellers = resellers.len();

    // Customers go to resellers unevenly (a few large partners, a long tail), and more of
    // them were acquired recently than long ago: the channel grows.
    let weights: Vec<(usize, u32)> = (0..resellers.len())
        .map(|i| (i, if i >= 36 { 0 } else { (1000.0 / ((i + 1) as f64).powf(0.7)) as u32 }))
        .collect();
    let mut subscriptions = Vec::new();
    for n in 0..800 {
        // The first customers are the founding book of business, there from the first month
        // shown; the rest arrive over time, more of them recently.
        let founding = n < 40;
        let r = if founding { rng.range(0, 29) as usize } else { rng.weighted(&weights) };
        let reseller = &resellers[r];
        let earliest = reseller.created_at.max(history_start);
        let span = (now - earliest).num_days().max(1);
        let created_at = if founding {
            history_start + Duration::days(rng.range(0, 10))
        } else {
            earliest + Duration::days((span as f64 * rng.unit().sqrt()) as i64)
        };
        let segment = rng.weighted(&[
            (Segment::Smb, 50),
            (Segment::MidMarket, 20),
            (Segment::Enterprise, 8),
            (Segment::Education, 10),
            (Segment::Government, 5),
            (Segment::Nonprofit, 7),
        ]);
        let age_days = (now - created_at).num_days();
        let stage = if age_days < 60 {
            rng.weighted(&[
                (OnboardingStage::Invited, 3),
                (OnboardingStage::AccountLinked, 3),
                (OnboardingStage::BillingConfigured, 2),
                (OnboardingStage::Completed, 4),
                (OnboardingStage::Failed, 1),
            ])
        } else if rng.chance(0.03) {
            OnboardingStage::Failed
        } else {
            OnboardingStage::Completed
        };
        let stage_since = created_at + Duration::days(rng.range(0, age_days.clamp(0, 20)));
        let reseller_closed = reseller.closed_at;
        let closed_at = match reseller_closed {
            Some(at) if at > created_at => Some(at),
            _ if rng.chance(0.05) && age_days > 90 => Some(created_at + Duration::days(rng.range(60, age_days))),
            _ => None,
        };
        let status = if closed_at.is_some() {
            OrgStatus::Closed
        } else if rng.chance(0.02) {
            OrgStatus::Suspended
        } else {
            OrgStatus::Active
        };
        let word = CUSTOMER_WORDS[n % CUSTOMER_WORDS.len()];
        let suffix = CUSTOMER_SUFFIXES[(n / CUSTOMER_WORDS.len() + n * 3) % CUSTOMER_SUFFIXES.len()];
        let country = if rng.chance(0.85) {
            reseller.country.clone().unwrap_or_default()
        } else {
            rng.pick(COUNTRIES).to_string()
        };
        let customer = insert_org(
            &txn,
            OrgSeed {
                tenant_id: tenant,
                parent_id: Some(reseller.id),
                kind: OrgKind::Customer,
                name: format!("{word} {suffix} {}", n / (CUSTOMER_WORDS.len() * 2) + 1),
                external_id: Some(format!("CUST-{:05}", n + 1)),
                domain: Some(format!("{}-{}-{}.example", word.to_lowercase(), suffix.to_lowercase(), n + 1)),
                country: Some(country),
                segment: Some(segment),
                status,
                created_at,
                closed_at,
                stage: Some((stage, stage_since)),
                ..OrgSeed::default()
            },
        )
        .await?;
        summary.customers += 1;
        customer_ids.insert(customer.id, customer.external_id.clone().unwrap_or_default());
        subscriptions.extend(customer_subscriptions(
            &mut rng,
            &customer,
            reseller.id,
            tenant,
            segment,
            &plans,
            &usage_products,
            now,
        ));
    }

    summary.subscriptions = subscriptions.len();
    for chunk in subscriptions.chunks(500) {
        subscription::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
    }

    for login in LOGINS {
        let org_id = if login.email.ends_with("northwind.example") {
            tenant
        } else if login.email.ends_with(FIRST_RESELLER.1) {
            resellers[0].id
        } else {
            resellers[1].id
        };
        user::ActiveModel {
            org_id: Set(org_id),
            email: Set(login.email.to_owned()),
            name: Set(login.email.split('@').next().unwrap_or("user").to_owned()),
            role: Set(login.role.as_str().to_owned()),
            password_hash: Set(password_hash.clone()),
            disabled: Set(false),
            failed_logins: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;

    let facts: Vec<SubscriptionFacts> =
        subscriptions.iter().enumerate().filter_map(|(n, sub)| facts(n, sub, &customer_ids, &products)).collect();
    let first_month = history_start.date_naive();
    let lines = demo_billing::lines(&facts, first_month, now.date_naive());
    let scope = Scope { org_id: tenant, kind: OrgKind::Distributor, tenant_id: tenant };
    summary.line_items =
        demo_billing::load(store, &scope, demo_billing::rates(first_month, now.date_naive()), lines).await?;
    crate::demo_portal::seed(store, tenant, now).await?;
    Ok(summary)
}

struct OrgSeed {
    tenant_id: i64,
    parent_id: Option<i64>,
    kind: OrgKind,
    name: String,
    external_id: Option<String>,
    domain: Option<String>,
    country: Option<String>,
    segment: Option<Segment>,
    status: OrgStatus,
    created_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    stage: Option<(OnboardingStage, DateTime<Utc>)>,
    agreement: Option<AgreementStatus>,
    vetting: Option<VettingStatus>,
    balance_currency: Option<&'static str>,
}

impl Default for OrgSeed {
    fn default() -> Self {
        OrgSeed {
            tenant_id: 0,
            parent_id: None,
            kind: OrgKind::Customer,
            name: String::new(),
            external_id: None,
            domain: None,
            country: None,
            segment: None,
            status: OrgStatus::Active,
            created_at: DateTime::<Utc>::MIN_UTC,
            closed_at: None,
            stage: None,
            agreement: None,
            vetting: None,
            balance_currency: None,
        }
    }
}

async fn insert_org(txn: &DatabaseTransaction, seed: OrgSeed) -> Result<organization::Model, StoreError> {
    let created_at = clock::stored(seed.created_at);
    Ok(organization::ActiveModel {
        tenant_id: Set(seed.tenant_id),
        parent_id: Set(seed.parent_id),
        kind: Set(seed.kind.as_str().to_owned()),
        name: Set(seed.name),
        external_id: Set(seed.external_id),
        domain: Set(seed.domain),
        country: Set(seed.country),
        segment: Set(seed.segment.map(|s| s.as_str().to_owned())),
        status: Set(seed.status.as_str().to_owned()),
        created_at: Set(created_at),
        closed_at: Set(seed.closed_at.map(clock::stored)),
        onboarding_stage: Set(seed.stage.map(|(s, _)| s.as_str().to_owned())),
        onboarding_stage_at: Set(seed.stage.map(|(_, at)| clock::stored(at))),
        agreement_status: Set(seed.agreement.map(|a| a.as_str().to_owned())),
        vetting_status: Set(seed.vetting.map(|v| v.as_str().to_owned())),
        balance_currency: Set(seed.balance_currency.map(str::to_owned)),
        updated_at: Set(created_at),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// The catalog as generated: plans, usage products' ids, and each product's spec by id.
type Catalog = (Vec<Plan>, Vec<i64>, std::collections::HashMap<i64, &'static ProductSpec>);

/// Inserts the products and their plans.
async fn insert_catalog(
    txn: &DatabaseTransaction,
    tenant: i64,
    now: DateTime<Utc>,
    summary: &mut DemoSummary,
) -> Result<Catalog, StoreError> {
    let mut plans = Vec::new();
    let mut usage = Vec::new();
    let mut specs = std::collections::HashMap::new();
    for (p, spec) in PRODUCTS.iter().enumerate() {
        let product = product::ActiveModel {
            tenant_id: Set(tenant),
            sku: Set(spec.sku.to_owned()),
            name: Set(spec.name.to_owned()),
            family: Set(spec.family.to_owned()),
            provider: Set(spec.provider.to_owned()),
            billing_model: Set(spec.model.as_str().to_owned()),
            marketplace: Set(spec.marketplace),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        summary.products += 1;
        specs.insert(product.id, spec);
        let Some(monthly) = spec.monthly_usd else {
            usage.push(product.id);
            continue;
        };
        let monthly: Decimal = monthly.parse().map_err(|_| StoreError::Corrupt(format!("demo price {monthly}")))?;
        // Every licence product sells monthly and annually (a tenth off); alternate products
        // add quarterly or semi-annual terms, and one is priced in EUR and GBP as well.
        let mut terms =
            vec![(BillingInterval::Monthly, "USD", Decimal::ONE), (BillingInterval::Annual, "USD", Decimal::new(9, 1))];
        terms.push(if p % 2 == 0 {
            (BillingInterval::Quarterly, "USD", Decimal::ONE)
        } else {
            (BillingInterval::Semiannual, "USD", Decimal::new(95, 2))
        });
        if spec.sku == "MS-M365-BP" {
            terms.push((BillingInterval::Monthly, "EUR", Decimal::new(92, 2)));
            terms.push((BillingInterval::Monthly, "GBP", Decimal::new(79, 2)));
        }
        for (interval, currency, factor) in terms {
            let price = (monthly * Decimal::from(interval.months()) * factor).round_dp(2);
            let plan = service_plan::ActiveModel {
                tenant_id: Set(tenant),
                product_id: Set(product.id),
                code: Set(format!("{}-{}-{}", spec.sku, interval.as_str().to_uppercase(), currency)),
                name: Set(format!("{}, {} ({currency})", spec.name, interval.as_str())),
                price: Set(price.to_string()),
                currency: Set(currency.to_owned()),
                billing_interval: Set(interval.as_str().to_owned()),
                enabled: Set(true),
                refundable: Set(interval == BillingInterval::Monthly),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            summary.plans += 1;
            plans.push(Plan { id: plan.id, product_id: product.id, price, currency, interval });
        }
    }
    Ok((plans, usage, specs))
}

/// One customer's subscriptions: a few licence products (some trials first, some churned)
/// and, for some, cloud usage.
#[allow(clippy::too_many_arguments)]
fn customer_subscriptions(
    rng: &mut Rng,
    customer: &organization::Model,
    reseller_id: i64,
    tenant: i64,
    segment: Segment,
    plans: &[Plan],
    usage_products: &[i64],
    now: DateTime<Utc>,
) -> Vec<subscription::ActiveModel> {
    let today = now.date_naive();
    let joined = customer.created_at.date_naive();
    let closed = customer.closed_at.map(|at| at.date_naive());
    let seats = match segment {
        Segment::Smb => (1, 25),
        Segment::MidMarket => (20, 200),
        Segment::Enterprise => (150, 2000),
        Segment::Education => (40, 600),
        Segment::Government => (30, 400),
        Segment::Nonprofit => (5, 60),
    };
    let mut out = Vec::new();
    let count = rng.range(1, 4);
    for _ in 0..count {
        let plan = rng.pick(plans).clone();
        let start = joined + Duration::days(rng.range(0, 15));
        if start > today {
            continue;
        }
        let quantity = rng.range(seats.0, seats.1);
        let trial = rng.chance(0.12);
        let client = format!("it@{}", customer.domain.clone().unwrap_or_default());
        if trial {
            let end = start + Duration::days(30);
            out.push(sub(
                tenant,
                customer.id,
                reseller_id,
                &plan,
                quantity.min(25),
                true,
                start,
                Some(end),
                end < today,
                &client,
                now,
            ));
            if !rng.chance(0.6) || end >= today {
                continue;
            }
            out.push(sub(
                tenant,
                customer.id,
                reseller_id,
                &plan,
                quantity,
                false,
                end + Duration::days(1),
                closed,
                false,
                &client,
                now,
            ));
            continue;
        }
        let churn_end = rng.chance(0.10).then(|| start + Duration::days(rng.range(60, 540))).filter(|end| *end < today);
        let end = match (closed, churn_end) {
            (Some(c), Some(e)) => Some(c.min(e)),
            (c, e) => c.or(e),
        };
        out.push(sub(tenant, customer.id, reseller_id, &plan, quantity, false, start, end, false, &client, now));
    }
    if rng.chance(0.35) && !usage_products.is_empty() {
        let product_id = *rng.pick(usage_products);
        let start = joined + Duration::days(rng.range(0, 90));
        if start <= today {
            let usage_plan =
                Plan { id: 0, product_id, price: Decimal::ZERO, currency: "USD", interval: BillingInterval::Monthly };
            out.push(sub(
                tenant,
                customer.id,
                reseller_id,
                &usage_plan,
                1,
                false,
                start,
                closed,
                false,
                &format!("cloud@{}", customer.domain.clone().unwrap_or_default()),
                now,
            ));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn sub(
    tenant: i64,
    customer_id: i64,
    reseller_id: i64,
    plan: &Plan,
    quantity: i64,
    trial: bool,
    start: NaiveDate,
    end: Option<NaiveDate>,
    trial_over: bool,
    client: &str,
    now: DateTime<Utc>,
) -> subscription::ActiveModel {
    let today = now.date_naive();
    let ended = end.is_some_and(|e| e < today);
    let (status, license) = match (trial, ended) {
        (true, true) if trial_over => (SubscriptionStatus::Expired, LicenseStatus::Expired),
        (true, _) => (SubscriptionStatus::Active, LicenseStatus::Trial),
        (false, true) => (SubscriptionStatus::Cancelled, LicenseStatus::Expired),
        (false, false) => (SubscriptionStatus::Active, LicenseStatus::Active),
    };
    subscription::ActiveModel {
        tenant_id: Set(tenant),
        customer_id: Set(customer_id),
        reseller_id: Set(reseller_id),
        product_id: Set(plan.product_id),
        plan_id: Set((plan.id != 0).then_some(plan.id)),
        quantity: Set(quantity),
        unit_price: Set(if trial { "0".into() } else { plan.price.to_string() }),
        currency: Set(plan.currency.to_owned()),
        billing_interval: Set(plan.interval.as_str().to_owned()),
        status: Set(status.as_str().to_owned()),
        license_status: Set(license.as_str().to_owned()),
        trial: Set(trial),
        assigned_client: Set(Some(client.to_owned())),
        start_date: Set(start),
        end_date: Set(end),
        created_at: Set(clock::stored(start.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc())),
        updated_at: Set(now),
        ..Default::default()
    }
}
