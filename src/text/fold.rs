//! Folding: the normalized copy of a text that keywords are matched against.
//!
//! Aho-Corasick folds ASCII case only, and a keyword such as "open source"
//! must also match "Open-Source", "OPEN\n  SOURCE" and "öffentlich" must match
//! "ÖFFENTLICH". Rather than multiplying keyword variants, we fold the text
//! once into a canonical form and keep an offset map back to the source:
//!
//! - letters are lowercased with Unicode rules (`char::to_lowercase`), and
//!   the Greek final sigma is folded to `σ` and the long s `ſ` to `s`;
//! - every run of whitespace and hyphens/dashes becomes one ASCII space;
//! - curly quotes and apostrophes become their ASCII forms;
//! - soft hyphens and zero-width characters are dropped.
//!
//! Keywords are folded by the same function, so matching stays symmetric.
//!
//! ```
//! use policyscan::text::FoldedText;
//!
//! let folded = FoldedText::new("Open-\n  SOURCE models");
//! assert_eq!(folded.as_str(), "open source models");
//! // "source" starts at byte 5 of the folded text and at byte 8 of the source.
//! assert_eq!(folded.to_source(5), 8);
//! ```

use super::hint::Hint;

/// A folded copy of a source text plus the map back to source byte offsets.
#[derive(Debug, Clone)]
pub struct FoldedText {
    text: String,
    /// `(folded offset, source offset)` at every point where the distance
    /// between the two changes. Sorted by both coordinates.
    checkpoints: Vec<(usize, usize)>,
    /// Folded offsets where a paragraph break (a blank line, a line
    /// break before a Markdown heading, or one the format gives:
    /// [`Paragraphs`]) was collapsed into a space.
    paragraph_breaks: Vec<usize>,
    /// Where the last lookup in each direction ended: hits are mapped in
    /// nearly increasing order.
    to_source_hint: Hint,
    to_folded_hint: Hint,
}

/// What one source character becomes in the folded text.
enum Folded {
    /// Dropped entirely (soft hyphen, zero-width characters).
    Nothing,
    /// Part of a separator run (whitespace, hyphens, dashes).
    Separator,
    /// One replacement character.
    Char(char),
    /// The lowercase form, which may be several characters.
    Lower(std::char::ToLowercase),
}

