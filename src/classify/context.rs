//! Sentence context of a stance cue: is it negated, conceded, the author's
//! main point after a contrast, someone else's view, or hedged?
//!
//! Works on folded text (lowercase, single spaces) one sentence at a time.
//! The rules are simple, explicit and tested sentence by sentence:
//!
//! - **negation**: a negator ("not", "no", "never", "n't", "cannot",
//!   "without", ...) within the four words before the cue, in the same
//!   clause, cancels it ("this is *not* a ban on open source");
//! - **contrast**: in "X, but Y" / "X; however, Y" / "Although X, Y" the
//!   conceded part X weighs half and the author's point Y one and a half;
//!   a sentence that opens with "However"/"But"/"Yet" does the same to the
//!   sentence before it; "Yes, ..." / "Granted, ..." concede a sentence;
//! - **attribution**: reported speech ("critics argue that", "security
//!   experts warn", "the senator said", "Natarajan argued", "according
//!   to", a quotation, a block quotation the format marks, a trailing
//!   "..., she said") is someone else's view and weighs a quarter;
//! - **hedges**: "may", "might", "could", "perhaps" just before the cue
//!   weigh three quarters.

use std::ops::Range;
use std::sync::LazyLock;
use std::sync::atomic::Ordering::Relaxed;

use regex::Regex;

use crate::text::{Document, ceil_boundary, floor_boundary};

/// A context effect on a cue's weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    /// Negated: the cue does not count.
    Negated,
    /// In a conceded clause or sentence.
    Conceded,
    /// The author's point after a contrast.
    Contrasted,
    /// Someone else's view.
    Attributed,
    /// Hedged.
    Hedged,
    /// In a question: asked, not asserted ("Should we ban open models?
    /// No."). Only the three advocacy stances' cues: an explainer's
    /// headline asks its question neutrally.
    Questioned,
}

impl Modifier {
    /// The factor applied to the weight.
    pub fn factor(self) -> f64 {
        match self {
            Modifier::Negated => 0.0,
            Modifier::Conceded => 0.5,
            Modifier::Contrasted => 1.5,
            Modifier::Attributed => 0.25,
            Modifier::Hedged => 0.75,
            Modifier::Questioned => 0.25,
        }
    }

    /// Every modifier, in the order reports list them.
    pub const ALL: [Modifier; 6] = [
        Modifier::Negated,
        Modifier::Conceded,
        Modifier::Contrasted,
        Modifier::Attributed,
        Modifier::Hedged,
        Modifier::Questioned,
    ];

    /// The modifier a report names `name`.
    pub fn from_name(name: &str) -> Option<Modifier> {
        Modifier::ALL.into_iter().find(|m| m.as_str() == name)
    }

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Modifier::Negated => "negated",
            Modifier::Conceded => "conceded",
            Modifier::Contrasted => "contrasted",
            Modifier::Attributed => "attributed",
            Modifier::Hedged => "hedged",
            Modifier::Questioned => "questioned",
        }
    }
}

/// Words that negate what follows them.
const NEGATORS: &[&str] = &[
    "not",
    "no",
    "never",
    "cannot",
    "neither",
    "nor",
    "without",
    "hardly",
    "nothing",
    "none",
    "nobody",
    "rather than",
    "instead of",
    "far from",
    "against",
];
/// Negator phrases that do not negate ("not only X but also Y").
const NOT_NEGATIONS: &[&str] = &[
    "not only",
    "not just",
    "no doubt",
    "not least",
    "not merely",
    "no matter",
    "not worth",
    "no less",
    "not to mention",
    // "No way to take it back" says it cannot be undone: the claim, not
    // its denial ("in no way restricts" still negates).
    "no way to",
    "no way of",
    "no way for",
    "no means to",
    "no means of",
];
/// Hedging words.
const HEDGES: &[&str] = &[
    "may",
    "might",
    "could",
    "perhaps",
    "possibly",
    "arguably",
    "potentially",
    "conceivably",
];
/// Sentence openers that make the previous sentence a concession.
const CONTRAST_OPENERS: &[&str] = &[
    "however",
    "but",
    "yet",
    "still",
    "nevertheless",
    "nonetheless",
    "even so",
    "that said",
    "having said that",
    "on the contrary",
    "instead",
    "in reality",
    "in fact",
    "the truth is",
];
/// Sentence openers that concede the whole sentence.
const CONCESSION_OPENERS: &[&str] = &[
    "yes",
    "granted",
    "admittedly",
    "of course",
    "to be sure",
    "true",
    "sure",
    "it is true that",
    "no doubt",
    "certainly",
    "undeniably",
];
/// Openers of a conceded subordinate clause ("Although X, Y").
const SUBORDINATORS: &[&str] = &[
    "although",
    "though",
    "even though",
    "while",
    "whereas",
    "despite",
    "even if",
];

static MID_CONTRAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[,;:] ?| )(?:but|however|yet|nevertheless|nonetheless|even so|that said)\b(?: also\b)?").unwrap()
});

static LEADING_ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    // Named camps, pronouns, and any plural agent noun ("investors",
    // "commentators", "economists", "opponents") as the subject of a
    // speech verb.
    let subjects = r"critics|skeptics|sceptics|some|many|others|industry|groups|companies|firms|witnesses|people|parties|agencies|authorities|universities|institutions|organi[sz]ations|associations|coalitions|unions|nonprofits|members|staff|they|he|she|the (?:bill's |law's )?(?:sponsors?|authors?)|[a-z]+(?:ers|ists|ants|ents|ors|ics|ians|als)|[a-z]+ (?:experts|advocates|groups|companies|leaders|hawks|industry)";
    let verbs = r"argue[sd]?|say|says|said|claim(?:s|ed)?|warn(?:s|ed)?|contend(?:s|ed)?|fear(?:s|ed)?|insist(?:s|ed)?|believe[sd]?|worr(?:y|ies|ied)|maintain(?:s|ed)?|assert(?:s|ed)?|suggest(?:s|ed)?|predict(?:s|ed)?|counter(?:s|ed)?|point(?:s|ed)? out|describe[sd]?|told|wrote|write|writes|call(?:s|ed)? for|urge[sd]?|want(?:s|ed)?|propose[sd]?|plan(?:s|ned)?|hope[sd]?";
    // The subject may carry a short prepositional phrase: "critics of
    // open release argue", "researchers at two universities warn".
    let phrase =
        r"(?: (?:of|from|at|in|on|for|across|within|inside|outside) [a-z'-]+(?: [a-z'-]+){0,2}?)?";
    // "Those who argue that …" frames a camp; "those who want to
    // release" does not, so a relative "who" takes only verbs of saying
    // and believing.
    let who_verbs = r"argue[sd]?|say|said|claim(?:s|ed)?|warn(?:s|ed)?|contend(?:s|ed)?|fear(?:s|ed)?|insist(?:s|ed)?|believe[sd]?|worr(?:y|ies|ied)|maintain(?:s|ed)?|assert(?:s|ed)?|predict(?:s|ed)?";
    // A parenthesis may follow the subject: "the form letters (about
    // 640 comments) urged".
    let aside = r"(?: \([^()]{1,60}\))?";
    // A report, study or order someone else wrote, in the past tense:
    // "the July 2024 report recommended …" (the author's own is "this
    // report recommends").
    let source = r"\bthe (?:[a-z0-9-]+ ){0,3}?(?:report|study|review|paper|order|guidance|memo|letter|analysis)s? (?:recommended|found|concluded|argued|proposed|suggested|warned|urged|called for)\b";
    Regex::new(&format!(r"\b(?:{subjects}){phrase}{aside}(?: [a-z']+){{0,2}}? (?:{verbs})\b|\bwho (?:{who_verbs})\b|{source}|\baccording to\b|\bin the (?:words|view) of\b|\bas [a-z]+ (?:put|puts) it\b")).unwrap()
});

