//! HTML, PDF, DOCX, ODT, DOC, RTF and PPTX inputs, made here by the test
//! itself: the same op-ed as .txt, .md, .html, .pdf, .docx, .odt, .doc, .rtf
//! and .pptx gets
//! the same stance and themes; HTML evidence points into the HTML source; PDF
//! evidence gives the page; Word and ODT headings become sections; broken
//! files are error entries; formats are found by content when the name
//! does not say. Word 97-2003 and RTF files that LibreOffice wrote
//! (tests/data) read as their sources do.

use std::io::Write as _;
use std::path::Path;
use std::process::Command;

use lopdf::content::{Content, Operation};
use lopdf::{Document as Pdf, Object, ObjectId, Stream, dictionary};
use policyscan::report::{DocumentReport, RunReport};

const TITLE: &str = "Keep open models legal";

/// The op-ed, written for this test: one paragraph per entry.
const PARAGRAPHS: &[&str] = &[
    "Open-weight models let universities, startups and independent researchers study how AI systems behave, and publishing weights is how that research stays possible.",
    "A licensing regime for model developers would hand the market to the few incumbents that can afford compliance teams, and small developers would stop releasing their work.",
    "We oppose any licensing requirement for publishing model weights, and we urge lawmakers to protect open-source AI from liability for downstream misuse by third parties.",
    "Regulators should instead enforce existing law against people who misuse these tools, and fund independent red-teaming that anyone can reproduce.",
];

/// Words that would change the result if they were scanned: they sit in
/// parts of the page that are not its prose.
const NOISE: &str = "mandatory licensing, export controls on model weights, compute thresholds and developer liability are required";

fn text_doc() -> String {
    format!("{TITLE}\n\n{}\n", PARAGRAPHS.join("\n\n"))
}

fn markdown_doc() -> String {
    format!("# {TITLE}\n\n{}\n", PARAGRAPHS.join("\n\n"))
}

fn html_doc() -> String {
    let body: Vec<String> = PARAGRAPHS
        .iter()
        .map(|p| {
            // Entities and inline markup the extractor has to undo.
            let p = p
                .replace("AI systems", "AI&nbsp;systems")
                .replace("and publishing", "and <em>publishing</em>")
                .replace(" & ", " &amp; ");
            format!("  <p>{p}</p>")
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <title>{TITLE}</title>\n  <style>/* {NOISE} */ p {{ margin: 0 }}</style>\n  <script>var note = \"{NOISE}\"; if (1 < 2) {{}}</script>\n</head>\n<body>\n<nav><a href=\"/\">{NOISE}</a></nav>\n<article>\n  <h1>{TITLE}</h1>\n{}\n</article>\n<footer>{NOISE}</footer>\n</body>\n</html>\n",
        body.join("\n")
    )
}

/// A two-page PDF in Helvetica: the title and first two paragraphs on
/// page 1, the rest on page 2, wrapped at about 70 characters with one word
/// hyphenated across a line end.
fn pdf_doc() -> Vec<u8> {
    let mut page_texts: Vec<Vec<String>> = vec![vec![TITLE.to_string(), String::new()], vec![]];
    for (i, p) in PARAGRAPHS.iter().enumerate() {
        let page = &mut page_texts[usize::from(i >= 2)];
        let p = p.replace("compliance", "compli-\nance");
        for chunk in p.split('\n') {
            page.extend(wrap(chunk, 70));
        }
        page.push(String::new());
    }
    let pages = page_texts.into_iter().map(|lines| {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), Object::Integer(11)]),
            Operation::new("Td", vec![Object::Integer(50), Object::Integer(780)]),
        ];
        for line in lines {
            ops.push(Operation::new("Tj", vec![Object::string_literal(line)]));
            ops.push(Operation::new(
                "Td",
                vec![Object::Integer(0), Object::Integer(-15)],
            ));
        }
        ops.push(Operation::new("ET", vec![]));
        ops
    });
    pdf_of_pages("Helvetica", pages)
}

/// A PDF of A4 pages, each drawn by its operations with the font `F1`
/// (`base_font`, one of the standard 14).
fn pdf_of_pages(base_font: &str, pages: impl IntoIterator<Item = Vec<Operation>>) -> Vec<u8> {
    let mut doc = Pdf::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => base_font,
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids = Vec::new();
    for ops in pages {
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Greedy word wrap; a line ending in `-` (the hyphenated word) stays so.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().unwrap();
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

/// A Word document: the title as Heading 1, one paragraph per entry, the
/// second paragraph split into runs with bold and a tracked deletion.
fn docx_doc() -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut body = format!(
        "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>",
        esc(TITLE)
    );
    for (i, p) in PARAGRAPHS.iter().enumerate() {
        if i == 1 {
            let (a, b) = p.split_at(p.find("licensing").unwrap());
            body.push_str(&format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:del><w:r><w:delText>{NOISE} </w:delText></w:r></w:del><w:r><w:rPr><w:b/></w:rPr><w:t>{}</w:t></w:r></w:p>",
                esc(a),
                esc(b)
            ));
        } else if i == 0 {
            // A text box holding an empty paragraph, nested in this one
            // as Word nests it: it adds no line.
            body.push_str(&format!(
                "<w:p><w:r><w:t>{}</w:t></w:r><w:r><w:pict><w:txbxContent><w:p/></w:txbxContent></w:pict></w:r></w:p>",
                esc(p)
            ));
        } else {
            body.push_str(&format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", esc(p)));
        }
    }
    docx_of(&body)
}

/// A Word document whose body is `body` (`w:p` elements).
fn docx_of(body: &str) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, data) in [
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string()),
        ("_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string()),
        ("word/document.xml", document),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A PowerPoint deck of the op-ed: the title in a title placeholder over
/// the first paragraph, the next two on a second slide beside a slide
/// number placeholder holding [`NOISE`] (not read), the last in a table
/// cell on a third slide under a second title. The slides' part names run
/// backwards (`slide3.xml` is shown first): the order is the
/// presentation's list.
fn pptx_doc() -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let para = |text: &str| {
        format!(
            "<a:p><a:r><a:rPr lang=\"en-US\"/><a:t>{}</a:t></a:r></a:p>",
            esc(text)
        )
    };
    let shape = |ph: &str, paras: &str| {
        format!(
            "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"s\"/><p:cNvSpPr/><p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>{paras}</p:txBody></p:sp>"
        )
    };
    let slide = |shapes: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><p:sld xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"><p:cSld><p:spTree>{shapes}</p:spTree></p:cSld></p:sld>"
        )
    };
    // The second paragraph's runs split mid-sentence, as PowerPoint does.
    let (a, b) = PARAGRAPHS[1].split_at(PARAGRAPHS[1].find("licensing").unwrap());
    let split = format!(
        "<a:p><a:r><a:t>{}</a:t></a:r><a:r><a:rPr b=\"1\"/><a:t>{}</a:t></a:r></a:p>",
        esc(a),
        esc(b)
    );
    let slides = [
        slide(
            &(shape("<p:ph type=\"ctrTitle\"/>", &para(TITLE))
                + &shape("<p:ph idx=\"1\"/>", &para(PARAGRAPHS[0]))),
        ),
        slide(
            &(shape("<p:ph idx=\"1\"/>", &(split + &para(PARAGRAPHS[2])))
                + &shape("<p:ph type=\"sldNum\" idx=\"12\"/>", &para(NOISE))),
        ),
        slide(
            &(shape("<p:ph type=\"title\"/>", &para("What to do instead"))
                + &format!(
                    "<p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tr><a:tc><a:txBody>{}</a:txBody></a:tc></a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>",
                    para(PARAGRAPHS[3])
                )),
        ),
    ];
    let presentation = "<?xml version=\"1.0\"?><p:presentation xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><p:sldIdLst><p:sldId id=\"256\" r:id=\"rId7\"/><p:sldId id=\"257\" r:id=\"rId8\"/><p:sldId id=\"258\" r:id=\"rId9\"/></p:sldIdLst></p:presentation>";
    let rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"slides/slide1.xml\"/><Relationship Id=\"rId8\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"slides/slide2.xml\"/><Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"/ppt/slides/slide3.xml\"/></Relationships>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let [first, second, third] = slides;
    for (name, data) in [
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>".to_string()),
        ("ppt/presentation.xml", presentation.to_string()),
        ("ppt/_rels/presentation.xml.rels", rels.to_string()),
        ("ppt/slides/slide1.xml", third),
        ("ppt/slides/slide2.xml", second),
        ("ppt/slides/slide3.xml", first),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// An OpenDocument text: the title as a heading, one paragraph per entry,
/// the second with a tracked deletion, a comment and a footnote (none of
/// them running text), the third split by a span and a link.
fn odt_doc() -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut body = format!(
        "<text:tracked-changes><text:changed-region text:id=\"c1\"><text:deletion><text:p>{NOISE}</text:p></text:deletion></text:changed-region></text:tracked-changes>\
         <text:h text:style-name=\"Heading_20_1\" text:outline-level=\"1\">{}</text:h>",
        esc(TITLE)
    );
    for (i, p) in PARAGRAPHS.iter().enumerate() {
        let p = esc(p);
        let p = match i {
            1 => p.replacen(
                "licensing",
                &format!("<text:change text:change-id=\"c1\"/><office:annotation><dc:creator>Reviewer</dc:creator><text:p>{NOISE}</text:p></office:annotation>licensing"),
                1,
            ) + &format!("<text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation><text:note-body><text:p>{NOISE}</text:p></text:note-body></text:note>"),
            2 => p
                .replacen("licensing requirement", "<text:span text:style-name=\"T1\">licensing</text:span> requirement", 1)
                .replacen("open-source AI", "<text:a xlink:type=\"simple\" xlink:href=\"https://example.org/\">open-source AI</text:a>", 1),
            _ => p,
        };
        body.push_str(&format!(
            "<text:p text:style-name=\"Standard\">{p}</text:p>"
        ));
    }
    odt_of(&body)
}

