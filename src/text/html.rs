//! HTML: the page's prose, in place.
//!
//! The page is tokenized by html5gum (a WHATWG tokenizer that reports the
//! byte span of every token) and turned into text of the same shape:
//!
//! - tags, comments and doctypes are blanked: with spaces, or with
//!   invisible word joiners where an inline tag such as `<b>` sits inside
//!   a word, so `open<b>source</b>` stays one word;
//! - the content of `head` (the `<title>` repeats the page's `<h1>`, or
//!   names the site), `script`, `style`, `noscript`, `template`, `svg`,
//!   `nav`, `footer`, deleted or struck-through text (`del`, `s`,
//!   `strike`: what a redline deletes) and elements with `role="navigation"` or
//!   `role="contentinfo"` or the `hidden` attribute is blanked;
//! - character references are decoded where they stand, padded to the
//!   reference's length (with word joiners, which keyword matching
//!   ignores, inside a word such as `don&rsquo;t`; with spaces elsewhere);
//! - `h1`–`h6` become section headings;
//! - `<q>` shows its quotation marks, as a browser does, and a
//!   `<blockquote>` is recorded as a quotation ([`Extracted::quotes`]):
//!   both are someone else's words. So is a page's comment section (an
//!   element whose `id` or `class` says so: `comments`, `comment-list`,
//!   `disqus_thread`, …): readers' replies under an article are not the
//!   article's.
//!
//! Every character keeps its line and its column, so evidence points at
//! the HTML source as it does for text and Markdown.

use html5gum::emitters::default::{DefaultEmitter, Token};
use html5gum::{Span, Tokenizer};

use super::{Extracted, Heading};

/// U+2060 WORD JOINER: invisible, not a word break, and dropped by
/// folding, so padding with it keeps words whole.
pub(crate) const PAD: char = '\u{2060}';

/// Elements whose content is not the page's prose.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "nav", "footer", "head", "iframe",
    "object", "select", "button", "del", "s", "strike",
];

/// Inline (phrasing) elements: their tags do not separate words.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "wbr",
];

/// Elements that start and end a block of their own: paragraphs,
/// headings, list items, table cells, quotations and the sections around
/// them. Their tags break paragraphs, so a heading or a list item without
/// a full stop is not read as the start of the next sentence.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "menu",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// What to do with one stretch of the source.
enum Edit {
    /// Blank it: spaces, or word joiners for inline tags ([`stand_in`]).
    Blank { span: Span<usize>, markup: Markup },
    /// Text: decode character references in place.
    Text(Span<usize>),
}

/// What the elements of a markup language mean to [`extract_with`]:
/// HTML's ([`HTML`]) or a document vocabulary of XML's
/// (`super::xml::VOCABULARY`). Names are lowercase, without a namespace
/// prefix.
pub(crate) struct Vocabulary {
    /// Switch the tokenizer to raw text in `script`, `style`, `title`…,
    /// as a browser does (HTML only: in a bill's XML a `title` holds
    /// sections).
    pub raw_text: bool,
    /// Elements whose content is not prose.
    pub dropped: fn(&str) -> bool,
    /// Elements whose tags do not separate words.
    pub inline: fn(&str) -> bool,
    /// Elements whose tags break paragraphs.
    pub block: fn(&str) -> bool,
    /// Headings: `Some(level)` for a fixed level (HTML's `h2`), `Some(0)`
    /// for a level by nesting (one below the nearest enclosing element
    /// that has a heading of its own).
    pub heading: fn(&str) -> Option<usize>,
    /// Whether open elements are tracked, for levels by nesting and
    /// numbers (not in HTML, whose pages leave thousands of `<p>` open).
    pub nested: bool,
    /// Elements whose text is a heading's number (`<enum>2.</enum>`, read
    /// before the heading that follows it in the same parent).
    pub number: fn(&str) -> bool,
    /// Block quotations: someone else's words.
    pub quotation: fn(&str) -> bool,
    /// Whether an element's `id` or `class` can make it a comment
    /// section, read as a quotation (HTML pages).
    pub comment_sections: bool,
    /// Elements without content or end tag.
    pub void: fn(&str) -> bool,
}

