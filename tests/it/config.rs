//! `policyscan.toml`: discovery, precedence, every setting, errors, and
//! `policyscan config show`.

use crate::support::{run_in, write};
use std::process::Output;

const PRO_OPEN: &str = "We oppose any licensing regime for open-weight models. Publishing \
weights lets independent researchers audit them, and open-source AI must stay free to share.\n";
/// Fires the default `liability-without-research-safe-harbor` warning.
const LIABILITY: &str = "Developers must be held strictly liable for any harm caused by \
models they release. The attorney general may bring a civil action for damages.\n";

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "articles/open.md", PRO_OPEN);
    write(root, "articles/liability.md", LIABILITY);
    write(root, "articles/drafts/draft.md", PRO_OPEN);
    dir
}

#[test]
fn the_nearest_config_sets_format_and_exclusions_and_flags_override_it() {
    let dir = project();
    write(
        dir.path(),
        "policyscan.toml",
        "format = \"jsonl\"\nexclude = [\"drafts/\"]\n",
    );
    let sub = dir.path().join("articles");
    // Found from a subfolder: JSON Lines, drafts excluded.
    let out = run_in(&sub, &["scan", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let paths: Vec<&str> = lines
        .iter()
        .filter(|l| l["type"] == "document")
        .map(|l| l["data"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["liability.md", "open.md"]);
    // --format on the command line wins.
    let out = run_in(&sub, &["scan", "--format", "text", "."]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("liability.md (markdown"));
    // --no-config ignores the file: pretty text and the drafts are back.
    let out = run_in(&sub, &["--no-config", "scan", "."]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("drafts/draft.md (markdown"), "{text}");
}

#[test]
fn exclusions_are_relative_to_the_configuration_whatever_folder_is_scanned() {
    let dir = project();
    write(dir.path(), "drafts/root-draft.md", PRO_OPEN);
    // Anchored at the file's folder, as .gitignore patterns are.
    write(
        dir.path(),
        "policyscan.toml",
        "format = \"csv\"\nexclude = [\"/articles/drafts/\"]\n",
    );
    let paths = |cwd: &std::path::Path, target: &str| -> Vec<String> {
        let out = run_in(cwd, &["scan", "-q", target]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect()
    };
    let articles = dir.path().join("articles");
    assert_eq!(
        paths(dir.path(), "."),
        [
            "articles/liability.md",
            "articles/open.md",
            "drafts/root-draft.md"
        ]
    );
    assert_eq!(
        paths(dir.path(), "articles"),
        ["articles/liability.md", "articles/open.md"]
    );
    // From the subfolder, whose own `drafts/` the pattern names.
    assert_eq!(paths(&articles, "."), ["liability.md", "open.md"]);
    // A folder named on the command line is scanned whatever excludes it.
    assert_eq!(paths(&articles, "drafts"), ["drafts/draft.md"]);
}

#[test]
fn fail_on_and_disabled_checks_change_the_exit_code() {
    let dir = project();
    let root = dir.path();
    // The default fails only on errors; the liability article has a warning.
    assert_eq!(run_in(root, &["scan", "articles"]).status.code(), Some(0));
    write(root, "policyscan.toml", "fail-on = \"warning\"\n");
    let out = run_in(root, &["scan", "articles"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("liability-without-research-safe-harbor"));
    // The command line wins over the file.
    let out = run_in(root, &["scan", "--fail-on", "error", "articles"]);
    assert_eq!(out.status.code(), Some(0));
    write(
        root,
        "policyscan.toml",
        "fail-on = \"warning\"\n[checks]\ndisable = [\"liability-without-research-safe-harbor\"]\n",
    );
    let out = run_in(root, &["scan", "--format", "json", "articles"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks: Vec<&serde_json::Value> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["checks"].as_array().into_iter().flatten())
        .collect();
    assert!(
        checks
            .iter()
            .all(|c| c["check"] != "liability-without-research-safe-harbor"),
        "{checks:?}"
    );
}

/// `diff` reads the same settings as `scan`: `fail-on` (the flag wins)
/// and disabled checks.
#[test]
fn diff_honours_fail_on_and_disabled_checks() {
    let dir = project();
    let root = dir.path();
    let diff = |extra: &[&str]| {
        let mut args = vec!["diff", "-f", "json"];
        args.extend_from_slice(extra);
        args.extend(["articles/open.md", "articles/liability.md"]);
        run_in(root, &args)
    };
    let new_checks = |out: &Output| -> Vec<String> {
        let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        d["checks_new"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["check"].as_str().unwrap().to_string())
            .collect()
    };
    let out = diff(&[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the default fails on errors only"
    );
    assert!(new_checks(&out).contains(&"liability-without-research-safe-harbor".to_string()));
    write(root, "policyscan.toml", "fail-on = \"warning\"\n");
    assert_eq!(diff(&[]).status.code(), Some(1));
    assert_eq!(diff(&["--fail-on", "error"]).status.code(), Some(0));
    write(
        root,
        "policyscan.toml",
        "fail-on = \"warning\"\n[checks]\ndisable = [\"liability-without-research-safe-harbor\"]\n",
    );
    let out = diff(&[]);
    assert!(
        !new_checks(&out).contains(&"liability-without-research-safe-harbor".to_string()),
        "{:?}",
        new_checks(&out)
    );
}

#[test]
fn rules_paths_are_relative_to_the_config_file() {
    let dir = project();
    let root = dir.path();
    write(
        root,
        "policy/rules.yaml",
        "name: house\nthemes:\n  - id: house\n    title: House\n    threshold: 1\n    rules:\n      - id: weights\n        keywords: [open-weight]\n        examples: [open-weight models]\n",
    );
    write(root, "policy/policyscan.toml", "rules = [\"rules.yaml\"]\n");
    let out = run_in(
        &root.join("articles"),
        &[
            "--config",
            "../policy/policyscan.toml",
            "scan",
            "--format",
            "json",
            "open.md",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["rulesets"][0]["name"], "house");
    assert_eq!(report["documents"][0]["themes"][0]["id"], "house");
    // `rules check` and the other rule commands use it too.
    let out = run_in(&root.join("policy"), &["rules", "check"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("house"));
    // A ruleset named on the command line replaces the configured one.
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/default.yaml");
    let out = run_in(&root.join("policy"), &["rules", "check", default]);
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.contains("ok: 14 themes") && !out.contains("house"),
        "{out}"
    );
}

#[test]
fn a_missing_configured_ruleset_names_the_setting_that_named_it() {
    let dir = project();
    let root = dir.path();
    write(
        root,
        "policyscan.toml",
        "fail-on = \"warning\"\nadd-rules = [\"house.yaml\"]\n",
    );
    let out = run_in(root, &["scan", "--format", "json", "articles"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("house.yaml: no such ruleset file or folder (named by `add-rules` in ")
            && err.contains("policyscan.toml:2)"),
        "{err}"
    );
    // The JSON report carries it against the missing file.
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let error = &report["errors"][0];
    assert!(
        error["path"].as_str().unwrap().ends_with("house.yaml"),
        "{error}"
    );
    assert!(
        error["message"].as_str().unwrap().contains("`add-rules`"),
        "{error}"
    );
    // A `rules` setting the command line replaces is not looked at.
    write(root, "policyscan.toml", "rules = [\"house.yaml\"]\n");
    let out = run_in(root, &["scan", "--rules", "../none.yaml", "articles"]);
    assert!(
        stderr(&out).contains("none.yaml: cannot read ruleset"),
        "{}",
        stderr(&out)
    );
    let out = run_in(root, &["rules", "list"]);
    assert!(
        stderr(&out).contains("named by `rules` in "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_ruleset_named_to_test_replaces_the_configured_rules() {
    let dir = project();
    let root = dir.path();
    // The configured rules would fail their own example.
    write(
        root,
        "house.yaml",
        "themes:\n  - id: house\n    rules:\n      - id: h\n        keywords: [house style]\n        examples: [nothing here]\n",
    );
    write(
        root,
        "mine.yaml",
        "themes:\n  - id: mine\n    rules:\n      - id: m\n        keywords: [my phrase]\n        examples: [this is my phrase]\n",
    );
    write(root, "policyscan.toml", "rules = [\"house.yaml\"]\n");
    let out = run_in(root, &["test", "mine.yaml"]);
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains("1 example") && !said.contains("`h`"),
        "{said}"
    );
    // Without a file, the configured rules are the ones tested.
    let out = run_in(root, &["test"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn rules_list_and_show_mark_the_checks_the_config_disables() {
    let dir = project();
    let root = dir.path();
    write(
        root,
        "policyscan.toml",
        "[checks]\ndisable = [\"argues-against-open-release\"]\n",
    );
    let out = run_in(&root.join("articles"), &["rules", "list"]);
    let list = String::from_utf8_lossy(&out.stdout);
    let checks: Vec<&str> = list.lines().filter(|l| l.starts_with("check")).collect();
    assert!(checks.len() > 1, "{list}");
    for line in checks {
        let disabled = line.contains("argues-against-open-release");
        assert_eq!(line.contains("disabled in "), disabled, "{line}");
        assert_eq!(line.contains("policyscan.toml:2"), disabled, "{line}");
    }
    let out = run_in(root, &["rules", "show", "argues-against-open-release"]);
    let show = String::from_utf8_lossy(&out.stdout);
    assert!(
        show.contains("disabled: `checks.disable` in policyscan.toml:2"),
        "{show}"
    );
    let out = run_in(
        root,
        &[
            "--no-config",
            "rules",
            "show",
            "argues-against-open-release",
        ],
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("disabled"));
}

#[test]
fn max_filesize_in_the_config_skips_large_files_unless_the_flag_says_otherwise() {
    let dir = project();
    write(dir.path(), "articles/long.md", PRO_OPEN.repeat(20));
    let skipped = |args: &[&str]| {
        let mut all = vec!["scan", "--format", "json"];
        all.extend_from_slice(args);
        let out = run_in(dir.path(), &all);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let skipped = report["skipped"].as_array().unwrap().clone();
        skipped
            .iter()
            .map(|s| s["path"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    for setting in ["max-filesize = \"1K\"\n", "max-filesize = 1024\n"] {
        write(dir.path(), "policyscan.toml", setting);
        assert_eq!(skipped(&["articles"]), ["articles/long.md"], "{setting}");
        assert!(
            skipped(&["--max-filesize", "1M", "articles"]).is_empty(),
            "{setting}"
        );
        let out = run_in(dir.path(), &["config", "show"]);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.lines().any(
                |l| l.starts_with("max-filesize = 1024 ") && l.ends_with("# policyscan.toml:1")
            ),
            "{text}"
        );
    }
}

#[test]
fn config_show_prints_each_setting_and_its_origin() {
    let dir = project();
    write(
        dir.path(),
        "policyscan.toml",
        "# project settings\nformat = \"sarif\"\n\nexclude = [\"drafts/\"]\n",
    );
    let out = run_in(&dir.path().join("articles"), &["config", "show"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("{key} missing: {text}"))
            .to_string()
    };
    assert!(text.starts_with("# from "), "{text}");
    assert!(line("format").contains("\"sarif\""));
    assert!(line("format").ends_with("# policyscan.toml:2"), "{text}");
    assert!(line("exclude").ends_with("# policyscan.toml:4"), "{text}");
    assert!(line("fail-on").ends_with("# default"), "{text}");
    assert!(
        line("max-filesize").starts_with("max-filesize = none "),
        "{text}"
    );
    assert!(line("rules").contains("embedded default"), "{text}");

    let empty = tempfile::tempdir().unwrap();
    let out = run_in(empty.path(), &["config", "show"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("# no policyscan.toml"), "{text}");
    // With a config present but --no-config, it says why it is not used.
    let out = run_in(dir.path(), &["--no-config", "config", "show"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("# --no-config: defaults\n"), "{text}");
    assert!(text.contains("format = \"text\""), "{text}");
}

#[test]
fn config_errors_name_the_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "formt = \"json\"\n",
            "policyscan.toml:1:1: unknown field `formt`",
            "(did you mean `format`?)",
        ),
        (
            "\nformat = \"jsn\"\n",
            "policyscan.toml:2: invalid `format` value `jsn`",
            "expected one of text, json",
        ),
        (
            "exclude = \"drafts\"\n",
            "policyscan.toml:1:11: ",
            "expected a list such as [\"…\"]",
        ),
        (
            "fail-on = \"warn\"\n",
            "policyscan.toml:1: invalid `fail-on` value `warn`",
            "did you mean `warning`?",
        ),
        ("format = [\n", "policyscan.toml:", ""),
        (
            "[checks]\ndisable = [\"no-such-check\"]\n",
            "policyscan.toml:2: checks.disable: no check `no-such-check`",
            "",
        ),
        (
            "[checks]\ndisable = [\"argues-against-open-releas\"]\n",
            "policyscan.toml:2: checks.disable: no check `argues-against-open-releas`",
            "(did you mean `argues-against-open-release`?)",
        ),
        (
            "\nexclude = [\"ok/\", \"drafts/[\"]\n",
            "policyscan.toml:2: invalid `exclude`: invalid glob `drafts/[`: ",
            "unclosed character class",
        ),
        (
            "\n\nmax-filesize = \"lots\"\n",
            "policyscan.toml:3: invalid `max-filesize`: ",
            "expected a size such as 500, 64K, 50M or 2G, got `lots`",
        ),
    ];
    for (content, expect, also) in cases {
        write(dir.path(), "policyscan.toml", content);
        let out = run_in(dir.path(), &["scan", "."]);
        assert_eq!(out.status.code(), Some(2), "{content}");
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            err.contains(expect) && err.contains(also),
            "{content}: {err}"
        );
        // A JSON run still writes a report, the problem in its errors.
        let out = run_in(dir.path(), &["scan", "--format", "json", "."]);
        assert_eq!(out.status.code(), Some(2), "{content}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{content}: not a JSON report ({e})"));
        let message = report["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(expect), "{content}: {report}");
    }
    // A --config that cannot be read says so.
    let out = run_in(dir.path(), &["--config", "missing.toml", "scan", "."]);
    assert!(
        stderr(&out).contains("missing.toml: cannot read the configuration: No such file"),
        "{}",
        stderr(&out)
    );
}
