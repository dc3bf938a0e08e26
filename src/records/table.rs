//! Tables as records (`scan --input csv`): a CSV, semicolon- or
//! tab-separated file, or a workbook's (`.xlsx`, `.ods`) first sheet
//! (`records/sheet.rs`), whose first row names its columns, each later
//! row a record. This is how comment dockets, survey exports and
//! spreadsheets arrive (a docket's export has a column of comment ids and
//! one of comment text), so a user scans one without converting it first.
//!
//! - The separator is the one of `,` `;` tab `|` that the header row holds
//!   most of, outside quotes (a comma on a tie), so Excel's CSV in locales
//!   that write `;` and its tab-separated "Unicode text" read as they are.
//! - A UTF-8 byte order mark is dropped; a UTF-16 file (Excel's "Unicode
//!   text") is read whole and decoded first; a field that is not UTF-8 is
//!   read as Windows-1252 (Excel's "CSV" on Windows), the text field with a
//!   warning on its report.
//! - Columns are found by name: the exact name, else the one name that
//!   matches ignoring case and surrounding spaces. A header without the
//!   id or text column, or naming a column twice, or naming one `report`,
//!   stops the file with an error that lists its columns.
//! - A row with more or fewer fields than the header (a stray quote, a
//!   cut-off line) gets an error line, with its id when that field was
//!   read; an empty id too. Every other row is a record: its id and text,
//!   and the other columns passed through as strings.

use std::io::{self, Read};

use serde_json::{Map, Value};

use super::{Fields, RESERVED, Raw, Record, RecordError, Source};
use crate::classify::ClassifyOptions;
use crate::rules::CompiledRules;

/// A table opened for scanning: its header read and checked.
pub struct Table(Rows);

impl Table {
    /// Reads the header of `input` and finds the columns `fields` names.
    /// A header that does not fit (see the module documentation) is an
    /// [`io::ErrorKind::InvalidData`] error that says why.
    pub fn open(input: impl Read + Send + 'static, fields: &Fields) -> io::Result<Table> {
        Rows::new(input, fields).map(Table)
    }

    /// Scans every row as a record, writing one line per record to `out`,
    /// in order: a JSON line, or with `as_table` a CSV row (the row's
    /// columns but the text, its `line`, and the result columns of
    /// `--format csv`) under a header.
    pub fn scan(
        mut self,
        rules: &CompiledRules,
        fields: &Fields,
        out: impl io::Write + Send,
        options: &ClassifyOptions,
        as_table: bool,
    ) -> io::Result<super::Counts> {
        let output = if as_table {
            let rows = &self.0;
            let columns = (0..rows.names.len())
                .filter(|&at| at != rows.text_at)
                .map(|at| rows.names[at].clone())
                .collect();
            super::Output::Table(super::TableOut::new(columns, rules))
        } else {
            super::Output::Json
        };
        super::scan_source(rules, &mut self.0, fields, out, options, &output)
    }
}

/// Bytes read ahead to choose the separator: the header row, as a rule.
const SNIFF: usize = 64 << 10;

/// Where a table's rows come from.
enum Reader {
    /// Delimited text.
    Csv(csv::Reader<Box<dyn Read + Send>>),
    /// An Excel workbook's first sheet, read whole.
    Sheet(std::vec::IntoIter<super::sheet::SheetRow>),
}

impl Reader {
    /// Reads the next row that is not blank into `row`, numbered by the
    /// line (or sheet row) it starts on; false at the end of the table.
    fn read_row(&mut self, row: &mut csv::ByteRecord) -> io::Result<bool> {
        match self {
            Reader::Csv(reader) => read_row(reader, row),
            Reader::Sheet(rows) => {
                for (number, cells) in rows.by_ref() {
                    let fields = super::sheet::dense(&cells);
                    if fields.iter().all(|f| f.is_empty()) {
                        continue;
                    }
                    *row = csv::ByteRecord::from(fields);
                    let mut at = csv::Position::new();
                    at.set_line(u64::try_from(number).unwrap_or(u64::MAX));
                    row.set_position(Some(at));
                    return Ok(true);
                }
                Ok(false)
            }
        }
    }
}

