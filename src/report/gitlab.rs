//! GitLab Code Quality output (`--format gitlab`): check findings as the
//! issues of a `codequality` report artifact, which GitLab shows in the
//! merge request widget and on the changed lines of its diff.
//!
//! The report is a JSON array of issues in the subset of the Code Climate
//! format GitLab reads: `description`, `check_name`, `fingerprint`,
//! `severity` and `location` (`path`, `lines.begin`). GitLab compares the
//! fingerprints of the base and head pipelines to tell new findings from
//! fixed ones, and keeps only the first issue of a fingerprint, so a
//! fingerprint is made from the path and the finding's content (the SARIF
//! fingerprint: check id and normalised evidence), never from its line,
//! and made unique within the report. Unreadable inputs are issues too
//! (`policyscan/input-error`), so an input that could not be checked is
//! not silently missing from the widget.

use std::collections::HashSet;
use std::io::{self, Write};

use serde::Serialize;

use super::sarif::{fingerprint, fnv1a};
use super::stream::write_indented;
use super::{DocumentReport, InputError};
use crate::rules::Severity;

/// The check name of an input that could not be scanned.
const INPUT_ERROR: &str = "policyscan/input-error";

/// The issues of a report being written a document at a time.
pub(super) struct CodeQuality {
    /// Whether an issue has been written (the array is open).
    open: bool,
    /// The fingerprints written so far, to keep them unique.
    seen: HashSet<String>,
    /// `CI_PROJECT_DIR`: absolute paths under it are made relative to
    /// the repository, as GitLab needs them.
    project_dir: Option<String>,
    buf: Vec<u8>,
}

/// One Code Quality issue.
#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: String,
    description: String,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

impl CodeQuality {
    pub(super) fn new() -> CodeQuality {
        CodeQuality::with_project_dir(
            std::env::var("CI_PROJECT_DIR")
                .ok()
                .filter(|dir| !dir.is_empty()),
        )
    }

    fn with_project_dir(project_dir: Option<String>) -> CodeQuality {
        CodeQuality {
            open: false,
            seen: HashSet::new(),
            project_dir,
            buf: Vec::new(),
        }
    }

    /// Writes an issue for each of the document's unsuppressed check
    /// findings (a suppressed finding is not an issue to GitLab, which has
    /// no notion of suppression).
    pub(super) fn document<W: Write>(&mut self, w: &mut W, doc: &DocumentReport) -> io::Result<()> {
        let path = self.repository_path(&doc.path);
        for finding in doc.checks.iter().filter(|f| f.suppressed.is_none()) {
            // A line of a PDF's or a Word file's extracted text is no line
            // of the file: the issue is the file's first line, and says
            // where it is.
            let (description, line) = match finding.extracted_location(&doc.format) {
                Some(at) => (format!("{} ({at})", finding.message), 1),
                None => (finding.message.clone(), finding.line),
            };
            let content = format!("{}\u{1f}{path}", fingerprint(finding));
            let issue = Issue {
                kind: "issue",
                check_name: format!("policyscan/{}", finding.check),
                description,
                fingerprint: self.unique(&content),
                severity: severity(finding.severity),
                location: Location {
                    path: &path,
                    lines: Lines { begin: line },
                },
            };
            self.write(w, &issue)?;
        }
        Ok(())
    }

    /// Writes an issue per unreadable input and closes the array.
    pub(super) fn finish<W: Write>(mut self, w: &mut W, errors: &[InputError]) -> io::Result<()> {
        for e in errors {
            let path = self.repository_path(&e.path);
            let issue = Issue {
                kind: "issue",
                check_name: INPUT_ERROR.to_string(),
                description: format!("Not scanned: {}", e.message),
                fingerprint: self.unique(&format!("{INPUT_ERROR}\u{1f}{path}")),
                severity: "critical",
                location: Location {
                    path: &path,
                    lines: Lines { begin: 1 },
                },
            };
            self.write(w, &issue)?;
        }
        if self.open {
            w.write_all(b"\n]\n")
        } else {
            w.write_all(b"[]\n")
        }
    }

    fn write<W: Write>(&mut self, w: &mut W, issue: &Issue<'_>) -> io::Result<()> {
        w.write_all(if self.open { b",\n  " } else { b"[\n  " })?;
        self.open = true;
        write_indented(w, issue, 1, &mut self.buf)
    }

    /// A fingerprint (32 hex digits) for `content`, different from every
    /// one written before: a repeat gets a counter, so GitLab shows both.
    fn unique(&mut self, content: &str) -> String {
        let mut n = 0_u32;
        loop {
            let salted = format!("{content}\u{1e}{n}");
            let low = fnv1a(salted.as_bytes());
            let high = fnv1a(format!("\u{1d}{salted}").as_bytes());
            let print = format!("{high:016x}{low:016x}");
            if self.seen.insert(print.clone()) {
                return print;
            }
            n += 1;
        }
    }

    /// The path as GitLab wants it: relative to the repository, with `/`
    /// separators and no leading `./`.
    fn repository_path(&self, path: &str) -> String {
        let mut path = path.replace('\\', "/");
        if let Some(dir) = &self.project_dir {
            let dir = dir.replace('\\', "/");
            let dir = dir.trim_end_matches('/');
            if let Some(rest) = path.strip_prefix(dir).and_then(|r| r.strip_prefix('/')) {
                path = rest.to_string();
            }
        }
        while let Some(rest) = path.strip_prefix("./") {
            path = rest.to_string();
        }
        path
    }
}

/// GitLab's scale is `info`, `minor`, `major`, `critical`, `blocker`.
/// An error finding is `major`, leaving `critical` for an input that
/// could not be checked at all.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_project() {
        let cq = CodeQuality::with_project_dir(Some("/builds/acme/bills/".into()));
        assert_eq!(
            cq.repository_path("/builds/acme/bills/drafts/a.md"),
            "drafts/a.md"
        );
        assert_eq!(cq.repository_path("./drafts/a.md"), "drafts/a.md");
        assert_eq!(cq.repository_path("drafts\\a.md"), "drafts/a.md");
        // Not under the project: left as it is.
        assert_eq!(
            cq.repository_path("/builds/acme/bills-old/a.md"),
            "/builds/acme/bills-old/a.md"
        );
        let outside_ci = CodeQuality::with_project_dir(None);
        assert_eq!(outside_ci.repository_path("/tmp/a.md"), "/tmp/a.md");
    }

    #[test]
    fn fingerprints_are_stable_and_never_repeat() {
        let mut cq = CodeQuality::with_project_dir(None);
        let first = cq.unique("x");
        let second = cq.unique("x");
        let other = cq.unique("y");
        assert_eq!(first.len(), 32);
        assert!(first.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(first, second);
        assert_ne!(first, other);
        // The same content gives the same first fingerprint in another run.
        assert_eq!(CodeQuality::with_project_dir(None).unique("x"), first);
    }
}
