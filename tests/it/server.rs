//! The language server (`policyscan server`), driven over its standard
//! input and output as an editor would.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::policyscan;

const DRAFT: &str = "# Draft\n\n😀 Developers must be held liable for harms their models cause. \
    The attorney general may bring a civil action and seek civil penalties.\n";

/// A running server and the messages it has sent.
struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: u64,
}

impl Session {
    fn start(dir: &Path, args: &[&str]) -> Session {
        Session::start_in(dir, &[&["--no-config", "server"], args].concat())
    }

    /// A server that looks for policyscan.toml, started in `dir`.
    fn start_in(dir: &Path, args: &[&str]) -> Session {
        let mut child = policyscan()
            .current_dir(dir)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                if send.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Session {
            stdin: child.stdin.take(),
            child,
            messages,
            next_id: 0,
        }
    }

    fn raw(&mut self, body: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        stdin.write_all(body).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        let message = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.raw(&serde_json::to_vec(&message).unwrap());
    }

    /// Sends a request and returns its response, passing over the
    /// notifications before it.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.raw(&serde_json::to_vec(&message).unwrap());
        self.until(|m| m["id"] == id)
    }

    /// The next message that `wanted` accepts.
    fn until(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self
                .messages
                .recv_timeout(Duration::from_secs(20))
                .expect("the server answers");
            if wanted(&message) {
                return message;
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.until(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self, encodings: &[&str]) -> Value {
        let response = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null,
                   "capabilities": {"general": {"positionEncodings": encodings}}}),
        );
        self.notify("initialized", json!({}));
        response
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    /// Opens `text` as Markdown at `uri`, finds the finding of `check`,
    /// which must be in `section`, and returns the answer to a request
    /// for its code actions.
    fn fixes_for(&mut self, uri: &str, text: &str, check: &str, section: &str) -> Value {
        self.open(uri, "markdown", text);
        let diagnostics = self.diagnostics(uri);
        let finding = diagnostics.iter().find(|d| d["code"] == check).unwrap();
        assert_eq!(finding["data"]["section"], section);
        self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": finding["range"],
                   "context": {"diagnostics": diagnostics}}),
        )
    }

    /// Sends `shutdown` (when asked) and `exit`, and returns the exit code.
    fn exit(mut self, shutdown: bool) -> Option<i32> {
        if shutdown {
            assert_eq!(self.request("shutdown", Value::Null)["result"], Value::Null);
        }
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        self.child.wait().unwrap().code()
    }
}

/// A folder holding DRAFT as `name`, its path, and what `scan --format
/// json` reports for it, with all its evidence.
fn draft_and_report(name: &str) -> (tempfile::TempDir, std::path::PathBuf, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, DRAFT).unwrap();
    let args = [
        "--no-config",
        "scan",
        "--format",
        "json",
        "--max-evidence",
        "100",
        name,
    ];
    let out = crate::support::run_in(dir.path(), &args);
    (dir, path, serde_json::from_slice(&out.stdout).unwrap())
}

/// Neither a finding of `check` nor a warning about a suppression is
/// among `diagnostics`.
fn assert_suppressed(diagnostics: &[Value], check: &str) {
    assert!(
        !diagnostics
            .iter()
            .any(|d| d["code"] == check || d["code"] == "suppression"),
        "{diagnostics:?}"
    );
}

fn uri_of(path: &Path) -> String {
    format!(
        "file://{}",
        path.to_str()
            .unwrap()
            .replace('%', "%25")
            .replace(' ', "%20")
    )
}

/// The text from `start` to `end` of `text`, positions counted in UTF-16
/// units (or code points).
fn slice(text: &str, range: &Value, utf32: bool) -> String {
    let line = text
        .lines()
        .nth(range["start"]["line"].as_u64().unwrap() as usize)
        .unwrap();
    assert_eq!(range["start"]["line"], range["end"]["line"]);
    let (start, end) = (
        range["start"]["character"].as_u64().unwrap() as usize,
        range["end"]["character"].as_u64().unwrap() as usize,
    );
    if utf32 {
        return line.chars().skip(start).take(end - start).collect();
    }
    let units: Vec<u16> = line.encode_utf16().collect();
    String::from_utf16(&units[start..end]).unwrap()
}

