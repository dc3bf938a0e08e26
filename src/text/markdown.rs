//! Markdown structure (pulldown-cmark): code blocks and front matter are
//! not prose, so they are blanked before scanning unless asked for.
//!
//! Blanking replaces each character with a space (line breaks are kept),
//! so every line and character column of the prose stays where it is in
//! the file and evidence still points at the source.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// The byte ranges of fenced and indented code blocks and of YAML (`---`)
/// or TOML (`+++`) front matter.
pub fn non_prose(text: &str) -> Vec<Range<usize>> {
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    Parser::new_ext(text, options)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(_) | Tag::MetadataBlock(_)) => Some(range),
            _ => None,
        })
        .collect()
}

/// Blanks code blocks and front matter in place; returns how many blocks
/// were blanked.
pub fn blank_non_prose(text: &mut String) -> usize {
    let ranges = non_prose(text);
    super::blank_all(text, &ranges);
    ranges.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blanked(text: &str) -> String {
        let mut text = text.to_string();
        blank_non_prose(&mut text);
        text
    }

    #[test]
    fn code_blocks_and_front_matter_are_blanked_in_place() {
        let text = "---\ntitle: Licensing\ntags: [open weights]\n---\n# Heading\n\nProse about open weights.\n\n```yaml\nlicence: required\n```\n\n    indented licence code\n\nMore prose.\n";
        let out = blanked(text);
        assert_eq!(out.len(), text.len(), "same length: positions are kept");
        assert_eq!(out.lines().count(), text.lines().count());
        assert!(!out.contains("title"), "{out}");
        assert!(!out.contains("licence"), "{out}");
        assert!(out.contains("Prose about open weights."));
        assert!(out.contains("More prose."));
        assert!(out.contains("# Heading"));
        for (a, b) in text.lines().zip(out.lines()) {
            assert_eq!(a.chars().count(), b.chars().count(), "{a:?} / {b:?}");
        }
    }

    #[test]
    fn toml_front_matter_and_tilde_fences_too_but_not_inline_code() {
        let out = blanked("+++\ndraft = true\n+++\nUse `open weights` here.\n~~~\nban\n~~~\n");
        assert!(!out.contains("draft"));
        assert!(!out.contains("ban"));
        assert!(out.contains("`open weights`"));
    }

    #[test]
    fn a_thematic_break_later_is_not_front_matter() {
        let text = "Intro about licensing.\n\n---\n\nMore about licensing.\n";
        assert_eq!(blanked(text), text);
    }

    /// A block with multibyte characters shortens the text when blanked;
    /// the blocks after it must still be found where they now are (found
    /// by the fuzzer: this panicked, or blanked the wrong bytes).
    #[test]
    fn blocks_after_a_multibyte_block_are_blanked_too() {
        let text = "    Menü · Startseite · Datenschutz\n\nProse about open weights.\n\n```\nlicence: required\n```\n\n    ÖFFENTLICH\n\nMore prose.\n";
        let out = blanked(text);
        assert!(!out.contains("licence"), "{out}");
        assert!(!out.contains("FFENTLICH"), "{out}");
        assert!(out.contains("\nProse about open weights.\n"), "{out}");
        assert!(out.ends_with("\nMore prose.\n"), "{out}");
        for (a, b) in text.lines().zip(out.lines()) {
            assert_eq!(a.chars().count(), b.chars().count(), "{a:?} / {b:?}");
        }
    }

    #[test]
    fn multibyte_text_in_blocks_keeps_columns() {
        let text = "```\nCafé — licence\n```\nAfter é.\n";
        let out = blanked(text);
        assert_eq!(
            out.lines().nth(1).unwrap().chars().count(),
            "Café — licence".chars().count()
        );
        assert!(out.ends_with("After é.\n"));
    }
}