/// What a single speaker does in a news report ("…, she said" aside):
/// the verbs of saying, without the verbs of thinking and wanting that
/// [`LEADING_ATTRIBUTION`] also takes from a plural camp ("evidence
/// suggests" is the author's reasoning; "Reyes suggested" is not worth the
/// risk).
const SPEECH_VERBS: &str = r"said|says|argued|argues|described|describes|told|tells|warned|warns|wrote|writes|contended|contends|insisted|insists|claimed|claims|testified|testifies|maintained|maintains|asserted|asserts|added|adds|noted|notes|urged|urges|cautioned|cautions|predicted|predicts|complained|complains|called for|calls for";

/// The verbs of saying after a bare name: past tense, and "says".
/// Organisations write comments and letters about themselves in the
/// present ("Acme Labs urges the agency to exempt…", "The Coalition
/// notes that…"), which is their own voice; news reports a speaker in
/// the past ("Natarajan urged…") or with "says".
const NAMED_SPEECH_VERBS: &str = r"said|says|argued|described|told|warned|wrote|contended|insisted|claimed|testified|maintained|asserted|added|noted|urged|cautioned|predicted|complained|called for";

/// A party and state, or an affiliation, in parentheses after a
/// speaker's name: "Sen. Jane Roe (D-Calif.) said".
const AFFILIATION: &str = r"(?: \([^()]{1,40}\))?";

/// One titled or described speaker as the subject of a verb of saying:
/// "Senator Maria Ostrowski said", "the founder of a small lab argued",
/// "a senator I still admire, argued". Roles of people only: "the
/// company said" in a press release is the issuer, and "the executive
/// order says" is a text (a chief executive is reached through "chief").
static TITLED_SPEAKER: LazyLock<Regex> = LazyLock::new(|| {
    let roles = r"senator|sen|representative|rep|congressman|congresswoman|lawmaker|legislator|assemblymember|assemblyman|assemblywoman|councillor|councilor|councilmember|governor|mayor|minister|secretary|commissioner|chair|chairman|chairwoman|chairperson|president|director|official|spokesperson|spokesman|spokeswoman|founder|co-founder|cofounder|ceo|chief|officer|head|member|researcher|professor|scientist|economist|analyst|expert|advocate|activist|lobbyist|attorney|lawyer|counsel|adviser|advisor|aide|staffer|regulator|critic|skeptic|sceptic|proponent|supporter|opponent|witness|engineer|investor|ethicist";
    let phrase = r"(?: (?:of|from|at|in|on|for|with) [a-z'-]+(?: [a-z'-]+){0,3}?)?";
    Regex::new(&format!(
        r"\b(?:{roles}){phrase}(?: [a-z.'-]+){{0,4}}?{AFFILIATION},? (?:{SPEECH_VERBS})\b"
    ))
    .unwrap()
});

/// A verb of saying.
static SPEECH_VERB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\b(?:{SPEECH_VERBS})\b")).unwrap());

/// A comma and a verb of saying: the end of an apposition
/// ([`is_apposed_speaker`]).
static COMMA_SPEECH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r", (?:{NAMED_SPEECH_VERBS})\b")).unwrap());

/// Whether `before` (a clause up to a cue) opens with a speaker named
/// with an apposition and a verb of saying: "Tomas Reyes, founder of a
/// startup that builds on open models, said …". The name (up to the first
/// comma) is 2 to 60 bytes, as a name is and a long opening phrase is
/// not; the apposition 3 to 200.
fn is_apposed_speaker(before: &str) -> bool {
    let Some(name) = before.find(", ").filter(|n| (2..=60).contains(n)) else {
        return false;
    };
    let apposition = &before[name + 2..];
    // Room for a verb of saying after 200 bytes.
    let reach = floor_boundary(apposition, apposition.len().min(200 + 24));
    COMMA_SPEECH
        .find_iter(&apposition[..reach])
        .any(|m| (3..=200).contains(&m.start()))
}

/// A word and a verb of saying: a named speaker ("Natarajan argued
/// that …") when the word is capitalised in the source and is not one of
/// [`NOT_SPEAKERS`].
static NAMED_SPEAKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b[a-z][a-z'-]*{AFFILIATION} (?:{NAMED_SPEECH_VERBS})\b"
    ))
    .unwrap()
});

/// Capitalised words before a verb of saying that are not someone else
/// speaking: the author ("I", "We"), the text itself, and what opens a
/// sentence of the author's own reasoning ("Evidence says …").
const NOT_SPEAKERS: &[&str] = &[
    "i",
    "we",
    "you",
    "it",
    "this",
    "that",
    "these",
    "those",
    "there",
    "which",
    "what",
    "who",
    "one",
    "nobody",
    "everyone",
    "everybody",
    "someone",
    "somebody",
    "anyone",
    "anybody",
    "history",
    "experience",
    "evidence",
    "research",
    "science",
    "data",
    "logic",
    "reason",
    "theory",
    "wisdom",
    "sense",
];

static TRAILING_ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"[,"'] ?(?:[a-z.'-]+ ){0,4}(?:said|says|argued|argues|warned|warns|added|adds|wrote|writes|noted|notes|told [a-z]+)(?: [a-z.'-]+){0,4}[.!?"']*$"#).unwrap()
});

/// How far on either side of a cue, in bytes, its sentence is read for
/// context. Real sentences are shorter (the longest in the EU AI Act is
/// about 1,100 bytes); a "sentence" of megabytes, text without full
/// stops, would otherwise be read whole for every cue in it.
const CONTEXT_REACH: usize = 4096;

/// The part of sentence `range` of `folded` that the context of the text
/// at `at..end` is read from: all of it, up to [`CONTEXT_REACH`] on
/// either side.
fn context_range(folded: &str, range: Range<usize>, at: usize, end: usize) -> Range<usize> {
    let start = floor_boundary(folded, at.saturating_sub(CONTEXT_REACH).max(range.start));
    let stop = ceil_boundary(folded, end.saturating_add(CONTEXT_REACH).min(range.end));
    start..stop.max(start)
}

/// What a document is, as far as a cue's context depends on it: read
/// once per document ([`Genre::of`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Genre {
    /// A press release: its quotations and "…, the director said" are
    /// the issuer's own voice, not reported speech.
    pub press_release: bool,
    /// A staff report (a council's or an agency's): "staff believe",
    /// "staff recommend" are its authors, not a camp.
    pub staff_report: bool,
}

