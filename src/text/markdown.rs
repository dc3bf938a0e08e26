//! Markdown structure (pulldown-cmark): code blocks and front matter are
//! not prose, so they are blanked before scanning unless asked for; HTML
//! written in the Markdown (comments, `<sup>`, `<details>` blocks) is
//! blanked as in an HTML page, and struck-through text (`~~…~~`, what a
//! redline deletes), always. Character references in prose (`&rsquo;`)
//! read as the character they stand for, as a renderer shows them.
//!
//! Blanking replaces each character with a space (line breaks are kept),
//! or with an invisible word joiner where an inline tag sits inside a
//! word, so every line and character column of the prose stays where it
//! is in the file and evidence still points at the source.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// A stretch of Markdown that is not scanned as written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Markup {
    /// A fenced or indented code block, or YAML (`---`) or TOML (`+++`)
    /// front matter.
    Code(Range<usize>),
    /// Struck-through text (`~~licensing~~`): what a redline deletes, as
    /// Word's tracked deletions are not read.
    Deleted(Range<usize>),
    /// An HTML block: its tags and comments go, its text stays.
    HtmlBlock(Range<usize>),
    /// A tag or comment inside a paragraph (`<sup>`, `<!-- … -->`).
    InlineHtml(Range<usize>),
    /// A character reference in prose (`&rsquo;`, `&#8212;`) and what
    /// it stands for: read as that character, in place.
    Reference(Range<usize>, String),
}

impl Markup {
    fn range(&self) -> &Range<usize> {
        match self {
            Markup::Code(r)
            | Markup::Deleted(r)
            | Markup::HtmlBlock(r)
            | Markup::InlineHtml(r)
            | Markup::Reference(r, _) => r,
        }
    }
}

/// What [`blank_non_prose`] finds besides what it blanks, as byte offsets
/// of the blanked text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Blocks {
    /// Block quotations (`> …`, `<blockquote>` in an HTML block), sorted
    /// and disjoint: someone else's words.
    pub quotes: Vec<Range<usize>>,
    /// Where list items and table rows start, sorted: paragraph breaks,
    /// so an item without a full stop is not read into the next one
    /// (except items that go on in lowercase: they continue the list's
    /// lead-in), nor a table's header into its rows.
    pub items: Vec<usize>,
}

/// The stretches of `text` that are not prose, its block quotations
/// (`> …`) other than GitHub's alerts (`> [!NOTE]`: the author's own
/// voice), outermost only, and where its list items start.
fn markup(text: &str) -> (Vec<Markup>, Blocks) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM;
    let mut quotes: Vec<Range<usize>> = Vec::new();
    let mut items = Vec::new();
    let found = Parser::new_ext(text, options)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(_) | Tag::MetadataBlock(_)) => Some(Markup::Code(range)),
            // Only `~~…~~`: one tilde is "about" (`~10^26 FLOP`) far
            // more often than a strike.
            Event::Start(Tag::Strikethrough) if text[range.clone()].starts_with("~~") => {
                Some(Markup::Deleted(range))
            }
            Event::Start(Tag::HtmlBlock) => Some(Markup::HtmlBlock(range)),
            Event::InlineHtml(_) => Some(Markup::InlineHtml(range)),
            // The parser gives a character reference a text of its own,
            // decoded.
            Event::Text(decoded)
                if text[range.clone()].starts_with('&')
                    && text[range.clone()].ends_with(';')
                    && *decoded != text[range.clone()] =>
            {
                Some(Markup::Reference(range, decoded.into_string()))
            }
            Event::Start(Tag::BlockQuote(None)) => {
                if quotes.last().is_none_or(|q| q.end <= range.start) {
                    quotes.push(range);
                }
                None
            }
            // An item that goes on in lowercase continues the sentence
            // that leads into the list ("The bill would:" / "- require…").
            Event::Start(Tag::Item) if !item_goes_on(&text[range.clone()]) => {
                items.push(range.start);
                None
            }
            // A table's rows are read apart: a column header ("Oppose")
            // and a row's words ("A government licence") are no sentence.
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                items.push(range.start);
                None
            }
            _ => None,
        })
        .collect();
    (found, Blocks { quotes, items })
}

/// Whether list item `item` (from its marker) starts in lowercase, after
/// the marker and a task box.
fn item_goes_on(item: &str) -> bool {
    let rest = item.trim_start_matches(|c: char| c.is_ascii_digit() || "-*+.)".contains(c));
    let rest = rest.trim_start();
    let rest = ["[ ]", "[x]", "[X]"]
        .iter()
        .find_map(|b| rest.strip_prefix(b))
        .unwrap_or(rest)
        .trim_start();
    rest.starts_with(char::is_lowercase)
}

