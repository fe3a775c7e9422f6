//! SKUs the catalog does not know (docs/import.md §6): their lines are rated and count under the
//! family "Unmapped", and one open `unmapped_product` billing issue per SKU and reseller keeps
//! their line count and revenue, less the lines a later import restates or replaces. Adding the
//! SKU to the catalog ties its lines to the product (moving them in the rollups from no product
//! to it) and resolves the issues.

use std::collections::{HashMap, HashSet};

use domain::focus::ChargeCategory;
use domain::kinds::BillingIssueKind;
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::entities::{billing_issue, billing_line_item};
use crate::rollups::deltas::{Deltas, KEYS_HELD};
use crate::rollups::lines::RolledUp;
use crate::{StoreError, clock, stored};

/// Lines read at a time when a SKU's lines are given their product.
const READ_AT_ONCE: u64 = 10_000;

/// The family the lines of an unknown SKU count under.
pub const UNMAPPED_FAMILY: &str = "Unmapped";

/// Lines of one SKU the catalog does not know, for one reseller, found by an import.
#[derive(Debug, Clone, Default)]
pub struct UnmappedLines {
    /// How many.
    pub lines: u64,
    /// Their revenue, in USD.
    pub revenue: Decimal,
}

fn message(sku: &str, lines: i64, revenue: Decimal) -> String {
    format!(
        "SKU {sku} is not in the catalog: {lines} line(s) with {} USD of revenue count under the family \
         \"{UNMAPPED_FAMILY}\"; add the SKU to the catalog to give them their product",
        domain::metrics::reported(revenue)
    )
}

/// The open issue of `sku` for `reseller`, if any.
async fn open_issue(
    db: &impl ConnectionTrait,
    tenant: i64,
    sku: &str,
    reseller: Option<i64>,
) -> Result<Option<billing_issue::Model>, StoreError> {
    use billing_issue::Column;
    let open = billing_issue::Entity::find()
        .filter(Column::TenantId.eq(tenant))
        .filter(Column::Kind.eq(BillingIssueKind::UnmappedProduct.as_str()))
        .filter(Column::Sku.eq(sku))
        .filter(Column::ResolvedAt.is_null());
    let open = match reseller {
        Some(reseller) => open.filter(Column::ResellerId.eq(reseller)),
        None => open.filter(Column::ResellerId.is_null()),
    };
    Ok(open.one(db).await?)
}