/// A table's rows as records.
struct Rows {
    reader: Reader,
    /// The header's names, decoded.
    names: Vec<String>,
    /// Where the id and the text are.
    id_at: usize,
    text_at: usize,
}

impl Rows {
    fn new(input: impl Read + Send + 'static, fields: &Fields) -> io::Result<Rows> {
        let (head, mut input) = unicode(input)?;
        let mut reader = if head.starts_with(b"PK\x03\x04") {
            let mut bytes = head;
            input.read_to_end(&mut bytes)?;
            let rows = super::sheet::rows(&bytes)
                .map_err(|e| invalid(&format!("not a readable workbook (.xlsx or .ods): {e}")))?;
            Reader::Sheet(rows.into_iter())
        } else {
            let delimiter = separator(&head);
            let input = Box::new(io::Cursor::new(head).chain(input)) as Box<dyn Read + Send>;
            Reader::Csv(
                csv::ReaderBuilder::new()
                    .delimiter(delimiter)
                    .flexible(true)
                    .has_headers(false)
                    // Rows end at `\n` only, the `\r` of a CRLF taken off
                    // by `read_row`: with CRLF as the terminator, csv
                    // numbers every row after the first a line too early.
                    .terminator(csv::Terminator::Any(b'\n'))
                    .from_reader(input),
            )
        };
        let mut header = csv::ByteRecord::new();
        if !reader.read_row(&mut header)? {
            return Err(invalid(
                "the table is empty: no header row naming its columns",
            ));
        }
        let names: Vec<String> = header.iter().map(field_text).collect();
        let id_at = column(&names, &fields.id, "id")?;
        let text_at = column(&names, &fields.text, "text")?;
        if let Some(twice) = names
            .iter()
            .enumerate()
            .find_map(|(at, name)| names[..at].contains(name).then_some(name))
        {
            return Err(invalid(&format!(
                "the header names the column `{twice}` twice, so its values cannot be told apart"
            )));
        }
        if names.iter().any(|name| name == RESERVED) {
            return Err(invalid(&format!(
                "the header has a column named `{RESERVED}`, which is reserved for the result"
            )));
        }
        Ok(Rows {
            reader,
            names,
            id_at,
            text_at,
        })
    }

    /// The record a row holds.
    fn record(&self, row: &csv::ByteRecord) -> Result<Record, RecordError> {
        let id = row.get(self.id_at).map(field_text);
        let named = |id: String| (self.names[self.id_at].clone(), Value::String(id));
        if row.len() != self.names.len() {
            let fields = |n: usize| {
                if n == 1 {
                    "1 field".into()
                } else {
                    format!("{n} fields")
                }
            };
            return Err((
                id.filter(|id| !id.trim().is_empty()).map(named),
                format!(
                    "the row has {} and the header {}; a quote left open or a line cut \
                     short can do this",
                    fields(row.len()),
                    fields(self.names.len())
                ),
            ));
        }
        let id = id.unwrap_or_default();
        if id.trim().is_empty() {
            let name = &self.names[self.id_at];
            return Err((None, format!("the `{name}` field is empty")));
        }
        let mut rest = Map::new();
        for (at, (name, value)) in self.names.iter().zip(row.iter()).enumerate() {
            if at != self.id_at && at != self.text_at {
                rest.insert(name.clone(), Value::String(field_text(value)));
            }
        }
        Ok(Record {
            id: named(id),
            text: row[self.text_at].to_vec(),
            format: crate::text::Format::Text,
            rest,
        })
    }
}

impl Source for Rows {
    fn next_raw(&mut self) -> io::Result<Option<(usize, Raw)>> {
        let mut row = csv::ByteRecord::new();
        if !self.reader.read_row(&mut row)? {
            return Ok(None);
        }
        let line = row
            .position()
            .map_or(0, |at| usize::try_from(at.line()).unwrap_or(usize::MAX));
        Ok(Some((line, Raw::Row(self.record(&row)))))
    }
}