/// Where paragraphs break besides blank lines (and a line break before a
/// Markdown heading), which break them in every text.
#[derive(Debug, Clone, Copy, Default)]
pub enum Paragraphs<'a> {
    /// Nowhere else: a single line break is a wrapped line (plain text,
    /// Markdown prose, a PDF's layout lines).
    #[default]
    BlankLines,
    /// At every line break, unless the next line goes on in lowercase:
    /// each line is a paragraph (what the Word, OpenDocument and RTF
    /// readers write), but a file that kept the lines of a wrapped text
    /// as paragraphs (`…be held liable` / `when they publish…`) still
    /// reads as sentences.
    EveryLine,
    /// Also at these source byte offsets (sorted), where the format's
    /// markup starts or ends a block: an HTML `<p>` or `<li>` tag, a
    /// Markdown list item. One counts when it falls in white space or
    /// right after it (a list item's marker), unless the text goes on in
    /// lowercase (a list continuing its lead-in: "The bill would:" /
    /// "require…").
    At(&'a [usize]),
    /// Only at these source byte offsets (sorted), whatever follows, and
    /// not at blank lines: captions, where a blank line ends a cue, not a
    /// thought, and the offsets are where the speaker changes or pauses.
    Only(&'a [usize]),
}

impl FoldedText {
    /// Folds `source` case-insensitively (the form keywords are matched in).
    pub fn new(source: &str) -> FoldedText {
        fold(source, true, Paragraphs::BlankLines)
    }

    /// [`FoldedText::new`], with paragraphs breaking where `paragraphs`
    /// says too.
    pub fn with_paragraphs(source: &str, paragraphs: Paragraphs<'_>) -> FoldedText {
        fold(source, true, paragraphs)
    }

    /// Folds separators and punctuation like [`FoldedText::new`] but keeps
    /// letter case, for checking case-sensitive keywords.
    pub fn preserving_case(source: &str) -> FoldedText {
        fold(source, false, Paragraphs::BlankLines)
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Consumes the folded text, returning the string.
    pub fn into_string(self) -> String {
        self.text
    }

    /// Folded offsets of paragraph breaks, in increasing order.
    pub fn paragraph_breaks(&self) -> &[usize] {
        &self.paragraph_breaks
    }

    /// Maps a folded byte offset to the source byte offset it came from.
    ///
    /// Offsets inside a character that folded into several characters map
    /// to that source character's start; callers that need a char boundary
    /// get one (see [`FoldedText::to_source_span`]).
    pub fn to_source(&self, folded: usize) -> usize {
        let i = self
            .to_source_hint
            .partition_point(&self.checkpoints, |&(f, _)| f <= folded);
        match i {
            0 => folded,
            _ => {
                let (f, s) = self.checkpoints[i - 1];
                s + (folded - f)
            }
        }
    }

    /// Maps a folded span to the source span that produced it, snapped to
    /// character boundaries of `source`.
    ///
    /// Every folded character comes from exactly one source character, so
    /// the span ends where the source character behind the last folded
    /// character ends (not at the next checkpoint, which may lie past a
    /// collapsed separator run).
    pub fn to_source_span(&self, source: &str, start: usize, end: usize) -> (usize, usize) {
        let s = floor_boundary(source, self.to_source(start));
        if end <= start {
            return (s, s);
        }
        let last = floor_boundary(&self.text, end - 1);
        let last_src = floor_boundary(source, self.to_source(last));
        let len = source[last_src..].chars().next().map_or(0, char::len_utf8);
        (s, (last_src + len).max(s))
    }

    /// Maps a source byte offset to the folded offset of the first folded
    /// character produced at or after it.
    pub fn to_folded(&self, source: usize) -> usize {
        let i = self
            .to_folded_hint
            .partition_point(&self.checkpoints, |&(_, s)| s <= source);
        let folded = match i {
            0 => source,
            _ => {
                let (f, s) = self.checkpoints[i - 1];
                f + (source - s)
            }
        };
        let next = self.checkpoints.get(i).map_or(self.text.len(), |&(f, _)| f);
        folded.min(next).min(self.text.len())
    }
}

fn fold(source: &str, lowercase: bool, paragraphs: Paragraphs<'_>) -> FoldedText {
    let mut out = FoldedBuilder::with_capacity(source.len());
    let (every_line, mut marked) = match paragraphs {
        Paragraphs::BlankLines => (false, &[][..]),
        Paragraphs::EveryLine => (true, &[][..]),
        Paragraphs::At(offsets) | Paragraphs::Only(offsets) => (false, offsets),
    };
    let only = matches!(paragraphs, Paragraphs::Only(_));
    let bytes = source.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        // Fast path: most text is ASCII letters, digits and punctuation,
        // which fold byte for byte.
        let run = plain_run(&bytes[pos..]);
        if run > 0 {
            out.push_ascii(pos, &source[pos..pos + run], lowercase);
            pos += run;
            continue;
        }
        let Some(c) = source[pos..].chars().next() else {
            break;
        };
        let next = pos + c.len_utf8();
        match classify(c, lowercase) {
            Folded::Nothing => out.skip(next),
            Folded::Separator => {
                let mut newlines = usize::from(c == '\n');
                let mut end = next;
                for (offset, n) in source[next..].char_indices() {
                    if !matches!(classify(n, lowercase), Folded::Separator | Folded::Nothing) {
                        break;
                    }
                    let p = next + offset;
                    newlines +=
                        usize::from(n == '\n' || (n == '\r' && !source[p..].starts_with("\r\n")));
                    end = p + n.len_utf8();
                }
                let heading_next = source[end..].starts_with('#');
                let newlines =
                    newlines + usize::from(c == '\r' && !source[pos..].starts_with("\r\n"));
                // Breaks the markup gives before this run are past.
                while marked.first().is_some_and(|&b| b < pos) {
                    marked = &marked[1..];
                }
                // A line or block that goes on in lowercase continues the
                // sentence before it.
                let goes_on = || source[end..].starts_with(char::is_lowercase);
                let at_mark = marked.first().is_some_and(|&b| b <= end);
                // A list's lead-in ("This act does not apply to:") goes on
                // into its first item, as one sentence, even over a blank
                // line.
                let lead_in =
                    !heading_next && source[..pos].ends_with(':') && starts_item(&source[end..]);
                let para = if only {
                    at_mark
                } else if lead_in {
                    false
                } else {
                    newlines >= 2
                        || (newlines == 1 && heading_next)
                        || (newlines == 1 && every_line && !goes_on())
                        || (at_mark && !goes_on())
                };
                out.separator(pos, end, para);
                pos = end;
                continue;
            }
            Folded::Char(r) => out.push(pos, c.len_utf8(), std::iter::once(r)),
            Folded::Lower(lower) => out.push(pos, c.len_utf8(), lower),
        }
        pos = next;
    }
    out.finish()
}

/// Whether `text` starts like an item of a statute's enumeration: `(a)`,
/// `(1)`, `(iv)`. (Markdown's `-` and `1.` lists, and text going on in
/// lowercase, are left as they were: a policy's "must not:" over a list
/// of everyday prohibitions is no clause of one sentence.)
fn starts_item(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('(') else {
        return false;
    };
    let label = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    (1..=4).contains(&label) && rest[label..].starts_with(')')
}

/// The length of the run of bytes at the start of `bytes` that fold to
/// themselves (or their lowercase): plain ASCII, and single spaces
/// between plain ASCII (a lone space is a separator run that folds to one
/// space).
///
/// Eight bytes at a time while they qualify (most of a line of prose:
/// byte by byte, the branch on every space was most of folding's time),
/// then byte by byte to the run's exact end.
fn plain_run(bytes: &[u8]) -> usize {
    if !bytes.first().is_some_and(|&b| PLAIN[usize::from(b)]) {
        return 0;
    }
    let mut run = 1;
    // Invariant: the byte before `run` is plain. A chunk qualifies when it
    // holds no separator but spaces, no two spaces side by side, and a
    // space at its end is followed by a plain byte: then each of its spaces
    // is lone, and its last byte or the byte after it is plain.
    while let Some(chunk) = bytes
        .get(run..run + 8)
        .and_then(|c| <[u8; 8]>::try_from(c).ok())
    {
        let (spaces, others) = separators(u64::from_le_bytes(chunk));
        let ends_in_space = spaces >> 56 != 0;
        if others != 0
            || spaces & (spaces >> 8) != 0
            || ends_in_space && !bytes.get(run + 8).is_some_and(|&b| PLAIN[usize::from(b)])
        {
            break;
        }
        run += if ends_in_space { 9 } else { 8 };
    }
    while let Some(&b) = bytes.get(run) {
        if PLAIN[usize::from(b)] {
            run += 1;
        } else if b == b' ' && bytes.get(run + 1).is_some_and(|&n| PLAIN[usize::from(n)]) {
            // A lone space between plain bytes: both are plain.
            run += 2;
        } else {
            break;
        }
    }
    run
}

/// The bytes of `x` (eight bytes, little-endian) that are spaces, and
/// those that are any other byte [`is_plain_ascii`] rejects (non-ASCII,
/// `\t` to `\r`, `-`): the high bit of each such byte, computed without
/// carries between bytes.
fn separators(x: u64) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = !HIGH;
    // The high bit of every zero byte of `v`, exactly.
    let zero = |v: u64| !(((v & LOW7) + LOW7) | v | LOW7);
    let ascii = x & LOW7;
    // 0x80 - n added to a 7-bit byte sets its high bit iff it is ≥ n.
    let at_least = |n: u8| (ascii + ONES * u64::from(0x80 - n)) & HIGH;
    let controls = at_least(b'\t') & !at_least(b'\r' + 1);
    let others = (x & HIGH) | controls | zero(x ^ (ONES * u64::from(b'-')));
    (zero(x ^ (ONES * u64::from(b' '))), others)
}

