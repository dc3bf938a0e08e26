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
//! - a negated mention ("without banning open models") counts half;
//! - a mention in a sentence that proposes an obligation ("developers
//!   should test their models before release") counts one and a half.
//!
//! Presence is judged on substance, not on length: a theme is present
//! when its **peak** (the same score computed over the hits inside the
//! best window of [`WINDOW_BYTES`], about 400 words) reaches the
//! threshold with enough distinct rules. A long statute that mentions a
//! theme once per chapter accumulates a large total but no peak; a report
//! with one real section on the theme has both.

use super::{ClassifyOptions, context, evidence, round};
use crate::report::{Evidence, ThemeReport};
use crate::rules::{CompiledRules, Owner};
use crate::scan::Hit;
use crate::text::Document;

/// Scores every theme of the ruleset, in ruleset order. With `pool`,
/// also returns each theme's evidence as a cap of `pool` would pick it
/// (what checks are judged on).
pub(crate) fn score(
    rules: &CompiledRules,
    doc: &Document,
    hits: &[Hit],
    options: &ClassifyOptions,
    pool: Option<usize>,
) -> (Vec<ThemeReport>, Option<Vec<Vec<Evidence>>>) {
    let mut per_theme: Vec<Vec<Marked>> = vec![Vec::new(); rules.themes().len()];
    // Whether a sentence proposes an obligation, computed once per
    // sentence however many hits it holds.
    let mut prescriptive: Vec<Option<bool>> = vec![None; doc.sentences().len()];
    for hit in hits {
        if let Owner::Theme(t) = rules.rules()[hit.rule].owner {
            let prescribed = doc.sentence_of(hit.folded_start).is_some_and(|s| {
                *prescriptive[s].get_or_insert_with(|| {
                    PRESCRIPTIVE.is_match(&doc.folded().as_str()[doc.sentences()[s].clone()])
                })
            });
            per_theme[t].push(Marked {
                hit,
                negated: is_negated(doc, hit),
                prescribed,
            });
        }
    }
    for theme_hits in &mut per_theme {
        keep_heaviest_of_overlaps(rules, theme_hits);
    }
    let mut pools = pool.map(|_| Vec::with_capacity(per_theme.len()));
    let reports = rules
        .themes()
        .iter()
        .zip(per_theme)
        .map(|(theme, hits)| {
            let counted = count_hits(&hits);
            let (score, distinct) = theme_score(rules, &counted);
            let peak = peak(rules, &counted, theme.min_rules);
            let (evidence, pooled) = pick_evidence(rules, doc, &hits, options.max_evidence, pool);
            if let (Some(pools), Some(pooled)) = (&mut pools, pooled) {
                pools.push(pooled);
            }
            ThemeReport {
                id: theme.id.clone(),
                title: theme.title.clone(),
                present: !hits.is_empty()
                    && peak >= theme.threshold
                    && distinct.len() >= theme.min_rules,
                score: round(score),
                peak: round(peak),
                hits: hits.len(),
                rules: distinct
                    .iter()
                    .map(|&r| rules.rules()[r].id.clone())
                    .collect(),
                evidence,
            }
        })
        .collect();
    (reports, pools)
}

/// A theme hit with the context that changes how much it counts.
#[derive(Clone, Copy)]
struct Marked<'a> {
    hit: &'a Hit,
    negated: bool,
    prescribed: bool,
}

/// The weight a negated mention keeps.
pub const NEGATED_FACTOR: f64 = 0.5;

