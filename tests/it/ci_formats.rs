//! CI outputs: GitHub workflow commands, the Markdown summary, and several
//! reports from one scan with --output.

use crate::support::{GITHUB_VARS, policyscan, run_in as run};

const DRAFT: &str = "# Draft bill\n\nDevelopers must be held liable for harms their models cause. \
    The attorney general may bring a civil action and seek civil penalties.\n\n\
    Restrictions on the release of open weights should follow: weights cannot be recalled.\n";

fn draft_dir(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), DRAFT).unwrap();
    dir
}

#[test]
fn github_format_writes_escaped_workflow_commands() {
    let dir = draft_dir("draft, v2.md");
    let out = run(dir.path(), &["scan", "--format", "github", "."]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(
            line.starts_with("::warning file=draft%2C v2.md,line=")
                || line.starts_with("::notice file=draft%2C v2.md,line="),
            "{line}"
        );
        assert!(
            line.contains(",col=") && line.contains(",title=policyscan "),
            "{line}"
        );
    }
    assert!(
        stdout
            .contains("title=policyscan liability-without-research-safe-harbor::Assigns liability"),
        "{stdout}"
    );
}

#[test]
fn azure_format_writes_escaped_logging_commands() {
    let dir = draft_dir("draft; v2].md");
    let out = run(
        dir.path(),
        &["scan", "--format", "azure", ".", "missing.md"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&run(dir.path(), &["scan", "--format", "json", "."]).stdout)
            .unwrap();
    let findings = report["documents"][0]["checks"].as_array().unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), findings.len() + 1, "{stdout}");
    // Azure wants absolute paths; `;` and `]` end a property.
    let root = dir.path().canonicalize().unwrap();
    let source = format!("sourcepath={}/draft%3B v2%5D.md;", root.display());
    for (line, finding) in lines.iter().zip(findings) {
        let severity = finding["severity"].as_str().unwrap();
        let kind = if severity == "error" {
            "error"
        } else {
            "warning"
        };
        let check = finding["check"].as_str().unwrap();
        let properties = format!(
            "##vso[task.logissue type={kind};{source}linenumber={};columnnumber={};code={check};]",
            finding["line"], finding["column"]
        );
        assert!(line.starts_with(&properties), "{line}\n{properties}");
        let info = if severity == "info" { "info: " } else { "" };
        assert!(
            line.ends_with(&format!(
                "]{info}policyscan {check}: {}",
                finding["message"].as_str().unwrap()
            )),
            "{line}"
        );
    }
    assert!(
        lines[findings.len()]
            .starts_with("##vso[task.logissue type=error;]policyscan: missing.md: "),
        "{stdout}"
    );
}

#[test]
fn in_github_actions_the_markdown_summary_links_to_the_files() {
    let workspace = tempfile::tempdir().unwrap();
    let outside = draft_dir("outside.txt");
    std::fs::create_dir(workspace.path().join("bills 2")).unwrap();
    std::fs::write(workspace.path().join("bills 2/draft#1.md"), DRAFT).unwrap();
    std::fs::write(workspace.path().join("draft.txt"), DRAFT).unwrap();
    let outside_file = outside.path().join("outside.txt");
    let scan = |vars: &[&str]| {
        let mut cmd = policyscan();
        for (name, value) in GITHUB_VARS.iter().zip(vars) {
            cmd.env(name, value);
        }
        let out = cmd
            .current_dir(workspace.path())
            .args(["scan", "--format", "markdown", ".", "-"])
            .arg(&outside_file)
            .stdin(std::fs::File::open(&outside_file).unwrap())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let root = workspace.path().to_str().unwrap();
    let md = scan(&["https://github.com", "acme/bills", "0a1b2c", root]);
    let blob = "https://github.com/acme/bills/blob/0a1b2c/";
    // Documents link to the file; findings to the line, in the source
    // view for Markdown, which GitHub would otherwise render.
    assert!(
        md.contains(&format!(
            "| [`bills 2/draft#1.md`]({blob}bills%202/draft%231.md) |"
        )),
        "{md}"
    );
    assert!(
        md.contains(&format!("| [`draft.txt`]({blob}draft.txt) |")),
        "{md}"
    );
    assert!(
        md.contains("| [`draft.txt:3:") && md.contains(&format!("]({blob}draft.txt#L3) |")),
        "{md}"
    );
    assert!(
        md.contains(&format!("]({blob}bills%202/draft%231.md?plain=1#L3) |")),
        "{md}"
    );
    // Standard input and files outside the checkout are not linked.
    assert!(md.contains("| `<stdin>` |"), "{md}");
    let outside_path = outside_file.to_str().unwrap();
    assert!(md.contains(&format!("| `{outside_path}` |")), "{md}");
    assert_eq!(md.matches("](https://").count(), 2 + 2 * 3, "{md}");
    // Outside Actions, or with a variable missing or malformed: no links.
    for vars in [
        &[][..],
        &["https://github.com", "acme/bills", "0a1b2c"][..],
        &["https://github.com", "acme/bills", "main; rm", root][..],
        &["https://github.com", "acme", "0a1b2c", root][..],
    ] {
        let md = scan(vars);
        assert!(
            md.contains("| `draft.txt` |") && !md.contains("](http"),
            "{vars:?}\n{md}"
        );
    }
}

#[test]
fn markdown_format_summarises_documents_and_findings() {
    let dir = draft_dir("draft.md");
    let out = run(
        dir.path(),
        &["scan", "--format", "markdown", ".", "missing.md"],
    );
    assert_eq!(out.status.code(), Some(2));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("## policyscan report\n"), "{md}");
    let totals = md.lines().nth(2).unwrap();
    assert!(
        totals.starts_with("1 document scanned; ")
            && totals.ends_with("; 0 skipped; 1 unreadable."),
        "{totals}"
    );
    assert!(md.contains("| `draft.md` | "), "{md}");
    assert!(
        md.contains("| warning | `liability-without-research-safe-harbor` | `draft.md:"),
        "{md}"
    );
    assert!(
        md.contains("### Unreadable inputs\n\n- `missing.md`: "),
        "{md}"
    );
}

