//! Evidence: the matched text, where it is, and the sentence around it.

use std::sync::LazyLock;

use crate::scan::Hit;
use crate::text::{Document, ceil_boundary, floor_boundary};

/// The longest snippet, in characters, before it is cut around the match.
const SNIPPET_MAX: usize = 200;
/// Characters kept before the match when a snippet is cut.
const SNIPPET_BEFORE: usize = 80;

/// Where a hit is and what it says.
pub(crate) struct Located {
    pub(crate) text: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) snippet: String,
    pub(crate) section: Option<String>,
    pub(crate) page: Option<usize>,
}

/// Locates a hit in its document.
pub(crate) fn locate(doc: &Document, hit: &Hit) -> Located {
    let (line, column) = doc.line_col(hit.start);
    Located {
        text: one_line(&doc.source()[hit.start..hit.end]),
        line,
        column,
        snippet: snippet(doc, hit),
        section: doc.section_at(hit.start).map(String::from),
        page: doc.page_at(hit.start),
    }
}

/// The sentence containing the hit, on one line, cut to about
/// [`SNIPPET_MAX`] characters around the match.
fn snippet(doc: &Document, hit: &Hit) -> String {
    let source = doc.source();
    let (mut start, mut end) = match doc.sentence_of(hit.folded_start) {
        Some(i) => {
            let r = &doc.sentences()[i];
            doc.folded().to_source_span(source, r.start, r.end)
        }
        None => (hit.start, hit.end),
    };
    start = start.min(hit.start);
    end = end.max(hit.end);
    let (mut lead, mut tail) = ("", "");
    // Characters are counted only as far as the limits: a sentence may be
    // megabytes long.
    let more_than = |text: &str, n: usize| text.chars().nth(n).is_some();
    if more_than(&source[start..end], SNIPPET_MAX) {
        if more_than(&source[start..hit.start], SNIPPET_BEFORE) {
            start = nth_char_back(source, hit.start, SNIPPET_BEFORE);
            lead = "…";
        }
        let budget = SNIPPET_MAX.saturating_sub(source[start..hit.end].chars().count());
        let cut = nth_char_forward(source, hit.end, budget);
        if cut < end {
            end = cut;
            tail = "…";
        }
    }
    format!(
        "{lead}{}{tail}",
        one_line(&unquoted(doc, &source[start..end]))
    )
}

/// `s` without the Markdown block quotation markers (`> `) that open its
/// lines: a quoted sentence wrapped over lines reads as one line ("not a
/// ban", not "not a > ban"). For snippets only: an item's `text` is the
/// source as written ([`crate::report::text_in_snippet`] finds it in
/// the snippet). Other formats keep a `>`
/// at a line's start: in plain text it may mean "more than".
fn unquoted<'a>(doc: &Document, s: &'a str) -> std::borrow::Cow<'a, str> {
    static MARKERS: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"(?m)^[ \t]*(?:>[ \t]?)+").expect("valid regex"));
    if doc.format() != crate::text::Format::Markdown || memchr::memchr(b'>', s.as_bytes()).is_none()
    {
        return std::borrow::Cow::Borrowed(s);
    }
    MARKERS.replace_all(s, "")
}

fn nth_char_back(s: &str, from: usize, n: usize) -> usize {
    s[..from]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| floor_boundary(s, i))
}

fn nth_char_forward(s: &str, from: usize, n: usize) -> usize {
    s[from..]
        .char_indices()
        .nth(n)
        .map_or(s.len(), |(i, _)| ceil_boundary(s, from + i))
}

/// Collapses every whitespace run to one space and drops the invisible
/// padding left where HTML markup and references were (word joiners).
fn one_line(s: &str) -> String {
    if s.is_ascii() {
        // ASCII has no padding to drop, and its spaces are bytes: trim,
        // turn every space into ' ', collapse runs if there are any. Each
        // step is a vectorised pass (most evidence is ASCII).
        let space = |b: u8| b == b' ' || b.wrapping_sub(b'\t') < 5; // \t \n \x0B \x0C \r
        let trimmed = s.trim_matches(|c: char| u8::try_from(c).is_ok_and(space));
        static DOUBLE_SPACE: LazyLock<memchr::memmem::Finder<'static>> =
            LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
        let mut line = trimmed.as_bytes().to_vec();
        for b in &mut line {
            if space(*b) {
                *b = b' ';
            }
        }
        if DOUBLE_SPACE.find(&line).is_some() {
            line.dedup_by(|next, kept| *next == b' ' && *kept == b' ');
        }
        return String::from_utf8(line).expect("ASCII");
    }
    // Padding goes first, so padding between spaces leaves one space.
    let pad = crate::text::html::PAD;
    let s = if s.contains(pad) {
        std::borrow::Cow::Owned(s.replace(pad, ""))
    } else {
        std::borrow::Cow::Borrowed(s)
    };
    let mut line = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    line
}

