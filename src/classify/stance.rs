//! The stance call.

use std::sync::LazyLock;

use regex::Regex;

use super::context::{self, Modifier};
use super::{ClassifyOptions, evidence, round};
use crate::Stance;
use crate::report::{StanceEvidence, StanceReport, StanceScores};
use crate::rules::{CompiledRules, Owner};
use crate::scan::Hit;
use crate::text::Document;

/// The score the strongest stance needs before it is called at all.
pub const MIN_SIGNAL: f64 = 2.0;
/// How far ahead of the runner-up the strongest stance must be (a ratio).
pub const MIN_MARGIN: f64 = 1.5;
/// Legal-register density (per 1,000 words) from which a text reads as a
/// statute.
pub const STATUTE_DENSITY: f64 = 10.0;

static SHALL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bshall\b").unwrap());
static SECTION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^[ \t#*]*(?:article|art\.|section|sec\.|§|chapter|annex|subsection|part|title)[ \t]*[0-9ivxlc]+\b").unwrap()
});

/// One weighed cue hit.
struct Weighed<'a> {
    hit: &'a Hit,
    stance: Stance,
    weight: f64,
    modifiers: Vec<Modifier>,
    effective: f64,
}

/// Decides the stance of a document from its cue hits. With `pool`, also
/// returns the evidence the first `pool` items would be (what checks are
/// judged on), when that differs from what `options.max_evidence` shows.
pub(crate) fn decide(
    rules: &CompiledRules,
    doc: &Document,
    hits: &[Hit],
    options: &ClassifyOptions,
    pool: Option<usize>,
) -> (StanceReport, Option<Vec<StanceEvidence>>) {
    let weighed = weigh(rules, doc, hits);
    let mut scores = StanceScores::default();
    for w in &weighed {
        *scores.get_mut(w.stance) += w.effective;
    }
    let (mut label, mut confidence, mut reason) = call(&scores, statute_density(doc));
    if reason == "strongest-stance" && !in_own_voice(&weighed, label) {
        // Every cue of the leading stance is someone else's view: a
        // report of what one camp says, not the author's position.
        (label, confidence, reason) = (Stance::Neutral, 0.5, "weak-signal");
    }
    if let Some(model) = &options.model
        && matches!(reason, "weak-signal" | "no-clear-lead")
        && doc.words() >= super::model::MIN_WORDS
        && !doc.is_transcript()
    {
        let (top, p) = model.top(doc.source());
        if top != Stance::Neutral && !set_aside(&weighed, top) {
            (label, confidence, reason) = (top, p, "model");
        }
    }
    for stance in Stance::ALL {
        *scores.get_mut(stance) = round(scores.get(stance));
    }
    let (evidence, pooled) = pick_evidence(rules, doc, weighed, label, options.max_evidence, pool);
    let report = StanceReport {
        label,
        scores,
        confidence: (confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0,
        reason: reason.to_string(),
        evidence,
    };
    (report, pooled)
}

fn weigh<'a>(rules: &CompiledRules, doc: &Document, hits: &'a [Hit]) -> Vec<Weighed<'a>> {
    let genre = context::Genre::of(doc);
    hits.iter()
        .filter_map(|hit| {
            let rule = &rules.rules()[hit.rule];
            let Owner::Stance(stance) = rule.owner else {
                return None;
            };
            let modifiers = doc
                .sentence_of(hit.folded_start)
                .map(|s| {
                    let mut modifiers =
                        context::modifiers_in(doc, genre, s, hit.folded_start, hit.folded_end);
                    if stance != Stance::Neutral
                        && (context::is_question(doc, s)
                            || context::asks_whether(doc, s, hit.folded_start))
                    {
                        modifiers.push(Modifier::Questioned);
                    }
                    modifiers
                })
                .unwrap_or_default();
            let effective = rule.weight * context::factor(&modifiers);
            Some(Weighed {
                hit,
                stance,
                weight: rule.weight,
                modifiers,
                effective,
            })
        })
        .collect()
}

