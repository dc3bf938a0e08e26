//! Helpers for unit tests.

/// A small deterministic random generator (xorshift64) for property
/// tests: no dependency, and a failure repeats on every run.
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator started from `seed` (not zero).
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// A number in `0..n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}
