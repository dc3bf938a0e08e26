//! Scanning: matching [`CompiledRules`] against one [`Document`].
//!
//! One pass of the Aho-Corasick automaton over the folded text finds every
//! keyword, exclusion phrase and gate literal of every rule at once
//! (overlapping matches, so "open source" and "open source exemption" both
//! count). Each match is then checked against the rules that use it:
//! Unicode-aware word boundaries, and the original letter case for
//! case-sensitive rules. Regex patterns run on the source text, and only
//! when their rule's gate literal occurred. Matches inside a web address
//! or a Markdown link destination are dropped. Finally exclusion phrases
//! cancel the hits they overlap (or share a sentence with), and overlapping
//! hits of the same rule are merged.
//!
//! This module does no I/O.
//!
//! ```
//! use policyscan::{rules, scan, text::{Document, Format}};
//!
//! let rules = rules::load_str("inline", r#"
//! themes:
//!   - id: weights
//!     rules:
//!       - id: open-weights
//!         keywords: [open source]
//! "#, false).unwrap();
//! let doc = Document::new("doc.txt", Format::Text, "OPEN-\nSource models".to_string());
//! let hits = scan::scan(&rules, &doc);
//! assert_eq!(hits.len(), 1);
//! assert_eq!(&doc.source()[hits[0].start..hits[0].end], "OPEN-\nSource");
//! ```

use crate::rules::{CompiledRules, ExcludeScope, Pattern, Role, Rule};
use crate::stats::Stats;
use crate::text::{Document, FoldedText};

/// One match of one rule in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the rule in [`CompiledRules::rules`].
    pub rule: usize,
    /// Source byte span.
    pub start: usize,
    /// Source byte span end (exclusive).
    pub end: usize,
    /// Folded byte offset of the start, for sentence-level context.
    pub folded_start: usize,
    /// Folded byte offset of the end.
    pub folded_end: usize,
}

/// Everything the automaton pass found, before exclusions are applied.
#[derive(Default)]
struct Found {
    hits: Vec<Hit>,
    /// `(rule, folded start, folded end)` of exclusion phrases.
    exclusions: Vec<(usize, usize, usize)>,
    /// Rules whose gate literal occurred.
    gates_open: Vec<bool>,
    /// Per rule, the bits of the regexes' required-literal clauses met.
    needs_met: Vec<u64>,
    /// `(rule, group, folded start, folded end)` of `all-of` terms.
    group_terms: Vec<(usize, usize, usize, usize)>,
    /// Regex prefix literals, the only places where those regexes can
    /// match: their regex slot and folded start, packed in one word by
    /// `packing` (half the memory of a pair, on a large file tens of
    /// millions of them). `None` when the two do not fit in 64 bits
    /// together; then nothing is recorded and those regexes scan the
    /// whole text.
    regex_starts: Vec<u64>,
    packing: Option<Packing>,
}

/// Finds every hit of every rule in `doc`, ordered by position.
pub fn scan(rules: &CompiledRules, doc: &Document) -> Vec<Hit> {
    scan_with(rules, doc, None)
}

/// [`scan`], adding the time each rule's regexes and `all-of` groups take
/// to `stats` (for `--stats`).
pub fn scan_with(rules: &CompiledRules, doc: &Document, stats: Option<&Stats>) -> Vec<Hit> {
    scan_packed(rules, doc, stats, u64::BITS)
}

/// [`scan_with`], packing regex starts into `start_bits` bits (64; fewer
/// in tests, to take the path of starts that do not fit).
fn scan_packed(
    rules: &CompiledRules,
    doc: &Document,
    stats: Option<&Stats>,
    start_bits: u32,
) -> Vec<Hit> {
    // Room for what text dense with the debate's vocabulary holds, so the
    // lists rarely grow, however large the document. Growing a list
    // copies it into fresh memory, and on a large file fresh pages cost
    // more than the copy: every one is faulted in and zeroed by the
    // kernel, and the old and new lists are held at once. Room that is
    // never filled is address space only; no page of it is touched.
    let room = |per_bytes: usize| doc.folded().as_str().len() / per_bytes;
    let mut found = Found {
        gates_open: vec![false; rules.rules().len()],
        needs_met: vec![0; rules.rules().len()],
        hits: Vec::with_capacity(room(64)),
        group_terms: Vec::with_capacity(room(256)),
        regex_starts: Vec::with_capacity(room(32)),
        exclusions: Vec::with_capacity(room(256)),
        packing: Packing::new(doc.folded().as_str().len(), rules.regex_slots(), start_bits),
    };
    find_literals(rules, doc, &mut found);
    if doc.has_links() {
        // An address's slug (`/ban-open-weights`) is not prose.
        found.group_terms.retain(|&(_, _, start, end)| {
            let (s, e) = doc.folded().to_source_span(doc.source(), start, end);
            !doc.in_link(s, e)
        });
    }
    find_sentence_groups(rules, doc, &mut found, stats);
    find_patterns(rules, doc, &mut found, stats);
    // A match stays within a paragraph: a pattern's `[^.;]{0,40}` must not
    // join a table row to the next (a deck's "first-year cost" cell to
    // "$1.2 million" a row below), nor a heading to the text under it.
    within_paragraphs(&mut found.hits, doc.folded().paragraph_breaks());
    if doc.has_links() {
        found.hits.retain(|h| !doc.in_link(h.start, h.end));
    }
    let mut hits = apply_exclusions(rules, doc, found);
    merge_overlaps(&mut hits);
    hits
}

fn find_literals(rules: &CompiledRules, doc: &Document, found: &mut Found) {
    let Some(automaton) = rules.automaton() else {
        return;
    };
    let folded = doc.folded().as_str();
    automaton.for_each_overlapping(folded.as_bytes(), |pattern, m_start, m_end| {
        for use_ in rules.uses(pattern) {
            let rule = &rules.rules()[use_.rule];
            match use_.role {
                Role::Gate => found.gates_open[use_.rule] = true,
                Role::Exclude => found.exclusions.push((use_.rule, m_start, m_end)),
                Role::RegexStart(r) => {
                    if let Some(packing) = found.packing {
                        let slot = rules.regex_slot(use_.rule, r);
                        found.regex_starts.push(packing.pack(slot, m_start));
                    }
                }
                Role::RegexNeed(bit) => found.needs_met[use_.rule] |= 1 << bit,
                Role::Group(g) => {
                    if !rule.whole_word || at_word_boundaries(folded, m_start, m_end) {
                        found.group_terms.push((use_.rule, g, m_start, m_end));
                    }
                }
                Role::Keyword(k) => {
                    if keyword_holds(rule, k, doc, m_start, m_end) {
                        let (start, end) =
                            doc.folded().to_source_span(doc.source(), m_start, m_end);
                        found.hits.push(Hit {
                            rule: use_.rule,
                            start,
                            end,
                            folded_start: m_start,
                            folded_end: m_end,
                        });
                    }
                }
            }
        }
    });
}

