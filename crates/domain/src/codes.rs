//! Validated codes. Each type's only constructor checks its input, so code past the API's edge
//! never checks again.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidCode(pub &'static str);

/// An ISO 3166-1 alpha-2 country code, upper case (`DE`, `US`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode(String);

impl CountryCode {
    /// Accepts two ASCII letters in either case.
    pub fn parse(s: &str) -> Result<Self, InvalidCode> {
        let s = s.trim();
        if s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(CountryCode(s.to_ascii_uppercase()))
        } else {
            Err(InvalidCode("must be an ISO 3166-1 alpha-2 country code such as DE"))
        }
    }

    /// The code as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An ISO 4217 currency code, upper case (`USD`, `EUR`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CurrencyCode(String);

impl CurrencyCode {
    /// Accepts three ASCII letters in either case.
    pub fn parse(s: &str) -> Result<Self, InvalidCode> {
        let s = s.trim();
        if s.len() == 3 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(CurrencyCode(s.to_ascii_uppercase()))
        } else {
            Err(InvalidCode("must be an ISO 4217 currency code such as EUR"))
        }
    }

    /// The code as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, trimmed and lower-cased so that logins are case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// A deliberately loose check (one `@`, a dot in the domain, no spaces): the address is
    /// a login name, not something we send mail to.
    pub fn parse(s: &str) -> Result<Self, InvalidCode> {
        let s = s.trim().to_lowercase();
        let valid = s.len() <= 254
            && !s.contains(char::is_whitespace)
            && s.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
        if valid { Ok(Email(s)) } else { Err(InvalidCode("must be an e-mail address such as ops@example.com")) }
    }

    /// The address as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_conversions {
    ($($name:ident),+) => {$(
        impl TryFrom<String> for $name {
            type Error = InvalidCode;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                $name::parse(&s)
            }
        }
        impl From<$name> for String {
            fn from(code: $name) -> String {
                code.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )+};
}
string_conversions!(CountryCode, CurrencyCode, Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_to_upper_case() {
        assert_eq!(CountryCode::parse("de").unwrap().as_str(), "DE");
        assert_eq!(CurrencyCode::parse(" eur ").unwrap().as_str(), "EUR");
    }

    #[test]
    fn malformed_codes_are_refused() {
        assert!(CountryCode::parse("DEU").is_err());
        assert!(CountryCode::parse("1A").is_err());
        assert!(CurrencyCode::parse("EU").is_err());
        assert!(CurrencyCode::parse("€UR").is_err());
    }

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(Email::parse(" Ops@Example.COM ").unwrap().as_str(), "ops@example.com");
        for bad in ["", "ops", "ops@", "@example.com", "ops@example", "a b@example.com", "a@b@example.com", "ops@.com"]
        {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
    }
}
