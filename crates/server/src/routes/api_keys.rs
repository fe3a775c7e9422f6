//! `/api-keys`: long-lived credentials for integrators.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::Utc;
use domain::api::{API_KEY_SORTS, ApiKey, ApiKeyFilter, CreatedApiKey, ListParams, NewApiKey, Page};
use domain::roles::Permission;
use store::api_keys;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::docs::{AuthErrors, NotFound, WriteErrors};
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::state::AppState;

/// Lists API keys of the caller's subtree (never their secrets).
#[utoipa::path(
    tag = "api-keys",
    params(ListParams, ApiKeyFilter),
    responses((status = 200, body = Page<ApiKey>), AuthErrors),
    security(("bearer" = []))
)]
#[get("/api-keys")]
pub async fn list_api_keys(
    caller: Caller,
    state: web::Data<AppState>,
    list: ValidQuery<ListParams>,
    filter: ValidQuery<ApiKeyFilter>,
) -> Result<web::Json<Page<ApiKey>>, ApiError> {
    caller.require(Permission::ManageApiKeys)?;
    let query = list.check(API_KEY_SORTS)?;
    Ok(web::Json(api_keys::list(&state.store, &caller.scope, &filter, &query).await?))
}

/// Creates an API key. The response holds its secret, shown this once. Keys are created by a
/// logged-in admin, not by another key.
#[utoipa::path(
    tag = "api-keys",
    request_body = NewApiKey,
    responses((status = 201, body = CreatedApiKey, headers(("Location" = String))), AuthErrors, WriteErrors),
    security(("bearer" = []))
)]
#[post("/api-keys")]
pub async fn create_api_key(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<NewApiKey>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ManageApiKeys)?;
    let Some(user_id) = caller.user_id else {
        return Err(ApiError::Forbidden("API keys are created by a logged-in admin, not by another key".into()));
    };
    let created = api_keys::create(&state.store, &caller.scope, user_id, body.into_inner(), Utc::now()).await?;
    Ok(super::created(format!("/api/v1/api-keys/{}", created.key.id), &created))
}

/// Revokes an API key at once. Revoking a revoked key changes nothing.
#[utoipa::path(
    tag = "api-keys",
    params(("id" = i64, Path, description = "API key id")),
    responses((status = 200, description = "The revoked key", body = ApiKey), AuthErrors, NotFound),
    security(("bearer" = []))
)]
#[delete("/api-keys/{id}")]
pub async fn revoke_api_key(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<ApiKey>, ApiError> {
    caller.require(Permission::ManageApiKeys)?;
    Ok(web::Json(api_keys::revoke(&state.store, &caller.scope, id.into_inner()).await?))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_api_keys).service(create_api_key).service(revoke_api_key);
}
