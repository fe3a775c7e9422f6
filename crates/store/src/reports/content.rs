//! What each kind of report holds (docs/api.md §Reports), read from the rollups of its month
//! one seller at a time (a reseller, or the tree's root for its direct customers), so that
//! memory holds one seller's rows whatever the size of the tree:
//! - `reseller_usage`: per reseller and service, from the monthly rollup's sums by customer and
//!   service (`rollups::customer_services`);
//! - `customer_usage`: the same per customer;
//! - `usage_summary`: per reseller, its services and customers counted;
//! - `billing`: per customer and charge category (Tax left out), revenue, cost and margin, from
//!   the monthly rollup.
//!
//! Quantities are exact and unrounded; money is rounded half to even to 2 places.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use domain::kinds::{OrgKind, ReportKind};
use domain::metrics::{Month, reported};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{monthly_rollup, organization};
use crate::rollups::customer_services;
use crate::rollups::sums::Sums;
use crate::{Scope, Store, StoreError};

/// A report's columns, in order.
pub fn columns(kind: ReportKind) -> &'static [&'static str] {
    match kind {
        ReportKind::ResellerUsage => &[
            "reseller_external_id",
            "reseller_name",
            "service",
            "provider",
            "consumed_quantity",
            "chargeable_units",
            "revenue",
            "line_count",
        ],
        ReportKind::CustomerUsage => &[
            "customer_external_id",
            "customer_name",
            "reseller_external_id",
            "reseller_name",
            "service",
            "provider",
            "consumed_quantity",
            "chargeable_units",
            "revenue",
            "line_count",
        ],
        ReportKind::UsageSummary => &[
            "reseller_external_id",
            "reseller_name",
            "services",
            "customers",
            "consumed_quantity",
            "chargeable_units",
            "revenue",
            "line_count",
        ],
        ReportKind::Billing => &[
            "customer_external_id",
            "customer_name",
            "reseller_external_id",
            "reseller_name",
            "charge_category",
            "revenue",
            "cost",
            "margin",
        ],
    }
}

/// The columns that are money, which a role without revenue rights does not get.
pub const MONEY_COLUMNS: &[&str] = &["revenue", "cost", "margin"];

/// The sellers whose rows a report of `owner` reads (only `reseller` when given), in id order.
pub async fn sellers(
    store: &Store,
    owner: &Scope,
    reseller: Option<i64>,
) -> Result<Vec<organization::Model>, StoreError> {
    use organization::Column;
    let mut select = organization::Entity::find().filter(owner.organizations());
    select = match (owner.kind, reseller) {
        (_, Some(id)) => select.filter(Column::Id.eq(id)).filter(Column::Kind.eq(OrgKind::Reseller.as_str())),
        (OrgKind::Distributor, None) => select.filter(Column::Kind.ne(OrgKind::Customer.as_str())),
        (_, None) => select.filter(Column::Id.eq(owner.org_id)),
    };
    Ok(select.order_by_asc(Column::Id).all(store.db()).await?)
}

/// A CSV row's fields.
pub type Row = Vec<String>;

/// One seller's rows of a report, in a stable order. The seller names its tree: the rollup reads
/// ask by seller and month alone, one range of the monthly grain's unique index (asked by tree
/// too, SQLite read the tree's whole month through its (tree, month) index for each seller).
pub async fn seller_rows(
    db: &impl ConnectionTrait,
    kind: ReportKind,
    period: Month,
    seller: &organization::Model,
) -> Result<Vec<Row>, StoreError> {
    match kind {
        ReportKind::Billing => billing_rows(db, period, seller).await,
        _ => usage_rows(db, kind, period, seller).await,
    }
}

/// An organisation's external id as written in a report (empty when it has none).
fn external(org: &organization::Model) -> String {
    org.external_id.clone().unwrap_or_default()
}

/// The customers named in a seller's rows.
async fn customers(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, organization::Model>, StoreError> {
    let ids: Vec<i64> = ids.collect::<BTreeSet<_>>().into_iter().collect();
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let orgs = organization::Entity::find().filter(organization::Column::Id.is_in(chunk.to_vec())).all(db).await?;
        found.extend(orgs.into_iter().map(|o| (o.id, o)));
    }
    Ok(found)
}

