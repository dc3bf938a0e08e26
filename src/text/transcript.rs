//! Transcripts and interviews: text in other people's voices.
//!
//! A hearing, a floor debate, a markup, a podcast or a listening session
//! is a record of what its speakers said, each paragraph opened by a
//! label (`Ms. WHITCOMBE.`, `**Senator Pell:**`, `[00:01:18] Ines
//! Ferreira:`, `Dr Helen Marsh (Cambridge South) (LD):`); a published
//! interview alternates the publication's questions with someone's
//! answers. What the speakers say is reported speech, as a block
//! quotation is: [`find`] returns where it is, and whether the document
//! as a whole is such a record (then it takes no stance of its own, as a
//! news report quoting several camps does not).
//!
//! Labels are read only where a paragraph starts, from its first 160
//! bytes, so finding them costs next to nothing on other documents. A
//! label must look like a person or a role (an honorific or a role word,
//! a name in capitals, or two to four capitalised words): lead-ins such
//! as `Note:`, `Background:` or `Key findings:` are not speakers. Several
//! labelled paragraphs are needed, by at least two speakers, one of whom
//! speaks twice, so a memo's `To:`/`From:` lines or an op-ed's single
//! quoted remark are not a transcript.
//!
//! Two more records of several people's words are read the same way: a
//! forum thread or comment section, each post under a header line of a
//! handle and a time (`**quantqueen** · posted 2 days ago`), and a page
//! of by-lined pieces, such as a point/counterpoint, where two or more
//! authors each sign their part (`*By Teodora Vasquez, former deputy
//! director*`), or ends it with a signature (`*Dr. Alicia Moreno,
//! President, …*`, as a voter guide's arguments and rebuttals are).
//!
//! A thread whose poster answers in it (an "ask me anything", an issue
//! its opener replies to) is the poster's own document: a line near the
//! top names them (`*Posted by u/SenWhitcomb_official in r/policy*`,
//! `**Opened by @ilse-maintainer**`), and their turns are the author's
//! words while everyone else's are reported, even where the format
//! nests a reply as a block quotation (`> **u/SenWhitcomb_official:** …`).
//! Handles label turns as names do (`**u/kernel_panic_42:**`, `@tomasz-k:`).
//! A script's `NARRATOR:` (or `VOICEOVER:`) is its author's voice in the
//! same way; the people it cuts to are quoted.
//!
//! A myths-and-facts sheet or a fact check quotes the claims it refutes
//! under a label of their own (`**MYTH:**`, `Claim:` … `Verdict:`):
//! those claims are someone else's words too, and the answers (`Fact:`)
//! the author's, which is why such labels are not speakers.

use std::collections::HashMap;
use std::ops::Range;

/// Where speakers' words are, and what that makes the document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Turns {
    /// Source byte ranges of what speakers say, after their labels
    /// (sorted, disjoint).
    pub(super) spoken: Vec<Range<usize>>,
    /// The document is, for the most part, a record of other people's
    /// words: a transcript or an interview.
    pub(super) transcript: bool,
    /// Source byte ranges of the turns of the person who posted the
    /// thread (`Posted by u/…` at the top), labels included: the
    /// author's own words, even where the format marks them as a block
    /// quotation (a reply nested under a question). Sorted, disjoint.
    pub(super) own: Vec<Range<usize>>,
}

/// Emphasis marks around a label: Markdown's, and the word joiners HTML
/// extraction leaves for inline tags (`<p><b>Name:</b>`).
const MARKS: [char; 3] = ['*', '_', super::html::PAD];

/// Skips white space and word joiners (HTML's blanked inline tags).
fn skip_blank(s: &str) -> usize {
    s.len()
        - s.trim_start_matches(|c: char| c.is_whitespace() || c == super::html::PAD)
            .len()
}

/// Labelled paragraphs needed for a transcript.
const MIN_TURNS: usize = 4;
/// Labelled paragraphs needed before a turn runs on over unlabelled
/// paragraphs: fewer are an exchange quoted in someone's own text.
const MIN_CONTINUOUS: usize = 6;
/// Questions (and as many answers) needed for an interview.
const MIN_QUESTIONS: usize = 3;
/// How much of a paragraph's start a label may take.
const LABEL_SPAN: usize = 160;
/// How far a prompt in bold is looked for its end.
const PROMPT_SPAN: usize = 2048;
/// Different people needed in a forum thread.
const MIN_POSTERS: usize = 3;
/// The longest line read as a post header or a byline.
const HEADER_SPAN: usize = 120;
/// How much of the top is read for words that announce an interview,
/// and for the line that names a thread's poster.
const INTERVIEW_HEAD: usize = 2048;
/// Labels of a script's own voice (a video essay's, a documentary's):
/// the author speaking, not someone quoted.
const NARRATORS: [&str; 5] = ["narrator", "narration", "voiceover", "voice-over", "v.o."];
/// The longest handle (`u/…`, `@…`) read as a speaker's label.
const HANDLE_SPAN: usize = 40;

/// What a paragraph opens with.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Opening {
    /// A speaker's label, with the speaker's name normalised.
    Speaker(String),
    /// `Q:`, `Question:`, or a paragraph in bold (an interviewer's prompt).
    Question,
    /// `A:`, `Answer:`.
    Answer,
    /// A forum post's or comment's header: a handle and a time, with the
    /// handle normalised.
    Post(String),
    /// A byline alone on its paragraph (`By Name, role`), with the name
    /// normalised.
    Byline(String),
    /// A signature alone on its paragraph, in emphasis or after a dash
    /// (`*Dr. Alicia Moreno, President, …*`, `— Raymond Liu`), with the
    /// name normalised: the end of a signed piece.
    Signature(String),
    /// `Myth:`, `Misconception #2:`, or a fact-check's `Claim:`: a claim
    /// the document sets out to refute. `true` when the label says so by
    /// itself; a `Claim:` is one only beside a [`Opening::Fact`].
    Myth(bool),
    /// `Fact:`, `Reality:`, `Verdict:`: the document's own answer to a
    /// [`Opening::Myth`].
    Fact,
    /// Anything else.
    Prose,
}

/// A paragraph that opens with a label, and the paragraph after it.
struct Labelled {
    /// Which paragraph of the document it is (0-based).
    index: usize,
    start: usize,
    /// Where the paragraph before it starts.
    prev_start: Option<usize>,
    /// Where its text starts, after the label.
    text: usize,
    opening: Opening,
    /// The next paragraph: its start, where its text starts, and whether
    /// it is a question.
    next: Option<(usize, usize, bool)>,
}

/// The labelled paragraphs of a document and how many paragraphs it has.
struct Paragraphs {
    labelled: Vec<Labelled>,
    count: usize,
}

/// Finds the speakers' words in `source`. Paragraphs start after blank
/// lines, at each of `breaks` (sorted source offsets where the format's
/// markup starts or ends a block), and at every line when `every_line`
/// (Word, OpenDocument and RTF text, where each line is a paragraph).
pub(super) fn find(source: &str, breaks: &[usize], every_line: bool) -> Turns {
    let paragraphs = paragraphs(source, breaks, every_line);
    let mut turns = speakers(source, &paragraphs)
        .or_else(|| interview(source, &paragraphs))
        .or_else(|| bylined(source, &paragraphs))
        .or_else(|| signed(source, &paragraphs))
        .unwrap_or_default();
    let myths = myths(source, &paragraphs);
    if !myths.is_empty() {
        turns.spoken.extend(myths);
        turns.spoken = super::merge_ranges(std::mem::take(&mut turns.spoken));
    }
    turns
}

/// The claims a myths-and-facts sheet or a fact check sets out to
/// refute: each `Myth:` paragraph (or heading line), up to its `Fact:`
/// when the answer follows on the same line. They are the other side's
/// words, as a quotation is, whether or not the document is a record of
/// speakers.
fn myths(source: &str, paragraphs: &Paragraphs) -> Vec<Range<usize>> {
    let labelled = || paragraphs.labelled.iter();
    let answered = labelled().any(|p| p.opening == Opening::Fact);
    labelled()
        .filter(|p| match p.opening {
            Opening::Myth(strong) => strong || answered,
            _ => false,
        })
        .filter_map(|p| {
            let mut end = p.next.map_or(source.len(), |(next, ..)| next);
            if source[p.start..].starts_with('#') {
                end = end.min(memchr_newline(source.as_bytes(), p.text));
            }
            let end = inline_fact(&source[p.text..end]).map_or(end, |at| p.text + at);
            (p.text < end).then_some(p.text..end)
        })
        .collect()
}

/// Words that label a claim to be refuted (`Myth:`); the last ones only
/// beside an answer (`Claim:` … `Verdict:`).
/// A debate's motion (`Resolved:`, `Motion:`) is the claim both sides
/// argue over, not the author's: quoted the same way. (A legislature's
/// `Resolved, That …` has no colon and stays the author's.)
const MYTHS: &[&str] = &[
    "myth",
    "misconception",
    "misperception",
    "fiction",
    "resolved",
    "motion",
    "the motion",
];
const CLAIMS: &[&str] = &["claim", "the claim", "the myth"];
/// Words that label the answer.
const FACTS: &[&str] = &[
    "fact",
    "facts",
    "the fact",
    "the facts",
    "reality",
    "the reality",
    "truth",
    "the truth",
    "verdict",
    "rating",
    "rebuttal",
];

