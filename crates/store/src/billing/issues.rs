//! Billing issues: lines held back from revenue, by customer and reason; and re-rating them
//! once the cause is fixed.

use std::collections::{HashMap, HashSet};

use domain::api::{BillingIssue, BillingIssueFilter, ListQuery, Page, RerateResult};
use domain::focus::{ChargeCategory, LineDetails, LineInput};
use domain::kinds::OrgKind;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait,
    QueryFilter,
};

use crate::billing::unmapped::{self, UnmappedLines};
use crate::entities::{billing_issue, billing_line_item, organization};
use crate::import::rating::Rater;
use crate::rollups::deltas::Deltas;
use crate::{Scope, Store, StoreError, clock, paging, stored};

pub(crate) fn issue_scope(scope: &Scope) -> Condition {
    use billing_issue::Column;
    match scope.kind {
        OrgKind::Distributor => Condition::all().add(Column::TenantId.eq(scope.org_id)),
        OrgKind::Reseller => {
            Condition::all().add(Column::TenantId.eq(scope.tenant_id)).add(Column::ResellerId.eq(scope.org_id))
        }
        OrgKind::Customer => Condition::all().add(Column::CustomerId.eq(scope.org_id)),
    }
}

pub(crate) fn line_scope(scope: &Scope) -> Condition {
    use billing_line_item::Column;
    match scope.kind {
        OrgKind::Distributor => Condition::all().add(Column::TenantId.eq(scope.org_id)),
        OrgKind::Reseller => {
            Condition::all().add(Column::TenantId.eq(scope.tenant_id)).add(Column::ResellerId.eq(scope.org_id))
        }
        // With the tree too, so that a customer's unrated lines are found by the partial index.
        OrgKind::Customer => {
            Condition::all().add(Column::TenantId.eq(scope.tenant_id)).add(Column::CustomerId.eq(scope.org_id))
        }
    }
}

/// Issues in scope.
pub async fn list(
    store: &Store,
    scope: &Scope,
    filter: &BillingIssueFilter,
    query: &ListQuery,
) -> Result<Page<BillingIssue>, StoreError> {
    use billing_issue::Column;
    let mut select = billing_issue::Entity::find().filter(issue_scope(scope));
    if let Some(customer) = filter.customer_id {
        select = select.filter(Column::CustomerId.eq(customer));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(Column::Kind.eq(kind.as_str()));
    }
    match filter.open {
        Some(true) => select = select.filter(Column::ResolvedAt.is_null()),
        Some(false) => select = select.filter(Column::ResolvedAt.is_not_null()),
        None => {}
    }
    if let Some(q) = &query.q {
        select = select.filter(paging::search(q, &[Column::CustomerExternalId, Column::Message]));
    }
    let page = paging::fetch_page(store.db(), select, query, Column::Id).await?;
    let mut page = paging::convert(page, |m| {
        Ok(BillingIssue {
            id: m.id,
            customer_id: m.customer_id,
            customer_external_id: m.customer_external_id,
            reseller_id: m.reseller_id,
            batch_id: m.batch_id,
            kind: stored::parse(&m.kind, "billing_issues.kind")?,
            message: m.message,
            detected_at: m.detected_at,
            resolved_at: m.resolved_at,
            reseller_name: None,
            sku: m.sku,
            lines: m.lines.map(|n| Ord::max(n, 0) as u64),
            revenue: m
                .amount_usd
                .as_deref()
                .map(|a| stored::parse(a, "billing_issues.amount_usd").map(domain::metrics::reported))
                .transpose()?,
        })
    })?;
    // The resellers' names, from the caller's subtree only (one query for the page).
    let ids: Vec<i64> = page.items.iter().filter_map(|i| i.reseller_id).collect();
    if !ids.is_empty() {
        let names: HashMap<i64, String> = organization::Entity::find()
            .filter(scope.organizations())
            .filter(organization::Column::Id.is_in(ids))
            .all(store.db())
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        for issue in &mut page.items {
            issue.reseller_name = issue.reseller_id.and_then(|id| names.get(&id).cloned());
        }
    }
    Ok(page)
}