/// Reads the next row that is not blank into `row`, without the `\r` of
/// a CRLF line end; false at the end of the table.
fn read_row(
    reader: &mut csv::Reader<Box<dyn Read + Send>>,
    row: &mut csv::ByteRecord,
) -> io::Result<bool> {
    loop {
        if !reader.read_byte_record(row)? {
            return Ok(false);
        }
        let fields = row.len();
        if fields == 0 {
            continue;
        }
        if let Some(last) = row
            .get(fields - 1)
            .and_then(|last| last.strip_suffix(b"\r"))
        {
            let last = last.to_vec();
            row.truncate(fields - 1);
            row.push_field(&last);
        }
        if fields > 1 || !row[0].is_empty() {
            return Ok(true);
        }
    }
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_string())
}

/// The column named `name` (the `--id-field` or `--text-field` of `role`):
/// exactly, else the only one equal ignoring case and surrounding spaces.
fn column(names: &[String], name: &str, role: &str) -> io::Result<usize> {
    if let Some(at) = names.iter().position(|n| n == name) {
        return Ok(at);
    }
    let loose: Vec<usize> = (0..names.len())
        .filter(|&at| names[at].trim().eq_ignore_ascii_case(name.trim()))
        .collect();
    if let [at] = loose[..] {
        return Ok(at);
    }
    const SHOWN: usize = 20;
    let mut listed: Vec<String> = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    if names.len() > SHOWN {
        listed.push(format!("and {} more", names.len() - SHOWN));
    }
    Err(invalid(&format!(
        "no column named `{name}` in the header (its columns: {}); name the {role} column \
         with --{role}-field",
        listed.join(", ")
    )))
}

/// The separator the header row uses most of, outside quotes: `,`, `;`,
/// tab or `|`, a comma when none is there or on a tie.
fn separator(start: &[u8]) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &b in start {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(at) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[at] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..CANDIDATES.len())
        .rev()
        .max_by_key(|&at| counts[at])
        .unwrap_or(0);
    // `max_by_key` keeps the last of equals, so iterating in reverse
    // prefers the earlier candidate, the comma first.
    if counts[best] == 0 {
        b','
    } else {
        CANDIDATES[best]
    }
}

/// `input` as UTF-8 bytes, its start (through the first line break, or
/// the first [`SNIFF`] bytes) read ahead to choose the separator: without
/// a UTF-8 byte order mark, and a UTF-16 stream (which has one) read whole
/// and decoded.
fn unicode(mut input: impl Read + Send + 'static) -> io::Result<(Vec<u8>, Box<dyn Read + Send>)> {
    let mut head = Vec::new();
    let mut chunk = [0; 8 << 10];
    while head.len() < SNIFF && !head.contains(&b'\n') {
        let n = match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        head.extend_from_slice(&chunk[..n]);
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        input.read_to_end(&mut head)?;
        return match crate::text::decode_owned(head) {
            Some((text, _)) => Ok((text.into_bytes(), Box::new(io::empty()))),
            None => Err(invalid("a UTF-16 table that decodes to binary data")),
        };
    }
    if head.starts_with(b"\xEF\xBB\xBF") {
        head.drain(..3);
    }
    Ok((head, Box::new(input)))
}

