//! DOCX: paragraphs and headings of a Word document (zip + quick-xml).
//!
//! The body (`word/document.xml`) becomes one line per paragraph, so a
//! line number in evidence is the paragraph number. Text runs, tabs and
//! line breaks inside a paragraph are kept on its line; deleted text of
//! tracked changes is not, nor struck-through text (a redline by hand). A superscript number after a digit gets a
//! `^` (`10^26`). Paragraphs with a heading style (`Heading1`…
//! `Heading6`, `Title`, or an outline level) become section headings.

use std::io::Read;

use quick_xml::events::Event;

use super::{Extracted, Heading};

/// The largest `word/document.xml` read (uncompressed), so a zip bomb is
/// an error, not an out-of-memory kill.
const MAX_XML: u64 = 256 * 1024 * 1024;

/// Whether `bytes` are a Word document: a zip archive whose first entry
/// names are those of an Office package.
pub fn sniff(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        && bytes[..bytes.len().min(64 * 1024)]
            .windows(b"word/".len())
            .any(|w| w == b"word/")
}

/// Extracts the paragraphs of a DOCX file.
pub fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    // A password-protected .docx is an OLE compound file, and so is a
    // .doc saved under a .docx name.
    if super::doc::sniff(bytes) {
        return super::doc::extract(bytes);
    }
    let fail = |e: &dyn std::fmt::Display| format!("could not read the Word document: {e}");
    let xml = read_entry(bytes, "word/document.xml", ".docx").map_err(|e| fail(&e))?;
    paragraphs(&xml).map_err(|e| fail(&e))
}

/// The uncompressed bytes of the zip entry `name` of an office package
/// (`kind`, for the message when it is missing), at most [`MAX_XML`], so a
/// zip bomb is an error, not an out-of-memory kill.
pub(super) fn read_entry(bytes: &[u8], name: &str, kind: &str) -> Result<Vec<u8>, String> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let entry = archive
        .by_name(name)
        .map_err(|_| format!("it has no {name} (not a {kind}?)"))?;
    let mut xml = Vec::new();
    entry
        .take(MAX_XML + 1)
        .read_to_end(&mut xml)
        .map_err(|e| e.to_string())?;
    if xml.len() as u64 > MAX_XML {
        return Err(format!(
            "{name} is larger than {} MB uncompressed",
            MAX_XML >> 20
        ));
    }
    Ok(xml)
}