/// Re-rates every tree with open `unknown_product` issues, raised before lines of an unknown
/// SKU were rated (docs/import.md §6): their lines now count, under the family "Unmapped".
/// Run once after the migrations; a tree with none costs one query.
pub async fn rerate_retired_kinds(store: &Store) -> Result<(), StoreError> {
    let tenants: HashSet<i64> = billing_issue::Entity::find()
        .filter(billing_issue::Column::Kind.eq(domain::kinds::BillingIssueKind::UnknownProduct.as_str()))
        .filter(billing_issue::Column::ResolvedAt.is_null())
        .all(store.db())
        .await?
        .into_iter()
        .map(|issue| issue.tenant_id)
        .collect();
    for tenant in tenants {
        let scope = crate::admin::scope_of(store, tenant).await?;
        rerate(store, &scope).await?;
    }
    Ok(())
}

/// Whether `line` may be filed under reseller `owner`: no line of that reseller has its
/// x_LineItemId. (Else the reseller's own line stands, and this one stays unrated.)
async fn id_is_free(
    txn: &DatabaseTransaction,
    line: &billing_line_item::Model,
    owner: i64,
) -> Result<bool, StoreError> {
    let Some(id) = &line.line_item_id else { return Ok(true) };
    let taken = billing_line_item::Entity::find()
        .filter(billing_line_item::Column::TenantId.eq(line.tenant_id))
        .filter(billing_line_item::Column::OwnerId.eq(owner))
        .filter(billing_line_item::Column::LineItemId.eq(id.as_str()))
        .count(txn)
        .await?;
    Ok(taken == 0)
}

/// Rates the unrated lines in scope again (after a customer, SKU or rate was added), adds the
/// newly rated ones to the rollup, and resolves the issues none of whose lines is left unrated.
pub async fn rerate(store: &Store, scope: &Scope) -> Result<RerateResult, StoreError> {
    let txn = store.write().await?;
    let result = rerate_in(&txn, scope).await?;
    txn.commit().await?;
    Ok(result)
}