impl Genre {
    /// Reads the genre off the top of the document: "FOR IMMEDIATE
    /// RELEASE", "EMBARGOED UNTIL" or a line "Press release" in its first
    /// kilobyte make a press release; a line "Staff report" a staff
    /// report.
    pub fn of(doc: &Document) -> Genre {
        let source = doc.source();
        let head = source[..floor_boundary(source, source.len().min(1024))].to_lowercase();
        let line_is = |names: &[&str]| {
            head.lines().any(|line| {
                let line = line.trim().trim_start_matches('#').trim();
                names.contains(&line.trim_end_matches(':'))
            })
        };
        let press_release = head.contains("for immediate release")
            || head.contains("embargoed until")
            || line_is(&["press release", "news release", "media release"]);
        let staff_report = line_is(&["staff report", "staff report and recommendation"]);
        Genre {
            press_release,
            staff_report,
        }
    }
}

/// The modifiers of a cue at `at..end` (folded offsets) in sentence
/// `sentence` of `doc` ([`modifiers_in`] with the document's [`Genre`]).
pub fn modifiers(doc: &Document, sentence: usize, at: usize, end: usize) -> Vec<Modifier> {
    modifiers_in(doc, Genre::of(doc), sentence, at, end)
}

/// The modifiers of a cue at `at..end` (folded offsets) in sentence
/// `sentence` of `doc`, whose genre is `genre`.
pub fn modifiers_in(
    doc: &Document,
    genre: Genre,
    sentence: usize,
    at: usize,
    end: usize,
) -> Vec<Modifier> {
    let folded = doc.folded().as_str();
    let range = context_range(folded, doc.sentences()[sentence].clone(), at, end);
    let text = &folded[range.clone()];
    let pos = at - range.start;
    let end = (end - range.start).min(text.len());
    let clause = clause_bounds(text, pos);
    let mut out = Vec::new();
    if is_negated(&text[clause.0..pos]) || denies_premise(&text[clause.0..pos]) {
        out.push(Modifier::Negated);
    }
    out.extend(contrast(text, openers(doc, sentence), pos, || {
        in_conceded_passage(doc, sentence)
    }));
    // A press release's quotations are its issuer's statement: the
    // spokesperson's words are the document's stance.
    let own_quotes = genre.press_release;
    let quoted = || {
        let open_at = |k: usize| in_open_quotation(doc, k);
        // The next sentence, if it is in the same paragraph; after a
        // paragraph's last sentence, a quotation left open goes on only
        // where the next paragraph opens with a quotation mark.
        let next = sentence + 1;
        let next_open = || {
            if next < doc.sentences().len() && same_paragraph(doc, sentence, next) {
                open_at(next)
            } else {
                quotation_runs_on(doc, sentence).2
            }
        };
        in_quotation(text, pos, end, open_at(sentence), next_open)
    };
    // A block quotation the format marks (`<blockquote>`, `> …` in
    // Markdown, a "Quote" paragraph style) is someone else's words.
    let block_quoted = || doc.has_block_quotes() && doc.in_block_quote(doc.folded().to_source(at));
    let capitalised = |i: usize| {
        let at = doc.folded().to_source(range.start + i);
        doc.source()
            .get(at..)
            .and_then(|s| s.chars().next())
            .is_some_and(char::is_uppercase)
    };
    if is_attributed(
        text,
        clause,
        pos,
        end,
        (own_quotes, genre.staff_report),
        capitalised,
    ) || (!own_quotes && (block_quoted() || quoted()))
    {
        out.push(Modifier::Attributed);
    }
    if is_hedged(&text[clause.0..pos]) {
        out.push(Modifier::Hedged);
    }
    out
}

/// True when sentence `s` belongs to a passage that the author concedes:
/// an earlier sentence of its paragraph opened a concession ("Yes, …")
/// with no rebuttal since, or a later sentence opening with "However",
/// "But", "Still"… answers it: within the same paragraph, or as the first
/// sentence of the next one (which then answers the whole paragraph).
/// Worked out for the whole paragraph the first time one of its
/// sentences asks, so a paragraph of many sentences is read once, not
/// once per cue.
fn in_conceded_passage(doc: &Document, s: usize) -> bool {
    if openers(doc, s) & PASSAGE_KNOWN == 0 {
        mark_conceded_passages(doc, s);
    }
    doc.sentence_flags()[s].load(Relaxed) & IN_CONCEDED_PASSAGE != 0
}

/// Sets [`PASSAGE_KNOWN`], and [`IN_CONCEDED_PASSAGE`] where it holds, on
/// every sentence of the paragraph of sentence `s`.
fn mark_conceded_passages(doc: &Document, s: usize) {
    let sentences = doc.sentences();
    let (
        para,
        Range {
            start: first,
            end: last,
        },
    ) = paragraph_of(doc, s);
    let breaks = doc.folded().paragraph_breaks();
    let ends_at = |p: usize| breaks.get(p).copied().unwrap_or(usize::MAX);
    let opens = |k: usize, flag: u8| openers(doc, k) & flag != 0;
    // The first sentence after the paragraph answers it if it opens with
    // a contrast and starts the very next paragraph.
    let answered_after = sentences
        .get(last)
        .is_some_and(|r| r.start < ends_at(para + 1) && opens(last, CONTRAST_OPENER));
    // Walking back: whether a later sentence of the paragraph rebuts.
    let mut rebutted_later = vec![false; last - first];
    for k in (first..last.saturating_sub(1)).rev() {
        rebutted_later[k - first] = rebutted_later[k + 1 - first] || opens(k + 1, CONTRAST_OPENER);
    }
    // Walking on: whether the nearest earlier sentence that opened with a
    // contrast or a concession opened with a concession.
    let mut conceding = false;
    for k in first..last {
        let opened = openers(doc, k);
        let conceded = conceding || rebutted_later[k - first] || answered_after;
        let flags = PASSAGE_KNOWN | if conceded { IN_CONCEDED_PASSAGE } else { 0 };
        doc.sentence_flags()[k].fetch_or(flags, Relaxed);
        if opened & CONTRAST_OPENER != 0 {
            conceding = false;
        } else if opened & CONCESSION_OPENER != 0 {
            conceding = true;
        }
    }
}

/// The paragraph sentence `s` starts in (its index: it starts at or
/// after break `para - 1`, before break `para`) and the range of its
/// sentences. They are walked to from `s`: callers walk them anyway,
/// where two nested binary searches over every sentence and break of a
/// large document missed the cache (7% of a 200 MB file's time).
fn paragraph_of(doc: &Document, s: usize) -> (usize, Range<usize>) {
    let sentences = doc.sentences();
    let breaks = doc.folded().paragraph_breaks();
    let para = breaks.partition_point(|&b| b <= sentences[s].start);
    let low = if para == 0 { 0 } else { breaks[para - 1] };
    let high = breaks.get(para).copied().unwrap_or(usize::MAX);
    let mut first = s;
    while first > 0 && sentences[first - 1].start >= low {
        first -= 1;
    }
    let mut last = s + 1;
    while last < sentences.len() && sentences[last].start < high {
        last += 1;
    }
    (para, first..last)
}

