//! Record mode (`scan --input jsonl`, `csv`, `mbox`): records in,
//! one result line per record out, in input order, with memory bounded
//! by a batch however long the stream, and records scanned in parallel.
//!
//! A JSON Lines record is an object with an id (any JSON value but an
//! object or array) and a text string, under the names [`Fields`] gives
//! (`id` and `text` unless told); a CSV or tab-separated file is a header
//! row naming its columns, then a record a row ([`table`]); a mailbox is
//! a record a message, read as an `.eml` file (`mbox`). Every other
//! field is passed through. Output lines:
//!
//! ```json
//! {"id": "c-17", "source": "docket", "report": { …a document report… }}
//! {"id": "c-18", "line": 2, "error": "missing `text`"}
//! ```
//!
//! A malformed record gets an error line (with its id when one could be
//! read, and its 1-based line number) and the stream goes on. Blank lines
//! are skipped.

use std::io::{self, BufRead, Write};

use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::classify::{self, ClassifyOptions};
use crate::pipeline;
use crate::report::DocumentReport;
use crate::rules::CompiledRules;
use crate::stats::{Phase, timed};
use crate::text::Format;

mod mbox;
mod sheet;
pub mod table;

/// The names of the fields that hold a record's id and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// The id's field: it names the report (its `path`) and is kept in the
    /// result line under this name.
    pub id: String,
    /// The text's field: scanned, and left out of the result line.
    pub text: String,
}

impl Default for Fields {
    fn default() -> Fields {
        Fields {
            id: "id".into(),
            text: "text".into(),
        }
    }
}

/// Records read and scanned together; output keeps this many lines in
/// memory, twice.
const BATCH: usize = 512;

/// A batch ends early once its records hold this many bytes (mail with
/// attachments, long records), so two batches stay within a few hundred
/// megabytes.
const BATCH_BYTES: usize = 64 << 20;

/// What a stream held.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Records scanned.
    pub records: usize,
    /// Records that could not be scanned (error lines).
    pub errors: usize,
}

/// Scans every JSON Lines record of `input`, writing one line per record
/// to `out`.
pub fn scan_stream(
    rules: &CompiledRules,
    input: impl BufRead,
    fields: &Fields,
    out: impl Write + Send,
    options: &ClassifyOptions,
) -> io::Result<Counts> {
    let mut lines = Lines {
        input,
        number: 0,
        max: MAX_RECORD,
    };
    scan_source(rules, &mut lines, fields, out, options, &Output::Json)
}

/// Scans every message of the mbox stream `input`, named `name` (ids are
/// `NAME#N`), writing one line per message to `out`, in order: a JSON
/// line, or with `as_table` a CSV row under a header.
pub fn scan_mbox(
    rules: &CompiledRules,
    input: impl BufRead,
    name: &str,
    out: impl Write + Send,
    options: &ClassifyOptions,
    as_table: bool,
) -> io::Result<Counts> {
    let mut source = mbox::Mbox::new(input, name.to_string());
    let output = if as_table {
        let columns = std::iter::once("id")
            .chain(mbox::FIELDS.iter().map(|(_, name)| *name))
            .map(String::from)
            .collect();
        Output::Table(TableOut::new(columns, rules))
    } else {
        Output::Json
    };
    scan_source(
        rules,
        &mut source,
        &Fields::default(),
        out,
        options,
        &output,
    )
}

/// How result lines are written.
enum Output {
    /// A JSON object a line.
    Json,
    /// A CSV row a record, under a header written first.
    Table(TableOut),
}

/// The columns of `--input csv --format csv`: the input's, but the text,
/// then the record's `line` and the result columns.
struct TableOut {
    /// The input's columns, in order, without the text.
    columns: Vec<String>,
    /// The ruleset's theme ids, sorted.
    themes: Vec<String>,
}

impl TableOut {
    /// A table of the input's `columns` and the result columns of `rules`.
    fn new(columns: Vec<String>, rules: &CompiledRules) -> TableOut {
        let mut themes: Vec<String> = rules.themes().iter().map(|t| t.id.clone()).collect();
        themes.sort();
        TableOut { columns, themes }
    }

