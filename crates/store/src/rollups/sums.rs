//! What a rollup row holds at its key: exact decimal sums and a line count, added in Rust (and
//! on PostgreSQL by the database's exact `numeric` as a change is written: `added_in_sql`), never
//! as floating point.

use rust_decimal::Decimal;

use crate::StoreError;

/// Sums at one key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sums {
    /// Billed USD.
    pub billed_usd: Decimal,
    /// Effective USD.
    pub effective_usd: Decimal,
    /// Units (`PricingQuantity`, else `ConsumedQuantity`, else 0).
    pub units: Decimal,
    /// `ConsumedQuantity` (empty: 0); only the monthly grain keeps it (usage reads it there),
    /// every other grain takes its sums [`Sums::without_consumed`].
    pub consumed: Decimal,
    /// Lines.
    pub lines: i64,
}

impl Sums {
    /// Adds (`sign` 1) or takes away (`sign` -1) other sums; an overflow is refused, not a panic.
    pub(crate) fn add(&mut self, other: &Sums, sign: i64) -> Result<(), StoreError> {
        let s = Decimal::from(sign);
        // Adding and taking away are the cases that occur, without a multiplication each.
        let sum = |a: Decimal, b: Decimal| {
            match sign {
                1 => a.checked_add(b),
                -1 => a.checked_sub(b),
                _ => b.checked_mul(s).and_then(|b| a.checked_add(b)),
            }
            .ok_or_else(|| StoreError::invalid("BilledCost", "the totals are too large to hold exactly"))
        };
        self.billed_usd = sum(self.billed_usd, other.billed_usd)?;
        self.effective_usd = sum(self.effective_usd, other.effective_usd)?;
        self.units = sum(self.units, other.units)?;
        self.consumed = sum(self.consumed, other.consumed)?;
        self.lines += other.lines * sign;
        Ok(())
    }

    /// The sums with the consumed quantity left at zero, for a grain that does not store it.
    pub(crate) fn without_consumed(&self) -> Sums {
        Sums { consumed: Decimal::ZERO, ..self.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taking_away_what_was_added_leaves_zero() {
        let mut sums = Sums::default();
        let line = Sums {
            billed_usd: Decimal::new(1234, 2),
            effective_usd: Decimal::ONE,
            units: Decimal::TWO,
            consumed: Decimal::ONE,
            lines: 1,
        };
        sums.add(&line, 1).unwrap();
        sums.add(&line, 1).unwrap();
        sums.add(&line, -1).unwrap();
        assert_eq!(sums, line);
        sums.add(&line, -1).unwrap();
        assert_eq!(sums, Sums::default());
        let max = Sums { billed_usd: Decimal::MAX, ..Sums::default() };
        assert!(sums.add(&max, 1).is_ok() && sums.add(&max, 1).is_err(), "an overflow is refused");
    }
}
