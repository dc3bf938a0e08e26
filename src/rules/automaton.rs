//! The literal automaton: one Aho-Corasick DFA over every folded literal of
//! every rule, and the overlapping search the scanner runs with it.
//!
//! Without a prefilter (a ruleset of hundreds of keywords starts with
//! every letter, so aho-corasick builds none), a DFA search is one
//! table lookup per byte, and each lookup needs the state the previous one
//! returned: the search waits on memory latency, not on arithmetic. So the
//! search runs several independent walks at once, "lanes" over successive
//! quarters of the text, which the CPU overlaps. Each lane starts
//! `longest literal − 1` bytes before its quarter, from the start state,
//! and keeps only the matches that end inside its quarter: a match ending
//! there starts no earlier than that, so every lane finds exactly the
//! matches a single walk finds, and reporting lane by lane keeps the single
//! walk's order (by end offset). Profiled on the benchmark corpus (169 MB,
//! 1,425 keywords, one thread): aho-corasick's overlapping iterator 550 ms,
//! four lanes 316 ms.
//!
//! Text is searched in blocks of [`BLOCK`] bytes so that the matches held
//! before they are reported stay bounded on a 1 GB file.

use aho_corasick::automaton::{Automaton as _, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, Input, MatchKind, PatternID};

/// Bytes searched per block.
const BLOCK: usize = 64 * 1024;

/// A quarter shorter than this many restarts (`longest literal − 1`
/// bytes each) is searched by one walk: the restarts would cost more than
/// the overlap saves.
const MIN_LANE_RESTARTS: usize = 8;

/// The compiled literals of a ruleset.
#[derive(Debug, Clone)]
pub(crate) struct Automaton {
    dfa: DFA,
    /// `longest literal − 1`: how far before its quarter a lane starts.
    overlap: usize,
    /// Lanes are usable: no prefilter (which the single walk would use to
    /// skip text), no empty literal (a match at the start state), and no
    /// literal so long that a block's quarters would be too short for
    /// lanes (then every block would restart its one walk that far back).
    lanes: bool,
}

impl Automaton {
    /// Builds the automaton of `literals`; a literal's index is its pattern
    /// id.
    pub(crate) fn new(literals: &[String]) -> Result<Automaton, aho_corasick::BuildError> {
        let dfa = DFA::builder()
            .match_kind(MatchKind::Standard)
            .build(literals)?;
        let overlap = dfa.max_pattern_len().saturating_sub(1);
        let lanes = dfa.prefilter().is_none()
            && dfa
                .start_state(Anchored::No)
                .is_ok_and(|start| !dfa.is_match(start))
            && 4 * MIN_LANE_RESTARTS * overlap <= BLOCK;
        Ok(Automaton {
            overlap,
            dfa,
            lanes,
        })
    }

    /// Calls `found(pattern, start, end)` for every match of every literal
    /// in `haystack`, overlapping ones included, in the order of
    /// aho-corasick's overlapping iterator: by end offset, then by pattern
    /// order within the automaton state.
    pub(crate) fn for_each_overlapping(
        &self,
        haystack: &[u8],
        found: impl FnMut(usize, usize, usize),
    ) {
        if self.lanes {
            self.in_lanes(haystack, BLOCK, found);
        } else {
            self.single_walk(haystack, found);
        }
    }

    /// aho-corasick's own overlapping search (which uses its prefilter).
    fn single_walk(&self, haystack: &[u8], mut found: impl FnMut(usize, usize, usize)) {
        // An unanchored overlapping search of a Standard automaton cannot
        // fail: the only errors are for anchored or leftmost searches.
        if let Ok(matches) = self.dfa.try_find_overlapping_iter(Input::new(haystack)) {
            for m in matches {
                found(m.pattern().as_usize(), m.start(), m.end());
            }
        }
    }

