//! The writing task's part of an import: the rated chunks are inserted, lines of the file whose
//! x_LineItemId is stored already under the same reseller replace the stored lines (whose
//! contributions leave the rollups), and the unrated lines' billing issues are recorded.

use std::collections::HashMap;

use domain::focus::RowProblem;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

use super::line_binding::Prepared;
use super::line_writes::{self, Conflicted, CopyRoute};
use super::problems::Problems;
use super::rating::Unrated;
use super::rating_stage::IssueCount;
use super::stored_lines;
use super::transaction::ImportTxn;
use crate::billing::unmapped::{self, UnmappedLines};
use crate::entities::{billing_issue, billing_line_item};
use crate::rollups::deltas::{Deltas, KEYS_HELD};
use crate::{Scope, StoreError, clock};

/// The writer's part of an import: stored lines replaced by the file's, and what that found.
pub(super) struct Writer {
    batch_id: i64,
    tenant: i64,
    scope: Scope,
    /// Stored lines replaced.
    pub(super) replaced: u64,
    /// Problems the writer found.
    pub(super) problems: Problems,
    /// The replaced lines' contributions, taken away: written with the rating stage's (the
    /// lines coming in), or on their own once they are as many as memory should hold.
    pub(super) deltas: Deltas,
    /// Rated lines of SKUs the catalog lacks that were replaced, to take out of their issues.
    pub(super) unmapped_gone: HashMap<(String, Option<i64>), UnmappedLines>,
    /// How the lines reach their table on PostgreSQL.
    route: CopyRoute,
}

impl Writer {
    /// The writer of batch `batch_id`, imported into `scope`.
    pub(super) fn new(scope: &Scope, batch_id: i64) -> Writer {
        Writer {
            tenant: scope.tenant_id,
            batch_id,
            scope: *scope,
            replaced: 0,
            problems: Problems::default(),
            deltas: Deltas::default(),
            unmapped_gone: HashMap::new(),
            route: CopyRoute::default(),
        }
    }

    /// Inserts the rated `lines`, whose statements are `prepared`, and writes those whose
    /// x_LineItemId is stored already over the stored lines.
    pub(super) async fn write(
        &mut self,
        txn: &ImportTxn,
        lines: Vec<billing_line_item::Model>,
        prepared: Prepared,
    ) -> Result<(), StoreError> {
        let conflicted = line_writes::insert_new(txn, lines, prepared, &mut self.route).await?;
        self.replace(txn, conflicted).await
    }

    /// Some lines of `part` were not inserted because their x_LineItemId is stored already:
    /// the stored lines leave the rollup, and these are written over them.
    async fn replace(&mut self, txn: &ImportTxn, part: Conflicted) -> Result<(), StoreError> {
        let Conflicted { lines: part, skipped } = part;
        if part.is_empty() {
            return Ok(());
        }
        let rows_of_part: HashMap<(i64, &str), &billing_line_item::Model> =
            part.iter().filter_map(|m| m.line_item_id.as_deref().map(|id| ((m.owner_id, id), m))).collect();
        let keys: Vec<(i64, &str)> = rows_of_part.keys().copied().collect();
        let stored = stored_lines::with_keys(txn, self.tenant, &keys).await?;
        let mut again = Vec::new();
        let mut found = 0;
        for old in stored {
            let key = old.line_item_id.as_deref().map(|id| (old.owner_id, id));
            // The same id under another reseller is another line.
            let Some(new) = key.and_then(|key| rows_of_part.get(&key)) else { continue };
            // The row this part just inserted is not an earlier line.
            if old.batch_id == self.batch_id && old.row_number == new.row_number {
                continue;
            }
            found += 1;
            // An importer replaces only its own lines. A sibling reseller's id is another key
            // and never meets this one; a customer's import may meet a sibling customer's line
            // of the same reseller, which is neither removed nor moved.
            let mine = match self.scope.kind {
                domain::kinds::OrgKind::Reseller => old.reseller_id == Some(self.scope.org_id),
                domain::kinds::OrgKind::Customer => old.customer_id == Some(self.scope.org_id),
                _ => true,
            };
            if !mine {
                let row = new.row_number as u64;
                self.problems.add(vec![RowProblem {
                    row: Some(row),
                    line: Some(row + 1),
                    column: Some("x_LineItemId".into()),
                    message: "is already used by a line outside your organisation".into(),
                    value: None,
                }]);
                continue;
            }
            self.deltas.line(&old, -1)?;
            unmapped::count_gone(&mut self.unmapped_gone, &old, old.sku.as_deref())?;
            self.replaced += 1;
            again.push(((*new).clone(), old.day == new.day && old.month == new.month));
        }
        // Every line left out must be one that meets a stored line: nothing is dropped unseen
        // (SQLite's `INSERT OR IGNORE` would also skip a line for another constraint).
        if found != skipped {
            return Err(StoreError::Corrupt(format!(
                "{skipped} line(s) were not written, and {found} of them meet a stored line"
            )));
        }
        if self.problems.count > 0 {
            return Ok(());
        }
        line_writes::replace_all(txn, again).await?;
        if self.deltas.len() >= KEYS_HELD {
            std::mem::take(&mut self.deltas).apply(txn, self.tenant).await?;
        }
        Ok(())
    }

    /// Records a billing issue for each customer and reason of the unrated lines.
    pub(super) async fn record_issues(
        &self,
        txn: &ImportTxn,
        issues: HashMap<(String, Unrated), IssueCount>,
    ) -> Result<(), StoreError> {
        let now = clock::now();
        for ((external, reason), count) in issues {
            billing_issue::ActiveModel {
                tenant_id: Set(self.tenant),
                customer_id: Set(count.customer_id),
                customer_external_id: Set(Some(external)),
                reseller_id: Set(count.reseller_id),
                batch_id: Set(Some(self.batch_id)),
                line_id: Set(None),
                kind: Set(reason.kind().as_str().to_owned()),
                message: Set(format!("{} line(s) held back from revenue: {}", count.lines, count.example)),
                detected_at: Set(now),
                resolved_at: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        Ok(())
    }
}
