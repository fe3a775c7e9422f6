//! API keys: scoped list, create (the secret returned once) and revoke.

use chrono::{DateTime, Utc};
use domain::api::{ApiKey, ApiKeyFilter, CreatedApiKey, ListQuery, NewApiKey, Page, Violations};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};

use crate::entities::api_key::{self, Column, Entity};
use crate::{Scope, Store, StoreError, clock, credentials, organizations, paging, stored};

/// Keys of organisations in scope; revoked ones only when asked for.
pub async fn list(
    store: &Store,
    scope: &Scope,
    filter: &ApiKeyFilter,
    query: &ListQuery,
) -> Result<Page<ApiKey>, StoreError> {
    let mut select = Entity::find().filter(scope.owns(Column::OrgId));
    if !filter.include_revoked.unwrap_or(false) {
        select = select.filter(Column::RevokedAt.is_null());
    }
    if let Some(q) = &query.q {
        select = select.filter(paging::search(q, &[Column::Name, Column::Prefix]));
    }
    let page = paging::fetch_page(store.db(), select, query, Column::Id).await?;
    paging::convert(page, to_wire)
}

/// Creates a key for an organisation in scope, on behalf of `created_by`.
pub async fn create(
    store: &Store,
    scope: &Scope,
    created_by: i64,
    new: NewApiKey,
    now: DateTime<Utc>,
) -> Result<CreatedApiKey, StoreError> {
    let mut v = Violations::default();
    v.text("name", &new.name, 200);
    if new.expires_at.is_some_and(|at| at <= now) {
        v.add("expires_at", "must be in the future");
    }
    v.finish().map_err(StoreError::Invalid)?;
    let org_id = new.org_id.unwrap_or(scope.org_id);
    organizations::find(store, scope, org_id)
        .await
        .map_err(|_| StoreError::invalid("org_id", "is not an organisation you can see"))?;
    let secret = credentials::generate_api_key();
    let model = api_key::ActiveModel {
        org_id: Set(org_id),
        created_by: Set(created_by),
        name: Set(new.name.trim().to_owned()),
        role: Set(new.role.as_str().to_owned()),
        prefix: Set(secret.prefix),
        secret_hash: Set(secret.hash),
        created_at: Set(clock::now()),
        expires_at: Set(new.expires_at.map(clock::stored)),
        revoked_at: Set(None),
        last_used_at: Set(None),
        ..Default::default()
    };
    let key = to_wire(model.insert(store.db()).await?)?;
    Ok(CreatedApiKey { key, secret: secret.token })
}

/// Revokes a key in scope; revoking twice keeps the first revocation time.
pub async fn revoke(store: &Store, scope: &Scope, id: i64) -> Result<ApiKey, StoreError> {
    let key =
        Entity::find_by_id(id).filter(scope.owns(Column::OrgId)).one(store.db()).await?.ok_or(StoreError::NotFound)?;
    if key.revoked_at.is_some() {
        return to_wire(key);
    }
    let mut model = key.into_active_model();
    model.revoked_at = Set(Some(clock::now()));
    to_wire(model.update(store.db()).await?)
}

pub(crate) fn to_wire(m: api_key::Model) -> Result<ApiKey, StoreError> {
    Ok(ApiKey {
        id: m.id,
        org_id: m.org_id,
        name: m.name,
        role: stored::parse(&m.role, "api_keys.role")?,
        prefix: format!("{}{}", credentials::API_KEY_PREFIX, m.prefix),
        created_at: m.created_at,
        expires_at: m.expires_at,
        revoked_at: m.revoked_at,
        last_used_at: m.last_used_at,
    })
}
