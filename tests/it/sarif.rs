//! SARIF output validates against the official SARIF 2.1.0 schema, and its
//! fingerprints follow content, not position.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn sarif(dir: &Path, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn fingerprints(log: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["partialFingerprints"]["policyscanContent/v1"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// SARIF is written result by result; the bytes must be what serde_json
/// pretty-prints for the same value, with and without results and
/// notifications.
#[test]
fn sarif_is_laid_out_as_serde_json_pretty_prints_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = root.join("fixtures");
    let missing = tmp.path().join("missing.md");
    let cases: [&[&Path]; 3] = [&[&fixtures], &[tmp.path()], &[&fixtures, &missing]];
    for inputs in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_policyscan"))
            .args(["scan", "--format", "sarif"])
            .args(inputs)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        let results = value["runs"][0]["results"].as_array().unwrap().len();
        let notes = value["runs"][0]["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(
            text,
            serde_json::to_string_pretty(&value).unwrap() + "\n",
            "{inputs:?}: {results} results, {notes} notifications"
        );
    }
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema_path = Path::new("../shared/schemas/sarif-schema-2.1.0.json");
    let Ok(schema_text) = std::fs::read_to_string(schema_path) else {
        eprintln!(
            "skipped: {} not found (it is beside the project in CI)",
            schema_path.display()
        );
        return;
    };
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("space name.md"), "Developers must be held liable for harms caused by models they release. The attorney general may bring a civil action and seek civil penalties.").unwrap();
    let here = std::env::current_dir().unwrap();
    let fixtures = here.join("fixtures");
    std::fs::write(
        dir.path().join("suppressed.md"),
        "<!-- policyscan-ignore-file: liability-without-research-safe-harbor -- accepted risk -->\n\
         Developers must be held liable for harms. The attorney general may bring a civil action.",
    )
    .unwrap();
    let log = sarif(
        dir.path(),
        &[
            "scan",
            "--format",
            "sarif",
            fixtures.to_str().unwrap(),
            "space name.md",
            "suppressed.md",
            "missing.md",
        ],
    );
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["tool"]["driver"]["name"], "policyscan");
    assert!(run["tool"]["driver"]["rules"].as_array().unwrap().len() >= 4);
    assert!(!run["results"].as_array().unwrap().is_empty());
    assert_eq!(
        run["invocations"][0]["executionSuccessful"], false,
        "missing.md is an execution error"
    );
    let uris: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"space%20name.md"), "{uris:?}");
    let suppressed: Vec<&Value> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
}

#[test]
fn fingerprints_survive_moving_paragraphs_but_not_edits() {
    let dir = tempfile::tempdir().unwrap();
    let a = "Developers shall be liable for any harm their released models cause.";
    let b = "Open weights cannot be recalled, and restrictions on the release of model weights are overdue.";
    std::fs::write(
        dir.path().join("draft.md"),
        format!("# Draft\n\n{a}\n\n{b}\n"),
    )
    .unwrap();
    let before = fingerprints(&sarif(dir.path(), &["scan", "-f", "sarif", "draft.md"]));
    std::fs::write(
        dir.path().join("draft.md"),
        format!("# Draft\n\nAn added paragraph about something else.\n\n{b}\n\n{a}\n"),
    )
    .unwrap();
    let moved = fingerprints(&sarif(dir.path(), &["scan", "-f", "sarif", "draft.md"]));
    assert!(!before.is_empty());
    assert_eq!(before, moved, "moving paragraphs keeps fingerprints");
    std::fs::write(
        dir.path().join("draft.md"),
        format!(
            "# Draft\n\n{}\n\n{b}\n",
            a.replace("any harm", "every harm")
        ),
    )
    .unwrap();
    let edited = fingerprints(&sarif(dir.path(), &["scan", "-f", "sarif", "draft.md"]));
    assert_ne!(
        before, edited,
        "editing the evidence changes the fingerprint"
    );
}
