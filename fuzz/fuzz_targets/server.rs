//! The language server driven by an editor the fuzz input makes up: a
//! draft opened as Markdown, text or HTML, then edits (ranged ones at
//! positions inside the text, in UTF-16 units or code points, of text
//! with emoji, accents, CRLF and suppression comments; ranged ones at
//! arbitrary positions, out of range or inside a surrogate pair, each
//! followed by the whole text), hovers and quick-fix requests anywhere,
//! a reload, junk messages and a close, all in one stream to `serve`.
//!
//! Beyond "no panic": every request gets one answer; and while the
//! harness knows the text (it keeps a copy by applying its own valid
//! edits), every range the server sends (diagnostics, their related
//! information, hovers, quick-fix edits) lies inside it, start before
//! end.
#![no_main]

use std::io::Cursor;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use policyscan::classify::ClassifyOptions;
use policyscan::lsp::{Load, Loaded, serve};
use policyscan::rules::{CompiledRules, RuleSource};
use serde_json::{Value, json};

#[path = "common/bytes.rs"]
mod bytes;
use bytes::Bytes;

static RULES: LazyLock<CompiledRules> =
    LazyLock::new(|| policyscan::rules::load(&[RuleSource::Default]).expect("default rules load"));

const URI: &str = "file:///fuzz/draft";

/// What edits insert: cues of the default rules, a suppression comment
/// with and without a reason, headings (ATX and setext), characters of
/// one to four bytes, line breaks of both kinds.
const WORDS: &[&str] = &[
    "Developers must be held liable for harms their models cause. ",
    "open weights",
    "safe harbor for research",
    "The attorney general may bring a civil action.",
    "\n",
    "\r\n",
    "\n\n",
    "# Heading\n",
    "Part two\n--------\n",
    "<!-- policyscan-ignore: liability-without-research-safe-harbor -- -->\n",
    "<!-- policyscan-ignore-file: liability-without-research-safe-harbor -- reviewed -->\n",
    "😀",
    "é",
    "e\u{301}",
    "中文",
    " ",
    "---\n",
    "```\n",
];

/// Position units of `c`: UTF-16 code units, or one code point.
fn units(c: char, utf32: bool) -> usize {
    if utf32 { 1 } else { c.len_utf16() }
}

/// The protocol position of byte `offset` (a char boundary) of `text`.
fn position(text: &str, offset: usize, utf32: bool) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[start..].chars().map(|c| units(c, utf32)).sum();
    json!({"line": line, "character": character})
}

/// A char boundary of `text` picked by the input.
fn boundary(bytes: &mut Bytes, text: &str) -> usize {
    let at = (bytes.next() * 256 + bytes.next()) % (text.len() + 1);
    (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)
}

fn frame(out: &mut Vec<u8>, message: &Value) {
    let body = serde_json::to_vec(message).unwrap();
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(&body);
}

