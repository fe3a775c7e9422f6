//! Rating: tying a parsed line to its customer, reseller and product, and fixing its USD value
//! with its month's fx rate. A line that cannot be rated is kept, out of revenue, with the
//! reason (docs/import.md).

use std::collections::{BTreeSet, HashMap};

use domain::focus::LineInput;
use domain::kinds::{BillingIssueKind, OrgKind};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::billing::fx_rates;
use crate::entities::{customer_billing_account, organization, product};
use crate::raw_sql::padded;
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

/// Everything rating needs for the importer's scope. The catalog, the resellers and the fx rates
/// are loaded once; customers are looked up as their lines come ([`Rater::prepare`]), so that a
/// file naming a few thousand customers of a tree of a million reads those, not the million.
pub struct Rater {
    scope: Scope,
    /// Customers by `external_id`: (customer, parent); `None` for a key looked up and not found.
    customers: HashMap<String, Option<(i64, i64)>>,
    /// Customers by the provider accounts they own, likewise.
    accounts: HashMap<String, Option<(i64, i64)>>,
    resellers: HashMap<String, i64>,
    products: HashMap<String, i64>,
    /// Products by the `ServiceName`s they cover.
    services: HashMap<String, i64>,
    rates: HashMap<(String, String), Decimal>,
    importer_reseller: Option<i64>,
}

/// Customer keys held between chunks before the cache starts again: bounds an import's memory
/// whatever the tree's size, while a file's customers are each looked up about once.
const KEYS_CACHED: usize = 200_000;

/// Keys per lookup query (within every database's limit of bound values).
const KEYS_PER_QUERY: usize = 500;

/// Customer keys a chunk's lines name that [`Rater`] has not looked up yet.
#[derive(Debug, Default)]
pub struct UnknownKeys {
    /// Keys to look up as customers' `external_id`s.
    pub(super) ids: Vec<String>,
    /// Keys to look up as provider accounts customers own.
    pub(super) accounts: Vec<String>,
}

impl UnknownKeys {
    /// Whether there is nothing to look up.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.accounts.is_empty()
    }
}

impl Rater {
    /// Loads the importer's resellers, catalog and the tree's fx rates.
    pub async fn load(db: &impl ConnectionTrait, scope: &Scope) -> Result<Rater, StoreError> {
        use organization::Column;
        let resellers = organization::Entity::find()
            .select_only()
            .column(Column::ExternalId)
            .column(Column::Id)
            .filter(scope.organizations())
            .filter(Column::Kind.eq(OrgKind::Reseller.as_str()))
            .filter(Column::ExternalId.is_not_null())
            .into_tuple::<(String, i64)>()
            .all(db)
            .await?
            .into_iter()
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
        Ok(Rater {
            scope: *scope,
            customers: HashMap::new(),
            accounts: HashMap::new(),
            resellers,
            products,
            services,
            rates,
            importer_reseller,
        })
    }

