//! XML documents: bills, statutes and feeds, read in place like HTML.
//!
//! Legislatures publish bills and codes as XML: the US House and Senate
//! in the bill DTD of govinfo (`<bill>`, `<section>`, `<enum>`,
//! `<header>`, `<text>`), the US Code and public laws in USLM
//! (`<uscDoc>`, `<lawDoc>`, `<num>`, `<heading>`, `<content>`), many
//! parliaments and the EU in Akoma Ntoso (`<akomaNtoso>`); agencies'
//! rules, notices and requests for comment in the Federal Register's XML
//! (`<RULE>`, `<HD>`, `<P>`) and the CFR's (`<HEAD>`); news comes as RSS
//! and Atom feeds. A `.xml` file whose root element is one of these
//! is read as a document: the text of its elements, in place (every
//! character keeps its line and column, as in HTML, so evidence points at
//! the XML), each element a paragraph but for a few inline ones, headings
//! (`header`, `heading`, `HD`, `HEAD`) as sections at the depth of their nesting with
//! their number (`Sec. 2. Definitions`), and metadata, tables of contents,
//! notes and text marked deleted (`changed="deleted"`, `<deleted-phrase>`)
//! left out. Any other `.xml` (a build file, a configuration) is not a
//! document and is skipped.

use super::Extracted;
use super::html::{Vocabulary, extract_with};

/// Root elements (lowercase, without a namespace prefix) of the XML
/// document vocabularies read.
const ROOTS: &[&str] = &[
    // govinfo's bill DTD.
    "bill",
    "resolution",
    "amendment-doc",
    "engrossed-amendment",
    // USLM.
    "uscdoc",
    "lawdoc",
    "statutesatlarge",
    "plaw",
    // Akoma Ntoso, Formex (EU), TEI, JATS and DocBook.
    "akomantoso",
    "act",
    "cons.act",
    "formex",
    "tei",
    "article",
    "book",
    "chapter",
    // The Federal Register (a day's issue, or one document) and the
    // Code of Federal Regulations (eCFR and the annual edition).
    "fedreg",
    "rule",
    "prorule",
    "notice",
    "presdocu",
    "ecfr",
    "dlpstextclass",
    "cfrdoc",
    "cfrgranule",
    // Feeds, and XHTML saved as `.xml`.
    "rss",
    "feed",
    "rdf",
    "html",
];

/// Elements that are not prose: metadata, tables of contents (which
/// repeat every heading), navigation, deleted text, and notes (the US
/// Code's editorial and statutory notes and source credits, a bill's
/// footnotes, the Federal Register's footnotes and filing lines: as
/// footnotes of Word-like files are not read).
const DROPPED: &[&str] = &[
    "notes",
    "note",
    "footnote",
    "sourcecredit",
    "ftnt",
    "frdoc",
    "bilcod",
    "metadata",
    "meta",
    "dublincore",
    "identification",
    "lifecycle",
    "analysis",
    "proprietary",
    "references",
    "toc",
    "toc-entry",
    "deleted-phrase",
    "del",
    "script",
    "style",
    "link",
    "guid",
    "pubdate",
    "updated",
    "id",
];

/// Elements that sit inside a line of text and do not separate words.
const INLINE: &[&str] = &[
    "a",
    "b",
    "i",
    "u",
    "em",
    "strong",
    "span",
    "sup",
    "sub",
    "term",
    "quote",
    "inline",
    "ref",
    "date",
    "italic",
    "bold",
    "external-xref",
    "internal-xref",
    "added-phrase",
    "short-title",
    "act-name",
    "enum-in-header",
    "footnote-ref",
    "hi",
    "emph",
    "xref",
    // The Federal Register's emphasis, superscripts and fractions.
    "e",
    "su",
    "fr",
];

/// What the elements of a document vocabulary of XML mean.
pub(crate) const VOCABULARY: Vocabulary = Vocabulary {
    raw_text: false,
    dropped: |name| DROPPED.contains(&name),
    inline: |name| INLINE.contains(&name),
    block: |name| !INLINE.contains(&name),
    // The bill DTD's `header`, USLM's and Akoma Ntoso's `heading`, the
    // Federal Register's `HD` and the CFR's `HEAD`.
    heading: |name| matches!(name, "header" | "heading" | "hd" | "head").then_some(0),
    nested: true,
    number: |name| matches!(name, "enum" | "num"),
    quotation: |name| name == "blockquote",
    comment_sections: false,
    void: |_| false,
};

