//! Rating: tying a parsed line to its customer, reseller and product, and fixing its USD value
//! with its month's fx rate. A line that cannot be rated is kept, out of revenue, with the
//! reason (docs/import.md).

use std::collections::HashMap;

use domain::focus::LineInput;
use domain::kinds::{BillingIssueKind, OrgKind};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::billing::fx_rates;
use crate::entities::{customer_billing_account, organization, product};
use crate::{Scope, StoreError};

/// Why a line is not rated, which is its billing issue's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unrated {
    /// The customer id is not a customer the importer can see.
    UnknownCustomer,
    /// `x_ResellerId` names no reseller the importer can see.
    UnknownReseller,
    /// No rate for the currency and month.
    MissingFxRate,
}

impl Unrated {
    /// The billing issue's kind.
    pub fn kind(self) -> BillingIssueKind {
        match self {
            Unrated::UnknownCustomer => BillingIssueKind::UnknownCustomer,
            Unrated::UnknownReseller => BillingIssueKind::UnknownReseller,
            Unrated::MissingFxRate => BillingIssueKind::MissingFxRate,
        }
    }
}

/// The outcome of rating one line.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// The customer, when known.
    pub customer_id: Option<i64>,
    /// The reseller: `x_ResellerId`, else the customer's parent; the importing reseller for an
    /// unknown customer (so the issue is its own).
    pub reseller_id: Option<i64>,
    /// The product, when the SKU is known.
    pub product_id: Option<i64>,
    /// The line has a SKU the catalog does not know: rated all the same, under the family
    /// "Unmapped", and reported (docs/import.md §6).
    pub unmapped_sku: bool,
    /// The rate and the USD values, when rated.
    pub usd: Option<(Decimal, Decimal, Decimal)>,
    /// Why not rated.
    pub unrated: Option<Unrated>,
}

/// Everything rating needs, loaded once per import for the importer's scope.
pub struct Rater {
    /// Customers by `external_id`: (customer, parent).
    customers: HashMap<String, (i64, i64)>,
    /// Customers by the provider accounts they own.
    accounts: HashMap<String, (i64, i64)>,
    resellers: HashMap<String, i64>,
    products: HashMap<String, i64>,
    /// Products by the `ServiceName`s they cover.
    services: HashMap<String, i64>,
    rates: HashMap<(String, String), Decimal>,
    importer_reseller: Option<i64>,
}