/// [`is_plain_ascii`] of every byte, looked up rather than compared: the
/// fast path runs it on every byte of every document.
static PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_plain_ascii(b as u8);
        b += 1;
    }
    table
};

/// An ASCII byte that folds to itself (or its lowercase): anything but
/// whitespace and the hyphen, which are separators.
const fn is_plain_ascii(b: u8) -> bool {
    b.is_ascii() && !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0B' | b'\x0C' | b'-')
}

/// Whether `c` is part of a separator run, which folds to one space.
pub(crate) fn is_separator(c: char) -> bool {
    matches!(classify(c, true), Folded::Separator)
}

fn classify(c: char, lowercase: bool) -> Folded {
    match c {
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {
            Folded::Nothing
        }
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' => Folded::Separator,
        c if c.is_whitespace() => Folded::Separator,
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => Folded::Char('\''),
        '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => Folded::Char('"'),
        'ς' if lowercase => Folded::Char('σ'),
        // The long s is a case variant of `s` to the regex engine: fold it
        // like one, so a regex's required literals are found in the folded
        // text (see `rules::required_literals_of`).
        'ſ' if lowercase => Folded::Char('s'),
        c if lowercase && !c.is_lowercase() && c.is_alphabetic() => Folded::Lower(c.to_lowercase()),
        c => Folded::Char(c),
    }
}

/// Accumulates folded text and checkpoints.
struct FoldedBuilder {
    text: String,
    checkpoints: Vec<(usize, usize)>,
    paragraph_breaks: Vec<usize>,
    /// `source offset - folded offset` at the end of what was emitted so far,
    /// as a signed number (folding can grow or shrink the text).
    delta: isize,
}

