//! Writing a run report one document at a time.
//!
//! [`Printer`] writes every format as documents arrive, so a scan of any
//! number of documents holds only the documents in flight. Text, JSON,
//! JSON Lines and GitHub annotations are written in order: the header
//! (JSON) first, each document as soon as it is ready, then skipped
//! inputs, errors and the summary (GitLab Code Quality issues and CSV
//! rows are written in order too). SARIF, Markdown, HTML and JUnit
//! start with what only the end of the run knows (errors, totals), so their
//! per-document parts wait in a [spill](super::spill) (memory, then a
//! temporary file) and are copied into place at the end. The
//! whole-report printers ([`super::write_json`], [`super::write_sarif`],
//! …) are this printer run over a finished report, so both paths write
//! the same bytes.

use std::io::{self, Write};

use serde::Serialize;

use super::ci::{Markdown, azure_document, azure_errors, github_document, github_errors};
use super::html::Html;
use super::sarif::Results;
use super::text::{TextOptions, write_document_block, write_summary_line};
use super::{DocumentReport, InputError, RunReport, SCHEMA_VERSION, Skipped, Summary, Tool};
use crate::rules::{Check, RulesetInfo};

/// The report formats, as a [`Printer`] writes them.
#[derive(Debug, Clone, Copy)]
pub enum StreamFormat {
    /// Lines for people.
    Text(TextOptions),
    /// One pretty-printed JSON object (the [`RunReport`] shape).
    Json,
    /// One JSON message per line.
    Jsonl,
    /// One SARIF 2.1.0 log.
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
    /// Azure Pipelines logging commands.
    Azure,
    /// A Markdown summary.
    Markdown,
    /// One self-contained HTML page.
    Html,
    /// A row per input, for spreadsheets.
    Csv,
    /// GitLab Code Quality issues.
    Gitlab,
    /// A JUnit XML test report.
    Junit,
}

/// A report printer fed one document at a time.
pub struct Printer<W: Write> {
    w: W,
    format: Format,
    tool: Tool,
    rulesets: Vec<RulesetInfo>,
    checks: Vec<Check>,
    documents: usize,
    /// Reused for each document's JSON, so it does not grow again per
    /// document.
    buf: Vec<u8>,
    /// The conditions the CI formats show when a document meets them.
    gates: super::gates::Gates,
}

/// The format being written, with what SARIF, Markdown and HTML hold
/// until the end.
enum Format {
    Text(TextOptions),
    Json,
    Jsonl,
    Github,
    Azure,
    Sarif(Results),
    Markdown(Markdown),
    Html(Box<Html>),
    Csv(super::table::Table),
    Gitlab(super::gitlab::CodeQuality),
    Junit(super::junit::Junit),
}

impl<W: Write> Printer<W> {
    /// Starts a report (writes the JSON header). `checks` are the
    /// ruleset's check definitions, which SARIF lists as its rules and
    /// JUnit as each document's test cases; the other formats do not use
    /// them.
    pub fn new(
        mut w: W,
        format: StreamFormat,
        rulesets: &[RulesetInfo],
        checks: &[Check],
    ) -> io::Result<Self> {
        let tool = Tool::current();
        if let StreamFormat::Json = format {
            writeln!(w, "{{")?;
            writeln!(w, "  \"schema_version\": {SCHEMA_VERSION},")?;
            field(&mut w, "tool", &tool, true)?;
            field(&mut w, "rulesets", &rulesets, true)?;
        }
        let format = match format {
            StreamFormat::Text(options) => Format::Text(options),
            StreamFormat::Json => Format::Json,
            StreamFormat::Jsonl => Format::Jsonl,
            StreamFormat::Github => Format::Github,
            StreamFormat::Azure => Format::Azure,
            StreamFormat::Sarif => Format::Sarif(Results::new()),
            StreamFormat::Markdown => Format::Markdown(Markdown::new()),
            StreamFormat::Html => Format::Html(Box::new(Html::new())),
            StreamFormat::Csv => Format::Csv(super::table::Table::new(&[])),
            StreamFormat::Gitlab => Format::Gitlab(super::gitlab::CodeQuality::new()),
            StreamFormat::Junit => Format::Junit(super::junit::Junit::new()),
        };
        Ok(Printer {
            w,
            format,
            tool,
            rulesets: rulesets.to_vec(),
            checks: checks.to_vec(),
            documents: 0,
            buf: Vec::new(),
            gates: super::gates::Gates::default(),
        })
    }

