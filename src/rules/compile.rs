//! Validation and compilation of parsed rulesets into [`CompiledRules`].

use std::collections::HashMap;
use std::sync::Arc;

use super::automaton::Automaton;
use super::error::{Error, Kind, Problem};
use super::load::{ParsedFile, SourceFile};
use super::model::{ExcludeScope, RawCheck, RawRule, RawTheme, Severity};
use super::pattern::{Pattern, build_anchored, build_regex, defer_anchored};
use crate::Stance;
use crate::text::FoldedText;
/// Default presence threshold of a theme.
const DEFAULT_THRESHOLD: f64 = 2.0;

/// Rules validated and compiled once per run: one Aho-Corasick automaton
/// over the folded keywords of every rule and cue, and the compiled
/// regexes. Cheap to clone and shared by all scanning threads.
#[derive(Debug, Clone)]
pub struct CompiledRules {
    inner: Arc<Inner>,
}

#[derive(Debug, Clone)]
struct Inner {
    rulesets: Vec<RulesetInfo>,
    themes: Vec<Theme>,
    rules: Vec<Rule>,
    checks: Vec<Check>,
    automaton: Option<Automaton>,
    /// The folded literals of the automaton, by pattern id.
    literals: Vec<String>,
    uses: Vec<Vec<LiteralUse>>,
    /// Per rule, the number of regexes of the rules before it: rule `i`'s
    /// regex `r` is regex slot `slot_bases[i] + r` of `slots`.
    slot_bases: Vec<usize>,
    slots: usize,
}

/// A loaded ruleset file, as listed in reports.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesetInfo {
    /// The ruleset's `name`, or the file stem.
    pub name: String,
    /// The ruleset's `version`, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Where it was loaded from (`<default>/…` for the embedded one).
    pub source: String,
}

/// A compiled theme.
#[derive(Debug, Clone)]
pub struct Theme {
    /// The theme id (part of the output contract).
    pub id: String,
    /// A human-readable title.
    pub title: String,
    /// What the theme covers.
    pub description: String,
    /// The score at which the theme is present.
    pub threshold: f64,
    /// The number of distinct rules that must hit for presence.
    pub min_rules: usize,
}

/// What a rule contributes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// A theme, by index into [`CompiledRules::themes`].
    Theme(usize),
    /// A stance cue.
    Stance(Stance),
}

/// A compiled theme rule or stance cue.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The rule id.
    pub id: String,
    /// What it contributes to.
    pub owner: Owner,
    /// What the rule is about, if it says.
    pub description: Option<String>,
    /// The weight of one hit.
    pub weight: f64,
    /// Keywords must match with their case.
    pub case_sensitive: bool,
    /// Keywords must not be part of a longer word.
    pub whole_word: bool,
    /// Where exclusion phrases cancel a hit.
    pub exclude_scope: ExcludeScope,
    /// Keywords as written.
    pub keywords: Vec<String>,
    /// Keywords folded with their case kept, for case-sensitive checks.
    pub(crate) case_forms: Vec<String>,
    /// Regex patterns, compiled.
    pub regexes: Vec<Pattern>,
    /// For each regex: whether all its matches begin with one of a finite
    /// set of literals. Its folded prefix literals are then in the
    /// automaton, and it runs anchored where one occurs (see
    /// [`prefix_literals_of`]); the others scan the whole text.
    pub(crate) anchored: Vec<bool>,
    /// For each regex, the bits of [`Role::RegexNeed`] clauses that must
    /// all have occurred in a document for the regex to run there (0: no
    /// requirement). See [`required_literals_of`].
    pub(crate) needs: Vec<u64>,
    /// The term groups of `all-of`: a sentence with a term of each is a hit.
    pub all_of: Vec<Vec<String>>,
    /// True when the regexes only run in documents containing a gate
    /// literal.
    pub gated: bool,
    /// Texts the rule must match.
    pub examples: Vec<Example>,
    /// Texts the rule must not match.
    pub counterexamples: Vec<Example>,
    /// Where the rule is defined.
    pub origin: Origin,
    /// Keywords that can never produce a hit, with the reason (a keyword
    /// that contains one of the rule's own exclusion phrases is always
    /// cancelled). `policyscan test` warns about them.
    pub dead_keywords: Vec<(String, String)>,
    /// True when the rule has a `gate` but no `patterns` for it to gate.
    pub useless_gate: bool,
}

impl Rule {
    /// How many of the rule's regexes run only where their prefix
    /// literals occur (the rest scan whole documents).
    pub fn anchored_patterns(&self) -> usize {
        self.anchored.iter().filter(|&&a| a).count()
    }
}

/// An example or counterexample and the line it is written on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The text.
    pub text: String,
    /// The 1-based line in the ruleset file, when it could be located.
    pub line: Option<usize>,
}

/// Where a rule is defined.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The ruleset file (`<default>/…` for the embedded one).
    pub file: String,
    /// 1-based line of its `id`, when it could be located.
    pub line: Option<usize>,
    /// 1-based column of its `id`.
    pub column: Option<usize>,
}

/// A compiled document-level check.
#[derive(Debug, Clone)]
pub struct Check {
    /// The check id.
    pub id: String,
    /// How serious a finding is.
    pub severity: Severity,
    /// What to tell the reader.
    pub message: String,
    /// A link or hint for fixing it.
    pub help: Option<String>,
    /// A longer description.
    pub description: Option<String>,
    /// Themes (indices) that must all be present.
    pub all_present: Vec<usize>,
    /// Themes of which at least one must be present.
    pub any_present: Vec<usize>,
    /// Themes that must all be absent.
    pub none_present: Vec<usize>,
    /// The stance must be one of these (when not empty).
    pub stance: Vec<Stance>,
    /// The stance must not be one of these.
    pub stance_not: Vec<Stance>,
    /// The stance confidence must reach this.
    pub min_confidence: Option<f64>,
    /// Theme scores that must be reached.
    pub min_score: Vec<(usize, f64)>,
    /// Theme hit counts that must be reached.
    pub min_hits: Vec<(usize, usize)>,
    /// Where the check is defined.
    pub origin: Origin,
}

/// How a literal in the automaton is used by a rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LiteralUse {
    pub(crate) rule: usize,
    pub(crate) role: Role,
}

/// The role a literal plays for its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A keyword, by index into [`Rule::keywords`].
    Keyword(usize),
    /// An exclusion phrase.
    Exclude,
    /// A gate literal for the rule's regexes.
    Gate,
    /// A term of the `all-of` group with this index.
    Group(usize),
    /// A prefix literal of the rule's regex with this index.
    RegexStart(usize),
    /// A literal of one of the clauses [`required_literals_of`] found in a
    /// regex: the bit it sets in the rule's met-needs mask.
    RegexNeed(u32),
}

