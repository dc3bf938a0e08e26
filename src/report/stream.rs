//! Writing a run report one document at a time.
//!
//! [`Printer`] writes the text, JSON and JSON Lines formats as documents
//! arrive, so a scan of any number of documents holds only the documents
//! in flight: the header (JSON) first, each document as soon as it is
//! ready, then skipped inputs, errors and the summary. The whole-report
//! printers ([`super::write_json`], [`super::write_jsonl`],
//! [`super::write_text`]) are this printer run over a finished report, so
//! both paths write the same bytes.

use std::io::{self, Write};

use serde::Serialize;

use super::text::{TextOptions, write_document_block, write_summary_line};
use super::{DocumentReport, InputError, RunReport, SCHEMA_VERSION, Skipped, Summary, Tool};
use crate::rules::RulesetInfo;

/// The formats that can be written one document at a time.
#[derive(Debug, Clone, Copy)]
pub enum StreamFormat {
    /// Lines for people.
    Text(TextOptions),
    /// One pretty-printed JSON object (the [`RunReport`] shape).
    Json,
    /// One JSON message per line.
    Jsonl,
}

/// A report printer fed one document at a time.
pub struct Printer<W: Write> {
    w: W,
    format: StreamFormat,
    tool: Tool,
    rulesets: Vec<RulesetInfo>,
    documents: usize,
    /// Reused for each document's JSON and its padded copy, so they do
    /// not grow again per document.
    bufs: (Vec<u8>, Vec<u8>),
}

impl<W: Write> Printer<W> {
    /// Starts a report (writes the JSON header).
    pub fn new(mut w: W, format: StreamFormat, rulesets: &[RulesetInfo]) -> io::Result<Self> {
        let tool = Tool::current();
        if let StreamFormat::Json = format {
            writeln!(w, "{{")?;
            writeln!(w, "  \"schema_version\": {SCHEMA_VERSION},")?;
            field(&mut w, "tool", &tool, true)?;
            field(&mut w, "rulesets", &rulesets, true)?;
        }
        Ok(Printer {
            w,
            format,
            tool,
            rulesets: rulesets.to_vec(),
            documents: 0,
            bufs: Default::default(),
        })
    }

    /// Writes one document's report.
    pub fn document(&mut self, doc: &DocumentReport) -> io::Result<()> {
        let first = self.documents == 0;
        self.documents += 1;
        match self.format {
            StreamFormat::Text(options) => write_document_block(&mut self.w, options, doc, first),
            StreamFormat::Json => {
                if first {
                    write!(self.w, "  \"documents\": [\n    ")?;
                } else {
                    write!(self.w, ",\n    ")?;
                }
                write_indented(&mut self.w, doc, 4, &mut self.bufs)
            }
            StreamFormat::Jsonl => line(&mut self.w, "document", doc),
        }
    }

    /// Writes skipped inputs, errors and the summary, flushes, and returns
    /// the writer.
    pub fn finish(
        mut self,
        skipped: &[Skipped],
        errors: &[InputError],
        summary: &Summary,
    ) -> io::Result<W> {
        let w = &mut self.w;
        match self.format {
            StreamFormat::Text(options) => {
                write_summary_line(w, options, summary, self.documents > 0)?;
            }
            StreamFormat::Json => {
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
            StreamFormat::Jsonl => {
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
        }
        self.w.flush()?;
        Ok(self.w)
    }
}

/// Writes a finished report through a [`Printer`].
pub(super) fn write_whole<W: Write>(
    w: W,
    format: StreamFormat,
    report: &RunReport,
) -> io::Result<()> {
    let mut printer = Printer::new(w, format, &report.rulesets)?;
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
    write_indented(w, value, 2, &mut Default::default())?;
    writeln!(w, "{}", if comma { "," } else { "" })
}

/// Pretty-prints `value` as serde_json would at a nesting depth of
/// `indent` spaces (every line after the first indented), through two
/// scratch buffers. JSON strings
/// never hold a raw line break, so indenting after each `\n` is safe.
fn write_indented<W: Write, T: Serialize + ?Sized>(
    w: &mut W,
    value: &T,
    indent: usize,
    (buf, out): &mut (Vec<u8>, Vec<u8>),
) -> io::Result<()> {
    buf.clear();
    out.clear();
    serde_json::to_writer_pretty(&mut *buf, value)?;
    let pad = &b"                "[..indent];
    // One pass to insert the padding, one write: a report has tens of
    // thousands of lines, and two small writes per line showed in profiles.
    out.reserve(buf.len() + buf.len() / 4);
    let mut line_start = 0;
    for i in memchr::memchr_iter(b'\n', buf) {
        out.extend_from_slice(&buf[line_start..=i]);
        out.extend_from_slice(pad);
        line_start = i + 1;
    }
    out.extend_from_slice(&buf[line_start..]);
    w.write_all(out)
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
