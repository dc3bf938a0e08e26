//! Suppressions: inline `policyscan-ignore` comments and baselines.
//!
//! An inline suppression silences named checks, with a required reason:
//!
//! ```text
//! <!-- policyscan-ignore-file: compute-threshold-without-exemption -- the exemption is in the companion bill -->
//! <!-- policyscan-ignore: liability-without-research-safe-harbor -- liability here is deliberate -->
//! ```
//!
//! `policyscan-ignore-file` applies to the whole document;
//! `policyscan-ignore` to the section it sits in (and its subsections),
//! or the whole document when it has no headings. Directive lines are
//! blanked before scanning, so the check ids they name never count as
//! evidence. A suppression without a reason, naming an unknown check, or
//! matching no finding is reported as a warning on the document.
//!
//! A baseline is a JSON file of `(path, check, fingerprint)` entries
//! written by `--write-baseline`; with `--baseline`, findings it lists are
//! suppressed and entries that match nothing are reported. An entry
//! matches by path and check: a check fires at most once per document, and
//! its fingerprint follows its evidence, which changes whenever a sentence
//! on the same themes is added anywhere in the document. The fingerprint is
//! kept in the file as a record of what was accepted.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::report::{DocumentReport, RunReport, Suppression, fingerprint};
use crate::rules::CompiledRules;
use crate::text::Document;

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*(?:<!--|#+|//|%|;)?[ \t]*policyscan-ignore(-file)?[ \t]*:[ \t]*([^\r\n]*?)[ \t]*(?:-->)?[ \t]*\r?$").unwrap()
});

/// The [`Suppression::kind`] of findings a baseline suppresses.
const BASELINE: &str = "baseline";

/// One inline suppression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// 1-based line of the comment.
    pub line: usize,
    /// Byte offset of the comment in the text that is scanned (the source
    /// with directives blanked).
    pub offset: usize,
    /// True for `policyscan-ignore-file`.
    pub whole_document: bool,
    /// The checks it names.
    pub checks: Vec<String>,
    /// The reason given after `--` (empty when missing).
    pub reason: String,
}

/// Finds the suppression directives of a text and returns them with the
/// text's directive lines blanked (same length, same line breaks).
pub fn extract(text: &str) -> (Vec<Directive>, String) {
    extract_owned(text.to_string())
}

/// [`extract`] on an owned text, blanking directives in place (no copy).
pub fn extract_owned(mut text: String) -> (Vec<Directive>, String) {
    let mut directives = Vec::new();
    let mut ranges = Vec::new();
    let mut lines = crate::text::LineCounter::new(&text);
    for caps in DIRECTIVE.captures_iter(&text) {
        let whole = caps.get(0).unwrap();
        let body = &caps[2];
        let (names, reason) = body.split_once("--").unwrap_or((body, ""));
        directives.push(Directive {
            line: lines.line_of(whole.start()),
            offset: whole.start(),
            whole_document: caps.get(1).is_some(),
            checks: names
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(String::from)
                .collect(),
            reason: reason.trim().to_string(),
        });
        ranges.push(whole.range());
    }
    // Offsets are into the blanked text, which is shorter after each
    // directive holding multibyte characters.
    let mut shrunk = 0;
    for (directive, range) in directives.iter_mut().zip(&ranges) {
        directive.offset -= shrunk;
        shrunk += crate::text::shrink(&text, range.clone());
    }
    crate::text::blank_all(&mut text, &ranges);
    (directives, text)
}

/// Marks the report's findings that directives suppress, and records a
/// warning for each directive that is invalid or matches nothing.
pub fn apply_inline(
    rules: &CompiledRules,
    doc: &Document,
    directives: &[Directive],
    report: &mut DocumentReport,
) {
    for d in directives {
        let at = format!("policyscan-ignore at line {}", d.line);
        if d.reason.is_empty() {
            report
                .warnings
                .push(format!("{at} has no reason (`-- why`) and is ignored"));
            continue;
        }
        if d.checks.is_empty() {
            report
                .warnings
                .push(format!("{at} names no check and is ignored"));
            continue;
        }
        for name in d
            .checks
            .iter()
            .filter(|n| !rules.checks().iter().any(|c| &c.id == *n))
        {
            report
                .warnings
                .push(format!("{at} names unknown check `{name}`"));
        }
        let scope = (!d.whole_document)
            .then(|| doc.section_at(d.offset))
            .flatten()
            .map(str::to_string);
        let mut used = false;
        for finding in report
            .checks
            .iter_mut()
            .filter(|f| f.suppressed.is_none() && d.checks.contains(&f.check))
        {
            let in_scope = match &scope {
                None => true,
                Some(section) => finding
                    .evidence
                    .first()
                    .and_then(|e| e.section.as_deref())
                    .is_some_and(|s| s == section || s.starts_with(&format!("{section} > "))),
            };
            if in_scope {
                finding.suppressed = Some(Suppression {
                    kind: "inline".to_string(),
                    reason: d.reason.clone(),
                });
                used = true;
            }
        }
        if !used {
            report
                .warnings
                .push(format!("{at} matches no finding (stale suppression)"));
        }
    }
}

/// A baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version (1).
    pub version: u32,
    /// Known findings.
    pub entries: BTreeSet<BaselineEntry>,
}

