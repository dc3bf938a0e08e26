//! A language server (`policyscan server`): check findings as diagnostics
//! while a draft is edited, in any editor that speaks the Language Server
//! Protocol.
//!
//! The server reads JSON-RPC messages (`Content-Length` framing) from one
//! stream and writes to another, one message at a time on one thread: a
//! draft scans in milliseconds. Each open document is scanned as `scan`
//! would scan a file of its name (its format from the extension, else the
//! editor's language id) on open and on every change, and its
//! unsuppressed check findings are published as diagnostics, with the
//! evidence as related information and the stance and present themes as
//! one hint; its warnings are diagnostics too, and a finding's quick
//! fixes insert a `policyscan-ignore` comment for its section or
//! document. Saving a ruleset (`.yaml`, `.yml`, `.json`) or
//! `policyscan.toml` reloads the rules and rescans what is open; rules
//! that do not load are reported on the ruleset's lines and the last good
//! rules stay in use. A hover over matched words says what they count
//! for (`policyscan explain` at the cursor). The configuration is looked for from the workspace
//! root the client names, and documents its `exclude` globs match get no
//! diagnostics.
//!
//! Positions are in UTF-16 code units, as the protocol says, or in code
//! points (`utf-32`) when the client offers that encoding.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use ignore::overrides::Override;
use serde_json::{Value, json};

use crate::classify::ClassifyOptions;
use crate::pipeline::{Outcome, prepare, scan_input};
use crate::report::{CheckFinding, DocumentReport, Explanation};
use crate::rules::{CompiledRules, RuleSource, Severity};
use crate::text::Format;
use crate::walk::Input;

/// Rules and options, as the loader the server is given makes them.
pub struct Loaded {
    /// The compiled rules.
    pub rules: CompiledRules,
    /// How documents are classified.
    pub options: ClassifyOptions,
}

/// What a [`Loader`] found.
pub struct Load {
    /// The rulesets the configuration names, in load order (empty when
    /// the configuration itself cannot be read), so that a ruleset being
    /// edited is checked among them even while they do not load.
    pub sources: Vec<RuleSource>,
    /// The configuration file read, if any.
    pub config: Option<PathBuf>,
    /// Its `exclude` globs (gitignore syntax, relative to its folder):
    /// documents they match are not checked, as `scan` does not read them.
    pub exclude: Vec<String>,
    /// The rules loaded from them, or why they did not load.
    pub result: anyhow::Result<Loaded>,
}

/// Loads the rules (and configuration): called when the client
/// initializes and again whenever a ruleset or `policyscan.toml` is
/// saved, with the workspace's root folder, where the configuration is
/// looked for as `scan` looks for it in the folder it runs in (`None`
/// when the client names no root: then the server's working folder).
pub type Loader = Box<dyn FnMut(Option<&Path>) -> Load>;

/// The largest message accepted (a document's text is sent whole).
const MAX_MESSAGE: usize = 1 << 30;

/// JSON-RPC error codes.
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const SERVER_NOT_INITIALIZED: i64 = -32002;

/// Serves the protocol on `input` and `output` until the client sends
/// `exit` (or closes the stream), and returns the process's exit code: 0
/// after `shutdown`, 1 otherwise, as the protocol asks.
pub fn serve<R: BufRead, W: Write>(mut input: R, output: W, load: Loader) -> io::Result<i32> {
    let mut server = Server {
        out: output,
        load,
        loaded: None,
        sources: Vec::new(),
        root: None,
        exclude: None,
        rule_files: Vec::new(),
        documents: BTreeMap::new(),
        initialized: false,
        shutdown: false,
        utf32: false,
        plain_hover: false,
    };
    loop {
        let body = match read_message(&mut input)? {
            Some(body) => body,
            None => return Ok(i32::from(!server.shutdown)),
        };
        let message: Value = match serde_json::from_slice(&body) {
            Ok(message) => message,
            Err(err) => {
                server.error(Value::Null, PARSE_ERROR, &format!("invalid JSON: {err}"))?;
                continue;
            }
        };
        if let Some(code) = server.handle(&message)? {
            return Ok(code);
        }
    }
}

/// An open document.
struct Open {
    text: String,
    language: String,
    /// Its explanation, made at the first hover after a change.
    explained: Option<Box<Explanation>>,
}

struct Server<W> {
    out: W,
    load: Loader,
    /// `None` until the client initializes, or while no rules ever loaded.
    loaded: Option<Loaded>,
    /// The rulesets of the last load, whether or not they loaded.
    sources: Vec<RuleSource>,
    /// The workspace's root folder, as the client gave it.
    root: Option<PathBuf>,
    /// The documents the configuration excludes.
    exclude: Option<Override>,
    /// The ruleset files that got diagnostics, to clear them once the
    /// rules load.
    rule_files: Vec<String>,
    /// The open documents, by URI.
    documents: BTreeMap<String, Open>,
    initialized: bool,
    shutdown: bool,
    /// Positions count code points rather than UTF-16 code units.
    utf32: bool,
    /// Hovers are plain text: the client reads no Markdown.
    plain_hover: bool,
}