/// An OpenDocument text whose body is `body` (`text:p` and `text:h`
/// elements).
fn odt_of(body: &str) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" office:version=\"1.3\"><office:body><office:text>{body}</office:text></office:body></office:document-content>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // The mimetype first and stored, as the format requires.
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.text")
        .unwrap();
    let options = zip::write::SimpleFileOptions::default();
    for (name, data) in [
        ("META-INF/manifest.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>".to_string()),
        ("content.xml", content),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[path = "../support/word97.rs"]
mod word97;

use crate::positions;

/// A Word 97-2003 document: the title as a heading, one paragraph per
/// entry, the second with a tracked deletion, the third with a field whose
/// code is not text and a struck-through phrase.
fn doc_doc() -> Vec<u8> {
    use word97::{DELETED, Paragraph, STRUCK};
    let mut paragraphs = vec![Paragraph::heading(1, TITLE)];
    for (i, p) in PARAGRAPHS.iter().enumerate() {
        let runs = match i {
            1 => {
                let (a, b) = p.split_at(p.find("licensing").unwrap());
                vec![(a.into(), 0), (format!("{NOISE} "), DELETED), (b.into(), 0)]
            }
            2 => {
                let (a, b) = p.split_at(p.find("open-source AI").unwrap());
                vec![
                    (a.into(), 0),
                    (format!("{NOISE} "), STRUCK),
                    (format!("\u{13} HYPERLINK \"{NOISE}\" \u{14}{b}\u{15}"), 0),
                ]
            }
            _ => vec![(p.to_string(), 0)],
        };
        paragraphs.push(Paragraph {
            runs,
            ..Paragraph::default()
        });
    }
    word97::write(&paragraphs, word97::Encoding::Utf16)
}

/// An RTF document as Word writes one: tables, a stylesheet and
/// ignorable destinations before the text; the title in a heading style;
/// the second paragraph with a tracked deletion and a footnote, the third
/// with struck-through text and a field whose code is not text.
fn rtf_doc() -> String {
    let esc = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('{', "\\{")
            .replace('}', "\\}")
    };
    let mut rtf = format!(
        "{{\\rtf1\\ansi\\ansicpg1252\\deff0{{\\fonttbl{{\\f0 Times New Roman;}}}}\n\
         {{\\stylesheet{{\\ql Normal;}}{{\\s1\\ql\\sbasedon0 heading 1;}}}}\n\
         {{\\info{{\\title {NOISE}}}}}{{\\*\\generator {NOISE};}}\n\
         \\pard\\plain \\s1 {}\\par\n",
        esc(TITLE)
    );
    for (i, p) in PARAGRAPHS.iter().enumerate() {
        let p = esc(p);
        let p = match i {
            1 => {
                p.replacen("licensing", &format!("{{\\deleted {NOISE} }}licensing"), 1)
                    + &format!("{{\\footnote \\pard {NOISE}}}")
            }
            2 => p.replacen(
                "open-source AI",
                &format!(
                    "{{\\strike {NOISE} }}{{\\field{{\\*\\fldinst HYPERLINK \"{NOISE}\"}}\
                     {{\\fldrslt open-source AI}}}}"
                ),
                1,
            ),
            _ => p,
        };
        rtf.push_str(&format!("\\pard\\plain {p}\\par\n"));
    }
    rtf.push('}');
    rtf
}

fn scan(dir: &Path, paths: &[&str]) -> (Option<i32>, RunReport) {
    let out = Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .current_dir(dir)
        .args([
            "scan",
            "--no-config",
            "--format",
            "json",
            "--max-evidence",
            "50",
        ])
        .args(paths)
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

fn present(doc: &DocumentReport) -> Vec<&str> {
    doc.themes
        .iter()
        .filter(|t| t.present)
        .map(|t| t.id.as_str())
        .collect()
}

fn write_all(dir: &Path) {
    std::fs::write(dir.join("oped.txt"), text_doc()).unwrap();
    std::fs::write(dir.join("oped.md"), markdown_doc()).unwrap();
    std::fs::write(dir.join("oped.html"), html_doc()).unwrap();
    std::fs::write(dir.join("oped.pdf"), pdf_doc()).unwrap();
    std::fs::write(dir.join("oped.docx"), docx_doc()).unwrap();
    std::fs::write(dir.join("oped.odt"), odt_doc()).unwrap();
    std::fs::write(dir.join("oped.doc"), doc_doc()).unwrap();
    std::fs::write(dir.join("oped.rtf"), rtf_doc()).unwrap();
    std::fs::write(dir.join("oped.pptx"), pptx_doc()).unwrap();
}

#[test]
fn the_same_text_in_every_format_gets_the_same_stance_and_themes() {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path());
    let (code, report) = scan(dir.path(), &["."]);
    assert_eq!(code, Some(0));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(
        formats_of(&report),
        vec![
            ("oped.doc", "doc"),
            ("oped.docx", "docx"),
            ("oped.html", "html"),
            ("oped.md", "markdown"),
            ("oped.odt", "odt"),
            ("oped.pdf", "pdf"),
            ("oped.pptx", "pptx"),
            ("oped.rtf", "rtf"),
            ("oped.txt", "text"),
        ]
    );
    let txt = report
        .documents
        .iter()
        .find(|d| d.format == "text")
        .unwrap();
    assert_eq!(
        txt.stance.label.as_str(),
        "pro-open",
        "{}",
        txt.stance.reason
    );
    assert!(present(txt).len() >= 3, "{:?}", present(txt));
    for doc in &report.documents {
        assert_eq!(
            doc.stance.label, txt.stance.label,
            "{}: {}",
            doc.path, doc.stance.reason
        );
        assert_eq!(present(doc), present(txt), "{}", doc.path);
        for t in &doc.themes {
            assert!(
                (t.score - txt.themes.iter().find(|x| x.id == t.id).unwrap().score).abs() < 0.01,
                "{} {}: {} vs {}",
                doc.path,
                t.id,
                t.score,
                txt.themes.iter().find(|x| x.id == t.id).unwrap().score
            );
        }
    }
}

#[test]
fn html_evidence_points_into_the_html_source_and_headings_are_sections() {
    let dir = tempfile::tempdir().unwrap();
    let html = html_doc();
    std::fs::write(dir.path().join("oped.html"), &html).unwrap();
    let (_, report) = scan(dir.path(), &["oped.html"]);
    let doc = &report.documents[0];
    let lines: Vec<&str> = html.lines().collect();
    let mut seen = 0;
    for e in doc.themes.iter().flat_map(|t| &t.evidence) {
        // The match starts there (it may span markup, as
        // "publishing</em> weights" does; its text is the prose).
        let line = lines[e.line - 1];
        let first = e.text.split_whitespace().next().unwrap();
        let at: String = line
            .chars()
            .skip(e.column - 1)
            .take(first.chars().count())
            .collect();
        assert_eq!(at, first, "line {} column {}: {}", e.line, e.column, e.text);
        assert!(
            !e.snippet.contains('<') && !e.snippet.contains('\u{2060}'),
            "{}",
            e.snippet
        );
        assert_eq!(e.section.as_deref(), Some(TITLE));
        seen += 1;
    }
    assert!(seen >= 3);
    // The part after an entity and an inline tag is still found in place.
    let systems = html
        .lines()
        .position(|l| l.contains("AI&nbsp;systems"))
        .unwrap()
        + 1;
    assert!(
        doc.themes
            .iter()
            .flat_map(|t| &t.evidence)
            .any(|e| e.line == systems),
        "no evidence on the line with the entity"
    );
}

#[test]
fn pdf_evidence_gives_the_page_and_joins_hyphenated_words() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("oped.pdf"), pdf_doc()).unwrap();
    let (_, report) = scan(dir.path(), &["oped.pdf"]);
    let doc = &report.documents[0];
    let evidence: Vec<_> = doc
        .themes
        .iter()
        .flat_map(|t| &t.evidence)
        .chain(doc.themes.iter().flat_map(|_| std::iter::empty()))
        .collect();
    let pages: std::collections::BTreeSet<usize> =
        evidence.iter().map(|e| e.page.expect("a page")).collect();
    assert_eq!(pages, [1, 2].into(), "evidence on both pages");
    let liability = evidence
        .iter()
        .find(|e| e.text.to_lowercase().contains("liability"))
        .unwrap();
    assert_eq!(liability.page, Some(2));
    // The readable report gives the page too.
    let out = Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .current_dir(dir.path())
        .args(["scan", "--no-config", "oped.pdf"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("p. 2, "), "{text}");
    // "compli-" + "ance" is one word again.
    let text = policyscan::text::pdf::extract(&pdf_doc()).unwrap().text;
    assert!(text.replace('\u{AD}', "").contains("compliance"), "{text}");
}

