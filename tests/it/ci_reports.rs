//! GitLab Code Quality (`--format gitlab`) and JUnit XML (`--format
//! junit`) reports, checked against the JSON report of the same scan.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::support::{policyscan, run_in as run};

const DRAFT: &str = "# Draft bill\n\nDevelopers must be held liable for harms their models cause. \
    The attorney general may bring a civil action and seek civil penalties.\n\n\
    Restrictions on the release of open weights should follow: weights cannot be recalled.\n";

/// A folder with a draft, the same draft under another path, the draft
/// with its liability finding suppressed inline, and an unrelated note.
fn drafts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("sub")).unwrap();
    std::fs::write(root.join("draft.md"), DRAFT).unwrap();
    std::fs::write(root.join("sub/draft.md"), DRAFT).unwrap();
    std::fs::write(
        root.join("waived.md"),
        format!(
            "<!-- policyscan-ignore-file: liability-without-research-safe-harbor -- the \
             harbor is in the companion bill -->\n\n{DRAFT}"
        ),
    )
    .unwrap();
    std::fs::write(root.join("note.txt"), "Minutes of the budget meeting.\n").unwrap();
    dir
}

fn json_report(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_slice(&run(dir, &all).stdout).unwrap()
}

/// `(path, check, line, severity, suppression reason)` of every finding
/// in a JSON report.
fn findings(report: &Value) -> Vec<(String, String, u64, String, Option<String>)> {
    let mut all = Vec::new();
    for doc in report["documents"].as_array().unwrap() {
        // A document without findings has no `checks`.
        for f in doc["checks"].as_array().into_iter().flatten() {
            all.push((
                doc["path"].as_str().unwrap().to_string(),
                f["check"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["severity"].as_str().unwrap().to_string(),
                f["suppressed"]["reason"].as_str().map(String::from),
            ));
        }
    }
    all.sort();
    all
}

#[test]
fn gitlab_issues_are_the_unsuppressed_findings_and_the_unreadable_inputs() {
    let dir = drafts();
    let root = dir.path().to_str().unwrap();
    // In a GitLab job, absolute paths under the checkout become relative.
    let out = policyscan()
        .current_dir(dir.path())
        .env("CI_PROJECT_DIR", root)
        .args(["scan", "--format", "gitlab", root, "missing.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "missing.md is unreadable");
    let issues: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let report = json_report(dir.path(), &[".", "missing.md"]);
    let want: Vec<(String, String, u64, String)> = findings(&report)
        .into_iter()
        .filter(|f| f.4.is_none())
        .map(|(path, check, line, severity, _)| {
            let severity = match severity.as_str() {
                "error" => "major",
                "warning" => "minor",
                _ => "info",
            };
            (path, format!("policyscan/{check}"), line, severity.into())
        })
        .chain([(
            "missing.md".to_string(),
            "policyscan/input-error".to_string(),
            1,
            "critical".to_string(),
        )])
        .collect();
    let mut got: Vec<(String, String, u64, String)> = issues
        .iter()
        .map(|i| {
            assert_eq!(i["type"], "issue");
            assert!(!i["description"].as_str().unwrap().is_empty(), "{i}");
            (
                i["location"]["path"].as_str().unwrap().to_string(),
                i["check_name"].as_str().unwrap().to_string(),
                i["location"]["lines"]["begin"].as_u64().unwrap(),
                i["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    let mut want = want;
    want.sort();
    assert_eq!(got, want);
    assert!(
        got.iter()
            .any(|g| g.0 == "waived.md" && g.1 == "policyscan/access-restrictions-on-open-weights"),
        "waived.md keeps its other findings: {got:?}"
    );
    assert!(
        !got.iter()
            .any(|g| g.0 == "waived.md" && g.1.ends_with("liability-without-research-safe-harbor")),
        "the waived finding is not an issue: {got:?}"
    );
    // GitLab keeps one issue per fingerprint: they are all different,
    // even for the same draft under two paths.
    let prints: BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), issues.len());
    assert!(
        prints
            .iter()
            .all(|p| p.len() == 32 && p.bytes().all(|b| b.is_ascii_hexdigit()))
    );

    // Moving the text down a few lines moves the issues but keeps their
    // fingerprints, so GitLab does not call them new.
    let before = by_check(&issues, "draft.md");
    std::fs::write(
        dir.path().join("draft.md"),
        format!("Preamble.\n\nMore preamble.\n\n{DRAFT}"),
    )
    .unwrap();
    let out = run(dir.path(), &["scan", "--format", "gitlab", "draft.md"]);
    let after: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let after = by_check(&after, "draft.md");
    assert_eq!(before.len(), after.len());
    for (check, (line, print)) in &before {
        let (moved, kept) = &after[check];
        assert_eq!(*moved, line + 4, "{check}");
        assert_eq!(kept, print, "{check}");
    }
}

/// Line and fingerprint of each issue of `path`, by check name.
fn by_check(issues: &[Value], path: &str) -> BTreeMap<String, (u64, String)> {
    issues
        .iter()
        .filter(|i| i["location"]["path"] == path)
        .map(|i| {
            (
                i["check_name"].as_str().unwrap().to_string(),
                (
                    i["location"]["lines"]["begin"].as_u64().unwrap(),
                    i["fingerprint"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect()
}

#[test]
fn a_scan_without_findings_is_an_empty_gitlab_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("note.txt"), "Minutes of the meeting.\n").unwrap();
    let out = run(dir.path(), &["scan", "--format", "gitlab", "."]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "[]\n");
}

/// An element of a parsed XML file.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: BTreeMap<String, String>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> &str {
        self.attributes
            .get(name)
            .unwrap_or_else(|| panic!("<{}> has no {name}: {self:?}", self.name))
    }

    fn count(&self, name: &str) -> usize {
        self.attr(name).parse().unwrap()
    }

    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Parses `xml` with quick-xml, which rejects mismatched tags, and
/// returns the root element.
fn parse_xml(xml: &str) -> Element {
    use quick_xml::events::{BytesStart, Event};
    fn element(start: &BytesStart<'_>) -> Element {
        Element {
            name: String::from_utf8(start.name().as_ref().to_vec()).unwrap(),
            attributes: start
                .attributes()
                .map(|a| {
                    let a = a.unwrap();
                    (
                        String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                        a.unescape_value().unwrap().into_owned(),
                    )
                })
                .collect(),
            ..Element::default()
        }
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack = vec![Element::default()];
    loop {
        match reader.read_event().unwrap() {
            Event::Start(start) => stack.push(element(&start)),
            Event::Empty(start) => stack.last_mut().unwrap().children.push(element(&start)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(text) => stack
                .last_mut()
                .unwrap()
                .text
                .push_str(&text.unescape().unwrap()),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut document = stack.pop().unwrap();
    assert_eq!(document.children.len(), 1, "one root element");
    document.children.pop().unwrap()
}

#[test]
fn junit_has_a_suite_per_input_and_a_test_case_per_check() {
    let dir = drafts();
    // A name and a text that need escaping, and a file skipped as binary.
    let odd = "odd <name> & \"quotes\".md";
    std::fs::write(
        dir.path().join(odd),
        format!("Bell \u{7} and form feed \u{c} inside.\n\n{DRAFT}"),
    )
    .unwrap();
    std::fs::write(dir.path().join("blob.txt"), b"\0\x01\x02binary\0\0").unwrap();
    let out = run(
        dir.path(),
        &["scan", "--format", "junit", ".", "missing.md"],
    );
    assert_eq!(out.status.code(), Some(2));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    // Characters XML 1.0 cannot hold are not written.
    assert!(!xml.contains(['\u{7}', '\u{c}']), "{xml}");
    let root = parse_xml(&xml);
    assert_eq!(root.name, "testsuites");

    let report = json_report(dir.path(), &[".", "missing.md"]);
    let checks: Vec<String> = serde_json::from_slice::<Vec<Value>>(
        &run(dir.path(), &["rules", "list", "--format", "json"]).stdout,
    )
    .unwrap()
    .iter()
    .filter(|item| item["kind"] == "check")
    .map(|item| item["id"].as_str().unwrap().to_string())
    .collect();
    assert!(checks.len() >= 2, "{checks:?}");

    // Every input is a suite: the documents, then skipped, then errors.
    let mut inputs: Vec<String> = Vec::new();
    for kind in ["documents", "skipped", "errors"] {
        for item in report[kind].as_array().unwrap() {
            inputs.push(item["path"].as_str().unwrap().to_string());
        }
    }
    let suites: Vec<&Element> = root.children("testsuite").collect();
    let names: Vec<&str> = suites.iter().map(|s| s.attr("name")).collect();
    assert_eq!(names, inputs);
    assert!(
        names.contains(&odd) && names.contains(&"blob.txt"),
        "{names:?}"
    );

    // Counts add up, suite by suite and in total.
    let mut total = [0; 4];
    for suite in &suites {
        let cases: Vec<&Element> = suite.children("testcase").collect();
        let with = |outcome: &str| {
            cases
                .iter()
                .filter(|c| c.children(outcome).next().is_some())
                .count()
        };
        let counts = [cases.len(), with("failure"), with("error"), with("skipped")];
        for (i, name) in ["tests", "failures", "errors", "skipped"]
            .iter()
            .enumerate()
        {
            assert_eq!(
                suite.count(name),
                counts[i],
                "{name} of {}",
                suite.attr("name")
            );
            total[i] += counts[i];
        }
    }
    for (i, name) in ["tests", "failures", "errors", "skipped"]
        .iter()
        .enumerate()
    {
        assert_eq!(root.count(name), total[i], "{name}");
    }

    // A document's cases are the checks; its findings are failures, or
    // skipped when suppressed, at the finding's line.
    let mut outcomes = Vec::new();
    for doc in report["documents"].as_array().unwrap() {
        let path = doc["path"].as_str().unwrap();
        let suite = suites.iter().find(|s| s.attr("name") == path).unwrap();
        let properties: BTreeMap<&str, &str> = suite
            .children("properties")
            .flat_map(|p| p.children("property"))
            .map(|p| (p.attr("name"), p.attr("value")))
            .collect();
        assert_eq!(properties["stance"], doc["stance"]["label"], "{path}");
        let cases: Vec<&Element> = suite.children("testcase").collect();
        let ids: Vec<&str> = cases.iter().map(|c| c.attr("name")).collect();
        assert_eq!(ids, checks, "{path}");
        for case in cases {
            assert_eq!(case.attr("classname"), path);
            if let Some(failure) = case.children("failure").next() {
                assert!(
                    failure.text.contains(failure.attr("message")),
                    "{failure:?}"
                );
                assert!(failure.text.contains("evidence:\n  line "), "{failure:?}");
                outcomes.push((
                    path.to_string(),
                    case.attr("name").to_string(),
                    case.count("line") as u64,
                    failure.attr("type").to_string(),
                    None,
                ));
            }
            if let Some(skipped) = case.children("skipped").next() {
                let reason = skipped.attr("message");
                outcomes.push((
                    path.to_string(),
                    case.attr("name").to_string(),
                    case.count("line") as u64,
                    // Suppressed findings keep their severity in JSON only.
                    findings(&report)
                        .iter()
                        .find(|f| f.0 == path && f.1 == case.attr("name"))
                        .unwrap()
                        .3
                        .clone(),
                    reason
                        .strip_prefix("suppressed (inline): ")
                        .map(String::from),
                ));
            }
        }
    }
    outcomes.sort();
    assert_eq!(outcomes, findings(&report));
    assert!(outcomes.iter().any(|o| o.4.is_some()), "one is suppressed");

    let case = |path: &str| {
        let suite = suites.iter().find(|s| s.attr("name") == path).unwrap();
        suite.children("testcase").next().unwrap()
    };
    let error = case("missing.md").children("error").next().unwrap();
    assert!(error.attr("message").contains("No such file"), "{error:?}");
    let skipped = case("blob.txt").children("skipped").next().unwrap();
    assert_eq!(skipped.attr("message"), "not scanned: binary");
}

#[test]
fn junit_shows_the_stance_and_theme_conditions_a_run_fails_on() {
    let dir = drafts();
    let report = json_report(dir.path(), &["."]);
    let documents = report["documents"].as_array().unwrap();
    // The drafts' stance, which the note does not share.
    let stance = documents[0]["stance"]["label"].as_str().unwrap();
    let theme = "liability";
    let out = run(
        dir.path(),
        &[
            "scan",
            "--format",
            "junit",
            "--fail-on",
            "never",
            "--fail-on-stance",
            stance,
            "--fail-on-theme",
            theme,
            ".",
        ],
    );
    let mut met = 0;
    let root = parse_xml(&String::from_utf8(out.stdout).unwrap());
    for doc in documents {
        let path = doc["path"].as_str().unwrap();
        let suite = root
            .children("testsuite")
            .find(|s| s.attr("name") == path)
            .unwrap();
        let gate = |name: &str| {
            let case = suite
                .children("testcase")
                .find(|c| c.attr("name") == name)
                .unwrap_or_else(|| panic!("{path}: no {name} case"));
            case.children("failure")
                .next()
                .map(|f| (f.attr("message").to_string(), f.text.clone()))
        };
        let stance_met = doc["stance"]["label"] == stance;
        match gate("fail-on-stance") {
            Some((message, text)) => {
                assert!(stance_met, "{path}: {message}");
                assert_eq!(message, format!("stance is {stance} (--fail-on-stance)"));
                let cue = doc["stance"]["evidence"][0]["cue"].as_str().unwrap();
                assert!(text.contains(&format!("({cue}, {stance})")), "{text}");
                met += 1;
            }
            None => assert!(!stance_met, "{path}"),
        }
        let theme_met = doc["themes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == theme && t["present"] == true);
        match gate("fail-on-theme") {
            Some((message, text)) => {
                assert!(theme_met, "{path}: {message}");
                assert_eq!(message, format!("present: {theme} (--fail-on-theme)"));
                assert!(text.contains("liability (peak "), "{text}");
                met += 1;
            }
            None => assert!(!theme_met, "{path}"),
        }
        // The counts take the gates in.
        let failures = suite
            .children("testcase")
            .filter(|c| c.children("failure").next().is_some())
            .count();
        assert_eq!(suite.count("failures"), failures, "{path}");
    }
    assert!(met >= 2, "the drafts meet both conditions");
    assert!(
        documents.iter().any(|d| d["stance"]["label"] != stance),
        "a document that does not"
    );
    // The run fails on the conditions, as the report shows.
    assert_eq!(out.status.code(), Some(1));
}

/// `(path, condition, line:column)` of each `--fail-on-stance STANCE`
/// and `--fail-on-theme THEME` condition a document of the JSON `report`
/// meets, at its strongest stance cue or its theme's first hit.
fn conditions_met(report: &Value, stance: &str, theme: &str) -> Vec<(String, String, String)> {
    let mut met = Vec::new();
    for doc in report["documents"].as_array().unwrap() {
        let path = doc["path"].as_str().unwrap().to_string();
        let at = |e: &Value| format!("{}:{}", e["line"], e["column"]);
        if doc["stance"]["label"] == stance {
            let cue = &doc["stance"]["evidence"][0];
            met.push((path.clone(), "fail-on-stance".to_string(), at(cue)));
        }
        let themes = doc["themes"].as_array().unwrap();
        if let Some(t) = themes
            .iter()
            .find(|t| t["id"] == theme && t["present"] == true)
        {
            met.push((path, "fail-on-theme".to_string(), at(&t["evidence"][0])));
        }
    }
    met
}

#[test]
fn annotations_and_the_summary_show_the_conditions_a_run_fails_on() {
    let dir = drafts();
    let report = json_report(dir.path(), &["."]);
    let stance = report["documents"][0]["stance"]["label"]
        .as_str()
        .unwrap()
        .to_string();
    let mut want = conditions_met(&report, &stance, "liability");
    want.sort();
    assert!(want.len() >= 2, "{want:?}");
    let scan = |format: &str| {
        let args = [
            "scan",
            "--format",
            format,
            "--fail-on",
            "never",
            "--fail-on-stance",
            &stance,
            "--fail-on-theme",
            "liability",
            ".",
        ];
        let out = run(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{format}");
        String::from_utf8(out.stdout).unwrap()
    };
    let message = |name: &str| match name {
        "fail-on-stance" => format!("stance is {stance} (--fail-on-stance)"),
        _ => "present: liability (--fail-on-theme)".to_string(),
    };

    // GitHub: an error annotation at the evidence.
    let mut got = Vec::new();
    for line in scan("github")
        .lines()
        .filter(|l| l.contains("title=policyscan fail-on-"))
    {
        let (properties, text) = line
            .strip_prefix("::error file=")
            .unwrap()
            .split_once("::")
            .unwrap();
        let fields: Vec<&str> = properties.split(',').collect();
        let name = fields[3].strip_prefix("title=policyscan ").unwrap();
        assert_eq!(text, message(name));
        let at = format!(
            "{}:{}",
            &fields[1]["line=".len()..],
            &fields[2]["col=".len()..]
        );
        got.push((fields[0].to_string(), name.to_string(), at));
    }
    got.sort();
    assert_eq!(got, want);

    // Azure: an error with the same place.
    let azure = scan("azure");
    let errors: Vec<&str> = azure
        .lines()
        .filter(|l| l.contains(";code=fail-on-"))
        .collect();
    assert_eq!(errors.len(), want.len());
    for (path, name, at) in &want {
        let (line, column) = at.split_once(':').unwrap();
        let place = format!("linenumber={line};columnnumber={column};code={name};]");
        assert!(
            errors.iter().any(
                |e| e.starts_with("##vso[task.logissue type=error;sourcepath=")
                    && e.contains(path.trim_start_matches("./"))
                    && e.contains(&place)
                    && e.ends_with(&format!("policyscan {name}: {}", message(name)))
            ),
            "{path} {name}: {errors:?}"
        );
    }

    // Markdown: a table before the findings.
    let markdown = scan("markdown");
    let table = markdown
        .split("### Conditions the run fails on\n\n")
        .nth(1)
        .expect("the conditions' table")
        .split("\n\n")
        .next()
        .unwrap();
    let mut rows: Vec<(String, String, String)> = table
        .lines()
        .skip(2)
        .map(|row| {
            let cells: Vec<&str> = row.split(" | ").collect();
            let name = cells[0].trim_start_matches("| `").trim_end_matches('`');
            let location = cells[1].trim_matches('`');
            let (path, at) = location.split_once(':').unwrap();
            assert_eq!(cells[2].trim_end_matches(" |"), message(name));
            (path.to_string(), name.to_string(), at.to_string())
        })
        .collect();
    rows.sort();
    assert_eq!(rows, want);
    assert!(markdown.find("### Conditions").unwrap() < markdown.find("### Findings").unwrap());
}

#[test]
fn report_files_take_their_format_from_the_extension_or_prefix() {
    let dir = drafts();
    let out = run(
        dir.path(),
        &[
            "scan",
            "-o",
            "report.xml",
            "-o",
            "gitlab:gl-code-quality-report.json",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let xml = std::fs::read_to_string(dir.path().join("report.xml")).unwrap();
    assert_eq!(parse_xml(&xml).name, "testsuites");
    let issues: Vec<Value> = serde_json::from_slice(
        &std::fs::read(dir.path().join("gl-code-quality-report.json")).unwrap(),
    )
    .unwrap();
    assert!(!issues.is_empty());
    // The reports are not scanned on the next run.
    let report = json_report(
        dir.path(),
        &[
            "-o",
            "report.xml",
            "-o",
            "gitlab:gl-code-quality-report.json",
            ".",
        ],
    );
    let paths: Vec<&str> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(!paths.iter().any(|p| p.contains("report")), "{paths:?}");
}
