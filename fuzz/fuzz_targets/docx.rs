//! Reading Word and OpenDocument documents built from the fuzz input: a
//! package whose `word/document.xml` or `content.xml` holds paragraphs
//! (some nested, as in text boxes) of runs, tabs, breaks, deleted or
//! struck text, comments, notes, entities and text of any bytes, with
//! heading styles and outline levels, valid or not; then, with what
//! input is left, bytes of the XML or of the zip changed. Or a Word
//! 97-2003 file (tests/support/word97.rs writes it) of paragraphs with
//! heading styles and outline levels, whose runs are words, fields (whole
//! or broken), control characters, deleted, struck or superscript text
//! and any character, in either encoding; then bytes of its streams or of
//! the compound file changed. Each document is then prepared and analysed
//! as a scan would, so headings of any shape reach the sections and the
//! evidence.
//!
//! Beyond "no panic": every heading starts a line of the text, in order;
//! a package left whole has one line per outer paragraph; and evidence
//! points at its text.
#![no_main]

use std::io::Write as _;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use policyscan::classify::{ClassifyOptions, analyze};
use policyscan::pipeline::prepare;
use policyscan::rules::{CompiledRules, RuleSource};
use policyscan::text::Format;

#[path = "../../tests/support/positions.rs"]
mod positions;

static RULES: LazyLock<CompiledRules> =
    LazyLock::new(|| policyscan::rules::load(&[RuleSource::Default]).expect("default rules load"));

#[path = "common/bytes.rs"]
mod bytes;
use bytes::Bytes;

#[path = "../../tests/support/word97.rs"]
mod word97;

/// Words a run may hold: cues of the default rules, entities (a line
/// break and a carriage return among them), markup-looking text, spaces.
const WORDS: &[&str] = &[
    "open weights",
    "licensing regime",
    "safe harbor",
    "liability",
    " ",
    "R&amp;D",
    "&#8212;",
    "&#10;",
    "&#xD;",
    "&lt;w:p&gt;",
    "shall",
    "not",
    "model",
    "é",
];

/// Styles a paragraph may name: headings of every level, a title, a
/// quotation, localised ids, and names that only look like headings.
const STYLES: &[&str] = &[
    "Quote",
    "berschrift1",
    "Heading1",
    "Heading2",
    "Heading6",
    "Heading7",
    "Heading0",
    "heading 3",
    "Title",
    "Normal",
    "Heading",
    "Heading99999999999999999999",
];

/// OpenDocument automatic styles the paragraphs and spans may name: a
/// heading's, the title's, struck, raised and lowered text.
const ODT_STYLES: &str = r#"<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Heading_20_3"/><style:style style:name="P2" style:family="paragraph" style:parent-style-name="Title"/><style:style style:name="T1" style:family="text"><style:text-properties style:text-line-through-style="solid"/></style:style><style:style style:name="T2" style:family="text"><style:text-properties style:text-position="33% 58%"/></style:style><style:style style:name="T3" style:family="text"><style:text-properties style:text-position="sub 58%"/></style:style>"#;

/// The package's vocabulary: Word's or OpenDocument's; or a Word 97-2003
/// file.
#[derive(Clone, Copy, PartialEq)]
enum Dialect {
    Word,
    Odt,
    Doc,
}