#[test]
fn the_server_publishes_findings_while_a_draft_is_edited() {
    let (dir, path, report) = draft_and_report("my draft.md");
    let doc = &report["documents"][0];
    let finding = &doc["checks"][0];
    assert_eq!(finding["check"], "liability-without-research-safe-harbor");

    for utf32 in [false, true] {
        let mut session = Session::start(dir.path(), &[]);
        let encodings: &[&str] = if utf32 {
            &["utf-32", "utf-16"]
        } else {
            &["utf-16"]
        };
        let init = session.initialize(encodings);
        let encoding = &init["result"]["capabilities"]["positionEncoding"];
        assert_eq!(encoding, if utf32 { "utf-32" } else { "utf-16" });
        let uri = uri_of(&path);
        session.open(&uri, "markdown", DRAFT);
        let diagnostics = session.diagnostics(&uri);
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
        let d = &diagnostics[0];
        assert_eq!(d["code"], finding["check"]);
        assert_eq!(d["source"], "policyscan");
        assert_eq!(d["severity"], 2, "a warning");
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .starts_with(finding["message"].as_str().unwrap())
        );
        // The range covers the first evidence's words, after the emoji
        // (two UTF-16 units, one code point).
        let evidence = &finding["evidence"][0];
        assert_eq!(
            d["range"]["start"]["line"],
            evidence["line"].as_u64().unwrap() - 1
        );
        assert_eq!(
            slice(DRAFT, &d["range"], utf32),
            evidence["text"].as_str().unwrap()
        );
        let related = d["relatedInformation"].as_array().unwrap();
        assert_eq!(related.len(), finding["evidence"].as_array().unwrap().len());
        for (item, evidence) in related.iter().zip(finding["evidence"].as_array().unwrap()) {
            assert_eq!(item["location"]["uri"], uri.as_str());
            assert_eq!(
                slice(DRAFT, &item["location"]["range"], utf32),
                evidence["text"].as_str().unwrap()
            );
        }
        let hint = &diagnostics[1];
        assert_eq!(
            (&hint["code"], &hint["severity"]),
            (&json!("stance"), &json!(4))
        );
        let label = doc["stance"]["label"].as_str().unwrap();
        assert!(
            hint["message"]
                .as_str()
                .unwrap()
                .starts_with(&format!("Stance: {label} (confidence ")),
            "{hint}"
        );

        // An edit that waives the check: the finding goes, the hint stays.
        let waived = format!(
            "<!-- policyscan-ignore-file: liability-without-research-safe-harbor -- the \
             companion bill has the harbor -->\n{DRAFT}"
        );
        session.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"text": waived}]}),
        );
        let diagnostics = session.diagnostics(&uri);
        let codes: Vec<&Value> = diagnostics.iter().map(|d| &d["code"]).collect();
        assert_eq!(codes, [&json!("stance")]);
        // A ranged edit that removes the comment brings it back.
        session.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 3},
                   "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                                 "end": {"line": 1, "character": 0}},
                                       "text": ""}]}),
        );
        assert_eq!(session.diagnostics(&uri).len(), 2);
        // Closing the document clears its diagnostics.
        session.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
        assert!(session.diagnostics(&uri).is_empty());
        assert_eq!(session.exit(true), Some(0));
    }
}

#[test]
fn documents_policyscan_does_not_read_get_no_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = Session::start(dir.path(), &[]);
    session.initialize(&[]);
    let code = uri_of(&dir.path().join("lib.rs"));
    session.open(&code, "rust", "// Developers must be held liable.\n");
    assert!(session.diagnostics(&code).is_empty());
    // An unsaved buffer is read in its language.
    session.open("untitled:Untitled-1", "markdown", DRAFT);
    let diagnostics = session.diagnostics("untitled:Untitled-1");
    assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
    assert_eq!(session.exit(true), Some(0));
}

