//! Workbooks as tables for `--input csv`: an OpenDocument spreadsheet's
//! (`.ods`) first table, its cells' values (dates `2026-03-01`, times
//! `14:30:00`, booleans `TRUE`/`FALSE`, text with its paragraphs as
//! lines); or an Excel workbook's (`.xlsx`) rows of the
//! first sheet, as the workbook lists its sheets, each cell's text as
//! Excel shows it unformatted (shared and inline strings, numbers as
//! stored, `TRUE`/`FALSE`, error values such as `#N/A`), but dates: a
//! number in a date or time format is written `2026-03-01`,
//! `2026-03-01 14:30:00` or `14:30:00`.

use quick_xml::events::Event;

use crate::text::docx::{attribute, read_entry};
use crate::text::pptx::{each_element, targets};

/// The most columns a row may use: Excel's own limit (XFD). Cells past
/// it are not read.
const MAX_COLUMNS: usize = 16_384;

/// A row: its number in the sheet and its cells, by column, as written
/// (columns without a cell are not there).
pub(super) type SheetRow = (usize, Vec<(usize, String)>);

/// The first sheet's rows, in order, of an Excel workbook or an
/// OpenDocument spreadsheet.
pub(super) fn rows(bytes: &[u8]) -> Result<Vec<SheetRow>, String> {
    if crate::text::docx::read_entry(bytes, "mimetype", ".ods")
        .is_ok_and(|m| m.starts_with(b"application/vnd.oasis.opendocument.spreadsheet"))
    {
        let xml = read_entry(bytes, "content.xml", ".ods")?;
        return ods_rows(&xml).map_err(|e| format!("content.xml: {e}"));
    }
    xlsx_rows(bytes)
}

/// The first sheet's rows of an Excel workbook.
fn xlsx_rows(bytes: &[u8]) -> Result<Vec<SheetRow>, String> {
    let part = first_sheet(bytes)?;
    let shared = match read_entry(bytes, "xl/sharedStrings.xml", ".xlsx") {
        Ok(xml) => shared_strings(&xml).map_err(|e| format!("xl/sharedStrings.xml: {e}"))?,
        // A workbook of numbers alone has none.
        Err(_) => Vec::new(),
    };
    // Without styles, no cell is known to hold a date.
    let dates = read_entry(bytes, "xl/styles.xml", ".xlsx")
        .ok()
        .and_then(|xml| date_styles(&xml).ok())
        .unwrap_or_default();
    let base = if date1904(bytes) {
        DAYS_1904
    } else {
        DAYS_1900
    };
    let xml = read_entry(bytes, &part, ".xlsx")?;
    sheet_rows(&xml, &shared, &|style, value| {
        let kind = dates.get(style).copied().flatten()?;
        let serial: f64 = value.trim().parse().ok()?;
        date_text(serial, base, kind)
    })
    .map_err(|e| format!("{part}: {e}"))
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

/// The cell being read: its column, type, style and text so far.
struct Cell {
    column: usize,
    kind: String,
    style: usize,
    text: String,
}

/// What a date or time format shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateKind {
    Date,
    DateTime,
    Time,
}

/// The day (counted as [`civil`] counts, 0001-01-01 being 1) of serial 0
/// in the 1900 date system: 1899-12-30, right for serials from 61 on
/// (Excel counts a 1900-02-29 that did not exist; see [`date_text`]).
const DAYS_1900: i64 = 693_594;
/// The same for the 1904 date system: 1904-01-01.
const DAYS_1904: i64 = 695_056;

/// Whether the workbook counts dates from 1904 (old Mac Excel).
fn date1904(bytes: &[u8]) -> bool {
    let Ok(xml) = read_entry(bytes, "xl/workbook.xml", ".xlsx") else {
        return false;
    };
    let mut on = false;
    let _ = each_element(&xml, b"workbookPr", |e| {
        on = attribute(e, b"date1904").is_some_and(|v| v == "1" || v == "true");
    });
    on
}

