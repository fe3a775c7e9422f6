//! The caller's subtree, and the SQL conditions that keep every query inside it.

use domain::kinds::OrgKind;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition};

use crate::entities::{organization, subscription};
use crate::rollups::keys::TREE_TOTAL;

/// The organisation a caller acts for; everything it may see is this organisation's subtree
/// (docs/roles.md §5). Built only by [`crate::admin::scope_of`] from a stored organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    /// The caller's organisation.
    pub org_id: i64,
    /// Its kind, which fixes the depth of its subtree.
    pub kind: OrgKind,
    /// The root of its tree: whose catalog, fx rates and external ids it shares.
    pub tenant_id: i64,
}

impl Scope {
    /// Organisations in the subtree. The tree is at most distributor → reseller → customer,
    /// so each kind's subtree is one indexed condition.
    pub fn organizations(&self) -> Condition {
        use organization::Column;
        match self.kind {
            OrgKind::Distributor => Condition::all().add(Column::TenantId.eq(self.org_id)),
            OrgKind::Reseller => Condition::any().add(Column::Id.eq(self.org_id)).add(Column::ParentId.eq(self.org_id)),
            OrgKind::Customer => Condition::all().add(Column::Id.eq(self.org_id)),
        }
    }

    /// The ids of the organisations in the subtree, for tables that hang off an organisation.
    pub fn organization_ids(&self) -> SelectStatement {
        Query::select()
            .column(organization::Column::Id)
            .from(organization::Entity)
            .cond_where(self.organizations())
            .to_owned()
    }

    /// Rollup rows in the subtree, by the tree and reseller each row carries: a distributor's
    /// whole tree, or a reseller's own rows (a customer has no rollup reads: nothing matches).
    pub fn rollup_rows<C: ColumnTrait>(&self, tenant: C, reseller: C) -> Condition {
        match self.kind {
            OrgKind::Distributor => Condition::all().add(tenant.eq(self.org_id)),
            _ => Condition::all().add(tenant.eq(self.tenant_id)).add(reseller.eq(self.org_id)),
        }
    }

    /// Rollup rows summed over the subtree's resellers, in the rollups that keep a tree total
    /// ([`TREE_TOTAL`]): a distributor's total row (its direct customers left out), or a
    /// reseller's own rows.
    pub fn resold_rollup_rows<C: ColumnTrait>(&self, tenant: C, reseller: C) -> Condition {
        match self.kind {
            OrgKind::Distributor => Condition::all().add(tenant.eq(self.org_id)).add(reseller.eq(TREE_TOTAL)),
            _ => self.rollup_rows(tenant, reseller),
        }
    }

    /// A condition on `column` (an organisation id) being in the subtree.
    pub fn owns(&self, column: impl ColumnTrait) -> Condition {
        Condition::all().add(Expr::col(column).in_subquery(self.organization_ids()))
    }

    /// Subscriptions in the subtree, by the ids each subscription carries.
    pub fn subscriptions(&self) -> Condition {
        use subscription::Column;
        match self.kind {
            OrgKind::Distributor => Condition::all().add(Column::TenantId.eq(self.org_id)),
            OrgKind::Reseller => Condition::all().add(Column::ResellerId.eq(self.org_id)),
            OrgKind::Customer => Condition::all().add(Column::CustomerId.eq(self.org_id)),
        }
    }

    /// Whether the caller's organisation owns its tree's catalog (the distributor, or an
    /// independent reseller).
    pub fn owns_catalog(&self) -> bool {
        self.org_id == self.tenant_id
    }
}
