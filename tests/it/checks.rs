//! Document-level checks: the default ones fire on the drafts they
//! describe and not on others; check definitions are validated; exit
//! codes follow --fail-on and --exit-zero.

use std::path::Path;
use std::process::Command;

use policyscan::classify::{self, ClassifyOptions};
use policyscan::rules::{self, RuleSource};
use policyscan::text::{Document, Format};

fn fired(text: &str) -> Vec<String> {
    let rules = rules::load(&[RuleSource::Default]).unwrap();
    let doc = Document::new("draft.txt", Format::Text, text.to_string());
    classify::analyze(&rules, &doc, &ClassifyOptions::default())
        .checks
        .into_iter()
        .map(|f| f.check)
        .collect()
}

// Drafts written for these tests.
const LIABILITY_ONLY: &str = "Section 1. A developer shall be liable for any harm caused by a model it releases. \
    Section 2. The attorney general may bring a civil action and seek civil penalties for each violation.";
const LIABILITY_WITH_HARBOR: &str = "Section 1. A developer shall be liable for any harm caused by a model it releases. \
    Section 2. The attorney general may bring a civil action and seek civil penalties. \
    Section 3. This Act shall not apply to models released for non-commercial research purposes; such research is exempt.";

#[test]
fn liability_without_safe_harbor_fires_only_without_a_harbor() {
    assert!(fired(LIABILITY_ONLY).contains(&"liability-without-research-safe-harbor".to_string()));
    assert!(
        !fired(LIABILITY_WITH_HARBOR)
            .contains(&"liability-without-research-safe-harbor".to_string())
    );
}

#[test]
fn compute_threshold_without_exemption_fires_only_without_an_exemption() {
    let bare = "Models trained above 10^26 operations must be registered. A compute threshold of 10^26 FLOP applies.";
    let exempt = "Models trained above 10^26 operations must be registered. Open-source releases are exempt from this duty.";
    assert!(fired(bare).contains(&"compute-threshold-without-exemption".to_string()));
    assert!(!fired(exempt).contains(&"compute-threshold-without-exemption".to_string()));
}

#[test]
fn access_restrictions_on_open_weights_needs_both_themes() {
    let both = "Congress should restrict the release of open weights. Restricting the publication of model weights is overdue.";
    assert!(fired(both).contains(&"access-restrictions-on-open-weights".to_string()));
    assert!(
        !fired("Open weights help researchers study models.")
            .contains(&"access-restrictions-on-open-weights".to_string())
    );
}

#[test]
fn findings_point_at_their_evidence() {
    let rules = rules::load(&[RuleSource::Default]).unwrap();
    let doc = Document::new("d", Format::Text, format!("Title\n\n{LIABILITY_ONLY}"));
    let report = classify::analyze(&rules, &doc, &ClassifyOptions::default());
    let f = report
        .checks
        .iter()
        .find(|f| f.check == "liability-without-research-safe-harbor")
        .unwrap();
    assert_eq!(f.line, 3);
    assert!(!f.evidence.is_empty());
    assert!(f.evidence.iter().all(|e| e.line >= 3));
}

#[test]
fn check_definitions_are_validated() {
    let bad = [
        (
            "unknown theme",
            "themes:\n  - id: t\nchecks:\n  - id: c\n    message: m\n    when:\n      all-present: [nope]\n",
            "unknown theme `nope`",
        ),
        (
            "empty condition",
            "themes:\n  - id: t\nchecks:\n  - id: c\n    message: m\n    when: {}\n",
            "missing field `when`",
        ),
        (
            "empty message",
            "themes:\n  - id: t\nchecks:\n  - id: c\n    message: '  '\n    when:\n      all-present: [t]\n",
            "empty",
        ),
        (
            "duplicate",
            "themes:\n  - id: t\nchecks:\n  - {id: c, message: m, when: {all-present: [t]}}\n  - {id: c, message: m, when: {all-present: [t]}}\n",
            "duplicate check id",
        ),
        (
            "bad severity",
            "themes:\n  - id: t\nchecks:\n  - id: c\n    severity: fatal\n    message: m\n    when:\n      all-present: [t]\n",
            "unknown variant `fatal`",
        ),
    ];
    for (name, yaml, expected) in bad {
        let err = rules::load_str("c.yaml", yaml, false)
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{name}: {err}");
        assert!(err.starts_with("c.yaml:"), "{name}: {err}");
    }
}

fn exit_code(dir: &Path, args: &[&str]) -> i32 {
    Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
        .status
        .code()
        .unwrap()
}

#[test]
fn exit_codes_follow_fail_on_and_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.txt"), LIABILITY_ONLY).unwrap();
    let rules = dir.path().join("strict.yaml");
    std::fs::write(
        &rules,
        "themes:\n  - id: liability\n    rules:\n      - {id: l, keywords: [liable], weight: 2, examples: [liable]}\nchecks:\n  - {id: strict, severity: error, message: Liability found, when: {all-present: [liability]}}\n",
    )
    .unwrap();
    // The default checks are warnings: the default --fail-on error passes.
    assert_eq!(exit_code(dir.path(), &["scan", "draft.txt"]), 0);
    assert_eq!(
        exit_code(dir.path(), &["scan", "--fail-on", "warning", "draft.txt"]),
        1
    );
    assert_eq!(
        exit_code(
            dir.path(),
            &["scan", "--fail-on", "warning", "--exit-zero", "draft.txt"]
        ),
        0
    );
    assert_eq!(
        exit_code(dir.path(), &["scan", "--fail-on", "never", "draft.txt"]),
        0
    );
    assert_eq!(
        exit_code(dir.path(), &["scan", "--rules", "strict.yaml", "draft.txt"]),
        1
    );
    assert_eq!(
        exit_code(
            dir.path(),
            &["scan", "--rules", "strict.yaml", "draft.txt", "missing.txt"]
        ),
        2
    );
}

