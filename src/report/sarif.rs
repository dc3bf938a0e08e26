//! SARIF 2.1.0 output (`--format sarif`), for code-scanning dashboards.
//!
//! Each document-level check of the ruleset is a SARIF rule; each finding
//! is a result located at its first piece of evidence. Columns are Unicode
//! code points, as the run declares (`columnKind`). Results carry a
//! `partialFingerprints` entry computed from their content (check id and
//! the normalised text of their evidence), not from line numbers, so
//! moving a paragraph does not make a finding look new. Unreadable inputs
//! are reported as tool execution notifications.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::spill::Spill;
use super::stream::{StreamFormat, write_indented, write_whole};
use super::{CheckFinding, DocumentReport, InputError, RunReport, Tool};
use crate::rules::{Check, Severity};

/// The SARIF schema the output declares.
const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Writes the report as one SARIF log. `checks` are the ruleset's check
/// definitions (the SARIF rules).
///
/// The log is what `serde_json::to_writer_pretty` makes of one JSON value
/// (keys in sorted order), but written result by result: a run over
/// 20,000 documents has tens of thousands of results, and as one value
/// they took ten times the memory of the text.
pub fn write_sarif<W: Write>(w: W, report: &RunReport, checks: &[Check]) -> io::Result<()> {
    write_whole(w, StreamFormat::Sarif, report, checks)
}

/// The results of a log being written a document at a time. They come
/// after the invocations, whose notifications are the run's errors, so
/// they wait in a [`Spill`] until [`Results::finish`].
pub(super) struct Results {
    spill: Spill,
    buf: Vec<u8>,
}

impl Results {
    pub(super) fn new() -> Results {
        Results {
            spill: Spill::new(),
            buf: Vec::new(),
        }
    }

    /// Adds a result for each of the document's check findings.
    pub(super) fn document(&mut self, doc: &DocumentReport, checks: &[Check]) -> io::Result<()> {
        for finding in &doc.checks {
            let first = self.spill.is_empty();
            self.spill
                .write_all(if first { b"\n        " } else { b",\n        " })?;
            write_indented(
                &mut self.spill,
                &result(&doc.path, &doc.format, finding, checks),
                4,
                &mut self.buf,
            )?;
        }
        Ok(())
    }

    /// Writes the log: the invocations with the run's `errors` as
    /// notifications, the results, and the tool with `checks` as rules.
    pub(super) fn finish<W: Write>(
        mut self,
        w: &mut W,
        tool: &Tool,
        errors: &[InputError],
        checks: &[Check],
    ) -> io::Result<()> {
        let notifications: Vec<Value> = errors
            .iter()
            .map(|e| json!({"level": "error", "message": {"text": format!("{}: {}", e.path, e.message)}}))
            .collect();
        let invocations = json!([{
            "executionSuccessful": errors.is_empty(),
            "toolExecutionNotifications": notifications,
        }]);
        let tool = json!({"driver": {
            "name": tool.name,
            "version": tool.version,
            "informationUri": "https://github.com/policyscan/policyscan",
            "rules": checks.iter().map(rule).collect::<Vec<Value>>(),
        }});
        let buf = &mut self.buf;
        writeln!(w, "{{")?;
        writeln!(w, "  \"$schema\": \"{SARIF_SCHEMA}\",")?;
        writeln!(w, "  \"runs\": [")?;
        writeln!(w, "    {{")?;
        writeln!(w, "      \"columnKind\": \"unicodeCodePoints\",")?;
        write!(w, "      \"invocations\": ")?;
        write_indented(w, &invocations, 3, buf)?;
        write!(w, ",\n      \"results\": [")?;
        if !self.spill.is_empty() {
            self.spill.copy_to(w)?;
            write!(w, "\n      ")?;
        }
        write!(w, "],\n      \"tool\": ")?;
        write_indented(w, &tool, 3, buf)?;
        writeln!(w, "\n    }}")?;
        writeln!(w, "  ],")?;
        writeln!(w, "  \"version\": \"2.1.0\"")?;
        writeln!(w, "}}")
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(check: &Check) -> Value {
    let mut rule = json!({
        "id": check.id,
        "shortDescription": {"text": check.message},
        "fullDescription": {"text": check.description.as_deref().unwrap_or(&check.message)},
        "defaultConfiguration": {"level": level(check.severity)},
    });
    if let Some(help) = &check.help {
        rule["help"] = json!({"text": help});
        if help.starts_with("https://") || help.starts_with("http://") {
            rule["helpUri"] = json!(help);
        }
    }
    rule
}

fn result(path: &str, format: &str, finding: &CheckFinding, checks: &[Check]) -> Value {
    let snippet = finding
        .evidence
        .first()
        .map_or(String::new(), |e| e.snippet.clone());
    // The region's line is required (GitHub's code scanning needs one);
    // for a PDF or Word file it is a line of the extracted text, so the
    // message says so, with the page.
    let message = match finding.extracted_location(format) {
        Some(at) => format!("{} ({at})", finding.message),
        None => finding.message.clone(),
    };
    let mut result = json!({
        "ruleId": finding.check,
        "level": level(finding.severity),
        "message": {"text": message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri(path)},
            "region": {"startLine": finding.line, "startColumn": finding.column, "snippet": {"text": snippet}},
        }}],
        "partialFingerprints": {"policyscanContent/v1": fingerprint(finding)},
    });
    if let Some(index) = checks.iter().position(|c| c.id == finding.check) {
        result["ruleIndex"] = json!(index);
    }
    if let Some(s) = &finding.suppressed {
        let kind = if s.kind == "inline" {
            "inSource"
        } else {
            "external"
        };
        result["suppressions"] = json!([{"kind": kind, "justification": s.reason}]);
    }
    result
}

/// A stable 64-bit FNV-1a hash of the check id and the normalised text of
/// the evidence (lowercase, whitespace collapsed, in sorted order), as 16
/// hex digits.
/// FNV is used because it is fixed by definition: the standard library's
/// hasher may change between Rust versions, and fingerprints must not.
pub fn fingerprint(finding: &CheckFinding) -> String {
    // Sorted, so reordering paragraphs does not change the fingerprint.
    let mut parts: Vec<String> = finding
        .evidence
        .iter()
        .map(|e| {
            format!(
                "{}\u{1f}{}",
                e.rule,
                e.snippet
                    .to_lowercase()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        })
        .collect();
    parts.sort();
    parts.dedup();
    let content = format!("{}\u{1e}{}", finding.check, parts.join("\u{1e}"));
    format!("{:016x}", fnv1a(content.as_bytes()))
}

/// The 64-bit FNV-1a hash of `bytes`.
pub(super) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A relative URI reference for a report path: `/` separators, and every
/// byte outside the unreserved set percent-encoded.
fn uri(path: &str) -> String {
    let path = if path == "<stdin>" { "stdin" } else { path };
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("drafts/a b.md"), "drafts/a%20b.md");
        assert_eq!(uri("überblick.md"), "%C3%BCberblick.md");
        assert_eq!(uri("<stdin>"), "stdin");
    }
}