/// GitHub cannot show a line of a PDF or a Word file: annotations of such
/// files are the file's, and they and SARIF's messages say where (the
/// page, and the line of the extracted text).
#[test]
fn ci_findings_in_pdf_and_word_files_say_where_in_words() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("oped.pdf"), pdf_doc()).unwrap();
    std::fs::write(dir.path().join("oped.docx"), docx_doc()).unwrap();
    let run = |format: &str| {
        let args = [
            "scan",
            "--no-config",
            "--format",
            format,
            "oped.pdf",
            "oped.docx",
        ];
        String::from_utf8(crate::support::run_in(dir.path(), &args).stdout).unwrap()
    };
    let github = run("github");
    let extracted =
        regex::Regex::new(r" \((page \d+, )?line \d+ of the extracted text\)$").unwrap();
    for (file, page) in [("oped.pdf", true), ("oped.docx", false)] {
        let lines: Vec<&str> = github
            .lines()
            .filter(|l| l.contains(&format!("file={file},")))
            .collect();
        assert!(!lines.is_empty(), "{github}");
        for line in lines {
            assert!(
                !line.contains(",line=") && !line.contains(",col="),
                "{line}"
            );
            let at = extracted.captures(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(at.get(1).is_some(), page, "{line}");
        }
    }
    // SARIF keeps the region (code scanning needs a line) and says the same.
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let text = r["message"]["text"].as_str().unwrap();
        let region = &r["locations"][0]["physicalLocation"]["region"];
        let line = region["startLine"].as_u64().unwrap();
        assert!(
            text.ends_with(&format!("line {line} of the extracted text)")),
            "{text}"
        );
    }
}

#[test]
fn word_and_odt_paragraphs_are_lines_and_headings_are_sections() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("oped.docx"), docx_doc()).unwrap();
    std::fs::write(dir.path().join("oped.odt"), odt_doc()).unwrap();
    std::fs::write(dir.path().join("oped.doc"), doc_doc()).unwrap();
    std::fs::write(dir.path().join("oped.rtf"), rtf_doc()).unwrap();
    let (_, report) = scan(
        dir.path(),
        &["oped.docx", "oped.odt", "oped.doc", "oped.rtf"],
    );
    assert_eq!(report.documents.len(), 4);
    for doc in &report.documents {
        paragraphs_are_lines(doc);
    }
}

fn paragraphs_are_lines(doc: &DocumentReport) {
    assert_eq!(doc.lines, 1 + PARAGRAPHS.len(), "{}", doc.path);
    for e in doc.themes.iter().flat_map(|t| &t.evidence) {
        let paragraph = if e.line == 1 {
            TITLE
        } else {
            PARAGRAPHS[e.line - 2]
        };
        let at: String = paragraph
            .chars()
            .skip(e.column - 1)
            .take(e.text.chars().count())
            .collect();
        assert_eq!(at, e.text, "{}", doc.path);
        assert_eq!(e.section.as_deref(), Some(TITLE), "{}", doc.path);
        assert!(
            !e.snippet.contains("export controls on model weights"),
            "{}: deleted text, a comment or a footnote",
            doc.path
        );
    }
}

#[test]
fn formats_are_found_by_content_when_the_name_does_not_say() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page"), html_doc()).unwrap();
    std::fs::write(dir.path().join("paper"), pdf_doc()).unwrap();
    std::fs::write(dir.path().join("memo"), docx_doc()).unwrap();
    std::fs::write(dir.path().join("consultation"), odt_doc()).unwrap();
    std::fs::write(dir.path().join("comment"), doc_doc()).unwrap();
    // Word opens a .doc saved under a .docx name; so does policyscan.
    std::fs::write(dir.path().join("legacy.docx"), doc_doc()).unwrap();
    // An RTF file saved as .txt is RTF.
    std::fs::write(dir.path().join("bill.txt"), rtf_doc()).unwrap();
    let (code, report) = scan(
        dir.path(),
        &[
            "page",
            "paper",
            "memo",
            "consultation",
            "comment",
            "legacy.docx",
            "bill.txt",
        ],
    );
    assert_eq!(code, Some(0), "{:?}", report.errors);
    let formats: Vec<&str> = report.documents.iter().map(|d| d.format.as_str()).collect();
    assert_eq!(
        formats,
        vec!["rtf", "doc", "odt", "doc", "docx", "html", "pdf"]
    );
    // And on standard input.
    assert_eq!(scan_stdin(&pdf_doc()).documents[0].format, "pdf");
}