/// Adds an import's unmapped lines of `sku` (for `reseller`) to the open issue of that SKU and
/// reseller, or opens one.
pub(crate) async fn record(
    db: &impl ConnectionTrait,
    tenant: i64,
    batch_id: i64,
    (sku, reseller): (String, Option<i64>),
    found: &UnmappedLines,
) -> Result<(), StoreError> {
    match open_issue(db, tenant, &sku, reseller).await? {
        Some(issue) => {
            let lines = issue.lines.unwrap_or(0) + found.lines as i64;
            let revenue = amount_of(&issue)? + found.revenue;
            let mut issue: billing_issue::ActiveModel = issue.into();
            issue.lines = Set(Some(lines));
            issue.amount_usd = Set(Some(revenue.to_string()));
            issue.message = Set(message(&sku, lines, revenue));
            issue.batch_id = Set(Some(batch_id));
            issue.update(db).await?;
        }
        None => {
            billing_issue::ActiveModel {
                tenant_id: Set(tenant),
                customer_id: Set(None),
                customer_external_id: Set(None),
                reseller_id: Set(reseller),
                batch_id: Set(Some(batch_id)),
                line_id: Set(None),
                kind: Set(BillingIssueKind::UnmappedProduct.as_str().to_owned()),
                message: Set(message(&sku, found.lines as i64, found.revenue)),
                detected_at: Set(clock::now()),
                resolved_at: Set(None),
                sku: Set(Some(sku)),
                lines: Set(Some(found.lines as i64)),
                amount_usd: Set(Some(found.revenue.to_string())),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// Takes lines of `sku` (for `reseller`) that an import removed or replaced out of its open
/// issue; an issue left with no line is resolved.
pub(crate) async fn remove(
    db: &impl ConnectionTrait,
    tenant: i64,
    (sku, reseller): (String, Option<i64>),
    gone: &UnmappedLines,
) -> Result<(), StoreError> {
    let Some(issue) = open_issue(db, tenant, &sku, reseller).await? else { return Ok(()) };
    let lines = (issue.lines.unwrap_or(0) - gone.lines as i64).max(0);
    let revenue = amount_of(&issue)? - gone.revenue;
    let mut issue: billing_issue::ActiveModel = issue.into();
    issue.lines = Set(Some(lines));
    issue.amount_usd = Set(Some(revenue.to_string()));
    issue.message = Set(message(&sku, lines, revenue));
    if lines == 0 {
        issue.resolved_at = Set(Some(clock::now()));
    }
    issue.update(db).await?;
    Ok(())
}

fn amount_of(issue: &billing_issue::Model) -> Result<Decimal, StoreError> {
    issue.amount_usd.as_deref().map_or(Ok(Decimal::ZERO), |a| stored::parse(a, "billing_issues.amount_usd"))
}

/// Counts a rated line leaving the data (restated or replaced) when its SKU is not in the
/// catalog, into `gone` by SKU and reseller.
pub(crate) fn count_gone(
    gone: &mut HashMap<(String, Option<i64>), UnmappedLines>,
    line: &impl RolledUp,
    sku: Option<&str>,
) -> Result<(), StoreError> {
    let view = line.view();
    let Some(sku) = sku.filter(|_| view.rated && view.product_id.is_none()) else { return Ok(()) };
    let entry = gone.entry((sku.to_owned(), view.reseller_id)).or_default();
    entry.lines += 1;
    if view.category != ChargeCategory::Tax.as_str()
        && let Some(billed) = view.billed_usd
    {
        entry.revenue += stored::parse::<Decimal>(billed, "billing_line_items.billed_usd")?;
    }
    Ok(())
}

/// `sku` is now product `product_id` of `tenant`'s catalog: its rated lines without a product
/// take it (leaving the rollups' "no product" for the product's), and its open issues resolve.
/// Returns how many lines were tied.
pub(crate) async fn map_sku(
    db: &impl ConnectionTrait,
    tenant: i64,
    sku: &str,
    product_id: i64,
) -> Result<u64, StoreError> {
    let tied = tie(db, tenant, billing_line_item::Column::Sku.eq(sku), product_id).await?;
    resolve_if_none_left(db, tenant, std::iter::once(sku.to_owned())).await?;
    Ok(tied.0)
}

/// `services` are now covered by product `product_id`: their lines without a product take it,
/// and the issues of SKUs none of whose lines is left without a product resolve.
pub(crate) async fn map_services(
    db: &impl ConnectionTrait,
    tenant: i64,
    services: &[String],
    product_id: i64,
) -> Result<u64, StoreError> {
    if services.is_empty() {
        return Ok(0);
    }
    let condition = billing_line_item::Column::Service.is_in(services.iter().cloned());
    let (tied, skus) = tie(db, tenant, condition, product_id).await?;
    resolve_if_none_left(db, tenant, skus.into_iter()).await?;
    Ok(tied)
}

/// Gives the lines of `tenant` matching `which` that have no product `product_id`, a slice at a
/// time (a provider's SKU may have millions of lines; each slice is tied before the next is
/// read), moving their contributions in the rollups. Returns how many, and their SKUs.
async fn tie(
    db: &impl ConnectionTrait,
    tenant: i64,
    which: sea_orm::sea_query::SimpleExpr,
    product_id: i64,
) -> Result<(u64, HashSet<String>), StoreError> {
    use billing_line_item::Column;
    // The tree's rollup writer before any line changes, as an import is (`rollups/tree_lock.rs`).
    crate::rollups::tree_lock::lock_tree(db, tenant).await?;
    let mut deltas = Deltas::default();
    let mut tied = 0;
    let mut skus = HashSet::new();
    loop {
        let lines = billing_line_item::Entity::find()
            .filter(Column::TenantId.eq(tenant))
            .filter(which.clone())
            .filter(Column::ProductId.is_null())
            .order_by_asc(Column::Id)
            .limit(READ_AT_ONCE)
            .all(db)
            .await?;
        if lines.is_empty() {
            break;
        }
        let ids: Vec<i64> = lines.iter().map(|l| l.id).collect();
        for line in &lines {
            deltas.line(line, -1)?;
            let moved = billing_line_item::Model { product_id: Some(product_id), ..line.clone() };
            deltas.line(&moved, 1)?;
            tied += 1;
            if let Some(sku) = &line.sku
                && !skus.contains(sku)
            {
                skus.insert(sku.clone());
            }
        }
        billing_line_item::Entity::update_many()
            .col_expr(Column::ProductId, Expr::value(product_id))
            .filter(Column::Id.is_in(ids))
            .exec(db)
            .await?;
        if deltas.len() >= KEYS_HELD {
            std::mem::take(&mut deltas).apply(db, tenant).await?;
        }
    }
    deltas.apply(db, tenant).await?;
    Ok((tied, skus))
}

/// Resolves the open unmapped-SKU issues of each of `skus` that has no rated line without a
/// product left.
async fn resolve_if_none_left(
    db: &impl ConnectionTrait,
    tenant: i64,
    skus: impl Iterator<Item = String>,
) -> Result<(), StoreError> {
    use billing_line_item::Column;
    for sku in skus {
        let left = billing_line_item::Entity::find()
            .filter(Column::TenantId.eq(tenant))
            .filter(Column::Sku.eq(sku.as_str()))
            .filter(Column::ProductId.is_null())
            .filter(Column::Rated.eq(true))
            .count(db)
            .await?;
        if left > 0 {
            continue;
        }
        billing_issue::Entity::update_many()
            .col_expr(billing_issue::Column::ResolvedAt, Expr::value(clock::now()))
            .filter(billing_issue::Column::TenantId.eq(tenant))
            .filter(billing_issue::Column::Kind.eq(BillingIssueKind::UnmappedProduct.as_str()))
            .filter(billing_issue::Column::Sku.eq(sku.as_str()))
            .filter(billing_issue::Column::ResolvedAt.is_null())
            .exec(db)
            .await?;
    }
    Ok(())
}
