//! The bad-input suite (issue 6): every bad document or ruleset gets a
//! clear answer naming the file, nothing panics, nothing is lost, and
//! machine output stays valid. docs/robustness.md maps each case to its
//! test here (or in tests/it/cli.rs and tests/it/streaming.rs).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::support::{policyscan, run_in, write};
use policyscan::report::RunReport;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// No panic: not the panic exit code, no panic message.
fn assert_no_panic(out: &Output) {
    assert_ne!(out.status.code(), Some(101), "{}", stderr(out));
    assert!(out.status.code().is_some(), "killed by a signal: {out:?}");
    assert!(!stderr(out).contains("panicked"), "{}", stderr(out));
}

/// No panic, and stdout is one valid JSON report.
fn json_report(out: &Output) -> RunReport {
    assert_no_panic(out);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not a JSON report ({e}):\n{}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            stderr(out)
        )
    })
}

/// Where a path ended up in a report.
#[derive(Debug, PartialEq)]
enum Fate {
    Document,
    Skipped(String),
    Error(String),
    Missing,
}

fn fate(report: &RunReport, path: &str) -> Fate {
    if report.documents.iter().any(|d| d.path == path) {
        Fate::Document
    } else if let Some(s) = report.skipped.iter().find(|s| s.path == path) {
        Fate::Skipped(s.reason.clone())
    } else if let Some(e) = report.errors.iter().find(|e| e.path == path) {
        Fate::Error(e.message.clone())
    } else {
        Fate::Missing
    }
}

/// A document every case scans beside the bad input, to show the bad
/// input does not hide other reports.
const GOOD: &[u8] = b"We oppose any licensing regime for open-weight models. Publishing \
weights lets independent researchers audit them, and open-source AI must stay free to share.\n";

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        let pair = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        bytes.extend_from_slice(&pair);
    }
    bytes
}

// ---- documents ----

