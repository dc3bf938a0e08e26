//! JSON Schemas: the committed copies are what the binary generates, real
//! rulesets and real reports validate against them, and invalid ones do
//! not. Also `rules list` and `rules show`.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

fn policyscan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout_json(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn committed(name: &str) -> Value {
    let path = Path::new("schemas").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn errors(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("the schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn committed_schemas_are_fresh() {
    for (args, file) in [
        (&["rules", "schema"][..], "ruleset.schema.json"),
        (&["rules", "schema", "--report"][..], "report.schema.json"),
    ] {
        let generated = stdout_json(&policyscan(args));
        assert!(
            generated == committed(file),
            "schemas/{file} is stale: run `cargo run -- {} > schemas/{file}`",
            args.join(" ")
        );
    }
}

#[test]
fn the_default_ruleset_validates_and_points_language_servers_at_the_schema() {
    let text = std::fs::read_to_string("rules/default.yaml").unwrap();
    let modeline = text.lines().next().unwrap();
    let target = modeline
        .strip_prefix("# yaml-language-server: $schema=")
        .expect("the first line is a yaml-language-server modeline");
    assert!(Path::new("rules").join(target).exists(), "{target}");
    let ruleset: Value = serde_saphyr::from_str(&text).unwrap();
    let schema = committed("ruleset.schema.json");
    assert_eq!(errors(&schema, &ruleset), Vec::<String>::new());
}

#[test]
fn the_ruleset_schema_rejects_what_the_loader_rejects() {
    let schema = committed("ruleset.schema.json");
    let cases = [
        json!({"themes": [{"id": "t", "rules": [{"id": "r", "keywords": ["x"], "wieght": 2}]}]}),
        json!({"themes": [{"id": "t", "threshold": "high"}]}),
        json!({"cues": [{"id": "c", "stance": "pro-closed", "keywords": ["x"]}]}),
        json!({"checks": [{"id": "k", "message": "m", "severity": "fatal", "when": {}}]}),
        json!({"colour": "blue"}),
    ];
    for case in cases {
        assert!(!errors(&schema, &case).is_empty(), "accepted {case}");
        let out = Command::new(env!("CARGO_BIN_EXE_policyscan"))
            .args(["rules", "check", "--rules", "/dev/stdin"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .unwrap()
                    .write_all(case.to_string().as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "the loader accepted {case}");
    }
}

#[test]
fn real_reports_validate_against_the_report_schema() {
    let schema = committed("report.schema.json");
    let report = stdout_json(&policyscan(&[
        "scan",
        "--format",
        "json",
        "fixtures",
        "../shared/corpus/legal",
    ]));
    assert!(report["documents"].as_array().unwrap().len() >= 13);
    assert_eq!(errors(&schema, &report), Vec::<String>::new());
    // With errors and skipped inputs, and the report of a run stopped by
    // invalid rules.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bin.md"), b"\x00\x01\x02binary").unwrap();
    std::fs::write(dir.path().join("bad.yaml"), "themes: [\n").unwrap();
    let missing = dir.path().join("missing.md");
    let bin = dir.path().join("bin.md");
    let out = policyscan(&[
        "scan",
        "--format",
        "json",
        bin.to_str().unwrap(),
        missing.to_str().unwrap(),
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"].as_array().unwrap().len(), 1);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 1);
    assert_eq!(errors(&schema, &report), Vec::<String>::new());
    let bad = dir.path().join("bad.yaml");
    let out = policyscan(&[
        "scan",
        "--rules",
        bad.to_str().unwrap(),
        "--format",
        "json",
        ".",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(errors(&schema, &report), Vec::<String>::new());
    // A contract break is caught.
    let mut broken = report.clone();
    broken["summary"]["documents"] = json!("none");
    assert!(!errors(&schema, &broken).is_empty());
}

#[test]
fn rules_list_names_every_theme_rule_cue_and_check() {
    let list = stdout_json(&policyscan(&["rules", "list", "--format", "json"]));
    let list = list.as_array().unwrap();
    let count = |kind: &str| list.iter().filter(|e| e["kind"] == kind).count();
    let check = String::from_utf8(policyscan(&["rules", "check"]).stdout).unwrap();
    // "ok: 14 themes, 70 rules, 48 cues, …" from `rules check`.
    let numbers: Vec<usize> = check
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let tail = &numbers[numbers.len() - 4..];
    assert_eq!([count("theme"), count("rule"), count("cue")], tail[..3]);
    assert!(count("check") >= 4);
    let text = String::from_utf8(policyscan(&["rules", "list"]).stdout).unwrap();
    assert_eq!(text.lines().count(), list.len());
    for entry in list {
        let id = entry["id"].as_str().unwrap();
        assert!(
            text.lines()
                .any(|l| l.split_whitespace().nth(1) == Some(id)),
            "{id}"
        );
    }
}

#[test]
fn rules_show_prints_one_definition_with_its_examples() {
    let show = |id: &str| String::from_utf8(policyscan(&["rules", "show", id]).stdout).unwrap();
    let cue = show("sf-directive-restrict");
    assert!(
        cue.starts_with("cue sf-directive-restrict → security-first\n"),
        "{cue}"
    );
    assert!(
        cue.contains("defined at <default>/rules/default.yaml:"),
        "{cue}"
    );
    assert!(cue.contains("counterexamples (must not match):"), "{cue}");
    let theme = show("liability");
    assert!(theme.starts_with("theme liability: "), "{theme}");
    assert!(theme.contains("liability-core"), "{theme}");
    assert!(theme.contains("checks that use it: liability-without-research-safe-harbor"));
    let check = show("liability-without-research-safe-harbor");
    assert!(check.contains("none present: safe-harbor"), "{check}");

    let out = policyscan(&["rules", "show", "licencing"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "policyscan: no theme, rule, cue or check `licencing` (did you mean `licensing`?)\n"
    );
}
