//! The ruleset file format, mirrored exactly by serde types.
//!
//! These types are what YAML and JSON files deserialize into; nothing else
//! in policyscan uses them. Defaults are applied by accessors (and by
//! compilation), never by mutating these structs, so an error can always
//! point at what the user wrote. See `docs/rules.md` for the format.

use schemars::JsonSchema;
use serde::Deserialize;

/// One ruleset file.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Ruleset")]
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Check")]
pub(crate) struct RawCheck {
    /// A unique id (lowercase letters, digits and hyphens), e.g.
    /// `liability-without-research-safe-harbor`.
    pub(crate) id: String,
    /// How serious a finding is (default `warning`).
    pub(crate) severity: Option<Severity>,
    /// The one-line finding shown to the user.
    pub(crate) message: String,
    /// What to do about it.
    pub(crate) help: Option<String>,
    /// What the check is for (shown by `policyscan rules show`).
    pub(crate) description: Option<String>,
    /// The condition; every part given must hold.
    pub(crate) when: RawCondition,
}

/// When a check fires; every condition given must hold.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Condition")]
pub(crate) struct RawCondition {
    /// Theme ids that must all be present.
    #[serde(default)]
    pub(crate) all_present: Vec<String>,
    /// Theme ids of which at least one must be present.
    #[serde(default)]
    pub(crate) any_present: Vec<String>,
    /// Theme ids that must all be absent.
    #[serde(default)]
    pub(crate) none_present: Vec<String>,
    /// The document's stance must be one of these.
    #[serde(default)]
    pub(crate) stance: Vec<crate::Stance>,
    /// The document's stance must be none of these.
    #[serde(default)]
    pub(crate) stance_not: Vec<crate::Stance>,
    /// The stance confidence must be at least this (0 to 1).
    pub(crate) min_confidence: Option<f64>,
    /// Theme id → the least theme score.
    #[serde(default)]
    pub(crate) min_score: std::collections::BTreeMap<String, f64>,
    /// Theme id → the least number of rule hits.
    #[serde(default)]
    pub(crate) min_hits: std::collections::BTreeMap<String, usize>,
}

/// How serious a check finding is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    serde::Serialize,
    JsonSchema,
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Theme")]
pub(crate) struct RawTheme {
    /// The theme id; the 14 default ids are part of the output contract.
    pub(crate) id: String,
    /// A human title (default: the id).
    pub(crate) title: Option<String>,
    /// What the theme covers.
    pub(crate) description: Option<String>,
    /// The score at which the theme counts as present.
    pub(crate) threshold: Option<f64>,
    /// How many distinct rules must hit for the theme to count as present.
    pub(crate) min_rules: Option<usize>,
    /// The rules that detect the theme.
    #[serde(default)]
    pub(crate) rules: Vec<RawRule>,
}

/// A theme rule or a stance cue: what to match and how much it weighs.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Rule")]
pub(crate) struct RawRule {
    /// A unique id (lowercase letters, digits and hyphens).
    pub(crate) id: String,
    /// For top-level `rules:` entries: the theme the rule belongs to.
    pub(crate) theme: Option<String>,
    /// For `cues:` entries: the stance the cue supports.
    pub(crate) stance: Option<crate::Stance>,
    /// What the rule looks for.
    pub(crate) description: Option<String>,
    /// Literal phrases, matched case-insensitively on whole words, with
    /// hyphens and whitespace runs treated alike.
    #[serde(default)]
    pub(crate) keywords: Vec<String>,
    /// Regular expressions (Rust `regex` syntax), run on the source text.
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
    /// How much a hit counts (default 1).
    pub(crate) weight: Option<f64>,
    /// Match keywords case-sensitively (default false).
    pub(crate) case_sensitive: Option<bool>,
    /// Match keywords only as whole words (default true).
    pub(crate) whole_word: Option<bool>,
    /// Phrases that cancel a hit when they occur around it.
    #[serde(default)]
    pub(crate) exclude: Vec<String>,
    /// Where an exclusion must occur (default `overlap`).
    pub(crate) exclude_scope: Option<ExcludeScope>,
    /// Sentences the rule must match (`policyscan test` checks them).
    #[serde(default)]
    pub(crate) examples: Vec<String>,
    /// Sentences the rule must not match.
    #[serde(default)]
    pub(crate) counterexamples: Vec<String>,
}

/// Where an exclusion phrase must occur to cancel a hit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ExcludeScope {
    /// The exclusion match overlaps the hit ("tax-exempt" cancels
    /// "exempt").
    #[default]
    Overlap,
    /// The exclusion occurs anywhere in the hit's sentence.
    Sentence,
}