/// A decimal quantity, exact, without trailing zeros.
fn quantity(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The usage kinds' rows for one seller.
async fn usage_rows(
    db: &impl ConnectionTrait,
    kind: ReportKind,
    period: Month,
    seller: &organization::Model,
) -> Result<Vec<Row>, StoreError> {
    let rollup = customer_services::of_seller(db, seller.id, &period.to_string()).await?;
    let figures = |s: &Sums| {
        vec![quantity(s.consumed), quantity(s.units), reported(s.billed_usd).to_string(), s.lines.to_string()]
    };
    let seller_id = external(seller);
    match kind {
        ReportKind::CustomerUsage => {
            let names = customers(db, rollup.iter().map(|r| r.customer_id)).await?;
            let mut rows = Vec::with_capacity(rollup.len());
            for r in &rollup {
                let Some(customer) = names.get(&r.customer_id) else { continue };
                let mut row = vec![external(customer), customer.name.clone(), seller_id.clone(), seller.name.clone()];
                row.extend([r.service.clone(), r.provider.clone()]);
                row.extend(figures(&r.sums));
                rows.push(row);
            }
            Ok(rows)
        }
        ReportKind::ResellerUsage => {
            let mut by_service: BTreeMap<(&str, &str), Sums> = BTreeMap::new();
            for r in &rollup {
                by_service.entry((&r.service, &r.provider)).or_default().add(&r.sums, 1)?;
            }
            Ok(by_service
                .into_iter()
                .map(|((service, provider), sums)| {
                    let mut row = vec![seller_id.clone(), seller.name.clone(), service.to_owned(), provider.to_owned()];
                    row.extend(figures(&sums));
                    row
                })
                .collect())
        }
        _ => {
            if rollup.is_empty() {
                return Ok(Vec::new());
            }
            let mut total = Sums::default();
            let (mut services, mut customers) = (BTreeSet::new(), BTreeSet::new());
            for r in &rollup {
                total.add(&r.sums, 1)?;
                services.insert((&r.provider, &r.service));
                customers.insert(r.customer_id);
            }
            let mut row = vec![seller_id, seller.name.clone(), services.len().to_string(), customers.len().to_string()];
            row.extend(figures(&total));
            Ok(vec![row])
        }
    }
}

/// The billing kind's rows for one seller: per customer and charge category but Tax.
async fn billing_rows(
    db: &impl ConnectionTrait,
    period: Month,
    seller: &organization::Model,
) -> Result<Vec<Row>, StoreError> {
    use monthly_rollup::Column;
    let rollup = customer_services::rows_of_seller(seller.id, &period.to_string())
        .select_only()
        .columns([Column::CustomerId, Column::ChargeCategory, Column::BilledUsd, Column::EffectiveUsd])
        .into_tuple::<(i64, String, String, String)>()
        .all(db)
        .await?;
    let mut by_customer: BTreeMap<(i64, String), (Decimal, Decimal)> = BTreeMap::new();
    for (customer, category, billed, effective) in rollup {
        let entry = by_customer.entry((customer, category)).or_default();
        let billed: Decimal = crate::stored::parse(&billed, "monthly_rollups.billed_usd")?;
        let effective: Decimal = crate::stored::parse(&effective, "monthly_rollups.effective_usd")?;
        crate::dashboards::add(&mut entry.0, billed)?;
        crate::dashboards::add(&mut entry.1, effective)?;
    }
    let names = customers(db, by_customer.keys().map(|(c, _)| *c)).await?;
    let seller_id = external(seller);
    let mut rows = Vec::with_capacity(by_customer.len());
    for ((customer, category), (revenue, cost)) in by_customer {
        let Some(org) = names.get(&customer) else { continue };
        let margin = revenue.checked_sub(cost).ok_or_else(|| StoreError::Corrupt("a margin too large".into()))?;
        rows.push(vec![
            external(org),
            org.name.clone(),
            seller_id.clone(),
            seller.name.clone(),
            category,
            reported(revenue).to_string(),
            reported(cost).to_string(),
            reported(margin).to_string(),
        ]);
    }
    Ok(rows)
}
