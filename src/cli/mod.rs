//! The command-line edge: arguments in, exit code out. The only module
//! that touches the process (stdin, stdout, stderr, exit codes) and uses
//! `anyhow`.

#![allow(clippy::print_stderr)]

mod args;
mod config;
mod output;
mod progress;
mod quality;
mod rules_cmd;
mod stats;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use args::{Args, ColorChoice, Command, OutputFormat, RulesArgs, RulesCommand, ScanArgs};
use policyscan::Stance;
use policyscan::check::FailConditions;
use policyscan::classify::ClassifyOptions;
use policyscan::report::{self, RunReport};
use policyscan::rules::{self, CompiledRules, Owner, RuleSource, Severity};
use policyscan::stats::{Phase, Stats};
use policyscan::walk::{self, Input, WalkOptions};

/// Exit codes (documented in the README).
pub(crate) mod exit {
    /// Nothing to report: no errors, no failing condition.
    pub(crate) const CLEAN: i32 = 0;
    /// A `--fail-on-*` condition matched.
    pub(crate) const FAILED_CHECK: i32 = 1;
    /// A usage, rule or input error.
    pub(crate) const ERROR: i32 = 2;
    /// Interrupted (Ctrl-C, SIGTERM, SIGHUP), as a shell reports SIGINT.
    pub(crate) const INTERRUPTED: i32 = 130;
}

/// Parses arguments, runs the command, returns the exit code.
pub(crate) fn main() -> i32 {
    use clap::{CommandFactory, FromArgMatches};
    use policyscan::text::pdf;
    if std::env::args_os()
        .nth(1)
        .is_some_and(|arg| arg == pdf::HELPER_ARG)
    {
        return pdf::serve();
    }
    output::remove_on_interrupt();
    // PDFs are read by a child process, so a reader crash or hang costs
    // one file, not the run (see `text::pdf`). Without a path to this
    // program they are read in process.
    match pdf::timeout_from_env().and_then(|t| Ok((t, pdf::memory_from_env()?))) {
        Ok((timeout, memory)) => {
            if let Ok(exe) = std::env::current_exe() {
                pdf::isolate(exe, timeout, memory);
            }
        }
        Err(err) => {
            eprintln!("policyscan: {err}");
            return exit::ERROR;
        }
    }
    let parsed = Args::command()
        .try_get_matches()
        .and_then(|matches| Ok((Args::from_arg_matches(&matches)?, matches)));
    let (args, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(err) => {
            let code = if err.use_stderr() {
                exit::ERROR
            } else {
                exit::CLEAN
            };
            let _ = err.print();
            return code;
        }
    };
    match run(args, &matches) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => exit::CLEAN,
        Err(err) => {
            // One line per problem (a ruleset can have several), each
            // with the program's name like every other message.
            for line in format!("{err:#}").lines() {
                eprintln!("policyscan: {line}");
            }
            exit::ERROR
        }
    }
}