/// The report of `bytes` scanned from standard input.
fn scan_stdin(bytes: &[u8]) -> RunReport {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .args(["scan", "--no-config", "--format", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Each document's path and format, in the report's order.
fn formats_of(report: &RunReport) -> Vec<(&str, &str)> {
    report
        .documents
        .iter()
        .map(|d| (d.path.as_str(), d.format.as_str()))
        .collect()
}

#[test]
fn broken_pdf_and_docx_files_are_error_entries_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut pdf = pdf_doc();
    pdf.truncate(pdf.len() / 3);
    std::fs::write(dir.path().join("cut.pdf"), &pdf).unwrap();
    std::fs::write(dir.path().join("fake.pdf"), "%PDF-1.7\nnot a real pdf").unwrap();
    let mut docx = docx_doc();
    docx.truncate(docx.len() / 2);
    std::fs::write(dir.path().join("cut.docx"), &docx).unwrap();
    std::fs::write(dir.path().join("fake.docx"), "plain text named .docx").unwrap();
    let mut odt = odt_doc();
    odt.truncate(odt.len() / 2);
    std::fs::write(dir.path().join("cut.odt"), &odt).unwrap();
    let mut doc = doc_doc();
    doc.truncate(doc.len() / 2);
    std::fs::write(dir.path().join("cut.doc"), &doc).unwrap();
    std::fs::write(dir.path().join("fake.rtf"), "plain text named .rtf").unwrap();
    std::fs::write(dir.path().join("ok.txt"), text_doc()).unwrap();
    let (code, report) = scan(dir.path(), &["."]);
    assert_eq!(code, Some(2), "unreadable inputs are exit 2");
    let errors: Vec<(&str, &str)> = report
        .errors
        .iter()
        .map(|e| (e.path.as_str(), e.message.as_str()))
        .collect();
    let paths: Vec<&str> = errors.iter().map(|(p, _)| *p).collect();
    assert!(
        paths.contains(&"fake.pdf") && paths.contains(&"fake.docx"),
        "{errors:?}"
    );
    assert!(
        ["cut.docx", "cut.odt", "cut.doc", "fake.rtf"]
            .iter()
            .all(|p| paths.contains(p)),
        "{errors:?}"
    );
    for (path, message) in &errors {
        let kind = if path.ends_with(".pdf") {
            "PDF"
        } else if path.ends_with(".odt") {
            "OpenDocument text"
        } else if path.ends_with(".doc") {
            "Word 97-2003 document"
        } else if path.ends_with(".rtf") {
            "RTF document"
        } else {
            "Word document"
        };
        assert!(message.contains(kind), "{path}: {message}");
        assert!(!message.contains("internal error"), "{path}: {message}");
    }
    // A truncated PDF may still yield its first page or be an error; either
    // way it is accounted for.
    let accounted =
        report.documents.iter().any(|d| d.path == "cut.pdf") || paths.contains(&"cut.pdf");
    assert!(accounted);
    assert!(report.documents.iter().any(|d| d.path == "ok.txt"));
}

/// `explain --text` prints the text evidence points into, whatever the
/// format: every evidence item of a scan sits at its line and column
/// there.
/// Writes `files` (name, bytes) to a folder and scans it: every file is
/// a document, none an error.
fn scan_files(files: &[(&str, Vec<u8>)]) -> RunReport {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let (_, report) = scan(dir.path(), &["."]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.documents.len(), files.len());
    report
}

/// A report of a hearing, written for this test: the author's framing,
/// then a witness's words, then the author again.
const HEARING: [&str; 3] = [
    "Open-weight models let universities and startups study how AI systems behave, and publishing weights keeps that research possible.",
    "Releasing frontier model weights is irreversible. Once published, they cannot be recalled, and every developer should need a licence before release.",
    "The committee will vote next month.",
];

/// A block quotation marked as one is someone else's words in every
/// format that can mark one (in plain text, an email's `> ` lines): its
/// cues count a quarter, as reported speech does, and the witness's view
/// is not the report's. The same words as a plain paragraph are the
/// author's own.
#[test]
fn a_block_quotation_is_someone_elses_words_in_every_format_that_marks_one() {
    let [own, quoted, after] = HEARING;
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    // As a mail client quotes a message it answers, wrapped at 60.
    let replied: String = wrap(quoted, 60)
        .iter()
        .map(|line| format!("> {line}\n"))
        .collect();
    let files: [(&str, Vec<u8>); 7] = [
        ("plain.txt", format!("{own}\n\n{quoted}\n\n{after}\n").into()),
        ("reply.txt", format!("{own}\n\n{replied}\n{after}\n").into()),
        ("hearing.md", format!("{own}\n\n> {quoted}\n\n{after}\n").into()),
        (
            "hearing.html",
            format!(
                "<!DOCTYPE html>\n<html><body>\n<p>{own}</p>\n<blockquote>\n  <p>{quoted}</p>\n</blockquote>\n<p>{after}</p>\n</body></html>\n"
            )
            .into(),
        ),
        (
            "hearing.docx",
            docx_of(&format!(
                "<w:p><w:r><w:t>{}</w:t></w:r></w:p>\
                 <w:p><w:pPr><w:pStyle w:val=\"IntenseQuote\"/></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>\
                 <w:p><w:r><w:t>{}</w:t></w:r></w:p>",
                esc(own),
                esc(quoted),
                esc(after)
            )),
        ),
        (
            "hearing.odt",
            odt_of(&format!(
                "<text:p>{}</text:p><text:p text:style-name=\"Quotations\">{}</text:p><text:p>{}</text:p>",
                esc(own),
                esc(quoted),
                esc(after)
            )),
        ),
        (
            "hearing.rtf",
            format!(
                "{{\\rtf1\\ansi{{\\stylesheet{{Normal;}}{{\\s2 Quote;}}}}\n\\pard {own}\\par\n\\pard\\s2 {quoted}\\par\n\\pard {after}\\par\n}}"
            )
            .into(),
        ),
    ];
    let report = scan_files(&files);
    for doc in &report.documents {
        let plain = doc.path == "plain.txt";
        let evidence = &doc.stance.evidence;
        assert!(
            evidence.iter().any(|e| e.cue == "sf-irreversible"),
            "{}: {evidence:?}",
            doc.path
        );
        for e in evidence {
            assert_eq!(
                e.modifiers.contains(&"attributed".to_string()),
                !plain && e.stance.as_str() == "security-first",
                "{}: {e:?}",
                doc.path
            );
        }
        assert_eq!(
            doc.stance.label.as_str() == "security-first",
            plain,
            "{}: {}",
            doc.path,
            doc.stance.reason
        );
    }
}

/// A short brief, written for this test: a heading without a full stop,
/// a paragraph that opens a quotation it never closes, the author's own
/// view, and a paragraph with a scare-quoted word.
const BRIEF: [&str; 4] = [
    "Why we back the licensing clause",
    "The sponsor wrote that \"every release is a gamble.",
    "Open weights cannot be recalled, so frontier developers must be licensed before release.",
    "That is why we back the \"licensing\" clause.",
];

/// Each paragraph of a Word, OpenDocument, RTF or HTML file is a
/// paragraph, as blank lines make them in text and Markdown: a heading
/// without a full stop does not run into the next sentence (its
/// evidence snippet), and a quotation left open in one paragraph does not
/// make the next paragraphs someone else's words.
#[test]
fn paragraphs_of_word_odt_rtf_and_html_files_are_paragraphs() {
    let [title, opened, own, after] = BRIEF;
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let body = [opened, own, after];
    // The body's paragraphs, each between `open` and `close`.
    let wrap = |open: &str, close: &str| {
        body.iter()
            .map(|p| format!("{open}{}{close}", esc(p)))
            .collect::<String>()
    };
    let files: [(&str, Vec<u8>); 5] = [
        (
            "brief.md",
            format!("# {title}\n\n{}\n", body.join("\n\n")).into(),
        ),
        (
            "brief.html",
            format!(
                "<html><body><h1>{title}</h1>{}</body></html>",
                wrap("<p>", "</p>")
            )
            .into(),
        ),
        (
            "brief.docx",
            docx_of(&format!(
                "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>{title}</w:t></w:r></w:p>{}",
                wrap("<w:p><w:r><w:t>", "</w:t></w:r></w:p>")
            )),
        ),
        (
            "brief.odt",
            odt_of(&format!(
                "<text:h text:outline-level=\"1\">{title}</text:h>{}",
                wrap("<text:p>", "</text:p>")
            )),
        ),
        (
            "brief.rtf",
            format!(
                "{{\\rtf1\\ansi\n\\pard {title}\\par\n{}}}",
                wrap("\\pard ", "\\par\n")
            )
            .into(),
        ),
    ];
    let report = scan_files(&files);
    for doc in &report.documents {
        let cues: Vec<(&str, &str, &[String])> = doc
            .stance
            .evidence
            .iter()
            .map(|e| (e.text.as_str(), e.snippet.as_str(), &e.modifiers[..]))
            .collect();
        assert!(
            cues.iter()
                .any(|(text, snippet, modifiers)| *text == "cannot be recalled"
                    && *snippet == own
                    && modifiers.is_empty()),
            "{}: {cues:?}",
            doc.path
        );
        assert_eq!(doc.stance.label.as_str(), "security-first", "{}", doc.path);
        let snippets: Vec<&str> = doc
            .themes
            .iter()
            .flat_map(|t| &t.evidence)
            .map(|e| e.snippet.as_str())
            .collect();
        assert!(
            snippets.iter().any(|s| s.trim_start_matches("# ") == title),
            "{}: {snippets:?}",
            doc.path
        );
    }
}

/// A bill in govinfo's XML, written for this test.
const BILL_XML: &str = r#"<?xml version="1.0"?>
<!DOCTYPE bill PUBLIC "-//US Congress//DTDs/bill.dtd//EN" "bill.dtd">
<bill bill-stage="Introduced-in-House">
<metadata><dublinCore><dc:title>Open-source AI exemption and liability</dc:title></dublinCore></metadata>
<form><legis-num>H. R. 9</legis-num><official-title>To require licences for developers of frontier models.</official-title></form>
<legis-body><toc><toc-entry>Sec. 2. Liability for open-source AI.</toc-entry></toc>
<section id="S1"><enum>1.</enum><header>Licence required</header><text>No person shall release the weights of a covered model trained with more than 10<sup>26</sup> operations without a licence.</text></section>
<section id="S2"><enum>2.</enum><header>Developer duties</header>
<subsection id="S2a"><enum>(a)</enum><header>Liability</header><text>A developer shall be liable for harms caused by misuse of a covered model it released.</text></subsection>
<subsection changed="deleted"><enum>(b)</enum><text>This section does not apply to open-source AI or to research.</text></subsection>
</section>
</legis-body>
</bill>
"#;

/// A bill's XML is a document: evidence points at its line and column in
/// the XML, sections are its numbered headings, and metadata, the table
/// of contents and deleted text are not read (the deleted research
/// exemption leaves the liability check firing). XML that is not a
/// document is skipped, found in a folder or named.
#[test]
fn a_bill_in_xml_is_read_in_place_and_other_xml_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hr9.xml"), BILL_XML).unwrap();
    std::fs::write(
        dir.path().join("pom.xml"),
        "<?xml version=\"1.0\"?>\n<project><name>open-source AI liability</name></project>\n",
    )
    .unwrap();
    for args in [&["."][..], &["hr9.xml", "pom.xml"][..]] {
        let (code, report) = scan(dir.path(), args);
        assert_eq!(code, Some(0), "{args:?}");
        let skipped: Vec<(&str, &str)> = report
            .skipped
            .iter()
            .map(|s| (s.path.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(skipped, [("pom.xml", "not-a-document")], "{args:?}");
        assert_eq!(report.documents.len(), 1);
        let doc = &report.documents[0];
        assert_eq!(doc.format, "xml");
        let lines: Vec<&str> = BILL_XML.lines().collect();
        let evidence: Vec<_> = doc.themes.iter().flat_map(|t| &t.evidence).collect();
        for e in &evidence {
            let first = e.text.split_whitespace().next().unwrap();
            let at: String = lines[e.line - 1]
                .chars()
                .skip(e.column - 1)
                .take(first.chars().count())
                .collect();
            assert_eq!(at, first, "line {} column {}: {}", e.line, e.column, e.text);
            assert!(!e.snippet.contains('<'), "{}", e.snippet);
        }
        let liable = evidence
            .iter()
            .find(|e| e.text.starts_with("liable"))
            .unwrap();
        assert_eq!(
            liable.section.as_deref(),
            Some("2. Developer duties > (a) Liability")
        );
        assert!(
            !present(doc).contains(&"safe-harbor"),
            "the deleted exemption and the table of contents are not read: {:?}",
            present(doc)
        );
        assert!(
            doc.checks
                .iter()
                .any(|c| c.check == "liability-without-research-safe-harbor"),
            "{:?}",
            doc.checks
        );
    }
}

#[test]
fn explain_text_is_what_evidence_points_into() {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path());
    let (_, report) = scan(dir.path(), &["."]);
    assert_eq!(report.documents.len(), 9);
    for doc in &report.documents {
        let out = Command::new(env!("CARGO_BIN_EXE_policyscan"))
            .current_dir(dir.path())
            .args(["explain", "--no-config", "--text", &doc.path])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", doc.path);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("universities"), "{}: {text}", doc.path);
        if let Err(misplaced) = positions::check(doc, &text) {
            panic!("{}: {misplaced}", doc.path);
        }
    }
}

/// Files LibreOffice 7.4 wrote from one of the fixtures
/// (tests/data/README.md): what a word processor really puts in a `.doc`
/// or an `.rtf` reads as its source does (src/text/doc.rs and rtf.rs test
/// the other files there).
#[test]
fn word_processor_files_read_as_their_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let json = |path: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_policyscan"))
            .args(["scan", "--no-config", "--format", "json"])
            .arg(path)
            .output()
            .unwrap();
        let mut report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut doc = report["documents"][0].take();
        assert!(doc.is_object(), "{}: {report}", path.display());
        for key in ["path", "format", "bytes"] {
            doc.as_object_mut().unwrap().remove(key);
        }
        doc
    };
    // Every line of the op-ed became a paragraph: the same report, the
    // same evidence at the same lines and columns.
    let name = "oped-security-first-irreversible";
    let source = json(&root.join(format!("fixtures/{name}.txt")));
    assert_eq!(source["stance"]["label"], "security-first");
    for file in [format!("word97/{name}.doc"), format!("rtf/{name}.rtf")] {
        assert_eq!(json(&root.join("tests/data").join(&file)), source, "{file}");
    }
}

