//! `policyscan explain`: why a document got its stance and themes.
//!
//! Lists every cue with its weight and the context factors applied
//! (including cues that negation, contrast or attribution discounted),
//! the rule the call followed, and for each theme with hits the
//! contribution of each rule against the theme's threshold.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::Stance;
use crate::classify::context::Modifier;
use crate::report::{DocumentReport, StanceEvidence};

/// A report with everything needed to explain it.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// The report, with all evidence (no limit).
    pub report: DocumentReport,
    /// `shall` and section headings per 1,000 words.
    pub statute_density: f64,
    /// The density from which text counts as a statute.
    pub statute_threshold: f64,
    /// The score the strongest stance needs.
    pub min_signal: f64,
    /// The lead over the runner-up the strongest stance needs.
    pub min_margin: f64,
    /// Per theme id: presence threshold and minimum distinct rules.
    pub thresholds: BTreeMap<String, (f64, usize)>,
    /// Per rule id: its weight.
    pub weights: BTreeMap<String, f64>,
    /// What the learned stance model made of the text, when it made the
    /// call (reason `model`).
    pub model: Option<crate::classify::model::Prediction>,
    /// Every check of the rules: whether it fired, and each of its
    /// conditions with whether it held.
    pub checks: Vec<ExplainedCheck>,
    /// Read as a press release: its quotations are its own voice.
    pub press_release: bool,
}

/// A check and why it fired or not.
#[derive(Debug, Clone)]
pub struct ExplainedCheck {
    /// The check id.
    pub id: String,
    /// Its severity.
    pub severity: crate::rules::Severity,
    /// Whether it fired.
    pub fired: bool,
    /// Its conditions in words, each with whether it held.
    pub conditions: Vec<(String, bool)>,
}

/// Writes the explanation as text.
pub fn write_explanation<W: Write>(mut w: W, e: &Explanation) -> io::Result<()> {
    let r = &e.report;
    writeln!(w, "{} ({}, {} words)", r.path, r.format, r.words)?;
    writeln!(
        w,
        "\nstance: {} (confidence {:.2})",
        r.stance.label, r.stance.confidence
    )?;
    writeln!(w, "  why: {}", why(e))?;
    if e.press_release {
        writeln!(
            w,
            "  read as a press release (its top says so): its quotations and \"…, the director said\" count as its own voice"
        )?;
    }
    if r.transcript {
        writeln!(
            w,
            "  read as a transcript (its paragraphs open with speakers' names, or it is an interview): what the speakers say is reported speech, and the stance model is not asked"
        )?;
    }
    for stance in Stance::ALL {
        let cues: Vec<&StanceEvidence> = r
            .stance
            .evidence
            .iter()
            .filter(|c| c.stance == stance)
            .collect();
        if cues.is_empty() {
            continue;
        }
        writeln!(w, "  {stance} {}", num(r.stance.scores.get(stance)))?;
        for c in cues {
            writeln!(
                w,
                "    {:>7}  {:>8}  {}",
                format!("+{}", num(c.effective_weight)),
                format!("{}:{}", c.line, c.column),
                cue_line(c)
            )?;
        }
    }
    writeln!(w, "\nthemes:")?;
    let mut silent = Vec::new();
    for theme in &r.themes {
        if theme.hits == 0 {
            silent.push(theme.id.as_str());
            continue;
        }
        let (threshold, min_rules) = e.thresholds.get(&theme.id).copied().unwrap_or((0.0, 1));
        let verdict = if theme.present { "present" } else { "absent" };
        let cmp = if theme.peak >= threshold { "≥" } else { "<" };
        writeln!(
            w,
            "  {} {verdict}: peak {} {cmp} threshold {} (score {} over the whole text; {} hit, {} needed)",
            theme.id,
            num(theme.peak),
            num(threshold),
            num(theme.score),
            super::text::plural(theme.rules.len(), "rule"),
            min_rules
        )?;
        for (rule, (count, lines)) in rule_counts(theme) {
            let weight = e.weights.get(rule).copied().unwrap_or(1.0);
            let contribution = weight * crate::classify::diminishing(count);
            writeln!(
                w,
                "    {:>7}  {rule}: weight {} × (1 + ln {}) at line{} {}",
                format!("+{}", num(contribution)),
                num(weight),
                num(count),
                if lines.len() == 1 { "" } else { "s" },
                lines.join(", ")
            )?;
        }
    }
    if !silent.is_empty() {
        writeln!(w, "  no hits: {}", silent.join(", "))?;
    }
    if !e.checks.is_empty() {
        writeln!(w, "\nchecks:")?;
    }
    for check in &e.checks {
        let verdict = if check.fired {
            "fires"
        } else {
            "does not fire"
        };
        writeln!(w, "  {} ({}) {verdict}", check.id, check.severity.as_str())?;
        for (condition, held) in &check.conditions {
            writeln!(w, "      {} {condition}", if *held { "✓" } else { "✗" })?;
        }
    }
    w.flush()
}