    /// Links the Markdown summary's documents and findings to the files
    /// on GitHub (see [`SourceLinks`](super::SourceLinks)); other formats
    /// are unchanged.
    pub fn with_source_links(mut self, links: Option<super::SourceLinks>) -> Self {
        if let Format::Markdown(markdown) = &mut self.format {
            markdown.links = links;
        }
        self
    }

    /// Shows the `--fail-on-stance` and `--fail-on-theme` conditions
    /// `fail` sets where documents meet them: JUnit test cases (one per
    /// document and condition), GitHub and Azure error annotations, a
    /// table in the Markdown summary; other formats are unchanged.
    pub fn with_gates(mut self, fail: &crate::check::FailConditions) -> Self {
        self.gates = super::gates::Gates {
            stances: fail.stances.clone(),
            themes: fail.themes.clone(),
        };
        if let Format::Junit(junit) = &mut self.format {
            junit.gates = self.gates.clone();
        }
        self
    }

    /// Gives the CSV table a score column for each of `themes` (the
    /// ruleset's theme ids); other formats are unchanged.
    pub fn with_themes(mut self, themes: &[String]) -> Self {
        if let Format::Csv(table) = &mut self.format {
            *table = super::table::Table::new(themes);
        }
        self
    }

    /// Writes (or, for SARIF, Markdown and HTML, holds) one document's
    /// report.
    pub fn document(&mut self, doc: &DocumentReport) -> io::Result<()> {
        let first = self.documents == 0;
        self.documents += 1;
        match &mut self.format {
            Format::Text(options) => write_document_block(&mut self.w, *options, doc, first),
            Format::Json => {
                if first {
                    write!(self.w, "  \"documents\": [\n    ")?;
                } else {
                    write!(self.w, ",\n    ")?;
                }
                write_indented(&mut self.w, doc, 2, &mut self.buf)
            }
            Format::Jsonl => line(&mut self.w, "document", doc),
            Format::Github => github_document(&mut self.w, doc, &self.gates),
            Format::Azure => azure_document(&mut self.w, doc, &self.gates),
            Format::Sarif(results) => results.document(doc, &self.checks),
            Format::Markdown(markdown) => markdown.document(doc, &self.gates),
            Format::Html(html) => html.document(doc),
            Format::Csv(table) => table.document(&mut self.w, doc),
            Format::Gitlab(issues) => issues.document(&mut self.w, doc),
            Format::Junit(junit) => junit.document(doc, &self.checks),
        }
    }

    /// Writes skipped inputs, errors and the summary (and whatever was
    /// held), flushes, and returns the writer.
    pub fn finish(
        mut self,
        skipped: &[Skipped],
        errors: &[InputError],
        summary: &Summary,
    ) -> io::Result<W> {
        let w = &mut self.w;
        match self.format {
            Format::Text(options) => {
                write_summary_line(w, options, summary, self.documents > 0)?;
            }
            Format::Json => {
                if self.documents == 0 {
                    writeln!(w, "  \"documents\": [],")?;
                } else {
                    writeln!(w, "\n  ],")?;
                }
                field(w, "skipped", &skipped, true)?;
                field(w, "errors", &errors, true)?;
                field(w, "summary", summary, false)?;
                writeln!(w, "}}")?;
            }
            Format::Jsonl => {
                for s in skipped {
                    line(w, "skipped", s)?;
                }
                for e in errors {
                    line(w, "error", e)?;
                }
                let message = SummaryMessage {
                    schema_version: SCHEMA_VERSION,
                    tool: &self.tool,
                    rulesets: &self.rulesets,
                    summary,
                };
                line(w, "summary", &message)?;
            }
            Format::Github => github_errors(w, errors)?,
            Format::Azure => azure_errors(w, errors)?,
            Format::Sarif(results) => results.finish(w, &self.tool, errors, &self.checks)?,
            Format::Markdown(markdown) => markdown.finish(w, summary, errors)?,
            Format::Html(html) => {
                html.finish(w, &self.tool, &self.rulesets, (summary, skipped, errors))?;
            }
            Format::Csv(mut table) => table.finish(w, skipped, errors)?,
            Format::Gitlab(issues) => issues.finish(w, errors)?,
            Format::Junit(junit) => junit.finish(w, skipped, errors)?,
        }
        self.w.flush()?;
        Ok(self.w)
    }
}

