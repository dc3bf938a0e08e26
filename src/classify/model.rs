//! A small learned stance model, the fallback for documents the rules
//! leave undecided.
//!
//! The rules call a stance only on explicit, unopposed cues; on fresh text
//! they often find too little (`weak-signal`) or a tie (`no-clear-lead`)
//! where a reader sees a clear position. For those documents, and only
//! those, a multinomial logistic regression over TF-IDF unigrams and
//! bigrams of the whole text proposes a stance; when it proposes one other
//! than `neutral`, the call is the model's (reason `model`). Statute-like
//! text and documents the rules decided are never touched.
//!
//! The model is trained on the team's labelled documents by
//! `cargo run --release --example train-stance` (which also reports its
//! leave-one-set-out accuracy, see docs/quality.md) and embedded from
//! `rules/stance-model.tsv`:
//!
//! ```text
//! #policyscan-stance-model 1
//! #classes  pro-open  security-first  hybrid  neutral
//! #intercept  b0  b1  b2  b3
//! term  idf  w0  w1  w2  w3        (one line per vocabulary term)
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

use crate::Stance;

/// The embedded default model.
static DEFAULT: LazyLock<Arc<StanceModel>> = LazyLock::new(|| {
    Arc::new(
        StanceModel::parse(include_str!("../../rules/stance-model.tsv"))
            .expect("rules/stance-model.tsv is valid (tested)"),
    )
});

/// The model embedded in the binary.
pub fn default_model() -> Arc<StanceModel> {
    Arc::clone(&DEFAULT)
}

/// Documents shorter than this are left to the rules: a bag of words over
/// a sentence or two cannot see who is speaking or what is negated.
pub const MIN_WORDS: usize = 100;

/// Classes in [`Stance::ALL`] order.
const CLASSES: usize = 4;

/// TF-IDF features and a linear softmax layer over them.
#[derive(Debug, Clone, PartialEq)]
pub struct StanceModel {
    vocab: Vocab,
    terms: Vec<String>,
    idf: Vec<f64>,
    weights: Vec<[f64; CLASSES]>,
    intercept: [f64; CLASSES],
}

/// What the model made of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Probability of each stance, in [`Stance::ALL`] order.
    pub probabilities: [f64; CLASSES],
    /// The terms that pushed hardest towards the top stance, with their
    /// contribution to its score (strongest first, at most ten).
    pub terms: Vec<(String, f64)>,
}

impl Prediction {
    /// The most probable stance and its probability.
    pub fn top(&self) -> (Stance, f64) {
        top_of(&self.probabilities)
    }
}

/// The most probable stance (the first on ties) and its probability.
fn top_of(probabilities: &[f64; CLASSES]) -> (Stance, f64) {
    let mut best = 0;
    for i in 1..CLASSES {
        if probabilities[i] > probabilities[best] {
            best = i;
        }
    }
    (Stance::ALL[best], probabilities[best])
}

/// The model reads at most this many words of a document: the labelled
/// documents it learned from are all shorter (the longest has 19,112), and
/// a bag of words over the first 50,000 says what more would, at a bounded
/// cost (tokenising a whole 1 GB file took 20 s).
pub const MAX_WORDS: usize = 50_000;

/// The words of `text` that count: runs of two or more letters or digits,
/// the first [`MAX_WORDS`] of them.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(1).is_some())
        .take(MAX_WORDS)
}

