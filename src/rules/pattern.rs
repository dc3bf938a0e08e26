//! A rule's regex pattern, compiled once: the regex crate's engines,
//! configured as `regex::RegexBuilder` configures them, plus the anchored
//! search the scan runs where the keyword automaton found a pattern's
//! prefix literal.
//!
//! Compiling the patterns was most of a run's start-up, and most patterns
//! (96 of the default rules' 98) are only ever searched anchored. Those
//! get just the forward engines an anchored search uses
//! ([`build_anchored`]), and for the embedded rules only on first use
//! ([`defer_anchored`]); the others, and a whole-text search of any
//! pattern, get the regex crate's meta engine ([`build_regex`]).

use std::ops::Range;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::{Arc, OnceLock};

use regex_automata::nfa::thompson::{self, NFA, backtrack, backtrack::BoundedBacktracker};
use regex_automata::nfa::thompson::{pikevm, pikevm::PikeVM};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::{Input, hybrid, meta};

/// The most memory one compiled regex may take. Keeps a careless
/// `\w{1000}{1000}` from eating the machine; the regex crate already
/// guarantees linear-time matching.
pub const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;

/// Compiles `pattern` exactly as `regex::RegexBuilder` would with these
/// options (the same engine, configured the same way), keeping the
/// engine's anchored search, which `regex::Regex` does not offer.
pub(super) fn build_regex(pattern: &str, case_sensitive: bool) -> Result<Pattern, regex::Error> {
    build_meta(pattern, case_sensitive, Some(REGEX_SIZE_LIMIT)).map(|regex| Pattern {
        pattern: pattern.into(),
        engine: Engine::Meta(regex),
    })
}

/// The regex engine's syntax options for a rule's pattern.
fn syntax_config(case_sensitive: bool) -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new()
        .utf8(true)
        .case_insensitive(!case_sensitive)
}

fn build_meta(
    pattern: &str,
    case_sensitive: bool,
    nfa_size_limit: Option<usize>,
) -> Result<meta::Regex, regex::Error> {
    let config = meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .nfa_size_limit(nfa_size_limit)
        .hybrid_cache_capacity(REGEX_SIZE_LIMIT);
    meta::Builder::new()
        .configure(config)
        .syntax(syntax_config(case_sensitive))
        .build(pattern)
        .map_err(|err| {
            // As the regex crate words a build error.
            match err.size_limit() {
                Some(limit) => regex::Error::CompiledTooBig(limit),
                None => regex::Error::Syntax(match err.syntax_error() {
                    Some(syntax) => syntax.to_string(),
                    None => err.to_string(),
                }),
            }
        })
}

/// Like [`build_regex`], for a pattern that the scan only ever runs
/// anchored (one with prefix literals): it builds just the engines an
/// anchored search uses — the forward NFA, a lazy DFA over it, and the
/// PikeVM and bounded backtracker the DFA falls back on — as the regex
/// crate's own meta engine would for that search. The meta engine also
/// compiles a reverse NFA, which only unanchored searches need; skipping
/// it halves the start-up cost of compiling the default rules. A
/// whole-text search of such a pattern (the library's
/// [`Pattern::find_iter`], rule tests) builds the full engine on first
/// use.
pub(super) fn build_anchored(pattern: &str, case_sensitive: bool) -> Result<Pattern, regex::Error> {
    let forward = build_forward(pattern, case_sensitive)?;
    Ok(anchored_pattern(
        pattern,
        case_sensitive,
        OnceLock::from(Some(forward)),
    ))
}

/// Like [`build_anchored`], but the engines are built when the pattern is
/// first searched, so a run compiles only the patterns whose prefix
/// literals occur in its documents. For patterns known to build (the
/// embedded default rules, all built by a test): one that failed would
/// match nothing, with no error to say why.
pub(super) fn defer_anchored(pattern: &str, case_sensitive: bool) -> Pattern {
    anchored_pattern(pattern, case_sensitive, OnceLock::new())
}

fn anchored_pattern(
    pattern: &str,
    case_sensitive: bool,
    forward: OnceLock<Option<Forward>>,
) -> Pattern {
    Pattern {
        pattern: pattern.into(),
        engine: Engine::Anchored(Arc::new(AnchoredEngine {
            deferred: forward.get().is_none(),
            forward,
            case_sensitive,
            whole: OnceLock::new(),
        })),
    }
}

