//! Users of the app. Each belongs to one organisation and sees its subtree.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::codes::Email;
use crate::roles::Role;

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 10;

/// The longest password: argon2 hashes it whole.
pub const MAX_PASSWORD: usize = 1024;

/// A user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// Tierdash's id.
    pub id: i64,
    /// The organisation the user belongs to.
    pub org_id: i64,
    /// Login e-mail, lower case.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "ops@reseller.example"))]
    pub email: Email,
    /// Display name.
    pub name: String,
    /// The user's role.
    pub role: Role,
    /// A disabled user cannot log in.
    pub disabled: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last successful login.
    pub last_login_at: Option<DateTime<Utc>>,
}

/// A new user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "email": "ops@reseller.example", "name": "Olga Ops", "role": "operations", "password": "a long passphrase"
})))]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// An organisation in the caller's subtree; default the caller's own.
    #[serde(default)]
    pub org_id: Option<i64>,
    /// Login e-mail, unique.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub email: Email,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// At least 10 characters.
    pub password: String,
}

/// A partial update of a user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"disabled": true})))]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Role.
    #[serde(default)]
    pub role: Option<Role>,
    /// Disable (true) or re-enable (false) the login.
    #[serde(default)]
    pub disabled: Option<bool>,
    /// A new password, at least 10 characters.
    #[serde(default)]
    pub password: Option<String>,
}

/// Filters of `GET /users`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct UserFilter {
    /// Only users of this organisation.
    pub org_id: Option<i64>,
    /// Only this role.
    pub role: Option<Role>,
    /// Only disabled (true) or enabled (false) users.
    pub disabled: Option<bool>,
}

/// Fields `GET /users` sorts by.
pub const USER_SORTS: &[&str] = &["id", "email", "name", "role", "created_at"];
