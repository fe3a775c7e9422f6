//! The service × month grain (`service_month_rollups`): rated line items summed by (scope,
//! month, provider, service, charge category), where the scope is the line's reseller and,
//! separately, the top of its tree, as in the daily grain; Home's reports read their totals by
//! service and provider from it, a few rows a month whatever the number of customers. It keeps
//! no units: no report reads them.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use futures_util::TryStreamExt;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, StreamTrait};

use super::grain::{Contribution, Grain};
use super::names::Names;
use super::new_months::MonthProbe;
use super::sums::Sums;
use super::sums_table::SumsTable;
use super::writes::{self, StoredGrain};
use crate::bulk::{OnConflict, Table};
use crate::entities::{monthly_rollup, service_month_rollup};
use crate::{StoreError, stored};

/// The grain of the service × month rollup.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceMonthKey {
    /// The scope summed for: the line's reseller, or the top of its tree.
    pub org_id: i64,
    /// `YYYY-MM`.
    pub month: String,
    /// `ProviderName`.
    pub provider: String,
    /// `ServiceName`.
    pub service: String,
    /// `ChargeCategory`.
    pub category: String,
}

/// A [`ServiceMonthKey`] held by [`Deltas`](super::deltas::Deltas), its texts as codes of [`Names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ServiceMonthCode {
    org_id: i64,
    month: u32,
    provider: u32,
    service: u32,
    category: u32,
}

/// The service × month grain's changes.
#[derive(Debug, Default)]
pub(crate) struct ServiceMonths(SumsTable<ServiceMonthCode>);

/// A held key's texts.
fn service_month_key(names: &Names, k: &ServiceMonthCode) -> ServiceMonthKey {
    ServiceMonthKey {
        org_id: k.org_id,
        month: names.name(k.month),
        provider: names.name(k.provider),
        service: names.name(k.service),
        category: names.name(k.category),
    }
}

impl Grain for ServiceMonths {
    const NAME: &'static str = "service month";

    type Key = ServiceMonthKey;

    type Code = ServiceMonthCode;

    type Entity = service_month_rollup::Entity;

    fn held(&self) -> &SumsTable<ServiceMonthCode> {
        &self.0
    }

    fn held_mut(&mut self) -> &mut SumsTable<ServiceMonthCode> {
        &mut self.0
    }

    fn add(&mut self, names: &mut Names, line: &Contribution<'_>, sign: i64) -> Result<(), StoreError> {
        let key = line.key;
        let sums = Sums { units: Decimal::ZERO, consumed: Decimal::ZERO, ..line.sums.clone() };
        let code = ServiceMonthCode {
            org_id: key.reseller_id,
            month: names.code(key.month),
            provider: names.code(key.provider),
            service: names.code(key.service),
            category: names.code(key.category),
        };
        self.0.entry(code).add(&sums, sign)?;
        if line.tenant != key.reseller_id {
            self.0.entry(ServiceMonthCode { org_id: line.tenant, ..code }).add(&sums, sign)?;
        }
        Ok(())
    }

    fn merge(&mut self, names: &mut Names, other: Self, theirs: &Names) -> Result<(), StoreError> {
        for (k, sums) in other.0.into_entries() {
            let code = ServiceMonthCode {
                org_id: k.org_id,
                month: names.recode(theirs, k.month),
                provider: names.recode(theirs, k.provider),
                service: names.recode(theirs, k.service),
                category: names.recode(theirs, k.category),
            };
            self.0.entry(code).add(&sums, 1)?;
        }
        Ok(())
    }

    fn into_map(self, names: &Names) -> HashMap<ServiceMonthKey, Sums> {
        self.0.into_entries().map(|(k, s)| (service_month_key(names, &k), s)).collect()
    }

    async fn write<C: ConnectionTrait>(self, db: &C, tenant: i64, names: &Names) -> Result<(), StoreError> {
        let changes = self.0.into_sorted().map(|(k, s)| (service_month_key(names, &k), s));
        writes::write(db, tenant, &TABLE, changes).await
    }

    async fn stored<C: ConnectionTrait>(db: &C, tenant: i64) -> Result<HashMap<ServiceMonthKey, Sums>, StoreError> {
        service_month_rollup::Entity::find()
            .filter(service_month_rollup::Column::TenantId.eq(tenant))
            .all(db)
            .await?
            .iter()
            .map(|row| Ok((key_of(row), sums_of(row)?)))
            .collect()
    }
}

/// The grain's unique index, in the order `key_values` gives a key's values.
const SERVICE_MONTH_KEY: &[&str] = &["org_id", "month", "provider", "service", "charge_category"];

