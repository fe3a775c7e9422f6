//! Resellers and customers (and the distributor at the top of the tree).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::Violations;
use super::nullable;
use crate::codes::{CountryCode, CurrencyCode};
use crate::kinds::{AgreementStatus, OnboardingStage, OrgKind, OrgStatus, Segment, VettingStatus};

/// The longest name accepted.
pub const MAX_NAME: usize = 200;

/// An organisation of the channel: the distributor, a reseller or an end customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organization {
    /// Tierdash's id.
    pub id: i64,
    /// Distributor, reseller or customer.
    pub kind: OrgKind,
    /// The organisation above this one (a customer's reseller, a reseller's distributor).
    pub parent_id: Option<i64>,
    /// Display name.
    pub name: String,
    /// The id the distributor's own systems use (and billing files' `BillingAccountId`);
    /// unique within the distributor's tree.
    pub external_id: Option<String>,
    /// Internet domain.
    pub domain: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "DE"))]
    pub country: Option<CountryCode>,
    /// Customers: market segment.
    pub segment: Option<Segment>,
    /// Active, suspended or closed.
    pub status: OrgStatus,
    /// When the organisation was acquired (created in the channel).
    pub created_at: DateTime<Utc>,
    /// When it closed, if it did.
    pub closed_at: Option<DateTime<Utc>>,
    /// Customers: onboarding stage.
    pub onboarding_stage: Option<OnboardingStage>,
    /// Customers: when the current onboarding stage was entered.
    pub onboarding_stage_since: Option<DateTime<Utc>>,
    /// Resellers: partner agreement status.
    pub agreement_status: Option<AgreementStatus>,
    /// Resellers: vetting status.
    pub vetting_status: Option<VettingStatus>,
    /// The currency the organisation's balance is kept in.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "EUR"))]
    pub balance_currency: Option<CurrencyCode>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// The parent's name (a customer's reseller, a reseller's distributor) when the parent is
    /// in the caller's subtree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_name: Option<String>,
    /// Customers: the provider accounts it owns (AWS linked accounts, Azure subscriptions, GCP
    /// projects, payer accounts), which billing lines are matched by (docs/import.md §6).
    #[serde(default)]
    pub billing_accounts: Vec<String>,
}

/// A new reseller or customer. Every field of the data model can be set, including dates in
/// the past, so that a distributor can load its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "kind": "customer", "parent_id": 2, "name": "Contoso GmbH", "external_id": "CUST-0042",
    "domain": "contoso.example", "country": "DE", "segment": "mid_market",
    "onboarding_stage": "account_linked", "created_at": "2025-03-01T00:00:00Z"
})))]
#[serde(deny_unknown_fields)]
pub struct NewOrganization {
    /// `reseller` or `customer` (a distributor is created by `tierdash init`).
    pub kind: OrgKind,
    /// The reseller (for a customer) or distributor (for a reseller) above it. Defaults to the
    /// caller's organisation when that is of the right kind.
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// Display name, 1 to 200 characters.
    pub name: String,
    /// The distributor's own id for it; unique within the tree.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Internet domain.
    #[serde(default)]
    pub domain: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "DE"))]
    pub country: Option<CountryCode>,
    /// Customers only: market segment.
    #[serde(default)]
    pub segment: Option<Segment>,
    /// Default `active`.
    #[serde(default)]
    pub status: Option<OrgStatus>,
    /// Acquisition date; default now.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When it closed; default now if `status` is `closed`.
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
    /// Customers only: default `invited`.
    #[serde(default)]
    pub onboarding_stage: Option<OnboardingStage>,
    /// Customers only: when the stage was entered; default `created_at`.
    #[serde(default)]
    pub onboarding_stage_since: Option<DateTime<Utc>>,
    /// Resellers only: default `not_started`.
    #[serde(default)]
    pub agreement_status: Option<AgreementStatus>,
    /// Resellers only: default `pending`.
    #[serde(default)]
    pub vetting_status: Option<VettingStatus>,
    /// ISO 4217 currency of the balance.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "EUR"))]
    pub balance_currency: Option<CurrencyCode>,
    /// Customers only: the provider accounts it owns, each unique in the tree (at most
    /// [`MAX_BILLING_ACCOUNTS`]). Lines held back for want of them are rated at once.
    #[serde(default)]
    pub billing_accounts: Option<Vec<String>>,
}