/// HTML's elements.
pub(crate) const HTML: Vocabulary = Vocabulary {
    raw_text: true,
    dropped: |name| DROPPED.contains(&name),
    inline: |name| INLINE.contains(&name),
    block: |name| BLOCK.contains(&name),
    heading: heading_level,
    nested: false,
    number: |_| false,
    quotation: |name| name == "blockquote",
    comment_sections: true,
    void: is_void,
};

/// Whether an `id` or `class` value names a comment section or a reader's
/// comment: `comments`, `comment`, `comments-area`, `comment-list`,
/// `commentlist` (WordPress), `user-comments`, `disqus_thread`. Not
/// `comment-count` or `comments-link`, which only point at one.
fn names_comments(value: &str) -> bool {
    value.split_ascii_whitespace().any(|token| {
        let token = token.trim_start_matches('#');
        let stem = token
            .strip_suffix("-area")
            .or_else(|| token.strip_suffix("-section"))
            .or_else(|| token.strip_suffix("-list"))
            .or_else(|| token.strip_suffix("-thread"))
            .or_else(|| token.strip_suffix("-container"))
            .or_else(|| token.strip_suffix("_thread"))
            .unwrap_or(token);
        let stem = ["user-", "reader-", "readers-", "article-", "post-"]
            .iter()
            .find_map(|p| stem.strip_prefix(p))
            .unwrap_or(stem);
        matches!(
            stem,
            "comments" | "comment" | "commentlist" | "comment_list" | "disqus" | "reader-replies"
        )
    })
}

/// Extracts the prose of `html`: the page with markup blanked and
/// references decoded (the same lines, with the same number of characters
/// on each), and its `h1`–`h6` headings at their start tags.
pub fn extract(html: &str) -> Extracted {
    extract_with(html, &HTML)
}

/// An open element, for [`extract_with`].
struct Open {
    name: String,
    /// A heading of its own has started in it.
    headed: bool,
}