impl Rater {
    /// Loads the importer's customers, resellers, catalog and the tree's fx rates.
    pub async fn load(db: &impl ConnectionTrait, scope: &Scope) -> Result<Rater, StoreError> {
        let orgs = organization::Entity::find().filter(scope.organizations()).all(db).await?;
        let mut customers = HashMap::new();
        let mut resellers = HashMap::new();
        let mut parents = HashMap::new();
        for org in orgs {
            if org.kind == OrgKind::Customer.as_str()
                && let Some(parent) = org.parent_id
            {
                parents.insert(org.id, parent);
            }
            let Some(external) = org.external_id.clone() else { continue };
            if org.kind == OrgKind::Customer.as_str() {
                if let Some(parent) = org.parent_id {
                    customers.insert(external, (org.id, parent));
                }
            } else if org.kind == OrgKind::Reseller.as_str() {
                resellers.insert(external, org.id);
            }
        }
        // Only the accounts of customers in scope: another reseller's account is unknown here.
        let accounts = customer_billing_account::Entity::find()
            .filter(customer_billing_account::Column::TenantId.eq(scope.tenant_id))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|a| parents.get(&a.customer_id).map(|parent| (a.account_id, (a.customer_id, *parent))))
            .collect();
        let products = product::Entity::find()
            .filter(product::Column::TenantId.eq(scope.tenant_id))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.sku, p.id))
            .collect();
        let services = crate::product_services::table(db, scope).await?;
        let rates = fx_rates::table(db, scope.tenant_id).await?;
        let importer_reseller = (scope.kind == OrgKind::Reseller).then_some(scope.org_id);
        Ok(Rater { customers, accounts, resellers, products, services, rates, importer_reseller })
    }

    /// Rates one line. `Err` only when a USD value would overflow (a structural problem).
    pub fn rate(&self, line: &LineInput) -> Result<Rating, &'static str> {
        let Some((customer_id, parent)) = self.customer_of(&CustomerKeys::of(line)) else {
            return Ok(Rating {
                customer_id: None,
                reseller_id: self.importer_reseller,
                product_id: None,
                unmapped_sku: false,
                usd: None,
                unrated: Some(Unrated::UnknownCustomer),
            });
        };
        let mut rating = Rating {
            customer_id: Some(customer_id),
            reseller_id: Some(parent),
            product_id: None,
            unmapped_sku: false,
            usd: None,
            unrated: None,
        };
        if let Some(reseller) = &line.reseller_external_id {
            match self.resellers.get(reseller) {
                Some(id) => rating.reseller_id = Some(*id),
                None if self.importer_reseller.is_some() && self.importer_reseller == Some(parent) => {}
                None => {
                    rating.unrated = Some(Unrated::UnknownReseller);
                    return Ok(rating);
                }
            }
        }
        // The SKU's product, else the product covering the line's service (docs/import.md §6).
        let by_service = || self.services.get(&line.service).copied();
        match &line.sku {
            Some(sku) => {
                rating.product_id = self.products.get(sku).copied().or_else(by_service);
                rating.unmapped_sku = rating.product_id.is_none();
            }
            None => rating.product_id = by_service(),
        }
        let rate = match line.currency.as_str() {
            "USD" => Some(Decimal::ONE),
            currency => self.rates.get(&(currency.to_owned(), line.month())).copied(),
        };
        let Some(rate) = rate else {
            rating.unrated = Some(Unrated::MissingFxRate);
            return Ok(rating);
        };
        // Full precision: the amount times the rate, rounded nowhere (docs/import.md).
        let billed = line.billed_cost.checked_mul(rate).ok_or("BilledCost × rate is too large")?;
        let effective = line.effective_cost.checked_mul(rate).ok_or("EffectiveCost × rate is too large")?;
        rating.usd = Some((rate, billed, effective));
        Ok(rating)
    }

    /// The customer a line belongs to, and its parent: `x_CustomerId` as an `external_id` (or an
    /// account mapped to a customer), else `SubAccountId` as a provider account a customer owns, else `BillingAccountId` as either.
    fn customer_of(&self, keys: &CustomerKeys<'_>) -> Option<(i64, i64)> {
        let by_id = |key: Option<&str>| key.and_then(|k| self.customers.get(k)).copied();
        let by_account = |key: Option<&str>| key.and_then(|k| self.accounts.get(k)).copied();
        by_id(keys.customer)
            .or_else(|| by_account(keys.customer))
            .or_else(|| by_account(keys.sub_account))
            .or_else(|| by_account(keys.billing_account))
            .or_else(|| by_id(keys.billing_account))
    }
}

/// The keys a line's customer is looked up by (docs/import.md §6).
#[derive(Debug, Clone, Copy, Default)]
pub struct CustomerKeys<'a> {
    /// `x_CustomerId`.
    pub customer: Option<&'a str>,
    /// `SubAccountId`.
    pub sub_account: Option<&'a str>,
    /// `BillingAccountId`.
    pub billing_account: Option<&'a str>,
}

impl<'a> CustomerKeys<'a> {
    /// A parsed line's keys. A line built without details (the JSON batch, the demo data) is
    /// looked up by its customer key as a billing account, as before accounts were read.
    pub fn of(line: &'a LineInput) -> CustomerKeys<'a> {
        let details = &line.details;
        let keys = CustomerKeys {
            customer: details.customer_id.as_deref(),
            sub_account: details.sub_account_id.as_deref(),
            billing_account: details.billing_account_id.as_deref(),
        };
        if keys.customer.is_none() && keys.sub_account.is_none() && keys.billing_account.is_none() {
            return CustomerKeys { billing_account: Some(&line.customer_external_id), ..keys };
        }
        keys
    }
}
