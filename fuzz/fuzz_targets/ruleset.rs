//! Ruleset parsing, validation and compilation on arbitrary input.
//!
//! The first byte picks the syntax (odd: JSON, even: YAML); the rest is
//! the file. A ruleset that loads is also run over a short document, so
//! compilation and matching of whatever the fuzzer built are exercised.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policyscan::classify::{ClassifyOptions, analyze};
use policyscan::text::{Document, Format};

const DOC: &str = "# Open weights\n\nCritics argue that open-weight models need a licence. \
                   We disagree: publishing weights helps research, but not without audits.\n";

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let json = first % 2 == 1;
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let name = if json { "fuzz.json" } else { "fuzz.yaml" };
    if let Ok(rules) = policyscan::rules::load_str(name, text, json) {
        let doc = Document::new("doc.md", Format::Markdown, DOC.to_string());
        let report = analyze(&rules, &doc, &ClassifyOptions::default());
        serde_json::to_string(&report).expect("a report always serialises");
    }
});