    /// The search in lanes, block by block.
    fn in_lanes(&self, haystack: &[u8], block: usize, mut found: impl FnMut(usize, usize, usize)) {
        let Ok(start) = self.dfa.start_state(Anchored::No) else {
            return self.single_walk(haystack, found);
        };
        let mut buffers: [Vec<(PatternID, usize)>; 4] = Default::default();
        let mut at = 0;
        while at < haystack.len() {
            let end = haystack.len().min(at + block);
            let quarter = (end - at) / 4;
            if quarter < MIN_LANE_RESTARTS * self.overlap.max(1) {
                self.walk(haystack, start, at, end, &mut buffers[0]);
            } else {
                let bounds = [at, at + quarter, at + 2 * quarter, at + 3 * quarter, end];
                self.four_lanes(haystack, start, bounds, &mut buffers);
            }
            for buffer in &mut buffers {
                for &(pattern, end) in buffer.iter() {
                    found(pattern.as_usize(), end - self.dfa.pattern_len(pattern), end);
                }
                buffer.clear();
            }
            at = end;
        }
    }

    /// Where a lane over `from..to` starts its walk: `overlap` bytes early,
    /// except at the start of the text.
    fn lane_start(&self, from: usize) -> usize {
        from.saturating_sub(self.overlap)
    }

    /// One walk over `from..to`, keeping the matches that end after `from`.
    fn walk(
        &self,
        haystack: &[u8],
        start: StateID,
        from: usize,
        to: usize,
        out: &mut Vec<(PatternID, usize)>,
    ) {
        let mut sid = start;
        self.walk_on(&mut sid, haystack, self.lane_start(from)..to, from, out);
    }

    /// Moves `sid` over `haystack[range]`, keeping the matches that end
    /// after `keep_after`.
    fn walk_on(
        &self,
        sid: &mut StateID,
        haystack: &[u8],
        range: std::ops::Range<usize>,
        keep_after: usize,
        out: &mut Vec<(PatternID, usize)>,
    ) {
        for (i, &byte) in haystack[range.clone()].iter().enumerate() {
            self.step(sid, byte, range.start + i + 1, keep_after, out);
        }
    }

    /// Four walks at once over the quarters `bounds[k]..bounds[k + 1]`,
    /// interleaved byte by byte, then each walk's remainder.
    fn four_lanes(
        &self,
        haystack: &[u8],
        start: StateID,
        bounds: [usize; 5],
        out: &mut [Vec<(PatternID, usize)>; 4],
    ) {
        let from: [usize; 4] = std::array::from_fn(|k| self.lane_start(bounds[k]));
        let common = (0..4).map(|k| bounds[k + 1] - from[k]).min().unwrap_or(0);
        let [o0, o1, o2, o3] = out;
        let (l0, l1, l2, l3) = (
            &haystack[from[0]..from[0] + common],
            &haystack[from[1]..from[1] + common],
            &haystack[from[2]..from[2] + common],
            &haystack[from[3]..from[3] + common],
        );
        let mut sid = [start; 4];
        for i in 0..common {
            self.step(&mut sid[0], l0[i], from[0] + i + 1, bounds[0], o0);
            self.step(&mut sid[1], l1[i], from[1] + i + 1, bounds[1], o1);
            self.step(&mut sid[2], l2[i], from[2] + i + 1, bounds[2], o2);
            self.step(&mut sid[3], l3[i], from[3] + i + 1, bounds[3], o3);
        }
        for (k, lane_out) in [o0, o1, o2, o3].into_iter().enumerate() {
            let rest = from[k] + common..bounds[k + 1];
            self.walk_on(&mut sid[k], haystack, rest, bounds[k], lane_out);
        }
    }