impl CompiledRules {
    /// Information about each loaded ruleset file.
    pub fn rulesets(&self) -> &[RulesetInfo] {
        &self.inner.rulesets
    }

    /// All themes, in definition order.
    pub fn themes(&self) -> &[Theme] {
        &self.inner.themes
    }

    /// All rules and cues, in definition order.
    pub fn rules(&self) -> &[Rule] {
        &self.inner.rules
    }

    /// All document-level checks, in definition order.
    pub fn checks(&self) -> &[Check] {
        &self.inner.checks
    }

    /// The same rules without the checks named in `ids` (a configuration's
    /// `checks.disable`). An id that names no check is returned as the
    /// error, so a typo does not silently keep a check on.
    pub fn without_checks(&self, ids: &[String]) -> Result<CompiledRules, String> {
        if let Some(unknown) = ids
            .iter()
            .find(|id| !self.checks().iter().any(|c| &c.id == *id))
        {
            return Err(unknown.clone());
        }
        let mut inner = (*self.inner).clone();
        inner.checks.retain(|c| !ids.contains(&c.id));
        Ok(CompiledRules {
            inner: Arc::new(inner),
        })
    }

    /// The number of distinct literals in the automaton.
    pub fn literal_count(&self) -> usize {
        self.inner.uses.len()
    }

    /// The distinct literals of the automaton (keywords, `all-of` terms,
    /// exclusion phrases, gate literals and regex prefixes), folded:
    /// lowercase, with every run of spaces, hyphens and dashes written as
    /// one space.
    pub fn literals(&self) -> &[String] {
        &self.inner.literals
    }

    /// The distinct folded literals that rules match as such: keywords and
    /// `all-of` terms (not exclusions, gates or regex prefixes), in
    /// automaton order. What `policyscan rules keywords` prints.
    pub fn keywords(&self) -> impl Iterator<Item = &str> {
        self.inner
            .literals
            .iter()
            .zip(&self.inner.uses)
            .filter(|(_, uses)| {
                uses.iter()
                    .any(|u| matches!(u.role, Role::Keyword(_) | Role::Group(_)))
            })
            .map(|(literal, _)| literal.as_str())
    }

    pub(crate) fn automaton(&self) -> Option<&Automaton> {
        self.inner.automaton.as_ref()
    }

    pub(crate) fn uses(&self, pattern: usize) -> &[LiteralUse] {
        &self.inner.uses[pattern]
    }

    /// The slot of regex `r` of rule `rule`: every regex of every rule
    /// numbered in order, from 0 to [`CompiledRules::regex_slots`].
    pub(crate) fn regex_slot(&self, rule: usize, r: usize) -> usize {
        self.inner.slot_bases[rule] + r
    }

    /// The number of regexes of all rules.
    pub(crate) fn regex_slots(&self) -> usize {
        self.inner.slots
    }
}

/// Validates and compiles parsed files; collects every problem.
///
/// Compiling the regexes (~100 in the default rules) was most of the
/// start-up time every run pays before reading a document, and building
/// the keyword automaton most of the rest; the automaton needs only the
/// regexes' literals, which are cheap to find. So the literals are found
/// first, then the regexes compile in parallel while the rules are checked
/// and the automaton built without them, then each rule gets its regexes.
/// The embedded rules' anchored patterns (96 of their 98) are not compiled
/// here at all but on first use ([`defer_anchored`]): a run compiles only
/// those whose prefix literals occur in its documents. When a regex fails
/// to compile, the rules are checked again with every regex at hand, so
/// its problem is reported at its rule, in order with the rest.
pub(crate) fn compile(files: Vec<ParsedFile>) -> Result<CompiledRules, Error> {
    use rayon::prelude::*;
    let wanted = wanted_patterns(&files);
    let literals: HashMap<Key, Literals> = wanted
        .par_iter()
        .map(|(key, _)| (key.clone(), Literals::of(&key.0)))
        .collect();
    let prefixed: Vec<bool> = wanted
        .iter()
        .map(|(key, _)| literals[key].prefixes.is_some())
        .collect();
    let (regexes, (builder, automaton)) = rayon::join(
        || {
            wanted
                .par_iter()
                .zip(&prefixed)
                .map(|((key, embedded), &prefixed)| {
                    (key.clone(), build_pattern(key, prefixed, *embedded))
                })
                .collect::<HashMap<Key, Built>>()
        },
        || {
            let builder = Builder::check(&files, literals, None);
            let automaton = builder.build_automaton();
            (builder, automaton)
        },
    );
    if regexes.values().all(Result::is_ok) {
        return builder.with_regexes(&regexes).finish(&files, automaton);
    }
    let builder = Builder::check(&files, builder.literals, Some(regexes));
    let automaton = builder.build_automaton();
    builder.finish(&files, automaton)
}

/// A pattern and whether it is case-sensitive: what a regex is compiled
/// from.
type Key = (String, bool);

/// A compiled pattern, or why it could not be compiled.
type Built = Result<Pattern, regex::Error>;

/// Every distinct pattern of every rule, and whether only the embedded
/// rules use it.
fn wanted_patterns(files: &[ParsedFile]) -> Vec<(Key, bool)> {
    let mut wanted: Vec<(Key, bool)> = files
        .iter()
        .flat_map(|f| {
            let raw = &f.raw;
            let embedded = f.source.embedded;
            raw.themes
                .iter()
                .flat_map(|t| &t.rules)
                .chain(&raw.rules)
                .chain(&raw.cues)
                .flat_map(move |rule| {
                    let case_sensitive = rule.case_sensitive.unwrap_or(false);
                    rule.patterns
                        .iter()
                        .map(move |p| ((p.clone(), case_sensitive), embedded))
                })
        })
        .collect();
    // A pattern also in a user's file sorts first (`false`) and is kept:
    // it is compiled, and so checked, at load.
    wanted.sort_unstable();
    wanted.dedup_by(|next, kept| next.0 == kept.0);
    wanted
}

/// The literals the automaton looks for on a pattern's behalf.
#[derive(Clone)]
struct Literals {
    /// See [`prefix_literals_of`].
    prefixes: Option<Vec<String>>,
    /// See [`required_literals_of`].
    required: Vec<Vec<String>>,
}

impl Literals {
    fn of(pattern: &str) -> Literals {
        // Parsed once for both: parsing (Unicode classes above all) is a
        // good part of loading the rules.
        let hir = parse_literal_hir(pattern);
        Literals {
            prefixes: hir.as_ref().and_then(prefix_literals_of),
            required: hir.as_ref().map_or_else(Vec::new, required_literals_of),
        }
    }
}

