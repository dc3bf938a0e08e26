//! DOCX: paragraphs and headings of a Word document (zip + quick-xml).
//!
//! The body (`word/document.xml`) becomes one line per paragraph, so a
//! line number in evidence is the paragraph number. Text runs, tabs and
//! line breaks inside a paragraph are kept on its line; deleted text of
//! tracked changes is not, nor struck-through text (a redline by hand). A superscript number after a digit gets a
//! `^` (`10^26`). Paragraphs with a heading style (`Heading1`…
//! `Heading6`, `Title`, or an outline level) become section headings, and
//! those in a quotation style (`Quote`) quotations; what a style id means
//! is read from `word/styles.xml` (its name, outline level and the style
//! it is based on), so localised ids (`berschrift1`, `Zitat`) and house
//! styles based on a heading count too.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::Event;

use super::{Extracted, Heading};

/// The largest `word/document.xml` read (uncompressed), so a zip bomb is
/// an error, not an out-of-memory kill.
pub(super) const MAX_XML: u64 = 256 * 1024 * 1024;

/// Whether `bytes` are a Word document: a zip archive whose first entry
/// names are those of an Office package.
pub fn sniff(bytes: &[u8]) -> bool {
    is_package_with(bytes, b"word/")
}

/// Whether `bytes` are a zip archive naming `folder` (`word/`, `ppt/`)
/// in its first 64 KB: an Office package of that kind.
pub(super) fn is_package_with(bytes: &[u8], folder: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        && bytes[..bytes.len().min(64 * 1024)]
            .windows(folder.len())
            .any(|w| w == folder)
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
    // The stylesheet says what a style id means; without one (or if it
    // is broken) the ids speak for themselves.
    let roles = read_entry(bytes, "word/styles.xml", ".docx")
        .ok()
        .and_then(|styles| style_roles(&styles).ok())
        .unwrap_or_default();
    paragraphs_styled(&xml, &roles).map_err(|e| fail(&e))
}