impl<W: Write> Server<W> {
    /// Handles one message; `Some(code)` when the server is to exit.
    fn handle(&mut self, message: &Value) -> io::Result<Option<i32>> {
        let id = message.get("id").cloned();
        let Some(method) = message["method"].as_str() else {
            // A response to a request of ours (we send none), or junk.
            if let Some(id) = id.filter(|_| message.get("result").is_none()) {
                self.error(id, INVALID_REQUEST, "a request needs a method")?;
            }
            return Ok(None);
        };
        let params = &message["params"];
        if method == "exit" {
            return Ok(Some(i32::from(!self.shutdown)));
        }
        if !self.initialized && method != "initialize" {
            if let Some(id) = id {
                self.error(id, SERVER_NOT_INITIALIZED, "the client has not initialized")?;
            }
            return Ok(None);
        }
        match (method, id) {
            ("initialize", Some(id)) => self.initialize(id, params)?,
            ("shutdown", Some(id)) => {
                self.shutdown = true;
                self.respond(id, Value::Null)?;
            }
            ("textDocument/didOpen", None) => {
                let doc = &params["textDocument"];
                if let (Some(uri), Some(text)) = (doc["uri"].as_str(), doc["text"].as_str()) {
                    let open = Open {
                        text: text.to_string(),
                        language: doc["languageId"].as_str().unwrap_or_default().to_string(),
                        explained: None,
                    };
                    self.documents.insert(uri.to_string(), open);
                    self.publish(uri)?;
                }
            }
            ("textDocument/didChange", None) => {
                let uri = params["textDocument"]["uri"].as_str().unwrap_or_default();
                let utf32 = self.utf32;
                if let Some(open) = self.documents.get_mut(uri) {
                    for change in params["contentChanges"].as_array().into_iter().flatten() {
                        apply_change(&mut open.text, change, utf32);
                    }
                    open.explained = None;
                    let uri = uri.to_string();
                    self.publish(&uri)?;
                }
            }
            ("textDocument/didClose", None) => {
                if let Some(uri) = params["textDocument"]["uri"].as_str() {
                    self.documents.remove(uri);
                    self.send_diagnostics(uri, Vec::new())?;
                }
            }
            ("textDocument/hover", Some(id)) => {
                let uri = params["textDocument"]["uri"].as_str().unwrap_or_default();
                let result = self.hover(uri, &params["position"]);
                self.respond(id, result)?;
            }
            ("textDocument/codeAction", Some(id)) => {
                let uri = params["textDocument"]["uri"].as_str().unwrap_or_default();
                let options = self.loaded.as_ref().map(|l| &l.options);
                let actions = match self.documents.get(uri) {
                    Some(open) => {
                        code_actions(uri, open, &params["context"]["diagnostics"], options)
                    }
                    None => Vec::new(),
                };
                self.respond(id, Value::Array(actions))?;
            }
            ("textDocument/didSave", None) => {
                let uri = params["textDocument"]["uri"].as_str().unwrap_or_default();
                if configures_rules(uri) {
                    self.reload()?;
                }
            }
            ("workspace/didChangeWatchedFiles", None) => {
                let changes = params["changes"].as_array().into_iter().flatten();
                if changes
                    .filter_map(|c| c["uri"].as_str())
                    .any(configures_rules)
                {
                    self.reload()?;
                }
            }
            (_, Some(id)) => {
                self.error(id, METHOD_NOT_FOUND, &format!("no method `{method}`"))?;
            }
            // Other notifications (`initialized`, `$/cancelRequest`,
            // `$/setTrace`, …) need nothing.
            (_, None) => {}
        }
        Ok(None)
    }

