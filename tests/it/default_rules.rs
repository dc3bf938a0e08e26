//! The embedded default ruleset: structure and every rule's examples.

use policyscan::Stance;
use policyscan::rules::{self, Owner, RuleSource};
use policyscan::scan;
use policyscan::text::{Document, Format};

/// The theme ids of ../shared/domain.md: part of the output contract.
const THEME_IDS: [&str; 14] = [
    "liability",
    "compute-threshold",
    "safe-harbor",
    "access-restriction",
    "export-control",
    "licensing",
    "pre-release-evaluation",
    "transparency",
    "market-concentration",
    "misuse-risk",
    "data-privacy",
    "compliance-cost",
    "geopolitics",
    "open-weights",
];

fn default_rules() -> rules::CompiledRules {
    rules::load(&[RuleSource::Default]).expect("the default ruleset loads")
}

#[test]
fn covers_the_fourteen_themes_and_three_stances() {
    let rules = default_rules();
    let ids: Vec<&str> = rules.themes().iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, THEME_IDS);
    for (index, id) in ids.iter().enumerate() {
        let has_rules = rules.rules().iter().any(|r| r.owner == Owner::Theme(index));
        assert!(has_rules, "theme {id} has no rules");
    }
    for stance in [Stance::ProOpen, Stance::SecurityFirst, Stance::Hybrid] {
        assert!(
            rules
                .rules()
                .iter()
                .any(|r| r.owner == Owner::Stance(stance)),
            "no cues for {stance}"
        );
    }
}

#[test]
fn every_rule_has_examples() {
    let rules = default_rules();
    let missing: Vec<&str> = rules
        .rules()
        .iter()
        .filter(|r| r.examples.is_empty())
        .map(|r| r.id.as_str())
        .collect();
    assert!(missing.is_empty(), "rules without examples: {missing:?}");
}

/// Runs every example (must hit its rule) and counterexample (must not),
/// with the whole ruleset compiled, as in a real scan.
#[test]
fn examples_and_counterexamples_hold() {
    let rules = default_rules();
    let mut failures = Vec::new();
    for (index, rule) in rules.rules().iter().enumerate() {
        let hits_rule = |text: &str| {
            let doc = Document::new("example", Format::Text, text.to_string());
            scan::scan(&rules, &doc).iter().any(|h| h.rule == index)
        };
        for example in rule.examples.iter().filter(|e| !hits_rule(&e.text)) {
            failures.push(format!(
                "{}: example does not match: {:?}",
                rule.id, example.text
            ));
        }
        for counter in rule.counterexamples.iter().filter(|c| hits_rule(&c.text)) {
            failures.push(format!(
                "{}: counterexample matches: {:?}",
                rule.id, counter.text
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every threshold spelling of ../shared/domain.md is caught.
#[test]
fn threshold_spellings_are_caught() {
    let rules = default_rules();
    let spellings = [
        "above 10^26 operations",
        "greater than 10 26 integer or floating-point operations",
        "greater than 1026 operations",
        "more than 1e26 FLOP",
        "above 10²⁶ operations",
        "ten to the 26th operations",
        "about 10 septillion operations",
    ];
    let threshold = rules
        .rules()
        .iter()
        .position(|r| r.id == "compute-threshold-number")
        .unwrap();
    for text in spellings {
        let doc = Document::new("t", Format::Text, text.to_string());
        assert!(
            scan::scan(&rules, &doc).iter().any(|h| h.rule == threshold),
            "{text:?} not caught"
        );
    }
}

/// The complete example in docs/rules.md loads, and its examples hold.
#[test]
fn docs_rules_example_is_valid() {
    let doc = std::fs::read_to_string("docs/rules.md").unwrap();
    let start = doc.find("```yaml\n").unwrap() + "```yaml\n".len();
    let yaml = &doc[start..start + doc[start..].find("```").unwrap()];
    // The example's top-level `rules:` extend a theme it defines itself.
    let rules = rules::load_str("docs/rules.md", yaml, false).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((rules.themes().len(), rules.rules().len()), (1, 4));
    for (index, rule) in rules.rules().iter().enumerate() {
        for example in &rule.examples {
            let d = Document::new("e", Format::Text, example.text.clone());
            let hit = scan::scan(&rules, &d).iter().any(|h| h.rule == index);
            assert!(hit, "{}: {}", rule.id, example.text);
        }
    }
}