/// A four-page PDF LibreOffice printed (tests/data/README.md) with a
/// running header naming the docket and the proposal, and a page-number
/// footer: the header's words are no evidence, once or four times, the
/// body of every page still is, and a sentence that goes on over a page
/// break is one sentence.
#[test]
fn running_headers_of_a_printed_pdf_are_not_evidence() {
    // 50 evidence items a theme: every hit of this document.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pdf");
    let (_, report) = scan(&data, &["running-header.pdf"]);
    let doc = &report.documents[0];
    let evidence: Vec<_> = doc.themes.iter().flat_map(|t| &t.evidence).collect();
    for e in &evidence {
        assert!(
            !e.snippet.contains("Docket") && !e.snippet.starts_with("Page "),
            "{e:?}"
        );
        // Sentences that go on over a page break are whole: none starts
        // in lower case where the next page takes it up.
        assert!(e.snippet.starts_with(char::is_uppercase), "{e:?}");
    }
    let mut pages: Vec<usize> = evidence.iter().filter_map(|e| e.page).collect();
    pages.dedup();
    pages.sort_unstable();
    pages.dedup();
    assert_eq!(pages, [1, 2, 3, 4]);
    assert!(
        present(doc).contains(&"compliance-cost"),
        "{:?}",
        present(doc)
    );
    assert!(!present(doc).contains(&"licensing"), "{:?}", present(doc));
}

/// `pdf_doc()` changed by `edit`, which gets its first page and the
/// Pages node above it.
fn edited_pdf(edit: impl FnOnce(&mut Pdf, ObjectId, ObjectId)) -> Vec<u8> {
    let mut doc = Pdf::load_mem(&pdf_doc()).unwrap();
    let page = doc.get_pages()[&1];
    let pages = doc.get_dictionary(page).unwrap().get(b"Parent").unwrap();
    let pages = pages.as_reference().unwrap();
    edit(&mut doc, page, pages);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn pdfs_that_would_crash_or_hang_the_reader_cost_no_other_input() {
    let dir = tempfile::tempdir().unwrap();
    // A form that draws itself: the reader would recurse until its stack
    // overflowed, which aborts the process it runs in. The page is not
    // drawn; the rest of the document is read.
    let recursive = edited_pdf(|doc, page, pages| {
        let resources = doc
            .get_dictionary(pages)
            .unwrap()
            .get(b"Resources")
            .unwrap();
        let resources = resources.as_reference().unwrap();
        let form = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()],
                "Resources" => resources,
            },
            b"/Me Do".to_vec(),
        ));
        doc.get_object_mut(resources)
            .and_then(Object::as_dict_mut)
            .unwrap()
            .set("XObject", dictionary! { "Me" => form });
        let mut content = doc.get_page_content(page).unwrap();
        content.extend_from_slice(b"\n/Me Do\n");
        doc.change_page_content(page, content).unwrap();
    });
    std::fs::write(dir.path().join("recursive.pdf"), recursive).unwrap();
    // A page that is its own parent: the reader would climb forever.
    let looped = edited_pdf(|doc, _, _| {
        let page = doc.get_pages()[&2];
        doc.get_object_mut(page)
            .and_then(Object::as_dict_mut)
            .unwrap()
            .set("Parent", page);
    });
    std::fs::write(dir.path().join("looped.pdf"), looped).unwrap();
    // Page 1's font is a reference to nothing: the reader panics on that
    // page, and page 2 is still read.
    let half = edited_pdf(|doc, page, _| {
        doc.get_object_mut(page)
            .and_then(Object::as_dict_mut)
            .unwrap()
            .set(
                "Resources",
                dictionary! { "Font" => dictionary! { "F1" => (999, 0) } },
            );
    });
    std::fs::write(dir.path().join("half.pdf"), half).unwrap();
    std::fs::write(dir.path().join("ok.pdf"), pdf_doc()).unwrap();
    std::fs::write(dir.path().join("ok.txt"), text_doc()).unwrap();

    let (code, report) = scan(dir.path(), &["."]);
    assert_eq!(code, Some(2), "unreadable inputs are exit 2");
    let error = |path: &str| {
        let found = report.errors.iter().find(|e| e.path == path);
        found.map(|e| e.message.as_str()).unwrap_or_default()
    };
    let looped = error("looped.pdf");
    assert!(looped.contains("page 2"), "{looped}");
    let mut scanned: Vec<&str> = report.documents.iter().map(|d| d.path.as_str()).collect();
    scanned.sort_unstable();
    assert_eq!(scanned, ["half.pdf", "ok.pdf", "ok.txt", "recursive.pdf"]);
    assert_eq!(report.errors.len(), 1);
    let document = |path: &str| report.documents.iter().find(|d| d.path == path).unwrap();
    // The page the reader cannot draw is empty; the evidence is all from
    // page 2.
    for (path, why) in [
        ("recursive.pdf", "a form on it draws itself"),
        ("half.pdf", "missing object reference"),
    ] {
        let doc = document(path);
        let warning = format!("page 1 could not be read ({why}");
        assert!(doc.warnings[0].starts_with(&warning), "{:?}", doc.warnings);
        let evidence = doc.themes.iter().flat_map(|t| &t.evidence);
        let pages: Vec<Option<usize>> = evidence.map(|e| e.page).collect();
        assert!(
            !pages.is_empty() && pages.iter().all(|p| *p == Some(2)),
            "{path}: {pages:?}"
        );
    }
}

#[test]
fn a_pdf_past_the_time_limit_is_stopped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    // 20,000 pages: far longer to read than the 10 ms limit.
    let long = edited_pdf(|doc, page, pages| {
        let template = doc.get_dictionary(page).unwrap().clone();
        let kids: Vec<Object> = (0..20_000)
            .map(|_| doc.add_object(template.clone()).into())
            .collect();
        let node = doc
            .get_object_mut(pages)
            .and_then(Object::as_dict_mut)
            .unwrap();
        node.set("Count", kids.len() as i64);
        node.set("Kids", kids);
    });
    std::fs::write(dir.path().join("long.pdf"), long).unwrap();
    std::fs::write(dir.path().join("ok.txt"), text_doc()).unwrap();
    let run = |limit: &str| {
        Command::new(env!("CARGO_BIN_EXE_policyscan"))
            .current_dir(dir.path())
            .env("POLICYSCAN_PDF_TIMEOUT", limit)
            .args(["scan", "--no-config", "--format", "json", "."])
            .output()
            .unwrap()
    };
    let out = run("0.01");
    assert_eq!(out.status.code(), Some(2));
    let report: RunReport = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].path, "long.pdf");
    let message = &report.errors[0].message;
    assert!(
        message.contains("did not finish within 0.01 s")
            && message.contains("POLICYSCAN_PDF_TIMEOUT"),
        "{message}"
    );
    assert_eq!(report.documents.len(), 1);

    let out = run("soon");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("POLICYSCAN_PDF_TIMEOUT=soon: expected a number of seconds"),
        "{stderr}"
    );

    // More seconds than a `Duration` or an `Instant` can hold: no limit,
    // not a panic.
    std::fs::remove_file(dir.path().join("long.pdf")).unwrap();
    std::fs::write(dir.path().join("short.pdf"), pdf_doc()).unwrap();
    for limit in ["1e30", "1e15"] {
        let out = run(limit);
        assert_eq!(out.status.code(), Some(0), "{limit}: {out:?}");
        let report: RunReport = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report.documents.len(), 2, "{limit}");
    }
}

/// A listening session, written for this test: the moderator and three
/// speakers, two of whom argue for restricting release and one against.
const SESSION: [(&str, &str); 7] = [
    ("MODERATOR", "Our first speaker, please."),
    (
        "GRACE ODUYA",
        "Restricting open models would be a mistake; licensing would stifle startups and entrench incumbents.",
    ),
    ("MODERATOR", "Thank you. Next speaker."),
    (
        "KAREN WOLFE",
        "Publishing frontier weights is reckless, because a release cannot be recalled.",
    ),
    ("MODERATOR", "Thank you. Last speaker."),
    (
        "ARJUN MEHTA",
        "Open release is irreversible, and the risks are catastrophic.",
    ),
    ("MODERATOR", "That concludes the session."),
];