    fn initialize(&mut self, id: Value, params: &Value) -> io::Result<()> {
        let offered = &params["capabilities"]["general"]["positionEncodings"];
        self.utf32 = offered
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e == "utf-32"));
        // Markdown unless the client reads plain text only.
        let formats = &params["capabilities"]["textDocument"]["hover"]["contentFormat"];
        self.plain_hover = formats
            .as_array()
            .is_some_and(|f| !f.is_empty() && !f.iter().any(|f| f == "markdown"));
        // The first workspace folder, else the (deprecated) root.
        self.root = params["workspaceFolders"][0]["uri"]
            .as_str()
            .or(params["rootUri"].as_str())
            .and_then(file_path)
            .or_else(|| params["rootPath"].as_str().map(PathBuf::from));
        self.initialized = true;
        let capabilities = json!({
            "positionEncoding": if self.utf32 { "utf-32" } else { "utf-16" },
            "textDocumentSync": {
                "openClose": true,
                "change": 1,
                "save": {"includeText": false},
            },
            "codeActionProvider": {"codeActionKinds": ["quickfix"]},
            "hoverProvider": true,
        });
        self.respond(
            id,
            json!({
                "capabilities": capabilities,
                "serverInfo": {"name": "policyscan", "version": env!("CARGO_PKG_VERSION")},
            }),
        )?;
        self.reload()
    }

    /// Loads the rules again and rescans every open document. Rules that
    /// do not load are reported (on their files' lines when the problems
    /// have them) and the rules in use stay.
    fn reload(&mut self) -> io::Result<()> {
        let load = (self.load)(self.root.as_deref());
        self.sources = load.sources;
        self.exclude = None;
        let mut told = match &load.config {
            Some(config) => format!("policyscan: settings from {}", config.display()),
            None => "policyscan: no policyscan.toml; default settings".to_string(),
        };
        if let Some(config) = load.config.as_deref().filter(|_| !load.exclude.is_empty()) {
            let parent = config.parent().unwrap_or(Path::new("."));
            // Only a working folder that is gone can make this fail.
            let dir = std::path::absolute(parent).unwrap_or_else(|_| parent.to_path_buf());
            let dir = crate::walk::lexical(&dir);
            match crate::walk::exclusions(&dir, &load.exclude) {
                Ok(exclude) => self.exclude = Some(exclude),
                Err(err) => {
                    let text = format!(
                        "policyscan: {}: `exclude` has an {err}; no document is excluded",
                        config.display()
                    );
                    self.notify("window/showMessage", json!({"type": 2, "message": text}))?;
                }
            }
        }
        if let Some(exclude) = &self.exclude {
            told.push_str(&format!(
                "; documents under {} that match {:?} are not checked",
                exclude.path().display(),
                load.exclude
            ));
        }
        self.notify("window/logMessage", json!({"type": 3, "message": told}))?;
        let problems = match load.result {
            Ok(loaded) => {
                self.loaded = Some(loaded);
                Vec::new()
            }
            Err(err) => rule_problems(&err),
        };
        let mut by_file: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for file in std::mem::take(&mut self.rule_files) {
            by_file.insert(file, Vec::new());
        }
        let mut unplaced = Vec::new();
        for problem in &problems {
            match &problem.file {
                Some(file) => by_file.entry(file.clone()).or_default().push(json!({
                    "range": line_range(problem.line.saturating_sub(1)),
                    "severity": 1,
                    "source": "policyscan",
                    "message": problem.message,
                })),
                None => unplaced.push(problem.message.as_str()),
            }
        }
        if !problems.is_empty() {
            let kept = if self.loaded.is_some() {
                "the rules loaded before stay in use"
            } else {
                "no document is checked until they load"
            };
            let mut text = format!("policyscan: the rules do not load; {kept}.");
            for line in &unplaced {
                text.push('\n');
                text.push_str(line);
            }
            self.notify("window/showMessage", json!({"type": 1, "message": text}))?;
        }
        for (file, diagnostics) in by_file {
            if !diagnostics.is_empty() {
                self.rule_files.push(file.clone());
            }
            self.send_diagnostics(&file, diagnostics)?;
        }
        let open: Vec<String> = self.documents.keys().cloned().collect();
        for uri in open {
            if let Some(open) = self.documents.get_mut(&uri) {
                open.explained = None;
            }
            self.publish(&uri)?;
        }
        Ok(())
    }

    /// Whether the configuration's `exclude` matches the file `uri`.
    fn excluded(&self, uri: &str) -> bool {
        let exclude = self.exclude.as_ref().zip(file_path(uri));
        exclude.is_some_and(|(exclude, path)| excluded(exclude, &path))
    }

    /// The hover at `position` of `uri`: what the words there count for,
    /// or null.
    fn hover(&mut self, uri: &str, position: &Value) -> Value {
        let name = document_name(uri);
        let skip = self.excluded(uri) || in_use(&self.sources, Path::new(&name));
        let (Some(loaded), Some(open)) = (&self.loaded, self.documents.get_mut(uri)) else {
            return Value::Null;
        };
        if skip || is_ruleset(&name, &open.text) {
            return Value::Null;
        }
        if open.explained.is_none() {
            open.explained = explain(loaded, &name, open).map(Box::new);
        }
        let Some(explained) = &open.explained else {
            return Value::Null;
        };
        let lines = Lines::new(&open.text, self.utf32);
        hover(explained, &lines, position, self.plain_hover)
    }

    /// Scans the open document `uri` and publishes its diagnostics.
    fn publish(&mut self, uri: &str) -> io::Result<()> {
        let Some(open) = self.documents.get(uri) else {
            return self.send_diagnostics(uri, Vec::new());
        };
        let name = document_name(uri);
        let in_use = in_use(&self.sources, Path::new(&name));
        // A ruleset in use is checked even where `exclude` reaches, and
        // whether or not the rules load.
        let diagnostics = if !in_use && self.excluded(uri) {
            Vec::new()
        } else if in_use || is_ruleset(&name, &open.text) {
            ruleset_diagnostics(&self.sources, (&name, in_use), &open.text, self.utf32)
        } else if let Some(loaded) = &self.loaded {
            diagnostics(loaded, (uri, &name), open, self.utf32)
        } else {
            Vec::new()
        };
        self.send_diagnostics(uri, diagnostics)
    }

    fn send_diagnostics(&mut self, uri: &str, diagnostics: Vec<Value>) -> io::Result<()> {
        self.notify(
            "textDocument/publishDiagnostics",
            json!({"uri": uri, "diagnostics": diagnostics}),
        )
    }

    fn respond(&mut self, id: Value, result: Value) -> io::Result<()> {
        send(
            &mut self.out,
            &json!({"jsonrpc": "2.0", "id": id, "result": result}),
        )
    }

    fn error(&mut self, id: Value, code: i64, message: &str) -> io::Result<()> {
        send(
            &mut self.out,
            &json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}),
        )
    }

    fn notify(&mut self, method: &str, params: Value) -> io::Result<()> {
        send(
            &mut self.out,
            &json!({"jsonrpc": "2.0", "method": method, "params": params}),
        )
    }
}

/// Whether saving `uri` may change the rules: a ruleset or the
/// configuration.
fn configures_rules(uri: &str) -> bool {
    let name = uri.rsplit('/').next().unwrap_or_default();
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    name == "policyscan.toml" || matches!(ext.as_deref(), Some("yaml" | "yml" | "json"))
}

/// A problem loading the rules, placed in a file when it names one.
struct RuleProblem {
    /// The file's URI.
    file: Option<String>,
    /// The 1-based line (1 when unknown).
    line: usize,
    message: String,
}

fn rule_problems(err: &anyhow::Error) -> Vec<RuleProblem> {
    let Some(rules_error) = err.downcast_ref::<crate::rules::Error>() else {
        return vec![RuleProblem {
            file: None,
            line: 1,
            message: format!("{err:#}"),
        }];
    };
    rules_error
        .problems()
        .iter()
        .map(|problem| {
            let file = (problem.file() != "<default>").then(|| file_uri(Path::new(problem.file())));
            RuleProblem {
                line: problem.line().unwrap_or(1),
                message: match file {
                    Some(_) => problem.to_string(),
                    None => format!("{}: {problem}", problem.file()),
                },
                file,
            }
        })
        .collect()
}

/// The name a document is scanned and reported under: its path for a
/// `file:` URI, else the URI (`untitled:Untitled-1`).
fn document_name(uri: &str) -> String {
    file_path(uri).map_or_else(|| uri.to_string(), |p| p.display().to_string())
}

/// The format a document is read in: as `scan` reads a file of its name,
/// else (an unsaved buffer, an unknown extension) by the editor's
/// language id; `None` for what policyscan does not read.
fn document_format(name: &str, language: &str) -> Option<Format> {
    Format::from_path(Path::new(name)).or(match language {
        "markdown" => Some(Format::Markdown),
        "plaintext" | "text" => Some(Format::Text),
        "html" => Some(Format::Html),
        _ => None,
    })
}

