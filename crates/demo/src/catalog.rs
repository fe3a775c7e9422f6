//! The catalog: fourteen products of six providers, licence and usage, some sold through a
//! marketplace, and the licences' plans in all four billing intervals (one also in EUR and GBP).

use std::collections::HashMap;

use domain::api::{Product, ServicePlan};
use domain::codes::CurrencyCode;
use domain::kinds::{BillingInterval, BillingModel};
use rust_decimal::Decimal;
use store::StoreError;
use store::seed::Seed;

use crate::{Dates, code, decimal};

/// A product of the demo's catalog.
pub(crate) struct ProductSpec {
    pub(crate) sku: &'static str,
    pub(crate) name: &'static str,
    family: &'static str,
    pub(crate) provider: &'static str,
    pub(crate) model: BillingModel,
    pub(crate) marketplace: bool,
    /// Monthly list price per seat in US cents (licences); none for usage products.
    monthly_usd_cents: Option<i64>,
}

const fn licence(
    sku: &'static str,
    name: &'static str,
    family: &'static str,
    provider: &'static str,
    marketplace: bool,
    monthly_usd_cents: i64,
) -> ProductSpec {
    ProductSpec {
        sku,
        name,
        family,
        provider,
        model: BillingModel::License,
        marketplace,
        monthly_usd_cents: Some(monthly_usd_cents),
    }
}

const fn usage(
    sku: &'static str,
    name: &'static str,
    family: &'static str,
    provider: &'static str,
    marketplace: bool,
) -> ProductSpec {
    ProductSpec { sku, name, family, provider, model: BillingModel::Usage, marketplace, monthly_usd_cents: None }
}

/// The products, with list prices about what the providers charge.
const PRODUCTS: &[ProductSpec] = &[
    licence("MS-M365-BB", "Microsoft 365 Business Basic", "Microsoft 365", "Microsoft", false, 600),
    licence("MS-M365-BS", "Microsoft 365 Business Standard", "Microsoft 365", "Microsoft", false, 1250),
    licence("MS-M365-BP", "Microsoft 365 Business Premium", "Microsoft 365", "Microsoft", false, 2200),
    licence("MS-D365-SALES", "Dynamics 365 Sales Professional", "Dynamics 365", "Microsoft", false, 6500),
    usage("AZ-VM", "Azure Virtual Machines", "Azure", "Azure", false),
    usage("AZ-SQL", "Azure SQL Database", "Azure", "Azure", false),
    usage("AWS-EC2", "Amazon EC2", "AWS", "AWS", false),
    usage("AWS-S3", "Amazon S3", "AWS", "AWS", false),
    usage("AWS-MP-OBSERVE", "Observability Suite (AWS Marketplace)", "AWS", "AWS", true),
    usage("GCP-GCE", "Compute Engine", "Google Cloud", "Google Cloud", false),
    licence("GWS-BS", "Google Workspace Business Standard", "Google Workspace", "Google Cloud", false, 1200),
    licence("QS-AIW-PRO", "AI Writer Pro", "AI Writer", "Quillsoft", true, 2000),
    licence("QS-AIW-TEAM", "AI Writer Teams", "AI Writer", "Quillsoft", true, 3000),
    licence("ACR-CP-STD", "Cyber Protect Standard", "Backup", "Acronis", false, 800),
];

/// Every licence sells monthly at list price and annually a tenth off, for paying a year up
/// front.
const ANNUAL_FACTOR: Decimal = decimal(9, 1);
/// Every other licence (by place in [`PRODUCTS`]) also sells quarterly at list price; the rest
/// semi-annually, 5% off.
const QUARTERLY_FACTOR: Decimal = Decimal::ONE;
/// See [`QUARTERLY_FACTOR`].
const SEMIANNUAL_FACTOR: Decimal = decimal(95, 2);
/// The catalog's currency; usage is billed in it too.
const CURRENCY: &str = "USD";
/// One product is also sold in the European currencies, so that multi-currency shows...
const MULTI_CURRENCY_SKU: &str = "MS-M365-BP";
/// ... monthly, at these shares of its dollar price (about the exchange rate).
const OTHER_CURRENCIES: [(&str, Decimal); 2] = [("EUR", decimal(92, 2)), ("GBP", decimal(79, 2))];

