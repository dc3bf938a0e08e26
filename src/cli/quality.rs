//! `policyscan test`, `eval` and `explain`: the rule author's tools.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::args::{EvalArgs, EvalFormat, ExplainArgs, TestArgs};
use super::{exit, load_rules};
use policyscan::classify::ClassifyOptions;
use policyscan::eval::{self, Evaluation};
use policyscan::pipeline::{self, Outcome};
use policyscan::report;
use policyscan::ruletest::{self, Finding};
use policyscan::text::{Decoded, decode};
use policyscan::walk::{self, Input, WalkOptions};
use policyscan::{Stance, classify};

fn is_ruleset(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    path.is_file() && matches!(ext.as_str(), "yaml" | "yml" | "json")
}

/// Moves the ruleset files among `test`'s paths to its rules, where,
/// like `--rules` (and `rules check FILE`), they replace the default and
/// the rules a policyscan.toml names. Called before the config applies.
pub(crate) fn claim_rule_files(args: &mut TestArgs) {
    let (rule_files, fixtures): (Vec<PathBuf>, Vec<PathBuf>) = std::mem::take(&mut args.paths)
        .into_iter()
        .partition(|p| is_ruleset(p));
    args.rules.rules.extend(rule_files);
    args.paths = fixtures;
}

/// Runs examples, counterexamples and annotated fixtures; exit 1 on any
/// failure.
pub(crate) fn run_test(args: &TestArgs) -> Result<i32> {
    let rules = load_rules(&args.rules)?;
    let mut outcome = ruletest::check_rules(&rules);
    let examples = outcome.passed + outcome.failures.len();
    let walked = walk::walk(&args.paths, &WalkOptions::default())?;
    let (mut annotated, mut plain) = (0, 0);
    for input in &walked.inputs {
        let Input::File { path, format } = input else {
            continue;
        };
        let bytes = pipeline::read_file(path, *format)
            .with_context(|| format!("failed to read {}", path.display()))?;
        let Decoded::Text { text, .. } = decode(&bytes) else {
            continue;
        };
        match ruletest::check_fixture(&rules, &input.name(), *format, &text) {
            Some(o) => {
                annotated += 1;
                outcome.merge(o);
            }
            None => plain += 1,
        }
    }
    for error in &walked.errors {
        outcome.failures.push(Finding {
            file: error.path.clone(),
            line: None,
            rule: None,
            message: error.message.clone(),
        });
    }
    let mut out = io::stdout().lock();
    for failure in &outcome.failures {
        writeln!(out, "FAIL {failure}")?;
    }
    if args.warnings {
        for warning in &outcome.warnings {
            writeln!(out, "warning: {warning}")?;
        }
    }
    writeln!(
        out,
        "{}: {}; {}{}",
        match rules.rules().len() {
            1 => "1 rule or cue".to_string(),
            n => format!("{n} rules and cues"),
        },
        match examples {
            1 => "1 example or counterexample".to_string(),
            n => format!("{n} examples and counterexamples"),
        },
        super::rules_cmd::plural(annotated, "annotated document"),
        if plain > 0 {
            format!(" ({plain} without annotations skipped)")
        } else {
            String::new()
        }
    )?;
    writeln!(
        out,
        "{} passed, {} failed",
        outcome.passed,
        outcome.failures.len()
    )?;
    Ok(if outcome.failures.is_empty() {
        exit::CLEAN
    } else {
        exit::FAILED_CHECK
    })
}

/// Scans the labelled documents and prints the metrics.
pub(crate) fn run_eval(args: &EvalArgs) -> Result<i32> {
    let rules = load_rules(&args.rules)?;
    let text = std::fs::read_to_string(&args.labels)
        .with_context(|| format!("failed to read labels {}", args.labels.display()))?;
    let base = args.labels.parent().unwrap_or(Path::new(""));
    let theme_ids: Vec<String> = rules.themes().iter().map(|t| t.id.clone()).collect();
    let check_ids: Vec<String> = rules.checks().iter().map(|c| c.id.clone()).collect();
    let labels = eval::parse_labels(&text, base)
        .and_then(|labels| eval::check_themes(&labels, &theme_ids).map(|()| labels))
        .and_then(|labels| eval::check_checks(&labels, &check_ids).map(|()| labels))
        .with_context(|| format!("invalid labels file {}", args.labels.display()))?;
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        labels.iter().map(|l| l.resolved.clone()).collect()
    } else {
        args.paths.clone()
    };
    let walked = walk::walk(&paths, &WalkOptions::default())?;
    let options = ClassifyOptions {
        model: (!args.no_model).then(policyscan::classify::model::default_model),
        ..ClassifyOptions::default()
    };
    let outcomes = pipeline::scan_inputs(&rules, &walked.inputs, &options);
    let mut reports = Vec::new();
    // Paths the walk could not read (a labelled file that is missing)
    // are named like unreadable documents, as `scan` names them, and any
    // of either fails the run.
    let (mut skipped, mut errors) = (walked.skipped, walked.errors);
    for outcome in outcomes {
        match outcome {
            Outcome::Report(r) => reports.push(*r),
            Outcome::Skipped(s) => skipped.push(s),
            Outcome::Error(e) => errors.push(e),
        }
    }
    super::print_input_notices(&skipped, &errors, false);
    let evaluation = eval::evaluate(&labels, &reports, (&theme_ids, &check_ids));
    let out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        EvalFormat::Json => write_eval_json(out, &evaluation)?,
        EvalFormat::Text => write_eval_text(out, &evaluation, &args.labels)?,
    }
    Ok(if errors.is_empty() {
        exit::CLEAN
    } else {
        exit::ERROR
    })
}

