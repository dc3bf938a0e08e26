//! CLI integration tests: run the real binary, snapshot exit code, stdout
//! and stderr together (ruff's `insta_cmd` format).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Output, Stdio};

use crate::support::{policyscan, run_in, run_with_stdin, write};
use policyscan::report::RunReport;

fn run(args: &[&str]) -> Output {
    policyscan().args(args).output().unwrap()
}

/// Exit code, stdout and stderr in one string, with the crate version
/// and temporary folders replaced so snapshots stay stable.
fn render(out: &Output, tmp: Option<&Path>) -> String {
    let mut s = format!(
        "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    s = s.replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    if let Some(tmp) = tmp {
        s = s.replace(&tmp.display().to_string(), "[TMP]");
    }
    s
}

fn parse(out: &Output) -> RunReport {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn text_report_on_fixtures() {
    let out = run(&["scan", "fixtures"]);
    insta::assert_snapshot!(render(&out, None));
}

#[test]
fn json_report_on_fixtures() {
    let out = run(&["scan", "--format", "json", "fixtures"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = parse(&out);
    assert_eq!(report.schema_version, 1);
    let paths: Vec<&str> = report.documents.iter().map(|d| d.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "documents are sorted by path");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    insta::assert_json_snapshot!(json, { ".tool.version" => "[VERSION]" });
}

#[test]
fn jsonl_report_on_fixtures() {
    let out = run(&["scan", "--format", "jsonl", "fixtures"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let types: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(types.last(), Some(&"summary"));
    assert!(types[..types.len() - 1].iter().all(|t| *t == "document"));
    // A document message carries the same object as the JSON array.
    let json = parse(&run(&["scan", "--format", "json", "fixtures"]));
    let first: policyscan::report::DocumentReport =
        serde_json::from_value(lines[0]["data"].clone()).unwrap();
    assert_eq!(first, json.documents[0]);
    insta::assert_snapshot!(render(&out, None));
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let one = run(&[
        "scan",
        "--format",
        "json",
        "--threads",
        "1",
        "fixtures",
        "../shared/corpus",
    ]);
    let default = run(&["scan", "--format", "json", "fixtures", "../shared/corpus"]);
    let four = run(&[
        "scan",
        "--format",
        "json",
        "-j",
        "4",
        "fixtures",
        "../shared/corpus",
    ]);
    assert_eq!(one.status.code(), Some(0));
    assert!(one.stdout == default.stdout && one.stdout == four.stdout);
}

#[test]
fn stdin_is_read_with_a_dash() {
    let mut child = policyscan()
        .args(["scan", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Restricting open weights would be a mistake that would stifle startups and entrench incumbents.")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let report = parse(&out);
    assert_eq!(report.documents.len(), 1);
    assert_eq!(report.documents[0].path, "<stdin>");
    assert_eq!(
        report.documents[0].stance.label,
        policyscan::Stance::ProOpen
    );
}

/// `git show HEAD:draft.md | policyscan scan --stdin-filename draft.md`:
/// the name is reported and its extension gives the format, so the
/// Markdown code block and the comment are not prose; without the name,
/// standard input is plain text and both count.
#[test]
fn stdin_filename_names_standard_input_and_gives_its_format() {
    let dir = tempfile::tempdir().unwrap();
    let draft = b"# Draft\n\n```\nlicensing regime for export controls\n```\n\n\
        Developers shall be liable for any harm their models cause.\n\n\
        <!-- a safe harbor for research, later -->\n";
    let themes = |out: &std::process::Output| -> (String, String, Vec<String>) {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc = &parse(out).documents[0];
        let hit = doc
            .themes
            .iter()
            .filter(|t| t.hits > 0)
            .map(|t| t.id.clone());
        (doc.path.clone(), doc.format.clone(), hit.collect())
    };
    let named = [
        "scan",
        "--format",
        "json",
        "--stdin-filename",
        "drafts/draft.md",
    ];
    let (path, format, hit) = themes(&run_with_stdin(dir.path(), &named, draft));
    assert_eq!(
        (path.as_str(), format.as_str()),
        ("drafts/draft.md", "markdown")
    );
    assert_eq!(hit, ["liability"]);
    // `-` given as well: the same.
    let dash = [&named[..], &["-"]].concat();
    assert_eq!(
        themes(&run_with_stdin(dir.path(), &dash, draft)).2,
        ["liability"]
    );
    let (path, format, hit) = themes(&run_with_stdin(
        dir.path(),
        &["scan", "--format", "json", "-"],
        draft,
    ));
    assert_eq!((path.as_str(), format.as_str()), ("<stdin>", "text"));
    assert!(hit.len() > 1, "{hit:?}");

    // explain takes the name too.
    let out = run_with_stdin(dir.path(), &["explain", "--stdin-filename", "d.md"], draft);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("d.md (markdown, "), "{text}");
}

/// Naming standard input when it is not read is a mistake: said, exit 2.
#[test]
fn stdin_filename_without_standard_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", "Open weights.");
    for args in [
        &["scan", "--stdin-filename", "x.md", "a.md"][..],
        &["scan", "--stdin-filename", "x.md", "."],
        &["explain", "--stdin-filename", "x.md", "a.md"],
        &["diff", "--stdin-filename", "x.md", "a.md", "a.md"],
    ] {
        let out = run_with_stdin(dir.path(), args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--stdin-filename names the document read from standard input, but `-` is not among the paths"),
            "{args:?}: {err}"
        );
    }
    let out = run_with_stdin(
        dir.path(),
        &["scan", "--input", "jsonl", "--stdin-filename", "x.md"],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--stdin-filename does not apply"));
}

/// `git show main:draft.md | policyscan diff - draft.md`: the old version
/// is read as Markdown like the new one, so an unchanged code block and
/// comment are no change; `--stdin-filename` names it.
#[test]
fn diff_reads_standard_input_in_the_other_versions_format() {
    let dir = tempfile::tempdir().unwrap();
    let old = "# Draft\n\n```\nlicensing regime for export controls\n```\n\nDevelopers shall be liable for harm.\n<!-- safe harbor for research -->\n";
    write(dir.path(), "draft.md", old.replace("harm.", "any harm."));
    let out = run_with_stdin(
        dir.path(),
        &["diff", "--format", "json", "-", "draft.md"],
        old.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["old"], "<stdin>");
    let removed_lines = |d: &serde_json::Value| -> Vec<u64> {
        let removed = d["evidence_removed"].as_array().unwrap();
        removed
            .iter()
            .map(|e| e["line"].as_u64().unwrap())
            .collect()
    };
    // Only the edited sentence changed.
    assert_eq!(removed_lines(&d), [7], "{d:#}");
    assert_eq!(d["themes"], serde_json::json!([]), "{d:#}");

    let args = [
        "diff",
        "--format",
        "json",
        "--stdin-filename",
        "old.txt",
        "-",
        "draft.md",
    ];
    let d: serde_json::Value =
        serde_json::from_slice(&run_with_stdin(dir.path(), &args, old.as_bytes()).stdout).unwrap();
    assert_eq!(d["old"], "old.txt");
    let lines = removed_lines(&d);
    assert!(
        lines.contains(&4) && lines.contains(&8),
        "a text file's code block and comment are prose: {lines:?}"
    );
}

/// A missing path is an error entry (exit 2) and every other input is
/// still reported; stdout stays valid JSON.
#[test]
fn missing_paths_are_reported_and_the_run_goes_on() {
    let out = run(&[
        "scan",
        "--format",
        "json",
        "fixtures/weak-signal-blog.txt",
        "no/such/file.md",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let report = parse(&out);
    assert_eq!(report.documents.len(), 1);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].path, "no/such/file.md");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("policyscan: no/such/file.md: No such file"),
        "{stderr}"
    );
}

#[test]
fn invalid_utf8_is_decoded_with_a_warning_and_binary_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "latin1.txt",
        b"Open weights are irreversible and the caf\xe9 is reckless.\n",
    );
    write(
        dir.path(),
        "image.md",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    );
    write(dir.path(), "empty.txt", b"");
    // UTF-8 (the dash) with a Windows-1252 apostrophe pasted in.
    write(
        dir.path(),
        "mixed.txt",
        b"Small labs can\x92t afford the lawyers \xE2\x80\x94 licensing would stifle startups.\n",
    );
    let out = run_in(dir.path(), &["scan", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(0));
    let report = parse(&out);
    let paths: Vec<&str> = report.documents.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["empty.txt", "latin1.txt", "mixed.txt"]);
    let mixed = &report.documents[2];
    let cost = mixed
        .themes
        .iter()
        .find(|t| t.id == "compliance-cost")
        .unwrap();
    assert!(
        cost.evidence
            .iter()
            .any(|e| e.text == "can\u{2019}t afford" && e.snippet.contains("\u{2014} licensing")),
        "{cost:?}"
    );
    assert_eq!(report.documents[1].warnings.len(), 1);
    // Read as Windows-1252: the é is an é in the evidence, not U+FFFD.
    let snippets: Vec<&str> = report.documents[1]
        .stance
        .evidence
        .iter()
        .map(|e| e.snippet.as_str())
        .collect();
    assert!(
        snippets.iter().any(|s| s.contains("the caf\u{e9} is")),
        "{snippets:?}"
    );
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].path, "image.md");
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr), @r"
    policyscan: warning: latin1.txt: not UTF-8 (byte 41 is the first that is not); read as Windows-1252
    policyscan: warning: mixed.txt: invalid UTF-8 at byte 14; 1 stray byte read as Windows-1252
    policyscan: skipped image.md: binary file
    ");
}

