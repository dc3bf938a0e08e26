//! `--format html`: one self-contained page for people, not programs.
//!
//! The page needs no network and no script to show its content: a summary,
//! the stance distribution (an inline SVG bar chart), a documents × themes
//! heatmap (cell shade by theme score, an outline where the theme is
//! present), and one section per document with its stance, the evidence
//! lines (the matched words highlighted) and its check findings. A few
//! lines of inline script add a filter box and open a document's section
//! when its heatmap row is clicked.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::spill::Spill;
use super::stream::{StreamFormat, write_whole};
use super::{DocumentReport, Evidence, InputError, RunReport, Skipped, Summary, Tool};
use crate::rules::RulesetInfo;
use crate::stance::Stance;

const STYLE: &str = r#"
:root { --fg: #1d232a; --muted: #5b6570; --line: #d9dee3; --bg: #fff; --accent: #2458a6; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.muted { color: var(--muted); }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.card b { display: block; font-size: 20px; }
.stance-pro-open { --c: #2e7d32; } .stance-security-first { --c: #c62828; } .stance-hybrid { --c: #6a4fb3; } .stance-neutral { --c: #6b7680; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; background: var(--c); font-size: 12px; white-space: nowrap; }
table.heatmap { border-collapse: collapse; font-size: 12px; }
.heatmap-wrap { overflow-x: auto; }
.heatmap th, .heatmap td { border: 1px solid var(--line); padding: 3px 5px; }
.heatmap thead th { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; vertical-align: bottom; font-weight: 500; }
.heatmap th.doc { text-align: left; max-width: 340px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-weight: 500; }
.heatmap tbody tr { cursor: pointer; } .heatmap tbody tr:hover th.doc { text-decoration: underline; }
.heatmap td { text-align: center; min-width: 30px; color: #0b1f3a; }
.heatmap td.present { outline: 2px solid #0b1f3a; outline-offset: -2px; font-weight: 600; }
.heatmap tfoot td { font-weight: 600; background: #f5f7f9; }
details.doc { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 6px 12px; }
details.doc > summary { cursor: pointer; font-weight: 600; }
details.doc[open] > summary { margin-bottom: 6px; }
ul.evidence { margin: 4px 0 10px; padding-left: 18px; } ul.evidence li { margin: 3px 0; }
.loc { color: var(--muted); font-family: ui-monospace, monospace; font-size: 12px; }
mark { background: #ffe58a; padding: 0 1px; }
.sev-error { color: #b71c1c; } .sev-warning { color: #a15c00; } .sev-info { color: var(--accent); }
input#filter { padding: 5px 8px; width: 320px; border: 1px solid var(--line); border-radius: 4px; }
"#;

const SCRIPT: &str = r#"
(function () {
  var filter = document.getElementById('filter');
  var rows = document.querySelectorAll('table.heatmap tbody tr');
  var docs = document.querySelectorAll('details.doc');
  filter.addEventListener('input', function () {
    var q = filter.value.toLowerCase();
    rows.forEach(function (r) { r.hidden = r.dataset.path.toLowerCase().indexOf(q) < 0; });
    docs.forEach(function (d) { d.hidden = d.dataset.path.toLowerCase().indexOf(q) < 0; });
  });
  rows.forEach(function (r) {
    r.addEventListener('click', function () {
      var d = document.getElementById(r.dataset.target);
      if (d) { d.open = true; d.scrollIntoView(); }
    });
  });
  document.documentElement.dataset.ready = 'true';
})();
"#;

/// Writes the run as one HTML page.
pub fn write_html<W: Write>(w: W, report: &RunReport) -> io::Result<()> {
    write_whole(w, StreamFormat::Html, report, &[])
}

/// A page being written a document at a time. The summary, the stance
/// chart and the heatmap come before the documents' sections and need the
/// whole run, so each document's heatmap row (as data: its shade depends
/// on the highest score of the run) and its section wait in [`Spill`]s
/// until [`Html::finish`].
pub(super) struct Html {
    /// The heatmap's columns: the first document's themes (id, title).
    themes: Option<Vec<(String, String)>>,
    /// The highest theme score so far.
    max: f64,
    rows: Spill,
    sections: Spill,
    documents: usize,
    section: String,
}

/// A document's heatmap row, one JSON line in [`Html::rows`].
#[derive(Serialize, Deserialize)]
struct Row {
    path: String,
    stance: String,
    /// One per heatmap column; `None` if the document lacks that theme.
    cells: Vec<Option<Cell>>,
}

#[derive(Serialize, Deserialize)]
struct Cell {
    title: String,
    present: bool,
    /// The score's bits, so it comes back exactly.
    score: u64,
    hits: usize,
}

impl Html {
    pub(super) fn new() -> Html {
        Html {
            themes: None,
            max: 0.0,
            rows: Spill::new(),
            sections: Spill::new(),
            documents: 0,
            section: String::new(),
        }
    }

    /// Adds the document's heatmap row and section.
    pub(super) fn document(&mut self, doc: &DocumentReport) -> io::Result<()> {
        let themes = self.themes.get_or_insert_with(|| {
            doc.themes
                .iter()
                .map(|t| (t.id.clone(), t.title.clone()))
                .collect()
        });
        self.max = doc.themes.iter().map(|t| t.score).fold(self.max, f64::max);
        let row = Row {
            path: doc.path.clone(),
            stance: doc.stance.label.as_str().to_string(),
            cells: themes
                .iter()
                .map(|(id, _)| {
                    let t = doc.themes.iter().find(|t| t.id == *id)?;
                    Some(Cell {
                        title: t.title.clone(),
                        present: t.present,
                        score: t.score.to_bits(),
                        hits: t.hits,
                    })
                })
                .collect(),
        };
        serde_json::to_writer(&mut self.rows, &row)?;
        self.rows.write_all(b"\n")?;
        self.section.clear();
        document(&mut self.section, self.documents, doc);
        self.documents += 1;
        self.sections.write_all(self.section.as_bytes())
    }

    /// Writes the page.
    pub(super) fn finish<W: Write>(
        self,
        w: &mut W,
        tool: &Tool,
        rulesets: &[RulesetInfo],
        (summary, skipped, errors): (&Summary, &[Skipped], &[InputError]),
    ) -> io::Result<()> {
        let mut page = String::with_capacity(64 * 1024);
        page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        // No request may leave the page: everything is inline.
        page.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
        page.push_str("<title>policyscan report</title>\n<style>");
        page.push_str(STYLE);
        page.push_str("</style>\n</head>\n<body>\n");
        summary_cards(&mut page, tool, rulesets, summary);
        stance_chart(&mut page, summary, self.documents);
        w.write_all(page.as_bytes())?;
        heatmap(w, self.themes.as_deref(), self.max, self.rows, summary)?;
        if self.documents > 0 {
            w.write_all(b"<h2>Documents</h2>\n")?;
            self.sections.copy_to(w)?;
        }
        page.clear();
        problems(&mut page, errors, skipped);
        page.push_str("<script>");
        page.push_str(SCRIPT);
        page.push_str("</script>\n</body>\n</html>\n");
        w.write_all(page.as_bytes())
    }
}

fn summary_cards(page: &mut String, tool: &Tool, rulesets: &[RulesetInfo], s: &Summary) {
    let rulesets: Vec<String> = rulesets
        .iter()
        .map(|r| match &r.version {
            Some(v) => format!("{} {}", esc(&r.name), esc(v)),
            None => esc(&r.name),
        })
        .collect();
    let _ = write!(
        page,
        "<h1>policyscan report</h1>\n<p class=\"muted\">policyscan {} · rules: {}</p>\n<div class=\"cards\">",
        esc(&tool.version),
        if rulesets.is_empty() {
            "none".to_string()
        } else {
            rulesets.join(", ")
        }
    );
    let findings: usize = s.checks.values().sum();
    for (label, value) in [
        ("documents", s.documents.to_string()),
        ("words", s.words.to_string()),
        ("check findings", findings.to_string()),
        ("skipped", s.skipped.to_string()),
        ("errors", s.errors.to_string()),
    ] {
        let _ = write!(
            page,
            "<div class=\"card\" id=\"card-{}\"><b>{value}</b>{label}</div>",
            label.replace(' ', "-")
        );
    }
    page.push_str("</div>\n");
}

fn stance_chart(page: &mut String, summary: &Summary, documents: usize) {
    page.push_str("<h2>Stance distribution</h2>\n");
    let total = documents.max(1);
    let (bar_x, width, row) = (130.0, 520.0, 28.0);
    let height = row * Stance::ALL.len() as f64 + 4.0;
    let _ = write!(
        page,
        "<svg id=\"stance-chart\" role=\"img\" aria-label=\"Stance distribution\" width=\"760\" height=\"{height}\" viewBox=\"0 0 760 {height}\">"
    );
    for (i, stance) in Stance::ALL.iter().enumerate() {
        let n = summary.stances.get(stance).copied().unwrap_or(0);
        let y = i as f64 * row + 2.0;
        let w = width * n as f64 / total as f64;
        let share = 100.0 * n as f64 / total as f64;
        let _ = write!(
            page,
            "<g class=\"stance-{s}\" data-stance=\"{s}\" data-count=\"{n}\"><text x=\"0\" y=\"{ty}\" font-size=\"13\">{s}</text>\
             <rect x=\"{bar_x}\" y=\"{y}\" width=\"{w:.1}\" height=\"{h}\" rx=\"3\" fill=\"var(--c)\"></rect>\
             <text x=\"{tx:.1}\" y=\"{ty}\" font-size=\"13\">{n} ({share:.0}%)</text></g>",
            s = stance.as_str(),
            ty = y + 17.0,
            h = row - 8.0,
            tx = bar_x + w + 6.0,
        );
    }
    page.push_str("</svg>\n");
}

/// The heatmap: `themes` as columns (`None`: no documents), one row per
/// line of `rows`, shaded against the highest score `max`.
fn heatmap<W: Write + ?Sized>(
    w: &mut W,
    themes: Option<&[(String, String)]>,
    max: f64,
    rows: Spill,
    summary: &Summary,
) -> io::Result<()> {
    let mut page = String::new();
    page.push_str("<h2>Themes by document</h2>\n<p class=\"muted\">Shade: theme score; outlined: the theme is present. Click a row for its evidence.</p>\n");
    page.push_str(
        "<p><input id=\"filter\" type=\"search\" placeholder=\"Filter documents by path\"></p>\n",
    );
    let Some(themes) = themes else {
        page.push_str("<p id=\"no-documents\">No documents were scanned.</p>\n");
        return w.write_all(page.as_bytes());
    };
    let max = max.max(1e-9);
    page.push_str("<div class=\"heatmap-wrap\"><table class=\"heatmap\" id=\"heatmap\">\n<thead><tr><th></th><th>stance</th>");
    for (id, title) in themes {
        let _ = write!(
            page,
            "<th title=\"{}\" data-theme=\"{}\">{}</th>",
            esc(title),
            esc(id),
            esc(id)
        );
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for (i, line) in io::BufRead::lines(rows.into_reader()?).enumerate() {
        let row: Row = serde_json::from_str(&line?)?;
        let _ = write!(
            page,
            "<tr data-path=\"{p}\" data-target=\"doc-{i}\"><th class=\"doc\" title=\"{p}\">{p}</th><td><span class=\"badge stance-{s}\">{s}</span></td>",
            p = esc(&row.path),
            s = row.stance,
        );
        for ((id, _), cell) in themes.iter().zip(&row.cells) {
            let Some(t) = cell else {
                page.push_str("<td></td>");
                continue;
            };
            let score = f64::from_bits(t.score);
            let alpha = (score / max).sqrt().min(1.0);
            let _ = write!(
                page,
                "<td class=\"{}\" data-theme=\"{}\" data-score=\"{:.2}\" style=\"background: rgba(36, 88, 166, {:.2})\" title=\"{}: score {:.2}, {}\">{}</td>",
                if t.present { "present" } else { "" },
                esc(id),
                score,
                alpha * 0.85,
                esc(&t.title),
                score,
                super::text::plural(t.hits, "hit"),
                if score > 0.0 {
                    format!("{score:.1}")
                } else {
                    String::new()
                },
            );
        }
        page.push_str("</tr>\n");
        if page.len() >= 1 << 16 {
            w.write_all(page.as_bytes())?;
            page.clear();
        }
    }
    page.push_str("</tbody>\n<tfoot><tr><th class=\"doc\">documents with the theme</th><td></td>");
    for (id, _) in themes {
        let n = summary.themes.get(id).copied().unwrap_or(0);
        let _ = write!(page, "<td data-theme=\"{}\">{n}</td>", esc(id));
    }
    page.push_str("</tr></tfoot>\n</table></div>\n");
    w.write_all(page.as_bytes())
}

fn document(page: &mut String, i: usize, doc: &DocumentReport) {
    let s = doc.stance.label.as_str();
    let _ = writeln!(
        page,
        "<details class=\"doc\" id=\"doc-{i}\" data-path=\"{p}\"><summary>{p} <span class=\"badge stance-{s}\">{s}</span> <span class=\"muted\">confidence {c:.2} · {w} words · {f}{t}</span></summary>",
        p = esc(&doc.path),
        c = doc.stance.confidence,
        w = doc.words,
        f = esc(&doc.format),
        t = if doc.transcript { " · transcript" } else { "" },
    );
    let _ = writeln!(page, "<p class=\"reason\">{}</p>", esc(&doc.stance.reason));
    for warning in &doc.warnings {
        let _ = writeln!(
            page,
            "<p class=\"sev-warning\">warning: {}</p>",
            esc(warning)
        );
    }
    if !doc.stance.evidence.is_empty() {
        page.push_str("<h3>Stance evidence</h3>\n<ul class=\"evidence stance\">\n");
        for e in &doc.stance.evidence {
            let at = location(e.line, e.column, e.page, e.section.as_deref());
            let _ = writeln!(
                page,
                "<li><span class=\"badge stance-{s}\">{s}</span> <span class=\"loc\">{at}</span> {} <span class=\"muted\">({}, weight {:.2})</span></li>",
                highlight(&e.snippet, &e.text),
                esc(&e.cue),
                e.effective_weight,
                s = e.stance.as_str(),
            );
        }
        page.push_str("</ul>\n");
    }
    let present: Vec<_> = doc.themes.iter().filter(|t| t.present).collect();
    if !present.is_empty() {
        page.push_str("<h3>Themes present</h3>\n");
        for t in present {
            let _ = writeln!(
                page,
                "<p class=\"theme\" data-theme=\"{}\"><b>{}</b> <span class=\"muted\">score {:.2}, {}</span></p>\n<ul class=\"evidence\">",
                esc(&t.id),
                esc(&t.title),
                t.score,
                super::text::plural(t.hits, "hit")
            );
            for e in &t.evidence {
                evidence(page, e);
            }
            page.push_str("</ul>\n");
        }
    }
    if !doc.checks.is_empty() {
        page.push_str("<h3>Check findings</h3>\n<ul class=\"evidence checks\">\n");
        for c in &doc.checks {
            let _ = writeln!(
                page,
                "<li class=\"sev-{sev}\"><b>{sev}</b> <span class=\"loc\">{}:{}</span> {} <span class=\"muted\">({}{})</span></li>",
                c.line,
                c.column,
                esc(&c.message),
                esc(&c.check),
                if c.suppressed.is_some() {
                    ", suppressed"
                } else {
                    ""
                },
                sev = c.severity.as_str(),
            );
        }
        page.push_str("</ul>\n");
    }
    page.push_str("</details>\n");
}

fn evidence(page: &mut String, e: &Evidence) {
    let at = location(e.line, e.column, e.page, e.section.as_deref());
    let modifiers = if e.modifiers.is_empty() {
        String::new()
    } else {
        format!(", {}", e.modifiers.join(", "))
    };
    let _ = writeln!(
        page,
        "<li><span class=\"loc\">{at}</span> {} <span class=\"muted\">({}{})</span></li>",
        highlight(&e.snippet, &e.text),
        esc(&e.rule),
        esc(&modifiers)
    );
}

fn location(line: usize, column: usize, page: Option<usize>, section: Option<&str>) -> String {
    let mut at = super::text::location(line, column, page);
    if let Some(section) = section {
        let _ = write!(at, " · {}", esc(section));
    }
    at
}

fn problems(page: &mut String, errors: &[InputError], skipped: &[Skipped]) {
    if errors.is_empty() && skipped.is_empty() {
        return;
    }
    page.push_str("<h2>Not scanned</h2>\n<ul id=\"not-scanned\">\n");
    for e in errors {
        let _ = writeln!(
            page,
            "<li class=\"sev-error\"><b>error</b> {}: {}</li>",
            esc(&e.path),
            esc(&e.message)
        );
    }
    for s in skipped {
        let _ = writeln!(
            page,
            "<li class=\"muted\">skipped {} ({})</li>",
            esc(&s.path),
            esc(&s.reason)
        );
    }
    page.push_str("</ul>\n");
}

/// The snippet, escaped, with the first occurrence of the matched text
/// marked.
fn highlight(snippet: &str, text: &str) -> String {
    let text = &*super::text_in_snippet(snippet, text);
    let found = (!text.is_empty())
        .then(|| snippet.find(text).map(|i| (i, i + text.len())))
        .flatten()
        .or_else(|| {
            let (lower, needle) = (snippet.to_lowercase(), text.to_lowercase());
            // Byte offsets agree only if lowercasing kept every length.
            (lower.len() == snippet.len() && !needle.is_empty())
                .then(|| lower.find(&needle).map(|i| (i, i + needle.len())))
                .flatten()
        })
        .filter(|(s, e)| snippet.is_char_boundary(*s) && snippet.is_char_boundary(*e));
    match found {
        Some((s, e)) => format!(
            "{}<mark>{}</mark>{}",
            esc(&snippet[..s]),
            esc(&snippet[s..e]),
            esc(&snippet[e..])
        ),
        None => esc(snippet),
    }
}

/// Escapes text for HTML content and double-quoted attributes.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_highlighting() {
        assert_eq!(
            esc("<a href=\"x\">R&D</a>"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&lt;/a&gt;"
        );
        assert_eq!(
            highlight("We <oppose> Licensing now", "licensing"),
            "We &lt;oppose&gt; <mark>Licensing</mark> now"
        );
        assert_eq!(highlight("no match here", "absent"), "no match here");
        assert_eq!(
            highlight("İstanbul licensing", "licensing"),
            "İstanbul <mark>licensing</mark>"
        );
        // A match wrapped over Markdown quoted lines: its text keeps the
        // markers, the snippet does not; a `>` the snippet has stays.
        assert_eq!(
            highlight(
                "the weights of a model are published.",
                "weights > > of a model"
            ),
            "the <mark>weights of a model</mark> are published."
        );
        assert_eq!(
            highlight("models &gt; 10^26 and > 10^26 FLOP", "> 10^26 FLOP"),
            "models &amp;gt; 10^26 and <mark>&gt; 10^26 FLOP</mark>"
        );
    }
}