/// Each kind of awkward document, scanned beside a good one: where it ends
/// up, and the good document is always reported.
#[test]
fn awkward_documents_each_get_an_answer_and_hide_nothing() {
    let text = "Open-source AI needs open weights, and we oppose licensing.\n";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.txt", vec![], "document"),
        ("whitespace.txt", b" \t\n\r\n   \n".to_vec(), "document"),
        (
            "invalid-utf8.txt",
            b"Open weights \xff\xfe\xc3 matter.\n".to_vec(),
            "document",
        ),
        (
            "bom.txt",
            [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            "document",
        ),
        ("utf16le.txt", utf16(text, false), "document"),
        ("utf16be.txt", utf16(text, true), "document"),
        ("bom-only.txt", b"\xEF\xBB\xBF".to_vec(), "document"),
        (
            "odd-utf16.txt",
            [utf16(text, false).as_slice(), b"\x41"].concat(),
            "document",
        ),
        (
            "nul.txt",
            b"Open weights\x00 and \x00 NUL bytes\n".to_vec(),
            "skipped",
        ),
        (
            "binary.md",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01".to_vec(),
            "skipped",
        ),
        (
            "crlf.txt",
            text.replace('\n', "\r\n").into_bytes(),
            "document",
        ),
        ("cr.txt", text.replace('\n', "\r").into_bytes(), "document"),
        (
            "control.txt",
            b"\x1b[31mOpen weights\x1b[0m \x0b\x0c\x7f\n".to_vec(),
            "document",
        ),
        (
            "long-word.txt",
            "x".repeat(1 << 20).into_bytes(),
            "document",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.txt", GOOD);
    for (name, bytes, _) in &cases {
        write(dir.path(), name, bytes);
    }
    for format in ["json", "jsonl", "sarif", "text"] {
        let out = run_in(dir.path(), &["scan", "--format", format, "."]);
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
    }
    let report = json_report(&run_in(dir.path(), &["scan", "--format", "json", "."]));
    assert_eq!(fate(&report, "good.txt"), Fate::Document);
    let good = report.documents.iter().find(|d| d.path == "good.txt");
    assert_eq!(good.unwrap().stance.label.as_str(), "pro-open");
    for (name, _, expected) in &cases {
        let got = match fate(&report, name) {
            Fate::Document => "document",
            Fate::Skipped(reason) => {
                assert_eq!(reason, "binary", "{name}");
                "skipped"
            }
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(got, *expected, "{name}");
    }
    // The same words in every encoding and line ending get the same call.
    let stance_of = |name: &str| {
        let doc = report.documents.iter().find(|d| d.path == name).unwrap();
        (
            doc.stance.label,
            doc.themes.iter().filter(|t| t.present).count(),
        )
    };
    for name in ["utf16le.txt", "utf16be.txt", "crlf.txt", "cr.txt"] {
        assert_eq!(stance_of(name), stance_of("bom.txt"), "{name}");
    }
    assert_eq!(report.summary.documents + report.summary.skipped, 15);
}

/// A 100 MB document on one line: scanned, with the match near its end
/// at the right column.
#[test]
fn a_100_mb_single_line_is_scanned_with_the_right_column() {
    let dir = tempfile::tempdir().unwrap();
    let filler = "the committee discussed budgets and timetables at length ";
    let mut text = filler.repeat(100_000_000 / filler.len());
    let column = text.chars().count() + 1;
    text.push_str("then required licences for open weights models.");
    write(dir.path(), "one-line.txt", text.as_bytes());
    drop(text);
    let out = run_in(
        dir.path(),
        &["scan", "--format", "json", "--max-evidence", "50", "."],
    );
    let report = json_report(&out);
    let doc = &report.documents[0];
    assert_eq!(doc.lines, 1);
    let evidence: Vec<_> = doc
        .themes
        .iter()
        .flat_map(|t| &t.evidence)
        .filter(|e| e.text.eq_ignore_ascii_case("licences"))
        .collect();
    assert!(!evidence.is_empty(), "{:?}", doc.themes);
    let licences = column + "then required ".len();
    assert!(evidence.iter().all(|e| e.line == 1 && e.column == licences));
}

/// A file too large for the memory the process may take is an error
/// entry naming both figures, and the run goes on: before, the allocation
/// failed and Rust aborted the process (exit 134 under `ulimit -v`; a
/// cgroup's OOM killer ends it the same way), losing every report. The
/// limit, 1,100,000 KB of address space (about 1 GB of which the
/// allocator reserves at start), leaves room for the small documents and
/// not for a 300 MB one, which aborted the binary of e3b2897.
#[cfg(target_os = "linux")]
#[test]
fn a_file_too_large_for_the_memory_left_is_an_error_and_the_run_goes_on() {
    use nix::sys::resource::{Resource, setrlimit};
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let line = "the committee discussed budgets and timetables at length\n";
    write(
        dir.path(),
        "huge.txt",
        line.repeat(300_000_000 / line.len()),
    );
    write(
        dir.path(),
        "op-ed.txt",
        "Open weights let researchers audit models, and licensing \
         requirements would entrench incumbents.\n",
    );
    let mut cmd = policyscan();
    cmd.current_dir(dir.path())
        .args(["scan", "--format", "json", "-j2", "."]);
    let limit = 1_100_000 * 1024;
    // SAFETY: setrlimit is async-signal-safe and touches no state of the
    // parent that the fork copied.
    unsafe {
        cmd.pre_exec(move || {
            setrlimit(Resource::RLIMIT_AS, limit, limit).map_err(std::io::Error::from)
        });
    }
    let out = cmd.output().unwrap();
    let report = json_report(&out);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(fate(&report, "op-ed.txt"), Fate::Document);
    let Fate::Error(message) = fate(&report, "huge.txt") else {
        panic!("{:?}", fate(&report, "huge.txt"));
    };
    let size = (300_000_000 / line.len() * line.len()) as f64;
    let mb = |bytes: f64| format!("{:.1} MB", bytes / f64::from(1 << 20));
    let expected = format!(
        "not scanned: a file of {} takes about {} of memory to scan",
        mb(size),
        mb(size * 3.5)
    );
    assert!(
        message.starts_with(&expected)
            && message.contains("is free under `ulimit -v`")
            && message.contains("--max-filesize"),
        "{message}"
    );
    assert!(
        stderr(&out).contains("huge.txt: not scanned"),
        "{}",
        stderr(&out)
    );
}

/// Folders nested 300 deep are walked to the bottom.
#[test]
fn deeply_nested_folders_are_walked() {
    let dir = tempfile::tempdir().unwrap();
    let deep: PathBuf = std::iter::repeat_n("d", 300).collect();
    write(dir.path(), deep.join("bottom.md"), GOOD);
    write(dir.path(), "top.md", GOOD);
    let report = json_report(&run_in(dir.path(), &["scan", "--format", "json", "."]));
    let bottom = deep.join("bottom.md").to_string_lossy().into_owned();
    assert_eq!(fate(&report, &bottom), Fate::Document);
    assert_eq!(fate(&report, "top.md"), Fate::Document);
}

/// Links inside folders are listed as skipped unless `--follow`; with it,
/// a loop and a dangling link are errors that name the link, and the
/// linked file is scanned. A link named on the command line is resolved.
#[test]
fn symlink_loops_and_dangling_links_are_reported() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "docs/good.txt", GOOD);
    symlink(".", root.join("docs/loop")).unwrap();
    symlink("nowhere.txt", root.join("docs/dangling.txt")).unwrap();
    symlink("good.txt", root.join("docs/alias.txt")).unwrap();
    symlink("docs/good.txt", root.join("named.txt")).unwrap();

    let out = run_in(root, &["scan", "--format", "json", "docs", "named.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json_report(&out);
    for link in ["docs/loop", "docs/dangling.txt", "docs/alias.txt"] {
        assert_eq!(fate(&report, link), Fate::Skipped("symlink".into()));
    }
    assert_eq!(fate(&report, "docs/good.txt"), Fate::Document);
    assert_eq!(fate(&report, "named.txt"), Fate::Document);
    assert!(
        stderr(&out).contains("skipped docs/loop: symbolic link not followed (use --follow)"),
        "{}",
        stderr(&out)
    );

    let out = run_in(root, &["scan", "--follow", "--format", "json", "docs"]);
    assert_eq!(out.status.code(), Some(2), "input errors exit 2");
    let report = json_report(&out);
    assert_eq!(fate(&report, "docs/alias.txt"), Fate::Document);
    assert_eq!(fate(&report, "docs/good.txt"), Fate::Document);
    assert_eq!(
        fate(&report, "docs/loop"),
        Fate::Error("symbolic link loop (points back to docs)".into())
    );
    assert_eq!(
        fate(&report, "docs/dangling.txt"),
        Fate::Error("dangling symbolic link (points to nowhere.txt, which does not exist)".into())
    );
    let err = stderr(&out);
    assert!(
        err.contains("policyscan: docs/loop: symbolic link loop"),
        "{err}"
    );
}

/// Runs policyscan as an unprivileged user when the tests run as root
/// (root reads any file, so permissions would not bite), from a copy of
/// the binary that user can execute.
fn unprivileged(dir: &Path) -> Command {
    let uid = Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return policyscan();
    }
    let copy = dir.join("policyscan-copy");
    std::fs::copy(env!("CARGO_BIN_EXE_policyscan"), &copy).unwrap();
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(copy);
    cmd
}

#[test]
fn unreadable_files_and_folders_are_errors_and_the_rest_is_scanned() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    write(root, "docs/good.txt", GOOD);
    let file = write(root, "docs/secret.txt", GOOD);
    let folder = write(root, "docs/locked/inside.txt", GOOD);
    let folder = folder.parent().unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o000)).unwrap();

    let out = unprivileged(root)
        .current_dir(root)
        .args(["scan", "--format", "json", "docs"])
        .output()
        .unwrap();
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let report = json_report(&out);
    assert_eq!(fate(&report, "docs/good.txt"), Fate::Document);
    for path in ["docs/secret.txt", "docs/locked"] {
        assert_eq!(
            fate(&report, path),
            Fate::Error("Permission denied (os error 13)".into()),
            "{path}"
        );
        let line = format!("policyscan: {path}: Permission denied");
        assert!(stderr(&out).contains(&line), "{}", stderr(&out));
    }
}