fn run(args: Args, matches: &clap::ArgMatches) -> Result<i32> {
    let config = match config::load(args.config.as_deref(), args.no_config) {
        Ok(config) => config,
        // The server reads the configuration itself, and again when it
        // changes: a broken file is reported to the editor, not fatal.
        Err(_) if matches!(args.command, Command::Server(_)) => config::Config::default(),
        // A scan in a machine format still writes its report, with the
        // problem in `errors`, as for invalid rules.
        Err(err) => match &args.command {
            Command::Scan(scan) => return Err(fatal(scan, err)),
            _ => return Err(err),
        },
    };
    let mut command = args.command;
    match &mut command {
        Command::Scan(scan) => {
            let sub = matches.subcommand_matches("scan").unwrap_or(matches);
            config::apply_scan(&config, scan, sub);
            check_record_mode(scan, sub)?;
            check_output_targets(scan)?;
        }
        Command::Test(a) => {
            quality::claim_rule_files(a);
            config::apply_rules(&config, &mut a.rules);
        }
        Command::Eval(a) => config::apply_rules(&config, &mut a.rules),
        Command::Explain(a) => config::apply_rules(&config, &mut a.rules),
        Command::Diff(a) => {
            let sub = matches.subcommand_matches("diff").unwrap_or(matches);
            config::apply_diff(&config, a, sub);
        }
        Command::Rules(RulesCommand::Check(r) | RulesCommand::Keywords(r)) => {
            config::apply_rules(&config, r.merged())
        }
        Command::Rules(RulesCommand::List(a)) => config::apply_rules(&config, a.rules.merged()),
        Command::Rules(RulesCommand::Show(a)) => config::apply_rules(&config, &mut a.rules),
        Command::Rules(RulesCommand::Schema(_))
        | Command::Server(_)
        | Command::Config(_)
        | Command::Completions(_)
        | Command::Man(_) => {}
    }
    match command {
        Command::Scan(scan) => run_scan(*scan, &config),
        Command::Config(args::ConfigCommand::Show) => {
            config::show(&config, &mut io::stdout().lock())?;
            Ok(exit::CLEAN)
        }
        Command::Test(test) => quality::run_test(&test),
        Command::Eval(eval) => quality::run_eval(&eval),
        Command::Explain(explain) => quality::run_explain(&explain),
        Command::Diff(diff) => run_diff(&diff, &config),
        Command::Server(server) => run_server(server, args.config, args.no_config),
        Command::Rules(RulesCommand::Check(rules)) => run_rules_check(&rules.rules),
        Command::Rules(RulesCommand::Keywords(rules)) => run_rules_keywords(&rules.rules),
        Command::Rules(RulesCommand::List(list)) => rules_cmd::run_list(&list, &config),
        Command::Rules(RulesCommand::Show(show)) => rules_cmd::run_show(&show, &config),
        Command::Rules(RulesCommand::Schema(schema)) => rules_cmd::run_schema(&schema),
        Command::Completions(args) => {
            let mut command = <Args as clap::CommandFactory>::command();
            let mut out = io::stdout().lock();
            clap_complete::generate(args.shell, &mut command, "policyscan", &mut out);
            Ok(exit::CLEAN)
        }
        Command::Man(args) => {
            let command = <Args as clap::CommandFactory>::command();
            match &args.dir {
                Some(dir) => {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("failed to create {}", dir.display()))?;
                    clap_mangen::generate_to(command, dir)
                        .with_context(|| format!("failed to write pages to {}", dir.display()))?;
                }
                None => clap_mangen::Man::new(command).render(&mut io::stdout().lock())?,
            }
            Ok(exit::CLEAN)
        }
    }
}

/// `--input jsonl` writes one JSON line per record and exits 0 or 2: the
/// options that shape file scans, other output files, baselines and
/// failing conditions would do nothing there, so giving one is an error
/// rather than silently ignored (an `--output` file that never appears).
fn check_record_mode(scan: &ScanArgs, matches: &clap::ArgMatches) -> Result<()> {
    if matches!(scan.input, args::InputMode::Files | args::InputMode::Mbox) {
        let given: Vec<&str> = [("id_field", "--id-field"), ("text_field", "--text-field")]
            .into_iter()
            .filter(|(id, _)| config::from_command_line(matches, id))
            .map(|(_, flag)| flag)
            .collect();
        if !given.is_empty() {
            bail!(
                "{} only {} with --input jsonl or --input csv, whose records name their fields",
                given.join(" and "),
                if given.len() == 1 { "applies" } else { "apply" }
            );
        }
        if scan.input == args::InputMode::Files {
            return Ok(());
        }
    }
    let mode = match scan.input {
        args::InputMode::Csv => "csv",
        args::InputMode::Mbox => "mbox",
        _ => "jsonl",
    };
    let mut given: Vec<&str> = [
        ("outputs", "--output"),
        ("globs", "--glob"),
        ("hidden", "--hidden"),
        ("no_ignore", "--no-ignore"),
        ("follow", "--follow"),
        ("max_filesize", "--max-filesize"),
        ("markdown_code", "--markdown-code"),
        ("stdin_filename", "--stdin-filename"),
        ("fail_on", "--fail-on"),
        ("fail_on_stance", "--fail-on-stance"),
        ("fail_on_theme", "--fail-on-theme"),
        ("baseline", "--baseline"),
        ("write_baseline", "--write-baseline"),
    ]
    .into_iter()
    .filter(|(id, _)| config::from_command_line(matches, id))
    .map(|(_, flag)| flag)
    .collect();
    let writes = match scan.input {
        args::InputMode::Csv | args::InputMode::Mbox => {
            &[OutputFormat::Json, OutputFormat::Jsonl, OutputFormat::Csv][..]
        }
        _ => &[OutputFormat::Json, OutputFormat::Jsonl],
    };
    if config::from_command_line(matches, "format") && !writes.contains(&scan.format) {
        if scan.format == OutputFormat::Csv {
            bail!(
                "--format csv writes records as a table only with --input csv or mbox, whose \
                 columns are known; JSON Lines records may each have other fields"
            );
        }
        given.insert(0, "--format");
    }
    if given.is_empty() {
        return Ok(());
    }
    bail!(
        "--input {mode} writes one JSON line per record and exits 0, or 2 when a record \
         is an error; {} {} not apply to it",
        given.join(", "),
        if given.len() == 1 { "does" } else { "do" }
    )
}