/// The session's labels as each format writes them — plain, Markdown
/// bold, HTML `<strong>` (all on one line, so only the markup breaks the
/// paragraphs), a bold run in Word — is read as its speakers' words:
/// `neutral`, with every stance cue attributed.
#[test]
fn a_transcript_is_its_speakers_words_in_every_format() {
    let join = |f: &dyn Fn(&str, &str) -> String, sep: &str| {
        SESSION
            .iter()
            .map(|(n, w)| f(n, w))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let txt = join(&|n, w| format!("{n}: {w}"), "\n\n");
    let md = join(&|n, w| format!("**{n}:** {w}"), "\n\n");
    let html = format!(
        "<!DOCTYPE html><html><body>{}</body></html>",
        join(&|n, w| format!("<p><strong>{n}:</strong> {w}</p>"), "")
    );
    let docx = docx_of(&join(
        &|n, w| {
            format!(
                "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{n}:</w:t></w:r><w:r><w:t xml:space=\"preserve\"> {w}</w:t></w:r></w:p>"
            )
        },
        "",
    ));
    let report = scan_files(&[
        ("session.txt", txt.into_bytes()),
        ("session.md", md.into_bytes()),
        ("session.html", html.into_bytes()),
        ("session.docx", docx),
    ]);
    for doc in &report.documents {
        assert!(doc.transcript, "{}", doc.path);
        let s = &doc.stance;
        assert_eq!(s.label.as_str(), "neutral", "{}: {s:?}", doc.path);
        assert!(
            s.evidence.len() >= 2
                && s.evidence
                    .iter()
                    .all(|e| e.modifiers.contains(&"attributed".to_string())),
            "{}: {s:?}",
            doc.path
        );
    }
}

/// A one-page PDF in Courier of `lines`, each `(indent, text)`: `indent`
/// points right of the left margin, 12 points between lines, no blank
/// lines — how the GPO prints a hearing, each turn's first line indented.
fn pdf_of_lines(lines: &[(i64, String)]) -> Vec<u8> {
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), Object::Integer(10)]),
    ];
    for (i, (indent, line)) in lines.iter().enumerate() {
        let y = 800 - 12 * i64::try_from(i).unwrap();
        ops.push(Operation::new(
            "Tm",
            vec![
                1.into(),
                0.into(),
                0.into(),
                1.into(),
                (60 + indent).into(),
                y.into(),
            ],
        ));
        ops.push(Operation::new(
            "Tj",
            vec![Object::string_literal(line.as_str())],
        ));
    }
    ops.push(Operation::new("ET", vec![]));
    pdf_of_pages("Courier", [ops])
}

/// A hearing as the GPO prints one, written for this test: every turn
/// opens with the speaker's name in capitals on an indented line, the
/// turns run on without blank lines, wrapped at 64 characters.
const GPO_HEARING: [&str; 7] = [
    "Mr. HALVORSEN. The subcommittee will come to order. Today we take testimony on the draft that would license the largest developers.",
    "Dr. ABERNATHY. Thank you, Mr. Chairman. Once the weights of a capable model are posted they cannot be recalled, and safeguards can be fine-tuned away by anyone who downloads them. Developers should be licensed before release.",
    "Mr. HALVORSEN. Thank you. Ms. Quintero.",
    "Ms. QUINTERO. I run a company of nine people. A licensing regime would stifle firms like mine and entrench the three companies that can pay for the lawyers. Restricting open models would be a mistake.",
    "Mr. PELLETIER. Dr. Abernathy, who is responsible if a released model is misused?",
    "Dr. ABERNATHY. The developer who released it without testing, Congressman. That is irreversible harm.",
    "Mr. HALVORSEN. The subcommittee stands adjourned.",
];

/// A printed hearing's turns are found by their indented first lines,
/// which the PDF's text keeps as leading spaces: the witnesses' cues are
/// reported speech and the record takes no stance. Set flush left, the
/// same lines run together as one speaker's text.
#[test]
fn a_printed_hearing_is_read_as_a_transcript() {
    let layout = |first_line_indent: i64| {
        let mut lines = Vec::new();
        for turn in GPO_HEARING {
            for (i, line) in wrap(turn, 64).into_iter().enumerate() {
                lines.push((if i == 0 { first_line_indent } else { 0 }, line));
            }
        }
        pdf_of_lines(&lines)
    };
    let report = scan_files(&[("indented.pdf", layout(24)), ("flush.pdf", layout(0))]);
    let doc = |name: &str| {
        (report.documents.iter())
            .find(|d| d.path.ends_with(name))
            .unwrap()
    };
    let printed = doc("indented.pdf");
    assert!(printed.transcript, "{:?}", printed.stance);
    assert_eq!(
        printed.stance.label.as_str(),
        "neutral",
        "{:?}",
        printed.stance
    );
    assert!(
        (printed.stance.evidence.iter())
            .filter(|e| e.effective_weight > 0.0)
            .all(|e| e.modifiers.contains(&"attributed".to_string())),
        "{:?}",
        printed.stance
    );
    let flush = doc("flush.pdf");
    assert!(!flush.transcript);
    assert_eq!(flush.stance.label.as_str(), "security-first");
}