#[test]
fn rules_that_do_not_load_are_shown_on_their_lines_and_saving_them_reloads() {
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("extra.yaml");
    std::fs::write(
        &extra,
        "themes:\n  - id: t\n    rules:\n      - id: r\n        patterns: ['(x']\n",
    )
    .unwrap();
    let mut session = Session::start(dir.path(), &["--add-rules", "extra.yaml"]);
    session.initialize(&[]);
    let shown = session.until(|m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 1);
    let rules_uri = uri_of(&extra);
    let problems = session.diagnostics(&rules_uri);
    only_problem(&problems, "invalid regex");
    assert_eq!(problems[0]["range"]["start"]["line"], 4, "line 5");
    // No rules have loaded: a draft gets nothing yet.
    let draft = uri_of(&dir.path().join("draft.md"));
    session.open(&draft, "markdown", DRAFT);
    assert!(session.diagnostics(&draft).is_empty());

    // The author fixes the ruleset and saves it.
    std::fs::write(
        &extra,
        "checks:\n  - id: mentions-liability\n    severity: error\n    message: Names \
         liability.\n    when:\n      all-present: [liability]\n",
    )
    .unwrap();
    session.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": rules_uri}}),
    );
    assert!(
        session.diagnostics(&rules_uri).is_empty(),
        "problems cleared"
    );
    let diagnostics = session.diagnostics(&draft);
    let error = diagnostics
        .iter()
        .find(|d| d["code"] == "mentions-liability")
        .expect("the new check fires");
    assert_eq!(error["severity"], 1);

    // Broken again: the problem is shown, the last good rules stay.
    std::fs::write(&extra, "checks: [").unwrap();
    session.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": rules_uri}}),
    );
    let shown = session.until(|m| m["method"] == "window/showMessage");
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("the rules loaded before stay in use"),
        "{shown}"
    );
    assert_eq!(session.diagnostics(&rules_uri).len(), 1);
    let diagnostics = session.diagnostics(&draft);
    assert!(
        diagnostics
            .iter()
            .any(|d| d["code"] == "mentions-liability")
    );
    assert_eq!(session.exit(true), Some(0));
}

#[test]
fn protocol_errors_are_answered_and_the_server_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = Session::start(dir.path(), &[]);
    // Before `initialize`, requests are refused.
    let early = session.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    session.raw(b"{not json");
    let parse = session.until(|m| m.get("error").is_some());
    assert_eq!(
        (&parse["id"], &parse["error"]["code"]),
        (&Value::Null, &json!(-32700))
    );
    session.initialize(&[]);
    let unknown = session.request("textDocument/definition", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    // A hover of nothing in particular is answered with nothing.
    let hover = session.request("textDocument/hover", json!({}));
    assert_eq!((&hover["result"], hover.get("error")), (&Value::Null, None));
    // Still serving.
    let uri = "untitled:x";
    session.open(
        uri,
        "plaintext",
        "Developers must be held liable for harms.",
    );
    assert!(!session.diagnostics(uri).is_empty());
    // `exit` without `shutdown` exits 1, as the protocol says.
    assert_eq!(session.exit(false), Some(1));
}