fn run_scan(args: ScanArgs, config: &config::Config) -> Result<i32> {
    let started = std::time::Instant::now();
    // The stance model is read while the rules load: each is a few
    // milliseconds of a run of one document.
    let (rules, model) = rayon::join(
        || load_rules(&args.rules),
        || (!args.no_model).then(policyscan::classify::model::default_model),
    );
    let rules = rules
        .and_then(|rules| without_disabled_checks(rules, config))
        .map_err(|e| fatal(&args, e))?;
    let loaded = started.elapsed();
    let fail = fail_conditions(&args, &rules).map_err(|e| fatal(&args, e))?;
    let options = ClassifyOptions {
        max_evidence: args.max_evidence,
        markdown_code: args.markdown_code,
        model,
        stats: args
            .stats
            .then(|| std::sync::Arc::new(Stats::new(rules.rules().len()))),
    };
    if args.input != args::InputMode::Files {
        let code = run_records(&args, &rules, &options)?;
        if let Some(stats) = &options.stats {
            stats::print(stats, &rules, (started.elapsed(), loaded), args.threads);
        }
        return Ok(code);
    }
    let stats = options.stats.clone();
    let walk_started = std::time::Instant::now();
    let walked = walk_options(&args)
        .and_then(|options| Ok(walk::walk(&without_stdin(&args.paths), &options)?))
        .map_err(|e| fatal(&args, e))?;
    let stdin =
        StdinName::new(args.stdin_filename.as_deref(), &args.paths).map_err(|e| fatal(&args, e))?;
    let inputs = with_stdin(
        &args.paths,
        &stdin,
        without_outputs(walked.inputs, &args.outputs),
    )
    .map_err(|e| fatal(&args, e))?;
    if let Some(stats) = &stats {
        stats.add(Phase::Walk, walk_started.elapsed());
    }
    let baseline = output::read_baseline(&args).map_err(|e| fatal(&args, e))?;
    let threads = useful_threads(args.threads, inputs.len());
    let code = output::stream_scan(
        &args,
        &rules,
        (&fail, baseline),
        inputs,
        (walked.skipped, walked.errors),
        &options,
    )?;
    if let Some(stats) = &stats {
        stats::print(stats, &rules, (started.elapsed(), loaded), threads);
    }
    Ok(code)
}