/// [`rerate`], in a transaction of the caller's (one that has just mapped an account).
pub(crate) async fn rerate_in(txn: &DatabaseTransaction, scope: &Scope) -> Result<RerateResult, StoreError> {
    // The tree's rollup writer before any line changes, as an import is (`rollups/tree_lock.rs`).
    crate::rollups::tree_lock::lock_tree(txn, scope.tenant_id).await?;
    let mut rater = Rater::load(txn, scope).await?;
    let lines = billing_line_item::Entity::find()
        .filter(line_scope(scope))
        // Written as the partial index's own term (`NOT rated`), so that the index of the
        // unrated lines is used rather than a scan of the tree's lines.
        .filter(Expr::col(billing_line_item::Column::Rated).not())
        .all(txn)
        .await?;
    let mut deltas = Deltas::default();
    let (mut rated, mut still) = (0u64, 0u64);
    let mut still_unrated: HashSet<(i64, String)> = HashSet::new();
    let mut unmapped: HashMap<(String, Option<i64>), (i64, UnmappedLines)> = HashMap::new();
    let inputs: Vec<LineInput> = lines.iter().map(input_of).collect::<Result<_, _>>()?;
    rater.prepare(txn, &inputs).await?;
    for (line, input) in lines.into_iter().zip(inputs) {
        // A line keeps the reseller it was imported under: a distributor's re-rate must not
        // move a reseller's upload into a sibling's revenue. One that would overflow stays out.
        let rating =
            rater.rate(&input).ok().filter(|r| line.reseller_id.is_none() || r.reseller_id == line.reseller_id);
        let Some(rating) = rating.filter(|r| r.unrated.is_none()) else {
            still += 1;
            still_unrated.insert((line.batch_id, line.customer_external_id.clone()));
            continue;
        };
        let owner = rating.reseller_id.unwrap_or(0);
        if rating.unrated.is_some() || !(owner == line.owner_id || id_is_free(txn, &line, owner).await?) {
            still += 1;
            still_unrated.insert((line.batch_id, line.customer_external_id.clone()));
            continue;
        }
        let mut model: billing_line_item::ActiveModel = line.into();
        model.owner_id = Set(owner);
        model.customer_id = Set(rating.customer_id);
        model.reseller_id = Set(rating.reseller_id);
        model.product_id = Set(rating.product_id);
        model.usd_rate = Set(rating.usd.map(|(r, _, _)| r.to_string()));
        model.billed_usd = Set(rating.usd.map(|(_, b, _)| b.to_string()));
        model.effective_usd = Set(rating.usd.map(|(_, _, e)| e.to_string()));
        model.rated = Set(true);
        let updated = model.update(txn).await?;
        deltas.line(&updated, 1)?;
        if rating.unmapped_sku
            && let (Some(sku), Some((_, billed, _))) = (&updated.sku, rating.usd)
        {
            let found =
                unmapped.entry((sku.clone(), updated.reseller_id)).or_insert((updated.batch_id, Default::default()));
            found.1.lines += 1;
            if updated.charge_category != ChargeCategory::Tax.as_str() {
                found.1.revenue += billed;
            }
        }
        rated += 1;
    }
    deltas.apply(txn, scope.tenant_id).await?;
    for (key, (batch_id, found)) in unmapped {
        unmapped::record(txn, scope.tenant_id, batch_id, key, &found).await?;
    }
    // An unmapped SKU's issue holds no line back: adding the SKU resolves it, not a re-rate.
    let open = billing_issue::Entity::find()
        .filter(issue_scope(scope))
        .filter(billing_issue::Column::ResolvedAt.is_null())
        .filter(billing_issue::Column::Kind.ne(domain::kinds::BillingIssueKind::UnmappedProduct.as_str()))
        .all(txn)
        .await?;
    let mut resolved = 0u64;
    let now = clock::now();
    for issue in open {
        let key = (issue.batch_id.unwrap_or(0), issue.customer_external_id.clone().unwrap_or_default());
        if still_unrated.contains(&key) {
            continue;
        }
        billing_issue::Entity::update_many()
            .col_expr(billing_issue::Column::ResolvedAt, Expr::value(now))
            .filter(billing_issue::Column::Id.eq(issue.id))
            .exec(txn)
            .await?;
        resolved += 1;
    }
    Ok(RerateResult { rated, still_unrated: still, issues_resolved: resolved })
}

/// A stored line as the rater reads it.
fn input_of(line: &billing_line_item::Model) -> Result<LineInput, StoreError> {
    Ok(LineInput {
        customer_external_id: line.customer_external_id.clone(),
        period_start: line.period_start,
        period_end: line.period_end,
        billed_cost: stored::parse(&line.billed_cost, "billing_line_items.billed_cost")?,
        effective_cost: stored::parse(&line.effective_cost, "billing_line_items.effective_cost")?,
        currency: stored::code(&line.currency, "billing_line_items.currency", domain::codes::CurrencyCode::parse)?,
        category: stored::parse(&line.charge_category, "billing_line_items.charge_category")?,
        provider: line.provider.clone(),
        service: line.service.clone(),
        sku: line.sku.clone(),
        quantity: line.quantity.as_deref().map(|q| stored::parse(q, "billing_line_items.quantity")).transpose()?,
        reseller_external_id: None,
        marketplace: line.marketplace,
        line_item_id: line.line_item_id.clone(),
        details: stored_keys(line),
    })
}

/// The customer keys a stored line was imported with, as rating reads them: its accounts, and
/// its customer key as `x_CustomerId` when it is neither account (a line stored before accounts
/// were kept has only its billing account, which was its customer key).
fn stored_keys(line: &billing_line_item::Model) -> LineDetails {
    let key = line.customer_external_id.as_str();
    let is_account = |account: &Option<String>| account.as_deref() == Some(key);
    let customer_id =
        (!is_account(&line.sub_account_id) && !is_account(&line.billing_account_id)).then(|| key.to_owned());
    LineDetails {
        customer_id,
        sub_account_id: line.sub_account_id.clone(),
        billing_account_id: line.billing_account_id.clone(),
        ..LineDetails::default()
    }
}
