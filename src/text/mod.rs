//! Text: turning an input's bytes into a [`Document`] the scanner can match.
//!
//! A document keeps three views of the same text:
//!
//! - the **source** text, exactly as decoded, which regexes run on and
//!   which evidence (line, column, snippet) always points into;
//! - the **folded** text ([`FoldedText`]), lowercased with whitespace and
//!   hyphen runs collapsed, which the keyword automaton runs on;
//! - a **line index** ([`LineIndex`]) for 1-based line and column numbers.
//!
//! This module knows nothing about rules or stances.

pub mod captions;
mod decode;
pub mod doc;
pub mod docx;
pub mod eml;
mod fold;
mod hint;
pub mod html;
pub(crate) mod language;
mod lines;
mod links;
pub mod mail;
pub mod markdown;
pub mod msg;
pub mod odt;
pub mod pdf;
pub mod pptx;
pub mod rtf;
mod sections;
mod sentences;
mod transcript;
pub mod xml;

pub(crate) use decode::BINARY_SNIFF_LEN;
pub use decode::{Decoded, decode, decode_owned};
pub use fold::{FoldedText, Paragraphs};
pub(crate) use fold::{ceil_boundary, floor_boundary, is_separator};
pub use lines::LineIndex;

use std::ops::Range;

/// Replaces `text[range]` with spaces, one per character, keeping line
/// breaks, so a directive, annotation or code block is not scanned while
/// every line and character column of the rest of the text stays the
/// same. Byte offsets after the range move back by [`shrink`] bytes: to
/// blank several ranges, use [`blank_all`].
pub fn blank(text: &mut String, range: Range<usize>) {
    let spaces: String = padded(&text[range.clone()], ' ').collect();
    text.replace_range(range, &spaces);
}

/// `source` with every character but line breaks replaced by `pad`: what
/// stands in for text that is not scanned, keeping lines and columns.
pub(crate) fn padded(source: &str, pad: char) -> impl Iterator<Item = char> + '_ {
    source
        .chars()
        .map(move |c| if c == '\r' || c == '\n' { c } else { pad })
}

/// Sorts ranges and merges the ones that overlap or touch.
pub(crate) fn merge_ranges(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_unstable_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// `quotes` (sorted, disjoint) less each of `own` (a thread poster's
/// turns, sorted, disjoint) whose label is inside one: a reply the format
/// nests as a block quotation is still its poster's. A quotation that
/// starts inside a turn (the poster quoting someone) stays.
fn without_own_turns(quotes: Vec<Range<usize>>, own: &[Range<usize>]) -> Vec<Range<usize>> {
    if own.is_empty() {
        return quotes;
    }
    let mut out = Vec::with_capacity(quotes.len());
    for q in quotes {
        let mut from = q.start;
        for o in own.iter().filter(|o| q.start <= o.start && o.start < q.end) {
            if from < o.start {
                out.push(from..o.start);
            }
            from = from.max(o.end);
        }
        if from < q.end {
            out.push(from..q.end);
        }
    }
    out
}

/// How many bytes [`blank`] takes out of `text[range]`: each character
/// becomes one byte.
pub fn shrink(text: &str, range: Range<usize>) -> usize {
    let part = &text[range];
    part.len() - part.chars().count()
}

/// [`blank`]s every range, ranges given as byte offsets into the text as
/// it is now. A range that overlaps one after it, runs past the end or
/// splits a character is left alone.
///
/// One pass over the text, in place: blanking shrinks multibyte
/// characters, and [`blank`]ing range by range moved the rest of the text
/// each time, which made a long Markdown file with many code blocks
/// holding non-ASCII characters quadratic (9.4 MB with 80,000 blocks:
/// 12 s).
pub fn blank_all(text: &mut String, ranges: &[Range<usize>]) {
    let mut ranges = ranges.to_vec();
    ranges.sort_unstable_by_key(|r| (r.start, r.end));
    let mut limit = text.len();
    let mut kept = Vec::with_capacity(ranges.len());
    for range in ranges.into_iter().rev() {
        let fits = range.start <= range.end
            && range.end <= limit
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end);
        if fits {
            limit = range.start;
            kept.push(range);
        }
    }
    if kept.is_empty() {
        return;
    }
    // Each character of a range becomes one byte (a space, or the line
    // break it was), so the write position never passes the read one.
    let mut bytes = std::mem::take(text).into_bytes();
    let (mut read, mut write) = (0, 0);
    for range in kept.into_iter().rev() {
        bytes.copy_within(read..range.start, write);
        write += range.start - read;
        for at in range.clone() {
            let b = bytes[at];
            // Continuation bytes belong to the character already written.
            if b & 0xC0 != 0x80 {
                bytes[write] = if b == b'\r' || b == b'\n' { b } else { b' ' };
                write += 1;
            }
        }
        read = range.end;
    }
    bytes.copy_within(read.., write);
    bytes.truncate(write + bytes.len() - read);
    *text = String::from_utf8(bytes).expect("whole characters were replaced by ASCII");
}

