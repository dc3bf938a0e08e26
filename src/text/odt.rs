//! OpenDocument text (`.odt`, LibreOffice's format and the one many
//! public bodies publish editable documents in): paragraphs and headings
//! of `content.xml` (zip + quick-xml).
//!
//! As for Word, each paragraph (`text:p`, `text:h`) becomes one line, so a
//! line number in evidence is the paragraph number; `text:h` headings
//! become sections at their `text:outline-level`. Spans, links, spaces
//! (`text:s`), tabs and line breaks stay on their paragraph's line, and a
//! paragraph nested in another (a text box's) joins its line. Not read:
//! deleted text of tracked changes (`text:tracked-changes`), comments
//! (`office:annotation`), footnotes and endnotes (`text:note`, as Word's
//! are not read), and the descriptions of drawings.

use quick_xml::events::Event;

use super::Extracted;
use super::docx::{attribute, push_line, read_entry};

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

/// One line per outermost `text:p` or `text:h`, headings from `text:h`.
fn paragraphs(xml: &[u8]) -> Result<Extracted, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Extracted::default();
    let mut line = String::new();
    let mut level: Option<usize> = None;
    let mut depth_in_paragraph = 0usize;
    // Depth inside a skipped element (0: not in one).
    let mut skipping = 0usize;
    loop {
        let event = reader.read_event_into(&mut buf)?;
        match &event {
            Event::Start(_) if skipping > 0 => skipping += 1,
            Event::End(_) if skipping > 0 => skipping -= 1,
            Event::Start(e) if SKIPPED.contains(&e.local_name().as_ref()) => skipping = 1,
            Event::Start(e) | Event::Empty(e) if skipping == 0 => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    name @ (b"p" | b"h") if !empty => {
                        depth_in_paragraph += 1;
                        if depth_in_paragraph == 1 {
                            line.clear();
                            level = (name == b"h").then(|| {
                                attribute(e, b"outline-level")
                                    .and_then(|v| v.parse::<usize>().ok())
                                    .unwrap_or(1)
                                    .clamp(1, 6)
                            });
                        }
                    }
                    // An empty paragraph is an empty line, unless it sits
                    // inside another (a text box's).
                    b"p" | b"h" if depth_in_paragraph == 0 => push_line(&mut out, "", None),
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
            Event::End(e)
                if matches!(e.local_name().as_ref(), b"p" | b"h") && depth_in_paragraph > 0 =>
            {
                depth_in_paragraph -= 1;
                if depth_in_paragraph == 0 {
                    push_line(&mut out, &line, level);
                    line.clear();
                }
            }
            Event::Text(t) if skipping == 0 && depth_in_paragraph > 0 => {
                line.push_str(&t.unescape()?);
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

    /// A password-protected document: its parts are ciphertext, and the
    /// error says why, not "invalid XML".
    #[test]
    fn an_encrypted_document_is_an_error_saying_so() {
        use std::io::Write as _;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for (name, data) in [
            ("mimetype", &b"application/vnd.oasis.opendocument.text"[..]),
            (
                "META-INF/manifest.xml",
                b"<manifest:manifest><manifest:file-entry manifest:full-path=\"content.xml\">\
                  <manifest:encryption-data manifest:checksum-type=\"SHA1/1K\"/>\
                  </manifest:file-entry></manifest:manifest>",
            ),
            ("content.xml", b"\x8f\x02<\xffciphertext"),
        ] {
            zip.start_file(name, options).unwrap();
            zip.write_all(data).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
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
