//! CI printers: GitHub Actions workflow commands (`--format github`),
//! Azure Pipelines logging commands (`--format azure`) and a Markdown
//! summary (`--format markdown`) for pull-request comments and job summary
//! pages.

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use super::gates::Gates;
use super::spill::Spill;
use super::stream::{StreamFormat, write_whole};
use super::{DocumentReport, InputError, RunReport, Summary};
use crate::rules::Severity;

/// Writes one workflow command per check finding
/// (`::warning file=…,line=…,col=…,title=…::message`) and one `::error`
/// per unreadable input, so findings appear as annotations on the diff.
pub fn write_github<W: Write>(w: W, report: &RunReport) -> io::Result<()> {
    write_whole(w, StreamFormat::Github, report, &[])
}

/// The annotations of one document's unsuppressed check findings, and
/// an `::error` for each condition of `gates` it meets.
pub(super) fn github_document<W: Write>(
    w: &mut W,
    doc: &DocumentReport,
    gates: &Gates,
) -> io::Result<()> {
    for f in doc.checks.iter().filter(|f| f.suppressed.is_none()) {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let title = property(&format!("policyscan {}", f.check));
        // A line of a PDF's or a Word file's extracted text is no line
        // GitHub can show: the annotation is the file's, and says where.
        match f.extracted_location(&doc.format) {
            Some(at) => writeln!(
                w,
                "::{command} file={},title={title}::{} ({at})",
                property(&doc.path),
                data(&f.message),
            )?,
            None => writeln!(
                w,
                "::{command} file={},line={},col={},title={title}::{}",
                property(&doc.path),
                f.line,
                f.column,
                data(&f.message)
            )?,
        }
    }
    for met in gates.met(doc) {
        let title = property(&format!("policyscan {}", met.name));
        match (met.at, met.extracted_location()) {
            (Some((line, column, _)), None) => writeln!(
                w,
                "::error file={},line={line},col={column},title={title}::{}",
                property(&doc.path),
                data(&met.message)
            )?,
            (_, at) => writeln!(
                w,
                "::error file={},title={title}::{}{}",
                property(&doc.path),
                data(&met.message),
                at.map(|at| format!(" ({at})")).unwrap_or_default()
            )?,
        }
    }
    Ok(())
}

/// One `::error` annotation per unreadable input.
pub(super) fn github_errors<W: Write>(w: &mut W, errors: &[InputError]) -> io::Result<()> {
    for e in errors {
        writeln!(
            w,
            "::error file={},title=policyscan::{}",
            property(&e.path),
            data(&e.message)
        )?;
    }
    Ok(())
}

/// Writes one Azure Pipelines logging command per check finding
/// (`##vso[task.logissue type=warning;sourcepath=…;linenumber=…;
/// columnnumber=…;code=…]message`) and one per unreadable input, so
/// findings appear in the run's summary and on the files.
pub fn write_azure<W: Write>(w: W, report: &RunReport) -> io::Result<()> {
    write_whole(w, StreamFormat::Azure, report, &[])
}

/// The logging commands of one document's unsuppressed check findings.
/// Azure has errors and warnings only: an `info` finding is a warning
/// whose message says `info:`.
pub(super) fn azure_document<W: Write>(
    w: &mut W,
    doc: &DocumentReport,
    gates: &Gates,
) -> io::Result<()> {
    let source = azure_path(&doc.path);
    let source = source.as_deref();
    // A line of a PDF's or a Word file's extracted text is no line of the
    // file: the message says where instead.
    let said = |at: Option<String>| at.map(|at| format!(" ({at})")).unwrap_or_default();
    for f in doc.checks.iter().filter(|f| f.suppressed.is_none()) {
        let (kind, prefix) = match f.severity {
            Severity::Error => ("error", ""),
            Severity::Warning => ("warning", ""),
            Severity::Info => ("warning", "info: "),
        };
        let at = f.extracted_location(&doc.format);
        let place = at.is_none().then_some((f.line, f.column));
        let message = format!("{prefix}policyscan {}: {}{}", f.check, f.message, said(at));
        azure_issue(w, (&doc.path, source), kind, place, &f.check, &message)?;
    }
    // The conditions the run fails on, as errors.
    for met in gates.met(doc) {
        let at = met.extracted_location();
        let place = met
            .at
            .filter(|_| at.is_none())
            .map(|(line, column, _)| (line, column));
        let message = format!("policyscan {}: {}{}", met.name, met.message, said(at));
        azure_issue(w, (&doc.path, source), "error", place, met.name, &message)?;
    }
    Ok(())
}