/// A Markdown quotation wrapped over lines: evidence `text` is the source
/// as written (markers and all, so it is where line and column say), the
/// snippet reads as one line without the markers, and the text report
/// still brackets the match (a fuzzer found the first version of this
/// change taking the markers out of `text` too).
#[test]
fn evidence_in_a_wrapped_markdown_quotation_reads_as_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let source = "# Thread\n\n> > The weights\n> > of a frontier model are published\n> > today, and they cannot be recalled.\n";
    std::fs::write(dir.path().join("q.md"), source).unwrap();
    let (_, report) = scan(dir.path(), &["q.md"]);
    let doc = &report.documents[0];
    if let Err(misplaced) = positions::check(doc, source) {
        panic!("{misplaced}");
    }
    let items: Vec<(&str, &str)> = (doc.themes.iter())
        .flat_map(|t| &t.evidence)
        .map(|e| (e.text.as_str(), e.snippet.as_str()))
        .collect();
    let wrapped = items
        .iter()
        .find(|(text, _)| text.contains("> >"))
        .unwrap_or_else(|| panic!("no match over the quoted lines: {items:?}"));
    assert!(!wrapped.1.contains('>'), "{wrapped:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .current_dir(dir.path())
        .args(["scan", "--no-config", "--color", "never", "q.md"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let unquoted = wrapped.0.replace("> > ", "");
    assert!(
        text.contains(&format!("[{unquoted}]")),
        "{unquoted}: {text}"
    );
}

/// The op-ed's paragraphs as caption cues of `per_cue` words, cut
/// mid-sentence: SubRip with numbers and italics, or WebVTT with a header,
/// a note, identifiers, inline timestamps, a character reference, and the
/// rolling captions video platforms generate (each cue repeats the line
/// before it, and a 10 ms cue holds it again).
fn captions_doc(vtt: bool, per_cue: usize) -> String {
    let words: Vec<&str> = PARAGRAPHS.iter().flat_map(|p| p.split(' ')).collect();
    let stamp = |ms: usize| {
        let (s, ms) = (ms / 1000, ms % 1000);
        let sep = if vtt { '.' } else { ',' };
        format!(
            "{:02}:{:02}:{:02}{sep}{ms:03}",
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    };
    let mut out = String::new();
    if vtt {
        out.push_str("WEBVTT\nKind: captions\nLanguage: en\n\nNOTE\nmandatory licensing, export controls on model weights\n\n");
    }
    let mut previous = String::new();
    for (n, cue) in words.chunks(per_cue).enumerate() {
        let from = n * 2000;
        let line = cue.join(" ");
        if vtt {
            let timed: Vec<String> = cue
                .iter()
                .enumerate()
                .map(|(i, w)| match i {
                    0 => w.replace('&', "&amp;"),
                    _ => format!(
                        "<{}><c> {}</c>",
                        stamp(from + i * 100),
                        w.replace('&', "&amp;")
                    ),
                })
                .collect();
            out.push_str(&format!(
                "cue-{n}\n{} --> {} align:start position:0%\n{previous}\n{}\n\n{} --> {}\n{line}\n \n\n",
                stamp(from),
                stamp(from + 1990),
                timed.join(""),
                stamp(from + 1990),
                stamp(from + 2000),
            ));
        } else {
            out.push_str(&format!(
                "{}\n{} --> {}\n<i>{line}</i>\n\n",
                n + 1,
                stamp(from),
                stamp(from + 1900)
            ));
        }
        previous = line;
    }
    out
}

/// Captions are read as the text they carry: the same op-ed as SubRip and
/// as WebVTT (cues cut mid-sentence, markup, rolling repeats) gets the
/// stance, themes and scores of its plain text, walks pick `.srt` and
/// `.vtt` up, evidence points at the cue's line and column in the file,
/// and standard input is recognised by content.
#[test]
fn captions_read_as_the_text_they_carry() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("body.txt"), PARAGRAPHS.join(" ") + "\n").unwrap();
    std::fs::write(dir.path().join("video.srt"), captions_doc(false, 7)).unwrap();
    std::fs::write(dir.path().join("video.vtt"), captions_doc(true, 9)).unwrap();
    let (code, report) = scan(dir.path(), &["."]);
    assert_eq!(code, Some(0), "{:?}", report.errors);
    assert_eq!(
        formats_of(&report),
        vec![
            ("body.txt", "text"),
            ("video.srt", "srt"),
            ("video.vtt", "vtt")
        ]
    );
    let txt = &report.documents[0];
    assert_eq!(
        txt.stance.label.as_str(),
        "pro-open",
        "{}",
        txt.stance.reason
    );
    for doc in &report.documents[1..] {
        assert_eq!(doc.words, txt.words, "{}", doc.path);
        assert_eq!(doc.stance.label, txt.stance.label, "{}", doc.path);
        assert_eq!(doc.stance.scores, txt.stance.scores, "{}", doc.path);
        assert_eq!(present(doc), present(txt), "{}", doc.path);
        let source = std::fs::read_to_string(dir.path().join(&doc.path)).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        let evidence = doc
            .stance
            .evidence
            .iter()
            .map(|e| (&e.text, e.line, e.column))
            .chain(
                doc.themes
                    .iter()
                    .flat_map(|t| t.evidence.iter().map(|e| (&e.text, e.line, e.column))),
            );
        let mut checked = 0;
        for (text, line, column) in evidence {
            // The first word of the evidence is at its line and column.
            let at: String = lines[line - 1].chars().skip(column - 1).collect();
            let first = text.split([' ', '-']).next().unwrap();
            assert!(
                at.starts_with(first),
                "{}:{line}:{column}: {text:?} vs {at:?}",
                doc.path
            );
            checked += 1;
        }
        assert!(checked >= 5, "{}: {checked}", doc.path);
    }
    // A sentence cut over cues is one sentence: its snippet runs on over
    // twelve words (two cues of seven, at least).
    let srt = &report.documents[1];
    let snippets: Vec<&str> = srt
        .stance
        .evidence
        .iter()
        .map(|e| e.snippet.as_str())
        .collect();
    let twelve: Vec<&str> = PARAGRAPHS[2].split(' ').take(12).collect();
    assert!(
        snippets.iter().any(|s| s.contains(&twelve.join(" "))),
        "{snippets:#?}"
    );
    // On standard input, by content.
    for (doc, format) in [
        (captions_doc(false, 7), "srt"),
        (captions_doc(true, 9), "vtt"),
    ] {
        let report = scan_stdin(doc.as_bytes());
        assert_eq!(report.documents[0].format, format);
        assert_eq!(report.documents[0].stance.scores, txt.stance.scores);
    }
}

/// WebVTT voices are speakers: the session of
/// [`a_transcript_is_its_speakers_words_in_every_format`] as captions, each
/// turn cut over two cues and its voice given on both, is a transcript,
/// as its plain text is: `neutral`, every stance cue attributed.
#[test]
fn caption_voices_are_speakers() {
    let mut vtt = String::from("WEBVTT\n\n");
    for (n, (who, said)) in SESSION.iter().enumerate() {
        let cut = said[..said.len() / 2].rfind(' ').unwrap_or(0);
        for (k, part) in [&said[..cut], &said[cut..]].into_iter().enumerate() {
            let from = n * 4 + k * 2;
            vtt.push_str(&format!(
                "00:00:{from:02}.000 --> 00:00:{:02}.000\n<v.loud {who}>{}</v>\n\n",
                from + 2,
                part.trim_start()
            ));
        }
    }
    let report = scan_files(&[("session.vtt", vtt.into_bytes())]);
    let doc = &report.documents[0];
    assert!(doc.transcript, "{doc:?}");
    let s = &doc.stance;
    assert_eq!(s.label.as_str(), "neutral", "{s:?}");
    assert!(
        s.evidence.len() >= 2
            && s.evidence
                .iter()
                .all(|e| e.modifiers.contains(&"attributed".to_string())),
        "{s:?}"
    );
}

/// A transcript copied from a video page, each line opened by its time:
/// the times are not read into sentences and snippets, and evidence keeps
/// the file's lines and columns.
#[test]
fn timestamps_opening_the_lines_of_a_pasted_transcript_are_not_read() {
    let words: Vec<&str> = PARAGRAPHS.iter().flat_map(|p| p.split(' ')).collect();
    let lines: Vec<String> = words
        .chunks(8)
        .enumerate()
        .map(|(n, chunk)| format!("{}:{:02} {}", n * 4 / 60, n * 4 % 60, chunk.join(" ")))
        .collect();
    let pasted = lines.join("\n") + "\n";
    let report = scan_files(&[
        ("body.txt", (PARAGRAPHS.join(" ") + "\n").into_bytes()),
        ("pasted.txt", pasted.clone().into_bytes()),
    ]);
    let [body, doc] = &report.documents[..] else {
        panic!("{:?}", report.documents)
    };
    assert_eq!(doc.words, body.words);
    assert_eq!(doc.stance.scores, body.stance.scores);
    assert_eq!(present(doc), present(body));
    assert!(!doc.stance.evidence.is_empty());
    for e in &doc.stance.evidence {
        assert!(
            !e.snippet.contains(":0") && !e.snippet.contains(":1"),
            "{}",
            e.snippet
        );
        let line: String = lines[e.line - 1].chars().skip(e.column - 1).collect();
        assert!(line.starts_with(e.text.split(' ').next().unwrap()), "{e:?}");
    }
}

/// A deck's slides are its pages, in the order the presentation shows
/// them (not its part names'), and a slide's title is the section of what
/// is on it; a deck is found by content; a zip with no slides is an error
/// entry, and the run goes on.
#[test]
fn a_decks_slides_are_pages_and_their_titles_sections() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deck"), pptx_doc()).unwrap();
    let mut empty = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    empty
        .start_file(
            "ppt/presentation.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
    empty.write_all(b"<p:presentation/>").unwrap();
    std::fs::write(
        dir.path().join("empty.pptx"),
        empty.finish().unwrap().into_inner(),
    )
    .unwrap();
    let (_, report) = scan(dir.path(), &["deck", "empty.pptx"]);
    assert_eq!(formats_of(&report), vec![("deck", "pptx")]);
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(
        report.errors[0]
            .message
            .contains("could not read the PowerPoint presentation")
            && report.errors[0].message.contains("no slides"),
        "{:?}",
        report.errors
    );
    let doc = &report.documents[0];
    let evidence: Vec<(&str, Option<usize>, Option<String>)> = doc
        .themes
        .iter()
        .flat_map(|t| &t.evidence)
        .map(|e| (e.snippet.as_str(), e.page, e.section.clone()))
        .chain(
            doc.stance
                .evidence
                .iter()
                .map(|e| (e.snippet.as_str(), e.page, e.section.clone())),
        )
        .collect();
    let on = |words: &str| {
        let (_, page, section) = evidence
            .iter()
            .find(|e| e.0.contains(words))
            .unwrap_or_else(|| panic!("{words}: {evidence:#?}"));
        (*page, section.clone())
    };
    assert_eq!(on("universities"), (Some(1), Some(TITLE.to_string())));
    assert_eq!(
        on("licensing requirement"),
        (Some(2), Some(TITLE.to_string()))
    );
    assert_eq!(
        on("red-teaming"),
        (Some(3), Some("What to do instead".to_string()))
    );
}

/// Base64 of `bytes`, in lines of 76 characters, as mail programs write it.
fn base64_lines(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut encoded = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                encoded.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                encoded.push('=');
            }
        }
    }
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|l| std::str::from_utf8(l).unwrap())
        .collect();
    lines.join("\r\n") + "\r\n"
}

/// Quoted-printable of `text`: `=` and non-ASCII bytes escaped, lines
/// over 72 characters cut with soft breaks wherever they fall (mid-word
/// too), as mail programs do.
fn quoted_printable_lines(text: &str) -> String {
    let mut out = String::new();
    for line in text.split('\n') {
        let mut width = 0;
        for &b in line.as_bytes() {
            let piece = if b == b'=' || !b.is_ascii() {
                format!("={b:02X}")
            } else {
                (b as char).to_string()
            };
            if width + piece.len() > 72 {
                out.push_str("=\r\n");
                width = 0;
            }
            width += piece.len();
            out.push_str(&piece);
        }
        out.push_str("\r\n");
    }
    out
}

/// The op-ed sent as email: `body` under headers (and `noise` in header
/// fields, which are not read), `content_type` and `encoding` given.
fn email(content_type: &str, encoding: &str, body: &str) -> String {
    format!(
        "Return-Path: <ines@example.org>\r\nReceived: from mail.example.org ({NOISE})\r\n\tby mx.example.net; Mon, 7 Dec 2026 09:00:00 +0000\r\n\
Message-ID: <oped-1@example.org>\r\nFrom: Ines Ferreira <ines@example.org>\r\nTo: letters@paper.example\r\n\
Subject: {TITLE}\r\nX-Topics: {NOISE}\r\nDate: Mon, 7 Dec 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n\
Content-Type: {content_type}\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n{body}"
    )
}