    /// The header row: a result column that an input column already
    /// names is written `policyscan:NAME`.
    fn header(&self) -> Vec<String> {
        let ours = std::iter::once("line".to_string())
            .chain(crate::report::table::result_header(&self.themes));
        let mut names = self.columns.clone();
        for name in ours {
            if self.columns.contains(&name) {
                names.push(format!("policyscan:{name}"));
            } else {
                names.push(name);
            }
        }
        names
    }

    /// The input's cells of a record: its id, the fields passed through
    /// (blank for a record that could not be read).
    fn input_cells(&self, id: Option<&(String, Value)>, rest: &Map<String, Value>) -> Vec<String> {
        use crate::report::table::text_cell;
        self.columns
            .iter()
            .map(|name| {
                let value = match id {
                    Some((id_name, id)) if id_name == name => Some(id),
                    _ => rest.get(name),
                };
                match value {
                    Some(Value::String(s)) => text_cell(s),
                    Some(other) => other.to_string(),
                    None => String::new(),
                }
            })
            .collect()
    }
}

/// One record as read, before it is scanned.
enum Raw {
    /// A JSON line, or why the line cannot be a record.
    Line(Result<String, String>),
    /// A row of a table, its fields read, or why it cannot be scanned.
    Row(Result<Record, RecordError>),
}

impl Raw {
    /// The bytes it holds, about.
    fn len(&self) -> usize {
        match self {
            Raw::Line(Ok(line)) => line.len(),
            Raw::Row(Ok(record)) => record.text.len(),
            Raw::Line(Err(_)) | Raw::Row(Err(_)) => 0,
        }
    }
}

/// A record's parts.
struct Record {
    /// The id, under its field's name.
    id: (String, Value),
    /// The text to scan, as read (decoded when it is prepared).
    text: Vec<u8>,
    /// How to read it: plain text (an HTML page found by its content),
    /// or an email message.
    format: Format,
    /// The fields passed through.
    rest: Map<String, Value>,
}

/// Where records come from: each with the 1-based line it starts on.
trait Source {
    fn next_raw(&mut self) -> io::Result<Option<(usize, Raw)>>;
}

/// Scans every record `source` yields, writing one line per record to
/// `out`, in order, one batch while the next is scanned.
fn scan_source(
    rules: &CompiledRules,
    source: &mut impl Source,
    fields: &Fields,
    mut out: impl Write + Send,
    options: &ClassifyOptions,
    output: &Output,
) -> io::Result<Counts> {
    let mut counts = Counts::default();
    if let Output::Table(table) = output {
        crate::report::table::write_row(&mut out, table.header())?;
    }
    let mut pending: Vec<(String, bool)> = Vec::new();
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        let mut bytes = 0;
        while let Some(raw) = source.next_raw()? {
            bytes += raw.1.len();
            batch.push(raw);
            if batch.len() == BATCH || bytes >= BATCH_BYTES {
                break;
            }
        }
        let done = batch.is_empty();
        let (written, scanned) = rayon::join(
            || -> io::Result<()> {
                for (line, _) in &pending {
                    out.write_all(line.as_bytes())?;
                }
                Ok(())
            },
            || {
                batch
                    .into_par_iter()
                    .map(|(number, raw)| scan_raw(rules, (number, raw), fields, options, output))
                    .collect::<Vec<_>>()
            },
        );
        written?;
        for (_, failed) in &pending {
            counts.records += 1;
            counts.errors += usize::from(*failed);
        }
        pending = scanned;
        if done {
            break;
        }
    }
    out.flush()?;
    Ok(counts)
}

/// The longest input line read as a record; a longer one is an error line
/// and is skipped without being held.
const MAX_RECORD: usize = 256 << 20;

/// The input's lines, numbered from 1: each the text, or why it cannot be
/// a record (not UTF-8, longer than `max`). One bad line costs only its
/// record, never the stream.
struct Lines<R> {
    input: R,
    number: usize,
    max: usize,
}