/// Lowercases `word` into `buf`.
fn lower_into(buf: &mut String, word: &str) {
    buf.clear();
    if word.is_ascii() {
        buf.push_str(word);
        buf.make_ascii_lowercase();
    } else {
        buf.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// The lowercase word tokens of `text` (runs of two or more letters or
/// digits), then each adjacent pair joined by a space.
pub fn tokens(text: &str) -> Vec<String> {
    let words: Vec<String> = words(text)
        .map(|w| {
            let mut buf = String::new();
            lower_into(&mut buf, w);
            buf
        })
        .collect();
    let pairs = words.windows(2).map(|p| format!("{} {}", p[0], p[1]));
    let mut all: Vec<String> = pairs.collect();
    all.extend(words);
    all
}

/// Term counts of one document's tokens.
fn counts(text: &str) -> HashMap<String, u32> {
    let mut counts = HashMap::new();
    for t in tokens(text) {
        *counts.entry(t).or_insert(0) += 1;
    }
    counts
}

type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// Term → index. Looked up for every word at scan time, so a fast hash
/// rather than SipHash (the keys are the model's own terms, not
/// attacker-chosen); a bigram is looked up by the indices of its two
/// words, without building its text.
#[derive(Debug, Clone, Default, PartialEq)]
struct Vocab {
    terms: FastMap<String, usize>,
    /// Bigrams whose two words are terms, by [`pair_key`] of their indices.
    pairs: FastMap<u64, usize>,
    /// Whether some bigram has a word that is not a term (never so for a
    /// trained model, whose bigrams' words occur in at least as many
    /// documents): then bigrams are looked up by their text.
    orphan_pairs: bool,
}

fn pair_key(first: usize, second: usize) -> u64 {
    ((first as u64) << 32) | second as u64
}

impl FromIterator<(String, usize)> for Vocab {
    fn from_iter<I: IntoIterator<Item = (String, usize)>>(iter: I) -> Vocab {
        let mut vocab = Vocab {
            terms: iter.into_iter().collect(),
            ..Vocab::default()
        };
        vocab.index_pairs();
        vocab
    }
}

impl Vocab {
    fn get(&self, term: &str) -> Option<&usize> {
        self.terms.get(term)
    }

    fn insert(&mut self, term: String, index: usize) {
        self.terms.insert(term, index);
    }

    /// Fills [`Vocab::pairs`] from the terms; call after the last insert.
    fn index_pairs(&mut self) {
        self.pairs.clear();
        self.orphan_pairs = false;
        for (term, &i) in &self.terms {
            // Words have no spaces: a term with two never occurs.
            let Some((a, b)) = term.split_once(' ').filter(|(_, b)| !b.contains(' ')) else {
                continue;
            };
            match (self.terms.get(a), self.terms.get(b)) {
                (Some(&a), Some(&b)) => {
                    self.pairs.insert(pair_key(a, b), i);
                }
                _ => self.orphan_pairs = true,
            }
        }
    }
}

/// Counts of the vocabulary terms in `text`, by term index in increasing
/// order, without allocating a string per token (the scan-time path; the
/// same tokens as [`tokens`]).
fn known_counts(text: &str, vocab: &Vocab) -> Vec<(usize, u32)> {
    if !vocab.orphan_pairs
        && let Some(counts) = known_counts_ascii(text, vocab)
    {
        return counts;
    }
    let mut seen = Vec::new();
    let (mut prev, mut word, mut pair) = (String::new(), String::new(), String::new());
    let mut prev_index: Option<Option<usize>> = None;
    for w in words(text) {
        lower_into(&mut word, w);
        let index = vocab.get(word.as_str()).copied();
        if let Some(i) = index {
            seen.push(i);
        }
        if vocab.orphan_pairs {
            if prev_index.is_some() {
                pair.clear();
                pair.push_str(&prev);
                pair.push(' ');
                pair.push_str(&word);
                if let Some(&i) = vocab.get(pair.as_str()) {
                    seen.push(i);
                }
            }
            std::mem::swap(&mut prev, &mut word);
        } else if let (Some(Some(a)), Some(b)) = (prev_index, index)
            && let Some(&i) = vocab.pairs.get(&pair_key(a, b))
        {
            seen.push(i);
        }
        prev_index = Some(index);
    }
    tally(seen)
}

/// [`known_counts`] of text whose first [`MAX_WORDS`] words are ASCII:
/// words found byte by byte and lowercased one at a time, bigrams by word
/// indices. Only what is read is looked at (a 1 GB file is not lowercased
/// or checked whole for one bag of its first words); `None` at the first
/// non-ASCII byte on the way, for the general path to read the text.
fn known_counts_ascii(text: &str, vocab: &Vocab) -> Option<Vec<(usize, u32)>> {
    let bytes = text.as_bytes();
    let mut seen = Vec::new();
    let mut word = String::new();
    let mut prev_index: Option<Option<usize>> = None;
    let (mut i, mut words) = (0, 0);
    while i < bytes.len() && words < MAX_WORDS {
        while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
            if !bytes[i].is_ascii() {
                return None;
            }
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        // A letter such as "é" may continue the word.
        if bytes.get(i).is_some_and(|b| !b.is_ascii()) {
            return None;
        }
        if i - start < 2 {
            continue;
        }
        words += 1;
        word.clear();
        word.push_str(&text[start..i]);
        word.make_ascii_lowercase();
        let index = vocab.get(&word).copied();
        if let Some(w) = index {
            seen.push(w);
        }
        if let (Some(Some(a)), Some(b)) = (prev_index, index)
            && let Some(&w) = vocab.pairs.get(&pair_key(a, b))
        {
            seen.push(w);
        }
        prev_index = Some(index);
    }
    Some(tally(seen))
}

/// `(term index, count)` of a list of term indices, by index.
fn tally(mut seen: Vec<usize>) -> Vec<(usize, u32)> {
    seen.sort_unstable();
    seen.chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len() as u32))
        .collect()
}