/// Compiles a pattern: only for anchored searches when it has prefix
/// literals (`prefixed`: the scan runs it nowhere else), and then on first
/// use when `deferred`; else for every search.
fn build_pattern((pattern, case_sensitive): &Key, prefixed: bool, deferred: bool) -> Built {
    match (prefixed, deferred) {
        (true, true) => Ok(defer_anchored(pattern, *case_sensitive)),
        (true, false) => build_anchored(pattern, *case_sensitive),
        (false, _) => build_regex(pattern, *case_sensitive),
    }
}

/// A rule waiting for its theme to be known.
struct PendingRule<'a> {
    file: usize,
    theme: String,
    raw: &'a RawRule,
}

#[derive(Default)]
struct Builder<'a> {
    problems: Vec<Problem>,
    rulesets: Vec<RulesetInfo>,
    themes: Vec<Theme>,
    theme_ids: HashMap<String, String>,
    rule_ids: HashMap<String, String>,
    rules: Vec<Rule>,
    checks: Vec<Check>,
    check_ids: HashMap<String, String>,
    literal_ids: HashMap<String, usize>,
    uses: Vec<Vec<LiteralUse>>,
    pending: Vec<PendingRule<'a>>,
    /// Cues, compiled after theme rules so rule indices follow
    /// definition order: themes' rules first, then cues.
    pending_cues: Vec<(usize, &'a RawRule)>,
    /// The literals of every pattern.
    literals: HashMap<Key, Literals>,
    /// Every pattern compiled, when the rules are checked with them (see
    /// [`compile`]); `None` when they are attached afterwards.
    regexes: Option<HashMap<Key, Built>>,
    /// For each rule of `rules`: its patterns, to attach their regexes.
    rule_patterns: Vec<Vec<Key>>,
}

