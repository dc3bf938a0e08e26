//! Loading: finding ruleset files, reading them and parsing YAML or JSON.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::error::{Kind, Problem};
use super::model::RawRuleset;

/// The embedded default ruleset.
const DEFAULT_RULESET: &str = include_str!("../../rules/default.yaml");
/// The name the embedded ruleset is reported under.
pub(crate) const DEFAULT_NAME: &str = "<default>/rules/default.yaml";

/// Where rules come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleSource {
    /// The ruleset embedded in the binary (`rules/default.yaml`).
    Default,
    /// A ruleset file, or a folder whose `.yaml`, `.yml` and `.json` files
    /// (recursively, in name order) are all loaded.
    Path(PathBuf),
}

/// The text of one ruleset file.
#[derive(Debug)]
pub(crate) struct SourceFile {
    pub(crate) name: String,
    pub(crate) text: String,
    json: bool,
    /// The ruleset embedded in the binary, whose patterns a test builds:
    /// they may be compiled on first use, with no check at load.
    pub(crate) embedded: bool,
    /// Where each id is defined and where lines start, found on first use:
    /// compiling asks where every rule and example is, and one pass over
    /// the text beats one regex per id.
    index: std::sync::OnceLock<Index>,
}

#[derive(Debug, Default)]
struct Index {
    /// Offsets of the `id` keys, by the id they define, in text order.
    ids: HashMap<String, Vec<usize>>,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

/// A parsed ruleset file.
#[derive(Debug)]
pub(crate) struct ParsedFile {
    pub(crate) source: SourceFile,
    pub(crate) raw: RawRuleset,
}

/// Reads every file a source names.
pub(crate) fn read_source(source: &RuleSource) -> Result<Vec<SourceFile>, Problem> {
    match source {
        RuleSource::Default => Ok(vec![SourceFile {
            embedded: true,
            ..SourceFile::new(DEFAULT_NAME.to_string(), DEFAULT_RULESET.to_string(), false)
        }]),
        RuleSource::Path(path) if path.is_dir() => {
            let mut files = Vec::new();
            collect_dir(path, &mut files)?;
            files.sort();
            files.iter().map(|p| read_file(p)).collect()
        }
        RuleSource::Path(path) => Ok(vec![read_file(path)?]),
    }
}

fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Problem> {
    let entries = std::fs::read_dir(dir).map_err(|e| read_problem(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| read_problem(dir, e))?.path();
        if path.is_dir() {
            collect_dir(&path, out)?;
        } else if is_ruleset_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

fn is_ruleset_file(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    matches!(ext.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json")
}

fn read_file(path: &Path) -> Result<SourceFile, Problem> {
    let bytes = std::fs::read(path).map_err(|e| read_problem(path, e))?;
    let name = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..at]);
        let (line, column) = line_col(&text, at);
        Problem::new(&name, Kind::Syntax("ruleset is not valid UTF-8".into())).at(line, column)
    })?;
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    Ok(SourceFile::new(name, text, json))
}

fn read_problem(path: &Path, err: std::io::Error) -> Problem {
    Problem::new(path.display().to_string(), Kind::Read(err))
}

/// Parses one file as JSON (by extension) or YAML (otherwise).
pub(crate) fn parse(source: SourceFile) -> Result<ParsedFile, Problem> {
    let raw = if source.json {
        parse_json(&source)?
    } else {
        parse_yaml(&source)?
    };
    Ok(ParsedFile { source, raw })
}

fn parse_json(source: &SourceFile) -> Result<RawRuleset, Problem> {
    serde_json::from_str(&source.text).map_err(|err| {
        let message = err.to_string();
        let suffix = format!(" at line {} column {}", err.line(), err.column());
        let message = message
            .strip_suffix(&suffix)
            .unwrap_or(&message)
            // Rust's type names mean nothing to a rule author.
            .replace("expected f64", "expected a number")
            .replace("expected u64", "expected a whole number")
            .replace("expected usize", "expected a whole number");
        source.syntax_problem(&message, err.line(), err.column())
    })
}