/// `Myth:`, `**MYTH #3:**`, `## Myth 2: …`, `Fact:`, `Reality:`: a label
/// of a myths-and-facts sheet or a fact check, and its length.
fn myth_or_fact(s: &str) -> Option<(Opening, usize)> {
    let body = s.trim_start_matches(['#', ' ']).trim_start_matches(MARKS);
    let start = s.len() - body.len();
    if !body.starts_with(char::is_uppercase) {
        return None;
    }
    let colon = memchr::memchr(b':', &body.as_bytes()[..body.len().min(40)])?;
    let label = body[..colon].trim_end_matches(MARKS).trim_end();
    // A number: "Myth 2", "Myth #2", "Myth No. 2".
    let label = label.trim_end_matches(|c: char| c.is_ascii_digit());
    let label = (label.trim_end().trim_end_matches('#').trim_end())
        .trim_end_matches("No.")
        .trim_end();
    let lower = label.to_lowercase();
    let kind = if MYTHS.contains(&lower.as_str()) {
        Opening::Myth(true)
    } else if CLAIMS.contains(&lower.as_str()) {
        Opening::Myth(false)
    } else if FACTS.contains(&lower.as_str()) {
        Opening::Fact
    } else {
        return None;
    };
    let rest = &body[colon + 1..];
    let closing = rest.len() - rest.trim_start_matches(MARKS).len();
    let after = &rest[closing..];
    if !(after.is_empty() || after.starts_with([' ', '\t', '\r', '\n'])) {
        return None;
    }
    Some((kind, start + colon + 1 + closing))
}

/// Where an answer's label (`Fact:`, `**Reality:**`) starts within a
/// myth's paragraph, with the marks before it.
fn inline_fact(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b':', bytes).find_map(|colon| {
        let head = text[..colon].trim_end_matches(MARKS);
        let word = head.len() - head.trim_end_matches(char::is_alphabetic).len();
        let label = &head[head.len() - word..];
        if !label.starts_with(char::is_uppercase) || !FACTS.contains(&label.to_lowercase().as_str())
        {
            return None;
        }
        let before = head[..head.len() - word].trim_end_matches(MARKS);
        (before.is_empty() || before.ends_with([' ', '\n', '\t', '.', '!', '?']))
            .then_some(before.len())
    })
}

/// Reads the paragraphs of `source` in order, keeping only those that
/// open with a label (memory does not grow with the text).
fn paragraphs(source: &str, breaks: &[usize], every_line: bool) -> Paragraphs {
    let mut out = Paragraphs {
        labelled: Vec::new(),
        count: 0,
    };
    let mut last_start = None;
    let mut visit = |start: usize| {
        if last_start.is_some_and(|last| start <= last) {
            return;
        }
        let prev_start = last_start.replace(start);
        let (opening, label) = opening(source, start);
        if let Some(prev) = out.labelled.last_mut()
            && prev.index + 1 == out.count
        {
            prev.next = Some((start, start + label, opening == Opening::Question));
        }
        if opening != Opening::Prose {
            out.labelled.push(Labelled {
                index: out.count,
                start,
                prev_start,
                text: start + label,
                opening,
                next: None,
            });
        }
        out.count += 1;
    };
    let first_text = |at: usize| {
        let rest = &source[at..];
        let skipped = skip_blank(rest);
        (skipped < rest.len()).then_some(at + skipped)
    };
    let mut breaks = breaks
        .iter()
        .copied()
        .filter(|&b| b < source.len() && source.is_char_boundary(b))
        .filter_map(first_text)
        .peekable();
    let bytes = source.as_bytes();
    let mut after_blank = true;
    let mut at = 0;
    while at < bytes.len() {
        let end = memchr_newline(bytes, at);
        let line = &source[at..end];
        if line.trim().is_empty() {
            after_blank = true;
        } else {
            let start = at + skip_blank(line);
            while let Some(b) = breaks.next_if(|&b| b < start) {
                visit(b);
            }
            // A first line indented under an unindented one starts a
            // paragraph too: the Government Publishing Office's hearing
            // transcripts indent each paragraph and leave no blank line.
            let indented = line.starts_with('\t') || (line.starts_with(' ') && start > at + 1);
            if after_blank || every_line || indented {
                visit(start);
            }
            after_blank = false;
        }
        at = end + 1;
    }
    breaks.for_each(&mut visit);
    out
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |i| from + i)
}

