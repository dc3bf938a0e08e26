//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::builder::ArgPredicate;
use clap::{Parser, Subcommand, ValueEnum};

/// Reports the policy themes and the open-source AI stance of policy
/// documents, with the evidence for each call.
#[derive(Debug, Parser)]
#[command(name = "policyscan", version, about, long_about = None, arg_required_else_help = true)]
pub(crate) struct Args {
    #[command(subcommand)]
    pub(crate) command: Command,
    /// Read settings from this file instead of the nearest policyscan.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Ignore policyscan.toml files.
    #[arg(long, global = true, conflicts_with = "config")]
    pub(crate) no_config: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Scan documents and report stance and themes.
    Scan(Box<ScanArgs>),
    /// Test rules: examples, counterexamples and annotated fixtures.
    Test(TestArgs),
    /// Compare predictions with a labels file: accuracy, F1, confusion.
    Eval(EvalArgs),
    /// Explain the stance and themes of one document, cue by cue.
    Explain(ExplainArgs),
    /// Show what changed between two versions of a draft.
    Diff(DiffArgs),
    /// Work with rulesets.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Run a language server: check findings as diagnostics while a draft
    /// is edited.
    ///
    /// Speaks the Language Server Protocol on standard input and output;
    /// start it from an editor (see docs/editors.md). Rules come from
    /// --rules/--add-rules and policyscan.toml as for `scan`, and are
    /// reloaded when a ruleset or policyscan.toml is saved.
    Server(ServerArgs),
    /// Show configuration (policyscan.toml).
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell completion script.
    ///
    /// For example `policyscan completions bash >
    /// ~/.local/share/bash-completion/completions/policyscan`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff).
    ///
    /// Read it with `policyscan man | man -l -`; with `--dir`, write a page
    /// per subcommand (policyscan-scan.1, …) into a folder.
    Man(ManArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct ServerArgs {
    #[command(flatten)]
    pub(crate) rules: RulesArgs,
    /// Also scan code blocks and front matter in Markdown files.
    #[arg(long)]
    pub(crate) markdown_code: bool,
    /// Leave documents the rules do not decide `neutral` instead of asking
    /// the learned stance model.
    #[arg(long)]
    pub(crate) no_model: bool,
    /// Accepted for editors that pass it (VS Code's language clients do);
    /// standard input and output are the only transport.
    #[arg(long, hide = true)]
    pub(crate) stdio: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ManArgs {
    /// Write policyscan.1 and one page per subcommand into this folder.
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConfigCommand {
    /// Print the effective settings and where each came from.
    Show,
}

#[derive(Debug, clap::Args)]
pub(crate) struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub(crate) struct DiffArgs {
    /// The old version (`-` for standard input).
    #[arg(value_name = "OLD")]
    pub(crate) old: PathBuf,
    /// The new version (`-` for standard input).
    #[arg(value_name = "NEW")]
    pub(crate) new: PathBuf,
    #[command(flatten)]
    pub(crate) rules: RulesArgs,
    /// The name of the version read from standard input, shown in the
    /// report; its extension gives the format. Without it, standard input
    /// is read in the format of the other version's name (`git show
    /// main:draft.md | policyscan diff - draft.md` reads both as Markdown).
    #[arg(long, value_name = "PATH")]
    pub(crate) stdin_filename: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Text)]
    pub(crate) format: DiffFormat,
    /// Exit 1 when a check at least this severe newly fires.
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "LEVEL")]
    pub(crate) fail_on: FailOn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    /// Lines for people.
    Text,
    /// One JSON object.
    Json,
    /// Markdown for a pull-request comment.
    Markdown,
}

