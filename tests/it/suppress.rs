//! Suppressions: inline comments (with a required reason, by section or
//! document) and baselines, so only new findings fail a build.

use crate::support::run_in as run;
use std::process::Output;

const LIABLE: &str = "Developers must be held liable for harms their models cause. The attorney general may bring a civil action and seek civil penalties.";

fn dir_with(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_inline_suppression_with_a_reason_silences_its_check() {
    let text = format!(
        "# Bill\n\n<!-- policyscan-ignore-file: liability-without-research-safe-harbor -- the harbor is in the companion bill -->\n\n{LIABLE}\n"
    );
    let dir = dir_with("bill.md", &text);
    let out = run(
        dir.path(),
        &["scan", "--fail-on", "warning", "-f", "json", "bill.md"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = &report["documents"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "liability-without-research-safe-harbor")
        .unwrap()
        .clone();
    assert_eq!(finding["suppressed"]["kind"], "inline");
    assert_eq!(
        finding["suppressed"]["reason"],
        "the harbor is in the companion bill"
    );
    // The directive's check id did not become evidence.
    let liability = report["documents"][0]["themes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "liability")
        .unwrap()
        .clone();
    assert!(
        liability["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["line"] != 3)
    );
}

#[test]
fn a_suppression_without_a_reason_is_ignored_and_reported() {
    let text = format!(
        "<!-- policyscan-ignore-file: liability-without-research-safe-harbor -->\n{LIABLE}\n"
    );
    let dir = dir_with("bill.md", &text);
    let out = run(dir.path(), &["scan", "--fail-on", "warning", "bill.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("policyscan-ignore at line 1 has no reason"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn section_suppressions_stay_in_their_section_and_stale_ones_are_reported() {
    let text = format!(
        "# Bill\n\n## Part one\n\n<!-- policyscan-ignore: liability-without-research-safe-harbor -- reviewed by counsel -->\n\nThis part is about scope.\n\n## Part two\n\n{LIABLE}\n"
    );
    let dir = dir_with("bill.md", &text);
    let out = run(dir.path(), &["scan", "--fail-on", "warning", "bill.md"]);
    assert_eq!(out.status.code(), Some(1), "the finding sits in Part two");
    assert!(
        stderr(&out).contains("matches no finding (stale suppression)"),
        "{}",
        stderr(&out)
    );
    let moved = text.replace("## Part two\n\n", "").replace(
        "This part is about scope.",
        &format!("This part is about scope. {LIABLE}"),
    );
    std::fs::write(dir.path().join("bill.md"), moved).unwrap();
    assert_eq!(
        run(dir.path(), &["scan", "--fail-on", "warning", "bill.md"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn a_baseline_lets_only_new_findings_fail() {
    let dir = dir_with("bill.md", &format!("# Bill\n\n{LIABLE}\n"));
    let out = run(
        dir.path(),
        &[
            "scan",
            "--fail-on",
            "warning",
            "--write-baseline",
            "baseline.json",
            "bill.md",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "writing a baseline does not hide today's findings"
    );
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(baseline["version"], 1);
    assert!(!baseline["entries"].as_array().unwrap().is_empty());
    // Rewrites bill.md and scans it against the baseline.
    let scan_draft = |body: &str, format: &str| {
        std::fs::write(dir.path().join("bill.md"), format!("# Bill\n\n{body}\n")).unwrap();
        let args = [
            "scan",
            "--fail-on",
            "warning",
            "--baseline",
            "baseline.json",
        ];
        run(
            dir.path(),
            &[&args[..], &["-f", format, "bill.md"]].concat(),
        )
    };
    assert_eq!(scan_draft(LIABLE, "text").status.code(), Some(0));
    // Adding a sentence on the same theme changes the finding's evidence
    // and fingerprint, not the fact the baseline accepted.
    let more = "Deployers should also be held liable for damages to consumers.";
    let out = scan_draft(&format!("{LIABLE}\n\n{more}"), "sarif");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "liability-without-research-safe-harbor")
        .unwrap()
        .clone();
    let listed = baseline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["check"] == "liability-without-research-safe-harbor")
        .unwrap();
    let now = result["partialFingerprints"]["policyscanContent/v1"]
        .as_str()
        .expect("SARIF carries the fingerprint");
    assert_ne!(now, listed["fingerprint"], "the fingerprint changed");
    assert_eq!(result["suppressions"][0]["kind"], "external");
    // A new finding fails even with the baseline.
    let risky = "Restrictions on the release of open weights should follow: open weights cannot be recalled.";
    let out = scan_draft(&format!("{LIABLE}\n\n{risky}"), "text");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("access-restrictions-on-open-weights"),
        "{}",
        stderr(&out)
    );
    // Baseline entries that no longer match are reported.
    std::fs::write(dir.path().join("bill.md"), "# Bill\n\nNothing to see.\n").unwrap();
    let out = run(
        dir.path(),
        &["scan", "--baseline", "baseline.json", "bill.md"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains(
            "baseline entry matches nothing (stale): bill.md liability-without-research-safe-harbor"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_invalid_baseline_is_an_error() {
    let dir = dir_with("bill.md", LIABLE);
    let refused = |baseline: &str, said: &str| {
        std::fs::write(dir.path().join("baseline.json"), baseline).unwrap();
        let out = run(
            dir.path(),
            &["scan", "--baseline", "baseline.json", "bill.md"],
        );
        assert_eq!(out.status.code(), Some(2), "{baseline}");
        assert!(stderr(&out).contains(said), "{}", stderr(&out));
    };
    refused(
        "{\"version\": 1, \"entries\": [{\"path\": 1}]}",
        "invalid baseline baseline.json",
    );
    // A version this policyscan does not know is not read as version 1.
    refused(
        "{\"version\": 2, \"entries\": []}",
        "baseline baseline.json is version 2; this policyscan reads version 1",
    );
}

/// `--baseline B --write-baseline B` refreshes the baseline: it keeps the
/// findings still firing, adds new ones, drops stale entries, and leaves
/// out findings an inline comment suppresses. Entries of files the run
/// did not scan are neither stale nor dropped, unless the file is gone.
#[test]
fn a_baseline_refreshed_in_place_keeps_what_still_fires() {
    let dir = dir_with("bill.md", LIABLE);
    std::fs::write(dir.path().join("gone.md"), LIABLE).unwrap();
    let scan = |extra: &[&str]| {
        let mut args = vec!["scan", "--fail-on", "warning"];
        args.extend_from_slice(extra);
        args.push(".");
        run(dir.path(), &args)
    };
    let paths = || -> Vec<String> {
        let text = std::fs::read_to_string(dir.path().join("b.json")).unwrap();
        let baseline: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut paths: Vec<String> = baseline["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["path"].as_str().unwrap().to_string())
            .collect();
        paths.dedup();
        paths
    };
    scan(&["--write-baseline", "b.json"]);
    assert_eq!(paths(), ["bill.md", "gone.md"]);
    std::fs::write(dir.path().join("gone.md"), "Nothing to see.\n").unwrap();
    let risky = "Restrictions on the release of open weights should follow: open weights cannot be recalled.";
    std::fs::write(dir.path().join("new.md"), risky).unwrap();
    let ignored = format!(
        "<!-- policyscan-ignore-file: liability-without-research-safe-harbor -- reviewed -->\n{LIABLE}\n"
    );
    std::fs::write(dir.path().join("inline.md"), ignored).unwrap();
    assert_eq!(scan(&["--baseline", "b.json"]).status.code(), Some(1));
    let out = scan(&["--baseline", "b.json", "--write-baseline", "b.json"]);
    assert!(
        stderr(&out).contains("matches nothing (stale): gone.md"),
        "{}",
        stderr(&out)
    );
    assert_eq!(paths(), ["bill.md", "new.md"]);
    let out = scan(&["--baseline", "b.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // A run over some of the files judges only those: the entries of files
    // it did not scan are not stale, and a refresh keeps them.
    let partial = |extra: &[&str]| {
        let mut args = vec!["scan", "--fail-on", "warning", "--baseline", "b.json"];
        args.extend_from_slice(extra);
        args.push("bill.md");
        run(dir.path(), &args)
    };
    let out = partial(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("stale"), "{}", stderr(&out));
    partial(&["--write-baseline", "b.json"]);
    assert_eq!(paths(), ["bill.md", "new.md"]);
    // A file that is gone is judged, scanned or not.
    std::fs::remove_file(dir.path().join("new.md")).unwrap();
    let out = partial(&["--write-baseline", "b.json"]);
    assert!(
        stderr(&out).contains("matches nothing (stale): new.md"),
        "{}",
        stderr(&out)
    );
    assert_eq!(paths(), ["bill.md"]);
}