/// A field's text: UTF-8, else read as Windows-1252.
fn field_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => crate::text::decode_owned(bytes.to_vec())
            .map(|(text, _)| text)
            .unwrap_or_else(|| String::from_utf8_lossy(bytes).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_the_one_the_header_holds_most_of_outside_quotes() {
        assert_eq!(separator(b"id,text\n1,a;b;c"), b',');
        assert_eq!(separator(b"Document ID;Comment;Date\r\n"), b';');
        assert_eq!(separator(b"id\ttext\n"), b'\t');
        assert_eq!(separator(b"\"a,b,c\";text\n"), b';');
        assert_eq!(
            separator(b"id;text,more\n"),
            b',',
            "a tie goes to the comma"
        );
        assert_eq!(separator(b"text\n"), b',');
        assert_eq!(separator(b"a|b|c"), b'|');
    }

    #[test]
    fn columns_are_found_exactly_then_ignoring_case_and_spaces() {
        let names: Vec<String> = ["Document ID", " Comment ", "comment id", "ID"]
            .map(String::from)
            .to_vec();
        assert_eq!(column(&names, "Document ID", "id").unwrap(), 0);
        assert_eq!(column(&names, "comment", "text").unwrap(), 1);
        assert_eq!(column(&names, "id", "id").unwrap(), 3);
        let missing = column(&names, "text", "text").unwrap_err().to_string();
        assert_eq!(
            missing,
            "no column named `text` in the header (its columns: `Document ID`, \
             ` Comment `, `comment id`, `ID`); name the text column with --text-field"
        );
        let ambiguous: Vec<String> = ["Text", "TEXT"].map(String::from).to_vec();
        assert!(column(&ambiguous, "text", "text").is_err());
    }

    type Read = (String, Vec<u8>, String);

    fn rows(bytes: &[u8]) -> Vec<(usize, Result<Read, String>)> {
        let mut rows = Rows::new(io::Cursor::new(bytes.to_vec()), &Fields::default()).unwrap();
        let mut out = Vec::new();
        while let Some((line, raw)) = rows.next_raw().unwrap() {
            let Raw::Row(row) = raw else { unreachable!() };
            out.push((
                line,
                row.map(|r| {
                    let rest = Value::Object(r.rest).to_string();
                    (r.id.1.as_str().unwrap().to_string(), r.text, rest)
                })
                .map_err(|(_, message)| message),
            ));
        }
        out
    }

    #[test]
    fn rows_become_records_numbered_by_the_line_they_start_on() {
        let table = b"\xEF\xBB\xBFid,text,date\r\n\
            c1,\"Two lines,\nwith a \"\"quote\"\"\",2026-03-01\r\n\
            c2,plain,2026-03-02\r\n\
            \r\n\
            c3,short\r\n\
            ,no id,2026-03-04\r\n\
            c5,caf\xE9,2026-03-05\r\n";
        let got = rows(table);
        let ok = |id: &str, text: &str, date: &str| {
            let text: &[u8] = text.as_ref();
            Ok((id.into(), text.to_vec(), format!("{{\"date\":\"{date}\"}}")))
        };
        assert_eq!(
            got[0],
            (2, ok("c1", "Two lines,\nwith a \"quote\"", "2026-03-01"))
        );
        assert_eq!(got[1], (4, ok("c2", "plain", "2026-03-02")));
        assert_eq!(got[2].0, 6);
        assert_eq!(
            got[2].1,
            Err(
                "the row has 2 fields and the header 3 fields; a quote left open or a line \
                 cut short can do this"
                    .into()
            )
        );
        assert_eq!(got[3], (7, Err("the `id` field is empty".into())));
        // The text keeps its bytes (the report decodes it, with a
        // warning); other fields are read as Windows-1252.
        assert_eq!(
            got[4],
            (
                8,
                Ok((
                    "c5".into(),
                    b"caf\xE9".to_vec(),
                    "{\"date\":\"2026-03-05\"}".into()
                ))
            )
        );
        assert_eq!(got.len(), 5);
    }

    #[test]
    fn a_header_that_does_not_fit_stops_the_table() {
        let error =
            |table: &[u8]| match Rows::new(io::Cursor::new(table.to_vec()), &Fields::default()) {
                Ok(_) => panic!("accepted {:?}", String::from_utf8_lossy(table)),
                Err(e) => e.to_string(),
            };
        assert!(error(b"").contains("the table is empty"));
        assert!(error(b"id,body\n").contains("no column named `text`"));
        assert!(error(b"id,text,Date,Date\n").contains("`Date` twice"));
        assert!(error(b"id,text,report\n").contains("reserved for the result"));
    }

    #[test]
    fn utf16_tables_are_decoded() {
        let text = "id\ttext\r\nk1\tOpen weights\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let got = rows(&bytes);
        assert_eq!(got.len(), 1);
        let (id, text, _) = got[0].1.clone().unwrap();
        assert_eq!((id.as_str(), &text[..]), ("k1", &b"Open weights"[..]));
    }
}
