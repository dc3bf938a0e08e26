//! Where reports go: standard output and `--output` files, written
//! atomically, and the streaming scan that feeds them document by document.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};

use super::args::{OutputFormat, ScanArgs};
use super::{print_input_notices, use_color};
use policyscan::check::FailConditions;
use policyscan::classify::ClassifyOptions;
use policyscan::pipeline::{self, Outcome};
use policyscan::report::{
    InputError, Printer, Skipped, SourceLinks, StreamFormat, Summary, TextOptions,
};
use policyscan::rules::CompiledRules;
use policyscan::stats::{Phase, timed};
use policyscan::suppress::Baseline;
use policyscan::walk::Input;

/// The temporary files of reports being written, for [`remove_on_interrupt`].
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// On Ctrl-C (SIGINT), SIGTERM or SIGHUP: removes the temporary files of
/// reports being written, then exits with [`super::exit::INTERRUPTED`].
/// The report files themselves are untouched (they are only ever
/// replaced whole). Without this the signal would end the process and
/// leave the temporary files behind.
pub(crate) fn remove_on_interrupt() {
    // Failing to install the handler (another one is set) only means the
    // temporary files stay, as they would without it.
    let _ = ctrlc::set_handler(|| {
        if let Ok(pending) = PENDING.lock() {
            for path in pending.iter() {
                let _ = std::fs::remove_file(path);
            }
        }
        std::process::exit(super::exit::INTERRUPTED);
    });
}

/// Stops tracking `tmp` for [`remove_on_interrupt`].
fn forget(tmp: &Path) {
    if let Ok(mut pending) = PENDING.lock() {
        pending.retain(|p| p != tmp);
    }
}

/// A file written into a temporary sibling and renamed over the target on
/// [`AtomicFile::commit`], so an interrupted run never leaves half a
/// report; dropped uncommitted, the temporary file is removed, and so it
/// is on an interrupt ([`remove_on_interrupt`]).
///
/// A target that exists and is not a regular file (`/dev/stdout`,
/// `/dev/full`, a FIFO) is written directly: renaming over it would
/// replace the device with a file. A symbolic link is followed, so the
/// report lands where it points and the link survives.
pub(crate) struct AtomicFile {
    file: Option<io::BufWriter<std::fs::File>>,
    tmp: PathBuf,
    path: PathBuf,
    /// False when writing straight into a special file.
    rename: bool,
}

impl AtomicFile {
    pub(crate) fn create(path: &Path) -> io::Result<AtomicFile> {
        let path = &std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            return Ok(AtomicFile {
                file: Some(io::BufWriter::new(file)),
                tmp: PathBuf::new(),
                path: path.clone(),
                rename: false,
            });
        }
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
        let tmp = dir.join(format!(".{name}.policyscan-{}.tmp", std::process::id()));
        let file = io::BufWriter::new(std::fs::File::create(&tmp)?);
        if let Ok(mut pending) = PENDING.lock() {
            pending.push(tmp.clone());
        }
        Ok(AtomicFile {
            file: Some(file),
            tmp,
            path: path.clone(),
            rename: true,
        })
    }

    /// Flushes, syncs and renames the file into place.
    pub(crate) fn commit(mut self) -> io::Result<()> {
        if let Some(file) = self.file.take() {
            let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
            if !self.rename {
                return Ok(());
            }
            file.sync_all()?;
        }
        let renamed = std::fs::rename(&self.tmp, &self.path);
        forget(&self.tmp);
        renamed
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().map_or(Ok(0), |f| f.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), io::Write::flush)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.rename && (self.file.is_some() || self.tmp.exists()) {
            self.file = None;
            let _ = std::fs::remove_file(&self.tmp);
            forget(&self.tmp);
        }
    }
}

/// Writes `path` atomically with `write`.
pub(crate) fn write_file(
    path: &Path,
    write: impl FnOnce(&mut AtomicFile) -> io::Result<()>,
) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    write(&mut file)?;
    file.commit()
}

