//! PPTX: the slides of a PowerPoint presentation (zip + quick-xml).
//!
//! Briefing decks, conference talks and advocacy pitches reach analysts
//! as `.pptx`. Each slide is a page (evidence gives the slide as `page`),
//! in the order the presentation lists them (`ppt/presentation.xml`
//! through its relationships, not the part names, which keep the order
//! slides were made in). Each paragraph of a shape or a table cell is a
//! line; a slide's title placeholder is a section heading. Struck-through
//! runs are not read (a redline by hand), as in Word. Speaker notes,
//! layouts, masters and comments are not read: they are not what the
//! audience sees.

use std::collections::HashMap;

use quick_xml::events::Event;

use super::Extracted;
use super::docx::{MAX_XML, Role, attribute, push_line, push_run, read_entry};

/// Whether `bytes` are a PowerPoint presentation: a zip archive whose
/// first entry names are those of a presentation package.
pub fn sniff(bytes: &[u8]) -> bool {
    super::docx::is_package_with(bytes, b"ppt/")
}

/// Extracts the slides of a PPTX file, one page each.
pub fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    extract_capped(bytes, MAX_XML)
}

/// [`extract`], reading no slide once the slides before it hold more
/// than `cap` bytes of XML.
fn extract_capped(bytes: &[u8], cap: u64) -> Result<Extracted, String> {
    // A password-protected .pptx is an OLE compound file.
    if super::doc::sniff(bytes) {
        return Err(
            "could not read the PowerPoint presentation: it is an OLE compound file \
             (password-protected, or a PowerPoint 97-2003 .ppt); save it as .pptx without a password"
                .to_string(),
        );
    }
    let fail =
        |e: &dyn std::fmt::Display| format!("could not read the PowerPoint presentation: {e}");
    let slides = slide_parts(bytes).map_err(|e| fail(&e))?;
    let mut out = Extracted::default();
    // Each part is capped as Word's is; so are all of them together, so
    // a deck of many inflating slides is not a bomb either.
    let mut read = 0u64;
    for (n, part) in slides.iter().enumerate() {
        if read > cap {
            out.warnings.push(format!(
                "slides {} to {} were not read: the slides before them hold more than {} MB of XML",
                n + 1,
                slides.len(),
                cap >> 20
            ));
            break;
        }
        out.pages.push(out.text.len());
        let slide = read_entry(bytes, part, ".pptx").and_then(|xml| {
            read += xml.len() as u64;
            read_slide(&xml, &mut out).map_err(|e| e.to_string())
        });
        if let Err(e) = slide {
            out.warnings
                .push(format!("slide {} could not be read ({e})", n + 1));
        }
    }
    Ok(out)
}

/// The slides' part names (`ppt/slides/slide3.xml`), in the order the
/// presentation shows them; by their numbers if the presentation's list
/// cannot be read.
fn slide_parts(bytes: &[u8]) -> Result<Vec<String>, String> {
    let listed = read_entry(bytes, "ppt/presentation.xml", ".pptx")
        .and_then(|xml| slide_ids(&xml).map_err(|e| e.to_string()))
        .and_then(|ids| {
            let rels = read_entry(bytes, "ppt/_rels/presentation.xml.rels", ".pptx")?;
            let targets = targets(&rels).map_err(|e| e.to_string())?;
            Ok(ids
                .iter()
                .filter_map(|id| targets.get(id))
                .map(|target| part_name(target))
                .collect::<Vec<_>>())
        });
    if let Ok(parts) = listed
        && !parts.is_empty()
    {
        return Ok(parts);
    }
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut numbered: Vec<(u32, String)> = archive
        .file_names()
        .filter_map(|name| {
            let name = name.ok()?;
            let n = name
                .strip_prefix("ppt/slides/slide")?
                .strip_suffix(".xml")?
                .parse()
                .ok()?;
            Some((n, name.to_string()))
        })
        .collect();
    if numbered.is_empty() {
        return Err("it has no slides (not a .pptx?)".to_string());
    }
    numbered.sort();
    Ok(numbered.into_iter().map(|(_, name)| name).collect())
}