/// `scan --input jsonl` or `csv`: each path (`-` for stdin) is a stream
/// of records; one result line per record goes to stdout. A path that
/// cannot be opened, or a table whose header does not fit, is an error
/// line naming it (`path`, `error`), and the next path goes on.
fn run_records(args: &ScanArgs, rules: &CompiledRules, options: &ClassifyOptions) -> Result<i32> {
    use policyscan::records::{self, Fields, table::Table};
    let fields = Fields {
        id: args.id_field.clone(),
        text: args.text_field.clone(),
    };
    let mut total = records::Counts::default();
    let mut unread = 0;
    for path in &args.paths {
        let name = if is_stdin(path) {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let opened = if is_stdin(path) {
            Ok(Box::new(io::stdin()) as Box<dyn io::Read + Send>)
        } else if path.is_dir() {
            Err(io::Error::other(
                "a folder: record mode reads files of records (or - for standard input)",
            ))
        } else {
            std::fs::File::open(path).map(|file| Box::new(file) as Box<dyn io::Read + Send>)
        };
        let out = io::BufWriter::new(io::stdout());
        let as_table = args.format == OutputFormat::Csv;
        let scanned = match args.input {
            args::InputMode::Csv => {
                opened
                    .and_then(|input| Table::open(input, &fields))
                    .map(|table| {
                        in_pool(args.threads, || {
                            table.scan(rules, &fields, out, options, as_table)
                        })
                    })
            }
            args::InputMode::Mbox => opened.map(|input| {
                in_pool(args.threads, || {
                    let input = io::BufReader::new(input);
                    records::scan_mbox(rules, input, &name, out, options, as_table)
                })
            }),
            _ => opened.map(|input| {
                in_pool(args.threads, || {
                    records::scan_stream(rules, io::BufReader::new(input), &fields, out, options)
                })
            }),
        };
        let counts = match scanned {
            Ok(counts) => counts?.with_context(|| format!("failed to scan records from {name}"))?,
            Err(err) => {
                unread += 1;
                if !args.quiet {
                    eprintln!("policyscan: {name}: {err}");
                }
                let line = serde_json::json!({"path": name, "error": err.to_string()});
                writeln!(io::stdout(), "{line}")?;
                continue;
            }
        };
        total.records += counts.records;
        total.errors += counts.errors;
    }
    if total.errors > 0 && !args.quiet {
        eprintln!(
            "policyscan: {} of {} records could not be scanned (see their `error` lines)",
            total.errors, total.records
        );
    }
    if total.errors > 0 || unread > 0 {
        return Ok(exit::ERROR);
    }
    Ok(exit::CLEAN)
}

/// A run that stops before scanning (invalid rules, a bad glob, an
/// unknown theme) still writes a valid report in the machine formats, to
/// stdout and every `--output`, with the problem in its `errors` (SARIF:
/// an unsuccessful invocation), so a pipeline reading the JSON or
/// uploading the SARIF sees why. The error goes on to stderr and exit 2.
fn fatal(args: &ScanArgs, err: anyhow::Error) -> anyhow::Error {
    let errors: Vec<report::InputError> = match err.downcast_ref::<rules::Error>() {
        Some(rules_error) => rules_error
            .problems()
            .iter()
            .map(|problem| {
                let text = problem.to_string();
                let message = text
                    .strip_prefix(problem.file())
                    .map_or(text.as_str(), |rest| rest.trim_start_matches([':', ' ']))
                    .to_string();
                report::InputError {
                    path: problem.file().to_string(),
                    message,
                }
            })
            .collect(),
        None => match err.downcast_ref::<MissingRuleset>() {
            Some(missing) => vec![report::InputError {
                path: missing.path.display().to_string(),
                message: missing.message(),
            }],
            None => vec![report::InputError {
                path: "<command line>".to_string(),
                message: format!("{err:#}"),
            }],
        },
    };
    let report = RunReport::new(Vec::new(), &[], Vec::new(), Vec::new(), errors);
    let machine = |format: OutputFormat| {
        matches!(
            format,
            OutputFormat::Json
                | OutputFormat::Jsonl
                | OutputFormat::Sarif
                | OutputFormat::Csv
                | OutputFormat::Gitlab
                | OutputFormat::Junit
        )
    };
    let write = |out: &mut dyn Write, format: OutputFormat| match format {
        OutputFormat::Json => report::write_json(out, &report),
        OutputFormat::Jsonl => report::write_jsonl(out, &report),
        OutputFormat::Csv => report::write_csv(out, &report),
        OutputFormat::Gitlab => report::write_gitlab(out, &report),
        OutputFormat::Junit => report::write_junit(out, &report, &[]),
        _ => report::write_sarif(out, &report, &[]),
    };
    for (format, path) in args.outputs.iter().filter(|(f, _)| machine(*f)) {
        // Best effort: the error on stderr is what matters if this fails.
        let _ = output::write_file(path, |file| write(file, *format));
    }
    if machine(args.format) {
        let _ = write(&mut io::stdout().lock(), args.format);
    }
    err
}

/// The rules without the checks `policyscan.toml` disables
/// (`[checks] disable`), for the commands that report findings.
fn without_disabled_checks(rules: CompiledRules, config: &config::Config) -> Result<CompiledRules> {
    let disabled = &config.disable_checks.value;
    if disabled.is_empty() {
        return Ok(rules);
    }
    rules.without_checks(disabled).map_err(|unknown| {
        let file = config.path.as_deref().unwrap_or(std::path::Path::new(""));
        let at = config
            .disable_checks
            .line
            .map_or(String::new(), |line| format!(":{line}"));
        let ids = rules.checks().iter().map(|c| c.id.as_str());
        let hint = policyscan::suggest::closest(&unknown, ids)
            .map_or(String::new(), |near| format!(" (did you mean `{near}`?)"));
        anyhow::anyhow!(
            "{}{at}: checks.disable: no check `{unknown}`{hint}",
            file.display()
        )
    })
}

fn run_diff(args: &args::DiffArgs, config: &config::Config) -> Result<i32> {
    if is_stdin(&args.old) && is_stdin(&args.new) {
        bail!("OLD and NEW cannot both be `-`: standard input can be read once");
    }
    let pair = [args.old.clone(), args.new.clone()];
    let mut stdin = StdinName::new(args.stdin_filename.as_deref(), &pair)?;
    if args.stdin_filename.is_none() {
        // `git show main:draft.md | policyscan diff - draft.md`: the old
        // version is Markdown too.
        let other = if is_stdin(&args.old) {
            &args.new
        } else {
            &args.old
        };
        stdin.format =
            policyscan::text::Format::from_path(other).unwrap_or(policyscan::text::Format::Text);
    }
    let rules = without_disabled_checks(load_rules(&args.rules)?, config)?;
    let (old, new) = (
        read_document(&args.old, &stdin)?,
        read_document(&args.new, &stdin)?,
    );
    let d = policyscan::diff::diff(&rules, &old, &new);
    let out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        args::DiffFormat::Text => report::write_diff_text(out, &d)?,
        args::DiffFormat::Markdown => report::write_diff_markdown(out, &d)?,
        args::DiffFormat::Json => {
            let mut out = out;
            serde_json::to_writer_pretty(&mut out, &d)?;
            writeln!(out)?;
        }
    }
    let threshold = severity_of(args.fail_on);
    let failing = d
        .checks_new
        .iter()
        .any(|f| threshold.is_some_and(|t| f.severity >= t));
    Ok(if failing {
        exit::FAILED_CHECK
    } else {
        exit::CLEAN
    })
}

