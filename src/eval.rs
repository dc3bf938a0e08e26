//! Evaluation (`policyscan eval`): predictions against a labels file.
//!
//! Labels are TSV, one document per line: `path`, `stance`,
//! comma-separated `themes`, and optionally comma-separated `borderline`
//! themes that count neither way. A header line starting with `path` and
//! lines starting with `#` are skipped. Paths are relative to the labels
//! file's folder.
//!
//! Reported: stance accuracy and macro-F1 with per-stance precision,
//! recall and F1 and a confusion matrix; per-theme precision, recall and F1
//! and micro-F1 over all (document, theme) pairs; the documents that were
//! labelled but not scanned, or scanned but not labelled.

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
        labels.push(Label {
            line: line_no,
            resolved: base.join(&path),
            path,
            stance,
            themes: list(2),
            borderline: list(3),
        });
    }
    Ok(labels)
}

/// Checks that every theme the labels name is one of `theme_ids`: a
/// misspelt theme would otherwise count as a theme the rules always miss.
pub fn check_themes(labels: &[Label], theme_ids: &[String]) -> Result<(), LabelError> {
    for label in labels {
        for theme in label.themes.iter().chain(&label.borderline) {
            if theme_ids.contains(theme) {
                continue;
            }
            let near = crate::suggest::closest(theme, theme_ids.iter().map(String::as_str));
            return Err(LabelError {
                line: label.line,
                message: match near {
                    Some(near) => format!("unknown theme `{theme}` (did you mean `{near}`?)"),
                    None => format!("unknown theme `{theme}` (see `policyscan rules list`)"),
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
    /// Documents with any difference.
    pub mismatches: Vec<Mismatch>,
    /// Labelled documents that were not scanned (missing or unreadable).
    pub missing: Vec<String>,
    /// Scanned documents without a label.
    pub unlabelled: Vec<String>,
}

/// Compares `reports` with `labels`. `theme_ids` lists the ruleset's
/// themes (every one gets a row, even with no support).
pub fn evaluate(labels: &[Label], reports: &[DocumentReport], theme_ids: &[String]) -> Evaluation {
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
    let mut counts: BTreeMap<String, (usize, usize, usize)> =
        theme_ids.iter().map(|t| (t.clone(), (0, 0, 0))).collect();
    for (label, report) in pairs {
        let predicted: BTreeSet<&str> = report.present_theme_ids().into_iter().collect();
        let ids: BTreeSet<&str> = predicted
            .iter()
            .copied()
            .chain(label.themes.iter().map(String::as_str))
            .collect();
        for id in ids.into_iter().filter(|id| !label.borderline.contains(*id)) {
            let c = counts.entry(id.to_string()).or_default();
            match (label.themes.contains(id), predicted.contains(id)) {
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
    ThemeMetrics {
        micro: Scores::from_counts(tp, fp, r#fn),
        per_theme: counts
            .into_iter()
            .map(|(id, (tp, fp, r#fn))| (id, Scores::from_counts(tp, fp, r#fn)))
            .collect(),
    }
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
    let differs = label.stance != report.stance.label
        || !missing_themes.is_empty()
        || !extra_themes.is_empty();
    differs.then(|| Mismatch {
        path: label.path.clone(),
        expected_stance: label.stance,
        predicted_stance: report.stance.label,
        missing_themes,
        extra_themes,
    })
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{StanceReport, StanceScores, ThemeReport};

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
        let e = evaluate(&labels, &reports, &ids);
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
}