/// 1-based line numbers of increasing byte offsets in one text, counting
/// `\n`s on from the last offset asked about, so that numbering many
/// matches (directives, annotations) stays linear in the text.
#[derive(Debug)]
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    line: usize,
    counted: usize,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            line: 1,
            counted: 0,
        }
    }

    /// The line of byte `offset`; offsets must not decrease.
    pub(crate) fn line_of(&mut self, offset: usize) -> usize {
        let offset = offset.clamp(self.counted, self.text.len());
        self.line += memchr::memchr_iter(b'\n', &self.text[self.counted..offset]).count();
        self.counted = offset;
        self.line
    }
}

/// The input formats policyscan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text (`.txt`, `.text`, standard input, unknown extensions).
    Text,
    /// Markdown (`.md`, `.markdown`): headings become sections; code
    /// blocks and front matter are not scanned unless asked for.
    Markdown,
    /// HTML (`.html`, `.htm`, `.xhtml`): markup, scripts, styles,
    /// navigation and footers are not scanned; headings become sections.
    Html,
    /// PDF (`.pdf`): the text of each page; evidence gives the page.
    Pdf,
    /// Word (`.docx`): paragraphs, one per line; heading styles become
    /// sections.
    Docx,
    /// OpenDocument text (`.odt`): paragraphs, one per line; headings
    /// become sections.
    Odt,
    /// Word 97–2003 (`.doc`): paragraphs, one per line; heading styles
    /// become sections.
    Doc,
    /// Rich Text Format (`.rtf`): paragraphs, one per line; heading styles
    /// become sections.
    Rtf,
    /// XML (`.xml`) in a document vocabulary (a bill, a statute, a feed):
    /// the text of its elements in place; headings become sections. Other
    /// XML is skipped.
    Xml,
    /// PowerPoint (`.pptx`): each slide a page, each paragraph a line;
    /// slide titles become sections.
    Pptx,
    /// SubRip captions (`.srt`): the cues' text, in place; cue numbers,
    /// timings and markup are not read.
    Srt,
    /// WebVTT captions (`.vtt`): the cues' text, in place; the header,
    /// notes, styles, timings and markup are not read, and voices
    /// (`<v Name>`) are speakers.
    Vtt,
    /// Email (`.eml`): the subject and the message's text (plain or HTML,
    /// decoded), attachments in the formats above; header fields, MIME
    /// boundaries and parts that are not text are not read, and forwarded
    /// messages are quotations.
    Eml,
    /// Outlook message (`.msg`): the subject, the body (plain, else HTML)
    /// and attachments in the formats above; attached messages are
    /// quotations.
    Msg,
}