/// `policyscan explain` lists each check's conditions with whether they
/// held (`check::conditions`); a check fires exactly when all of them hold,
/// for every kind of condition, on every fixture and development document.
/// The fixtures and the development corpus, in path order.
fn documents() -> Vec<(std::path::PathBuf, Document)> {
    let mut paths: Vec<_> = ["fixtures", "corpus/dev"]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "txt"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let ext = path.extension().unwrap().to_str().unwrap();
            let doc = Document::new(
                path.to_str().unwrap(),
                Format::from_extension(ext).unwrap(),
                text,
            );
            (path, doc)
        })
        .collect()
}

#[test]
fn explained_conditions_agree_with_the_checks_that_fire() {
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("checks.yaml");
    std::fs::write(
        &extra,
        "checks:
  - id: k-any
    message: m
    when: {any-present: [liability, licensing]}
  - id: k-stance
    message: m
    when: {stance: [pro-open, hybrid], stance-not: [neutral]}
  - id: k-confidence
    message: m
    when: {min-confidence: 0.8}
  - id: k-score
    message: m
    when: {min-score: {open-weights: 3.0}, min-hits: {open-weights: 3}}
  - id: k-mixed
    message: m
    when: {all-present: [open-weights], none-present: [licensing], stance-not: [security-first]}
",
    )
    .unwrap();
    let rules = rules::load(&[RuleSource::Default, RuleSource::Path(extra)]).unwrap();
    let mut outcomes = std::collections::BTreeMap::<String, (usize, usize)>::new();
    for (path, doc) in documents() {
        let report = classify::analyze(&rules, &doc, &ClassifyOptions::default());
        for check in rules.checks() {
            let fired = report.checks.iter().any(|f| f.check == check.id);
            let conditions = policyscan::check::conditions(check, &report);
            assert!(!conditions.is_empty(), "{}", check.id);
            assert_eq!(
                fired,
                conditions.iter().all(|(_, held)| *held),
                "{} on {}: {conditions:?}",
                check.id,
                path.display()
            );
            let counts = outcomes.entry(check.id.clone()).or_default();
            if fired { counts.0 += 1 } else { counts.1 += 1 }
        }
    }
    for (id, (fired, quiet)) in &outcomes {
        assert!(
            *fired > 0 && *quiet > 0,
            "{id} fires on {fired}, not on {quiet}: add a document that shows both"
        );
    }
}

#[test]
fn findings_do_not_depend_on_how_much_evidence_is_shown() {
    // A finding's location, evidence and fingerprint are what CI keys on
    // (SARIF alerts, annotations); `--max-evidence` is a display option.
    let rules = rules::load(&[RuleSource::Default]).unwrap();
    let mut with_findings = 0;
    for (path, doc) in documents() {
        let analyze = |max_evidence| {
            let options = ClassifyOptions {
                max_evidence,
                ..ClassifyOptions::default()
            };
            classify::analyze(&rules, &doc, &options)
        };
        let default = analyze(ClassifyOptions::default().max_evidence);
        with_findings += usize::from(!default.checks.is_empty());
        for max in [0, 1, 2, 7, 1000, usize::MAX] {
            let report = analyze(max);
            assert_eq!(report.checks, default.checks, "{} at {max}", path.display());
            // The cap still holds for what is shown.
            assert!(report.themes.iter().all(|t| t.evidence.len() <= max));
        }
        let explained = classify::explain(&rules, &doc);
        assert_eq!(
            explained.report.checks,
            default.checks,
            "{}",
            path.display()
        );
    }
    assert!(
        with_findings >= 10,
        "only {with_findings} documents have findings"
    );
}

/// A reviewer's `<!-- … -->` note in a Markdown draft is not the draft,
/// nor is what a redline strikes (`~~…~~`): a safe harbor there must not
/// silence the check, and one written as prose must. (Both used to count
/// as prose.)
#[test]
fn a_safe_harbor_in_a_markdown_comment_does_not_count() {
    let dir = tempfile::tempdir().unwrap();
    let draft = |harbor: &str| {
        format!(
            "# Model Accountability Act\n\n## Sec. 2. Liability\n\n\
             A developer shall be liable for any harm caused by a model it releases.\n\n{harbor}\n"
        )
    };
    let harbor =
        "This Act shall not apply to models released for non-commercial research purposes.";
    std::fs::write(
        dir.path().join("commented.md"),
        draft(&format!("<!-- TODO before the vote: {harbor} -->")),
    )
    .unwrap();
    std::fs::write(dir.path().join("written.md"), draft(harbor)).unwrap();
    // A redline that strikes the harbor out.
    std::fs::write(
        dir.path().join("struck.md"),
        draft(&format!("~~{harbor}~~")),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .current_dir(dir.path())
        .args([
            "scan",
            "--format",
            "json",
            "commented.md",
            "written.md",
            "struck.md",
        ])
        .output()
        .unwrap();
    let report: policyscan::report::RunReport = serde_json::from_slice(&out.stdout).unwrap();
    let checks = |path: &str| -> Vec<(String, usize)> {
        report
            .documents
            .iter()
            .find(|d| d.path == path)
            .unwrap()
            .checks
            .iter()
            .map(|f| (f.check.clone(), f.line))
            .collect()
    };
    assert_eq!(
        checks("commented.md"),
        [("liability-without-research-safe-harbor".to_string(), 3)]
    );
    assert_eq!(checks("written.md"), []);
    assert_eq!(checks("struck.md"), checks("commented.md"));
}
