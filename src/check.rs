//! CI conditions: document-level checks from the ruleset, and which
//! finished reports should fail a build.
//!
//! Checks (`checks:` in a ruleset) are conditions over a document's themes
//! and stance; [`evaluate`] turns those that hold into [`CheckFinding`]s
//! with the evidence behind them. [`FailConditions`] decides the exit code:
//! findings at or above `--fail-on` (default `error`), or a matched
//! `--fail-on-stance` / `--fail-on-theme`, make the run exit 1 unless an
//! input or rule error already makes it exit 2.

use crate::Stance;
use crate::report::{CheckFinding, DocumentReport, Evidence, RunReport};
use crate::rules::{Check, CompiledRules, Severity};

/// How many evidence items a finding carries from each theme involved.
const EVIDENCE_PER_THEME: usize = 2;

/// The checks of `rules` that hold for `report`, in ruleset order.
pub fn evaluate(rules: &CompiledRules, report: &DocumentReport) -> Vec<CheckFinding> {
    rules
        .checks()
        .iter()
        .filter(|c| holds(c, report))
        .map(|c| finding(c, report))
        .collect()
}

fn holds(check: &Check, report: &DocumentReport) -> bool {
    let present = |t: &usize| report.themes.get(*t).is_some_and(|r| r.present);
    let stance = report.stance.label;
    check.all_present.iter().all(present)
        && (check.any_present.is_empty() || check.any_present.iter().any(present))
        && !check.none_present.iter().any(present)
        && (check.stance.is_empty() || check.stance.contains(&stance))
        && !check.stance_not.contains(&stance)
        && check
            .min_confidence
            .is_none_or(|m| report.stance.confidence >= m)
        && check
            .min_score
            .iter()
            .all(|&(t, v)| report.themes.get(t).is_some_and(|r| r.score >= v))
        && check
            .min_hits
            .iter()
            .all(|&(t, v)| report.themes.get(t).is_some_and(|r| r.hits >= v))
}

/// Each condition of `check`, in words, with whether it holds for
/// `report`: what `policyscan explain` shows. The check fires when every
/// one holds (the private `holds` is the same test without the words;
/// a test keeps the two in step).
pub fn conditions(check: &Check, report: &DocumentReport) -> Vec<(String, bool)> {
    let theme = |t: usize| report.themes.get(t);
    let id = |t: usize| theme(t).map_or("?", |r| r.id.as_str());
    let present = |t: usize| theme(t).is_some_and(|r| r.present);
    let mut out = Vec::new();
    for &t in &check.all_present {
        out.push((format!("{} present", id(t)), present(t)));
    }
    if !check.any_present.is_empty() {
        let ids: Vec<&str> = check.any_present.iter().map(|&t| id(t)).collect();
        let any = check.any_present.iter().any(|&t| present(t));
        out.push((format!("any of {} present", ids.join(", ")), any));
    }
    for &t in &check.none_present {
        out.push((format!("{} absent", id(t)), !present(t)));
    }
    let stance = report.stance.label;
    if !check.stance.is_empty() {
        let names: Vec<&str> = check.stance.iter().map(|s| s.as_str()).collect();
        out.push((
            format!("stance {} (is {})", names.join(" or "), stance.as_str()),
            check.stance.contains(&stance),
        ));
    }
    for s in &check.stance_not {
        out.push((format!("stance not {}", s.as_str()), stance != *s));
    }
    if let Some(m) = check.min_confidence {
        let c = report.stance.confidence;
        out.push((format!("confidence ≥ {m} (is {c})"), c >= m));
    }
    for &(t, v) in &check.min_score {
        let score = theme(t).map_or(0.0, |r| r.score);
        out.push((
            format!("{} score ≥ {v} (is {score})", id(t)),
            theme(t).is_some() && score >= v,
        ));
    }
    for &(t, v) in &check.min_hits {
        let hits = theme(t).map_or(0, |r| r.hits);
        out.push((
            format!("{} hits ≥ {v} (is {hits})", id(t)),
            theme(t).is_some() && hits >= v,
        ));
    }
    out
}