/// The root element's name (lowercase, without a namespace prefix) of
/// the XML `text`, after its declaration, comments, processing
/// instructions and doctype; `None` when it does not start like XML.
pub fn root(text: &str) -> Option<String> {
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>")?.1.trim_start();
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->")?.1.trim_start();
        } else if let Some(after) = rest.strip_prefix("<!") {
            // A doctype, maybe with an internal subset in brackets.
            let end = match (after.find('['), after.find('>')) {
                (Some(open), Some(close)) if open < close => open + after[open..].find("]>")? + 1,
                (_, Some(close)) => close,
                _ => return None,
            };
            rest = after[end + 1..].trim_start();
        } else {
            break;
        }
    }
    let name: String = rest
        .strip_prefix('<')?
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | '/'))
        .collect::<String>();
    let name = super::html::local_name(&name);
    (!name.is_empty()).then_some(name)
}

/// Whether `text` is an XML document policyscan reads: its root element
/// is one of a bill, statute, regulation, article or feed vocabulary.
pub fn is_document(text: &str) -> bool {
    root(text).is_some_and(|r| ROOTS.contains(&r.as_str()))
}

/// Extracts the prose of the XML document `text`, in place (XHTML as
/// HTML is read: [`super::html::extract`]). The
/// brackets of CDATA sections (a feed's descriptions) are blanked first,
/// so their text, and any markup in it, is read like the rest; so is a
/// feed's HTML escaped as text (`unescape_markup` below).
pub fn extract(text: &str) -> Extracted {
    let root = root(text);
    // XHTML saved as `.xml` is a page, read as one.
    if root.as_deref() == Some("html") {
        return super::html::extract(text);
    }
    let unescaped = matches!(root.as_deref(), Some("rss" | "feed" | "rdf"))
        .then(|| unescape_markup(text))
        .flatten();
    let text = unescaped.as_deref().unwrap_or(text);
    if !text.contains("<![CDATA[") {
        return extract_with(text, &VOCABULARY);
    }
    let mut opened = text.to_string();
    let mut from = 0;
    while let Some(start) = opened[from..].find("<![CDATA[").map(|i| from + i) {
        opened.replace_range(start..start + 9, "         ");
        let Some(end) = opened[start..].find("]]>").map(|i| start + i) else {
            break;
        };
        opened.replace_range(end..end + 3, "   ");
        from = end + 3;
    }
    extract_with(&opened, &VOCABULARY)
}

/// How far an escaped tag may run, from its `&lt;` to its `&gt;`.
const ESCAPED_TAG_REACH: usize = 2048;

/// The references that delimit an escaped tag's attributes, and what
/// they stand for.
const ATTRIBUTE_REFERENCES: &[(&str, char)] = &[
    ("&quot;", '"'),
    ("&#34;", '"'),
    ("&apos;", '\''),
    ("&#39;", '\''),
    ("&amp;", '&'),
];

