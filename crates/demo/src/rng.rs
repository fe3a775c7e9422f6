//! The demo's random numbers: small generators written out here, so that the same seed gives
//! the same sequence on every platform and with every version of every dependency.
//!
//! Each step that draws keeps its own generator and seed (see the steps' `*_SEED` constants):
//! a step's data then does not change when another step draws more or fewer numbers. Changing
//! the order of the draws within a step changes the demo data.

/// SplitMix64: tiny, fast, and the same sequence everywhere. Draws the organisation tree and the
/// subscriptions.
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub(crate) fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi].
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }

    /// Uniform in the inclusive range `(lo, hi)`.
    pub(crate) fn within(&mut self, (lo, hi): (i64, i64)) -> i64 {
        self.range(lo, hi)
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One of `items`, uniformly.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() as usize % items.len()]
    }

    /// One of `items`, by weight.
    pub(crate) fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut roll = (self.next() % total as u64) as u32;
        for (item, weight) in items {
            if roll < *weight {
                return *item;
            }
            roll -= weight;
        }
        items[0].0
    }
}

/// Xorshift64: the noise in billing amounts.
pub(crate) struct Xorshift64(u64);

impl Xorshift64 {
    /// A generator starting from `seed` (not zero: zero stays zero).
    pub(crate) fn new(seed: u64) -> Xorshift64 {
        Xorshift64(seed)
    }

    /// The next number.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A linear congruential generator (Knuth's MMIX constants): the portal's quantities and
/// activity.
pub(crate) struct Lcg(u64);

impl Lcg {
    /// A generator starting from `seed`.
    pub(crate) fn new(seed: u64) -> Lcg {
        Lcg(seed)
    }

    /// Uniform in [0, n) (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}