/// The engines of anchored searches of `pattern` (see [`build_anchored`]).
fn build_forward(pattern: &str, case_sensitive: bool) -> Result<Forward, regex::Error> {
    let hir = regex_automata::util::syntax::parse_with(pattern, &syntax_config(case_sensitive))
        .map_err(|err| regex::Error::Syntax(err.to_string()))?;
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .utf8(true)
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .which_captures(thompson::WhichCaptures::Implicit),
        )
        .build_from_hir(&hir)
        .map_err(|err| match err.size_limit() {
            Some(limit) => regex::Error::CompiledTooBig(limit),
            None => regex::Error::Syntax(err.to_string()),
        })?;
    Forward::new(nfa).map_err(regex::Error::Syntax)
}

/// A regex pattern of a rule, compiled once. It matches exactly as a
/// `regex::Regex` built with the rule's options (the same engines,
/// configured the same way), and can also search anchored at a position,
/// which is how a regex with prefix literals runs: only where the
/// automaton found one.
#[derive(Debug, Clone)]
pub struct Pattern {
    pattern: Arc<str>,
    engine: Engine,
}

#[derive(Debug, Clone)]
enum Engine {
    /// The regex crate's meta engine, for every kind of search.
    Meta(meta::Regex),
    /// The engines of anchored searches (see [`build_anchored`]).
    Anchored(Arc<AnchoredEngine>),
}

#[derive(Debug)]
struct AnchoredEngine {
    /// Built with the pattern, or on first use (see [`defer_anchored`]);
    /// `None` if that failed.
    forward: OnceLock<Option<Forward>>,
    /// Whether `forward` was left to first use.
    deferred: bool,
    case_sensitive: bool,
    /// The meta engine for whole-text searches, built on first use;
    /// `None` if it failed to build, when the PikeVM serves instead.
    whole: OnceLock<Option<meta::Regex>>,
}

/// The engines of a forward search and a pool of their caches, one per
/// thread, as in the meta engine.
struct Forward {
    /// `None` if it could not be built (as in the meta engine: a cache
    /// capacity too small for the NFA); the other engines then serve.
    dfa: Option<hybrid::dfa::DFA>,
    pikevm: PikeVM,
    backtrack: BoundedBacktracker,
    caches: Pool<ForwardCache, CacheFn>,
}

type CacheFn = Box<dyn Fn() -> ForwardCache + Send + Sync + UnwindSafe + RefUnwindSafe>;

#[derive(Debug)]
struct ForwardCache {
    dfa: Option<hybrid::dfa::Cache>,
    pikevm: pikevm::Cache,
    backtrack: backtrack::Cache,
}

impl std::fmt::Debug for Forward {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Forward").finish_non_exhaustive()
    }
}

impl Forward {
    /// The engines over `nfa`, configured as the meta engine configures
    /// its own; the error says why one that must be there could not be
    /// built.
    fn new(nfa: NFA) -> Result<Forward, String> {
        let dfa = hybrid::dfa::Config::new()
            .match_kind(regex_automata::MatchKind::LeftmostFirst)
            .starts_for_each_pattern(true)
            .unicode_word_boundary(true)
            .cache_capacity(REGEX_SIZE_LIMIT)
            .skip_cache_capacity_check(false)
            .minimum_cache_clear_count(Some(3))
            .minimum_bytes_per_state(Some(10));
        let dfa = hybrid::dfa::Builder::new()
            .configure(dfa)
            .build_from_nfa(nfa.clone())
            .ok();
        let pikevm = PikeVM::new_from_nfa(nfa.clone()).map_err(|e| e.to_string())?;
        let backtrack = BoundedBacktracker::new_from_nfa(nfa).map_err(|e| e.to_string())?;
        let (d, p, b) = (dfa.clone(), pikevm.clone(), backtrack.clone());
        let create: CacheFn = Box::new(move || ForwardCache {
            dfa: d.as_ref().map(hybrid::dfa::DFA::create_cache),
            pikevm: p.create_cache(),
            backtrack: b.create_cache(),
        });
        Ok(Forward {
            dfa,
            pikevm,
            backtrack,
            caches: Pool::new(create),
        })
    }