/// Writes a finished report as GitLab Code Quality issues (see
/// `--format gitlab`).
pub fn write_gitlab<W: Write>(w: W, report: &RunReport) -> io::Result<()> {
    write_whole(w, StreamFormat::Gitlab, report, &[])
}

/// Writes a finished report as a JUnit XML test report, with `checks`
/// (the ruleset's) as each document's test cases.
pub fn write_junit<W: Write>(w: W, report: &RunReport, checks: &[Check]) -> io::Result<()> {
    write_whole(w, StreamFormat::Junit, report, checks)
}

/// Writes a finished report through a [`Printer`].
pub(super) fn write_whole<W: Write>(
    w: W,
    format: StreamFormat,
    report: &RunReport,
    checks: &[Check],
) -> io::Result<()> {
    let themes: Vec<String> = report.summary.themes.keys().cloned().collect();
    let mut printer = Printer::new(w, format, &report.rulesets, checks)?.with_themes(&themes);
    for doc in &report.documents {
        printer.document(doc)?;
    }
    printer.finish(&report.skipped, &report.errors, &report.summary)?;
    Ok(())
}

/// `  "name": value` pretty-printed at object depth 1.
fn field<W: Write, T: Serialize + ?Sized>(
    w: &mut W,
    name: &str,
    value: &T,
    comma: bool,
) -> io::Result<()> {
    write!(w, "  \"{name}\": ")?;
    write_indented(w, value, 1, &mut Vec::new())?;
    writeln!(w, "{}", if comma { "," } else { "" })
}

/// Pretty-prints `value` as serde_json would at nesting `depth` (every
/// line after the first indented by two spaces per level), through a
/// scratch buffer: serde_json writes in pieces of a few bytes, which cost
/// 8% more instructions written to the output sink directly.
pub(super) fn write_indented<W: Write, T: Serialize + ?Sized>(
    w: &mut W,
    value: &T,
    depth: usize,
    buf: &mut Vec<u8>,
) -> io::Result<()> {
    buf.clear();
    let mut chunks = Chunks { buf, w };
    let mut serializer = serde_json::Serializer::with_formatter(
        &mut chunks,
        Nested {
            depth,
            has_value: false,
        },
    );
    value.serialize(&mut serializer)?;
    chunks.w.write_all(chunks.buf)
}

/// A buffer that passes its bytes on to `w` whenever it holds
/// [`Chunks::SIZE`] or more, so one huge report (a 1 GB document with
/// every evidence item) does not also sit whole in memory.
struct Chunks<'a, W> {
    buf: &'a mut Vec<u8>,
    w: &'a mut W,
}

impl<W: Write> Chunks<'_, W> {
    const SIZE: usize = 1 << 20;
}

