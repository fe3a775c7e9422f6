//! Revenue, cost and a line count, summed: what Home's reports add up per group of rollup rows
//! and per customer account (`rollup_totals`, `account_parts`).

use domain::api::RevenueFigures;
use rust_decimal::Decimal;

use crate::StoreError;
use crate::dashboards::{add, figures};

/// Revenue, cost and lines of a group, a customer or a sum of them.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Part {
    pub(super) revenue: Decimal,
    pub(super) cost: Decimal,
    pub(super) lines: i64,
}

impl Part {
    /// Adds revenue, cost and lines.
    pub(super) fn add(&mut self, revenue: Decimal, cost: Decimal, lines: i64) -> Result<(), StoreError> {
        add(&mut self.revenue, revenue)?;
        add(&mut self.cost, cost)?;
        self.lines += lines;
        Ok(())
    }

    /// Adds another part.
    pub(super) fn add_part(&mut self, other: &Part) -> Result<(), StoreError> {
        self.add(other.revenue, other.cost, other.lines)
    }

    /// Revenue, cost and margin as reported.
    pub(super) fn reported(&self) -> Result<RevenueFigures, StoreError> {
        figures(self.revenue, self.cost)
    }
}
