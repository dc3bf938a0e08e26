//! Sorted lookups that start where the previous one ended.
//!
//! A document maps every hit between its folded and source offsets and
//! finds every hit's sentence. Hits arrive nearly in document order, so a
//! binary search over the whole map each time is wasted work, and on a
//! very large document (a 1 GB file has millions of sentences) each step of
//! it misses the cache. [`Hint`] remembers the last answer and gallops from
//! it: a lookup near the previous one costs a few comparisons in memory
//! that is already cached, and one far away costs twice a binary search.

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The last answer of a [`Hint::partition_point`] lookup. Only a speed-up:
/// every answer is exactly `slice.partition_point(pred)`, whatever the
/// hint holds, so threads sharing one may race on it harmlessly.
#[derive(Debug, Default)]
pub(crate) struct Hint(AtomicUsize);

impl Clone for Hint {
    fn clone(&self) -> Hint {
        Hint(AtomicUsize::new(self.0.load(Relaxed)))
    }
}

impl Hint {
    /// `slice.partition_point(pred)`, searched from the previous answer.
    pub(crate) fn partition_point<T>(&self, slice: &[T], pred: impl Fn(&T) -> bool) -> usize {
        let i = partition_point_from(slice, self.0.load(Relaxed), pred);
        self.0.store(i, Relaxed);
        i
    }
}

/// `slice.partition_point(pred)` (`pred` true for a prefix of `slice`),
/// found by galloping from `hint`: probes at distances 1, 2, 4, … towards
/// the answer, then a binary search within the last step.
fn partition_point_from<T>(slice: &[T], hint: usize, pred: impl Fn(&T) -> bool) -> usize {
    let hint = hint.min(slice.len());
    if hint > 0 && !pred(&slice[hint - 1]) {
        // The answer lies before the hint: `pred` fails at `hi`.
        let mut hi = hint - 1;
        let mut step = 1;
        while hi > 0 {
            let probe = hi.saturating_sub(step);
            if pred(&slice[probe]) {
                return probe + 1 + slice[probe + 1..hi].partition_point(pred);
            }
            hi = probe;
            step *= 2;
        }
        return 0;
    }
    // `pred` holds for everything before `lo`.
    let mut lo = hint;
    let mut step = 1;
    while lo < slice.len() {
        let probe = (lo + step - 1).min(slice.len() - 1);
        if !pred(&slice[probe]) {
            return lo + slice[lo..probe].partition_point(pred);
        }
        lo = probe + 1;
        step *= 2;
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::Rng;

    #[test]
    fn agrees_with_partition_point_from_every_hint() {
        let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
        for len in 0..40 {
            // Sorted, with runs of equal values.
            let mut values: Vec<usize> = (0..len).map(|_| rng.below(30)).collect();
            values.sort_unstable();
            for x in 0..32 {
                let want = values.partition_point(|&v| v <= x);
                for hint in 0..=len + 2 {
                    let got = partition_point_from(&values, hint, |&v| v <= x);
                    assert_eq!(got, want, "values {values:?}, x {x}, hint {hint}");
                }
            }
        }
    }

    #[test]
    fn a_shared_hint_gives_exact_answers_in_any_order() {
        let mut rng = Rng::new(42);
        // Increasing, with uneven gaps.
        let values: Vec<usize> = (0..5_000).map(|i| i * 8 + i % 7).collect();
        let hint = Hint::default();
        for step in 0..20_000 {
            // Mostly increasing queries, as hits arrive, with jumps back.
            let x = if step % 9 == 0 {
                rng.below(42_000)
            } else {
                step * 2 + rng.below(40)
            };
            let want = values.partition_point(|&v| v <= x);
            assert_eq!(hint.partition_point(&values, |&v| v <= x), want, "x {x}");
        }
    }
}