impl<'a> Builder<'a> {
    /// Checks every rule and check of `files`, with the patterns'
    /// `literals` and, if given, their `regexes` (see [`compile`]).
    fn check(
        files: &'a [ParsedFile],
        literals: HashMap<Key, Literals>,
        regexes: Option<HashMap<Key, Built>>,
    ) -> Builder<'a> {
        let mut builder = Builder {
            literals,
            regexes,
            ..Builder::default()
        };
        for file in files {
            builder.add_file(file);
        }
        builder.check_theme_references(files);
        for file in files {
            for check in &file.raw.checks {
                builder.add_check(&file.source, check);
            }
        }
        builder
    }

    /// Gives each rule its compiled patterns, in order; every one of them
    /// compiled.
    fn with_regexes(mut self, regexes: &HashMap<Key, Built>) -> Builder<'a> {
        for (rule, keys) in self.rules.iter_mut().zip(&self.rule_patterns) {
            rule.regexes = keys
                .iter()
                .filter_map(|key| regexes.get(key)?.as_ref().ok().cloned())
                .collect();
        }
        self
    }

    fn add_file(&mut self, file: &'a ParsedFile) {
        let index = self.rulesets.len();
        self.rulesets.push(ruleset_info(file));
        for theme in &file.raw.themes {
            self.add_theme(&file.source, theme);
            for rule in &theme.rules {
                if let Some(other) = rule.theme.as_deref().filter(|t| *t != theme.id) {
                    let p = self.problem(
                        &file.source,
                        &rule.id,
                        0,
                        Some(other),
                        Kind::MisplacedField {
                            field: "theme",
                            context: "on a rule nested in another theme",
                        },
                    );
                    self.problems.push(p);
                }
                self.pending.push(PendingRule {
                    file: index,
                    theme: theme.id.clone(),
                    raw: rule,
                });
            }
        }
        for rule in &file.raw.rules {
            match &rule.theme {
                Some(theme) => {
                    self.pending.push(PendingRule {
                        file: index,
                        theme: theme.clone(),
                        raw: rule,
                    });
                }
                None => {
                    let p = self.problem(
                        &file.source,
                        &rule.id,
                        0,
                        None,
                        Kind::MissingField {
                            field: "theme",
                            context: "on top-level `rules` entries",
                        },
                    );
                    self.problems.push(p);
                }
            }
        }
        self.pending_cues
            .extend(file.raw.cues.iter().map(|cue| (index, cue)));
    }

    fn add_theme(&mut self, source: &SourceFile, raw: &RawTheme) {
        if let Some(p) = self.check_id(source, &raw.id, "theme") {
            self.problems.push(p);
            return;
        }
        let threshold = raw.threshold.unwrap_or(DEFAULT_THRESHOLD);
        if !(threshold.is_finite() && threshold >= 0.0) {
            let kind = Kind::BadNumber {
                field: "threshold",
                value: threshold,
            };
            let p = self.problem(source, &raw.id, 0, Some("threshold"), kind);
            self.problems.push(p);
        }
        self.themes.push(Theme {
            id: raw.id.clone(),
            title: raw.title.clone().unwrap_or_else(|| raw.id.clone()),
            description: raw.description.clone().unwrap_or_default(),
            threshold,
            min_rules: raw.min_rules.unwrap_or(1),
        });
    }

    fn add_cue(&mut self, source: &SourceFile, raw: &'a RawRule) {
        if raw.theme.is_some() {
            let kind = Kind::MisplacedField {
                field: "theme",
                context: "on a cue",
            };
            let p = self.problem(source, &raw.id, 0, Some("theme"), kind);
            self.problems.push(p);
        }
        match raw.stance {
            Some(stance) => self.add_rule(source, raw, Owner::Stance(stance)),
            None => {
                let kind = Kind::MissingField {
                    field: "stance",
                    context: "on cues",
                };
                let p = self.problem(source, &raw.id, 0, None, kind);
                self.problems.push(p);
            }
        }
    }

    /// Checks that `id` is well-formed and not taken; registers it.
    fn check_id(&mut self, source: &SourceFile, id: &str, what: &'static str) -> Option<Problem> {
        if id.is_empty() || id.chars().any(char::is_whitespace) {
            let (line, column) = source.locate(id, 0, None).unwrap_or((0, 0));
            let p = Problem::new(&source.name, Kind::BadId(id.to_string()));
            return Some(if line > 0 { p.at(line, column) } else { p });
        }
        let ids = if what == "theme" {
            &mut self.theme_ids
        } else {
            &mut self.rule_ids
        };
        let nth = ids.get(id).map_or(0, |_| 1);
        match ids.get(id) {
            Some(first) => {
                let kind = Kind::DuplicateId {
                    what,
                    first: first.clone(),
                };
                // In the same file the duplicate is the second occurrence.
                let same_file = first.starts_with(&format!("{}:", source.name));
                Some(self.problem(source, id, if same_file { nth } else { 0 }, None, kind))
            }
            None => {
                let here = source.locate(id, 0, None).map_or_else(
                    || source.name.clone(),
                    |(l, c)| format!("{}:{l}:{c}", source.name),
                );
                ids.insert(id.to_string(), here);
                None
            }
        }
    }

    fn problem(
        &self,
        source: &SourceFile,
        id: &str,
        nth: usize,
        value: Option<&str>,
        kind: Kind,
    ) -> Problem {
        let p = Problem::new(&source.name, kind).rule(id);
        match source.locate(id, nth, value) {
            Some((line, column)) => p.at(line, column),
            None => p,
        }
    }

    fn check_theme_references(&mut self, files: &[ParsedFile]) {
        let pending = std::mem::take(&mut self.pending);
        for rule in pending {
            let source = &files[rule.file].source;
            match self.themes.iter().position(|t| t.id == rule.theme) {
                Some(theme) => self.add_rule(source, rule.raw, Owner::Theme(theme)),
                None if self.theme_ids.contains_key(&rule.theme) => {} // theme had a problem
                None => {
                    let kind = self.unknown_theme(&rule.theme);
                    let p = self.problem(source, &rule.raw.id, 0, Some(&rule.theme), kind);
                    self.problems.push(p);
                }
            }
        }
        for (file, cue) in std::mem::take(&mut self.pending_cues) {
            self.add_cue(&files[file].source, cue);
        }
    }

    fn add_rule(&mut self, source: &SourceFile, raw: &RawRule, owner: Owner) {
        if let Some(p) = self.check_id(source, &raw.id, "rule") {
            self.problems.push(p);
            return;
        }
        let before = self.problems.len();
        let rule = self.build_rule(source, raw, owner);
        if self.problems.len() == before {
            self.register_literals(raw, self.rules.len());
            self.rules.push(rule);
            self.rule_patterns.push(pattern_keys(raw));
        }
    }

    fn build_rule(&mut self, source: &SourceFile, raw: &RawRule, owner: Owner) -> Rule {
        if raw.keywords.is_empty() && raw.patterns.is_empty() && raw.all_of.is_empty() {
            let p = self.problem(source, &raw.id, 0, None, Kind::NoMatchers);
            self.problems.push(p);
        }
        for (field, list) in [
            ("keywords", &raw.keywords),
            ("exclude", &raw.exclude),
            ("gate", &raw.gate),
        ] {
            self.check_literals(source, &raw.id, field, list);
        }
        for group in &raw.all_of {
            if group.is_empty() {
                let p = self.problem(source, &raw.id, 0, Some("all-of"), Kind::EmptyGroup);
                self.problems.push(p);
            }
            self.check_literals(source, &raw.id, "all-of", group);
        }
        let weight = raw.weight.unwrap_or(1.0);
        if !(weight.is_finite() && weight >= 0.0) {
            let p = self.problem(
                source,
                &raw.id,
                0,
                Some("weight"),
                Kind::BadNumber {
                    field: "weight",
                    value: weight,
                },
            );
            self.problems.push(p);
        }
        let case_sensitive = raw.case_sensitive.unwrap_or(false);
        let compiled = self.literals_of(raw);
        // Without the regexes at hand, they are attached once all have
        // compiled (see `compile`).
        let built: Option<Vec<Built>> = self.regexes.as_ref().map(|regexes| {
            pattern_keys(raw)
                .iter()
                .zip(&compiled)
                .map(|(key, literals)| {
                    regexes
                        .get(key)
                        .cloned()
                        .unwrap_or_else(|| build_pattern(key, literals.prefixes.is_some(), false))
                })
                .collect()
        });
        let regexes: Vec<Pattern> = raw
            .patterns
            .iter()
            .zip(built.iter().flatten())
            .filter_map(|(p, b)| self.regex_or_problem(source, &raw.id, p, b))
            .collect();
        let (anchored, needs) = if built.is_none() || regexes.len() == raw.patterns.len() {
            let anchored = compiled.iter().map(|c| c.prefixes.is_some()).collect();
            let needs = compiled
                .iter()
                .enumerate()
                .map(|(r, c)| need_mask(r, &c.required))
                .collect();
            (anchored, needs)
        } else {
            (Vec::new(), Vec::new())
        };
        Rule {
            id: raw.id.clone(),
            owner,
            description: raw.description.clone(),
            weight,
            case_sensitive,
            whole_word: raw.whole_word.unwrap_or(true),
            exclude_scope: raw.exclude_scope.unwrap_or_default(),
            keywords: raw.keywords.clone(),
            case_forms: raw
                .keywords
                .iter()
                .map(|k| fold_keyword(k, false))
                .collect(),
            regexes,
            anchored,
            needs,
            all_of: raw.all_of.clone(),
            gated: !raw.gate.is_empty(),
            examples: examples(source, &raw.id, "examples", &raw.examples),
            counterexamples: examples(source, &raw.id, "counterexamples", &raw.counterexamples),
            origin: origin(source, &raw.id),
            dead_keywords: dead_keywords(raw),
            useless_gate: !raw.gate.is_empty() && raw.patterns.is_empty(),
        }
    }

    fn check_literals(
        &mut self,
        source: &SourceFile,
        id: &str,
        field: &'static str,
        list: &[String],
    ) {
        for literal in list {
            if fold_keyword(literal, true).is_empty() {
                let quoted = find_quoted_form(source, id, literal);
                let p = self.problem(
                    source,
                    id,
                    0,
                    quoted.as_deref(),
                    Kind::EmptyKeyword { field },
                );
                self.problems.push(p);
            }
        }
    }

    /// The literals of the rule's patterns, in order.
    fn literals_of(&mut self, raw: &RawRule) -> Vec<Literals> {
        pattern_keys(raw)
            .into_iter()
            .map(|key| {
                self.literals
                    .entry(key)
                    .or_insert_with_key(|key| Literals::of(&key.0))
                    .clone()
            })
            .collect()
    }

    /// The compiled regex, or `None` with the problem recorded.
    fn regex_or_problem(
        &mut self,
        source: &SourceFile,
        id: &str,
        pattern: &str,
        built: &Result<Pattern, regex::Error>,
    ) -> Option<Pattern> {
        let err = match built {
            Ok(re) => return Some(re.clone()),
            Err(err) => err.clone(),
        };
        let kind = match err {
            regex::Error::CompiledTooBig(limit) => Kind::RegexTooBig {
                pattern: pattern.to_string(),
                limit,
            },
            other => Kind::InvalidRegex {
                pattern: pattern.to_string(),
                message: regex_message(&other),
            },
        };
        let p = self.problem(source, id, 0, Some(pattern), kind);
        self.problems.push(p);
        None
    }

    fn register_literals(&mut self, raw: &RawRule, rule: usize) {
        let roles = raw
            .keywords
            .iter()
            .enumerate()
            .map(|(i, k)| (k, Role::Keyword(i)))
            .chain(raw.exclude.iter().map(|k| (k, Role::Exclude)))
            .chain(raw.gate.iter().map(|k| (k, Role::Gate)))
            .chain(
                raw.all_of
                    .iter()
                    .enumerate()
                    .flat_map(|(g, terms)| terms.iter().map(move |t| (t, Role::Group(g)))),
            );
        let compiled = self.literals_of(raw);
        let prefixes: Vec<(String, Role)> = compiled
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((c.prefixes.clone()?, i)))
            .flat_map(|(literals, i)| literals.into_iter().map(move |l| (l, Role::RegexStart(i))))
            .collect();
        let needs: Vec<(String, Role)> = compiled
            .into_iter()
            .enumerate()
            .flat_map(|(r, c)| {
                c.required
                    .into_iter()
                    .enumerate()
                    .flat_map(move |(c, clause)| {
                        let bit = need_bit(r, c);
                        clause
                            .into_iter()
                            .filter_map(move |l| Some((l, Role::RegexNeed(bit?))))
                    })
            })
            .collect();
        let folded_roles = roles
            .map(|(literal, role)| (fold_keyword(literal, true), role))
            .chain(prefixes)
            .chain(needs);
        for (folded, role) in folded_roles {
            let next = self.literal_ids.len();
            let pattern = *self.literal_ids.entry(folded).or_insert(next);
            if pattern == self.uses.len() {
                self.uses.push(Vec::new());
            }
            self.uses[pattern].push(LiteralUse { rule, role });
        }
    }

    fn finish(
        mut self,
        files: &[ParsedFile],
        automaton: Result<Option<Automaton>, Problem>,
    ) -> Result<CompiledRules, Error> {
        if self.problems.is_empty() && self.themes.is_empty() && self.rules.is_empty() {
            let name = files.first().map_or("<rules>", |f| f.source.name.as_str());
            self.problems.push(Problem::new(name, Kind::Empty));
        }
        let automaton = match automaton {
            Ok(a) => a,
            Err(p) => {
                self.problems.push(p);
                None
            }
        };
        if !self.problems.is_empty() {
            return Err(Error::new(self.problems));
        }
        let literals = self.ordered_literals();
        let mut slots = 0;
        let slot_bases = self
            .rules
            .iter()
            .map(|rule| {
                slots += rule.regexes.len();
                slots - rule.regexes.len()
            })
            .collect();
        Ok(CompiledRules {
            inner: Arc::new(Inner {
                rulesets: self.rulesets,
                themes: self.themes,
                rules: self.rules,
                checks: self.checks,
                automaton,
                literals,
                uses: self.uses,
                slot_bases,
                slots,
            }),
        })
    }

    fn add_check(&mut self, source: &SourceFile, raw: &RawCheck) {
        if let Some(first) = self.check_ids.get(&raw.id) {
            let kind = Kind::DuplicateId {
                what: "check",
                first: first.clone(),
            };
            let p = self.problem(source, &raw.id, 1, None, kind);
            self.problems.push(p);
            return;
        }
        let here = source.locate(&raw.id, 0, None).map_or_else(
            || source.name.clone(),
            |(l, c)| format!("{}:{l}:{c}", source.name),
        );
        self.check_ids.insert(raw.id.clone(), here);
        let before = self.problems.len();
        let w = &raw.when;
        let mut themes = |list: &[String]| -> Vec<usize> {
            list.iter()
                .filter_map(|t| self.theme_ref(source, &raw.id, t))
                .collect()
        };
        let all_present = themes(&w.all_present);
        let any_present = themes(&w.any_present);
        let none_present = themes(&w.none_present);
        let min_score = w
            .min_score
            .iter()
            .filter_map(|(t, &v)| self.theme_ref(source, &raw.id, t).map(|i| (i, v)))
            .collect();
        let min_hits = w
            .min_hits
            .iter()
            .filter_map(|(t, &v)| self.theme_ref(source, &raw.id, t).map(|i| (i, v)))
            .collect();
        let empty = all_present.is_empty()
            && any_present.is_empty()
            && none_present.is_empty()
            && w.stance.is_empty()
            && w.stance_not.is_empty()
            && w.min_confidence.is_none()
            && w.min_score.is_empty()
            && w.min_hits.is_empty();
        if empty && self.problems.len() == before {
            let p = self.problem(
                source,
                &raw.id,
                0,
                None,
                Kind::MissingField {
                    field: "when",
                    context: "with at least one condition on checks",
                },
            );
            self.problems.push(p);
        }
        if raw.message.trim().is_empty() {
            let p = self.problem(
                source,
                &raw.id,
                0,
                Some("message"),
                Kind::EmptyKeyword { field: "message" },
            );
            self.problems.push(p);
        }
        if self.problems.len() == before {
            self.checks.push(Check {
                id: raw.id.clone(),
                severity: raw.severity.unwrap_or(Severity::Warning),
                message: raw.message.clone(),
                help: raw.help.clone(),
                description: raw.description.clone(),
                all_present,
                any_present,
                none_present,
                stance: w.stance.clone(),
                stance_not: w.stance_not.clone(),
                min_confidence: w.min_confidence,
                min_score,
                min_hits,
                origin: origin(source, &raw.id),
            });
        }
    }

    /// Resolves a theme id named by a check, or records a problem.
    fn theme_ref(&mut self, source: &SourceFile, check: &str, theme: &str) -> Option<usize> {
        let found = self.themes.iter().position(|t| t.id == theme);
        if found.is_none() {
            let kind = self.unknown_theme(theme);
            let p = self.problem(source, check, 0, Some(theme), kind);
            self.problems.push(p);
        }
        found
    }

    /// The problem of a reference to a theme no file defines, with the
    /// defined theme id closest to it, if one is close enough to be a typo.
    fn unknown_theme(&self, theme: &str) -> Kind {
        let ids = self.theme_ids.keys().map(String::as_str);
        Kind::UnknownTheme {
            theme: theme.to_string(),
            near: crate::suggest::closest(theme, ids).map(str::to_string),
        }
    }

    /// The literals in pattern-id order.
    fn ordered_literals(&self) -> Vec<String> {
        let mut ordered = vec![String::new(); self.literal_ids.len()];
        for (literal, &i) in &self.literal_ids {
            ordered[i].clone_from(literal);
        }
        ordered
    }

    fn build_automaton(&self) -> Result<Option<Automaton>, Problem> {
        if self.literal_ids.is_empty() {
            return Ok(None);
        }
        Automaton::new(&self.ordered_literals())
            .map(Some)
            .map_err(|e| Problem::new("<rules>", Kind::Automaton(e.to_string())))
    }
}