/// Extracts the prose of `html`, written in markup whose elements mean
/// what `vocabulary` says (see [`extract`]).
pub(crate) fn extract_with(html: &str, vocabulary: &Vocabulary) -> Extracted {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(vocabulary.raw_text);
    let mut edits = Vec::new();
    let mut headings = Vec::new();
    // Open dropped elements, innermost last.
    let mut dropped: Vec<String> = Vec::new();
    // The heading being read: level, start offset, text so far.
    let mut heading: Option<(usize, usize, String)> = None;
    // Open elements (for levels by nesting), innermost last.
    let mut open: Vec<Open> = Vec::new();
    // The number being read or last read: the depth of its parent, where
    // its start tag is, its text, and whether it is still being read.
    let mut number: Option<(usize, usize, String, bool)> = None;
    // Block quotations (source offsets of the outermost start and end
    // tags), and how many are open with where the outermost began.
    let mut quotes: Vec<std::ops::Range<usize>> = Vec::new();
    let mut open_quotes: Option<(usize, usize)> = None;
    // The comment section being read: its element's name, how many
    // elements of that name are open in it, and where it began.
    let mut comments: Option<(String, usize, usize)> = None;
    let mut comment_sections: Vec<std::ops::Range<usize>> = Vec::new();
    // Source offsets of block elements' tags: paragraph breaks.
    let mut blocks: Vec<usize> = Vec::new();
    // A `<br>` with nothing but white space since: a second one makes a
    // paragraph break (`text<br><br>text`, as older pages and pasted
    // comments separate paragraphs).
    let mut after_br = false;
    let local = |name: &[u8]| local_name(&String::from_utf8_lossy(name));
    for token in Tokenizer::new_with_emitter(html, emitter) {
        let Ok(token) = token;
        match token {
            Token::StartTag(tag) => {
                let name = local(&tag.name);
                edits.push(Edit::Blank {
                    span: tag.span,
                    markup: tag_markup(vocabulary, &name, false),
                });
                let br = name == "br";
                if (vocabulary.block)(&name) || (br && after_br) {
                    blocks.push(tag.span.start);
                }
                after_br = br;
                let attribute = |key: &str| {
                    tag.attributes
                        .get(key.as_bytes())
                        .map(|v| String::from_utf8_lossy(v).to_ascii_lowercase())
                };
                let role = attribute("role");
                let drop = (vocabulary.dropped)(&name)
                    || matches!(role.as_deref(), Some("navigation" | "contentinfo"))
                    || attribute("hidden").is_some()
                    || attribute("changed").as_deref() == Some("deleted");
                let has_content = !tag.self_closing && !(vocabulary.void)(&name);
                if drop && has_content {
                    dropped.push(name.clone());
                }
                if has_content {
                    match comments.as_mut() {
                        Some((open, depth, _)) if *open == name => *depth += 1,
                        Some(_) => {}
                        None if vocabulary.comment_sections
                            && (attribute("id").is_some_and(|v| names_comments(&v))
                                || attribute("class").is_some_and(|v| names_comments(&v))) =>
                        {
                            comments = Some((name.clone(), 1, tag.span.start));
                        }
                        None => {}
                    }
                }
                if let Some(level) = (vocabulary.heading)(&name)
                    && dropped.is_empty()
                {
                    let level = match level {
                        0 => {
                            let parent = open.len().saturating_sub(1);
                            let above = open.iter().take(parent).filter(|o| o.headed).count();
                            if let Some(p) = open.last_mut() {
                                p.headed = true;
                            }
                            (above + 1).min(6)
                        }
                        fixed => fixed,
                    };
                    // A number read just before, in the same parent,
                    // leads the label ("Sec. 2. Definitions"), and the
                    // section starts with it.
                    heading = Some(match number.take() {
                        Some((depth, start, text, false)) if depth == open.len() => {
                            (level, start, text)
                        }
                        _ => (level, tag.span.start, String::new()),
                    });
                }
                if (vocabulary.number)(&name) && has_content && dropped.is_empty() {
                    number = Some((open.len(), tag.span.start, String::new(), true));
                }
                if (vocabulary.quotation)(&name) && has_content {
                    let (depth, start) = open_quotes.unwrap_or((0, tag.span.start));
                    open_quotes = Some((depth + 1, start));
                }
                if has_content && vocabulary.nested {
                    open.push(Open {
                        name,
                        headed: false,
                    });
                }
            }
            Token::EndTag(tag) => {
                let name = local(&tag.name);
                edits.push(Edit::Blank {
                    span: tag.span,
                    markup: tag_markup(vocabulary, &name, true),
                });
                if (vocabulary.block)(&name) {
                    blocks.push(tag.span.start);
                }
                // Close the innermost open element of that name (and any
                // left open inside it).
                close(&mut dropped, |d| *d == name);
                close(&mut open, |o| o.name == name);
                if let Some((_, _, _, reading @ true)) = number.as_mut()
                    && (vocabulary.number)(&name)
                {
                    *reading = false;
                }
                if let Some((open, depth, start)) = comments.as_mut()
                    && *open == name
                {
                    *depth -= 1;
                    if *depth == 0 {
                        comment_sections.push(*start..tag.span.start);
                        comments = None;
                    }
                }
                if (vocabulary.quotation)(&name)
                    && let Some((depth, start)) = open_quotes
                {
                    open_quotes = (depth > 1).then_some((depth - 1, start));
                    if depth == 1 {
                        quotes.push(start..tag.span.start);
                    }
                }
                if (vocabulary.heading)(&name).is_some()
                    && let Some((level, start, text)) = heading.take()
                {
                    let label = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !label.is_empty() {
                        headings.push(Heading {
                            offset: start,
                            level,
                            label,
                        });
                    }
                }
            }
            Token::String(text) => {
                if !dropped.is_empty() {
                    edits.push(Edit::Blank {
                        span: text.span,
                        markup: Markup::default(),
                    });
                } else {
                    let value = String::from_utf8_lossy(&text.value);
                    after_br &= value.trim().is_empty();
                    if let Some((_, _, label)) = heading.as_mut() {
                        label.push_str(&value);
                    }
                    if let Some((_, _, number, true)) = number.as_mut() {
                        number.push_str(&value);
                        number.push(' ');
                    }
                    edits.push(Edit::Text(text.span));
                }
            }
            Token::Comment(comment) => edits.push(Edit::Blank {
                span: comment.span,
                markup: Markup {
                    inline: true,
                    ..Markup::default()
                },
            }),
            Token::Doctype(doctype) => edits.push(Edit::Blank {
                span: doctype.span,
                markup: Markup::default(),
            }),
            Token::Error(_) => {}
        }
    }
    // One left open runs to the end, as a browser shows it.
    if let Some((_, start)) = open_quotes {
        quotes.push(start..html.len());
    }
    if let Some((_, _, start)) = comments {
        comment_sections.push(start..html.len());
    }
    if !comment_sections.is_empty() {
        quotes.extend(comment_sections);
        quotes = super::merge_ranges(quotes);
    }
    apply(html, &edits, headings, quotes, blocks)
}

