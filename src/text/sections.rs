//! Sections: the heading path each part of a document sits in, so evidence
//! can say "Article 53 > 1" or "Recommendations" and not just a line.
//!
//! Two kinds of headings are recognised, line by line:
//!
//! - Markdown ATX headings (`# Title`, `## Subtitle`), outside code
//!   fences; their level is the number of `#`;
//! - setext headings, Markdown's and plain text's: a one-line paragraph
//!   underlined with `===` (level 1) or `---` (level 2), three or more;
//! - statute headings: `Article 53`, `Section 4`, `Sec. 4 .`, `§ 12`,
//!   `Annex XI` (a level below any Markdown heading), and inside them
//!   numbered paragraphs (`1.` in the EU style, `4.6.` in the US style).
//!
//! ```
//! use policyscan::text::{Document, Format};
//!
//! let text = "Article 53\nObligations\n\n1. Providers shall:\n(a) document.\n";
//! let doc = Document::new("act.txt", Format::Text, text.to_string());
//! assert_eq!(doc.section_at(text.find("document").unwrap()), Some("Article 53 > 1"));
//! ```

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{Heading, LineIndex};

/// Level given to statute headings: below any Markdown heading.
const STATUTE_LEVEL: usize = 7;
/// Level of numbered paragraphs inside a statute heading.
const PARAGRAPH_LEVEL: usize = 8;

static MARKDOWN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$").unwrap());
static STATUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t]*(?:#{1,6}[ \t]+)?(?i:(article|art\.|section|sec\.|annex)|(§))[ \t]*([0-9]+[a-z]?|[IVXLC]+)\b").unwrap()
});
static PARAGRAPH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]*([0-9]+(?:\.[0-9]+)?)\.?[ \t]+\S").unwrap());

/// Section starts (source byte offset) and their heading paths, in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sections {
    starts: Vec<(usize, String)>,
    /// For each start, the 1-based line after its heading (and a setext
    /// heading's underline), where the section's text begins.
    bodies: Vec<usize>,
}

impl Sections {
    /// Finds the sections of `source`.
    pub(crate) fn detect(source: &str, lines: &LineIndex) -> Sections {
        Sections::detect_with(source, lines, &[])
    }

    /// Finds the sections of `source`, taking `given` headings (from the
    /// format's own markup: HTML `<h2>`, DOCX heading styles; sorted by
    /// offset) in place of whatever the lines they start on would say.
    pub(crate) fn detect_with(source: &str, lines: &LineIndex, given: &[Heading]) -> Sections {
        let mut stack: Vec<(usize, String)> = Vec::new();
        let mut starts = Vec::new();
        let mut bodies = Vec::new();
        let mut in_fence = false;
        // A line that a setext underline would make a heading: one that
        // starts a paragraph and is not a heading, list item or quote.
        let mut title: Option<Range<usize>> = None;
        // The line before is blank, a heading, or the start.
        let mut after_break = true;
        let mut given = given.iter().peekable();
        for n in 1..=lines.len() {
            let range = lines.line_range(source, n);
            let line_end = if n == lines.len() {
                usize::MAX
            } else {
                range.end
            };
            let mut took = false;
            while let Some(h) = given.next_if(|h| h.offset <= line_end) {
                let level = h.level.min(STATUTE_LEVEL - 1);
                stack.retain(|(l, _)| *l < level);
                stack.push((level, h.label.clone()));
                starts.push((h.offset, path_of(&stack)));
                bodies.push(n + 1);
                took = true;
            }
            let candidate = title.take();
            if took {
                after_break = true;
                continue;
            }
            let line = &source[range.clone()];
            if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
                in_fence = !in_fence;
                after_break = false;
                continue;
            }
            if in_fence {
                continue;
            }
            let found = match (candidate, setext_level(line)) {
                (Some(title), Some(level)) => {
                    Some((level, source[title.clone()].trim().to_string(), title.start))
                }
                _ => heading(line, &stack).map(|(level, label)| (level, label, range.start)),
            };
            if let Some((level, label, start)) = found {
                stack.retain(|(l, _)| *l < level);
                stack.push((level, label));
                starts.push((start, path_of(&stack)));
                bodies.push(n + 1);
                after_break = true;
                continue;
            }
            let blank = line.trim().is_empty();
            if after_break && !blank && !starts_block(line) {
                title = Some(range);
            }
            after_break = blank;
        }
        Sections { starts, bodies }
    }

    /// The heading path of the section containing `offset`.
    pub(crate) fn at(&self, offset: usize) -> Option<&str> {
        let i = self.starts.partition_point(|(s, _)| *s <= offset);
        (i > 0).then(|| self.starts[i - 1].1.as_str())
    }

    /// The 1-based line where the text of the section containing `offset`
    /// begins, after its heading.
    pub(crate) fn body_line(&self, offset: usize) -> Option<usize> {
        let i = self.starts.partition_point(|(s, _)| *s <= offset);
        (i > 0).then(|| self.bodies[i - 1])
    }
}