/// What each of the rule's patterns is compiled from, in order.
fn pattern_keys(raw: &RawRule) -> Vec<Key> {
    let case_sensitive = raw.case_sensitive.unwrap_or(false);
    raw.patterns
        .iter()
        .map(|p| (p.clone(), case_sensitive))
        .collect()
}

fn ruleset_info(file: &ParsedFile) -> RulesetInfo {
    let stem = std::path::Path::new(&file.source.name)
        .file_stem()
        .map_or_else(
            || file.source.name.clone(),
            |s| s.to_string_lossy().into_owned(),
        );
    RulesetInfo {
        name: file.raw.name.clone().unwrap_or(stem),
        version: file.raw.version.clone(),
        source: file.source.name.clone(),
    }
}

fn origin(source: &SourceFile, id: &str) -> Origin {
    let at = source.locate(id, 0, None);
    Origin {
        file: source.name.clone(),
        line: at.map(|a| a.0),
        column: at.map(|a| a.1),
    }
}

fn examples(source: &SourceFile, id: &str, field: &str, texts: &[String]) -> Vec<Example> {
    texts
        .iter()
        .map(|text| Example {
            text: text.clone(),
            line: source.locate_in_field(id, field, text).map(|a| a.0),
        })
        .collect()
}

/// Keywords that always overlap one of the rule's exclusion phrases, so
/// every hit is cancelled.
fn dead_keywords(raw: &RawRule) -> Vec<(String, String)> {
    if raw.exclude_scope.unwrap_or_default() != ExcludeScope::Overlap {
        return Vec::new();
    }
    let excludes: Vec<String> = raw.exclude.iter().map(|e| fold_keyword(e, true)).collect();
    raw.keywords
        .iter()
        .filter_map(|k| {
            let folded = fold_keyword(k, true);
            excludes
                .iter()
                .find(|e| !e.is_empty() && folded.contains(e.as_str()))
                .map(|e| {
                    (
                        k.clone(),
                        format!("it contains the exclusion `{e}`, which cancels every hit"),
                    )
                })
        })
        .collect()
}