/// The diagnostics of the open document `uri` (whose path, or URI, is
/// `name`): its unsuppressed check findings and warnings, and a hint with
/// its stance and themes; an error when it cannot be read; none for a
/// document policyscan does not read (source code, …).
fn diagnostics(loaded: &Loaded, (uri, name): (&str, &str), open: &Open, utf32: bool) -> Vec<Value> {
    let Some(format) = document_format(name, &open.language) else {
        return Vec::new();
    };
    let name = name.to_string();
    let input = Input::Bytes {
        name,
        format,
        bytes: open.text.as_bytes().to_vec(),
    };
    let lines = Lines::new(&open.text, utf32);
    match scan_input(&loaded.rules, &input, &loaded.options) {
        Outcome::Report(report) => {
            let mut all: Vec<Value> = report
                .checks
                .iter()
                .filter(|f| f.suppressed.is_none())
                .map(|f| finding(uri, f, &lines))
                .collect();
            all.extend(report.warnings.iter().map(|w| warning(w)));
            all.push(stance_hint(&report, &lines));
            all
        }
        Outcome::Error(e) => vec![json!({
            "range": line_range(0),
            "severity": 1,
            "source": "policyscan",
            "message": format!("policyscan could not read this document: {}", e.message),
        })],
        Outcome::Skipped(_) => Vec::new(),
    }
}

fn finding(uri: &str, f: &CheckFinding, lines: &Lines<'_>) -> Value {
    let first = f.evidence.first();
    let range = lines.range(f.line, f.column, first.map_or("", |e| e.text.as_str()));
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push('\n');
        message.push_str(help);
    }
    let related: Vec<Value> = f
        .evidence
        .iter()
        .map(|e| {
            json!({
                "location": {"uri": uri, "range": lines.range(e.line, e.column, &e.text)},
                "message": format!("{}: {}", e.rule, e.snippet),
            })
        })
        .collect();
    let mut diagnostic = json!({
        "range": range,
        "severity": match f.severity {
            Severity::Error => 1,
            Severity::Warning => 2,
            Severity::Info => 3,
        },
        "code": f.check,
        "source": "policyscan",
        "message": message,
        "relatedInformation": related,
    });
    if let Some(help) = f
        .help
        .as_deref()
        .filter(|h| h.starts_with("https://") || h.starts_with("http://"))
    {
        diagnostic["codeDescription"] = json!({"href": help});
    }
    // The section a `policyscan-ignore` comment would cover, for the
    // quick fix (clients hand `data` back with the diagnostic).
    if let Some(section) = first.and_then(|e| e.section.as_deref()) {
        diagnostic["data"] = json!({"section": section});
    }
    diagnostic
}

/// Whether `exclude` excludes the file at `path`, or a folder on its way
/// from the configuration's folder, as a walk from there would meet them.
fn excluded(exclude: &Override, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(exclude.path()) else {
        return false;
    };
    let parts: Vec<_> = relative.components().collect();
    let mut at = exclude.path().to_path_buf();
    parts.iter().enumerate().any(|(i, part)| {
        at.push(part);
        exclude.matched(&at, i + 1 < parts.len()).is_ignore()
    })
}