/// `policyscan server`: the language server on standard input and
/// output. Its loader reads policyscan.toml (from the workspace root the
/// editor names) and the rules afresh each time the editor saves one of
/// them.
fn run_server(
    args: args::ServerArgs,
    config_file: Option<PathBuf>,
    no_config: bool,
) -> Result<i32> {
    let model = (!args.no_model).then(policyscan::classify::model::default_model);
    let load = move |root: Option<&std::path::Path>| {
        let config = match config::load_from(config_file.as_deref(), no_config, root) {
            Ok(config) => config,
            Err(err) => {
                return policyscan::lsp::Load {
                    sources: Vec::new(),
                    config: None,
                    exclude: Vec::new(),
                    result: Err(err),
                };
            }
        };
        let mut rules = args::RulesArgs {
            rules: args.rules.rules.clone(),
            add_rules: args.rules.add_rules.clone(),
            from_config: Vec::new(),
        };
        config::apply_rules(&config, &mut rules);
        let result = load_rules(&rules)
            .and_then(|loaded| without_disabled_checks(loaded, &config))
            .map(|rules| policyscan::lsp::Loaded {
                rules,
                options: ClassifyOptions {
                    markdown_code: args.markdown_code,
                    model: model.clone(),
                    ..ClassifyOptions::default()
                },
            });
        policyscan::lsp::Load {
            sources: rule_sources(&rules),
            config: config.path.clone(),
            exclude: config.exclude.value.clone(),
            result,
        }
    };
    if std::io::IsTerminal::is_terminal(&io::stdin()) {
        // Typed at a prompt: it would wait for a client in silence.
        eprintln!(
            "policyscan server speaks the Language Server Protocol on standard input and \
             output, for an editor to start (see docs/editors.md); waiting for a client \
             (Ctrl-D to end)"
        );
    }
    let code = policyscan::lsp::serve(
        io::BufReader::new(io::stdin().lock()),
        io::stdout().lock(),
        Box::new(load),
    )?;
    Ok(code)
}

/// Reads one document (`-` for standard input, named and formatted as
/// `stdin` says) the way `scan` does: decoded, with suppression
/// directives, HTML markup (and Markdown code blocks and front matter)
/// blanked. For `explain` and `diff`.
pub(crate) fn read_document(
    path: &std::path::Path,
    stdin: &StdinName,
) -> Result<policyscan::text::Document> {
    use policyscan::pipeline::{read_file, read_stream};
    if is_stdin(path) {
        let bytes = read_stream(io::stdin().lock(), stdin.format)
            .context("failed to read standard input")?;
        return policyscan::pipeline::prepare_as(stdin.name.clone(), stdin.format, bytes)
            .map_err(anyhow::Error::msg);
    }
    let bytes = read_file(path, policyscan::text::Format::Text)
        .with_context(|| format!("failed to read {}", path.display()))?;
    policyscan::pipeline::prepare_one(path.display().to_string(), path, bytes)
        .map_err(anyhow::Error::msg)
}

