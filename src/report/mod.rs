//! Reports: the output data types (the contract) and one printer per
//! format.
//!
//! The types here are what `--format json` and `--format jsonl` serialize;
//! `docs/output.md` documents them field by field. Fields are only ever
//! added; a removal or rename bumps [`SCHEMA_VERSION`].
//!
//! Printers take reports and an injected `io::Write`; nothing else in the
//! library writes anywhere, except that a printer holding a large part of
//! a SARIF, Markdown or HTML report until the end of the run keeps it in
//! an unnamed temporary file (removed by the OS when closed).

mod ci;
mod diff;
mod explain;
mod gates;
mod gitlab;
mod html;
mod json;
mod junit;
mod sarif;
mod spill;
mod stream;
pub(crate) mod table;
mod text;

pub use ci::{SourceLinks, write_azure, write_github, write_markdown};
pub use diff::{write_diff_markdown, write_diff_text};
pub use explain::{ExplainedCheck, Explanation, write_explanation};
pub use html::write_html;
pub use json::{write_json, write_jsonl};
pub use sarif::{fingerprint, write_sarif};
pub use stream::{Printer, StreamFormat};
pub use stream::{write_gitlab, write_junit};
pub use table::write_csv;
pub use text::{TextOptions, write_text};

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Stance;
use crate::rules::{RulesetInfo, Severity};

/// The version of the JSON output contract.
pub const SCHEMA_VERSION: u32 = 1;

/// The report of a whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunReport {
    /// The version of this contract.
    pub schema_version: u32,
    /// The tool that wrote the report.
    pub tool: Tool,
    /// The rulesets used.
    pub rulesets: Vec<RulesetInfo>,
    /// One report per scanned document, sorted by path.
    pub documents: Vec<DocumentReport>,
    /// Inputs that were deliberately not scanned (binary files, XML that
    /// is not a document, links not followed, files over
    /// `--max-filesize`).
    pub skipped: Vec<Skipped>,
    /// Inputs that could not be read.
    pub errors: Vec<InputError>,
    /// Totals over the run.
    pub summary: Summary,
}

/// The tool name and version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// Always `policyscan`.
    pub name: String,
    /// The crate version.
    pub version: String,
}

impl Tool {
    /// This build of policyscan.
    pub fn current() -> Tool {
        Tool {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// What policyscan found in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentReport {
    /// The path as given or found; `<stdin>` for standard input.
    pub path: String,
    /// `text`, `markdown`, `html`, `pdf`, `docx`, `odt`, `doc` (Word
    /// 97–2003), `rtf` or `xml`.
    pub format: String,
    /// Size of the input in bytes.
    pub bytes: u64,
    /// Whitespace-separated words.
    pub words: usize,
    /// Lines.
    pub lines: usize,
    /// Problems repaired while reading (e.g. invalid UTF-8).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Read as a transcript or an interview (or a forum thread, or a page
    /// of by-lined pieces): a record of other people's words, whose
    /// speakers' turns count as reported speech and about
    /// which the stance model is not asked (omitted when false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub transcript: bool,
    /// The stance call.
    pub stance: StanceReport,
    /// Every theme of the ruleset, in ruleset order.
    pub themes: Vec<ThemeReport>,
    /// Document-level checks that fired (omitted when none did).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckFinding>,
}

impl DocumentReport {
    /// The ids of the themes present, in ruleset order.
    pub fn present_theme_ids(&self) -> Vec<&str> {
        self.themes
            .iter()
            .filter(|t| t.present)
            .map(|t| t.id.as_str())
            .collect()
    }
}

/// A document-level check that fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckFinding {
    /// The check id.
    pub check: String,
    /// `info`, `warning` or `error`.
    pub severity: Severity,
    /// The check's message.
    pub message: String,
    /// A link or hint, if the check has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// 1-based line of the first supporting evidence (1 when there is none).
    pub line: usize,
    /// 1-based column of the first supporting evidence.
    pub column: usize,
    /// Evidence from the themes and stance the condition is about.
    pub evidence: Vec<Evidence>,
    /// Set when an inline comment or the baseline suppresses the finding;
    /// suppressed findings never fail a run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppression>,
}

impl CheckFinding {
    /// Where the finding is, in words, when its line is not a line of the
    /// file: in a PDF, Word, OpenDocument, RTF or PowerPoint file (`format`, as in
    /// [`DocumentReport::format`]) lines are those of the extracted text
    /// (`policyscan explain --text`), so a viewer of the file cannot show
    /// them; a PDF page can be found. `None` for text formats.
    pub fn extracted_location(&self, format: &str) -> Option<String> {
        if !matches!(format, "pdf" | "docx" | "odt" | "doc" | "rtf" | "pptx") {
            return None;
        }
        let page = self.evidence.first().and_then(|e| e.page);
        Some(match page {
            Some(page) => format!("page {page}, line {} of the extracted text", self.line),
            None => format!("line {} of the extracted text", self.line),
        })
    }
}

/// Why a finding is suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    /// `inline` (a `policyscan-ignore` comment) or `baseline`.
    pub kind: String,
    /// The reason given.
    pub reason: String,
}

