//! Classification: from rule hits to a [`DocumentReport`].
//!
//! - **Themes**: each rule's hits count with diminishing returns
//!   (`weight × (1 + ln hits)`), so one rule repeated fifty times in a long
//!   statute does not outweigh several distinct rules; a theme is present
//!   when its score reaches the theme's threshold and enough distinct rules
//!   hit.
//! - **Stance**: every cue hit is weighed in its sentence context
//!   ([`context`]: negation, contrast, attribution, hedges) and summed per
//!   stance. Statute-like text is `neutral` whatever its vocabulary; so is
//!   a document whose strongest stance is too weak or not clearly ahead.
//!
//! Pure functions of `(&CompiledRules, &Document)`; no I/O.

pub mod context;
mod evidence;
pub mod model;
mod stance;
pub(crate) mod themes;

pub use stance::{MIN_MARGIN, MIN_SIGNAL, STATUTE_DENSITY, statute_density};
pub use themes::{NEGATED_FACTOR, PRESCRIBED_FACTOR, diminishing};

use crate::report::DocumentReport;
use crate::rules::CompiledRules;
use crate::scan;
use crate::stats::{Phase, Stats};
use crate::text::Document;

/// Options that shape a report but not the analysis.
#[derive(Debug, Clone)]
pub struct ClassifyOptions {
    /// The most evidence items per theme and for the stance.
    pub max_evidence: usize,
    /// Where to count time per phase and rule (`--stats`), if anywhere.
    pub stats: Option<std::sync::Arc<Stats>>,
    /// Also scan the code blocks and front matter of Markdown documents
    /// (`--markdown-code`); by default they are blanked, not prose.
    pub markdown_code: bool,
    /// The learned stance model that decides documents the rules leave
    /// undecided (`weak-signal`, `no-clear-lead`); `None` (`--no-model`)
    /// for the rules alone. The default is the embedded model.
    pub model: Option<std::sync::Arc<model::StanceModel>>,
}

impl Default for ClassifyOptions {
    fn default() -> Self {
        ClassifyOptions {
            max_evidence: CHECK_EVIDENCE,
            stats: None,
            markdown_code: false,
            model: Some(model::default_model()),
        }
    }
}

/// Scans and classifies one document.
pub fn analyze(rules: &CompiledRules, doc: &Document, options: &ClassifyOptions) -> DocumentReport {
    let Some(stats) = options.stats.as_deref() else {
        return classify(rules, doc, &scan::scan(rules, doc), options);
    };
    let hits = stats.time(Phase::Match, || scan::scan_with(rules, doc, Some(stats)));
    stats.time(Phase::Classify, || classify(rules, doc, &hits, options))
}

/// The document's warnings, and one if its text is not in English. Only
/// a text where the rules found less than one match in 20 words is
/// looked at: English rules find little in another language, and most
/// documents, dense with matches, cost nothing.
fn warnings(doc: &Document, hits: usize) -> Vec<String> {
    let mut warnings = doc.warnings().to_vec();
    if hits * SPARSE < doc.words()
        && let Some(language) = crate::text::language::not_english(doc.folded().as_str())
    {
        warnings.push(crate::text::language::warning(language));
    }
    warnings
}

/// Words per rule match below which a text may not be English.
const SPARSE: usize = 20;

fn classify(
    rules: &CompiledRules,
    doc: &Document,
    hits: &[scan::Hit],
    options: &ClassifyOptions,
) -> DocumentReport {
    // Checks are judged on the evidence the default cap keeps, whatever
    // `max_evidence` shows: a finding's location, evidence and
    // fingerprint must not change with a display option.
    let pool = (options.max_evidence != CHECK_EVIDENCE).then_some(CHECK_EVIDENCE);
    let (stance, stance_pool) = stance::decide(rules, doc, hits, options, pool);
    let (themes, theme_pools) = themes::score(rules, doc, hits, options, pool);
    let mut report = DocumentReport {
        path: doc.path().to_string(),
        format: doc.format().as_str().to_string(),
        bytes: doc.bytes(),
        words: doc.words(),
        lines: doc.line_count(),
        warnings: warnings(doc, hits.len()),
        transcript: doc.is_transcript(),
        stance,
        themes,
        checks: Vec::new(),
    };
    let (Some(stance_pool), Some(theme_pools)) = (stance_pool, theme_pools) else {
        report.checks = crate::check::evaluate(rules, &report);
        return report;
    };
    let shown_stance = std::mem::replace(&mut report.stance.evidence, stance_pool);
    let shown_themes: Vec<_> = (report.themes.iter_mut())
        .zip(theme_pools)
        .map(|(theme, pooled)| std::mem::replace(&mut theme.evidence, pooled))
        .collect();
    report.checks = crate::check::evaluate(rules, &report);
    report.stance.evidence = shown_stance;
    for (theme, shown) in report.themes.iter_mut().zip(shown_themes) {
        theme.evidence = shown;
    }
    report
}

/// The evidence items per theme (and for the stance) that check findings
/// are judged on: the default `--max-evidence`, so the default run picks
/// evidence once.
pub const CHECK_EVIDENCE: usize = 5;

/// Analyzes a document with all evidence kept, plus what is needed to
/// explain the calls (`policyscan explain`).
pub fn explain(rules: &CompiledRules, doc: &Document) -> crate::report::Explanation {
    explain_with(rules, doc, &ClassifyOptions::default())
}

/// [`explain`] with `options` (their evidence limit and statistics
/// aside): the language server explains a document as it scans it.
pub fn explain_with(
    rules: &CompiledRules,
    doc: &Document,
    options: &ClassifyOptions,
) -> crate::report::Explanation {
    let options = ClassifyOptions {
        max_evidence: usize::MAX,
        stats: None,
        ..options.clone()
    };
    let report = analyze(rules, doc, &options);
    let model = (report.stance.reason == "model")
        .then(|| options.model.as_ref().map(|m| m.predict(doc.source())))
        .flatten();
    let checks = rules
        .checks()
        .iter()
        .map(|check| crate::report::ExplainedCheck {
            id: check.id.clone(),
            severity: check.severity,
            fired: report.checks.iter().any(|f| f.check == check.id),
            conditions: crate::check::conditions(check, &report),
        })
        .collect();
    crate::report::Explanation {
        model,
        checks,
        press_release: context::Genre::of(doc).press_release,
        report,
        statute_density: round(statute_density(doc)),
        statute_threshold: STATUTE_DENSITY,
        min_signal: MIN_SIGNAL,
        min_margin: MIN_MARGIN,
        thresholds: rules
            .themes()
            .iter()
            .map(|t| (t.id.clone(), (t.threshold, t.min_rules)))
            .collect(),
        weights: rules
            .rules()
            .iter()
            .map(|r| (r.id.clone(), r.weight))
            .collect(),
    }
}

/// Rounds a score for reports, so output is stable and readable.
pub(crate) fn round(x: f64) -> f64 {
    // `+ 0.0` turns the -0.0 of an empty float sum into 0.0.
    (x * 1000.0).round() / 1000.0 + 0.0
}
