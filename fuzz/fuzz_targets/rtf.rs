//! Reading RTF: the input, behind an `{\rtf1` header, is read by the RTF
//! reader and then prepared and analysed as a scan would (the reader is
//! a tokenizer of groups and control words that any byte may confuse).
//!
//! Beyond "no panic": headings start lines, in order; the text is one
//! line per paragraph, so never longer in lines than the input has
//! paragraph and cell marks plus one; and evidence points at the text.
#![no_main]

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

fuzz_target!(|data: &[u8]| {
    let rtf = if data.starts_with(b"{\\rtf") {
        data.to_vec()
    } else {
        [&b"{\\rtf1 "[..], data].concat()
    };
    let extracted = policyscan::text::rtf::extract(&rtf).expect("an RTF header is RTF");
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
    let marks = rtf
        .windows(4)
        .filter(|w| w == b"\\par" || w == b"cell")
        .count();
    assert!(
        text.matches('\n').count() <= marks + 1,
        "a line per paragraph"
    );
    let options = ClassifyOptions::default();
    if let Ok((_, doc)) = prepare("fuzz.rtf".into(), Format::Rtf, rtf, &options) {
        let report = analyze(&RULES, &doc, &options);
        if let Err(misplaced) = positions::check(&report, doc.source()) {
            panic!("{misplaced}");
        }
    }
});
