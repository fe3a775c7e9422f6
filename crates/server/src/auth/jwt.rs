//! Access tokens: HS256 JWTs, the algorithm pinned so that a token cannot choose how it is
//! checked (no `alg: none`, no key confusion).

use std::time::Duration;

use chrono::{DateTime, Utc};
use domain::roles::Role;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

const ISSUER: &str = "tierdash";

/// What a token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id, as a string (RFC 7519).
    pub sub: String,
    /// The user's organisation.
    pub org: i64,
    /// The user's role when the token was issued (the stored role is what counts).
    pub role: Role,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
    /// Expires at, seconds since the epoch.
    pub exp: i64,
    /// Always `tierdash`.
    pub iss: String,
}

impl Claims {
    /// The user id; a token whose `sub` is not a number matches no user.
    pub fn user_id(&self) -> i64 {
        self.sub.parse().unwrap_or(-1)
    }
}

/// The signing and checking keys, made once from the configured secret.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys").field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

impl JwtKeys {
    /// Keys for `secret`, issuing tokens that live `ttl`.
    pub fn new(secret: &SecretString, ttl: Duration) -> JwtKeys {
        let bytes = secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "sub", "iss"]);
        validation.leeway = 5;
        JwtKeys {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            ttl,
        }
    }

    /// Issues a token; returns it with its expiry.
    pub fn issue(
        &self,
        user_id: i64,
        org: i64,
        role: Role,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(String, DateTime<Utc>)> {
        let expires = now + chrono::Duration::from_std(self.ttl)?;
        let claims = Claims {
            sub: user_id.to_string(),
            org,
            role,
            iat: now.timestamp(),
            exp: expires.timestamp(),
            iss: ISSUER.into(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, expires))
    }

    /// Checks signature, algorithm, issuer and expiry.
    pub fn decode(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map(|data| data.claims)
    }

    /// The lifetime of issued tokens.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str) -> JwtKeys {
        JwtKeys::new(&SecretString::from(secret.to_owned()), Duration::from_secs(3600))
    }

    #[test]
    fn a_token_decodes_with_its_own_key_only() {
        let now = Utc::now();
        let (token, _) = keys("a".repeat(32).as_str()).issue(7, 1, Role::Admin, now).unwrap();
        assert_eq!(keys(&"a".repeat(32)).decode(&token).unwrap().user_id(), 7);
        assert!(keys(&"b".repeat(32)).decode(&token).is_err());
    }

    #[test]
    fn an_expired_token_is_refused() {
        let past = Utc::now() - chrono::Duration::hours(2);
        let k = keys(&"a".repeat(32));
        let (token, _) = k.issue(7, 1, Role::Admin, past).unwrap();
        assert!(k.decode(&token).is_err());
    }
}