#[derive(Debug, clap::Args)]
pub(crate) struct TestArgs {
    /// Ruleset files (.yaml, .yml, .json) to test, and fixture files or
    /// folders with `expect-…` annotations. Without ruleset files, the
    /// rules from --rules/--add-rules (or the default) are tested.
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) rules: RulesArgs,
    /// Print warnings about rules (no examples, keywords that can never
    /// match) as well as failures.
    #[arg(long, short = 'w', default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub(crate) warnings: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct EvalArgs {
    /// The labels file (TSV: path, stance, themes, optional borderline themes).
    #[arg(long, value_name = "FILE")]
    pub(crate) labels: PathBuf,
    /// Documents to scan; defaults to every document the labels name.
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) rules: RulesArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = EvalFormat::Text)]
    pub(crate) format: EvalFormat,
    /// Leave documents the rules do not decide `neutral` instead of asking
    /// the learned stance model (rules only).
    #[arg(long)]
    pub(crate) no_model: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum EvalFormat {
    /// Tables for people.
    Text,
    /// One JSON object.
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ExplainArgs {
    /// The document to explain (`-` for standard input).
    #[arg(
        value_name = "PATH",
        required_unless_present = "stdin_filename",
        default_value_if("stdin_filename", ArgPredicate::IsPresent, "-")
    )]
    pub(crate) path: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) rules: RulesArgs,
    /// The name of the document read from standard input, shown in the
    /// report; its extension gives the format (`draft.md` is read as
    /// Markdown). Implies `-` when no PATH is given.
    #[arg(long, value_name = "PATH")]
    pub(crate) stdin_filename: Option<PathBuf>,
    /// Print the text as policyscan reads it instead: what a PDF, Word,
    /// OpenDocument or RTF file yields, a line per paragraph, with markup,
    /// code blocks, struck and deleted text, running headers and the like
    /// left blank. Evidence lines and columns point into it.
    #[arg(long)]
    pub(crate) text: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RulesCommand {
    /// Validate rulesets and summarize what they define (exit 2 on errors).
    Check(RulesPathsArgs),
    /// Print the literal keywords of the rules (and `all-of` terms), one
    /// per line, folded: lowercase, hyphens and space runs as one space.
    /// Feed them to a peer tool (`rg -i -w -F -f FILE`) to search for
    /// exactly the same set.
    Keywords(RulesPathsArgs),
    /// List themes, rules, cues and checks, one per line.
    List(RulesListArgs),
    /// Show one theme, rule, cue or check: what it matches, its examples
    /// and where it is defined.
    Show(RulesShowArgs),
    /// Print the JSON Schema of the ruleset format (or, with --report, of
    /// `scan --format json`).
    Schema(RulesSchemaArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct RulesListArgs {
    #[command(flatten)]
    pub(crate) rules: RulesPathsArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    pub(crate) format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    /// Aligned columns.
    Text,
    /// One JSON array.
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct RulesShowArgs {
    /// The id of a theme, rule, cue or check.
    #[arg(value_name = "ID")]
    pub(crate) id: String,
    #[command(flatten)]
    pub(crate) rules: RulesArgs,
}

#[derive(Debug, clap::Args)]
pub(crate) struct RulesSchemaArgs {
    /// The schema of the JSON report instead of the ruleset format.
    #[arg(long)]
    pub(crate) report: bool,
}

/// Which rules to use, named by path as well as by option: `policyscan
/// rules check my-rules.yaml` as `ruff check FILE` does.
#[derive(Debug, clap::Args)]
pub(crate) struct RulesPathsArgs {
    /// Ruleset files or folders to use instead of the embedded default, as
    /// with --rules.
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) rules: RulesArgs,
}

impl RulesPathsArgs {
    /// Moves the paths into `--rules`, ahead of the configuration, which
    /// fills `--rules` only when the command line names no rules.
    pub(crate) fn merged(&mut self) -> &mut RulesArgs {
        self.rules.rules.append(&mut self.paths);
        &mut self.rules
    }
}

/// Which rules to use.
#[derive(Debug, clap::Args)]
pub(crate) struct RulesArgs {
    /// Load rules from this file or folder instead of the embedded default
    /// (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    pub(crate) rules: Vec<PathBuf>,
    /// Load rules from this file or folder in addition to the rules in use
    /// (repeatable). Top-level `rules:` entries may extend existing themes.
    #[arg(long = "add-rules", value_name = "PATH")]
    pub(crate) add_rules: Vec<PathBuf>,
    /// The paths above that came from `policyscan.toml`, each with the
    /// `file:line` and key that named it, for errors about them.
    #[arg(skip)]
    pub(crate) from_config: Vec<(PathBuf, String)>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ScanArgs {
    /// Files or folders to scan; `-` reads standard input.
    #[arg(
        value_name = "PATH",
        default_value = ".",
        default_value_if("stdin_filename", ArgPredicate::IsPresent, "-")
    )]
    pub(crate) paths: Vec<PathBuf>,
    /// The name of the document read from standard input (`-`), shown in
    /// reports; its extension gives the format (`git show HEAD:draft.md |
    /// policyscan scan --stdin-filename draft.md` reads Markdown). Implies
    /// `-` when no PATH is given.
    #[arg(long, value_name = "PATH")]
    pub(crate) stdin_filename: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) rules: RulesArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) format: OutputFormat,
    /// Also write a report in another format to a file, as FORMAT:PATH
    /// (repeatable), e.g. `--output sarif:policyscan.sarif`, or as a path
    /// whose extension names the format (.json, .jsonl, .sarif, .md,
    /// .html, .csv, .xml for JUnit, .txt), e.g. `-o
    /// gitlab:gl-code-quality-report.json -o report.xml`. Written
    /// atomically; stdout still gets --format.
    #[arg(long = "output", short = 'o', value_name = "FORMAT:PATH", value_parser = parse_output)]
    pub(crate) outputs: Vec<(OutputFormat, PathBuf)>,
    /// Include or (with a leading `!`) exclude paths matching this glob
    /// when walking folders (repeatable, gitignore syntax).
    #[arg(long = "glob", short = 'g', value_name = "GLOB")]
    pub(crate) globs: Vec<String>,
    /// `policyscan.toml`'s `exclude`: its folder and its globs, matched
    /// from there.
    #[arg(skip)]
    pub(crate) config_exclude: Option<(PathBuf, Vec<String>)>,
    /// Also scan hidden files and folders.
    #[arg(long)]
    pub(crate) hidden: bool,
    /// Do not respect .gitignore and .ignore files.
    #[arg(long)]
    pub(crate) no_ignore: bool,
    /// Follow symbolic links inside folders (links that are not followed
    /// are listed as skipped; with this flag, loops and dangling links are
    /// errors).
    #[arg(long, short = 'L')]
    pub(crate) follow: bool,
    /// Skip files larger than this: bytes, or with a K, M or G suffix
    /// (1024-based), e.g. 50M. Skipped files are listed with the reason
    /// `too-large`; standard input and JSONL records are not limited.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub(crate) max_filesize: Option<u64>,
    /// Number of scanning threads (default: one per core; never more than
    /// the documents, or the cores if there are fewer documents).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) threads: Option<u16>,
    /// The most evidence items shown per theme and for the stance.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub(crate) max_evidence: usize,
    /// Print statistics on stderr after the report: documents, bytes, the
    /// time spent loading the rules, time per phase (walk, read, extract,
    /// match, classify, output) and the slowest rules.
    #[arg(long)]
    pub(crate) stats: bool,
    /// How to read the inputs: as files (the default), as JSON Lines
    /// records `{"id": …, "text": …}`, as a table (CSV, `;`- or
    /// tab-separated, or an .xlsx or .ods workbook's first sheet) with a header
    /// row and a record a row, or as a
    /// mailbox (mbox) with a record a message; each PATH a file, `-` for
    /// stdin. Records write one result line each, in input order.
    #[arg(long, value_enum, default_value_t = InputMode::Files, value_name = "MODE")]
    pub(crate) input: InputMode,
    /// With --input jsonl or csv: the field (or column) holding each
    /// record's id (a message's is `PATH#N`).
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub(crate) id_field: String,
    /// With --input jsonl or csv: the field (or column) holding each
    /// record's text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub(crate) text_field: String,
    /// Also scan code blocks and front matter in Markdown files (by default
    /// only their prose is scanned; HTML comments and tags never are).
    #[arg(long)]
    pub(crate) markdown_code: bool,
    /// Leave documents the rules do not decide `neutral` instead of asking
    /// the learned stance model (rules only).
    #[arg(long)]
    pub(crate) no_model: bool,
    /// Print only the report and errors: no progress bar, no warnings or
    /// notices about skipped inputs.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
    /// When to use colour in the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    /// Exit 1 when a check finding is at least this severe.
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "LEVEL")]
    pub(crate) fail_on: FailOn,
    /// Exit 0 even when checks or --fail-on-* conditions match (errors
    /// still exit 2).
    #[arg(long)]
    pub(crate) exit_zero: bool,
    /// Suppress the findings listed in this baseline file (from
    /// --write-baseline), so only new findings fail the build.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Write the current findings (all but those an inline comment
    /// suppresses) to this baseline file; with --baseline on the same file,
    /// refreshes it.
    #[arg(long, value_name = "FILE")]
    pub(crate) write_baseline: Option<PathBuf>,
    /// Exit 1 when any document takes this stance (repeatable).
    #[arg(long, value_name = "STANCE", value_parser = ["pro-open", "security-first", "hybrid", "neutral"])]
    pub(crate) fail_on_stance: Vec<String>,
    /// Exit 1 when this theme is present in any document (repeatable).
    #[arg(long, value_name = "THEME")]
    pub(crate) fail_on_theme: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum InputMode {
    /// Files and folders.
    Files,
    /// JSON Lines records with `id` and `text`.
    Jsonl,
    /// A table with a header row: CSV, `;`- or tab-separated, .xlsx, .ods.
    Csv,
    /// A mailbox (mbox): each message a record.
    Mbox,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// A readable report per document.
    Text,
    /// One JSON object for the whole run.
    Json,
    /// JSON Lines: a `document` message per document, then a `summary`.
    Jsonl,
    /// SARIF 2.1.0: check findings as code-scanning results.
    Sarif,
    /// GitHub Actions workflow commands: findings as annotations.
    Github,
    /// Azure Pipelines logging commands: findings as errors and warnings
    /// of the run.
    Azure,
    /// A Markdown summary for pull-request comments and job summaries.
    Markdown,
    /// One self-contained HTML page: stance chart, themes heatmap, and
    /// each document's evidence.
    Html,
    /// CSV: a row per input (stance, themes, checks, scores), for
    /// spreadsheets.
    Csv,
    /// GitLab Code Quality: check findings as merge request issues.
    Gitlab,
    /// JUnit XML: each document's checks as test cases, for CI test
    /// reports.
    Junit,
}