/// Sublinear TF-IDF of term counts, L2-normalised: `(term index, value)`.
fn vectorise(counts: impl Iterator<Item = (usize, u32)>, idf: &[f64]) -> Vec<(usize, f64)> {
    let mut x: Vec<(usize, f64)> = counts
        .map(|(i, n)| (i, (1.0 + f64::from(n).ln()) * idf[i]))
        .collect();
    x.sort_by_key(|&(i, _)| i);
    let norm = x.iter().map(|(_, v)| v * v).sum::<f64>().sqrt();
    if norm > 0.0 {
        for (_, v) in &mut x {
            *v /= norm;
        }
    }
    x
}

fn softmax(mut z: [f64; CLASSES]) -> [f64; CLASSES] {
    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for v in &mut z {
        *v = (*v - max).exp();
        sum += *v;
    }
    z.map(|v| v / sum)
}

impl StanceModel {
    /// The most probable stance for `text` and its probability: the
    /// scan-time call, which needs no explanation.
    pub fn top(&self, text: &str) -> (Stance, f64) {
        let x = vectorise(known_counts(text, &self.vocab).into_iter(), &self.idf);
        top_of(&softmax(self.scores(&x)))
    }

    /// Probabilities of each stance for `text`, and the terms behind the
    /// top one (for `explain`).
    pub fn predict(&self, text: &str) -> Prediction {
        let x = vectorise(known_counts(text, &self.vocab).into_iter(), &self.idf);
        let probabilities = softmax(self.scores(&x));
        let top = top_of(&probabilities).0.index();
        let mut terms: Vec<(String, f64)> = x
            .iter()
            .map(|&(i, v)| (self.terms[i].clone(), v * self.weights[i][top]))
            .filter(|(_, c)| *c > 0.0)
            .collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        terms.truncate(10);
        Prediction {
            probabilities,
            terms,
        }
    }

    fn scores(&self, x: &[(usize, f64)]) -> [f64; CLASSES] {
        let mut z = self.intercept;
        for &(i, v) in x {
            for (zk, wk) in z.iter_mut().zip(self.weights[i]) {
                *zk += v * wk;
            }
        }
        z
    }