impl<R: BufRead> Source for Lines<R> {
    fn next_raw(&mut self) -> io::Result<Option<(usize, Raw)>> {
        while let Some((number, line)) = self.next_line()? {
            if line.as_ref().is_ok_and(|l| l.trim().is_empty()) {
                continue;
            }
            return Ok(Some((number, Raw::Line(line))));
        }
        Ok(None)
    }
}

impl<R: BufRead> Lines<R> {
    fn next_line(&mut self) -> io::Result<Option<(usize, Result<String, String>)>> {
        let mut bytes = Vec::new();
        let limit = u64::try_from(self.max)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        if io::Read::take(&mut self.input, limit).read_until(b'\n', &mut bytes)? == 0 {
            return Ok(None);
        }
        self.number += 1;
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
        } else if bytes.len() > self.max {
            self.input.skip_until(b'\n')?;
            let max = match self.max >> 20 {
                0 => format!("{} bytes", self.max),
                mib => format!("{mib} MiB"),
            };
            let error = format!("record longer than {max}; skipped");
            return Ok(Some((self.number, Err(error))));
        }
        let line = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            format!("the line is not valid UTF-8 (at byte {at}), so not JSON")
        });
        Ok(Some((self.number, line)))
    }
}

/// The output line for one record (with its line end), and whether it
/// is an error.
fn scan_raw(
    rules: &CompiledRules,
    (number, raw): (usize, Raw),
    fields: &Fields,
    options: &ClassifyOptions,
    output: &Output,
) -> (String, bool) {
    let record = match raw {
        Raw::Line(Ok(line)) => parse_line(&line, fields, options),
        Raw::Line(Err(message)) => Err((None, message)),
        Raw::Row(row) => row,
    };
    let scanned = record.and_then(|record| scan_record(rules, record, options));
    let stats = options.stats.as_deref();
    timed(stats, Phase::Output, || match (output, scanned) {
        (Output::Json, Ok((id, rest, report))) => match json_line(id, rest, &report) {
            Ok(line) => (line, false),
            Err(message) => (error_line(None, number, message), true),
        },
        (Output::Json, Err((id, message))) => (error_line(id, number, message), true),
        (Output::Table(table), scanned) => {
            use crate::report::table;
            let failed = scanned.is_err();
            let cells = match scanned {
                Ok((id, rest, report)) => table
                    .input_cells(Some(&id), &rest)
                    .into_iter()
                    .chain([number.to_string()])
                    .chain(table::result_cells(&report, &table.themes))
                    .collect::<Vec<_>>(),
                Err((id, message)) => table
                    .input_cells(id.as_ref(), &Map::new())
                    .into_iter()
                    .chain([number.to_string()])
                    .chain(table::not_scanned_cells("error", &message, &table.themes))
                    .collect(),
            };
            let mut row = Vec::new();
            table::write_row(&mut row, cells).expect("writing to memory cannot fail");
            (String::from_utf8_lossy(&row).into_owned(), failed)
        }
    })
}

/// An error line: the id (under its field's name) when one was read, the
/// input line, and why.
fn error_line(id: Option<(String, Value)>, number: usize, message: String) -> String {
    let mut error = Map::new();
    if let Some((name, id)) = id {
        error.insert(name, id);
    }
    error.insert("line".into(), number.into());
    error.insert("error".into(), message.into());
    let mut line = Value::Object(error).to_string();
    line.push('\n');
    line
}

/// Why a record gets an error line, with its id (under its field's name)
/// when one could be read.
type RecordError = (Option<(String, Value)>, String);

/// The field the result goes in: no record may have one of its own.
const RESERVED: &str = "report";

