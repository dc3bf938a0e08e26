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
//!
//! The DFA the lanes walk is built here ([`Table`]), in the textbook way;
//! aho-corasick's own DFA builder took 7–9 ms of every run's start-up with
//! the default rules and 50 ms with 10,000 keywords. aho-corasick still
//! decides whether a prefilter applies, and searches those literal sets
//! itself.

use aho_corasick::automaton::Automaton as _;
use aho_corasick::dfa::DFA;
use aho_corasick::nfa::noncontiguous::NFA;
use aho_corasick::{Input, MatchKind};

/// Bytes searched per block.
const BLOCK: usize = 64 * 1024;

/// A quarter shorter than this many restarts (`longest literal − 1`
/// bytes each) is searched by one walk: the restarts would cost more than
/// the overlap saves.
const MIN_LANE_RESTARTS: usize = 8;

/// The compiled literals of a ruleset.
#[derive(Debug, Clone)]
pub(crate) struct Automaton {
    search: Search,
}

#[derive(Debug, Clone)]
enum Search {
    /// aho-corasick's own overlapping search, for literal sets it gives a
    /// prefilter (which skips text), with an empty literal (a match at the
    /// start state), or with a literal so long that a block's quarters
    /// would be too short for lanes.
    Single(Box<DFA>),
    /// Our own table, walked in lanes.
    Lanes(Box<Table>),
}

impl Automaton {
    /// Builds the automaton of `literals`; a literal's index is its pattern
    /// id.
    pub(crate) fn new(literals: &[String]) -> Result<Automaton, aho_corasick::BuildError> {
        // aho-corasick's NFA is cheap to build (1.2 ms for the default
        // rules) and says whether a prefilter applies; its DFA is not
        // (7–9 ms, 50 ms for 10,000 keywords), and is built only when
        // its own search will run.
        let nfa = NFA::builder()
            .match_kind(MatchKind::Standard)
            .build(literals)?;
        let overlap = nfa.max_pattern_len().saturating_sub(1);
        let lanes = nfa.prefilter().is_none()
            && literals.iter().all(|l| !l.is_empty())
            && 4 * MIN_LANE_RESTARTS * overlap <= BLOCK;
        let search = match lanes.then(|| Table::new(literals)).flatten() {
            Some(table) => Search::Lanes(Box::new(table)),
            None => Search::Single(Box::new(DFA::builder().build_from_noncontiguous(&nfa)?)),
        };
        Ok(Automaton { search })
    }

    /// Calls `found(pattern, start, end)` for every match of every literal
    /// in `haystack`, overlapping ones included, in the order of
    /// aho-corasick's overlapping iterator: by end offset, then by pattern
    /// order within the automaton state.
    pub(crate) fn for_each_overlapping(
        &self,
        haystack: &[u8],
        mut found: impl FnMut(usize, usize, usize),
    ) {
        match &self.search {
            Search::Lanes(table) => table.in_lanes(haystack, BLOCK, found),
            Search::Single(dfa) => {
                // An unanchored overlapping search of a Standard automaton
                // cannot fail: the only errors are for anchored or
                // leftmost searches.
                if let Ok(matches) = dfa.try_find_overlapping_iter(Input::new(haystack)) {
                    for m in matches {
                        found(m.pattern().as_usize(), m.start(), m.end());
                    }
                }
            }
        }
    }
}

/// "No transition yet" while the trie is built.
const NONE: u32 = u32::MAX;

/// A trie with each state's children in a list: `first` child, `next`
/// sibling, and the column of the byte that leads to each state.
#[derive(Default)]
struct Trie {
    first: Vec<u32>,
    next: Vec<u32>,
    label: Vec<u8>,
}

impl Trie {
    fn push_state(&mut self, label: u8) -> u32 {
        self.first.push(NONE);
        self.next.push(NONE);
        self.label.push(label);
        (self.label.len() - 1) as u32
    }

    fn child(&self, state: u32, label: u8) -> Option<u32> {
        let mut child = self.first[state as usize];
        while child != NONE {
            if self.label[child as usize] == label {
                return Some(child);
            }
            child = self.next[child as usize];
        }
        None
    }