/// The op-ed as email in the shapes mail programs write (plain 7-bit text;
/// quoted-printable text with an HTML alternative, an image and a calendar
/// part; base64 HTML; a covering note with the op-ed attached as Word)
/// gets the stance and themes of its plain text; the plain message's
/// evidence points at its lines and columns; header fields, MIME parts
/// that are not shown and the alternative not chosen are not read; a
/// forwarded copy is quoted speech; standard input is recognised.
#[test]
fn email_reads_as_the_text_it_carries() {
    let dir = tempfile::tempdir().unwrap();
    let body = PARAGRAPHS.join("\r\n\r\n") + "\r\n";
    std::fs::write(dir.path().join("oped.txt"), text_doc()).unwrap();
    let plain = email("text/plain; charset=us-ascii", "7bit", &body);
    std::fs::write(dir.path().join("plain.eml"), &plain).unwrap();
    let html_body: String = PARAGRAPHS.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    let alternative = format!(
        "This is a multi-part message in MIME format: {NOISE}.\r\n--outer\r\n\
Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n--inner\r\n\
Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{}\r\n--inner\r\n\
Content-Type: text/html; charset=utf-8\r\n\r\n<html><body>{html_body}<p>{NOISE}</p></body></html>\r\n--inner--\r\n--outer\r\n\
Content-Type: image/png; name=\"logo.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}--outer\r\n\
Content-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nSUMMARY:{NOISE}\r\nEND:VCALENDAR\r\n--outer--\r\n",
        quoted_printable_lines(&PARAGRAPHS.join("\n\n")),
        base64_lines(format!("\u{89}PNG {NOISE}").as_bytes()),
    );
    std::fs::write(
        dir.path().join("alternative.eml"),
        email("multipart/mixed; boundary=outer", "7bit", &alternative),
    )
    .unwrap();
    let page = format!(
        "<html><head><style>p {{ margin: 0 }}</style></head><body>{html_body}<footer>{NOISE}</footer></body></html>"
    );
    std::fs::write(
        dir.path().join("html.eml"),
        email(
            "text/html; charset=\"utf-8\"",
            "base64",
            &base64_lines(page.as_bytes()),
        ),
    )
    .unwrap();
    let attached = format!(
        "--b\r\nContent-Type: text/plain\r\n\r\nThe piece is attached.\r\n--b\r\n\
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name=\"oped.docx\"\r\n\
Content-Disposition: attachment; filename=\"oped.docx\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}--b--\r\n",
        base64_lines(&docx_doc())
    );
    std::fs::write(
        dir.path().join("attached.eml"),
        email("multipart/mixed; boundary=b", "7bit", &attached),
    )
    .unwrap();
    let (code, report) = scan(dir.path(), &["."]);
    assert_eq!(code, Some(0), "{:?}", report.errors);
    assert_eq!(
        formats_of(&report),
        vec![
            ("alternative.eml", "eml"),
            ("attached.eml", "eml"),
            ("html.eml", "eml"),
            ("oped.txt", "text"),
            ("plain.eml", "eml"),
        ]
    );
    let txt = &report.documents[3];
    assert_eq!(txt.stance.label.as_str(), "pro-open");
    for doc in report.documents.iter().filter(|d| d.format == "eml") {
        assert!(doc.warnings.is_empty(), "{}: {:?}", doc.path, doc.warnings);
        assert_eq!(doc.stance.label, txt.stance.label, "{}", doc.path);
        assert_eq!(present(doc), present(txt), "{}", doc.path);
        // The covering note adds four words, and the subject over the
        // attached op-ed's own title four more.
        let extra = if doc.path == "attached.eml" { 8 } else { 0 };
        assert_eq!(doc.words, txt.words + extra, "{}", doc.path);
        if doc.path != "attached.eml" {
            assert_eq!(doc.stance.scores, txt.stance.scores, "{}", doc.path);
        }
    }
    // The plain message's evidence is at its line and column in the file.
    let doc = &report.documents[4];
    let lines: Vec<&str> = plain.lines().collect();
    let mut checked = 0;
    for e in doc.themes.iter().flat_map(|t| &t.evidence) {
        let at: String = lines[e.line - 1].chars().skip(e.column - 1).collect();
        assert!(
            at.starts_with(&e.text),
            "{}:{}: {:?}",
            e.line,
            e.column,
            e.text
        );
        checked += 1;
    }
    assert!(checked >= 5);
    // The subject is the heading of every section; the attachment's text
    // is a section named by its file.
    let sections = |doc: &DocumentReport| -> Vec<String> {
        let mut s: Vec<String> = doc
            .themes
            .iter()
            .flat_map(|t| &t.evidence)
            .filter_map(|e| e.section.clone())
            .collect();
        s.sort();
        s.dedup();
        s
    };
    assert_eq!(sections(doc), [TITLE]);
    assert_eq!(
        sections(&report.documents[1]),
        [TITLE.to_string(), format!("oped.docx > {TITLE}")]
    );
    // Forwarded, the op-ed is someone else's words, weighed as a block
    // quotation is: attributed, not the forwarder's own.
    let forwarded = email(
        "text/plain",
        "7bit",
        &format!(
            "FYI, see below.\r\n\r\n---------- Forwarded message ---------\r\nFrom: Ines <ines@example.org>\r\n\r\n{body}"
        ),
    );
    let report = scan_stdin(forwarded.as_bytes());
    let doc = &report.documents[0];
    assert_eq!(doc.format, "eml");
    let marker = forwarded
        .lines()
        .position(|l| l.contains("Forwarded"))
        .unwrap()
        + 1;
    let body_evidence: Vec<_> = doc
        .stance
        .evidence
        .iter()
        .filter(|e| e.line > marker)
        .collect();
    assert!(body_evidence.len() >= 2);
    for e in body_evidence {
        assert!(e.modifiers.iter().any(|m| m == "attributed"), "{e:?}");
    }
    assert!(doc.stance.scores.pro_open < txt.stance.scores.pro_open);
    // On standard input, by content.
    assert_eq!(
        scan_stdin(plain.as_bytes()).documents[0].stance.scores,
        txt.stance.scores
    );
}

/// The op-ed as Outlook saves a message (`.msg`): an OLE compound file of
/// MAPI property streams, the body one paragraph per line, the sender's
/// name (noise here) in its own property, the op-ed again as an attached
/// Word file, and an earlier message attached as an item.
fn msg_doc(attach: bool) -> Vec<u8> {
    use std::io::Cursor;
    fn utf16(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    let mut put = |path: &str, data: &[u8]| {
        file.create_stream(path).unwrap().write_all(data).unwrap();
    };
    put("/__properties_version1.0", &[0; 32]);
    put("/__substg1.0_0037001F", &utf16(TITLE));
    put("/__substg1.0_0C1A001F", &utf16(NOISE));
    put(
        "/__substg1.0_1000001F",
        &utf16(&(PARAGRAPHS.join("\r\n") + "\r\n")),
    );
    if attach {
        let at = "/__attach_version1.0_#00000000";
        file.create_storage(at).unwrap();
        for (name, data) in [
            ("__substg1.0_3707001F", utf16("oped.docx")),
            ("__substg1.0_37010102", docx_doc()),
        ] {
            file.create_stream(format!("{at}/{name}"))
                .unwrap()
                .write_all(&data)
                .unwrap();
        }
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

/// An Outlook message gets the stance and themes of its text; its
/// attachment is read as a section; its sender is not; a `.msg` is
/// recognised by content on standard input and under a `.doc` name.
#[test]
fn outlook_messages_read_as_the_text_they_carry() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("oped.txt"), text_doc()).unwrap();
    std::fs::write(dir.path().join("oped.msg"), msg_doc(false)).unwrap();
    std::fs::write(dir.path().join("attached.msg"), msg_doc(true)).unwrap();
    std::fs::write(dir.path().join("misnamed.doc"), msg_doc(false)).unwrap();
    let (code, report) = scan(dir.path(), &["."]);
    assert_eq!(code, Some(0), "{:?}", report.errors);
    assert_eq!(
        formats_of(&report),
        vec![
            ("attached.msg", "msg"),
            ("misnamed.doc", "msg"),
            ("oped.msg", "msg"),
            ("oped.txt", "text"),
        ]
    );
    let txt = &report.documents[3];
    for doc in &report.documents[..3] {
        assert!(doc.warnings.is_empty(), "{}: {:?}", doc.path, doc.warnings);
        assert_eq!(doc.stance.label, txt.stance.label, "{}", doc.path);
        assert_eq!(present(doc), present(txt), "{}", doc.path);
    }
    assert_eq!(report.documents[2].words, txt.words);
    assert_eq!(report.documents[2].stance.scores, txt.stance.scores);
    // The attached op-ed is a section named by its file.
    let sections: Vec<_> = report.documents[0]
        .themes
        .iter()
        .flat_map(|t| &t.evidence)
        .filter_map(|e| e.section.as_deref())
        .collect();
    assert!(
        sections.iter().any(|s| s.starts_with("oped.docx")),
        "{sections:?}"
    );
    assert_eq!(scan_stdin(&msg_doc(false)).documents[0].format, "msg");
}

/// A message copied into a plain-text file keeps its forwarding or reply
/// header: what follows "-----Original Message-----" is someone else's
/// words there too, as in an `.eml`.
#[test]
fn plain_text_replies_quote_the_message_below_their_header() {
    let body = PARAGRAPHS.join("\n\n");
    let reply = format!(
        "Thanks, I disagree with most of this.\n\n-----Original Message-----\nFrom: Ines\nSent: Monday\nSubject: {TITLE}\n\n{body}\n"
    );
    let report = scan_stdin(reply.as_bytes());
    let doc = &report.documents[0];
    assert_eq!(doc.format, "text");
    let marker = reply.lines().position(|l| l.contains("Original")).unwrap() + 1;
    let after: Vec<_> = doc
        .stance
        .evidence
        .iter()
        .filter(|e| e.line > marker)
        .collect();
    assert!(after.len() >= 2, "{:?}", doc.stance.evidence);
    for e in after {
        assert!(e.modifiers.iter().any(|m| m == "attributed"), "{e:?}");
    }
}
