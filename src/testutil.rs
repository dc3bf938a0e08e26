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

/// The words of a text as read, without the word joiners that pad
/// markup, one space between words.
pub(crate) fn visible(s: &str) -> String {
    s.replace(crate::text::html::PAD, "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Asserts that two texts have the same shape: as many lines, each of as
/// many characters.
#[track_caller]
pub(crate) fn same_shape(a: &str, b: &str) {
    assert_eq!(a.lines().count(), b.lines().count(), "{a:?}\n{b:?}");
    for (x, y) in a.lines().zip(b.lines()) {
        assert_eq!(x.chars().count(), y.chars().count(), "{x:?} / {y:?}");
    }
}

/// The headings of extracted text as `(offset, level, label)`.
pub(crate) fn headings_of(out: &crate::text::Extracted) -> Vec<(usize, usize, &str)> {
    out.headings
        .iter()
        .map(|h| (h.offset, h.level, h.label.as_str()))
        .collect()
}
