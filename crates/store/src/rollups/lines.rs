//! What the rollups read of a line item, and what a rated line contributes to them: its key
//! ([`Key`](super::keys::Key)) and its sums.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::keys::KeyRef;
use super::sums::Sums;
use crate::entities::billing_line_item;
use crate::{StoreError, stored};

/// The columns of a line item the rollups read.
#[derive(Debug, Clone, Copy)]
pub struct LineView<'a> {
    /// The line's tree.
    pub tenant_id: i64,
    /// `rated`: only rated lines count.
    pub rated: bool,
    /// The UTC day of `ChargePeriodStart`.
    pub day: NaiveDate,
    /// `YYYY-MM`.
    pub month: &'a str,
    /// The rated reseller.
    pub reseller_id: Option<i64>,
    /// The rated customer.
    pub customer_id: Option<i64>,
    /// The rated product.
    pub product_id: Option<i64>,
    /// `ProviderName`.
    pub provider: &'a str,
    /// `ServiceName`.
    pub service: &'a str,
    /// `x_Marketplace`.
    pub marketplace: bool,
    /// `ChargeCategory`.
    pub category: &'a str,
    /// Billed USD, as stored.
    pub billed_usd: Option<&'a str>,
    /// Effective USD, as stored.
    pub effective_usd: Option<&'a str>,
    /// Units, as stored.
    pub quantity: Option<&'a str>,
    /// `ConsumedQuantity`, as stored.
    pub consumed: Option<&'a str>,
}

/// A line the rollups can read: a whole line item, or a stored one read with only the columns
/// they need (an import reads those of the lines it replaces, not their whole rows).
pub trait RolledUp {
    /// The columns the rollups read.
    fn view(&self) -> LineView<'_>;
}

/// [`RolledUp`] for a struct with a line item's columns, by their names.
macro_rules! rolled_up_by_columns {
    ($line:ty) => {
        impl $crate::rollups::lines::RolledUp for $line {
            fn view(&self) -> $crate::rollups::lines::LineView<'_> {
                $crate::rollups::lines::LineView {
                    tenant_id: self.tenant_id,
                    rated: self.rated,
                    day: self.day,
                    month: &self.month,
                    reseller_id: self.reseller_id,
                    customer_id: self.customer_id,
                    product_id: self.product_id,
                    provider: &self.provider,
                    service: &self.service,
                    marketplace: self.marketplace,
                    category: &self.charge_category,
                    billed_usd: self.billed_usd.as_deref(),
                    effective_usd: self.effective_usd.as_deref(),
                    quantity: self.quantity.as_deref(),
                    consumed: self.consumed_quantity.as_deref(),
                }
            }
        }
    };
}
pub(crate) use rolled_up_by_columns;

rolled_up_by_columns!(billing_line_item::Model);

/// A rated line's key: none for an unrated line, or one without a customer.
pub fn key_of_line(line: &impl RolledUp) -> Option<KeyRef<'_>> {
    let line = line.view();
    if !line.rated {
        return None;
    }
    Some(KeyRef {
        month: line.month,
        reseller_id: line.reseller_id?,
        customer_id: line.customer_id?,
        product_id: line.product_id.unwrap_or(0),
        provider: line.provider,
        service: line.service,
        marketplace: line.marketplace,
        category: line.category,
    })
}

/// A rated line's key and sums; none for an unrated line.
pub fn contribution(line: &impl RolledUp) -> Result<Option<(KeyRef<'_>, Sums)>, StoreError> {
    let Some(key) = key_of_line(line) else { return Ok(None) };
    let view = line.view();
    let decimal = |v: Option<&str>, column: &str| -> Result<Decimal, StoreError> {
        v.map(|v| stored::parse(v, column)).transpose().map(|d| d.unwrap_or_default())
    };
    let sums = Sums {
        billed_usd: decimal(view.billed_usd, "billing_line_items.billed_usd")?,
        effective_usd: decimal(view.effective_usd, "billing_line_items.effective_usd")?,
        units: decimal(view.quantity, "billing_line_items.quantity")?,
        consumed: decimal(view.consumed, "billing_line_items.consumed_quantity")?,
        lines: 1,
    };
    Ok(Some((key, sums)))
}
