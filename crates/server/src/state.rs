//! What every handler shares, in a file of its own so that routes, authentication and startup
//! all depend on it rather than on each other.

use store::Store;

use crate::auth::jwt::JwtKeys;

/// The state behind every request: the database and the token keys.
#[derive(Debug)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Token signing and checking.
    pub jwt: JwtKeys,
}