/// What standard input is called in reports, and the format its name
/// implies: `<stdin>` read by content, or what `--stdin-filename` says.
#[derive(Debug, Clone)]
pub(crate) struct StdinName {
    pub(crate) name: String,
    pub(crate) format: policyscan::text::Format,
}

impl StdinName {
    /// The name `--stdin-filename` gives, which is an error unless `-`
    /// is among `paths`: it would name nothing.
    pub(crate) fn new(given: Option<&std::path::Path>, paths: &[PathBuf]) -> Result<StdinName> {
        let Some(given) = given else {
            return Ok(StdinName {
                name: "<stdin>".to_string(),
                format: policyscan::text::Format::Text,
            });
        };
        if !paths.iter().any(|p| is_stdin(p)) {
            bail!(
                "--stdin-filename names the document read from standard input, \
                 but `-` is not among the paths"
            );
        }
        Ok(StdinName {
            name: walk::display(given),
            format: policyscan::text::Format::from_path(given)
                .unwrap_or(policyscan::text::Format::Text),
        })
    }
}

fn severity_of(fail_on: args::FailOn) -> Option<Severity> {
    match fail_on {
        args::FailOn::Error => Some(Severity::Error),
        args::FailOn::Warning => Some(Severity::Warning),
        args::FailOn::Info => Some(Severity::Info),
        args::FailOn::Never => None,
    }
}

fn run_rules_check(args: &RulesArgs) -> Result<i32> {
    let rules = load_rules(args)?;
    let themes = rules.themes().len();
    let (mut theme_rules, mut cues) = (0, 0);
    for rule in rules.rules() {
        match rule.owner {
            Owner::Theme(_) => theme_rules += 1,
            Owner::Stance(_) => cues += 1,
        }
    }
    // Warnings, not errors: the rules work, but miss text broken across
    // lines, as most text from the web, PDFs and email is.
    let mut err = io::stderr().lock();
    for rule in rules.rules() {
        for (n, pattern) in rule.regexes.iter().enumerate() {
            let Some(at) = rules::unwrappable_space(pattern.as_str()) else {
                continue;
            };
            let place = rules_cmd::origin(&rule.origin);
            let near: String = pattern.as_str()[at..].chars().take(24).collect();
            writeln!(
                err,
                "{place}: warning: in `{}`: pattern {} has a space a line break would not match (at `{near}`); \
                 patterns run on the text as written, where a line may break between any two words: \
                 write \\s+ (or [-\\s] for a hyphen or a space)",
                rule.id,
                n + 1,
            )?;
        }
    }
    let mut out = io::stdout().lock();
    for info in rules.rulesets() {
        writeln!(out, "{}: {}", info.source, info.name)?;
    }
    writeln!(
        out,
        "ok: {}, {}, {}, {}",
        rules_cmd::plural(themes, "theme"),
        rules_cmd::plural(theme_rules, "rule"),
        rules_cmd::plural(cues, "cue"),
        rules_cmd::plural(rules.literal_count(), "keyword"),
    )?;
    Ok(exit::CLEAN)
}

fn run_rules_keywords(args: &RulesArgs) -> Result<i32> {
    let rules = load_rules(args)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    for literal in rules.keywords() {
        writeln!(out, "{literal}")?;
    }
    out.flush()?;
    Ok(exit::CLEAN)
}

/// The rulesets `args` name, in load order: `--rules` (or the default),
/// then `--add-rules`.
fn rule_sources(args: &RulesArgs) -> Vec<RuleSource> {
    let mut sources: Vec<RuleSource> = if args.rules.is_empty() {
        vec![RuleSource::Default]
    } else {
        args.rules.iter().cloned().map(RuleSource::Path).collect()
    };
    sources.extend(args.add_rules.iter().cloned().map(RuleSource::Path));
    sources
}

pub(crate) fn load_rules(args: &RulesArgs) -> Result<CompiledRules> {
    let sources = rule_sources(args);
    // A ruleset path from policyscan.toml that is not there: say which
    // setting named it, or the user is left wondering where it came from.
    if let Some((path, by)) = args.from_config.iter().find(|(path, _)| !path.exists()) {
        return Err(MissingRuleset {
            path: path.clone(),
            by: by.clone(),
        }
        .into());
    }
    let rules = rules::load(&sources)?;
    Ok(rules)
}

