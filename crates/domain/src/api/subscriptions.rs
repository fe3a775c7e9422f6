//! Subscriptions: a customer's quantity of a product, sold by a reseller. The portal calls
//! them activations.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::nullable;
use crate::codes::CurrencyCode;
use crate::kinds::{BillingInterval, LicenseStatus, SubscriptionStatus};

/// A subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscription {
    /// Tierdash's id.
    pub id: i64,
    /// The end customer.
    pub customer_id: i64,
    /// The reseller who sold it (the customer's reseller).
    pub reseller_id: i64,
    /// The product.
    pub product_id: i64,
    /// The service plan it was sold on, if any.
    pub plan_id: Option<i64>,
    /// Licences or seats.
    pub quantity: i64,
    /// Price per unit per interval, a decimal string (absent without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "22.00"))]
    pub unit_price: Option<Decimal>,
    /// ISO 4217 currency of the price.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "EUR"))]
    pub currency: CurrencyCode,
    /// How often it is billed.
    pub billing_interval: BillingInterval,
    /// Active, paused, expired or cancelled.
    pub status: SubscriptionStatus,
    /// Trial, active, grace, expired or suspended.
    pub license_status: LicenseStatus,
    /// A trial subscription.
    pub trial: bool,
    /// The client it is assigned to (an e-mail or an account name).
    pub assigned_client: Option<String>,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day, renewal or cancellation date; none while open-ended.
    pub end_date: Option<NaiveDate>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A new subscription. Without `plan_id`, `unit_price`, `currency` and `billing_interval` are
/// required; with it they default to the plan's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "customer_id": 57, "product_id": 3, "plan_id": 9, "quantity": 25,
    "start_date": "2025-01-01", "assigned_client": "it@contoso.example"
})))]
#[serde(deny_unknown_fields)]
pub struct NewSubscription {
    /// A customer in the caller's scope.
    pub customer_id: i64,
    /// Defaults to the customer's reseller, and must be it.
    #[serde(default)]
    pub reseller_id: Option<i64>,
    /// A product of the catalog.
    pub product_id: i64,
    /// A plan of that product.
    #[serde(default)]
    pub plan_id: Option<i64>,
    /// Licences or seats, not negative.
    pub quantity: i64,
    /// Price per unit; default the plan's price.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub unit_price: Option<Decimal>,
    /// Default the plan's currency.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub currency: Option<CurrencyCode>,
    /// Default the plan's interval.
    #[serde(default)]
    pub billing_interval: Option<BillingInterval>,
    /// Default `active`.
    #[serde(default)]
    pub status: Option<SubscriptionStatus>,
    /// Default `trial` for a trial, else `active`.
    #[serde(default)]
    pub license_status: Option<LicenseStatus>,
    /// Default false.
    #[serde(default)]
    pub trial: bool,
    /// The client it is assigned to.
    #[serde(default)]
    pub assigned_client: Option<String>,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day; none for open-ended.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// Default now.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
}

/// A partial update of a subscription. Its customer, reseller and product never change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"quantity": 30, "status": "cancelled", "end_date": "2026-09-30"})))]
#[serde(deny_unknown_fields)]
pub struct SubscriptionPatch {
    /// Plan; `null` detaches it.
    #[serde(default, deserialize_with = "nullable::deserialize")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub plan_id: Option<Option<i64>>,
    /// Licences or seats.
    #[serde(default)]
    pub quantity: Option<i64>,
    /// Price per unit.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub unit_price: Option<Decimal>,
    /// Currency.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub currency: Option<CurrencyCode>,
    /// Interval.
    #[serde(default)]
    pub billing_interval: Option<BillingInterval>,
    /// Status.
    #[serde(default)]
    pub status: Option<SubscriptionStatus>,
    /// Licence status.
    #[serde(default)]
    pub license_status: Option<LicenseStatus>,
    /// Trial flag.
    #[serde(default)]
    pub trial: Option<bool>,
    /// Assigned client; `null` clears it.
    #[serde(default, deserialize_with = "nullable::deserialize")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub assigned_client: Option<Option<String>>,
    /// First day.
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    /// Last day; `null` makes it open-ended.
    #[serde(default, deserialize_with = "nullable::deserialize")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub end_date: Option<Option<NaiveDate>>,
}

/// Filters of `GET /subscriptions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SubscriptionFilter {
    /// Only this customer's.
    pub customer_id: Option<i64>,
    /// Only this reseller's.
    pub reseller_id: Option<i64>,
    /// Only this product's.
    pub product_id: Option<i64>,
    /// Only this status.
    pub status: Option<SubscriptionStatus>,
}

/// Fields `GET /subscriptions` sorts by.
pub const SUBSCRIPTION_SORTS: &[&str] = &["id", "start_date", "end_date", "quantity", "status", "created_at"];