/// Flags of [`openers`].
const CONTRAST_OPENER: u8 = 1;
const CONCESSION_OPENER: u8 = 2;
const SUBORDINATOR: u8 = 4;

/// Set once sentence `k`'s flags are known.
const KNOWN: u8 = 0x80;
/// Set once [`IN_CONCEDED_PASSAGE`] is known for the sentence.
const PASSAGE_KNOWN: u8 = 0x40;
/// The sentence belongs to a passage the author concedes.
const IN_CONCEDED_PASSAGE: u8 = 0x20;
/// Set once [`OPEN_QUOTATION`] is known for the sentence.
const QUOTES_KNOWN: u8 = 0x10;
/// The sentence starts inside a quotation that closes later.
const OPEN_QUOTATION: u8 = 0x08;

/// How sentence `k` of `doc` opens, as flags: looked up once per sentence
/// and document (each cue asks about the other sentences of its
/// paragraph).
fn openers(doc: &Document, k: usize) -> u8 {
    let cell = &doc.sentence_flags()[k];
    let known = cell.load(Relaxed);
    if known & KNOWN != 0 {
        return known;
    }
    let text = &doc.folded().as_str()[doc.sentences()[k].clone()];
    let flags = [
        (CONTRAST_OPENERS, CONTRAST_OPENER),
        (CONCESSION_OPENERS, CONCESSION_OPENER),
        (SUBORDINATORS, SUBORDINATOR),
    ]
    .iter()
    .filter(|(list, _)| starts_with_any(text, list))
    .fold(KNOWN, |flags, (_, flag)| flags | flag);
    // Or'd in, never stored over: other bits of the byte may be set.
    flags | cell.fetch_or(flags, Relaxed)
}

/// True when the text at folded offset `at` is negated within its clause
/// ("without banning open models"). Theme scoring uses this to weigh
/// denied mentions less.
pub fn is_negated_at(
    folded: &str,
    sentences: &[std::ops::Range<usize>],
    sentence: usize,
    at: usize,
) -> bool {
    let range = context_range(folded, sentences[sentence].clone(), at, at);
    let text = &folded[range.clone()];
    let pos = at - range.start;
    let clause = clause_bounds(text, pos);
    is_negated(&text[clause.0..pos])
}

/// Whether the cue at `at` (a folded offset in sentence `sentence` of
/// `doc`) sits in an embedded question: its clause says "whether" before
/// it ("the panel debates whether deployers should answer for harms"),
/// which asks, as a question does, without asserting. "Regardless of
/// whether", "irrespective of whether" and "no matter whether" assert
/// all the same.
pub fn asks_whether(doc: &Document, sentence: usize, at: usize) -> bool {
    let folded = doc.folded().as_str();
    let range = context_range(folded, doc.sentences()[sentence].clone(), at, at);
    let text = &folded[range.clone()];
    let pos = at - range.start;
    let clause = clause_bounds(text, pos);
    let before = &text[clause.0..pos];
    let bytes = before.as_bytes();
    let Some(i) = memchr::memmem::rfind_iter(bytes, b"whether")
        .find(|&i| (i == 0 || bytes[i - 1] == b' ') && bytes.get(i + 7).is_none_or(|&b| b == b' '))
    else {
        return false;
    };
    let lead = before[..i].trim_end();
    !["regardless of", "irrespective of", "no matter"]
        .iter()
        .any(|l| lead.ends_with(l))
}

/// Whether sentence `sentence` of `doc` is a question: it ends with a
/// question mark, perhaps inside closing quotes, brackets or emphasis.
pub fn is_question(doc: &Document, sentence: usize) -> bool {
    let text = &doc.folded().as_str()[doc.sentences()[sentence].clone()];
    text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | ')' | ']' | '*' | '_' | '”' | '’')
    })
    .ends_with('?')
}

/// The combined factor of a list of modifiers.
pub fn factor(modifiers: &[Modifier]) -> f64 {
    modifiers.iter().map(|m| m.factor()).product()
}

/// The clause around `pos`: bounded by contrast markers and by `;`/`:`.
fn clause_bounds(text: &str, pos: usize) -> (usize, usize) {
    let mut start = 0;
    let mut end = text.len();
    with_contrast_markers(text, |markers| {
        for m in markers {
            if m.end <= pos {
                start = m.end;
            } else if m.start >= pos {
                end = end.min(m.start);
            }
        }
    });
    for i in memchr::memchr2_iter(b';', b':', text.as_bytes()) {
        if i < pos {
            start = start.max(i + 1);
        } else {
            end = end.min(i);
        }
    }
    (start, end)
}

/// A mid-sentence contrast marker ("…, but", "; however").
#[derive(Clone, Copy)]
struct Marker {
    start: usize,
    end: usize,
    /// "but also" and the like, which add rather than contrast.
    additive: bool,
}

thread_local! {
    /// The last sentence looked at and its markers: cues arrive in
    /// document order and several often share a sentence, each needing
    /// its markers twice. Keyed by content, so a reused buffer at the same
    /// address can never return another sentence's markers.
    static MARKERS: std::cell::RefCell<(String, Vec<Marker>)> =
        const { std::cell::RefCell::new((String::new(), Vec::new())) };
}

/// Calls `f` with the contrast markers of `text`, in order.
fn with_contrast_markers<R>(text: &str, f: impl FnOnce(&[Marker]) -> R) -> R {
    MARKERS.with(|cell| {
        let mut cached = cell.borrow_mut();
        if cached.0 != text {
            let markers = MID_CONTRAST.find_iter(text).map(|m| Marker {
                start: m.start(),
                end: m.end(),
                additive: m.as_str().ends_with("also"),
            });
            let (sentence, list) = &mut *cached;
            list.clear();
            list.extend(markers);
            sentence.clear();
            sentence.push_str(text);
        }
        f(&cached.1)
    })
}

/// The last few words before the cue, as a slice of the clause.
fn window(before: &str, words: usize) -> &str {
    let trimmed = before.trim_end();
    // Cut after the `words`-th space from the end (spaces are ASCII, so
    // any byte position after one is a char boundary).
    let mut spaces = 0;
    let cut = trimmed
        .bytes()
        .rposition(|b| {
            spaces += usize::from(b == b' ');
            spaces == words
        })
        .map_or(0, |i| i + 1);
    &trimmed[cut..]
}

/// A premise the writer rejects before the cue, however far back in its
/// clause: "I don't buy the premise that keeping weights private makes
/// anyone safer", "it is a myth that …", "we reject the idea that …".
/// What follows is the view denied, not held. Asked of stance cues only.
static DENIED_PREMISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:(?:don't|do not|does not|doesn't|did not|didn't|never|cannot|can't|won't)\s+(?:buy|accept|believe|share|swallow|agree\s+with)|(?:i|we)\s+reject)\s+(?:the\s+|this\s+|their\s+|your\s+)?(?:(?:premise|idea|claim|notion|argument|assumption|contention|suggestion)\s+)?that\b|\bit(?:\s+is|'s)\s+a\s+myth\s+that\b|\bthe\s+myth\s+that\b").unwrap()
});

