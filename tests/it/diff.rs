//! `policyscan diff`: changes between two versions of a draft.

use crate::support::run_in as run;
use std::process::Output;

const A: &str = "This bill sets reporting duties for developers.";
const B: &str = "Developers must publish a model card and report serious incidents.";
const LIABLE: &str = "Developers must be held liable for harms their models cause. The attorney general may bring a civil action and seek civil penalties.";

fn versions(old: &str, new: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("v1.md"), old).unwrap();
    std::fs::write(dir.path().join("v2.md"), new).unwrap();
    dir
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn moving_paragraphs_changes_nothing() {
    let dir = versions(
        &format!("# Bill\n\n{A}\n\n{B}\n"),
        &format!("# Bill\n\n{B}\n\n{A}\n"),
    );
    let out = run(dir.path(), &["diff", "-f", "json", "v1.md", "v2.md"]);
    assert_eq!(out.status.code(), Some(0));
    let d = json(&out);
    for field in [
        "themes",
        "evidence_added",
        "evidence_removed",
        "checks_new",
        "checks_resolved",
    ] {
        assert!(
            d[field].as_array().unwrap().is_empty(),
            "{field}: {}",
            d[field]
        );
    }
}

#[test]
fn a_new_liability_clause_is_a_gained_theme_and_a_new_check() {
    let dir = versions(
        &format!("# Bill\n\n{A}\n"),
        &format!("# Bill\n\n{A}\n\n{LIABLE}\n"),
    );
    let out = run(dir.path(), &["diff", "-f", "json", "v1.md", "v2.md"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the default --fail-on error ignores warnings"
    );
    let d = json(&out);
    let liability = d["themes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "liability")
        .unwrap()
        .clone();
    assert_eq!(liability["change"], "gained");
    assert_eq!(
        d["checks_new"][0]["check"],
        "liability-without-research-safe-harbor"
    );
    let added: Vec<&str> = d["evidence_added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["snippet"].as_str().unwrap())
        .collect();
    assert!(!added.is_empty());
    let unique: std::collections::BTreeSet<_> = d["evidence_added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["theme"].to_string(),
                e["rule"].to_string(),
                e["snippet"].to_string(),
            )
        })
        .collect();
    assert_eq!(
        unique.len(),
        added.len(),
        "one line per theme, rule and sentence"
    );
    assert_eq!(
        run(
            dir.path(),
            &["diff", "--fail-on", "warning", "v1.md", "v2.md"]
        )
        .status
        .code(),
        Some(1)
    );
    // Reversed, the check is resolved and the theme lost.
    let back = json(&run(dir.path(), &["diff", "-f", "json", "v2.md", "v1.md"]));
    assert_eq!(
        back["checks_resolved"][0]["check"],
        "liability-without-research-safe-harbor"
    );
    assert!(back["checks_new"].as_array().unwrap().is_empty());
}

/// A check that fires in both versions is neither new nor resolved, even
/// when an added sentence on its theme changes the evidence behind it.
#[test]
fn a_check_firing_in_both_versions_is_no_change() {
    const MORE: &str = "Deployers should also be held liable for damages to consumers.";
    let dir = versions(
        &format!("# Bill\n\n{LIABLE}\n"),
        &format!("# Bill\n\n{LIABLE}\n\n{MORE}\n"),
    );
    let scan = |file: &str| json(&run(dir.path(), &["scan", "-f", "json", file]));
    let finding = |report: &serde_json::Value| {
        report["documents"][0]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check"] == "liability-without-research-safe-harbor")
            .expect("the check fires")
            .clone()
    };
    let (old, new) = (finding(&scan("v1.md")), finding(&scan("v2.md")));
    assert_ne!(old["evidence"], new["evidence"], "the evidence changed");
    let out = run(
        dir.path(),
        &[
            "diff",
            "-f",
            "json",
            "--fail-on",
            "warning",
            "v1.md",
            "v2.md",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let d = json(&out);
    assert!(!d["evidence_added"].as_array().unwrap().is_empty());
    assert_eq!(d["checks_new"], serde_json::json!([]));
    assert_eq!(d["checks_resolved"], serde_json::json!([]));
}

#[test]
fn text_and_markdown_outputs() {
    let dir = versions(
        &format!("# Bill\n\n{A}\n"),
        &format!("# Bill\n\n{A}\n\n{LIABLE}\n"),
    );
    let text = String::from_utf8(run(dir.path(), &["diff", "v1.md", "v2.md"]).stdout).unwrap();
    assert!(text.starts_with("v1.md -> v2.md\n"), "{text}");
    assert!(text.contains("  theme liability: gained"), "{text}");
    assert!(
        text.contains("  + warning liability-without-research-safe-harbor at "),
        "{text}"
    );
    let md =
        String::from_utf8(run(dir.path(), &["diff", "-f", "markdown", "v1.md", "v2.md"]).stdout)
            .unwrap();
    assert!(md.contains("| liability | gained |"), "{md}");
    assert!(
        md.contains("| `liability-without-research-safe-harbor` | warning | new at line"),
        "{md}"
    );
    // The evidence that changed, one row each, folded under its counts.
    let added = md.lines().filter(|l| l.starts_with("| + | ")).count();
    let removed = md.lines().filter(|l| l.starts_with("| - | ")).count();
    assert!(added > 0, "{md}");
    let counts = format!(
        "<details><summary>{added} evidence line{} added, {removed} removed.</summary>",
        if added == 1 { "" } else { "s" }
    );
    assert!(
        md.contains(&counts) && md.trim_end().ends_with("</details>"),
        "{md}"
    );
    let missing = run(dir.path(), &["diff", "v1.md", "nope.md"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("failed to read nope.md"));
}

/// docs/output.md lists exactly the fields `diff --format json` writes.
#[test]
fn the_json_fields_are_documented() {
    let dir = versions(
        &format!("# Bill\n\n{A}\n"),
        &format!("# Bill\n\n{A}\n\n{LIABLE}\n"),
    );
    let d = json(&run(dir.path(), &["diff", "-f", "json", "v1.md", "v2.md"]));
    let written: Vec<String> = d.as_object().unwrap().keys().cloned().collect();
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/output.md")).unwrap();
    let section = doc
        .split("## `policyscan diff --format json`")
        .nth(1)
        .expect("docs/output.md has a section on diff's JSON");
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut documented: Vec<String> = section
        .lines()
        .filter_map(|l| {
            l.strip_prefix("| `")?
                .split_once('`')
                .map(|(f, _)| f.to_string())
        })
        .collect();
    let mut written_sorted = written.clone();
    written_sorted.sort();
    documented.sort();
    assert_eq!(written_sorted, documented);
    let stance: Vec<&String> = d["stance"].as_object().unwrap().keys().collect();
    let themes: Vec<&String> = d["themes"][0].as_object().unwrap().keys().collect();
    for field in stance.into_iter().chain(themes) {
        assert!(section.contains(&format!("`{field}`")), "{field}");
    }
}

#[test]
fn both_versions_from_standard_input_is_an_error() {
    let dir = versions(A, B);
    let out = run(dir.path(), &["diff", "-", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot both be `-`"));
    assert!(out.stdout.is_empty());
}