/// The relationship ids of `p:sldId` in `ppt/presentation.xml`, in order.
fn slide_ids(xml: &[u8]) -> Result<Vec<String>, quick_xml::Error> {
    let mut ids = Vec::new();
    each_element(xml, b"sldId", |e| {
        // `r:id`, whatever its prefix: not the unprefixed numeric `id`.
        ids.extend(
            e.attributes()
                .flatten()
                .find(|a| a.key.as_ref() != b"id" && a.key.local_name().as_ref() == b"id")
                .map(|a| String::from_utf8_lossy(&a.value).into_owned()),
        );
    })?;
    Ok(ids)
}

/// Relationship targets by id, from a `.rels` part.
pub(crate) fn targets(xml: &[u8]) -> Result<HashMap<String, String>, quick_xml::Error> {
    let mut out = HashMap::new();
    each_element(xml, b"Relationship", |e| {
        if let (Some(id), Some(target)) = (attribute(e, b"Id"), attribute(e, b"Target")) {
            out.insert(id, target);
        }
    })?;
    Ok(out)
}

/// Calls `f` with each element of `xml` whose local name is `local`.
pub(crate) fn each_element(
    xml: &[u8],
    local: &[u8],
    mut f: impl FnMut(&quick_xml::events::BytesStart<'_>),
) -> Result<(), quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == local => f(&e),
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// The part a presentation's relationship target names: relative to
/// `ppt/` (`slides/slide1.xml`), or absolute (`/ppt/slides/slide1.xml`).
fn part_name(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("ppt/{target}"),
    }
}