    fn add_child(&mut self, state: u32, label: u8) -> u32 {
        let child = self.push_state(label);
        self.next[child as usize] = self.first[state as usize];
        self.first[state as usize] = child;
        child
    }
}

/// A dense Aho-Corasick DFA of the literals, built here rather than by
/// aho-corasick: its builder fills each missing transition by following
/// failure links through a sparse NFA, most of a run's start-up for large
/// rulesets (46% of a one-line run with 10,000 keywords); in
/// breadth-first order each state's missing transitions are copies of its
/// failure state's finished row instead.
///
/// States are numbered match states first, so one comparison per byte
/// tells whether the new state reports matches; ids are premultiplied by
/// the row length, so a step is one load. A state's matches are its own
/// literal's, then its failure state's: aho-corasick's order.
#[derive(Debug, Clone)]
struct Table {
    /// The byte → column map: 0 for bytes no literal has, then one column
    /// per byte a literal has, in byte order (each byte its own column
    /// when literals have all 256).
    classes: [u8; 256],
    /// Each state's row, `1 << stride2` entries long.
    trans: Vec<u32>,
    stride2: u32,
    start: u32,
    /// States below this id report matches.
    match_limit: u32,
    /// Match state `i`'s literals are `matches[match_starts[i]..match_starts[i + 1]]`.
    match_starts: Vec<u32>,
    matches: Vec<u32>,
    /// Each literal's length in bytes.
    lens: Vec<usize>,
    /// `longest literal − 1`: how far before its quarter a lane starts.
    overlap: usize,
}

impl Table {
    /// The table of `literals`, none of them empty; `None` if its
    /// premultiplied state ids would not fit in 32 bits.
    fn new(literals: &[String]) -> Option<Table> {
        let mut used = [false; 256];
        for byte in literals.iter().flat_map(|l| l.bytes()) {
            used[usize::from(byte)] = true;
        }
        let all = used.iter().all(|&u| u);
        let mut classes = [0u8; 256];
        let mut columns = usize::from(!all);
        for (byte, class) in classes.iter_mut().enumerate() {
            if used[byte] {
                *class = columns as u8;
                columns += 1;
            }
        }
        let stride2 = columns.next_power_of_two().trailing_zeros();
        let stride = 1usize << stride2;
        let class = |byte: u8| classes[usize::from(byte)];

        // The trie, sparse: each state's children as a sibling list.
        // State 0 is the root.
        let mut trie = Trie::default();
        trie.push_state(0);
        let mut own: Vec<(u32, u32)> = Vec::with_capacity(literals.len());
        for (pattern, literal) in literals.iter().enumerate() {
            let mut state = 0;
            for byte in literal.bytes() {
                state = match trie.child(state, class(byte)) {
                    Some(child) => child,
                    None => trie.add_child(state, class(byte)),
                };
            }
            own.push((state, pattern as u32));
        }
        let states = trie.label.len();
        if states
            .checked_mul(stride)
            .is_none_or(|len| len >= NONE as usize)
        {
            return None;
        }
        // Each state's own literals, in pattern order (one, unless a literal
        // is given twice).
        own.sort_unstable();
        let mut matches_of: Vec<Vec<u32>> = vec![Vec::new(); states];
        for &(state, pattern) in &own {
            matches_of[state as usize].push(pattern);
        }

        // Breadth first: failure links and match lists (a state's own
        // literals, then its failure state's, which is shallower and so
        // already complete).
        let mut fail = vec![0u32; states];
        let mut bfs: Vec<u32> = Vec::with_capacity(states);
        bfs.push(0);
        let mut at = 0;
        while let Some(&u) = bfs.get(at) {
            at += 1;
            let mut child = trie.first[u as usize];
            while child != NONE {
                let c = trie.label[child as usize];
                let mut f = fail[u as usize];
                let target = loop {
                    if u == 0 {
                        break 0;
                    }
                    match trie.child(f, c) {
                        Some(t) => break t,
                        None if f == 0 => break 0,
                        None => f = fail[f as usize],
                    }
                };
                fail[child as usize] = target;
                let inherited = matches_of[target as usize].clone();
                matches_of[child as usize].extend(inherited);
                bfs.push(child);
                child = trie.next[child as usize];
            }
        }

        // Numbered match states first, each premultiplied by the row length.
        let mut new_id = vec![0u32; states];
        let mut match_starts = vec![0u32];
        let mut matches = Vec::new();
        let mut id = 0;
        for with_matches in [true, false] {
            for &s in &bfs {
                if matches_of[s as usize].is_empty() != with_matches {
                    new_id[s as usize] = (id << stride2) as u32;
                    id += 1;
                    if with_matches {
                        matches.extend_from_slice(&matches_of[s as usize]);
                        match_starts.push(matches.len() as u32);
                    }
                }
            }
        }

        // Dense rows in breadth-first order: a state's row is its failure
        // state's (finished, being shallower) with its own children over it.
        let mut trans = vec![0u32; states * stride];
        let root = new_id[0] as usize;
        trans[root..root + stride].fill(new_id[0]);
        for &s in &bfs {
            let row = new_id[s as usize] as usize;
            if s != 0 {
                let from = new_id[fail[s as usize] as usize] as usize;
                trans.copy_within(from..from + stride, row);
            }
            let mut child = trie.first[s as usize];
            while child != NONE {
                trans[row + usize::from(trie.label[child as usize])] = new_id[child as usize];
                child = trie.next[child as usize];
            }
        }
        Some(Table {
            classes,
            trans,
            stride2,
            start: new_id[0],
            match_limit: ((match_starts.len() - 1) << stride2) as u32,
            match_starts,
            matches,
            lens: literals.iter().map(String::len).collect(),
            overlap: literals
                .iter()
                .map(String::len)
                .max()
                .unwrap_or(0)
                .saturating_sub(1),
        })
    }

