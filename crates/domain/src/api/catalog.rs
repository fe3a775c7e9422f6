//! The catalog: products and their sellable service plans. A catalog belongs to the top of a
//! tree (the distributor, or an independent reseller); everyone in the tree reads it.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::codes::CurrencyCode;
use crate::kinds::{BillingInterval, BillingModel};

/// A product that can be sold and billed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    /// Tierdash's id.
    pub id: i64,
    /// Stock-keeping unit; billing lines' `SkuId` is matched to it. Unique in the catalog.
    pub sku: String,
    /// Display name.
    pub name: String,
    /// Product family, e.g. "Microsoft 365", "Azure".
    pub family: String,
    /// Provider, e.g. AWS, Microsoft, a software vendor.
    pub provider: String,
    /// Licence or usage.
    pub billing_model: BillingModel,
    /// Sold through a marketplace.
    pub marketplace: bool,
    /// The `ServiceName`s this product covers: a billing line whose SKU the catalog lacks (or
    /// that has none) finds its product by its service (docs/import.md §6).
    #[serde(default)]
    pub service_names: Vec<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A new product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "sku": "MS-M365-BP", "name": "Microsoft 365 Business Premium", "family": "Microsoft 365",
    "provider": "Microsoft", "billing_model": "license", "marketplace": false
})))]
#[serde(deny_unknown_fields)]
pub struct NewProduct {
    /// Unique in the catalog, 1 to 128 characters.
    pub sku: String,
    /// Display name.
    pub name: String,
    /// Product family.
    pub family: String,
    /// Provider.
    pub provider: String,
    /// Licence or usage.
    pub billing_model: BillingModel,
    /// Default false.
    #[serde(default)]
    pub marketplace: bool,
    /// The `ServiceName`s it covers, each covered by one product of the catalog at most.
    #[serde(default)]
    pub service_names: Option<Vec<String>>,
}

/// A partial update of a product.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductPatch {
    /// Stock-keeping unit.
    #[serde(default)]
    pub sku: Option<String>,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Product family.
    #[serde(default)]
    pub family: Option<String>,
    /// Provider.
    #[serde(default)]
    pub provider: Option<String>,
    /// Licence or usage.
    #[serde(default)]
    pub billing_model: Option<BillingModel>,
    /// Sold through a marketplace.
    #[serde(default)]
    pub marketplace: Option<bool>,
    /// The `ServiceName`s it covers, replacing the list (`[]` empties it).
    #[serde(default)]
    pub service_names: Option<Vec<String>>,
}

/// Filters of `GET /products`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ProductFilter {
    /// Only this family (exact).
    pub family: Option<String>,
    /// Only this provider (exact).
    pub provider: Option<String>,
    /// Only marketplace (true) or non-marketplace (false) products.
    pub marketplace: Option<bool>,
}

/// Fields `GET /products` sorts by.
pub const PRODUCT_SORTS: &[&str] = &["id", "sku", "name", "family", "provider", "created_at"];

/// A sellable plan of a product: a price per unit for one billing interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServicePlan {
    /// Tierdash's id.
    pub id: i64,
    /// The product sold.
    pub product_id: i64,
    /// Unique code in the catalog.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Price per unit for one interval, a decimal string (absent without money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "22.00"))]
    pub price: Option<Decimal>,
    /// ISO 4217 currency of the price.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "EUR"))]
    pub currency: CurrencyCode,
    /// How often it is billed.
    pub billing_interval: BillingInterval,
    /// Can be sold now.
    pub enabled: bool,
    /// A deactivation refunds the unused part of the paid period.
    pub refundable: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A new service plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "product_id": 1, "code": "M365-BP-MONTHLY", "name": "Business Premium, monthly",
    "price": "22.00", "currency": "EUR", "billing_interval": "monthly"
})))]
#[serde(deny_unknown_fields)]
pub struct NewServicePlan {
    /// A product of the caller's catalog.
    pub product_id: i64,
    /// Unique code in the catalog.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Price per unit, a decimal string, not negative.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "22.00"))]
    pub price: Decimal,
    /// ISO 4217 currency.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "EUR"))]
    pub currency: CurrencyCode,
    /// How often it is billed.
    pub billing_interval: BillingInterval,
    /// Default true.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Default false.
    #[serde(default)]
    pub refundable: Option<bool>,
}

/// A partial update of a service plan. Its product never changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ServicePlanPatch {
    /// Unique code.
    #[serde(default)]
    pub code: Option<String>,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Price per unit.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub price: Option<Decimal>,
    /// Currency.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub currency: Option<CurrencyCode>,
    /// Interval.
    #[serde(default)]
    pub billing_interval: Option<BillingInterval>,
    /// Can be sold now.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Refunds on deactivation.
    #[serde(default)]
    pub refundable: Option<bool>,
}

/// Filters of `GET /service-plans`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ServicePlanFilter {
    /// Only plans of this product.
    pub product_id: Option<i64>,
    /// Only enabled (true) or disabled (false) plans.
    pub enabled: Option<bool>,
    /// Only this interval.
    pub billing_interval: Option<BillingInterval>,
}

/// Fields `GET /service-plans` sorts by.
pub const SERVICE_PLAN_SORTS: &[&str] = &["id", "code", "name", "price", "created_at"];