/// The shortest prefix literal worth anchoring on. Shorter ones ("a",
/// "in", "we") occur so often that a sweep of the whole text is cheaper
/// than an anchored search at each occurrence.
const MIN_PREFIX: usize = 3;

/// The most prefix literals extracted from one pattern (regex-syntax's
/// default is 250). Where words follow alternations of words, their
/// product grows fast; past this many, extraction keeps the shorter
/// prefixes it has.
const MAX_PREFIXES: usize = 64;

/// Prefix literals are cut to this many bytes (about two words): the
/// second word is what makes a place rare ("the state", not "the"); the
/// rest only adds automaton states, which every run pays for at start-up.
///
/// Measured with the default rules (runs alternated, 20,000-document
/// benchmark corpus): before separators were read as spaces, 1,939
/// literals and a 3.11 s scan; uncut, 3,290 literals, 2.86 s and 1,200
/// more page faults for a one-line document; cut to 12 bytes, 2,567
/// literals, 2.85 s and 500 more page faults; 8 or 10 bytes, 2.94–2.97 s.
/// 250 literals a pattern instead of 64 was no faster, 32 slower.
const MAX_PREFIX_LEN: usize = 12;

/// [`prefix_literals_of`] of a pattern's text.
#[cfg(test)]
pub(crate) fn prefix_literals(pattern: &str) -> Option<Vec<String>> {
    prefix_literals_of(&parse_literal_hir(pattern)?)
}

/// A pattern parsed for its literals (with the parser's defaults: the
/// literals are folded afterwards), or `None` if it does not parse.
fn parse_literal_hir(pattern: &str) -> Option<regex_syntax::hir::Hir> {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()
}

/// The folded literals that every match of `pattern` begins with, when
/// there is a finite set of them ("should not", "must not" for
/// `\b(?:should|must)\s+not`; "should", "must" for
/// `\b(?:should|must)\b[^.]{0,40}`), else `None`.
///
/// The pattern is parsed case-sensitively and its literals folded like
/// keywords, so the candidates found in the folded text are a superset of
/// the case-insensitive match starts. Separator runs the pattern matches
/// are read as the one space they fold to (see [`separators_as_spaces`]),
/// so a literal carries on across `\s+`; literals are cut to
/// [`MAX_PREFIX_LEN`] bytes. Literals shorter than
/// [`MIN_PREFIX`] or starting with a separator (which folding may move)
/// disable the shortcut for the pattern.
fn prefix_literals_of(hir: &regex_syntax::hir::Hir) -> Option<Vec<String>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_total(MAX_PREFIXES)
        .extract(&separators_as_spaces(hir));
    let literals = seq.literals()?;
    if literals.is_empty() {
        return None;
    }
    let mut folded = Vec::with_capacity(literals.len());
    for literal in literals {
        let text = std::str::from_utf8(literal.as_bytes()).ok()?;
        let f = FoldedText::new(text).into_string();
        if f.trim_end().len() < MIN_PREFIX || f.starts_with(' ') {
            return None;
        }
        let f = f.trim_end();
        let f = f[..crate::text::floor_boundary(f, MAX_PREFIX_LEN)].trim_end();
        folded.push(f.to_string());
    }
    folded.sort_unstable();
    folded.dedup();
    Some(folded)
}