#[test]
fn files_over_max_filesize_are_listed_as_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "short.md",
        "Open weights let researchers audit models.\n",
    );
    let long = "Licensing of model developers entrenches incumbents.\n".repeat(40);
    write(dir.path(), "long.txt", &long);
    let out = run_in(
        dir.path(),
        &["scan", "--format", "json", "--max-filesize", "1K", "."],
    );
    assert_eq!(out.status.code(), Some(0), "a skip is not an error");
    let report = parse(&out);
    let paths: Vec<&str> = report.documents.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["short.md"]);
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(
        (
            report.skipped[0].path.as_str(),
            report.skipped[0].reason.as_str()
        ),
        ("long.txt", "too-large")
    );
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr), @"policyscan: skipped long.txt: larger than --max-filesize");
    // Named on the command line: the same.
    let out = run_in(
        dir.path(),
        &[
            "scan",
            "--format",
            "json",
            "--max-filesize",
            "1K",
            "long.txt",
        ],
    );
    assert_eq!(parse(&out).skipped.len(), 1);
    // Large enough: scanned.
    let out = run_in(
        dir.path(),
        &["scan", "--format", "json", "--max-filesize", "4K", "."],
    );
    assert_eq!(parse(&out).documents.len(), 2);
    let out = run_in(dir.path(), &["scan", "--max-filesize", "1.5M", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("expected a size such as 500, 64K, 50M or 2G")
    );
}

