//! The only unscoped access to tenant tables: turning a credential into a [`Scope`], login
//! bookkeeping, and creating the first organisation of an empty database. Nothing here returns
//! another tenant's data to a caller.

use chrono::{DateTime, Duration, Utc};
use domain::api::{Organization, User};
use domain::codes::Email;
use domain::kinds::{OrgKind, OrgStatus};
use domain::roles::Role;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    Statement,
};

use crate::entities::{api_key, organization, user};
use crate::{Scope, Store, StoreError, api_keys, clock, credentials, organizations, raw_sql, stored, users};

/// Failed logins allowed before an account is locked for a while.
pub const FREE_LOGIN_ATTEMPTS: i32 = 5;

/// The scope of an organisation, as stored.
pub async fn scope_of(store: &Store, org_id: i64) -> Result<Scope, StoreError> {
    let org = organization::Entity::find_by_id(org_id).one(store.db()).await?.ok_or(StoreError::NotFound)?;
    scope_of_row(&org)
}

/// The scope of an organisation's stored row.
fn scope_of_row(org: &organization::Model) -> Result<Scope, StoreError> {
    Ok(Scope { org_id: org.id, kind: stored::parse(&org.kind, "organizations.kind")?, tenant_id: org.tenant_id })
}

/// The organisation of a scope (for `/me`).
pub async fn organization(store: &Store, scope: &Scope) -> Result<Organization, StoreError> {
    organizations::get(store, scope, scope.org_id).await
}

/// A user as login sees it.
#[derive(Debug, Clone)]
pub struct LoginUser {
    /// The user's id.
    pub id: i64,
    /// The user's organisation.
    pub org_id: i64,
    /// The user's role.
    pub role: Role,
    /// The argon2 PHC string.
    pub password_hash: String,
    /// Disabled users cannot log in.
    pub disabled: bool,
    /// Locked (too many failures) until then.
    pub locked_until: Option<DateTime<Utc>>,
}

/// The user with this login e-mail, if any.
pub async fn find_login(store: &Store, email: &str) -> Result<Option<LoginUser>, StoreError> {
    let Ok(email) = Email::parse(email) else {
        return Ok(None);
    };
    let found = user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(store.db()).await?;
    found
        .map(|u| {
            Ok(LoginUser {
                id: u.id,
                org_id: u.org_id,
                role: stored::parse(&u.role, "users.role")?,
                password_hash: u.password_hash,
                disabled: u.disabled,
                locked_until: u.locked_until,
            })
        })
        .transpose()
}

/// Counts a failed login and, past [`FREE_LOGIN_ATTEMPTS`], locks the account for a time
/// that doubles with each further failure (30 s up to 15 min). Returns the lock's end.
pub async fn record_login_failure(
    store: &Store,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    // One atomic increment, so concurrent guesses are all counted.
    user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, Expr::col(user::Column::FailedLogins).add(1))
        .filter(user::Column::Id.eq(user_id))
        .exec(store.db())
        .await?;
    let Some(current) = user::Entity::find_by_id(user_id).one(store.db()).await? else {
        return Ok(None);
    };
    let Some(seconds) = lock_seconds(current.failed_logins) else {
        return Ok(None);
    };
    let until = clock::stored(now + Duration::seconds(seconds));
    user::Entity::update_many()
        .col_expr(user::Column::LockedUntil, Expr::value(until))
        .filter(user::Column::Id.eq(user_id))
        .exec(store.db())
        .await?;
    Ok(Some(until))
}

/// How long a login is locked after `failed` failures in a row: nothing for the first
/// [`FREE_LOGIN_ATTEMPTS`] but one, then 30 s doubling with each failure, at most 15 minutes.
/// The server applies the same to e-mails that name no account, so a lock tells nothing.
pub fn lock_seconds(failed: i32) -> Option<i64> {
    let over = failed - FREE_LOGIN_ATTEMPTS;
    (over >= 0).then(|| std::cmp::min(30i64 << std::cmp::min(over, 5), 15 * 60))
}