    /// The leftmost-first match of an anchored `input`: the lazy DFA
    /// finds its end (the start is the search's); when the DFA gives up
    /// (a non-ASCII byte near a Unicode `\b`, or a thrashing cache), the
    /// backtracker or the PikeVM runs instead, as in the meta engine.
    fn search(&self, cache: &mut ForwardCache, input: &Input<'_>) -> Option<Range<usize>> {
        let (Some(dfa), Some(dfa_cache)) = (&self.dfa, &mut cache.dfa) else {
            return self.search_nofail(cache, input);
        };
        match dfa.try_search_fwd(dfa_cache, input) {
            Ok(end) => end.map(|end| input.start()..end.offset()),
            Err(_) => self.search_nofail(cache, input),
        }
    }

    fn search_nofail(&self, cache: &mut ForwardCache, input: &Input<'_>) -> Option<Range<usize>> {
        let found = if input.get_span().len() <= self.backtrack.max_haystack_len() {
            self.backtrack
                .try_find(&mut cache.backtrack, input.clone())
                .ok()
                .flatten()
        } else {
            self.pikevm.find(&mut cache.pikevm, input.clone())
        };
        found.map(|m| m.range())
    }
}

impl AnchoredEngine {
    fn whole_text(&self, pattern: &str) -> Option<&meta::Regex> {
        // The forward NFA is within the size limit (it is built first if
        // it was deferred; none is built if it failed); the reverse one
        // the meta engine adds is about as big, so no limit is set again.
        self.whole
            .get_or_init(|| {
                self.forward(pattern)?;
                build_meta(pattern, self.case_sensitive, None).ok()
            })
            .as_ref()
    }

    /// The engines of anchored searches, built now if they were deferred.
    fn forward(&self, pattern: &str) -> Option<&Forward> {
        self.forward
            .get_or_init(|| build_forward(pattern, self.case_sensitive).ok())
            .as_ref()
    }

    /// Every match of `haystack` by the PikeVM, for when the meta engine
    /// could not be built.
    fn pikevm_matches(&self, pattern: &str, haystack: &str) -> Vec<Range<usize>> {
        let Some(forward) = self.forward(pattern) else {
            return Vec::new();
        };
        let mut cache = forward.caches.get();
        forward
            .pikevm
            .find_iter(&mut cache.pikevm, haystack)
            .map(|m| m.range())
            .collect()
    }
}

