//! Roles and what they may do and see (docs/roles.md). [`PERMISSIONS`] is the one table every
//! permission check reads, and [`MONEY`] the one table of which money figures each role sees on
//! each endpoint; no handler decides a right with its own `if`.

use crate::kinds::UnknownValue;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A user's or API key's role. A user has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything in scope, including users and API keys ("Systems" login level).
    Admin,
    /// Data, imports, reports and activations ("Operations").
    Operations,
    /// Dashboards and reports, no writes ("Marketing").
    Marketing,
    /// Dashboards with every revenue, cost and spend figure omitted.
    ReportViewer,
    /// Dashboards including revenue, no writes.
    ExecutiveViewer,
}

/// Something a role may or may not do; `GET /me` lists the caller's, so an app offers only
/// what they allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Read organisations, the catalog and subscriptions.
    ReadData,
    /// Create and update organisations, the catalog and subscriptions.
    WriteData,
    /// Import billing data and manage fx rates.
    ImportBilling,
    /// Open the dashboards (which of their money figures a role sees is [`MONEY`]'s).
    ViewDashboards,
    /// Read generated reports.
    ViewReports,
    /// Request report generation.
    GenerateReports,
    /// Activate, renew and deactivate products in the portal.
    Activate,
    /// Credit a reseller's balance.
    TopUp,
    /// Create, update and disable users.
    ManageUsers,
    /// Create and revoke API keys.
    ManageApiKeys,
}

use Permission::*;

/// The role → permission table (docs/roles.md §2).
pub const PERMISSIONS: &[(Role, &[Permission])] = &[
    (
        Role::Admin,
        &[
            ReadData,
            WriteData,
            ImportBilling,
            ViewDashboards,
            ViewReports,
            GenerateReports,
            Activate,
            TopUp,
            ManageUsers,
            ManageApiKeys,
        ],
    ),
    (Role::Operations, &[ReadData, WriteData, ImportBilling, ViewDashboards, ViewReports, GenerateReports, Activate]),
    (Role::Marketing, &[ReadData, ViewDashboards, ViewReports]),
    (Role::ReportViewer, &[ReadData, ViewDashboards, ViewReports]),
    (Role::ExecutiveViewer, &[ReadData, ViewDashboards, ViewReports]),
];

/// A group of money figures (revenue, cost, margin, spend) that one endpoint answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MoneyFields {
    /// `GET /dashboards/home`: `current_month_revenue`, `projected_monthly_revenue` and
    /// `marketplace_spend`.
    HomeFigures,
    /// `GET /dashboards/home/{revenue,projection,marketplace,overview}`: every figure of these
    /// reports is money.
    HomeReports,
    /// `GET /usage/…` and the usage reports' CSV: `revenue`.
    UsageFigures,
    /// Reports of the `billing` kind: revenue, cost and margin and nothing else.
    BillingReports,
    /// The portal's balance, recurring costs and prices (`GET /portal/summary`,
    /// `/portal/activations`), service plans' `price` and subscriptions' `unit_price`.
    PortalMoney,
    /// `GET /portal/ledger`: every figure of it is money.
    PortalLedger,
}

impl MoneyFields {
    /// What a role that does not see these figures gets, read from [`MONEY`] (refused when the
    /// group is missing from it).
    pub fn when_hidden(self) -> WhenHidden {
        MONEY.iter().find(|(group, _, _)| *group == self).map_or(WhenHidden::Refused, |(_, _, hidden)| *hidden)
    }
}

/// What a role that may not see a group of money figures gets instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenHidden {
    /// The answer without those fields (absent, not blanked or zeroed).
    Omitted,
    /// 403: the endpoint is nothing but those figures.
    Refused,
}

