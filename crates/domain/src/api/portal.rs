//! The reseller portal (seed 004, docs/data-model.md §15 and docs/metrics.md §10): the balance ledger, top-ups,
//! activations and their renewals, the summary and active users.
//!
//! Every write that moves money takes an `Idempotency-Key` header: the same key again answers
//! the first result and moves nothing.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::dashboards::{AsOf, dated_queries};
use crate::codes::CurrencyCode;
use crate::kinds::{BillingInterval, LedgerKind, SubscriptionStatus};

/// One movement of a reseller's balance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerEntry {
    /// Tierdash's id; entries are numbered in the order they happened.
    pub id: i64,
    /// Whose balance.
    pub reseller_id: i64,
    /// Why it moved.
    pub kind: LedgerKind,
    /// Signed: credit positive, debit negative; 2 places.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "-45.00"))]
    pub amount: Decimal,
    /// The balance's currency.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "USD"))]
    pub currency: CurrencyCode,
    /// The balance right after this entry.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "955.00"))]
    pub balance_after: Decimal,
    /// The activation it pays for, if any.
    pub subscription_id: Option<i64>,
    /// A payment reference (top-ups) or what happened.
    pub reference: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Filters of `GET /portal/ledger`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct LedgerFilter {
    /// Whose ledger: required for a distributor, the caller's own for a reseller.
    pub reseller_id: Option<i64>,
    /// Only this kind.
    pub kind: Option<LedgerKind>,
    /// Only this activation's entries.
    pub subscription_id: Option<i64>,
}

/// Fields `GET /portal/ledger` sorts by.
pub const LEDGER_SORTS: &[&str] = &["id", "created_at", "amount"];

/// Credit paid in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTopUp {
    /// The reseller credited (default: the caller's own organisation).
    #[serde(default)]
    pub reseller_id: Option<i64>,
    /// Above 0, at most 2 places, in the reseller's balance currency.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "500.00"))]
    pub amount: Decimal,
    /// The payment's reference (bank transfer, invoice…).
    pub payment_reference: String,
}

/// A product to activate for a client, paid for one interval from the balance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewActivation {
    /// The service plan (its price, currency and interval apply).
    pub plan_id: i64,
    /// Licences or seats, 1 or more.
    pub quantity: i64,
    /// The client's customer account (one of the reseller's customers)…
    #[serde(default)]
    pub customer_id: Option<i64>,
    /// …and/or the client's e-mail, recorded as the assigned client. With only an e-mail the
    /// customer whose domain matches it is used.
    #[serde(default)]
    pub client_email: Option<String>,
}

/// An activated product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activation {
    /// The subscription's id.
    pub id: i64,
    /// The product.
    pub product_id: i64,
    /// Its name.
    pub product_name: String,
    /// The plan.
    pub plan_id: Option<i64>,
    /// The client's customer account.
    pub customer_id: i64,
    /// The assigned client.
    pub assigned_client: Option<String>,
    /// Seats.
    pub quantity: i64,
    /// Price of one interval (unit price × quantity; absent without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "45.00"))]
    pub price_per_interval: Option<Decimal>,
    /// Its currency.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "USD"))]
    pub currency: CurrencyCode,
    /// How often it renews.
    pub billing_interval: BillingInterval,
    /// Active, paused, expired or cancelled (cancelled: runs to the end of the paid period).
    pub status: SubscriptionStatus,
    /// The day it was activated.
    pub activated_on: NaiveDate,
    /// The last paid day.
    pub paid_until: Option<NaiveDate>,
    /// When it renews next (absent unless active).
    pub next_renewal: Option<NaiveDate>,
}

/// One activation and the ledger entries that paid for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivationDetail {
    /// The activation.
    pub activation: Activation,
    /// Its entries, oldest first (absent without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ledger: Option<Vec<LedgerEntry>>,
}

/// Filters of `GET /portal/activations`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ActivationFilter {
    /// Only this status.
    pub status: Option<SubscriptionStatus>,
    /// Only this product.
    pub product_id: Option<i64>,
    /// Only this client account.
    pub customer_id: Option<i64>,
}

