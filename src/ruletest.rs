//! Rule tests (`policyscan test`): every rule's examples and
//! counterexamples, lint warnings about rules, and annotated fixture
//! documents, in the spirit of semgrep's `--test`.
//!
//! A fixture states what the default (or given) rules must conclude about
//! it with annotation lines, in any comment form:
//!
//! ```text
//! <!-- expect-stance: hybrid -->
//! <!-- expect-theme: liability, safe-harbor -->
//! # expect-no-theme: export-control
//! ```
//!
//! Annotation lines are blanked before the document is scanned, so the
//! theme ids they name never count as evidence.
//!
//! ```
//! use policyscan::{ruletest, rules};
//!
//! let rules = rules::load(&[rules::RuleSource::Default]).unwrap();
//! let outcome = ruletest::check_rules(&rules);
//! assert!(outcome.failures.is_empty());
//! ```

use std::sync::LazyLock;

use regex::Regex;

use crate::classify::{self, ClassifyOptions};
use crate::report::DocumentReport;
use crate::rules::{CompiledRules, Example, Rule};
use crate::scan;
use crate::text::{Document, Format};

/// One failed expectation, or one warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The ruleset or fixture file.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The rule, cue or theme concerned.
    pub rule: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(rule) = &self.rule {
            write!(f, ": `{rule}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The result of checking rules or fixtures.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Expectations that held.
    pub passed: usize,
    /// Expectations that did not.
    pub failures: Vec<Finding>,
    /// Problems that do not fail the run.
    pub warnings: Vec<Finding>,
}

impl Outcome {
    /// Adds another outcome to this one.
    pub fn merge(&mut self, other: Outcome) {
        self.passed += other.passed;
        self.failures.extend(other.failures);
        self.warnings.extend(other.warnings);
    }
}

/// Runs every rule's examples (each must hit the rule) and
/// counterexamples (none may), with the whole ruleset compiled as in a
/// real scan, and collects warnings about rules.
pub fn check_rules(rules: &CompiledRules) -> Outcome {
    check_rules_where(rules, |_| true)
}

/// [`check_rules`] for the rules defined in `file` alone (an editor's
/// ruleset buffer, loaded among others).
pub fn check_rules_in(rules: &CompiledRules, file: &str) -> Outcome {
    check_rules_where(rules, |rule| rule.origin.file == file)
}

fn check_rules_where(rules: &CompiledRules, wanted: impl Fn(&Rule) -> bool) -> Outcome {
    let mut outcome = Outcome::default();
    for (index, rule) in rules.rules().iter().enumerate() {
        if !wanted(rule) {
            continue;
        }
        for (example, should_hit) in rule
            .examples
            .iter()
            .map(|e| (e, true))
            .chain(rule.counterexamples.iter().map(|e| (e, false)))
        {
            if hits_rule(rules, index, &example.text) == should_hit {
                outcome.passed += 1;
            } else {
                outcome
                    .failures
                    .push(example_failure(rule, example, should_hit));
            }
        }
        outcome.warnings.extend(lint(rule));
    }
    outcome
}

fn hits_rule(rules: &CompiledRules, index: usize, text: &str) -> bool {
    let doc = Document::new("example", Format::Text, text.to_string());
    scan::scan(rules, &doc).iter().any(|h| h.rule == index)
}

fn example_failure(rule: &Rule, example: &Example, should_hit: bool) -> Finding {
    let message = if should_hit {
        format!("example does not match: {:?}", example.text)
    } else {
        format!("counterexample matches: {:?}", example.text)
    };
    Finding {
        file: rule.origin.file.clone(),
        line: example.line.or(rule.origin.line),
        rule: Some(rule.id.clone()),
        message,
    }
}

fn lint(rule: &Rule) -> Vec<Finding> {
    let at = |message: String| Finding {
        file: rule.origin.file.clone(),
        line: rule.origin.line,
        rule: Some(rule.id.clone()),
        message,
    };
    let mut out = Vec::new();
    if rule.examples.is_empty() {
        out.push(at(
            "has no examples; add `examples:` so its behaviour is tested".to_string(),
        ));
    }
    for (keyword, why) in &rule.dead_keywords {
        out.push(at(format!("keyword `{keyword}` can never match: {why}")));
    }
    for pattern in &rule.regexes {
        let source = pattern.as_str();
        let can_be_empty =
            regex_syntax::parse(source).is_ok_and(|hir| hir.properties().minimum_len() == Some(0));
        if can_be_empty {
            out.push(at(format!(
                "pattern `{source}` can match empty text, and empty matches never count; \
                 make every match at least one character (`x+`, not `x*`)"
            )));
        }
    }
    if rule.useless_gate {
        out.push(at(
            "has a `gate` but no `patterns`; the gate has no effect".to_string()
        ));
    }
    out
}

/// What an annotated fixture expects.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expectation {
    Stance(String),
    Theme(String),
    NoTheme(String),
}