/// The money table: per endpoint and group of fields, the roles that see the figures and what
/// the others get (docs/roles.md §3). Every handler that leaves money out reads it, through
/// [`Role::sees`].
pub const MONEY: &[(MoneyFields, &[Role], WhenHidden)] = &[
    (MoneyFields::HomeFigures, REVENUE_ROLES, WhenHidden::Omitted),
    (MoneyFields::HomeReports, REVENUE_ROLES, WhenHidden::Refused),
    (MoneyFields::UsageFigures, REVENUE_ROLES, WhenHidden::Omitted),
    (MoneyFields::BillingReports, REVENUE_ROLES, WhenHidden::Refused),
    (MoneyFields::PortalMoney, REVENUE_ROLES, WhenHidden::Omitted),
    (MoneyFields::PortalLedger, REVENUE_ROLES, WhenHidden::Refused),
];

/// The roles that see revenue: all but the `report_viewer`, whose dashboards carry counts only.
const REVENUE_ROLES: &[Role] = &[Role::Admin, Role::Operations, Role::Marketing, Role::ExecutiveViewer];

impl Role {
    /// Every role.
    pub const ALL: &'static [Role] =
        &[Role::Admin, Role::Operations, Role::Marketing, Role::ReportViewer, Role::ExecutiveViewer];

    /// Whether this role has `permission`, read from [`PERMISSIONS`].
    pub fn can(self, permission: Permission) -> bool {
        PERMISSIONS.iter().any(|(role, granted)| *role == self && granted.contains(&permission))
    }

    /// Every permission this role has, in [`PERMISSIONS`]' order.
    pub fn permissions(self) -> Vec<Permission> {
        PERMISSIONS.iter().filter(|(role, _)| *role == self).flat_map(|(_, granted)| granted.iter().copied()).collect()
    }

    /// Whether this role sees the money figures `fields`, read from [`MONEY`] (a group missing
    /// from the table is seen by nobody).
    pub fn sees(self, fields: MoneyFields) -> bool {
        MONEY.iter().any(|(group, roles, _)| *group == fields && roles.contains(&self))
    }

    /// The role as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Operations => "operations",
            Role::Marketing => "marketing",
            Role::ReportViewer => "report_viewer",
            Role::ExecutiveViewer => "executive_viewer",
        }
    }
}

impl FromStr for Role {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .iter()
            .copied()
            .find(|role| role.as_str() == s)
            .ok_or(UnknownValue { expected: "admin operations marketing report_viewer executive_viewer" })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_is_in_the_table_once() {
        for role in Role::ALL {
            assert_eq!(PERMISSIONS.iter().filter(|(r, _)| r == role).count(), 1, "{role}");
        }
    }

    #[test]
    fn report_viewer_sees_dashboards_but_not_revenue() {
        assert!(Role::ReportViewer.can(ViewDashboards));
        assert!(!Role::ReportViewer.sees(MoneyFields::HomeFigures));
        assert!(Role::ExecutiveViewer.sees(MoneyFields::HomeFigures));
    }

    #[test]
    fn every_money_group_is_in_the_table_once() {
        for fields in [MoneyFields::HomeFigures, MoneyFields::HomeReports] {
            assert_eq!(MONEY.iter().filter(|(f, _, _)| *f == fields).count(), 1, "{fields:?}");
        }
    }

    #[test]
    fn only_the_report_viewer_is_kept_from_home_money() {
        for role in Role::ALL {
            let sees = *role != Role::ReportViewer;
            assert_eq!(role.sees(MoneyFields::HomeFigures), sees, "{role}");
            assert_eq!(role.sees(MoneyFields::HomeReports), sees, "{role}");
        }
    }

    #[test]
    fn only_admin_manages_users_and_keys() {
        for role in Role::ALL {
            assert_eq!(role.can(ManageUsers), *role == Role::Admin);
            assert_eq!(role.can(ManageApiKeys), *role == Role::Admin);
        }
    }

    #[test]
    fn marketing_and_viewers_cannot_write() {
        for role in [Role::Marketing, Role::ReportViewer, Role::ExecutiveViewer] {
            assert!(!role.can(WriteData) && !role.can(ImportBilling) && !role.can(Activate));
        }
        assert!(Role::Operations.can(WriteData) && Role::Operations.can(Activate));
    }
}