/// One line per `w:p`, headings from paragraph styles.
fn paragraphs(xml: &[u8]) -> Result<Extracted, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Extracted::default();
    let mut line = String::new();
    let mut role = Role::Body;
    let mut in_text = false;
    // The run being read is superscript (`w:vertAlign`), or struck
    // through (`w:strike`, `w:dstrike`: a redline done by hand).
    let mut superscript = false;
    let mut struck = false;
    // Inside `w:rPrChange`: the run's formatting before a tracked change,
    // not its formatting now.
    let mut old_format = false;
    let mut depth_in_paragraph = 0usize;
    loop {
        let event = reader.read_event_into(&mut buf)?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"p" if !empty => {
                        depth_in_paragraph += 1;
                        if depth_in_paragraph == 1 {
                            line.clear();
                            role = Role::Body;
                        }
                    }
                    // An empty paragraph inside another (a text box's)
                    // adds nothing to the outer paragraph's line.
                    b"p" if depth_in_paragraph == 0 => push_line(&mut out, "", Role::Body),
                    b"rPrChange" if !empty => old_format = true,
                    _ if old_format => {}
                    b"r" => (superscript, struck) = (false, false),
                    b"strike" | b"dstrike" => {
                        struck =
                            !matches!(attribute(e, b"val").as_deref(), Some("false" | "0" | "off"));
                    }
                    b"vertAlign" => {
                        superscript = attribute(e, b"val").as_deref() == Some("superscript");
                    }
                    b"t" if !empty => in_text = true,
                    b"tab" => line.push('\t'),
                    b"br" | b"cr" => line.push(' '),
                    b"pStyle" => {
                        if let Some(value) = attribute(e, b"val")
                            && role == Role::Body
                        {
                            role = style_role(&value);
                        }
                    }
                    b"outlineLvl" => {
                        if let Some(value) = attribute(e, b"val")
                            && let Ok(n) = value.parse::<usize>()
                            && n < 6
                        {
                            role = Role::Heading(n + 1);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"rPrChange" => old_format = false,
                b"p" => {
                    depth_in_paragraph = depth_in_paragraph.saturating_sub(1);
                    if depth_in_paragraph == 0 {
                        push_line(&mut out, &line, role);
                        line.clear();
                    }
                }
                _ => {}
            },
            Event::Text(_) if in_text && struck => {}
            Event::Text(t) if in_text && superscript => push_raised(&mut line, &t.unescape()?),
            Event::Text(t) if in_text => line.push_str(&t.unescape()?),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// What a paragraph is, by its style or outline level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Role {
    /// Body text (or any other style).
    #[default]
    Body,
    /// A heading of level 1 (top) to 6.
    Heading(usize),
    /// A block quotation: someone else's words.
    Quote,
}

/// Appends a paragraph as one line (line breaks inside become spaces); a
/// heading is a section, a quotation one of [`Extracted::quotes`].
pub(super) fn push_line(out: &mut Extracted, line: &str, role: Role) {
    let line = line.replace(['\n', '\r'], " ");
    let start = out.text.len();
    if let Role::Heading(level) = role {
        let label = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !label.is_empty() {
            out.headings.push(Heading {
                offset: out.text.len(),
                level,
                label,
            });
        }
    }
    out.text.push_str(&line);
    out.text.push('\n');
    if role == Role::Quote {
        match out.quotes.last_mut() {
            // The next paragraph of the same quotation.
            Some(last) if last.end == start => last.end = out.text.len(),
            _ => out.quotes.push(start..out.text.len()),
        }
    }
}

/// Appends `text`, set raised (superscript), to `line`: a number raised
/// after a digit gets a `^` first, so `10` then a raised `26` reads
/// `10^26`, as plain text writes it, not `1026`.
pub(super) fn push_raised(line: &mut String, text: &str) {
    if line.ends_with(|c: char| c.is_ascii_digit())
        && text.starts_with(|c: char| c.is_ascii_digit())
    {
        line.push('^');
    }
    line.push_str(text);
}

pub(super) fn attribute(e: &quick_xml::events::BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// What paragraphs of style `style` (an identifier or a name) are:
/// headings ([`style_level`]), quotations (`Quote`, `Intense Quote`,
/// `Block Quote`, LibreOffice's `Quotations`), or body text.
pub(super) fn style_role(style: &str) -> Role {
    if let Some(level) = style_level(style) {
        return Role::Heading(level);
    }
    if style.to_ascii_lowercase().contains("quot") {
        Role::Quote
    } else {
        Role::Body
    }
}

/// `Heading2` → 2, `Title` → 1; other styles are not headings.
pub(super) fn style_level(style: &str) -> Option<usize> {
    let lower = style.to_ascii_lowercase().replace(' ', "");
    if lower == "title" {
        return Some(1);
    }
    let digits = lower.strip_prefix("heading")?;
    match digits.parse::<usize>() {
        Ok(n @ 1..=6) => Some(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::headings_of;

    const BODY: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Open models</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">We oppose </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>licensing</w:t></w:r><w:del><w:r><w:delText>not</w:delText></w:r></w:del><w:r><w:tab/><w:t>R&amp;D &#8212; now.</w:t></w:r></w:p>
<w:p/>
<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>Costs</w:t></w:r></w:p>
</w:body></w:document>"#;

    #[test]
    fn paragraphs_become_lines_and_heading_styles_sections() {
        let out = paragraphs(BODY.as_bytes()).unwrap();
        assert_eq!(
            out.text,
            "Open models\nWe oppose licensing\tR&D \u{2014} now.\n\nCosts\n"
        );
        assert_eq!(
            headings_of(&out),
            vec![(0, 1, "Open models"), (46, 2, "Costs")]
        );
    }

    #[test]
    fn nested_paragraphs_join_their_outer_paragraph_line() {
        // Paragraphs in a text box sit inside the paragraph anchoring it:
        // their text joins its line, and an empty one adds no line.
        let body = "<w:body><w:p><w:r><w:t>Open </w:t></w:r><w:p/>\
                    <w:p><w:r><w:t>weights</w:t></w:r></w:p></w:p><w:p/></w:body>";
        let out = paragraphs(body.as_bytes()).unwrap();
        assert_eq!(out.text, "Open weights\n\n");
    }

    /// A superscript exponent is a power of ten, not part of a bigger
    /// number; a footnote marker and a subscript are left as they are.
    #[test]
    fn a_superscript_number_after_a_digit_reads_as_a_power() {
        let sup = |t: &str| {
            format!("<w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr><w:t>{t}</w:t></w:r>")
        };
        let body = format!(
            "<w:body><w:p><w:r><w:t>Above 10</w:t></w:r>{}<w:r><w:t> FLOP, see harm</w:t></w:r>{}\
             <w:r><w:t>; CO</w:t></w:r><w:r><w:rPr><w:vertAlign w:val=\"subscript\"/></w:rPr><w:t>2</w:t></w:r>\
             <w:r><w:t> and 10</w:t></w:r><w:r><w:t>25.</w:t></w:r></w:p></w:body>",
            sup("26"),
            sup("3")
        );
        let out = paragraphs(body.as_bytes()).unwrap();
        assert_eq!(out.text, "Above 10^26 FLOP, see harm3; CO2 and 1025.\n");
    }

    /// A redline by hand: struck runs are what the draft deletes.
    #[test]
    fn struck_runs_are_left_out() {
        let run = |props: &str, t: &str| {
            format!("<w:r><w:rPr>{props}</w:rPr><w:t xml:space=\"preserve\">{t}</w:t></w:r>")
        };
        let body = format!(
            "<w:body><w:p>{}{}{}{}{}{}</w:p></w:body>",
            run("", "Developers "),
            run("<w:strike/>", "are exempt "),
            run("<w:dstrike w:val=\"1\"/>", "are immune "),
            run("<w:strike w:val=\"false\"/>", "shall be "),
            // Struck before a tracked formatting change, not now.
            run(
                "<w:rPrChange w:id=\"1\"><w:rPr><w:strike/></w:rPr></w:rPrChange>",
                "liable"
            ),
            run("<w:b/>", "."),
        );
        let out = paragraphs(body.as_bytes()).unwrap();
        assert_eq!(out.text, "Developers shall be liable.\n");
    }

    #[test]
    fn broken_files_are_errors() {
        let encrypted = crate::text::doc::tests::encrypted();
        let err = extract(&encrypted).unwrap_err();
        assert!(err.contains("password-protected"), "{err}");
        assert!(extract(b"PK\x03\x04 not really a zip").is_err());
        assert!(extract(b"").is_err());
        assert!(paragraphs(b"<w:p><w:t>unclosed").is_ok_and(|o| o.text.is_empty()));
    }

    /// Paragraphs in a quotation style are quotations; one after another
    /// make one.
    #[test]
    fn quotation_styles_are_quotations() {
        let body = r#"<w:document xmlns:w="w"><w:body>
<w:p><w:r><w:t>Own.</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Quote"/></w:pPr><w:r><w:t>First.</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="IntenseQuote"/></w:pPr><w:r><w:t>Second.</w:t></w:r></w:p>
<w:p><w:r><w:t>Own again.</w:t></w:r></w:p>
</w:body></w:document>"#;
        let out = paragraphs(body.as_bytes()).unwrap();
        let quoted: Vec<&str> = out.quotes.iter().map(|q| &out.text[q.clone()]).collect();
        assert_eq!(quoted, ["First.\nSecond.\n"]);
        assert_eq!(style_role("Block Quotation"), Role::Quote);
        assert_eq!(style_role("Heading 2"), Role::Heading(2));
        assert_eq!(style_role("BodyText"), Role::Body);
    }

    #[test]
    fn style_levels() {
        assert_eq!(style_level("Heading3"), Some(3));
        assert_eq!(style_level("heading 2"), Some(2));
        assert_eq!(style_level("Title"), Some(1));
        assert_eq!(style_level("Heading9"), None);
        assert_eq!(style_level("BodyText"), None);
    }
}