/// `service_month_rollups`, as [`writes`] writes it.
pub(super) const TABLE: StoredGrain<service_month_rollup::Entity, ServiceMonthKey> = StoredGrain {
    table: Table {
        name: "service_month_rollups",
        columns: &[
            "tenant_id",
            "org_id",
            "month",
            "provider",
            "service",
            "charge_category",
            "billed_usd",
            "effective_usd",
            "line_count",
        ],
        // The tree follows from the scope.
        on_conflict: OnConflict::Replace { on: SERVICE_MONTH_KEY, keeps: &["tenant_id"] },
    },
    id: service_month_rollup::Column::Id,
    key_columns: SERVICE_MONTH_KEY,
    key_values: |k, values| {
        values.extend([
            k.org_id.into(),
            k.month.as_str().into(),
            k.provider.as_str().into(),
            k.service.as_str().into(),
            k.category.as_str().into(),
        ])
    },
    key_of,
    id_of: |row| row.id,
    sums_of,
    values: |tenant, key, sums| {
        vec![
            tenant.into(),
            key.org_id.into(),
            key.month.into(),
            key.provider.into(),
            key.service.into(),
            key.category.into(),
            sums.billed_usd.to_string().into(),
            sums.effective_usd.to_string().into(),
            sums.lines.into(),
        ]
    },
    // Every month of a tree's lines has rows for the top of the tree.
    months: MonthProbe { tree_column: "org_id", month_of: |k| Cow::Borrowed(&k.month) },
};

/// A stored row's key.
fn key_of(row: &service_month_rollup::Model) -> ServiceMonthKey {
    ServiceMonthKey {
        org_id: row.org_id,
        month: row.month.clone(),
        provider: row.provider.clone(),
        service: row.service.clone(),
        category: row.charge_category.clone(),
    }
}

/// A stored row's sums.
pub(crate) fn sums_of(row: &service_month_rollup::Model) -> Result<Sums, StoreError> {
    Ok(Sums {
        billed_usd: stored::parse(&row.billed_usd, "service_month_rollups.billed_usd")?,
        effective_usd: stored::parse(&row.effective_usd, "service_month_rollups.effective_usd")?,
        units: Decimal::ZERO,
        lines: row.line_count,
        consumed: Decimal::ZERO,
    })
}

/// Fills an empty service × month grain from the monthly grain, whose key holds this one's
/// (summed over customer, product and marketplace): a database imported before this grain gets
/// it from the monthly rows, read as a stream, instead of every line read again by the rebuild
/// (53–61 s at 1M lines, docs/performance.md §11). Does nothing when the grain has rows already.
pub(crate) async fn fill_from_monthly<C: ConnectionTrait + StreamTrait>(db: &C) -> Result<(), StoreError> {
    use monthly_rollup::Column;
    if !ServiceMonths::stores_none(db).await? {
        return Ok(());
    }
    let mut by_tenant: BTreeMap<i64, BTreeMap<ServiceMonthKey, Sums>> = BTreeMap::new();
    let mut rows = monthly_rollup::Entity::find()
        .select_only()
        .columns([Column::TenantId, Column::ResellerId, Column::Month, Column::Provider, Column::Service])
        .columns([Column::ChargeCategory, Column::BilledUsd, Column::EffectiveUsd, Column::LineCount])
        .into_tuple::<(i64, i64, String, String, String, String, String, String, i64)>()
        .stream(db)
        .await?;
    while let Some((tenant, reseller, month, provider, service, category, billed, effective, lines)) =
        rows.try_next().await?
    {
        let sums = Sums {
            billed_usd: stored::parse(&billed, "monthly_rollups.billed_usd")?,
            effective_usd: stored::parse(&effective, "monthly_rollups.effective_usd")?,
            lines,
            ..Sums::default()
        };
        let key = ServiceMonthKey { org_id: reseller, month, provider, service, category };
        let tree = by_tenant.entry(tenant).or_default();
        // As a line adds itself: to its reseller, and to the top of its tree when that is another.
        if tenant != reseller {
            tree.entry(ServiceMonthKey { org_id: tenant, ..key.clone() }).or_default().add(&sums, 1)?;
        }
        tree.entry(key).or_default().add(&sums, 1)?;
    }
    writes::write_trees(db, &TABLE, by_tenant).await
}

#[cfg(test)]
mod tests {
    use sea_orm::DbBackend;

    use super::*;
    use crate::rollups::writes::KEYS_PER_READ;

    #[test]
    fn a_read_finds_each_key_by_its_grains_unique_index() {
        let statement = TABLE.read_statement(DbBackend::Sqlite);
        assert_eq!(statement.matches("), (").count(), KEYS_PER_READ - 1);
        assert_eq!(statement.matches(" = k.column").count(), TABLE.key_columns.len());
        assert_eq!(statement.matches('?').count(), KEYS_PER_READ * TABLE.key_columns.len());
    }
}
