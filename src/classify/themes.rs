//! Theme scores, presence and evidence.

use super::{ClassifyOptions, evidence, round};
use crate::report::{Evidence, ThemeReport};
use crate::rules::{CompiledRules, Owner};
use crate::scan::Hit;
use crate::text::Document;

/// Scores every theme of the ruleset, in ruleset order.
pub(crate) fn score(rules: &CompiledRules, doc: &Document, hits: &[Hit], options: &ClassifyOptions) -> Vec<ThemeReport> {
    let mut per_theme: Vec<Vec<&Hit>> = vec![Vec::new(); rules.themes().len()];
    for hit in hits {
        if let Owner::Theme(t) = rules.rules()[hit.rule].owner {
            per_theme[t].push(hit);
        }
    }
    rules
        .themes()
        .iter()
        .zip(per_theme)
        .map(|(theme, hits)| {
            let (score, distinct) = theme_score(rules, &hits);
            ThemeReport {
                id: theme.id.clone(),
                title: theme.title.clone(),
                present: score >= theme.threshold && distinct.len() >= theme.min_rules && !hits.is_empty(),
                score: round(score),
                hits: hits.len(),
                rules: distinct.iter().map(|&r| rules.rules()[r].id.clone()).collect(),
                evidence: pick_evidence(rules, doc, &hits, options.max_evidence),
            }
        })
        .collect()
}

/// The theme score and the distinct rules that hit (in ruleset order).
fn theme_score(rules: &CompiledRules, hits: &[&Hit]) -> (f64, Vec<usize>) {
    let mut counts: std::collections::BTreeMap<usize, usize> = Default::default();
    for hit in hits {
        *counts.entry(hit.rule).or_default() += 1;
    }
    let score = counts
        .iter()
        .map(|(&rule, &n)| rules.rules()[rule].weight * (1.0 + (n as f64).ln()))
        .sum();
    (score, counts.into_keys().collect())
}

/// Picks representative hits: the first hit of each rule (heaviest rules
/// first), then further hits, shown in document order.
fn pick_evidence(rules: &CompiledRules, doc: &Document, hits: &[&Hit], max: usize) -> Vec<Evidence> {
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
            Evidence { rule: rules.rules()[hit.rule].id.clone(), text: at.text, line: at.line, column: at.column, snippet: at.snippet }
        })
        .collect()
}