/// Whether a keyword match at a folded span satisfies the rule's word
/// boundary and case options.
fn keyword_holds(rule: &Rule, keyword: usize, doc: &Document, start: usize, end: usize) -> bool {
    let folded = doc.folded().as_str();
    if rule.whole_word && !at_word_boundaries(folded, start, end) {
        return false;
    }
    if rule.case_sensitive {
        let (s, e) = doc.folded().to_source_span(doc.source(), start, end);
        let original = FoldedText::preserving_case(&doc.source()[s..e]);
        return original.as_str().trim() == rule.case_forms[keyword];
    }
    true
}

/// True when `text[start..end]` is not glued to a word character on
/// either side. Letters of scripts written without spaces (Chinese,
/// Japanese, Thai, ...) never need a boundary.
pub(crate) fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    if start == end {
        return true;
    }
    // ASCII fast path: the four bytes that decide are whole characters.
    let bytes = text.as_bytes();
    let (first, last) = (bytes[start], bytes[end - 1]);
    let before = start.checked_sub(1).map(|i| bytes[i]);
    let after = bytes.get(end).copied();
    if first.is_ascii()
        && last.is_ascii()
        && before.is_none_or(|b| b.is_ascii())
        && after.is_none_or(|b| b.is_ascii())
    {
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let glued = |edge: u8, neighbour: Option<u8>| word(edge) && neighbour.is_some_and(word);
        return !(glued(first, before) || glued(last, after));
    }
    boundaries_by_char(text, start, end)
}

/// [`at_word_boundaries`] decoding the characters around the span.
fn boundaries_by_char(text: &str, start: usize, end: usize) -> bool {
    let inner = &text[start..end];
    let first = inner.chars().next();
    let last = inner.chars().next_back();
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    side_ok(first, before) && side_ok(last, after)
}

fn side_ok(edge: Option<char>, neighbour: Option<char>) -> bool {
    match (edge, neighbour) {
        (Some(e), Some(n)) => !(is_word(e) && is_word(n)) || is_unspaced(e) || is_unspaced(n),
        _ => true,
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_combining_mark(c)
}

/// Combining diacritics (e.g. the dot of a lowercased `İ`) belong to the
/// word they sit on.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// Letters of scripts written without spaces between words.
fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}'   // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' // Khmer
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{31F0}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF66}'..='\u{FF9F}' // half-width Katakana
        | '\u{20000}'..='\u{2FA1F}')
}

/// Turns `all-of` terms into hits: one per rule and sentence in which
/// every group of the rule has a term, spanning the first to the last of
/// those terms.
fn find_sentence_groups(
    rules: &CompiledRules,
    doc: &Document,
    found: &mut Found,
    stats: Option<&Stats>,
) {
    if found.group_terms.is_empty() {
        return;
    }
    let started = stats.map(|_| std::time::Instant::now());
    let terms = std::mem::take(&mut found.group_terms);
    sentence_group_hits(rules, doc, terms, &mut found.hits);
    if let (Some(stats), Some(started)) = (stats, started) {
        stats.add_groups(started.elapsed());
    }
}

/// The `all-of` hits of `terms` (`(rule, group, folded start, folded
/// end)`), added to `hits` by rule and sentence.
///
/// Sorted by rule, then position: sentences are in text order, so a
/// rule's terms in one sentence end up side by side, and one sentence
/// lookup per run finds them, without a copy of every term that carries
/// its sentence (on text dense with terms, one every few bytes, that copy
/// was a fifth of the memory).
fn sentence_group_hits(
    rules: &CompiledRules,
    doc: &Document,
    mut terms: Vec<(usize, usize, usize, usize)>,
    hits: &mut Vec<Hit>,
) {
    terms.sort_unstable_by_key(|&(rule, _, start, _)| (rule, start));
    let mut rest = terms.as_slice();
    while let Some(&(rule, _, at, _)) = rest.first() {
        // The run: this rule's terms up to the end of the sentence `at` is
        // in; a term in no sentence (between two) pairs with nothing.
        let Some(sentence) = doc.sentence_of(at) else {
            rest = &rest[1..];
            continue;
        };
        let end = doc.sentences()[sentence].end;
        let len = rest.iter().take_while(|t| t.0 == rule && t.2 < end).count();
        let (run, after) = rest.split_at(len);
        rest = after;
        let groups = rules.rules()[rule].all_of.len();
        let mut seen = vec![false; groups];
        for t in run {
            seen[t.1] = true;
        }
        if !seen.iter().all(|&s| s) {
            continue;
        }
        let folded_start = run.iter().map(|t| t.2).min().unwrap_or_default();
        let folded_end = run.iter().map(|t| t.3).max().unwrap_or_default();
        let (start, end) = doc
            .folded()
            .to_source_span(doc.source(), folded_start, folded_end);
        hits.push(Hit {
            rule,
            start,
            end,
            folded_start,
            folded_end,
        });
    }
}

/// Runs the regexes. A regex runs only where the literals it requires
/// occurred (see `rules::required_literals_of`). One with prefix
/// literals runs anchored at each place one of them occurred (found by the
/// automaton pass; see [`anchored_spans`]); the others scan the whole
/// source. Hits are added rule by rule, regex by regex.
fn find_patterns(rules: &CompiledRules, doc: &Document, found: &mut Found, stats: Option<&Stats>) {
    let source = doc.source();
    let anchored = anchored_spans(rules, doc, found, stats);
    let mut spans = Vec::new();
    for (index, rule) in rules.rules().iter().enumerate() {
        if !runs_regexes(rule, index, found) {
            continue;
        }
        let started = stats.map(|_| std::time::Instant::now());
        for (r, re) in rule.regexes.iter().enumerate() {
            if !needs_met(rule, index, r, found) {
                continue;
            }
            spans.clear();
            let slot = rules.regex_slot(index, r);
            if anchored.ran[slot] {
                spans.extend_from_slice(anchored.spans.of(slot));
            } else {
                spans.extend(
                    re.find_iter(source)
                        .filter(|m| !m.is_empty())
                        .map(|m| (m.start, m.end)),
                );
            }
            for &(start, end) in &spans {
                let folded_start = doc.folded().to_folded(start);
                let folded_end = doc.folded().to_folded(end).max(folded_start);
                found.hits.push(Hit {
                    rule: index,
                    start,
                    end,
                    folded_start,
                    folded_end,
                });
            }
        }
        if let (Some(stats), Some(started)) = (stats, started) {
            stats.add_rule(index, started.elapsed());
        }
    }
}

/// Drops the hits that run over a paragraph break (`breaks`: folded
/// offsets, sorted).
fn within_paragraphs(hits: &mut Vec<Hit>, breaks: &[usize]) {
    if breaks.is_empty() {
        return;
    }
    hits.retain(|h| {
        let next = breaks.partition_point(|&b| b < h.folded_start);
        breaks.get(next).is_none_or(|&b| b >= h.folded_end)
    });
}

