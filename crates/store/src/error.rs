//! The store's error: what went wrong, in terms the server maps to one status each.

use domain::api::FieldError;
use sea_orm::{DbErr, SqlErr};

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Nothing with that id in the caller's scope (whether or not it exists elsewhere).
    #[error("not found")]
    NotFound,
    /// The write would break a uniqueness rule (e.g. an `external_id` already used).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The request names things that do not fit together; each field says why.
    #[error("invalid request")]
    Invalid(Vec<FieldError>),
    /// An import refused for its structure: the first problems and how many in all.
    #[error("import rejected: {total} problems")]
    Rejected {
        /// The first 100 problems.
        errors: Vec<FieldError>,
        /// All problems.
        total: u64,
    },
    /// The caller's organisation may not do this (whatever its role).
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The reseller's balance does not cover a debit; nothing was changed.
    #[error("the balance of {balance} {currency} does not cover {needed} {currency}")]
    InsufficientBalance {
        /// The balance now.
        balance: rust_decimal::Decimal,
        /// What the operation costs.
        needed: rust_decimal::Decimal,
        /// The balance's currency.
        currency: String,
    },
    /// A stored value could not be read back: a bug or a hand-edited database.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// The database failed.
    #[error("database error")]
    Db(#[source] DbErr),
}

impl StoreError {
    /// One invalid field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        StoreError::Invalid(vec![FieldError::field(field, message)])
    }
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => StoreError::Conflict(detail),
            _ => StoreError::Db(err),
        }
    }
}