/// For each cell style (`cellXfs` index), whether its number format shows
/// a date or a time.
fn date_styles(xml: &[u8]) -> Result<Vec<Option<DateKind>>, quick_xml::Error> {
    let mut custom = std::collections::HashMap::new();
    each_element(xml, b"numFmt", |e| {
        if let (Some(id), Some(code)) = (attribute(e, b"numFmtId"), attribute(e, b"formatCode")) {
            custom.insert(id, code);
        }
    })?;
    // The `xf`s of `cellXfs`, in order (not those of `cellStyleXfs`).
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut styles = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) if e.local_name().as_ref() == b"cellXfs" => in_cell_xfs = true,
            Event::End(e) if e.local_name().as_ref() == b"cellXfs" => in_cell_xfs = false,
            Event::Start(e) | Event::Empty(e)
                if in_cell_xfs && e.local_name().as_ref() == b"xf" =>
            {
                let id = attribute(&e, b"numFmtId").unwrap_or_default();
                let kind = match custom.get(&id) {
                    Some(code) => format_kind(code),
                    None => builtin_kind(id.parse().unwrap_or(0)),
                };
                styles.push(kind);
            }
            Event::Eof => return Ok(styles),
            _ => {}
        }
        buf.clear();
    }
}

/// What Excel's built-in number format `id` shows.
fn builtin_kind(id: u32) -> Option<DateKind> {
    match id {
        14..=17 | 27..=31 | 34..=36 | 50..=58 => Some(DateKind::Date),
        22 => Some(DateKind::DateTime),
        18..=21 | 32 | 33 | 45..=47 => Some(DateKind::Time),
        _ => None,
    }
}

/// What the number format `code` shows: a date if it has a day or a year,
/// a time if it has hours or seconds, both if both (quoted text, escaped
/// characters and `[…]` sections such as colours not counting).
fn format_kind(code: &str) -> Option<DateKind> {
    // The first section is for positive numbers, which dates are.
    let mut plain = String::new();
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            ';' => break,
            '"' => {
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let inner: String = chars.by_ref().take_while(|&c| c != ']').collect();
                // Elapsed time: `[h]:mm`.
                if inner.eq_ignore_ascii_case("h") || inner.eq_ignore_ascii_case("hh") {
                    plain.push('h');
                }
            }
            c => plain.push(c.to_ascii_lowercase()),
        }
    }
    let date = plain.contains(['d', 'y']);
    let time = plain.contains(['h', 's']);
    match (date, time) {
        (true, true) => Some(DateKind::DateTime),
        (true, false) => Some(DateKind::Date),
        (false, true) => Some(DateKind::Time),
        (false, false) => None,
    }
}

/// A date serial as text, counted from `base` ([`DAYS_1900`] or
/// [`DAYS_1904`]); `None` out of the years 1–9999.
fn date_text(serial: f64, base: i64, kind: DateKind) -> Option<String> {
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return None;
    }
    let mut days = serial.floor() as i64;
    let mut seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if seconds == 86_400 {
        days += 1;
        seconds = 0;
    }
    // Before serial 61 (1900-03-01) the 1900 system has no 1900-02-29
    // to skip yet (serial 60 is that day, which did not exist: read as
    // 1900-03-01).
    if base == DAYS_1900 && days < 61 {
        days += 1;
    }
    let (year, month, day) = civil(base + days);
    if !(1..=9999).contains(&year) {
        return None;
    }
    let time = format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    );
    let date = format!("{year:04}-{month:02}-{day:02}");
    Some(match kind {
        DateKind::Date => date,
        DateKind::DateTime => format!("{date} {time}"),
        DateKind::Time => time,
    })
}