/// Appends a slide's paragraphs, one line each, its title as a heading.
fn read_slide(xml: &[u8], out: &mut Extracted) -> Result<(), quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut line = String::new();
    let mut in_text = false;
    // The run being read is raised, or struck through (a redline by hand).
    let mut superscript = false;
    let mut struck = false;
    // The shape being read is the slide's title placeholder; or its slide
    // number, date or footer, the same on every slide and not read.
    let mut title = false;
    let mut furniture = false;
    loop {
        let event = reader.read_event_into(&mut buf)?;
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"sp" | b"graphicFrame" | b"grpSp" => (title, furniture) = (false, false),
                b"ph" => {
                    let kind = attribute(e, b"type");
                    title = matches!(kind.as_deref(), Some("title" | "ctrTitle"));
                    furniture = matches!(kind.as_deref(), Some("sldNum" | "dt" | "ftr" | "hdr"));
                }
                b"p" if matches!(event, Event::Start(_)) => line.clear(),
                b"r" => (superscript, struck) = (false, false),
                b"rPr" => {
                    superscript = attribute(e, b"baseline")
                        .and_then(|b| b.parse::<i64>().ok())
                        .is_some_and(|b| b > 0);
                    struck = matches!(
                        attribute(e, b"strike").as_deref(),
                        Some("sngStrike" | "dblStrike")
                    );
                }
                b"t" if matches!(event, Event::Start(_)) => in_text = true,
                b"br" | b"tab" => line.push(' '),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                // What follows a title's shape is not its title.
                b"sp" => (title, furniture) = (false, false),
                b"p" => {
                    let role = if title { Role::Heading(1) } else { Role::Body };
                    push_line(out, if furniture { "" } else { &line }, role);
                    line.clear();
                }
                _ => {}
            },
            Event::Text(t) if in_text => push_run(&mut line, t, struck, superscript)?,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::package;

    fn slide(paragraphs: &str) -> String {
        format!(
            "<p:sld xmlns:a=\"a\" xmlns:p=\"p\"><p:cSld><p:spTree><p:sp><p:txBody>{paragraphs}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
        )
    }

    /// tests/data/pptx/briefing.pptx, which LibreOffice wrote from
    /// briefing.fodp: two slides, each a title and two points, the second
    /// with a speaker note (not read).
    #[test]
    fn a_deck_libreoffice_wrote_reads_as_its_source() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pptx/briefing.pptx");
        let out = extract(&std::fs::read(path).unwrap()).unwrap();
        assert_eq!(
            out.text,
            "Why open models matter\n\
             Open weights let universities and startups study how systems behave.\n\
             A licensing regime would stifle small developers and entrench incumbents.\n\
             Our asks\n\
             Protect open-source developers from liability for downstream misuse.\n\
             Fund independent red-teaming that anyone can reproduce.\n"
        );
        let at = |s: &str| out.text.find(s).unwrap();
        assert_eq!(out.pages, [0, at("Our asks")]);
        // The source's frames name no placeholder, so LibreOffice wrote
        // the titles as plain text boxes: no headings.
        assert!(out.headings.is_empty(), "{:?}", out.headings);
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    }

    #[test]
    fn without_a_presentation_list_slides_go_by_their_numbers() {
        let parts: Vec<(String, String)> = [10, 2, 1]
            .iter()
            .map(|n| {
                let text = format!("<a:p><a:r><a:t>Slide {n}</a:t></a:r></a:p>");
                (format!("ppt/slides/slide{n}.xml"), slide(&text))
            })
            .collect();
        let parts: Vec<(&str, &[u8])> = parts
            .iter()
            .map(|(name, xml)| (name.as_str(), xml.as_bytes()))
            .collect();
        let out = extract(&package(&parts)).unwrap();
        assert_eq!(out.text, "Slide 1\nSlide 2\nSlide 10\n");
        assert_eq!(out.pages, [0, 8, 16]);
    }

    #[test]
    fn a_raised_run_after_a_digit_is_a_power_struck_runs_are_not_read_and_breaks_are_spaces() {
        let xml = slide(
            "<a:p><a:r><a:t>Above 10</a:t></a:r><a:r><a:rPr baseline=\"30000\"/><a:t>26</a:t></a:r><a:br/><a:r><a:rPr strike=\"sngStrike\"/><a:t>mandatory licensing </a:t></a:r><a:r><a:rPr strike=\"noStrike\"/><a:t>operations</a:t></a:r></a:p>",
        );
        let out = extract(&package(&[("ppt/slides/slide1.xml", xml.as_bytes())])).unwrap();
        assert_eq!(out.text, "Above 10^26 operations\n");
    }

    #[test]
    fn slides_past_the_cap_on_all_slides_are_not_read() {
        let parts: Vec<(String, String)> = (1..=3)
            .map(|n| {
                let text = format!("<a:p><a:r><a:t>Slide {n}</a:t></a:r></a:p>");
                (format!("ppt/slides/slide{n}.xml"), slide(&text))
            })
            .collect();
        let one = parts[0].1.len() as u64;
        let parts: Vec<(&str, &[u8])> = parts
            .iter()
            .map(|(name, xml)| (name.as_str(), xml.as_bytes()))
            .collect();
        let out = extract_capped(&package(&parts), one + one / 2).unwrap();
        assert_eq!(out.text, "Slide 1\nSlide 2\n");
        assert_eq!(out.pages.len(), 2);
        assert!(
            out.warnings[0].starts_with("slides 3 to 3 were not read"),
            "{:?}",
            out.warnings
        );
    }

    #[test]
    fn an_unreadable_slide_is_a_warning_and_an_encrypted_deck_an_error() {
        let good = slide("<a:p><a:r><a:t>Open weights</a:t></a:r></a:p>");
        let deck = package(&[
            ("ppt/slides/slide1.xml", good.as_bytes()),
            (
                "ppt/slides/slide2.xml",
                b"<p:sld><a:p><a:r><a:t>As far as it goes</a:t></a:r></a:p><a:p></b:q>",
            ),
        ]);
        let out = extract(&deck).unwrap();
        assert_eq!(out.text, "Open weights\nAs far as it goes\n");
        assert_eq!(out.pages.len(), 2);
        assert!(
            out.warnings[0].starts_with("slide 2 could not be read"),
            "{:?}",
            out.warnings
        );
        let ole = [
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..],
            &[0; 504],
        ]
        .concat();
        assert!(extract(&ole).unwrap_err().contains("password-protected"));
    }
}
