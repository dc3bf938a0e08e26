//! Evaluation (`policyscan eval`): predictions against a labels file.
//!
//! Labels are TSV, one document per line: `path`, `stance`,
//! comma-separated `themes`, optionally comma-separated `borderline`
//! themes that count neither way, and optionally the comma-separated
//! `checks` expected to fire (`-` for none; a document without the column
//! is not scored on checks). A header line starting with `path` and
//! lines starting with `#` are skipped. Paths are relative to the labels
//! file's folder.
//!
//! Reported: stance accuracy and macro-F1 with per-stance precision,
//! recall and F1 and a confusion matrix; per-theme precision, recall and F1
//! and micro-F1 over all (document, theme) pairs; the same for checks over
//! the documents labelled with them (a check fires whether or not a
//! comment suppresses it: the labels judge the rules); the documents that
//! were labelled but not scanned, or scanned but not labelled.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::Stance;
use crate::report::DocumentReport;

/// One labelled document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// 1-based line in the labels file.
    pub line: usize,
    /// The path as written in the labels file.
    pub path: String,
    /// The path resolved against the labels file's folder.
    pub resolved: PathBuf,
    /// The expected stance.
    pub stance: Stance,
    /// Themes that must be present.
    pub themes: BTreeSet<String>,
    /// Themes that count neither way.
    pub borderline: BTreeSet<String>,
    /// The checks that must fire, and only they; `None` when the document
    /// is not labelled with checks.
    pub checks: Option<BTreeSet<String>>,
}

/// A malformed labels line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for LabelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for LabelError {}

/// Parses a labels file's text; `base` is the folder paths are relative to.
pub fn parse_labels(text: &str, base: &Path) -> Result<Vec<Label>, LabelError> {
    let mut labels = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() || line.starts_with('#') || (i == 0 && line.starts_with("path\t"))
        {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 {
            return Err(LabelError {
                line: line_no,
                message: "expected tab-separated path and stance".into(),
            });
        }
        let stance = Stance::parse(cols[1].trim()).ok_or_else(|| {
            let given = cols[1].trim();
            let names = Stance::ALL.map(Stance::as_str);
            let hint = match crate::suggest::closest(given, names) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("expected one of {}", names.join(", ")),
            };
            LabelError {
                line: line_no,
                message: format!("unknown stance `{given}` ({hint})"),
            }
        })?;
        let list = |n: usize| -> BTreeSet<String> {
            cols.get(n).map_or(BTreeSet::new(), |c| {
                c.split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(String::from)
                    .collect()
            })
        };
        let path = cols[0].trim().to_string();
        let checks = match cols.get(4).map(|c| c.trim()) {
            None | Some("") => None,
            Some("-") => Some(BTreeSet::new()),
            Some(_) => Some(list(4)),
        };
        labels.push(Label {
            line: line_no,
            resolved: base.join(&path),
            path,
            stance,
            themes: list(2),
            borderline: list(3),
            checks,
        });
    }
    Ok(labels)
}

/// Checks that every theme the labels name is one of `theme_ids`: a
/// misspelt theme would otherwise count as a theme the rules always miss.
pub fn check_themes(labels: &[Label], theme_ids: &[String]) -> Result<(), LabelError> {
    known(labels, ("theme", theme_ids), |l| {
        l.themes.iter().chain(&l.borderline).collect()
    })
}

/// Checks that every check the labels name is one of `check_ids`.
pub fn check_checks(labels: &[Label], check_ids: &[String]) -> Result<(), LabelError> {
    known(labels, ("check", check_ids), |l| {
        l.checks.iter().flatten().collect()
    })
}

/// An error for the first id of a `kind` that `named` takes from a label
/// and that is not among `ids`.
fn known(
    labels: &[Label],
    (kind, ids): (&str, &[String]),
    named: impl Fn(&Label) -> Vec<&String>,
) -> Result<(), LabelError> {
    for label in labels {
        if let Some(id) = named(label).into_iter().find(|id| !ids.contains(id)) {
            let near = crate::suggest::closest(id, ids.iter().map(String::as_str));
            return Err(LabelError {
                line: label.line,
                message: match near {
                    Some(near) => format!("unknown {kind} `{id}` (did you mean `{near}`?)"),
                    None => format!("unknown {kind} `{id}` (see `policyscan rules list`)"),
                },
            });
        }
    }
    Ok(())
}