impl<W: Write> Write for Chunks<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= Self::SIZE {
            self.w.write_all(self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// serde_json's pretty layout (two-space indent, `"key": value`, empty
/// arrays and objects as `[]` and `{}`) starting at a given depth, so a
/// document nested in the run report is written in place rather than
/// printed at depth 0 and re-indented line by line.
struct Nested {
    depth: usize,
    /// Whether the innermost open array or object has a value yet.
    has_value: bool,
}

impl Nested {
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    /// Starts an element or a key on its own line.
    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }

    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        let mut left = self.depth * 2;
        while left > 0 {
            let n = left.min(SPACES.len());
            w.write_all(&SPACES[..n])?;
            left -= n;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'a str,
    data: &'a T,
}

/// The data of the final JSON Lines `summary` message.
#[derive(Serialize)]
struct SummaryMessage<'a> {
    schema_version: u32,
    tool: &'a Tool,
    rulesets: &'a [RulesetInfo],
    #[serde(flatten)]
    summary: &'a Summary,
}

fn line<W: Write, T: Serialize>(w: &mut W, kind: &str, data: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, &Envelope { kind, data })?;
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SARIF, Markdown and HTML write the same bytes whether their spills
    /// stay in memory or move to temporary files, at once or part way.
    #[test]
    fn spilled_parts_come_back_in_place() {
        use crate::classify::ClassifyOptions;
        use crate::pipeline::{assemble, scan_inputs};
        use crate::rules::{RuleSource, load};
        use crate::walk::Input;
        let rules = load(&[RuleSource::Default]).unwrap();
        let inputs: Vec<Input> = [
            "We oppose any licensing regime for open-weight models.",
            "Developers of frontier models must be licensed; release of weights above 10^26 FLOP is prohibited. Developers shall be liable for misuse.",
            "",
            "The agency will publish guidance on incident reporting and red-teaming of open-source models.",
        ]
        .iter()
        .enumerate()
        .map(|(i, text)| Input::Bytes {
            name: format!("doc-{i}.txt"),
            format: crate::text::Format::Text,
            bytes: text.as_bytes().to_vec(),
        })
        .collect();
        let outcomes = scan_inputs(&rules, &inputs, &ClassifyOptions::default());
        let errors = vec![InputError {
            path: "gone.md".into(),
            message: "No such file".into(),
        }];
        let report = assemble(&rules, outcomes, Vec::new(), errors);
        let flagged = report.documents.iter().find(|d| !d.checks.is_empty());
        let flagged = &flagged.expect("a document with a check finding").path;
        let write = |format| {
            let mut out = Vec::new();
            write_whole(&mut out, format, &report, rules.checks()).unwrap();
            String::from_utf8(out).unwrap()
        };
        for format in [
            StreamFormat::Sarif,
            StreamFormat::Markdown,
            StreamFormat::Html,
        ] {
            let in_memory = write(format);
            assert!(in_memory.contains(flagged.as_str()), "{format:?}");
            for limit in [0, 100, 2_000] {
                super::super::spill::tests::LIMIT.set(Some(limit));
                let spilled = write(format);
                super::super::spill::tests::LIMIT.set(None);
                assert!(spilled == in_memory, "{format:?}, limit {limit}");
            }
        }
    }

    /// The nested layout is serde_json's pretty layout, shifted: the same
    /// bytes as pretty-printing at depth 0 and indenting every line after
    /// the first.
    #[test]
    fn nested_json_is_pretty_json_indented() {
        let values = [
            serde_json::json!(null),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!([[], {}, [[]], {"a": {}}]),
            serde_json::json!({
                "text": "quote \" backslash \\ tab \t newline \n é 开源",
                "numbers": [0, -1, 2.5, 1e300, 0.1],
                "nested": {"empty": [], "list": [{"x": true}, {"y": false}]},
            }),
            // Over a megabyte: passed on in several chunks.
            serde_json::json!(vec!["a \"quoted\" line"; 60_000]),
        ];
        for value in &values {
            let pretty = serde_json::to_string_pretty(value).unwrap();
            for depth in [0, 1, 2, 5, 40] {
                let want = pretty.replace('\n', &format!("\n{}", " ".repeat(depth * 2)));
                let mut out = Vec::new();
                write_indented(&mut out, value, depth, &mut Vec::new()).unwrap();
                assert_eq!(String::from_utf8(out).unwrap(), want, "depth {depth}");
            }
        }
    }
}