/// Whether `rule` runs its regexes at all: it has some, and its gate
/// literal occurred if it has one.
fn runs_regexes(rule: &Rule, index: usize, found: &Found) -> bool {
    !rule.regexes.is_empty() && (!rule.gated || found.gates_open[index])
}

/// Whether the literals regex `r` of `rule` requires all occurred.
fn needs_met(rule: &Rule, index: usize, r: usize, found: &Found) -> bool {
    let need = rule.needs.get(r).copied().unwrap_or(0);
    found.needs_met[index] & need == need
}

/// The matches of the regexes that run anchored, by regex slot.
struct AnchoredSpans {
    /// Per slot: whether the regex ran anchored (else it scans the
    /// source).
    ran: Vec<bool>,
    spans: BySlot<(usize, usize)>,
}

/// Runs every regex that has prefix literals anchored at each place one
/// of them occurred, keeping leftmost non-overlapping, non-empty matches
/// exactly as a scan would.
fn anchored_spans(
    rules: &CompiledRules,
    doc: &Document,
    found: &mut Found,
    stats: Option<&Stats>,
) -> AnchoredSpans {
    let slots = rules.regex_slots();
    let Some(packing) = found.packing else {
        return AnchoredSpans {
            ran: vec![false; slots],
            spans: BySlot::new(&[], slots, |&pair: &(usize, (usize, usize))| pair),
        };
    };
    // Per slot: the anchored regex, and its rule (for `--stats`).
    let mut regexes = vec![None; slots];
    for (index, rule) in rules.rules().iter().enumerate() {
        if !runs_regexes(rule, index, found) {
            continue;
        }
        for r in 0..rule.regexes.len() {
            if !needs_met(rule, index, r, found) {
                continue;
            }
            if rule.anchored.get(r) == Some(&true) {
                regexes[rules.regex_slot(index, r)] = Some((&rule.regexes[r], index));
            }
        }
    }
    let source = doc.source();
    let starts = Starts::new(
        std::mem::take(&mut found.regex_starts),
        packing,
        slots,
        doc.folded().as_str().len(),
    );
    compile_side_by_side(&starts, &regexes, stats);
    let mut last_end = vec![0; slots];
    let mut spans = Vec::new();
    for (slot, positions) in starts.groups() {
        let Some((regex, rule)) = regexes[slot] else {
            continue;
        };
        // A deferred pattern compiles here, the first time; that is not
        // what its searches cost.
        let compile_started = stats
            .filter(|_| !regex.is_compiled())
            .map(|_| std::time::Instant::now());
        let mut searcher = regex.anchored();
        if let (Some(stats), Some(compile_started)) = (stats, compile_started) {
            stats.add_compile(compile_started.elapsed());
        }
        let started = stats.map(|_| std::time::Instant::now());
        for at in positions {
            let start = doc.folded().to_source(at);
            if start < last_end[slot] || !source.is_char_boundary(start) {
                continue;
            }
            if let Some(m) = searcher
                .find_at_start(source, start)
                .filter(|m| !m.is_empty())
            {
                spans.push((slot, (m.start, m.end)));
                last_end[slot] = m.end;
            }
        }
        if let (Some(stats), Some(started)) = (stats, started) {
            stats.add_rule(rule, started.elapsed());
        }
    }
    AnchoredSpans {
        ran: regexes.iter().map(Option::is_some).collect(),
        spans: BySlot::new(&spans, slots, |&pair| pair),
    }
}

/// Compiles, in parallel, the deferred patterns (see
/// [`crate::rules::Pattern::is_deferred`]) that this document will search
/// and no document has compiled yet: a long document needs dozens, and
/// compiling them one by one as the scan reaches them left the other
/// threads idle.
fn compile_side_by_side(
    starts: &Starts,
    regexes: &[Option<(&Pattern, usize)>],
    stats: Option<&Stats>,
) {
    use rayon::prelude::*;
    let mut seen = vec![false; regexes.len()];
    let pending: Vec<&Pattern> = starts
        .groups()
        .filter_map(|(slot, _)| {
            let (regex, _) = regexes[slot]?;
            let first = !std::mem::replace(&mut seen[slot], true);
            (first && !regex.is_compiled()).then_some(regex)
        })
        .collect();
    if pending.len() < 2 {
        return;
    }
    pending.par_iter().for_each(|regex| {
        let started = stats.map(|_| std::time::Instant::now());
        regex.build();
        if let (Some(stats), Some(started)) = (stats, started) {
            stats.add_compile(started.elapsed());
        }
    });
}

/// How a regex start is packed in one word: the regex slot in the high
/// bits, the folded offset in the low `offset_bits`.
#[derive(Clone, Copy, Debug)]
struct Packing {
    offset_bits: u32,
}

impl Packing {
    /// The packing for offsets below `len` and slots below `slots` in
    /// `bits` bits (64 outside tests), if both fit.
    fn new(len: usize, slots: usize, bits: u32) -> Option<Packing> {
        let width = |n: usize| usize::BITS - n.leading_zeros();
        let offset_bits = width(len);
        (offset_bits + width(slots) <= bits.min(u64::BITS)).then_some(Packing { offset_bits })
    }

    fn pack(self, slot: usize, at: usize) -> u64 {
        ((slot as u64) << self.offset_bits) | at as u64
    }

    fn slot(self, packed: u64) -> usize {
        // Fits: it was a `usize` when packed.
        (packed >> self.offset_bits) as usize
    }

    fn offset(self, packed: u64) -> usize {
        let mask = 1u64
            .checked_shl(self.offset_bits)
            .map_or(u64::MAX, |b| b - 1);
        (packed & mask) as usize
    }
}

/// The places anchored regexes may start (folded offsets), grouped by
/// window of the text and within it by regex slot, each group in
/// increasing order without duplicates. The automaton reports them by
/// end, mixing regexes; they are grouped by a counting sort that moves
/// them within their own list (the list of a large file is hundreds of
/// megabytes; a sorted copy would double it). Taking a large document
/// window by window keeps the text the regexes read in cache; going
/// through it once per regex would fetch every place from memory again.
struct Starts {
    slots: usize,
    packing: Packing,
    /// Group `g` (window `g / slots`, slot `g % slots`) is
    /// `starts[offsets[g]..offsets[g + 1]]`.
    offsets: Vec<usize>,
    starts: Vec<u64>,
}