/// Precision, recall and F1 of one class or theme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    pub r#fn: usize,
    /// `tp / (tp + fp)`; 1 when nothing was predicted and nothing expected.
    pub precision: f64,
    /// `tp / (tp + fn)`; 1 when nothing was expected and nothing predicted.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Labelled positives (`tp + fn`).
    pub support: usize,
}

impl Scores {
    fn from_counts(tp: usize, fp: usize, r#fn: usize) -> Scores {
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        let precision = if tp + fp == 0 && r#fn > 0 {
            0.0
        } else {
            ratio(tp, tp + fp)
        };
        let recall = if tp + r#fn == 0 && fp > 0 {
            0.0
        } else {
            ratio(tp, tp + r#fn)
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Scores {
            tp,
            fp,
            r#fn,
            precision: round(precision),
            recall: round(recall),
            f1: round(f1),
            support: tp + r#fn,
        }
    }

    /// True when the class was neither labelled nor predicted anywhere.
    pub fn is_empty(&self) -> bool {
        self.tp + self.fp + self.r#fn == 0
    }
}

/// Stance metrics.
#[derive(Debug, Clone, Serialize)]
pub struct StanceMetrics {
    /// Share of documents whose stance is right.
    pub accuracy: f64,
    /// Mean F1 over stances that were labelled or predicted.
    pub macro_f1: f64,
    /// Per-stance scores.
    pub per_stance: BTreeMap<Stance, Scores>,
    /// `confusion[labelled][predicted]`, in [`Stance::ALL`] order.
    pub confusion: [[usize; 4]; 4],
}

/// Theme metrics.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeMetrics {
    /// Micro-averaged scores over all (document, theme) pairs.
    pub micro: Scores,
    /// Per-theme scores.
    pub per_theme: BTreeMap<String, Scores>,
}

/// A document whose prediction differs from its label.
#[derive(Debug, Clone, Serialize)]
pub struct Mismatch {
    /// The path as labelled.
    pub path: String,
    /// The labelled stance.
    pub expected_stance: Stance,
    /// The predicted stance.
    pub predicted_stance: Stance,
    /// Labelled themes not found.
    pub missing_themes: Vec<String>,
    /// Themes found but not labelled (borderline excluded).
    pub extra_themes: Vec<String>,
    /// Labelled checks that did not fire.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_checks: Vec<String>,
    /// Checks that fired but are not labelled.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra_checks: Vec<String>,
}

/// Check metrics, over the documents labelled with checks.
#[derive(Debug, Clone, Serialize)]
pub struct CheckMetrics {
    /// Documents labelled with checks.
    pub documents: usize,
    /// Micro-averaged scores over all (document, check) pairs.
    pub micro: Scores,
    /// Per-check scores.
    pub per_check: BTreeMap<String, Scores>,
}

/// The result of an evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// Documents both labelled and scanned.
    pub documents: usize,
    /// Stance metrics.
    pub stance: StanceMetrics,
    /// Theme metrics.
    pub themes: ThemeMetrics,
    /// Check metrics; absent when no document is labelled with checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checks: Option<CheckMetrics>,
    /// Documents with any difference.
    pub mismatches: Vec<Mismatch>,
    /// Labelled documents that were not scanned (missing or unreadable).
    pub missing: Vec<String>,
    /// Scanned documents without a label.
    pub unlabelled: Vec<String>,
}

/// Compares `reports` with `labels`. `ids` lists the ruleset's themes
/// and checks (every one gets a row, even with no support).
pub fn evaluate(
    labels: &[Label],
    reports: &[DocumentReport],
    (theme_ids, check_ids): (&[String], &[String]),
) -> Evaluation {
    let by_key: BTreeMap<PathBuf, &DocumentReport> = reports
        .iter()
        .map(|r| (key(Path::new(&r.path)), r))
        .collect();
    let mut used = BTreeSet::new();
    let mut pairs = Vec::new();
    let mut missing = Vec::new();
    for label in labels {
        let k = key(&label.resolved);
        match by_key.get(&k) {
            Some(report) => {
                used.insert(k);
                pairs.push((label, *report));
            }
            None => missing.push(label.path.clone()),
        }
    }
    let unlabelled = by_key
        .iter()
        .filter(|(k, _)| !used.contains(*k))
        .map(|(_, r)| r.path.clone())
        .collect();
    Evaluation {
        documents: pairs.len(),
        stance: stance_metrics(&pairs),
        themes: theme_metrics(&pairs, theme_ids),
        checks: check_metrics(&pairs, check_ids),
        mismatches: pairs.iter().filter_map(|(l, r)| mismatch(l, r)).collect(),
        missing,
        unlabelled,
    }
}