/// A ruleset path from `policyscan.toml` that does not exist.
#[derive(Debug)]
struct MissingRuleset {
    path: PathBuf,
    /// The setting that named it: "`rules` in ./policyscan.toml:2".
    by: String,
}

impl MissingRuleset {
    fn message(&self) -> String {
        format!("no such ruleset file or folder (named by {})", self.by)
    }
}

impl std::fmt::Display for MissingRuleset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message())
    }
}

impl std::error::Error for MissingRuleset {}

fn fail_conditions(args: &ScanArgs, rules: &CompiledRules) -> Result<FailConditions> {
    for theme in &args.fail_on_theme {
        if !rules.themes().iter().any(|t| &t.id == theme) {
            let known: Vec<&str> = rules.themes().iter().map(|t| t.id.as_str()).collect();
            if let Some(near) = policyscan::suggest::closest(theme, known.iter().copied()) {
                bail!("--fail-on-theme: unknown theme `{theme}` (did you mean `{near}`?)");
            }
            bail!(
                "--fail-on-theme: unknown theme `{theme}` (known: {})",
                known.join(", ")
            );
        }
    }
    Ok(FailConditions {
        severity: severity_of(args.fail_on),
        stances: args
            .fail_on_stance
            .iter()
            .filter_map(|s| Stance::parse(s))
            .collect(),
        themes: args.fail_on_theme.clone(),
    })
}

fn walk_options(args: &ScanArgs) -> Result<WalkOptions> {
    let exclude = match &args.config_exclude {
        Some((dir, globs)) => {
            let dir = walk::lexical(&std::path::absolute(dir)?);
            Some(walk::exclusions(&dir, globs)?)
        }
        None => None,
    };
    Ok(WalkOptions {
        globs: args.globs.clone(),
        hidden: args.hidden,
        no_ignore: args.no_ignore,
        follow: args.follow,
        max_filesize: args.max_filesize,
        exclude,
    })
}

/// Refuses, before anything is written, an `--output` file that is also a
/// file named on the command line, the `--baseline` or `--write-baseline`
/// file, or another `--output`, and a `--write-baseline` file that is an
/// input: the report would overwrite a document, the baseline, or the
/// other report. (Files found by walking a folder are
/// only left out of the scan: they are taken for earlier reports.)
fn check_output_targets(args: &ScanArgs) -> Result<()> {
    // Compared as absolute paths with symbolic links resolved; a file
    // that does not exist yet is its folder's resolved path and its name.
    let key = |path: &std::path::Path| -> Option<PathBuf> {
        std::fs::canonicalize(path).ok().or_else(|| {
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => std::path::Path::new("."),
            };
            Some(std::fs::canonicalize(parent).ok()?.join(path.file_name()?))
        })
    };
    let mut taken: Vec<(PathBuf, String)> = Vec::new();
    let operands = args.paths.iter().filter(|p| !is_stdin(p) && p.is_file());
    for path in operands {
        if let Some(k) = key(path) {
            taken.push((k, format!("the input {}", path.display())));
        }
    }
    if let Some(path) = &args.write_baseline
        && let Some(k) = key(path)
    {
        if let Some((_, what)) = taken.iter().find(|(t, _)| *t == k) {
            bail!(
                "--write-baseline {} would overwrite {what}; choose another file",
                path.display()
            );
        }
        taken.push((k, "the --write-baseline file".to_string()));
    }
    if let Some(k) = args.baseline.as_deref().and_then(key) {
        taken.push((k, "the --baseline file".to_string()));
    }
    for (_, path) in &args.outputs {
        let Some(k) = key(path) else { continue };
        if let Some((_, what)) = taken.iter().find(|(t, _)| *t == k) {
            bail!(
                "--output {} would overwrite {what}; choose another file",
                path.display()
            );
        }
        taken.push((k, format!("another --output ({})", path.display())));
    }
    Ok(())
}

/// Drops inputs that are `--output` targets: a report written into the
/// scanned folder must not be scanned by the next run.
fn without_outputs(inputs: Vec<Input>, outputs: &[(OutputFormat, PathBuf)]) -> Vec<Input> {
    let targets: Vec<PathBuf> = outputs
        .iter()
        .filter_map(|(_, p)| std::fs::canonicalize(p).ok())
        .collect();
    if targets.is_empty() {
        return inputs;
    }
    inputs
        .into_iter()
        .filter(|input| match input {
            Input::File { path, .. } => {
                std::fs::canonicalize(path).map_or(true, |c| !targets.contains(&c))
            }
            Input::Bytes { .. } => true,
        })
        .collect()
}