static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*(?:<!--|#+|//|%|;)?[ \t]*(expect-stance|expect-theme|expect-no-theme)[ \t]*:[ \t]*(.*?)[ \t]*(?:-->)?[ \t]*\r?$").unwrap()
});

/// Annotations of a fixture text, each with its 1-based line, and the
/// text with annotation lines blanked (same length, same lines).
fn annotations(text: &str) -> (Vec<(usize, Expectation)>, String) {
    let mut found = Vec::new();
    let mut ranges = Vec::new();
    let mut lines = crate::text::LineCounter::new(text);
    for caps in ANNOTATION.captures_iter(text) {
        let whole = caps.get(0).unwrap();
        let line = lines.line_of(whole.start());
        for value in caps[2].split(',').map(str::trim).filter(|v| !v.is_empty()) {
            let expectation = match &caps[1] {
                "expect-stance" => Expectation::Stance(value.to_string()),
                "expect-theme" => Expectation::Theme(value.to_string()),
                _ => Expectation::NoTheme(value.to_string()),
            };
            found.push((line, expectation));
        }
        ranges.push(whole.range());
    }
    let mut blanked = text.to_string();
    crate::text::blank_all(&mut blanked, &ranges);
    (found, blanked)
}

/// Checks one fixture's annotations against the rules. Returns `None`
/// when the text has no annotations.
pub fn check_fixture(
    rules: &CompiledRules,
    path: &str,
    format: Format,
    text: &str,
) -> Option<Outcome> {
    let (expectations, blanked) = annotations(text);
    if expectations.is_empty() {
        return None;
    }
    let doc = Document::new(path, format, blanked);
    let report = classify::analyze(rules, &doc, &ClassifyOptions::default());
    let mut outcome = Outcome::default();
    for (line, expectation) in expectations {
        match judge(&report, &expectation) {
            Ok(()) => outcome.passed += 1,
            Err((rule, message)) => outcome.failures.push(Finding {
                file: path.to_string(),
                line: Some(line),
                rule: Some(rule),
                message,
            }),
        }
    }
    Some(outcome)
}

