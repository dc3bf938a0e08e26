//! Scanning arbitrary bytes with the default ruleset, as a file would be:
//! decoding (UTF-8, UTF-16, invalid bytes, binary), suppression comments,
//! Markdown, HTML, XML, caption, slide and email structure, tables and
//! mailboxes read as records, matching, classification and every output
//! format.
//!
//! Beyond "no panic", it checks that every evidence item's line and column
//! point at its text in the decoded document, that the report survives a
//! JSON round trip, and that the SARIF log is JSON.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use policyscan::classify::{ClassifyOptions, analyze};
use policyscan::pipeline::{Outcome, prepare, scan_input};
use policyscan::report::{self, DocumentReport, RunReport, TextOptions};
use policyscan::rules::{CompiledRules, RuleSource};
use policyscan::text::Format;
use policyscan::walk::Input;

#[path = "../../tests/support/positions.rs"]
mod positions;

static RULES: LazyLock<CompiledRules> =
    LazyLock::new(|| policyscan::rules::load(&[RuleSource::Default]).expect("default rules load"));

fuzz_target!(|data: &[u8]| {
    let options = ClassifyOptions::default();
    // As Markdown, HTML, XML and captions too: code blocks and front
    // matter, markup, and cue numbers and timings are blanked in place and
    // character references decoded in place, which must keep every
    // position.
    for (name, format) in [
        ("fuzz.md", Format::Markdown),
        ("fuzz.html", Format::Html),
        ("fuzz.xml", Format::Xml),
        ("fuzz.srt", Format::Srt),
        ("fuzz.vtt", Format::Vtt),
        ("fuzz.eml", Format::Eml),
    ] {
        if let Ok((_, doc)) = prepare(name.into(), format, data.to_vec(), &options) {
            let report = analyze(&RULES, &doc, &options);
            if format == Format::Markdown {
                // Findings do not depend on how much evidence is shown.
                let max_evidence = [0, 1, usize::MAX][data.len() % 3];
                let shown = ClassifyOptions {
                    max_evidence,
                    ..options.clone()
                };
                let other = analyze(&RULES, &doc, &shown);
                assert_eq!(
                    other.checks, report.checks,
                    "checks at max_evidence {max_evidence}"
                );
            }
            if let Some(text) = evidence_text(data, name, format) {
                if let Err(misplaced) = positions::check(&report, &text) {
                    panic!("{name}: {misplaced}");
                }
            }
        }
    }
    // As the one slide of a PowerPoint deck: any XML, or none, in the
    // slide's part; evidence points into the text taken out.
    if let Ok((_, doc)) = prepare("fuzz.pptx".into(), Format::Pptx, deck_of(data), &options) {
        let report = analyze(&RULES, &doc, &options);
        if let Err(misplaced) = positions::check(&report, doc.source()) {
            panic!("fuzz.pptx: {misplaced}");
        }
    }
    scan_as_table(data, &options);
    // As a mailbox: messages split at separators, each read as `.eml`.
    let mut out = Vec::new();
    let counts = policyscan::records::scan_mbox(
        &RULES,
        data,
        "fuzz.mbox",
        &mut out,
        &options,
        data.len() % 3 == 1,
    )
    .expect("writing to memory cannot fail");
    assert!(counts.records <= data.len());
    let input = Input::Bytes {
        name: "fuzz.txt".to_string(),
        format: Format::Text,
        bytes: data.to_vec(),
    };
    if let Outcome::Report(report) = scan_input(&RULES, &input, &options) {
        let json = serde_json::to_string(&report).expect("a report always serialises");
        let back: DocumentReport = serde_json::from_str(&json).expect("and parses back");
        assert_eq!(back, *report);
        write_every_format(back);
        // The format is found by content: HTML is read as such.
        if let Some(text) = evidence_text(data, "fuzz.txt", Format::Text) {
            if let Err(misplaced) = positions::check(&report, &text) {
                panic!("{misplaced}");
            }
        }
    }
});

/// As a table for `--input csv`, its first two columns the id and the
/// text: the header is accepted or refused, and every row is a JSON line,
/// a result or an error, numbered by a line the table has (or, a third of
/// the time, a CSV row).
fn scan_as_table(data: &[u8], options: &ClassifyOptions) {
    use policyscan::records::{Fields, table::Table};
    let fields = Fields {
        id: "a".into(),
        text: "b".into(),
    };
    let mut table = b"a,b,c\n".to_vec();
    if data.first().is_some_and(|b| b % 2 == 0) {
        // Half the inputs bring their own header (and separator).
        table.clear();
    }
    table.extend_from_slice(data);
    // As the sheet of a workbook of each kind: any XML, or none, in the
    // parts the rows are read from (an .xlsx's sheet, shared strings and
    // styles; an .ods's content).
    let xlsx = package_of(&[
        ("xl/workbook.xml", b"<workbook><sheets><sheet r:id=\"rId1\"/></sheets></workbook>"),
        ("xl/worksheets/sheet1.xml", data),
        ("xl/sharedStrings.xml", data),
        ("xl/styles.xml", data),
    ]);
    let ods = package_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", data),
    ]);
    for workbook in [xlsx, ods] {
        if let Ok(opened) = Table::open(std::io::Cursor::new(workbook), &fields) {
            let mut out = Vec::new();
            opened
                .scan(&RULES, &fields, &mut out, options, false)
                .expect("writing to memory cannot fail");
        }
    }
    let Ok(opened) = Table::open(std::io::Cursor::new(table.clone()), &fields) else {
        return;
    };
    let mut out = Vec::new();
    let as_table = data.len() % 3 == 0;
    let counts = opened
        .scan(&RULES, &fields, &mut out, options, as_table)
        .expect("writing to memory cannot fail");
    if as_table {
        // CSV rows, which may hold line breaks: no panic is the check.
        return;
    }
    let lines = table.iter().filter(|&&b| b == b'\n').count() + 1;
    let written = std::str::from_utf8(&out).expect("result lines are UTF-8");
    assert_eq!(written.lines().count(), counts.records);
    for line in written.lines() {
        let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        if let Some(at) = value.get("line") {
            let at = at.as_u64().expect("a line number") as usize;
            assert!((1..=lines).contains(&at), "line {at} of {lines}");
        }
    }
}

