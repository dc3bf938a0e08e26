//! `policyscan.toml`: project settings, found in the current folder or the
//! nearest parent (like ruff's `ruff.toml` or typos' `_typos.toml`).
//!
//! ```toml
//! rules = ["rules/"]          # replace the default ruleset (paths relative to this file)
//! add-rules = ["extra.yaml"]  # or extend it
//! exclude = ["drafts/**"]     # never walked into: gitignore globs, relative to this file
//! format = "json"             # default --format
//! fail-on = "warning"         # default --fail-on (scan and diff)
//! max-filesize = "50M"        # default --max-filesize (or a number of bytes)
//!
//! [checks]
//! disable = ["argues-against-open-release"]
//! ```
//!
//! Command-line flags win over the file: `--rules` replaces its `rules`,
//! `--add-rules` adds to its `add-rules`, `--format`, `--fail-on` and
//! `--max-filesize` override; `exclude` always applies when a folder is
//! walked (a file or folder named on the command line is read), matched
//! from this file's folder whatever folder is scanned, as a `.gitignore`'s
//! patterns are (until 2026-12-08 they were matched from the folder
//! scanned, like `--glob`). `--config FILE` names a file,
//! `--no-config` ignores any.

use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use clap::ValueEnum;
use clap::parser::ValueSource;
use serde::Deserialize;
use toml::Spanned;

use super::args::{DiffArgs, FailOn, OutputFormat, RulesArgs, ScanArgs, parse_size};

/// The file name looked for.
pub(crate) const FILE_NAME: &str = "policyscan.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    rules: Option<Spanned<Vec<String>>>,
    add_rules: Option<Spanned<Vec<String>>>,
    exclude: Option<Spanned<Vec<String>>>,
    format: Option<Spanned<String>>,
    fail_on: Option<Spanned<String>>,
    max_filesize: Option<Spanned<RawSize>>,
    checks: Option<RawChecks>,
}

/// `max-filesize`: a number of bytes, or a string such as `"50M"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawSize {
    Bytes(u64),
    Text(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawChecks {
    disable: Option<Spanned<Vec<String>>>,
}

/// A setting and the line of the file it came from (`None`: the default).
#[derive(Debug, Clone, Default)]
pub(crate) struct Setting<T> {
    pub(crate) value: T,
    pub(crate) line: Option<usize>,
}

/// The effective configuration.
#[derive(Debug, Default)]
pub(crate) struct Config {
    /// The file it was read from, if any.
    pub(crate) path: Option<PathBuf>,
    pub(crate) rules: Setting<Vec<PathBuf>>,
    pub(crate) add_rules: Setting<Vec<PathBuf>>,
    pub(crate) exclude: Setting<Vec<String>>,
    pub(crate) format: Setting<Option<OutputFormat>>,
    pub(crate) fail_on: Setting<Option<FailOn>>,
    pub(crate) max_filesize: Setting<Option<u64>>,
    pub(crate) disable_checks: Setting<Vec<String>>,
    /// `--no-config` was given.
    pub(crate) ignored: bool,
}

/// The nearest `policyscan.toml` in `start` or a parent.
pub(crate) fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Finds and reads the configuration: `explicit` (from `--config`) or the
/// discovered file; none with `--no-config`.
pub(crate) fn load(explicit: Option<&Path>, disabled: bool) -> Result<Config> {
    load_from(explicit, disabled, None)
}

/// [`load`], looking for the file from `start` (`None`: the current
/// folder) rather than the current folder: the language server looks
/// from the editor's workspace root.
pub(crate) fn load_from(
    explicit: Option<&Path>,
    disabled: bool,
    start: Option<&Path>,
) -> Result<Config> {
    if disabled {
        return Ok(Config {
            ignored: true,
            ..Config::default()
        });
    }
    let path = match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => match start {
            Some(start) => discover(start),
            None => std::env::current_dir().ok().and_then(|cwd| discover(&cwd)),
        },
    };
    match path {
        Some(path) => read(&path),
        None => Ok(Config::default()),
    }
}