/// Asserts `range` lies inside `text`, start before end.
fn inside(range: &Value, text: &str, utf32: bool, what: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    let point = |p: &Value, end: bool| {
        let line = p["line"].as_u64().expect("a line") as usize;
        let character = p["character"].as_u64().expect("a character") as usize;
        // A range may end at the start of the line after the last, the
        // protocol's way to take in the last line whole.
        if end && (line, character) == (lines.len(), 0) {
            return (line, character);
        }
        assert!(line < lines.len(), "{what}: line {line} of {}", lines.len());
        let length: usize = lines[line].chars().map(|c| units(c, utf32)).sum();
        assert!(character <= length, "{what}: character {character} of {length}");
        (line, character)
    };
    let (start, end) = (point(&range["start"], false), point(&range["end"], true));
    assert!(start <= end, "{what}: {range}");
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = Bytes(data.iter());
    let utf32 = bytes.next() % 2 == 1;
    let language = ["markdown", "plaintext", "html"][bytes.next() % 3];
    let mut input = Vec::new();
    let encodings = if utf32 { json!(["utf-32"]) } else { json!(["utf-16"]) };
    frame(
        &mut input,
        &json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "capabilities": {"general": {"positionEncodings": encodings}}}}),
    );
    // The text after each message that publishes the draft's
    // diagnostics (`None`: not known to the harness), and after each
    // request, by id.
    let mut published: Vec<Option<String>> = Vec::new();
    let mut asked: Vec<(u64, Option<String>)> = vec![(0, None)];
    let mut text = String::new();
    for _ in 0..bytes.next() % 8 {
        text.push_str(WORDS[bytes.next() % WORDS.len()]);
    }
    frame(
        &mut input,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": URI, "languageId": language, "version": 0, "text": text}}}),
    );
    published.push(Some(text.clone()));
    let mut open = true;
    let mut id = 0;
    let mut version = 0;
    while bytes.left() > 0 {
        version += 1;
        let change = |range: Value, new: &str| {
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": URI, "version": version},
                "contentChanges": [{"range": range, "text": new}]}})
        };
        match bytes.next() % 8 {
            // An edit inside the text.
            0..=2 => {
                let (a, b) = (boundary(&mut bytes, &text), boundary(&mut bytes, &text));
                let (start, end) = (a.min(b), a.max(b));
                let new = WORDS[bytes.next() % WORDS.len()];
                let range = json!({"start": position(&text, start, utf32),
                                   "end": position(&text, end, utf32)});
                frame(&mut input, &change(range, new));
                text.replace_range(start..end, new);
                if open {
                    published.push(Some(text.clone()));
                }
            }
            // An edit anywhere, then the whole text again.
            3 => {
                let mut point = || json!({"line": bytes.next() % 6, "character": bytes.next() % 40});
                let range = json!({"start": point(), "end": point()});
                frame(&mut input, &change(range, WORDS[bytes.next() % WORDS.len()]));
                frame(&mut input, &change(Value::Null, &text));
                if open {
                    published.push(None);
                    published.push(Some(text.clone()));
                }
            }
            // A hover or the quick fixes at any position; the fixes for
            // the diagnostics the server last sent are asked for with the
            // whole text as their range.
            4 | 5 => {
                id += 1;
                let point = json!({"line": bytes.next() % 8, "character": bytes.next() % 60});
                let message = if bytes.next() % 2 == 0 {
                    json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {
                        "textDocument": {"uri": URI}, "position": point}})
                } else {
                    json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/codeAction",
                        "params": {"textDocument": {"uri": URI},
                        "range": {"start": point, "end": point},
                        "context": {"diagnostics": "LAST"}}})
                };
                frame(&mut input, &message);
                asked.push((id, open.then(|| text.clone())));
            }
            // The configuration saved: the rules load again and the draft
            // is scanned again.
            6 => {
                frame(
                    &mut input,
                    &json!({"jsonrpc": "2.0", "method": "textDocument/didSave", "params": {
                        "textDocument": {"uri": "file:///fuzz/policyscan.toml"}}}),
                );
                if open {
                    published.push(Some(text.clone()));
                }
            }
            // Junk, or the draft closed (and, later, opened again).
            _ => match bytes.next() % 3 {
                0 => {
                    input.extend_from_slice(b"Content-Length: 9\r\n\r\n{\"id\":[]}");
                }
                1 if open => {
                    frame(
                        &mut input,
                        &json!({"jsonrpc": "2.0", "method": "textDocument/didClose",
                            "params": {"textDocument": {"uri": URI}}}),
                    );
                    published.push(Some(String::new()));
                    open = false;
                }
                _ => {
                    frame(
                        &mut input,
                        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                            "textDocument": {"uri": URI, "languageId": language,
                                             "version": version, "text": text}}}),
                    );
                    published.push(Some(text.clone()));
                    open = true;
                }
            },
        }
    }
    frame(&mut input, &json!({"jsonrpc": "2.0", "method": "exit"}));
    // Quick fixes are asked for with the diagnostics of the moment, which
    // the harness cannot know before the server runs: it runs twice, the
    // second time with the diagnostics the first published.
    let run = |input: &[u8]| {
        let load = Box::new(|_: Option<&std::path::Path>| Load {
            sources: vec![RuleSource::Default],
            config: None,
            exclude: Vec::new(),
            result: Ok(Loaded {
                rules: RULES.clone(),
                options: ClassifyOptions::default(),
            }),
        });
        let mut output = Vec::new();
        serve(Cursor::new(input.to_vec()), &mut output, load).expect("the stream is whole");
        messages(&output)
    };
    let first = run(&input);
    let last = first
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == URI)
        .filter_map(|m| m["params"]["diagnostics"].as_array())
        .rfind(|d| !d.is_empty())
        .cloned()
        .unwrap_or_default();
    let input = String::from_utf8(input)
        .unwrap()
        .replace("\"LAST\"", &serde_json::to_string(&last).unwrap());
    // Lengths changed: frame the messages again.
    let mut reframed = Vec::new();
    for body in input.split("Content-Length: ").skip(1) {
        let body = &body[body.find("\r\n\r\n").unwrap() + 4..];
        reframed.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        reframed.extend_from_slice(body.as_bytes());
    }
    let output = run(&reframed);

    let mut published = published.into_iter();
    let mut asked = asked.into_iter();
    for message in &output {
        if message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == URI {
            let expected = published.next().expect("no more publications than changes");
            let Some(text) = expected else { continue };
            for d in message["params"]["diagnostics"].as_array().unwrap() {
                inside(&d["range"], &text, utf32, "diagnostic");
                for related in d["relatedInformation"].as_array().into_iter().flatten() {
                    inside(&related["location"]["range"], &text, utf32, "related information");
                }
            }
        } else if let Some(answered) = message.get("id").filter(|_| message.get("method").is_none()) {
            if !answered.is_u64() {
                continue; // The answer to the junk message.
            }
            let (id, text) = asked.next().expect("an answer to each request");
            assert_eq!(answered, &json!(id), "answers in order");
            let Some(text) = text else { continue };
            let result = &message["result"];
            if !result["range"].is_null() {
                inside(&result["range"], &text, utf32, "hover");
            }
            for action in result.as_array().into_iter().flatten() {
                for edit in action["edit"]["changes"][URI].as_array().into_iter().flatten() {
                    inside(&edit["range"], &text, utf32, "quick fix");
                }
            }
        }
    }
    assert!(asked.next().is_none(), "every request answered");
});

/// The messages in the server's output.
fn messages(output: &[u8]) -> Vec<Value> {
    let mut messages = Vec::new();
    let mut rest = output;
    while let Some(at) = rest.windows(4).position(|w| w == b"\r\n\r\n") {
        let header = std::str::from_utf8(&rest[..at]).unwrap();
        let length: usize = header
            .trim_start_matches("Content-Length: ")
            .parse()
            .unwrap();
        let body = &rest[at + 4..at + 4 + length];
        messages.push(serde_json::from_slice(body).expect("the server writes JSON"));
        rest = &rest[at + 4 + length..];
    }
    messages
}