impl Format {
    /// Picks the format from a file extension; `None` for extensions that
    /// directory walks do not pick up.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" | "mdown" | "mkd" => Some(Format::Markdown),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "pptx" => Some(Format::Pptx),
            "odt" => Some(Format::Odt),
            "doc" => Some(Format::Doc),
            "rtf" => Some(Format::Rtf),
            "xml" => Some(Format::Xml),
            "srt" => Some(Format::Srt),
            "vtt" => Some(Format::Vtt),
            "eml" => Some(Format::Eml),
            "msg" => Some(Format::Msg),
            _ => None,
        }
    }

    /// The format a file's name implies, by its extension
    /// ([`Format::from_extension`]).
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::from_extension)
    }

    /// The format `bytes` show by their content, if they show one: a PDF
    /// header, a Word or OpenDocument package, an OLE compound file (a
    /// `.doc`) or an Outlook message, a PowerPoint package, an RTF header, an email message's
    /// header fields, an HTML doctype or `<html>` tag, a WebVTT header or a
    /// SubRip cue.
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if pdf::sniff(bytes) {
            Some(Format::Pdf)
        } else if docx::sniff(bytes) {
            Some(Format::Docx)
        } else if pptx::sniff(bytes) {
            Some(Format::Pptx)
        } else if odt::sniff(bytes) {
            Some(Format::Odt)
        } else if msg::sniff(bytes) {
            Some(Format::Msg)
        } else if doc::sniff(bytes) {
            Some(Format::Doc)
        } else if rtf::sniff(bytes) {
            Some(Format::Rtf)
        } else if eml::sniff(bytes) {
            Some(Format::Eml)
        } else if html::sniff(bytes) {
            Some(Format::Html)
        } else {
            captions::sniff(bytes).map(|kind| match kind {
                captions::Kind::SubRip => Format::Srt,
                captions::Kind::WebVtt => Format::Vtt,
            })
        }
    }

    /// Whether the format's text is extracted from a container (PDF,
    /// Word, OpenDocument, RTF, PowerPoint) rather than decoded from text.
    pub fn is_container(self) -> bool {
        matches!(
            self,
            Format::Pdf
                | Format::Docx
                | Format::Odt
                | Format::Doc
                | Format::Rtf
                | Format::Pptx
                | Format::Msg
        )
    }

    /// Whether the format is captions (SubRip, WebVTT): timed cues whose
    /// blank lines do not break paragraphs.
    pub fn is_captions(self) -> bool {
        matches!(self, Format::Srt | Format::Vtt)
    }

    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Pptx => "pptx",
            Format::Odt => "odt",
            Format::Doc => "doc",
            Format::Rtf => "rtf",
            Format::Xml => "xml",
            Format::Srt => "srt",
            Format::Vtt => "vtt",
            Format::Eml => "eml",
            Format::Msg => "msg",
        }
    }
}

/// A heading found by a format's own markup (HTML `<h1>`–`<h6>`, a DOCX
/// heading style), rather than by reading lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Byte offset in the extracted text where the section starts.
    pub offset: usize,
    /// 1 (top) to 6.
    pub level: usize,
    /// The heading's text.
    pub label: String,
}

/// Text taken out of a container format (PDF, DOCX): the text, its
/// headings, and where each page starts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// The text, one paragraph or layout line per line.
    pub text: String,
    /// Headings, sorted by offset.
    pub headings: Vec<Heading>,
    /// Byte offset in `text` where each page starts (empty when the format
    /// has no pages).
    pub pages: Vec<usize>,
    /// What the document's report should warn about (pages that could not
    /// be read).
    pub warnings: Vec<String>,
    /// Byte ranges of `text` that the format marks as quoted from someone
    /// else (an HTML `<blockquote>`, a Word "Quote" paragraph), sorted
    /// and disjoint.
    pub quotes: Vec<Range<usize>>,
    /// Byte offsets of `text` where the markup starts or ends a block (an
    /// HTML `<p>`, `<li>` or `<h2>` tag), sorted: paragraph breaks
    /// ([`Paragraphs::At`]) where the text has no blank line.
    pub paragraphs: Vec<usize>,
}

