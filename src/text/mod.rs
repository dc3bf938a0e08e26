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

mod decode;
mod fold;
mod lines;
pub mod markdown;
mod sections;
mod sentences;

pub use decode::{Decoded, decode, decode_owned};
pub use fold::FoldedText;
pub(crate) use fold::{ceil_boundary, floor_boundary};
pub use lines::LineIndex;

use std::ops::Range;

/// Replaces `text[range]` with spaces, keeping line breaks, so a directive
/// or annotation line is not scanned while every offset, line and column
/// of the rest of the text stays the same.
pub fn blank(text: &mut String, range: Range<usize>) {
    let spaces: String = text[range.clone()]
        .chars()
        .map(|c| if c == '\r' || c == '\n' { c } else { ' ' })
        .collect();
    text.replace_range(range, &spaces);
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
}

impl Format {
    /// Picks the format from a file extension; `None` for extensions that
    /// directory walks do not pick up.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" | "mdown" | "mkd" => Some(Format::Markdown),
            _ => None,
        }
    }

    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
        }
    }
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
    warnings: Vec<String>,
    words: usize,
}

impl Document {
    /// Builds a document from already decoded text.
    pub fn new(path: impl Into<String>, format: Format, source: String) -> Document {
        let bytes = source.len() as u64;
        let words = source_words(&source);
        let folded = FoldedText::new(&source);
        let lines = LineIndex::new(&source);
        let sentences = sentences::split(folded.as_str(), folded.paragraph_breaks());
        let sections = sections::Sections::detect(&source, &lines);
        Document {
            path: path.into(),
            format,
            bytes,
            source,
            folded,
            lines,
            sentences,
            sections,
            warnings: Vec::new(),
            words,
        }
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

    /// The index of the sentence containing folded offset `at`.
    pub fn sentence_of(&self, at: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|r| r.end <= at);
        (i < self.sentences.len() && self.sentences[i].start <= at).then_some(i)
    }

    /// The heading path ("Article 53 > 1", "Findings > Costs") of the
    /// section containing source byte `offset`, if any.
    pub fn section_at(&self, offset: usize) -> Option<&str> {
        self.sections.at(offset)
    }

    /// 1-based line and column of a source byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(&self.source, offset)
    }
}

/// Whitespace-separated words (counted once per document).
fn source_words(source: &str) -> usize {
    source.split_whitespace().count()
}
