//! Sentence splitting on folded text.
//!
//! Stance cues are weighed in the context of their sentence (negation,
//! contrast, attribution) and evidence snippets show the sentence, so we
//! need sentence spans. This is a deliberately simple splitter: a sentence
//! ends at `.`, `!` or `?` followed by a space (after any closing quote or
//! bracket), or at a paragraph break. Common abbreviations ("U.S.", "e.g.",
//! "Sec.", "Art.", "No.") and initials do not end a sentence.

use std::ops::Range;

/// Abbreviations (folded, without the final period) that do not end a
/// sentence. A `match` (by length, then bytes) rather than a list scan:
/// every period in every document asks.
#[rustfmt::skip]
fn is_known_abbreviation(word: &str) -> bool {
    matches!(
        word,
        "u.s" | "u.k" | "e.u" | "e.g" | "i.e" | "etc" | "vs" | "sec" | "secs" | "art" | "arts"
            | "no" | "nos" | "para" | "paras" | "dr" | "mr" | "mrs" | "ms" | "prof" | "inc"
            | "ltd" | "co" | "corp" | "cf" | "al" | "fig" | "p" | "pp" | "ch" | "jan" | "feb"
            | "mar" | "apr" | "jun" | "jul" | "aug" | "sept" | "oct" | "nov" | "dec" | "st"
            | "gen" | "gov" | "sen" | "rep" | "approx" | "est" | "ibid" | "op"
            // Bills and the law they cite: "H.R. 4471", "S.Res. 12",
            // "42 U.S.C. 1983", "40 C.F.R. 1500", "88 Fed. Reg. 75191",
            // "Pub. L. 117-167", "136 Stat. 1366", "Cong. Rec.".
            | "h.r" | "h.res" | "s.res" | "u.s.c" | "c.f.r" | "fed" | "reg" | "pub" | "stat"
            | "cong"
    )
}

/// Splits folded `text` into sentence byte ranges (trimmed of spaces).
/// `breaks` are folded offsets of paragraph breaks, in increasing order.
pub(super) fn split(text: &str, breaks: &[usize]) -> Vec<Range<usize>> {
    // Room for sentences of 64 bytes on average (see `LineIndex::new`).
    let mut out = Vec::with_capacity(text.len() / 64 + 1);
    let mut start = 0;
    let mut breaks = breaks.iter().copied().peekable();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Jump to the next terminal punctuation or paragraph break.
        let limit = breaks.peek().map_or(bytes.len(), |&b| b.min(bytes.len()));
        if i < limit {
            i = memchr::memchr3(b'.', b'!', b'?', &bytes[i..limit]).map_or(limit, |n| i + n);
            if i == bytes.len() {
                break;
            }
        }
        if breaks.peek() == Some(&i) {
            breaks.next();
            push_trimmed(&mut out, text, start, i);
            start = i;
        } else if matches!(bytes[i], b'.' | b'!' | b'?') {
            let mut end = i + 1;
            while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')' | b']') {
                end += 1;
            }
            let at_space = end == bytes.len() || bytes[end] == b' ';
            if at_space && !(bytes[i] == b'.' && is_abbreviation(&text[start..i])) {
                push_trimmed(&mut out, text, start, end);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    push_trimmed(&mut out, text, start, text.len());
    out
}

/// True when the word just before a period is an abbreviation or an
/// initial, so the period does not end the sentence.
fn is_abbreviation(before: &str) -> bool {
    let word = before.rsplit(' ').next().unwrap_or("");
    let word = word.trim_start_matches(['(', '"', '\'']);
    if word.len() > "approx".len() {
        return false; // longer than any abbreviation, and not one letter
    }
    let mut chars = word.chars();
    let single_letter = chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none();
    single_letter || is_known_abbreviation(word)
}

fn push_trimmed(out: &mut Vec<Range<usize>>, text: &str, start: usize, end: usize) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if start + lead < end - trail {
        out.push(start + lead..end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str, breaks: &[usize]) -> Vec<String> {
        split(text, breaks)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn splits_on_terminal_punctuation() {
        assert_eq!(
            sentences("one two. three? four! five", &[]),
            ["one two.", "three?", "four!", "five"]
        );
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        assert_eq!(
            sentences("the u.s. and e.g. sec. 4 apply. j. smith agreed.", &[]),
            ["the u.s. and e.g. sec. 4 apply.", "j. smith agreed."]
        );
        // The longest abbreviation, a non-ASCII initial, and words just
        // longer than any abbreviation.
        assert_eq!(
            sentences(
                "approx. 5 cases. é. durand signed. (ibid. 4) mention. secs. 2",
                &[]
            ),
            [
                "approx. 5 cases.",
                "é. durand signed.",
                "(ibid. 4) mention.",
                "secs. 2"
            ]
        );
        assert_eq!(sentences("approxs. next", &[]), ["approxs.", "next"]);
        // Bills and statutes, as legislative text cites them.
        assert_eq!(
            sentences(
                "we oppose h.r. 4471 as reported. see 42 u.s.c. 1983 and 88 fed. reg. 75191. done",
                &[]
            ),
            [
                "we oppose h.r. 4471 as reported.",
                "see 42 u.s.c. 1983 and 88 fed. reg. 75191.",
                "done"
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences("he said \"stop.\" then left.", &[]),
            ["he said \"stop.\"", "then left."]
        );
    }

    #[test]
    fn paragraph_breaks_end_sentences() {
        assert_eq!(
            sentences("# heading body text", &[9]),
            ["# heading", "body text"]
        );
    }

    #[test]
    fn decimals_do_not_split() {
        assert_eq!(sentences("about 1.5 million.", &[]), ["about 1.5 million."]);
    }
}