fn write_eval_json<W: Write>(mut out: W, e: &Evaluation) -> Result<()> {
    serde_json::to_writer_pretty(&mut out, e)?;
    writeln!(out)?;
    Ok(())
}

fn write_eval_text<W: Write>(mut out: W, e: &Evaluation, labels: &Path) -> Result<()> {
    writeln!(
        out,
        "{} evaluated against {}",
        super::rules_cmd::plural(e.documents, "document"),
        labels.display()
    )?;
    writeln!(
        out,
        "\nstance: accuracy {:.3}, macro-F1 {:.3}",
        e.stance.accuracy, e.stance.macro_f1
    )?;
    writeln!(
        out,
        "  {:<16} {:>9} {:>7} {:>6} {:>8}",
        "", "precision", "recall", "F1", "support"
    )?;
    for (stance, s) in &e.stance.per_stance {
        writeln!(
            out,
            "  {:<16} {:>9.3} {:>7.3} {:>6.3} {:>8}",
            stance.as_str(),
            s.precision,
            s.recall,
            s.f1,
            s.support
        )?;
    }
    writeln!(out, "\nconfusion (rows: labelled, columns: predicted)")?;
    let header: Vec<String> = Stance::ALL
        .iter()
        .map(|s| format!("{:>15}", s.as_str()))
        .collect();
    writeln!(out, "  {:<16}{}", "", header.join(""))?;
    for (i, row) in e.stance.confusion.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|n| format!("{n:>15}")).collect();
        writeln!(out, "  {:<16}{}", Stance::ALL[i].as_str(), cells.join(""))?;
    }
    let m = &e.themes.micro;
    writeln!(
        out,
        "\nthemes: micro-F1 {:.3} (precision {:.3}, recall {:.3})",
        m.f1, m.precision, m.recall
    )?;
    write_scores(&mut out, &e.themes.per_theme, 24)?;
    if let Some(c) = &e.checks {
        let m = &c.micro;
        writeln!(
            out,
            "\nchecks ({} labelled with them): micro-F1 {:.3} (precision {:.3}, recall {:.3})",
            super::rules_cmd::plural(c.documents, "document"),
            m.f1,
            m.precision,
            m.recall
        )?;
        write_scores(&mut out, &c.per_check, 40)?;
    }
    if !e.mismatches.is_empty() {
        writeln!(out, "\nmismatches")?;
        for m in &e.mismatches {
            let mut parts = Vec::new();
            if m.expected_stance != m.predicted_stance {
                parts.push(format!(
                    "stance {} (labelled {})",
                    m.predicted_stance, m.expected_stance
                ));
            }
            if !m.missing_themes.is_empty() {
                parts.push(format!("missing {}", m.missing_themes.join(", ")));
            }
            if !m.extra_themes.is_empty() {
                parts.push(format!("extra {}", m.extra_themes.join(", ")));
            }
            if !m.missing_checks.is_empty() {
                parts.push(format!("check missing {}", m.missing_checks.join(", ")));
            }
            if !m.extra_checks.is_empty() {
                parts.push(format!("check extra {}", m.extra_checks.join(", ")));
            }
            writeln!(out, "  {}: {}", m.path, parts.join("; "))?;
        }
    }
    for (title, list) in [
        ("labelled but not scanned", &e.missing),
        ("scanned but not labelled", &e.unlabelled),
    ] {
        if !list.is_empty() {
            writeln!(out, "\n{title}")?;
            for path in list {
                writeln!(out, "  {path}")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// A table of per-id scores, ids in a column `width` wide.
fn write_scores<W: Write>(
    out: &mut W,
    scores: &std::collections::BTreeMap<String, eval::Scores>,
    width: usize,
) -> Result<()> {
    writeln!(
        out,
        "  {:<width$} {:>9} {:>7} {:>6} {:>4} {:>4} {:>4}",
        "", "precision", "recall", "F1", "TP", "FP", "FN"
    )?;
    for (id, s) in scores {
        let f1 = if s.is_empty() {
            "n/a".to_string()
        } else {
            format!("{:.3}", s.f1)
        };
        writeln!(
            out,
            "  {id:<width$} {:>9.3} {:>7.3} {f1:>6} {:>4} {:>4} {:>4}",
            s.precision, s.recall, s.tp, s.fp, s.r#fn
        )?;
    }
    Ok(())
}

/// Explains one document.
pub(crate) fn run_explain(args: &ExplainArgs) -> Result<i32> {
    // Clap gives `-` when only --stdin-filename is.
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("-"));
    let stdin = super::StdinName::new(args.stdin_filename.as_deref(), std::slice::from_ref(&path))?;
    if args.text {
        // The text as read needs no rules.
        let doc = super::read_document(&path, &stdin)?;
        let mut out = io::BufWriter::new(io::stdout().lock());
        out.write_all(doc.source().as_bytes())?;
        out.flush()?;
        return Ok(exit::CLEAN);
    }
    let rules = load_rules(&args.rules)?;
    let doc = super::read_document(&path, &stdin)?;
    let explanation = classify::explain(&rules, &doc);
    report::write_explanation(io::BufWriter::new(io::stdout().lock()), &explanation)?;
    Ok(exit::CLEAN)
}
