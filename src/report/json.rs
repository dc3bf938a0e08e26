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

use super::RunReport;
use super::stream::{StreamFormat, write_whole};

/// Writes the whole report as one JSON object.
pub fn write_json<W: Write>(w: W, report: &RunReport) -> io::Result<()> {
    write_whole(w, StreamFormat::Json, report, &[])
}

/// Writes the report as JSON Lines messages.
pub fn write_jsonl<W: Write>(w: W, report: &RunReport) -> io::Result<()> {
    write_whole(w, StreamFormat::Jsonl, report, &[])
}