/// Blanks HTML markup in place and, unless `keep_code`, code blocks and
/// front matter; returns the block quotations and list items found.
pub fn blank_non_prose(text: &mut String, keep_code: bool) -> Blocks {
    let (mut found, mut blocks) = markup(text);
    found.retain(|m| !(keep_code && matches!(m, Markup::Code(_))));
    if found
        .iter()
        .all(|m| matches!(m, Markup::Code(_) | Markup::Deleted(_)))
    {
        let ranges: Vec<_> = found.iter().map(|m| m.range().clone()).collect();
        super::blank_all(text, &ranges);
        return blocks;
    }
    // Spaces only: in place. HTML's stand-ins are word joiners (three
    // bytes) as well as spaces: build the text anew, and move the
    // quotations with it.
    found.sort_unstable_by_key(|m| (m.range().start, m.range().end));
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut at = 0;
    // (end of a stretch in `text`, the same place in `out`), in order.
    let mut moved: Vec<(usize, usize)> = Vec::new();
    // `<blockquote>`s in HTML blocks, where they are in `out`.
    let mut html_quotes: Vec<Range<usize>> = Vec::new();
    for m in &found {
        let r = m.range().clone();
        let fits = at <= r.start
            && r.start <= r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end);
        if !fits {
            continue;
        }
        out.push_str(&text[at..r.start]);
        let source = &text[r.clone()];
        match m {
            Markup::Code(_) | Markup::Deleted(_) => out.extend(super::padded(source, ' ')),
            Markup::HtmlBlock(_) => {
                let page = super::html::extract(source);
                let base = out.len();
                html_quotes.extend(page.quotes.iter().map(|q| q.start + base..q.end + base));
                out.push_str(&page.text);
            }
            Markup::Reference(_, decoded) => {
                super::html::push_decoded(source, decoded, text[r.end..].chars().next(), &mut out)
            }
            Markup::InlineHtml(_) => super::html::stand_in(
                source,
                super::html::markup_of(source),
                text[..r.start].chars().next_back(),
                text[r.end..].chars().next(),
                &mut out,
            ),
        }
        at = r.end;
        moved.push((at, out.len()));
    }
    out.push_str(&text[at..]);
    *text = out;
    // A quotation starts and ends outside markup (at `>`, at a line's
    // end), where text was copied as it was: shift it by the change so far.
    let to_out = |offset: usize| {
        let i = moved.partition_point(|&(end, _)| end <= offset);
        match i {
            0 => offset,
            _ => moved[i - 1].1 + (offset - moved[i - 1].0),
        }
    };
    for q in &mut blocks.quotes {
        *q = to_out(q.start)..to_out(q.end);
    }
    for item in &mut blocks.items {
        *item = to_out(*item);
    }
    if !html_quotes.is_empty() {
        blocks.quotes.extend(html_quotes);
        blocks.quotes = super::merge_ranges(std::mem::take(&mut blocks.quotes));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{same_shape, visible};

    fn blanked(text: &str) -> String {
        let mut text = text.to_string();
        blank_non_prose(&mut text, false);
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

    #[test]
    fn html_comments_are_blanked_block_and_inline() {
        let text = "# Draft\n\nDevelopers are liable.\n\n<!-- TODO: add a safe harbor\nfor researchers -->\n\nText <!-- or licensing? --> goes on.\n";
        let out = blanked(text);
        same_shape(text, &out);
        assert_eq!(
            visible(&out),
            "# Draft Developers are liable. Text goes on."
        );
    }

    #[test]
    fn inline_tags_go_and_words_stay_whole() {
        let text = "We oppose <em>licensing</em> of open<b>source</b> models.<br>\nNext line.\n";
        let out = blanked(text);
        same_shape(text, &out);
        assert_eq!(
            visible(&out),
            "We oppose licensing of opensource models. Next line."
        );
        assert!(out.contains("open\u{2060}"), "{out:?}");
    }

    #[test]
    fn a_superscript_exponent_reads_as_a_power() {
        let text = "Above 10<sup>26</sup> operations; see note<sup>3</sup>, and 10<sup>x</sup>.\n";
        let out = blanked(text);
        same_shape(text, &out);
        assert_eq!(
            visible(&out),
            "Above 10 ^26 operations; see note3, and 10x."
        );
    }

    #[test]
    fn html_blocks_keep_their_text_and_lose_their_tags() {
        let text = "Intro.\n\n<details>\n<summary>Open weights</summary>\n\n<p>Licensing &amp; liability</p>\n</details>\n\nAfter.\n";
        let out = blanked(text);
        same_shape(text, &out);
        assert_eq!(
            visible(&out),
            "Intro. Open weights Licensing & liability After."
        );
    }

    #[test]
    fn html_is_blanked_when_code_is_kept() {
        let text = "```\nlicence: required\n```\n\nProse <!-- hidden --> here.\n";
        let mut kept = text.to_string();
        blank_non_prose(&mut kept, true);
        same_shape(text, &kept);
        assert_eq!(visible(&kept), "``` licence: required ``` Prose here.");
    }

    /// What a redline strikes is not the draft; one tilde is "about".
    #[test]
    fn struck_text_is_blanked_and_one_tilde_is_not_a_strike() {
        let text = "Developers ~~are exempt~~ shall be liable, for ~10^26 FLOP or ~10^25 FLOP.\n";
        let out = blanked(text);
        same_shape(text, &out);
        assert_eq!(
            visible(&out),
            "Developers shall be liable, for ~10^26 FLOP or ~10^25 FLOP."
        );
    }

    /// Block quotations are returned where they are in the blanked text
    /// (after HTML's word joiners have moved it), including a
    /// `<blockquote>` in an HTML block; GitHub's alerts are the author's.
    #[test]
    fn block_quotations_are_found_and_alerts_are_not_quotations() {
        let text = "Intro<!-- c -->duction.\n\n> Quoted\n> words.\n>> nested\n\n> [!NOTE]\n> Own note.\n\n<blockquote>\nHTML quote.\n</blockquote>\n\nAfter.\n";
        let mut out = text.to_string();
        let quotes = blank_non_prose(&mut out, false).quotes;
        same_shape(text, &out);
        let quoted: Vec<String> = quotes.iter().map(|q| visible(&out[q.clone()])).collect();
        assert_eq!(quoted, ["> Quoted > words. >> nested", "HTML quote."]);
    }

    /// How many paragraph breaks the Markdown gives, and the sentences of
    /// the document it makes (folded).
    fn sentences(text: &str) -> (usize, Vec<String>) {
        let mut out = text.to_string();
        let blocks = blank_non_prose(&mut out, false);
        let doc = crate::text::Document::with_paragraphs(
            "t.md",
            crate::text::Format::Markdown,
            out,
            &blocks.items,
        );
        let folded = doc.folded().as_str();
        let sentences = (doc.sentences().iter())
            .map(|r| folded[r.clone()].to_string())
            .collect();
        (blocks.items.len(), sentences)
    }

    /// A list item without a full stop is a sentence of its own, unless
    /// it goes on in lowercase from the list's lead-in.
    #[test]
    fn list_items_are_paragraphs_unless_they_continue_the_lead_in() {
        let text = "Our asks\n- Open weights\n- [ ] Safe harbor\n\nThe bill would:\n- require tests\n- exempt research\n";
        let (_, sentences) = sentences(text);
        assert_eq!(
            sentences,
            [
                "our asks",
                "open weights",
                "[ ] safe harbor",
                "the bill would: require tests exempt research"
            ]
        );
    }

    /// A table's header and each row are read apart, so a column's name
    /// ("Oppose") and a row's words ("A government licence") make no
    /// sentence together.
    #[test]
    fn table_rows_are_paragraphs() {
        let text = "Views on regulation:\n\n| Proposal | Support | Oppose |\n| --- | --- | --- |\n\
            | Safety testing | 52% | 27% |\n| A government licence | 18% | 66% |\n\nAfter.\n";
        let (items, sentences) = sentences(text);
        assert_eq!(items, 3);
        assert_eq!(sentences.iter().filter(|s| s.contains("oppose")).count(), 1);
        assert!(
            !(sentences.iter()).any(|s| s.contains("oppose") && s.contains("licence")),
            "{sentences:?}"
        );
    }

    /// Character references in prose read as what they stand for, in
    /// place (word joiners inside a word, spaces elsewhere), so "don't"
    /// is a negation; in code they stay as written.
    #[test]
    fn character_references_in_prose_are_decoded_in_place() {
        let text = "We don&rsquo;t back R&amp;D &#8212; or `a &amp; b`, x&y &bogus;.\n";
        let mut out = text.to_string();
        blank_non_prose(&mut out, false);
        same_shape(text, &out);
        assert_eq!(
            visible(&out),
            "We don\u{2019}t back R&D \u{2014} or `a &amp; b`, x&y &bogus;."
        );
        let doc = crate::text::Document::new("t.md", crate::text::Format::Markdown, out);
        assert!(
            doc.folded().as_str().contains("we don't back r&d"),
            "{:?}",
            doc.folded().as_str()
        );
    }

    /// A reference to a line break (`&#13;`, `&#10;`) is a space: the
    /// text keeps its lines. (Found by the scan fuzz target: a `&#13;`
    /// made a line the source does not have.)
    #[test]
    fn a_reference_to_a_line_break_keeps_the_lines() {
        let text = "Open&#13;models &#10;stay&#x0D;&#x0a;whole.\n";
        let mut out = text.to_string();
        blank_non_prose(&mut out, false);
        same_shape(text, &out);
        assert_eq!(visible(&out), "Open models stay whole.");
    }

    /// Inline code and code blocks are not HTML: `<b>` in them stays.
    #[test]
    fn tags_in_code_are_not_markup() {
        let text = "Use `<b>` for bold.\n\n    <b>indented</b>\n";
        let mut kept = text.to_string();
        blank_non_prose(&mut kept, true);
        assert_eq!(kept, text);
    }
}
