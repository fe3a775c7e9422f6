//! Usage (seed 003, docs/metrics.md §6): per reseller and customer, the services billed in a
//! month and per service the consumed quantity, chargeable units, revenue and line count, as the
//! latest scheduled usage update left them.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{AsOf, MonthParam};
use crate::api::ReportStatus;

/// The query of every usage page: the month and the day it is seen from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct UsageQuery {
    /// The month, `YYYY-MM`, not after `as_of`'s (default: `as_of`'s month).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "2026-11"))]
    pub period: Option<MonthParam>,
    /// `YYYY-MM-DD`; default today (UTC).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date, example = "2026-11-15"))]
    pub as_of: Option<AsOf>,
}

/// When usage was last updated, and when the next update is due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageUpdate {
    /// When the latest update that covered the period finished (none: never updated).
    pub updated_at: Option<DateTime<Utc>>,
    /// The months that update covered.
    pub months: Vec<String>,
    /// When the server's schedule runs the next update (none when the server does not run one).
    pub next_update_at: Option<DateTime<Utc>>,
}

/// One service's usage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceUsage {
    /// `ProviderName`.
    pub provider: String,
    /// `ServiceName`.
    pub service: String,
    /// `ConsumedQuantity` summed, exact (empty = 0).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1520.25"))]
    pub consumed_quantity: Decimal,
    /// Chargeable units summed, exact (`PricingQuantity`, else `ConsumedQuantity`).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1520.25"))]
    pub chargeable_units: Decimal,
    /// Revenue in USD, 2 places (absent for a role without revenue rights).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1234.50"))]
    pub revenue: Option<Decimal>,
    /// Rated lines of every category but Tax.
    pub line_count: u64,
}

/// The usage summary of the caller's tree for a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageSummary {
    /// `YYYY-MM`.
    pub period: String,
    /// The update the figures come from.
    pub update: UsageUpdate,
    /// Resellers with usage in the period.
    pub resellers: u64,
    /// Customers (organisation sites) with usage in the period.
    pub customers: u64,
    /// Lines in all.
    pub line_count: u64,
    /// Revenue in all (absent for a role without revenue rights).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1234.50"))]
    pub revenue: Option<Decimal>,
    /// Per service, largest line count first.
    pub services: Vec<ServiceUsage>,
}

/// A reseller on the reseller usage tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResellerUsage {
    /// The reseller's id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its external id.
    pub external_id: Option<String>,
    /// Its domain.
    pub domain: Option<String>,
    /// The services billed in the period, by name.
    pub services: Vec<String>,
    /// Customers with usage in the period.
    pub customers: u64,
    /// Lines in the period.
    pub line_count: u64,
    /// Revenue in the period (absent for a role without revenue rights).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1234.50"))]
    pub revenue: Option<Decimal>,
    /// The status of its latest usage report for the period (none: never requested).
    pub report_status: Option<ReportStatus>,
    /// When that report was generated.
    pub report_generated_at: Option<DateTime<Utc>>,
    /// That report's id.
    pub report_id: Option<i64>,
}

/// A customer (organisation site) and its usage by service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerUsage {
    /// The customer's id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its external id.
    pub external_id: Option<String>,
    /// Its domain.
    pub domain: Option<String>,
    /// Its reseller's id.
    pub reseller_id: i64,
    /// Its reseller's name.
    pub reseller_name: String,
    /// Lines in the period.
    pub line_count: u64,
    /// Revenue in the period (absent for a role without revenue rights).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1234.50"))]
    pub revenue: Option<Decimal>,
    /// Its usage per service.
    pub services: Vec<ServiceUsage>,
}

/// One provider's usage: the resources behind the services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceUsage {
    /// `ProviderName`.
    pub provider: String,
    /// Services of it billed in the period.
    pub services: u64,
    /// Customers using it.
    pub customers: u64,
    /// Lines.
    pub line_count: u64,
    /// Revenue (absent for a role without revenue rights).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1234.50"))]
    pub revenue: Option<Decimal>,
}

/// One reseller's usage overview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResellerUsageOverview {
    /// `YYYY-MM`.
    pub period: String,
    /// The update the figures come from.
    pub update: UsageUpdate,
    /// The reseller, with its totals.
    pub reseller: ResellerUsage,
    /// Service usage over its customers.
    pub services: Vec<ServiceUsage>,
    /// Resource usage, per provider.
    pub resources: Vec<ResourceUsage>,
    /// Its customers with usage, largest line count first (at most 100; the organisation-site
    /// list with `reseller_id` pages them all).
    pub customers: Vec<CustomerUsage>,
    /// How many customers have usage.
    pub customers_total: u64,
}

/// The organisation-site list's filters, besides paging.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct UsageOrganizationsFilter {
    /// Only this reseller's customers.
    pub reseller_id: Option<i64>,
}
