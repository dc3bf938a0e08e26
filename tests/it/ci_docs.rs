//! The CI recipe in docs/ci.md works as documented: the workflow's scan
//! command, run verbatim on draft fixtures, annotates, writes SARIF and
//! Markdown, and exits as the docs say; the GitLab job's writes the Code
//! Quality and JUnit reports its artifacts name; the pre-commit hook
//! definition parses and runs the same tool.

use std::path::Path;
use std::process::{Command, Output};

/// The `run:` line of the workflow step named "Scan drafts".
fn documented_scan_command() -> Vec<String> {
    let doc = std::fs::read_to_string("docs/ci.md").unwrap();
    let step = doc
        .find("- name: Scan drafts")
        .expect("docs/ci.md has the scan step");
    let line = doc[step..].lines().nth(1).unwrap().trim();
    let command = line.strip_prefix("run: ").expect("the step runs a command");
    command.split_whitespace().map(String::from).collect()
}

fn run(dir: &Path, argv: &[String]) -> Output {
    assert_eq!(argv[0], "policyscan");
    Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .current_dir(dir)
        .args(&argv[1..])
        .output()
        .unwrap()
}

fn drafts(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join("drafts").join(name), text).unwrap();
    }
    dir
}

#[test]
fn the_documented_workflow_command_gates_a_risky_draft() {
    let argv = documented_scan_command();
    let risky = std::fs::read_to_string("fixtures/oped-security-first-irreversible.txt").unwrap();
    let dir = drafts(&[("release-policy.txt", &risky)]);
    let out = run(dir.path(), &argv);
    assert_eq!(
        out.status.code(),
        Some(1),
        "warning findings fail with --fail-on warning"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("::warning file=drafts/release-policy.txt,line=")),
        "{stdout}"
    );
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("policyscan.sarif")).unwrap(),
    )
    .unwrap();
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    let summary = std::fs::read_to_string(dir.path().join("policyscan.md")).unwrap();
    assert!(
        summary.contains("| `drafts/release-policy.txt` | security-first |"),
        "{summary}"
    );
}

#[test]
fn the_documented_workflow_command_passes_a_clean_draft() {
    let argv = documented_scan_command();
    let clean = std::fs::read_to_string("fixtures/weak-signal-blog.txt").unwrap();
    let dir = drafts(&[("notes.txt", &clean)]);
    let out = run(dir.path(), &argv);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty(), "no annotations for a clean draft");
    assert!(dir.path().join("policyscan.sarif").exists());
}

/// The YAML block of docs/ci.md that starts with `first_line`, parsed.
fn yaml_block(first_line: &str) -> serde_json::Value {
    let doc = std::fs::read_to_string("docs/ci.md").unwrap();
    let opening = format!("```yaml\n{first_line}");
    let start = doc.find(&opening).expect("docs/ci.md has the block") + "```yaml\n".len();
    let yaml = &doc[start..start + doc[start..].find("```").unwrap()];
    serde_saphyr::from_str(yaml).unwrap()
}

/// The GitLab job of docs/ci.md, parsed: its scan command and the two
/// report files its artifacts name.
fn documented_gitlab_job() -> (Vec<String>, String, String) {
    let config = yaml_block("policyscan:\n");
    let job = &config["policyscan"];
    let scan = job["script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line.as_str().unwrap())
        .find(|line| line.starts_with("policyscan scan "))
        .expect("the job runs a scan");
    let reports = &job["artifacts"]["reports"];
    assert_eq!(job["artifacts"]["when"], "always");
    (
        scan.split_whitespace().map(String::from).collect(),
        reports["codequality"].as_str().unwrap().to_string(),
        reports["junit"].as_str().unwrap().to_string(),
    )
}

#[test]
fn the_documented_gitlab_job_writes_the_reports_its_artifacts_name() {
    let (argv, codequality, junit) = documented_gitlab_job();
    let risky = std::fs::read_to_string("fixtures/oped-security-first-irreversible.txt").unwrap();
    let clean = std::fs::read_to_string("fixtures/weak-signal-blog.txt").unwrap();
    let dir = drafts(&[("release-policy.txt", &risky), ("notes.txt", &clean)]);
    let out = run(dir.path(), &argv);
    assert_eq!(
        out.status.code(),
        Some(1),
        "warning findings fail with --fail-on warning"
    );
    let issues: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.path().join(&codequality)).unwrap()).unwrap();
    assert!(!issues.is_empty());
    assert!(
        issues
            .iter()
            .all(|i| i["location"]["path"] == "drafts/release-policy.txt"),
        "{issues:?}"
    );
    // Each draft is a suite with a test case per check of the rules.
    let list = run(
        dir.path(),
        &["policyscan", "rules", "list", "--format", "json"].map(String::from),
    );
    let items: Vec<serde_json::Value> = serde_json::from_slice(&list.stdout).unwrap();
    let checks = items.iter().filter(|i| i["kind"] == "check").count();
    let xml = std::fs::read_to_string(dir.path().join(&junit)).unwrap();
    assert!(
        xml.contains(&format!(
            "<testsuite name=\"drafts/notes.txt\" tests=\"{checks}\" failures=\"0\""
        )) && xml.contains(&format!(
            "<testsuite name=\"drafts/release-policy.txt\" tests=\"{checks}\" failures=\"{}\"",
            issues.len()
        )),
        "{xml}"
    );
}