/// A decoded document, ready to scan.
#[derive(Debug, Clone)]
pub struct Document {
    path: String,
    format: Format,
    bytes: u64,
    source: String,
    folded: FoldedText,
    lines: LineIndex,
    sentences: Vec<Range<usize>>,
    sections: sections::Sections,
    pages: Vec<usize>,
    warnings: Vec<String>,
    words: usize,
    /// Web addresses and Markdown link destinations: not prose.
    links: Vec<Range<usize>>,
    /// Block quotations the format marks, and speakers' turns in a
    /// transcript (source byte ranges, sorted and disjoint): someone
    /// else's words.
    quotes: Vec<Range<usize>>,
    /// The document is a transcript or an interview: a record of other
    /// people's words (`text::transcript`).
    transcript: bool,
    /// The turns of a thread's poster, labels included (source byte
    /// ranges, sorted and disjoint): the author's words, taken out of any
    /// block quotation that holds their label.
    own_turns: Vec<Range<usize>>,
    /// One byte of flags per sentence, for whoever needs to remember
    /// something about sentences it has looked at (classification: how
    /// each sentence opens). Made on first use, all zero.
    sentence_flags: SentenceFlags,
    /// The last sentence looked up: hits are looked up in nearly
    /// increasing order.
    sentence_hint: hint::Hint,
}

/// See [`Document::sentence_flags`]: a cache, so a clone starts empty.
#[derive(Debug, Default)]
struct SentenceFlags(std::sync::OnceLock<Box<[std::sync::atomic::AtomicU8]>>);

impl Clone for SentenceFlags {
    fn clone(&self) -> SentenceFlags {
        SentenceFlags::default()
    }
}

impl Document {
    /// Builds a document from already decoded text. Paragraphs break at
    /// blank lines, and in the text of a Word, OpenDocument or RTF file
    /// at every line (each is a paragraph). A transcript's or an
    /// interview's speakers are found here, and what they say counts as
    /// quotation ([`Document::is_transcript`]).
    pub fn new(path: impl Into<String>, format: Format, source: String) -> Document {
        Document::with_paragraphs(path, format, source, &[])
    }

    /// [`Document::new`], with paragraphs also breaking at `breaks`:
    /// source byte offsets (sorted) where the format's markup starts or
    /// ends a block ([`Extracted::paragraphs`]).
    pub fn with_paragraphs(
        path: impl Into<String>,
        format: Format,
        source: String,
        breaks: &[usize],
    ) -> Document {
        let bytes = source.len() as u64;
        let words = source_words(&source);
        // Word, OpenDocument, RTF and PowerPoint text: each line is a
        // paragraph.
        let every_line = format.is_container() && format != Format::Pdf;
        let captions = format.is_captions();
        let paragraphs = if captions {
            Paragraphs::Only(breaks)
        } else if !breaks.is_empty() {
            Paragraphs::At(breaks)
        } else if every_line {
            Paragraphs::EveryLine
        } else {
            Paragraphs::BlankLines
        };
        let folded = FoldedText::with_paragraphs(&source, paragraphs);
        let lines = LineIndex::new(&source);
        let sentences = sentences::split(folded.as_str(), folded.paragraph_breaks());
        // Captions have no headings: a line in capitals is speech.
        let sections = if captions {
            sections::Sections::default()
        } else {
            sections::Sections::detect(&source, &lines)
        };
        let links = links::find(&source, format);
        let turns = transcript::find(&source, breaks, every_line);
        Document {
            path: path.into(),
            format,
            bytes,
            source,
            folded,
            lines,
            sentences,
            sections,
            pages: Vec::new(),
            warnings: Vec::new(),
            words,
            links,
            quotes: turns.spoken,
            transcript: turns.transcript,
            own_turns: turns.own,
            sentence_flags: SentenceFlags::default(),
            sentence_hint: hint::Hint::default(),
        }
    }

