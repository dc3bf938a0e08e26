//! Excel workbooks (`.xlsx`) as tables for `--input csv`: the rows of the
//! first sheet, as the workbook lists its sheets, each cell's text as
//! Excel shows it unformatted (shared and inline strings, numbers and
//! dates as stored, `TRUE`/`FALSE`, error values such as `#N/A`).

use quick_xml::events::Event;

use crate::text::docx::{attribute, read_entry};
use crate::text::pptx::{each_element, targets};

/// The most columns a row may use: Excel's own limit (XFD). Cells past
/// it are not read.
const MAX_COLUMNS: usize = 16_384;

/// A row: its number in the sheet and its cells, by column, as written
/// (columns without a cell are not there).
pub(super) type SheetRow = (usize, Vec<(usize, String)>);

/// The first sheet's rows, in order.
pub(super) fn rows(bytes: &[u8]) -> Result<Vec<SheetRow>, String> {
    let part = first_sheet(bytes)?;
    let shared = match read_entry(bytes, "xl/sharedStrings.xml", ".xlsx") {
        Ok(xml) => shared_strings(&xml).map_err(|e| format!("xl/sharedStrings.xml: {e}"))?,
        // A workbook of numbers alone has none.
        Err(_) => Vec::new(),
    };
    let xml = read_entry(bytes, &part, ".xlsx")?;
    sheet_rows(&xml, &shared).map_err(|e| format!("{part}: {e}"))
}

/// The part of the first sheet the workbook lists (`xl/worksheets/sheet1.xml`
/// if the list cannot be read).
fn first_sheet(bytes: &[u8]) -> Result<String, String> {
    let workbook = read_entry(bytes, "xl/workbook.xml", ".xlsx")?;
    let mut first = None;
    each_element(&workbook, b"sheet", |e| {
        if first.is_none() {
            // `r:id`, whatever its prefix: not the unprefixed `sheetId`.
            first = e
                .attributes()
                .flatten()
                .find(|a| a.key.as_ref() != b"id" && a.key.local_name().as_ref() == b"id")
                .map(|a| String::from_utf8_lossy(&a.value).into_owned());
        }
    })
    .map_err(|e| format!("xl/workbook.xml: {e}"))?;
    let listed = first.and_then(|id| {
        let rels = read_entry(bytes, "xl/_rels/workbook.xml.rels", ".xlsx").ok()?;
        let target = targets(&rels).ok()?.remove(&id)?;
        Some(match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        })
    });
    Ok(listed.unwrap_or_else(|| "xl/worksheets/sheet1.xml".into()))
}

/// The strings of `xl/sharedStrings.xml`, in order: each `si`'s text runs
/// joined, without phonetic guides (`rPh`).
fn shared_strings(xml: &[u8]) -> Result<Vec<String>, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut strings = Vec::new();
    let (mut text, mut in_t, mut in_phonetic) = (String::new(), false, false);
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"si" => text.clear(),
                b"t" => in_t = true,
                b"rPh" => in_phonetic = true,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"si" => strings.push(std::mem::take(&mut text)),
                b"t" => in_t = false,
                b"rPh" => in_phonetic = false,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == b"si" => strings.push(String::new()),
            Event::Text(t) if in_t && !in_phonetic => text.push_str(&t.unescape()?),
            Event::CData(t) if in_t && !in_phonetic => {
                text.push_str(&String::from_utf8_lossy(&t));
            }
            Event::Eof => return Ok(strings),
            _ => {}
        }
        buf.clear();
    }
}

/// The cell being read: its column, type and text so far.
struct Cell {
    column: usize,
    kind: String,
    text: String,
}

