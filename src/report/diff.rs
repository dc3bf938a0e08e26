//! Printers for `policyscan diff`.

use std::io::{self, Write};

use crate::diff::DraftDiff;

/// Writes the diff as text.
pub fn write_diff_text<W: Write>(mut w: W, d: &DraftDiff) -> io::Result<()> {
    writeln!(w, "{} -> {}", d.old, d.new)?;
    let s = &d.stance;
    if s.old == s.new {
        writeln!(
            w,
            "  stance: {} (confidence {:.2} -> {:.2})",
            s.new, s.old_confidence, s.new_confidence
        )?;
    } else {
        writeln!(
            w,
            "  stance: {} -> {} (confidence {:.2} -> {:.2})",
            s.old, s.new, s.old_confidence, s.new_confidence
        )?;
    }
    for t in &d.themes {
        writeln!(
            w,
            "  theme {}: {} (score {} -> {})",
            t.id, t.change, t.old_score, t.new_score
        )?;
    }
    for f in &d.checks_new {
        writeln!(
            w,
            "  + {} {} at {}:{}: {}",
            f.severity.as_str(),
            f.check,
            f.line,
            f.column,
            f.message
        )?;
    }
    for f in &d.checks_resolved {
        writeln!(
            w,
            "  - {} {} (resolved): {}",
            f.severity.as_str(),
            f.check,
            f.message
        )?;
    }
    for e in &d.evidence_added {
        writeln!(
            w,
            "  + {}:{} [{} / {}] {}",
            e.evidence.line, e.evidence.column, e.theme, e.evidence.rule, e.evidence.snippet
        )?;
    }
    for e in &d.evidence_removed {
        writeln!(
            w,
            "  - {}:{} [{} / {}] {}",
            e.evidence.line, e.evidence.column, e.theme, e.evidence.rule, e.evidence.snippet
        )?;
    }
    if d.themes.is_empty()
        && d.checks_new.is_empty()
        && d.checks_resolved.is_empty()
        && s.old == s.new
    {
        writeln!(w, "  no change in stance, themes or checks")?;
    }
    w.flush()
}

/// Writes the diff as Markdown, for a pull-request comment.
pub fn write_diff_markdown<W: Write>(mut w: W, d: &DraftDiff) -> io::Result<()> {
    writeln!(w, "## policyscan diff: `{}` → `{}`\n", d.old, d.new)?;
    let s = &d.stance;
    writeln!(
        w,
        "**Stance:** {} → {} (confidence {:.2} → {:.2})\n",
        s.old, s.new, s.old_confidence, s.new_confidence
    )?;
    if !d.themes.is_empty() {
        writeln!(w, "| Theme | Change | Score |\n| --- | --- | --- |")?;
        for t in &d.themes {
            writeln!(
                w,
                "| {} | {} | {} → {} |",
                t.id, t.change, t.old_score, t.new_score
            )?;
        }
        writeln!(w)?;
    }
    if !d.checks_new.is_empty() || !d.checks_resolved.is_empty() {
        writeln!(w, "| Check | Severity | Status |\n| --- | --- | --- |")?;
        for f in &d.checks_new {
            writeln!(
                w,
                "| `{}` | {} | new at line {} |",
                f.check,
                f.severity.as_str(),
                f.line
            )?;
        }
        for f in &d.checks_resolved {
            writeln!(w, "| `{}` | {} | resolved |", f.check, f.severity.as_str())?;
        }
        writeln!(w)?;
    }
    // The evidence that changed, folded away: a comment reader opens it
    // to see which sentences moved the scores.
    let counts = format!(
        "{} added, {} removed.",
        super::text::plural(d.evidence_added.len(), "evidence line"),
        d.evidence_removed.len()
    );
    if d.evidence_added.is_empty() && d.evidence_removed.is_empty() {
        writeln!(w, "{counts}")?;
        return w.flush();
    }
    writeln!(w, "<details><summary>{counts}</summary>\n")?;
    writeln!(
        w,
        "| | Line | Theme / rule | Sentence |\n| --- | --- | --- | --- |"
    )?;
    for (sign, list) in [("+", &d.evidence_added), ("-", &d.evidence_removed)] {
        for e in list {
            writeln!(
                w,
                "| {sign} | {}:{} | {} / `{}` | {} |",
                e.evidence.line,
                e.evidence.column,
                e.theme,
                super::ci::cell(&e.evidence.rule),
                super::ci::cell(&e.evidence.snippet)
            )?;
        }
    }
    writeln!(w, "\n</details>")?;
    w.flush()
}