/// Whether the rules in use include the ruleset file at `path` (named
/// by `--rules` or `--add-rules`, or in a folder they name).
fn in_use(sources: &[RuleSource], path: &Path) -> bool {
    let is_ruleset_file = path.extension().is_some_and(|e| {
        ["yaml", "yml", "json"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    });
    let Ok(file) = std::fs::canonicalize(path) else {
        return false;
    };
    is_ruleset_file
        && sources.iter().any(|source| match source {
            RuleSource::Path(p) => std::fs::canonicalize(p).is_ok_and(|p| file.starts_with(p)),
            RuleSource::Default => false,
        })
}

/// Whether the file `name` holding `text` is a ruleset: YAML or JSON
/// whose top-level keys are a ruleset's, with `themes`, `cues` or
/// `checks`, or `rules` that name a theme (semgrep's rule files, among
/// others, have a top-level `rules` too). Text that does not parse, being
/// typed, is judged line by line.
fn is_ruleset(name: &str, text: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let json = match ext.as_deref() {
        Some("yaml" | "yml") => false,
        Some("json") => true,
        _ => return false,
    };
    let parsed: Option<Value> = if json {
        serde_json::from_str(text).ok()
    } else {
        serde_saphyr::from_str(text).ok()
    };
    match parsed {
        Some(value) => ruleset_shaped(&value),
        None => typed_like_a_ruleset(text, json),
    }
}

fn ruleset_shaped(value: &Value) -> bool {
    let Some(object) = value.as_object() else {
        return false;
    };
    let allowed = [
        "themes",
        "rules",
        "cues",
        "checks",
        "name",
        "description",
        "version",
        "$schema",
    ];
    object.keys().all(|k| allowed.contains(&k.as_str()))
        && (["themes", "cues", "checks"]
            .iter()
            .any(|k| object.contains_key(*k))
            || object["rules"]
                .as_array()
                .is_some_and(|rules| rules.iter().any(|r| r.get("theme").is_some())))
}

/// [`is_ruleset`] for text that does not parse: a top-level `themes`,
/// `cues` or `checks` key, or `rules` and a `theme` key somewhere.
fn typed_like_a_ruleset(text: &str, json: bool) -> bool {
    let top_level = |key: &str| {
        text.lines().any(|line| {
            if json {
                // A key near the left margin.
                let indent = line.len() - line.trim_start().len();
                indent <= 4
                    && line
                        .trim_start()
                        .strip_prefix(&format!("\"{key}\""))
                        .is_some_and(|l| l.trim_start().starts_with(':'))
            } else {
                line.strip_prefix(key)
                    .is_some_and(|l| l.trim_start().starts_with(':'))
            }
        })
    };
    let names_a_theme = text.lines().any(|line| {
        let line = line.trim_start().trim_start_matches(['-', ' ', '{']);
        line.starts_with("theme:") || line.starts_with("\"theme\"")
    });
    ["themes", "cues", "checks"].into_iter().any(top_level) || (top_level("rules") && names_a_theme)
}

/// The diagnostics of a ruleset being edited: its problems (syntax,
/// unknown fields, invalid regexes, unknown themes, duplicate ids…) where
/// they are, or, when it loads, its examples and counterexamples that
/// fail and its rules' lints. It is loaded among the rulesets of
/// `sources` in place of its saved version when they include it
/// (`in_use`); otherwise alone, or among them (an `--add-rules` file names
/// their themes) when that leaves it no more problems. This works
/// whether or not the rules in use load.
fn ruleset_diagnostics(
    sources: &[RuleSource],
    (name, in_use): (&str, bool),
    text: &str,
    utf32: bool,
) -> Vec<Value> {
    use crate::rules::load_with_text;
    let path = Path::new(name);
    let lines = Lines::new(text, utf32);
    let attempt = if in_use {
        load_with_text(sources, path, text)
    } else {
        load_with_text(&[], path, text).or_else(|alone| {
            load_with_text(sources, path, text).map_err(|among| {
                let here = |e: &crate::rules::Error| {
                    e.problems().iter().filter(|p| p.file() == name).count()
                };
                if here(&among) <= here(&alone) {
                    among
                } else {
                    alone
                }
            })
        })
    };
    let compiled = match attempt {
        Ok(compiled) => compiled,
        Err(err) => {
            return err
                .problems()
                .iter()
                .filter(|p| p.file() == name)
                .map(|p| {
                    let text = p.to_string();
                    let message = text
                        .strip_prefix(name)
                        .map_or(text.as_str(), |rest| rest.trim_start_matches([':', ' ']))
                        .to_string();
                    let line = p.line().unwrap_or(1);
                    json!({
                        "range": lines.rest_of_line(line, p.column().unwrap_or(1)),
                        "severity": 1,
                        "code": "ruleset",
                        "source": "policyscan",
                        "message": message,
                    })
                })
                .collect();
        }
    };
    let outcome = crate::ruletest::check_rules_in(&compiled, name);
    let failures = outcome.failures.iter().map(|f| (f, 2, "example"));
    let warnings = outcome.warnings.iter().map(|f| (f, 3, "lint"));
    failures
        .chain(warnings)
        .map(|(f, severity, code)| {
            let message = match &f.rule {
                Some(rule) => format!("`{rule}`: {}", f.message),
                None => f.message.clone(),
            };
            json!({
                "range": lines.rest_of_line(f.line.unwrap_or(1), 1),
                "severity": severity,
                "code": code,
                "source": "policyscan",
                "message": message,
            })
        })
        .collect()
}

/// A warning about the document: on the line of the suppression comment it
/// is about, or on the first line.
fn warning(text: &str) -> Value {
    let line = text
        .strip_prefix("policyscan-ignore at line ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok());
    json!({
        "range": line_range(line.map_or(0, |n| n.saturating_sub(1))),
        "severity": if line.is_some() { 2 } else { 3 },
        "code": if line.is_some() { "suppression" } else { "warning" },
        "source": "policyscan",
        "message": text,
    })
}

/// Quick fixes for the policyscan findings among `diagnostics`: a
/// `policyscan-ignore` comment for the finding's section, when it is in
/// one (in Markdown after the section's heading, in other formats before
/// the finding's paragraph), and a `policyscan-ignore-file` comment at
/// the top (after Markdown front matter). The comment's reason is left for the writer to give: until it is,
/// the suppression is ignored and a warning says so.
fn code_actions(
    uri: &str,
    open: &Open,
    diagnostics: &Value,
    options: Option<&ClassifyOptions>,
) -> Vec<Value> {
    let name = document_name(uri);
    let format = document_format(&name, &open.language);
    let markdown = format == Some(Format::Markdown);
    // Read as it is scanned, for its sections (Markdown's headings, ATX
    // or setext, and statute headings).
    let doc = format.filter(|_| markdown).and_then(|format| {
        let default = ClassifyOptions::default();
        let bytes = open.text.as_bytes().to_vec();
        prepare(name, format, bytes, options.unwrap_or(&default)).ok()
    });
    let comment = matches!(format, Some(Format::Markdown | Format::Html | Format::Xml));
    let lines: Vec<&str> = open.text.split('\n').collect();
    let mut actions = Vec::new();
    for d in diagnostics.as_array().into_iter().flatten() {
        let Some(check) = d["code"].as_str().filter(|_| d["source"] == "policyscan") else {
            continue;
        };
        if matches!(check, "stance" | "warning" | "suppression") {
            continue;
        }
        let line = usize::try_from(d["range"]["start"]["line"].as_u64().unwrap_or(0))
            .unwrap_or(usize::MAX)
            .min(lines.len().saturating_sub(1));
        let directive = |kind: &str| {
            if comment {
                format!("<!-- {kind}: {check} -- -->\n")
            } else {
                format!("{kind}: {check} --\n")
            }
        };
        let top = top_line(&lines, markdown);
        // Only a finding in a section can be suppressed for its section
        // alone: without headings a `policyscan-ignore` covers the whole
        // document.
        let section = d["data"]["section"].as_str().and_then(|path| {
            let name = path.rsplit(" > ").next().unwrap_or(path);
            let at = if let Some((_, doc)) = &doc {
                // Under the heading of the section the finding is in now,
                // if it is still the one the diagnostic names.
                let offset = doc.lines().line_range(doc.source(), line + 1).start;
                (doc.section_at(offset) == Some(path)).then_some(())?;
                doc.section_body_line(offset)? - 1
            } else if markdown {
                return None;
            } else {
                paragraph_start(&lines, line)
            };
            Some((name.to_string(), at))
        });
        let mut offer = |title: String, at: usize, text: String| {
            actions.push(json!({
                "title": title,
                "kind": "quickfix",
                "diagnostics": [d],
                "edit": {"changes": {uri: [{
                    "range": {"start": {"line": at, "character": 0}, "end": {"line": at, "character": 0}},
                    "newText": text,
                }]}},
            }));
        };
        if let Some((name, at)) = section {
            offer(
                format!("Suppress `{check}` in section “{name}” (give the reason after `--`)"),
                at,
                directive("policyscan-ignore"),
            );
        }
        offer(
            format!("Suppress `{check}` in this document (give the reason after `--`)"),
            top,
            directive("policyscan-ignore-file"),
        );
    }
    actions
}

/// The first line after a Markdown document's front matter (`---` …
/// `---`), else 0.
fn top_line(lines: &[&str], markdown: bool) -> usize {
    if !markdown || lines.first().map(|l| l.trim_end()) != Some("---") {
        return 0;
    }
    lines
        .iter()
        .skip(1)
        .position(|l| matches!(l.trim_end(), "---" | "..."))
        .map_or(0, |i| i + 2)
}

/// The first line of the paragraph holding `line`: after the nearest
/// blank line above it.
fn paragraph_start(lines: &[&str], line: usize) -> usize {
    (0..line)
        .rev()
        .find(|&i| lines[i].trim().is_empty())
        .map_or(0, |i| i + 1)
}

/// The document's stance and present themes, as a hint at its strongest
/// stance cue (or its first line).
fn stance_hint(report: &DocumentReport, lines: &Lines<'_>) -> Value {
    let stance = &report.stance;
    let themes = report.present_theme_ids();
    let range = match stance.evidence.first() {
        Some(cue) => lines.range(cue.line, cue.column, &cue.text),
        None => line_range(0),
    };
    json!({
        "range": range,
        "severity": 4,
        "code": "stance",
        "source": "policyscan",
        "message": format!(
            "Stance: {} (confidence {:.2}, {}); themes: {}",
            stance.label,
            stance.confidence,
            stance.reason,
            if themes.is_empty() { "none".to_string() } else { themes.join(", ") }
        ),
    })
}

/// The document explained as `policyscan explain` would (every cue and
/// hit), read as it is scanned; `None` when policyscan does not read it
/// or cannot.
fn explain(loaded: &Loaded, name: &str, open: &Open) -> Option<Explanation> {
    let format = document_format(name, &open.language)?;
    let bytes = open.text.as_bytes().to_vec();
    crate::pipeline::catch_panic(|| {
        let (_, doc) = prepare(name.to_string(), format, bytes, &loaded.options).ok()?;
        Some(crate::classify::explain_with(
            &loaded.rules,
            &doc,
            &loaded.options,
        ))
    })
    .ok()
    .flatten()
}

/// What the stance cues and theme hits at `position` count for, with the
/// document's stance; null where there are none.
fn hover(e: &Explanation, lines: &Lines<'_>, position: &Value, plain: bool) -> Value {
    let point = |p: &Value| (p["line"].as_u64(), p["character"].as_u64());
    let at = point(position);
    let mut range = None;
    let mut covers = |r: Value| {
        let hit = point(&r["start"]) <= at && at < point(&r["end"]);
        if hit && range.is_none() {
            range = Some(r);
        }
        hit
    };
    let weighed = |weight: f64, effective: f64, modifiers: &[String]| {
        if modifiers.is_empty() {
            format!("weight {weight}")
        } else {
            format!("weight {weight} → {effective} ({})", modifiers.join(", "))
        }
    };
    let mut items = Vec::new();
    for cue in &e.report.stance.evidence {
        if covers(lines.range(cue.line, cue.column, &cue.text)) {
            let weight = weighed(cue.weight, cue.effective_weight, &cue.modifiers);
            items.push(format!(
                "- stance cue `{}`: {}, {weight}",
                cue.cue, cue.stance
            ));
        }
    }
    for theme in &e.report.themes {
        let (threshold, min_rules) = e.thresholds.get(&theme.id).copied().unwrap_or_default();
        for hit in &theme.evidence {
            if covers(lines.range(hit.line, hit.column, &hit.text)) {
                let weight = e.weights.get(&hit.rule).copied().unwrap_or_default();
                let counted = weight * crate::classify::themes::hit_factor(&hit.modifiers);
                let weight = weighed(weight, counted, &hit.modifiers);
                items.push(format!(
                    "- theme **{}** (`{}`): rule `{}`, {weight}; {} (peak {}, needs {threshold}; {} rules, needs {min_rules})",
                    theme.title,
                    theme.id,
                    hit.rule,
                    if theme.present { "present" } else { "not present" },
                    theme.peak,
                    theme.rules.len(),
                ));
            }
        }
    }
    let Some(range) = range else {
        return Value::Null;
    };
    let stance = &e.report.stance;
    let mut value = format!(
        "{}\n\nDocument stance: {} (confidence {:.2}, {}); `policyscan explain` lists every cue.",
        items.join("\n"),
        stance.label,
        stance.confidence,
        stance.reason,
    );
    if plain {
        value = value.replace(['`', '*'], "");
    }
    json!({
        "contents": {"kind": if plain { "plaintext" } else { "markdown" }, "value": value},
        "range": range,
    })
}

/// The whole of line `line` (0-based): from its start to the start of
/// the next.
fn line_range(line: usize) -> Value {
    json!({
        "start": {"line": line, "character": 0},
        "end": {"line": line + 1, "character": 0},
    })
}

/// The lines of a document's text, to turn policyscan's positions (1-based
/// lines, 1-based columns in characters) into the protocol's.
struct Lines<'a> {
    lines: Vec<&'a str>,
    utf32: bool,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, utf32: bool) -> Lines<'a> {
        Lines {
            lines: text.split('\n').collect(),
            utf32,
        }
    }

    /// The range of `matched` starting at `line`, `column`. A match that
    /// runs over a line break (evidence text has a space there) ends on a
    /// later line; none runs past the end of the text.
    fn range(&self, line: usize, column: usize, matched: &str) -> Value {
        let last = self.lines.len().saturating_sub(1);
        let index = line.saturating_sub(1).min(last);
        let text = self.line(index);
        let start = column.saturating_sub(1).min(text.chars().count());
        let (mut end_index, mut end) = (index, start);
        let mut left = matched.chars().count();
        loop {
            let length = self.line(end_index).chars().count();
            if end + left <= length || end_index == last {
                end = (end + left).min(length);
                break;
            }
            // The rest of this line and its break.
            left -= length - end + 1;
            end_index += 1;
            end = 0;
        }
        json!({
            "start": {"line": index, "character": self.units(text, start)},
            "end": {"line": end_index, "character": self.units(self.line(end_index), end)},
        })
    }

    /// From `column` (1-based, in characters) of `line` (1-based) to the
    /// end of that line's text.
    fn rest_of_line(&self, line: usize, column: usize) -> Value {
        let index = line
            .saturating_sub(1)
            .min(self.lines.len().saturating_sub(1));
        let text = self.line(index);
        let length = text.chars().count();
        let start = column.saturating_sub(1).min(length);
        json!({
            "start": {"line": index, "character": self.units(text, start)},
            "end": {"line": index, "character": self.units(text, length)},
        })
    }

    /// Line `index` (0-based) without its line break.
    fn line(&self, index: usize) -> &'a str {
        let text = self.lines.get(index).copied().unwrap_or_default();
        text.strip_suffix('\r').unwrap_or(text)
    }

    /// The position of character `chars` of `line` in the client's units.
    fn units(&self, line: &str, chars: usize) -> usize {
        if self.utf32 {
            return chars;
        }
        line.chars().take(chars).map(char::len_utf16).sum()
    }
}