#[test]
fn file_names_that_are_not_utf8_are_scanned_with_a_warning() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    write(dir.path(), name, GOOD);
    write(dir.path(), "good.txt", GOOD);
    let out = run_in(dir.path(), &["scan", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(0));
    let report = json_report(&out);
    assert_eq!(fate(&report, "caf\u{FFFD}.txt"), Fate::Document);
    assert_eq!(fate(&report, "good.txt"), Fate::Document);
    let doc = &report.documents[0];
    assert_eq!(
        doc.stance.label.as_str(),
        "pro-open",
        "the content was read"
    );
    assert!(doc.warnings[0].contains("not valid UTF-8"), "{doc:?}");
}

/// A file that disappears between the walk and the read is an error
/// naming it; the other documents are reported. (Driven through the
/// library, which is what the CLI runs, so the timing is deterministic.)
#[test]
fn a_file_deleted_during_the_scan_is_an_error_entry() {
    use policyscan::classify::ClassifyOptions;
    use policyscan::pipeline;
    use policyscan::rules::{self, RuleSource};
    use policyscan::walk::{self, WalkOptions};

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", GOOD);
    let doomed = write(dir.path(), "b.txt", GOOD);
    write(dir.path(), "c.txt", GOOD);
    let walked = walk::walk(&[dir.path().to_path_buf()], &WalkOptions::default()).unwrap();
    assert_eq!(walked.inputs.len(), 3);
    std::fs::remove_file(&doomed).unwrap();

    let rules = rules::load(&[RuleSource::Default]).unwrap();
    let outcomes = pipeline::scan_inputs(&rules, &walked.inputs, &ClassifyOptions::default());
    let report = pipeline::assemble(&rules, outcomes, walked.skipped, walked.errors);
    let name = |f: &str| dir.path().join(f).to_string_lossy().into_owned();
    assert_eq!(fate(&report, &name("a.txt")), Fate::Document);
    assert_eq!(fate(&report, &name("c.txt")), Fate::Document);
    assert_eq!(
        fate(&report, &name("b.txt")),
        Fate::Error("No such file or directory (os error 2)".into())
    );
    assert_eq!(report.summary.errors, 1);
}

