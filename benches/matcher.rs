//! Microbenchmarks of the matcher and its neighbours, per document.
//!
//! ```sh
//! cargo bench --bench matcher
//! ```
//!
//! The document is team-written text shaped like the generated benchmark
//! corpus (debate sentences among news filler, about 1,200 words); the
//! end-to-end comparison with ripgrep is bench/run.sh.

use divan::{Bencher, black_box};
use policyscan::classify::{self, ClassifyOptions};
use policyscan::rules::{self, CompiledRules, RuleSource};
use policyscan::scan;
use policyscan::text::{Document, FoldedText, Format};

fn main() {
    divan::main();
}

const DEBATE: &[&str] = &[
    "Lawmakers should restrict the release of model weights above the compute threshold.",
    "Critics warned that a licensing regime would entrench incumbents and hurt startups.",
    "The agency called for pre-deployment testing and red-teaming of frontier models.",
    "Researchers asked for a safe harbor for good-faith security research.",
    "Officials said export controls on advanced chips lose force if weights are posted online.",
];

const FILLER: &str = "The city council met on Tuesday to discuss the budget for road repairs, \
    and residents asked about the bus schedule, the library hours and the new park. ";

/// About `words` words: one debate sentence in five.
fn article(words: usize) -> String {
    let mut text = String::from("# A debate in the capital\n\n");
    let mut i = 0;
    while text.split_whitespace().count() < words {
        if i % 5 == 0 {
            text.push_str(DEBATE[(i / 5) % DEBATE.len()]);
            text.push(' ');
        } else {
            text.push_str(FILLER);
        }
        if i % 8 == 7 {
            text.push_str("\n\n");
        }
        i += 1;
    }
    text
}

fn default_rules() -> CompiledRules {
    rules::load(&[RuleSource::Default]).expect("the default ruleset compiles")
}

#[divan::bench]
fn fold(bencher: Bencher) {
    let text = article(1200);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| FoldedText::new(black_box(&text)));
}

#[divan::bench]
fn build_document(bencher: Bencher) {
    let text = article(1200);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| Document::new("a.md", Format::Markdown, black_box(text.clone())));
}

#[divan::bench(args = [300, 1200, 5000])]
fn scan_default_rules(bencher: Bencher, words: usize) {
    let rules = default_rules();
    let doc = Document::new("a.md", Format::Markdown, article(words));
    bencher
        .counter(divan::counter::BytesCount::of_str(doc.source()))
        .bench(|| scan::scan(&rules, black_box(&doc)));
}

#[divan::bench]
fn classify_document(bencher: Bencher) {
    let rules = default_rules();
    let doc = Document::new("a.md", Format::Markdown, article(1200));
    let options = ClassifyOptions::default();
    bencher
        .counter(divan::counter::BytesCount::of_str(doc.source()))
        .bench(|| classify::analyze(&rules, black_box(&doc), &options));
}

#[divan::bench]
fn compile_default_rules() -> CompiledRules {
    default_rules()
}
