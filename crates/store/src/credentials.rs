//! Secrets at rest: argon2id password hashes and hashed API keys.
//!
//! Passwords are low-entropy, so they get a slow, salted hash. API keys are 256 random bits,
//! so a SHA-256 of the key is enough and keeps every authenticated request cheap.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::StoreError;

/// The start of every API key, so that a leaked key is recognisable (and scannable).
pub const API_KEY_PREFIX: &str = "tdk_";

/// Hashes a password with argon2id and a random salt (PHC string format).
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| StoreError::Corrupt(format!("password hashing failed: {e}")))
}

/// Whether `password` matches a stored hash. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Spends the time of a real verification, so that an unknown e-mail cannot be told from a
/// wrong password by how long the answer takes.
pub fn verify_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_password("not a real password").unwrap_or_default());
    let _ = verify_password(password, hash);
}

/// A new API key: the public prefix (stored, shown in lists), the whole token (shown once)
/// and the token's hash (stored).
pub struct NewKeySecret {
    /// Stored and listed, to recognise the key.
    pub prefix: String,
    /// `tdk_<prefix>_<secret>`, given to the caller once.
    pub token: String,
    /// SHA-256 of the token, hex.
    pub hash: String,
}

/// Generates a key from the operating system's random source.
pub fn generate_api_key() -> NewKeySecret {
    let mut public = [0u8; 6];
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut public);
    OsRng.fill_bytes(&mut secret);
    let prefix = hex::encode(public);
    let token = format!("{API_KEY_PREFIX}{prefix}_{}", hex::encode(secret));
    let hash = hash_api_key(&token);
    NewKeySecret { prefix, token, hash }
}

/// The stored form of a key.
pub fn hash_api_key(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The prefix of a well-formed key, to look it up by.
pub fn api_key_prefix(token: &str) -> Option<&str> {
    let rest = token.strip_prefix(API_KEY_PREFIX)?;
    let (prefix, secret) = rest.split_once('_')?;
    (prefix.len() == 12 && secret.len() == 64).then_some(prefix)
}

/// Compares two hashes without stopping at the first difference.
pub fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse battery!", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn api_keys_are_unique_and_parse_back_to_their_prefix() {
        let a = generate_api_key();
        let b = generate_api_key();
        assert_ne!(a.token, b.token);
        assert_eq!(api_key_prefix(&a.token), Some(a.prefix.as_str()));
        assert!(same_hash(&hash_api_key(&a.token), &a.hash));
        assert!(!same_hash(&hash_api_key(&b.token), &a.hash));
        assert_eq!(api_key_prefix("eyJhbGciOi.jwt.token"), None);
    }
}