fn is_stdin(path: &std::path::Path) -> bool {
    path.as_os_str() == "-"
}

fn without_stdin(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths.iter().filter(|p| !is_stdin(p)).cloned().collect()
}

/// Reads standard input once if `-` was given, and adds it to the inputs.
fn with_stdin(paths: &[PathBuf], stdin: &StdinName, mut inputs: Vec<Input>) -> Result<Vec<Input>> {
    if paths.iter().any(|p| is_stdin(p)) {
        let bytes = policyscan::pipeline::read_stream(io::stdin().lock(), stdin.format)
            .context("failed to read standard input")?;
        inputs.push(Input::Bytes {
            name: stdin.name.clone(),
            format: stdin.format,
            bytes,
        });
    }
    Ok(inputs)
}

/// Runs `f` on a rayon pool with `threads` threads (default: all cores).
/// The threads worth starting for `inputs` documents: what `-j` asks for,
/// but no more than there are documents, or cores when there are fewer
/// documents than cores (one large document still uses every core). Two
/// thousand threads for a dozen files took seconds to start and stop.
pub(crate) fn useful_threads(requested: Option<u16>, inputs: usize) -> Option<u16> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let useful = u16::try_from(inputs.max(cores)).unwrap_or(u16::MAX);
    requested.map(|n| n.min(useful))
}

pub(crate) fn in_pool<T: Send>(threads: Option<u16>, f: impl FnOnce() -> T + Send) -> Result<T> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(usize::from(n));
    }
    let pool = builder.build().context("failed to start worker threads")?;
    Ok(pool.install(f))
}

/// Skipped inputs and input errors, on stderr.
pub(crate) fn print_input_notices(
    skipped: &[report::Skipped],
    errors: &[report::InputError],
    quiet: bool,
) {
    for skipped in skipped.iter().filter(|_| !quiet) {
        let workbook = [".xlsx", ".ods"]
            .iter()
            .any(|e| skipped.path.to_ascii_lowercase().ends_with(e));
        let why = match skipped.reason.as_str() {
            walk::SKIPPED_SYMLINK => "symbolic link not followed (use --follow)",
            walk::SKIPPED_TOO_LARGE => "larger than --max-filesize",
            "binary" if workbook => {
                "binary file (a workbook: --input csv reads its first sheet's rows as records)"
            }
            "binary" => "binary file",
            "not-a-document" => {
                "XML not in a document vocabulary policyscan reads (a bill, statute, regulation, article or feed)"
            }
            other => other,
        };
        eprintln!("policyscan: skipped {}: {why}", skipped.path);
    }
    for error in errors {
        eprintln!("policyscan: {}: {}", error.path, error.message);
    }
}

pub(crate) fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// 2 when any input could not be read (errors outrank failed checks, so a
/// crash is never mistaken for a finding), else 1 when a check finding at
/// or above `--fail-on` or a `--fail-on-*` condition matched (0 with
/// `--exit-zero`), else 0. `matched` are the lines of the conditions that
/// matched, printed on stderr.
pub(crate) fn exit_code_of(input_errors: bool, matched: &[String], exit_zero: bool) -> i32 {
    if input_errors {
        return exit::ERROR;
    }
    for line in matched {
        eprintln!("policyscan: check failed: {line}");
    }
    if matched.is_empty() || exit_zero {
        exit::CLEAN
    } else {
        exit::FAILED_CHECK
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        let kind = e
            .downcast_ref::<io::Error>()
            .map(io::Error::kind)
            .or_else(|| {
                e.downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_capped_by_documents_but_not_below_the_cores() {
        let cores = std::thread::available_parallelism().map_or(1, usize::from) as u16;
        assert_eq!(useful_threads(None, 3), None, "the default is rayon's");
        assert_eq!(useful_threads(Some(5000), 12), Some(12.max(cores)));
        assert_eq!(useful_threads(Some(3), 20_000), Some(3));
        assert_eq!(useful_threads(Some(5000), 1), Some(cores.min(5000)));
        assert_eq!(useful_threads(Some(1), 0), Some(1));
        assert_eq!(useful_threads(Some(9), usize::MAX), Some(9));
    }
}