/// A JSON line's record.
fn parse_line(
    line: &str,
    fields: &Fields,
    options: &ClassifyOptions,
) -> Result<Record, RecordError> {
    let stats = options.stats.as_deref();
    let value: Value = timed(stats, Phase::Read, || serde_json::from_str(line))
        .map_err(|e| (None, format!("invalid JSON: {e}")))?;
    let Value::Object(mut rest) = value else {
        return Err((None, "a record must be a JSON object".into()));
    };
    let id_name = &fields.id;
    let id = match rest.remove(id_name) {
        None | Some(Value::Null) => return Err((None, format!("missing `{id_name}`"))),
        Some(Value::Object(_) | Value::Array(_)) => {
            return Err((
                None,
                format!("`{id_name}` must be a string, number or boolean"),
            ));
        }
        Some(id) => (id_name.clone(), id),
    };
    let text_name = &fields.text;
    let text = match rest.remove(text_name) {
        Some(Value::String(text)) => text,
        Some(_) => return Err((Some(id), format!("`{text_name}` must be a string"))),
        None => return Err((Some(id), format!("missing `{text_name}`"))),
    };
    if rest.contains_key(RESERVED) {
        return Err((Some(id), format!("`{RESERVED}` is reserved for the result")));
    }
    Ok(Record {
        id,
        text: text.into_bytes(),
        format: Format::Text,
        rest,
    })
}

/// A scanned record: its id, the fields passed through, its report.
type Scanned = ((String, Value), Map<String, Value>, DocumentReport);

/// Scans one record.
fn scan_record(
    rules: &CompiledRules,
    record: Record,
    options: &ClassifyOptions,
) -> Result<Scanned, RecordError> {
    let stats = options.stats.as_deref();
    let Record {
        id,
        text,
        format,
        rest,
    } = record;
    let name = match &id.1 {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let bytes = text.len() as u64;
    let scanned = pipeline::catch_panic(|| {
        timed(stats, Phase::Extract, || {
            pipeline::prepare(name, format, text, options)
        })
        .map(|(_, doc)| {
            if let Some(stats) = stats {
                stats.add_document(bytes);
            }
            classify::analyze(rules, &doc, options)
        })
    });
    let report = match scanned {
        Ok(Ok(report)) => report,
        Ok(Err(pipeline::NotScanned::Binary)) => {
            return Err((Some(id), "the text holds binary data".into()));
        }
        Ok(Err(pipeline::NotScanned::Failed(message))) => return Err((Some(id), message)),
        Ok(Err(pipeline::NotScanned::NotADocument(root))) => {
            return Err((Some(id), pipeline::not_a_document(&root)));
        }
        Err(message) => return Err((Some(id), message)),
    };
    Ok((id, rest, report))
}

/// The result line of a scanned record, with its line end.
fn json_line(
    id: (String, Value),
    rest: Map<String, Value>,
    report: &DocumentReport,
) -> Result<String, String> {
    let mut out = Map::with_capacity(rest.len() + 2);
    out.extend(rest);
    out.insert(id.0, id.1);
    let report = serde_json::to_value(report).map_err(|e| e.to_string())?;
    out.insert(RESERVED.into(), report);
    let mut line = Value::Object(out).to_string();
    line.push('\n');
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_line_costs_its_record_and_the_next_lines_keep_their_numbers() {
        let input: &[u8] = b"short\r\nthis one is too long\n\xff\xfe\nok at the end";
        let mut lines = Lines {
            input,
            number: 0,
            max: 10,
        };
        let mut read = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            read.push(line);
        }
        assert_eq!(
            read,
            [
                (1, Ok("short".to_string())),
                (2, Err("record longer than 10 bytes; skipped".to_string())),
                (
                    3,
                    Err("the line is not valid UTF-8 (at byte 0), so not JSON".into())
                ),
                (4, Err("record longer than 10 bytes; skipped".to_string())),
            ]
        );
        // At exactly the limit a line is read.
        let mut lines = Lines {
            input: &b"0123456789\n0123456789"[..],
            number: 0,
            max: 10,
        };
        assert_eq!(
            lines.next_line().unwrap(),
            Some((1, Ok("0123456789".into())))
        );
        assert_eq!(
            lines.next_line().unwrap(),
            Some((2, Ok("0123456789".into())))
        );
        assert_eq!(lines.next_line().unwrap(), None);
    }
}