/// 100,000 small files in 100 folders: every one reported once, memory
/// does not matter here (the benchmark measures it), order is by path.
#[test]
fn a_hundred_thousand_tiny_files_are_all_reported() {
    let dir = tempfile::tempdir().unwrap();
    for folder in 0..100 {
        let sub = dir.path().join(format!("{folder:03}"));
        std::fs::create_dir(&sub).unwrap();
        for file in 0..1000 {
            let n = folder * 1000 + file;
            let text = if n % 2 == 0 { "Open weights.\n" } else { "" };
            std::fs::write(sub.join(format!("{n:06}.txt")), text).unwrap();
        }
    }
    let out = run_in(dir.path(), &["scan", "--format", "jsonl", "."]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut paths = Vec::new();
    let mut summary = None;
    for line in stdout.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        match value["type"].as_str() {
            Some("document") => paths.push(value["data"]["path"].as_str().unwrap().to_string()),
            Some("summary") => summary = Some(value["data"].clone()),
            _ => {}
        }
    }
    assert_eq!(paths.len(), 100_000);
    let expected: Vec<String> = (0..100_000)
        .map(|n| format!("{:03}/{n:06}.txt", n / 1000))
        .collect();
    assert_eq!(paths, expected);
    assert_eq!(summary.unwrap()["documents"], 100_000);
}

// ---- rulesets ----

