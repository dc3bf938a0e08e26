//! The human-readable report (`--format text`, the default).
//!
//! Per document: the stance with its scores and the cues behind it, then
//! each present theme with its evidence. Colour is used only when the
//! caller says so (the CLI decides from the terminal and `NO_COLOR`).

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::{DocumentReport, RunReport, StanceEvidence, Summary, ThemeReport};
use crate::Stance;

/// Options for the text printer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Emit ANSI colours.
    pub color: bool,
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

const PATH: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const LABEL: Style = Style::new().bold();
const MATCH: Style = Style::new().bold().underline();

fn stance_style(stance: Stance) -> Style {
    let color = match stance {
        Stance::ProOpen => AnsiColor::Green,
        Stance::SecurityFirst => AnsiColor::Red,
        Stance::Hybrid => AnsiColor::Yellow,
        Stance::Neutral => AnsiColor::Blue,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

/// Writes the text report.
pub fn write_text<W: Write>(w: W, report: &RunReport, options: TextOptions) -> io::Result<()> {
    super::stream::write_whole(w, super::stream::StreamFormat::Text(options), report, &[])
}

/// One document's block; `first` is false for every block after the first.
pub(super) fn write_document_block<W: Write>(
    w: &mut W,
    options: TextOptions,
    doc: &DocumentReport,
    first: bool,
) -> io::Result<()> {
    if !first {
        writeln!(w)?;
    }
    let p = Painter {
        color: options.color,
    };
    write_document(w, &p, doc)
}

/// The closing summary line (after a blank line when documents preceded).
pub(super) fn write_summary_line<W: Write>(
    w: &mut W,
    options: TextOptions,
    summary: &Summary,
    any_documents: bool,
) -> io::Result<()> {
    let p = Painter {
        color: options.color,
    };
    write_footer(w, &p, summary, any_documents)
}

fn write_document<W: Write>(w: &mut W, p: &Painter, doc: &DocumentReport) -> io::Result<()> {
    let reading = if doc.transcript { ", transcript" } else { "" };
    let meta = format!("({}, {} words{reading})", doc.format, doc.words);
    writeln!(w, "{} {}", p.paint(PATH, &doc.path), p.paint(DIM, &meta))?;
    for warning in &doc.warnings {
        writeln!(w, "  warning: {warning}")?;
    }
    let s = &doc.stance;
    let scores = Stance::ALL
        .iter()
        .map(|&st| format!("{st} {}", fmt_score(s.scores.get(st))))
        .collect::<Vec<_>>()
        .join(", ");
    writeln!(
        w,
        "  {}  {}  confidence {:.2}, {}  {}",
        p.paint(LABEL, "stance"),
        p.paint(stance_style(s.label), s.label.as_str()),
        s.confidence,
        s.reason,
        p.paint(DIM, &format!("({scores})"))
    )?;
    for e in &s.evidence {
        write_stance_evidence(w, p, e)?;
    }
    write_themes(w, p, &doc.themes)?;
    write_checks(w, p, &doc.checks)
}

fn write_checks<W: Write>(
    w: &mut W,
    p: &Painter,
    checks: &[super::CheckFinding],
) -> io::Result<()> {
    if checks.is_empty() {
        return Ok(());
    }
    writeln!(w, "  {}", p.paint(LABEL, "checks"))?;
    for f in checks {
        let style = match f.severity {
            crate::rules::Severity::Error => {
                Style::new().bold().fg_color(Some(AnsiColor::Red.into()))
            }
            crate::rules::Severity::Warning => {
                Style::new().bold().fg_color(Some(AnsiColor::Yellow.into()))
            }
            crate::rules::Severity::Info => {
                Style::new().bold().fg_color(Some(AnsiColor::Blue.into()))
            }
        };
        let at = format!("{}:{}", f.line, f.column);
        let note = f
            .suppressed
            .as_ref()
            .map(|s| format!(" (suppressed, {}: {})", s.kind, s.reason))
            .unwrap_or_default();
        writeln!(
            w,
            "    {at:>7}  {} {}  {}{}",
            p.paint(style, f.severity.as_str()),
            p.paint(DIM, &f.check),
            f.message,
            p.paint(DIM, &note)
        )?;
    }
    Ok(())
}

fn write_stance_evidence<W: Write>(w: &mut W, p: &Painter, e: &StanceEvidence) -> io::Result<()> {
    let mut weight = format!("{} {}", e.stance, fmt_score(e.effective_weight));
    if !e.modifiers.is_empty() {
        weight.push_str(&format!(" [{}]", e.modifiers.join(", ")));
    }
    writeln!(
        w,
        "    {:>7}  {}  {}  {}",
        location(e.line, e.column, e.page),
        p.paint(stance_style(e.stance), &weight),
        p.paint(DIM, &with_section(&e.cue, e.section.as_deref())),
        highlight(p, &e.snippet, &e.text)
    )
}

/// `LINE:COLUMN`, after the page for formats with pages (`p. 2, 31:7`).
pub(super) fn location(line: usize, column: usize, page: Option<usize>) -> String {
    match page {
        Some(page) => format!("p. {page}, {line}:{column}"),
        None => format!("{line}:{column}"),
    }
}

fn write_themes<W: Write>(w: &mut W, p: &Painter, themes: &[ThemeReport]) -> io::Result<()> {
    let present: Vec<&ThemeReport> = themes.iter().filter(|t| t.present).collect();
    if present.is_empty() {
        return writeln!(w, "  {}  none present", p.paint(LABEL, "themes"));
    }
    let list = present
        .iter()
        .map(|t| t.id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    writeln!(w, "  {}  {list}", p.paint(LABEL, "themes"))?;
    for theme in present {
        let counts = format!(
            "score {}, {}, {}",
            fmt_score(theme.score),
            plural(theme.hits, "hit"),
            plural(theme.rules.len(), "rule")
        );
        writeln!(
            w,
            "    {}  {}",
            p.paint(LABEL, &theme.id),
            p.paint(DIM, &counts)
        )?;
        for e in &theme.evidence {
            let at = location(e.line, e.column, e.page);
            writeln!(
                w,
                "    {at:>7}  {}  {}",
                p.paint(DIM, &with_section(&e.rule, e.section.as_deref())),
                highlight(p, &e.snippet, &e.text)
            )?;
        }
    }
    Ok(())
}

fn write_footer<W: Write>(
    w: &mut W,
    p: &Painter,
    s: &Summary,
    any_documents: bool,
) -> io::Result<()> {
    if any_documents {
        writeln!(w)?;
    }
    let stances = s
        .stances
        .iter()
        .map(|(st, n)| format!("{st} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut line = format!("{} ({stances})", plural(s.documents, "document"));
    if s.skipped > 0 {
        line.push_str(&format!("; {} skipped", s.skipped));
    }
    if s.errors > 0 {
        line.push_str(&format!("; {} unreadable", s.errors));
    }
    let findings: Vec<String> = s
        .checks
        .iter()
        .rev()
        .filter(|(_, n)| **n > 0)
        .map(|(sev, n)| format!("{n} {}", sev.as_str()))
        .collect();
    if !findings.is_empty() {
        line.push_str(&format!("; checks: {}", findings.join(", ")));
    }
    writeln!(w, "{}", p.paint(DIM, &line))
}

/// The snippet with the matched text emphasised: bold with colour,
/// between `[` and `]` without.
fn highlight(p: &Painter, snippet: &str, text: &str) -> String {
    let text = &*super::text_in_snippet(snippet, text);
    match snippet.find(text).filter(|_| !text.is_empty()) {
        Some(i) => {
            let end = i + text.len();
            let marked = if p.color {
                p.paint(MATCH, text)
            } else {
                format!("[{text}]")
            };
            format!("{}{marked}{}", &snippet[..i], &snippet[end..])
        }
        None => snippet.to_string(),
    }
}

/// `rule-id (Article 53 > 1)`, or just the id outside any section.
fn with_section(id: &str, section: Option<&str>) -> String {
    match section {
        Some(s) => format!("{id} ({s})"),
        None => id.to_string(),
    }
}

/// "1 hit", "2 hits".
pub(super) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Scores with at most two decimals and no trailing zeros.
fn fmt_score(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}
