//! Rating: tying a parsed line to its customer, reseller and product, and fixing its USD value
//! with its month's fx rate. A line that cannot be rated is kept, out of revenue, with the
//! reason (docs/import.md).

use std::collections::HashMap;

use domain::focus::LineInput;
use domain::kinds::{BillingIssueKind, OrgKind};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::billing::fx_rates;
use crate::entities::{organization, product};
use crate::{Scope, StoreError};

/// Why a line is not rated, which is its billing issue's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unrated {
    /// The customer id is not a customer the importer can see.
    UnknownCustomer,
    /// `x_ResellerId` names no reseller the importer can see.
    UnknownReseller,
    /// The SKU is not in the catalog.
    UnknownProduct,
    /// No rate for the currency and month.
    MissingFxRate,
}

impl Unrated {
    /// The billing issue's kind.
    pub fn kind(self) -> BillingIssueKind {
        match self {
            Unrated::UnknownCustomer => BillingIssueKind::UnknownCustomer,
            Unrated::UnknownReseller => BillingIssueKind::UnknownReseller,
            Unrated::UnknownProduct => BillingIssueKind::UnknownProduct,
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
    /// The rate and the USD values, when rated.
    pub usd: Option<(Decimal, Decimal, Decimal)>,
    /// Why not rated.
    pub unrated: Option<Unrated>,
}

/// Everything rating needs, loaded once per import for the importer's scope.
pub struct Rater {
    customers: HashMap<String, (i64, i64)>,
    resellers: HashMap<String, i64>,
    products: HashMap<String, i64>,
    rates: HashMap<(String, String), Decimal>,
    importer_reseller: Option<i64>,
}

impl Rater {
    /// Loads the importer's customers, resellers, catalog and the tree's fx rates.
    pub async fn load(db: &impl ConnectionTrait, scope: &Scope) -> Result<Rater, StoreError> {
        let orgs = organization::Entity::find().filter(scope.organizations()).all(db).await?;
        let mut customers = HashMap::new();
        let mut resellers = HashMap::new();
        for org in orgs {
            let Some(external) = org.external_id.clone() else { continue };
            if org.kind == OrgKind::Customer.as_str() {
                if let Some(parent) = org.parent_id {
                    customers.insert(external, (org.id, parent));
                }
            } else if org.kind == OrgKind::Reseller.as_str() {
                resellers.insert(external, org.id);
            }
        }
        let products = product::Entity::find()
            .filter(product::Column::TenantId.eq(scope.tenant_id))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.sku, p.id))
            .collect();
        let rates = fx_rates::table(db, scope.tenant_id).await?;
        let importer_reseller = (scope.kind == OrgKind::Reseller).then_some(scope.org_id);
        Ok(Rater { customers, resellers, products, rates, importer_reseller })
    }

    /// Rates one line. `Err` only when a USD value would overflow (a structural problem).
    pub fn rate(&self, line: &LineInput) -> Result<Rating, &'static str> {
        let Some(&(customer_id, parent)) = self.customers.get(&line.customer_external_id) else {
            return Ok(Rating {
                customer_id: None,
                reseller_id: self.importer_reseller,
                product_id: None,
                usd: None,
                unrated: Some(Unrated::UnknownCustomer),
            });
        };
        let mut rating = Rating {
            customer_id: Some(customer_id),
            reseller_id: Some(parent),
            product_id: None,
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
        if let Some(sku) = &line.sku {
            match self.products.get(sku) {
                Some(id) => rating.product_id = Some(*id),
                None => {
                    rating.unrated = Some(Unrated::UnknownProduct);
                    return Ok(rating);
                }
            }
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
}