/// Drops every hit that overlaps a strictly heavier hit of another rule
/// of the same theme. Hits arrive sorted by start, so `j > i` overlaps
/// `i` exactly when `hits[j].start < hits[i].end`. Equal weights are
/// distinct evidence and both stay.
fn keep_heaviest_of_overlaps(rules: &CompiledRules, hits: &mut Vec<Marked>) {
    let weight = |m: Marked| rules.rules()[m.hit.rule].weight;
    let mut dominated = vec![false; hits.len()];
    for i in 0..hits.len() {
        for j in (i + 1..hits.len()).take_while(|&j| hits[j].hit.start < hits[i].hit.end) {
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

/// The span of text a theme's peak is measured over, about 400 words.
pub(crate) const WINDOW_BYTES: usize = 2400;

/// One hit as theme scoring sees it: where, which rule, and how much it
/// counts (1, or [`NEGATED_FACTOR`] when negated).
struct Counted {
    start: usize,
    rule: usize,
    amount: f64,
}

fn count_hits(hits: &[Marked]) -> Vec<Counted> {
    hits.iter()
        .map(|m| {
            let negated = if m.negated { NEGATED_FACTOR } else { 1.0 };
            let prescribed = if m.prescribed { PRESCRIBED_FACTOR } else { 1.0 };
            Counted {
                start: m.hit.start,
                rule: m.hit.rule,
                amount: negated * prescribed,
            }
        })
        .collect()
}

/// How much more a hit counts when its sentence proposes an obligation.
pub const PRESCRIBED_FACTOR: f64 = 1.5;

/// How much a theme hit with these report modifiers counts, as a factor
/// of its rule's weight (for the language server's hovers).
pub(crate) fn hit_factor(modifiers: &[String]) -> f64 {
    modifiers
        .iter()
        .map(|m| match m.as_str() {
            "negated" => NEGATED_FACTOR,
            "prescribed" => PRESCRIBED_FACTOR,
            _ => 1.0,
        })
        .product()
}

/// A sentence that proposes or demands something ("should", "must",
/// "require", "we urge"): a theme that is the object of a proposed
/// obligation is discussed in substance, even in one sentence. Statutory
/// "shall" is left out; statutes are normative throughout.
static PRESCRIPTIVE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"\b(?:should|must|ought to|needs? to|require[sd]?|requiring|urges?|urged|we ask|asks? (?:the|that|for)|calls? on|recommends?|recommended|proposes?)\b",
    )
    .unwrap()
});

/// A hit's folded sentence and folded match.
type ContentKey<'d> = (&'d str, &'d str);

/// What a hit says: its folded sentence and folded match, which do not
/// change when the passage moves.
fn content_key<'d>(doc: &'d Document, hit: &Hit) -> ContentKey<'d> {
    let folded = doc.folded().as_str();
    let sentence = doc
        .sentence_of(hit.folded_start)
        .map_or("", |s| &folded[doc.sentences()[s].clone()]);
    let matched = folded.get(hit.folded_start..hit.folded_end).unwrap_or("");
    (sentence, matched)
}

/// Orders content keys as tuples do, but the same sentence (all hits of
/// a sentence share one slice of the folded text) compares equal without
/// reading it: for a "sentence" of megabytes, text without full stops,
/// reading it at every comparison was most of the work.
fn cmp_content(a: ContentKey, b: ContentKey) -> std::cmp::Ordering {
    let sentence = if std::ptr::eq(a.0, b.0) {
        std::cmp::Ordering::Equal
    } else {
        a.0.cmp(b.0)
    };
    sentence.then_with(|| a.1.cmp(b.1))
}

/// True when the hit is negated within its clause.
fn is_negated(doc: &Document, hit: &Hit) -> bool {
    doc.sentence_of(hit.folded_start).is_some_and(|s| {
        context::is_negated_at(doc.folded().as_str(), doc.sentences(), s, hit.folded_start)
    })
}

/// The theme score and the distinct rules that hit (in ruleset order).
fn theme_score(rules: &CompiledRules, hits: &[Counted]) -> (f64, Vec<usize>) {
    let mut counts: std::collections::BTreeMap<usize, f64> = Default::default();
    for hit in hits {
        *counts.entry(hit.rule).or_default() += hit.amount;
    }
    let score = counts
        .iter()
        .map(|(&rule, &n)| rules.rules()[rule].weight * diminishing(n))
        .sum();
    (score, counts.into_keys().collect())
}

