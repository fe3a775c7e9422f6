//! API keys: long-lived, revocable credentials for integrators, sent as a bearer token.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::roles::Role;

/// An API key (never its secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKey {
    /// Tierdash's id.
    pub id: i64,
    /// The organisation whose subtree the key sees.
    pub org_id: i64,
    /// What the key is for.
    pub name: String,
    /// The key's role.
    pub role: Role,
    /// The public start of the key, to recognise it.
    pub prefix: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// After this the key no longer works.
    pub expires_at: Option<DateTime<Utc>>,
    /// Revoked keys no longer work.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Last use.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A new API key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"name": "ERP sync", "role": "operations"})))]
#[serde(deny_unknown_fields)]
pub struct NewApiKey {
    /// What the key is for.
    pub name: String,
    /// The key's role.
    pub role: Role,
    /// An organisation in the caller's subtree; default the caller's own.
    #[serde(default)]
    pub org_id: Option<i64>,
    /// Optional expiry, in the future.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A key just created: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    /// The key.
    pub key: ApiKey,
    /// The bearer token to use. Store it now: it cannot be shown again.
    pub secret: String,
}

/// Filters of `GET /api-keys`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ApiKeyFilter {
    /// Include revoked keys (default false).
    pub include_revoked: Option<bool>,
}

/// Fields `GET /api-keys` sorts by.
pub const API_KEY_SORTS: &[&str] = &["id", "name", "created_at"];
