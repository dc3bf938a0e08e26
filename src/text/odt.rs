//! OpenDocument text (`.odt`, LibreOffice's format and the one many
//! public bodies publish editable documents in): paragraphs and headings
//! of `content.xml` (zip + quick-xml).
//!
//! As for Word, each paragraph (`text:p`, `text:h`) becomes one line, so a
//! line number in evidence is the paragraph number; `text:h` headings
//! become sections at their `text:outline-level`, and so does a `text:p`
//! whose style is a heading's or the title's (LibreOffice writes one when
//! a heading needs a style of its own). Spans, links, spaces (`text:s`),
//! tabs and line breaks stay on their paragraph's line, and a paragraph
//! nested in another (a text box's) joins its line. Not read: deleted
//! text of tracked changes (`text:tracked-changes`), struck-through spans
//! (a redline by hand: an automatic style's `text-line-through-style`),
//! comments (`office:annotation`), footnotes and endnotes (`text:note`, as
//! Word's are not read), and the descriptions of drawings. A superscript
//! span of digits after a digit gets a `^` (`10^26`).

use quick_xml::events::Event;

use super::Extracted;
use super::docx::{Role, attribute, push_line, push_raised, read_entry};

/// Whether `bytes` are an OpenDocument text: a zip archive whose first
/// entry, stored uncompressed as the format requires, is the `mimetype`
/// naming it.
pub fn sniff(bytes: &[u8]) -> bool {
    const MIMETYPE: &[u8] = b"mimetypeapplication/vnd.oasis.opendocument.text";
    bytes.starts_with(b"PK\x03\x04")
        && bytes.len() >= 30 + MIMETYPE.len()
        && &bytes[30..30 + MIMETYPE.len()] == MIMETYPE
}

/// Extracts the paragraphs of an ODT file.
pub fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    let fail = |e: &dyn std::fmt::Display| format!("could not read the OpenDocument text: {e}");
    let xml = read_entry(bytes, "content.xml", ".odt").map_err(|e| fail(&e))?;
    // A password-protected document keeps its parts encrypted, as the
    // manifest says: say so, not "invalid XML".
    let manifest = read_entry(bytes, "META-INF/manifest.xml", ".odt").unwrap_or_default();
    if memchr::memmem::find(&manifest, b"encryption-data").is_some() {
        return Err(fail(
            &"it is password-protected (encrypted); save it without a password",
        ));
    }
    paragraphs(&xml).map_err(|e| fail(&e))
}

/// Elements whose content is not the document's running text.
const SKIPPED: &[&[u8]] = &[
    b"tracked-changes",
    b"annotation",
    b"note",
    b"desc",
    b"title",
];

/// What an automatic style (`office:automatic-styles`, before the body)
/// says that matters here.
#[derive(Default, Clone)]
struct Style {
    /// The style it is based on: a paragraph's named style.
    parent: Option<String>,
    struck: bool,
    superscript: bool,
}

/// What a named paragraph style makes of its paragraphs (`Heading_20_2`
/// is `Heading 2`; `Title` is a heading of level 1; `Quotations` is a
/// quotation).
fn style_role(name: &str) -> Role {
    super::docx::style_role(&name.replace("_20_", " "))
}