    /// Number of vocabulary terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether the vocabulary is empty.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Trains on `(text, stance)` pairs: terms found in at least
    /// `min_df` documents, smoothed IDF, and an L2-regularised softmax
    /// regression (`c` weighs the data against the penalty, as scikit-learn's
    /// `C`) fitted by accelerated gradient descent. Deterministic.
    pub fn train(docs: &[(&str, Stance)], min_df: u32, c: f64) -> StanceModel {
        let doc_counts: Vec<HashMap<String, u32>> = docs.iter().map(|(t, _)| counts(t)).collect();
        let mut df: HashMap<&str, u32> = HashMap::new();
        for counts in &doc_counts {
            for term in counts.keys() {
                *df.entry(term.as_str()).or_insert(0) += 1;
            }
        }
        let mut terms: Vec<String> = df
            .iter()
            .filter(|&(_, &n)| n >= min_df)
            .map(|(t, _)| (*t).to_string())
            .collect();
        terms.sort();
        let vocab: Vocab = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i))
            .collect();
        let n = docs.len() as f64;
        let idf: Vec<f64> = terms
            .iter()
            .map(|t| ((1.0 + n) / (1.0 + f64::from(df[t.as_str()]))).ln() + 1.0)
            .collect();
        let xs: Vec<Vec<(usize, f64)>> = doc_counts
            .iter()
            .map(|c| {
                vectorise(
                    c.iter().filter_map(|(t, &n)| Some((*vocab.get(t)?, n))),
                    &idf,
                )
            })
            .collect();
        let ys: Vec<usize> = docs.iter().map(|(_, s)| s.index()).collect();
        let (weights, intercept) = fit(&xs, &ys, terms.len(), c);
        StanceModel {
            vocab,
            terms,
            idf,
            weights,
            intercept,
        }
    }

    /// The model as the text of `rules/stance-model.tsv`.
    pub fn to_tsv(&self) -> String {
        let mut out = String::from("#policyscan-stance-model 1\n#classes");
        for s in Stance::ALL {
            out.push('\t');
            out.push_str(s.as_str());
        }
        out.push_str("\n#intercept");
        for b in self.intercept {
            let _ = write!(out, "\t{b:.5}");
        }
        out.push('\n');
        for (i, term) in self.terms.iter().enumerate() {
            let _ = write!(out, "{term}\t{:.5}", self.idf[i]);
            for w in self.weights[i] {
                let _ = write!(out, "\t{w:.5}");
            }
            out.push('\n');
        }
        out
    }

    /// Reads a model written by [`StanceModel::to_tsv`].
    pub fn parse(text: &str) -> Result<StanceModel, String> {
        let mut lines = text.lines().enumerate();
        let mut next = |what: &str| {
            lines
                .next()
                .ok_or_else(|| format!("missing the {what} line"))
        };
        let (_, magic) = next("header")?;
        if magic != "#policyscan-stance-model 1" {
            return Err(format!("line 1: not a stance model: {magic:?}"));
        }
        let (_, classes) = next("#classes")?;
        let expected: Vec<&str> = Stance::ALL.iter().map(|s| s.as_str()).collect();
        if classes.split('\t').skip(1).collect::<Vec<_>>() != expected {
            return Err(format!("line 2: classes must be {}", expected.join(", ")));
        }
        let (_, intercept) = next("#intercept")?;
        let intercept = numbers(intercept.strip_prefix("#intercept\t").unwrap_or(""))
            .ok_or("line 3: four intercepts expected")?;
        let mut model = StanceModel {
            vocab: Vocab::default(),
            terms: Vec::new(),
            idf: Vec::new(),
            weights: Vec::new(),
            intercept,
        };
        for (n, line) in lines {
            let (term, rest) = line
                .split_once('\t')
                .ok_or_else(|| format!("line {}: no tab", n + 1))?;
            let (idf, weights) = rest
                .split_once('\t')
                .ok_or_else(|| format!("line {}: no weights", n + 1))?;
            let idf: f64 = idf
                .parse()
                .map_err(|_| format!("line {}: bad idf {idf:?}", n + 1))?;
            let weights =
                numbers(weights).ok_or_else(|| format!("line {}: four weights expected", n + 1))?;
            model.vocab.insert(term.to_string(), model.terms.len());
            model.terms.push(term.to_string());
            model.idf.push(idf);
            model.weights.push(weights);
        }
        model.vocab.index_pairs();
        Ok(model)
    }
}

fn numbers(fields: &str) -> Option<[f64; CLASSES]> {
    let v: Vec<f64> = fields
        .split('\t')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    v.try_into().ok()
}