/// `hir` with every class of separators (whitespace, hyphens, dashes)
/// written as a space, and every repetition of such a class as one space
/// (optional when the repetition may be empty): what the text it matches
/// folds to. Prefix
/// extraction gives up at a class as large as `\s`, so without this
/// `\b(?:the\s+state|officials)\s+(?:should|must)` would anchor at every
/// "the" (and inside "other", "there"); with it, at "the state should",
/// "officials must" and the like.
///
/// Soundness: folding turns a run of separators into one space whatever
/// its length and whatever separators stand next to it, so a match's text
/// and its rewriting fold alike; the literals are folded afterwards.
fn separators_as_spaces(hir: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};
    let space = || Hir::literal(*b" ");
    match hir.kind() {
        HirKind::Class(class) if separators_only(class) => space(),
        HirKind::Repetition(r) if matches!(r.sub.kind(), HirKind::Class(c) if separators_only(c)) => {
            if r.min >= 1 {
                space()
            } else {
                Hir::repetition(Repetition {
                    min: 0,
                    max: Some(1),
                    greedy: true,
                    sub: Box::new(space()),
                })
            }
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(separators_as_spaces(&r.sub)),
            ..r.clone()
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(separators_as_spaces(&c.sub)),
            ..c.clone()
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(separators_as_spaces).collect()),
        HirKind::Alternation(branches) => {
            Hir::alternation(branches.iter().map(separators_as_spaces).collect())
        }
        _ => hir.clone(),
    }
}

/// Whether every character of `class` is a separator to folding (a class
/// of more than 64 characters is taken not to be: `\s` has 25).
fn separators_only(class: &regex_syntax::hir::Class) -> bool {
    use regex_syntax::hir::Class;
    // Counted as read, so a large class (`\w`, hundreds of ranges) is
    // given up on at its 65th character, not copied and summed whole.
    let all_separators = |ranges: &mut dyn Iterator<Item = (u32, u32)>, bytes: bool| {
        let (mut count, mut any) = (0, false);
        for (a, b) in ranges {
            any = true;
            count += b - a + 1;
            // A byte class matches bytes, not characters: only ASCII
            // bytes are characters of their own.
            let separator = |c| {
                (!bytes || c < 0x80) && char::from_u32(c).is_some_and(crate::text::is_separator)
            };
            if count > 64 || !(a..=b).all(separator) {
                return false;
            }
        }
        any
    };
    match class {
        Class::Unicode(c) => all_separators(
            &mut c.iter().map(|r| (u32::from(r.start()), u32::from(r.end()))),
            false,
        ),
        Class::Bytes(c) => all_separators(
            &mut c.iter().map(|r| (u32::from(r.start()), u32::from(r.end()))),
            true,
        ),
    }
}

/// At most this many clauses of required literals are kept per regex.
const MAX_CLAUSES: usize = 3;

/// The bit of clause `clause` of regex `regex` in a rule's mask; `None`
/// past the 64 bits (later regexes simply always run).
fn need_bit(regex: usize, clause: usize) -> Option<u32> {
    u32::try_from(regex * MAX_CLAUSES + clause)
        .ok()
        .filter(|&b| b < 64)
}

/// The mask of every clause bit of one regex.
fn need_mask(regex: usize, clauses: &[Vec<String>]) -> u64 {
    (0..clauses.len())
        .filter_map(|c| need_bit(regex, c))
        .fold(0, |mask, bit| mask | 1 << bit)
}

/// [`required_literals_of`] of a pattern's text.
#[cfg(test)]
pub(crate) fn required_literals(pattern: &str) -> Vec<Vec<String>> {
    parse_literal_hir(pattern).map_or_else(Vec::new, |hir| required_literals_of(&hir))
}

/// Literals a document must contain for `pattern` to match anywhere in
/// it, as clauses: every clause needs one of its literals to occur. For
/// `\b(?:little|marginal)\s+uplift\b` that is `[["uplift"], ["little",
/// "marginal"]]`. A regex runs only in documents where all its clauses
/// are met, which the automaton pass finds for free (ripgrep's
/// required-literal prefilter, at document level).
///
/// Soundness: the literals are runs of ASCII letters and digits that every
/// match contains, lowercased. A case-insensitive match of such a run in
/// the source folds to exactly that run (the only non-ASCII case variants
/// of ASCII letters, `K` U+212A and `ſ` U+017F, fold to `k` and `s`), so
/// the folded text contains it. Clauses of short or very common words are
/// dropped: they would cost more automaton matches than they save.
fn required_literals_of(hir: &regex_syntax::hir::Hir) -> Vec<Vec<String>> {
    let mut clauses = Vec::new();
    collect_required(hir, &mut clauses);
    for clause in &mut clauses {
        clause.sort_unstable();
        clause.dedup();
    }
    clauses.sort_by_key(|c| (std::cmp::Reverse(clause_strength(c)), c.len()));
    clauses.dedup();
    clauses.truncate(MAX_CLAUSES);
    clauses
}

/// Words too common to be worth a clause.
const COMMON: &[&str] = &[
    "about", "also", "been", "could", "from", "have", "into", "more", "must", "only", "should",
    "some", "such", "than", "that", "their", "them", "then", "there", "these", "they", "this",
    "those", "what", "when", "which", "will", "with", "would",
];

/// The shortest literal of a clause, 0 when the clause is not worth
/// keeping.
fn clause_strength(clause: &[String]) -> usize {
    if clause.iter().any(|l| COMMON.contains(&l.as_str())) {
        return 0;
    }
    clause.iter().map(String::len).min().unwrap_or(0)
}

/// Adds to `clauses` the clauses every match of `hir` must satisfy.
fn collect_required(hir: &regex_syntax::hir::Hir, clauses: &mut Vec<Vec<String>>) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Concat(parts) => {
            for part in parts {
                collect_required(part, clauses);
            }
        }
        HirKind::Capture(c) => collect_required(&c.sub, clauses),
        HirKind::Repetition(r) if r.min >= 1 => collect_required(&r.sub, clauses),
        _ => {
            if let Some(clause) = one_of(hir).filter(|c| clause_strength(c) >= MIN_REQUIRED) {
                clauses.push(clause);
            }
        }
    }
}

/// The shortest literal worth requiring. Three-letter literals ("the",
/// "and", "use", "one", "sit") occur inside so many words that the
/// automaton matches they add cost more than the sweeps they save.
const MIN_REQUIRED: usize = 4;

/// A set of literals one of which every match of `hir` contains: for a
/// literal, its longest run of ASCII letters and digits; for an
/// alternation, one such literal from each branch.
fn one_of(hir: &regex_syntax::hir::Hir) -> Option<Vec<String>> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Literal(lit) => {
            let text = std::str::from_utf8(&lit.0).ok()?;
            let run = text
                .split(|c: char| !c.is_ascii_alphanumeric())
                .max_by_key(|r| r.len())?;
            (!run.is_empty()).then(|| vec![run.to_ascii_lowercase()])
        }
        HirKind::Capture(c) => one_of(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => one_of(&r.sub),
        HirKind::Concat(parts) => {
            let mut best: Option<Vec<String>> = None;
            for part in parts {
                if let Some(c) = one_of(part)
                    && best
                        .as_ref()
                        .is_none_or(|b| clause_strength(&c) > clause_strength(b))
                {
                    best = Some(c);
                }
            }
            best
        }
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                all.extend(one_of(branch)?);
                if all.len() > 64 {
                    return None;
                }
            }
            Some(all)
        }
        _ => None,
    }
}

