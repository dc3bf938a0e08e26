//! Theme scores, presence and evidence.
//!
//! A theme's score sums, per rule, `weight × (1 + ln n)` where `n` counts
//! the rule's hits (diminishing returns: repetition in a long text adds
//! little). Two refinements keep a passing or denied mention from
//! passing for substance:
//!
//! - where hits of several rules of one theme overlap (a generic
//!   "license" inside a specific "open-source license"), only the
//!   heaviest counts;
//! - a negated mention ("without banning open models") counts half.

use super::{ClassifyOptions, context, evidence, round};
use crate::report::{Evidence, ThemeReport};
use crate::rules::{CompiledRules, Owner};
use crate::scan::Hit;
use crate::text::Document;

/// Scores every theme of the ruleset, in ruleset order.
pub(crate) fn score(
    rules: &CompiledRules,
    doc: &Document,
    hits: &[Hit],
    options: &ClassifyOptions,
) -> Vec<ThemeReport> {
    let mut per_theme: Vec<Vec<&Hit>> = vec![Vec::new(); rules.themes().len()];
    for hit in hits {
        if let Owner::Theme(t) = rules.rules()[hit.rule].owner {
            per_theme[t].push(hit);
        }
    }
    for theme_hits in &mut per_theme {
        keep_heaviest_of_overlaps(rules, theme_hits);
    }
    rules
        .themes()
        .iter()
        .zip(per_theme)
        .map(|(theme, hits)| {
            let (score, distinct) = theme_score(rules, doc, &hits);
            ThemeReport {
                id: theme.id.clone(),
                title: theme.title.clone(),
                present: score >= theme.threshold
                    && distinct.len() >= theme.min_rules
                    && !hits.is_empty(),
                score: round(score),
                hits: hits.len(),
                rules: distinct
                    .iter()
                    .map(|&r| rules.rules()[r].id.clone())
                    .collect(),
                evidence: pick_evidence(rules, doc, &hits, options.max_evidence),
            }
        })
        .collect()
}

/// The weight a negated mention keeps.
const NEGATED_FACTOR: f64 = 0.5;

/// Drops every hit that overlaps a strictly heavier hit of another rule
/// of the same theme. Hits arrive sorted by start, so `j > i` overlaps
/// `i` exactly when `hits[j].start < hits[i].end`. Equal weights are
/// distinct evidence and both stay.
fn keep_heaviest_of_overlaps(rules: &CompiledRules, hits: &mut Vec<&Hit>) {
    let weight = |h: &Hit| rules.rules()[h.rule].weight;
    let mut dominated = vec![false; hits.len()];
    for i in 0..hits.len() {
        for j in (i + 1..hits.len()).take_while(|&j| hits[j].start < hits[i].end) {
            match weight(hits[i]).total_cmp(&weight(hits[j])) {
                std::cmp::Ordering::Less => dominated[i] = true,
                std::cmp::Ordering::Greater => dominated[j] = true,
                std::cmp::Ordering::Equal => {}
            }
        }
    }
    let mut flags = dominated.into_iter();
    hits.retain(|_| !flags.next().unwrap_or(false));
}

/// The theme score and the distinct rules that hit (in ruleset order).
fn theme_score(rules: &CompiledRules, doc: &Document, hits: &[&Hit]) -> (f64, Vec<usize>) {
    let folded = doc.folded().as_str();
    let mut counts: std::collections::BTreeMap<usize, f64> = Default::default();
    for hit in hits {
        let negated = doc
            .sentence_of(hit.folded_start)
            .is_some_and(|s| context::is_negated_at(folded, doc.sentences(), s, hit.folded_start));
        *counts.entry(hit.rule).or_default() += if negated { NEGATED_FACTOR } else { 1.0 };
    }
    let score = counts
        .iter()
        .map(|(&rule, &n)| rules.rules()[rule].weight * diminishing(n))
        .sum();
    (score, counts.into_keys().collect())
}

/// `1 + ln n` for a count of at least one; proportional below one (a
/// single negated mention).
fn diminishing(n: f64) -> f64 {
    if n >= 1.0 { 1.0 + n.ln() } else { n }
}

/// Picks representative hits: the first hit of each rule (heaviest rules
/// first), then further hits, shown in document order.
fn pick_evidence(
    rules: &CompiledRules,
    doc: &Document,
    hits: &[&Hit],
    max: usize,
) -> Vec<Evidence> {
    let mut seen: std::collections::HashMap<usize, usize> = Default::default();
    let mut ranked: Vec<(usize, std::cmp::Reverse<u64>, usize, &Hit)> = hits
        .iter()
        .enumerate()
        .map(|(i, hit)| {
            let nth = seen.entry(hit.rule).or_default();
            *nth += 1;
            let weight = (rules.rules()[hit.rule].weight * 1000.0) as u64;
            (*nth, std::cmp::Reverse(weight), i, *hit)
        })
        .collect();
    ranked.sort_by_key(|&(nth, w, i, _)| (nth, w, i));
    let mut chosen: Vec<&Hit> = ranked.into_iter().take(max).map(|(.., h)| h).collect();
    chosen.sort_by_key(|h| h.start);
    chosen
        .into_iter()
        .map(|hit| {
            let at = evidence::locate(doc, hit);
            Evidence {
                rule: rules.rules()[hit.rule].id.clone(),
                text: at.text,
                line: at.line,
                column: at.column,
                snippet: at.snippet,
            }
        })
        .collect()
}
