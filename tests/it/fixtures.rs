//! The default ruleset gets every fixture's stance and themes right, as
//! labelled in fixtures/labels.tsv (labels were written before tuning).

use std::collections::BTreeSet;
use std::path::Path;

use policyscan::classify::{self, ClassifyOptions};
use policyscan::rules::{self, RuleSource};
use policyscan::text::{Document, Format};

struct Label {
    path: String,
    stance: String,
    themes: BTreeSet<String>,
}

fn labels() -> Vec<Label> {
    let text = std::fs::read_to_string("fixtures/labels.tsv").unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut cols = line.split('\t');
            let path = cols.next().unwrap().to_string();
            let stance = cols.next().unwrap().to_string();
            let themes = cols
                .next()
                .unwrap_or("")
                .split(',')
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect();
            Label {
                path,
                stance,
                themes,
            }
        })
        .collect()
}

#[test]
fn labels_cover_every_fixture_stance_and_theme() {
    let labels = labels();
    let files: BTreeSet<String> = std::fs::read_dir("fixtures")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "labels.tsv")
        .collect();
    let labelled: BTreeSet<String> = labels.iter().map(|l| l.path.clone()).collect();
    assert_eq!(files, labelled, "every fixture has exactly one label row");
    assert!(labels.len() >= 12);
    let stances: BTreeSet<&str> = labels.iter().map(|l| l.stance.as_str()).collect();
    assert_eq!(
        stances,
        BTreeSet::from(["hybrid", "neutral", "pro-open", "security-first"])
    );
    let rules = rules::load(&[RuleSource::Default]).unwrap();
    for theme in rules.themes() {
        assert!(
            labels.iter().any(|l| l.themes.contains(&theme.id)),
            "no fixture is labelled with {}",
            theme.id
        );
    }
}

#[test]
fn default_ruleset_matches_every_label() {
    let rules = rules::load(&[RuleSource::Default]).unwrap();
    let mut failures = Vec::new();
    for label in labels() {
        let path = Path::new("fixtures").join(&label.path);
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = Document::new(label.path.clone(), Format::Text, text);
        let report = classify::analyze(&rules, &doc, &ClassifyOptions::default());
        if report.stance.label.as_str() != label.stance {
            failures.push(format!(
                "{}: stance {} (scores {:?}), labelled {}",
                label.path, report.stance.label, report.stance.scores, label.stance
            ));
        }
        let found: BTreeSet<String> = report
            .themes
            .iter()
            .filter(|t| t.present)
            .map(|t| t.id.clone())
            .collect();
        for missing in label.themes.difference(&found) {
            let score = report
                .themes
                .iter()
                .find(|t| &t.id == missing)
                .map_or(0.0, |t| t.score);
            failures.push(format!(
                "{}: labelled theme {missing} not found (score {score})",
                label.path
            ));
        }
        for extra in found.difference(&label.themes) {
            let theme = report.themes.iter().find(|t| &t.id == extra).unwrap();
            let hits: Vec<&str> = theme.evidence.iter().map(|e| e.text.as_str()).collect();
            failures.push(format!(
                "{}: unlabelled theme {extra} found (score {}, {hits:?})",
                label.path, theme.score
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
