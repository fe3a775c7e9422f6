//! Logging in and who the caller is.

use domain::api::{Me, TokenRequest, TokenResponse};

use super::{ApiFailure, decode, get, send};
use crate::session;

/// Logs in; on success keeps the token.
pub async fn login(email: String, password: String) -> Result<TokenResponse, ApiFailure> {
    let body =
        serde_json::to_string(&TokenRequest { email, password }).map_err(|e| ApiFailure::Decode(e.to_string()))?;
    let response: TokenResponse = decode(send("POST", "/api/v1/auth/token", Some(body), false).await?)?;
    session::set_token(&response.access_token);
    Ok(response)
}

/// The caller.
pub async fn me() -> Result<Me, ApiFailure> {
    get("/api/v1/me").await
}