/// The stance call for one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StanceReport {
    /// The stance.
    pub label: Stance,
    /// The summed effective weight of the cues of each stance.
    pub scores: StanceScores,
    /// How sure the call is, from 0 to 1.
    pub confidence: f64,
    /// Why this label: `strongest-stance`, `statute-like`, `weak-signal`,
    /// `no-clear-lead`, or `model` (the rules were undecided and the
    /// learned stance model made the call; `confidence` is its probability).
    pub reason: String,
    /// The cues that made the call, strongest first.
    pub evidence: Vec<StanceEvidence>,
}

/// Per-stance scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StanceScores {
    /// Score of `pro-open`.
    pub pro_open: f64,
    /// Score of `security-first`.
    pub security_first: f64,
    /// Score of `hybrid`.
    pub hybrid: f64,
    /// Score of `neutral`.
    pub neutral: f64,
}

impl StanceScores {
    /// The score of one stance.
    pub fn get(&self, stance: Stance) -> f64 {
        match stance {
            Stance::ProOpen => self.pro_open,
            Stance::SecurityFirst => self.security_first,
            Stance::Hybrid => self.hybrid,
            Stance::Neutral => self.neutral,
        }
    }

    /// A mutable reference to one stance's score.
    pub fn get_mut(&mut self, stance: Stance) -> &mut f64 {
        match stance {
            Stance::ProOpen => &mut self.pro_open,
            Stance::SecurityFirst => &mut self.security_first,
            Stance::Hybrid => &mut self.hybrid,
            Stance::Neutral => &mut self.neutral,
        }
    }
}

/// One stance cue found in a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StanceEvidence {
    /// The cue id.
    pub cue: String,
    /// The stance the cue supports.
    pub stance: Stance,
    /// The matched source text.
    pub text: String,
    /// 1-based line of the match start.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The sentence around the match, on one line.
    pub snippet: String,
    /// The heading path of the section the match is in, if the document
    /// has headings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The 1-based page the match is on, for formats with pages (PDF).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    /// The cue's weight.
    pub weight: f64,
    /// The weight after context modifiers.
    pub effective_weight: f64,
    /// Context that changed the weight: `negated`, `conceded`,
    /// `contrasted`, `attributed`, `hedged`, `questioned`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifiers: Vec<String>,
}

/// One theme's result for one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemeReport {
    /// The theme id.
    pub id: String,
    /// The theme title.
    pub title: String,
    /// Whether the theme is discussed: its `peak` reached the theme's
    /// threshold with enough distinct rules.
    pub present: bool,
    /// The theme score over the whole document.
    pub score: f64,
    /// The theme score within the best stretch of about 400 words;
    /// presence is judged on this, so length alone does not make a
    /// theme present.
    pub peak: f64,
    /// The number of rule hits.
    pub hits: usize,
    /// The distinct rules that hit, in ruleset order.
    pub rules: Vec<String>,
    /// Representative hits, in document order.
    pub evidence: Vec<Evidence>,
}

/// One theme rule hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Context that changed how much the hit counts: `negated` (half).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifiers: Vec<String>,
    /// The rule id.
    pub rule: String,
    /// The matched source text.
    pub text: String,
    /// 1-based line of the match start.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The sentence around the match, on one line.
    pub snippet: String,
    /// The heading path of the section the match is in, if the document
    /// has headings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The 1-based page the match is on, for formats with pages (PDF).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
}

/// An input that was not scanned on purpose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Skipped {
    /// The path.
    pub path: String,
    /// Why: `binary`, `not-a-document` (XML in no document vocabulary),
    /// `symlink` (a link inside a folder, not followed) or `too-large`
    /// (over `--max-filesize`).
    pub reason: String,
}