/// Clears the failure count after a successful login.
pub async fn record_login_success(store: &Store, user_id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .col_expr(user::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(user::Column::LastLoginAt, Expr::value(clock::stored(now)))
        .filter(user::Column::Id.eq(user_id))
        .exec(store.db())
        .await?;
    Ok(())
}

/// A signed-in user's role and scope as they are now, when the user is active and still of
/// `org_id` (the token's): a disabled, deleted or moved user's tokens stop working at once. One
/// statement, as every request with a token asks it first (the user, then the organisation,
/// were two round trips of each).
pub async fn signed_in(store: &Store, user_id: i64, org_id: i64) -> Result<Option<(Role, Scope)>, StoreError> {
    let sql = "SELECT u.role, o.kind, o.tenant_id FROM users u JOIN organizations o ON o.id = u.org_id \
               WHERE u.id = ? AND u.org_id = ? AND u.disabled = ?";
    let backend = store.db().get_database_backend();
    let values = [user_id.into(), org_id.into(), false.into()];
    let statement = Statement::from_sql_and_values(backend, raw_sql::numbered(backend, sql), values);
    let Some(row) = store.db().query_one_raw(statement).await? else {
        return Ok(None);
    };
    let (role, kind, tenant_id): (String, String, i64) =
        (row.try_get_by_index(0)?, row.try_get_by_index(1)?, row.try_get_by_index(2)?);
    let scope = Scope { org_id, kind: stored::parse(&kind, "organizations.kind")?, tenant_id };
    Ok(Some((stored::parse(&role, "users.role")?, scope)))
}

/// A token's user as it is now: a disabled or deleted user's tokens stop working at once.
pub async fn active_user(store: &Store, user_id: i64) -> Result<Option<User>, StoreError> {
    let found = user::Entity::find_by_id(user_id).one(store.db()).await?;
    found.filter(|u| !u.disabled).map(users::to_wire).transpose()
}

/// What an API key grants.
#[derive(Debug, Clone)]
pub struct KeyGrant {
    /// The key's id.
    pub id: i64,
    /// Its role.
    pub role: Role,
    /// Its organisation's scope.
    pub scope: Scope,
}

/// Checks a presented API key: it must exist, match its stored hash, and be neither revoked
/// nor expired. Records its use. The key and its organisation are read in one statement, as
/// every request with a key asks it first.
pub async fn check_api_key(store: &Store, token: &str, now: DateTime<Utc>) -> Result<Option<KeyGrant>, StoreError> {
    let Some(prefix) = credentials::api_key_prefix(token) else {
        return Ok(None);
    };
    let found =
        api_key::Entity::find().filter(api_key::Column::Prefix.eq(prefix)).find_also_related(organization::Entity);
    let Some((key, Some(org))) = found.one(store.db()).await? else {
        return Ok(None);
    };
    let valid = credentials::same_hash(&credentials::hash_api_key(token), &key.secret_hash)
        && key.revoked_at.is_none()
        && key.expires_at.is_none_or(|at| at > now);
    if !valid {
        return Ok(None);
    }
    // Recording every use would make each request a write; a minute's precision is plenty.
    if key.last_used_at.is_none_or(|at| now - at > Duration::minutes(1)) {
        api_key::Entity::update_many()
            .col_expr(api_key::Column::LastUsedAt, Expr::value(clock::stored(now)))
            .filter(api_key::Column::Id.eq(key.id))
            .exec(store.db())
            .await?;
    }
    let grant = api_keys::to_wire(key)?;
    Ok(Some(KeyGrant { id: grant.id, role: grant.role, scope: scope_of_row(&org)? }))
}

/// Whether the database holds no organisation yet.
pub async fn is_empty(store: &Store) -> Result<bool, StoreError> {
    Ok(organization::Entity::find().count(store.db()).await? == 0)
}

/// The first organisation of a tree and its first admin.
pub struct Init {
    /// The new organisation's name.
    pub org_name: String,
    /// Distributor, or an independent reseller.
    pub kind: OrgKind,
    /// The admin's login.
    pub admin_email: Email,
    /// The admin's display name.
    pub admin_name: String,
    /// The admin's argon2 hash.
    pub password_hash: String,
    /// The organisation's acquisition date (now, or a past date for demo data).
    pub created_at: DateTime<Utc>,
}

/// Creates a root organisation and its admin, in one transaction. With `only_if_empty`, refuses
/// (with [`StoreError::Conflict`]) a database that already has organisations.
pub async fn create_root(store: &Store, init: Init, only_if_empty: bool) -> Result<(Organization, User), StoreError> {
    if init.kind == OrgKind::Customer {
        return Err(StoreError::invalid("kind", "the top of a tree is a distributor or a reseller"));
    }
    let txn = store.write().await?;
    if only_if_empty && organization::Entity::find().count(&txn).await? != 0 {
        return Err(StoreError::Conflict(
            "the database already has organisations; `init` only sets up an empty one".into(),
        ));
    }
    let now = clock::now();
    let org = organization::ActiveModel {
        // A root is its own tenant; its id is only known after the insert.
        tenant_id: Set(0),
        parent_id: Set(None),
        kind: Set(init.kind.as_str().to_owned()),
        name: Set(init.org_name.trim().to_owned()),
        status: Set(OrgStatus::Active.as_str().to_owned()),
        created_at: Set(clock::stored(init.created_at)),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut root: organization::ActiveModel = org.into();
    let id = root.id.clone().unwrap();
    root.tenant_id = Set(id);
    let org = root.update(&txn).await?;
    let admin = user::ActiveModel {
        org_id: Set(org.id),
        email: Set(init.admin_email.into()),
        name: Set(init.admin_name),
        role: Set(Role::Admin.as_str().to_owned()),
        password_hash: Set(init.password_hash),
        disabled: Set(false),
        failed_logins: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok((organizations::to_wire(org)?, users::to_wire(admin)?))
}

/// The id of the only root organisation, when there is exactly one.
pub async fn only_root(store: &Store) -> Result<Option<i64>, StoreError> {
    let roots = organization::Entity::find().filter(organization::Column::ParentId.is_null()).all(store.db()).await?;
    Ok(if roots.len() == 1 { Some(roots[0].id) } else { None })
}