impl FoldedBuilder {
    fn with_capacity(n: usize) -> FoldedBuilder {
        FoldedBuilder {
            text: String::with_capacity(n),
            checkpoints: Vec::new(),
            paragraph_breaks: Vec::new(),
            delta: 0,
        }
    }

    /// Records that folded offset `text.len()` corresponds to `src`.
    fn sync(&mut self, src: usize) {
        let delta = src as isize - self.text.len() as isize;
        if delta != self.delta {
            self.checkpoints.push((self.text.len(), src));
            self.delta = delta;
        }
    }

    fn push(&mut self, src: usize, src_len: usize, chars: impl Iterator<Item = char>) {
        self.sync(src);
        let before = self.text.len();
        self.text.extend(chars);
        if self.text.len() - before != src_len {
            self.sync(src + src_len);
        }
    }

    /// Pushes a run of plain ASCII (see [`is_plain_ascii`]), which keeps
    /// its length.
    fn push_ascii(&mut self, src: usize, run: &str, lowercase: bool) {
        self.sync(src);
        let start = self.text.len();
        self.text.push_str(run);
        if lowercase {
            self.text[start..].make_ascii_lowercase();
        }
    }

    fn skip(&mut self, src_end: usize) {
        self.sync(src_end);
    }

    fn separator(&mut self, src: usize, src_end: usize, paragraph: bool) {
        if paragraph {
            self.paragraph_breaks.push(self.text.len());
        }
        self.sync(src);
        self.text.push(' ');
        self.sync(src_end);
    }

    fn finish(self) -> FoldedText {
        FoldedText {
            text: self.text,
            checkpoints: self.checkpoints,
            to_source_hint: Hint::default(),
            to_folded_hint: Hint::default(),
            paragraph_breaks: self.paragraph_breaks,
        }
    }
}

