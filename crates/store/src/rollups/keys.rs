//! A rated line's rollup key: every column the rollups sum by. It is the monthly grain's key
//! ([`super::monthly`]); every other grain's key is cut from it, with the line's tree and day.

/// The reseller under which the reseller × product and segment × month rollups keep, beside each
/// reseller's rows, their sum over every reseller of the tree (the distributor's own direct
/// customers left out): a distributor's Insights then read a few rows a month whatever the number
/// of resellers. No organisation has id 0; readers of a reseller's rows never meet these.
pub const TREE_TOTAL: i64 = 0;

/// The grain of the monthly rollup, and a line's key in every rollup.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// `YYYY-MM`.
    pub month: String,
    /// The line's reseller.
    pub reseller_id: i64,
    /// The line's customer.
    pub customer_id: i64,
    /// 0 when the line has no product.
    pub product_id: i64,
    /// `ProviderName`.
    pub provider: String,
    /// `ServiceName`.
    pub service: String,
    /// `x_Marketplace`.
    pub marketplace: bool,
    /// `ChargeCategory`.
    pub category: String,
}

/// A [`Key`] borrowed from a line or a stored row, so that adding it to
/// [`Deltas`](super::deltas::Deltas) copies no text.
#[derive(Debug, Clone, Copy)]
pub struct KeyRef<'a> {
    /// `YYYY-MM`.
    pub month: &'a str,
    /// The line's reseller.
    pub reseller_id: i64,
    /// The line's customer.
    pub customer_id: i64,
    /// 0 when the line has no product.
    pub product_id: i64,
    /// `ProviderName`.
    pub provider: &'a str,
    /// `ServiceName`.
    pub service: &'a str,
    /// `x_Marketplace`.
    pub marketplace: bool,
    /// `ChargeCategory`.
    pub category: &'a str,
}

impl KeyRef<'_> {
    /// The key, owned.
    pub fn to_key(self) -> Key {
        Key {
            month: self.month.to_owned(),
            reseller_id: self.reseller_id,
            customer_id: self.customer_id,
            product_id: self.product_id,
            provider: self.provider.to_owned(),
            service: self.service.to_owned(),
            marketplace: self.marketplace,
            category: self.category.to_owned(),
        }
    }
}

impl Key {
    /// The key, borrowed.
    pub fn as_ref(&self) -> KeyRef<'_> {
        KeyRef {
            month: &self.month,
            reseller_id: self.reseller_id,
            customer_id: self.customer_id,
            product_id: self.product_id,
            provider: &self.provider,
            service: &self.service,
            marketplace: self.marketplace,
            category: &self.category,
        }
    }
}