/// A transcript: enough labelled turns by enough speakers. When there
/// are six turns or more and they are at least a third of what follows
/// the first (turns, the stretches of unlabelled paragraphs between two
/// of them, and each paragraph after the last), a turn goes on over
/// unlabelled paragraphs up to the next label (a long speech has many
/// paragraphs), and the document is a transcript if the turns take at
/// least half of it; otherwise only the labelled paragraphs are someone
/// else's (an exchange quoted in an op-ed). A forum thread (turns that are
/// mostly post headers, by at least three people) needs no one to post
/// twice, and its posts always run on to the next header: a header is a
/// line of its own, the post's words come after it.
fn speakers(source: &str, paragraphs: &Paragraphs) -> Option<Turns> {
    let turns: Vec<&Labelled> = (paragraphs.labelled.iter())
        .filter(|p| matches!(p.opening, Opening::Speaker(_) | Opening::Post(_)))
        .collect();
    if turns.len() < MIN_TURNS {
        return None;
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut posts = 0;
    for turn in &turns {
        if let Opening::Speaker(name) | Opening::Post(name) = &turn.opening {
            *counts.entry(name.as_str()).or_default() += 1;
        }
        posts += usize::from(matches!(turn.opening, Opening::Post(_)));
    }
    let forum = posts * 2 > turns.len() && counts.len() >= MIN_POSTERS;
    if counts.len() < 2 || (!forum && counts.values().all(|&n| n < 2)) {
        return None;
    }
    let first = turns[0];
    let last = turns[turns.len() - 1];
    // A speech of many paragraphs is one stretch between two labels; the
    // paragraphs after the last label each count, as an author's own
    // argument after a quoted exchange would.
    let speeches = turns
        .windows(2)
        .filter(|w| w[1].index > w[0].index + 1)
        .count();
    let tail = paragraphs.count - last.index - 1;
    let continuous = forum
        || (turns.len() >= MIN_CONTINUOUS && turns.len() * 3 >= turns.len() + speeches + tail);
    // A thread whose poster answers in it (an "ask me anything", an
    // issue its opener replies to) is the poster's: their turns are the
    // author's words, everyone else's are reported.
    // A script's narrator is its author's voice too.
    let poster = poster(source);
    let by_poster = |turn: &Labelled| match &turn.opening {
        Opening::Speaker(name) | Opening::Post(name) => {
            poster.as_ref().is_some_and(|p| name == p) || NARRATORS.contains(&name.as_str())
        }
        _ => false,
    };
    let mut spoken = Vec::with_capacity(turns.len());
    let mut own = Vec::new();
    for (k, turn) in turns.iter().enumerate() {
        let end = if continuous {
            turns.get(k + 1).map_or(source.len(), |next| next.start)
        } else {
            turn.next.map_or(source.len(), |(start, ..)| start)
        };
        if by_poster(turn) {
            own.push(turn.start..end);
        } else if turn.text < end {
            spoken.push(turn.text..end);
        }
    }
    let transcript =
        continuous && own.is_empty() && (source.len() - first.start) * 2 >= source.len();
    Some(Turns {
        spoken,
        transcript,
        own,
    })
}

/// The labelled paragraphs that `name` gives a name (a byline's, a
/// signature's), when they name at least two different people.
fn by_two_or_more(
    paragraphs: &Paragraphs,
    name: impl Fn(&Opening) -> Option<&String>,
) -> Option<Vec<&Labelled>> {
    let named: Vec<&Labelled> = (paragraphs.labelled.iter())
        .filter(|p| name(&p.opening).is_some())
        .collect();
    let mut names: Vec<&String> = named.iter().filter_map(|p| name(&p.opening)).collect();
    names.sort_unstable();
    names.dedup();
    (names.len() >= 2).then_some(named)
}

/// A page of by-lined pieces: at least two paragraphs that are a byline
/// alone, naming different authors (a point/counterpoint, a symposium, a
/// roundup of signed columns). Each piece runs from its byline, or from
/// the title line just before it, to the next piece; the document is a
/// record of other people's words if the pieces take at least half of
/// it. One byline, or the same author twice, is an author's own piece.
fn bylined(source: &str, paragraphs: &Paragraphs) -> Option<Turns> {
    let bylines = by_two_or_more(paragraphs, |o| match o {
        Opening::Byline(name) => Some(name),
        _ => None,
    })?;
    // A piece's title, a short line without a full stop, goes with it.
    let piece_start = |p: &Labelled| {
        p.prev_start
            .filter(|&prev| {
                let title = source[prev..p.start].trim();
                title.len() <= LABEL_SPAN && !title.contains('\n') && !title.ends_with(['.', ':'])
            })
            .unwrap_or(p.start)
    };
    let starts: Vec<usize> = bylines.iter().map(|p| piece_start(p)).collect();
    let spoken: Vec<Range<usize>> = (starts.iter().enumerate())
        .map(|(k, &start)| start..starts.get(k + 1).copied().unwrap_or(source.len()))
        .filter(|r| !r.is_empty())
        .collect();
    let transcript = (source.len() - starts[0]) * 2 >= source.len();
    Some(Turns {
        spoken,
        transcript,
        own: Vec::new(),
    })
}

/// The fewest bytes of text a signed piece needs: a signature block of a
/// joint letter (names on consecutive lines) is no set of pieces.
const MIN_PIECE: usize = 200;

/// A page of signed pieces, each ending in its author's signature: a
/// voter guide's arguments and rebuttals, a symposium of letters. At
/// least two signatures by different people, each after a piece of some
/// length. A piece starts at the last Markdown heading before its
/// signature and after the previous piece, or where the previous piece
/// ended, or (the first, without a heading) at the paragraph before its
/// signature; the document is a record of other people's words if the
/// pieces take at least half of it.
fn signed(source: &str, paragraphs: &Paragraphs) -> Option<Turns> {
    let signatures = by_two_or_more(paragraphs, |o| match o {
        Opening::Signature(name) => Some(name),
        _ => None,
    })?;
    let mut spoken: Vec<Range<usize>> = Vec::with_capacity(signatures.len());
    let mut after = None;
    for p in &signatures {
        let end = p.next.map_or(source.len(), |(next, ..)| next);
        let floor = after.unwrap_or(0);
        let heading = last_heading(&source[floor..p.start]).map(|at| floor + at);
        let start = heading.or(after).or(p.prev_start).unwrap_or(p.start);
        after = Some(end);
        if p.start - start >= MIN_PIECE {
            spoken.push(start..end);
        }
    }
    if spoken.len() < 2 {
        return None;
    }
    let transcript = spoken.iter().map(|r| r.len()).sum::<usize>() * 2 >= source.len();
    Some(Turns {
        spoken,
        transcript,
        own: Vec::new(),
    })
}

/// Where the last Markdown heading line (`## …`) of `text` starts.
fn last_heading(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memrchr_iter(b'#', bytes).find_map(|i| {
        let line_start = memchr::memrchr(b'\n', &bytes[..i]).map_or(0, |n| n + 1);
        let hashes = bytes[line_start..]
            .iter()
            .take_while(|&&b| b == b'#')
            .count();
        (line_start + hashes > i
            && (1..=6).contains(&hashes)
            && bytes.get(line_start + hashes) == Some(&b' '))
        .then_some(line_start)
    })
}

/// A signature line: in emphasis (`*Name, role*`, `_Name_`) or after a
/// dash (`— Name, role`), a name (two to four capitalised words, or an
/// honorific and a name) and, after a comma, anything. The name
/// normalised.
fn signature(line: &str) -> Option<String> {
    let line = line.trim_end();
    if line.len() > HEADER_SPAN + 80 {
        return None;
    }
    let emphasised = (line.starts_with('*') && line.ends_with('*') && line.len() > 2)
        || (line.starts_with('_') && line.ends_with('_') && line.len() > 2);
    let inner = if emphasised {
        line.trim_matches(['*', '_'])
    } else {
        ["— ", "– ", "-- ", "―"]
            .iter()
            .find_map(|d| line.strip_prefix(d))?
    };
    let name = inner.split(',').next()?.trim();
    if name.contains([':', '.', '?', '!'])
        && !name
            .split(' ')
            .any(|w| ROLES.contains(&w.trim_end_matches('.').to_lowercase().as_str()))
    {
        return None;
    }
    let words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    if words.len() > 6 || words.len() < 2 {
        return None;
    }
    speaker_name(&words)
}

/// An interview: at least three questions, each answered, in a document
/// whose top says it is an interview ("spoke with", "in conversation
/// with", "Q&A"). The exchange is reported, questions and answers both:
/// an interviewer's prompt puts a view to the guest ("Critics say …"),
/// it does not take one. An organisation's own briefing in questions
/// and answers says no such thing, and its answers stay its own voice.
fn interview(source: &str, paragraphs: &Paragraphs) -> Option<Turns> {
    let questions: Vec<&Labelled> = (paragraphs.labelled.iter())
        .filter(|p| p.opening == Opening::Question)
        .collect();
    let answers = || {
        questions.iter().enumerate().filter_map(|(k, q)| {
            let (_, answer, question) = q.next?;
            let end = questions.get(k + 1).map_or(source.len(), |next| next.start);
            (!question && answer < end).then_some(q.start..end)
        })
    };
    if questions.len() < MIN_QUESTIONS
        || answers().count() < MIN_QUESTIONS
        || !announces_interview(source)
    {
        return None;
    }
    let transcript = (source.len() - questions[0].start) * 2 >= source.len();
    Some(Turns {
        spoken: answers().collect(),
        transcript,
        own: Vec::new(),
    })
}

fn announces_interview(source: &str) -> bool {
    let head = &source[..crate::text::fold::floor_boundary(source, INTERVIEW_HEAD)];
    let head = head.to_lowercase();
    [
        "interview",
        "spoke with",
        "spoke to",
        "talked with",
        "talked to",
        "conversation with",
        "in conversation",
        "sat down with",
        "q&a",
    ]
    .iter()
    .any(|w| head.contains(w))
}

/// How the paragraph at `start` opens, and the length of its label.
fn opening(source: &str, start: usize) -> (Opening, usize) {
    let end = crate::text::fold::floor_boundary(source, (start + LABEL_SPAN).min(source.len()));
    let head = &source[start..end];
    // The paragraph's first line, for a label.
    let line = &head[..memchr::memchr(b'\n', head.as_bytes()).unwrap_or(head.len())];
    // A reply nested as a Markdown block quotation (`> **u/name:** …`)
    // is labelled inside the quotation marker.
    let unquoted = line.trim_start_matches(['>', ' ']);
    let unquoted = if unquoted.len() < line.len() && line.starts_with('>') {
        unquoted
    } else {
        line
    };
    let unmarked = unquoted.trim_start_matches(MARKS);
    let marked = line.len() - unmarked.len();
    let (after_time, timed) = skip_timestamp(unmarked);
    let (after_time, numbered) = skip_question_number(after_time);
    let skipped = marked + timed + numbered;
    if let Some((kind, len)) = question_or_answer(after_time) {
        return (kind, skipped + len);
    }
    if let Some((kind, len)) = myth_or_fact(line) {
        return (kind, len);
    }
    // Most paragraphs are prose: a label needs a colon near the start, or
    // an honorific (a cheap test first).
    let colon = memchr::memchr(b':', &after_time.as_bytes()[..after_time.len().min(100)]).is_some();
    let label = if colon {
        handle_label(after_time).or_else(|| colon_label(after_time))
    } else {
        None
    };
    if let Some((name, len)) = label.or_else(|| record_label(after_time)) {
        return (Opening::Speaker(name), skipped + len);
    }
    if line
        .trim_end()
        .ends_with(|c: char| c.is_ascii_digit() || c == ')' || c == ']')
        && let Some((name, _)) = timed_label(after_time)
    {
        return (Opening::Speaker(name), line.len());
    }
    if let Some(name) = post_header(unmarked) {
        return (Opening::Post(name), line.len());
    }
    if let Some(name) = byline(unmarked) {
        return (Opening::Byline(name), line.len());
    }
    if let Some(name) = signature(line)
        && head[line.len()..]
            .trim_start_matches([' ', '\t', '\r'])
            .strip_prefix('\n')
            .is_none_or(|rest| rest.trim_start_matches([' ', '\t', '\r']).starts_with('\n'))
    {
        return (Opening::Signature(name), line.len());
    }
    if (line.starts_with("**") || line.starts_with("__"))
        && bold_paragraph(source, start, &line[..2])
    {
        return (Opening::Question, 0);
    }
    (Opening::Prose, 0)
}

/// Skips a timestamp (`[00:01:18]`, `(12:03)`, `00:01:18`) and the space
/// after it.
fn skip_timestamp(s: &str) -> (&str, usize) {
    let inner = s.strip_prefix(['[', '(']).unwrap_or(s);
    let digits = inner
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b':' || *b == b'.')
        .count();
    let stamp = &inner[..digits];
    if digits < 4 || !stamp.contains(':') || !stamp.starts_with(|c: char| c.is_ascii_digit()) {
        return (s, 0);
    }
    let rest = &inner[digits..];
    let rest = if inner.len() < s.len() {
        match rest.strip_prefix([']', ')']) {
            Some(rest) => rest,
            None => return (s, 0),
        }
    } else {
        rest
    };
    let trimmed = rest.trim_start_matches([' ', '\t', '-', '–', '—']);
    if trimmed.len() == rest.len() {
        return (s, 0);
    }
    (trimmed, s.len() - trimmed.len())
}

/// Skips the question number that opens a turn in the UK Parliament's
/// oral evidence (`Q45 Chair: …`) and the space after it.
fn skip_question_number(s: &str) -> (&str, usize) {
    let Some(rest) = s.strip_prefix('Q') else {
        return (s, 0);
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after = &rest[digits..];
    let trimmed = after.trim_start_matches([' ', '\t']);
    if !(1..=5).contains(&digits) || trimmed.len() == after.len() {
        return (s, 0);
    }
    (trimmed, s.len() - trimmed.len())
}

/// `Q:`, `Q.`, `Question:`, `A:`, `A.`, `Answer:` (in bold or not).
fn question_or_answer(s: &str) -> Option<(Opening, usize)> {
    for (word, kind) in [
        ("Question", Opening::Question),
        ("Answer", Opening::Answer),
        ("Q", Opening::Question),
        ("A", Opening::Answer),
    ] {
        let Some(rest) = s.strip_prefix(word) else {
            continue;
        };
        let marks = rest.len() - rest.trim_start_matches(MARKS).len();
        let rest = &rest[marks..];
        let punct = if rest.starts_with(':') || (word.len() == 1 && rest.starts_with('.')) {
            1
        } else {
            continue;
        };
        let rest = &rest[punct..];
        let closing = rest.len() - rest.trim_start_matches(MARKS).len();
        let after = &rest[closing..];
        if after.starts_with([' ', '\t']) || after.is_empty() {
            return Some((kind, s.len() - after.len()));
        }
    }
    None
}

/// Honorifics and roles that make a label a speaker's.
const ROLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sen",
    "senator",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "delegate",
    "chair",
    "chairman",
    "chairwoman",
    "chairperson",
    "cochair",
    "co-chair",
    "ranking",
    "minister",
    "secretary",
    "commissioner",
    "judge",
    "justice",
    "moderator",
    "host",
    "co-host",
    "cohost",
    "interviewer",
    "clerk",
    "speaker",
    "witness",
    "panelist",
    "panellist",
    "participant",
    "caller",
    "lord",
    "lady",
    "baroness",
    "baron",
    "sir",
    "dame",
    "hon",
    "mayor",
    "governor",
    "ambassador",
    "rapporteur",
    "mep",
    "mp",
    "narrator",
    "president",
];