/// What each paragraph style of `word/styles.xml` makes of its
/// paragraphs, by style id: a heading by its outline level or its name
/// (`heading 1`, whatever the id: Word writes localised ids such as
/// `berschrift1`), a quotation by its name (`Quote`), or what the style
/// it is based on makes of them.
fn style_roles(xml: &[u8]) -> Result<HashMap<String, Role>, quick_xml::Error> {
    struct Style {
        name: Option<String>,
        based_on: Option<String>,
        outline: Option<usize>,
    }
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut styles: HashMap<String, Style> = HashMap::new();
    // The paragraph style being read.
    let mut current: Option<(String, Style)> = None;
    loop {
        let event = reader.read_event_into(&mut buf)?;
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"style" => {
                    let paragraph = attribute(e, b"type").as_deref() == Some("paragraph");
                    current = attribute(e, b"styleId").filter(|_| paragraph).map(|id| {
                        let style = Style {
                            name: None,
                            based_on: None,
                            outline: None,
                        };
                        (id, style)
                    });
                    if matches!(event, Event::Empty(_))
                        && let Some((id, style)) = current.take()
                    {
                        styles.insert(id, style);
                    }
                }
                b"name" => {
                    if let Some((_, style)) = current.as_mut() {
                        style.name = attribute(e, b"val");
                    }
                }
                b"basedOn" => {
                    if let Some((_, style)) = current.as_mut() {
                        style.based_on = attribute(e, b"val");
                    }
                }
                b"outlineLvl" => {
                    if let Some((_, style)) = current.as_mut() {
                        style.outline = attribute(e, b"val").and_then(|v| v.parse().ok());
                    }
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"style" => {
                if let Some((id, style)) = current.take() {
                    styles.insert(id, style);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let own = |style: &Style| match style.outline {
        Some(n @ 0..=5) => Some(Role::Heading(n + 1)),
        // Level 9 is body text, said outright.
        Some(_) => Some(Role::Body),
        None => match style.name.as_deref().map(style_role) {
            Some(Role::Body) | None => None,
            role => role,
        },
    };
    let roles = styles
        .iter()
        .map(|(id, style)| {
            // Up the `basedOn` chain, a few steps at most (it may loop).
            let mut at = style;
            let mut role = Role::Body;
            for _ in 0..16 {
                if let Some(own) = own(at) {
                    role = own;
                    break;
                }
                match at.based_on.as_ref().and_then(|b| styles.get(b)) {
                    Some(parent) => at = parent,
                    None => break,
                }
            }
            (id.clone(), role)
        })
        .collect();
    Ok(roles)
}

/// The uncompressed bytes of the zip entry `name` of an office package
/// (`kind`, for the message when it is missing), at most [`MAX_XML`], so a
/// zip bomb is an error, not an out-of-memory kill.
pub(crate) fn read_entry(bytes: &[u8], name: &str, kind: &str) -> Result<Vec<u8>, String> {
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

/// One line per `w:p`, headings from paragraph styles (by their ids
/// alone: [`paragraphs_styled`] with no stylesheet).
#[cfg(test)]
fn paragraphs(xml: &[u8]) -> Result<Extracted, quick_xml::Error> {
    paragraphs_styled(xml, &HashMap::new())
}

/// One line per `w:p`, headings and quotations from paragraph styles:
/// what `roles` says of a style id, or what the id says.
fn paragraphs_styled(
    xml: &[u8],
    roles: &HashMap<String, Role>,
) -> Result<Extracted, quick_xml::Error> {
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
                            role = roles
                                .get(&value)
                                .copied()
                                .unwrap_or_else(|| style_role(&value));
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
            Event::Text(t) if in_text => push_run(&mut line, t, struck, superscript)?,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// Appends a run's text to `line`: nothing when it is struck through (a
/// redline by hand), a power when it is raised ([`push_raised`]).
pub(super) fn push_run(
    line: &mut String,
    text: &quick_xml::events::BytesText<'_>,
    struck: bool,
    superscript: bool,
) -> Result<(), quick_xml::Error> {
    if struck {
        return Ok(());
    }
    let text = text.unescape()?;
    if superscript {
        push_raised(line, &text);
    } else {
        line.push_str(&text);
    }
    Ok(())
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

pub(crate) fn attribute(e: &quick_xml::events::BytesStart<'_>, local: &[u8]) -> Option<String> {
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

    /// Style ids mean what the stylesheet says: German Word's
    /// `berschrift1` is `heading 1`, `Zitat` is `Quote`; a style based on
    /// a heading is one, and an outline level in the style makes one.
    #[test]
    fn the_stylesheet_names_localised_style_ids() {
        let styles = br#"<w:styles xmlns:w="w">
<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Standard"/></w:style>
<w:style w:type="paragraph" w:styleId="Zitat"><w:name w:val="Quote"/></w:style>
<w:style w:type="paragraph" w:styleId="Hausformat"><w:name w:val="House heading"/><w:basedOn w:val="berschrift1"/></w:style>
<w:style w:type="paragraph" w:styleId="Gliederung"><w:name w:val="Outline"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Kreis"><w:name w:val="Loop"/><w:basedOn w:val="Kreis"/></w:style>
<w:style w:type="character" w:styleId="ZitatZchn"><w:name w:val="Quote Char"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="Body of a kind"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
</w:styles>"#;
        let roles = style_roles(styles).unwrap();
        let role = |id: &str| roles.get(id).copied();
        assert_eq!(role("berschrift1"), Some(Role::Heading(1)));
        assert_eq!(role("Zitat"), Some(Role::Quote));
        assert_eq!(role("Hausformat"), Some(Role::Heading(1)));
        assert_eq!(role("Gliederung"), Some(Role::Heading(3)));
        assert_eq!(role("Kreis"), Some(Role::Body));
        assert_eq!(
            role("ZitatZchn"),
            None,
            "character styles are not paragraphs'"
        );
        assert_eq!(
            role("Heading1"),
            Some(Role::Body),
            "the stylesheet wins over the id"
        );
        let body = r#"<w:document xmlns:w="w"><w:body>
<w:p><w:pPr><w:pStyle w:val="berschrift1"/></w:pPr><w:r><w:t>Offene Modelle</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Zitat"/></w:pPr><w:r><w:t>Quoted.</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Not in the stylesheet</w:t></w:r></w:p>
</w:body></w:document>"#;
        let out = paragraphs_styled(body.as_bytes(), &roles).unwrap();
        assert_eq!(
            headings_of(&out),
            [(0, 1, "Offene Modelle"), (23, 2, "Not in the stylesheet")]
        );
        let quoted: Vec<&str> = out.quotes.iter().map(|q| &out.text[q.clone()]).collect();
        assert_eq!(quoted, ["Quoted.\n"]);
        // Read from the package; a package without a stylesheet, or with
        // a broken one, still reads.
        use crate::testutil::package;
        let document = ("word/document.xml", body.as_bytes());
        let read = extract(&package(&[document, ("word/styles.xml", styles)])).unwrap();
        assert_eq!(headings_of(&read), headings_of(&out));
        for parts in [
            &[document][..],
            &[document, ("word/styles.xml", b"<w:styles><w:style")],
        ] {
            let read = extract(&package(parts)).unwrap();
            assert_eq!(read.text, out.text);
            assert_eq!(headings_of(&read), [(23, 2, "Not in the stylesheet")]);
        }
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