/// How many of the innermost open elements an end tag looks through for
/// its start tag. Real pages nest far less deeply than this; without a
/// bound, a page of thousands of unclosed `<s>` followed by as many end
/// tags of another name took time quadratic in its size (a 400 KB page,
/// 9.7 s).
const CLOSE_REACH: usize = 64;

/// Closes the innermost of the last [`CLOSE_REACH`] elements of `stack`
/// that `is_it`, and any left open inside it.
fn close<T>(stack: &mut Vec<T>, is_it: impl Fn(&T) -> bool) {
    let reach = stack.len().saturating_sub(CLOSE_REACH);
    if let Some(i) = stack[reach..].iter().rposition(is_it) {
        stack.truncate(reach + i);
    }
}

/// Builds the output from the edits (in source order; spans never
/// overlap) and moves heading offsets to the output.
fn apply(
    html: &str,
    edits: &[Edit],
    mut headings: Vec<Heading>,
    mut quotes: Vec<std::ops::Range<usize>>,
    mut blocks: Vec<usize>,
) -> Extracted {
    let mut text = String::with_capacity(html.len() + html.len() / 8);
    // (source offset, output offset) at each edit start, for headings.
    let mut map: Vec<(usize, usize)> = Vec::with_capacity(edits.len());
    let mut at = 0;
    for edit in edits {
        let span = match edit {
            Edit::Blank { span, .. } | Edit::Text(span) => *span,
        };
        let (start, end) = (clamp(html, span.start), clamp(html, span.end));
        if start < at || end < start {
            continue;
        }
        // Bytes no token covered (there should be none): keep them.
        text.push_str(&html[at..start]);
        map.push((start, text.len()));
        let source = &html[start..end];
        match edit {
            Edit::Blank { markup, .. } => stand_in(
                source,
                *markup,
                html[..start].chars().next_back(),
                html[end..].chars().next(),
                &mut text,
            ),
            Edit::Text(_) => decode_in_place(source, &mut text),
        }
        at = end;
    }
    text.push_str(&html[at..]);
    // Headings and quotations start and end at tags, where edits start.
    let to_out = |offset: usize| {
        if offset >= html.len() {
            return text.len();
        }
        let i = map.partition_point(|(s, _)| *s <= offset);
        if i == 0 { offset } else { map[i - 1].1 }
    };
    for heading in &mut headings {
        heading.offset = to_out(heading.offset);
    }
    for quote in &mut quotes {
        *quote = to_out(quote.start)..to_out(quote.end);
    }
    for block in &mut blocks {
        *block = to_out(*block);
    }
    Extracted {
        text,
        headings,
        quotes,
        paragraphs: blocks,
        ..Extracted::default()
    }
}