/// The text evidence must point into: the decoded input, or for HTML, XML
/// and Markdown the text as read (for RTF, the text extracted), since a match may span markup
/// (`compliance<br>officers`); the text as read must then have the
/// input's shape.
fn evidence_text(data: &[u8], name: &str, format: Format) -> Option<String> {
    let (text, _) = policyscan::text::decode_owned(data.to_vec())?;
    let options = ClassifyOptions::default();
    let (_, doc) = prepare(name.into(), format, data.to_vec(), &options).ok()?;
    // RTF (found by content) is a container: evidence points into the
    // text taken out of it.
    if doc.format().is_container() {
        return Some(doc.source().to_string());
    }
    // So is an email: its parts are decoded (quoted-printable, base64)
    // and its attachments read.
    if doc.format() == Format::Eml {
        return Some(doc.source().to_string());
    }
    if !matches!(
        doc.format(),
        Format::Html | Format::Markdown | Format::Xml | Format::Srt | Format::Vtt
    ) {
        return Some(text);
    }
    assert_eq!(
        shape(doc.source()),
        shape(&text),
        "{name}: the page's shape"
    );
    Some(doc.source().to_string())
}

/// A zip of `entries`, stored.
fn package_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write as _;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        zip.start_file(*name, options).expect("a stored entry starts");
        zip.write_all(data).expect("a stored entry is written");
    }
    zip.finish().expect("the package is finished").into_inner()
}

/// A deck whose presentation lists one slide, `slide` (stored, not
/// compressed: the package costs little beside the scan).
fn deck_of(slide: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in [
        (
            "ppt/presentation.xml",
            &br#"<p:presentation xmlns:p="p" xmlns:r="r"><p:sldIdLst><p:sldId id="256" r:id="rId1"/></p:sldIdLst></p:presentation>"#[..],
        ),
        (
            "ppt/_rels/presentation.xml.rels",
            br#"<Relationships><Relationship Id="rId1" Target="slides/slide1.xml"/></Relationships>"#,
        ),
        ("ppt/slides/slide1.xml", slide),
    ] {
        zip.start_file(name, options).expect("a stored entry starts");
        zip.write_all(data).expect("a stored entry is written");
    }
    zip.finish().expect("the package is finished").into_inner()
}

/// The number of characters on each line, line breaks included.
fn shape(text: &str) -> Vec<usize> {
    let mut starts = positions::line_starts(text);
    starts.push(text.len());
    starts
        .windows(2)
        .map(|w| text[w[0]..w[1]].chars().count())
        .collect()
}

/// Writes a run of the one document in every format; SARIF and GitLab
/// Code Quality must parse as JSON, JUnit as XML.
fn write_every_format(doc: DocumentReport) {
    let themes: Vec<String> = RULES.themes().iter().map(|t| t.id.clone()).collect();
    let run = RunReport::new(
        RULES.rulesets().to_vec(),
        &themes,
        vec![doc],
        Vec::new(),
        Vec::new(),
    );
    let mut out = Vec::new();
    report::write_sarif(&mut out, &run, RULES.checks()).expect("SARIF is written");
    serde_json::from_slice::<serde_json::Value>(&out).expect("the SARIF log is JSON");
    out.clear();
    report::write_gitlab(&mut out, &run).expect("Code Quality issues are written");
    serde_json::from_slice::<Vec<serde_json::Value>>(&out).expect("the issues are a JSON array");
    out.clear();
    report::write_junit(&mut out, &run, RULES.checks()).expect("JUnit is written");
    let xml = std::str::from_utf8(&out).expect("JUnit is UTF-8");
    assert!(
        !xml.chars().any(|c| c < ' ' && !"\t\n".contains(c)),
        "JUnit holds a character XML 1.0 forbids"
    );
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event().expect("JUnit is well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Text(text) => {
                text.unescape().expect("JUnit text unescapes");
            }
            _ => {}
        }
    }
    for write in [
        |o: &mut Vec<u8>, r: &RunReport| report::write_text(o, r, TextOptions { color: true }),
        |o: &mut Vec<u8>, r: &RunReport| report::write_jsonl(o, r),
        |o: &mut Vec<u8>, r: &RunReport| report::write_github(o, r),
        |o: &mut Vec<u8>, r: &RunReport| report::write_azure(o, r),
        |o: &mut Vec<u8>, r: &RunReport| report::write_markdown(o, r),
        |o: &mut Vec<u8>, r: &RunReport| report::write_html(o, r),
    ] {
        out.clear();
        write(&mut out, &run).expect("the report is written");
    }
}