/// Capitalised lead-ins that are not speakers.
const NOT_SPEAKERS: &[&str] = &[
    "note",
    "notes",
    "nb",
    "warning",
    "caution",
    "summary",
    "update",
    "updated",
    "correction",
    "background",
    "source",
    "sources",
    "disclaimer",
    "abstract",
    "keywords",
    "purpose",
    "scope",
    "definitions",
    "example",
    "recommendation",
    "recommendations",
    "finding",
    "findings",
    "status",
    "date",
    "time",
    "location",
    "subject",
    "to",
    "from",
    "cc",
    "re",
    "attendees",
    "present",
    "action",
    "decision",
    "outcome",
    "agenda",
    "result",
    "results",
    "conclusion",
    "response",
    "issue",
    "context",
    "important",
    "title",
    "by",
    "author",
    "contact",
    "email",
    "phone",
    "section",
    "article",
    "part",
    "annex",
    "chapter",
    "tldr",
    "faq",
    "problem",
    "solution",
    "goal",
    "objective",
    "overview",
    "introduction",
    "breaking",
    "exclusive",
    "analysis",
    "opinion",
    "commentary",
    "editor's note",
    "editor’s note",
    "editors note",
    "developing",
];

/// First words of capitalised lead-ins that read like names by their
/// shape (`Key Findings:`, `The Big Picture:`).
const NOT_FIRST_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "key",
    "next",
    "bottom",
    "why",
    "what",
    "how",
    "our",
    "your",
    "my",
    "this",
    "that",
    "main",
    "big",
    "major",
    "other",
    "more",
    "further",
    "final",
    "short",
    "long",
    "open",
    "read",
    "see",
    "related",
    "top",
    "quick",
    "fact",
    "editor's",
    "editor’s",
];

/// Connectives inside a speaker's name or role (`Minister for AI`,
/// `Ursula von der Leyen`).
const CONNECTIVES: &[&str] = &[
    "of", "for", "and", "the", "de", "der", "van", "von", "da", "del", "la", "le", "du", "bin",
    "al", "y", "pro", "tempore",
];

/// `Name:`, `**Name:**`, `Name (Party):`, `ROLE (Name):`: a speaker
/// before a colon. Returns the normalised name (parentheses dropped) and
/// the label's length.
/// A handle as a speaker's label (`u/kernel_panic_42:`, `@tomasz-k:`,
/// either inside emphasis), with the handle normalised as a post
/// header's is (lower case, without `u/` or `@`), and the label's length.
fn handle_label(s: &str) -> Option<(String, usize)> {
    let prefix = if s.starts_with("u/") {
        2
    } else if s.starts_with('@') {
        1
    } else {
        return None;
    };
    let name_len = s[prefix..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .unwrap_or(s.len() - prefix);
    // Closing emphasis (`__@name__:`) is not part of the handle.
    let name = s[prefix..prefix + name_len].trim_end_matches(['.', '_']);
    if !(2..=HANDLE_SPAN).contains(&name.len()) || !name.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let rest = &s[prefix + name.len()..];
    let after = rest.trim_start_matches(MARKS);
    let colon = after.strip_prefix(':')?;
    let closing = colon.len() - colon.trim_start_matches(MARKS).len();
    let after = &colon[closing..];
    if !(after.is_empty() || after.starts_with([' ', '\t', '\r'])) {
        return None;
    }
    let len = s.len() - after.len();
    Some((name.to_ascii_lowercase(), len))
}

/// Who posted the thread, from a line near the top (`*Posted by
/// u/SenWhitcomb_official in r/policy*`, `**Opened by @ilse** · label`,
/// `Submitted by: Jane Roe`), normalised as a speaker's label is: a
/// handle without `u/` or `@`, or a name in lower case.
fn poster(source: &str) -> Option<String> {
    let head = &source[..crate::text::fold::floor_boundary(source, INTERVIEW_HEAD)];
    for line in head.lines() {
        let line = line.trim().trim_start_matches(MARKS);
        let Some(by) = ["posted by", "submitted by", "opened by", "started by"]
            .iter()
            .find(|w| {
                line.as_bytes()
                    .get(..w.len())
                    .is_some_and(|b| b.eq_ignore_ascii_case(w.as_bytes()))
            })
        else {
            continue;
        };
        let rest = line[by.len()..].trim_start_matches(MARKS);
        let rest = rest
            .strip_prefix(':')
            .unwrap_or(rest)
            .trim_start_matches(MARKS);
        let rest = rest.trim_start();
        let end = rest
            .find(['·', '|', ',', '*', '(', '—', '–'])
            .unwrap_or(rest.len());
        let mut name = rest[..end].trim();
        for stop in [" in ", " on ", " at "] {
            if let Some(i) = name.find(stop) {
                name = name[..i].trim();
            }
        }
        let name =
            (name.trim_start_matches("u/").trim_start_matches('@')).trim_end_matches(['.', '_']);
        if (2..=60).contains(&name.len()) && name.chars().any(char::is_alphabetic) {
            return Some(name.to_lowercase());
        }
    }
    None
}

fn colon_label(s: &str) -> Option<(String, usize)> {
    let mut words: Vec<&str> = Vec::new();
    let mut at = 0;
    let mut parens = 0;
    loop {
        let rest = &s[at..];
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let rest = &rest[spaces..];
        if rest.starts_with('(') {
            let close = rest
                .find(')')
                .filter(|&c| c <= 80 && !rest[..c].contains('\n'))?;
            parens += 1;
            if parens > 3 || words.is_empty() {
                return None;
            }
            at += spaces + close + 1;
            continue;
        }
        let mut word_len = rest
            .find(|c: char| !(c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-')))
            .unwrap_or(rest.len());
        if word_len == 0 && words.last().is_some_and(|w| numbered(w)) {
            // "Speaker 1", "Participant 12": a transcription service's
            // names for voices it could not name.
            word_len = rest.bytes().take_while(u8::is_ascii_digit).count().min(4);
        }
        if word_len == 0 {
            let after = rest.trim_start_matches(MARKS);
            let marks = rest.len() - after.len();
            let colon = after.strip_prefix(':')?;
            let closing = colon.len() - colon.trim_start_matches(MARKS).len();
            let after = &colon[closing..];
            if !(after.is_empty() || after.starts_with([' ', '\t', '\r'])) {
                return None;
            }
            let len = at + spaces + marks + 1 + closing;
            return speaker_name(&words).map(|name| (name, len));
        }
        if parens > 0 || words.len() == 8 || at + spaces + word_len > 80 {
            return None;
        }
        words.push(&rest[..word_len]);
        at += spaces + word_len;
    }
}

/// Whether `words` name a speaker, and the name normalised.
fn speaker_name(words: &[&str]) -> Option<String> {
    let first = *words.first()?;
    if !first.starts_with(char::is_uppercase) {
        return None;
    }
    let name = words.join(" ");
    let lower = name.to_lowercase();
    if NOT_SPEAKERS.contains(&lower.as_str()) {
        return None;
    }
    let plain = |w: &str| w.trim_end_matches('.').to_lowercase();
    let words_ok = words.iter().enumerate().all(|(i, w)| {
        w.starts_with(char::is_uppercase)
            || CONNECTIVES.contains(&w.to_lowercase().as_str())
            || (i > 0 && numbered(words[i - 1]) && w.bytes().all(|b| b.is_ascii_digit()))
    });
    if !words_ok {
        return None;
    }
    let role = words.iter().any(|w| ROLES.contains(&plain(w).as_str()));
    let letters = || name.chars().filter(|c| c.is_alphabetic());
    let capitals = letters().count() >= 2 && letters().all(char::is_uppercase);
    let capitalised = || words.iter().filter(|w| w.starts_with(char::is_uppercase));
    let named = words.len() <= 6
        && (2..=4).contains(&capitalised().count())
        && !NOT_FIRST_NAMES.contains(&plain(first).as_str())
        && capitalised().all(|w| w.chars().skip(1).any(char::is_lowercase));
    (role || capitals || named).then_some(lower)
}

/// Roles a transcription service numbers ("Speaker 2").
fn numbered(word: &str) -> bool {
    [
        "speaker",
        "participant",
        "witness",
        "caller",
        "panelist",
        "panellist",
        "guest",
        "voice",
    ]
    .iter()
    .any(|r| word.eq_ignore_ascii_case(r))
}

/// A name and a time alone on the first line, as transcription services
/// write them (`Maya Chen  0:03`, `Speaker 2 (01:12:09)`): the words
/// follow on the next line.
fn timed_label(line: &str) -> Option<(String, usize)> {
    let trimmed = line.trim_end();
    let (name, stamp) = trimmed.rsplit_once([' ', '\t'])?;
    let stamp = stamp.trim_matches(['(', ')', '[', ']']);
    let parts: Vec<&str> = stamp.split(':').collect();
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let is_time = (2..=3).contains(&parts.len())
        && digits(parts[0], 1..=2)
        && parts[1..].iter().all(|p| digits(p, 2..=2));
    let words: Vec<&str> = name.split_whitespace().collect();
    if !is_time || words.is_empty() || words.len() > 8 || name.len() > 80 {
        return None;
    }
    let wordlike = |w: &&str| {
        w.chars()
            .all(|c| c.is_alphabetic() || c.is_ascii_digit() || matches!(c, '.' | '\'' | '’' | '-'))
    };
    if !words.iter().all(wordlike) {
        return None;
    }
    speaker_name(&words).map(|name| (name, line.len()))
}

/// The Congressional Record's labels: an honorific and a surname in
/// capitals, then a full stop (`Mr. LINDQVIST.`, `The CHAIR.`, `Mr. SMITH
/// of Texas.`).
fn record_label(s: &str) -> Option<(String, usize)> {
    const HONORIFICS: &[&str] = &[
        "Mr.",
        "Mrs.",
        "Ms.",
        "Miss",
        "Dr.",
        "Senator",
        "Chairman",
        "Chairwoman",
        "Chair",
        "The",
        "Madam",
        "Delegate",
        "Commissioner",
    ];
    let honorific = HONORIFICS.iter().find(|h| {
        s.strip_prefix(**h)
            .is_some_and(|rest| rest.starts_with(' '))
    })?;
    let mut at = honorific.len();
    let mut name: Vec<&str> = Vec::new();
    loop {
        let rest = &s[at..];
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        let rest = &rest[spaces..];
        let word_len = rest
            .find(|c: char| !(c.is_alphabetic() || matches!(c, '\'' | '’' | '-')))
            .unwrap_or(rest.len());
        let word = &rest[..word_len];
        let capitals = word.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && word.chars().all(|c| !c.is_lowercase());
        let of_place = !name.is_empty()
            && (matches!(word, "of" | "pro" | "tempore") || word.starts_with(char::is_uppercase));
        if word_len == 0 || !(capitals || of_place) || name.len() == 6 {
            break;
        }
        name.push(word);
        at += spaces + word_len;
    }
    let caps = name.first()?;
    if caps.chars().any(char::is_lowercase) || (*honorific == "The" && !PRESIDING.contains(caps)) {
        return None;
    }
    let rest = s[at..].strip_prefix('.')?;
    if !(rest.starts_with([' ', '\t', '\r']) || rest.is_empty()) {
        return None;
    }
    Some((name.join(" ").to_lowercase(), at + 1))
}

/// Who is "The …" in the Congressional Record (`The CHAIR.`, `The
/// SPEAKER pro tempore.`).
const PRESIDING: &[&str] = &[
    "CHAIR",
    "CHAIRMAN",
    "CHAIRWOMAN",
    "SPEAKER",
    "PRESIDENT",
    "PRESIDING",
    "ACTING",
    "VICE",
    "CLERK",
    "WITNESS",
    "MODERATOR",
];

/// A post's header alone on its line: a handle, then how long ago it
/// was posted and nothing but a forum's buttons after that (`quantqueen
/// · posted 2 days ago`, `u/sandbox_dev · 3h`, `jdoe 2 days ago | parent
/// | next [–]`, `Jane D. · yesterday`), or a name and `says:` / `wrote:`
/// and perhaps a date, as comment sections print them. Returns the handle,
/// lowercased.
fn post_header(line: &str) -> Option<String> {
    let line = line.trim_end();
    if line.len() > HEADER_SPAN || line.is_empty() {
        return None;
    }
    if !has_time_hint(line) {
        return None;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    // The handle: one to three words before a separator, a time or a
    // verb of posting.
    for n in 1..=3.min(words.len() - 1) {
        let handle: Vec<&str> = words[..n].iter().map(|w| w.trim_matches(MARKS)).collect();
        let handle_chars = |w: &&str| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\'' | '@' | '/'))
        };
        // "Jane D." is a name; "Inc." or "said." is not.
        let last = handle[n - 1];
        if !handle.iter().all(handle_chars) || (last.ends_with('.') && last.len() != 2) {
            return None;
        }
        if !handle.iter().any(|w| w.chars().any(char::is_alphabetic))
            || NOT_HANDLES.contains(&handle[0].to_lowercase().as_str())
        {
            return None;
        }
        let mut rest = &words[n..];
        if rest.first().is_some_and(|w| is_separator(w)) {
            rest = &rest[1..];
        }
        let lower: Vec<String> = rest.iter().map(|w| w.to_lowercase()).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        let said = matches!(
            lower.first(),
            Some(&("says:" | "wrote:" | "commented:" | "replied:"))
        ) && lower.get(1).is_none_or(|w| is_date_word(w));
        let timed =
            relative_time(&lower).is_some_and(|used| lower[used..].iter().all(|w| is_button(w)));
        if said || timed {
            let name = handle.join(" ").to_lowercase();
            return Some(
                name.trim_start_matches('@')
                    .trim_start_matches("u/")
                    .to_string(),
            );
        }
    }
    None
}

/// Whether `line` has a word every post header has: "ago", "yesterday",
/// "today", "now", a verb of posting with a colon, or a compact time such
/// as `3h` or `2d`. Most short lines (headings, list items, wrapped prose)
/// have none; they are read word by word without allocating, and go no
/// further.
fn has_time_hint(line: &str) -> bool {
    const WORDS: [&str; 8] = [
        "ago",
        "yesterday",
        "today",
        "now",
        "says:",
        "wrote:",
        "commented:",
        "replied:",
    ];
    // The time comes within a header's first eight words: a handle of up
    // to three, a separator, "posted", "2 days ago".
    line.split_whitespace().take(8).any(|word| {
        let word = word.trim_end_matches(['.', ',']);
        WORDS.iter().any(|w| word.eq_ignore_ascii_case(w)) || compact_time(word)
    })
}

/// `3h`, `2d`, `5mo`: a number and a unit, as forums abbreviate a post's age.
fn compact_time(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits)
        && matches!(
            &word[digits..],
            "s" | "m" | "h" | "d" | "w" | "y" | "mo" | "yr" | "hr"
        )
}

