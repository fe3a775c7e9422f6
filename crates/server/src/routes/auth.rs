//! `POST /auth/token` and `GET /me`.

use actix_web::{get, post, web};
use chrono::Utc;
use domain::api::{Me, Problem, TokenRequest, TokenResponse};
use domain::roles::{MoneyFields, Permission};
use store::{admin, credentials};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::docs::{AuthErrors, WriteErrors};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::state::AppState;

const BAD_LOGIN: &str = "the e-mail or password is wrong";

/// Logs in with e-mail and password and returns an access token (a JWT valid for at most an
/// hour). After five wrong passwords an e-mail is locked for a time that doubles with each
/// further failure, up to 15 minutes (429 with `Retry-After`), whether or not it has an account.
#[utoipa::path(
    tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "Wrong e-mail or password, or a disabled user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body lacks a field", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts for this e-mail", body = Problem, content_type = "application/problem+json"),
        WriteErrors
    )
)]
#[post("/auth/token")]
pub async fn create_token(
    state: web::Data<AppState>,
    body: ValidJson<TokenRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let TokenRequest { email, password } = body.into_inner();
    let now = Utc::now();
    let Some(user) = admin::find_login(&state.store, &email).await? else {
        if let Some(until) = state.unknown_logins.locked_until(&email, now) {
            return Err(locked(until, now));
        }
        web::block(move || credentials::verify_nothing(&password)).await.map_err(|e| ApiError::Internal(e.into()))?;
        state.unknown_logins.record_failure(&email, now);
        return Err(ApiError::Unauthorized(BAD_LOGIN));
    };
    if let Some(until) = user.locked_until.filter(|until| *until > now) {
        return Err(locked(until, now));
    }
    let hash = user.password_hash.clone();
    let matches = web::block(move || credentials::verify_password(&password, &hash))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    if !matches {
        admin::record_login_failure(&state.store, user.id, now).await?;
        return Err(ApiError::Unauthorized(BAD_LOGIN));
    }
    if user.disabled {
        return Err(ApiError::Unauthorized("this user is disabled"));
    }
    admin::record_login_success(&state.store, user.id, now).await?;
    let (access_token, expires_at) =
        state.jwt.issue(user.id, user.org_id, user.role, now).map_err(ApiError::Internal)?;
    Ok(web::Json(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: state.jwt.ttl().as_secs(),
        expires_at,
    }))
}

fn locked(until: chrono::DateTime<Utc>, now: chrono::DateTime<Utc>) -> ApiError {
    ApiError::TooManyRequests { retry_after: (until - now).num_seconds().max(1) as u64 }
}

/// The caller: user (or API key), organisation, role and what the role allows.
#[utoipa::path(tag = "auth", responses((status = 200, body = Me), AuthErrors), security(("bearer" = [])))]
#[get("/me")]
pub async fn get_me(caller: Caller, state: web::Data<AppState>) -> Result<web::Json<Me>, ApiError> {
    let organization = admin::organization(&state.store, &caller.scope).await?;
    let user = match caller.user_id {
        Some(id) => admin::active_user(&state.store, id).await?,
        None => None,
    };
    Ok(web::Json(Me {
        user,
        api_key_id: caller.api_key_id,
        organization,
        role: caller.role,
        can_view_revenue: caller.role.sees(MoneyFields::HomeFigures),
        can_write: caller.role.can(Permission::WriteData),
        can_manage_users: caller.role.can(Permission::ManageUsers),
        permissions: caller.role.permissions(),
    }))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_token).service(get_me);
}