/// One `task.logissue` command of `kind` on the document at `path`
/// (whose absolute path Azure wants is `source`, if it is a file), at
/// `place` (line, column) when there is one, with `code` and `message`.
fn azure_issue<W: Write>(
    w: &mut W,
    (path, source): (&str, Option<&str>),
    kind: &str,
    place: Option<(usize, usize)>,
    code: &str,
    message: &str,
) -> io::Result<()> {
    let mut properties = format!("type={kind};");
    if let Some(source) = source {
        properties.push_str(&format!("sourcepath={};", azure_property(source)));
        if let Some((line, column)) = place {
            properties.push_str(&format!("linenumber={line};columnnumber={column};"));
        }
    }
    properties.push_str(&format!("code={};", azure_property(code)));
    let named = match source {
        Some(_) => String::new(),
        None => format!("{path}: "),
    };
    writeln!(
        w,
        "##vso[task.logissue {properties}]{}",
        azure_data(&format!("{named}{message}"))
    )
}

/// One `type=error` logging command per unreadable input.
pub(super) fn azure_errors<W: Write>(w: &mut W, errors: &[InputError]) -> io::Result<()> {
    for e in errors {
        let mut properties = String::from("type=error;");
        if let Some(source) = azure_path(&e.path) {
            properties.push_str(&format!("sourcepath={};", azure_property(&source)));
        }
        writeln!(
            w,
            "##vso[task.logissue {properties}]{}",
            azure_data(&format!("policyscan: {}: {}", e.path, e.message))
        )?;
    }
    Ok(())
}

/// The absolute path Azure wants for a report path; `None` for standard
/// input, records and other names that are no file.
fn azure_path(path: &str) -> Option<String> {
    let file = Path::new(path);
    if !file.exists() {
        return None;
    }
    let absolute = std::path::absolute(file).ok()?;
    Some(absolute.display().to_string())
}

/// Escaping for a logging command's message, as Azure's task library
/// does it.
fn azure_data(s: &str) -> String {
    escape_breaks(s, "%AZP25")
}

/// Escaping for a logging command's property values.
fn azure_property(s: &str) -> String {
    azure_data(s).replace(';', "%3B").replace(']', "%5D")
}

/// Escaping for a workflow command's message.
fn data(s: &str) -> String {
    escape_breaks(s, "%25")
}

