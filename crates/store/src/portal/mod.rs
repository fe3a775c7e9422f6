//! The reseller portal (seed 004): the balance ledger, activations and their renewals, the
//! summary and active users.
//!
//! Money moves only through [`ledger::post`], inside a transaction that first takes the
//! reseller's lock ([`ledger::lock`]): on SQLite that is the database's write lock, on
//! PostgreSQL the reseller's row. Two debits of one reseller therefore never read the same
//! balance, and the balance can never go below zero. An `Idempotency-Key` is stored on the
//! entry (unique per reseller), so a retry finds the first result instead of paying twice.

pub mod activations;
pub mod activity;
pub mod ledger;
pub mod renewals;
pub mod summary;

use domain::kinds::OrgKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entities::organization;
use crate::{Scope, StoreError};

/// The reseller a portal call is about: a reseller's own organisation, or one a distributor
/// names. Anything else is not found (or not allowed, for a customer).
pub(crate) async fn reseller_of(
    db: &impl ConnectionTrait,
    scope: &Scope,
    requested: Option<i64>,
) -> Result<organization::Model, StoreError> {
    let id = match (scope.kind, requested) {
        (OrgKind::Reseller, None) => scope.org_id,
        (OrgKind::Reseller, Some(id)) if id == scope.org_id => id,
        (OrgKind::Reseller, Some(_)) => return Err(StoreError::NotFound),
        (OrgKind::Distributor, Some(id)) => id,
        (OrgKind::Distributor, None) => {
            return Err(StoreError::invalid("reseller_id", "is required: name the reseller whose portal to open"));
        }
        (OrgKind::Customer, _) => return Err(StoreError::Forbidden("the portal is a reseller's")),
    };
    organization::Entity::find_by_id(id)
        .filter(scope.organizations())
        .filter(organization::Column::Kind.eq(OrgKind::Reseller.as_str()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The balance's currency: the reseller's, USD when it has none.
pub(crate) fn balance_currency(reseller: &organization::Model) -> String {
    reseller.balance_currency.clone().unwrap_or_else(|| "USD".into())
}