fn parse_yaml(source: &SourceFile) -> Result<RawRuleset, Problem> {
    if source.text.trim().is_empty() {
        return Ok(RawRuleset::default());
    }
    serde_saphyr::from_str(&source.text).map_err(|err| {
        let message = yaml_message(&err);
        match err.location() {
            Some(loc) if loc.line() > 0 => {
                let (line, column) = (loc.line() as usize, loc.column() as usize);
                let message = source
                    .type_message(&message, line, column)
                    .unwrap_or(message);
                source.syntax_problem(&message, line, column)
            }
            _ => Problem::new(&source.name, Kind::Syntax(message)),
        }
    })
}

static YAML_LOCATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:error: )?(?:line \d+ column \d+: )?(.*?)(?: at line \d+ column \d+)?$")
        .unwrap()
});

/// The first line of serde-saphyr's message, without the location it
/// renders itself (we print our own `file:line:column` prefix).
fn yaml_message(err: &serde_saphyr::Error) -> String {
    let full = err.to_string();
    let first = full
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid YAML")
        .trim();
    let message = YAML_LOCATION
        .captures(first)
        .and_then(|c| c.get(1))
        .map_or(first, |m| m.as_str());
    if let Some(breach) = message.strip_prefix("budget breached: ") {
        return budget_message(breach);
    }
    // "duplicate mapping key: weight, set DuplicateKeyPolicy in Options
    // if acceptable": the advice is for programs using the library.
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        return format!("duplicate key `{key}` (each key may appear once in a mapping)");
    }
    message.to_string()
}

/// Says which of serde-saphyr's safety limits a file broke, from the
/// breach's debug form (`Nodes { nodes: 250001 }`).
fn budget_message(breach: &str) -> String {
    let kind = breach.split([' ', '{']).next().unwrap_or(breach);
    let what = match kind {
        "Nodes" => "more than 250,000 YAML nodes",
        "Aliases" => "more than 50,000 aliases",
        "Depth" => "nesting deeper than 64 levels",
        "ScalarBytes" => "more than 64 MiB of text",
        "Events" => "too many YAML events",
        "Anchors" => "too many anchors",
        "MergeKeys" => "too many merge keys",
        "AliasAnchorRatio" => "far more aliases than anchors",
        "InputBytes" => "more than 256 MiB of input",
        _ => breach,
    };
    format!(
        "the ruleset exceeds a YAML safety limit ({what}); the limits stop alias bombs \
         and deep nesting from exhausting memory"
    )
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = crate::text::floor_boundary(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

impl Index {
    fn new(text: &str) -> Index {
        // The key part of `SourceFile::find_id_by_regex`'s pattern; the id
        // and what may follow it are checked by hand, so that a match
        // does not consume the `,` or `}` the next entry's key needs.
        static KEY: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r#"(?m)(?:^|[\s{,\-])["']?id["']?\s*:\s*["']?"#).unwrap());
        let mut ids: HashMap<String, Vec<usize>> = HashMap::new();
        for m in KEY.find_iter(text) {
            let rest = &text[m.end()..];
            let id_len = rest.find(|c| !is_plain_id_char(c)).unwrap_or(rest.len());
            if id_len == 0 || !ends_id_entry(&rest[id_len..]) {
                continue;
            }
            let Some(key) = m.as_str().find("id") else {
                continue;
            };
            let start = m.start() + key;
            // Point at the `id` key itself, skipping an opening quote.
            let at = if text[..start].ends_with(['"', '\'']) {
                start - 1
            } else {
                start
            };
            ids.entry(rest[..id_len].to_string()).or_default().push(at);
        }
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Index { ids, line_starts }
    }
}

/// Whether `c` may appear in an id the index finds as written.
fn is_plain_id_char(c: char) -> bool {
    !(c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '}' | '#'))
}

fn is_plain_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(is_plain_id_char)
}

/// Whether `rest`, the text after an id's value, ends the entry as
/// `["']?\s*(?:,|\}|#|$)` does in multi-line mode.
fn ends_id_entry(rest: &str) -> bool {
    let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
    let after = rest.trim_start();
    let space = &rest[..rest.len() - after.len()];
    space.contains('\n') || after.is_empty() || after.starts_with([',', '}', '#'])
}