/// The largest char boundary of `s` at or before `i`.
pub(crate) fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary of `s` at or after `i`.
pub(crate) fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `plain_run` one byte at a time, as it was before it read chunks.
    fn plain_run_bytewise(bytes: &[u8]) -> usize {
        let mut run = 0;
        while let Some(&b) = bytes.get(run) {
            if PLAIN[usize::from(b)] {
                run += 1;
            } else if b == b' '
                && run > 0
                && bytes.get(run + 1).is_some_and(|&n| PLAIN[usize::from(n)])
            {
                run += 2;
            } else {
                break;
            }
        }
        run
    }

    proptest! {
        /// Runs read eight bytes at a time end where byte by byte they
        /// end: texts of letters and spaces (long runs, lone and double
        /// spaces at every offset of a chunk) with the odd separator,
        /// control character or non-ASCII byte.
        #[test]
        fn plain_runs_by_chunks_match_byte_by_byte(
            bytes in prop::collection::vec(
                prop_oneof![
                    8 => prop::sample::select(b"abcXYZ09.,'".to_vec()),
                    4 => Just(b' '),
                    1 => prop::sample::select(b"-\t\n\r\x0b\x0c\x00\x1f\x7f\x80\xc3\xff".to_vec()),
                ],
                0..80,
            )
        ) {
            for start in 0..bytes.len() {
                prop_assert_eq!(
                    plain_run(&bytes[start..]),
                    plain_run_bytewise(&bytes[start..]),
                    "from byte {} of {:?}", start, bytes
                );
            }
        }
    }

    /// Each byte value is told apart as [`is_plain_ascii`] tells it, in
    /// every position of a chunk.
    #[test]
    fn separators_classify_every_byte_in_every_position() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut chunk = *b"abcdefgh";
                chunk[at] = b;
                let (spaces, others) = separators(u64::from_le_bytes(chunk));
                let bit = 0x80u64 << (8 * at);
                assert_eq!(
                    spaces,
                    if b == b' ' { bit } else { 0 },
                    "byte {b:#04x} at {at}"
                );
                let other = !is_plain_ascii(b) && b != b' ';
                assert_eq!(others, if other { bit } else { 0 }, "byte {b:#04x} at {at}");
            }
        }
    }

    /// Each row: source, expected folded text.
    #[test]
    fn folds() {
        let rows = [
            ("Open Source", "open source"),
            ("open-source", "open source"),
            ("open\u{2011}source", "open source"),
            ("open \n\t  source", "open source"),
            ("ÖFFENTLICH", "öffentlich"),
            ("ΟΔΟΣ", "οδοσ"),
            ("οδος", "οδοσ"),
            ("developer\u{2019}s", "developer's"),
            ("“quoted”", "\"quoted\""),
            ("soft\u{00AD}ware", "software"),
            ("开源模型", "开源模型"),
            ("İstanbul", "i\u{307}stanbul"),
            ("Ri\u{17F}k \u{212A}IND", "risk kind"),
            ("MiXeD-\r\n\r\nCase\x0bx", "mixed case x"),
        ];
        for (source, expected) in rows {
            assert_eq!(
                FoldedText::new(source).as_str(),
                expected,
                "source {source:?}"
            );
        }
    }

    #[test]
    fn preserving_case_keeps_letters() {
        assert_eq!(
            FoldedText::preserving_case("AI  Act-Text").as_str(),
            "AI Act Text"
        );
    }

    /// Every folded span of a word maps back to exactly that word.
    #[test]
    fn spans_map_back_to_source() {
        let rows = [
            (
                "ÖFFENTLICH  und Open-\r\nSource",
                "open source",
                "Open-\r\nSource",
            ),
            ("İstanbul and ANKARA", "ankara", "ANKARA"),
            ("the ΟΔΟΣ road", "οδοσ", "ΟΔΟΣ"),
            ("a\u{00AD}b soft hyphen", "ab", "a\u{00AD}b"),
            ("开源 模型", "模型", "模型"),
            ("x — y", "y", "y"),
        ];
        for (source, needle, expected) in rows {
            let folded = FoldedText::new(source);
            let start = folded.as_str().find(needle).expect(needle);
            let (s, e) = folded.to_source_span(source, start, start + needle.len());
            assert_eq!(&source[s..e], expected, "source {source:?}");
        }
    }

    #[test]
    fn source_offsets_map_to_folded() {
        let source = "A  b\n\nC";
        let folded = FoldedText::new(source);
        assert_eq!(folded.as_str(), "a b c");
        assert_eq!(folded.to_folded(0), 0);
        assert_eq!(folded.to_folded(3), 2);
        assert_eq!(folded.to_folded(6), 4);
    }

    /// Lines of a Word-like file are paragraphs unless the text goes on
    /// in lowercase; offsets the markup gives break where they fall in
    /// white space.
    #[test]
    fn paragraph_breaks_the_format_gives() {
        let source = "Heading\nBody goes\non here.\n(a) item";
        let lines = FoldedText::with_paragraphs(source, Paragraphs::EveryLine);
        assert_eq!(lines.as_str(), "heading body goes on here. (a) item");
        assert_eq!(lines.paragraph_breaks(), &[7, 26]);
        assert!(FoldedText::new(source).paragraph_breaks().is_empty());
        let html = "  Title     Text      More  goes on";
        let marked = FoldedText::with_paragraphs(html, Paragraphs::At(&[0, 7, 12, 14, 20, 27]));
        assert_eq!(marked.as_str(), " title text more goes on");
        // 0 falls in the leading spaces, 7 in those after "Title", 12
        // right after them, 20 in those after "Text"; 14 falls in a word
        // and breaks nothing; after 27 the text goes on in lowercase.
        assert_eq!(marked.paragraph_breaks(), &[0, 6, 11]);
    }

    #[test]
    fn paragraph_breaks_are_recorded() {
        let folded = FoldedText::new("one\ntwo\n\nthree\n# Four");
        assert_eq!(folded.as_str(), "one two three # four");
        assert_eq!(folded.paragraph_breaks(), &[7, 13]);
    }

    /// A lead-in ending with a colon goes on into the first item of a
    /// statute's enumeration; the items after break as before, and so do
    /// other lists and paragraphs after a colon.
    #[test]
    fn a_list_lead_in_goes_on_into_its_first_item() {
        let folded = FoldedText::new("does not apply to:\n\n(a) research;\n\n(b) others.");
        assert_eq!(folded.paragraph_breaks(), &[32]);
        assert!(
            FoldedText::new("Exempt:\n\n(iv) labs")
                .paragraph_breaks()
                .is_empty()
        );
        for text in [
            "Summary:\n\nThe bill does two things.",
            "Summary:\n\n# Heading",
            "Summary:\n\n- a list item",
            "Summary:\n\n1. first",
            "Note:\n\n(see below) more",
        ] {
            assert_eq!(
                FoldedText::new(text).paragraph_breaks().len(),
                1,
                "{text:?}"
            );
        }
    }

    #[test]
    fn lone_carriage_returns_count_as_line_breaks() {
        let folded = FoldedText::new("one\r\rtwo");
        assert_eq!(folded.paragraph_breaks(), &[3]);
        let folded = FoldedText::new("one\r\ntwo");
        assert!(folded.paragraph_breaks().is_empty());
    }
}