/// Words that open a page's time lines, not a poster's handle
/// (`Updated 2 hours ago`, `Last edited 3d`).
const NOT_HANDLES: &[&str] = &[
    "updated",
    "posted",
    "published",
    "edited",
    "last",
    "modified",
    "written",
    "added",
    "sent",
    "created",
    "submitted",
    "filed",
    "released",
    "reviewed",
];

fn is_separator(word: &str) -> bool {
    matches!(word, "·" | "•" | "|" | "—" | "–" | "-" | "»")
}

/// What a forum prints after a post's time: separators, links such as
/// `parent` or `reply`, counts, and anything in brackets.
fn is_button(word: &str) -> bool {
    is_separator(word)
        || word.starts_with(['[', '('])
        || word.bytes().all(|b| b.is_ascii_digit())
        || matches!(
            word.trim_end_matches([',', '.']),
            "parent"
                | "next"
                | "prev"
                | "root"
                | "context"
                | "edited"
                | "reply"
                | "replies"
                | "link"
                | "permalink"
                | "flag"
                | "report"
                | "share"
                | "points"
                | "point"
                | "votes"
                | "likes"
                | "op"
                | "author"
                | "moderator"
                | "mod"
                | "member"
        )
}

/// A word of a date line after `says:` (`November 3, 2026 at 4:12 pm`).
fn is_date_word(word: &str) -> bool {
    let word = word.trim_end_matches([',', '.']);
    word.bytes().next().is_some_and(|b| b.is_ascii_digit())
        || [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
            "on",
        ]
        .iter()
        .any(|m| word.starts_with(m))
}

/// How many of `words` (lowercased) say how long ago something was
/// posted, if they open with that: `2 days ago`, `posted 20 hours ago`,
/// `3h`, `yesterday`, `just now`, `an hour ago`.
fn relative_time(words: &[&str]) -> Option<usize> {
    let (skipped, words) = match words {
        ["posted" | "replied" | "commented" | "edited", rest @ ..] => (1, rest),
        _ => (0, words),
    };
    let unit = |w: &str| {
        matches!(
            w.trim_end_matches(['.', ',']),
            "sec"
                | "secs"
                | "second"
                | "seconds"
                | "min"
                | "mins"
                | "minute"
                | "minutes"
                | "hr"
                | "hrs"
                | "hour"
                | "hours"
                | "day"
                | "days"
                | "week"
                | "weeks"
                | "month"
                | "months"
                | "year"
                | "years"
        )
    };
    let used = match words {
        ["yesterday" | "today", ..] => 1,
        ["just", "now", ..] => 2,
        [count, u, ago, ..]
            if (*count == "a"
                || *count == "an"
                || (count.len() <= 3 && count.bytes().all(|b| b.is_ascii_digit())))
                && unit(u)
                && ago.trim_end_matches([',', '.']) == "ago" =>
        {
            3
        }
        [w, ..] if compact_time(w.trim_end_matches([',', '.'])) => 1,
        _ => return None,
    };
    Some(skipped + used)
}

