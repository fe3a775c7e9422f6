//! What every handler shares, in a file of its own so that routes, authentication and startup
//! all depend on it rather than on each other.

use std::sync::Arc;

use store::Store;
use tokio::sync::Notify;

use crate::answers::Answers;
use crate::auth::jwt::JwtKeys;
use crate::auth::unknown_logins::UnknownLogins;
use crate::config::JobsConfig;

/// The state behind every request: the database and the token keys.
#[derive(Debug)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Token signing and checking.
    pub jwt: JwtKeys,
    /// The background jobs' settings (a report's retention, when usage is next updated).
    pub jobs: JobsConfig,
    /// Wakes the report workers when a report is requested.
    pub reports_waiting: Arc<Notify>,
    /// Failed logins of e-mails with no account, locked as an account's are.
    pub unknown_logins: UnknownLogins,
    /// The token `GET /metrics` asks for, if one is set.
    pub metrics_token: Option<secrecy::SecretString>,
    /// The dashboard reads' answers, kept while the data is unchanged (and refreshed when it
    /// changes).
    pub answers: Arc<Answers>,
}