/// A Word 97-2003 paragraph: a built-in style (headings, a title, styles
/// that are not headings) or an outline level (valid or not), then at most
/// four runs, each with at most one property, so that the writer's single
/// page of properties holds them all. Nothing in a run ends a paragraph.
fn doc_paragraph(bytes: &mut Bytes) -> word97::Paragraph {
    let style = [0, 1, 2, 6, 7, 9, 62][bytes.next() % 7];
    let outline_level = match bytes.next() % 4 {
        0 => Some((bytes.next() % 12) as u8),
        _ => None,
    };
    let runs = (0..bytes.next() % 5)
        .map(|_| {
            let text = match bytes.next() % 8 {
                0 => {
                    "\u{13} HYPERLINK \"https://example.org/licensing\" \u{14}the link\u{15}".into()
                }
                // Broken fields: a code never closed, a separator and an
                // end with no start.
                1 => ["\u{13} PAGE ", "\u{14}", "\u{15}", "\u{13}\u{13}x\u{14}y"][bytes.next() % 4]
                    .into(),
                2 => ["\t", "\u{b}", "\u{1e}", "\u{1f}", "\u{1}", "\u{8}", "\u{2}"]
                    [bytes.next() % 7]
                    .into(),
                3 => {
                    // Any character but those that end a paragraph.
                    let c = char::from_u32(bytes.next() as u32 * 257 % 0xD800).unwrap_or('x');
                    if matches!(c, '\r' | '\u{7}' | '\u{c}') {
                        "x".into()
                    } else {
                        c.to_string()
                    }
                }
                _ => WORDS[bytes.next() % WORDS.len()].to_string(),
            };
            let flag =
                [0, 0, word97::DELETED, word97::STRUCK, word97::SUPERSCRIPT][bytes.next() % 5];
            (text, flag)
        })
        .collect();
    word97::Paragraph {
        runs,
        style,
        outline_level,
    }
}

/// A Word 97-2003 file from the input; whether bytes of it were changed.
fn doc_file(bytes: &mut Bytes, paragraphs: usize) -> (Vec<u8>, bool) {
    let paragraphs: Vec<_> = (0..paragraphs).map(|_| doc_paragraph(bytes)).collect();
    let latin1 = paragraphs
        .iter()
        .flat_map(|p| &p.runs)
        .all(|(t, _)| t.chars().all(|c| u32::from(c) < 0x100));
    let encoding = if latin1 && bytes.next() % 2 == 0 {
        word97::Encoding::Windows1252
    } else {
        word97::Encoding::Utf16
    };
    let (mut word, mut table) = word97::streams(&paragraphs, encoding);
    // What input is left changes the streams (an even first byte) or the
    // compound file (odd), a byte at a time.
    let streams = bytes.next() % 2 == 0;
    let mut corrupted = false;
    if streams {
        // The table stream first: it is small, and says where all else is.
        let half = bytes.left() / 2;
        let mut head = Bytes(bytes.0.as_slice()[..half].iter());
        corrupted |= corrupt(&mut table, &mut head);
        for _ in 0..half {
            bytes.next();
        }
        corrupted |= corrupt(&mut word, bytes);
    }
    let mut file = word97::compound_file(&[("/WordDocument", &word), ("/1Table", &table)]);
    corrupted |= corrupt(&mut file, bytes);
    (file, corrupted)
}