/// An input that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputError {
    /// The path.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// Totals over a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Documents scanned.
    pub documents: usize,
    /// Inputs skipped.
    pub skipped: usize,
    /// Inputs that could not be read.
    pub errors: usize,
    /// Words scanned.
    pub words: usize,
    /// Bytes scanned.
    pub bytes: u64,
    /// Documents per stance label (every stance is listed).
    pub stances: BTreeMap<Stance, usize>,
    /// Documents in which each theme is present (every theme is listed).
    pub themes: BTreeMap<String, usize>,
    /// Check findings per severity (every severity is listed).
    #[serde(default)]
    pub checks: BTreeMap<Severity, usize>,
}

/// An evidence item's `text` as its `snippet` shows it, for marking it
/// there: as it is, or, when the snippet does not hold it so, without the
/// Markdown block quotation markers (words that are only `>`) that a
/// match wrapped over quoted lines carries (`weights > > of a model`) and
/// the snippet leaves out.
pub(crate) fn text_in_snippet<'a>(snippet: &str, text: &'a str) -> Cow<'a, str> {
    let marker = |w: &str| w.bytes().all(|b| b == b'>');
    if snippet.contains(text) || !text.split(' ').any(marker) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        (text.split(' '))
            .filter(|w| !marker(w))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The JSON Schema (draft 2020-12) of `--format json`, generated from
/// the report types. A committed copy is in `schemas/report.schema.json`.
pub fn schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(RunReport);
    schema.insert(
        "$id".into(),
        "https://policyscan.dev/schemas/report.schema.json".into(),
    );
    schema.insert("title".into(), "policyscan report".into());
    schema.to_value()
}

impl RunReport {
    /// Assembles a run report; sorts documents, skips and errors by path.
    pub fn new(
        rulesets: Vec<RulesetInfo>,
        theme_ids: &[String],
        mut documents: Vec<DocumentReport>,
        mut skipped: Vec<Skipped>,
        mut errors: Vec<InputError>,
    ) -> RunReport {
        documents.sort_by(|a, b| a.path.cmp(&b.path));
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        let summary = Summary::of(theme_ids, &documents, skipped.len(), errors.len());
        RunReport {
            schema_version: SCHEMA_VERSION,
            tool: Tool::current(),
            rulesets,
            documents,
            skipped,
            errors,
            summary,
        }
    }
}

impl RunReport {
    /// Recomputes the summary after findings changed (for example when a
    /// baseline suppressed some).
    pub fn recount(&mut self) {
        let theme_ids: Vec<String> = self.summary.themes.keys().cloned().collect();
        self.summary = Summary::of(
            &theme_ids,
            &self.documents,
            self.skipped.len(),
            self.errors.len(),
        );
    }
}

impl Summary {
    /// An empty summary listing every stance, theme and severity at 0.
    pub fn new(theme_ids: &[String]) -> Summary {
        Summary {
            documents: 0,
            skipped: 0,
            errors: 0,
            words: 0,
            bytes: 0,
            stances: Stance::ALL.iter().map(|&s| (s, 0)).collect(),
            themes: theme_ids.iter().map(|t| (t.clone(), 0)).collect(),
            checks: [Severity::Info, Severity::Warning, Severity::Error]
                .into_iter()
                .map(|s| (s, 0))
                .collect(),
        }
    }

    /// Counts one document (for reports written as they are produced).
    pub fn add(&mut self, doc: &DocumentReport) {
        self.documents += 1;
        self.words += doc.words;
        self.bytes += doc.bytes;
        *self.stances.entry(doc.stance.label).or_default() += 1;
        for theme in doc.themes.iter().filter(|t| t.present) {
            *self.themes.entry(theme.id.clone()).or_default() += 1;
        }
        for finding in doc.checks.iter().filter(|f| f.suppressed.is_none()) {
            *self.checks.entry(finding.severity).or_default() += 1;
        }
    }

    fn of(
        theme_ids: &[String],
        documents: &[DocumentReport],
        skipped: usize,
        errors: usize,
    ) -> Summary {
        let mut summary = Summary::new(theme_ids);
        for doc in documents {
            summary.add(doc);
        }
        summary.skipped = skipped;
        summary.errors = errors;
        summary
    }
}