/// The first `k` of `items` in the order `cmp` gives, ties kept in their
/// original order: exactly `items.sort_by(cmp); items.truncate(k)`, but
/// without sorting the rest. A document picks a handful of evidence items
/// from all its hits, which for a very large document number millions.
pub(crate) fn first_sorted<T>(
    mut items: Vec<T>,
    k: usize,
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Vec<T> {
    // A short list is quicker sorted whole.
    if items.len() <= k.max(32) {
        items.sort_by(cmp);
        items.truncate(k);
        return items;
    }
    if k == 0 {
        return Vec::new();
    }
    // Positions break ties, as a stable sort would: a total order, so the
    // selection and the unstable sort below are deterministic.
    let by = |a: &(usize, T), b: &(usize, T)| cmp(&a.1, &b.1).then(a.0.cmp(&b.0));
    let mut indexed: Vec<(usize, T)> = items.into_iter().enumerate().collect();
    indexed.select_nth_unstable_by(k - 1, by);
    indexed.truncate(k);
    indexed.sort_unstable_by(by);
    indexed.into_iter().map(|(_, item)| item).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sorted_matches_a_stable_sort_and_truncate() {
        let mut rng = crate::testutil::Rng::new(0x2545_f491_4f6c_dd1d);
        for len in (0..60).chain([100, 333]) {
            // Few distinct keys, so ties are common; the second field
            // tells tied items apart.
            let items: Vec<(usize, usize)> = (0..len).map(|i| (rng.below(5), i)).collect();
            for k in (0..len.min(60) + 3).chain([len / 2]) {
                let mut want = items.clone();
                want.sort_by_key(|a| a.0);
                want.truncate(k);
                let got = first_sorted(items.clone(), k, |a, b| a.0.cmp(&b.0));
                assert_eq!(got, want, "len {len}, k {k}");
            }
        }
    }

    /// A Markdown quotation wrapped over lines reads as one line in
    /// evidence; a `>` at a line's start in plain text stays ("more
    /// than").
    #[test]
    fn block_quotation_markers_are_left_out_of_markdown_evidence() {
        let text = "Intro.\n\n> **u/sen:** That is a proportionate answer, not a\n> ban.\n\nModels trained with\n> 10^26 operations.\n";
        for (format, want_ban, want_threshold) in [
            (
                crate::text::Format::Markdown,
                "not a ban.",
                "trained with 10^26",
            ),
            (
                crate::text::Format::Text,
                "not a > ban.",
                "trained with > 10^26",
            ),
        ] {
            let doc = Document::new("t", format, text.to_string());
            let snippet_at = |word: &str| {
                let start = text.find(word).unwrap();
                let folded_start = doc.folded().as_str().find(&word.to_lowercase()).unwrap();
                let hit = Hit {
                    rule: 0,
                    start,
                    end: start + word.len(),
                    folded_start,
                    folded_end: folded_start + word.len(),
                };
                locate(&doc, &hit).snippet
            };
            let quoted = snippet_at("proportionate");
            assert!(quoted.ends_with(want_ban), "{format:?}: {quoted}");
            let opens_quoted = format == crate::text::Format::Text;
            assert_eq!(quoted.starts_with('>'), opens_quoted, "{quoted}");
            assert!(
                snippet_at("operations").contains(want_threshold),
                "{format:?}"
            );
        }
    }

    #[test]
    fn one_line_collapses_whitespace_and_drops_padding() {
        let pad = crate::text::html::PAD;
        for text in [
            "",
            "plain words here",
            " leading",
            "trailing ",
            "double  space",
            "tab\there",
            "line\nbreak",
            "vt\x0bff\x0ccr\r",
            "nbsp\u{a0}x",
            &format!("ref{pad}{pad} pad"),
            &format!("between {pad} spaces"),
            &format!("{pad} at the ends {pad}"),
            "x",
            "  wrapped\nin the\r\n middle  ",
            "émigré\u{3000} naïve",
        ] {
            let want = text
                .replace(pad, "")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(one_line(text), want, "{text:?}");
        }
    }
}
