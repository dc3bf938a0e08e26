//! Links between the project's documents resolve: every relative
//! Markdown link in the README and docs/ names a file that exists and,
//! when it has a `#fragment`, a heading of that file (with GitHub's rules
//! for turning a heading into an anchor). Documents are edited often and
//! sections renamed; a reader who follows a dead link loses the thread.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The documents checked, relative to `root`: the README and every
/// Markdown file in docs/.
fn documents(root: &Path) -> Vec<PathBuf> {
    let mut docs = vec![root.join("README.md")];
    let mut in_docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    in_docs.sort();
    docs.extend(in_docs);
    docs
}

/// The lines of `markdown` outside fenced code blocks.
fn outside_fences(markdown: &str) -> impl Iterator<Item = &str> {
    let mut fenced = false;
    markdown.lines().filter(move |line| {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            return false;
        }
        !fenced
    })
}

/// The text outside code blocks and inline code spans, where a `](…)`
/// is prose about links, not a link.
fn prose(markdown: &str) -> String {
    let mut out = String::new();
    for line in outside_fences(markdown) {
        // Drop inline code: every other backtick-delimited part.
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                out.push_str(part);
            }
        }
        out.push('\n');
    }
    out
}

/// The targets of the inline links `[text](target)` in `markdown`.
fn link_targets(markdown: &str) -> Vec<String> {
    let text = prose(markdown);
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            let end = rest.find(')')?;
            let target = rest[..end].trim();
            (!target.is_empty() && !target.contains(char::is_whitespace))
                .then(|| target.to_string())
        })
        .collect()
}

/// The anchors GitHub gives the headings of `markdown`: lowercased,
/// everything but letters, digits, `_`, `-` and spaces dropped, spaces
/// turned into hyphens, and `-1`, `-2`, … added to repeats.
fn anchors(markdown: &str) -> HashSet<String> {
    let mut seen = HashSet::new();
    for line in outside_fences(markdown) {
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let title = heading.trim_start_matches('#');
        if !title.starts_with(' ') {
            continue;
        }
        let slug: String = title
            .trim()
            .to_lowercase()
            .chars()
            .filter(|&c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let mut anchor = slug.clone();
        let mut n = 0;
        while !seen.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{slug}-{n}");
        }
    }
    seen
}

/// Every link of the documents under `root` that does not resolve, as
/// `document: target (what is wrong)`.
fn broken_links(root: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for doc in documents(root) {
        let markdown = std::fs::read_to_string(&doc).unwrap();
        let name = doc.strip_prefix(root).unwrap().display().to_string();
        for target in link_targets(&markdown) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = match target.split_once('#') {
                Some((file, fragment)) => (file, Some(fragment)),
                None => (target.as_str(), None),
            };
            let path = if file.is_empty() {
                doc.clone()
            } else {
                doc.parent().unwrap().join(file)
            };
            if !path.exists() {
                broken.push(format!("{name}: {target} (no such file)"));
                continue;
            }
            let Some(fragment) = fragment else { continue };
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            if !anchors(&text).contains(fragment) {
                broken.push(format!("{name}: {target} (no such heading)"));
            }
        }
    }
    broken
}

#[test]
fn links_between_the_documents_resolve() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let broken = broken_links(root);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // The check saw the links it should: the README links into docs/,
    // with and without a heading.
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let targets = link_targets(&readme);
    assert!(
        targets.iter().any(|t| t == "docs/BENCHMARKS.md"),
        "{targets:?}"
    );
    assert!(targets.iter().any(|t| t.contains(".md#")), "{targets:?}");
}

#[test]
fn a_dead_file_or_heading_is_reported_and_code_is_not_read_as_links() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(
        dir.path().join("README.md"),
        "# Tool\n\nSee [rules](docs/rules.md#writing-rules), [speed](docs/speed.md), \
         [the top](#tool) and [usage](#usage).\n\n\
         ```md\n[not a link](nowhere.md)\n```\n\nInline `[code](gone.md)` too.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("docs/rules.md"),
        "# Rules\n\n## Writing rules: `keywords` and more\n\n## Writing rules: `keywords` and more\n\n\
         Back to [the tool](../README.md#tool), [the second](#writing-rules-keywords-and-more-1).\n",
    )
    .unwrap();
    assert_eq!(
        broken_links(dir.path()),
        [
            "README.md: docs/rules.md#writing-rules (no such heading)",
            "README.md: docs/speed.md (no such file)",
            "README.md: #usage (no such heading)",
        ]
    );
}