    /// Looks up the customers of `lines` not looked up yet: by `external_id`, and by the
    /// provider accounts customers own (only customers in scope: another reseller's customer or
    /// account is unknown here). Call before [`Rater::rate`] on those lines.
    pub async fn prepare<'a>(
        &mut self,
        db: &impl ConnectionTrait,
        lines: impl IntoIterator<Item = &'a LineInput>,
    ) -> Result<(), StoreError> {
        let unknown = self.unknown(lines);
        self.look_up(db, unknown).await
    }

    /// The customer keys of `lines` not looked up yet, for [`Rater::look_up`] (the cache starts
    /// again first when it holds too many).
    pub fn unknown<'a>(&mut self, lines: impl IntoIterator<Item = &'a LineInput>) -> UnknownKeys {
        if self.customers.len() + self.accounts.len() > KEYS_CACHED {
            self.customers = HashMap::new();
            self.accounts = HashMap::new();
        }
        let (mut ids, mut accounts) = (BTreeSet::new(), BTreeSet::new());
        for line in lines {
            let keys = CustomerKeys::of(line);
            for key in [keys.customer, keys.billing_account].into_iter().flatten() {
                if !self.customers.contains_key(key) {
                    ids.insert(key.to_owned());
                }
            }
            for key in [keys.customer, keys.sub_account, keys.billing_account].into_iter().flatten() {
                if !self.accounts.contains_key(key) {
                    accounts.insert(key.to_owned());
                }
            }
        }
        UnknownKeys { ids: ids.into_iter().collect(), accounts: accounts.into_iter().collect() }
    }

    /// Looks up `unknown`'s customers.
    pub async fn look_up(&mut self, db: &impl ConnectionTrait, unknown: UnknownKeys) -> Result<(), StoreError> {
        let UnknownKeys { ids, accounts } = unknown;
        for keys in ids.chunks(KEYS_PER_QUERY) {
            self.customers.extend(keys.iter().map(|k| (k.clone(), None)));
            let found = self.by_external_ids(keys).into_tuple::<(i64, Option<i64>, String, String)>().all(db).await?;
            let customer = OrgKind::Customer.as_str();
            self.customers.extend(
                found.into_iter().filter_map(|(id, parent, key, kind)| {
                    Some((key, Some((id, parent.filter(|_| kind == customer)?))))
                }),
            );
        }
        for keys in accounts.chunks(KEYS_PER_QUERY) {
            self.accounts.extend(keys.iter().map(|k| (k.clone(), None)));
            let owned: Vec<(String, i64)> = self.by_accounts(keys).into_tuple().all(db).await?;
            let mut parents = HashMap::new();
            for owners in owned.chunks(KEYS_PER_QUERY) {
                let customers: Vec<i64> = owners.iter().map(|(_, customer)| *customer).collect();
                parents.extend(self.parents_of(&customers).into_tuple::<(i64, i64)>().all(db).await?);
            }
            for (account, customer) in owned {
                if let Some(parent) = parents.get(&customer) {
                    self.accounts.insert(account, Some((customer, *parent)));
                }
            }
        }
        Ok(())
    }

    // The three lookups send their lists of keys padded to `KEYS_PER_QUERY` (`padded`): one
    // statement text per lookup, not one per list length, each of hundreds of placeholders
    // prepared and kept by every connection that ran it.

    /// Organisations of the scope with these external ids: (id, parent, external id, kind).
    /// The kind is checked by the caller, not in SQL: asked for too, SQLite (which keeps no
    /// statistics) walks every customer of the tree by (tree, kind) rather than seeking the keys
    /// in the (tree, external id) index (docs/performance.md §15).
    fn by_external_ids(&self, keys: &[String]) -> sea_orm::Select<organization::Entity> {
        use organization::Column;
        organization::Entity::find()
            .select_only()
            .columns([Column::Id, Column::ParentId, Column::ExternalId, Column::Kind])
            .filter(self.scope.organizations())
            .filter(Column::TenantId.eq(self.scope.tenant_id))
            .filter(Column::ExternalId.is_in(padded(keys, KEYS_PER_QUERY)))
    }

    /// The tree's provider accounts among `keys`, with the customers owning them: (account,
    /// customer).
    fn by_accounts(&self, keys: &[String]) -> sea_orm::Select<customer_billing_account::Entity> {
        use customer_billing_account::Column;
        customer_billing_account::Entity::find()
            .select_only()
            .column(Column::AccountId)
            .column(Column::CustomerId)
            .filter(Column::TenantId.eq(self.scope.tenant_id))
            .filter(Column::AccountId.is_in(padded(keys, KEYS_PER_QUERY)))
    }

    /// The scope's customers among `ids`, with their parents: (id, parent).
    fn parents_of(&self, ids: &[i64]) -> sea_orm::Select<organization::Entity> {
        self.customers_in_scope().filter(organization::Column::Id.is_in(padded(ids, KEYS_PER_QUERY).copied()))
    }

    /// The id and parent of the scope's customers (every customer has a parent).
    fn customers_in_scope(&self) -> sea_orm::Select<organization::Entity> {
        use organization::Column;
        organization::Entity::find()
            .select_only()
            .column(Column::Id)
            .column(Column::ParentId)
            .filter(self.scope.organizations())
            .filter(Column::TenantId.eq(self.scope.tenant_id))
            .filter(Column::Kind.eq(OrgKind::Customer.as_str()))
            .filter(Column::ParentId.is_not_null())
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
        let by_id = |key: Option<&str>| key.and_then(|k| self.customers.get(k).copied().flatten());
        let by_account = |key: Option<&str>| key.and_then(|k| self.accounts.get(k).copied().flatten());
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

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, QueryTrait};

    use super::*;

    fn rater() -> Rater {
        Rater {
            scope: Scope { org_id: 1, kind: OrgKind::Distributor, tenant_id: 1 },
            customers: HashMap::new(),
            accounts: HashMap::new(),
            resellers: HashMap::new(),
            products: HashMap::new(),
            services: HashMap::new(),
            rates: HashMap::new(),
            importer_reseller: None,
        }
    }

    #[test]
    fn each_lookup_has_one_statement_text_whatever_the_number_of_keys() {
        let rater = rater();
        let keys = |n: usize| (0..n).map(|i| format!("C-{i}")).collect::<Vec<String>>();
        let ids = |n: usize| (1..=n as i64).collect::<Vec<i64>>();
        for (few, many) in [(1, KEYS_PER_QUERY), (7, 300)] {
            let by_ids = [few, many].map(|n| rater.by_external_ids(&keys(n)).build(DbBackend::Sqlite));
            assert_eq!(by_ids[0].sql, by_ids[1].sql);
            let by_accounts = [few, many].map(|n| rater.by_accounts(&keys(n)).build(DbBackend::Sqlite).sql);
            assert_eq!(by_accounts[0], by_accounts[1]);
            let parents = [few, many].map(|n| rater.parents_of(&ids(n)).build(DbBackend::Sqlite).sql);
            assert_eq!(parents[0], parents[1]);
        }
        // Padded with the last key, which finds nothing more.
        let values = rater.by_external_ids(&keys(2)).build(DbBackend::Sqlite).values.unwrap().0;
        let last = sea_orm::Value::from("C-1");
        assert_eq!(values.iter().filter(|v| **v == last).count(), KEYS_PER_QUERY - 1);
    }
}