/// Per rule: the counted hits (negated ones count half, prescribed ones
/// one and a half) and their lines.
fn rule_counts(theme: &crate::report::ThemeReport) -> BTreeMap<&str, (f64, Vec<String>)> {
    let mut out: BTreeMap<&str, (f64, Vec<String>)> = BTreeMap::new();
    for ev in &theme.evidence {
        let entry = out.entry(ev.rule.as_str()).or_default();
        let has = |m: &str| ev.modifiers.iter().any(|x| x == m);
        let mut amount = 1.0;
        if has("negated") {
            amount *= crate::classify::NEGATED_FACTOR;
        }
        if has("prescribed") {
            amount *= crate::classify::PRESCRIBED_FACTOR;
        }
        entry.0 += amount;
        entry.1.push(if ev.modifiers.is_empty() {
            ev.line.to_string()
        } else {
            format!("{} ({})", ev.line, ev.modifiers.join(", "))
        });
    }
    out
}

fn cue_line(c: &StanceEvidence) -> String {
    let mut factors = format!("weight {}", num(c.weight));
    for m in &c.modifiers {
        let f = Modifier::from_name(m).map_or_else(|| "?".to_string(), |m| num(m.factor()));
        factors.push_str(&format!(" × {f} {m}"));
    }
    let section = c
        .section
        .as_deref()
        .map(|s| format!(" [{s}]"))
        .unwrap_or_default();
    format!("{}: {factors}: \"{}\"{section}", c.cue, c.text)
}

fn why(e: &Explanation) -> String {
    let s = &e.report.stance;
    let mut ranked = Stance::ALL;
    ranked.sort_by(|a, b| s.scores.get(*b).total_cmp(&s.scores.get(*a)));
    let (top, second) = (ranked[0], ranked[1]);
    let (ts, ss) = (s.scores.get(top), s.scores.get(second));
    match s.reason.as_str() {
        "statute-like" => format!(
            "the text reads as a statute: \"shall\" and section headings at {} per 1,000 words (from {} on), so it is neutral whatever its vocabulary",
            num(e.statute_density),
            num(e.statute_threshold)
        ),
        "weak-signal" if ts >= e.min_signal => format!(
            "the strongest stance, {top}, scored {}, but every one of its cues is reported speech, none in the author's own voice",
            num(ts)
        ),
        "weak-signal" => format!(
            "the strongest stance, {top}, scored {}, below the {} needed to call a stance",
            num(ts),
            num(e.min_signal)
        ),
        "no-clear-lead" => format!(
            "{top} scored {} but did not lead {second} ({}) by {}×",
            num(ts),
            num(ss),
            num(e.min_margin)
        ),
        "model" => {
            let (label, p) = e
                .model
                .as_ref()
                .map_or((s.label, s.confidence), |m| m.top());
            let terms = e.model.as_ref().map_or_else(String::new, |m| {
                let list: Vec<String> = m
                    .terms
                    .iter()
                    .take(6)
                    .map(|(t, c)| format!("\"{t}\" +{}", num(*c)))
                    .collect();
                format!("; the terms that weighed most: {}", list.join(", "))
            });
            format!(
                "the rules were undecided ({top} scored {}, {second} {}); the learned stance model reads the text as {label} (p = {}){terms}",
                num(ts),
                num(ss),
                num(p)
            )
        }
        _ => format!(
            "{top} scored {}, at least {} and {}× the runner-up {second} ({})",
            num(ts),
            num(e.min_signal),
            num(e.min_margin),
            num(ss)
        ),
    }
}

fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}