/// Where `pattern` writes a literal space, or a class of spaces without
/// a line break (`[- ]`), that a hard-wrapped line would not match:
/// patterns run on the text as written, where a line may break between
/// any two words. The byte offset of the first such place, or `None`
/// (also for a pattern in verbose mode, `(?x)`, whose spaces are not
/// literal). `rules check` warns of it.
pub fn unwrappable_space(pattern: &str) -> Option<usize> {
    if pattern.contains("(?x") || pattern.contains("(?ix") || pattern.contains("(?xi") {
        return None;
    }
    let bytes = pattern.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'[' => {
                let start = i;
                i += 1;
                // A leading `^` or `]` belongs to the class.
                if bytes.get(i) == Some(&b'^') {
                    i += 1;
                }
                if bytes.get(i) == Some(&b']') {
                    i += 1;
                }
                let mut space = false;
                let mut wraps = false;
                while i < bytes.len() && bytes[i] != b']' {
                    match bytes[i] {
                        b'\\' => {
                            wraps |= matches!(bytes.get(i + 1), Some(b's' | b'n'));
                            i += 2;
                        }
                        b' ' => {
                            space = true;
                            i += 1;
                        }
                        // A nested class or a class name: read on.
                        _ => i += 1,
                    }
                }
                let negated = bytes.get(start + 1) == Some(&b'^');
                if space && !wraps && !negated {
                    return Some(start);
                }
                i += 1;
            }
            b' ' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

impl Pattern {
    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the pattern is compiled on first use rather than when its
    /// rules load: the anchored patterns of the embedded rules.
    pub fn is_deferred(&self) -> bool {
        matches!(&self.engine, Engine::Anchored(engine) if engine.deferred)
    }

    /// Whether the pattern's engines are built: always, unless it is
    /// deferred and has not been searched yet (or failed to build).
    pub fn is_compiled(&self) -> bool {
        match &self.engine {
            Engine::Meta(_) => true,
            Engine::Anchored(engine) => matches!(engine.forward.get(), Some(Some(_))),
        }
    }

    /// Builds a deferred pattern's engines now, if no search has yet.
    pub(crate) fn build(&self) {
        if let Engine::Anchored(engine) = &self.engine {
            engine.forward(&self.pattern);
        }
    }

    /// Whether the pattern matches anywhere in `haystack`.
    pub fn is_match(&self, haystack: &str) -> bool {
        match &self.engine {
            Engine::Meta(regex) => regex.is_match(haystack),
            Engine::Anchored(engine) => match engine.whole_text(&self.pattern) {
                Some(regex) => regex.is_match(haystack),
                None => engine.forward(&self.pattern).is_some_and(|forward| {
                    let mut cache = forward.caches.get();
                    forward.pikevm.is_match(&mut cache.pikevm, haystack)
                }),
            },
        }
    }

    /// The byte ranges of the successive non-overlapping matches in
    /// `haystack`, leftmost first, as `regex::Regex::find_iter` finds them.
    pub fn find_iter<'r, 'h>(
        &'r self,
        haystack: &'h str,
    ) -> impl Iterator<Item = Range<usize>> + use<'r, 'h> {
        let regex = match &self.engine {
            Engine::Meta(regex) => regex,
            Engine::Anchored(engine) => match engine.whole_text(&self.pattern) {
                Some(regex) => regex,
                None => {
                    return Matches::Collected(
                        engine.pikevm_matches(&self.pattern, haystack).into_iter(),
                    );
                }
            },
        };
        Matches::Meta(regex.find_iter(haystack))
    }

    /// The match that starts exactly at byte `at` of `haystack`, if any.
    #[cfg(test)]
    pub(crate) fn find_at_start(&self, haystack: &str, at: usize) -> Option<Range<usize>> {
        self.anchored().find_at_start(haystack, at)
    }

    /// Whether the pattern was compiled for every kind of search (the meta
    /// engine), rather than for anchored searches.
    #[cfg(test)]
    pub(super) fn has_meta_engine(&self) -> bool {
        matches!(self.engine, Engine::Meta(_))
    }

    /// A searcher for many anchored searches in a row, holding this
    /// thread's cache for all of them.
    pub(crate) fn anchored(&self) -> AnchoredSearcher<'_> {
        AnchoredSearcher(match &self.engine {
            Engine::Meta(regex) => Searcher::Meta(regex),
            Engine::Anchored(engine) => match engine.forward(&self.pattern) {
                Some(forward) => Searcher::Forward(forward, forward.caches.get()),
                None => Searcher::Nothing,
            },
        })
    }
}

/// See [`Pattern::find_iter`].
enum Matches<'r, 'h> {
    Meta(meta::FindMatches<'r, 'h>),
    Collected(std::vec::IntoIter<Range<usize>>),
}

impl Iterator for Matches<'_, '_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        match self {
            Matches::Meta(matches) => matches.next().map(|m| m.range()),
            Matches::Collected(matches) => matches.next(),
        }
    }
}

/// See [`Pattern::anchored`].
pub(crate) struct AnchoredSearcher<'p>(Searcher<'p>);

enum Searcher<'p> {
    Meta(&'p meta::Regex),
    Forward(&'p Forward, PoolGuard<'p, ForwardCache, CacheFn>),
    /// A deferred pattern whose engines failed to build: no match.
    Nothing,
}