/// A byline alone on its line: `By` and two to four capitalised words
/// (`By Teodora Vasquez`, `By Malik Osei, founder of …`, `By Jane M.
/// Doe and John Roe`), ending there or at a comma, `and`, `|` or `·`,
/// without a full stop at the end of the line. Returns the name,
/// lowercased.
fn byline(line: &str) -> Option<String> {
    let line = line.trim_end().trim_end_matches(MARKS);
    let rest = line.strip_prefix("By ")?;
    // A date line may end in a time or a suffix whose full stop ends no
    // sentence: "By Jane Doe | Dec. 6, 2026, 4:15 p.m.".
    let abbreviated = ["a.m.", "p.m.", "A.M.", "P.M.", "Jr.", "Sr."]
        .iter()
        .any(|a| line.ends_with(a));
    if line.len() > HEADER_SPAN + 80 || (line.ends_with(['.', '?', '!', ':', ';']) && !abbreviated)
    {
        return None;
    }
    let mut name: Vec<&str> = Vec::new();
    let mut capitalised = 0;
    for word in rest.split(' ') {
        let bare = word.trim_end_matches(',');
        let capital = bare.starts_with(char::is_uppercase)
            && (bare.chars().skip(1).any(char::is_lowercase)
                || (bare.len() == 2 && bare.ends_with('.')));
        let connective = !name.is_empty() && CONNECTIVES.contains(&bare) && bare != "and";
        let letters = bare
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-'));
        if !(capital || connective) || !letters {
            // The name ends: what follows must be a role, another author
            // or a date line, not the rest of a sentence.
            let ends_well = word == "and" || is_separator(word);
            if !ends_well {
                return None;
            }
            break;
        }
        name.push(bare);
        capitalised += usize::from(capital);
        if bare.len() < word.len() {
            break;
        }
        if capitalised > 4 {
            return None;
        }
    }
    (2..=4)
        .contains(&capitalised)
        .then(|| name.join(" ").to_lowercase())
}