/// Fields `GET /portal/activations` sorts by.
pub const ACTIVATION_SORTS: &[&str] = &["id", "start_date", "end_date", "status"];

/// Recurring costs of one billing interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecurringCost {
    /// The interval.
    pub interval: BillingInterval,
    /// Active activations on it.
    pub count: u64,
    /// What one interval of them all costs (absent without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub total_per_interval: Option<Decimal>,
    /// The same per month (total ÷ months in the interval; absent without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub monthly_equivalent: Option<Decimal>,
    /// The soonest renewal among them.
    pub next_renewal: Option<NaiveDate>,
}

/// `GET /portal/summary`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalSummary {
    /// The day computed for.
    pub as_of: NaiveDate,
    /// The reseller.
    pub reseller_id: i64,
    /// Distinct users active in the 30 days ending `as_of`.
    pub active_users: u64,
    /// Active activations.
    pub active_software: u64,
    /// The ledger's sum (absent for a role that sees no money: docs/roles.md §3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub balance: Option<Decimal>,
    /// The balance's currency.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub currency: CurrencyCode,
    /// By interval: monthly, quarterly, semiannual, annual.
    pub recurring: Vec<RecurringCost>,
    /// What the renewals falling due in the 30 days after `as_of` will cost (absent without
    /// money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub due_next_30_days: Option<Decimal>,
    /// The balance will not cover them (absent without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_balance: Option<bool>,
}

/// One user's activity on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserActivity {
    /// The client's customer account.
    pub customer_id: i64,
    /// The user.
    pub user_email: String,
    /// The day (UTC).
    pub day: NaiveDate,
}

/// A batch of activity from an integrator; the same user and day twice counts once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActivityBatch {
    /// At most 10,000.
    pub items: Vec<UserActivity>,
}

/// What a batch of activity changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityResult {
    /// Items received.
    pub received: u64,
    /// New (user, day) pairs recorded; the rest were known.
    pub recorded: u64,
}

/// The range of the active-users graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ActiveUsersRange {
    /// 7 days, per day.
    #[serde(rename = "7d")]
    Days7,
    /// 30 days, per day.
    #[serde(rename = "30d")]
    Days30,
    /// 6 months, per week (weeks start on Monday).
    #[serde(rename = "6m")]
    Months6,
}

/// The query of `GET /portal/active-users`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ActiveUsersQuery {
    /// `7d`, `30d` (default) or `6m`.
    pub range: Option<ActiveUsersRange>,
    /// `YYYY-MM-DD`; default today (UTC).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date, example = "2026-11-15"))]
    pub as_of: Option<AsOf>,
    /// Whose (a distributor names a reseller).
    pub reseller_id: Option<i64>,
}

/// The query of `GET /portal/summary`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PortalQuery {
    /// `YYYY-MM-DD`; default today (UTC).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date, example = "2026-11-15"))]
    pub as_of: Option<AsOf>,
    /// Whose (a distributor names a reseller).
    pub reseller_id: Option<i64>,
}

/// One point of the active-users graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActiveUsersPoint {
    /// The day, or the Monday of the week.
    pub start: NaiveDate,
    /// Distinct users active in it.
    pub users: u64,
}

/// `GET /portal/active-users`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActiveUsersSeries {
    /// The range.
    pub range: ActiveUsersRange,
    /// The day it ends.
    pub as_of: NaiveDate,
    /// Oldest first.
    pub points: Vec<ActiveUsersPoint>,
}

/// What a run of the renewal job did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewalRun {
    /// Intervals renewed and paid.
    pub renewed: u64,
    /// Activations expired for want of balance.
    pub expired: u64,
    /// Cancelled activations that reached the end of their paid period.
    pub ended: u64,
    /// Activations that could not be handled (logged; tried again on the next run).
    #[serde(default)]
    pub failed: u64,
}

dated_queries!(ActiveUsersQuery, PortalQuery);