impl AnchoredSearcher<'_> {
    /// The match that starts exactly at byte `at` of `haystack`, if any.
    pub(crate) fn find_at_start(&mut self, haystack: &str, at: usize) -> Option<Range<usize>> {
        let input = Input::new(haystack)
            .range(at..)
            .anchored(regex_automata::Anchored::Yes);
        match &mut self.0 {
            Searcher::Meta(regex) => regex.search(&input).map(|m| m.range()),
            Searcher::Forward(forward, cache) => forward.search(cache, &input),
            Searcher::Nothing => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_a_line_break_would_not_match_are_found() {
        for (pattern, at) in [
            (r"\bsafe harbor\b", Some(6)),
            (r"\bopen[- ]source\b", Some(6)),
            (r"\b10 ?2[0-9]\b", Some(4)),
            (r"\bsafe\s+harbor\b", None),
            (r"\bopen[-\s]source\b", None),
            (r"\bopen[- \n]source\b", None),
            (r"[^ ]+", None),
            (r"\ ", None),
            (r"(?x) safe \s+ harbor", None),
            (r"\bsafe\s+harbou?r[^.;]{0,40}", None),
        ] {
            assert_eq!(unwrappable_space(pattern), at, "{pattern}");
        }
    }

    /// A rule's pattern finds what `regex::Regex` built with the same
    /// options finds, empty matches and Unicode case folding included, and
    /// fails to build with the same error.
    #[test]
    fn patterns_match_and_fail_like_the_regex_crate() {
        let patterns = [
            r"\b(?:should|must)\s+not\s+(?:\w+\s+){0,2}?(?:ban|restrict)\w*",
            r"\bk\w*",
            r"x*",
            r"(?:)",
            r"[^.;]{0,12}\bbefore\b",
            r"STRAẞE|ǅ",
        ];
        let texts = [
            "",
            "They should not ban it. They MUST NOT quickly restrict it.",
            "\u{212A}elvin and kinds; ſome long s, x xx é\u{301}, ÖFFENTLICH before",
            "strasse STRASSE straße ǆ ǅ Ǆ",
        ];
        for pattern in patterns {
            for (case_sensitive, build) in [false, true].into_iter().flat_map(|c| builders(c)) {
                let ours = build(pattern, case_sensitive).unwrap();
                let theirs = regex::RegexBuilder::new(pattern)
                    .case_insensitive(!case_sensitive)
                    .size_limit(REGEX_SIZE_LIMIT)
                    .dfa_size_limit(REGEX_SIZE_LIMIT)
                    .build()
                    .unwrap();
                assert_eq!(ours.as_str(), pattern);
                for text in texts {
                    let want: Vec<Range<usize>> =
                        theirs.find_iter(text).map(|m| m.range()).collect();
                    let got: Vec<Range<usize>> = ours.find_iter(text).collect();
                    assert_eq!(got, want, "{pattern:?} on {text:?}");
                    assert_eq!(ours.is_match(text), theirs.is_match(text));
                    for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                        // The anchored match at `at` is the leftmost match
                        // from `at` when that starts there, else none.
                        let first = theirs.find_at(text, at).map(|m| m.range());
                        assert_eq!(
                            ours.find_at_start(text, at),
                            first.filter(|m| m.start == at),
                            "{pattern:?} at {at} of {text:?}"
                        );
                    }
                }
            }
        }
        for bad in [
            r"(unclosed",
            r"\w{1000}{1000}",
            r"[z-a]",
            r"\p{NoSuchClass}",
        ] {
            let theirs = regex::RegexBuilder::new(bad)
                .case_insensitive(true)
                .size_limit(REGEX_SIZE_LIMIT)
                .dfa_size_limit(REGEX_SIZE_LIMIT)
                .build()
                .unwrap_err();
            for build in [build_regex as Build, build_anchored] {
                assert_eq!(build(bad, false).unwrap_err(), theirs, "{bad}");
            }
            // Deferred, the error has no one to go to: the pattern
            // matches nothing, and nothing panics.
            let deferred = defer_anchored(bad, false);
            let text = "(unclosed z-a";
            assert_eq!(deferred.anchored().find_at_start(text, 0), None, "{bad}");
            assert_eq!(deferred.find_iter(text).count(), 0, "{bad}");
            assert!(!deferred.is_match(text), "{bad}");
            assert!(deferred.is_deferred() && !deferred.is_compiled(), "{bad}");
        }
    }

    type Build = fn(&str, bool) -> Result<Pattern, regex::Error>;

    /// Every way a pattern is built: the meta engine, and the forward
    /// engines of an anchored-only pattern, built at once or on first use.
    fn builders(case_sensitive: bool) -> [(bool, Build); 3] {
        [
            (case_sensitive, build_regex as Build),
            (case_sensitive, build_anchored as Build),
            (case_sensitive, |p, c| Ok(defer_anchored(p, c))),
        ]
    }

    fn forward_engine(pattern: &Pattern) -> &AnchoredEngine {
        match &pattern.engine {
            Engine::Anchored(engine) => engine,
            Engine::Meta(_) => panic!("{} has the meta engine", pattern.as_str()),
        }
    }

    /// Without the meta engine (should it fail to build), whole-text
    /// searches of an anchored-only pattern fall back on the PikeVM and
    /// still find what the regex crate finds.
    #[test]
    fn whole_text_search_without_the_meta_engine_uses_the_pikevm() {
        let pattern = r"\b(?:should|must)\s+not\s+\w+";
        let text = "They should not ban it; ÖFFENTLICH must not\nrestrict, shouldnot x.";
        let theirs = regex::RegexBuilder::new(pattern)
            .case_insensitive(true)
            .build()
            .unwrap();
        let ours = build_anchored(pattern, false).unwrap();
        forward_engine(&ours).whole.set(None).unwrap();
        let want: Vec<Range<usize>> = theirs.find_iter(text).map(|m| m.range()).collect();
        assert_eq!(want.len(), 2);
        assert_eq!(ours.find_iter(text).collect::<Vec<_>>(), want);
        assert!(ours.is_match(text));
        assert!(!ours.is_match("should be fine"));
    }

    proptest::proptest! {
        /// The forward engines agree on every anchored search: the lazy
        /// DFA (which gives up at a non-ASCII byte near `\b`), the bounded
        /// backtracker and the PikeVM, and all with the regex crate, on
        /// texts with non-ASCII letters, long enough that some searches
        /// exceed the backtracker's limit.
        #[test]
        fn forward_engines_agree_on_anchored_searches(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "should", "not", "ban", "Ban", "ÖFFENTLICH", "é", "open", "weights",
                    "must", "ſhould", ".", ";", " ", "  ", "\n",
                ]),
                0..1500,
            ),
            at in 0usize..1500,
        ) {
            let pattern = r"\b(?:should|must)\s+not\s+(?:\w+\s+){0,2}?(?:ban|weights)\b";
            let text = words.join(" ");
            // A word's start: where the automaton would anchor a search.
            let starts: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices(' ').map(|(i, _)| i + 1))
                .collect();
            let at = starts[at % starts.len()].min(text.len());
            let theirs = regex::RegexBuilder::new(pattern).case_insensitive(true).build().unwrap();
            let want = theirs.find_at(&text, at).map(|m| m.range()).filter(|m| m.start == at);
            let ours = build_anchored(pattern, false).unwrap();
            let forward = forward_engine(&ours).forward(pattern).unwrap();
            let mut cache = forward.caches.get();
            let input = Input::new(&text).range(at..).anchored(regex_automata::Anchored::Yes);
            proptest::prop_assert_eq!(forward.search(&mut cache, &input), want.clone());
            proptest::prop_assert_eq!(forward.search_nofail(&mut cache, &input), want.clone());
            let pikevm = forward.pikevm.find(&mut cache.pikevm, input.clone()).map(|m| m.range());
            proptest::prop_assert_eq!(pikevm, want);
        }

        /// Patterns pieced together from words, word boundaries, classes,
        /// repeats and alternations: the forward engines' anchored match at
        /// every position is the regex crate's leftmost match when it
        /// starts there, and their whole-text matches are the crate's.
        #[test]
        fn anchored_engines_match_like_the_regex_crate(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "ab", "b", "ban", "Ö", "é", r"\b", r"\s+", r"\w*", r"\w+", "[^.;]{0,5}",
                    "(?:ab|b)", "(?:a|ab)", "x?", ".", r"\B", "(?:ba)+?", "^", "$",
                ]),
                1..6,
            ),
            text in "[abxé Ö.;\n]{0,40}",
            case_sensitive in proptest::bool::ANY,
        ) {
            let pattern = pieces.concat();
            let theirs = regex::RegexBuilder::new(&pattern)
                .case_insensitive(!case_sensitive)
                .build()
                .unwrap();
            let ours = build_anchored(&pattern, case_sensitive).unwrap();
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let want = theirs.find_at(&text, at).map(|m| m.range()).filter(|m| m.start == at);
                proptest::prop_assert_eq!(ours.find_at_start(&text, at), want, "{} at {}", pattern, at);
            }
            let want: Vec<Range<usize>> = theirs.find_iter(&text).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(ours.find_iter(&text).collect::<Vec<_>>(), want);
        }
    }
}