/// Whether `before` (a clause up to a cue) rejects the premise the cue
/// is part of ([`DENIED_PREMISE`]).
fn denies_premise(before: &str) -> bool {
    // Every frame ends in "that": most clauses have none.
    memchr::memmem::find(before.as_bytes(), b"that").is_some() && DENIED_PREMISE.is_match(before)
}

fn is_negated(before: &str) -> bool {
    let window = window(before, 4);
    // A comma between a negator and the cue ends the negation's scope.
    let window = window.rsplit(',').next().unwrap_or(window);
    NEGATION.negates(window)
}

/// Negators, the phrases that look like negators but do not negate, and
/// the `n't` ending, found in one automaton pass: this runs for every cue
/// and every theme hit.
struct Negation {
    automaton: aho_corasick::AhoCorasick,
    /// What each pattern is.
    kinds: Vec<NegationPart>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NegationPart {
    Negator,
    /// "not only" and the like.
    NotANegation,
    /// The `n't` ending of a word.
    NtEnding,
}

static NEGATION: LazyLock<Negation> = LazyLock::new(|| {
    let mut patterns: Vec<&str> = Vec::new();
    let mut kinds = Vec::new();
    for (kind, list) in [
        (NegationPart::Negator, NEGATORS),
        (NegationPart::NotANegation, NOT_NEGATIONS),
        (NegationPart::NtEnding, &["n't"][..]),
    ] {
        patterns.extend(list);
        kinds.extend(std::iter::repeat_n(kind, list.len()));
    }
    Negation {
        automaton: aho_corasick::AhoCorasick::new(patterns).expect("phrase lists are small"),
        kinds,
    }
});

impl Negation {
    /// True when `window` holds a negator or a word ending in `n't`, and
    /// no phrase such as "not only" (all as whole words, between spaces or
    /// the ends of the text).
    fn negates(&self, window: &str) -> bool {
        let bytes = window.as_bytes();
        let mut negated = false;
        for m in self.automaton.find_overlapping_iter(window) {
            let ends_word = m.end() == bytes.len() || bytes[m.end()] == b' ';
            let starts_word = m.start() == 0 || bytes[m.start() - 1] == b' ';
            match self.kinds[m.pattern().as_usize()] {
                NegationPart::NtEnding => negated |= ends_word,
                NegationPart::NotANegation if starts_word && ends_word => return false,
                NegationPart::Negator if starts_word && ends_word => negated = true,
                _ => {}
            }
        }
        negated
    }
}

fn is_hedged(before: &str) -> bool {
    HEDGE_PHRASES.occur_in(window(before, 3))
}

/// A list of phrases found as whole words (between spaces or the ends of
/// the text) by one automaton: this runs for every cue.
struct Phrases(aho_corasick::AhoCorasick);

impl Phrases {
    fn new(phrases: &[&str]) -> Phrases {
        Phrases(aho_corasick::AhoCorasick::new(phrases).expect("phrase lists are small"))
    }

    fn occur_in(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        self.0.find_overlapping_iter(text).any(|m| {
            (m.start() == 0 || bytes[m.start() - 1] == b' ')
                && (m.end() == bytes.len() || bytes[m.end()] == b' ')
        })
    }
}

static HEDGE_PHRASES: LazyLock<Phrases> = LazyLock::new(|| Phrases::new(HEDGES));

fn starts_with_any(text: &str, openers: &[&str]) -> bool {
    let text = text.trim_start_matches(['"', '\'', '(', ' ']);
    let first = text.as_bytes().first();
    openers.iter().any(|o| {
        // The first byte rules out most openers without a comparison call.
        (o.as_bytes().first() == first)
            .then(|| text.strip_prefix(o))
            .flatten()
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ',', ';', ':', '.']))
    })
}

/// Conceded or contrasted, from the sentence itself and the one after it.
/// `opens`: the sentence's [`openers`] flags.
fn contrast(
    text: &str,
    opens: u8,
    pos: usize,
    conceded_passage: impl Fn() -> bool,
) -> Option<Modifier> {
    let mid = with_contrast_markers(text, |markers| {
        markers.iter().rev().find(|m| !m.additive).copied()
    });
    if let Some(m) = mid {
        return Some(if pos < m.start {
            Modifier::Conceded
        } else {
            Modifier::Contrasted
        });
    }
    if opens & SUBORDINATOR != 0 {
        let comma = text.find(',').unwrap_or(text.len());
        return Some(if pos < comma {
            Modifier::Conceded
        } else {
            Modifier::Contrasted
        });
    }
    if opens & CONTRAST_OPENER != 0 {
        return Some(Modifier::Contrasted);
    }
    if opens & CONCESSION_OPENER != 0 || conceded_passage() {
        return Some(Modifier::Conceded);
    }
    None
}

/// Reported speech framing the cue: "critics argue that …" before it
/// (not "we argue", nor "staff believe" in a `staff_report`), or — unless `own_quotes` (a press release, whose
/// spokesperson and executives speak for the document) — one titled or
/// named speaker before it ("the senator said …", "Reyes argued …") or a
/// trailing "…, she said". `capitalised(i)` says whether the word at `i`
/// in `text` starts with a capital letter in the source.
fn is_attributed(
    text: &str,
    clause: (usize, usize),
    pos: usize,
    end: usize,
    (own_quotes, staff_report): (bool, bool),
    capitalised: impl Fn(usize) -> bool,
) -> bool {
    let own_view = |frame: &str| {
        frame.starts_with("we ")
            || frame.starts_with("i ")
            || (staff_report && frame.starts_with("staff "))
    };
    let before = &text[clause.0..pos];
    if LEADING_ATTRIBUTION
        .find_iter(before)
        .any(|m| !own_view(m.as_str()))
    {
        return true;
    }
    if own_quotes {
        return false;
    }
    let named = || {
        NAMED_SPEAKER.find_iter(before).any(|m| {
            let word = m.as_str().split(' ').next().unwrap_or_default();
            !NOT_SPEAKERS.contains(&word) && capitalised(clause.0 + m.start())
        })
    };
    // The three single-speaker frames end in a verb of saying; most
    // clauses before a cue have none, and one literal search says so.
    let single_speaker = || {
        SPEECH_VERB.is_match(before)
            && (TITLED_SPEAKER.is_match(before) || is_apposed_speaker(before) || named())
    };
    single_speaker() || TRAILING_ATTRIBUTION.is_match(&text[end.min(text.len())..])
}

/// True when the cue at `pos..end` of sentence text `text` sits inside a
/// quotation: a double-quoted passage of at least four words within the
/// sentence (a quotation, not a scare-quoted term), or one that runs
/// across sentences of its paragraph (`The sponsor wrote: "Open weights
/// cannot be recalled. Releasing them is irresponsible."`).
/// `open_at_start` says the sentence starts inside such a quotation,
/// `open_at_end` that it ends inside one ([`in_open_quotation`]; asked
/// only when a quotation opens before the cue and does not close in the
/// sentence).
fn in_quotation(
    text: &str,
    pos: usize,
    end: usize,
    open_at_start: bool,
    open_at_end: impl FnOnce() -> bool,
) -> bool {
    let quotes: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
    let before = quotes.partition_point(|&q| q < pos);
    if !(open_at_start ^ (before % 2 == 1)) {
        return false;
    }
    match quotes.get(before).filter(|&&q| q >= end) {
        // Opened in an earlier sentence: a quotation, however short here.
        _ if before == 0 => true,
        // Opened and closed in this sentence: four words or more.
        Some(&close) => text[quotes[before - 1]..close].split(' ').count() >= 4,
        // Opened here, closed in a later sentence.
        None => open_at_end(),
    }
}