/// An element's name as vocabularies know it: lowercase, without a
/// namespace prefix (`akn:Heading` is `heading`).
pub(crate) fn local_name(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    match name.rfind(':') {
        Some(colon) => name[colon + 1..].to_string(),
        None => name,
    }
}

/// What a piece of markup is, for [`stand_in`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Markup {
    /// An inline (phrasing) tag or a comment: it does not separate words.
    pub inline: bool,
    /// A `<sup>` start tag.
    pub superscript: bool,
    /// A `<q>` start tag (`“`) or end tag (`”`): the quotation marks a
    /// browser shows.
    pub quote: Option<char>,
}

/// How the start (or with `closing`, end) tag of element `name` is
/// blanked.
fn tag_markup(vocabulary: &Vocabulary, name: &str, closing: bool) -> Markup {
    Markup {
        inline: (vocabulary.inline)(name),
        superscript: !closing && name == "sup",
        quote: (name == "q").then_some(if closing { '\u{201d}' } else { '\u{201c}' }),
    }
}

/// Appends what stands in for markup `source` (a tag, comment or
/// doctype) found between the characters `before` and `after`: as many
/// characters, with its line breaks kept. Word joiners where an inline
/// tag sits between two characters that are not white space
/// (`open<b>source`, `<em>licensing</em>,`), so the word stays whole and
/// the comma stays next to it, as a browser shows them; spaces where it
/// touches white space, so a regex's `\s+` still matches around `<em>`; and
/// for a `<sup>` between digits (`10<sup>26</sup>`), spaces ending in `^`,
/// so the number reads `10 ^26`, as a plain text writes it, instead of
/// `1026`; and for `<q>` and `</q>`, the quotation mark a browser shows
/// in place of the bracket next to the quoted words.
pub(crate) fn stand_in(
    source: &str,
    markup: Markup,
    before: Option<char>,
    after: Option<char>,
    out: &mut String,
) {
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    if markup.superscript && digit(before) && digit(after) && source.ends_with('>') {
        out.extend(super::padded(&source[..source.len() - 1], ' '));
        out.push('^');
        return;
    }
    let joins = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    let pad = if markup.inline && joins(before) && joins(after) {
        PAD
    } else {
        ' '
    };
    match markup.quote {
        // The mark takes the place of the `>` that ends a start tag, or
        // the `<` that begins an end tag, so it touches the quoted words.
        Some(mark) if source.len() > 1 && source.ends_with('>') && source.starts_with('<') => {
            if source.starts_with("</") {
                out.push(mark);
                out.extend(super::padded(&source[1..], pad));
            } else {
                out.extend(super::padded(&source[..source.len() - 1], pad));
                out.push(mark);
            }
        }
        _ => out.extend(super::padded(source, pad)),
    }
}

/// How a tag or comment written in Markdown (`<sup>`, `</em>`,
/// `<!-- … -->`) is blanked: as [`extract`] would blank it in a page.
pub(crate) fn markup_of(source: &str) -> Markup {
    if source.starts_with("<!--") {
        return Markup {
            inline: true,
            ..Markup::default()
        };
    }
    let closing = source.starts_with("</");
    let name: String = source
        .trim_start_matches(['<', '/'])
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    tag_markup(&HTML, &name, closing)
}

