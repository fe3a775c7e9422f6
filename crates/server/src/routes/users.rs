//! `/users`: an admin manages the users of its subtree.

use actix_web::{HttpResponse, get, patch, post, web};
use domain::api::{ListParams, NewUser, Page, USER_SORTS, User, UserFilter, UserPatch};
use domain::roles::Permission;
use store::{credentials, users};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::docs::{AuthErrors, NotFound, WriteErrors};
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::state::AppState;

/// Users are created and changed by a logged-in admin, not by an API key: a leaked key must
/// not be able to mint a login that outlives its revocation.
fn require_login(caller: &Caller) -> Result<(), ApiError> {
    match caller.user_id {
        Some(_) => Ok(()),
        None => Err(ApiError::Forbidden("users are managed by a logged-in admin, not by an API key".into())),
    }
}

/// Lists users of the caller's subtree (admins only). `q` searches e-mail and name.
#[utoipa::path(
    tag = "users",
    params(ListParams, UserFilter),
    responses((status = 200, body = Page<User>), AuthErrors),
    security(("bearer" = []))
)]
#[get("/users")]
pub async fn list_users(
    caller: Caller,
    state: web::Data<AppState>,
    list: ValidQuery<ListParams>,
    filter: ValidQuery<UserFilter>,
) -> Result<web::Json<Page<User>>, ApiError> {
    caller.require(Permission::ManageUsers)?;
    let query = list.check(USER_SORTS)?;
    Ok(web::Json(users::list(&state.store, &caller.scope, &filter, &query).await?))
}

/// One user of the caller's subtree.
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = User), AuthErrors, NotFound),
    security(("bearer" = []))
)]
#[get("/users/{id}")]
pub async fn get_user(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<User>, ApiError> {
    caller.require(Permission::ManageUsers)?;
    Ok(web::Json(users::get(&state.store, &caller.scope, id.into_inner()).await?))
}

/// Creates a user with a role in an organisation of the caller's subtree.
#[utoipa::path(
    tag = "users",
    request_body = NewUser,
    responses((status = 201, body = User, headers(("Location" = String))), AuthErrors, WriteErrors),
    security(("bearer" = []))
)]
#[post("/users")]
pub async fn create_user(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<NewUser>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ManageUsers)?;
    require_login(&caller)?;
    let new = body.into_inner();
    users::check_new(&new)?;
    let password = new.password.clone();
    let hash =
        web::block(move || credentials::hash_password(&password)).await.map_err(|e| ApiError::Internal(e.into()))??;
    let user = users::create(&state.store, &caller.scope, new, hash).await?;
    Ok(super::created(format!("/api/v1/users/{}", user.id), &user))
}

/// Changes a user: name, role, password, or `disabled` to stop (or restore) its logins.
/// Disabling takes effect at once, for tokens already issued too.
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "User id")),
    request_body = UserPatch,
    responses((status = 200, body = User), AuthErrors, NotFound, WriteErrors),
    security(("bearer" = []))
)]
#[patch("/users/{id}")]
pub async fn update_user(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UserPatch>,
) -> Result<web::Json<User>, ApiError> {
    caller.require(Permission::ManageUsers)?;
    require_login(&caller)?;
    let patch = body.into_inner();
    users::check_patch(&patch)?;
    let hash = match patch.password.clone() {
        Some(password) => Some(
            web::block(move || credentials::hash_password(&password))
                .await
                .map_err(|e| ApiError::Internal(e.into()))??,
        ),
        None => None,
    };
    Ok(web::Json(users::update(&state.store, &caller.scope, id.into_inner(), caller.user_id, patch, hash).await?))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_users).service(create_user).service(get_user).service(update_user);
}