    /// Takes sections from `headings` (the format's own markup) wherever
    /// they are, and records where pages start, for evidence.
    pub fn with_structure(mut self, headings: &[Heading], pages: Vec<usize>) -> Document {
        if !headings.is_empty() {
            self.sections = sections::Sections::detect_with(&self.source, &self.lines, headings);
        }
        self.pages = pages;
        self
    }

    /// Records the block quotations the format marks (source byte ranges,
    /// sorted and disjoint; see [`Extracted::quotes`]), beside the turns
    /// of a transcript's speakers, found when the document was built.
    pub fn with_quotes(mut self, mut quotes: Vec<Range<usize>>) -> Document {
        if !self.quotes.is_empty() {
            quotes.extend(std::mem::take(&mut self.quotes));
            quotes = merge_ranges(quotes);
        }
        self.quotes = without_own_turns(quotes, &self.own_turns);
        self
    }

    /// Whether the document is a transcript or an interview: for the most
    /// part what its speakers said, in their words.
    pub fn is_transcript(&self) -> bool {
        self.transcript
    }

    /// Records the size of the raw input (before decoding) and warnings
    /// from decoding it.
    pub fn with_origin(mut self, bytes: u64, warnings: Vec<String>) -> Document {
        self.bytes = bytes;
        self.warnings = warnings;
        self
    }

    /// The path as given or found (`<stdin>` for standard input).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The input format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The size of the raw input in bytes.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The decoded source text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The folded text keywords are matched against.
    pub fn folded(&self) -> &FoldedText {
        &self.folded
    }

    /// The line index of the source text.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// Sentence spans in folded offsets, in order.
    pub fn sentences(&self) -> &[Range<usize>] {
        &self.sentences
    }

    /// A byte of flags per sentence (see the field), zero until set.
    pub(crate) fn sentence_flags(&self) -> &[std::sync::atomic::AtomicU8] {
        self.sentence_flags.0.get_or_init(|| {
            std::iter::repeat_with(Default::default)
                .take(self.sentences.len())
                .collect()
        })
    }

    /// Warnings from decoding.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The number of lines, counted like `wc -l` plus a last line without
    /// a terminator: an empty text has 0, "a\nb\n" and "a\nb" have 2.
    pub fn line_count(&self) -> usize {
        if self.source.is_empty() {
            return 0;
        }
        self.lines.len() - usize::from(self.source.ends_with(['\n', '\r']))
    }

    /// The number of whitespace-separated words.
    pub fn words(&self) -> usize {
        self.words
    }

    /// Whether source bytes `start..end` overlap a web address or a
    /// Markdown link destination, which are not prose.
    pub fn in_link(&self, start: usize, end: usize) -> bool {
        let i = self.links.partition_point(|r| r.end <= start);
        self.links
            .get(i)
            .is_some_and(|r| r.start < end.max(start + 1))
    }

    /// Whether source byte `offset` is in a block quotation the format
    /// marks ([`Document::with_quotes`]).
    pub fn in_block_quote(&self, offset: usize) -> bool {
        let i = self.quotes.partition_point(|r| r.end <= offset);
        self.quotes.get(i).is_some_and(|r| r.start <= offset)
    }

    /// Whether the format marks any block quotation.
    pub(crate) fn has_block_quotes(&self) -> bool {
        !self.quotes.is_empty()
    }

    /// Whether the document has any web address or link destination.
    pub(crate) fn has_links(&self) -> bool {
        !self.links.is_empty()
    }

    /// The index of the sentence containing folded offset `at`.
    pub fn sentence_of(&self, at: usize) -> Option<usize> {
        let i = self
            .sentence_hint
            .partition_point(&self.sentences, |r| r.end <= at);
        (i < self.sentences.len() && self.sentences[i].start <= at).then_some(i)
    }

    /// The heading path ("Article 53 > 1", "Findings > Costs") of the
    /// section containing source byte `offset`, if any.
    pub fn section_at(&self, offset: usize) -> Option<&str> {
        self.sections.at(offset)
    }