#[test]
fn quick_fixes_insert_suppression_comments_that_take_effect_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = Session::start(dir.path(), &[]);
    session.initialize(&[]);
    let check = "liability-without-research-safe-harbor";
    let bill = format!(
        "---\ntitle: Bill\n---\n# Bill\n\n## Part one\n\nThis part is about scope.\n\n\
         ## Part two\n\n{}",
        DRAFT.trim_start_matches("# Draft\n\n")
    );
    let uri = uri_of(&dir.path().join("bill.md"));
    let response = session.fixes_for(&uri, &bill, check, "Bill > Part two");
    let actions = response["result"].as_array().unwrap();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(
            &format!("Suppress `{check}` in section “Part two” (give the reason after `--`)")
                .as_str()
        ) && titles.contains(
            &format!("Suppress `{check}` in this document (give the reason after `--`)").as_str()
        ),
        "{titles:?}"
    );
    let edit = |title_part: &str| {
        let action = actions
            .iter()
            .find(|a| {
                a["title"].as_str().unwrap().contains(title_part)
                    && a["title"].as_str().unwrap().contains(check)
            })
            .unwrap();
        assert_eq!(action["kind"], "quickfix");
        action["edit"]["changes"][&uri][0].clone()
    };
    // The section's comment goes under its heading; the document's after
    // the front matter.
    let section = edit("section");
    assert_eq!(section["range"]["start"]["line"], 10, "after `## Part two`");
    assert_eq!(
        section["newText"],
        format!("<!-- policyscan-ignore: {check} -- -->\n")
    );
    assert_eq!(edit("document")["range"]["start"]["line"], 3);

    // Applied as offered, the comment has no reason: it is ignored, and
    // a warning on its line says so.
    session.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": section["range"], "text": section["newText"]}]}),
    );
    let diagnostics = session.diagnostics(&uri);
    assert!(diagnostics.iter().any(|d| d["code"] == check));
    let warning = diagnostics
        .iter()
        .find(|d| d["code"] == "suppression")
        .expect("a warning about the comment");
    assert_eq!(warning["range"]["start"]["line"], 10);
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("has no reason"),
        "{warning}"
    );
    // With a reason, the finding goes.
    session.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3},
               "contentChanges": [{"range": {"start": {"line": 10, "character": 0},
                                             "end": {"line": 11, "character": 0}},
                                   "text": format!("<!-- policyscan-ignore: {check} -- counsel reviewed this part -->\n")}]}),
    );
    assert_suppressed(&session.diagnostics(&uri), check);

    // A setext heading: the fix goes under its underline.
    let setext = format!(
        "Bill\n====\n\nPart one\n--------\n\nThis part is about scope.\n\nPart two\n--------\n\n{}",
        DRAFT.trim_start_matches("# Draft\n\n")
    );
    let uri = uri_of(&dir.path().join("setext.md"));
    let response = session.fixes_for(&uri, &setext, check, "Bill > Part two");
    let fix = response["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .contains("in section “Part two”")
        })
        .expect("a fix for the section")["edit"]["changes"][&uri][0]
        .clone();
    assert_eq!(fix["range"]["start"]["line"], 10, "after `--------`");
    // With a reason given, the comment takes the finding away and the
    // heading is still a heading.
    let text = fix["newText"]
        .as_str()
        .unwrap()
        .replace("-- -->", "-- reviewed -->");
    session.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": fix["range"], "text": text}]}),
    );
    assert_suppressed(&session.diagnostics(&uri), check);

    // Plain text without headings: a comment anywhere covers the whole
    // document, so that is the one fix offered, as a bare directive line.
    let note = uri_of(&dir.path().join("note.txt"));
    session.open(&note, "plaintext", "Preamble.\n\nDevelopers must be held liable for harms their models cause. The attorney general may bring a civil action.\n");
    let diagnostics = session.diagnostics(&note);
    let response = session.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": note}, "range": diagnostics[0]["range"],
               "context": {"diagnostics": diagnostics}}),
    );
    let actions = response["result"].as_array().unwrap();
    let checks = diagnostics
        .iter()
        .filter(|d| d["severity"].as_u64().unwrap() < 4)
        .count();
    assert_eq!(actions.len(), checks, "{actions:?}");
    let first = &actions[0]["edit"]["changes"][&note][0];
    assert_eq!(first["range"]["start"]["line"], 0);
    assert!(
        first["newText"]
            .as_str()
            .unwrap()
            .starts_with("policyscan-ignore-file: "),
        "{first}"
    );
    assert_eq!(session.exit(true), Some(0));
}

