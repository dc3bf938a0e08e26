//! Property tests (proptest): the report does not depend on thread count
//! or input order; every evidence item points at its text in the original
//! file, in every supported encoding and line ending; JSON output parses
//! back into the report types.
//!
//! Documents are built from fragments the team wrote: debate sentences
//! that fire rules and cues, filler, non-ASCII words (accents, CJK, an
//! emoji outside the BMP, so UTF-16 surrogate pairs and character columns
//! are exercised) and awkward whitespace.

use std::sync::LazyLock;

use proptest::prelude::*;

use policyscan::classify::ClassifyOptions;
use policyscan::pipeline::{self, Outcome};
use policyscan::report::{DocumentReport, RunReport};
use policyscan::rules::{CompiledRules, RuleSource};
use policyscan::walk::Input;

use crate::positions;

static RULES: LazyLock<CompiledRules> =
    LazyLock::new(|| policyscan::rules::load(&[RuleSource::Default]).unwrap());

const FRAGMENTS: &[&str] = &[
    "We oppose any licensing regime for open-weight models.",
    "Publishing weights lets independent researchers audit them.",
    "Frontier weights should be treated like the sensitive technology they are.",
    "Critics argue that open-source AI helps attackers build bioweapons.",
    "Developers would face strict liability for downstream misuse.",
    "Models trained with more than 10^26 operations must be reported.",
    "The bill offers a safe harbor for good-faith security research.",
    "Rather than restricting releases, lawmakers should regulate high-risk uses.",
    "Export controls on model weights would hand the lead to rivals.",
    "Compliance costs fall hardest on startups and small labs.",
    "The committee met on Tuesday.",
    "Café owners in Zürich talked about the weather.",
    "人工智能 policy was discussed 😀 at length.",
    "However, the evidence is thin.",
    "# Section 4. Definitions",
    "Sec. 2(a) The Secretary shall publish guidance.",
    "open\u{00A0}weights",
    "open  -  weights",
    "a\tb\u{2003}c",
    "",
];

/// A document: lines of one to four fragments.
fn document() -> impl Strategy<Value = Vec<Vec<usize>>> {
    prop::collection::vec(prop::collection::vec(0..FRAGMENTS.len(), 1..4), 1..12)
}

fn render(lines: &[Vec<usize>], ending: &str) -> String {
    lines
        .iter()
        .map(|line| {
            line.iter()
                .map(|&i| FRAGMENTS[i])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(ending)
}

#[derive(Debug, Clone, Copy)]
enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encoding::Utf16Le => std::iter::once(0xFEFF)
            .chain(text.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect(),
        Encoding::Utf16Be => std::iter::once(0xFEFF)
            .chain(text.encode_utf16())
            .flat_map(u16::to_be_bytes)
            .collect(),
    }
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        Just(Encoding::Utf8),
        Just(Encoding::Utf8Bom),
        Just(Encoding::Utf16Le),
        Just(Encoding::Utf16Be),
    ]
}

fn line_ending() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("\n"), Just("\r\n"), Just("\r")]
}

fn inputs(docs: &[Vec<Vec<usize>>]) -> Vec<Input> {
    docs.iter()
        .enumerate()
        .map(|(i, lines)| Input::Bytes {
            name: format!("doc{i:02}.txt"),
            format: policyscan::text::Format::Text,
            bytes: render(lines, "\n").into_bytes(),
        })
        .collect()
}

fn report_json(inputs: &[Input], threads: usize) -> String {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let outcomes =
        pool.install(|| pipeline::scan_inputs(&RULES, inputs, &ClassifyOptions::default()));
    let report = pipeline::assemble(&RULES, outcomes, Vec::new(), Vec::new());
    serde_json::to_string(&report).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn report_is_identical_for_any_thread_count_and_input_order(
        docs in prop::collection::vec(document(), 1..10),
        threads in 1usize..5,
        order in any::<prop::sample::Index>(),
    ) {
        let inputs = inputs(&docs);
        let expected = report_json(&inputs, 1);
        let mut shuffled = inputs.clone();
        let rotate = order.index(shuffled.len());
        shuffled.rotate_left(rotate);
        shuffled.reverse();
        prop_assert_eq!(report_json(&shuffled, threads), expected);
    }

    #[test]
    fn evidence_points_at_its_text_in_the_original_file(
        lines in document(),
        ending in line_ending(),
        encoding in encoding(),
        terminated in any::<bool>(),
    ) {
        let mut text = render(&lines, ending);
        if terminated {
            text.push_str(ending);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.txt");
        std::fs::write(&path, encode(&text, encoding)).unwrap();
        let input = Input::File { path, format: policyscan::text::Format::Text };
        let options = ClassifyOptions { max_evidence: 100, ..ClassifyOptions::default() };
        let Outcome::Report(report) = pipeline::scan_input(&RULES, &input, &options) else {
            panic!("not scanned");
        };
        let placed = positions::check(&report, &text);
        prop_assert!(placed.is_ok(), "{} ({:?})", placed.unwrap_err(), encoding);
    }

    #[test]
    fn json_output_parses_back_into_the_report_types(
        docs in prop::collection::vec(document(), 1..6),
    ) {
        let inputs = inputs(&docs);
        let outcomes = pipeline::scan_inputs(&RULES, &inputs, &ClassifyOptions::default());
        let report = pipeline::assemble(&RULES, outcomes, Vec::new(), Vec::new());

        let mut json = Vec::new();
        policyscan::report::write_json(&mut json, &report).unwrap();
        let back: RunReport = serde_json::from_slice(&json).unwrap();
        prop_assert_eq!(&back, &report);

        let mut jsonl = Vec::new();
        policyscan::report::write_jsonl(&mut jsonl, &report).unwrap();
        let mut documents = Vec::new();
        for line in String::from_utf8(jsonl).unwrap().lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            if value["type"] == "document" {
                let doc: DocumentReport = serde_json::from_value(value["data"].clone()).unwrap();
                documents.push(doc);
            }
        }
        prop_assert_eq!(&documents, &report.documents);
    }
}

/// Regression from fuzzing (fuzz/fuzz_targets/scan.rs, 2026-11-22): the
/// empty input stopped the position checker, which counted one line where
/// the documented count gives none. Kept as fixed cases beside the
/// properties: empty, a lone terminator of each kind, terminated text.
#[test]
fn fuzz_regression_line_counts_of_empty_and_terminated_documents() {
    for (text, lines) in [
        ("", 0),
        ("\n", 1),
        ("\r", 1),
        ("\r\n", 1),
        ("We oppose any licensing regime.\n", 1),
        ("We oppose any licensing regime.\r\n\r\n", 2),
        ("a\rb", 2),
    ] {
        let input = Input::Bytes {
            name: "doc.txt".into(),
            format: policyscan::text::Format::Text,
            bytes: text.as_bytes().to_vec(),
        };
        let Outcome::Report(report) =
            pipeline::scan_input(&RULES, &input, &ClassifyOptions::default())
        else {
            panic!("{text:?} not scanned");
        };
        assert_eq!(report.lines, lines, "{text:?}");
        assert_eq!(positions::check(&report, text), Ok(()), "{text:?}");
    }
}