/// The end of the first `field:` key at or after `from` (the key of an
/// example list inside a rule).
fn field_key(field: &str, text: &str, from: usize) -> Option<usize> {
    fn key(field: &str) -> Regex {
        Regex::new(&format!(r#"(?:^|[\s{{,"'])["']?{field}["']?\s*:"#)).unwrap()
    }
    static EXAMPLES: LazyLock<Regex> = LazyLock::new(|| key("examples"));
    static COUNTEREXAMPLES: LazyLock<Regex> = LazyLock::new(|| key("counterexamples"));
    let other;
    let re = match field {
        "examples" => &*EXAMPLES,
        "counterexamples" => &*COUNTEREXAMPLES,
        _ => {
            other = key(&regex::escape(field));
            &other
        }
    };
    re.find_at(text, from).map(|m| m.end())
}

impl SourceFile {
    /// A source from text already in memory.
    pub(crate) fn from_text(name: &str, text: &str, json: bool) -> SourceFile {
        SourceFile::new(name.to_string(), text.to_string(), json)
    }

    fn new(name: String, text: String, json: bool) -> SourceFile {
        SourceFile {
            name,
            text,
            json,
            embedded: false,
            index: std::sync::OnceLock::new(),
        }
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::new(&self.text))
    }

    /// 1-based line and column (in characters) of a byte offset: what
    /// [`line_col`] says, by binary search in the line table.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = crate::text::floor_boundary(&self.text, offset);
        let starts = &self.index().line_starts;
        let line = starts.partition_point(|&s| s <= offset);
        let line_start = starts[line - 1];
        (line, self.text[line_start..offset].chars().count() + 1)
    }

    /// serde-saphyr's terse type errors ("invalid floating point") said
    /// with the key and the value found at `line:column`: "`weight` must
    /// be a number, not `abc`". The key is the one before the value on its
    /// line, or the one ending the line above a block value. `None` for
    /// other messages, or where no key is found.
    fn type_message(&self, message: &str, line: usize, column: usize) -> Option<String> {
        static KEY: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r#"["']?([\w-]+)["']?\s*:\s*$"#).unwrap());
        let mut expected = match message {
            "invalid floating point" => "a number",
            "invalid u64" | "invalid u32" | "invalid usize" => "a whole number",
            "invalid boolean" => "true or false",
            "expected string scalar" => "a single value",
            "expected sequence start" => "a list",
            _ => return None,
        };
        let starts = &self.index().line_starts;
        let line_text = |n: usize| {
            let start = *starts.get(n.checked_sub(1)?)?;
            self.text[start..].split('\n').next()
        };
        let text = line_text(line)?;
        let at = text
            .char_indices()
            .nth(column.checked_sub(1)?)
            .map_or(text.len(), |(i, _)| i);
        let (before, value) = text.split_at(at);
        let key = match KEY.captures(before) {
            Some(key) => key.get(1)?.as_str(),
            // A block value under `key:` on the line above.
            None if before.trim().is_empty() => KEY
                .captures(line_text(line.checked_sub(1)?)?)?
                .get(1)?
                .as_str(),
            None => return None,
        };
        let value = value.split(" #").next()?.trim();
        // A scalar is cut where a flow collection goes on.
        let scalar = value.split([',', '}', ']']).next()?.trim();
        let found = if value.starts_with('[') || value.starts_with("- ") {
            "a list".to_string()
        } else if value.starts_with('{') || scalar.contains(": ") || scalar.ends_with(':') {
            "a mapping".to_string()
        } else if scalar.is_empty() {
            return None;
        } else {
            if expected == "a number" && scalar.parse::<f64>().is_ok() {
                expected = "a finite number";
            }
            format!("`{scalar}`")
        };
        Some(format!("`{key}` must be {expected}, not {found}"))
    }

    /// A parse error at `line:column`, with a suggestion for misspelled
    /// names and the id of the rule or theme it sits in.
    fn syntax_problem(&self, message: &str, line: usize, column: usize) -> Problem {
        let problem = Problem::new(
            &self.name,
            Kind::Syntax(crate::suggest::did_you_mean(message)),
        )
        .at(line, column);
        match self.enclosing_id(line, column) {
            Some(id) => problem.rule(&id),
            None => problem,
        }
    }

    /// The id of the rule, cue or theme a parse error at `line:column`
    /// sits in: the last entry that starts before it, on the error's line
    /// or with every line from its `id` key to the error indented into
    /// the entry: past the dash of a YAML `- id:` entry, else at least as
    /// far as the key. A line further left, such as a top-level key, a
    /// sibling entry or a JSON entry's closing brace, ends the entry.
    /// Blank and comment lines do not count.
    fn enclosing_id(&self, line: usize, column: usize) -> Option<String> {
        static ID: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"(?m)(?:^|[\s{,\-])(["']?id["']?\s*:\s*["']?)([^"',}\s#]+)"#).unwrap()
        });
        let starts = &self.index().line_starts;
        let line_text = |n: usize| {
            let start = starts[n - 1];
            self.text[start..].split('\n').next().unwrap_or("")
        };
        if line == 0 || line > starts.len() {
            return None;
        }
        let offset = crate::text::floor_boundary(
            &self.text,
            starts[line - 1] + line_text(line).len().min(column.saturating_sub(1)),
        );
        // The smallest indentation (column of the first character) of the
        // lines after `checked` up to the error's.
        let mut checked = line;
        let mut min_indent = usize::MAX;
        let ids: Vec<_> = ID.captures_iter(&self.text[..offset]).collect();
        ids.iter().rev().find_map(|c| {
            let key = c.get(1)?.start();
            let (id_line, id_column) = self.line_col(key);
            while checked > id_line {
                let text = line_text(checked);
                let content = text.trim_start();
                if !content.is_empty() && !content.starts_with('#') {
                    let indent = text[..text.len() - content.len()].chars().count() + 1;
                    min_indent = min_indent.min(indent);
                }
                checked -= 1;
            }
            // A YAML entry that starts with `- id:` holds the lines
            // indented past its dash; otherwise, those at its key or past.
            let before_key = &self.text[starts[id_line - 1]..key];
            let inside = match before_key.trim_end().strip_suffix('-') {
                Some(dash) if dash.trim().is_empty() => dash.chars().count() + 2,
                _ => id_column,
            };
            (id_line == line || min_indent >= inside).then(|| c[2].to_string())
        })
    }

    /// Finds where a rule, cue or theme with this `id` is defined: the
    /// first `id: <id>` (YAML) or `"id": "<id>"` (JSON) entry. With
    /// `value`, finds that value's first occurrence after the id instead
    /// (a keyword or a regex), falling back to the id.
    ///
    /// serde's data model has no spans that work for both YAML and JSON,
    /// so problems found after parsing are located in the text. Ids are
    /// unique within a file when validation gets this far, except for
    /// duplicate ids, where the `nth` occurrence is asked for.
    pub(crate) fn locate(
        &self,
        id: &str,
        nth: usize,
        value: Option<&str>,
    ) -> Option<(usize, usize)> {
        let id_at = self.find_id(id, nth)?;
        let at = value
            .and_then(|v| self.find_value(v, id_at))
            .unwrap_or(id_at);
        Some(self.line_col(at))
    }

    /// Like [`SourceFile::locate`] with a value, but looks for the value
    /// only after the rule's `field` key (`examples`, `counterexamples`),
    /// so an example that repeats a keyword is found in the right list.
    pub(crate) fn locate_in_field(
        &self,
        id: &str,
        field: &str,
        value: &str,
    ) -> Option<(usize, usize)> {
        let id_at = self.find_id(id, 0)?;
        let field_at = field_key(field, &self.text, id_at)?;
        let at = self.find_value(value, field_at)?;
        Some(self.line_col(at))
    }

    fn find_id(&self, id: &str, nth: usize) -> Option<usize> {
        if is_plain_id(id)
            && let Some(&at) = self.index().ids.get(id).and_then(|all| all.get(nth))
        {
            return Some(at);
        }
        self.find_id_by_regex(id, nth)
    }

    /// [`SourceFile::find_id`] the slow way, for ids the index may not
    /// hold as written (with quotes, commas, spaces...).
    fn find_id_by_regex(&self, id: &str, nth: usize) -> Option<usize> {
        let pattern = format!(
            r#"(?m)(?:^|[\s{{,\-])["']?id["']?\s*:\s*["']?{}["']?\s*(?:,|\}}|#|$)"#,
            regex::escape(id)
        );
        let re = regex::Regex::new(&pattern).ok()?;
        let m = re.find_iter(&self.text).nth(nth)?;
        let key = m.as_str().find("id")?;
        let start = m.start() + key;
        // Point at the `id` key itself, skipping an opening quote.
        Some(if self.text[..start].ends_with(['"', '\'']) {
            start - 1
        } else {
            start
        })
    }

    /// The value's first occurrence after `from`: as a double-quoted,
    /// escaped string first (JSON, YAML double quotes), then as written.
    fn find_value(&self, value: &str, from: usize) -> Option<usize> {
        // memmem rather than `str::find`: a value not written in double
        // quotes is looked for to the end of the file, once per example.
        let rest = &self.text.as_bytes()[from..];
        let quoted = serde_json::to_string(value).ok()?;
        memchr::memmem::find(rest, quoted.as_bytes())
            .or_else(|| memchr::memmem::find(rest, value.as_bytes()))
            .map(|i| from + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str, json: bool) -> SourceFile {
        SourceFile::from_text("t", text, json)
    }

    #[test]
    fn the_id_index_agrees_with_one_regex_per_id() {
        let texts = [
            DEFAULT_RULESET,
            "cues:\r\n  - id: x\r\n    keywords: [a]\r\n  - id: 'y' # why\r\n  - id: x\r\n",
            r#"{"themes":[{"id":"a","rules":[{"id":"b"},{"id":"c","x":1}]},{"id":"a"}]}"#,
            "rules:\n  - {id: r1, keywords: [k]}\n  - id:   r2   \n  - id: r3x\n  - id: \"r3\"x\n  - id:\n      r4\n",
            "rules:\n  - id: a-b\n  - id: a\n  - id: a,b\n  - name: id: c\n",
        ];
        for text in texts {
            let source = file(text, text.starts_with('{'));
            let mut ids: Vec<String> = source.index().ids.keys().cloned().collect();
            ids.extend(["missing", "a,b", "y"].map(String::from));
            for id in &ids {
                for nth in 0..3 {
                    assert_eq!(
                        source.find_id(id, nth),
                        source.find_id_by_regex(id, nth),
                        "id {id:?}, occurrence {nth}, in {:?}",
                        &text[..text.len().min(60)]
                    );
                }
            }
            for offset in [0, 1, text.len() / 2, text.len()] {
                assert_eq!(source.line_col(offset), line_col(text, offset));
            }
        }
    }

    #[test]
    fn locates_ids_in_yaml_and_json() {
        let yaml = file(
            "themes:\n  - id: a\n    rules:\n      - id: a-rule\n        keywords: [x, '  ']\n",
            false,
        );
        assert_eq!(yaml.locate("a-rule", 0, None), Some((4, 9)));
        assert_eq!(yaml.locate("a", 0, None), Some((2, 5)));
        assert_eq!(yaml.locate("a-rule", 0, Some("'  '")), Some((5, 23)));
        let json = file(
            "{\"themes\": [\n {\"id\": \"a\", \"rules\": [{\"id\":\"r\"}]}]}",
            true,
        );
        assert_eq!(json.locate("r", 0, None), Some((2, 25)));
        assert_eq!(json.locate("missing", 0, None), None);
    }

    #[test]
    fn parse_errors_name_the_enclosing_rule() {
        let yaml = file(
            "themes:\n  - id: t\n    rules:\n      - id: r1\n        keywords: [a]\n      - id: r2\n        wieght: 2\n",
            false,
        );
        assert_eq!(yaml.enclosing_id(7, 9).as_deref(), Some("r2"));
        assert_eq!(yaml.enclosing_id(1, 1), None);
        // A key back at the theme's level is the theme's; one at the top
        // level, after every entry, is in none of them.
        let yaml = file(
            "themes:\n  - id: t\n    rules:\n      - id: r1\n        keywords: [a]\n    thresold: 2\ncuez:\n  - id: c\n",
            false,
        );
        assert_eq!(yaml.enclosing_id(6, 5).as_deref(), Some("t"));
        assert_eq!(yaml.enclosing_id(7, 1), None);
        assert_eq!(yaml.enclosing_id(5, 9).as_deref(), Some("r1"));
        // An entry nested under a later top-level key is not in the last
        // theme's rules, nor is a sibling entry without an id in `r1`.
        let yaml = file(
            "themes:\n  - id: t\n    rules:\n      - id: r1\n        keywords: [a]\n      # note\n\n      - keywords: [b]\ncues:\n  - stance: x\n    - id: c\n",
            false,
        );
        assert_eq!(yaml.enclosing_id(11, 7), None);
        assert_eq!(yaml.enclosing_id(8, 9).as_deref(), Some("t"));
        // JSON: by the key's indentation, or on the entry's own line.
        let json = file(
            "{\n  \"themes\": [\n    {\n      \"id\": \"t\",\n      \"rules\": [{\"id\": \"r\", \"wieght\": 1}]\n    }\n  ],\n  \"stance\": {}\n}\n",
            true,
        );
        assert_eq!(json.enclosing_id(5, 36).as_deref(), Some("r"));
        assert_eq!(json.enclosing_id(5, 14).as_deref(), Some("t"));
        assert_eq!(json.enclosing_id(8, 11), None);
    }

    #[test]
    fn type_errors_name_the_key_and_the_value() {
        let yaml = file(
            "cues:\n  - id: c\n    weight: abc # why\n    whole-word: maybe\n    min-rules: two\n    weight: [1]\n  - {id: d, whole-word: maybe, weight: 1e999}\n  - keywords: x\n    patterns:\n      a: b\n",
            false,
        );
        let cases = [
            (
                "invalid floating point",
                3,
                13,
                "`weight` must be a number, not `abc`",
            ),
            (
                "invalid boolean",
                4,
                17,
                "`whole-word` must be true or false, not `maybe`",
            ),
            (
                "invalid u64",
                5,
                16,
                "`min-rules` must be a whole number, not `two`",
            ),
            (
                "expected string scalar",
                6,
                13,
                "`weight` must be a single value, not a list",
            ),
            (
                "invalid boolean",
                7,
                25,
                "`whole-word` must be true or false, not `maybe`",
            ),
            (
                "invalid floating point",
                7,
                40,
                "`weight` must be a finite number, not `1e999`",
            ),
            (
                "expected sequence start",
                8,
                15,
                "`keywords` must be a list, not `x`",
            ),
            (
                "expected sequence start",
                10,
                7,
                "`patterns` must be a list, not a mapping",
            ),
        ];
        for (message, line, column, said) in cases {
            assert_eq!(
                yaml.type_message(message, line, column).as_deref(),
                Some(said),
                "{message} at {line}:{column}"
            );
        }
        // Other messages, and positions that are not a key's value, stay.
        for (message, line, column) in [
            ("did not find expected key", 3, 13),
            ("invalid floating point", 3, 5),
            ("invalid floating point", 8, 5),
            ("invalid floating point", 1, 1),
            ("invalid floating point", 99, 1),
        ] {
            assert_eq!(yaml.type_message(message, line, column), None);
        }
    }

    #[test]
    fn locating_a_parse_error_never_panics_wherever_it_points() {
        let texts = [
            "",
            "\n\n",
            "cues:\r\n  - id: é\r\n    weight: ñ\r\n",
            "- id: x\n  weight:\n- id: y\n\tstance: \u{3000}z: {a: [b,\n",
            "{\"id\": \"日本\", \"weight\": \"x\"}",
        ];
        for text in texts {
            let yaml = file(text, false);
            let lines = text.lines().count() + 2;
            for line in 0..=lines {
                for column in 0..=text.len() + 2 {
                    yaml.enclosing_id(line, column);
                    for message in ["invalid floating point", "expected sequence start"] {
                        yaml.type_message(message, line, column);
                    }
                }
            }
        }
    }

    #[test]
    fn finds_the_nth_duplicate() {
        let yaml = file("cues:\n  - id: x\n  - id: x\n", false);
        assert_eq!(yaml.locate("x", 1, None), Some((3, 5)));
    }

    #[test]
    fn json_values_are_found_in_escaped_form() {
        let json = file(
            "{\"cues\": [{\"id\": \"c\", \"patterns\": [\"\\\\d+(\"]}]}",
            true,
        );
        let (line, col) = json.locate("c", 0, Some("\\d+(")).unwrap();
        assert_eq!((line, col), (1, 36));
    }
}