#[test]
fn a_ruleset_being_edited_is_checked_as_it_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    // In use through --add-rules, so its rules are loaded with the
    // default's (whose themes it extends).
    std::fs::write(dir.path().join("extra.yaml"), "rules: []\n").unwrap();
    let mut session = Session::start(dir.path(), &["--add-rules", "extra.yaml"]);
    session.initialize(&[]);
    let extra = uri_of(&dir.path().join("extra.yaml"));
    let rule = |pattern: &str, example: &str| {
        format!(
            "rules:\n  - id: permit-regime\n    theme: licensing\n    patterns: ['{pattern}']\n    \
             examples:\n      - {example}\n"
        )
    };
    // An invalid regex: an error where it is, before anything is saved.
    session.open(
        &extra,
        "yaml",
        &rule("permit (regime", "A permit regime for models."),
    );
    let diagnostics = session.diagnostics(&extra);
    only_problem(&diagnostics, "invalid regex");
    assert_eq!(diagnostics[0]["severity"], 1);
    assert_eq!(diagnostics[0]["code"], "ruleset");
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 3);
    // Fixed, but its example does not match: a warning on the example.
    let change = |session: &mut Session, version: u64, text: String| {
        session.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": extra, "version": version},
                   "contentChanges": [{"text": text}]}),
        );
    };
    change(
        &mut session,
        2,
        rule("permit regimes?", "A licence regime for models."),
    );
    let diagnostics = session.diagnostics(&extra);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(
        (&diagnostics[0]["code"], &diagnostics[0]["severity"]),
        (&json!("example"), &json!(2))
    );
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 5);
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("`permit-regime`: example does not match"),
        "{diagnostics:?}"
    );
    change(
        &mut session,
        3,
        rule("permit regimes?", "A permit regime for models."),
    );
    assert!(session.diagnostics(&extra).is_empty());
    // An id the default ruleset already has: it clashes only among the
    // rules in use, which is how it is checked.
    change(
        &mut session,
        4,
        "rules:\n  - id: liability-core\n    theme: licensing\n    keywords: [permit regime]\n"
            .to_string(),
    );
    let diagnostics = session.diagnostics(&extra);
    assert!(
        diagnostics
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("liability-core")),
        "{diagnostics:?}"
    );

    // A ruleset of its own (not in use) is checked alone.
    let own = uri_of(&dir.path().join("own.yaml"));
    session.open(
        &own,
        "yaml",
        "themes:\n  - id: t\n    title: T\n    rules:\n      - id: r\n        keywords: [alpha]\n        \
         examples: [alpha beta]\nchecks:\n  - id: c\n    severity: warning\n    message: M\n    \
         when:\n      all-present: [nope]\n",
    );
    let diagnostics = session.diagnostics(&own);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 12);
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown theme `nope`"),
        "{diagnostics:?}"
    );
    // An add-on not yet configured: alone its theme is unknown, among
    // the rules in use it is not, so the problem shown is its own.
    let addon = uri_of(&dir.path().join("addon.yaml"));
    session.open(&addon, "yaml", &rule("permit (regime", "A permit regime."));
    let diagnostics = session.diagnostics(&addon);
    only_problem(&diagnostics, "invalid regex");
    // JSON that is not a ruleset (a SARIF log has `rules` deeper down).
    let sarif = uri_of(&dir.path().join("report.sarif.json"));
    session.open(
        &sarif,
        "json",
        "{\n  \"runs\": [\n    {\"tool\": {\"driver\": {\n          \"rules\": []}}}]\n}\n",
    );
    assert!(session.diagnostics(&sarif).is_empty());
    assert_eq!(session.exit(true), Some(0));
}

#[test]
fn a_broken_ruleset_open_in_the_editor_keeps_its_problems_shown() {
    let dir = tempfile::tempdir().unwrap();
    let broken =
        "rules:\n  - id: permit-regime\n    theme: licensing\n    patterns: ['permit (regime']\n";
    std::fs::write(dir.path().join("extra.yaml"), broken).unwrap();
    let mut session = Session::start(dir.path(), &["--add-rules", "extra.yaml"]);
    session.initialize(&[]);
    let extra = uri_of(&dir.path().join("extra.yaml"));
    assert_eq!(session.diagnostics(&extra).len(), 1, "from the failed load");
    // Opened while no rules load: checked all the same, among the
    // default's themes (no `unknown theme`).
    session.open(&extra, "yaml", broken);
    let diagnostics = session.diagnostics(&extra);
    only_problem(&diagnostics, "invalid regex");
    // Fixed in the buffer: clean before it is saved.
    let fixed = broken.replace("permit (regime", "permit regimes?");
    session.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": extra, "version": 2},
               "contentChanges": [{"text": fixed}]}),
    );
    let diagnostics = session.diagnostics(&extra);
    let codes: Vec<&Value> = diagnostics.iter().map(|d| &d["code"]).collect();
    assert_eq!(codes, [&json!("lint")], "only: it has no examples");
    assert_eq!(session.exit(true), Some(0));
}

/// Asserts that `diagnostics` are one, whose message mentions `what`.
fn only_problem(diagnostics: &[Value], what: &str) {
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(message.contains(what), "{diagnostics:?}");
}