impl Starts {
    /// Groups `starts`, packed by `packing`, in a text of `len` bytes.
    fn new(mut starts: Vec<u64>, packing: Packing, slots: usize, len: usize) -> Starts {
        if starts.is_empty() {
            return Starts {
                slots,
                packing,
                offsets: Vec::new(),
                starts,
            };
        }
        // 64 KiB windows, larger when there would be over a million groups.
        let mut shift = 16;
        while ((len >> shift) + 1).saturating_mul(slots) > 1 << 20 {
            shift += 1;
        }
        let groups = ((len >> shift) + 1) * slots;
        let group = |packed: u64| (packing.offset(packed) >> shift) * slots + packing.slot(packed);
        let mut offsets = vec![0; groups + 1];
        for &packed in &starts {
            offsets[group(packed) + 1] += 1;
        }
        for g in 0..groups {
            offsets[g + 1] += offsets[g];
        }
        // Each group's next free place; every start is moved straight to
        // its group's, taking the one it displaces on to its own (an
        // in-place counting sort, "American flag" order).
        let mut next = offsets.clone();
        for g in 0..groups {
            while next[g] < offsets[g + 1] {
                let mut packed = starts[next[g]];
                let mut to = group(packed);
                while to != g {
                    std::mem::swap(&mut packed, &mut starts[next[to]]);
                    next[to] += 1;
                    to = group(packed);
                }
                starts[next[g]] = packed;
                next[g] += 1;
            }
        }
        // Sort and deduplicate each group in place, moving it down over
        // the duplicates removed before it. Within a group the slot is
        // the same, so the packed order is the offsets' order.
        let mut kept = 0;
        for g in 0..groups {
            let range = offsets[g]..offsets[g + 1];
            offsets[g] = kept;
            if range.is_empty() {
                continue;
            }
            starts[range.clone()].sort_unstable();
            let mut last = None;
            for i in range {
                if last != Some(starts[i]) {
                    last = Some(starts[i]);
                    starts[kept] = starts[i];
                    kept += 1;
                }
            }
        }
        offsets[groups] = kept;
        starts.truncate(kept);
        Starts {
            slots,
            packing,
            offsets,
            starts,
        }
    }

    /// The non-empty groups as `(slot, folded offsets)`, window by window.
    fn groups(&self) -> impl Iterator<Item = (usize, impl Iterator<Item = usize> + '_)> {
        let packing = self.packing;
        self.offsets
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0] < w[1])
            .map(move |(g, w)| {
                let offsets = self.starts[w[0]..w[1]].iter();
                (g % self.slots, offsets.map(move |&p| packing.offset(p)))
            })
    }
}

/// Items grouped by slot by a counting sort, each group in the items'
/// original order.
struct BySlot<T> {
    /// Group `slot` is `items[offsets[slot]..offsets[slot + 1]]`.
    offsets: Vec<usize>,
    items: Vec<T>,
}

impl<T: Copy + Default> BySlot<T> {
    /// Groups `items` into `slots` groups by `key`, which gives an item's
    /// slot and what to keep of it.
    fn new<I>(items: &[I], slots: usize, key: impl Fn(&I) -> (usize, T)) -> BySlot<T> {
        if items.is_empty() {
            return BySlot {
                offsets: Vec::new(),
                items: Vec::new(),
            };
        }
        let mut offsets = vec![0; slots + 1];
        for item in items {
            offsets[key(item).0 + 1] += 1;
        }
        for slot in 0..slots {
            offsets[slot + 1] += offsets[slot];
        }
        let mut next = offsets.clone();
        let mut grouped = vec![T::default(); items.len()];
        for item in items {
            let (slot, kept) = key(item);
            grouped[next[slot]] = kept;
            next[slot] += 1;
        }
        BySlot {
            offsets,
            items: grouped,
        }
    }

    fn of(&self, slot: usize) -> &[T] {
        match self.offsets.get(slot..slot + 2) {
            Some(&[from, to]) => &self.items[from..to],
            _ => &[],
        }
    }
}

/// Drops hits cancelled by their rule's exclusion phrases. Exclusions are
/// sorted by rule and start once, so each hit checks only its own rule's
/// nearby exclusions: linear in hits and exclusions, however large the
/// document.
fn apply_exclusions(rules: &CompiledRules, doc: &Document, mut found: Found) -> Vec<Hit> {
    if found.exclusions.is_empty() {
        return found.hits;
    }
    // (rule, start, end) for overlap scope; (rule, sentence) for sentence
    // scope.
    let mut overlap = Vec::new();
    let mut sentences = Vec::new();
    for &(rule, s, e) in &found.exclusions {
        match rules.rules()[rule].exclude_scope {
            ExcludeScope::Overlap => overlap.push((rule, s, e)),
            ExcludeScope::Sentence => sentences.push((rule, doc.sentence_of(s))),
        }
    }
    overlap.sort_unstable();
    sentences.sort_unstable();
    sentences.dedup();
    let longest = overlap.iter().map(|&(_, s, e)| e - s).max().unwrap_or(0);
    let cancelled = |hit: &Hit| {
        if sentences
            .binary_search(&(hit.rule, doc.sentence_of(hit.folded_start)))
            .is_ok()
        {
            return true;
        }
        // Exclusions of this rule starting before the hit ends, and late
        // enough that they may reach into it.
        let from = overlap.partition_point(|&(r, s, _)| {
            (r, s) < (hit.rule, hit.folded_start.saturating_sub(longest))
        });
        overlap[from..]
            .iter()
            .take_while(|&&(r, s, _)| r == hit.rule && s < hit.folded_end)
            .any(|&(_, s, e)| s < hit.folded_end && hit.folded_start < e)
    };
    let hits = std::mem::take(&mut found.hits);
    hits.into_iter().filter(|h| !cancelled(h)).collect()
}