/// Appends `source` with each character reference replaced by what it
/// stands for, padded with [`PAD`] to the reference's number of
/// characters. References that do not decode are kept as written.
pub(crate) fn decode_in_place(source: &str, out: &mut String) {
    let mut rest = source;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = reference_end(rest);
        let reference = &rest[..end];
        let decoded = html_escape::decode_html_entities(reference);
        if end > 1 && decoded != reference {
            push_decoded(reference, &decoded, rest[end..].chars().next(), out);
        } else {
            out.push_str(reference);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
}

/// Appends what character reference `reference` stands for, `decoded`,
/// padded to the reference's number of characters: inside a word
/// (`don&rsquo;t`, `next` the character after it) with word joiners,
/// which keyword matching ignores; next to a space or as a space
/// (`&nbsp;`), with spaces. A line break (`&#13;`, `&#10;`) is written
/// as a space: the text keeps the source's lines.
pub(crate) fn push_decoded(reference: &str, decoded: &str, next: Option<char>, out: &mut String) {
    let padding = reference
        .chars()
        .count()
        .saturating_sub(decoded.chars().count());
    let inside_word =
        !decoded.chars().all(char::is_whitespace) && next.is_some_and(char::is_alphanumeric);
    out.extend(
        decoded
            .chars()
            .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c }),
    );
    out.extend(std::iter::repeat_n(
        if inside_word { PAD } else { ' ' },
        padding,
    ));
}

/// The length of the character reference at the start of `s` (which
/// starts with `&`): through its `;`, or 1 when there is none.
fn reference_end(s: &str) -> usize {
    let body = &s.as_bytes()[1..];
    let len = body
        .iter()
        .take(40)
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'#')
        .count();
    if body.get(len) == Some(&b';') && len > 0 {
        len + 2
    } else {
        1
    }
}

fn clamp(s: &str, offset: usize) -> usize {
    super::floor_boundary(s, offset.min(s.len()))
}

