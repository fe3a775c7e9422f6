//! Loading prepared data: a whole tree (organisations, catalog, subscriptions, users) written
//! as given, in one transaction, for a program that builds its data itself (the demo data,
//! tests, benchmarks).
//!
//! Rows are `domain::api` values, written column for column: their dates (acquisition,
//! closing, onboarding stage, created and updated) stay as given, where the scoped API would
//! set some to now. There is no [`Scope`](crate::Scope) and none of the scoped API's per-row
//! checks or defaults, only the database's own constraints (foreign keys, unique indexes):
//! never give it client input. Nothing is visible to others before [`Seed::commit`]; a seed
//! dropped uncommitted leaves nothing behind.
//!
//! A row's `id` is ignored: the database gives each row its id. Rows whose ids callers need
//! back (organisations, products, plans, users) are written one statement each, their ids
//! returned in the rows' order (neither database promises the order of a multi-row insert's
//! `RETURNING`); subscriptions, the bulk of a tree, are written many rows per statement.

use domain::api::{Organization, Product, ServicePlan, Subscription, User};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseTransaction, EntityTrait};

use crate::entities::{organization, product, service_plan, subscription, user};
use crate::{Store, StoreError, clock};

/// Subscriptions per INSERT: 500 rows of 18 values, well under either database's limit on
/// values bound per statement.
const SUBSCRIPTIONS_PER_STATEMENT: usize = 500;

/// An open transaction that rows are written into.
pub struct Seed {
    txn: DatabaseTransaction,
}

impl Seed {
    /// Opens the transaction.
    pub async fn begin(store: &Store) -> Result<Seed, StoreError> {
        Ok(Seed { txn: store.write().await? })
    }

    /// Writes everything at once.
    pub async fn commit(self) -> Result<(), StoreError> {
        self.txn.commit().await?;
        Ok(())
    }

    /// Writes the top of a new tree (a distributor or an independent reseller), which is its
    /// own tenant; returns its id, the tenant of the rows written below it. Its `parent_id` is
    /// ignored: a root has none.
    pub async fn root(&self, org: &Organization) -> Result<i64, StoreError> {
        // Its id is only known once written, so it is written with tenant 0 and then pointed
        // at itself, as `admin::create_root` does.
        let written = org_model(0, None, org).insert(&self.txn).await?;
        let id = written.id;
        let mut root: organization::ActiveModel = written.into();
        root.tenant_id = Set(id);
        root.update(&self.txn).await?;
        Ok(id)
    }

    /// Writes resellers and customers of the tree `tenant_id`, each below its `parent_id` (an
    /// organisation written before it); returns their ids, in order.
    pub async fn organizations(&self, tenant_id: i64, orgs: &[Organization]) -> Result<Vec<i64>, StoreError> {
        let mut ids = Vec::with_capacity(orgs.len());
        for org in orgs {
            ids.push(org_model(tenant_id, org.parent_id, org).insert(&self.txn).await?.id);
        }
        Ok(ids)
    }

    /// Writes products into the catalog of `tenant_id`; returns their ids, in order.
    pub async fn products(&self, tenant_id: i64, products: &[Product]) -> Result<Vec<i64>, StoreError> {
        let mut ids = Vec::with_capacity(products.len());
        for p in products {
            let model = product::ActiveModel {
                tenant_id: Set(tenant_id),
                sku: Set(p.sku.clone()),
                name: Set(p.name.clone()),
                family: Set(p.family.clone()),
                provider: Set(p.provider.clone()),
                billing_model: Set(p.billing_model.as_str().to_owned()),
                marketplace: Set(p.marketplace),
                created_at: Set(clock::stored(p.created_at)),
                updated_at: Set(clock::stored(p.updated_at)),
                ..Default::default()
            };
            ids.push(model.insert(&self.txn).await?.id);
        }
        Ok(ids)
    }

    /// Writes service plans of products of `tenant_id`; returns their ids, in order.
    pub async fn plans(&self, tenant_id: i64, plans: &[ServicePlan]) -> Result<Vec<i64>, StoreError> {
        let mut ids = Vec::with_capacity(plans.len());
        for p in plans {
            let model = service_plan::ActiveModel {
                tenant_id: Set(tenant_id),
                product_id: Set(p.product_id),
                code: Set(p.code.clone()),
                name: Set(p.name.clone()),
                price: Set(priced(p.price)?),
                currency: Set(p.currency.as_str().to_owned()),
                billing_interval: Set(p.billing_interval.as_str().to_owned()),
                enabled: Set(p.enabled),
                refundable: Set(p.refundable),
                created_at: Set(clock::stored(p.created_at)),
                updated_at: Set(clock::stored(p.updated_at)),
                ..Default::default()
            };
            ids.push(model.insert(&self.txn).await?.id);
        }
        Ok(ids)
    }

