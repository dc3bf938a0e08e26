//! JUnit XML output (`--format junit`), the test report that GitLab,
//! Jenkins, Azure Pipelines, CircleCI and most CI systems show as test
//! results.
//!
//! Every input is a `<testsuite>`. A scanned document's test cases are
//! the ruleset's checks: a check that does not fire passes, one that
//! fires is a `<failure>` (its severity the failure's `type`, its
//! evidence in the body), and one that fires but an inline comment or the
//! baseline suppresses is `<skipped>` with the reason. A test case's
//! `classname` is the document's path and its `name` the check id, the
//! pair GitLab keys a test by. With `--fail-on-stance` or
//! `--fail-on-theme`, a test case `fail-on-stance` or `fail-on-theme`
//! fails when the document meets the condition, so the report shows
//! why such a run failed. The document's stance and themes are the
//! suite's `<properties>`. An input that could not be read is a suite
//! with one test case in `<error>`; one skipped on purpose (binary, too
//! large) a suite with one `<skipped>` test case. The totals open the
//! report, so the suites wait in a [`Spill`] until the end.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::gates::Gates;
use super::spill::Spill;
use super::{CheckFinding, DocumentReport, InputError, Skipped};
use crate::rules::{Check, Severity};

/// The test case of an input that was not scanned.
const SCAN: &str = "scan";

/// The suites of a report being written a document at a time.
pub(super) struct Junit {
    suites: Spill,
    totals: Counts,
    /// `--fail-on-stance` and `--fail-on-theme`: a test case for each.
    pub(super) gates: Gates,
}

