//! Streaming output, `rules keywords` and `--stats`: the features behind
//! the performance work of issue 5, checked for behaviour (bench/run.sh
//! measures speed).

use crate::support::{policyscan, write};
use std::process::Output;

fn run(args: &[&str]) -> Output {
    policyscan().args(args).output().unwrap()
}

/// The binary writes every format document by document as the scan
/// delivers them (SARIF, Markdown and HTML through temporary spills); each
/// must be exactly what the library's whole-report writer makes of the
/// same report (read back from the JSON). A skipped
/// binary file, a repaired one and a missing one exercise the rest.
#[test]
fn streamed_output_is_what_the_whole_report_writers_write() {
    use policyscan::report::{self, RunReport, TextOptions};
    let tmp = tempfile::tempdir().unwrap();
    let extra = tmp.path().join("extra");
    write(&extra, "binary.txt", b"\x00\x01\x02 data");
    write(
        &extra,
        "latin1.txt",
        b"We oppose any licensing regime for open-weight models, caf\xe9.",
    );
    let extra = extra.to_str().unwrap();
    let missing = tmp.path().join("missing.md");
    let inputs = ["fixtures", "corpus/dev", extra, missing.to_str().unwrap()];
    let json = run(&[&["scan", "-f", "json"][..], &inputs].concat());
    assert_eq!(json.status.code(), Some(2), "the missing file is an error");
    let whole: RunReport = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(whole.errors.len(), 1);
    assert_eq!(whole.skipped.len(), 1);
    assert!(whole.documents.iter().any(|d| !d.warnings.is_empty()));
    assert!(whole.documents.iter().any(|d| !d.checks.is_empty()));
    let checks = policyscan::rules::load(&[policyscan::rules::RuleSource::Default])
        .unwrap()
        .checks()
        .to_vec();
    for format in [
        "json", "jsonl", "text", "sarif", "github", "markdown", "html",
    ] {
        let streamed = run(&[&["scan", "-f", format][..], &inputs].concat());
        assert_eq!(streamed.status.code(), Some(2), "{format}");
        let mut want = Vec::new();
        match format {
            "json" => report::write_json(&mut want, &whole),
            "jsonl" => report::write_jsonl(&mut want, &whole),
            "text" => report::write_text(&mut want, &whole, TextOptions { color: false }),
            "sarif" => report::write_sarif(&mut want, &whole, &checks),
            "github" => report::write_github(&mut want, &whole),
            "markdown" => report::write_markdown(&mut want, &whole),
            _ => report::write_html(&mut want, &whole),
        }
        .unwrap();
        assert!(
            streamed.stdout == want,
            "{format}: the streamed output differs from the whole-report writer's\n{}",
            String::from_utf8_lossy(&streamed.stderr)
        );
    }
}