/// `s` with `%` written as `percent` and line breaks as `%0D` and `%0A`,
/// so a CI command stays on its line.
fn escape_breaks(s: &str, percent: &str) -> String {
    s.replace('%', percent)
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a workflow command's property values.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Writes a Markdown summary: a table of documents with stance, themes
/// and findings, then each finding with its location.
pub fn write_markdown<W: Write>(w: W, report: &RunReport) -> io::Result<()> {
    write_whole(w, StreamFormat::Markdown, report, &[])
}

/// Links from a Markdown summary's documents and findings to the files
/// on GitHub at the commit scanned, so a job summary or pull-request
/// comment can be clicked through to the line. Files outside the
/// checkout, standard input and JSONL records get no link.
#[derive(Debug, Clone)]
pub struct SourceLinks {
    /// `https://github.com/OWNER/REPO/blob/SHA/`.
    base: String,
    /// The checkout, canonical.
    root: PathBuf,
}

impl SourceLinks {
    /// Links into `repository` (`owner/name`) on `server` at commit `sha`,
    /// for files under `root` (the checkout); `None` if a part is not of
    /// that form or `root` does not exist.
    pub fn new(server: &str, repository: &str, sha: &str, root: &Path) -> Option<SourceLinks> {
        let server = server.trim_end_matches('/');
        let well_formed = (server.starts_with("https://") || server.starts_with("http://"))
            && repository.split('/').count() == 2
            && repository.split('/').all(|part| !part.is_empty())
            && repository
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
            && !sha.is_empty()
            && sha.chars().all(|c| c.is_ascii_hexdigit());
        if !well_formed {
            return None;
        }
        Some(SourceLinks {
            base: format!("{server}/{repository}/blob/{sha}/"),
            root: std::fs::canonicalize(root).ok()?,
        })
    }

    /// From the variables GitHub Actions sets in every job
    /// (`GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`, `GITHUB_SHA`,
    /// `GITHUB_WORKSPACE`); `None` outside Actions.
    pub fn from_github_env() -> Option<SourceLinks> {
        let var = |name| std::env::var(name).ok().filter(|v| !v.is_empty());
        SourceLinks::new(
            &var("GITHUB_SERVER_URL")?,
            &var("GITHUB_REPOSITORY")?,
            &var("GITHUB_SHA")?,
            Path::new(&var("GITHUB_WORKSPACE")?),
        )
    }

    /// The URL of the file at `path` (as reported: relative to the
    /// working directory, or absolute), at `line` when given. GitHub
    /// renders Markdown files, so their lines are linked in the source
    /// view (`?plain=1`); PDF and Word lines are lines of the extracted
    /// text, so those link to the file.
    pub fn url(&self, path: &str, format: &str, line: Option<usize>) -> Option<String> {
        let file = std::fs::canonicalize(path).ok()?;
        let relative = file.strip_prefix(&self.root).ok()?;
        let mut url = self.base.clone();
        for (i, part) in relative.components().enumerate() {
            let Component::Normal(part) = part else {
                return None;
            };
            if i > 0 {
                url.push('/');
            }
            percent_encode(part.to_str()?, &mut url);
        }
        match (line, format) {
            (Some(line), "markdown") => url.push_str(&format!("?plain=1#L{line}")),
            (Some(line), "text" | "html") => url.push_str(&format!("#L{line}")),
            _ => {}
        }
        Some(url)
    }
}

/// Appends `s` with every byte but RFC 3986's unreserved ones escaped.
fn percent_encode(s: &str, out: &mut String) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// `` `text` ``, linked to `url` when there is one.
fn code_link(text: &str, url: Option<String>) -> String {
    match url {
        Some(url) => format!("[`{}`]({url})", cell(text)),
        None => format!("`{}`", cell(text)),
    }
}

/// The two tables of a Markdown summary being written a document at a
/// time. Both come after the totals, so their rows wait in [`Spill`]s
/// until [`Markdown::finish`].
pub(super) struct Markdown {
    documents: Spill,
    findings: Spill,
    /// Rows of the conditions the run fails on.
    conditions: Spill,
    pub(super) links: Option<SourceLinks>,
}

impl Markdown {
    pub(super) fn new() -> Markdown {
        Markdown {
            documents: Spill::new(),
            findings: Spill::new(),
            conditions: Spill::new(),
            links: None,
        }
    }

    /// Adds the document's row, its findings' rows and a row for each
    /// condition of `gates` it meets.
    pub(super) fn document(&mut self, doc: &DocumentReport, gates: &Gates) -> io::Result<()> {
        let link = |line| {
            self.links
                .as_ref()
                .and_then(|links| links.url(&doc.path, &doc.format, line))
        };
        writeln!(
            self.documents,
            "| {} | {} | {:.2} | {} | {} |",
            code_link(&doc.path, link(None)),
            doc.stance.label,
            doc.stance.confidence,
            cell(&themes(doc)),
            doc.checks.iter().filter(|f| f.suppressed.is_none()).count()
        )?;
        for f in &doc.checks {
            writeln!(
                self.findings,
                "| {}{} | `{}` | {} | {} |",
                f.severity.as_str(),
                if f.suppressed.is_some() {
                    " (suppressed)"
                } else {
                    ""
                },
                cell(&f.check),
                code_link(
                    &format!("{}:{}:{}", doc.path, f.line, f.column),
                    link(Some(f.line))
                ),
                cell(&f.message)
            )?;
        }
        for met in gates.met(doc) {
            let (line, column) = met.at.map_or((None, None), |(l, c, _)| (Some(l), Some(c)));
            let location = match (line, column) {
                (Some(line), Some(column)) => format!("{}:{line}:{column}", doc.path),
                _ => doc.path.clone(),
            };
            writeln!(
                self.conditions,
                "| `{}` | {} | {} |",
                met.name,
                code_link(&location, link(line)),
                cell(&met.message)
            )?;
        }
        Ok(())
    }

    /// Writes the summary: totals, the tables, the unreadable inputs.
    pub(super) fn finish<W: Write>(
        self,
        w: &mut W,
        s: &Summary,
        errors: &[InputError],
    ) -> io::Result<()> {
        writeln!(w, "## policyscan report\n")?;
        let findings: usize = s.checks.values().sum();
        writeln!(
            w,
            "{} scanned; {} ({} error, {} warning, {} info); {} skipped; {} unreadable.\n",
            super::text::plural(s.documents, "document"),
            super::text::plural(findings, "check finding"),
            s.checks.get(&Severity::Error).copied().unwrap_or(0),
            s.checks.get(&Severity::Warning).copied().unwrap_or(0),
            s.checks.get(&Severity::Info).copied().unwrap_or(0),
            s.skipped,
            s.errors
        )?;
        if !self.documents.is_empty() {
            writeln!(
                w,
                "| Document | Stance | Confidence | Themes present | Findings |"
            )?;
            writeln!(w, "| --- | --- | --- | --- | --- |")?;
            self.documents.copy_to(w)?;
            writeln!(w)?;
        }
        if !self.conditions.is_empty() {
            writeln!(w, "### Conditions the run fails on\n")?;
            writeln!(w, "| Condition | Location | Met |")?;
            writeln!(w, "| --- | --- | --- |")?;
            self.conditions.copy_to(w)?;
            writeln!(w)?;
        }
        if findings > 0 {
            writeln!(w, "### Findings\n")?;
            writeln!(w, "| Severity | Check | Location | Message |")?;
            writeln!(w, "| --- | --- | --- | --- |")?;
            self.findings.copy_to(w)?;
            writeln!(w)?;
        }
        if !errors.is_empty() {
            writeln!(w, "### Unreadable inputs\n")?;
            for e in errors {
                writeln!(w, "- `{}`: {}", cell(&e.path), cell(&e.message))?;
            }
        }
        Ok(())
    }
}

fn themes(doc: &DocumentReport) -> String {
    let present = doc.present_theme_ids();
    if present.is_empty() {
        "none".to_string()
    } else {
        present.join(", ")
    }
}

/// Keeps table cells on one line and their pipes literal.
pub(super) fn cell(s: &str) -> String {
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