/// Whether some cue of `stance` that counts is the author's own, not
/// reported speech.
fn in_own_voice(weighed: &[Weighed<'_>], stance: Stance) -> bool {
    weighed.iter().any(|w| {
        w.stance == stance && w.effective > 0.0 && !w.modifiers.contains(&Modifier::Attributed)
    })
}

/// Whether the rules saw `stance`'s cues and set most of them aside as
/// negated, conceded or someone else's view: then the author's stance is
/// not `stance`, whatever the words say, and the model may not call it.
fn set_aside(weighed: &[Weighed<'_>], stance: Stance) -> bool {
    let (mut discounted, mut counted) = (0.0, 0.0);
    for w in weighed.iter().filter(|w| w.stance == stance) {
        counted += w.effective;
        if w.modifiers.iter().any(|m| {
            matches!(
                m,
                Modifier::Negated | Modifier::Conceded | Modifier::Attributed
            )
        }) {
            discounted += w.weight - w.effective;
        }
    }
    discounted > counted
}

/// `shall` and section headings per 1,000 words: statutes, bills and
/// executive orders are dense with both; advocacy almost never is.
pub fn statute_density(doc: &Document) -> f64 {
    let words = doc.words();
    if words < 80 {
        return 0.0;
    }
    // Every match of SHALL folds to "shall" (see `rules::required_literals_of`),
    // so a document whose folded text lacks it is skipped without a sweep.
    if !doc.folded().as_str().contains("shall") {
        return 0.0;
    }
    let shall = SHALL.find_iter(doc.source()).count();
    if shall < 3 {
        return 0.0;
    }
    let headings = SECTION_HEADING.find_iter(doc.source()).count();
    (shall + 3 * headings) as f64 * 1000.0 / words as f64
}

/// The label, its confidence and the reason for it.
fn call(scores: &StanceScores, statute_density: f64) -> (Stance, f64, &'static str) {
    if statute_density >= STATUTE_DENSITY {
        return (
            Stance::Neutral,
            0.5 + statute_density / (4.0 * STATUTE_DENSITY),
            "statute-like",
        );
    }
    let mut ranked = Stance::ALL;
    ranked.sort_by(|a, b| scores.get(*b).total_cmp(&scores.get(*a)));
    let (top, second) = (scores.get(ranked[0]), scores.get(ranked[1]));
    if top < MIN_SIGNAL {
        return (Stance::Neutral, 1.0 - top / MIN_SIGNAL * 0.5, "weak-signal");
    }
    if top < MIN_MARGIN * second {
        let closeness = (top / second - 1.0) / (MIN_MARGIN - 1.0);
        return (Stance::Neutral, 1.0 - closeness * 0.5, "no-clear-lead");
    }
    let lead = (top - second) / top;
    let strength = (top / (3.0 * MIN_SIGNAL)).min(1.0);
    (ranked[0], 0.3 + 0.7 * lead * strength, "strongest-stance")
}

/// The cues behind the call: the label's own cues first (strongest
/// first), then the strongest others, then up to three that context
/// discounted, so a reader sees what was set aside and why. With `pool`,
/// also the cues a cap of `pool` would give (each part of the ranking is a
/// total order, so a smaller cap keeps a prefix of each part).
fn pick_evidence(
    rules: &CompiledRules,
    doc: &Document,
    weighed: Vec<Weighed<'_>>,
    label: Stance,
    max: usize,
    pool: Option<usize>,
) -> (Vec<StanceEvidence>, Option<Vec<StanceEvidence>>) {
    let order = |a: &Weighed<'_>, b: &Weighed<'_>| {
        (b.stance == label)
            .cmp(&(a.stance == label))
            .then(b.effective.total_cmp(&a.effective))
            .then(a.hit.start.cmp(&b.hit.start))
    };
    // A report shows up to three discounted cues; `explain` (no limit)
    // shows every one, so its cues add up to the scores.
    let discounted_max = |max: usize| if max == usize::MAX { max } else { 3.min(max) };
    let k = pool.map_or(max, |pool| pool.max(max));
    let (discounted, counted): (Vec<_>, Vec<_>) =
        weighed.into_iter().partition(|w| w.effective < w.weight);
    let located = |part: Vec<Weighed<'_>>, k: usize| -> Vec<StanceEvidence> {
        evidence::first_sorted(part, k, order)
            .into_iter()
            .map(|w| stance_evidence(rules, doc, &w))
            .collect()
    };
    let counted = located(counted, k);
    let discounted = located(discounted, discounted_max(k));
    let cut = |cap: usize| -> Vec<StanceEvidence> {
        counted
            .iter()
            .take(cap)
            .chain(discounted.iter().take(discounted_max(cap)))
            .cloned()
            .collect()
    };
    match pool {
        Some(pool) => (cut(max), Some(cut(pool))),
        None => {
            let mut shown = counted;
            shown.extend(discounted);
            (shown, None)
        }
    }
}

fn stance_evidence(rules: &CompiledRules, doc: &Document, w: &Weighed<'_>) -> StanceEvidence {
    let at = evidence::locate(doc, w.hit);
    StanceEvidence {
        cue: rules.rules()[w.hit.rule].id.clone(),
        stance: w.stance,
        text: at.text,
        line: at.line,
        column: at.column,
        snippet: at.snippet,
        section: at.section,
        page: at.page,
        weight: round(w.weight),
        effective_weight: round(w.effective),
        modifiers: w.modifiers.iter().map(|m| m.as_str().to_string()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(p: f64, s: f64, h: f64, n: f64) -> StanceScores {
        StanceScores {
            pro_open: p,
            security_first: s,
            hybrid: h,
            neutral: n,
        }
    }

    #[test]
    fn calls() {
        let rows = [
            (
                scores(9.0, 1.0, 0.0, 0.0),
                0.0,
                Stance::ProOpen,
                "strongest-stance",
            ),
            (
                scores(1.0, 8.0, 2.0, 0.0),
                0.0,
                Stance::SecurityFirst,
                "strongest-stance",
            ),
            (
                scores(2.0, 2.0, 7.0, 0.0),
                0.0,
                Stance::Hybrid,
                "strongest-stance",
            ),
            (
                scores(1.5, 1.0, 0.0, 0.0),
                0.0,
                Stance::Neutral,
                "weak-signal",
            ),
            (
                scores(5.0, 4.5, 0.0, 0.0),
                0.0,
                Stance::Neutral,
                "no-clear-lead",
            ),
            (
                scores(20.0, 0.0, 0.0, 0.0),
                25.0,
                Stance::Neutral,
                "statute-like",
            ),
        ];
        for (s, density, label, reason) in rows {
            let (l, c, r) = call(&s, density);
            assert_eq!((l, r), (label, reason), "{s:?}");
            assert!((0.0..=1.0).contains(&c.clamp(0.0, 1.0)));
        }
    }

    #[test]
    fn clearer_leads_are_more_confident() {
        let (_, weak, _) = call(&scores(6.0, 3.5, 0.0, 0.0), 0.0);
        let (_, strong, _) = call(&scores(12.0, 1.0, 0.0, 0.0), 0.0);
        assert!(strong > weak, "{strong} <= {weak}");
    }
}