/// Standard output or an `--output` file.
pub(crate) enum Sink {
    Stdout(io::BufWriter<io::Stdout>),
    File(AtomicFile),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(w) => w.flush(),
        }
    }
}

/// The printer's form of a format.
fn stream_format(format: OutputFormat, color: bool) -> StreamFormat {
    match format {
        OutputFormat::Text => StreamFormat::Text(TextOptions { color }),
        OutputFormat::Json => StreamFormat::Json,
        OutputFormat::Jsonl => StreamFormat::Jsonl,
        OutputFormat::Sarif => StreamFormat::Sarif,
        OutputFormat::Github => StreamFormat::Github,
        OutputFormat::Azure => StreamFormat::Azure,
        OutputFormat::Markdown => StreamFormat::Markdown,
        OutputFormat::Html => StreamFormat::Html,
        OutputFormat::Csv => StreamFormat::Csv,
        OutputFormat::Gitlab => StreamFormat::Gitlab,
        OutputFormat::Junit => StreamFormat::Junit,
    }
}

/// Scans and passes every report to the printers as soon as it and the
/// ones before it are ready, in path order; memory stays flat however
/// many inputs there are (SARIF, Markdown and HTML hold their
/// per-document parts in temporary files until the end). A `--baseline`
/// is applied to each document as it arrives.
pub(crate) fn stream_scan(
    args: &ScanArgs,
    rules: &CompiledRules,
    (fail, baseline): (&FailConditions, Option<Baseline>),
    mut inputs: Vec<Input>,
    (mut skipped, mut errors): (Vec<Skipped>, Vec<InputError>),
    options: &ClassifyOptions,
) -> Result<i32> {
    let stats = options.stats.as_deref();
    let mut unused = baseline
        .as_ref()
        .map(|b| b.entries.clone())
        .unwrap_or_default();
    // The documents the baseline was checked against, to tell its stale
    // entries from those of files this run did not scan.
    let mut scanned = std::collections::HashSet::new();
    let mut new_baseline = args.write_baseline.as_ref().map(|_| Baseline {
        version: 1,
        entries: Default::default(),
    });
    inputs.sort_by_cached_key(Input::name);
    let (rulesets, checks) = (rules.rulesets(), rules.checks());
    // In GitHub Actions the Markdown summary links to the files.
    let links = [args.format]
        .iter()
        .chain(args.outputs.iter().map(|(format, _)| format))
        .any(|f| *f == OutputFormat::Markdown)
        .then(SourceLinks::from_github_env)
        .flatten();
    let theme_ids: Vec<String> = rules.themes().iter().map(|t| t.id.clone()).collect();
    let mut printers = Vec::new();
    for (format, path) in &args.outputs {
        let file = AtomicFile::create(path)
            .with_context(|| format!("failed to write {}", path.display()))?;
        let stream = stream_format(*format, false);
        let printer = Printer::new(Sink::File(file), stream, rulesets, checks)?;
        let printer = printer
            .with_source_links(links.clone())
            .with_themes(&theme_ids)
            .with_gates(fail);
        printers.push((printer, Some(path)));
    }
    let color = use_color(args.color);
    let stdout = Sink::Stdout(io::BufWriter::new(io::stdout()));
    let stream = stream_format(args.format, color);
    let printer = Printer::new(stdout, stream, rulesets, checks)?;
    printers.push((
        printer
            .with_source_links(links)
            .with_themes(&theme_ids)
            .with_gates(fail),
        None,
    ));

    let mut summary = Summary::new(&theme_ids);
    let mut failed = Vec::new();
    let progress = super::progress::Progress::new(inputs.len(), args.quiet);
    let threads = super::useful_threads(args.threads, inputs.len());
    let written = super::in_pool(threads, || {
        pipeline::scan_ordered(rules, &inputs, options, |outcome| -> Result<()> {
            progress.inc();
            match outcome {
                Outcome::Report(mut doc) => {
                    if !args.quiet && !doc.warnings.is_empty() {
                        progress.suspend(|| {
                            for warning in &doc.warnings {
                                eprintln!("policyscan: warning: {}: {warning}", doc.path);
                            }
                        });
                    }
                    if let Some(baseline) = &baseline {
                        baseline.apply_to(&mut doc, &mut unused);
                        scanned.insert(doc.path.clone());
                    }
                    if let Some(new) = &mut new_baseline {
                        new.entries.extend(Baseline::entries_of(&doc));
                    }
                    summary.add(&doc);
                    failed.extend(fail.matches_document(&doc));
                    timed(stats, Phase::Output, || -> Result<()> {
                        for (printer, path) in &mut printers {
                            printer.document(&doc).with_context(|| target(*path))?;
                        }
                        Ok(())
                    })?;
                }
                Outcome::Skipped(s) => skipped.push(s),
                Outcome::Error(e) => errors.push(e),
            }
            Ok(())
        })
    })?;
    progress.finish();
    written?;
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    summary.skipped = skipped.len();
    summary.errors = errors.len();
    let (stale, unjudged) = Baseline::judge_unused(
        unused,
        |path| scanned.contains(path),
        |path| std::path::Path::new(path).exists(),
    );
    for stale in stale.iter().filter(|_| !args.quiet) {
        eprintln!(
            "policyscan: warning: baseline entry matches nothing (stale): {} {}",
            stale.path, stale.check
        );
    }
    if let Some(new) = &mut new_baseline {
        new.entries.extend(unjudged);
    }
    print_input_notices(&skipped, &errors, args.quiet);
    if summary.documents == 0 && errors.is_empty() && skipped.is_empty() && !args.quiet {
        // As ruff says when it finds no Python files: an empty report
        // is more often a wrong path or glob than a clean result.
        eprintln!(
            "policyscan: warning: no documents found (policyscan reads .txt, .md, .html, \
             .pdf, .docx, .doc, .odt, .rtf, .pptx, .xml, .srt, .vtt, .eml and .msg files; hidden and \
             .gitignored ones only with --hidden / --no-ignore)"
        );
    }
    if let (Some(path), Some(new)) = (&args.write_baseline, &new_baseline) {
        write_file(path, |file| {
            serde_json::to_writer_pretty(&mut *file, new)?;
            writeln!(file)
        })
        .with_context(|| format!("failed to write baseline {}", path.display()))?;
    }
    timed(stats, Phase::Output, || -> Result<()> {
        for (printer, path) in printers {
            let sink = printer
                .finish(&skipped, &errors, &summary)
                .with_context(|| target(path))?;
            commit(sink).with_context(|| target(path))?;
        }
        Ok(())
    })?;
    Ok(super::exit_code_of(
        !errors.is_empty(),
        &failed,
        args.exit_zero,
    ))
}

/// The `--baseline` file, read before anything is scanned.
pub(crate) fn read_baseline(args: &ScanArgs) -> Result<Option<Baseline>> {
    let Some(path) = &args.baseline else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("failed to read baseline {}", path.display()))?;
    let baseline: Baseline = serde_json::from_str(&text)
        .with_context(|| format!("invalid baseline {}", path.display()))?;
    // A later format may match differently; reading it as version 1 could
    // let findings through or fail on accepted ones.
    if baseline.version != 1 {
        anyhow::bail!(
            "baseline {} is version {}; this policyscan reads version 1 \
             (write it again with --write-baseline)",
            path.display(),
            baseline.version
        );
    }
    Ok(Some(baseline))
}

/// Flushes standard output, or commits an `--output` file.
fn commit(sink: Sink) -> io::Result<()> {
    match sink {
        Sink::Stdout(mut out) => out.flush(),
        Sink::File(file) => file.commit(),
    }
}

fn target(path: Option<&PathBuf>) -> String {
    path.map_or_else(
        || "failed to write the report".to_string(),
        |p| format!("failed to write {}", p.display()),
    )
}
