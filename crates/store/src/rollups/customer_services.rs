//! The customer × service × month grain (`customer_service_rollups`): rated line items of every
//! category but Tax summed by (customer, provider, service, month), with their consumed quantity
//! beside the chargeable units — what usage (seed 003, docs/metrics.md §6) reads: the usage
//! snapshot per customer and reseller, and the usage reports.

use std::borrow::Cow;
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::grain::{Contribution, Grain};
use super::names::Names;
use super::new_months::MonthProbe;
use super::sums::Sums;
use super::sums_table::SumsTable;
use super::writes::{self, StoredGrain};
use crate::bulk::{OnConflict, Table};
use crate::entities::customer_service_rollup;
use crate::{StoreError, stored};

/// The grain of the customer × service × month rollup.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerServiceKey {
    /// The line's customer.
    pub customer_id: i64,
    /// `ProviderName`.
    pub provider: String,
    /// `ServiceName`.
    pub service: String,
    /// `YYYY-MM`.
    pub month: String,
    /// The line's reseller.
    pub reseller_id: i64,
}

/// A [`CustomerServiceKey`] held by [`Deltas`](super::deltas::Deltas), its texts as codes of
/// [`Names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct CustomerServiceCode {
    customer_id: i64,
    provider: u32,
    service: u32,
    month: u32,
    reseller_id: i64,
}

/// The customer × service × month grain's changes.
#[derive(Debug, Default)]
pub(crate) struct CustomerServices(SumsTable<CustomerServiceCode>);

/// A held key's texts.
fn customer_service_key(names: &Names, k: &CustomerServiceCode) -> CustomerServiceKey {
    CustomerServiceKey {
        customer_id: k.customer_id,
        provider: names.name(k.provider),
        service: names.name(k.service),
        month: names.name(k.month),
        reseller_id: k.reseller_id,
    }
}

impl Grain for CustomerServices {
    const NAME: &'static str = "customer service";

    type Key = CustomerServiceKey;

    type Code = CustomerServiceCode;

    type Entity = customer_service_rollup::Entity;

    fn held(&self) -> &SumsTable<CustomerServiceCode> {
        &self.0
    }

    fn held_mut(&mut self) -> &mut SumsTable<CustomerServiceCode> {
        &mut self.0
    }

    fn add(&mut self, names: &mut Names, line: &Contribution<'_>, sign: i64) -> Result<(), StoreError> {
        // Tax is not usage: its lines are left out whole, units and count too.
        if line.is_tax() {
            return Ok(());
        }
        let code = CustomerServiceCode {
            customer_id: line.key.customer_id,
            provider: names.code(line.key.provider),
            service: names.code(line.key.service),
            month: names.code(line.key.month),
            reseller_id: line.key.reseller_id,
        };
        self.0.entry(code).add(line.sums, sign)
    }

    fn merge(&mut self, names: &mut Names, other: Self, theirs: &Names) -> Result<(), StoreError> {
        for (k, sums) in other.0.into_entries() {
            let code = CustomerServiceCode {
                provider: names.recode(theirs, k.provider),
                service: names.recode(theirs, k.service),
                month: names.recode(theirs, k.month),
                ..k
            };
            self.0.entry(code).add(&sums, 1)?;
        }
        Ok(())
    }

    fn into_map(self, names: &Names) -> HashMap<CustomerServiceKey, Sums> {
        self.0.into_entries().map(|(k, s)| (customer_service_key(names, &k), s)).collect()
    }

    async fn write<C: ConnectionTrait>(self, db: &C, tenant: i64, names: &Names) -> Result<(), StoreError> {
        let changes = self.0.into_sorted().map(|(k, s)| (customer_service_key(names, &k), s));
        writes::write(db, tenant, &TABLE, changes).await
    }

    async fn stored<C: ConnectionTrait>(db: &C, tenant: i64) -> Result<HashMap<CustomerServiceKey, Sums>, StoreError> {
        customer_service_rollup::Entity::find()
            .filter(customer_service_rollup::Column::TenantId.eq(tenant))
            .all(db)
            .await?
            .iter()
            .map(|row| Ok((key_of(row), sums_of(row)?)))
            .collect()
    }
}

/// The grain's unique index, in the order `key_values` gives a key's values.
const CUSTOMER_SERVICE_KEY: &[&str] = &["customer_id", "provider", "service", "month", "reseller_id"];

/// `customer_service_rollups`, as [`writes`] writes it.
pub(super) const TABLE: StoredGrain<customer_service_rollup::Entity, CustomerServiceKey> = StoredGrain {
    table: Table {
        name: "customer_service_rollups",
        columns: &[
            "tenant_id",
            "reseller_id",
            "customer_id",
            "provider",
            "service",
            "month",
            "billed_usd",
            "effective_usd",
            "units",
            "consumed",
            "line_count",
        ],
        // The tree follows from the reseller.
        on_conflict: OnConflict::Replace { on: CUSTOMER_SERVICE_KEY, keeps: &["tenant_id"] },
    },
    id: customer_service_rollup::Column::Id,
    key_columns: CUSTOMER_SERVICE_KEY,
    key_values: |k, values| {
        values.extend([
            k.customer_id.into(),
            k.provider.as_str().into(),
            k.service.as_str().into(),
            k.month.as_str().into(),
            k.reseller_id.into(),
        ])
    },
    key_of,
    id_of: |row| row.id,
    sums_of,
    values: |tenant, key, sums| {
        vec![
            tenant.into(),
            key.reseller_id.into(),
            key.customer_id.into(),
            key.provider.into(),
            key.service.into(),
            key.month.into(),
            sums.billed_usd.to_string().into(),
            sums.effective_usd.to_string().into(),
            sums.units.to_string().into(),
            sums.consumed.to_string().into(),
            sums.lines.into(),
        ]
    },
    months: MonthProbe { tree_column: "tenant_id", month_of: |k| Cow::Borrowed(&k.month) },
};

/// A stored row's key.
fn key_of(row: &customer_service_rollup::Model) -> CustomerServiceKey {
    CustomerServiceKey {
        customer_id: row.customer_id,
        provider: row.provider.clone(),
        service: row.service.clone(),
        month: row.month.clone(),
        reseller_id: row.reseller_id,
    }
}

/// A stored row's sums.
pub(crate) fn sums_of(row: &customer_service_rollup::Model) -> Result<Sums, StoreError> {
    Ok(Sums {
        billed_usd: stored::parse(&row.billed_usd, "customer_service_rollups.billed_usd")?,
        effective_usd: stored::parse(&row.effective_usd, "customer_service_rollups.effective_usd")?,
        units: stored::parse(&row.units, "customer_service_rollups.units")?,
        consumed: stored::parse(&row.consumed, "customer_service_rollups.consumed")?,
        lines: row.line_count,
    })
}