/// A feed's HTML written as text: RSS descriptions commonly, and Atom's
/// `type="html"` always, carry `&lt;p&gt;Text&lt;/p&gt;`, which decoded
/// once is markup, not words. Turns each escaped tag in the text between
/// the XML's own tags (`&lt;` then a letter, `/` or `!`, up to the next
/// `&gt;` before any real tag) into the tag, in place: `&lt;` and `&gt;`
/// become `<` and `>`, the references inside it that delimit attributes
/// ([`ATTRIBUTE_REFERENCES`]) their characters, and spaces before the `>`
/// make up the length, so the text around it keeps its place. CDATA sections,
/// comments and the XML's tags are left alone, and so is a `&lt;` that
/// no `&gt;` closes ("a &lt; b"). `None` when there is nothing to do.
fn unescape_markup(text: &str) -> Option<String> {
    if !text.contains("&lt;") {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // Where the next `&gt;` and the next `<` are, found once and reused
    // until passed, so text of many `&lt;` that nothing closes is read in
    // one pass, not once per `&lt;`.
    let mut next_gt = Next::new("&gt;");
    let mut next_lt = Next::new("<");
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // The XML's own markup, copied as it is.
        let skip = [("<![CDATA[", "]]>"), ("<!--", "-->"), ("<", ">")]
            .into_iter()
            .find(|(open, _)| rest.starts_with(open))
            .map(|(open, close)| {
                rest[open.len()..]
                    .find(close)
                    .map_or(rest.len(), |e| open.len() + e + close.len())
            });
        if let Some(len) = skip {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        let opens_tag = rest.starts_with("&lt;")
            && rest[4..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let close = || {
            let at = text.len() - rest.len();
            let gt = next_gt.after(text, at)?;
            let closed_first = next_lt.after(text, at).is_none_or(|lt| lt > gt);
            (closed_first && gt - at <= ESCAPED_TAG_REACH).then_some(gt - at)
        };
        match opens_tag.then(close).flatten() {
            Some(end) => {
                // The tag decoded, then padded to its escaped length just
                // before its `>` (or `/>`), so text after it stays where
                // it touched it ("bill&lt;/a&gt;." reads "bill."), and
                // before each line break inside it, so each of its lines
                // keeps its length.
                let mut tag = String::from("<");
                let mut inside = &rest[4..end];
                while let Some(amp) = inside.find('&') {
                    push_keeping_lines(&mut tag, &inside[..amp], end - inside.len());
                    inside = &inside[amp..];
                    let reference = ATTRIBUTE_REFERENCES
                        .iter()
                        .find(|(reference, _)| inside.starts_with(reference));
                    let (len, c) = reference.map_or((1, '&'), |(r, c)| (r.len(), *c));
                    tag.push(c);
                    inside = &inside[len..];
                }
                push_keeping_lines(&mut tag, inside, end - inside.len());
                let padding = end + 4 - tag.len() - 1;
                let at = tag.len() - usize::from(tag.ends_with('/'));
                tag.insert_str(at, &" ".repeat(padding));
                tag.push('>');
                out.push_str(&tag);
                rest = &rest[end + 4..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    (out != text).then_some(out)
}

/// Appends `chunk`, which starts `at` bytes into an escaped tag, to the
/// tag decoded so far, padding it at each line break (before a `\r\n`'s
/// `\r`) to the escaped tag's length there: a tag written over several
/// lines keeps every line's length, so columns after it stay right.
fn push_keeping_lines(tag: &mut String, chunk: &str, at: usize) {
    let bytes = chunk.as_bytes();
    let mut from = 0;
    for newline in memchr::memchr_iter(b'\n', bytes) {
        let brk = newline - usize::from(newline > 0 && bytes[newline - 1] == b'\r');
        tag.push_str(&chunk[from..brk]);
        let escaped = at + brk;
        tag.extend(std::iter::repeat_n(' ', escaped.saturating_sub(tag.len())));
        from = brk;
    }
    tag.push_str(&chunk[from..]);
}

/// The next occurrence of a needle at or after a place, cached while
/// the place has not passed it.
struct Next {
    needle: &'static str,
    /// The last answer: the offset found (`None`: none to the end) and
    /// whether one was looked for at all.
    found: Option<Option<usize>>,
}

impl Next {
    fn new(needle: &'static str) -> Next {
        Next {
            needle,
            found: None,
        }
    }

    /// The offset in `text` of the first needle at or after `at`.
    fn after(&mut self, text: &str, at: usize) -> Option<usize> {
        match self.found {
            Some(Some(offset)) if offset >= at => Some(offset),
            Some(None) => None,
            _ => {
                let offset = text[at..].find(self.needle).map(|i| at + i);
                self.found = Some(offset);
                offset
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{headings_of, same_shape, visible};

    /// A bill in govinfo's DTD, written for this test.
    const BILL: &str = r#"<?xml version="1.0"?>
<!DOCTYPE bill PUBLIC "-//US Congress//DTDs/bill.dtd//EN" "bill.dtd">
<bill bill-stage="Introduced-in-House" dms-id="H1"><metadata><dublinCore><dc:title>119 HR 1: Model licensing</dc:title></dublinCore></metadata>
<form><legis-num>H. R. 1</legis-num><official-title>To license developers of frontier models.</official-title></form>
<legis-body><toc><toc-entry>Sec. 1. Short title.</toc-entry></toc>
<section id="S1"><enum>1.</enum><header>Short title</header><text>This Act may be cited as the <short-title>Frontier Model Licensing Act</short-title>.</text></section>
<title id="T1"><enum>I</enum><header>Licensing</header>
<section id="S2"><enum>101.</enum><header>Licence required</header>
<subsection id="S2a"><enum>(a)</enum><text>A developer shall obtain a licence before release of model weights.</text></subsection>
<subsection changed="deleted"><enum>(b)</enum><text>Open-source developers are exempt.</text></subsection>
<subsection><enum>(c)</enum><text>Research <deleted-phrase>is never</deleted-phrase><added-phrase>is</added-phrase> exempt.</text></subsection>
</section></title></legis-body></bill>
"#;

    #[test]
    fn a_bill_reads_as_its_text_with_numbered_sections() {
        assert_eq!(root(BILL).as_deref(), Some("bill"));
        assert!(is_document(BILL));
        let out = extract(BILL);
        same_shape(BILL, &out.text);
        assert_eq!(
            visible(&out.text),
            "H. R. 1 To license developers of frontier models. \
             1. Short title This Act may be cited as the Frontier Model Licensing Act. \
             I Licensing 101. Licence required (a) A developer shall obtain a licence before release of model weights. \
             (c) Research is exempt."
        );
        let headings: Vec<(usize, &str)> = headings_of(&out)
            .into_iter()
            .map(|(_, level, label)| (level, label))
            .collect();
        assert_eq!(
            headings,
            [
                (1, "1. Short title"),
                (1, "I Licensing"),
                (2, "101. Licence required")
            ]
        );
    }

    /// USLM and Akoma Ntoso use `num` and `heading`; namespace prefixes
    /// do not matter; the US Code's notes are not its text.
    #[test]
    fn uslm_and_akoma_ntoso_headings_are_sections() {
        let usc = "<uscDoc><main><section><num>\u{a7} 9.</num><heading>Models</heading><content>Developers shall report.</content>\
                   <sourceCredit>(Pub. L. 1)</sourceCredit><notes><note><p>Amendments: licensing struck.</p></note></notes></section></main></uscDoc>";
        let out = extract(usc);
        assert_eq!(
            visible(&out.text),
            "\u{a7} 9. Models Developers shall report."
        );
        assert_eq!(headings_of(&out)[0].2, "\u{a7} 9. Models");
        let akn = "<akn:akomaNtoso xmlns:akn=\"a\"><akn:act><akn:body><akn:article><akn:num>Article 5</akn:num><akn:heading>Open models</akn:heading><akn:paragraph><akn:content><akn:p>Providers shall publish <akn:term>model weights</akn:term>.</akn:p></akn:content></akn:paragraph></akn:article></akn:body></akn:act></akn:akomaNtoso>";
        assert!(is_document(akn));
        let out = extract(akn);
        assert_eq!(
            visible(&out.text),
            "Article 5 Open models Providers shall publish model weights."
        );
        // The section starts at the number.
        let at = akn.find("<akn:num>").unwrap();
        assert_eq!(headings_of(&out), [(at, 1, "Article 5 Open models")]);
    }

    /// A feed's items are paragraphs, and the text of CDATA sections
    /// (with its markup) is read in place.
    #[test]
    fn a_feed_reads_its_items_and_cdata() {
        let rss = "<rss version=\"2.0\"><channel><title>Policy news</title>\n<item><title>Open models</title><guid>x1</guid>\n<description><![CDATA[<p>Licensing would <b>stifle</b> startups.</p>]]></description></item><item><title>Unclosed</title><description><![CDATA[tail</description></item></channel></rss>";
        let out = extract(rss);
        same_shape(rss, &out.text);
        assert_eq!(
            visible(&out.text),
            "Policy news Open models Licensing would stifle startups. Unclosed tail"
        );
    }

    /// HTML escaped as a feed's text is markup: its tags are not words,
    /// its block tags break paragraphs, and every character keeps its
    /// place. A `&lt;` that no `&gt;` closes is text, and text outside
    /// feeds is not touched.
    #[test]
    fn a_feeds_escaped_html_is_markup() {
        let rss = "<rss version=\"2.0\"><channel><item><title>Open &lt;em&gt;weights&lt;/em&gt;</title>\n\
                   <description>&lt;p&gt;Licensing would &lt;strong&gt;stifle&lt;/strong&gt; startups.&lt;/p&gt;&lt;p&gt;See &lt;a href=&quot;https://x.example/?a=1&amp;amp;b=2&quot;&gt;the bill&lt;/a&gt;.&lt;/p&gt;</description>\n\
                   <description>Costs fall when a &lt; b, and AT&amp;T agrees.</description></item></channel></rss>";
        let out = extract(rss);
        same_shape(rss, &out.text);
        assert_eq!(
            visible(&out.text),
            "Open weights Licensing would stifle startups. See the bill. Costs fall when a < b, and AT&T agrees."
        );
        let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><summary type=\"html\">&lt;p&gt;Open&lt;br/&gt;models&lt;/p&gt;&lt;!-- x --&gt;</summary></entry></feed>";
        let out = extract(atom);
        same_shape(atom, &out.text);
        assert_eq!(visible(&out.text), "Open models");
        let bill = "<bill><text>Models &lt;b&gt; remain.</text></bill>";
        assert_eq!(visible(&extract(bill).text), "Models <b> remain.");
    }

    /// An escaped tag written over several lines keeps each line's
    /// length (found by fuzzing: the padding all went before its `>`, so
    /// its first line was short and its last one long, and columns on
    /// the last line were off).
    #[test]
    fn an_escaped_tag_over_several_lines_keeps_each_lines_length() {
        for eol in ["\n", "\r\n"] {
            let rss = format!(
                "<rss version=\"2.0\"><channel><item><description>See &lt;a href=&quot;https://x.example/a{eol}b&amp;amp;c&quot;{eol}title=&quot;t&quot;&gt;the bill&lt;/a&gt; and &lt;b{eol}class=&quot;x&quot;&gt;this&lt;/b&gt;.</description></item></channel></rss>"
            );
            let out = extract(&rss);
            same_shape(&rss, &out.text);
            assert_eq!(visible(&out.text), "See the bill and this.");
        }
    }

    /// The Federal Register's `HD` headings are sections, its footnotes
    /// and filing line are not read; the CFR's `HEAD` is a heading.
    #[test]
    fn federal_register_and_cfr_documents() {
        let fr = "<RULE><PREAMB><AGENCY>Department of Commerce</AGENCY>\n<SUM><HD SOURCE=\"HED\">SUMMARY:</HD><P>This rule sets reporting for dual-use models<SU>1</SU>.</P></SUM>\n<FTNT><P><SU>1</SU> See the <E T=\"03\">Act</E>.</P></FTNT></PREAMB><FRDOC>[FR Doc. 2026-1 Filed]</FRDOC></RULE>";
        assert!(is_document(fr));
        let out = extract(fr);
        assert_eq!(
            visible(&out.text),
            "Department of Commerce SUMMARY: This rule sets reporting for dual-use models1."
        );
        assert_eq!(headings_of(&out)[0].2, "SUMMARY:");
        let cfr = "<DLPSTEXTCLASS><DIV5 N=\"1\" TYPE=\"PART\"><HEAD>PART 1\u{2014}MODELS</HEAD><DIV8 N=\"1.1\" TYPE=\"SECTION\"><HEAD>\u{a7} 1.1 Scope.</HEAD><P>Developers shall report.</P></DIV8></DIV5></DLPSTEXTCLASS>";
        let out = extract(cfr);
        let levels: Vec<(usize, &str)> = headings_of(&out)
            .into_iter()
            .map(|(_, l, h)| (l, h))
            .collect();
        assert_eq!(
            levels,
            [(1, "PART 1\u{2014}MODELS"), (2, "\u{a7} 1.1 Scope.")]
        );
    }

    /// Build and configuration files are not documents; a root is found
    /// past declarations, comments and doctypes with internal subsets.
    #[test]
    fn other_xml_is_not_a_document() {
        for (text, root_name) in [
            (
                "<?xml version=\"1.0\"?><project><modelVersion>4</modelVersion></project>",
                Some("project"),
            ),
            (
                "<!-- c --><!DOCTYPE x [<!ENTITY a \"b\">]>\n<rss version=\"2.0\"/>",
                Some("rss"),
            ),
            (
                "\u{feff}<feed xmlns=\"http://www.w3.org/2005/Atom\">",
                Some("feed"),
            ),
            ("plain text", None),
            ("<?xml never closed", None),
        ] {
            assert_eq!(root(text).as_deref(), root_name, "{text:?}");
        }
        assert!(!is_document("<project/>"));
        assert!(is_document("<rss version=\"2.0\"/>"));
    }
}