/// Loading a ruleset: exit 2, no panic, nothing on stdout, and the time
/// it took.
fn rules_fail(dir: &Path, name: &str) -> (String, Duration) {
    let started = Instant::now();
    // Bound the address space so a parser that expanded an alias bomb
    // would fail here instead of exhausting the machine.
    let out = Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg(r#"ulimit -v 2000000 && exec "$0" rules check --rules "$1""#)
        .arg(env!("CARGO_BIN_EXE_policyscan"))
        .arg(name)
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    (stderr(&out), elapsed)
}

#[test]
fn alias_bombs_and_deep_nesting_are_rejected_quickly() {
    let dir = tempfile::tempdir().unwrap();
    // The classic: nine levels of nine-fold aliases, 9^9 strings if
    // expanded, inside fields that accept lists of lists.
    let mut bomb = String::from("cues:\n");
    bomb.push_str("  - id: c0\n    stance: pro-open\n    all-of: [&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]]\n");
    for level in 1..10 {
        let refs = vec![format!("*a{}", level - 1); 9].join(", ");
        bomb.push_str(&format!(
            "  - id: c{level}\n    stance: pro-open\n    all-of: &a{level} [{refs}]\n"
        ));
    }
    write(dir.path(), "bomb.yaml", bomb.as_bytes());
    // Aliases used where they are type-correct, 60,000 times.
    let mut wide = String::from(
        "cues:\n  - id: c0\n    stance: pro-open\n    all-of: [&t [a, b, c, d, e, f, g, h, i, j]]\n  - id: c1\n    stance: pro-open\n    all-of: [",
    );
    wide.push_str(&vec!["*t"; 60_000].join(","));
    wide.push_str("]\n");
    write(dir.path(), "wide.yaml", wide.as_bytes());
    let depth = 100_000;
    let nested = format!("themes: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    write(dir.path(), "deep.yaml", nested.as_bytes());
    let nested = format!(
        "{{\"themes\": {}{}}}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    write(dir.path(), "deep.json", nested.as_bytes());
    let block: String = (0..5000)
        .map(|i| format!("{}- \n", "  ".repeat(i)))
        .collect();
    write(
        dir.path(),
        "deep-block.yaml",
        format!("themes:\n{block}").as_bytes(),
    );

    for (name, expect) in [
        ("bomb.yaml", "bomb.yaml:10:"),
        (
            "wide.yaml",
            "YAML safety limit (more than 250,000 YAML nodes)",
        ),
        ("deep.yaml", "deep.yaml:1:"),
        ("deep.json", "deep.json:1:"),
        ("deep-block.yaml", "deep-block.yaml:"),
    ] {
        let (err, elapsed) = rules_fail(dir.path(), name);
        assert!(err.contains(expect), "{name}: {err}");
        assert!(err.starts_with(&format!("policyscan: {name}:")), "{err}");
        assert!(elapsed < Duration::from_secs(20), "{name} took {elapsed:?}");
    }
}

#[test]
fn a_ruleset_that_is_not_utf8_names_the_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "latin1.yaml",
        b"themes:\n  - id: t\n    title: caf\xe9\n",
    );
    let (err, _) = rules_fail(dir.path(), "latin1.yaml");
    assert_eq!(
        err,
        "policyscan: latin1.yaml:3:15: ruleset is not valid UTF-8\n"
    );
}

#[test]
fn malformed_json_names_the_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "broken.json",
        b"{\n  \"themes\": [\n    {\"id\": \"t\",}\n  ]\n}\n",
    );
    let (err, _) = rules_fail(dir.path(), "broken.json");
    assert!(err.starts_with("policyscan: broken.json:3:"), "{err}");
    assert!(err.contains("trailing comma"), "{err}");
}

/// A ruleset of 100,000 keywords loads and finds its first and last
/// keyword.
#[test]
fn a_hundred_thousand_keywords_load_and_match() {
    let dir = tempfile::tempdir().unwrap();
    // Distinct letter-only words from the numbers 0..100,000.
    let word = |n: u32| -> String {
        let mut n = n;
        let mut w = String::from("kw");
        loop {
            w.push(char::from(b'a' + (n % 26) as u8));
            n /= 26;
            if n == 0 {
                break w;
            }
        }
    };
    let mut rules = String::from(
        "themes:\n  - id: big\n    title: Big\n    threshold: 1\n    rules:\n      - id: many\n        keywords:\n",
    );
    for n in 0..100_000 {
        rules.push_str(&format!("          - {}\n", word(n)));
    }
    write(dir.path(), "big.yaml", rules.as_bytes());
    let doc = format!(
        "One sentence names {} and {}; another names kwzzzzzzz.\n",
        word(0),
        word(99_999)
    );
    write(dir.path(), "doc.txt", doc.as_bytes());
    let out = run_in(
        dir.path(),
        &["scan", "--rules", "big.yaml", "--format", "json", "doc.txt"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json_report(&out);
    let theme = &report.documents[0].themes[0];
    let found: Vec<&str> = theme.evidence.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(found, [word(0), word(99_999)]);
}

/// A run that stops before scanning (invalid rules, a bad glob) still
/// writes valid machine output, to stdout and to every `--output`, with
/// the problem among its errors.
#[test]
fn a_fatal_error_still_writes_valid_machine_output() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.txt", GOOD);
    write(
        dir.path(),
        "bad.yaml",
        b"themes:\n  - id: t\n    rules:\n      - id: r\n        patterns: ['(x']\n",
    );
    let out = run_in(
        dir.path(),
        &[
            "scan",
            "--rules",
            "bad.yaml",
            "--format",
            "jsonl",
            "-o",
            "sarif:out.sarif",
            "-o",
            "json:out.json",
            "-o",
            "out.csv",
            "-o",
            "out.xml",
            "-o",
            "gitlab:codequality.json",
            "good.txt",
        ],
    );
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.yaml:5:21: in `r`: invalid regex"));
    let records: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0]["type"], "error");
    assert_eq!(records[0]["data"]["path"], "bad.yaml");
    assert_eq!(records[1]["type"], "summary");
    let json: RunReport =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.json")).unwrap()).unwrap();
    assert_eq!(json.errors[0].path, "bad.yaml");
    assert!(
        json.errors[0].message.starts_with("5:21: in `r`"),
        "{json:?}"
    );
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.sarif")).unwrap()).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let table = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    let rows: Vec<&str> = table.lines().collect();
    assert_eq!(rows.len(), 2, "{table}");
    assert!(rows[0].starts_with("path,status,"), "{table}");
    assert!(
        rows[1].starts_with("bad.yaml,error,") && rows[1].contains(",5:21: in `r`"),
        "{table}"
    );
    let junit = std::fs::read_to_string(dir.path().join("out.xml")).unwrap();
    assert!(
        junit.contains("<testsuites name=\"policyscan\" tests=\"1\" failures=\"0\" errors=\"1\"")
            && junit.contains("<testsuite name=\"bad.yaml\"")
            && junit.contains("<error message=\"5:21: in `r`"),
        "{junit}"
    );
    let issues: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.path().join("codequality.json")).unwrap())
            .unwrap();
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0]["check_name"], "policyscan/input-error");
    assert_eq!(issues[0]["location"]["path"], "bad.yaml");

    let out = run_in(dir.path(), &["scan", "-g", "a[", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(2));
    let report = json_report(&out);
    assert_eq!(report.errors[0].path, "<command line>");
    assert!(report.errors[0].message.contains("invalid glob `a[`"));
}

