//! The default ruleset keeps meeting the quality targets of issue 3 on the
//! development corpus (docs/quality.md explains why held-out figures are
//! lower). A rule change that regresses them fails here.

use std::path::Path;

use policyscan::classify::ClassifyOptions;
use policyscan::eval::{self, Evaluation};
use policyscan::pipeline::{self, Outcome};
use policyscan::rules::{self, RuleSource};
use policyscan::walk::{self, WalkOptions};

fn evaluate(labels_path: &str) -> Evaluation {
    let rules = rules::load(&[RuleSource::Default]).unwrap();
    let text = std::fs::read_to_string(labels_path).unwrap();
    let labels = eval::parse_labels(&text, Path::new(labels_path).parent().unwrap()).unwrap();
    let paths: Vec<_> = labels.iter().map(|l| l.resolved.clone()).collect();
    let walked = walk::walk(&paths, &WalkOptions::default()).unwrap();
    assert!(walked.errors.is_empty(), "{:?}", walked.errors);
    let reports: Vec<_> =
        pipeline::scan_inputs(&rules, &walked.inputs, &ClassifyOptions::default())
            .into_iter()
            .filter_map(|o| match o {
                Outcome::Report(r) => Some(*r),
                _ => None,
            })
            .collect();
    let ids: Vec<String> = rules.themes().iter().map(|t| t.id.clone()).collect();
    eval::check_themes(&labels, &ids).unwrap();
    eval::evaluate(&labels, &reports, (&ids, &[]))
}

#[test]
fn development_corpus_meets_the_targets() {
    let e = evaluate("corpus/dev/labels.tsv");
    assert!(e.documents >= 40, "{} documents", e.documents);
    assert!(e.missing.is_empty() && e.unlabelled.is_empty());
    assert!(
        e.stance.accuracy >= 0.90,
        "stance accuracy {}",
        e.stance.accuracy
    );
    assert!(
        e.stance.macro_f1 >= 0.85,
        "stance macro-F1 {}",
        e.stance.macro_f1
    );
    assert!(
        e.themes.micro.f1 >= 0.85,
        "theme micro-F1 {}",
        e.themes.micro.f1
    );
    for (id, s) in e.themes.per_theme.iter().filter(|(_, s)| !s.is_empty()) {
        assert!(s.f1 >= 0.70, "theme {id}: F1 {}", s.f1);
    }
}

#[test]
fn real_statutes_are_neutral() {
    if !Path::new("../shared/corpus/legal").is_dir() {
        eprintln!("skipped: ../shared/corpus not found (it is beside the project in CI)");
        return;
    }
    let e = evaluate("corpus/statutes.tsv");
    assert_eq!((e.documents, e.stance.accuracy), (2, 1.0));
}