/// A plan as written: what a subscription needs of it.
#[derive(Clone)]
pub(crate) struct Plan {
    /// Its id; 0 for the plan-less terms of usage.
    pub(crate) id: i64,
    pub(crate) product_id: i64,
    pub(crate) price: Decimal,
    pub(crate) currency: CurrencyCode,
    pub(crate) interval: BillingInterval,
}

/// The catalog as written.
pub(crate) struct Catalog {
    /// Every plan, in the order written (by id).
    pub(crate) plans: Vec<Plan>,
    /// The usage products' ids, in order.
    pub(crate) usage_products: Vec<i64>,
    /// Each product's spec, by id.
    pub(crate) products: HashMap<i64, &'static ProductSpec>,
    usage_currency: CurrencyCode,
}

impl Catalog {
    /// The terms of a usage product: no plan, no price (billed as consumed), monthly.
    pub(crate) fn usage_plan(&self, product_id: i64) -> Plan {
        Plan {
            id: 0,
            product_id,
            price: Decimal::ZERO,
            currency: self.usage_currency.clone(),
            interval: BillingInterval::Monthly,
        }
    }
}

/// Writes the products and their plans.
pub(crate) async fn write(seed: &Seed, tenant: i64, dates: &Dates) -> Result<Catalog, StoreError> {
    let now = dates.now;
    let rows: Vec<Product> = PRODUCTS
        .iter()
        .map(|spec| Product {
            id: 0,
            sku: spec.sku.to_owned(),
            name: spec.name.to_owned(),
            family: spec.family.to_owned(),
            provider: spec.provider.to_owned(),
            billing_model: spec.model,
            marketplace: spec.marketplace,
            service_names: Vec::new(),
            created_at: now,
            updated_at: now,
        })
        .collect();
    let ids = seed.products(tenant, &rows).await?;
    let mut plans = Vec::new();
    let mut rows = Vec::new();
    let mut usage_products = Vec::new();
    for (p, (spec, &product_id)) in PRODUCTS.iter().zip(&ids).enumerate() {
        let Some(cents) = spec.monthly_usd_cents else {
            usage_products.push(product_id);
            continue;
        };
        let monthly = Decimal::new(cents, 2);
        let mut terms = vec![
            (BillingInterval::Monthly, CURRENCY, Decimal::ONE),
            (BillingInterval::Annual, CURRENCY, ANNUAL_FACTOR),
        ];
        terms.push(if p % 2 == 0 {
            (BillingInterval::Quarterly, CURRENCY, QUARTERLY_FACTOR)
        } else {
            (BillingInterval::Semiannual, CURRENCY, SEMIANNUAL_FACTOR)
        });
        if spec.sku == MULTI_CURRENCY_SKU {
            terms.extend(OTHER_CURRENCIES.map(|(currency, factor)| (BillingInterval::Monthly, currency, factor)));
        }
        for (interval, currency, factor) in terms {
            let price = (monthly * Decimal::from(interval.months()) * factor).round_dp(2);
            let currency = code(CurrencyCode::parse(currency), "currency")?;
            rows.push(ServicePlan {
                id: 0,
                product_id,
                code: format!("{}-{}-{}", spec.sku, interval.as_str().to_uppercase(), currency.as_str()),
                name: format!("{}, {} ({})", spec.name, interval.as_str(), currency.as_str()),
                price: Some(price),
                currency: currency.clone(),
                billing_interval: interval,
                enabled: true,
                // Only monthly terms refund the unused part of a period.
                refundable: interval == BillingInterval::Monthly,
                created_at: now,
                updated_at: now,
            });
            plans.push(Plan { id: 0, product_id, price, currency, interval });
        }
    }
    for (plan, id) in plans.iter_mut().zip(seed.plans(tenant, &rows).await?) {
        plan.id = id;
    }
    let products = ids.iter().copied().zip(PRODUCTS).collect();
    Ok(Catalog { plans, usage_products, products, usage_currency: code(CurrencyCode::parse(CURRENCY), "currency")? })
}