/// Killing a run midway leaves the previous `--output` report intact: the
/// new one is written to a temporary file and renamed only when complete.
/// Starts a run writing `out.json` (over an older report) from 3,000
/// documents and returns once the new report is being written: the run,
/// the old report's bytes and the temporary file.
fn run_caught_writing(root: &Path) -> (std::process::Child, &'static [u8], PathBuf) {
    let body = GOOD.repeat(20);
    for n in 0..3000 {
        write(root, format!("docs/{n:05}.txt"), &body);
    }
    let old: &[u8] = b"{\"previous\": \"report\"}\n";
    write(root, "out.json", old);
    let mut child = policyscan()
        .current_dir(root)
        .args([
            "scan",
            "-j1",
            "--format",
            "text",
            "-o",
            "json:out.json",
            "docs",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        let writing = std::fs::read_dir(root).unwrap().find_map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            let started_writing = entry.metadata().is_ok_and(|m| m.len() > 0);
            (name.starts_with(".out.json.") && started_writing).then(|| entry.path())
        });
        if let Some(temp) = writing {
            return (child, old, temp);
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended too soon"
        );
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn an_interrupted_run_never_leaves_half_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, old, temp) = run_caught_writing(dir.path());
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(std::fs::read(dir.path().join("out.json")).unwrap(), old);
    assert!(
        temp.exists(),
        "only the temporary file holds the partial report"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_and_sigterm_remove_the_temporary_report_and_exit_130() {
    for signal in ["INT", "TERM"] {
        let dir = tempfile::tempdir().unwrap();
        let (mut child, old, temp) = run_caught_writing(dir.path());
        let sent = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "SIG{signal}");
        assert_eq!(std::fs::read(dir.path().join("out.json")).unwrap(), old);
        assert!(!temp.exists(), "SIG{signal} left {}", temp.display());
    }
}

/// Found by the `scan` fuzzer on 2026-12-01: blanking a Markdown code
/// block that holds multibyte characters shortens the text, and the next
/// block was then blanked at its old offsets: a panic (an "internal error"
/// entry instead of a report) or the wrong bytes blanked. The same went for
/// suppression comments. Evidence after both must keep its line and column.
#[test]
fn markdown_blocks_and_directives_after_multibyte_ones_are_blanked_in_place() {
    let dir = tempfile::tempdir().unwrap();
    // Blanked at their old offsets, the block and the directive after the
    // multibyte ones would also blank the first letters of lines 8 and 11.
    let text = "    Menü · Startseite · Datenschutz\n\nPrologue.\n\n```\nopen weights\n```\nLicensing of model developers must be mandatory.\n<!-- policyscan-ignore: none -- Begründung für alles -->\n<!-- policyscan-ignore: none -- noch eine -->\nLicensing regimes entrench incumbents.\n";
    write(dir.path(), "doc.md", text);
    let out = run_in(
        dir.path(),
        &["scan", "--format", "json", "--no-config", "doc.md"],
    );
    assert_no_panic(&out);
    let report = json_report(&out);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let doc = &report.documents[0];
    let evidence: Vec<_> = doc.themes.iter().flat_map(|t| &t.evidence).collect();
    let mut lines: Vec<usize> = evidence.iter().map(|e| e.line).collect();
    lines.sort_unstable();
    lines.dedup();
    assert_eq!(lines, [8, 11], "{evidence:?}");
    for e in evidence {
        let line = text.lines().nth(e.line - 1).unwrap();
        let at: String = line
            .chars()
            .skip(e.column - 1)
            .take(e.text.chars().count())
            .collect();
        assert_eq!(at.to_lowercase(), e.text.to_lowercase(), "{e:?}");
    }
}

