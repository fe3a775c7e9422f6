//! Reading back values the store wrote as text (enums, codes, decimals). A failure means the
//! database holds something we never write, so it is reported as corruption, not a panic.

use std::str::FromStr;

use crate::StoreError;

/// Parses a stored text column.
pub fn parse<T: FromStr>(value: &str, column: &str) -> Result<T, StoreError> {
    value.parse().map_err(|_| StoreError::Corrupt(format!("{column} = {value:?}")))
}

/// Parses an optional stored text column.
pub fn parse_opt<T: FromStr>(value: Option<&str>, column: &str) -> Result<Option<T>, StoreError> {
    value.map(|v| parse(v, column)).transpose()
}

/// Parses a stored code (country, currency, e-mail) through its checking constructor.
pub fn code<T, E>(value: &str, column: &str, parse: impl Fn(&str) -> Result<T, E>) -> Result<T, StoreError> {
    parse(value).map_err(|_| StoreError::Corrupt(format!("{column} = {value:?}")))
}