/// One known finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The document path as reported.
    pub path: String,
    /// The check id.
    pub check: String,
    /// The finding's content fingerprint when the baseline was written
    /// (a record; entries match by path and check).
    pub fingerprint: String,
}

impl Baseline {
    /// The baseline of a report's findings that no inline comment
    /// suppresses.
    pub fn of(report: &RunReport) -> Baseline {
        Baseline {
            version: 1,
            entries: report
                .documents
                .iter()
                .flat_map(Baseline::entries_of)
                .collect(),
        }
    }

    /// The entries of one document's findings that no inline comment
    /// suppresses: the active ones and those an applied baseline
    /// suppressed, so `--baseline B --write-baseline B` refreshes a
    /// baseline (keeping what still fires, dropping stale entries) rather
    /// than emptying it.
    pub fn entries_of(doc: &DocumentReport) -> impl Iterator<Item = BaselineEntry> + '_ {
        doc.checks
            .iter()
            .filter(|f| f.suppressed.as_ref().is_none_or(|s| s.kind == BASELINE))
            .map(|f| entry(&doc.path, f))
    }

    /// Suppresses the findings this baseline lists; returns the entries
    /// that matched no finding.
    pub fn apply(&self, report: &mut RunReport) -> Vec<BaselineEntry> {
        let mut unused = self.entries.clone();
        for doc in &mut report.documents {
            self.apply_to(doc, &mut unused);
        }
        unused.into_iter().collect()
    }

    /// Sorts the entries no finding matched into those that are stale —
    /// their document was scanned (`scanned`) and the check no longer
    /// fires, or the document is gone (`exists`) — and those this run
    /// cannot judge: their document exists but was not scanned (a run over
    /// some of the files, or one that could not read it). The second kind
    /// is neither reported nor dropped from a refreshed baseline.
    pub fn judge_unused(
        unused: BTreeSet<BaselineEntry>,
        scanned: impl Fn(&str) -> bool,
        exists: impl Fn(&str) -> bool,
    ) -> (Vec<BaselineEntry>, Vec<BaselineEntry>) {
        unused
            .into_iter()
            .partition(|e| scanned(&e.path) || !exists(&e.path))
    }

    /// Suppresses the findings of one document that this baseline lists,
    /// removing their entries from `unused` (a scan that streams its
    /// documents applies the baseline to each as it arrives, starting with
    /// `unused` a copy of the entries: what is left at the end is stale).
    pub fn apply_to(&self, doc: &mut DocumentReport, unused: &mut BTreeSet<BaselineEntry>) {
        for f in doc.checks.iter_mut().filter(|f| f.suppressed.is_none()) {
            let listed = self.entries_for(&doc.path, &f.check);
            if !listed.is_empty() {
                for e in listed {
                    unused.remove(e);
                }
                f.suppressed = Some(Suppression {
                    kind: BASELINE.to_string(),
                    reason: "listed in the baseline".to_string(),
                });
            }
        }
    }

    /// The entries for one check on one document: at most one in a
    /// baseline policyscan wrote, since a check fires at most once per
    /// document, whatever their fingerprints.
    fn entries_for(&self, path: &str, check: &str) -> Vec<&BaselineEntry> {
        let first = BaselineEntry {
            path: path.to_string(),
            check: check.to_string(),
            fingerprint: String::new(),
        };
        self.entries
            .range(first..)
            .take_while(|e| e.path == path && e.check == check)
            .collect()
    }
}

fn entry(path: &str, f: &crate::report::CheckFinding) -> BaselineEntry {
    BaselineEntry {
        path: path.to_string(),
        check: f.check.clone(),
        fingerprint: fingerprint(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_are_parsed_and_blanked() {
        let text = "# A\n<!-- policyscan-ignore: one, two -- because -->\nbody\n# policyscan-ignore-file: three\n";
        let (found, blanked) = extract(text);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].line, found[0].whole_document), (2, false));
        assert_eq!(found[0].checks, ["one", "two"]);
        assert_eq!(found[0].reason, "because");
        assert_eq!(
            (
                found[1].line,
                found[1].whole_document,
                found[1].reason.as_str()
            ),
            (4, true, "")
        );
        assert_eq!(blanked.len(), text.len());
        assert!(!blanked.contains("policyscan-ignore"));
        assert_eq!(blanked.lines().count(), text.lines().count());
    }

    /// Blanking a directive with multibyte characters shortens the text;
    /// the next directive is still blanked whole and its offset points at
    /// it in the blanked text (the bug the fuzzer found in Markdown
    /// blanking was here too).
    #[test]
    fn directives_with_multibyte_reasons_are_all_blanked() {
        let first = "<!-- policyscan-ignore: one -- Begründung für Änderung -->";
        let second = "<!-- policyscan-ignore: two -- naïve café -->";
        let text = format!("{first}\nProse über Lizenzen.\n{second}\nEnd.\n");
        let (found, blanked) = extract(&text);
        assert_eq!(found.len(), 2);
        let spaces = |s: &str| " ".repeat(s.chars().count());
        assert_eq!(
            blanked,
            format!(
                "{}\nProse über Lizenzen.\n{}\nEnd.\n",
                spaces(first),
                spaces(second)
            )
        );
        let at = found[1].offset;
        assert_eq!(blanked[..at].lines().count(), 2);
        assert!(blanked[at..].starts_with(&format!("{}\n", spaces(second))));
    }
}