/// The proleptic Gregorian date of `days` after 0000-12-31 (day 1 is
/// 0001-01-01), by Howard Hinnant's `civil_from_days`.
fn civil(days: i64) -> (i64, u32, u32) {
    // Shift to days since 0000-03-01.
    let z = days + 305;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A sheet's rows: `c` cells of `row`s, placed by their references.
/// `date` gives a number's text in cell style `style` when that style
/// shows a date.
fn sheet_rows(
    xml: &[u8],
    shared: &[String],
    date: &dyn Fn(usize, &str) -> Option<String>,
) -> Result<Vec<SheetRow>, quick_xml::Error> {
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
                    style: attribute(&e, b"s")
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(0),
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
                        "" | "n" => date(cell.style, &cell.text).unwrap_or(cell.text),
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

/// The most rows a sheet has: Excel's and Calc's limit. Repeated rows
/// past it are not read.
const MAX_ROWS: usize = 1_048_576;

/// An `.ods` row being read: its number, its cells, how many times it
/// repeats.
type OdsRow = (usize, Vec<(usize, String)>, usize);

/// An OpenDocument spreadsheet's first table (`content.xml`): rows and
/// cells with their repeat counts, empty ones skipped without being
/// written out (Calc pads a sheet with a million empty rows that way).
fn ods_rows(xml: &[u8]) -> Result<Vec<SheetRow>, quick_xml::Error> {
    /// The cell being read: its value (if an attribute gives it), its
    /// text, its repeats.
    struct OdsCell {
        value: Option<String>,
        text: String,
        repeat: usize,
    }
    let repeat = |e: &quick_xml::events::BytesStart<'_>, name: &[u8]| {
        attribute(e, name)
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut rows: Vec<SheetRow> = Vec::new();
    let mut next_row = 1;
    let mut row: Option<OdsRow> = None;
    let mut column = 0;
    let mut cell: Option<OdsCell> = None;
    let mut paragraphs = 0;
    let mut in_table = false;
    loop {
        let event = reader.read_event_into(&mut buf)?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"table" if !in_table && rows.is_empty() => in_table = !empty,
                b"table-row" if in_table => {
                    row = Some((next_row, Vec::new(), repeat(&e, b"number-rows-repeated")));
                    column = 0;
                    if empty {
                        next_row += repeat(&e, b"number-rows-repeated");
                        row = None;
                    }
                }
                b"table-cell" | b"covered-table-cell" if row.is_some() => {
                    let value = match attribute(&e, b"value-type").as_deref() {
                        Some("date") => {
                            attribute(&e, b"date-value").map(|d| d.replacen('T', " ", 1))
                        }
                        Some("time") => attribute(&e, b"time-value").map(|t| ods_time(&t)),
                        Some("boolean") => attribute(&e, b"boolean-value").map(|b| {
                            if b == "true" {
                                "TRUE".into()
                            } else {
                                "FALSE".into()
                            }
                        }),
                        Some("float" | "percentage" | "currency") => attribute(&e, b"value"),
                        _ => None,
                    };
                    let this = OdsCell {
                        value,
                        text: String::new(),
                        repeat: repeat(&e, b"number-columns-repeated"),
                    };
                    paragraphs = 0;
                    if empty {
                        place(
                            &mut row,
                            &mut column,
                            this.value.unwrap_or_default(),
                            this.repeat,
                        );
                    } else {
                        cell = Some(this);
                    }
                }
                b"p" | b"h" if cell.is_some() => {
                    if let Some(cell) = cell.as_mut()
                        && paragraphs > 0
                    {
                        cell.text.push('\n');
                    }
                    paragraphs += 1;
                }
                b"s" => {
                    if let Some(cell) = cell.as_mut() {
                        let n = repeat(&e, b"c").min(1024);
                        cell.text.extend(std::iter::repeat_n(' ', n));
                    }
                }
                b"tab" => cell.iter_mut().for_each(|c| c.text.push('\t')),
                b"line-break" => cell.iter_mut().for_each(|c| c.text.push('\n')),
                // Notes on a cell are not its text.
                b"annotation" if !empty => {
                    reader.read_to_end_into(e.name(), &mut Vec::new())?;
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(cell) = cell.as_mut() {
                    cell.text.push_str(&t.unescape()?);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"table-cell" | b"covered-table-cell" => {
                    if let Some(done) = cell.take() {
                        let value = done.value.unwrap_or(done.text);
                        place(&mut row, &mut column, value, done.repeat);
                    }
                }
                b"table-row" => {
                    if let Some((number, cells, times)) = row.take() {
                        next_row = number + times;
                        if !cells.is_empty() {
                            for n in 0..times.min(MAX_ROWS.saturating_sub(number)) {
                                rows.push((number + n, cells.clone()));
                            }
                        }
                    }
                }
                b"table" if in_table => return Ok(rows),
                _ => {}
            },
            Event::Eof => return Ok(rows),
            _ => {}
        }
        buf.clear();
    }
}

/// Puts `repeat` cells of `value` at `column` of the row being read (only
/// if there is something to put) and moves past them.
fn place(row: &mut Option<OdsRow>, column: &mut usize, value: String, repeat: usize) {
    if let Some((_, cells, _)) = row.as_mut()
        && !value.is_empty()
    {
        for n in 0..repeat.min(MAX_COLUMNS.saturating_sub(*column)) {
            cells.push((*column + n, value.clone()));
        }
    }
    *column = column.saturating_add(repeat);
}

/// An ISO 8601 duration as OpenDocument writes a time (`PT14H30M00S`)
/// as `14:30:00`; anything else as it is.
fn ods_time(value: &str) -> String {
    let Some(rest) = value.strip_prefix("PT") else {
        return value.to_string();
    };
    let mut parts = [0u64; 3];
    let mut number = String::new();
    for c in rest.chars() {
        let at = match c {
            'H' => 0,
            'M' => 1,
            'S' => 2,
            c => {
                number.push(c);
                continue;
            }
        };
        // Seconds may have a fraction: whole seconds are shown.
        parts[at] = number.split('.').next().unwrap_or("").parse().unwrap_or(0);
        number.clear();
    }
    format!("{:02}:{:02}:{:02}", parts[0], parts[1], parts[2])
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
        let rows = sheet_rows(sheet, &shared, &|_, _| None).unwrap();
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

    #[test]
    fn serials_in_date_formats_are_dates() {
        let day = |serial| date_text(serial, DAYS_1900, DateKind::Date).unwrap();
        assert_eq!(day(1.0), "1900-01-01");
        assert_eq!(day(61.0), "1900-03-01");
        assert_eq!(day(46_082.0), "2026-03-01");
        assert_eq!(day(2_958_465.0), "9999-12-31");
        assert_eq!(date_text(2_958_466.0, DAYS_1900, DateKind::Date), None);
        assert_eq!(date_text(-1.0, DAYS_1900, DateKind::Date), None);
        assert_eq!(
            date_text(0.0, DAYS_1904, DateKind::Date).unwrap(),
            "1904-01-01"
        );
        assert_eq!(
            date_text(46_082.604_166_7, DAYS_1900, DateKind::DateTime).unwrap(),
            "2026-03-01 14:30:00"
        );
        assert_eq!(
            date_text(0.999_999_9, DAYS_1900, DateKind::Time).unwrap(),
            "00:00:00"
        );
        for (code, kind) in [
            ("yyyy\\-mm\\-dd", Some(DateKind::Date)),
            ("d/m/yy h:mm", Some(DateKind::DateTime)),
            ("[h]:mm", Some(DateKind::Time)),
            ("h:mm AM/PM", Some(DateKind::Time)),
            ("0.00", None),
            ("#,##0 \"days\"", None),
            ("[Red]0.0;[Blue]-0.0", None),
            ("General", None),
        ] {
            assert_eq!(format_kind(code), kind, "{code}");
        }
        let styles = date_styles(
            br#"<styleSheet><numFmts><numFmt numFmtId="165" formatCode="yyyy\-mm\-dd"/></numFmts>
            <cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>
            <cellXfs><xf numFmtId="0"/><xf numFmtId="165"/><xf numFmtId="22"/><xf numFmtId="4"/></cellXfs></styleSheet>"#,
        )
        .unwrap();
        assert_eq!(
            styles,
            [None, Some(DateKind::Date), Some(DateKind::DateTime), None]
        );
    }

    #[test]
    fn opendocument_tables_read_with_their_repeats() {
        let xml = br#"<office:document-content><office:body><office:spreadsheet>
            <table:table table:name="one">
            <table:table-row><table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>text</text:p></table:table-cell><table:table-cell><text:p>when</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
            <table:table-row><table:table-cell office:value-type="float" office:value="7"><text:p>7.00</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>First<text:s text:c="2"/>line</text:p><text:p>second<text:line-break/>third</text:p><office:annotation><text:p>a note</text:p></office:annotation></table:table-cell><table:table-cell office:value-type="date" office:date-value="2026-03-01T14:30:00"><text:p>03/01/26</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell></table:table-row>
            <table:table-row><table:covered-table-cell/><table:table-cell office:value-type="time" office:time-value="PT09H05M30.5S"/></table:table-row>
            <table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
            </table:table>
            <table:table table:name="two"><table:table-row><table:table-cell><text:p>not read</text:p></table:table-cell></table:table-row></table:table>
            </office:spreadsheet></office:body></office:document-content>"#;
        let rows = ods_rows(xml).unwrap();
        let numbers: Vec<usize> = rows.iter().map(|r| r.0).collect();
        assert_eq!(numbers, [1, 5, 6, 7, 8]);
        assert_eq!(
            dense(&rows[1].1),
            ["7", "First  line\nsecond\nthird", "2026-03-01 14:30:00"]
        );
        assert_eq!(dense(&rows[2].1), ["", "", "TRUE"]);
        assert_eq!(rows[3].1, rows[2].1);
        assert_eq!(dense(&rows[4].1), ["", "09:05:30"]);
    }
}