fn finding(check: &Check, report: &DocumentReport) -> CheckFinding {
    let mut evidence: Vec<Evidence> = check
        .all_present
        .iter()
        .chain(&check.any_present)
        .chain(check.min_score.iter().map(|(t, _)| t))
        .chain(check.min_hits.iter().map(|(t, _)| t))
        .filter_map(|&t| report.themes.get(t))
        .filter(|t| t.present || t.hits > 0)
        .flat_map(|t| {
            by_content(t.evidence.iter().collect())
                .into_iter()
                .take(EVIDENCE_PER_THEME)
                .cloned()
        })
        .collect();
    if !check.stance.is_empty() || check.min_confidence.is_some() {
        let stance: Vec<Evidence> = report
            .stance
            .evidence
            .iter()
            .filter(|e| e.stance == report.stance.label)
            .map(|e| Evidence {
                modifiers: e.modifiers.clone(),
                rule: e.cue.clone(),
                text: e.text.clone(),
                line: e.line,
                column: e.column,
                snippet: e.snippet.clone(),
                section: e.section.clone(),
                page: e.page,
            })
            .collect();
        evidence.extend(
            by_content(stance.iter().collect())
                .into_iter()
                .take(EVIDENCE_PER_THEME)
                .cloned(),
        );
    }
    // Shown in document order; the finding sits at the earliest piece.
    evidence.sort_by(|a, b| (a.line, a.column, &a.rule).cmp(&(b.line, b.column, &b.rule)));
    evidence.dedup_by(|a, b| a.line == b.line && a.column == b.column && a.rule == b.rule);
    let (line, column) = evidence.first().map_or((1, 1), |e| (e.line, e.column));
    CheckFinding {
        check: check.id.clone(),
        severity: check.severity,
        message: check.message.clone(),
        help: check.help.clone(),
        line,
        column,
        evidence,
        suppressed: None,
    }
}

/// Orders evidence by what it says (rule, then normalised sentence), so
/// that which pieces a finding keeps, and so its fingerprint, does not
/// depend on where in the document they are. Stable, each key built once.
fn by_content(mut evidence: Vec<&Evidence>) -> Vec<&Evidence> {
    evidence.sort_by_cached_key(|e| (e.rule.as_str(), normalised(&e.snippet)));
    evidence
}

/// `text.to_lowercase()` with its whitespace runs as single spaces,
/// trimmed, in one pass (whitespace lowercases to itself, and a word's
/// final sigma is decided within the word).
fn normalised(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            let start = out.len();
            out.push_str(word);
            out[start..].make_ascii_lowercase();
        } else {
            out.push_str(&word.to_lowercase());
        }
    }
    out
}

/// Conditions that fail a run when any document meets them.
#[derive(Debug, Clone, Default)]
pub struct FailConditions {
    /// Fail when a check finding is at least this severe (`None`: never).
    pub severity: Option<Severity>,
    /// Fail when a document takes one of these stances.
    pub stances: Vec<Stance>,
    /// Fail when one of these themes is present in a document.
    pub themes: Vec<String>,
}

impl FailConditions {
    /// True when no condition is set.
    pub fn is_empty(&self) -> bool {
        self.severity.is_none() && self.stances.is_empty() && self.themes.is_empty()
    }

    /// One line per (document, condition) that matched, in report order.
    pub fn matches(&self, report: &RunReport) -> Vec<String> {
        report
            .documents
            .iter()
            .flat_map(|doc| self.matches_document(doc))
            .collect()
    }

    /// The lines of [`FailConditions::matches`] for one document.
    pub fn matches_document(&self, doc: &DocumentReport) -> Vec<String> {
        let mut out = Vec::new();
        let active = doc.checks.iter().filter(|f| f.suppressed.is_none());
        for f in active.filter(|f| self.severity.is_some_and(|s| f.severity >= s)) {
            out.push(format!(
                "{}:{}:{}: {} {}: {}",
                doc.path,
                f.line,
                f.column,
                f.severity.as_str(),
                f.check,
                f.message
            ));
        }
        if self.stances.contains(&doc.stance.label) {
            out.push(format!("{}: stance is {}", doc.path, doc.stance.label));
        }
        for theme in doc
            .themes
            .iter()
            .filter(|t| t.present && self.themes.contains(&t.id))
        {
            out.push(format!("{}: theme {} is present", doc.path, theme.id));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn normalised_is_lowercase_with_single_spaces() {
        for text in [
            "",
            "  Open   WEIGHTS\tare\nHere ",
            "ΟΔΟΣ ΟΔΟΣ. Straße İstanbul",
            "x",
        ] {
            let want = text
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(super::normalised(text), want, "{text:?}");
        }
    }
}
