//! Quoted replies in plain text: the `> ` lines an email client puts
//! before the message being answered (`> > ` for a message it answered
//! in turn). They are someone else's words, as a Markdown block quotation
//! is; the reply above or below them is the writer's own.
//!
//! A quotation is a run of at least two lines that each open
//! with `>` (after at most three spaces) followed by a space, another
//! `>` or the end of the line, as mail clients write them. One such line
//! alone, or `>10^26` at a line's start, is not a quotation. The text
//! is left as it is, markers and all, as Markdown's `> ` lines are: the
//! evidence a report shows is the file's own text.

use std::ops::Range;

/// The fewest consecutive quoted lines read as a quotation.
const MIN_LINES: usize = 2;

/// The byte ranges of `text`'s quoted replies (whole lines, sorted and
/// disjoint).
pub fn quoted_replies(text: &str) -> Vec<Range<usize>> {
    // Most text has no '>' at all, and is read no further.
    if memchr::memchr(b'>', text.as_bytes()).is_none() {
        return Vec::new();
    }
    let mut quotes = Vec::new();
    // The run being read: its start and its number of lines.
    let mut run: Option<(usize, usize)> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        if marker(line).is_some() {
            let (first, lines) = run.unwrap_or((start, 0));
            run = Some((first, lines + 1));
        } else if let Some((first, lines)) = run.take()
            && lines >= MIN_LINES
        {
            quotes.push(first..start);
        }
    }
    if let Some((first, lines)) = run
        && lines >= MIN_LINES
    {
        quotes.push(first..at);
    }
    quotes
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
    fn quoted_replies_are_found() {
        let text = "I won't sign.\n\n> From: Tom\n>\n> > We support the board.\n> > Weights cannot\n> > be recalled.\nPriya\n";
        let quotes = quoted_replies(text);
        assert_eq!(quotes.len(), 1);
        let quoted = &text[quotes[0].clone()];
        assert!(quoted.starts_with("> From: Tom\n"), "{quoted:?}");
        assert!(quoted.ends_with("be recalled.\n"), "{quoted:?}");
        // A reply that ends the text is a quotation too.
        let last = "Agreed.\n> one\n> two";
        assert_eq!(
            quoted_replies(last),
            vec![Range {
                start: 8,
                end: last.len()
            }]
        );
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
            assert!(quoted_replies(text).is_empty(), "{text:?}");
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