/// The `rtf` fuzz target's first find (2026-12-06): in a UTF-8 RTF file, a
/// control that takes the first byte of a character (`\ˆ`, `\bin1`) left
/// the reader inside the character, and slicing there panicked (an
/// "internal error" entry). The rest of the character is now skipped.
#[test]
fn rtf_controls_that_split_a_character_leave_the_text_readable() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "draft.rtf",
        "{\\rtf1 Caf\u{e9} \\\u{2c6} notes.\\par Open weights need a safe harbor \\bin1 \u{e9}now.\\par}",
    );
    let out = run_in(
        dir.path(),
        &["scan", "--format", "json", "--no-config", "draft.rtf"],
    );
    assert_no_panic(&out);
    let report = json_report(&out);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let doc = &report.documents[0];
    assert_eq!(doc.lines, 2);
    assert!(
        doc.themes
            .iter()
            .any(|t| t.id == "safe-harbor" && t.present),
        "{:?}",
        doc.themes
    );
    let text = run_in(
        dir.path(),
        &["explain", "--no-config", "--text", "draft.rtf"],
    );
    assert_eq!(
        String::from_utf8(text.stdout).unwrap(),
        "Caf\u{e9}  notes.\nOpen weights need a safe harbor now.\n"
    );
}

/// Writes up to 16 MiB of NUL bytes, stopping when the reader goes away;
/// returns how many were written.
fn write_zeros(mut to: impl std::io::Write) -> usize {
    let chunk = [0u8; 64 * 1024];
    let mut written = 0;
    while written < 16 << 20 && to.write_all(&chunk).is_ok() {
        written += chunk.len();
    }
    written
}

/// Pipes and FIFOs named on the command line (`policyscan scan <(…)`) are
/// read as streams; one that starts with binary bytes is cut after the
/// first 8 KiB, so an endless source (`/dev/zero`) is skipped, not read
/// until memory runs out.
#[cfg(unix)]
#[test]
fn named_pipes_are_read_and_a_binary_stream_is_cut_short() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = |name: &str| {
        let path = dir.path().join(name);
        let made = Command::new("mkfifo").arg(&path).status().unwrap();
        assert!(made.success());
        path
    };
    let (text, zeros) = (fifo("text-pipe"), fifo("zero-pipe"));
    let text_writer = {
        let text = text.clone();
        std::thread::spawn(move || std::fs::write(text, GOOD).unwrap())
    };
    // Up to 16 MiB of NUL bytes, stopping when the reader goes away.
    let zero_writer = {
        let zeros = zeros.clone();
        std::thread::spawn(move || {
            write_zeros(std::fs::OpenOptions::new().write(true).open(zeros).unwrap())
        })
    };
    let out = policyscan()
        .current_dir(dir.path())
        .args(["scan", "--format", "json"])
        .args([&text, &zeros])
        .output()
        .unwrap();
    text_writer.join().unwrap();
    let written = zero_writer.join().unwrap();
    let report = json_report(&out);
    assert_eq!(fate(&report, text.to_str().unwrap()), Fate::Document);
    assert_eq!(
        fate(&report, zeros.to_str().unwrap()),
        Fate::Skipped("binary".into())
    );
    assert!(written < 1 << 20, "read {written} bytes of a binary stream");
}

/// Standard input is read the same way: `… | policyscan scan -` of an
/// endless binary source stops after its first 8 KiB.
#[test]
fn a_binary_stream_on_standard_input_is_cut_short() {
    use std::process::Stdio;
    let mut child = policyscan()
        .args(["scan", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || write_zeros(stdin));
    let out = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    let report = json_report(&out);
    assert_eq!(fate(&report, "<stdin>"), Fate::Skipped("binary".into()));
    assert!(written < 1 << 20, "read {written} bytes of a binary stream");
}