fn read(path: &Path) -> Result<Config> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow!("{name}: cannot read the configuration: {e}"))?;
    let raw: RawConfig = toml::from_str(&text).map_err(|err| {
        let at = err
            .span()
            .map(|span| position(&text, span.start))
            .map_or(String::new(), |(l, c)| format!(":{l}:{c}"));
        // serde's words for TOML's types.
        let message = err
            .message()
            .trim_end()
            .replace("expected a sequence", "expected a list such as [\"…\"]");
        anyhow!(
            "{name}{at}: {}",
            policyscan::suggest::did_you_mean(&message)
        )
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let line = |span: Range<usize>| Some(position(&text, span.start).0);
    let paths = |s: Option<Spanned<Vec<String>>>| match s {
        Some(s) => Setting {
            line: line(s.span()),
            value: s.into_inner().iter().map(|p| dir.join(p)).collect(),
        },
        None => Setting::default(),
    };
    let strings = |s: Option<Spanned<Vec<String>>>| match s {
        Some(s) => Setting {
            line: line(s.span()),
            value: s.into_inner(),
        },
        None => Setting::default(),
    };
    let spanned =
        |s: Option<Spanned<String>>| s.map(|s| (position(&text, s.span().start).0, s.into_inner()));
    let format = match spanned(raw.format) {
        Some((l, value)) => Setting {
            value: Some(parse_enum::<OutputFormat>(&name, l, "format", &value)?),
            line: Some(l),
        },
        None => Setting::default(),
    };
    let fail_on = match spanned(raw.fail_on) {
        Some((l, value)) => Setting {
            value: Some(parse_enum::<FailOn>(&name, l, "fail-on", &value)?),
            line: Some(l),
        },
        None => Setting::default(),
    };
    let exclude = strings(raw.exclude);
    if let Err(err) = policyscan::walk::exclusions(dir, &exclude.value) {
        let l = exclude.line.unwrap_or(1);
        return Err(anyhow!("{name}:{l}: invalid `exclude`: {err}"));
    }
    let max_filesize = match raw.max_filesize {
        Some(size) => {
            let l = position(&text, size.span().start).0;
            let value = match size.into_inner() {
                RawSize::Bytes(bytes) => bytes,
                RawSize::Text(text) => parse_size(&text)
                    .map_err(|e| anyhow!("{name}:{l}: invalid `max-filesize`: {e}"))?,
            };
            Setting {
                value: Some(value),
                line: Some(l),
            }
        }
        None => Setting::default(),
    };
    Ok(Config {
        path: Some(path.to_path_buf()),
        rules: paths(raw.rules),
        add_rules: paths(raw.add_rules),
        exclude,
        format,
        fail_on,
        max_filesize,
        disable_checks: strings(raw.checks.and_then(|c| c.disable)),
        ignored: false,
    })
}

fn parse_enum<T: ValueEnum>(file: &str, line: usize, key: &str, value: &str) -> Result<T> {
    T::from_str(value, true).map_err(|_| {
        let names: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        // A typo, or the start of a name (`warn`).
        let near = policyscan::suggest::closest(value, names.iter().map(String::as_str))
            .or_else(|| {
                let lower = value.to_ascii_lowercase();
                let mut starting = names
                    .iter()
                    .filter(|n| !lower.is_empty() && n.starts_with(&lower));
                starting
                    .next()
                    .filter(|_| starting.next().is_none())
                    .map(String::as_str)
            })
            .map_or(String::new(), |near| format!("; did you mean `{near}`?"));
        anyhow!(
            "{file}:{line}: invalid `{key}` value `{value}` (expected one of {}{near})",
            names.join(", ")
        )
    })
}

/// 1-based line and column of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

pub(crate) fn from_command_line(matches: &clap::ArgMatches, id: &str) -> bool {
    matches.value_source(id) == Some(ValueSource::CommandLine)
}

/// Fills rule sources the command line did not give.
pub(crate) fn apply_rules(config: &Config, rules: &mut RulesArgs) {
    let mut named = |setting: &Setting<Vec<PathBuf>>, key: &str| {
        if let (Some(file), Some(line)) = (&config.path, setting.line) {
            let by = format!("`{key}` in {}:{line}", file.display());
            (rules.from_config).extend(setting.value.iter().map(|p| (p.clone(), by.clone())));
        }
    };
    if rules.rules.is_empty() {
        named(&config.rules, "rules");
        rules.rules = config.rules.value.clone();
    }
    named(&config.add_rules, "add-rules");
    let mut add = config.add_rules.value.clone();
    add.append(&mut rules.add_rules);
    rules.add_rules = add;
}

/// Applies the configuration to `diff`'s arguments (rules and
/// `fail-on`), where the command line did not set them.
pub(crate) fn apply_diff(config: &Config, diff: &mut DiffArgs, matches: &clap::ArgMatches) {
    apply_rules(config, &mut diff.rules);
    if let Some(fail_on) = config.fail_on.value
        && !from_command_line(matches, "fail_on")
    {
        diff.fail_on = fail_on;
    }
}

/// Applies the configuration to `scan`'s arguments, where the command
/// line did not set them.
pub(crate) fn apply_scan(config: &Config, scan: &mut ScanArgs, matches: &clap::ArgMatches) {
    apply_rules(config, &mut scan.rules);
    if let Some(path) = config
        .path
        .as_ref()
        .filter(|_| !config.exclude.value.is_empty())
    {
        let dir = path.parent().unwrap_or(Path::new("."));
        scan.config_exclude = Some((dir.to_path_buf(), config.exclude.value.clone()));
    }
    if let Some(format) = config.format.value
        && !from_command_line(matches, "format")
    {
        scan.format = format;
    }
    if let Some(fail_on) = config.fail_on.value
        && !from_command_line(matches, "fail_on")
    {
        scan.fail_on = fail_on;
    }
    if config.max_filesize.value.is_some() && !from_command_line(matches, "max_filesize") {
        scan.max_filesize = config.max_filesize.value;
    }
}

/// `policyscan config show`: each effective setting and where it came from.
pub(crate) fn show(config: &Config, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let file = config
        .path
        .as_ref()
        .and_then(|p| p.file_name())
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    match &config.path {
        Some(path) => writeln!(out, "# from {}", path.display())?,
        None if config.ignored => writeln!(out, "# --no-config: defaults")?,
        None => writeln!(
            out,
            "# no {FILE_NAME} in this folder or its parents: defaults"
        )?,
    }
    let origin = |line: Option<usize>| match line {
        Some(line) => format!("{file}:{line}"),
        None => "default".to_string(),
    };
    let list = |items: Vec<String>| {
        let quoted: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
        format!("[{}]", quoted.join(", "))
    };
    let shown = |p: &[PathBuf]| list(p.iter().map(|p| p.display().to_string()).collect());
    let rules = if config.rules.value.is_empty() {
        "[] (the embedded default ruleset)".to_string()
    } else {
        shown(&config.rules.value)
    };
    let name = |v: Option<clap::builder::PossibleValue>| {
        v.map_or_else(String::new, |v| format!("{:?}", v.get_name()))
    };
    let rows = [
        ("rules", rules, config.rules.line),
        (
            "add-rules",
            shown(&config.add_rules.value),
            config.add_rules.line,
        ),
        (
            "exclude",
            list(config.exclude.value.clone()),
            config.exclude.line,
        ),
        (
            "format",
            name(
                config
                    .format
                    .value
                    .unwrap_or(OutputFormat::Text)
                    .to_possible_value(),
            ),
            config.format.line,
        ),
        (
            "fail-on",
            name(
                config
                    .fail_on
                    .value
                    .unwrap_or(FailOn::Error)
                    .to_possible_value(),
            ),
            config.fail_on.line,
        ),
        (
            "max-filesize",
            config
                .max_filesize
                .value
                .map_or_else(|| "none".to_string(), |bytes| bytes.to_string()),
            config.max_filesize.line,
        ),
        (
            "checks.disable",
            list(config.disable_checks.value.clone()),
            config.disable_checks.line,
        ),
    ];
    for (key, value, line) in rows {
        writeln!(out, "{:<40} # {}", format!("{key} = {value}"), origin(line))?;
    }
    Ok(())
}