#[test]
fn settings_come_from_the_workspace_root_and_its_exclusions_hold() {
    let project = tempfile::tempdir().unwrap();
    // Editors often start servers elsewhere (VS Code in its own folder).
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir(project.path().join("drafts")).unwrap();
    let config = project.path().join("policyscan.toml");
    let bill = uri_of(&project.path().join("bill.md"));
    let draft = uri_of(&project.path().join("drafts/old draft.md"));
    let check = json!("liability-without-research-safe-harbor");
    let codes = |diagnostics: Vec<Value>| -> Vec<Value> {
        diagnostics.iter().map(|d| d["code"].clone()).collect()
    };
    let roots = [
        json!({"rootUri": uri_of(project.path())}),
        json!({"rootUri": null, "workspaceFolders": [{"uri": uri_of(project.path()), "name": "p"}]}),
        json!({"rootPath": project.path()}),
    ];
    for root in roots {
        std::fs::write(
            &config,
            "exclude = [\"drafts/\"]\n\n[checks]\ndisable = [\"liability-without-research-safe-harbor\"]\n",
        )
        .unwrap();
        let mut session = Session::start_in(elsewhere.path(), &["server"]);
        let mut params = json!({"processId": null, "capabilities": {}});
        params
            .as_object_mut()
            .unwrap()
            .extend(root.as_object().unwrap().clone());
        session.request("initialize", params);
        let log = session.until(|m| m["method"] == "window/logMessage");
        let told = log["params"]["message"].as_str().unwrap();
        assert!(told.contains(&config.display().to_string()), "{told}");
        assert!(told.contains("drafts/"), "{told}");
        session.notify("initialized", json!({}));
        session.open(&bill, "markdown", DRAFT);
        assert_eq!(codes(session.diagnostics(&bill)), [json!("stance")]);
        session.open(&draft, "markdown", DRAFT);
        assert!(session.diagnostics(&draft).is_empty());
        // Saving the configuration reads it again, from the root.
        std::fs::write(&config, "format = \"json\"\n").unwrap();
        session.notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": uri_of(&config)}}),
        );
        assert_eq!(
            codes(session.diagnostics(&bill)),
            [check.clone(), json!("stance")]
        );
        assert_eq!(
            codes(session.diagnostics(&draft)),
            [check.clone(), json!("stance")]
        );
        assert_eq!(session.exit(true), Some(0));
    }
    // Without a root, the server's working folder is where it looks, and
    // there is none there.
    let mut session = Session::start_in(elsewhere.path(), &["server"]);
    session.initialize(&[]);
    session.open(&draft, "markdown", DRAFT);
    assert_eq!(
        codes(session.diagnostics(&draft)),
        [check.clone(), json!("stance")]
    );
    assert_eq!(session.exit(true), Some(0));
}

#[test]
fn an_invalid_exclusion_is_a_configuration_error_until_it_is_fixed() {
    let project = tempfile::tempdir().unwrap();
    let config = project.path().join("policyscan.toml");
    std::fs::write(&config, "\n\nexclude = [\"drafts/[\"]\n").unwrap();
    let mut session = Session::start_in(project.path(), &["server"]);
    session.initialize(&[]);
    let shown = session.until(|m| m["method"] == "window/showMessage");
    let text = shown["params"]["message"].as_str().unwrap();
    assert!(
        text.contains("policyscan.toml:3: invalid `exclude`: invalid glob `drafts/[`"),
        "{text}"
    );
    assert_eq!(shown["params"]["type"], 1, "an error");
    // No rules: nothing is checked.
    let bill = uri_of(&project.path().join("bill.md"));
    let draft = uri_of(&project.path().join("drafts/a.md"));
    session.open(&bill, "markdown", DRAFT);
    assert!(session.diagnostics(&bill).is_empty());
    session.open(&draft, "markdown", DRAFT);
    assert!(session.diagnostics(&draft).is_empty());
    // Fixed and saved: the bill is checked, the draft excluded.
    std::fs::write(&config, "exclude = [\"drafts/\"]\n").unwrap();
    session.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri_of(&config)}}),
    );
    assert_eq!(session.diagnostics(&bill).len(), 2);
    assert!(session.diagnostics(&draft).is_empty());
    assert_eq!(session.exit(true), Some(0));
}