/// Whether the paragraph at `start`, opening with `marks` (`**`, `__`),
/// is wholly in bold: an interviewer's prompt in Markdown.
fn bold_paragraph(source: &str, start: usize, close: &str) -> bool {
    // A prompt is short: looking no further than this keeps a file of
    // lines that each open in bold linear.
    let end = crate::text::fold::floor_boundary(source, (start + PROMPT_SPAN).min(source.len()));
    let rest = &source[start..end];
    let end = rest.find("\n\n").unwrap_or(rest.len());
    let paragraph = rest[..end].trim_end();
    paragraph.len() > 4 && paragraph.ends_with(close) && !paragraph[2..].starts_with(close)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How each paragraph of `source` opens (paragraphs at blank lines).
    fn labels(source: &str) -> Vec<Opening> {
        let mut at = 0;
        source
            .split("\n\n")
            .map(|p| {
                let start = at;
                at += p.len() + 2;
                opening(source, start).0
            })
            .collect()
    }

    fn speaker(name: &str) -> Opening {
        Opening::Speaker(name.to_string())
    }

    #[test]
    fn speakers_are_read_in_every_house_style() {
        let cases = [
            (
                "Ms. WHITCOMBE. The subcommittee will come to order.",
                "whitcombe",
            ),
            ("The CHAIR. Without objection.", "chair"),
            ("Mr. SMITH of Texas. I yield back.", "smith of texas"),
            ("**Senator Pell:** Thank you.", "senator pell"),
            ("**Clerk**: The yeas are 17.", "clerk"),
            (
                "[00:01:18] Ines Ferreira: That argument has force.",
                "ines ferreira",
            ),
            ("(12:03) MAYA CHEN: Welcome back.", "maya chen"),
            (
                "Dr Helen Marsh (Cambridge South) (LD): I beg to move.",
                "dr helen marsh",
            ),
            (
                "The Minister for AI and Digital Government (Sarah Lowe): I thank her.",
                "the minister for ai and digital government",
            ),
            ("MODERATOR (Julia Brenner): Thank you all.", "moderator"),
            ("PROF. NAKAMURA: I think we agree.", "prof. nakamura"),
            ("Ursula von der Leyen: We will act.", "ursula von der leyen"),
            ("Speaker 2 (00:01:12): Right.", "speaker 2"),
            ("Speaker 1: Welcome.", "speaker 1"),
            ("Maya Chen  0:03", "maya chen"),
            ("Speaker 2 (01:12:09)", "speaker 2"),
            ("Dr. Ines Ferreira [12:03]", "dr. ines ferreira"),
            ("Q45 Chair: Thank you for coming.", "chair"),
            ("Q1 Dame Alison Reed: Good morning.", "dame alison reed"),
        ];
        for (line, name) in cases {
            assert_eq!(labels(line), [speaker(name)], "{line}");
        }
    }

    #[test]
    fn lead_ins_and_prose_are_not_speakers() {
        for line in [
            "Note: the figures are estimates.",
            "**Background:** The bill was introduced in May.",
            "Key Findings: open models are widely used.",
            "The Big Picture: nobody agrees.",
            "UPDATE: the vote was delayed.",
            "Section 3: Definitions.",
            "Article 5: Prohibited practices",
            "Regulators said: enough.",
            "The committee met at 10 a.m. and adjourned.",
            "Mr. Smith said the bill would pass.",
            "The EU. Its rules apply.",
            "In 2024: a year of change.",
            "See https://example.org: the text.",
            "Chapter 3: Findings",
            "Section 12: Scope",
            "The meeting began at 10:30",
            "Item 4 12:00",
            "Key Findings 2:30",
            "Open weights 1:1",
            "Q3 results were strong.",
            "Q4: the fourth quarter.",
        ] {
            assert_eq!(labels(line), [Opening::Prose], "{line}");
        }
    }

    #[test]
    fn questions_and_answers_are_told_apart() {
        assert_eq!(labels("Q: Why now?"), [Opening::Question]);
        assert_eq!(
            labels("**Q: Why now?**\n\nA: Because."),
            [Opening::Question, Opening::Answer]
        );
        assert_eq!(labels("Question: Why?"), [Opening::Question]);
        assert_eq!(labels("**Why publish the weights?**"), [Opening::Question]);
        assert_eq!(labels("**Bold** start, then plain."), [Opening::Prose]);
        assert_eq!(labels("Answer:the rest"), [Opening::Prose]);
    }

    const HEARING: &str = "HEARING ON LICENSING\n\n\
        Ms. WHITCOMBE. The subcommittee will come to order.\n\n\
        Dr. OSEI. Once weights are posted they cannot be recalled.\n\
        A hard-wrapped second line.\n\n\
        A second paragraph of the same speech.\n\n\
        Mr. LINDQVIST. A licensing regime would stifle startups.\n\n\
        Mr. BRANDT. Who is responsible?\n\n\
        Mr. LINDQVIST. Whoever misused it.\n\n\
        Ms. WHITCOMBE. Thank you. We stand adjourned.\n";

    #[test]
    fn a_hearing_is_a_transcript_and_each_turn_runs_to_the_next_label() {
        let turns = find(HEARING, &[], false);
        assert!(turns.transcript);
        let spoken: Vec<&str> = turns
            .spoken
            .iter()
            .map(|r| HEARING[r.clone()].trim())
            .collect();
        assert_eq!(spoken.len(), 6);
        assert!(spoken[1].starts_with("Once weights"));
        assert!(spoken[1].ends_with("of the same speech."), "{}", spoken[1]);
        assert_eq!(spoken[2], "A licensing regime would stifle startups.");
        assert!(!HEARING[..turns.spoken[0].start].contains("come to order"));
    }

    /// The Government Publishing Office's style: each paragraph's first
    /// line indented, no blank lines, a prepared statement of several
    /// paragraphs inside a turn.
    #[test]
    fn indented_paragraphs_start_turns_as_blank_lines_do() {
        let gpo = "HEARING BEFORE THE SUBCOMMITTEE\n\
            The subcommittee met at 10 a.m.\n\
            \x20   Mr. SMITH. The subcommittee will come to order. We\n\
            welcome the witnesses.\n\
            \x20   Dr. OSEI. Thank you. Weights cannot be recalled once\n\
            they are posted.\n\
            \x20   A second paragraph of my prepared statement.\n\
            \x20   Mr. SMITH. Thank you. Mr. Lindqvist.\n\
            \x20   Mr. LINDQVIST. Licensing would stifle startups.\n\
            \x20   Mr. SMITH. Dr. Osei, briefly.\n\
            \x20   Dr. OSEI. Briefly, I disagree.\n\
            \x20   Mr. SMITH. We stand adjourned.\n";
        let turns = find(gpo, &[], false);
        assert!(turns.transcript);
        let spoken: Vec<&str> = turns.spoken.iter().map(|r| gpo[r.clone()].trim()).collect();
        assert_eq!(spoken.len(), 7);
        assert!(
            spoken[1].ends_with("my prepared statement."),
            "{}",
            spoken[1]
        );
        assert!(!gpo[..turns.spoken[0].start].contains("come to order"));
    }

    /// A transcription service's export: a name and a time on a line of
    /// their own, the words on the next.
    #[test]
    fn a_name_and_a_time_on_their_own_line_label_the_words_below() {
        let mut export = String::from("Frontier Files, episode 88\n\n");
        for (i, (name, words)) in [
            ("Maya Chen", "Welcome back."),
            ("Speaker 2", "Thanks for having me."),
            ("Maya Chen", "Let's start with the threshold."),
            ("Speaker 2", "It is a crude proxy."),
            ("Maya Chen", "And compute gets cheaper."),
            ("Speaker 2", "Exactly."),
        ]
        .iter()
        .enumerate()
        {
            export.push_str(&format!("{name}  0:{:02}\n{words}\n\n", i * 7));
        }
        let turns = find(&export, &[], false);
        assert!(turns.transcript);
        let spoken: Vec<&str> = turns
            .spoken
            .iter()
            .map(|r| export[r.clone()].trim())
            .collect();
        assert_eq!(spoken[0], "Welcome back.");
        assert_eq!(spoken[5], "Exactly.");
    }

    #[test]
    fn one_voice_or_too_few_turns_is_no_transcript() {
        let monologue = "Dr. OSEI. One.\n\nDr. OSEI. Two.\n\nDr. OSEI. Three.\n\nDr. OSEI. Four.\n";
        assert_eq!(find(monologue, &[], false), Turns::default());
        let memo = "To: Staff\n\nFrom: Counsel\n\nSubject: The bill\n\nDate: Today\n\nBody.\n";
        assert_eq!(find(memo, &[], false), Turns::default());
        let once_each = "Maya Chen: a\n\nTomasz Rek: b\n\nInes Ferreira: c\n\nJo Park: d\n";
        assert_eq!(find(once_each, &[], false), Turns::default());
    }

    #[test]
    fn forum_post_headers_are_read_in_every_house_style() {
        let cases = [
            ("**quantqueen** · posted 2 days ago", "quantqueen"),
            ("u/sandbox_dev · 3h", "sandbox_dev"),
            ("jdoe 2 days ago | parent | next [–]", "jdoe"),
            ("Jane D. · yesterday", "jane d."),
            ("@mirela_k • 20 hours ago (edited)", "mirela_k"),
            ("Tomasz Rek says: November 3, 2026 at 4:12 pm", "tomasz rek"),
            ("oldschoolsysadmin — an hour ago", "oldschoolsysadmin"),
            ("biosafety_grad wrote:", "biosafety_grad"),
        ];
        for (line, name) in cases {
            assert_eq!(labels(line), [Opening::Post(name.to_string())], "{line}");
        }
    }

    #[test]
    fn prose_about_time_is_no_post_header() {
        for line in [
            "Regulators yesterday approved the rule that we opposed.",
            "Developers 3 days ago filed their comments with the agency.",
            "A week ago, the agency published its draft.",
            "The bill passed 2 days ago after a long debate",
            "Smith says: the rule is far too broad for small firms",
            "Updated 2 hours ago",
            "3h",
        ] {
            assert_eq!(labels(line), [Opening::Prose], "{line}");
        }
    }

    #[test]
    fn bylines_are_read_and_sentences_starting_with_by_are_not() {
        let cases = [
            (
                "*By Teodora Vasquez, former deputy director of an agency*",
                "teodora vasquez",
            ),
            ("By Malik Osei", "malik osei"),
            ("By Jane M. Doe and John Roe", "jane m. doe"),
            (
                "_By Ursula von der Leyen | Brussels_",
                "ursula von der leyen",
            ),
            ("By Jane Doe | Dec. 6, 2026, 4:15 p.m.", "jane doe"),
            ("By Martin Luther King Jr.", "martin luther king jr."),
        ];
        for (line, name) in cases {
            assert_eq!(labels(line), [Opening::Byline(name.to_string())], "{line}");
        }
        for line in [
            "By Executive Order 14110, the President directed the agencies.",
            "By January 2027, providers must register.",
            "By Contrast, the draft says nothing.",
            "By Senate Bill 53 the state chose transparency",
            "By Tuesday Morning the vote was over.",
            "By now everyone knows the answer",
            "By Friday the vote will be over at 5 p.m.",
        ] {
            assert_eq!(labels(line), [Opening::Prose], "{line}");
        }
    }

    /// A thread where everyone posts once is still many voices; the
    /// words under each header are that poster's.
    #[test]
    fn handles_label_turns_in_emphasis_and_in_nested_replies() {
        let text = "**u/kernel_panic_42:** Why?\n\n\
            > **u/SenWhitcomb_official:** Because.\n\n\
            @tomasz-k: +1.\n\n\
            > > __@rhea.builds__: Agreed.\n\n\
            u/x: too short.\n\n\
            email@example.com: not a label.\n\n\
            > Quoted prose: no label.";
        assert_eq!(
            labels(text),
            vec![
                speaker("kernel_panic_42"),
                speaker("senwhitcomb_official"),
                speaker("tomasz-k"),
                speaker("rhea.builds"),
                Opening::Prose,
                Opening::Prose,
                Opening::Prose,
            ]
        );
    }

    #[test]
    fn the_poster_is_read_from_the_top_in_several_styles() {
        for (head, want) in [
            (
                "*Posted by u/SenWhitcomb_official in r/policy · verified*",
                "senwhitcomb_official",
            ),
            (
                "**Opened by @ilse-maintainer** · label: `governance`",
                "ilse-maintainer",
            ),
            ("Submitted by: Jane Roe, March 3", "jane roe"),
            ("posted by Janelle Whitaker, March 3", "janelle whitaker"),
        ] {
            let text = format!("# Title\n\n{head}\n\nBody.\n");
            assert_eq!(poster(&text).as_deref(), Some(want), "{head}");
        }
        assert_eq!(
            poster("# Title\n\nReading responses are posted by noon.\n"),
            None
        );
    }

    #[test]
    fn a_thread_s_poster_speaks_as_its_author_and_the_others_are_reported() {
        let thread = "# I wrote the bill. Ask me anything.\n\n\
            *Posted by u/sen_whit in r/policy*\n\n\
            Hi all, I will answer for two hours.\n\n\
            **u/kp42:** This kills open source.\n\n\
            > **u/sen_whit:** It covers ten companies.\n\n\
            **u/biolab:** Ban releases.\n\n\
            > **u/sen_whit:** A ban punishes thousands.\n\n\
            **u/kp42:** So open weights are fine?\n\n\
            > **u/sen_whit:** Rules should be tiered by risk.\n";
        let turns = find(thread, &[], false);
        assert!(!turns.transcript, "the poster's own thread has a stance");
        let text = |r: &Range<usize>| thread[r.clone()].trim();
        let spoken: Vec<&str> = turns.spoken.iter().map(text).collect();
        assert_eq!(
            spoken,
            [
                "This kills open source.",
                "Ban releases.",
                "So open weights are fine?"
            ]
        );
        let own: Vec<&str> = turns.own.iter().map(text).collect();
        assert_eq!(own.len(), 3);
        assert!(own[0].starts_with("> **u/sen_whit:** It covers"));
        // Without the line naming the poster it is a record of speakers.
        let unposted = thread.replace("*Posted by u/sen_whit in r/policy*", "*From r/policy*");
        let turns = find(&unposted, &[], false);
        assert!(turns.transcript && turns.own.is_empty());
        assert_eq!(turns.spoken.len(), 6);
    }

    #[test]
    fn a_scripts_narrator_is_its_author_and_the_people_it_cuts_to_are_quoted() {
        let script = "# A video essay\n\n**[COLD OPEN]**\n\n\
            NARRATOR: A permit system costs lawyers.\n\n\
            NARRATOR: It makes small teams disappear.\n\n\
            OKAFOR: When I can read the weights, I can find the problems.\n\n\
            NARRATOR: Enforce the laws we have.\n\n\
            OKAFOR: Otherwise I'm guessing.\n\n\
            NARRATOR: Tell them to keep AI open.\n";
        let turns = find(script, &[], false);
        assert!(!turns.transcript);
        assert_eq!(turns.own.len(), 4);
        let spoken: Vec<&str> = turns
            .spoken
            .iter()
            .map(|r| script[r.clone()].trim())
            .collect();
        assert_eq!(
            spoken,
            [
                "When I can read the weights, I can find the problems.",
                "Otherwise I'm guessing."
            ]
        );
    }

    #[test]
    fn a_forum_thread_is_a_record_of_its_posters() {
        let thread = "# Thread: the registration rule\n\n\
            ana_p · 2 days ago\n\nThe rule is a form, not a licence.\n\n\
            ben_k · 2 days ago\n\nIt will stifle hobbyists.\n\nAnd startups.\n\n\
            cleo · 1 day ago\n\nWeights cannot be recalled.\n\n\
            dev_m · 20 hours ago\n\nThe agency expects ten filings a year.\n";
        let turns = find(thread, &[], false);
        assert!(turns.transcript);
        let spoken: Vec<&str> = turns
            .spoken
            .iter()
            .map(|r| thread[r.clone()].trim())
            .collect();
        assert_eq!(spoken.len(), 4);
        assert_eq!(spoken[1], "It will stifle hobbyists.\n\nAnd startups.");
        assert!(!thread[..turns.spoken[0].start].contains("a form"));
        // Two people posting are a conversation quoted, not a thread.
        let two = thread.replace("cleo", "ana_p").replace("dev_m", "ben_k");
        assert!(!find(&two, &[], false).transcript);
    }

    #[test]
    fn pieces_by_two_authors_are_other_peoples_words_and_one_byline_is_not() {
        let page = "# Point / Counterpoint: should the state license models?\n\n\
            The editors take no position.\n\n\
            ## Yes: some capabilities are too dangerous\n\n\
            *By Teodora Vasquez, former official*\n\n\
            Weights cannot be recalled.\n\n\
            ## No: a licence locks in incumbents\n\n\
            *By Malik Osei, founder*\n\n\
            Licensing would stifle startups.\n";
        let turns = find(page, &[], false);
        assert!(turns.transcript);
        let spoken: Vec<&str> = turns
            .spoken
            .iter()
            .map(|r| page[r.clone()].trim())
            .collect();
        assert_eq!(spoken.len(), 2);
        assert!(spoken[0].starts_with("## Yes"), "{}", spoken[0]);
        assert!(spoken[1].starts_with("## No") && spoken[1].ends_with("stifle startups."));
        assert!(!page[..turns.spoken[0].start].contains("Yes:"));
        // One author's op-ed, signed at the top and at the bottom.
        let op_ed = "*By Malik Osei*\n\nLicensing would stifle startups.\n\n*By Malik Osei*\n";
        assert_eq!(find(op_ed, &[], false), Turns::default());
    }

    #[test]
    fn an_exchange_quoted_in_prose_is_reported_but_the_prose_is_the_authors() {
        let mut op_ed = String::from("We watched the hearing.\n\n");
        op_ed.push_str("Rep. Farris: Could you comply?\n\nMr. Dalton: Yes.\n\n");
        op_ed.push_str("Rep. Farris: And a startup?\n\nMr. Dalton: Ask them.\n\n");
        for _ in 0..3 {
            op_ed.push_str("The author argues at length in this paragraph.\n\n");
        }
        let turns = find(&op_ed, &[], false);
        assert!(!turns.transcript);
        assert_eq!(turns.spoken.len(), 4);
        let last = turns.spoken.last().unwrap();
        assert_eq!(op_ed[last.clone()].trim(), "Ask them.");
    }

    /// The text of each quoted range, trimmed of spaces and emphasis.
    fn quoted(text: &str) -> Vec<&str> {
        let turns = find(text, &[], false);
        assert!(
            !turns.transcript,
            "a myths-and-facts sheet is no transcript"
        );
        (turns.spoken.iter())
            .map(|r| text[r.clone()].trim_matches(|c: char| c.is_whitespace() || c == '*'))
            .collect()
    }

    #[test]
    fn myths_are_the_other_sides_words_and_facts_the_authors() {
        // Paragraph by paragraph, in bold capitals, as a briefing sheet
        // sets them out: five labels, two of them repeated, which read
        // as a transcript's speakers before.
        let sheet = "Claims we hear.\n\n\
                     **MYTH: Weights hand attackers a weapon.**\n\n\
                     **FACT:** Studies found no uplift.\n\n\
                     **MYTH: Only a licence keeps us safe.**\n\n\
                     **FACT:** A licence stops no one.\n\n\
                     What we ask.\n";
        assert_eq!(
            labels(sheet)[1..5],
            [
                Opening::Myth(true),
                Opening::Fact,
                Opening::Myth(true),
                Opening::Fact
            ]
        );
        assert_eq!(
            quoted(sheet),
            [
                "Weights hand attackers a weapon.",
                "Only a licence keeps us safe."
            ]
        );
        // Myth and answer on one line, numbered myths, and a heading.
        let inline = "Myth #1: Open models help rivals. Reality: Rivals publish their own.\n";
        assert_eq!(quoted(inline), ["Open models help rivals."]);
        let inline = "**Myth 2:** Closed is safer. **Fact:** Closed models leak.\n";
        assert_eq!(quoted(inline), ["Closed is safer."]);
        let heading =
            "## Myth No. 3: Nobody can be held liable\nLiability belongs with the deployer.\n";
        assert_eq!(quoted(heading), ["Nobody can be held liable"]);
    }

    #[test]
    fn a_debate_motion_is_quoted_and_a_legislature_s_resolution_is_not() {
        let round = "Resolved: The government should require a license to publish\n\
                     the weights of frontier models.\n\nMODERATOR: Welcome.\n";
        assert_eq!(
            quoted(round),
            ["The government should require a license to publish\nthe weights of frontier models."]
        );
        let motion = "**The motion:** Open models do more good than harm.\n\nFor the motion: …\n";
        assert_eq!(quoted(motion), ["Open models do more good than harm."]);
        // "RESOLVED, That …" and "BE IT RESOLVED" are the author's.
        assert!(quoted("RESOLVED, That the Senate opposes licensing.\n").is_empty());
        assert!(quoted("BE IT RESOLVED that the Senate opposes licensing.\n").is_empty());
    }

    #[test]
    fn a_claim_is_refuted_only_beside_an_answer() {
        // A fact check: the claim it rates is someone else's.
        let check = "Claim: Open models caused the outage.\n\nVerdict: False.\n";
        assert_eq!(quoted(check), ["Open models caused the outage."]);
        // "Claim:" alone is an argument map's own step, and prose that
        // merely mentions a myth, or a word ending in one, labels nothing.
        assert!(
            quoted("Claim: Open models are safe enough.\n\nReason: They were tested.\n").is_empty()
        );
        assert!(quoted("The myth: that weights are a weapon.\n").is_empty());
        assert!(quoted("It is a myth: weights are not a weapon.\n").is_empty());
        assert!(quoted("Artifact: the weights file.\n").is_empty());
    }

    #[test]
    fn signed_pieces_are_their_signers_words() {
        let argument = "Vote on this measure because of what it does. ".repeat(5);
        let mut guide = String::from(
            "# Voter guide\n\n## Summary\n\nThe official summary, in the guide's own voice.\n\n",
        );
        for (heading, signer) in [
            (
                "Argument in favor",
                "*Dr. Alicia Moreno, President, Public Health Association*",
            ),
            (
                "Rebuttal to the argument in favor",
                "*Raymond Liu, Executive Director, Open Innovation Network*",
            ),
            ("Argument against", "— Raymond Liu, Executive Director"),
        ] {
            guide.push_str(&format!("## {heading}\n\n{argument}\n\n{signer}\n\n"));
        }
        let turns = find(&guide, &[], false);
        assert!(turns.transcript);
        assert_eq!(turns.spoken.len(), 3);
        for (piece, heading) in
            turns
                .spoken
                .iter()
                .zip(["## Argument in favor", "## Rebuttal", "## Argument against"])
        {
            assert!(
                guide[piece.clone()].starts_with(heading),
                "{:?}",
                &guide[piece.clone()]
            );
            assert!(guide[piece.clone()].contains(argument.trim()));
        }
        assert!(
            !guide[..turns.spoken[0].start].contains("Vote on"),
            "the summary stays the guide's"
        );
        // A joint letter's signature block, an italic author's note, or
        // one signer twice is no set of pieces.
        let letter = format!(
            "Dear Colleague,\n\n{argument}\n\nSincerely,\n\n*Marcus Whitfield*\n\n*Kwame Osei*\n"
        );
        assert_eq!(find(&letter, &[], false), Turns::default());
        assert_eq!(
            signature("*Wierzbicki lives in Gdańsk and writes about software.*"),
            None
        );
        assert_eq!(signature("*Authors: Hana Sato and Marcus Feld.*"), None);
        assert_eq!(signature("*Prepared by the Attorney General*"), None);
        assert_eq!(
            signature("Raymond Liu, Executive Director"),
            None,
            "no emphasis, no dash"
        );
        let twice = format!(
            "## A\n\n{argument}\n\n*Raymond Liu, Director*\n\n## B\n\n{argument}\n\n*Raymond Liu, Director*\n"
        );
        assert_eq!(find(&twice, &[], false), Turns::default());
    }

    #[test]
    fn html_paragraphs_on_one_line_are_paragraphs() {
        // Tags already blanked, as HTML extraction leaves them.
        let text = "   MODERATOR: a.       GRACE ODUYA: b.       MODERATOR: c.       \
                    ARJUN MEHTA: d.       MODERATOR: e.       KAREN WOLFE: f.   ";
        let breaks: Vec<usize> = text.match_indices("   ").map(|(i, _)| i).collect();
        let turns = find(text, &breaks, false);
        assert!(turns.transcript);
        assert_eq!(turns.spoken.len(), 6);
        // `<p><strong>NAME:</strong>`: the inline tags' word joiners.
        let j = "\u{2060}";
        let text = format!(
            "{j}MODERATOR:{j} a.\n{j}GRACE ODUYA:{j} b.\n{j}MODERATOR:{j} c.\n{j}Arjun Mehta{j}: d.\n"
        );
        let turns = find(&text, &[], true);
        let spoken: Vec<&str> = (turns.spoken.iter())
            .map(|r| text[r.clone()].trim_matches(|c: char| c.is_whitespace() || c == '\u{2060}'))
            .collect();
        assert_eq!(spoken, ["a.", "b.", "c.", "d."]);
    }

    #[test]
    fn an_interview_is_told_by_its_announcement() {
        let body = "**Why publish the weights?**\n\nBecause researchers improve them.\n\n\
                    **Why oppose the bill?**\n\nIt would entrench incumbents.\n\n\
                    **Critics disagree.**\n\nThey are right about some things.\n";
        let interview =
            format!("*She spoke with our desk. The interview was condensed.*\n\n{body}");
        let turns = find(&interview, &[], false);
        assert!(turns.transcript);
        let spoken: Vec<&str> = turns
            .spoken
            .iter()
            .map(|r| interview[r.clone()].trim())
            .collect();
        assert_eq!(
            spoken,
            [
                "**Why publish the weights?**\n\nBecause researchers improve them.",
                "**Why oppose the bill?**\n\nIt would entrench incumbents.",
                "**Critics disagree.**\n\nThey are right about some things."
            ]
        );
        let briefing = format!("*A briefing from the Forum, which sets out its views.*\n\n{body}");
        assert_eq!(find(&briefing, &[], false), Turns::default());
    }

    #[test]
    fn labels_never_split_a_character() {
        for s in [
            "Ms. WHITCOMBE",
            "é:",
            "**",
            "[00:0",
            "(1",
            "Q",
            "Mr. É.",
            "A\u{301}:",
        ] {
            for i in 0..=s.len() {
                if s.is_char_boundary(i) {
                    let _ = find(&s[..i], &[0, 1, 2, 99], false);
                    let _ = find(&s[i..], &[0], true);
                }
            }
        }
    }
}