/// A sheet's rows: `c` cells of `row`s, placed by their references.
fn sheet_rows(xml: &[u8], shared: &[String]) -> Result<Vec<SheetRow>, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut rows: Vec<SheetRow> = Vec::new();
    let mut row: Option<SheetRow> = None;
    let mut cell: Option<Cell> = None;
    let mut in_text = false;
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"row" => {
                let after = rows.last().map_or(0, |r| r.0);
                let number = attribute(&e, b"r")
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(after + 1);
                rows.extend(row.take());
                row = Some((number, Vec::new()));
            }
            Event::Start(e) if e.local_name().as_ref() == b"c" => {
                let next = row
                    .as_ref()
                    .and_then(|r| r.1.last())
                    .map_or(0, |(column, _)| column + 1);
                cell = Some(Cell {
                    column: attribute(&e, b"r").and_then(|r| column(&r)).unwrap_or(next),
                    kind: attribute(&e, b"t").unwrap_or_default(),
                    text: String::new(),
                });
            }
            Event::Start(e) if matches!(e.local_name().as_ref(), b"v" | b"t") => {
                in_text = cell.is_some();
            }
            Event::End(e) if matches!(e.local_name().as_ref(), b"v" | b"t") => in_text = false,
            Event::Text(t) if in_text => {
                if let Some(cell) = cell.as_mut() {
                    cell.text.push_str(&t.unescape()?);
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"c" => {
                if let (Some(cell), Some(row)) = (cell.take(), row.as_mut()) {
                    let value = match cell.kind.as_str() {
                        "s" => cell
                            .text
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|at| shared.get(at).cloned())
                            .unwrap_or_default(),
                        "b" => match cell.text.trim() {
                            "1" => "TRUE".into(),
                            "0" => "FALSE".into(),
                            other => other.into(),
                        },
                        _ => cell.text,
                    };
                    row.1.push((cell.column, value));
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"row" => rows.extend(row.take()),
            Event::Eof => {
                rows.extend(row.take());
                return Ok(rows);
            }
            _ => {}
        }
        buf.clear();
    }
}

/// The 0-based column of a cell reference (`B3` → 1, `AA10` → 26);
/// `None` past Excel's last column.
fn column(reference: &str) -> Option<usize> {
    let letters = reference.bytes().take_while(u8::is_ascii_alphabetic);
    let mut n = 0usize;
    let mut any = false;
    for letter in letters {
        any = true;
        n = n * 26 + usize::from(letter.to_ascii_uppercase() - b'A') + 1;
        if n > MAX_COLUMNS {
            return None;
        }
    }
    any.then(|| n - 1)
}

/// A row's cells as fields, empty where a column has no cell.
pub(super) fn dense(cells: &[(usize, String)]) -> Vec<String> {
    let width = cells
        .iter()
        .map(|(column, _)| column + 1)
        .filter(|&width| width <= MAX_COLUMNS)
        .max()
        .unwrap_or(0);
    let mut fields = vec![String::new(); width];
    for (column, value) in cells {
        if let Some(field) = fields.get_mut(*column) {
            field.clone_from(value);
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_name_columns() {
        assert_eq!(column("A1"), Some(0));
        assert_eq!(column("b7"), Some(1));
        assert_eq!(column("Z9"), Some(25));
        assert_eq!(column("AA10"), Some(26));
        assert_eq!(column("XFD1"), Some(16_383));
        assert_eq!(column("XFE1"), None);
        assert_eq!(column("ZZZZZZZZZZZZZZZ1"), None);
        assert_eq!(column("12"), None);
    }

    #[test]
    fn strings_numbers_and_booleans_are_read_in_place() {
        let shared = shared_strings(
            br#"<sst><si><t>id</t></si><si><r><t>te</t></r><r><t xml:space="preserve">xt</t></r><rPh><t>ignored</t></rPh></si><si/><si><t>We &amp; they</t></si></sst>"#,
        )
        .unwrap();
        assert_eq!(shared, ["id", "text", "", "We & they"]);
        let sheet = br#"<worksheet><sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
            <row r="3"><c r="A3"><v>42</v></c><c r="C3" t="inlineStr"><is><t>inline</t></is></c><c r="D3" t="b"><v>1</v></c><c r="E3" t="e"><v>#N/A</v></c><c r="F3" t="s"><v>3</v></c><c r="G3" t="s"><v>99</v></c></row>
            <row><c><v>1.5</v></c><c><v>2</v></c></row>
            </sheetData></worksheet>"#;
        let rows = sheet_rows(sheet, &shared).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0], (1, vec![(0, "id".into()), (1, "text".into())]));
        assert_eq!(rows[1].0, 3);
        assert_eq!(
            dense(&rows[1].1),
            ["42", "", "inline", "TRUE", "#N/A", "We & they", ""]
        );
        assert_eq!(rows[2], (4, vec![(0, "1.5".into()), (1, "2".into())]));
        assert_eq!(
            dense(&[(0, "a".into()), (16_384, "past XFD".into())]),
            ["a"]
        );
    }
}
