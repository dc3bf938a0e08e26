//! Rules: loading rulesets (YAML or JSON), validating them and compiling
//! them into [`CompiledRules`], once per run.
//!
//! A ruleset defines **themes** (each holding **rules**: keywords and
//! regex patterns with a weight) and stance **cues**. Every problem found
//! while loading (syntax, unknown fields, duplicate ids, empty keywords,
//! invalid or oversized regexes, unknown theme references) is collected
//! and reported with its file, line, column and rule id. See
//! `docs/rules.md` for the format.
//!
//! ```
//! use policyscan::rules::{self, RuleSource};
//!
//! let rules = rules::load(&[RuleSource::Default]).unwrap();
//! assert_eq!(rules.themes().len(), 14);
//! ```

mod automaton;
mod compile;
mod error;
mod load;
mod model;
mod pattern;

pub(crate) use compile::Role;
pub use compile::{Check, CompiledRules, Example, Origin, Owner, Rule, RulesetInfo, Theme};
#[cfg(test)]
pub(crate) use compile::{prefix_literals, required_literals};
pub use error::{Error, Problem};
pub use load::RuleSource;
pub use model::{ExcludeScope, Severity};
pub use pattern::{Pattern, REGEX_SIZE_LIMIT, unwrappable_space};

/// Loads, validates and compiles rules from `sources`, in order.
///
/// Files are parsed independently, then merged: themes and rules from all
/// files share one id space, and a top-level `rules:` entry may add a rule
/// to a theme defined in another file (this is how `--add-rules` extends
/// the default ruleset).
pub fn load(sources: &[RuleSource]) -> Result<CompiledRules, Error> {
    load_sources(sources, None)
}

/// Loads `sources` as [`load()`] does, but with `text` as the content of
/// the ruleset file at `path` (an editor's unsaved buffer): it replaces
/// that file where the sources include it (the same file, however the
/// paths are written), and is loaded after them otherwise. JSON when
/// `path` ends in `.json`; problems in it are reported under `path`.
pub fn load_with_text(
    sources: &[RuleSource],
    path: &std::path::Path,
    text: &str,
) -> Result<CompiledRules, Error> {
    load_sources(sources, Some((path, text)))
}

fn load_sources(
    sources: &[RuleSource],
    buffer: Option<(&std::path::Path, &str)>,
) -> Result<CompiledRules, Error> {
    let same = |name: &str, path: &std::path::Path| {
        let name = std::path::Path::new(name);
        name == path
            || std::fs::canonicalize(name)
                .ok()
                .is_some_and(|a| std::fs::canonicalize(path).is_ok_and(|b| a == b))
    };
    let text_of = |(path, text): (&std::path::Path, &str)| {
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        load::SourceFile::from_text(&path.display().to_string(), text, json)
    };
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    let mut files = Vec::new();
    for source in sources {
        match load::read_source(source) {
            Ok(found) => files.extend(found),
            Err(problem) => problems.push(problem),
        }
    }
    if let Some(buffer) = buffer {
        match files.iter().position(|f| same(&f.name, buffer.0)) {
            Some(i) => files[i] = text_of(buffer),
            None => files.push(text_of(buffer)),
        }
    }
    for file in files {
        match load::parse(file) {
            Ok(p) => parsed.push(p),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(Error::new(problems));
    }
    compile::compile(parsed)
}

/// Loads rules from YAML or JSON text (JSON when `json` is true); `name`
/// is used in error messages. Handy for tests and embedding.
pub fn load_str(name: &str, text: &str, json: bool) -> Result<CompiledRules, Error> {
    let file = load::SourceFile::from_text(name, text, json);
    let parsed = load::parse(file).map_err(|p| Error::new(vec![p]))?;
    compile::compile(vec![parsed])
}

/// The JSON Schema (draft 2020-12) of the ruleset file format, generated
/// from the serde model, so it cannot drift from what the loader accepts.
/// A committed copy is in `schemas/ruleset.schema.json`.
pub fn schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(model::RawRuleset);
    schema.insert("$id".into(), SCHEMA_ID.into());
    schema.insert("title".into(), "policyscan ruleset".into());
    schema.to_value()
}

/// Where the ruleset schema is published.
const SCHEMA_ID: &str = "https://policyscan.dev/schemas/ruleset.schema.json";

/// The id closest to `given` among the rules, cues, themes and checks, for
/// "did you mean" suggestions.
pub fn suggest_id<'a>(rules: &'a CompiledRules, given: &str) -> Option<&'a str> {
    let ids = rules
        .themes()
        .iter()
        .map(|t| t.id.as_str())
        .chain(rules.rules().iter().map(|r| r.id.as_str()))
        .chain(rules.checks().iter().map(|c| c.id.as_str()));
    crate::suggest::closest(given, ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An editor's buffer replaces its saved file among the sources, and
    /// is added after them when they do not include it.
    #[test]
    fn a_buffer_replaces_its_file_or_joins_the_sources() {
        let dir = tempfile::tempdir().unwrap();
        let saved = dir.path().join("extra.yaml");
        let rule = |id: &str| {
            format!("rules:\n  - id: {id}\n    theme: licensing\n    keywords: [permit regime]\n")
        };
        std::fs::write(&saved, rule("saved-rule")).unwrap();
        let ids = |rules: &CompiledRules| -> Vec<String> {
            rules.rules().iter().map(|r| r.id.clone()).collect()
        };
        let sources = [
            RuleSource::Default,
            RuleSource::Path(dir.path().to_path_buf()),
        ];
        // The same file through another spelling of its path.
        let other_spelling = dir.path().join(".").join("extra.yaml");
        let rules = load_with_text(&sources, &other_spelling, &rule("typed-rule")).unwrap();
        assert!(ids(&rules).contains(&"typed-rule".to_string()));
        assert!(!ids(&rules).contains(&"saved-rule".to_string()));
        let new_file = dir.path().join("new.json");
        let json =
            r#"{"rules": [{"id": "json-rule", "theme": "licensing", "keywords": ["permit"]}]}"#;
        let rules = load_with_text(&sources, &new_file, json).unwrap();
        let all = ids(&rules);
        assert!(all.contains(&"saved-rule".to_string()) && all.contains(&"json-rule".to_string()));
        // Problems in the buffer are reported under its path.
        let err = load_with_text(&[], &new_file, "{\"rules\": [").unwrap_err();
        assert_eq!(err.problems()[0].file(), new_file.display().to_string());
    }
}
