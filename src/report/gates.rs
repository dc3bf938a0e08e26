//! The `--fail-on-stance` and `--fail-on-theme` conditions a document
//! meets, for the CI formats to show where a run that fails on them can
//! be seen: JUnit test cases, GitHub and Azure annotations, the Markdown
//! summary.

use std::fmt::Write as _;

use super::{DocumentReport, ThemeReport};
use crate::Stance;

/// The conditions of a run, as `--fail-on-stance` and `--fail-on-theme`
/// set them.
#[derive(Debug, Clone, Default)]
pub(super) struct Gates {
    pub(super) stances: Vec<Stance>,
    pub(super) themes: Vec<String>,
}

/// A condition a document meets.
pub(super) struct Met<'a> {
    /// `fail-on-stance` or `fail-on-theme`.
    pub(super) name: &'static str,
    /// `stance is security-first (--fail-on-stance)`, `present:
    /// export-control (--fail-on-theme)`.
    pub(super) message: String,
    /// Where the evidence starts: the strongest stance cue, or the first
    /// hit of the first theme met (`None`: there is none to point at).
    pub(super) at: Option<(usize, usize, Option<usize>)>,
    doc: &'a DocumentReport,
    themes: Vec<&'a ThemeReport>,
}

impl Gates {
    /// The conditions set, by test case name.
    pub(super) fn names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if !self.stances.is_empty() {
            names.push("fail-on-stance");
        }
        if !self.themes.is_empty() {
            names.push("fail-on-theme");
        }
        names
    }

    /// The conditions `doc` meets, in the order of [`Gates::names`].
    pub(super) fn met<'a>(&self, doc: &'a DocumentReport) -> Vec<Met<'a>> {
        let mut met = Vec::new();
        let stance = &doc.stance;
        if self.stances.contains(&stance.label) {
            met.push(Met {
                name: "fail-on-stance",
                message: format!("stance is {} (--fail-on-stance)", stance.label),
                at: stance.evidence.first().map(|e| (e.line, e.column, e.page)),
                doc,
                themes: Vec::new(),
            });
        }
        let themes: Vec<&ThemeReport> = doc
            .themes
            .iter()
            .filter(|t| t.present && self.themes.contains(&t.id))
            .collect();
        if !themes.is_empty() {
            let ids: Vec<&str> = themes.iter().map(|t| t.id.as_str()).collect();
            met.push(Met {
                name: "fail-on-theme",
                message: format!("present: {} (--fail-on-theme)", ids.join(", ")),
                at: themes[0]
                    .evidence
                    .first()
                    .map(|e| (e.line, e.column, e.page)),
                doc,
                themes,
            });
        }
        met
    }
}

impl Met<'_> {
    /// Where the evidence starts in words, for formats whose lines are
    /// those of the extracted text (see
    /// [`CheckFinding::extracted_location`](super::CheckFinding::extracted_location));
    /// `None` for text formats.
    pub(super) fn extracted_location(&self) -> Option<String> {
        let (line, _, page) = self.at?;
        if !matches!(
            self.doc.format.as_str(),
            "pdf" | "docx" | "odt" | "doc" | "rtf" | "pptx"
        ) {
            return None;
        }
        Some(match page {
            Some(page) => format!("page {page}, line {line} of the extracted text"),
            None => format!("line {line} of the extracted text"),
        })
    }

    /// The message, then the evidence behind it, one item a line: the
    /// stance's confidence, reason and cues, or each theme's peak and
    /// hits.
    pub(super) fn details(&self) -> String {
        let doc = self.doc;
        let mut text = format!("{}: {}", doc.path, self.message);
        if self.themes.is_empty() {
            let stance = &doc.stance;
            let _ = writeln!(
                text,
                "; confidence {:.2}, {}",
                stance.confidence, stance.reason
            );
            if !stance.evidence.is_empty() {
                text.push_str("evidence:\n");
            }
            for e in &stance.evidence {
                let _ = writeln!(
                    text,
                    "  line {} ({}, {}): {}",
                    e.line, e.cue, e.stance, e.snippet
                );
            }
        } else {
            text.push('\n');
            for theme in &self.themes {
                let _ = writeln!(text, "{} (peak {}):", theme.id, theme.peak);
                for e in &theme.evidence {
                    let _ = writeln!(text, "  line {} ({}): {}", e.line, e.rule, e.snippet);
                }
            }
        }
        text
    }
}