/// The highest score over the hits of any window of [`WINDOW_BYTES`]
/// that has at least `min_rules` distinct rules. Hits are sorted by
/// position; a two-pointer sweep keeps per-rule counts, so this is linear.
fn peak(rules: &CompiledRules, hits: &[Counted], min_rules: usize) -> f64 {
    // Rule indices as keys: a fast hash, not SipHash (this runs per hit).
    type Counts = std::collections::HashMap<usize, f64, foldhash::fast::FixedState>;
    let mut counts = Counts::default();
    let (mut score, mut best, mut left) = (0.0_f64, 0.0_f64, 0);
    let update = |counts: &mut Counts, hit: &Counted, sign: f64| {
        let weight = rules.rules()[hit.rule].weight;
        let before = counts.get(&hit.rule).copied().unwrap_or(0.0);
        let after = (before + sign * hit.amount).max(0.0);
        if after <= f64::EPSILON {
            counts.remove(&hit.rule);
        } else {
            counts.insert(hit.rule, after);
        }
        weight * (diminishing(after) - diminishing(before))
    };
    for right in 0..hits.len() {
        score += update(&mut counts, &hits[right], 1.0);
        while hits[right].start - hits[left].start > WINDOW_BYTES {
            score += update(&mut counts, &hits[left], -1.0);
            left += 1;
        }
        if counts.len() >= min_rules {
            best = best.max(score);
        }
    }
    best
}

/// `1 + ln n` for a count of at least one; proportional below one (a
/// single negated mention).
pub fn diminishing(n: f64) -> f64 {
    if n >= 1.0 { 1.0 + n.ln() } else { n.max(0.0) }
}

/// Picks representative hits: one hit of each rule (heaviest rules
/// first), then further hits, chosen by content and shown in document
/// order.
fn pick_evidence(
    rules: &CompiledRules,
    doc: &Document,
    hits: &[Marked],
    max: usize,
    pool: Option<usize>,
) -> (Vec<Evidence>, Option<Vec<Evidence>>) {
    // Rank by content, not position: which hits survive the cap (and so
    // the fingerprints of check findings built from them) must not change
    // when a passage moves. One hit per rule first, heaviest rules first.
    // The ranking is a total order, so a smaller cap keeps a prefix of it:
    // rank once for the larger of `max` and `pool`, then cut.
    let k = pool.map_or(max, |pool| pool.max(max));
    let mut by_rule: std::collections::BTreeMap<usize, Vec<(ContentKey, Marked)>> =
        Default::default();
    for m in hits {
        by_rule
            .entry(m.hit.rule)
            .or_default()
            .push((content_key(doc, m.hit), *m));
    }
    let mut ranked = Vec::with_capacity(hits.len());
    for (rule, group) in by_rule {
        // Only a rule's first `k` can be chosen: every rule's first
        // `k` rank before any rule's next.
        let group = evidence::first_sorted(group, k, |a, b| {
            cmp_content(a.0, b.0).then(a.1.hit.start.cmp(&b.1.hit.start))
        });
        let weight = (rules.rules()[rule].weight * 1000.0) as u64;
        for (nth, (key, m)) in group.into_iter().enumerate() {
            ranked.push((nth, std::cmp::Reverse(weight), key, m.hit.start, m));
        }
    }
    let ranked = evidence::first_sorted(ranked, k, |a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| cmp_content(a.2, b.2))
            .then(a.3.cmp(&b.3))
    });
    // In rank order; each cut is shown in document order.
    let chosen: Vec<Marked> = ranked.into_iter().map(|(.., m)| m).collect();
    let in_order = |cap: usize| {
        let mut cut: Vec<Marked> = chosen.iter().take(cap).copied().collect();
        cut.sort_by_key(|m| m.hit.start);
        cut.into_iter()
            .map(|m| theme_evidence(rules, doc, m))
            .collect()
    };
    (in_order(max), pool.map(in_order))
}

fn theme_evidence(rules: &CompiledRules, doc: &Document, marked: Marked) -> Evidence {
    let Marked {
        hit,
        negated,
        prescribed,
    } = marked;
    let at = evidence::locate(doc, hit);
    Evidence {
        rule: rules.rules()[hit.rule].id.clone(),
        text: at.text,
        line: at.line,
        column: at.column,
        snippet: at.snippet,
        section: at.section,
        page: at.page,
        modifiers: [(negated, "negated"), (prescribed, "prescribed")]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, m)| m.to_string())
            .collect(),
    }
}
