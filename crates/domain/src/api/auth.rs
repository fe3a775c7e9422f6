//! Logging in and asking who one is.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::organizations::Organization;
use super::users::User;
use crate::roles::Role;

/// E-mail and password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "admin@northwind.example", "password": "tierdash-demo"})))]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// Login e-mail (case-insensitive).
    pub email: String,
    /// Password.
    pub password: String,
}

/// A short-lived access token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// A JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until it expires (at most 3600).
    pub expires_in: u64,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

/// The caller: user (absent for an API key), organisation, role and what the role may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// The logged-in user; none when calling with an API key.
    pub user: Option<User>,
    /// The API key's id, when calling with one.
    pub api_key_id: Option<i64>,
    /// The organisation whose subtree the caller sees.
    pub organization: Organization,
    /// The caller's role.
    pub role: Role,
    /// Whether revenue, cost and spend figures are shown to this role.
    pub can_view_revenue: bool,
    /// Whether this role may change data.
    pub can_write: bool,
    /// Whether this role manages users and API keys.
    pub can_manage_users: bool,
    /// Everything this role may do (docs/roles.md §2); offer nothing else.
    #[serde(default)]
    pub permissions: Vec<crate::roles::Permission>,
}
