//! Line index: turns byte offsets into 1-based line and column numbers.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r` (old Mac files and some PDF
//! extractions), so line numbers stay right whatever the line endings.
//! Columns count characters, not bytes, because that is what editors and
//! SARIF viewers show.
//!
//! ```
//! use policyscan::text::LineIndex;
//!
//! let text = "first\r\nsécond\rthird";
//! let lines = LineIndex::new(text);
//! assert_eq!(lines.line_col(text, text.find("cond").unwrap()), (2, 3));
//! assert_eq!(lines.line_col(text, text.find("third").unwrap()), (3, 1));
//! ```

/// Byte offsets of the start of every line of a text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// How many characters come before every [`STRIDE`]-th byte of the
    /// text (moved up to a character boundary), made the first time a
    /// column is asked for more than [`STRIDE`] bytes into a line.
    marks: std::sync::OnceLock<Vec<(usize, usize)>>,
}

/// Past this many bytes into a line, a column is counted from the nearest
/// mark rather than from the line's start: on a line of megabytes (a
/// text without line breaks) each column would otherwise cost a count of
/// the line.
const STRIDE: usize = 1 << 16;

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        // Room for lines of 40 bytes on average, so that a large file's
        // list seldom grows (a copy into fresh memory); room not used is
        // never touched.
        let mut starts = Vec::with_capacity(bytes.len() / 40 + 1);
        starts.push(0);
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // The `\n` of a `\r\n` pair ends no second line.
            if bytes[at] == b'\n' && at > 0 && bytes[at - 1] == b'\r' {
                continue;
            }
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            starts.push(next);
        }
        LineIndex {
            starts,
            marks: std::sync::OnceLock::new(),
        }
    }

    /// The number of lines (a text without a final line break still has
    /// its last line counted; an empty text has one empty line).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Always false: every text has at least one (possibly empty) line.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// The 1-based line and 1-based character column of a byte offset.
    /// `text` is the text the index was made of.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let column = match text.get(start..offset) {
            None => 1,
            Some(before) if before.len() <= STRIDE => before.chars().count() + 1,
            Some(_) => self.chars_before(text, offset) - self.chars_before(text, start) + 1,
        };
        (line, column)
    }

    /// How many characters of `text` come before byte `at` (a character
    /// boundary), counted from the nearest mark.
    fn chars_before(&self, text: &str, at: usize) -> usize {
        let marks = self.marks.get_or_init(|| {
            let (mut marks, mut pos, mut count) = (Vec::new(), 0, 0);
            while pos < text.len() {
                marks.push((pos, count));
                let next = super::ceil_boundary(text, pos + STRIDE);
                count += text[pos..next].chars().count();
                pos = next;
            }
            marks
        });
        let i = marks.partition_point(|&(pos, _)| pos <= at);
        let (pos, count) = marks.get(i.wrapping_sub(1)).copied().unwrap_or((0, 0));
        count + text[pos..at].chars().count()
    }

    /// The byte range of a 1-based line, without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts[line - 1];
        let mut end = self.starts.get(line).copied().unwrap_or(text.len());
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each row: text, needle, expected (line, column).
    #[test]
    fn line_and_column() {
        let rows = [
            ("abc", "c", (1, 3)),
            ("a\nb\nc", "c", (3, 1)),
            ("a\r\nb\r\nc", "c", (3, 1)),
            ("a\rb\rc", "c", (3, 1)),
            ("a\n\r\nb", "b", (3, 1)),
            ("ÖÖÖ x", "x", (1, 5)),
            ("开源 模型", "模型", (1, 4)),
        ];
        for (text, needle, expected) in rows {
            let index = LineIndex::new(text);
            let off = text.find(needle).unwrap();
            assert_eq!(index.line_col(text, off), expected, "text {text:?}");
        }
    }

    /// Far into a long line, columns counted from the marks are those
    /// counted from the line's start, for text of any width.
    #[test]
    fn columns_far_into_long_lines() {
        let piece = "ab é 开源 🦀 ";
        let text = format!("short\n{}\r\n{}", piece.repeat(30_000), piece.repeat(9_000));
        let index = LineIndex::new(&text);
        let mut offsets: Vec<usize> = (0..text.len()).step_by(7_919).collect();
        offsets.push(text.len());
        for offset in offsets.into_iter().filter(|&o| text.is_char_boundary(o)) {
            let line = index.line(offset);
            let start = index.starts[line - 1];
            let counted = text[start..offset].chars().count() + 1;
            assert_eq!(
                index.line_col(&text, offset),
                (line, counted),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn line_ranges_exclude_terminators() {
        let text = "one\r\ntwo\rthree\n";
        let index = LineIndex::new(text);
        assert_eq!(index.len(), 4);
        assert_eq!(&text[index.line_range(text, 1)], "one");
        assert_eq!(&text[index.line_range(text, 2)], "two");
        assert_eq!(&text[index.line_range(text, 3)], "three");
        assert_eq!(&text[index.line_range(text, 4)], "");
    }
}
