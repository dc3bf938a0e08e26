//! Checks that evidence points at its text, independently of policyscan's
//! own line index: shared by tests/it/properties.rs and the `scan` fuzz
//! target (fuzz/fuzz_targets/scan.rs).

use policyscan::report::DocumentReport;

/// Every evidence item of `report` (themes, stance and checks) starts at
/// its line and column in `text`, the decoded original; the first
/// misplaced item is the error.
pub(crate) fn check(report: &DocumentReport, text: &str) -> Result<(), String> {
    let starts = line_starts(text);
    // Lines are counted like `wc -l` plus a last line without a
    // terminator: "" has 0, "a\nb\n" and "a\nb" have 2.
    let expected = if text.is_empty() {
        0
    } else {
        starts.len() - usize::from(text.ends_with(['\n', '\r']))
    };
    if report.lines != expected {
        return Err(format!("{} lines, expected {expected}", report.lines));
    }
    for (line, column, matched) in evidence(report) {
        if line == 0 || line > starts.len() {
            return Err(format!("line {line} of {}", starts.len()));
        }
        let from = &text[starts[line - 1]..];
        let Some((at, _)) = from.char_indices().nth(column.wrapping_sub(1)) else {
            return Err(format!("column {column} past the end of line {line}"));
        };
        if !collapsed_starts_with(&from[at..], matched) {
            let found: String = from[at..].chars().take(40).collect();
            return Err(format!("{matched:?} is not at {line}:{column} ({found:?})"));
        }
    }
    Ok(())
}

fn evidence(report: &DocumentReport) -> impl Iterator<Item = (usize, usize, &str)> {
    let themes = report.themes.iter().flat_map(|t| &t.evidence);
    let checks = report.checks.iter().flat_map(|c| &c.evidence);
    let stance = report.stance.evidence.iter();
    themes
        .chain(checks)
        .map(|e| (e.line, e.column, e.text.as_str()))
        .chain(stance.map(|e| (e.line, e.column, e.text.as_str())))
}

/// Byte offsets where lines start: after `\n`, `\r\n` or a lone `\r`.
pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        let lone_cr = b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
        if b == b'\n' || lone_cr {
            starts.push(i + 1);
        }
    }
    starts
}

/// Whether `source` begins with `matched`, where `matched` has each
/// whitespace run collapsed to one space and word joiners (the padding
/// where HTML markup was) dropped, as evidence text does.
fn collapsed_starts_with(source: &str, matched: &str) -> bool {
    let mut src = source.chars().filter(|&c| c != '\u{2060}').peekable();
    for want in matched.chars() {
        if want == ' ' {
            if !src.next().is_some_and(char::is_whitespace) {
                return false;
            }
            while src.next_if(|c| c.is_whitespace()).is_some() {}
        } else if src.next() != Some(want) {
            return false;
        }
    }
    true
}
