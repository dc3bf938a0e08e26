//! `--format csv`: one row per input, for spreadsheets and data frames.
//!
//! The header names the columns: `path`, `status` (`scanned`, `skipped`
//! or `error`), `format`, `words`, `stance`, `confidence`, `reason`,
//! `themes` (the present themes' ids, `;`-separated, in ruleset order),
//! `checks` (the ids of the check findings not suppressed, `;`-separated),
//! the four stance scores (`stance:pro-open` …), one score column per
//! theme (`theme:ID`, ids in alphabetical order, as in the summary), then
//! `warnings` (`; `-separated) and `message` (why an input was skipped or
//! could not be read). Scanned documents come first, in path order, then
//! skipped inputs, then errors, so every input is a row.
//!
//! Fields are quoted as RFC 4180 says (a comma, quote or line break
//! inside). A text cell that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return (a path, a message) gets a `'` in front, so a
//! spreadsheet shows it rather than running it as a formula.

use std::io::{self, Write};

use super::stream::{StreamFormat, write_whole};
use super::{DocumentReport, InputError, RunReport, Skipped};

/// Writes the run as a CSV table, a row per input.
pub fn write_csv<W: Write>(w: W, report: &RunReport) -> io::Result<()> {
    write_whole(w, StreamFormat::Csv, report, &[])
}

/// The result columns that come before the scores.
const LEADING: [&str; 8] = [
    "status",
    "format",
    "words",
    "stance",
    "confidence",
    "reason",
    "themes",
    "checks",
];

/// The stance score columns.
const STANCES: [&str; 4] = [
    "stance:pro-open",
    "stance:security-first",
    "stance:hybrid",
    "stance:neutral",
];

/// The columns after the scores.
const TRAILING: [&str; 2] = ["warnings", "message"];

/// The names of the result columns for `themes`, the theme ids, sorted.
pub(crate) fn result_header(themes: &[String]) -> Vec<String> {
    LEADING
        .iter()
        .chain(&STANCES)
        .map(|s| s.to_string())
        .chain(themes.iter().map(|t| format!("theme:{t}")))
        .chain(TRAILING.iter().map(|s| s.to_string()))
        .collect()
}

/// A scanned document's result cells, under [`result_header`] of
/// `themes`, which must be sorted.
pub(crate) fn result_cells(doc: &DocumentReport, themes: &[String]) -> Vec<String> {
    let present = doc.present_theme_ids();
    let mut checks: Vec<&str> = Vec::new();
    for finding in doc.checks.iter().filter(|c| c.suppressed.is_none()) {
        if !checks.contains(&finding.check.as_str()) {
            checks.push(&finding.check);
        }
    }
    let scores = &doc.stance.scores;
    let mut cells = vec![
        "scanned".into(),
        doc.format.clone(),
        doc.words.to_string(),
        doc.stance.label.to_string(),
        doc.stance.confidence.to_string(),
        doc.stance.reason.clone(),
        present.join(";"),
        checks.join(";"),
    ];
    for score in [
        scores.pro_open,
        scores.security_first,
        scores.hybrid,
        scores.neutral,
    ] {
        cells.push(score.to_string());
    }
    for id in themes {
        let score = doc.themes.iter().find(|t| &t.id == id).map(|t| t.score);
        cells.push(score.map(|s| s.to_string()).unwrap_or_default());
    }
    cells.push(text_cell(&doc.warnings.join("; ")));
    cells.push(String::new());
    cells
}

/// The result cells of an input not scanned: its `status` (`skipped`,
/// `error`) and why, under [`result_header`] of `themes`.
pub(crate) fn not_scanned_cells(status: &str, message: &str, themes: &[String]) -> Vec<String> {
    let blank = LEADING.len() - 1 + STANCES.len() + themes.len() + 1;
    [status.to_string()]
        .into_iter()
        .chain(std::iter::repeat_n(String::new(), blank))
        .chain([text_cell(message)])
        .collect()
}

/// The table being written: its theme columns, sorted, and whether the
/// header is out.
pub(super) struct Table {
    themes: Vec<String>,
    header: bool,
}

impl Table {
    /// A table with a score column for each of `themes`.
    pub(super) fn new(themes: &[String]) -> Table {
        let mut themes = themes.to_vec();
        themes.sort();
        Table {
            themes,
            header: false,
        }
    }

    /// Writes the header unless it is out.
    fn header(&mut self, w: &mut impl Write) -> io::Result<()> {
        if std::mem::replace(&mut self.header, true) {
            return Ok(());
        }
        let names = ["path".to_string()]
            .into_iter()
            .chain(result_header(&self.themes));
        write_row(w, names)
    }

    /// Writes one scanned document's row.
    pub(super) fn document(&mut self, w: &mut impl Write, doc: &DocumentReport) -> io::Result<()> {
        self.header(w)?;
        let cells = [text_cell(&doc.path)]
            .into_iter()
            .chain(result_cells(doc, &self.themes));
        write_row(w, cells)
    }

    /// Writes the rows of inputs not scanned, and the header if no row
    /// came before.
    pub(super) fn finish(
        &mut self,
        w: &mut impl Write,
        skipped: &[Skipped],
        errors: &[InputError],
    ) -> io::Result<()> {
        self.header(w)?;
        let not_scanned = skipped
            .iter()
            .map(|s| (&s.path, "skipped", &s.reason))
            .chain(errors.iter().map(|e| (&e.path, "error", &e.message)));
        for (path, status, message) in not_scanned {
            let cells = [text_cell(path)].into_iter().chain(not_scanned_cells(
                status,
                message,
                &self.themes,
            ));
            write_row(w, cells)?;
        }
        Ok(())
    }
}

/// A cell of text from outside (a path, a message), kept from being read
/// as a formula.
pub(crate) fn text_cell(text: &str) -> String {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// Writes one row, each field quoted when it holds a comma, a quote or a
/// line break, ended by CRLF as RFC 4180 has it.
pub(crate) fn write_row(
    w: &mut impl Write,
    cells: impl IntoIterator<Item = String>,
) -> io::Result<()> {
    let mut line = String::new();
    for (at, cell) in cells.into_iter().enumerate() {
        if at > 0 {
            line.push(',');
        }
        if cell.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&cell);
        }
    }
    line.push_str("\r\n");
    w.write_all(line.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_when_they_must_be_and_formulas_are_defused() {
        let mut out = Vec::new();
        let cells = [
            "plain",
            "a, b",
            "say \"no\"",
            "two\nlines",
            "",
            &text_cell("=HYPERLINK(\"x\")"),
            &text_cell("-1 dollar.txt"),
            &text_cell("notes-2026.md"),
        ];
        write_row(&mut out, cells.map(String::from)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "plain,\"a, b\",\"say \"\"no\"\"\",\"two\nlines\",,\"'=HYPERLINK(\"\"x\"\")\",\
             '-1 dollar.txt,notes-2026.md\r\n"
        );
    }

    #[test]
    fn a_table_of_nothing_is_its_header() {
        let mut table = Table::new(&["b".into(), "a".into()]);
        let mut out = Vec::new();
        table.finish(&mut out, &[], &[]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "path,status,format,words,stance,confidence,reason,themes,checks,\
             stance:pro-open,stance:security-first,stance:hybrid,stance:neutral,\
             theme:a,theme:b,warnings,message\r\n"
        );
    }
}