/// "Title > Subtitle" for a heading stack.
fn path_of(stack: &[(usize, String)]) -> String {
    stack
        .iter()
        .map(|(_, s)| s.as_str())
        .collect::<Vec<_>>()
        .join(" > ")
}

/// The level and label of a heading line, if it is one.
fn heading(line: &str, stack: &[(usize, String)]) -> Option<(usize, String)> {
    let in_statute = stack.iter().any(|(l, _)| *l == STATUTE_LEVEL);
    if !may_be_heading(line, in_statute) {
        return None;
    }
    if let Some(c) = STATUTE.captures(line) {
        let keyword = match (c.get(1), c.get(2)) {
            (Some(k), _) => normalize_keyword(k.as_str()),
            _ => "§".to_string(),
        };
        return Some((STATUTE_LEVEL, format!("{keyword} {}", &c[3])));
    }
    if let Some(c) = MARKDOWN.captures(line) {
        return Some((c[1].len(), c[2].trim().to_string()));
    }
    match PARAGRAPH.captures(line) {
        Some(c) if in_statute => Some((PARAGRAPH_LEVEL, c[1].to_string())),
        _ => None,
    }
}

/// The level of a setext heading that `line` underlines: 1 for `===`, 2
/// for `---` (three or more, after at most three spaces).
fn setext_level(line: &str) -> Option<usize> {
    let text = line.trim_end();
    let marks = text.trim_start_matches(' ');
    if text.len() - marks.len() > 3 || marks.len() < 3 {
        return None;
    }
    if marks.bytes().all(|b| b == b'=') {
        Some(1)
    } else if marks.bytes().all(|b| b == b'-') {
        Some(2)
    } else {
        None
    }
}

/// Whether `line` starts a list item, a quote or a table row, which
/// an underline does not make a heading.
fn starts_block(line: &str) -> bool {
    let text = line.trim_start();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let after = &text[digits..];
    let marker = if digits > 0 {
        after.starts_with(['.', ')'])
    } else {
        after.starts_with(['-', '*', '+']) && after[1..].starts_with([' ', '\t'])
    };
    marker || text.starts_with(['>', '|']) || setext_level(line).is_some()
}

/// Whether `line` may be a heading: each pattern starts, after spaces and
/// tabs, with `#`, a statute keyword (`art`, `sec`, `annex` in any case,
/// or `§`) or, inside a statute (`in_statute`), a paragraph number. Only
/// `s` of those letters has a non-ASCII case variant (`ſ`), and only as a
/// first letter, so lines starting with any other ASCII byte are ruled out
/// before the regexes.
fn may_be_heading(line: &str, in_statute: bool) -> bool {
    let text = line.trim_start_matches([' ', '\t']).as_bytes();
    let starts = |word: &[u8]| {
        text.get(..word.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(word))
    };
    match text.first() {
        Some(b'#') => true,
        Some(b'0'..=b'9') => in_statute,
        Some(b'a' | b'A') => starts(b"art") || starts(b"ann"),
        Some(b's' | b'S') => starts(b"sec"),
        Some(b) => !b.is_ascii(),
        None => false,
    }
}

