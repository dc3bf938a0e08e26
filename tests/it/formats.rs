//! Input formats with structure. Markdown: headings become sections, code
//! blocks and front matter are not scanned unless `--markdown-code`, and
//! evidence after them keeps its line and column.

use std::process::Command;

use policyscan::report::RunReport;

const DOC: &str = "---
title: Why we oppose licensing
tags: [export controls, licensing regime]
---
# Our position

```yaml
licensing: required
export-controls: strict
```

## Open weights

We oppose any licensing regime for open-weight models.
";

fn scan(dir: &std::path::Path, extra: &[&str]) -> RunReport {
    let out = Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .current_dir(dir)
        .args(["scan", "--format", "json", "--max-evidence", "50"])
        .args(extra)
        .arg("doc.md")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn markdown_code_blocks_and_front_matter_are_not_scanned_by_default() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("doc.md"), DOC).unwrap();
    let report = scan(dir.path(), &[]);
    let doc = &report.documents[0];
    let lines: Vec<usize> = doc
        .themes
        .iter()
        .flat_map(|t| t.evidence.iter().map(|e| e.line))
        .chain(doc.stance.evidence.iter().map(|e| e.line))
        .collect();
    assert!(!lines.is_empty());
    // Only the heading and the prose line under it.
    assert!(lines.iter().all(|&l| l == 12 || l == 14), "{lines:?}");
    let cue = &doc.stance.evidence[0];
    assert_eq!((cue.line, cue.column), (14, 4));
    assert_eq!(cue.section.as_deref(), Some("Our position > Open weights"));
    let export = doc
        .themes
        .iter()
        .find(|t| t.id == "export-control")
        .unwrap();
    assert_eq!(
        export.hits, 0,
        "the front matter and the code block are not prose"
    );

    let all = scan(dir.path(), &["--markdown-code"]);
    let export = all.documents[0]
        .themes
        .iter()
        .find(|t| t.id == "export-control")
        .unwrap();
    let lines: Vec<usize> = export.evidence.iter().map(|e| e.line).collect();
    assert!(lines.contains(&3) && lines.contains(&9), "{lines:?}");
}

/// An address's slug (`/ban-open-weights-licensing-regime`) says nothing
/// about what a document argues: no rule matches inside a web address or
/// a Markdown link destination, in any format, while the link's text and
/// the sentence around it still count, and snippets show the sentence as
/// written. (Before, this page had three themes from its addresses alone.)
#[test]
fn addresses_are_not_prose() {
    let dir = tempfile::tempdir().unwrap();
    let markdown = "# Notes\n\nThe committee met. See [the licensing regime memo](https://example.org/ban-open-weights \"export controls\") \
        and <https://example.org/export-controls-on-open-weights>, [also](../liability/open-source-developers.md).\n\n\
        Plain https://example.org/liability-for-open-source-developers and www.example.org/compute-threshold-10^26.\n";
    std::fs::write(dir.path().join("doc.md"), markdown).unwrap();
    std::fs::write(
        dir.path().join("doc.txt"),
        "Plain https://example.org/liability-for-open-source-developers, licensing regime.\n\
         Comments to export-controls@open-weights.example.org by Friday.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("doc.html"),
        "<p><a href=\"https://example.org/open-weights\">https://example.org/export-controls</a> and a licensing regime.</p>",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .current_dir(dir.path())
        .args(["scan", "--format", "json", "--max-evidence", "50", "."])
        .output()
        .unwrap();
    let report: RunReport = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report.documents.len(), 3);
    for doc in &report.documents {
        let evidence: Vec<(&str, &str)> = doc
            .themes
            .iter()
            .flat_map(|t| {
                t.evidence
                    .iter()
                    .map(|e| (e.rule.as_str(), e.text.as_str()))
            })
            .chain(
                doc.stance
                    .evidence
                    .iter()
                    .map(|e| (e.cue.as_str(), e.text.as_str())),
            )
            .collect();
        let texts: Vec<&str> = evidence.iter().map(|(_, t)| *t).collect();
        assert_eq!(texts, ["licensing regime"], "{}: {evidence:?}", doc.path);
        let snippet = &doc.themes.iter().find(|t| t.hits > 0).unwrap().evidence[0].snippet;
        if doc.path == "doc.txt" {
            assert!(
                snippet.contains("https://example.org/liability-for-open-source-developers"),
                "{snippet}"
            );
        }
    }
}