    /// The search in lanes, block by block.
    fn in_lanes(&self, haystack: &[u8], block: usize, mut found: impl FnMut(usize, usize, usize)) {
        let mut buffers: [Vec<(u32, usize)>; 4] = Default::default();
        let mut at = 0;
        while at < haystack.len() {
            let end = haystack.len().min(at + block);
            let quarter = (end - at) / 4;
            if quarter < MIN_LANE_RESTARTS * self.overlap.max(1) {
                self.walk(haystack, at, end, &mut buffers[0]);
            } else {
                let bounds = [at, at + quarter, at + 2 * quarter, at + 3 * quarter, end];
                self.four_lanes(haystack, bounds, &mut buffers);
            }
            for buffer in &mut buffers {
                for &(pattern, end) in buffer.iter() {
                    found(pattern as usize, end - self.lens[pattern as usize], end);
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
    fn walk(&self, haystack: &[u8], from: usize, to: usize, out: &mut Vec<(u32, usize)>) {
        let mut sid = self.start;
        self.walk_on(&mut sid, haystack, self.lane_start(from)..to, from, out);
    }

    /// Moves `sid` over `haystack[range]`, keeping the matches that end
    /// after `keep_after`.
    fn walk_on(
        &self,
        sid: &mut u32,
        haystack: &[u8],
        range: std::ops::Range<usize>,
        keep_after: usize,
        out: &mut Vec<(u32, usize)>,
    ) {
        for (i, &byte) in haystack[range.clone()].iter().enumerate() {
            self.step(sid, byte, range.start + i + 1, keep_after, out);
        }
    }

    /// Four walks at once over the quarters `bounds[k]..bounds[k + 1]`,
    /// interleaved byte by byte, then each walk's remainder.
    fn four_lanes(&self, haystack: &[u8], bounds: [usize; 5], out: &mut [Vec<(u32, usize)>; 4]) {
        let from: [usize; 4] = std::array::from_fn(|k| self.lane_start(bounds[k]));
        let common = (0..4).map(|k| bounds[k + 1] - from[k]).min().unwrap_or(0);
        let [o0, o1, o2, o3] = out;
        let (l0, l1, l2, l3) = (
            &haystack[from[0]..from[0] + common],
            &haystack[from[1]..from[1] + common],
            &haystack[from[2]..from[2] + common],
            &haystack[from[3]..from[3] + common],
        );
        let mut sid = [self.start; 4];
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
        sid: &mut u32,
        byte: u8,
        end: usize,
        keep_after: usize,
        out: &mut Vec<(u32, usize)>,
    ) {
        // In bounds by construction: `sid` is a row's start and a column
        // is below the row length. (`get` with a fallback would put a
        // conditional move on the chain of dependent loads: 3% slower.)
        *sid = self.trans[*sid as usize + usize::from(self.classes[usize::from(byte)])];
        if *sid < self.match_limit && end > keep_after {
            let state = (*sid >> self.stride2) as usize;
            let range = self.match_starts[state] as usize..self.match_starts[state + 1] as usize;
            out.extend(self.matches[range].iter().map(|&pattern| (pattern, end)));
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

    fn in_lanes(table: &Table, haystack: &[u8], block: usize) -> Vec<(usize, usize, usize)> {
        let mut got = Vec::new();
        table.in_lanes(haystack, block, |p, s, e| got.push((p, s, e)));
        got
    }

    fn lanes(automaton: &Automaton) -> bool {
        matches!(automaton.search, Search::Lanes(_))
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
            let table = Table::new(&literals).unwrap();
            let expected = reference(&literals, haystack.as_bytes());
            prop_assert_eq!(in_lanes(&table, haystack.as_bytes(), block), expected);
        }

        /// The table finds what aho-corasick finds, in its order, with
        /// multi-byte characters, repeated literals (two patterns of one
        /// state) and literals that end inside others; through
        /// `Automaton`, which picks the table or aho-corasick's own search.
        #[test]
        fn the_table_matches_aho_corasick(
            literals in prop::collection::vec("[a-cé ]{1,5}", 1..40),
            haystack in "[a-céx ]{0,2000}",
        ) {
            let expected = reference(&literals, haystack.as_bytes());
            let table = Table::new(&literals).unwrap();
            prop_assert_eq!(in_lanes(&table, haystack.as_bytes(), BLOCK), expected.clone());
            let mut got = Vec::new();
            Automaton::new(&literals)
                .unwrap()
                .for_each_overlapping(haystack.as_bytes(), |p, s, e| got.push((p, s, e)));
            prop_assert_eq!(got, expected);
        }
    }

    /// Matches that end together come out as aho-corasick reports them:
    /// the state's own literals in pattern order, then its failure
    /// state's.
    #[test]
    fn matches_ending_together_keep_aho_corasick_order() {
        let literals: Vec<String> = ["c", "bc", "abc", "bc", "x"].map(String::from).to_vec();
        let table = Table::new(&literals).unwrap();
        let got = in_lanes(&table, b"abc", BLOCK);
        assert_eq!(got, [(2, 0, 3), (1, 1, 3), (3, 1, 3), (0, 2, 3)]);
        assert_eq!(got, reference(&literals, b"abc"));
    }

    /// The default ruleset's literals over the fixtures, end to end and
    /// repeated: four lanes per block (the quarters are far longer than the
    /// restarts), several blocks.
    #[test]
    fn lanes_match_the_iterator_on_the_default_literals() {
        let rules = crate::rules::load(&[crate::rules::RuleSource::Default]).unwrap();
        let literals = rules.literals().to_vec();
        let automaton = Automaton::new(&literals).unwrap();
        assert!(lanes(&automaton), "the default ruleset gets no prefilter");
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
        assert!(!lanes(&automaton));
        literals.pop();
        assert!(lanes(&Automaton::new(&literals).unwrap()));
    }

    /// A few distinctive literals get a prefilter, and the single walk
    /// that uses it.
    #[test]
    fn a_prefilter_keeps_the_single_walk() {
        let literals = vec!["zyzzyva".to_string()];
        let automaton = Automaton::new(&literals).unwrap();
        assert!(!lanes(&automaton));
        let mut got = Vec::new();
        automaton.for_each_overlapping(b"a zyzzyva, two zyzzyvas", |p, s, e| got.push((p, s, e)));
        assert_eq!(got, vec![(0, 2, 9), (0, 15, 22)]);
    }
}
