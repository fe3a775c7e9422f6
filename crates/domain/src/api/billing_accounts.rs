//! Provider accounts: the accounts seen in imported lines that no customer owns yet, and
//! mapping one to a customer (docs/import.md §6).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::codes::CurrencyCode;

/// A provider account seen in imports that maps to no customer: its lines are held back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnmappedAccount {
    /// The account id the lines carry (`x_CustomerId`, else `SubAccountId`, else
    /// `BillingAccountId`).
    pub account_id: String,
    /// Its name in the export (`SubAccountName`, else `BillingAccountName`), when it has one.
    pub name: Option<String>,
    /// `ProviderName` of its lines (the first seen).
    pub provider: String,
    /// The payer account its lines were billed to, when it differs.
    pub billing_account_id: Option<String>,
    /// Lines held back.
    pub lines: u64,
    /// Their billed cost, in `currency`, exact.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1234.5"))]
    pub billed_cost: Decimal,
    /// The currency of the billed cost (the first seen; `mixed_currencies` says when not all).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "USD"))]
    pub currency: CurrencyCode,
    /// Whether its lines are billed in more than one currency (the sum is then of the first's).
    pub mixed_currencies: bool,
    /// The first line's day.
    pub first_day: NaiveDate,
    /// The last line's day.
    pub last_day: NaiveDate,
}

/// Fields `GET /billing-accounts/unmapped` sorts by (default: most lines first).
pub const UNMAPPED_ACCOUNT_SORTS: &[&str] = &["account_id", "name", "lines", "first_day", "last_day"];

/// `POST /billing-accounts/unmapped/map`: the account becomes the customer's, and its lines are
/// rated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"account_id": "123456789012", "customer_id": 42})))]
#[serde(deny_unknown_fields)]
pub struct MapAccount {
    /// The account, as listed.
    pub account_id: String,
    /// The customer that owns it.
    pub customer_id: i64,
}

/// `POST /billing-accounts/unmapped/customer`: a new customer owning the account, named as the
/// export names it and acquired on its first line's day; its lines are rated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"account_id": "123456789012", "parent_id": 7})))]
#[serde(deny_unknown_fields)]
pub struct CustomerFromAccount {
    /// The account, as listed.
    pub account_id: String,
    /// The reseller above the new customer; default the caller's organisation when a reseller.
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// The name; default the export's name for the account, else the account id.
    #[serde(default)]
    pub name: Option<String>,
}

/// What mapping an account did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountMapped {
    /// The customer that owns the account now.
    pub customer_id: i64,
    /// The account.
    pub account_id: String,
    /// Lines now rated and counted (in scope).
    pub rated: u64,
    /// Lines still held back (in scope), for this account or others.
    pub still_unrated: u64,
    /// Issues resolved.
    pub issues_resolved: u64,
}