/// Folds a keyword the way document text is folded, trimmed.
fn fold_keyword(keyword: &str, lowercase: bool) -> String {
    let folded = if lowercase {
        FoldedText::new(keyword)
    } else {
        FoldedText::preserving_case(keyword)
    };
    folded.as_str().trim().to_string()
}

/// The quoted form of a blank literal as it appears in the file, so the
/// error can point at it rather than at the rule id.
fn find_quoted_form(source: &SourceFile, _id: &str, literal: &str) -> Option<String> {
    ['"', '\'']
        .iter()
        .map(|q| format!("{q}{literal}{q}"))
        .find(|form| source.text.contains(form.as_str()))
}

/// The regex crate's message is multi-line with a caret diagram; keep the
/// last line, which says what is wrong.
fn regex_message(err: &regex::Error) -> String {
    let text = err.to_string();
    let message = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("error:"))
        .map_or(text.clone(), |l| {
            l.trim_start()
                .trim_start_matches("error:")
                .trim()
                .to_string()
        });
    // What the regex crate leaves out on purpose, and what rules offer
    // instead.
    let instead = if message.starts_with("look-around") {
        "; to veto a match by the words around it use `exclude` (with \
         `exclude-scope: sentence` for its sentence), to require several \
         words in one sentence `all-of`; negation is weighed already \
         (docs/rules.md)"
    } else if message.starts_with("backreferences") {
        "; list the repeated forms as alternatives or keywords instead"
    } else {
        ""
    };
    format!("{message}{instead}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Patterns with prefix literals get the forward engines; others the
    /// meta engine.
    #[test]
    fn only_patterns_with_prefix_literals_skip_the_meta_engine() {
        let build = |pattern: &str| {
            let key = (pattern.to_string(), false);
            build_pattern(&key, prefix_literals(pattern).is_some(), false).unwrap()
        };
        assert!(!build(r"\bshould\s+not\b").has_meta_engine());
        assert!(build(r"\d+\s+flops").has_meta_engine());
    }

    /// The embedded rules' anchored patterns are compiled on first use,
    /// and every one of them compiles; the others are compiled at load.
    #[test]
    fn embedded_anchored_patterns_compile_on_first_use() {
        let rules = crate::rules::load(&[crate::rules::RuleSource::Default]).unwrap();
        let mut deferred = 0;
        for rule in rules.rules() {
            for (pattern, &anchored) in rule.regexes.iter().zip(&rule.anchored) {
                assert_eq!(pattern.is_deferred(), anchored, "{}", pattern.as_str());
                assert_eq!(pattern.is_compiled(), !anchored, "{}", pattern.as_str());
                pattern.anchored();
                assert!(pattern.is_compiled(), "{}", pattern.as_str());
                deferred += usize::from(anchored);
            }
        }
        assert!(deferred > 0);
    }

    /// A pattern that a user's file also has is compiled at load, so that
    /// its problems are reported there; the user's own patterns too.
    #[test]
    fn patterns_in_user_files_compile_at_load() {
        use crate::rules::load::{SourceFile, parse, read_source};
        let default = || {
            read_source(&crate::rules::RuleSource::Default)
                .unwrap()
                .into_iter()
                .map(|f| parse(f).unwrap())
        };
        let embedded = compile(default().collect()).unwrap();
        let shared = embedded
            .rules()
            .iter()
            .find(|r| !r.case_sensitive && r.anchored.first() == Some(&true))
            .map(|r| r.regexes[0].as_str().to_string())
            .unwrap();
        let user = serde_json::json!({"themes": [{"id": "extra", "rules": [
            {"id": "extra-shared", "patterns": [shared]},
            {"id": "extra-own", "patterns": [r"\bsandbox(?:es|ed)?\b"]},
        ]}]});
        let user = SourceFile::from_text("extra.json", &user.to_string(), true);
        let files = default().chain([parse(user).unwrap()]).collect();
        let rules = compile(files).unwrap();
        let (mut at_load, mut deferred) = (0, 0);
        for rule in rules.rules() {
            for (pattern, &anchored) in rule.regexes.iter().zip(&rule.anchored) {
                let in_user_file = rule.id.starts_with("extra-") || pattern.as_str() == shared;
                let want_deferred = anchored && !in_user_file;
                assert_eq!(pattern.is_deferred(), want_deferred, "{}", rule.id);
                assert_eq!(pattern.is_compiled(), !want_deferred, "{}", rule.id);
                at_load += usize::from(in_user_file);
                deferred += usize::from(want_deferred);
            }
        }
        // The shared pattern in its default rule and the user's rule, and
        // the user's own.
        assert!(at_load >= 3, "{at_load}");
        assert!(deferred > 0);
    }

    /// The regexes compile while the rules are checked without them; a
    /// regex that fails is still reported at its rule, in order with the
    /// other problems, and every rule that loads gets its regexes in order.
    #[test]
    fn regex_problems_are_reported_in_rule_order() {
        let yaml = "themes:\n  - id: t\n    rules:\n      - id: a\n        weight: -1\n        keywords: [x]\n      - id: b\n        patterns: ['\\bok\\b', '(unclosed']\n      - id: c\n        keywords: ['']\n      - id: d\n        patterns: ['[z-a]']\n";
        let err = crate::rules::load_str("r.yaml", yaml, false).unwrap_err();
        let rules: Vec<Option<&str>> = err.problems().iter().map(|p| p.rule_id()).collect();
        assert_eq!(rules, [Some("a"), Some("b"), Some("c"), Some("d")], "{err}");
        assert!(
            err.problems()[1].to_string().contains("unclosed group"),
            "{err}"
        );

        let yaml = "themes:\n  - id: t\n    rules:\n      - id: a\n        patterns: ['\\bshould\\s+not\\b', '\\d+ flops']\n      - id: b\n        keywords: [x]\n      - id: c\n        patterns: ['\\bban\\b']\n";
        let rules = crate::rules::load_str("r.yaml", yaml, false).unwrap();
        let patterns: Vec<Vec<&str>> = rules
            .rules()
            .iter()
            .map(|r| r.regexes.iter().map(Pattern::as_str).collect())
            .collect();
        assert_eq!(
            patterns,
            [
                vec![r"\bshould\s+not\b", r"\d+ flops"],
                vec![],
                vec![r"\bban\b"]
            ]
        );
        assert_eq!(rules.rules()[0].anchored, [true, false]);
    }
}