/// One line per outermost `text:p` or `text:h`, headings from `text:h`
/// and heading styles.
fn paragraphs(xml: &[u8]) -> Result<Extracted, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Extracted::default();
    let mut line = String::new();
    let mut role = Role::Body;
    let mut depth_in_paragraph = 0usize;
    // Depth inside a skipped element (0: not in one).
    let mut skipping = 0usize;
    let mut styles: std::collections::HashMap<String, Style> = Default::default();
    // The automatic style being read.
    let mut style: Option<(String, Style)> = None;
    // Whether each open span is superscript.
    let mut spans: Vec<bool> = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf)?;
        match &event {
            Event::Start(_) if skipping > 0 => skipping += 1,
            Event::End(_) if skipping > 0 => skipping -= 1,
            Event::Start(e) if SKIPPED.contains(&e.local_name().as_ref()) => skipping = 1,
            // A struck-through span is a redline: not read.
            Event::Start(e)
                if e.local_name().as_ref() == b"span"
                    && attribute(e, b"style-name")
                        .and_then(|n| styles.get(&n))
                        .is_some_and(|s| s.struck) =>
            {
                skipping = 1;
            }
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == b"style" && depth_in_paragraph == 0 =>
            {
                if let Some(name) = attribute(e, b"name") {
                    let parent = attribute(e, b"parent-style-name");
                    let entry = (
                        name,
                        Style {
                            parent,
                            ..Style::default()
                        },
                    );
                    if matches!(event, Event::Empty(_)) {
                        styles.insert(entry.0, entry.1);
                    } else {
                        style = Some(entry);
                    }
                }
            }
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == b"text-properties" && style.is_some() =>
            {
                if let Some((_, style)) = style.as_mut() {
                    style.struck =
                        attribute(e, b"text-line-through-style").is_some_and(|v| v != "none");
                    // `super`, or a raise in percent (`33% 80%`).
                    style.superscript = attribute(e, b"text-position").is_some_and(|v| {
                        v.starts_with("super")
                            || v.split('%')
                                .next()
                                .and_then(|n| n.trim().parse::<f64>().ok())
                                .is_some_and(|n| n > 0.0)
                    });
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"style" => {
                if let Some((name, style)) = style.take() {
                    styles.insert(name, style);
                }
            }
            Event::Start(e) | Event::Empty(e) if skipping == 0 => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    name @ (b"p" | b"h") if !empty => {
                        depth_in_paragraph += 1;
                        if depth_in_paragraph == 1 {
                            line.clear();
                            role = if name == b"h" {
                                Role::Heading(
                                    attribute(e, b"outline-level")
                                        .and_then(|v| v.parse::<usize>().ok())
                                        .unwrap_or(1)
                                        .clamp(1, 6),
                                )
                            } else {
                                attribute(e, b"style-name").map_or(Role::Body, |name| {
                                    let parent = styles.get(&name).and_then(|s| s.parent.clone());
                                    style_role(parent.as_deref().unwrap_or(&name))
                                })
                            };
                        }
                    }
                    b"span" if !empty => {
                        let superscript = attribute(e, b"style-name")
                            .and_then(|n| styles.get(&n))
                            .map_or(spans.last() == Some(&true), |s| s.superscript);
                        spans.push(superscript);
                    }
                    // An empty paragraph is an empty line, unless it sits
                    // inside another (a text box's).
                    b"p" | b"h" if depth_in_paragraph == 0 => push_line(&mut out, "", Role::Body),
                    b"s" if depth_in_paragraph > 0 => {
                        let count = attribute(e, b"c")
                            .and_then(|v| v.parse::<usize>().ok())
                            .unwrap_or(1);
                        line.extend(std::iter::repeat_n(' ', count.clamp(1, 64)));
                    }
                    b"tab" if depth_in_paragraph > 0 => line.push('\t'),
                    b"line-break" if depth_in_paragraph > 0 => line.push(' '),
                    _ => {}
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"span" => {
                spans.pop();
            }
            Event::End(e)
                if matches!(e.local_name().as_ref(), b"p" | b"h") && depth_in_paragraph > 0 =>
            {
                depth_in_paragraph -= 1;
                if depth_in_paragraph == 0 {
                    push_line(&mut out, &line, role);
                    line.clear();
                }
            }
            Event::Text(t) if skipping == 0 && depth_in_paragraph > 0 => {
                let text = t.unescape()?;
                if spans.last() == Some(&true) {
                    push_raised(&mut line, &text);
                } else {
                    line.push_str(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::headings_of;

    fn text_of(body: &str) -> Extracted {
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content \
             xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
             xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
             xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
             xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" \
             xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\">\
             <office:body><office:text>{body}</office:text></office:body></office:document-content>"
        );
        paragraphs(xml.as_bytes()).unwrap()
    }

    #[test]
    fn paragraphs_become_lines_and_headings_sections() {
        let out = text_of(
            "<text:sequence-decls/>\
             <text:h text:outline-level=\"1\">Open models</text:h>\
             <text:p>We oppose <text:span text:style-name=\"T1\">licensing</text:span>\
             <text:s text:c=\"2\"/>of <text:a xlink:href=\"x\">R&amp;D</text:a>&#8212;now.</text:p>\
             <text:p/>\
             <text:list><text:list-item><text:p>Costs<text:tab/>rise<text:line-break/>fast</text:p></text:list-item></text:list>\
             <text:h text:outline-level=\"9\">Deep</text:h>",
        );
        assert_eq!(
            out.text,
            "Open models\nWe oppose licensing  of R&D\u{2014}now.\n\nCosts\trise fast\nDeep\n"
        );
        assert_eq!(
            headings_of(&out),
            vec![(0, 1, "Open models"), (64, 6, "Deep")]
        );
    }

    /// Deleted text, comments, footnotes and a drawing's description are
    /// not the running text; a text box's paragraph joins its anchor's.
    #[test]
    fn what_is_not_running_text() {
        let out = text_of(
            "<text:tracked-changes><text:changed-region text:id=\"c1\"><text:deletion>\
             <text:p>export controls are required</text:p></text:deletion></text:changed-region></text:tracked-changes>\
             <text:p>Developers<text:change text:change-id=\"c1\"/> shall be liable\
             <office:annotation><dc:creator>Reviewer</dc:creator><text:p>add a safe harbor</text:p></office:annotation>\
             <text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation>\
             <text:note-body><text:p>See the licensing regime.</text:p></text:note-body></text:note>.\
             <draw:frame><svg:title>open weights</svg:title><svg:desc>a chart of export controls</svg:desc>\
             <draw:text-box><text:p> for harm.</text:p></draw:text-box></draw:frame></text:p>",
        );
        assert_eq!(out.text, "Developers shall be liable. for harm.\n");
    }

    /// Files LibreOffice wrote from documents written for these tests
    /// (tests/data/README.md): its automatic styles say which spans are
    /// struck or superscript, and which paragraph is a heading.
    #[test]
    fn files_a_word_processor_wrote_read_as_their_sources() {
        crate::testutil::reads_word_processor_files("odt/", ".odt", extract);
    }

    /// Automatic styles: a struck span is not read, a raised one after a
    /// digit is a power, and a paragraph styled as a heading is one.
    #[test]
    fn automatic_styles_strike_raise_and_head() {
        let out = text_of(
            "</office:text></office:body><office:automatic-styles>\
             <style:style style:name=\"P1\" style:family=\"paragraph\" style:parent-style-name=\"Heading_20_2\"/>\
             <style:style style:name=\"T1\" style:family=\"text\"><style:text-properties style:text-position=\"super 58%\"/></style:style>\
             <style:style style:name=\"T2\" style:family=\"text\"><style:text-properties style:text-line-through-style=\"solid\"/></style:style>\
             <style:style style:name=\"T3\" style:family=\"text\"><style:text-properties style:text-line-through-style=\"none\" style:text-position=\"-33% 58%\"/></style:style>\
             </office:automatic-styles><office:body><office:text>\
             <text:p text:style-name=\"P1\">Scope</text:p>\
             <text:p text:style-name=\"Title\">Title</text:p>\
             <text:p>Above 10<text:span text:style-name=\"T1\">26</text:span> operations \
             developers <text:span text:style-name=\"T2\">are exempt and </text:span>\
             <text:span text:style-name=\"T3\">shall be liable</text:span> H<text:span text:style-name=\"T3\">2</text:span>O.</text:p>",
        );
        assert_eq!(
            out.text,
            "Scope\nTitle\nAbove 10^26 operations developers shall be liable H2O.\n"
        );
        assert_eq!(headings_of(&out), vec![(0, 2, "Scope"), (6, 1, "Title")]);
    }

    /// A password-protected document: its parts are ciphertext, and the
    /// error says why, not "invalid XML".
    #[test]
    fn an_encrypted_document_is_an_error_saying_so() {
        let bytes = crate::testutil::package(&[
            ("mimetype", &b"application/vnd.oasis.opendocument.text"[..]),
            (
                "META-INF/manifest.xml",
                b"<manifest:manifest><manifest:file-entry manifest:full-path=\"content.xml\">\
                  <manifest:encryption-data manifest:checksum-type=\"SHA1/1K\"/>\
                  </manifest:file-entry></manifest:manifest>",
            ),
            ("content.xml", b"\x8f\x02<\xffciphertext"),
        ]);
        let err = extract(&bytes).unwrap_err();
        assert!(err.contains("password-protected"), "{err}");
    }

    #[test]
    fn sniffing_and_broken_files() {
        let mut odt = b"PK\x03\x04".to_vec();
        odt.extend([0u8; 26]);
        odt.extend(b"mimetypeapplication/vnd.oasis.opendocument.text");
        assert!(sniff(&odt));
        assert!(!sniff(b"PK\x03\x04 word/"));
        let presentation = String::from_utf8_lossy(&odt)
            .replace("text", "presentation")
            .into_bytes();
        assert!(!sniff(&presentation));
        assert!(extract(&odt).is_err());
        assert!(extract(b"").is_err());
    }
}