    /// Writes subscriptions of the tree `tenant_id`, many per statement, in order; returns how
    /// many. Each names its customer, reseller, product and plan by id, as written before.
    pub async fn subscriptions(&self, tenant_id: i64, subscriptions: &[Subscription]) -> Result<u64, StoreError> {
        for chunk in subscriptions.chunks(SUBSCRIPTIONS_PER_STATEMENT) {
            let mut models = Vec::with_capacity(chunk.len());
            for s in chunk {
                models.push(subscription::ActiveModel {
                    tenant_id: Set(tenant_id),
                    customer_id: Set(s.customer_id),
                    reseller_id: Set(s.reseller_id),
                    product_id: Set(s.product_id),
                    plan_id: Set(s.plan_id),
                    quantity: Set(s.quantity),
                    unit_price: Set(priced(s.unit_price)?),
                    currency: Set(s.currency.as_str().to_owned()),
                    billing_interval: Set(s.billing_interval.as_str().to_owned()),
                    status: Set(s.status.as_str().to_owned()),
                    license_status: Set(s.license_status.as_str().to_owned()),
                    trial: Set(s.trial),
                    assigned_client: Set(s.assigned_client.clone()),
                    start_date: Set(s.start_date),
                    end_date: Set(s.end_date),
                    created_at: Set(clock::stored(s.created_at)),
                    updated_at: Set(clock::stored(s.updated_at)),
                    ..Default::default()
                });
            }
            subscription::Entity::insert_many(models).exec(&self.txn).await?;
        }
        Ok(subscriptions.len() as u64)
    }

    /// Writes users, each with its password's hash (from
    /// [`credentials::hash_password`](crate::credentials::hash_password)), with no failed
    /// logins and last changed when created; returns their ids, in order.
    pub async fn users(&self, users: &[(User, String)]) -> Result<Vec<i64>, StoreError> {
        let mut ids = Vec::with_capacity(users.len());
        for (u, password_hash) in users {
            let created_at = clock::stored(u.created_at);
            let model = user::ActiveModel {
                org_id: Set(u.org_id),
                email: Set(u.email.as_str().to_owned()),
                name: Set(u.name.clone()),
                role: Set(u.role.as_str().to_owned()),
                password_hash: Set(password_hash.clone()),
                disabled: Set(u.disabled),
                failed_logins: Set(0),
                locked_until: Set(None),
                last_login_at: Set(u.last_login_at.map(clock::stored)),
                created_at: Set(created_at),
                updated_at: Set(created_at),
                ..Default::default()
            };
            ids.push(model.insert(&self.txn).await?.id);
        }
        Ok(ids)
    }
}

/// An organisation's row, below `parent_id` in the tree `tenant_id`.
fn org_model(tenant_id: i64, parent_id: Option<i64>, org: &Organization) -> organization::ActiveModel {
    organization::ActiveModel {
        tenant_id: Set(tenant_id),
        parent_id: Set(parent_id),
        kind: Set(org.kind.as_str().to_owned()),
        name: Set(org.name.clone()),
        external_id: Set(org.external_id.clone()),
        domain: Set(org.domain.clone()),
        country: Set(org.country.as_ref().map(|c| c.as_str().to_owned())),
        segment: Set(org.segment.map(|s| s.as_str().to_owned())),
        status: Set(org.status.as_str().to_owned()),
        created_at: Set(clock::stored(org.created_at)),
        closed_at: Set(org.closed_at.map(clock::stored)),
        onboarding_stage: Set(org.onboarding_stage.map(|s| s.as_str().to_owned())),
        onboarding_stage_at: Set(org.onboarding_stage_since.map(clock::stored)),
        agreement_status: Set(org.agreement_status.map(|a| a.as_str().to_owned())),
        vetting_status: Set(org.vetting_status.map(|v| v.as_str().to_owned())),
        balance_currency: Set(org.balance_currency.as_ref().map(|c| c.as_str().to_owned())),
        updated_at: Set(clock::stored(org.updated_at)),
        ..Default::default()
    }
}

/// A seeded price, stored as text: the seed's plans and subscriptions always carry one.
fn priced(price: Option<rust_decimal::Decimal>) -> Result<String, StoreError> {
    price.map(|p| p.to_string()).ok_or_else(|| StoreError::invalid("price", "is required"))
}
