//! Scanning arbitrary bytes with the default ruleset, as a file would be:
//! decoding (UTF-8, UTF-16, invalid bytes, binary), suppression comments,
//! Markdown structure, matching, classification and JSON output.
//!
//! Beyond "no panic", it checks that every evidence item's line and column
//! point at its text in the decoded document.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use policyscan::classify::{ClassifyOptions, analyze};
use policyscan::pipeline::{Outcome, prepare, scan_input};
use policyscan::text::Format;
use policyscan::report::DocumentReport;
use policyscan::rules::{CompiledRules, RuleSource};
use policyscan::walk::Input;

#[path = "../../tests/support/positions.rs"]
mod positions;

static RULES: LazyLock<CompiledRules> =
    LazyLock::new(|| policyscan::rules::load(&[RuleSource::Default]).expect("default rules load"));

fuzz_target!(|data: &[u8]| {
    let options = ClassifyOptions::default();
    // As Markdown too: code blocks and front matter are blanked in place,
    // which must keep every position.
    if let Ok((_, doc)) =
        prepare("fuzz.md".into(), Format::Markdown, data.to_vec(), &options)
    {
        let report = analyze(&RULES, &doc, &options);
        if let Some((text, _)) = policyscan::text::decode_owned(data.to_vec()) {
            if let Err(misplaced) = positions::check(&report, &text) {
                panic!("markdown: {misplaced}");
            }
        }
    }
    let input = Input::Bytes {
        name: "fuzz.txt".to_string(),
        bytes: data.to_vec(),
    };
    if let Outcome::Report(report) = scan_input(&RULES, &input, &options) {
        let json = serde_json::to_string(&report).expect("a report always serialises");
        let back: DocumentReport = serde_json::from_str(&json).expect("and parses back");
        assert_eq!(back, *report);
        if let Some((text, _)) = policyscan::text::decode_owned(data.to_vec()) {
            if let Err(misplaced) = positions::check(&report, &text) {
                panic!("{misplaced}");
            }
        }
    }
});

