//! The README's usage block, run verbatim as a new user would: every line
//! through `bash` (with `pipefail`) with the built `policyscan` first on PATH, in a sandbox
//! holding the files the lines name (articles/, drafts/, draft.md, …).
//! Each must exit 0 (or 1 where it asks to fail on findings), without a
//! panic. The set-up commands (`cargo run --release …`, `cargo test
//! --locked`) are run verbatim by .ci/run.

use std::path::Path;
use std::process::Command;

/// The shell lines of the README's `## Usage` code block.
fn usage_lines() -> Vec<String> {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let usage = &readme[readme.find("## Usage").expect("a Usage section")..];
    let block = usage
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a sh code block");
    block
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(String::from)
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

const RULES: &str = "name: mine
themes:
  - id: licensing
    title: Licensing
    rules:
      - id: licence-words
        keywords: [licence, license, licensing]
        examples: [a licensing regime]
cues:
  - id: oppose
    stance: pro-open
    keywords: [we oppose]
    weight: 3
    examples: [we oppose this bill]
";

/// The files and folders the usage lines name.
fn sandbox() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let here = std::env::current_dir().unwrap();
    copy_dir(&here.join("fixtures"), &root.join("articles"));
    copy_dir(&here.join("fixtures"), &root.join("archive"));
    copy_dir(&here.join("corpus/dev"), &root.join("corpus/dev"));
    std::fs::create_dir(root.join("drafts")).unwrap();
    let fixture = |name: &str| std::fs::read_to_string(here.join("fixtures").join(name)).unwrap();
    let hybrid = fixture("oped-hybrid-regulate-use.md");
    let security = fixture("oped-security-first-irreversible.txt");
    let files = [
        ("a.md", hybrid.as_str()),
        ("b.txt", security.as_str()),
        ("draft.txt", security.as_str()),
        ("draft.md", hybrid.as_str()),
        ("drafts/one.md", hybrid.as_str()),
        ("drafts/two.txt", security.as_str()),
        ("old.md", hybrid.as_str()),
        ("new.md", security.as_str()),
        (
            "records.jsonl",
            "{\"id\": 1, \"text\": \"We oppose any licensing regime for open-weight models.\"}\n",
        ),
        (
            "docket.csv",
            "Document ID,Organization Name,Comment\r\n\
             C-0001,,\"We oppose any licensing regime for open-weight models.\"\r\n",
        ),
        (
            "archive.mbox",
            "From a@example.org Mon Mar  2 09:00:00 2026\nFrom: A <a@example.org>\n\
             Subject: Licensing\n\nWe oppose any licensing regime for open-weight models.\n",
        ),
        ("my-rules.yaml", RULES),
        (
            "tests/annotated/licensing.md",
            "<!-- expect-stance: pro-open -->\n<!-- expect-theme: licensing -->\n\
             We oppose this bill. A licensing regime for models would help no one, \
             and a licence to publish weights is a licence to stay silent.\n",
        ),
        ("my-rules/rules.yaml", RULES),
        (
            "extra.yaml",
            "rules:\n  - id: extra-words\n    theme: licensing\n    keywords: [permit regime]\n",
        ),
    ];
    for (name, text) in files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    // A comment printed to PDF (tests/data/README.md).
    std::fs::copy(
        here.join("tests/data/pdf/running-header.pdf"),
        root.join("comment.pdf"),
    )
    .unwrap();
    let baseline = Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .current_dir(root)
        .args([
            "scan",
            "--write-baseline",
            "base.json",
            "--format",
            "json",
            "drafts/",
        ])
        .output()
        .unwrap();
    assert!(root.join("base.json").exists(), "{baseline:?}");
    // A repository, for `git show HEAD:draft.md | …`.
    for args in [
        &["init", "-q"][..],
        &["add", "draft.md"],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "commit",
            "-q",
            "-m",
            "draft",
        ],
    ] {
        let out = Command::new("git")
            .current_dir(root)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
    }
    dir
}

#[test]
fn every_usage_line_runs_verbatim() {
    let lines = usage_lines();
    assert!(lines.len() >= 20, "{lines:?}");
    let dir = sandbox();
    let bin = Path::new(env!("CARGO_BIN_EXE_policyscan"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for line in &lines {
        let out = Command::new("bash")
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .arg("-c")
            .arg(format!("set -eo pipefail; {line}"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let may_fail = line.contains("--fail-on");
        let code = out.status.code();
        assert!(
            code == Some(0) || (may_fail && code == Some(1)),
            "`{line}` exited {code:?}\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "`{line}`: {stderr}");
        let writes_elsewhere = line.contains(" > ");
        assert!(
            writes_elsewhere || !out.stdout.is_empty() || line.contains("--fail-on"),
            "`{line}` printed nothing"
        );
    }
    // The redirections made what they say.
    for file in [
        "policyscan.sarif",
        "keywords.txt",
        "stances.csv",
        "_policyscan",
        "policyscan.1",
    ] {
        let len = std::fs::metadata(dir.path().join(file)).map_or(0, |m| m.len());
        assert!(len > 0, "{file} is empty or missing");
    }
}
