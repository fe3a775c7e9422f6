//! Restated billing periods (docs/import.md §5): providers re-export a whole billing period
//! without stable line ids (Azure's month to date every day, AWS's last month after invoicing).
//! An import asked to replace periods removes, once its own lines are written, every stored line
//! in the importer's scope of each (provider, billing account, billing period) the batch covers,
//! except the batch's own: re-importing a restated period gives the restated figures, never the
//! sum.

use std::collections::{HashMap, HashSet};

use domain::kinds::BillingIssueKind;
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::billing::issues::line_scope;
use crate::billing::unmapped::{self, UnmappedLines};
use crate::entities::{billing_issue, billing_line_item};
use crate::rollups::deltas::{Deltas, KEYS_HELD};
use crate::{Scope, StoreError, clock};

/// A billing period of one account at one provider: (provider, billing account, `YYYY-MM`).
pub(crate) type Period = (String, String, String);

/// Stored lines read whole at a time.
const READ_AT_ONCE: usize = 5_000;

/// A period's line ids and keys read at a time while looking for the restated accounts' lines.
const SCANNED_AT_ONCE: u64 = 20_000;

/// The restated (provider, billing account) pairs of each billing period.
fn by_period(periods: &HashSet<Period>) -> HashMap<&str, HashSet<(&str, &str)>> {
    let mut by_period: HashMap<&str, HashSet<(&str, &str)>> = HashMap::new();
    for (provider, account, period) in periods {
        by_period.entry(period.as_str()).or_default().insert((provider.as_str(), account.as_str()));
    }
    by_period
}

/// Removes the stored lines of `periods` in `scope` that batch `batch_id` did not write, taking
/// their contributions out of the rollups (into `deltas`, written when they hold enough) and the
/// lines of SKUs the catalog lacks out of their issues (into `unmapped_gone`), and resolves the
/// billing issues whose held-back lines all went with them. Returns how many lines were removed.
pub(crate) async fn replace(
    db: &impl ConnectionTrait,
    scope: &Scope,
    batch_id: i64,
    periods: &HashSet<Period>,
    deltas: &mut Deltas,
    unmapped_gone: &mut HashMap<(String, Option<i64>), UnmappedLines>,
) -> Result<u64, StoreError> {
    use billing_line_item::Column;
    let mut removed = 0u64;
    // Unrated lines removed, by (batch, customer key): their issues may now hold nothing back.
    let mut emptied: HashMap<(i64, String), u64> = HashMap::new();
    for (period, accounts) in by_period(periods) {
        // The period's lines are walked in line order by the (tree, billing period) index, a
        // page of ids and keys at a time; only the restated accounts' lines are read whole.
        let mut after = 0i64;
        loop {
            let page: Vec<(i64, String, Option<String>)> = billing_line_item::Entity::find()
                .select_only()
                .columns([Column::Id, Column::Provider, Column::BillingAccountId])
                .filter(line_scope(scope))
                .filter(Column::BillingPeriod.eq(period))
                .filter(Column::BatchId.ne(batch_id))
                .filter(Column::Id.gt(after))
                .order_by_asc(Column::Id)
                .limit(SCANNED_AT_ONCE)
                .into_tuple()
                .all(db)
                .await?;
            let Some(&(last, _, _)) = page.last() else { break };
            after = last;
            let restated: Vec<i64> = page
                .into_iter()
                .filter(|(_, provider, account)| {
                    account.as_deref().is_some_and(|a| accounts.contains(&(provider.as_str(), a)))
                })
                .map(|(id, _, _)| id)
                .collect();
            for ids in restated.chunks(READ_AT_ONCE) {
                let lines =
                    billing_line_item::Entity::find().filter(Column::Id.is_in(ids.iter().copied())).all(db).await?;
                for line in &lines {
                    deltas.line(line, -1)?;
                    unmapped::count_gone(unmapped_gone, line, line.sku.as_deref())?;
                    if !line.rated {
                        *emptied.entry((line.batch_id, line.customer_external_id.clone())).or_default() += 1;
                    }
                }
                billing_line_item::Entity::delete_many().filter(Column::Id.is_in(ids.iter().copied())).exec(db).await?;
                removed += lines.len() as u64;
                if deltas.len() >= KEYS_HELD {
                    std::mem::take(deltas).apply(db, scope.tenant_id).await?;
                }
            }
        }
    }
    for (batch, key) in emptied.into_keys() {
        let left = billing_line_item::Entity::find()
            .filter(Column::TenantId.eq(scope.tenant_id))
            .filter(Expr::col(Column::Rated).not())
            .filter(Column::BatchId.eq(batch))
            .filter(Column::CustomerExternalId.eq(key.as_str()))
            .count(db)
            .await?;
        if left == 0 {
            billing_issue::Entity::update_many()
                .col_expr(billing_issue::Column::ResolvedAt, Expr::value(clock::now()))
                .filter(billing_issue::Column::TenantId.eq(scope.tenant_id))
                .filter(billing_issue::Column::BatchId.eq(batch))
                .filter(billing_issue::Column::CustomerExternalId.eq(key.as_str()))
                .filter(billing_issue::Column::Kind.ne(BillingIssueKind::UnmappedProduct.as_str()))
                .filter(billing_issue::Column::ResolvedAt.is_null())
                .exec(db)
                .await?;
        }
    }
    Ok(removed)
}