    /// Moves `sid` over `byte`, which ends at offset `end`, and records the
    /// matches of the new state if they end after `keep_after`.
    #[inline(always)]
    fn step(
        &self,
        sid: &mut StateID,
        byte: u8,
        end: usize,
        keep_after: usize,
        out: &mut Vec<(PatternID, usize)>,
    ) {
        *sid = self.dfa.next_state(Anchored::No, *sid, byte);
        // Special states are the match states, the dead state (which an
        // unanchored Standard search never enters) and, with a prefilter,
        // the start state: one comparison on every byte, the rest rarely.
        if self.dfa.is_special(*sid) && self.dfa.is_match(*sid) && end > keep_after {
            for index in 0..self.dfa.match_len(*sid) {
                out.push((self.dfa.match_pattern(*sid, index), end));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// aho-corasick's overlapping iterator, the reference.
    fn reference(literals: &[String], haystack: &[u8]) -> Vec<(usize, usize, usize)> {
        aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(literals)
            .unwrap()
            .find_overlapping_iter(haystack)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect()
    }

    fn in_lanes(
        automaton: &Automaton,
        haystack: &[u8],
        block: usize,
    ) -> Vec<(usize, usize, usize)> {
        let mut got = Vec::new();
        automaton.in_lanes(haystack, block, |p, s, e| got.push((p, s, e)));
        got
    }

    proptest! {
        /// Lanes and blocks of any size find what one walk finds, in the
        /// same order: literals over a small alphabet so that they overlap
        /// and nest, texts long enough for several blocks of four lanes.
        #[test]
        fn lanes_find_what_one_walk_finds(
            literals in prop::collection::vec("[ab ]{1,6}", 1..12),
            haystack in "[abc ]{0,3000}",
            block in 1usize..700,
        ) {
            let automaton = Automaton::new(&literals).unwrap();
            let expected = reference(&literals, haystack.as_bytes());
            prop_assert_eq!(in_lanes(&automaton, haystack.as_bytes(), block), expected);
        }
    }

    /// The default ruleset's literals over the fixtures, end to end and
    /// repeated: four lanes per block (the quarters are far longer than the
    /// restarts), several blocks.
    #[test]
    fn lanes_match_the_iterator_on_the_default_literals() {
        let rules = crate::rules::load(&[crate::rules::RuleSource::Default]).unwrap();
        let literals = rules.literals().to_vec();
        let automaton = Automaton::new(&literals).unwrap();
        assert!(automaton.lanes, "the default ruleset gets no prefilter");
        let mut fixtures = String::new();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for path in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "txt"))
        {
            fixtures.push_str(&std::fs::read_to_string(path).unwrap());
        }
        let text = crate::text::FoldedText::new(&fixtures.repeat(3 * BLOCK / fixtures.len() + 1))
            .into_string();
        assert!(text.len() > 3 * BLOCK, "the text spans several blocks");
        let mut got = Vec::new();
        automaton.for_each_overlapping(text.as_bytes(), |p, s, e| got.push((p, s, e)));
        assert!(got.len() > 1000, "{} matches", got.len());
        assert_eq!(got, reference(&literals, text.as_bytes()));
    }

    /// A ruleset with a literal too long for lanes keeps the single walk.
    #[test]
    fn a_very_long_literal_keeps_the_single_walk() {
        // Every pair of letters: too many literals for a prefilter.
        let mut literals: Vec<String> = ('a'..='z')
            .flat_map(|a| ('a'..='z').map(move |b| format!("{a}{b}")))
            .collect();
        literals.push("ab".repeat(BLOCK / 32));
        let automaton = Automaton::new(&literals).unwrap();
        assert!(!automaton.lanes);
        literals.pop();
        assert!(Automaton::new(&literals).unwrap().lanes);
    }

    /// A few distinctive literals get a prefilter, and the single walk
    /// that uses it.
    #[test]
    fn a_prefilter_keeps_the_single_walk() {
        let literals = vec!["zyzzyva".to_string()];
        let automaton = Automaton::new(&literals).unwrap();
        assert!(!automaton.lanes);
        let mut got = Vec::new();
        automaton.for_each_overlapping(b"a zyzzyva, two zyzzyvas", |p, s, e| got.push((p, s, e)));
        assert_eq!(got, vec![(0, 2, 9), (0, 15, 22)]);
    }
}