#[test]
fn output_files_match_stdout_of_the_same_format() {
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path().join("out.json");
    let jsonl = tmp.path().join("out.jsonl");
    let out = run(&[
        "scan",
        "-o",
        &format!("json:{}", json.display()),
        "-o",
        &format!("jsonl:{}", jsonl.display()),
        "fixtures",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("13 documents"));
    assert_eq!(
        std::fs::read(&json).unwrap(),
        run(&["scan", "-f", "json", "fixtures"]).stdout
    );
    assert_eq!(
        std::fs::read(&jsonl).unwrap(),
        run(&["scan", "-f", "jsonl", "fixtures"]).stdout
    );
    // No temporary files are left behind.
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn documents_come_out_sorted_by_path_whatever_the_argument_order() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["b/2.md", "a/1.md", "c.txt", "a/0.txt"] {
        write(tmp.path(), name, "Open models should stay open.\n");
    }
    let root = tmp.path();
    let out = run(&[
        "scan",
        "-f",
        "json",
        root.join("c.txt").to_str().unwrap(),
        root.join("b").to_str().unwrap(),
        root.join("a").to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted);
    assert_eq!(paths.len(), 4);
}

#[test]
fn streaming_keeps_every_input_across_batches() {
    // More inputs than one batch (256), with unreadable and binary ones
    // among them: every input is reported, in order.
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..600 {
        write(
            tmp.path(),
            format!("d{i:04}.txt"),
            "Lawmakers should regulate use, not research.\n",
        );
    }
    std::fs::write(tmp.path().join("d0300.txt"), b"\x00\x01binary").unwrap();
    let out = run(&[
        "scan",
        "-f",
        "jsonl",
        "-j",
        "2",
        tmp.path().to_str().unwrap(),
    ]);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    let docs: Vec<&str> = lines
        .iter()
        .filter(|l| l["type"] == "document")
        .map(|l| l["data"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(docs.len(), 599);
    assert!(docs.windows(2).all(|w| w[0] < w[1]));
    let skipped = lines.iter().filter(|l| l["type"] == "skipped").count();
    assert_eq!(skipped, 1);
    let summary = lines.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["data"]["documents"], 599);
    assert_eq!(summary["data"]["skipped"], 1);
}

#[test]
fn rules_keywords_prints_each_folded_keyword_once() {
    let out = run(&["rules", "keywords"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 1000, "{} keywords", lines.len());
    let unique: std::collections::HashSet<_> = lines.iter().collect();
    assert_eq!(unique.len(), lines.len(), "duplicates");
    // Folded: lowercase, hyphens as spaces.
    assert!(lines.contains(&"open source"));
    assert!(
        lines
            .iter()
            .all(|l| *l == l.to_lowercase() && !l.contains('-'))
    );
    // Exclusion phrases are not keywords ("tax exempt" only cancels "exempt").
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "r.yaml",
        "themes:\n  - id: t\n    rules:\n      - id: r\n        keywords: [Exempt, Open-Source]\n        exclude: [tax exempt]\n",
    );
    let out = run(&[
        "rules",
        "keywords",
        "--rules",
        tmp.path().join("r.yaml").to_str().unwrap(),
    ]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "exempt\nopen source\n"
    );
}

#[test]
fn stats_go_to_stderr_and_leave_the_report_alone() {
    let plain = run(&["scan", "-f", "json", "fixtures"]);
    let with_stats = run(&["scan", "-f", "json", "--stats", "fixtures"]);
    assert_eq!(plain.stdout, with_stats.stdout);
    let stderr = String::from_utf8(with_stats.stderr).unwrap();
    assert!(stderr.contains("documents  13 ("), "{stderr}");
    assert!(
        stderr.contains("  loading ") && stderr.contains(" literals)"),
        "{stderr}"
    );
    for phase in ["walk", "read", "extract", "match", "classify", "output"] {
        assert!(
            stderr.contains(&format!("    {phase} ")),
            "{phase}: {stderr}"
        );
    }
    assert!(stderr.contains("slowest rules"), "{stderr}");
    // The embedded rules' anchored patterns compile when first needed:
    // some of them on these documents, not all.
    let line = stderr
        .lines()
        .find(|l| l.starts_with("  compiled when first needed: "))
        .unwrap_or_else(|| panic!("{stderr}"));
    let counts: Vec<usize> = line
        .split(' ')
        .filter_map(|w| w.parse().ok())
        .take(2)
        .collect();
    assert!(counts[0] > 0 && counts[0] < counts[1], "{line}");
    // The same rules from a file are compiled, and checked, at load.
    let out = run(&[
        "scan",
        "--stats",
        "--rules",
        "rules/default.yaml",
        "fixtures",
    ]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("  loading "), "{stderr}");
    assert!(!stderr.contains("first needed"), "{stderr}");
    for (threads, said) in [("1", "1 thread)"), ("2", "2 threads)")] {
        let out = run(&["scan", "-f", "json", "--stats", "-j", threads, "fixtures"]);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(said), "{said}: {stderr}");
    }
}

#[test]
fn utf16_documents_are_scanned_like_their_utf8_text() {
    let text = std::fs::read_to_string("fixtures/oped-pro-open-startups.md")
        .unwrap()
        .replace('\n', "\r\n");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a-utf8.md"), &text).unwrap();
    for (name, little) in [("b-utf16le.md", true), ("c-utf16be.md", false)] {
        let mut bytes = if little {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        std::fs::write(tmp.path().join(name), bytes).unwrap();
    }
    let out = run(&["scan", "-f", "json", tmp.path().to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = report["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 3, "none skipped as binary");
    // Everything but the path and the raw byte count is the same.
    let strip = |d: &serde_json::Value| {
        let mut d = d.clone();
        d.as_object_mut().unwrap().remove("path");
        d.as_object_mut().unwrap().remove("bytes");
        d
    };
    assert_eq!(strip(&docs[1]), strip(&docs[0]));
    assert_eq!(strip(&docs[2]), strip(&docs[0]));
    assert_eq!(docs[0]["stance"]["label"], "pro-open");
}

#[test]
fn output_to_a_special_file_writes_through_it_and_reports_a_full_disk() {
    // /dev/full accepts the open and fails every write: the run must say so
    // and exit 2, and the device must still be a device afterwards.
    let out = run(&["scan", "-f", "json", "-o", "json:/dev/full", "fixtures"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("failed to write /dev/full"), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(!std::fs::metadata("/dev/full").unwrap().is_file());
    // stdout onto a full disk: the same.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = policyscan()
        .args(["scan", "fixtures"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("No space left on device"));
}

#[test]
fn output_through_a_symlink_keeps_the_link() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real.json");
    std::fs::write(&real, "old").unwrap();
    let link = tmp.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = run(&[
        "scan",
        "-o",
        &format!("json:{}", link.display()),
        "fixtures",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&real).unwrap()).unwrap();
    assert_eq!(written["summary"]["documents"], 13);
}

#[test]
fn line_numbers_hold_for_crlf_and_lone_cr_line_endings() {
    let lines = [
        "A short note.",
        "",
        "Lawmakers should restrict the release of model weights.",
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (name, end) in [("crlf.txt", "\r\n"), ("cr.txt", "\r"), ("lf.txt", "\n")] {
        std::fs::write(tmp.path().join(name), lines.join(end) + end).unwrap();
    }
    let out = run(&[
        "scan",
        "-f",
        "json",
        "--max-evidence",
        "50",
        tmp.path().to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for doc in report["documents"].as_array().unwrap() {
        assert_eq!(doc["lines"], 3, "{}", doc["path"]);
        let evidence_lines: Vec<u64> = doc["themes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["evidence"].as_array().unwrap())
            .chain(doc["stance"]["evidence"].as_array().unwrap())
            .map(|e| e["line"].as_u64().unwrap())
            .collect();
        assert!(!evidence_lines.is_empty(), "{}", doc["path"]);
        assert!(
            evidence_lines.iter().all(|&l| l == 3),
            "{}: {evidence_lines:?}",
            doc["path"]
        );
    }
}