/// Applies one `contentChanges` entry: the whole text, or a range of it
/// replaced.
fn apply_change(text: &mut String, change: &Value, utf32: bool) {
    let Some(new) = change["text"].as_str() else {
        return;
    };
    let range = &change["range"];
    if range.is_null() {
        *text = new.to_string();
        return;
    }
    let start = byte_offset(text, &range["start"], utf32);
    let end = byte_offset(text, &range["end"], utf32).max(start);
    text.replace_range(start..end, new);
}

/// The byte offset of a protocol position in `text`, clamped to the text
/// and to the end of its line.
fn byte_offset(text: &str, position: &Value, utf32: bool) -> usize {
    let line = usize::try_from(position["line"].as_u64().unwrap_or(0)).unwrap_or(usize::MAX);
    let character =
        usize::try_from(position["character"].as_u64().unwrap_or(0)).unwrap_or(usize::MAX);
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        if units >= character {
            return start + i;
        }
        units += if utf32 { 1 } else { c.len_utf16() };
    }
    end
}

/// The path of a `file:` URI, percent-decoded.
fn file_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///p`, or `file://localhost/p`.
    let rest = &rest[rest.find('/')?..];
    let mut bytes = Vec::with_capacity(rest.len());
    let raw = rest.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (raw[i], hex) {
            (b'%', Some(b)) => {
                bytes.push(b);
                i += 3;
            }
            (b, _) => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    let path = String::from_utf8(bytes).ok()?;
    // `file:///C:/x` on Windows.
    let windows = path.as_bytes().get(2) == Some(&b':');
    Some(PathBuf::from(if windows { &path[1..] } else { &path }))
}

