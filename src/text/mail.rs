//! Quoted replies in plain text: the `> ` lines an email client puts
//! before the message being answered (`> > ` for a message it answered
//! in turn). They are someone else's words, as a Markdown block quotation
//! is; the reply above or below them is the writer's own.
//!
//! A quotation is a run of at least two lines that each open
//! with `>` (after at most three spaces) followed by a space, another
//! `>` or the end of the line, as mail clients write them. One such line
//! alone, or `>10^26` at a line's start, is not a quotation. The markers
//! are blanked to spaces, so a phrase broken across quoted lines reads as
//! one and every column stays where it is in the file.

use std::ops::Range;

/// The fewest consecutive quoted lines read as a quotation.
const MIN_LINES: usize = 2;

/// Blanks the quote markers of `text`'s quoted replies and returns the
/// replies' byte ranges (whole lines, sorted and disjoint).
pub fn quoted_replies(text: &mut String) -> Vec<Range<usize>> {
    // Most text has no '>' at all, and is read no further.
    if memchr::memchr(b'>', text.as_bytes()).is_none() {
        return Vec::new();
    }
    let mut quotes = Vec::new();
    let mut markers: Vec<Range<usize>> = Vec::new();
    // The run being read: its start, its lines, its markers' count.
    let mut run: Option<(usize, usize, usize)> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        match marker(line) {
            Some(m) => {
                let (first, lines, marks) = run.unwrap_or((start, 0, markers.len()));
                markers.push(start + m.start..start + m.end);
                run = Some((first, lines + 1, marks));
            }
            None => {
                close(&mut run, start, &mut quotes, &mut markers);
            }
        }
    }
    close(&mut run, at, &mut quotes, &mut markers);
    super::blank_all(text, &markers);
    quotes
}

/// Ends the run being read at byte `end`: a quotation if it has enough
/// lines, otherwise its markers are left as they are.
fn close(
    run: &mut Option<(usize, usize, usize)>,
    end: usize,
    quotes: &mut Vec<Range<usize>>,
    markers: &mut Vec<Range<usize>>,
) {
    if let Some((start, lines, marks)) = run.take() {
        if lines >= MIN_LINES {
            quotes.push(start..end);
        } else {
            markers.truncate(marks);
        }
    }
}

/// The quote marker opening `line` (`>`, `> >`, `>>` and the space after
/// it), as a range of the line; `None` when the line is not quoted.
fn marker(line: &str) -> Option<Range<usize>> {
    let bytes = line.as_bytes();
    let indent = bytes.iter().take(3).take_while(|&&b| b == b' ').count();
    if bytes.get(indent) != Some(&b'>') {
        return None;
    }
    let mut end = indent;
    while let Some(&b) = bytes.get(end) {
        match b {
            b'>' => end += 1,
            b' ' if bytes.get(end + 1) == Some(&b'>') => end += 1,
            _ => break,
        }
    }
    match bytes.get(end) {
        None | Some(b'\n' | b'\r') => Some(indent..end),
        Some(b' ') => Some(indent..end + 1),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_replies_are_found_and_their_markers_blanked() {
        let mut text = String::from(
            "I won't sign.\n\n> From: Tom\n>\n> > We support the board.\n> > Weights cannot\n> > be recalled.\nPriya\n",
        );
        let before = text.clone();
        let quotes = quoted_replies(&mut text);
        assert_eq!(quotes.len(), 1);
        let quoted = &before[quotes[0].clone()];
        assert!(quoted.starts_with("> From: Tom\n"), "{quoted:?}");
        assert!(quoted.ends_with("be recalled.\n"), "{quoted:?}");
        assert_eq!(text.len(), before.len());
        assert!(text.contains("\n    We support the board.\n"), "{text:?}");
        assert!(
            text.contains("Weights cannot\n    be recalled."),
            "{text:?}"
        );
        assert!(text.starts_with("I won't sign.\n"));
    }

    #[test]
    fn one_line_and_comparisons_are_not_quotations() {
        for text in [
            "Intro.\n> one quoted line only\nOutro.\n",
            ">10^26 operations: tier 3\n>10^25 operations: tier 2\n",
            "Plain text without markers.\n",
            "",
            ">",
        ] {
            let mut blanked = text.to_string();
            assert_eq!(
                quoted_replies(&mut blanked),
                Vec::<Range<usize>>::new(),
                "{text:?}"
            );
            assert_eq!(blanked, text);
        }
    }

    #[test]
    fn markers_are_read_as_mail_clients_write_them() {
        assert_eq!(marker("> text"), Some(0..2));
        assert_eq!(marker(">> text"), Some(0..3));
        assert_eq!(marker("> > text"), Some(0..4));
        assert_eq!(marker(">\n"), Some(0..1));
        assert_eq!(marker("   > text"), Some(3..5));
        assert_eq!(marker("    > code"), None);
        assert_eq!(marker(">text"), None);
        assert_eq!(marker("text > more"), None);
    }
}