    /// The 1-based line where the text of the section containing source
    /// byte `offset` begins: after its heading's line (and a setext
    /// heading's underline). Where a `policyscan-ignore` comment for the
    /// section goes.
    pub fn section_body_line(&self, offset: usize) -> Option<usize> {
        self.sections.body_line(offset)
    }

    /// The 1-based page containing source byte `offset`, for formats with
    /// pages (PDF).
    pub fn page_at(&self, offset: usize) -> Option<usize> {
        match self.pages.partition_point(|&start| start <= offset) {
            0 => None,
            page => Some(page),
        }
    }

    /// 1-based line and column of a source byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(&self.source, offset)
    }
}

/// Words of ASCII text: a word starts at each non-space after a space (or
/// at the start). Eight bytes at a time: the high bit of each byte of a
/// `u64` says whether it is a space (exact for bytes below 0x80).
fn ascii_words(bytes: &[u8]) -> usize {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit set where the byte is ' ', or '\t'..='\r' (9..=13).
    let spaces = |x: u64| {
        let z = x ^ (LOW * u64::from(b' '));
        let blank = !((((z & !HIGH) + !HIGH) | z) & HIGH) & HIGH;
        let at_least_9 = ((x | HIGH) - LOW * 9) & HIGH;
        let below_14 = !((x | HIGH) - LOW * 14) & HIGH;
        blank | (at_least_9 & below_14)
    };
    let mut words = 0;
    // The high bit of the byte before the next chunk, moved to bit 7.
    let mut before = HIGH & 0x80;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let space = spaces(x);
        // Byte i starts a word if it is no space and byte i - 1 is one.
        let previous = (space << 8) | before;
        words += (!space & previous & HIGH).count_ones() as usize;
        before = space >> 56;
    }
    let mut after_space = before != 0;
    for &b in chunks.remainder() {
        let space = b == b' ' || b.wrapping_sub(b'\t') < 5;
        words += usize::from(after_space & !space);
        after_space = space;
    }
    words
}

/// Whitespace-separated words (counted once per document).
fn source_words(source: &str) -> usize {
    if source.is_ascii() {
        return ascii_words(source.as_bytes());
    }
    let bytes = source.as_bytes();
    let (mut words, mut in_word, mut i) = (0, false, 0);
    while i < bytes.len() {
        // ASCII decides by byte; other characters are decoded (Unicode
        // whitespace such as U+00A0 and U+3000 separates words too).
        let (space, len) = if bytes[i].is_ascii() {
            (
                matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0B' | b'\x0C'),
                1,
            )
        } else {
            source[i..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8()))
        };
        if space {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
        }
        i += len;
    }
    words
}