#[test]
fn the_documented_azure_pipeline_logs_issues_and_writes_the_test_results_it_publishes() {
    let pipeline = yaml_block("trigger:\n");
    let steps = pipeline["steps"].as_array().unwrap();
    let scan = steps
        .iter()
        .find(|s| s["displayName"] == "Scan drafts")
        .expect("a scan step");
    let argv: Vec<String> = scan["script"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .map(String::from)
        .collect();
    let publish = steps
        .iter()
        .find(|s| s["task"] == "PublishTestResults@2")
        .expect("the test results are published");
    assert_eq!(publish["condition"], "always()");
    assert_eq!(publish["inputs"]["testResultsFormat"], "JUnit");
    let results = publish["inputs"]["testResultsFiles"].as_str().unwrap();

    let risky = std::fs::read_to_string("fixtures/oped-security-first-irreversible.txt").unwrap();
    let dir = drafts(&[("release-policy.txt", &risky)]);
    let out = run(dir.path(), &argv);
    assert_eq!(out.status.code(), Some(1), "a warning fails the step");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let file = dir
        .path()
        .canonicalize()
        .unwrap()
        .join("drafts/release-policy.txt");
    assert!(
        stdout.lines().any(|l| l.starts_with(&format!(
            "##vso[task.logissue type=warning;sourcepath={};linenumber=",
            file.display()
        ))),
        "{stdout}"
    );
    let xml = std::fs::read_to_string(dir.path().join(results)).unwrap();
    assert!(
        xml.contains("<testsuite name=\"drafts/release-policy.txt\""),
        "{xml}"
    );
}

#[test]
fn the_pre_commit_hook_runs_policyscan() {
    #[derive(serde::Deserialize)]
    struct Hook {
        id: String,
        entry: String,
        language: String,
    }
    let hooks: Vec<Hook> =
        serde_saphyr::from_str(&std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap())
            .unwrap();
    assert_eq!(hooks.len(), 1);
    assert_eq!(
        (hooks[0].id.as_str(), hooks[0].language.as_str()),
        ("policyscan", "rust")
    );
    let argv: Vec<String> = hooks[0]
        .entry
        .split_whitespace()
        .map(String::from)
        .collect();
    let risky = std::fs::read_to_string("fixtures/oped-security-first-irreversible.txt").unwrap();
    let dir = drafts(&[("a.txt", &risky)]);
    let mut with_file = argv.clone();
    with_file.push("drafts/a.txt".to_string());
    assert_eq!(run(dir.path(), &with_file).status.code(), Some(1));
}

/// The pull-request recipe (`git show origin/main:PATH | policyscan diff
/// - PATH …`): the path `git show` reads and the `policyscan` command.
fn documented_diff_command() -> (String, Vec<String>) {
    let doc = std::fs::read_to_string("docs/ci.md").unwrap();
    let line = doc
        .lines()
        .find(|l| l.starts_with("git show ") && l.contains(" | policyscan diff "))
        .expect("docs/ci.md has a diff recipe");
    let (show, command) = line.split_once(" | ").unwrap();
    let base = show.rsplit_once(':').unwrap().1.to_string();
    (base, command.split_whitespace().map(String::from).collect())
}

#[test]
fn the_documented_diff_recipe_flags_a_new_liability_clause() {
    let (path, argv) = documented_diff_command();
    assert_eq!(path, "drafts/bill.md");
    assert!(
        argv.contains(&"-".to_string()) && argv.contains(&path),
        "{argv:?}"
    );
    // The base version has a code block and a comment that name liability
    // and a safe harbor: read as Markdown, like the new version, they are
    // no change.
    let base = "# Bill\n\nThis bill sets reporting duties for developers.\n\n\
        ```\nliability: none\n```\n\n<!-- safe harbor for research? -->\n";
    let head = format!(
        "{base}\nDevelopers must be held liable for harms their models cause. The attorney general may bring a civil action.\n"
    );
    let dir = drafts(&[("bill.md", &head)]);
    let diff = |old: &str| crate::support::run_with_stdin(dir.path(), &argv[1..], old.as_bytes());
    assert_eq!(argv[0], "policyscan");
    let out = diff(base);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a new warning fails with --fail-on warning"
    );
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("| liability | gained |"), "{md}");
    assert!(
        md.contains("`liability-without-research-safe-harbor`"),
        "{md}"
    );
    assert_eq!(
        diff(&head).status.code(),
        Some(0),
        "an unchanged draft passes"
    );
}
