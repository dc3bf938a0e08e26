//! The ruleset file format, mirrored exactly by serde types.
//!
//! These types are what YAML and JSON files deserialize into; nothing else
//! in policyscan uses them. Defaults are applied by accessors (and by
//! compilation), never by mutating these structs, so an error can always
//! point at what the user wrote. See `docs/rules.md` for the format.

use serde::Deserialize;

/// One ruleset file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawRuleset {
    /// A short name shown in reports.
    pub(crate) name: Option<String>,
    /// What the ruleset is for.
    #[allow(dead_code)]
    pub(crate) description: Option<String>,
    /// A free-form version string shown in reports.
    pub(crate) version: Option<String>,
    /// Themes, each holding its rules.
    #[serde(default)]
    pub(crate) themes: Vec<RawTheme>,
    /// Rules added to themes defined here or in another loaded ruleset;
    /// each names its theme.
    #[serde(default)]
    pub(crate) rules: Vec<RawRule>,
    /// Stance cues.
    #[serde(default)]
    pub(crate) cues: Vec<RawRule>,
    /// Document-level checks for CI.
    #[serde(default)]
    pub(crate) checks: Vec<RawCheck>,
}

/// A document-level check: a condition over themes and stance, and what
/// to report when it holds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawCheck {
    pub(crate) id: String,
    pub(crate) severity: Option<Severity>,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) when: RawCondition,
}

/// When a check fires; every condition given must hold.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawCondition {
    #[serde(default)]
    pub(crate) all_present: Vec<String>,
    #[serde(default)]
    pub(crate) any_present: Vec<String>,
    #[serde(default)]
    pub(crate) none_present: Vec<String>,
    #[serde(default)]
    pub(crate) stance: Vec<crate::Stance>,
    #[serde(default)]
    pub(crate) stance_not: Vec<crate::Stance>,
    pub(crate) min_confidence: Option<f64>,
    #[serde(default)]
    pub(crate) min_score: std::collections::BTreeMap<String, f64>,
    #[serde(default)]
    pub(crate) min_hits: std::collections::BTreeMap<String, usize>,
}

/// How serious a check finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Worth a look before merging.
    Warning,
    /// Should block a merge.
    Error,
}

impl Severity {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A theme and the rules that detect it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawTheme {
    pub(crate) id: String,
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    /// The score at which the theme counts as present.
    pub(crate) threshold: Option<f64>,
    /// How many distinct rules must hit for the theme to count as present.
    pub(crate) min_rules: Option<usize>,
    #[serde(default)]
    pub(crate) rules: Vec<RawRule>,
}

/// A theme rule or a stance cue: what to match and how much it weighs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawRule {
    pub(crate) id: String,
    /// For top-level `rules:` entries: the theme the rule belongs to.
    pub(crate) theme: Option<String>,
    /// For `cues:` entries: the stance the cue supports.
    pub(crate) stance: Option<crate::Stance>,
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) keywords: Vec<String>,
    #[serde(default)]
    pub(crate) patterns: Vec<String>,
    /// Groups of terms: a hit is a sentence holding at least one term of
    /// every group ("should" … "restrict").
    #[serde(default)]
    pub(crate) all_of: Vec<Vec<String>>,
    /// Literals, one of which must occur in a document before the rule's
    /// regex patterns run on it.
    #[serde(default)]
    pub(crate) gate: Vec<String>,
    pub(crate) weight: Option<f64>,
    pub(crate) case_sensitive: Option<bool>,
    pub(crate) whole_word: Option<bool>,
    /// Phrases that cancel a hit when they occur around it.
    #[serde(default)]
    pub(crate) exclude: Vec<String>,
    pub(crate) exclude_scope: Option<ExcludeScope>,
    #[serde(default)]
    pub(crate) examples: Vec<String>,
    #[serde(default)]
    pub(crate) counterexamples: Vec<String>,
}

/// Where an exclusion phrase must occur to cancel a hit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExcludeScope {
    /// The exclusion match overlaps the hit ("tax-exempt" cancels
    /// "exempt").
    #[default]
    Overlap,
    /// The exclusion occurs anywhere in the hit's sentence.
    Sentence,
}