#[test]
fn empty_folder_gives_valid_json_with_no_documents() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report = parse(&out);
    assert!(report.documents.is_empty());
    assert_eq!(report.summary.documents, 0);
}

#[test]
fn folders_skip_hidden_and_ignored_files_and_honour_globs() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "a.md",
        "b.txt",
        "drafts/c.md",
        ".hidden/d.md",
        "skip.md",
        "notes.rst",
    ] {
        write(dir.path(), name, b"Open weights.");
    }
    write(dir.path(), ".gitignore", b"skip.md\n");
    let paths = |args: &[&str]| -> Vec<String> {
        let out = run_in(dir.path(), args);
        parse(&out).documents.into_iter().map(|d| d.path).collect()
    };
    assert_eq!(
        paths(&["scan", "-f", "json"]),
        ["a.md", "b.txt", "drafts/c.md"]
    );
    assert_eq!(
        paths(&["scan", "-f", "json", "--glob", "!drafts/"]),
        ["a.md", "b.txt"]
    );
    assert_eq!(
        paths(&["scan", "-f", "json", "--glob", "*.rst"]),
        ["notes.rst"]
    );
    assert_eq!(
        paths(&["scan", "-f", "json", "--hidden", "--no-ignore"]),
        [".hidden/d.md", "a.md", "b.txt", "drafts/c.md", "skip.md"]
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = run(&["scan", "fixtures/oped-pro-open-startups.md"]);
    assert!(
        !plain.stdout.contains(&0x1b),
        "no colour when stdout is not a terminal"
    );
    let forced = run(&[
        "scan",
        "--color",
        "always",
        "fixtures/oped-pro-open-startups.md",
    ]);
    assert!(forced.stdout.contains(&0x1b));
}