/// Parses `--max-filesize`: a number of bytes, optionally followed by K,
/// M or G (1024-based, either case).
pub(crate) fn parse_size(value: &str) -> Result<u64, String> {
    let bad = || format!("expected a size such as 500, 64K, 50M or 2G, got `{value}`");
    let (digits, shift) = match value.trim().as_bytes().last() {
        Some(b'k' | b'K') => (&value.trim()[..value.trim().len() - 1], 10),
        Some(b'm' | b'M') => (&value.trim()[..value.trim().len() - 1], 20),
        Some(b'g' | b'G') => (&value.trim()[..value.trim().len() - 1], 30),
        _ => (value.trim(), 0),
    };
    let number: u64 = digits.parse().map_err(|_| bad())?;
    number.checked_mul(1 << shift).ok_or_else(bad)
}

/// Parses `FORMAT:PATH` for `--output`.
fn parse_output(value: &str) -> Result<(OutputFormat, PathBuf), String> {
    let Some((format, path)) = value.split_once(':') else {
        // A bare path whose extension says the format: `-o report.sarif`.
        let ext = std::path::Path::new(value)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let format = match ext.as_deref() {
            Some("json") => OutputFormat::Json,
            Some("jsonl" | "ndjson") => OutputFormat::Jsonl,
            Some("sarif") => OutputFormat::Sarif,
            Some("md" | "markdown") => OutputFormat::Markdown,
            Some("html" | "htm") => OutputFormat::Html,
            Some("txt") => OutputFormat::Text,
            Some("csv") => OutputFormat::Csv,
            Some("xml") => OutputFormat::Junit,
            _ => {
                return Err(format!(
                    "expected FORMAT:PATH (e.g. sarif:{value}), or a path ending in .json, \
                     .jsonl, .sarif, .md, .html, .csv, .xml (JUnit) or .txt, got `{value}`"
                ));
            }
        };
        return Ok((format, PathBuf::from(value)));
    };
    let format = OutputFormat::from_str(format, true).map_err(|_| {
        let names: Vec<String> = OutputFormat::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        format!(
            "unknown format `{format}` (expected one of {})",
            names.join(", ")
        )
    })?;
    if path.is_empty() {
        return Err("the path after FORMAT: is empty".to_string());
    }
    Ok((format, PathBuf::from(path)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// Fail on error findings.
    Error,
    /// Fail on warning or error findings.
    Warning,
    /// Fail on any finding.
    Info,
    /// Never fail because of findings.
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn args_are_consistent() {
        super::Args::command().debug_assert();
    }

    #[test]
    fn sizes_take_binary_suffixes_and_refuse_the_rest() {
        let parse = super::parse_size;
        assert_eq!(parse("500"), Ok(500));
        assert_eq!(parse("64K"), Ok(64 << 10));
        assert_eq!(parse("50m"), Ok(50 << 20));
        assert_eq!(parse(" 2G "), Ok(2 << 30));
        for bad in ["", "K", "1.5M", "-1", "12T", "99999999999G"] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
