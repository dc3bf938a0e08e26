//! CI printers: GitHub Actions workflow commands (`--format github`) and a
//! Markdown summary (`--format markdown`) for pull-request comments and job
//! summary pages.

use std::io::{self, Write};

use super::{DocumentReport, RunReport};
use crate::rules::Severity;

/// Writes one workflow command per check finding
/// (`::warning file=…,line=…,col=…,title=…::message`) and one `::error`
/// per unreadable input, so findings appear as annotations on the diff.
pub fn write_github<W: Write>(mut w: W, report: &RunReport) -> io::Result<()> {
    for doc in &report.documents {
        for f in doc.checks.iter().filter(|f| f.suppressed.is_none()) {
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            writeln!(
                w,
                "::{command} file={},line={},col={},title={}::{}",
                property(&doc.path),
                f.line,
                f.column,
                property(&format!("policyscan {}", f.check)),
                data(&f.message)
            )?;
        }
    }
    for e in &report.errors {
        writeln!(
            w,
            "::error file={},title=policyscan::{}",
            property(&e.path),
            data(&e.message)
        )?;
    }
    w.flush()
}

/// Escaping for a workflow command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a workflow command's property values.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Writes a Markdown summary: a table of documents with stance, themes
/// and findings, then each finding with its location.
pub fn write_markdown<W: Write>(mut w: W, report: &RunReport) -> io::Result<()> {
    let s = &report.summary;
    writeln!(w, "## policyscan report\n")?;
    let findings: usize = s.checks.values().sum();
    writeln!(
        w,
        "{} documents scanned; {} check findings ({} error, {} warning, {} info); {} skipped; {} unreadable.\n",
        s.documents,
        findings,
        s.checks.get(&Severity::Error).copied().unwrap_or(0),
        s.checks.get(&Severity::Warning).copied().unwrap_or(0),
        s.checks.get(&Severity::Info).copied().unwrap_or(0),
        s.skipped,
        s.errors
    )?;
    if !report.documents.is_empty() {
        writeln!(
            w,
            "| Document | Stance | Confidence | Themes present | Findings |"
        )?;
        writeln!(w, "| --- | --- | --- | --- | --- |")?;
        for doc in &report.documents {
            writeln!(
                w,
                "| `{}` | {} | {:.2} | {} | {} |",
                cell(&doc.path),
                doc.stance.label,
                doc.stance.confidence,
                cell(&themes(doc)),
                doc.checks.iter().filter(|f| f.suppressed.is_none()).count()
            )?;
        }
        writeln!(w)?;
    }
    if findings > 0 {
        writeln!(w, "### Findings\n")?;
        writeln!(w, "| Severity | Check | Location | Message |")?;
        writeln!(w, "| --- | --- | --- | --- |")?;
        for doc in &report.documents {
            for f in &doc.checks {
                writeln!(
                    w,
                    "| {}{} | `{}` | `{}:{}:{}` | {} |",
                    f.severity.as_str(),
                    if f.suppressed.is_some() {
                        " (suppressed)"
                    } else {
                        ""
                    },
                    cell(&f.check),
                    cell(&doc.path),
                    f.line,
                    f.column,
                    cell(&f.message)
                )?;
            }
        }
        writeln!(w)?;
    }
    if !report.errors.is_empty() {
        writeln!(w, "### Unreadable inputs\n")?;
        for e in &report.errors {
            writeln!(w, "- `{}`: {}", cell(&e.path), cell(&e.message))?;
        }
    }
    w.flush()
}

fn themes(doc: &DocumentReport) -> String {
    let present: Vec<&str> = doc
        .themes
        .iter()
        .filter(|t| t.present)
        .map(|t| t.id.as_str())
        .collect();
    if present.is_empty() {
        "none".to_string()
    } else {
        present.join(", ")
    }
}

/// Keeps table cells on one line and their pipes literal.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_values_are_escaped() {
        assert_eq!(data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(cell("a|b\nc"), "a\\|b c");
    }
}