#[test]
fn fail_conditions_exit_one() {
    let out = run(&["scan", "--fail-on-stance", "security-first", "fixtures"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("check failed: fixtures/export-controls-report.md: stance is security-first"),
        "{stderr}"
    );
    let out = run(&[
        "scan",
        "--fail-on-theme",
        "export-control",
        "fixtures/weak-signal-blog.txt",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let out = run(&["scan", "--fail-on-theme", "no-such-theme", "fixtures"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown theme `no-such-theme`"));
    let out = run(&["scan", "--fail-on-theme", "licencing", "fixtures"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("unknown theme `licencing` (did you mean `licensing`?)")
    );
}

/// A rule added to a misspelled theme names the theme it probably meant.
#[test]
fn unknown_theme_in_a_ruleset_suggests_the_nearest() {
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("extra.yaml");
    std::fs::write(
        &extra,
        "rules:\n  - id: widget-liability\n    theme: liabilty\n    keywords: [widget harm]\n",
    )
    .unwrap();
    let out = run(&["rules", "check", "--add-rules", extra.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("extra.yaml:3:12: in `widget-liability`: unknown theme `liabilty` (did you mean `liability`?)"),
        "{err}"
    );
}

#[test]
fn input_errors_outrank_failed_checks() {
    let out = run(&[
        "scan",
        "--fail-on-stance",
        "neutral",
        "fixtures/weak-signal-blog.txt",
        "missing.txt",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(run(&["scan", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(run(&["scan", "--threads", "0"]).status.code(), Some(2));
    assert_eq!(
        run(&["scan", "--glob", "a[", "fixtures"]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["--version"]).status.code(), Some(0));
}

/// `policyscan scan … | head -1` exits quietly: no panic, exit 0.
#[test]
fn closed_stdout_is_not_an_error() {
    let mut child = policyscan()
        .args([
            "scan",
            "--format",
            "jsonl",
            "fixtures",
            "../shared/corpus",
            "fixtures",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// ---- rulesets ----

fn rules_error(name: &str, content: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), name, content.as_bytes());
    let out = run_in(
        dir.path(),
        &["scan", "--rules", name, "--format", "json", "."],
    );
    assert_eq!(out.status.code(), Some(2), "{}", render(&out, None));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    // stdout is still a JSON report: no documents, the problems as errors
    // naming the ruleset file.
    let report = parse(&out);
    assert!(report.documents.is_empty());
    assert!(!report.errors.is_empty());
    assert!(report.errors.iter().all(|e| e.path == name), "{report:?}");
    let stderr_only = Output {
        stdout: Vec::new(),
        ..out
    };
    render(&stderr_only, Some(dir.path()))
}

#[test]
fn ruleset_errors_name_file_line_column_and_rule() {
    let cases = [
        (
            "unknown-field.yaml",
            "themes:\n  - id: t\n    rules:\n      - id: r\n        keywords: [x]\n        wieght: 2\n",
        ),
        (
            "wrong-type.yaml",
            "themes:\n  - id: t\n    threshold: high\n",
        ),
        (
            "duplicate.yaml",
            "themes:\n  - id: t\n    rules:\n      - id: r\n        keywords: [a]\n      - id: r\n        keywords: [b]\n",
        ),
        (
            "empty-keyword.yaml",
            "themes:\n  - id: t\n    rules:\n      - id: r\n        keywords: [ok, '   ']\n",
        ),
        (
            "bad-regex.yaml",
            "themes:\n  - id: t\n    rules:\n      - id: r\n        patterns: ['(unclosed']\n",
        ),
        (
            "huge-regex.yaml",
            "themes:\n  - id: t\n    rules:\n      - id: r\n        patterns: ['\\w{500}\\w{500}\\w{500}']\n",
        ),
        (
            "unknown-theme.yaml",
            "themes:\n  - id: t\nrules:\n  - id: r\n    theme: nope\n    keywords: [x]\n",
        ),
        (
            "unknown-stance.yaml",
            "cues:\n  - id: c\n    stance: pro-closed\n    keywords: [x]\n",
        ),
        (
            "bad.json",
            "{\"themes\": [{\"id\": \"t\", \"rules\": [{\"id\": \"r\", \"keywords\": [\"x\"], \"colour\": 1}]}]}",
        ),
        (
            "wrong-type.json",
            "{\"themes\": [{\"id\": \"t\", \"threshold\": \"high\"}]}",
        ),
        (
            "empty-group.yaml",
            "cues:\n  - id: c\n    stance: pro-open\n    all-of: [[should], []]\n",
        ),
        ("syntax.yaml", "themes:\n  - id: t\n   rules: [\n"),
        (
            "look-around.yaml",
            "cues:\n  - id: c\n    stance: pro-open\n    patterns: ['(?<!not )open weights']\n",
        ),
        (
            "duplicate-key.yaml",
            "cues:\n  - id: c\n    stance: pro-open\n    keywords: [x]\n    weight: 1\n    weight: 2\n",
        ),
        (
            "top-level-key.yaml",
            "themes:\n  - id: t\n    rules:\n      - id: r\n        keywords: [a]\nstance:\n  pro-open: []\n",
        ),
        ("empty.yaml", ""),
    ];
    let rendered: Vec<String> = cases
        .iter()
        .map(|(name, content)| format!("## {name}\n{}", rules_error(name, content)))
        .collect();
    insta::assert_snapshot!(rendered.join("\n"));
}

#[test]
fn several_problems_are_all_reported() {
    let text = rules_error(
        "many.yaml",
        "themes:\n  - id: t\n    rules:\n      - id: a\n        keywords: ['']\n      - id: b\n        patterns: ['[']\n",
    );
    assert!(text.contains("many.yaml:5:"), "{text}");
    assert!(text.contains("in `a`"), "{text}");
    assert!(text.contains("in `b`"), "{text}");
    // Each problem is a line of its own with the program's name, so a
    // reader (or an editor's error parser) sees them alike.
    let stderr = text.split("----- stderr -----").nth(1).unwrap_or_default();
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 2, "{text}");
    for line in lines {
        assert!(line.starts_with("policyscan: many.yaml:"), "{line}");
    }
}

#[test]
fn rules_replace_and_add_rules_extend_the_default() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "doc.txt",
        b"The widget mandate harms widget makers. Widget mandates everywhere.",
    );
    write(
        dir.path(),
        "own.yaml",
        b"themes:\n  - id: widgets\n    rules:\n      - id: widget-rule\n        keywords: [widget mandate, widget mandates]\n        weight: 2\n        examples: [the widget mandate]\n",
    );
    write(
        dir.path(),
        "extra.json",
        br#"{"rules": [{"id": "widget-liability", "theme": "liability", "keywords": ["widget makers"], "weight": 2}]}"#,
    );
    let replaced = parse(&run_in(
        dir.path(),
        &["scan", "-f", "json", "--rules", "own.yaml", "doc.txt"],
    ));
    let ids: Vec<&str> = replaced.documents[0]
        .themes
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(ids, ["widgets"]);
    assert!(replaced.documents[0].themes[0].present);

    let added = parse(&run_in(
        dir.path(),
        &["scan", "-f", "json", "--add-rules", "extra.json", "doc.txt"],
    ));
    assert_eq!(added.documents[0].themes.len(), 14);
    let liability = added.documents[0]
        .themes
        .iter()
        .find(|t| t.id == "liability")
        .unwrap();
    assert!(liability.present);
    assert_eq!(liability.rules, ["widget-liability"]);
    assert_eq!(added.rulesets.len(), 2);
}

#[test]
fn rules_check_validates() {
    let out = run(&["rules", "check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok: 14 themes"));
    let out = run(&["rules", "check", "--rules", "fixtures/labels.tsv"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A pattern with a literal space misses text wrapped at that space:
/// `rules check` warns of it, naming the file, line and rule, without
/// failing; the default rules have none.
#[test]
fn rules_check_warns_of_spaces_a_line_break_would_not_match() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(
        dir.path(),
        "w.yaml",
        "themes:\n  - id: widgets\n    title: Widgets\n    rules:\n      - id: w\n        patterns: ['\\bwidget tax\\b']\n",
    );
    let rules = rules.to_str().unwrap();
    let out = run(&["rules", "check", rules]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("w.yaml:5:9: warning: in `w`: pattern 1 has a space"),
        "{err}"
    );
    // What it warns of: the wrapped phrase is not found.
    let doc = write(dir.path(), "doc.txt", "A widget\ntax is proposed.\n");
    let out = run(&[
        "scan",
        "--no-config",
        "--format",
        "json",
        "--rules",
        rules,
        doc.to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["documents"][0]["themes"][0]["hits"], 0, "{report}");
    let out = run(&["rules", "check"]);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `rules check FILE` checks that file as `rules check --rules FILE` does,
/// naming the file and line of each error, and so do `keywords` and `list`.
#[test]
fn rule_commands_take_ruleset_paths_as_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "themes:\n  - id: widgets\n    title: Widgets\n    rules:\n      - id: w\n        patterns: [\"(unclosed\"]\n",
    )
    .unwrap();
    let out = run(&["rules", "check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.yaml:6:") && err.contains("in `w`"),
        "{err}"
    );

    let good = dir.path().join("good.yaml");
    std::fs::write(
        &good,
        "themes:\n  - id: widgets\n    title: Widgets\n    rules:\n      - id: w\n        keywords: [widget tax, gadget levy]\n",
    )
    .unwrap();
    let good = good.to_str().unwrap();
    let out = run(&["rules", "check", good]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ok: 1 theme, 1 rule, 0 cues, 2 keywords")
    );
    for command in ["keywords", "list"] {
        let by_path = run(&["rules", command, good]);
        let by_option = run(&["rules", command, "--rules", good]);
        assert_eq!(by_path.status.code(), Some(0));
        assert_eq!(by_path.stdout, by_option.stdout, "rules {command}");
        assert_ne!(
            by_path.stdout,
            run(&["rules", command]).stdout,
            "rules {command}"
        );
    }
}

/// The sample in the README is real output of the command it shows.
#[test]
fn readme_sample_is_real_output() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme.find("$ policyscan ").expect("README has a sample");
    let block = &readme[start..];
    let block = &block[..block.find("```").unwrap()];
    let (command, expected) = block.split_once('\n').unwrap();
    let args: Vec<&str> = command
        .trim_start_matches("$ policyscan ")
        .split_whitespace()
        .collect();
    let out = run(&args);
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}

/// The JSON example in docs/output.md is a valid report of the current
/// contract (decoded with `deny_unknown_fields`).
#[test]
fn output_doc_example_matches_the_contract() {
    let doc = std::fs::read_to_string("docs/output.md").unwrap();
    let start = doc.find("```json\n").unwrap() + "```json\n".len();
    let json = &doc[start..start + doc[start..].find("```").unwrap()];
    let report: RunReport = serde_json::from_str(json).unwrap();
    assert_eq!(report.schema_version, policyscan::report::SCHEMA_VERSION);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.documents[0].themes.len(), 14);
}

/// `--rules DIR` loads every .yaml/.yml/.json file below it, in name
/// order; other files are ignored.
#[test]
fn rules_folder_loads_yaml_and_json_together() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "rules/a-themes.yaml",
        b"themes:\n  - id: widgets\n    threshold: 1\n",
    );
    write(
        dir.path(),
        "rules/nested/b-rules.json",
        br#"{"rules": [{"id": "w", "theme": "widgets", "keywords": ["widget"]}]}"#,
    );
    write(
        dir.path(),
        "rules/c-cues.yml",
        b"cues:\n  - {id: c, stance: hybrid, keywords: [balanced approach], weight: 5}\n",
    );
    write(dir.path(), "rules/README.md", b"not a ruleset");
    write(dir.path(), "doc.txt", b"A balanced approach to the widget.");
    let out = run_in(
        dir.path(),
        &["scan", "-f", "json", "--rules", "rules", "doc.txt"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, None));
    let report = parse(&out);
    let sources: Vec<&str> = report.rulesets.iter().map(|r| r.source.as_str()).collect();
    assert_eq!(
        sources,
        [
            "rules/a-themes.yaml",
            "rules/c-cues.yml",
            "rules/nested/b-rules.json"
        ]
    );
    let doc = &report.documents[0];
    assert!(doc.themes[0].present);
    assert_eq!(doc.stance.label, policyscan::Stance::Hybrid);
}

// ---- rule author tools ----

#[test]
fn test_command_passes_on_the_default_rules_and_annotated_fixtures() {
    let out = run(&["test", "tests/annotated"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("2 annotated documents (1 without annotations skipped)"),
        "{stdout}"
    );
    assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{stdout}");
}

#[test]
fn test_command_reports_failures_with_file_line_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "rules.yaml",
        b"themes:\n  - id: t\n    rules:\n      - id: r\n        keywords: [widget]\n        examples: [a widget, a gadget]\n      - id: quiet\n        keywords: [gizmo]\n",
    );
    write(
        dir.path(),
        "docs/case.md",
        b"<!-- expect-theme: t -->\n<!-- expect-stance: hybrid -->\nNothing relevant.\n",
    );
    let out = run_in(dir.path(), &["test", "rules.yaml", "docs"]);
    insta::assert_snapshot!(render(&out, Some(dir.path())));
}

#[test]
fn eval_reports_metrics_on_the_fixtures() {
    let out = run(&["eval", "--labels", "fixtures/labels.tsv"]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(render(&out, None));
    let json = run(&[
        "eval",
        "--labels",
        "fixtures/labels.tsv",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["documents"], 13);
    assert_eq!(value["stance"]["accuracy"], 1.0);
}

#[test]
fn eval_reports_documents_missing_on_either_side() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "labels.tsv",
        b"path\tstance\tthemes\nhere.txt\tneutral\t\ngone.txt\tneutral\t\n",
    );
    write(dir.path(), "here.txt", b"Plain notes.");
    write(dir.path(), "extra.txt", b"Other notes.");
    let out = run_in(
        dir.path(),
        &["eval", "--labels", "labels.tsv", "here.txt", "extra.txt"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("labelled but not scanned\n  gone.txt"),
        "{stdout}"
    );
    assert!(
        stdout.contains("scanned but not labelled\n  extra.txt"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(0));
    // Without paths, the labelled files are read: one that is missing is
    // named on stderr and fails the run, as in a scan.
    let out = run_in(dir.path(), &["eval", "--labels", "labels.tsv"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("gone.txt: No such file or directory"),
        "{stderr}"
    );
    // A misspelt theme is an error naming the file and line, not a theme
    // the rules always miss.
    write(
        dir.path(),
        "typo.tsv",
        b"here.txt\tneutral\t\nextra.txt\tneutral\tlicencing\n",
    );
    let out = run_in(dir.path(), &["eval", "--labels", "typo.tsv"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "invalid labels file typo.tsv: line 2: unknown theme `licencing` (did you mean `licensing`?)"
        ),
        "{stderr}"
    );
}

#[test]
fn explain_shows_discounted_cues_and_theme_contributions() {
    let out = run(&["explain", "fixtures/concession-then-rebuttal.txt"]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(render(&out, None));
}

/// `explain` says when a document is read as a press release, whose
/// quotations count in full, and not otherwise.
#[test]
fn explain_says_when_quotations_are_the_documents_own_voice() {
    let line = "read as a press release";
    let out = run(&["explain", "fixtures/press-release-sme-coalition.md"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(line), "{text}");
    assert!(
        !text.contains("[attributed]") && !text.contains("attributed:"),
        "{text}"
    );
    let out = run(&["explain", "fixtures/concession-then-rebuttal.txt"]);
    assert!(!String::from_utf8(out.stdout).unwrap().contains(line));
}

/// `explain`, the text report and the JSON report say when a document is
/// read as a transcript, whose speakers' cues are all reported speech, and
/// not otherwise.
#[test]
fn explain_and_reports_say_when_a_document_is_a_transcript() {
    let line = "read as a transcript";
    let dir = tempfile::tempdir().unwrap();
    let turns = [
        "MODERATOR: Our first speaker, please.",
        "GRACE ODUYA: Restricting open models would be a mistake; it would stifle startups.",
        "MODERATOR: Thank you. Next speaker.",
        "KAREN WOLFE: Publishing frontier weights is reckless, because a release cannot be recalled.",
        "MODERATOR: Thank you. Last speaker.",
        "ARJUN MEHTA: Proportionate documentation rules, please.",
        "MODERATOR: That concludes the session.",
    ];
    write(dir.path(), "session.txt", turns.join("\n\n").as_bytes());
    let out = run_in(dir.path(), &["explain", "session.txt"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(line), "{text}");
    assert!(text.contains("stance: neutral"), "{text}");
    assert!(text.contains("attributed"), "{text}");
    let out = run_in(dir.path(), &["scan", "session.txt"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("session.txt (text, 52 words, transcript)\n"),
        "{text}"
    );
    let out = run_in(dir.path(), &["scan", "--format", "json", "session.txt"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["documents"][0]["transcript"], true, "{json}");
    let out = run(&["explain", "fixtures/news-even-handed.md"]);
    assert!(!String::from_utf8(out.stdout).unwrap().contains(line));
    let out = run(&["scan", "fixtures/news-even-handed.md"]);
    assert!(
        !String::from_utf8(out.stdout)
            .unwrap()
            .contains("transcript")
    );
    let out = run(&["scan", "--format", "json", "fixtures/news-even-handed.md"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let doc = json["documents"][0].as_object().unwrap();
    assert!(!doc.contains_key("transcript"), "{doc:?}");
}

/// A scan that finds nothing to read says so on stderr (exit 0), unless
/// --quiet: an empty report is more often a wrong path than a clean one.
#[test]
fn a_scan_that_finds_no_documents_warns() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "data.json", b"{}");
    let out = run_in(dir.path(), &["scan", "."]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: no documents found"), "{stderr}");
    let out = run_in(dir.path(), &["scan", "-q", "."]);
    assert!(out.stderr.is_empty());
    // A document that was found but skipped has its own notice.
    write(dir.path(), "big.md", "word ".repeat(100).as_bytes());
    let out = run_in(dir.path(), &["scan", "--max-filesize", "10", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("skipped big.md") && !stderr.contains("no documents"),
        "{stderr}"
    );
    write(dir.path(), "note.md", b"Plain notes.");
    let out = run_in(dir.path(), &["scan", "."]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("no documents"));
}

#[test]
fn rules_show_describes_a_theme_a_rule_and_a_cue() {
    let show = |id: &str| {
        let out = run(&["rules", "show", id]);
        assert_eq!(out.status.code(), Some(0), "{id}");
        String::from_utf8(out.stdout).unwrap()
    };
    let theme = show("safe-harbor");
    assert!(
        theme.starts_with("theme safe-harbor: Safe harbor\n"),
        "{theme}"
    );
    assert!(
        theme.contains("scores ≥ 2 with ≥ 1 distinct rule\n"),
        "{theme}"
    );
    // A rule without a description ends at its weight.
    assert!(
        theme.contains("\n    safe-harbor-terms (weight 1)\n"),
        "{theme}"
    );
    assert!(theme.lines().all(|l| l == l.trim_end()), "{theme:?}");
    assert!(theme.contains("checks that use it: liability-without-research-safe-harbor"));
    let cue = show("po-stifle");
    assert!(cue.starts_with("cue po-stifle → pro-open\n"), "{cue}");
    assert!(
        cue.contains("  defined at <default>/rules/default.yaml:"),
        "{cue}"
    );
    assert!(cue.contains("examples (must match):"), "{cue}");
    let out = run(&["rules", "show", "safe-harbour"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("(did you mean `safe-harbor`?)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
