//! Who is calling: a bearer token is either a short-lived JWT from a login or a long-lived API
//! key (`tdk_…`). Either becomes a [`Caller`]: a [`store::Scope`] and a role, checked against
//! `domain::roles::PERMISSIONS` by [`Caller::require`].

pub mod jwt;
pub mod unknown_logins;

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use chrono::Utc;
use domain::api::without_money::WithoutMoney;
use domain::roles::{MoneyFields, Permission, Role, WhenHidden};
use store::{Scope, admin, credentials};

use crate::error::ApiError;
use crate::state::AppState;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The caller's subtree.
    pub scope: Scope,
    /// The caller's role, as stored now (a demotion takes effect at once).
    pub role: Role,
    /// The logged-in user, when the caller used a login token.
    pub user_id: Option<i64>,
    /// The API key, when the caller used one.
    pub api_key_id: Option<i64>,
}

impl Caller {
    /// `Ok` when the caller's role grants `permission`, else 403.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.role.can(permission) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!("the {} role may not do this", self.role)))
        }
    }

    /// Whether the caller sees the money figures `fields` (`domain::roles::MONEY`): `Ok(false)`
    /// when they are to be left out of the answer, 403 when the endpoint is refused without them.
    pub fn sees_money(&self, fields: MoneyFields) -> Result<bool, ApiError> {
        if self.role.sees(fields) {
            return Ok(true);
        }
        match fields.when_hidden() {
            WhenHidden::Omitted => Ok(false),
            WhenHidden::Refused => {
                Err(ApiError::Forbidden(format!("the {} role may not see these figures", self.role)))
            }
        }
    }

    /// `answer` as the caller may see it: whole, or without the money fields of `fields`.
    pub fn money<T: WithoutMoney>(&self, fields: MoneyFields, answer: T) -> Result<T, ApiError> {
        Ok(if self.sees_money(fields)? { answer } else { answer.without_money() })
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("AppState missing")))?;
            let token = token.ok_or(ApiError::Unauthorized("send `Authorization: Bearer <token or API key>`"))?;
            authenticate(&state, &token).await
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim().to_owned())
}

async fn authenticate(state: &AppState, token: &str) -> Result<Caller, ApiError> {
    let now = Utc::now();
    if token.starts_with(credentials::API_KEY_PREFIX) {
        let grant = admin::check_api_key(&state.store, token, now)
            .await?
            .ok_or(ApiError::Unauthorized("the API key is unknown, revoked or expired"))?;
        return Ok(Caller { scope: grant.scope, role: grant.role, user_id: None, api_key_id: Some(grant.id) });
    }
    let claims = state.jwt.decode(token).map_err(|_| ApiError::Unauthorized("the token is invalid or expired"))?;
    let (role, scope) = admin::signed_in(&state.store, claims.user_id(), claims.org)
        .await?
        .ok_or(ApiError::Unauthorized("the token's user is disabled or gone"))?;
    Ok(Caller { scope, role, user_id: Some(claims.user_id()), api_key_id: None })
}