#[test]
fn one_scan_writes_several_outputs_and_skips_its_own_reports() {
    let dir = draft_dir("draft.md");
    let out = run(
        dir.path(),
        &[
            "scan",
            "-o",
            "sarif:report.sarif",
            "-o",
            "markdown:summary.md",
            "-o",
            "json:report.json",
            ".",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("draft.md (markdown"),
        "stdout keeps the text report: {text}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(
        std::fs::read_to_string(dir.path().join("summary.md"))
            .unwrap()
            .contains("## policyscan report")
    );
    // A second run over the same folder does not scan the reports it wrote.
    let again = run(
        dir.path(),
        &["scan", "-f", "json", "-o", "markdown:summary.md", "."],
    );
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    let paths: Vec<&str> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["draft.md"]);
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn output_errors_are_clear_and_exit_two() {
    let dir = draft_dir("draft.md");
    let out = run(
        dir.path(),
        &["scan", "-o", "sarif:no/such/dir/x.sarif", "."],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("policyscan: failed to write no/such/dir/x.sarif: No such file or directory"),
        "{stderr}"
    );
    let out = run(dir.path(), &["scan", "-o", "bogus:x", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown format `bogus`"));
    // A bare path says its format by its extension; one that does not is
    // refused with an example.
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let out = run(
        dir.path(),
        &[
            "scan",
            "-o",
            "out/r.SARIF",
            "-o",
            "out/r.md",
            "-o",
            "out/r.jsonl",
            "draft.md",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join("out").join(name)).unwrap();
    assert!(read("r.SARIF").contains("\"version\": \"2.1.0\""));
    assert!(read("r.md").starts_with("## policyscan report\n"));
    assert!(read("r.jsonl").lines().all(|l| l.starts_with("{\"type\":")));
    let out = run(dir.path(), &["scan", "-o", "report.yaml", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("expected FORMAT:PATH (e.g. sarif:report.yaml), or a path ending in .json"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An --output that names an input file, the baseline, or another
/// --output is refused before anything is written.
#[test]
fn an_output_never_overwrites_an_input_the_baseline_or_another_output() {
    let dir = draft_dir("draft.md");
    let refused = |args: &[&str], what: &str| {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("would overwrite {what}")),
            "{stderr}"
        );
        assert!(out.stdout.is_empty(), "nothing is written: {args:?}");
    };
    refused(
        &["scan", "-o", "markdown:draft.md", "draft.md"],
        "the input draft.md",
    );
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    refused(
        &["scan", "-o", "json:./sub/../draft.md", "./draft.md"],
        "the input ./draft.md",
    );
    refused(
        &[
            "scan",
            "-o",
            "json:r.json",
            "-o",
            "sarif:sub/../r.json",
            ".",
        ],
        "another --output (r.json)",
    );
    std::fs::write(
        dir.path().join("b.json"),
        "{\"version\": 1, \"entries\": []}",
    )
    .unwrap();
    refused(
        &["scan", "--baseline", "b.json", "-o", "json:b.json", "."],
        "the --baseline file",
    );
    let out = run(
        dir.path(),
        &["scan", "--write-baseline", "draft.md", "draft.md"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--write-baseline draft.md would overwrite the input draft.md")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("draft.md")).unwrap(),
        DRAFT
    );
    assert!(!dir.path().join("r.json").exists());
    // Refreshing a baseline in place is still allowed.
    let out = run(
        dir.path(),
        &[
            "scan",
            "--baseline",
            "b.json",
            "--write-baseline",
            "b.json",
            ".",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `--format csv` has a row per input, and each scanned document's cells
/// say what its JSON report says; `-o report.csv` writes the same table.
#[test]
fn the_csv_table_has_a_row_per_input_that_matches_the_json_report() {
    let dir = draft_dir("draft.md");
    let here = std::env::current_dir().unwrap();
    for name in [
        "oped-security-first-irreversible.txt",
        "oped-hybrid-regulate-use.md",
    ] {
        std::fs::copy(here.join("fixtures").join(name), dir.path().join(name)).unwrap();
    }
    // A name a spreadsheet would run as a formula, a comma in a name, and
    // a binary file (skipped).
    std::fs::write(dir.path().join("=1+1.md"), DRAFT).unwrap();
    std::fs::write(dir.path().join("a, b.txt"), "Open weights, \"we\" say.").unwrap();
    std::fs::write(dir.path().join("blob.txt"), [0u8, 1, 2, 3, 0, 0, 0]).unwrap();
    let args = [".", "missing.md"];
    let json = run(dir.path(), &[&["scan", "-f", "json"][..], &args].concat());
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let out = run(
        dir.path(),
        &[&["scan", "-f", "csv", "-o", "table.csv"][..], &args].concat(),
    );
    assert_eq!(out.status.code(), Some(2), "missing.md is an error");
    assert_eq!(
        std::fs::read(dir.path().join("table.csv")).unwrap(),
        out.stdout
    );
    let mut table = csv::Reader::from_reader(&out.stdout[..]);
    let header: Vec<String> = table.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = table.records().map(Result::unwrap).collect();
    let cell = |row: &csv::StringRecord, name: &str| -> String {
        let at = header.iter().position(|h| h == name).unwrap();
        row[at].to_string()
    };
    let documents = json["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 5);
    assert_eq!(rows.len(), documents.len() + 2, "+ blob.txt + missing.md");
    for (row, doc) in rows.iter().zip(documents) {
        let path = doc["path"].as_str().unwrap();
        let shown = if path.starts_with('=') {
            format!("'{path}")
        } else {
            path.to_string()
        };
        assert_eq!(cell(row, "path"), shown);
        assert_eq!(cell(row, "status"), "scanned");
        assert_eq!(cell(row, "stance"), doc["stance"]["label"]);
        let number = |name: &str| cell(row, name).parse::<f64>().unwrap();
        assert_eq!(number("confidence"), doc["stance"]["confidence"]);
        assert_eq!(number("words"), doc["words"]);
        for stance in ["pro-open", "security-first", "hybrid", "neutral"] {
            assert_eq!(
                number(&format!("stance:{stance}")),
                doc["stance"]["scores"][stance],
                "{path} {stance}"
            );
        }
        let mut present = Vec::new();
        for theme in doc["themes"].as_array().unwrap() {
            let id = theme["id"].as_str().unwrap();
            assert_eq!(
                number(&format!("theme:{id}")),
                theme["score"],
                "{path} {id}"
            );
            if theme["present"] == true {
                present.push(id);
            }
        }
        assert_eq!(cell(row, "themes"), present.join(";"), "{path}");
        let checks: Vec<&str> = doc["checks"]
            .as_array()
            .map(|c| c.iter().map(|f| f["check"].as_str().unwrap()).collect())
            .unwrap_or_default();
        assert_eq!(cell(row, "checks"), checks.join(";"), "{path}");
    }
    let rest: Vec<(String, String, String)> = rows[documents.len()..]
        .iter()
        .map(|row| (cell(row, "path"), cell(row, "status"), cell(row, "message")))
        .collect();
    assert_eq!(
        rest,
        [
            ("blob.txt".into(), "skipped".into(), "binary".into()),
            (
                "missing.md".into(),
                "error".into(),
                json["errors"][0]["message"].as_str().unwrap().into()
            ),
        ]
    );
    assert!(
        documents.iter().any(|d| d["checks"].is_array()),
        "some document has a check finding, so the column is tested"
    );
}