/// Whether sentences `a` and `b` are in the same paragraph.
fn same_paragraph(doc: &Document, a: usize, b: usize) -> bool {
    let breaks = doc.folded().paragraph_breaks();
    let para = |k: usize| breaks.partition_point(|&x| x <= doc.sentences()[k].start);
    para(a) == para(b)
}

/// True when sentence `k` starts inside a quotation that a later `"` of
/// its paragraph closes. Worked out for the whole paragraph the first
/// time one of its sentences asks, so the paragraph is read once.
fn in_open_quotation(doc: &Document, k: usize) -> bool {
    if openers(doc, k) & QUOTES_KNOWN == 0 {
        mark_open_quotations(doc, k);
    }
    doc.sentence_flags()[k].load(Relaxed) & OPEN_QUOTATION != 0
}

/// The paragraph of sentence `s`'s first sentence, the quotation marks
/// in each of its sentences, and whether the paragraph's last
/// quotation is left open and goes on into the next paragraph, which
/// opens with a quotation mark: how a quotation of several paragraphs is
/// written (each opens with a mark, only the last closes).
fn quotation_runs_on(doc: &Document, s: usize) -> (usize, Vec<usize>, bool) {
    let sentences = doc.sentences();
    let folded = doc.folded().as_str();
    let (
        _,
        Range {
            start: first,
            end: last,
        },
    ) = paragraph_of(doc, s);
    let counts: Vec<usize> = (first..last)
        .map(|k| memchr::memchr_iter(b'"', folded[sentences[k].clone()].as_bytes()).count())
        .collect();
    let left_open = counts.iter().sum::<usize>() % 2 == 1;
    let runs_on = left_open
        && sentences
            .get(last)
            .is_some_and(|next| folded[next.clone()].starts_with('"'));
    (first, counts, runs_on)
}