/// A paragraph: properties, then runs; `depth` limits nesting.
fn paragraph(bytes: &mut Bytes, xml: &mut String, depth: usize, dialect: Dialect) {
    let odt = dialect == Dialect::Odt;
    if bytes.next() % 8 == 0 {
        xml.push_str(if odt { "<text:p/>" } else { "<w:p/>" });
        return;
    }
    let mut close = if odt { "</text:p>" } else { "</w:p>" };
    match (bytes.next() % 4, odt) {
        (0, false) => {
            let style = STYLES[bytes.next() % STYLES.len()];
            xml.push_str(&format!(
                r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>"#
            ));
        }
        (1, false) => {
            let level = bytes.next() % 12;
            xml.push_str(&format!(
                r#"<w:p><w:pPr><w:outlineLvl w:val="{level}"/></w:pPr>"#
            ));
        }
        (0 | 1, true) => {
            let level =
                ["1", "3", "6", "7", "0", "-2", "x", "99999999999999999999"][bytes.next() % 8];
            xml.push_str(&format!(r#"<text:h text:outline-level="{level}">"#));
            close = "</text:h>";
        }
        // A paragraph in an automatic style: based on a heading's, or on
        // none that is declared.
        (2, true) if bytes.next() % 2 == 0 => {
            let style = ["P1", "P2", "Undeclared"][bytes.next() % 3];
            xml.push_str(&format!(r#"<text:p text:style-name="{style}">"#));
        }
        _ => xml.push_str(if odt { "<text:p>" } else { "<w:p>" }),
    }
    for _ in 0..bytes.next() % 6 {
        match (bytes.next() % 9, odt) {
            (0, false) => xml.push_str("<w:r><w:tab/></w:r>"),
            (0, true) => xml.push_str("<text:tab/>"),
            (1, false) => xml.push_str("<w:r><w:br/></w:r>"),
            (1, true) => xml.push_str(r#"<text:line-break/><text:s text:c="3"/>"#),
            (2, false) => xml.push_str(
                "<w:del><w:r><w:delText>deleted liability</w:delText></w:r></w:del>",
            ),
            (2, true) => xml.push_str(
                "<office:annotation><text:p>deleted liability</text:p></office:annotation>\
                 <text:note><text:note-body><text:p>note</text:p></text:note-body></text:note>",
            ),
            (3, _) if depth < 3 => paragraph(bytes, xml, depth + 1, dialect),
            (4, _) => {
                // Any byte as text, escaped where XML needs it.
                let c = char::from(bytes.next() as u8);
                let text = match c {
                    '<' => "&lt;".to_string(),
                    '&' => "&amp;".to_string(),
                    c => c.to_string(),
                };
                xml.push_str(&if odt {
                    format!("<text:span>{text}</text:span>")
                } else {
                    format!("<w:r><w:t>{text}</w:t></w:r>")
                });
            }
            (5, false) => xml.push_str(
                r#"<w:r><w:rPr><w:strike/><w:vertAlign w:val="superscript"/></w:rPr><w:t>26 struck</w:t></w:r>"#,
            ),
            (5, true) => xml.push_str(
                "<text:tracked-changes><text:changed-region><text:deletion><text:p>gone</text:p>\
                 </text:deletion></text:changed-region></text:tracked-changes>",
            ),
            // Spans in automatic styles: struck, raised, lowered, nested.
            (6, true) => {
                let style = ["T1", "T2", "T3", "Undeclared"][bytes.next() % 4];
                let inner = ["26 struck", "licensing", "<text:span text:style-name=\"T1\">x</text:span>9"]
                    [bytes.next() % 3];
                xml.push_str(&format!(
                    r#"<text:span text:style-name="{style}">{inner}</text:span>"#
                ));
            }
            _ => {
                let word = WORDS[bytes.next() % WORDS.len()];
                xml.push_str(&if odt {
                    word.to_string()
                } else {
                    format!(r#"<w:r><w:t xml:space="preserve">{word}</w:t></w:r>"#)
                });
            }
        }
    }
    xml.push_str(close);
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = Bytes(data.iter());
    let paragraphs = bytes.next() % 12;
    let dialect = match bytes.next() % 3 {
        0 => Dialect::Word,
        1 => Dialect::Odt,
        _ => Dialect::Doc,
    };
    if dialect == Dialect::Doc {
        let paragraphs = paragraphs % 9;
        let (file, corrupted) = doc_file(&mut bytes, paragraphs);
        check(
            policyscan::text::doc::extract(&file),
            paragraphs,
            corrupted,
            Format::Doc,
            "fuzz.doc",
            file,
        );
        return;
    }
    let mut body = String::new();
    for _ in 0..paragraphs {
        paragraph(&mut bytes, &mut body, 0, dialect);
    }
    let (entry, format, name) = match dialect {
        Dialect::Word => ("word/document.xml", Format::Docx, "fuzz.docx"),
        _ => ("content.xml", Format::Odt, "fuzz.odt"),
    };
    let mut xml = match dialect {
        Dialect::Word => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document \
             xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
             <w:body>{body}</w:body></w:document>"
        ),
        _ => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content \
             xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
             xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
             xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\">\
             <office:automatic-styles>{ODT_STYLES}</office:automatic-styles>\
             <office:body><office:text>{body}</office:text></office:body></office:document-content>"
        ),
    }
    .into_bytes();
    // What input is left corrupts the XML (an even first byte) or the
    // package (odd), a byte at a time.
    let corrupt_xml = bytes.next() % 2 == 0;
    let mut corrupted = false;
    if corrupt_xml {
        corrupted |= corrupt(&mut xml, &mut bytes);
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let method = if paragraphs % 2 == 0 {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    zip.start_file(entry, options).unwrap();
    zip.write_all(&xml).unwrap();
    if dialect == Dialect::Word && bytes.next() % 2 == 0 {
        zip.start_file("word/styles.xml", options).unwrap();
        zip.write_all(stylesheet(&mut bytes).as_bytes()).unwrap();
    }
    let mut package = zip.finish().unwrap().into_inner();
    corrupted |= corrupt(&mut package, &mut bytes);

    let extracted = match dialect {
        Dialect::Word => policyscan::text::docx::extract(&package),
        _ => policyscan::text::odt::extract(&package),
    };
    check(extracted, paragraphs, corrupted, format, name, package);
});

/// A Word stylesheet giving some of [`STYLES`] a name (a heading's, a
/// quotation's, or another), a style they are based on (loops too) or an
/// outline level (valid or not).
fn stylesheet(bytes: &mut Bytes) -> String {
    let mut xml = String::from(
        "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    );
    for id in STYLES {
        let inner = match bytes.next() % 5 {
            0 => continue,
            1 => format!(r#"<w:name w:val="heading {}"/>"#, bytes.next() % 9),
            2 => r#"<w:name w:val="Intense Quote"/>"#.to_string(),
            3 => format!(
                r#"<w:name w:val="House"/><w:basedOn w:val="{}"/>"#,
                STYLES[bytes.next() % STYLES.len()]
            ),
            _ => format!(
                r#"<w:pPr><w:outlineLvl w:val="{}"/></w:pPr>"#,
                ["0", "5", "8", "9", "-1", "x"][bytes.next() % 6]
            ),
        };
        xml.push_str(&format!(
            r#"<w:style w:type="paragraph" w:styleId="{id}">{inner}</w:style>"#
        ));
    }
    xml.push_str("</w:styles>");
    xml
}

/// Changes bytes of `target`, a byte at a time, with three input bytes
/// each (where, what) while there are three; whether any changed.
fn corrupt(target: &mut [u8], bytes: &mut Bytes) -> bool {
    let mut changed = false;
    while bytes.left() >= 3 && !target.is_empty() {
        let at = (bytes.next() << 8 | bytes.next()) % target.len();
        target[at] = bytes.next() as u8;
        changed = true;
    }
    changed
}

/// Headings start lines, in order; a file left whole has a line per
/// paragraph; the document prepared as a scan prepares it has its
/// evidence where its text is.
fn check(
    extracted: Result<policyscan::text::Extracted, String>,
    paragraphs: usize,
    corrupted: bool,
    format: Format,
    name: &str,
    file: Vec<u8>,
) {
    if let Ok(extracted) = extracted {
        let text = &extracted.text;
        let mut last = 0;
        for heading in &extracted.headings {
            assert!(heading.offset >= last, "headings in order");
            assert!(
                heading.offset == 0 || text.as_bytes().get(heading.offset - 1) == Some(&b'\n'),
                "a heading starts a line"
            );
            last = heading.offset;
        }
        let mut end = 0;
        for quote in &extracted.quotes {
            assert!(
                end <= quote.start && quote.start < quote.end,
                "quotations in order"
            );
            assert!(quote.end <= text.len(), "quotations in the text");
            assert!(
                quote.start == 0 || text.as_bytes()[quote.start - 1] == b'\n',
                "a quotation starts a line"
            );
            end = quote.end;
        }
        if !corrupted {
            assert_eq!(
                text.matches('\n').count(),
                paragraphs,
                "a line per paragraph"
            );
        }
    }
    let options = ClassifyOptions::default();
    if let Ok((_, doc)) = prepare(name.into(), format, file, &options) {
        let report = analyze(&RULES, &doc, &options);
        if let Err(misplaced) = positions::check(&report, doc.source()) {
            panic!("{misplaced}");
        }
    }
}