/// The most provider accounts one customer may own.
pub const MAX_BILLING_ACCOUNTS: usize = 1000;

/// A partial update: absent fields are left as they are; `null` clears a field that may be
/// empty. The kind and parent of an organisation never change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"status": "closed", "closed_at": "2026-06-30T00:00:00Z"})))]
#[serde(deny_unknown_fields)]
pub struct OrganizationPatch {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The distributor's own id; `null` clears it.
    #[serde(default, deserialize_with = "nullable::deserialize")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub external_id: Option<Option<String>>,
    /// Internet domain; `null` clears it.
    #[serde(default, deserialize_with = "nullable::deserialize")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub domain: Option<Option<String>>,
    /// Country; `null` clears it.
    #[serde(default, deserialize_with = "nullable::deserialize")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub country: Option<Option<CountryCode>>,
    /// Customers: segment; `null` clears it.
    #[serde(default, deserialize_with = "nullable::deserialize")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Segment>))]
    pub segment: Option<Option<Segment>>,
    /// Status.
    #[serde(default)]
    pub status: Option<OrgStatus>,
    /// Acquisition date.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// Closing date; `null` reopens.
    #[serde(default, deserialize_with = "nullable::deserialize")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DateTime<Utc>>))]
    pub closed_at: Option<Option<DateTime<Utc>>>,
    /// Customers: onboarding stage.
    #[serde(default)]
    pub onboarding_stage: Option<OnboardingStage>,
    /// Customers: when the stage was entered; default now when the stage changes.
    #[serde(default)]
    pub onboarding_stage_since: Option<DateTime<Utc>>,
    /// Resellers: agreement status.
    #[serde(default)]
    pub agreement_status: Option<AgreementStatus>,
    /// Resellers: vetting status.
    #[serde(default)]
    pub vetting_status: Option<VettingStatus>,
    /// Balance currency; `null` clears it.
    #[serde(default, deserialize_with = "nullable::deserialize")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub balance_currency: Option<Option<CurrencyCode>>,
    /// Customers: the provider accounts it owns, replacing the list (`[]` empties it). Lines
    /// held back for want of them are rated at once.
    #[serde(default)]
    pub billing_accounts: Option<Vec<String>>,
}

/// Filters of `GET /organizations`, besides paging, `q` and `sort`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct OrganizationFilter {
    /// Only this kind.
    pub kind: Option<OrgKind>,
    /// Only the children of this organisation.
    pub parent_id: Option<i64>,
    /// Only the organisation with this external id.
    pub external_id: Option<String>,
    /// Only this status.
    pub status: Option<OrgStatus>,
    /// Only customers of this segment.
    pub segment: Option<Segment>,
    /// Only customers at this onboarding stage.
    pub onboarding_stage: Option<OnboardingStage>,
    /// Only organisations counted on this day: created by its end and not closed by then.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date, example = "2026-11-15"))]
    pub as_of: Option<crate::api::AsOf>,
    /// Only customers holding a subscription whose current licence status is this one, started
    /// on or before `as_of` (default today).
    pub license_status: Option<crate::kinds::LicenseStatus>,
}

/// Fields `GET /organizations` sorts by.
pub const ORGANIZATION_SORTS: &[&str] =
    &["id", "name", "external_id", "country", "status", "created_at", "closed_at", "kind"];

/// Checks that hold whatever is in the database: lengths, fields that belong to one kind only,
/// and date order.
pub fn check_organization_fields(
    kind: OrgKind,
    name: Option<&str>,
    has_customer_fields: bool,
    has_reseller_fields: bool,
    created_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
) -> Violations {
    let mut v = Violations::default();
    if let Some(name) = name {
        v.text("name", name, MAX_NAME);
    }
    if kind != OrgKind::Customer && has_customer_fields {
        v.add("segment", "segment and onboarding fields apply to customers only");
    }
    if kind != OrgKind::Reseller && has_reseller_fields {
        v.add("agreement_status", "agreement and vetting fields apply to resellers only");
    }
    if let Some(closed) = closed_at
        && closed < created_at
    {
        v.add("closed_at", "must not be before created_at");
    }
    v
}

/// The query of `GET /search` (with `page` and `per_page`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SearchQuery {
    /// What to find: part of a name, an external id or a domain (1 to 200 characters, not all
    /// blank, without NUL).
    pub q: String,
}