#[cfg(test)]
mod tests {
    /// `blank_all` blanks exactly the characters inside the ranges (line
    /// breaks kept), whatever their order and byte widths, and leaves
    /// ranges that overlap or split a character alone.
    #[test]
    fn blank_all_blanks_each_range_once_in_any_order() {
        let text = "é1 two\nthree 开源 four\r\nfive 🦀 six\n";
        let ranges = [17..28, 0..6, 8..13, 30..36];
        let mut out = text.to_string();
        super::blank_all(&mut out, &ranges);
        let expected: String = text
            .char_indices()
            .map(|(at, c)| {
                let inside = ranges.iter().any(|r| r.contains(&at));
                if inside && c != '\n' && c != '\r' {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        assert_eq!(out, expected);
        // Overlapping (the earlier one is skipped), past the end, and
        // inside a character: no panic, and nothing else changes.
        let mut out = text.to_string();
        super::blank_all(&mut out, &[0..10, 5..12, 40..99, 1..2]);
        let mut expected = text.to_string();
        super::blank(&mut expected, 5..12);
        assert_eq!(out, expected);
    }

    /// A poster's reply nested as a block quotation is the poster's; a
    /// quotation that starts inside the reply (the poster quoting
    /// someone) and one elsewhere stay quotations.
    #[test]
    fn a_posters_nested_reply_is_taken_out_of_the_block_quotation() {
        let quotes = vec![10..20, 30..60, 70..80];
        let own = [30..45, 72..80];
        assert_eq!(
            super::without_own_turns(quotes.clone(), &own),
            vec![10..20, 45..60, 70..72]
        );
        assert_eq!(super::without_own_turns(quotes.clone(), &[]), quotes);
        let thread = "# Ask me anything\n\n*Posted by u/sen in r/policy*\n\n\
            **u/ann:** Ban releases?\n\n> **u/sen:** No, tier them by risk.\n\n\
            **u/bo:** And startups?\n\n> **u/sen:** Exempt.\n\n\
            **u/ann:** Thanks.\n\n> Someone else's words.\n";
        let reply = thread.find("No, tier").unwrap();
        let other = thread.find("Someone else").unwrap();
        let question = thread.find("Ban releases").unwrap();
        let blockquotes = [reply - 17..reply + 20, other - 2..thread.len()];
        let doc = super::Document::new("t.md", super::Format::Markdown, thread.to_string())
            .with_quotes(blockquotes.to_vec());
        assert!(!doc.in_block_quote(reply), "the poster's reply");
        assert!(doc.in_block_quote(other), "a quotation of no one's turn");
        assert!(doc.in_block_quote(question), "another poster's turn");
        assert!(!doc.is_transcript());
    }

    proptest::proptest! {
        /// `blank_all` in one pass is `blank` range by range from the
        /// last back (how it was done before), for any text and ranges.
        #[test]
        fn blank_all_is_blank_from_the_last_range_back(
            text in "[a é开🦀\r\n]{0,40}",
            raw in proptest::collection::vec((0usize..50, 0usize..12), 0..8),
        ) {
            let ranges: Vec<std::ops::Range<usize>> =
                raw.iter().map(|&(start, len)| start..start + len).collect();
            let mut fast = text.clone();
            super::blank_all(&mut fast, &ranges);
            let mut slow = text.clone();
            let mut sorted = ranges.clone();
            sorted.sort_unstable_by_key(|r| (r.start, r.end));
            let mut limit = slow.len();
            for range in sorted.into_iter().rev() {
                if range.end <= limit
                    && slow.is_char_boundary(range.start)
                    && slow.is_char_boundary(range.end)
                {
                    limit = range.start;
                    super::blank(&mut slow, range);
                }
            }
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    /// The byte-wise word count agrees with `split_whitespace`, including
    /// on Unicode spaces, control characters and broken-up input.
    #[test]
    fn word_count_matches_split_whitespace() {
        let texts = [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tand\nnew\r\nlines\x0bvt\x0cff",
            "nbsp\u{a0}ideo\u{3000}graphic\u{2028}sep",
            "ctrl\x1c\x1fstays one word",
            "émigré naïve 开源 模型",
            "\u{FFFD}\u{FFFD} x",
        ];
        for text in texts {
            assert_eq!(
                super::source_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    /// The eight-bytes-at-a-time count of ASCII text, on many random
    /// texts of every length around the chunk size, over an alphabet of
    /// every space, the bytes next to them, and controls that are no space.
    #[test]
    fn ascii_word_count_matches_split_whitespace() {
        let alphabet = b" \t\n\x0b\x0c\r\x08\x0e\x1c\x1f!\x7f\x00az";
        let mut rng = crate::testutil::Rng::new(0x9E37_79B9_7F4A_7C15);
        for len in 0..80 {
            for _ in 0..50 {
                let text: String = (0..len)
                    .map(|_| char::from(alphabet[rng.below(alphabet.len())]))
                    .collect();
                assert_eq!(
                    super::ascii_words(text.as_bytes()),
                    text.split_whitespace().count(),
                    "{text:?}"
                );
            }
        }
    }
}