fn judge(report: &DocumentReport, expectation: &Expectation) -> Result<(), (String, String)> {
    let theme = |id: &str| report.themes.iter().find(|t| t.id == id);
    match expectation {
        Expectation::Stance(want) if report.stance.label.as_str() == want => Ok(()),
        Expectation::Stance(want) => {
            let s = &report.stance;
            Err((
                want.clone(),
                format!(
                    "expected stance {want}, got {} ({}; pro-open {}, security-first {}, hybrid {}, neutral {})",
                    s.label,
                    s.reason,
                    s.scores.pro_open,
                    s.scores.security_first,
                    s.scores.hybrid,
                    s.scores.neutral
                ),
            ))
        }
        Expectation::Theme(id) | Expectation::NoTheme(id) if theme(id).is_none() => {
            let ids = report.themes.iter().map(|t| t.id.as_str());
            let message = match crate::suggest::closest(id, ids) {
                Some(near) => format!("unknown theme `{id}` (did you mean `{near}`?)"),
                None => format!("unknown theme `{id}`"),
            };
            Err((id.clone(), message))
        }
        Expectation::Theme(id) => match theme(id) {
            Some(t) if t.present => Ok(()),
            Some(t) => Err((
                id.clone(),
                format!(
                    "expected theme {id} to be present; peak {} (score {}, {} hits)",
                    t.peak, t.score, t.hits
                ),
            )),
            None => unreachable!("unknown themes are handled above"),
        },
        Expectation::NoTheme(id) => match theme(id) {
            Some(t) if t.present => {
                let lines: Vec<String> = t.evidence.iter().map(|e| e.line.to_string()).collect();
                Err((
                    id.clone(),
                    format!(
                        "expected theme {id} to be absent; peak {} from lines {}",
                        t.peak,
                        lines.join(", ")
                    ),
                ))
            }
            _ => Ok(()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{self, RuleSource};

    #[test]
    fn annotations_in_every_comment_form_are_found_and_blanked() {
        let text = "<!-- expect-stance: hybrid -->\nbody\n# expect-theme: liability, safe-harbor\n// expect-no-theme: export-control\nexpect-theme: geopolitics\n";
        let (found, blanked) = annotations(text);
        assert_eq!(
            found,
            [
                (1, Expectation::Stance("hybrid".into())),
                (3, Expectation::Theme("liability".into())),
                (3, Expectation::Theme("safe-harbor".into())),
                (4, Expectation::NoTheme("export-control".into())),
                (5, Expectation::Theme("geopolitics".into())),
            ]
        );
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.lines().count(), text.lines().count());
        assert!(!blanked.contains("liability"));
    }

    #[test]
    fn fixtures_pass_and_fail() {
        let rules = rules::load(&[RuleSource::Default]).unwrap();
        let good = "<!-- expect-stance: security-first -->\n<!-- expect-no-theme: export-control -->\nA release is irreversible, reckless and catastrophic.\n";
        let outcome = check_fixture(&rules, "good.md", Format::Markdown, good).unwrap();
        assert_eq!((outcome.passed, outcome.failures.len()), (2, 0));
        let bad = "<!-- expect-stance: hybrid -->\n<!-- expect-theme: liability, nonsense -->\nA release is irreversible, reckless and catastrophic.\n";
        let outcome = check_fixture(&rules, "bad.md", Format::Markdown, bad).unwrap();
        let lines: Vec<(Option<usize>, Option<&str>)> = outcome
            .failures
            .iter()
            .map(|f| (f.line, f.rule.as_deref()))
            .collect();
        assert_eq!(
            lines,
            [
                (Some(1), Some("hybrid")),
                (Some(2), Some("liability")),
                (Some(2), Some("nonsense"))
            ]
        );
        assert!(check_fixture(&rules, "plain.txt", Format::Text, "no annotations").is_none());
        let typo = "<!-- expect-no-theme: exprot-control -->\nNothing.\n";
        let outcome = check_fixture(&rules, "typo.md", Format::Markdown, typo).unwrap();
        assert_eq!(
            outcome.failures[0].message,
            "unknown theme `exprot-control` (did you mean `export-control`?)"
        );
    }

    #[test]
    fn broken_examples_fail_and_dead_keywords_warn() {
        let yaml = "themes:\n  - id: t\n    rules:\n      - id: r\n        keywords: [tax exempt, exempt]\n        exclude: [tax]\n        gate: [x]\n        examples: [an exempt body, nothing here]\n        counterexamples: [exempt]\n      - id: bare\n        keywords: [bare]\n";
        let rules = rules::load_str("t.yaml", yaml, false).unwrap();
        let outcome = check_rules(&rules);
        assert_eq!(outcome.passed, 1);
        let failures: Vec<String> = outcome.failures.iter().map(ToString::to_string).collect();
        assert_eq!(
            failures,
            [
                "t.yaml:8: `r`: example does not match: \"nothing here\"",
                "t.yaml:9: `r`: counterexample matches: \"exempt\""
            ]
        );
        let warnings: Vec<String> = outcome.warnings.iter().map(|w| w.message.clone()).collect();
        assert_eq!(
            warnings,
            [
                "keyword `tax exempt` can never match: it contains the exclusion `tax`, which cancels every hit",
                "has a `gate` but no `patterns`; the gate has no effect",
                "has no examples; add `examples:` so its behaviour is tested",
            ]
        );
    }

    #[test]
    fn patterns_that_can_match_empty_text_warn() {
        let yaml = "themes:\n  - id: t\n    rules:\n      - id: r\n        patterns: ['x*', '(?i)widgets?', '(a|b)?c', '(foo)?']\n        examples: [x]\n";
        let rules = rules::load_str("t.yaml", yaml, false).unwrap();
        let warnings: Vec<String> = check_rules(&rules)
            .warnings
            .iter()
            .map(|w| w.message.clone())
            .collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("pattern `x*` can match empty text"));
        assert!(warnings[1].starts_with("pattern `(foo)?` can match empty text"));
        // Empty matches indeed never count: `x*` hits only where an x is.
        let hits = scan::scan(&rules, &Document::new("d", Format::Text, "ab x d".into()));
        assert_eq!(hits.iter().map(|h| h.start).collect::<Vec<_>>(), [3]);
    }
}