fn heading_level(name: &str) -> Option<usize> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(usize::from(d - b'0')),
        _ => None,
    }
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Whether `bytes` look like an HTML page: a doctype or an `<html>` tag
/// first (after a byte-order mark, whitespace and comments).
pub fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut text = text.trim_start();
    while let Some(rest) = text.strip_prefix("<!--") {
        match rest.find("-->") {
            Some(end) => text = rest[end + 3..].trim_start(),
            None => return false,
        }
    }
    text.starts_with("<!doctype html") || text.starts_with("<html")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{same_shape, visible};

    #[test]
    fn prose_stays_where_it_is_and_markup_is_gone() {
        let html = "<!DOCTYPE html>\n<html><head><title>Open weights</title>\n<style>p { color: red }</style></head>\n<body><p class=\"lead\">Licensing <em>open</em> models\nhurts research.</p>\n</body></html>\n";
        let out = extract(html);
        same_shape(html, &out.text);
        assert_eq!(visible(&out.text), "Licensing open models hurts research.");
        // Same line and character column (byte offsets may differ: the
        // word joiners are three bytes each).
        let column = |s: &str| {
            let line = s.lines().find(|l| l.contains("hurts")).unwrap();
            line[..line.find("hurts").unwrap()].chars().count()
        };
        assert_eq!(column(&out.text), column(html));
    }

    #[test]
    fn scripts_navigation_footers_and_hidden_parts_are_dropped() {
        let html = "<nav><a href=/>Licensing</a></nav><script>var licensing = 1; if (a<b) {}</script>\
            <div role=\"navigation\">liability menu</div><p hidden>export controls</p>\
            <main><p>Kept prose.</p></main><footer>Copyright liability notice</footer>\
            <noscript>Enable JS</noscript>";
        let out = extract(html);
        assert_eq!(visible(&out.text), "Kept prose.");
    }

    #[test]
    fn references_are_decoded_in_place_and_words_stay_whole() {
        let html = "<p>We don&rsquo;t support R&amp;D &lt;limits&gt; &#8212; open&shy;source &unknown; &amp</p>\n<p>next</p>";
        let out = extract(html);
        same_shape(html, &out.text);
        assert_eq!(
            visible(&out.text),
            "We don\u{2019}t support R&D <limits> \u{2014} open\u{AD}source &unknown; &amp next"
        );
        // Word joiners inside words, spaces elsewhere.
        assert!(out.text.contains("don\u{2019}\u{2060}"), "{:?}", out.text);
        assert!(out.text.contains("\u{2014}  "), "{:?}", out.text);
    }

    #[test]
    fn a_reference_to_a_line_break_keeps_the_lines() {
        let html = "<p>Open&#13;models &#10;stay&#x0D;&#x0a;whole.</p>";
        let out = extract(html);
        same_shape(html, &out.text);
        assert_eq!(visible(&out.text), "Open models stay whole.");
    }

    #[test]
    fn inline_tags_do_not_split_words_but_block_tags_do() {
        let out = extract("<p>open<b>source</b></p><p>next</p><div>word</div>");
        assert_eq!(visible(&out.text), "opensource next word");
    }

    /// Punctuation after an inline tag stays next to its word, and white
    /// space next to a tag is still white space for a regex's `\s+`.
    #[test]
    fn inline_tags_touching_punctuation_join_and_touching_space_do_not() {
        let out = extract("<p>We oppose <em>licensing</em>, firmly.</p>");
        assert_eq!(visible(&out.text), "We oppose licensing, firmly.");
        assert!(out.text.contains("oppose     licensing"), "{:?}", out.text);
    }

    /// What a redline deletes is not the page's text; what it inserts is.
    #[test]
    fn deleted_and_struck_text_is_dropped() {
        let out = extract(
            "<p>Developers <del>are exempt</del><ins>shall be liable</ins>; <s>old</s> <strike>older</strike> new.</p>",
        );
        assert_eq!(visible(&out.text), "Developers shall be liable; new.");
    }

    /// `10<sup>26</sup>` is a power of ten, not the number 1026; a footnote
    /// marker after a word is left as it is.
    #[test]
    fn a_superscript_exponent_reads_as_a_power() {
        let html = "<p>More than 10<sup>26</sup> operations, see note<sup>3</sup>; 10<SUP class=x>2</SUP>.</p>";
        let out = extract(html);
        same_shape(html, &out.text);
        assert_eq!(
            visible(&out.text),
            "More than 10 ^26 operations, see note3; 10 ^2."
        );
    }

    #[test]
    fn headings_become_sections_at_their_start_tag() {
        let html = "<h1>Bill&nbsp;summary</h1>\n<p>a</p>\n<h2 id=x>Costs <small>(est.)</small></h2>\n<p>b</p><nav><h2>Menu</h2></nav>";
        let out = extract(html);
        let got: Vec<(usize, &str)> = out
            .headings
            .iter()
            .map(|h| (h.level, h.label.as_str()))
            .collect();
        assert_eq!(got, vec![(1, "Bill summary"), (2, "Costs (est.)")]);
        let third_line = out.text.match_indices('\n').nth(1).unwrap().0 + 1;
        assert_eq!(out.headings[1].offset, third_line, "at the <h2> tag");
    }

    /// `<q>` shows the quotation marks a browser shows, next to the quoted
    /// words; a `<blockquote>` (the outermost of nested ones, or one left
    /// open to the end) is a quotation, from its start tag to its end tag.
    #[test]
    fn quotations_are_marked() {
        let html = "<p>She said <q>open weights are fine</q>.</p>\n<blockquote><p>Licensing <blockquote>nested</blockquote> now.</p></blockquote>\n<p>Own words.</p>\n<BLOCKQUOTE cite=x>left open";
        let out = extract(html);
        same_shape(html, &out.text);
        assert_eq!(
            visible(&out.text),
            "She said \u{201c}open weights are fine\u{201d}. Licensing nested now. Own words. left open"
        );
        assert!(out.text.contains("  \u{201c}open"), "{:?}", out.text);
        let quoted: Vec<String> = out
            .quotes
            .iter()
            .map(|q| visible(&out.text[q.clone()]))
            .collect();
        assert_eq!(quoted, ["Licensing nested now.", "left open"]);
    }

    /// Block tags break paragraphs, so a heading or list item without a
    /// full stop is a sentence of its own, and so do two line breaks in
    /// a row; inline tags and one line break do not.
    #[test]
    fn comment_sections_are_other_peoples_words() {
        let html = "<article><p>The committee took no vote.</p></article>\n\
            <div class=\"comment-count\">4 comments</div>\n\
            <section id=\"comments\" class=\"comments-area\"><h2>Comments</h2>\n\
            <div class=\"comment\"><div class=author>kv</div><p>Lock it down.</p></div>\n\
            <blockquote>quoted inside</blockquote>\n\
            <div class=\"comment\"><p>Banning math never worked.</p></div></section>\n\
            <p>Own words again.</p><ol class=\"commentlist\"><li>Left open";
        let out = extract(html);
        same_shape(html, &out.text);
        let quoted: Vec<String> = out
            .quotes
            .iter()
            .map(|q| visible(&out.text[q.clone()]))
            .collect();
        // Nested divs do not end the section early; the blockquote
        // inside merges with it; a list left open runs to the end; a
        // comment counter is not a comment.
        assert_eq!(
            quoted,
            [
                "Comments kv Lock it down. quoted inside Banning math never worked.",
                "Left open"
            ]
        );
        assert!(!names_comments("comment-count comments-link"));
        assert!(names_comments("disqus_thread") && names_comments("x user-comments"));
        // XML's vocabulary knows no comment sections: an element named
        // so in a bill is the bill's.
        let xml = "<bill><section id=\"comments\"><text>Agencies shall consider comments.</text></section></bill>";
        assert!(super::super::xml::extract(xml).quotes.is_empty());
    }

    #[test]
    fn block_tags_break_paragraphs() {
        let html = "<h1>Licensing</h1><p>Open <b>weights</b> matter</p><ul><li>One<li>Two</ul>Comment one<br>goes on<br> <br>Comment two";
        let out = extract(html);
        let doc = crate::text::Document::with_paragraphs(
            "t.html",
            crate::text::Format::Html,
            out.text,
            &out.paragraphs,
        );
        let folded = doc.folded().as_str();
        let sentences: Vec<&str> = doc.sentences().iter().map(|r| &folded[r.clone()]).collect();
        assert_eq!(
            sentences,
            [
                "licensing",
                "open weights matter",
                "one",
                "two",
                "comment one goes on",
                "comment two"
            ]
        );
    }

    /// An end tag looks for its start tag among the innermost open
    /// elements only: a page of thousands of unclosed dropped elements
    /// and as many stray end tags reads in time linear in its size (it
    /// took quadratic time), and reads as before: struck text is gone.
    #[test]
    fn unclosed_elements_cost_no_more_than_their_tags() {
        let mut stack: Vec<usize> = (0..1000).collect();
        close(&mut stack, |&n| n == 10);
        assert_eq!(stack.len(), 1000, "out of reach: left open");
        close(&mut stack, |&n| n == 990);
        assert_eq!(stack.len(), 990);
        let html = format!(
            "<p>kept {}{}</p><p>after",
            "<s>struck ".repeat(50_000),
            "</i>".repeat(50_000)
        );
        assert_eq!(visible(&extract(&html).text), "kept");
    }

    #[test]
    fn broken_markup_is_not_fatal() {
        for html in [
            "<p",
            "<",
            "</",
            "<!--",
            "<script>never closed",
            "&",
            "&#;",
            "&#xFFFFFFFF;",
            "<a href='x>y</a>",
            "\u{0}<p>\u{0}</p>",
        ] {
            let out = extract(html);
            assert_eq!(out.text.lines().count(), html.lines().count(), "{html:?}");
        }
    }

    #[test]
    fn sniffing() {
        assert!(sniff(b"\xEF\xBB\xBF  <!DOCTYPE html><p>x"));
        assert!(sniff(b"<!-- saved page --><HTML lang=en>"));
        assert!(!sniff(b"Plain text about <html> tags"));
        assert!(!sniff(b"# Markdown"));
    }
}