/// Sets [`QUOTES_KNOWN`], and [`OPEN_QUOTATION`] where it holds, on every
/// sentence of the paragraph of sentence `s`: quotation marks pair up in
/// order through the paragraph; a last one left over pairs with none,
/// unless the quotation goes on into the next paragraph
/// ([`quotation_runs_on`]).
fn mark_open_quotations(doc: &Document, s: usize) {
    let (first, counts, runs_on) = quotation_runs_on(doc, s);
    let total: usize = counts.iter().sum();
    let mut before = 0;
    for (k, count) in (first..).zip(counts) {
        // After an odd number of quotes, quotation number `before` is open;
        // it is a quotation if a quote follows to close it, or if it goes
        // on into the next paragraph.
        let open = before % 2 == 1 && (before < total || runs_on);
        let flags = QUOTES_KNOWN | if open { OPEN_QUOTATION } else { 0 };
        doc.sentence_flags()[k].fetch_or(flags, Relaxed);
        before += count;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Document, Format};

    /// The modifiers of the first occurrence of `cue` in `text`.
    fn mods(text: &str, cue: &str) -> Vec<&'static str> {
        let doc = Document::new("t", Format::Text, text.to_string());
        let folded = doc.folded().as_str();
        let at = folded
            .find(cue)
            .unwrap_or_else(|| panic!("{cue:?} not in {folded:?}"));
        let sentence = doc.sentence_of(at).unwrap();
        modifiers(&doc, sentence, at, at + cue.len())
            .iter()
            .map(|m| m.as_str())
            .collect()
    }

    #[test]
    fn a_cue_after_whether_is_asked_not_asserted() {
        let asks = |text: &str, cue: &str| {
            let doc = Document::new("t", Format::Text, text.to_string());
            let at = doc.folded().as_str().find(cue).unwrap();
            asks_whether(&doc, doc.sentence_of(at).unwrap(), at)
        };
        let panel = "Scholars debate whether deployers should answer for harms, \
                     and whether a research safe harbor is workable.";
        assert!(asks(panel, "deployers should"));
        assert!(asks(panel, "research safe harbor"));
        assert!(!asks(
            "Deployers should answer for harms.",
            "deployers should"
        ));
        assert!(!asks(
            "Regardless of whether it passes, a ban would stifle research.",
            "stifle"
        ));
        // "Whether" in an earlier clause ends at the colon.
        assert!(!asks(
            "The question was whether to act: a ban would stifle research.",
            "stifle"
        ));
    }

    /// Rows: sentence, cue, expected modifiers. Sentences written for
    /// these tests.
    #[test]
    fn context_table() {
        let rows: &[(&str, &str, &[&str])] = &[
            ("Open weights are dangerous.", "dangerous", &[]),
            ("Open weights are not dangerous.", "dangerous", &["negated"]),
            (
                "This is not a ban on open source.",
                "ban on open source",
                &["negated"],
            ),
            ("Open models aren't a threat.", "threat", &["negated"]),
            ("The law is not only fair but also a ban.", "ban", &[]),
            (
                "They put it out for anyone, with no way to take it back.",
                "take it back",
                &[],
            ),
            (
                "The bill in no way restricts open source.",
                "restricts open source",
                &["negated"],
            ),
            (
                "There is no reason to fear open models, and a ban helps nobody.",
                "ban",
                &[],
            ),
            (
                "Yes, open models carry risks. However, a ban would stifle research.",
                "carry risks",
                &["conceded"],
            ),
            (
                "Yes, open models carry risks. However, a ban would stifle research.",
                "stifle",
                &["contrasted"],
            ),
            (
                "Open models carry risks, but a ban would stifle research.",
                "carry risks",
                &["conceded"],
            ),
            (
                "Open models carry risks, but a ban would stifle research.",
                "stifle",
                &["contrasted"],
            ),
            (
                "Although misuse is real, openness makes systems safer.",
                "misuse",
                &["conceded"],
            ),
            (
                "Although misuse is real, openness makes systems safer.",
                "safer",
                &["contrasted"],
            ),
            (
                "Critics argue that open weights cannot be recalled.",
                "cannot be recalled",
                &["attributed"],
            ),
            (
                "Critics of open release argue that misuse could be catastrophic.",
                "catastrophic",
                &["attributed", "hedged"],
            ),
            (
                "Researchers at two universities warn that releases are irreversible.",
                "irreversible",
                &["attributed"],
            ),
            (
                "Security experts warn of proliferation.",
                "proliferation",
                &["attributed"],
            ),
            (
                "According to the lobby, the bill would stifle startups.",
                "stifle",
                &["attributed"],
            ),
            (
                "We argue that the bill would stifle startups.",
                "stifle",
                &[],
            ),
            (
                "\"This bill will stifle every startup we know,\" she said.",
                "stifle",
                &["attributed"],
            ),
            (
                "The bill would stifle startups, a spokesperson said.",
                "stifle",
                &["attributed"],
            ),
            (
                "Critics say it is dangerous, but they are wrong: openness is safer.",
                "safer",
                &["contrasted"],
            ),
            (
                "Open weights could be misused by bad actors.",
                "misused",
                &["hedged"],
            ),
            (
                "Releases might be irreversible.",
                "irreversible",
                &["hedged"],
            ),
            ("Granted, some models are risky.", "risky", &["conceded"]),
            // A concession's scope runs to the rebuttal, across sentences.
            (
                "Yes, there are risks. Weights leak and misuse follows. However, openness is safer.",
                "misuse",
                &["conceded"],
            ),
            (
                "Weights leak. Misuse follows.\n\nStill, openness is safer.",
                "misuse",
                &["conceded"],
            ),
            (
                "Weights leak. Misuse follows.\n\nThe next topic.\n\nStill, openness is safer.",
                "misuse",
                &[],
            ),
            ("Yes, there are risks.\n\nMisuse follows.", "misuse", &[]),
            (
                "Venture investors warn that any rule will stifle startups.",
                "stifle",
                &["attributed"],
            ),
            (
                "Some commentators insist the risks are hypothetical.",
                "hypothetical",
                &["attributed"],
            ),
            (
                "Economists argue that the rule would entrench incumbents.",
                "entrench",
                &["attributed"],
            ),
            (
                "Commenters on earlier notices described concerns (removal of safeguards, misuse).",
                "removal of safeguards",
                &["attributed"],
            ),
            (
                "Senator Alvarez described the bill as reckless.",
                "reckless",
                &["attributed"],
            ),
            (
                "Our engineers believe openness is safer.",
                "safer",
                &["attributed"],
            ),
            ("We believe openness is safer.", "safer", &[]),
            (
                "Some lawmakers want to stop the release because of bad actors.",
                "bad actors",
                &["attributed"],
            ),
            ("We want a ban on reckless releases.", "reckless", &[]),
            (
                "Several witnesses told the panel that releases are irreversible.",
                "irreversible",
                &["attributed"],
            ),
            (
                "Openness is not worth a mass-casualty attack.",
                "mass casualty",
                &[],
            ),
            (
                "The answers remain uncertain and reckless releases continue.",
                "reckless",
                &[],
            ),
            // One titled or named speaker is reported speech too; the
            // author, the text itself and reasoning are not.
            (
                "Senator Maria Ostrowski said on Monday that releases are irreversible.",
                "irreversible",
                &["attributed"],
            ),
            (
                "The founder of a small lab argued that licensing would stifle startups.",
                "stifle",
                &["attributed"],
            ),
            (
                "A senator I once worked for, argued that releases are irreversible.",
                "irreversible",
                &["attributed"],
            ),
            (
                "Rep. Maria Ostrowski (D-Ohio) said the rule would stifle startups.",
                "stifle",
                &["attributed"],
            ),
            (
                "Ostrowski (D-Ohio) said the rule would stifle startups.",
                "stifle",
                &["attributed"],
            ),
            (
                "Speaking in Austin, Reyes said the rule would stifle startups.",
                "stifle",
                &["attributed"],
            ),
            (
                "Natarajan argued that licensing would stifle startups.",
                "stifle",
                &["attributed"],
            ),
            // A camp of institutions, after a long subject.
            (
                "Commenters from the open-source community and most universities argued that any rule that delays publication would stifle research.",
                "stifle",
                &["attributed"],
            ),
            (
                "Tomas Reyes, founder of a startup in Austin that builds on open models, said the rule would entrench incumbents.",
                "entrench",
                &["attributed"],
            ),
            (
                "Acme Labs urges the agency to drop rules that would entrench incumbents.",
                "entrench",
                &[],
            ),
            (
                "Acme Labs, a nonprofit research institute, urges the agency to drop rules that would entrench incumbents.",
                "entrench",
                &[],
            ),
            (
                "Licensing, the report notes, would entrench incumbents.",
                "entrench",
                &[],
            ),
            (
                "In 2023, after months of debate, Congress passed a rule that would entrench incumbents.",
                "entrench",
                &[],
            ),
            (
                "I said then that releases are irreversible.",
                "irreversible",
                &[],
            ),
            (
                "This report argues that releases are irreversible.",
                "irreversible",
                &[],
            ),
            (
                "Evidence says that releases are irreversible.",
                "irreversible",
                &[],
            ),
            (
                "The executive order says that releases are irreversible.",
                "irreversible",
                &[],
            ),
            (
                "The reviewers' notes said little, and releases are irreversible.",
                "irreversible",
                &[],
            ),
            (
                "The burden should sit with those who want to release, because a mistake cannot be undone.",
                "cannot be undone",
                &[],
            ),
            (
                "Those who argue that releases are irreversible have not read the data.",
                "irreversible",
                &["attributed"],
            ),
            (
                "I also don't buy the premise that keeping weights private makes anyone safer.",
                "keeping weights private",
                &["negated"],
            ),
            (
                "It is a myth that releases are irreversible.",
                "irreversible",
                &["negated"],
            ),
            (
                "We reject the idea that open models are too dangerous to publish.",
                "too dangerous",
                &["negated"],
            ),
            (
                "I believe that releases are irreversible.",
                "irreversible",
                &[],
            ),
            (
                "The form letters (about 640 comments) urged the Office to protect open science.",
                "protect open science",
                &["attributed"],
            ),
            (
                "The July 2024 report recommended monitoring rather than immediate restrictions.",
                "monitoring rather than",
                &["attributed"],
            ),
            (
                "This report recommends monitoring rather than immediate restrictions.",
                "monitoring rather than",
                &[],
            ),
        ];
        for (text, cue, expected) in rows {
            assert_eq!(
                mods(text, &cue.to_lowercase()),
                *expected,
                "{text:?} / {cue:?}"
            );
        }
    }

    /// The walk `in_conceded_passage` made for every cue before it was
    /// worked out once per paragraph.
    fn conceded_by_walking(doc: &Document, s: usize) -> bool {
        let sentences = doc.sentences();
        let breaks = doc.folded().paragraph_breaks();
        let para = |k: usize| breaks.partition_point(|&b| b <= sentences[k].start);
        let opens = |k: usize, flag: u8| openers(doc, k) & flag != 0;
        for k in (0..s).rev().take_while(|&k| para(k) == para(s)) {
            if opens(k, CONTRAST_OPENER) {
                break;
            }
            if opens(k, CONCESSION_OPENER) {
                return true;
            }
        }
        for k in s + 1..sentences.len() {
            let rebuts = opens(k, CONTRAST_OPENER);
            if para(k) == para(s) {
                if rebuts {
                    return true;
                }
                continue;
            }
            return rebuts && para(k) == para(s) + 1;
        }
        false
    }

    proptest::proptest! {
        /// Conceded passages worked out per paragraph are those the walk
        /// from each sentence found, whatever sentence asks first.
        #[test]
        fn conceded_passages_per_paragraph_match_the_walk(
            parts in proptest::collection::vec((0usize..6, 0usize..3), 1..24),
            ask_from_the_end: bool,
        ) {
            let openings = ["Yes, ", "However, ", "Granted, ", "But ", "", "Although "];
            let breaks = [" ", "\n\n", "\n\n\n\n"];
            let text: String = parts
                .iter()
                .enumerate()
                .map(|(i, &(open, brk))| format!("{}open models {i}.{}", openings[open], breaks[brk]))
                .collect();
            let doc = Document::new("t", Format::Text, text.clone());
            let walked = Document::new("t", Format::Text, text.clone());
            let n = doc.sentences().len();
            let order: Vec<usize> = if ask_from_the_end {
                (0..n).rev().collect()
            } else {
                (0..n).collect()
            };
            for s in order {
                proptest::prop_assert_eq!(
                    in_conceded_passage(&doc, s),
                    conceded_by_walking(&walked, s),
                    "sentence {} of {:?}", s, text
                );
            }
        }
    }

    /// A quotation that runs across sentences is someone else's view in
    /// every sentence of it; a scare quote, a quotation mark nobody closes
    /// and one closed in another paragraph are not quotations. Texts
    /// written for this test.
    #[test]
    fn quotations_across_sentences() {
        let quote = "The sponsor wrote: \"Fine-tuning is cheap. Open weights cannot be recalled. \
                     Releasing them is irresponsible.\" We disagree, and licensing would stifle research.";
        for cue in ["cheap", "cannot be recalled", "irresponsible"] {
            assert_eq!(mods(quote, cue), ["attributed"], "{cue}");
        }
        assert_eq!(mods(quote, "stifle"), Vec::<&str>::new());
        let rows: &[(&str, &str, &[&str])] = &[
            (
                "He called it \"dangerous\". Open weights cannot be recalled.",
                "cannot be recalled",
                &[],
            ),
            (
                "She said \"open weights. Releasing them is irresponsible.",
                "irresponsible",
                &[],
            ),
            (
                "\"Open weights are fine.\n\nReleasing them is irresponsible.\"",
                "irresponsible",
                &[],
            ),
            (
                "\"Licensing is fine. It is needed,\" she said. Open weights cannot be recalled.",
                "cannot be recalled",
                &[],
            ),
            // A quotation of several paragraphs: each opens with a mark,
            // only the last closes.
            (
                "\"Fine-tuning is cheap,\" she said. \"Open weights cannot be recalled.\n\n\"Releasing them is reckless.\"",
                "cannot be recalled",
                &["attributed"],
            ),
            (
                "\"Fine-tuning is cheap,\" she said. \"Open weights. They cannot be recalled.\n\n\"Releasing them is reckless.\"",
                "cannot be recalled",
                &["attributed"],
            ),
            // A mark left open, and a next paragraph that opens without
            // one: no quotation.
            (
                "She said \"open weights. They cannot be recalled.\n\nReleasing them is reckless.\"",
                "cannot be recalled",
                &[],
            ),
        ];
        for (text, cue, expected) in rows {
            assert_eq!(mods(text, cue), *expected, "{text:?} / {cue}");
        }
    }

    /// In a press release the quoted spokesperson speaks for the issuer:
    /// quotations and "…, the director said" are its own voice, while a
    /// camp it reports ("critics argue") is still someone else's.
    #[test]
    fn a_press_release_quotes_its_own_voice() {
        for head in [
            "FOR IMMEDIATE RELEASE",
            "# Press release",
            "Embargoed until 9:00",
        ] {
            let text = format!(
                "{head}\n\n\"This bill will stifle every startup we know,\" the director said. \
                 \"Nobody would publish anything. Licensing is a moat.\" Critics argue that open weights \
                 cannot be recalled. Chief executive Helen Okafor said closed rules entrench incumbents."
            );
            assert_eq!(mods(&text, "stifle"), Vec::<&str>::new(), "{head}");
            assert_eq!(mods(&text, "moat"), Vec::<&str>::new(), "{head}");
            assert_eq!(mods(&text, "entrench"), Vec::<&str>::new(), "{head}");
            assert_eq!(mods(&text, "cannot be recalled"), ["attributed"], "{head}");
        }
        let news = "A company issued a press release.\n\n\"This bill will stifle every startup we know,\" the director said.";
        assert_eq!(mods(news, "stifle"), ["attributed"]);
    }

    /// In a staff report, "staff believe" is its authors' view; elsewhere
    /// staff are a camp reported.
    #[test]
    fn a_staff_report_speaks_as_staff() {
        let body = "Staff believe that licensing their release would reduce the risk.";
        for head in ["STAFF REPORT", "## Staff Report"] {
            let text = format!("COUNTY OF MARLOW\n{head}\n\n{body}");
            assert_eq!(mods(&text, "reduce the risk"), Vec::<&str>::new(), "{head}");
        }
        let news = format!("The county published a staff report.\n\n{body}");
        assert_eq!(mods(&news, "reduce the risk"), ["attributed"]);
    }

    /// A block quotation the format marks is someone else's words, up to
    /// its last character and not past it; in a press release it is the
    /// issuer's own.
    #[test]
    fn a_block_quotation_the_format_marks_is_someone_elses() {
        let of = |head: &str, cue: &str| {
            let text = format!("{head}\n\nLicensing is a moat.\n\nLicensing is a moat, we say.\n");
            let start = text.find("Licensing").unwrap();
            let end = text.find(" we say").unwrap() - 1;
            let doc = Document::new("t", Format::Html, text.clone())
                .with_quotes(std::iter::once(start..end).collect());
            let at = doc.folded().to_folded(text.rfind(cue).unwrap());
            let sentence = doc.sentence_of(at).unwrap();
            modifiers(&doc, sentence, at, at + cue.len())
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(of("Report", "is a moat."), ["attributed"]);
        assert_eq!(of("Report", "is a moat,"), ["attributed"]);
        assert_eq!(of("Report", "we say"), Vec::<&str>::new());
        assert_eq!(
            of("FOR IMMEDIATE RELEASE", "is a moat."),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn a_cue_in_a_sentence_of_megabytes_has_its_local_context() {
        // No full stop for a megabyte: one sentence. A cue's context is
        // read from around it, so the answers are those of a short
        // sentence, and each cue costs the same wherever it is.
        let filler = "the committee discussed budgets and timetables at length ".repeat(20_000);
        let text = format!(
            "{filler}critics argue that open weights are dangerous and {filler}this is not a ban"
        );
        assert!(text.len() > 2_000_000);
        let doc = Document::new("t", Format::Text, text);
        let folded = doc.folded().as_str();
        let cue = |needle: &str| {
            let at = folded.find(needle).unwrap();
            let sentence = doc.sentence_of(at).unwrap();
            modifiers(&doc, sentence, at, at + needle.len())
        };
        assert_eq!(doc.sentences().len(), 1);
        assert_eq!(cue("dangerous"), [Modifier::Attributed]);
        assert_eq!(cue("a ban"), [Modifier::Negated]);
    }

    #[test]
    fn factors_multiply() {
        assert_eq!(factor(&[Modifier::Conceded, Modifier::Attributed]), 0.125);
        assert_eq!(factor(&[]), 1.0);
        assert_eq!(factor(&[Modifier::Negated, Modifier::Contrasted]), 0.0);
    }
}