#[test]
fn hovering_over_a_cue_tells_what_it_counts_for() {
    let (dir, path, report) = draft_and_report("draft.md");
    let doc = &report["documents"][0];
    let cue = &doc["stance"]["evidence"][0];
    let theme = doc["themes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["present"] == true)
        .expect("a present theme");
    let uri = uri_of(&path);
    // The position of the middle of an evidence item, in UTF-16 units.
    let middle = |item: &Value| {
        let line = item["line"].as_u64().unwrap() - 1;
        let chars = item["column"].as_u64().unwrap() as usize - 1
            + item["text"].as_str().unwrap().chars().count() / 2;
        let text = DRAFT.lines().nth(line as usize).unwrap();
        let units: usize = text.chars().take(chars).map(char::len_utf16).sum();
        json!({"line": line, "character": units})
    };
    let hover = |session: &mut Session, position: Value| {
        session.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position}),
        )["result"]
            .clone()
    };

    let mut session = Session::start(dir.path(), &[]);
    let init = session.initialize(&[]);
    assert_eq!(init["result"]["capabilities"]["hoverProvider"], true);
    session.open(&uri, "markdown", DRAFT);
    session.diagnostics(&uri);

    let shown = hover(&mut session, middle(cue));
    let text = shown["contents"]["value"].as_str().unwrap();
    assert_eq!(shown["contents"]["kind"], "markdown");
    let expected = format!(
        "- stance cue `{}`: {}, weight {}",
        cue["cue"].as_str().unwrap(),
        cue["stance"].as_str().unwrap(),
        cue["weight"]
    );
    assert!(text.contains(&expected), "{text}");
    assert_eq!(
        slice(DRAFT, &shown["range"], false),
        cue["text"].as_str().unwrap()
    );
    let label = doc["stance"]["label"].as_str().unwrap();
    assert!(
        text.contains(&format!("Document stance: {label} (confidence ")),
        "{text}"
    );

    // Every hit of the present theme, each with its rule.
    for hit in theme["evidence"].as_array().unwrap() {
        let shown = hover(&mut session, middle(hit));
        let text = shown["contents"]["value"].as_str().unwrap();
        let expected = format!(
            "theme **{}** (`{}`): rule `{}`, weight ",
            theme["title"].as_str().unwrap(),
            theme["id"].as_str().unwrap(),
            hit["rule"].as_str().unwrap()
        );
        assert!(text.contains(&expected), "{text}");
        assert!(text.contains("; present (peak "), "{text}");
        let rules = theme["rules"].as_array().unwrap().len();
        assert!(text.contains(&format!("; {rules} rules, needs ")), "{text}");
        if hit["modifiers"]
            .as_array()
            .is_some_and(|m| m.contains(&json!("prescribed")))
        {
            assert!(text.contains("(prescribed)"), "{text}");
        }
    }
    // The heading has no cue; past the end of the text there is nothing.
    assert_eq!(
        hover(&mut session, json!({"line": 0, "character": 2})),
        Value::Null
    );
    assert_eq!(
        hover(&mut session, json!({"line": 99, "character": 0})),
        Value::Null
    );

    // After an edit that removes the words, the hover goes with them.
    let edited = DRAFT.replace("held liable", "thanked");
    session.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    session.diagnostics(&uri);
    let liable = theme["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["text"] == "be held liable")
        .expect("the liability hit");
    let after = hover(&mut session, middle(liable));
    assert!(!after.to_string().contains("liability-assign"), "{after}");
    assert_eq!(session.exit(true), Some(0));

    // A client that reads plain text only gets plain text.
    let mut session = Session::start(dir.path(), &[]);
    session.request(
        "initialize",
        json!({"processId": null, "rootUri": null,
               "capabilities": {"textDocument": {"hover": {"contentFormat": ["plaintext"]}}}}),
    );
    session.open(&uri, "markdown", DRAFT);
    let shown = hover(&mut session, middle(cue));
    assert_eq!(shown["contents"]["kind"], "plaintext");
    let text = shown["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains(&format!("- stance cue {}:", cue["cue"].as_str().unwrap())),
        "{text}"
    );
    assert!(!text.contains('`') && !text.contains("**"), "{text}");
    assert_eq!(session.exit(true), Some(0));
}
