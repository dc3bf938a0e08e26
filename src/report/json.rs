//! JSON and JSON Lines printers.
//!
//! `--format json` writes one pretty-printed [`RunReport`] object.
//!
//! `--format jsonl` writes one message per line, each an envelope
//! `{"type": …, "data": {…}}` (ripgrep's `--json` shape): a `document`
//! message per scanned document (the same object as in the JSON
//! `documents` array), a `skipped` or `error` message per input that was
//! not scanned, and a final `summary` message. Consumers must ignore
//! message types and fields they do not know. Example (abridged):
//!
//! ```text
//! {"type":"document","data":{"path":"a.md","format":"markdown","bytes":812,…}}
//! {"type":"error","data":{"path":"missing.txt","message":"No such file or directory (os error 2)"}}
//! {"type":"summary","data":{"schema_version":1,"tool":{…},"rulesets":[…],"documents":1,…}}
//! ```

use std::io::{self, Write};

use serde::Serialize;

use super::{RunReport, Summary, Tool};
use crate::rules::RulesetInfo;

/// Writes the whole report as one JSON object.
pub fn write_json<W: Write>(mut w: W, report: &RunReport) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut w, report)?;
    writeln!(w)?;
    w.flush()
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

/// Writes the report as JSON Lines messages.
pub fn write_jsonl<W: Write>(mut w: W, report: &RunReport) -> io::Result<()> {
    for doc in &report.documents {
        line(&mut w, "document", doc)?;
    }
    for skipped in &report.skipped {
        line(&mut w, "skipped", skipped)?;
    }
    for error in &report.errors {
        line(&mut w, "error", error)?;
    }
    let summary = SummaryMessage {
        schema_version: report.schema_version,
        tool: &report.tool,
        rulesets: &report.rulesets,
        summary: &report.summary,
    };
    line(&mut w, "summary", &summary)?;
    w.flush()
}

fn line<W: Write, T: Serialize>(w: &mut W, kind: &str, data: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, &Envelope { kind, data })?;
    writeln!(w)
}