/// Minimises `c × Σ cross-entropy + ½‖W‖²` (intercepts unpenalised) with
/// Nesterov-accelerated gradient descent. Features are L2-normalised, so
/// the gradient's Lipschitz constant is at most `c × n + 1`, which sets the
/// step.
fn fit(
    xs: &[Vec<(usize, f64)>],
    ys: &[usize],
    features: usize,
    c: f64,
) -> (Vec<[f64; CLASSES]>, [f64; CLASSES]) {
    const ITERATIONS: usize = 4000;
    let step = 1.0 / (c * xs.len() as f64 + 1.0);
    let mut w = vec![[0.0; CLASSES]; features];
    let mut b = [0.0; CLASSES];
    let (mut w_prev, mut b_prev) = (w.clone(), b);
    for t in 1..=ITERATIONS {
        let momentum = (t as f64 - 1.0) / (t as f64 + 2.0);
        let look_w: Vec<[f64; CLASSES]> = w
            .iter()
            .zip(&w_prev)
            .map(|(a, p)| std::array::from_fn(|k| a[k] + momentum * (a[k] - p[k])))
            .collect();
        let look_b: [f64; CLASSES] = std::array::from_fn(|k| b[k] + momentum * (b[k] - b_prev[k]));
        // Gradient at the look-ahead point.
        let mut grad_w = look_w.clone(); // the penalty's gradient
        let mut grad_b = [0.0; CLASSES];
        for (x, &y) in xs.iter().zip(ys) {
            let mut z = look_b;
            for &(i, v) in x {
                for k in 0..CLASSES {
                    z[k] += v * look_w[i][k];
                }
            }
            let p = softmax(z);
            for k in 0..CLASSES {
                let g = c * (p[k] - f64::from(u8::from(k == y)));
                grad_b[k] += g;
                for &(i, v) in x {
                    grad_w[i][k] += g * v;
                }
            }
        }
        w_prev = std::mem::replace(
            &mut w,
            look_w
                .iter()
                .zip(&grad_w)
                .map(|(a, g)| std::array::from_fn(|k| a[k] - step * g[k]))
                .collect(),
        );
        b_prev = std::mem::replace(
            &mut b,
            std::array::from_fn(|k| look_b[k] - step * grad_b[k]),
        );
    }
    (w, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_lowercase_words_of_two_or_more_characters_and_their_pairs() {
        assert_eq!(
            tokens("Open-weight AI, a LICENSE."),
            [
                "open weight",
                "weight ai",
                "ai license",
                "open",
                "weight",
                "ai",
                "license"
            ]
        );
        assert!(tokens("a b c").is_empty());
    }

    fn toy() -> Vec<(&'static str, Stance)> {
        vec![
            (
                "publish the weights openly, open science wins",
                Stance::ProOpen,
            ),
            (
                "open weights let researchers audit models openly",
                Stance::ProOpen,
            ),
            (
                "restrict release, licensing protects national security",
                Stance::SecurityFirst,
            ),
            (
                "frontier models need licensing and security controls",
                Stance::SecurityFirst,
            ),
            (
                "the committee meets on tuesday to review the schedule",
                Stance::Neutral,
            ),
            (
                "the schedule for tuesday lists the committee members",
                Stance::Neutral,
            ),
        ]
    }

    #[test]
    fn a_trained_model_separates_its_classes_and_round_trips_through_tsv() {
        let model = StanceModel::train(&toy(), 1, 10.0);
        let p = model.predict("researchers want open weights and open science");
        assert_eq!(p.top().0, Stance::ProOpen, "{p:?}");
        assert!(p.terms.iter().any(|(t, _)| t == "open"), "{p:?}");
        let q = model.predict("licensing for national security");
        assert_eq!(q.top().0, Stance::SecurityFirst, "{q:?}");
        let back = StanceModel::parse(&model.to_tsv()).unwrap();
        assert_eq!(back.len(), model.len());
        let r = back.predict("licensing for national security");
        assert_eq!(r.top().0, Stance::SecurityFirst);
        assert!((r.probabilities[1] - q.probabilities[1]).abs() < 1e-3);
    }

    #[test]
    fn min_df_drops_rare_terms_and_text_without_known_terms_gets_the_priors() {
        let model = StanceModel::train(&toy(), 2, 10.0);
        assert!(model.vocab.terms.contains_key("open"));
        assert!(!model.vocab.terms.contains_key("audit"));
        let p = model.predict("zzz qqq");
        assert!(p.terms.is_empty());
        let sum: f64 = p.probabilities.iter().sum();
        assert!((sum - 1.0).abs() < 1e-9);
    }

    #[test]
    fn scan_time_counts_match_the_training_tokens() {
        for text in [
            "Open-weight AI, open weight AI; ΣΟΦΟΣ sofos. Open weight!",
            "Open-weight AI, open weight AI; a I x2 X2 sofos. Open weight! 42",
        ] {
            counts_match(text);
        }
    }

    fn counts_match(text: &str) {
        let all = counts(text);
        let vocab: Vocab = all
            .keys()
            .enumerate()
            .map(|(i, t)| (t.clone(), i))
            .collect();
        assert!(!vocab.orphan_pairs);
        let known: HashMap<usize, u32> = known_counts(text, &vocab).into_iter().collect();
        assert_eq!(known.len(), all.len());
        for (t, n) in &all {
            assert_eq!(known[&vocab.terms[t]], *n, "{t}");
        }
        // A vocabulary of bigrams alone (a hand-made model) is looked up
        // by text, with the same counts.
        let bigrams: Vocab = all
            .keys()
            .filter(|t| t.contains(' '))
            .enumerate()
            .map(|(i, t)| (t.clone(), i))
            .collect();
        assert_eq!(bigrams.orphan_pairs, !bigrams.terms.is_empty());
        let known: HashMap<usize, u32> = known_counts(text, &bigrams).into_iter().collect();
        assert_eq!(known.len(), bigrams.terms.len());
        for (t, &i) in &bigrams.terms {
            assert_eq!(known[&i], all[t], "{t}");
        }
    }

    #[test]
    fn only_the_first_max_words_words_are_read() {
        let text = format!("{} licensing", "word ".repeat(MAX_WORDS));
        assert!(!tokens(&text).contains(&"licensing".to_string()));
        assert!(tokens("word licensing").contains(&"licensing".to_string()));
        // At scan time too, whether the rest is ASCII or not.
        for rest in ["licensing", "licensing Σοφός", "Σοφός licensing"] {
            let text = format!("{}{rest}", "Word ".repeat(MAX_WORDS));
            let vocab: Vocab = [("word", 0), ("licensing", 1), ("σοφός", 2)]
                .map(|(t, i)| (t.to_string(), i))
                .into_iter()
                .collect();
            assert_eq!(
                known_counts(&text, &vocab),
                [(0, MAX_WORDS as u32)],
                "{rest}"
            );
        }
    }

    #[test]
    fn words_that_go_on_past_ascii_are_read_whole() {
        // "caf" of "café", "na" of "naïve" and "x2" of "x2½" are not words,
        // not even as the last word read.
        for text in [
            "café au lait",
            "a naïve view",
            "x2½ more",
            "Open ΣΟΦΟΣ",
            "Open\u{a0}weights",
        ] {
            counts_match(text);
            counts_match(&format!("{}{text}", "word ".repeat(MAX_WORDS - 1)));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Scan-time counts are the training tokens' counts, whatever mix
        /// of ASCII and other letters, digits and separators the text has.
        #[test]
        fn scan_time_counts_match_the_training_tokens_of_any_text(
            parts in proptest::collection::vec(0usize..PIECES.len(), 0..40),
        ) {
            let text: String = parts.iter().map(|&p| PIECES[p]).collect();
            counts_match(&text);
        }
    }

    const PIECES: [&str; 16] = [
        "open",
        "Weights",
        "AI",
        "a",
        "42",
        "é",
        "É",
        "Σοφός",
        "ß",
        "½",
        " ",
        ", ",
        "-",
        "\u{a0}",
        "\u{301}",
        "\n\n",
    ];

    #[test]
    fn malformed_models_are_rejected_with_the_line() {
        assert!(StanceModel::parse("nope").unwrap_err().contains("line 1"));
        let bad = "#policyscan-stance-model 1\n#classes\tpro-open\tsecurity-first\thybrid\tneutral\n#intercept\t0\t0\t0\t0\nterm\t1.0\t0\t0\n";
        assert!(StanceModel::parse(bad).unwrap_err().contains("line 4"));
    }

    #[test]
    fn the_embedded_model_loads() {
        let model = default_model();
        assert!(model.len() > 1000, "{}", model.len());
    }
}
