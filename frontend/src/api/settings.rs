//! What an admin administers: users, API keys and fx rates.

use domain::api::{
    ApiKey, ApiKeyFilter, CreatedApiKey, FxRateFilter, FxRateUpsert, ListParams, NewApiKey, NewUser, Page, User,
    UserFilter, UserPatch,
};

use super::{ApiFailure, decode, get, post_raw, send, send_json, with_query};

/// A page of the users of the caller's subtree.
pub async fn users(list: ListParams, filter: UserFilter) -> Result<Page<User>, ApiFailure> {
    get(&with_query("/api/v1/users", &[&list, &filter])).await
}

/// Creates a user.
pub async fn create_user(new: &NewUser) -> Result<User, ApiFailure> {
    send_json("POST", "/api/v1/users", new).await
}

/// Changes a user's name, role, password or `disabled`.
pub async fn update_user(id: i64, patch: &UserPatch) -> Result<User, ApiFailure> {
    send_json("PATCH", &format!("/api/v1/users/{id}"), patch).await
}

/// A page of API keys (never their secrets).
pub async fn api_keys(list: ListParams, filter: ApiKeyFilter) -> Result<Page<ApiKey>, ApiFailure> {
    get(&with_query("/api/v1/api-keys", &[&list, &filter])).await
}

/// Creates an API key; the answer holds its secret, this once.
pub async fn create_api_key(new: &NewApiKey) -> Result<CreatedApiKey, ApiFailure> {
    send_json("POST", "/api/v1/api-keys", new).await
}

/// Revokes an API key at once.
pub async fn revoke_api_key(id: i64) -> Result<ApiKey, ApiFailure> {
    decode(send("DELETE", &format!("/api/v1/api-keys/{id}"), None, true).await?)
}

/// A page of fx rates of the caller's tree.
pub async fn fx_rates(list: ListParams, filter: FxRateFilter) -> Result<Page<domain::api::FxRate>, ApiFailure> {
    get(&with_query("/api/v1/fx-rates", &[&list, &filter])).await
}

/// Adds or replaces rates, all or nothing; answers how many were written.
pub async fn upsert_fx_rates(rates: &FxRateUpsert) -> Result<u64, ApiFailure> {
    send_json("PUT", "/api/v1/fx-rates", rates).await
}

/// Adds or replaces rates from a CSV (`currency,month,rate`), all or nothing; answers how many
/// were written. A bad file answers 422 with one error per bad row.
pub async fn import_fx_rates(csv: String) -> Result<u64, ApiFailure> {
    post_raw("/api/v1/fx-rates/import", csv, "text/csv").await
}