/// The counts a `<testsuite>` and `<testsuites>` carry.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }

    fn attributes(self) -> String {
        format!(
            "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"",
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

impl Junit {
    pub(super) fn new() -> Junit {
        Junit {
            suites: Spill::new(),
            totals: Counts::default(),
            gates: Gates::default(),
        }
    }

    /// Adds the document's suite: a test case per check of `checks`, and
    /// one for any finding of a check not among them.
    pub(super) fn document(&mut self, doc: &DocumentReport, checks: &[Check]) -> io::Result<()> {
        let mut ids: Vec<&str> = checks.iter().map(|c| c.id.as_str()).collect();
        for finding in &doc.checks {
            if !ids.contains(&finding.check.as_str()) {
                ids.push(&finding.check);
            }
        }
        let mut counts = Counts::default();
        let mut cases = String::new();
        for id in ids {
            counts.tests += 1;
            let _ = write!(
                cases,
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
                attr(&doc.path),
                attr(id),
                attr(&doc.path)
            );
            match doc.checks.iter().find(|f| f.check == id) {
                None => cases.push_str("/>\n"),
                Some(finding) => {
                    if finding.extracted_location(&doc.format).is_none() {
                        let _ = write!(cases, " line=\"{}\"", finding.line);
                    }
                    cases.push_str(">\n");
                    match &finding.suppressed {
                        Some(s) => {
                            counts.skipped += 1;
                            let _ = writeln!(
                                cases,
                                "      <skipped message=\"{}\"/>",
                                attr(&format!("suppressed ({}): {}", s.kind, s.reason))
                            );
                        }
                        None => {
                            counts.failures += 1;
                            let _ = writeln!(
                                cases,
                                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                                severity(finding.severity),
                                attr(&finding.message),
                                text(&failure_body(doc, finding))
                            );
                        }
                    }
                    cases.push_str("    </testcase>\n");
                }
            }
        }
        let met = self.gates.met(doc);
        for name in self.gates.names() {
            let failure = met.iter().find(|m| m.name == name);
            counts.tests += 1;
            let _ = write!(
                cases,
                "    <testcase classname=\"{}\" name=\"{name}\" file=\"{}\"",
                attr(&doc.path),
                attr(&doc.path)
            );
            match failure {
                None => cases.push_str("/>\n"),
                Some(met) => {
                    counts.failures += 1;
                    let _ = write!(
                        cases,
                        ">\n      <failure type=\"{name}\" message=\"{}\">{}</failure>\n    \
                         </testcase>\n",
                        attr(&met.message),
                        text(&met.details())
                    );
                }
            }
        }
        let present = doc.present_theme_ids().join(",");
        let properties = [
            ("format", doc.format.clone()),
            ("words", doc.words.to_string()),
            ("stance", doc.stance.label.to_string()),
            ("confidence", format!("{:.2}", doc.stance.confidence)),
            ("stance-reason", doc.stance.reason.clone()),
            ("themes", present),
        ];
        let mut suite = format!(
            "  <testsuite name=\"{}\" {} file=\"{}\">\n    <properties>\n",
            attr(&doc.path),
            counts.attributes(),
            attr(&doc.path)
        );
        for (name, value) in properties {
            let _ = writeln!(
                suite,
                "      <property name=\"{name}\" value=\"{}\"/>",
                attr(&value)
            );
        }
        suite.push_str("    </properties>\n");
        suite.push_str(&cases);
        suite.push_str("  </testsuite>\n");
        self.totals.add(counts);
        self.suites.write_all(suite.as_bytes())
    }

    /// Writes the report: the totals, the documents' suites, then a suite
    /// for each skipped and each unreadable input.
    pub(super) fn finish<W: Write>(
        self,
        w: &mut W,
        skipped: &[Skipped],
        errors: &[InputError],
    ) -> io::Result<()> {
        let mut totals = self.totals;
        let mut tail = String::new();
        for s in skipped {
            let message = format!("not scanned: {}", s.reason);
            totals.add(unscanned(&mut tail, &s.path, "skipped", &message));
        }
        for e in errors {
            totals.add(unscanned(&mut tail, &e.path, "error", &e.message));
        }
        writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            w,
            "<testsuites name=\"policyscan\" {}>",
            totals.attributes()
        )?;
        self.suites.copy_to(w)?;
        w.write_all(tail.as_bytes())?;
        writeln!(w, "</testsuites>")
    }
}

/// Appends the suite of an input that was not scanned: one test case,
/// `scan`, whose `outcome` (`skipped` or `error`) carries `message`.
fn unscanned(out: &mut String, path: &str, outcome: &str, message: &str) -> Counts {
    let counts = Counts {
        tests: 1,
        skipped: usize::from(outcome == "skipped"),
        errors: usize::from(outcome == "error"),
        ..Counts::default()
    };
    let _ = writeln!(
        out,
        "  <testsuite name=\"{path}\" {}>\n    <testcase classname=\"{path}\" \
         name=\"{SCAN}\">\n      <{outcome} message=\"{}\"/>\n    </testcase>\n  \
         </testsuite>",
        counts.attributes(),
        attr(message),
        path = attr(path),
    );
    counts
}

/// The text of a failure: where, the message, the help, and the
/// evidence, one item a line.
fn failure_body(doc: &DocumentReport, finding: &CheckFinding) -> String {
    let at = finding
        .extracted_location(&doc.format)
        .unwrap_or_else(|| format!("line {}, column {}", finding.line, finding.column));
    let mut body = format!(
        "{}: {}: {} [{}]\n",
        doc.path,
        at,
        finding.message,
        severity(finding.severity)
    );
    if let Some(help) = &finding.help {
        let _ = writeln!(body, "help: {help}");
    }
    if !finding.evidence.is_empty() {
        body.push_str("evidence:\n");
    }
    for e in &finding.evidence {
        let _ = writeln!(body, "  line {} ({}): {}", e.line, e.rule, e.snippet);
    }
    body
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// `s` for an attribute value in double quotes: markup characters and
/// the whitespace an XML parser would normalise escaped, and characters
/// XML 1.0 cannot hold replaced.
fn attr(s: &str) -> String {
    escape(s, true)
}

/// `s` for element content.
fn text(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(c),
            c if allowed_in_xml(c) => out.push(c),
            _ => out.push('\u{fffd}'),
        }
    }
    out
}

/// XML 1.0's `Char` production, less the whitespace handled above.
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_characters_are_escaped() {
        assert_eq!(
            attr("a \"b\" & <c>\nd\te"),
            "a &quot;b&quot; &amp; &lt;c&gt;&#10;d&#9;e"
        );
        assert_eq!(text("a \"b\" & <c>\nd"), "a \"b\" &amp; &lt;c&gt;\nd");
        assert_eq!(
            text("bell\u{7} nul\u{0} \u{ffff}"),
            "bell\u{fffd} nul\u{fffd} \u{fffd}"
        );
        assert_eq!(attr("\r"), "&#13;");
        assert_eq!(text("开源 😀"), "开源 😀");
    }
}
