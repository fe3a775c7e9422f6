//! Users: scoped list, get, create and update. Hashing happens before the store is called
//! (it is slow and belongs off the async threads).

use domain::api::{ListQuery, NewUser, Page, User, UserFilter, UserPatch, Violations};
use domain::codes::Email;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};

use crate::entities::user::{self, Column, Entity};
use crate::{Scope, Store, StoreError, clock, organizations, paging, stored};

/// Users of organisations in scope.
pub async fn list(
    store: &Store,
    scope: &Scope,
    filter: &UserFilter,
    query: &ListQuery,
) -> Result<Page<User>, StoreError> {
    let mut select = Entity::find().filter(scope.owns(Column::OrgId));
    if let Some(org_id) = filter.org_id {
        select = select.filter(Column::OrgId.eq(org_id));
    }
    if let Some(role) = filter.role {
        select = select.filter(Column::Role.eq(role.as_str()));
    }
    if let Some(disabled) = filter.disabled {
        select = select.filter(Column::Disabled.eq(disabled));
    }
    if let Some(q) = &query.q {
        select = select.filter(paging::search(q, &[Column::Email, Column::Name]));
    }
    let page = paging::fetch_page(store.db(), select, query, Column::Id).await?;
    paging::convert(page, to_wire)
}

/// One user in scope.
pub async fn get(store: &Store, scope: &Scope, id: i64) -> Result<User, StoreError> {
    to_wire(find(store, scope, id).await?)
}

async fn find(store: &Store, scope: &Scope, id: i64) -> Result<user::Model, StoreError> {
    Entity::find_by_id(id).filter(scope.owns(Column::OrgId)).one(store.db()).await?.ok_or(StoreError::NotFound)
}

/// Checks a new user's text fields before its password is hashed.
pub fn check_new(new: &NewUser) -> Result<(), StoreError> {
    let mut v = Violations::default();
    v.text("name", &new.name, 200);
    check_password(&mut v, &new.password);
    v.finish().map_err(StoreError::Invalid)
}

/// Checks a patch before its password (if any) is hashed.
pub fn check_patch(patch: &UserPatch) -> Result<(), StoreError> {
    let mut v = Violations::default();
    if let Some(name) = &patch.name {
        v.text("name", name, 200);
    }
    if let Some(password) = &patch.password {
        check_password(&mut v, password);
    }
    v.finish().map_err(StoreError::Invalid)
}

fn check_password(v: &mut Violations, password: &str) {
    if password.chars().count() < domain::api::MIN_PASSWORD {
        v.add("password", format!("must be at least {} characters", domain::api::MIN_PASSWORD));
    } else if password.chars().count() > domain::api::MAX_PASSWORD {
        v.add("password", format!("must be at most {} characters", domain::api::MAX_PASSWORD));
    }
}

/// Creates a user in an organisation in scope (default: the caller's own).
pub async fn create(store: &Store, scope: &Scope, new: NewUser, password_hash: String) -> Result<User, StoreError> {
    let org_id = new.org_id.unwrap_or(scope.org_id);
    organizations::find(store, scope, org_id)
        .await
        .map_err(|_| StoreError::invalid("org_id", "is not an organisation you can see"))?;
    let now = clock::now();
    let model = user::ActiveModel {
        org_id: Set(org_id),
        email: Set(new.email.into()),
        name: Set(new.name.trim().to_owned()),
        role: Set(new.role.as_str().to_owned()),
        password_hash: Set(password_hash),
        disabled: Set(false),
        failed_logins: Set(0),
        locked_until: Set(None),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    match model.insert(store.db()).await {
        Err(err) => match StoreError::from(err) {
            StoreError::Conflict(_) => Err(StoreError::Conflict("a user with this e-mail already exists".into())),
            other => Err(other),
        },
        Ok(user) => to_wire(user),
    }
}

/// Updates a user in scope. `acting_user` cannot disable itself or drop its own admin role,
/// so an organisation is never locked out by accident.
pub async fn update(
    store: &Store,
    scope: &Scope,
    id: i64,
    acting_user: Option<i64>,
    patch: UserPatch,
    password_hash: Option<String>,
) -> Result<User, StoreError> {
    let current = find(store, scope, id).await?;
    if acting_user == Some(id) {
        if patch.disabled == Some(true) {
            return Err(StoreError::invalid("disabled", "you cannot disable yourself"));
        }
        if patch.role.is_some_and(|r| r.as_str() != current.role) {
            return Err(StoreError::invalid("role", "you cannot change your own role"));
        }
    }
    let mut model = current.into_active_model();
    if let Some(name) = patch.name {
        model.name = Set(name.trim().to_owned());
    }
    if let Some(role) = patch.role {
        model.role = Set(role.as_str().to_owned());
    }
    if let Some(disabled) = patch.disabled {
        model.disabled = Set(disabled);
    }
    if let Some(hash) = password_hash {
        model.password_hash = Set(hash);
        model.failed_logins = Set(0);
        model.locked_until = Set(None);
    }
    model.updated_at = Set(clock::now());
    to_wire(model.update(store.db()).await?)
}

pub(crate) fn to_wire(m: user::Model) -> Result<User, StoreError> {
    Ok(User {
        id: m.id,
        org_id: m.org_id,
        email: stored::code(&m.email, "users.email", Email::parse)?,
        name: m.name,
        role: stored::parse(&m.role, "users.role")?,
        disabled: m.disabled,
        created_at: m.created_at,
        last_login_at: m.last_login_at,
    })
}