/// The `file:` URI of `path` (made absolute against the working folder).
fn file_uri(path: &Path) -> String {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path))
    };
    let text = absolute.display().to_string().replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// Reads one message's body; `None` at the end of the stream.
fn read_message<R: BufRead>(input: &mut R) -> io::Result<Option<Vec<u8>>> {
    let mut length: Option<usize> = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        if let Some((name, value)) = text.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok();
        }
    }
    let length = length.unwrap_or_default();
    if length > MAX_MESSAGE {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a message of {length} bytes (at most {MAX_MESSAGE})"),
        ));
    }
    let mut body = vec![0; length];
    input
        .read_exact(&mut body)
        .map_err(|err| match err.kind() {
            io::ErrorKind::UnexpectedEof => io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("the input ended inside a message of {length} bytes"),
            ),
            _ => err,
        })?;
    Ok(Some(body))
}

fn send<W: Write>(out: &mut W, message: &Value) -> io::Result<()> {
    let body = serde_json::to_vec(message)?;
    write!(out, "Content-Length: {}\r\n\r\n", body.len())?;
    out.write_all(&body)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_or_code_points() {
        // "😀" is two UTF-16 units, one code point.
        let text = "title\n😀 é liable here\r\nlast";
        let utf16 = Lines::new(text, false);
        let range = utf16.range(2, 5, "liable");
        assert_eq!(range["start"], json!({"line": 1, "character": 5}));
        assert_eq!(range["end"], json!({"line": 1, "character": 11}));
        let utf32 = Lines::new(text, true);
        assert_eq!(
            utf32.range(2, 5, "liable")["start"],
            json!({"line": 1, "character": 4})
        );
        // Over a line break (the `\r` is not part of the line): on to
        // the next line; past the end of the text: clamped.
        let over = utf16.range(2, 12, "here last");
        assert_eq!(over["end"], json!({"line": 2, "character": 4}));
        let long = utf16.range(2, 5, "liable here and far beyond the end");
        assert_eq!(long["end"], json!({"line": 2, "character": 4}));
        assert_eq!(utf16.range(9, 1, "x")["start"]["line"], 2);
    }

    #[test]
    fn ranged_changes_edit_the_text() {
        let mut text = "one\n😀two\nthree".to_string();
        let change = json!({
            "range": {"start": {"line": 1, "character": 2}, "end": {"line": 1, "character": 5}},
            "text": "TWO",
        });
        apply_change(&mut text, &change, false);
        assert_eq!(text, "one\n😀TWO\nthree");
        let change = json!({
            "range": {"start": {"line": 1, "character": 1}, "end": {"line": 2, "character": 0}},
            "text": "",
        });
        apply_change(&mut text, &change, true);
        assert_eq!(text, "one\n😀three");
        apply_change(&mut text, &json!({"text": "all new"}), false);
        assert_eq!(text, "all new");
        // Out of range: clamped, never a panic.
        let change = json!({
            "range": {"start": {"line": 7, "character": 99}, "end": {"line": 0, "character": 0}},
            "text": "!",
        });
        apply_change(&mut text, &change, false);
        assert_eq!(text, "all new!");
    }

    #[test]
    fn file_uris_round_trip() {
        assert_eq!(
            file_path("file:///home/a/my%20draft.md"),
            Some(PathBuf::from("/home/a/my draft.md"))
        );
        assert_eq!(
            file_path("file://localhost/tmp/x.md"),
            Some(PathBuf::from("/tmp/x.md"))
        );
        assert_eq!(file_path("untitled:Untitled-1"), None);
        let uri = file_uri(Path::new("/tmp/a b/ü.yaml"));
        assert_eq!(uri, "file:///tmp/a%20b/%C3%BC.yaml");
        assert_eq!(file_path(&uri), Some(PathBuf::from("/tmp/a b/ü.yaml")));
    }

    /// Messages of the wrong shape are answered or ignored, never a
    /// panic; the stream's end without `shutdown` exits 1.
    #[test]
    fn malformed_messages_do_not_stop_the_server() {
        let messages = [
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": 7}),
            json!({"method": 5}),
            json!({"id": {"odd": true}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                   "params": {"textDocument": {"uri": "untitled:a", "text": "liable", "languageId": 3}}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
                   "params": {"textDocument": {"uri": "untitled:a"}, "contentChanges": "x"}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
                   "params": {"textDocument": {"uri": "untitled:a"},
                              "contentChanges": [{"range": {"start": {"line": -1}}, "text": "y"},
                                                 {"range": 5, "text": null}]}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didSave", "params": null}),
            json!({"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles",
                   "params": {"changes": [{"uri": 4}]}}),
            json!([1, 2]),
        ];
        let mut input = Vec::new();
        for m in &messages {
            let body = serde_json::to_vec(m).unwrap();
            input.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            input.extend_from_slice(&body);
        }
        // Headers in another case, an unknown header, junk between
        // messages.
        input.extend_from_slice(b"\r\njunk line\r\ncontent-length: 2\r\nX-Other: 1\r\n\r\n{}");
        let load: Loader = Box::new(|_| Load {
            sources: vec![RuleSource::Default],
            config: None,
            exclude: Vec::new(),
            result: crate::rules::load(&[RuleSource::Default])
                .map(|rules| Loaded {
                    rules,
                    options: ClassifyOptions::default(),
                })
                .map_err(anyhow::Error::from),
        });
        let mut output = Vec::new();
        let code = serve(io::Cursor::new(input), &mut output, load).unwrap();
        assert_eq!(code, 1);
        let output = String::from_utf8(output).unwrap();
        assert!(
            output.contains("\"positionEncoding\":\"utf-16\""),
            "{output}"
        );
        assert!(output.contains("\"uri\":\"untitled:a\""), "{output}");
    }

    #[test]
    fn the_configuration_excludes_files_and_folders_under_its_own_folder() {
        let globs = ["drafts/**", "*.tmp.md", "archive/"].map(String::from);
        let exclude = crate::walk::exclusions(Path::new("/p"), &globs).unwrap();
        for (path, expected) in [
            ("/p/drafts/a.md", true),
            ("/p/notes/x.tmp.md", true),
            ("/p/archive/2024/z.md", true),
            ("/p/notes/archive/z.md", true),
            ("/p/a.md", false),
            ("/p/archive.md", false),
            ("/q/drafts/a.md", false),
        ] {
            assert_eq!(excluded(&exclude, Path::new(path)), expected, "{path}");
        }
        let err = crate::walk::exclusions(Path::new("/p"), &["ok/**".into(), "a[".into()]);
        assert!(
            err.unwrap_err()
                .to_string()
                .starts_with("invalid glob `a[`")
        );
    }

    #[test]
    fn a_message_cut_short_or_too_large_is_an_error_that_says_so() {
        let load = || -> Loader {
            Box::new(|_| Load {
                sources: Vec::new(),
                config: None,
                exclude: Vec::new(),
                result: Err(anyhow::anyhow!("not needed")),
            })
        };
        let cut = io::Cursor::new(b"Content-Length: 50\r\n\r\n{".to_vec());
        let err = serve(cut, Vec::new(), load()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the input ended inside a message of 50 bytes"
        );
        let huge = io::Cursor::new(b"Content-Length: 99999999999\r\n\r\n".to_vec());
        let err = serve(huge, Vec::new(), load()).unwrap_err();
        assert!(err.to_string().contains("at most 1073741824"), "{err}");
    }

    #[test]
    fn rulesets_are_told_by_their_top_level_keys() {
        assert!(is_ruleset("r.yaml", "name: x\nthemes:\n  - id: t\n"));
        assert!(is_ruleset("r.yml", "checks: [\n"), "being typed");
        assert!(
            !is_ruleset("r.yaml", "jobs:\n  rules: []\n"),
            "not top-level"
        );
        let add_on = "rules:\n  - id: r\n    theme: licensing\n    keywords: [x]\n";
        assert!(is_ruleset("r.yaml", add_on));
        assert!(
            is_ruleset("r.yaml", &format!("{add_on}  - id: [\n")),
            "being typed"
        );
        // semgrep's rules name no theme.
        let semgrep = "rules:\n  - id: no-eval\n    pattern: eval(...)\n    message: m\n    \
                       languages: [python]\n    severity: ERROR\n";
        assert!(!is_ruleset("semgrep.yml", semgrep));
        assert!(!is_ruleset("semgrep.yml", &format!("{semgrep}  - id: [\n")));
        assert!(is_ruleset("r.json", "{\"cues\": []}"));
        assert!(is_ruleset("r.json", "{\n  \"cues\": [\n"), "being typed");
        assert!(!is_ruleset("r.json", "{\"runs\": [{\"rules\": []}]}"));
        assert!(!is_ruleset("r.json", "{\"checks\": [], \"other\": 1}"));
        assert!(!is_ruleset("r.md", "themes:\n"));
    }

    #[test]
    fn rulesets_and_the_configuration_reload_the_rules() {
        assert!(configures_rules("file:///p/rules/extra.yaml"));
        assert!(configures_rules("file:///p/policyscan.toml"));
        assert!(configures_rules("file:///p/x.JSON"));
        assert!(!configures_rules("file:///p/draft.md"));
    }
}
