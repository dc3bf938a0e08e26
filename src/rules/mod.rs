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
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    for source in sources {
        match load::read_source(source) {
            Ok(files) => {
                for file in files {
                    match load::parse(file) {
                        Ok(p) => parsed.push(p),
                        Err(problem) => problems.push(problem),
                    }
                }
            }
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