/// Paths are compared canonically when they exist, as written otherwise.
fn key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn stance_metrics(pairs: &[(&Label, &DocumentReport)]) -> StanceMetrics {
    let mut confusion = [[0usize; 4]; 4];
    for (label, report) in pairs {
        confusion[label.stance.index()][report.stance.label.index()] += 1;
    }
    let per_stance: BTreeMap<Stance, Scores> = Stance::ALL
        .iter()
        .map(|&s| {
            let i = s.index();
            let tp = confusion[i][i];
            let fp = (0..4).map(|r| confusion[r][i]).sum::<usize>() - tp;
            let r#fn = confusion[i].iter().sum::<usize>() - tp;
            (s, Scores::from_counts(tp, fp, r#fn))
        })
        .collect();
    let correct: usize = (0..4).map(|i| confusion[i][i]).sum();
    let counted: Vec<f64> = per_stance
        .values()
        .filter(|s| !s.is_empty())
        .map(|s| s.f1)
        .collect();
    StanceMetrics {
        accuracy: round(correct as f64 / pairs.len().max(1) as f64),
        macro_f1: round(counted.iter().sum::<f64>() / counted.len().max(1) as f64),
        per_stance,
        confusion,
    }
}

fn theme_metrics(pairs: &[(&Label, &DocumentReport)], theme_ids: &[String]) -> ThemeMetrics {
    let (micro, per_theme) = score_sets(
        pairs.iter().map(|(label, report)| {
            let predicted = report.present_theme_ids().into_iter().collect();
            (&label.themes, predicted, Some(&label.borderline))
        }),
        theme_ids,
    );
    ThemeMetrics { micro, per_theme }
}

/// The checks that fired in `report`, suppressed or not.
fn fired(report: &DocumentReport) -> BTreeSet<&str> {
    report.checks.iter().map(|f| f.check.as_str()).collect()
}

fn check_metrics(
    pairs: &[(&Label, &DocumentReport)],
    check_ids: &[String],
) -> Option<CheckMetrics> {
    let labelled: Vec<_> = pairs
        .iter()
        .filter_map(|(label, report)| Some((label.checks.as_ref()?, fired(report), None)))
        .collect();
    if labelled.is_empty() {
        return None;
    }
    let documents = labelled.len();
    let (micro, per_check) = score_sets(labelled, check_ids);
    Some(CheckMetrics {
        documents,
        micro,
        per_check,
    })
}

/// Micro-averaged and per-id scores of predicted sets against expected
/// ones, a pair a document; ids in a document's `neither` set count
/// neither way there. Every id of `ids` gets a row.
fn score_sets<'a>(
    documents: impl IntoIterator<
        Item = (
            &'a BTreeSet<String>,
            BTreeSet<&'a str>,
            Option<&'a BTreeSet<String>>,
        ),
    >,
    ids: &[String],
) -> (Scores, BTreeMap<String, Scores>) {
    let mut counts: BTreeMap<String, (usize, usize, usize)> =
        ids.iter().map(|t| (t.clone(), (0, 0, 0))).collect();
    for (expected, predicted, neither) in documents {
        let all: BTreeSet<&str> = predicted
            .iter()
            .copied()
            .chain(expected.iter().map(String::as_str))
            .collect();
        for id in all
            .into_iter()
            .filter(|id| !neither.is_some_and(|n| n.contains(*id)))
        {
            let c = counts.entry(id.to_string()).or_default();
            match (expected.contains(id), predicted.contains(id)) {
                (true, true) => c.0 += 1,
                (false, true) => c.1 += 1,
                (true, false) => c.2 += 1,
                (false, false) => {}
            }
        }
    }
    let (tp, fp, r#fn) = counts
        .values()
        .fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
    let per_id = counts
        .into_iter()
        .map(|(id, (tp, fp, r#fn))| (id, Scores::from_counts(tp, fp, r#fn)))
        .collect();
    (Scores::from_counts(tp, fp, r#fn), per_id)
}

fn mismatch(label: &Label, report: &DocumentReport) -> Option<Mismatch> {
    let predicted: BTreeSet<String> = report
        .themes
        .iter()
        .filter(|t| t.present)
        .map(|t| t.id.clone())
        .collect();
    let missing_themes: Vec<String> = label.themes.difference(&predicted).cloned().collect();
    let extra_themes: Vec<String> = predicted
        .difference(&label.themes)
        .filter(|t| !label.borderline.contains(*t))
        .cloned()
        .collect();
    let (missing_checks, extra_checks) = match &label.checks {
        Some(expected) => {
            let fired = fired(report);
            (
                expected
                    .iter()
                    .filter(|c| !fired.contains(c.as_str()))
                    .cloned()
                    .collect(),
                fired
                    .iter()
                    .filter(|c| !expected.contains(**c))
                    .map(|c| c.to_string())
                    .collect(),
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    let differs = label.stance != report.stance.label
        || !missing_themes.is_empty()
        || !extra_themes.is_empty()
        || !missing_checks.is_empty()
        || !extra_checks.is_empty();
    differs.then(|| Mismatch {
        path: label.path.clone(),
        expected_stance: label.stance,
        predicted_stance: report.stance.label,
        missing_themes,
        extra_themes,
        missing_checks,
        extra_checks,
    })
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{CheckFinding, StanceReport, StanceScores, Suppression, ThemeReport};

    fn report(path: &str, stance: Stance, themes: &[&str]) -> DocumentReport {
        let theme = |id: &str| ThemeReport {
            id: id.into(),
            title: id.into(),
            present: themes.contains(&id),
            score: 0.0,
            peak: 0.0,
            hits: 0,
            rules: vec![],
            evidence: vec![],
        };
        DocumentReport {
            path: path.into(),
            format: "text".into(),
            bytes: 0,
            words: 0,
            lines: 0,
            warnings: vec![],
            transcript: false,
            stance: StanceReport {
                label: stance,
                scores: StanceScores::default(),
                confidence: 1.0,
                reason: String::new(),
                evidence: vec![],
            },
            themes: ["a", "b", "c"].map(theme).to_vec(),
            checks: vec![],
        }
    }

    #[test]
    fn parses_labels_with_header_comments_and_borderline() {
        let text =
            "path\tstance\tthemes\tborderline\n# comment\nx.md\thybrid\ta,b\tc\ny.md\tneutral\n";
        let labels = parse_labels(text, Path::new("/base")).unwrap();
        assert_eq!(labels.len(), 2);
        assert_eq!(labels[0].resolved, Path::new("/base/x.md"));
        assert_eq!(labels[0].borderline, BTreeSet::from(["c".to_string()]));
        assert!(labels[1].themes.is_empty());
        let err = parse_labels("x.md\tpro-closed\n", Path::new(".")).unwrap_err();
        assert_eq!(err.line, 1);
        assert!(
            err.message
                .ends_with("(expected one of pro-open, security-first, hybrid, neutral)")
        );
        let err = parse_labels("x.md\tneutrl\n", Path::new(".")).unwrap_err();
        assert_eq!(
            err.message,
            "unknown stance `neutrl` (did you mean `neutral`?)"
        );
    }

    #[test]
    fn labelled_themes_must_exist() {
        let ids = ["licensing", "liability"].map(String::from);
        let ok = parse_labels("x.md\thybrid\tlicensing\tliability\n", Path::new("")).unwrap();
        assert_eq!(check_themes(&ok, &ids), Ok(()));
        let text = "x.md\thybrid\tlicensing\ny.md\tneutral\t\tliabilty\nz.md\tneutral\twidgets\n";
        let labels = parse_labels(text, Path::new("")).unwrap();
        let err = check_themes(&labels, &ids).unwrap_err();
        assert_eq!(err.line, 2, "a borderline theme is checked too");
        assert_eq!(
            err.message,
            "unknown theme `liabilty` (did you mean `liability`?)"
        );
        let err = check_themes(&labels[2..], &ids).unwrap_err();
        assert_eq!(
            (err.line, err.message.as_str()),
            (3, "unknown theme `widgets` (see `policyscan rules list`)")
        );
    }

    /// Hand-computed metrics on a four-document toy set.
    #[test]
    fn metrics_by_hand() {
        let labels = parse_labels(
            "d1\tpro-open\ta\nd2\tpro-open\ta,b\nd3\thybrid\tb\tc\nd4\tneutral\t\nmissing\tneutral\t\n",
            Path::new(""),
        )
        .unwrap();
        let reports = [
            report("d1", Stance::ProOpen, &["a"]),
            report("d2", Stance::Hybrid, &["a"]),
            report("d3", Stance::Hybrid, &["b", "c"]),
            report("d4", Stance::Neutral, &["c"]),
            report("extra", Stance::Neutral, &[]),
        ];
        let ids = ["a", "b", "c"].map(String::from);
        let e = evaluate(&labels, &reports, (&ids, &[]));
        assert!(e.checks.is_none(), "no document is labelled with checks");
        assert_eq!(e.documents, 4);
        assert_eq!(e.missing, ["missing"]);
        assert_eq!(e.unlabelled, ["extra"]);
        assert_eq!(e.stance.accuracy, 0.75);
        // pro-open P 1 R 0.5 F1 .667; hybrid P .5 R 1 F1 .667; neutral 1,1,1.
        assert_eq!(e.stance.per_stance[&Stance::ProOpen].f1, 0.667);
        assert_eq!(e.stance.per_stance[&Stance::Hybrid].f1, 0.667);
        assert_eq!(e.stance.macro_f1, round((0.667 + 0.667 + 1.0) / 3.0));
        assert_eq!(e.stance.confusion[0], [1, 0, 1, 0]);
        // Themes: a tp2; b tp1 fn1; c fp1 (d4; d3's c is borderline).
        assert_eq!(
            (
                e.themes.per_theme["a"].tp,
                e.themes.per_theme["b"].r#fn,
                e.themes.per_theme["c"].fp
            ),
            (2, 1, 1)
        );
        assert_eq!(
            (e.themes.micro.tp, e.themes.micro.fp, e.themes.micro.r#fn),
            (3, 1, 1)
        );
        assert_eq!(e.themes.micro.f1, 0.75);
        assert_eq!(e.mismatches.len(), 2);
    }

    /// Checks are scored over the documents labelled with them only; a
    /// suppressed finding still fired.
    #[test]
    fn check_labels_by_hand() {
        let labels = parse_labels(
            "path\tstance\tthemes\tborderline\tchecks\n\
             d1\tneutral\t\t\tk1\nd2\tneutral\t\t\t-\nd3\tneutral\t\t\tk1,k2\nd4\tneutral\t\t\n",
            Path::new(""),
        )
        .unwrap();
        let checks: Vec<_> = labels.iter().map(|l| l.checks.clone()).collect();
        assert_eq!(checks[1], Some(BTreeSet::new()), "`-`: none expected");
        assert_eq!(checks[3], None, "no column: not labelled");
        let with = |path: &str, fired: &[(&str, bool)]| {
            let mut r = report(path, Stance::Neutral, &[]);
            r.checks = fired
                .iter()
                .map(|&(id, suppressed)| CheckFinding {
                    check: id.into(),
                    severity: crate::rules::Severity::Warning,
                    message: String::new(),
                    help: None,
                    line: 1,
                    column: 1,
                    evidence: vec![],
                    suppressed: suppressed.then(|| Suppression {
                        kind: "inline".into(),
                        reason: "r".into(),
                    }),
                })
                .collect();
            r
        };
        let reports = [
            with("d1", &[("k1", true)]),
            with("d2", &[("k2", false)]),
            with("d3", &[("k1", false)]),
            // Not labelled with checks: its finding counts nowhere.
            with("d4", &[("k2", false)]),
        ];
        let ids = ["k1", "k2", "k3"].map(String::from);
        let e = evaluate(&labels, &reports, (&[], &ids));
        let c = e.checks.expect("check metrics");
        assert_eq!(c.documents, 3);
        // k1 tp2; k2 fp1 (d2) fn1 (d3); k3 has a row without support.
        let counts = |id: &str| (c.per_check[id].tp, c.per_check[id].fp, c.per_check[id].r#fn);
        assert_eq!(
            (counts("k1"), counts("k2"), counts("k3")),
            ((2, 0, 0), (0, 1, 1), (0, 0, 0))
        );
        assert_eq!((c.micro.tp, c.micro.fp, c.micro.r#fn), (2, 1, 1));
        let d3 = e.mismatches.iter().find(|m| m.path == "d3").unwrap();
        assert_eq!(
            (d3.missing_checks.as_slice(), d3.extra_checks.len()),
            (["k2".to_string()].as_slice(), 0)
        );
        let d2 = e.mismatches.iter().find(|m| m.path == "d2").unwrap();
        assert_eq!(d2.extra_checks, ["k2"]);
        assert!(
            e.mismatches
                .iter()
                .all(|m| m.path != "d4" && m.path != "d1")
        );
        let err = check_checks(&labels, &["k1".to_string()]).unwrap_err();
        assert_eq!(
            (err.line, err.message.as_str()),
            (4, "unknown check `k2` (did you mean `k1`?)")
        );
    }
}