/// Sorts hits by position and merges overlapping hits of the same rule
/// into the longest, so "open source" inside "open source AI" counts once.
fn merge_overlaps(hits: &mut Vec<Hit>) {
    hits.sort_unstable_by_key(|h| (h.rule, h.start, std::cmp::Reverse(h.end)));
    hits.dedup_by(|next, kept| next.rule == kept.rule && next.start < kept.end);
    hits.sort_unstable_by_key(|h| (h.start, h.end, h.rule));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules;
    use crate::text::Format;

    /// Compiles a one-rule ruleset from a YAML rule body.
    fn rule(body: &str) -> CompiledRules {
        let yaml = format!(
            "themes:\n  - id: t\n    rules:\n      - id: r\n{}",
            indent(body)
        );
        rules::load_str("test.yaml", &yaml, false).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
    }

    fn indent(body: &str) -> String {
        body.lines().map(|l| format!("        {l}\n")).collect()
    }

    /// The source texts a rule matches in `haystack`.
    fn matches(rules: &CompiledRules, haystack: &str) -> Vec<String> {
        let doc = Document::new("t.txt", Format::Text, haystack.to_string());
        scan(rules, &doc)
            .iter()
            .map(|h| haystack[h.start..h.end].to_string())
            .collect()
    }

    /// `all-of` hits as they were found before [`sentence_group_hits`]:
    /// every term copied with its sentence, sorted, grouped by rule and
    /// sentence.
    fn sentence_group_hits_by_copy(
        rules: &CompiledRules,
        doc: &Document,
        terms: &[(usize, usize, usize, usize)],
    ) -> Vec<Hit> {
        let mut terms: Vec<_> = terms
            .iter()
            .filter_map(|&(rule, g, s, e)| doc.sentence_of(s).map(|n| (rule, n, g, s, e)))
            .collect();
        terms.sort_unstable();
        let mut hits = Vec::new();
        for run in terms.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
            let groups = rules.rules()[run[0].0].all_of.len();
            if (0..groups).all(|g| run.iter().any(|t| t.2 == g)) {
                let folded_start = run.iter().map(|t| t.3).min().unwrap();
                let folded_end = run.iter().map(|t| t.4).max().unwrap();
                let (start, end) =
                    doc.folded()
                        .to_source_span(doc.source(), folded_start, folded_end);
                hits.push(Hit {
                    rule: run[0].0,
                    start,
                    end,
                    folded_start,
                    folded_end,
                });
            }
        }
        hits
    }

    proptest::proptest! {
        #[test]
        fn sentence_groups_are_found_as_by_copying_each_term_with_its_sentence(
            pieces in proptest::collection::vec(0usize..5, 1..16),
            terms in proptest::collection::vec((0usize..3, 0usize..3, 0usize..1000, 1usize..9), 0..80),
        ) {
            // Three rules of two, three and two groups.
            let yaml = "themes:\n  - id: t\n    rules:\n\
                        \x20     - id: r0\n        all-of: [[aa], [bb]]\n\
                        \x20     - id: r1\n        all-of: [[cc], [dd], [ee]]\n\
                        \x20     - id: r2\n        all-of: [[ff], [gg]]\n";
            let rules = rules::load_str("t.yaml", yaml, false).unwrap();
            // Sentences of several lengths, with paragraph breaks and
            // runs of spaces between them, where terms are in no sentence.
            let parts = ["Aa bb cc dd. ", "Ee ff gg hh ii jj kk. ", "\n\n", "   ", "Ll mm? "];
            let text: String = pieces.iter().map(|&p| parts[p]).collect();
            let doc = Document::new("t.txt", Format::Text, text);
            let len = doc.folded().as_str().len();
            proptest::prop_assume!(len > 0);
            let terms: Vec<_> = terms
                .into_iter()
                .map(|(rule, g, at, width)| {
                    let groups = rules.rules()[rule].all_of.len();
                    let start = at % len;
                    (rule, g % groups, start, (start + width).min(len))
                })
                .collect();
            let mut hits = Vec::new();
            sentence_group_hits(&rules, &doc, terms.clone(), &mut hits);
            proptest::prop_assert_eq!(hits, sentence_group_hits_by_copy(&rules, &doc, &terms));
        }
    }

    #[test]
    fn ascii_word_boundaries_agree_with_decoded_characters() {
        for text in [
            "open-source ai_x, 4B model's",
            "é ai ß_x 开源ai",
            "a",
            "AI.",
        ] {
            let cuts: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for &start in &cuts {
                for &end in cuts.iter().filter(|&&e| e >= start) {
                    assert_eq!(
                        at_word_boundaries(text, start, end),
                        boundaries_by_char(text, start, end),
                        "{:?} in {text:?}",
                        &text[start..end]
                    );
                }
            }
        }
    }

    #[test]
    fn starts_come_window_by_window_each_slot_sorted_once() {
        let mut rng = crate::testutil::Rng::new(0x51ED_2701_4A3C_9E11);
        for (slots, len) in [(1, 10), (3, 200_000), (10, 1_000_000), (4_000, 1_000_000)] {
            let starts: Vec<(usize, usize)> = (0..2_000)
                .map(|_| (rng.below(slots), rng.below(len)))
                .collect();
            let packing = Packing::new(len, slots, 64).unwrap();
            let packed = starts.iter().map(|&(s, at)| packing.pack(s, at)).collect();
            let grouped = Starts::new(packed, packing, slots, len);
            let mut seen = vec![Vec::new(); slots];
            let mut last_window = 0;
            for (slot, positions) in grouped.groups() {
                let positions: Vec<usize> = positions.collect();
                let window = positions[0] >> 16;
                assert!(window >= last_window, "windows in order");
                last_window = window;
                seen[slot].extend_from_slice(&positions);
            }
            for (slot, got) in seen.iter().enumerate() {
                let mut want: Vec<usize> =
                    starts.iter().filter(|s| s.0 == slot).map(|s| s.1).collect();
                want.sort_unstable();
                want.dedup();
                assert_eq!(got, &want, "slot {slot} of {slots}, text of {len}");
            }
        }
    }

    #[test]
    fn packed_starts_give_back_their_slot_and_offset() {
        for (len, slots) in [(1, 1), (10, 3), (1 << 20, 98), (usize::MAX >> 1, 1)] {
            let packing = Packing::new(len, slots, 64).unwrap();
            for slot in [0, slots / 2, slots - 1] {
                for at in [0, 1, len / 3, len - 1] {
                    let packed = packing.pack(slot, at);
                    assert_eq!((packing.slot(packed), packing.offset(packed)), (slot, at));
                }
            }
        }
        assert!(Packing::new(1 << 40, 1 << 30, 64).is_none());
        assert!(Packing::new(1000, 10, 13).is_none());
        assert!(Packing::new(1000, 10, 14).is_some());
    }

    /// Regexes whose starts do not fit the packing scan the whole text
    /// and find the same hits as anchored searches, on every fixture.
    #[test]
    fn regexes_find_the_same_without_recorded_starts() {
        let rules = rules::load(&[rules::RuleSource::Default]).unwrap();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        let mut regex_hits = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let doc = Document::new(path.display().to_string(), Format::Text, text);
            let anchored = scan_packed(&rules, &doc, None, 64);
            assert_eq!(scan_packed(&rules, &doc, None, 0), anchored, "{path:?}");
            regex_hits += anchored
                .iter()
                .filter(|h| !rules.rules()[h.rule].regexes.is_empty())
                .count();
        }
        assert!(regex_hits > 50, "{regex_hits} hits of rules with regexes");
    }

    /// The embedded rules, whose patterns compile as documents need them
    /// (several at once when a document needs several), find what the
    /// same rules read from their file, compiled at load, find.
    #[test]
    fn patterns_compiled_as_needed_find_what_compiled_ones_find() {
        let deferred = rules::load(&[rules::RuleSource::Default]).unwrap();
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/default.yaml");
        let eager = rules::load(&[rules::RuleSource::Path(file.into())]).unwrap();
        let patterns = |rules: &CompiledRules| -> Vec<(bool, bool)> {
            let all = rules.rules().iter().flat_map(|r| &r.regexes);
            all.map(|p| (p.is_deferred(), p.is_compiled())).collect()
        };
        assert!(patterns(&eager).iter().all(|&(d, c)| !d && c));
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let doc = Document::new(path.display().to_string(), Format::Text, text);
            assert_eq!(
                scan_with(&deferred, &doc, None),
                scan_with(&eager, &doc, None),
                "{path:?}"
            );
        }
        let deferred = patterns(&deferred);
        let compiled = deferred.iter().filter(|&&(d, c)| d && c).count();
        let waiting = deferred.iter().filter(|&&(d, c)| d && !c).count();
        assert!(
            compiled > 1 && waiting > 0,
            "{compiled} compiled, {waiting} not"
        );
    }

    /// Several anchored regexes over a text of several windows find what
    /// sweeps of the whole text find.
    #[test]
    fn anchored_regexes_over_a_long_text_match_like_full_scans() {
        let patterns = [
            r"\bshould\s+not\s+\w+",
            r"\b(?:open|closed)[- ]weights?\b",
            r"\bmust\b[^.]{0,20}",
        ];
        let yaml: String = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| format!("      - id: r{i}\n        patterns: ['{p}']\n"))
            .collect();
        let rules = rules::load_str(
            "test.yaml",
            &format!("themes:\n  - id: t\n    rules:\n{yaml}"),
            false,
        )
        .unwrap();
        let sentences = [
            "Firms should not ban open weights. ",
            "They must act now, or else. ",
            "Closed-weight models should  not\nrelease anything. ",
            "Open weight, open-weights: must must. ",
        ];
        let mut rng = crate::testutil::Rng::new(7);
        let text: String = (0..12_000)
            .map(|_| sentences[rng.below(sentences.len())])
            .collect();
        assert!(text.len() > 300_000, "spans several windows");
        let doc = Document::new("t.txt", Format::Text, text.clone());
        let hits = scan(&rules, &doc);
        for (i, pattern) in patterns.iter().enumerate() {
            let full = regex::RegexBuilder::new(pattern)
                .case_insensitive(true)
                .build()
                .unwrap();
            let want: Vec<(usize, usize)> = full
                .find_iter(&text)
                .map(|m| (m.start(), m.end()))
                .collect();
            let got: Vec<(usize, usize)> = hits
                .iter()
                .filter(|h| h.rule == i)
                .map(|h| (h.start, h.end))
                .collect();
            assert!(rules.rules()[i].anchored[0], "{pattern} is anchored");
            assert_eq!(got.len(), want.len(), "{pattern}");
            assert_eq!(got, want, "{pattern}");
        }
    }

    #[test]
    fn no_match_runs_over_a_paragraph_break() {
        let rules = rules::load_str(
            "test.yaml",
            "themes:\n  - id: t\n    rules:\n      - id: cost\n        patterns: ['\\bcost\\b[^.;]{0,40}\\$\\d']\n      - id: harbor\n        keywords: [research exemptions some]\n",
            false,
        )
        .unwrap();
        let texts = [
            // A table's rows, a heading and its paragraph: not one match.
            (
                "deck",
                Format::Pptx,
                "Estimated first-year cost\nLicense application $1.2 million\n",
            ),
            (
                "page",
                Format::Text,
                "Research exemptions\n\nSome bills exempt research.\n",
            ),
            // Within a paragraph, over a wrapped line: one match each.
            (
                "wrapped",
                Format::Text,
                "The cost of an audit\nis $1 million. Research exemptions\nsome states adopted.\n",
            ),
        ];
        let found: Vec<usize> = texts
            .iter()
            .map(|(name, format, text)| {
                scan(&rules, &Document::new(*name, *format, text.to_string())).len()
            })
            .collect();
        assert_eq!(found, [0, 0, 2]);
    }

    #[test]
    fn by_slot_groups_keep_their_order() {
        let mut rng = crate::testutil::Rng::new(0x2545_F491_4F6C_DD1D);
        for slots in [0, 1, 3, 10] {
            for len in [0, 1, 2, 7, 50] {
                let pairs: Vec<(usize, usize)> = (0..len)
                    .filter(|_| slots > 0)
                    .map(|_| (rng.below(slots), rng.below(20)))
                    .collect();
                let by_slot = BySlot::new(&pairs, slots, |&pair| pair);
                for slot in 0..slots + 2 {
                    let want: Vec<usize> =
                        pairs.iter().filter(|p| p.0 == slot).map(|p| p.1).collect();
                    assert_eq!(by_slot.of(slot), want, "slot {slot} of {pairs:?}");
                }
            }
        }
    }

    #[test]
    fn prefix_literals_anchor_only_on_long_enough_finite_prefixes() {
        use crate::rules::prefix_literals;
        assert_eq!(
            prefix_literals(r"\b(?:Should|must)\s+not\b"),
            Some(vec!["must not".to_string(), "should not".to_string()]),
            "a run of whitespace is the one space it folds to"
        );
        assert_eq!(
            prefix_literals(r"\b(?:Should|must)\b[^.]{0,40}"),
            Some(vec!["must".to_string(), "should".to_string()])
        );
        assert_eq!(
            prefix_literals(r"\bthe\s*(?-u:\s)?[\s\-\x{2014}]{2,}state\s?s\b"),
            Some(vec!["the state s".to_string(), "the states".to_string()]),
            "classes of separators, optional or repeated, fold to one space"
        );
        assert_eq!(
            prefix_literals(r"\b(?:regulators|the\s+agency)\s+must\s+act"),
            Some(vec!["regulators m".to_string(), "the agency m".to_string()]),
            "cut to twelve bytes"
        );
        assert_eq!(
            prefix_literals(r"\bthe\s+citizen\s+acts"),
            Some(vec!["the citizen".to_string()]),
            "no space left at the end of a cut"
        );
        assert_eq!(
            prefix_literals(r"\bthe[\s.]+state"),
            Some(vec!["the".to_string()]),
            "a class with a character that is not a separator ends the literal"
        );
        // Hyphens fold like keywords; duplicates collapse.
        assert_eq!(
            prefix_literals(r"red[- ]team\w*"),
            Some(vec!["red team".to_string()])
        );
        assert_eq!(prefix_literals(r"\w+ing\b"), None, "no finite prefix");
        assert_eq!(prefix_literals(r"(?:a|an)\s+\w+"), None, "too short");
        assert_eq!(
            prefix_literals(r"\s*policy"),
            None,
            "may start with a separator"
        );
    }

    #[test]
    fn required_literals_are_clauses_every_match_contains() {
        use crate::rules::required_literals;
        let sets = |p: &str| -> Vec<Vec<&'static str>> {
            let mut got: Vec<Vec<&'static str>> = required_literals(p)
                .into_iter()
                .map(|c| c.into_iter().map(|l| &*l.leak()).collect())
                .collect();
            got.sort();
            got
        };
        assert_eq!(
            sets(r"\b(?:little|no|marginal)\s+(?:real\s+)?uplift\b"),
            vec![vec!["uplift"]],
            "a branch of two letters spoils its clause; an optional word is not required"
        );
        assert_eq!(
            sets(r"\b(?:oppos\w*|reject\w*)\b[^.;]{0,100}?\b(?:licens\w*|bans?|permits?)"),
            vec![vec!["oppos", "reject"]],
            "a three-letter literal (ban) spoils its clause"
        );
        assert_eq!(
            sets(r"\b(?:oppos\w*|reject\w*)\b[^.;]{0,100}?\b(?:licens\w*|permits?)"),
            vec![vec!["licens", "permit"], vec!["oppos", "reject"]]
        );
        assert_eq!(
            sets(r"\bsign[- ]off\b"),
            vec![vec!["sign"]],
            "literals split at non-letters; `off` is too short to require"
        );
        assert_eq!(
            sets(r"\bthat\s+(?:model|system)s?"),
            vec![vec!["model", "system"]]
        );
        assert_eq!(sets(r"\w+ings\b"), vec![vec!["ings"]]);
        assert!(sets(r"\w+\s+\w+").is_empty());
        assert!(
            sets(r"(?i)uplift").is_empty(),
            "inline flags make classes: no claim"
        );
        assert!(sets(r"\$[0-9]+").is_empty());
        assert!(sets(r"(").is_empty(), "an invalid pattern claims nothing");
    }

    /// The requirement is only a shortcut: on every example of the default
    /// ruleset that a regex matches, each of its clauses has a literal in
    /// the folded text, so the regex would have run.
    #[test]
    fn required_literals_hold_on_every_default_example() {
        use crate::rules::required_literals;
        let rules = rules::load(&[rules::RuleSource::Default]).unwrap();
        let mut checked = 0;
        for rule in rules.rules() {
            for example in rule.examples.iter().chain(&rule.counterexamples) {
                let folded = FoldedText::new(&example.text);
                for re in &rule.regexes {
                    if !re.is_match(&example.text) {
                        continue;
                    }
                    for clause in required_literals(re.as_str()) {
                        assert!(
                            clause.iter().any(|l| folded.as_str().contains(l.as_str())),
                            "{}: {clause:?} not in {:?}",
                            rule.id,
                            folded.as_str()
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100, "only {checked} clauses checked");
    }

    /// `ſ` and the Kelvin sign are case variants of `s` and `k` to the
    /// regex engine; folding maps them so the required literals are found.
    #[test]
    fn required_literals_see_through_non_ascii_case_variants() {
        let rules = rule("patterns: ['\\bno\\s+risks\\b', '\\bsome\\s+kinds\\b']");
        assert_eq!(
            matches(&rules, "There are no ri\u{17F}ks. Some \u{212A}inds."),
            ["no ri\u{17F}ks", "Some \u{212A}inds"]
        );
    }

    /// Anchored search at prefix-literal occurrences finds exactly the
    /// matches a sweep of the whole text finds.
    #[test]
    fn anchored_regexes_match_like_a_full_scan() {
        let patterns = [
            r"\b(?:should|must)\s+not\s+(?:\w+\s+){0,2}?(?:ban|restrict)\w*",
            r"\bshould\b[^.]{0,30}",
            r"\b(?:open|closed)[- ]weights?\b",
        ];
        let texts = [
            "They should not ban it. They MUST NOT quickly restrict it, and should should not ban.",
            "Should, should, should: shoulder should-er. Open-weight and closed weights.",
            "ÖFFENTLICH should not\nban; should  not restrict anything at all really today",
        ];
        for pattern in patterns {
            let rules = rule(&format!("patterns: ['{pattern}']"));
            let full = regex::RegexBuilder::new(pattern)
                .case_insensitive(true)
                .build()
                .unwrap();
            assert!(rules.rules()[0].anchored[0], "{pattern} is anchored");
            for text in texts {
                let expected: Vec<String> = full
                    .find_iter(text)
                    .map(|m| m.as_str().to_string())
                    .collect();
                assert_eq!(matches(&rules, text), expected, "{pattern} on {text:?}");
            }
        }
    }

    /// Words of the pattern in [`anchored_regexes_across_separators_match_like_a_full_scan`],
    /// with text that matches them.
    const SEPARATED_WORDS: [(&str, &[&str]); 6] = [
        ("the", &["the", "The", "THE"]),
        ("state", &["state", "STATE", "\u{17F}tate"]),
        ("not", &["not", "Not"]),
        ("(?:the|a)", &["a", "the", "A"]),
        ("(?:state|agency)", &["agency", "State", "agencies"]),
        ("states?", &["states", "state", "State"]),
    ];

    /// Separator classes of the pattern.
    const SEPARATOR_CLASSES: [&str; 13] = [
        r"\s+",
        r"\s*",
        r"\s?",
        r"\s",
        r"[\s\-]+",
        r"(?-u:\s)+",
        r"\s{2}",
        " ",
        "-",
        r"[\s.]+",
        r"[\s,]*",
        r"\W+",
        "",
    ];

    /// What joins words in the text: every kind of Unicode whitespace,
    /// hyphens, dashes, characters folding drops, punctuation, nothing.
    const JOINS: [&str; 27] = [
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\n\n",
        "\u{0B}",
        "\u{0C}",
        "\u{85}",
        "\u{A0}",
        "\u{1680}",
        "\u{2003}",
        "\u{2028}",
        "\u{2029}",
        "\u{202F}",
        "\u{205F}",
        "\u{3000}",
        "-",
        " - ",
        "\u{2014}",
        " \u{2013} ",
        "\u{AD}",
        "\u{200B}",
        " \u{200B} ",
        "",
        ".",
        ", ",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]

        /// Prefix literals carried across separator classes (`\s+`, `\s*`,
        /// `[\s-]+`, ASCII `\s`) still anchor every match: on texts that
        /// join the pattern's words with every kind of Unicode whitespace,
        /// hyphens, dashes and characters folding drops, the scan finds
        /// what a sweep of the whole text finds.
        #[test]
        fn anchored_regexes_across_separators_match_like_a_full_scan(
            pieces in proptest::collection::vec(
                (0..SEPARATED_WORDS.len(), 0..SEPARATOR_CLASSES.len()),
                1..4,
            ),
            last in 0..SEPARATED_WORDS.len(),
            text_words in proptest::collection::vec(
                (0..SEPARATED_WORDS.len(), 0usize..3, 0..JOINS.len(), proptest::bool::weighted(0.8)),
                0..16,
            ),
        ) {
            let words = pieces.iter().map(|&(w, _)| w).chain([last]);
            let mut pattern = String::from(r"\b");
            for &(w, sep) in &pieces {
                pattern.push_str(SEPARATED_WORDS[w].0);
                pattern.push_str(SEPARATOR_CLASSES[sep]);
            }
            pattern.push_str(SEPARATED_WORDS[last].0);
            // Mostly the pattern's words in order, sometimes another.
            let mut order = words.cycle();
            let mut text = String::new();
            for (other, variant, join, in_order) in text_words {
                let w = if in_order { order.next().unwrap_or(other) } else { other };
                let forms = SEPARATED_WORDS[w].1;
                text.push_str(forms[variant % forms.len()]);
                text.push_str(JOINS[join]);
            }
            let full = regex::RegexBuilder::new(&pattern).case_insensitive(true).build().unwrap();
            let rules = rule(&format!("patterns: ['{pattern}']"));
            let want: Vec<String> = full
                .find_iter(&text)
                .filter(|m| !m.is_empty() && !over_blank_line(m.as_str()))
                .map(|m| m.as_str().to_string())
                .collect();
            proptest::prop_assert_eq!(matches(&rules, &text), want, "{} on {:?}", pattern, text);
        }
    }

    /// Whether `s` holds a blank line: two line breaks (`\n`, `\r\n` or a
    /// lone `\r`) with nothing between them but white space, hyphens,
    /// dashes and characters folding drops. A match over one runs over a
    /// paragraph break, and is not a match.
    fn over_blank_line(s: &str) -> bool {
        let mut breaks = 0;
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            let separator = c.is_whitespace()
                || matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
                || matches!(
                    c,
                    '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
                );
            if !separator {
                breaks = 0;
            } else if c == '\n' || (c == '\r' && chars.peek() != Some(&'\n')) {
                breaks += 1;
                if breaks == 2 {
                    return true;
                }
            }
        }
        false
    }

    /// Table of (name, rule body, haystack, expected matches), in the
    /// style of aho-corasick's `t!` rows.
    #[test]
    fn matcher_table() {
        let rows: &[(&str, &str, &str, &[&str])] = &[
            (
                "all-of: one term of each group in one sentence, any order",
                "all-of: [[should, must], [restrict, ban]]",
                "To restrict releases, Congress must act. Nobody should wait.",
                &["restrict releases, Congress must"],
            ),
            (
                "all-of: groups split across sentences do not match",
                "all-of: [[should], [restrict]]",
                "We should act. Restrict nothing.",
                &[],
            ),
            (
                "all-of: one hit per sentence, and word boundaries hold",
                "all-of: [[should], [ban]]",
                "They should ban it and ban it again. Banks should not be banned.",
                &["should ban it and ban"],
            ),
            (
                "all-of: a sentence-scoped exclusion cancels the sentence",
                "all-of: [[should], [ban]]\nexclude: [rather than]\nexclude-scope: sentence",
                "We should tax rather than ban. We should ban it.",
                &["should ban"],
            ),
            (
                "plain",
                "keywords: [liability]",
                "Strict liability applies.",
                &["liability"],
            ),
            (
                "ascii case",
                "keywords: [liability]",
                "LIABILITY",
                &["LIABILITY"],
            ),
            (
                "unicode case",
                "keywords: [öffentlich]",
                "ÖFFENTLICH zugänglich",
                &["ÖFFENTLICH"],
            ),
            (
                "unicode case in keyword",
                "keywords: [ÖFFENTLICH]",
                "öffentlich",
                &["öffentlich"],
            ),
            (
                "greek final sigma",
                "keywords: [νομος]",
                "ΝΟΜΟΣ",
                &["ΝΟΜΟΣ"],
            ),
            (
                "space matches line break",
                "keywords: [open source]",
                "open\nsource",
                &["open\nsource"],
            ),
            (
                "space matches run",
                "keywords: [open source]",
                "open \r\n\t  source",
                &["open \r\n\t  source"],
            ),
            (
                "hyphen matches space",
                "keywords: [open-source]",
                "open source",
                &["open source"],
            ),
            (
                "space matches hyphen",
                "keywords: [open source]",
                "open-source",
                &["open-source"],
            ),
            (
                "non-breaking hyphen",
                "keywords: [open source]",
                "open\u{2011}source",
                &["open\u{2011}source"],
            ),
            (
                "line-wrapped hyphen",
                "keywords: [open source]",
                "open-\nsource",
                &["open-\nsource"],
            ),
            (
                "whole word rejects inside",
                "keywords: [ban]",
                "a bank and a banner",
                &[],
            ),
            (
                "whole word accepts punctuation",
                "keywords: [ban]",
                "(ban), ban.",
                &["ban", "ban"],
            ),
            (
                "whole word unicode letters",
                "keywords: [ai]",
                "naïve aï ai",
                &["ai"],
            ),
            (
                "whole word off",
                "keywords: [ban]\nwhole-word: false",
                "bank",
                &["ban"],
            ),
            (
                "chinese without boundaries",
                "keywords: [开源]",
                "这是开源模型",
                &["开源"],
            ),
            (
                "latin next to chinese",
                "keywords: [AI]",
                "开源AI模型",
                &["AI"],
            ),
            (
                "case sensitive",
                "keywords: [AI]\ncase-sensitive: true",
                "AI ai Ai",
                &["AI"],
            ),
            (
                "case sensitive across wrap",
                "keywords: [AI Act]\ncase-sensitive: true",
                "AI\nAct ai act",
                &["AI\nAct"],
            ),
            (
                "overlapping keywords merge",
                "keywords: [open source, open source ai]",
                "open source AI",
                &["open source AI"],
            ),
            (
                "apostrophe variants",
                "keywords: [developer's duty]",
                "developer\u{2019}s duty",
                &["developer\u{2019}s duty"],
            ),
            (
                "regex on source",
                "patterns: ['10\\^?26']",
                "above 10^26 and 1026",
                &["10^26", "1026"],
            ),
            (
                "regex case insensitive",
                "patterns: ['flops?']",
                "FLOP",
                &["FLOP"],
            ),
            (
                "exclusion overlap",
                "keywords: [exempt]\nexclude: [tax-exempt]",
                "tax exempt; exempt",
                &["exempt"],
            ),
            (
                "exclusion sentence",
                "keywords: [license]\nexclude: [driving]\nexclude-scope: sentence",
                "A driving license. A license.",
                &["license"],
            ),
            (
                "gate closed",
                "patterns: ['\\d+']\ngate: [flop]",
                "42 units",
                &[],
            ),
            (
                "gate open",
                "patterns: ['\\d+']\ngate: [flop]",
                "42 FLOP",
                &["42"],
            ),
        ];
        for (name, body, haystack, expected) in rows {
            let rules = rule(body);
            assert_eq!(matches(&rules, haystack), *expected, "row {name:?}");
        }
    }

    #[test]
    fn one_automaton_for_all_rules() {
        let rules = rules::load_str(
            "t.yaml",
            "themes:\n  - id: a\n    rules:\n      - {id: r1, keywords: [alpha, beta]}\n      - {id: r2, keywords: [beta, gamma]}\ncues:\n  - {id: c, stance: hybrid, keywords: [alpha]}\n",
            false,
        )
        .unwrap();
        // Three distinct literals, shared across two rules and a cue.
        assert_eq!(rules.literal_count(), 3);
        let doc = Document::new("t", Format::Text, "alpha beta gamma".into());
        let ids: Vec<&str> = scan(&rules, &doc)
            .iter()
            .map(|h| rules.rules()[h.rule].id.as_str())
            .collect();
        assert_eq!(ids, ["r1", "c", "r1", "r2", "r2"]);
    }

    #[test]
    fn hits_point_at_source_after_unicode_folding() {
        let rules = rule("keywords: [weights]");
        let text = "İİİ ÖFFENTLICHE WEIGHTS";
        assert_eq!(matches(&rules, text), ["WEIGHTS"]);
    }
}
