//! `policyscan diff OLD NEW`: what changed between two versions of a draft.
//!
//! Both versions are analysed with the same compiled rules. Themes are
//! compared by presence and score, the stance by label and confidence,
//! evidence by content (rule and normalised sentence, so a moved paragraph
//! is not "new"), and check findings by check id (a check fires at most
//! once per document).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::Stance;
use crate::classify::{self, ClassifyOptions};
use crate::report::{CheckFinding, DocumentReport, Evidence};
use crate::rules::CompiledRules;
use crate::text::Document;

/// The differences between two versions of a document.
#[derive(Debug, Clone, Serialize)]
pub struct DraftDiff {
    /// The old version's path.
    pub old: String,
    /// The new version's path.
    pub new: String,
    /// The stance before and after.
    pub stance: StanceChange,
    /// Themes whose presence or score changed.
    pub themes: Vec<ThemeChange>,
    /// Evidence present only in the new version.
    pub evidence_added: Vec<ThemedEvidence>,
    /// Evidence present only in the old version.
    pub evidence_removed: Vec<ThemedEvidence>,
    /// Check findings that fire only in the new version.
    pub checks_new: Vec<CheckFinding>,
    /// Check findings that fired only in the old version.
    pub checks_resolved: Vec<CheckFinding>,
}

/// A stance before and after.
#[derive(Debug, Clone, Serialize)]
pub struct StanceChange {
    /// The old label.
    pub old: Stance,
    /// The new label.
    pub new: Stance,
    /// The old confidence.
    pub old_confidence: f64,
    /// The new confidence.
    pub new_confidence: f64,
}

/// A theme whose presence or score changed.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeChange {
    /// The theme id.
    pub id: String,
    /// `gained`, `lost` or `changed` (score only).
    pub change: String,
    /// Presence before.
    pub old_present: bool,
    /// Presence after.
    pub new_present: bool,
    /// Score before.
    pub old_score: f64,
    /// Score after.
    pub new_score: f64,
}

/// A theme's evidence item.
#[derive(Debug, Clone, Serialize)]
pub struct ThemedEvidence {
    /// The theme id.
    pub theme: String,
    /// The evidence.
    #[serde(flatten)]
    pub evidence: Evidence,
}

/// Compares two versions of a document.
pub fn diff(rules: &CompiledRules, old: &Document, new: &Document) -> DraftDiff {
    let options = ClassifyOptions {
        max_evidence: usize::MAX,
        ..ClassifyOptions::default()
    };
    let (a, b) = (
        classify::analyze(rules, old, &options),
        classify::analyze(rules, new, &options),
    );
    compare(&a, &b)
}

/// Compares two reports of the same ruleset.
pub fn compare(a: &DocumentReport, b: &DocumentReport) -> DraftDiff {
    let themes = a
        .themes
        .iter()
        .zip(&b.themes)
        .filter_map(|(x, y)| {
            let change = match (x.present, y.present) {
                (false, true) => "gained",
                (true, false) => "lost",
                _ if (x.score - y.score).abs() >= 0.01 => "changed",
                _ => return None,
            };
            Some(ThemeChange {
                id: x.id.clone(),
                change: change.to_string(),
                old_present: x.present,
                new_present: y.present,
                old_score: x.score,
                new_score: y.score,
            })
        })
        .collect();
    let (evidence_added, evidence_removed) = (only_in(b, a), only_in(a, b));
    // A check fires at most once per document, so a check is new or
    // resolved by its id alone: one that fires in both versions is neither,
    // however its evidence changed (its fingerprint follows the evidence,
    // which any added sentence on the same themes can change).
    let active = |r: &DocumentReport, other: &DocumentReport| -> Vec<CheckFinding> {
        let fires = |check: &str| {
            other
                .checks
                .iter()
                .any(|f| f.suppressed.is_none() && f.check == check)
        };
        r.checks
            .iter()
            .filter(|f| f.suppressed.is_none() && !fires(&f.check))
            .cloned()
            .collect()
    };
    DraftDiff {
        old: a.path.clone(),
        new: b.path.clone(),
        stance: StanceChange {
            old: a.stance.label,
            new: b.stance.label,
            old_confidence: a.stance.confidence,
            new_confidence: b.stance.confidence,
        },
        themes,
        evidence_added,
        evidence_removed,
        checks_new: active(b, a),
        checks_resolved: active(a, b),
    }
}

/// Evidence of `x` whose content does not occur in `y`, theme by theme,
/// one line per (theme, rule, sentence).
fn only_in(x: &DocumentReport, y: &DocumentReport) -> Vec<ThemedEvidence> {
    let key = |theme: &str, e: &Evidence| {
        (
            theme.to_string(),
            e.rule.clone(),
            e.snippet
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
    };
    let known: BTreeSet<(String, String, String)> = y
        .themes
        .iter()
        .flat_map(|t| t.evidence.iter().map(move |e| key(&t.id, e)))
        .collect();
    let mut seen = BTreeSet::new();
    x.themes
        .iter()
        .flat_map(|t| t.evidence.iter().map(move |e| (t, e)))
        .filter(|(t, e)| !known.contains(&key(&t.id, e)) && seen.insert(key(&t.id, e)))
        .map(|(t, e)| ThemedEvidence {
            theme: t.id.clone(),
            evidence: e.clone(),
        })
        .collect()
}
