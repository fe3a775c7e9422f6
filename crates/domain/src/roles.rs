//! Roles and what they may do (DESIGN §1). [`PERMISSIONS`] is the one table every check reads;
//! no handler decides a right with its own `if`.

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

/// Something a role may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read organisations, the catalog and subscriptions.
    ReadData,
    /// Create and update organisations, the catalog and subscriptions.
    WriteData,
    /// Import billing data and manage fx rates.
    ImportBilling,
    /// Open the dashboards.
    ViewDashboards,
    /// See revenue, cost and spend figures.
    ViewRevenue,
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

/// The role → permission table (DESIGN §1).
pub const PERMISSIONS: &[(Role, &[Permission])] = &[
    (
        Role::Admin,
        &[
            ReadData,
            WriteData,
            ImportBilling,
            ViewDashboards,
            ViewRevenue,
            ViewReports,
            GenerateReports,
            Activate,
            TopUp,
            ManageUsers,
            ManageApiKeys,
        ],
    ),
    (
        Role::Operations,
        &[ReadData, WriteData, ImportBilling, ViewDashboards, ViewRevenue, ViewReports, GenerateReports, Activate],
    ),
    (Role::Marketing, &[ReadData, ViewDashboards, ViewRevenue, ViewReports]),
    (Role::ReportViewer, &[ReadData, ViewDashboards, ViewReports]),
    (Role::ExecutiveViewer, &[ReadData, ViewDashboards, ViewRevenue, ViewReports]),
];

impl Role {
    /// Every role.
    pub const ALL: &'static [Role] =
        &[Role::Admin, Role::Operations, Role::Marketing, Role::ReportViewer, Role::ExecutiveViewer];

    /// Whether this role has `permission`, read from [`PERMISSIONS`].
    pub fn can(self, permission: Permission) -> bool {
        PERMISSIONS.iter().any(|(role, granted)| *role == self && granted.contains(&permission))
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
        assert!(!Role::ReportViewer.can(ViewRevenue));
        assert!(Role::ExecutiveViewer.can(ViewRevenue));
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