/// `ARTICLE` → `Article`, `SEC.` → `Sec.`.
fn normalize_keyword(k: &str) -> String {
    let lower = k.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|f| f.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections_of(text: &str) -> Vec<(String, Option<String>)> {
        let lines = LineIndex::new(text);
        let sections = Sections::detect(text, &lines);
        text.lines()
            .filter(|l| l.contains("MARK"))
            .map(|l| {
                let at = text.find(l).unwrap();
                (l.to_string(), sections.at(at).map(String::from))
            })
            .collect()
    }

    #[test]
    fn markdown_heading_paths() {
        let text = "intro MARK0\n# Title\n## One\ntext MARK1\n### Deep\nMARK2\n## Two\nMARK3\n```\n# not a heading\n```\nMARK4\n";
        let got: Vec<Option<String>> = sections_of(text).into_iter().map(|(_, s)| s).collect();
        assert_eq!(
            got,
            [
                None,
                Some("Title > One".into()),
                Some("Title > One > Deep".into()),
                Some("Title > Two".into()),
                Some("Title > Two".into())
            ]
        );
    }

    #[test]
    fn setext_heading_paths() {
        let text = "Report\n======\n\nintro MARK0\n\nFindings\n--------\ntext MARK1\n\n\
            two lines MARK2\nof a paragraph\n---\n\n- a list item MARK3\n---\n\n\
            > quoted\n---\n\n---\ntitle: not front matter MARK4\n---\n\nNext\n==\nMARK5\n\
            ```\nin code\n---\n```\nMARK6\n\n### Atx\nUnder atx\n---\nMARK7\n";
        let got: Vec<Option<String>> = sections_of(text).into_iter().map(|(_, s)| s).collect();
        assert_eq!(
            got,
            [
                Some("Report".into()),
                Some("Report > Findings".into()),
                Some("Report > Findings".into()),
                Some("Report > Findings".into()),
                Some("Report > Findings".into()),
                Some("Report > Findings".into()),
                Some("Report > Findings".into()),
                // A level-2 underline closes the level-3 heading above.
                Some("Report > Under atx".into()),
            ]
        );
        // The section starts at the title, not its underline.
        let lines = LineIndex::new(text);
        let sections = Sections::detect(text, &lines);
        assert_eq!(
            sections.at(text.find("Findings").unwrap()),
            Some("Report > Findings")
        );
        assert_eq!(
            sections.at(text.find("Findings").unwrap() - 1),
            Some("Report")
        );
        // Its text begins after the underline: line 8 for `Findings`.
        assert_eq!(sections.body_line(text.find("MARK1").unwrap()), Some(8));
        assert_eq!(sections.body_line(text.find("MARK0").unwrap()), Some(3));
    }

    #[test]
    fn statute_heading_paths() {
        let text = "CHAPTER V\nArticle 53\nObligations MARK0\n1. Providers shall: MARK1\n(a) document; MARK2\n2. Second MARK3\nArticle 54\nMARK4\n\
            Sec. 4 . Safety. MARK5\n4.6. Soliciting input MARK6\nSECTION 5. Penalties MARK7\n§ 12 Rules MARK8\nANNEX XI\nMARK9\n";
        let got: Vec<Option<String>> = sections_of(text).into_iter().map(|(_, s)| s).collect();
        let want = [
            "Article 53",
            "Article 53 > 1",
            "Article 53 > 1",
            "Article 53 > 2",
            "Article 54",
            "Sec. 4",
            "Sec. 4 > 4.6",
            "Section 5",
            "§ 12",
            "Annex XI",
        ];
        assert_eq!(got, want.map(|s| Some(s.to_string())));
    }

    #[test]
    fn the_quick_test_keeps_every_line_a_pattern_matches() {
        let mut lines: Vec<String> = [
            "Article 5",
            "\t ART. 12",
            "SECTION 4.",
            "sec. 2",
            "\u{17f}ection 3",
            "SEC. 5",
            "aRt. 7",
            "§ 12",
            "Annex XI",
            "   ## Title",
            "\t# tabbed",
            "#### Deep ###",
            "12. Numbered",
            "4.6 Sub",
            " \t3 words",
            "Not a heading",
            "",
            "   ",
            "(a) item",
        ]
        .map(String::from)
        .to_vec();
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        for entry in std::fs::read_dir(fixtures).unwrap().flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                lines.extend(text.lines().map(String::from));
            }
        }
        let mut kept = 0;
        for line in &lines {
            if STATUTE.is_match(line) || MARKDOWN.is_match(line) {
                assert!(may_be_heading(line, false), "{line:?}");
                kept += 1;
            }
            if PARAGRAPH.is_match(line) {
                assert!(may_be_heading(line, true), "{line:?}");
                kept += 1;
            }
        }
        assert!(kept >= 12, "only {kept} heading lines checked");
        for prose in [
            "Not a heading",
            "(a) item",
            "Some text",
            "After all",
            "12 items",
        ] {
            assert!(!may_be_heading(prose, false), "{prose:?}");
        }
    }

    #[test]
    fn numbered_lists_outside_statutes_are_not_sections() {
        let text = "## Recommendations\n1. Extend controls MARK0\n";
        assert_eq!(sections_of(text)[0].1.as_deref(), Some("Recommendations"));
    }
}
