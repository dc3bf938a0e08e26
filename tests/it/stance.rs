//! End-to-end stance behaviour on sentences written for these tests: the
//! same cues, arranged differently, must change the outcome.

use policyscan::classify::model::default_model;
use policyscan::classify::{self, ClassifyOptions};
use policyscan::rules::{self, RuleSource};
use policyscan::text::{Document, Format};
use policyscan::{Stance, report::StanceReport};

fn stance(text: &str) -> StanceReport {
    let rules = rules::load(&[RuleSource::Default]).unwrap();
    let doc = Document::new("t.txt", Format::Text, text.to_string());
    classify::analyze(&rules, &doc, &ClassifyOptions::default()).stance
}

#[test]
fn plain_advocacy_is_called() {
    let s = stance(
        "Publishing frontier weights is reckless. A release is irreversible, and the risks are catastrophic.",
    );
    assert_eq!(s.label, Stance::SecurityFirst, "{s:?}");
    let s = stance(
        "Restricting open models would be a mistake. It would stifle startups and entrench incumbents.",
    );
    assert_eq!(s.label, Stance::ProOpen, "{s:?}");
    let s = stance(
        "Lawmakers should regulate use, not research, through a risk-based framework with a safe harbor for research.",
    );
    assert_eq!(s.label, Stance::Hybrid, "{s:?}");
}

#[test]
fn negation_changes_the_outcome() {
    let asserted = stance(
        "Open weights are reckless. Their release is irreversible. The risks are catastrophic.",
    );
    let negated = stance(
        "Open weights are not reckless. Their release is not irreversible. The risks are not catastrophic.",
    );
    assert_eq!(asserted.label, Stance::SecurityFirst);
    assert_eq!(negated.label, Stance::Neutral, "{negated:?}");
    assert!(
        negated
            .evidence
            .iter()
            .all(|e| e.modifiers.contains(&"negated".to_string()))
    );
}

#[test]
fn contrast_gives_the_last_word_to_the_author() {
    let pro_last = stance(
        "Releases are irreversible and some labs are reckless, but restrictions would stifle startups and entrench incumbents.",
    );
    let security_last = stance(
        "Restrictions would stifle startups and entrench incumbents, but releases are irreversible and some labs are reckless.",
    );
    assert_eq!(pro_last.label, Stance::ProOpen, "{pro_last:?}");
    assert_eq!(
        security_last.label,
        Stance::SecurityFirst,
        "{security_last:?}"
    );
}

#[test]
fn concession_then_rebuttal_across_sentences() {
    let s = stance(
        "Yes, a release is irreversible and misuse is catastrophic. However, a ban would stifle research and entrench incumbents.",
    );
    assert_eq!(s.label, Stance::ProOpen, "{s:?}");
}

#[test]
fn reported_speech_is_not_the_authors_stance() {
    let own = stance("A release is irreversible, reckless and catastrophic.");
    let reported =
        stance("Critics argue that a release is irreversible, reckless and catastrophic.");
    assert_eq!(own.label, Stance::SecurityFirst);
    assert_eq!(reported.label, Stance::Neutral, "{reported:?}");
    assert!(reported.scores.security_first < own.scores.security_first / 2.0);
}

#[test]
fn too_little_signal_is_neutral() {
    let s = stance("The committee met on Tuesday to discuss open source software procurement.");
    assert_eq!(
        (s.label, s.reason.as_str()),
        (Stance::Neutral, "weak-signal")
    );
}

#[test]
fn statute_text_is_neutral_whatever_its_vocabulary() {
    let text = "Section 1. Definitions.\n(a) A developer shall not release a model whose release is irreversible.\n\
        Section 2. Duties.\n(a) A developer shall test each model. (b) The developer shall report catastrophic risks \
        and reckless conduct. (c) The Office shall keep records.\nSection 3. Penalties.\n(a) A developer that violates \
        Section 2 shall pay a civil penalty. Releases that stifle research or entrench incumbents shall be reviewed.\n"
        .repeat(3);
    let s = stance(&text);
    assert_eq!(
        (s.label, s.reason.as_str()),
        (Stance::Neutral, "statute-like"),
        "{s:?}"
    );
}

#[test]
fn real_statutes_are_neutral() {
    for path in [
        "../shared/corpus/legal/eu-ai-act-2024-1689-articles.txt",
        "../shared/corpus/legal/us-eo-14110.txt",
    ] {
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(stance(&text).label, Stance::Neutral, "{path}");
    }
}

#[test]
fn line_counts_follow_wc() {
    let rules = rules::load(&[RuleSource::Default]).unwrap();
    for (text, lines) in [
        ("", 0),
        ("a", 1),
        ("a\n", 1),
        ("a\nb\n", 2),
        ("a\r\nb", 2),
        ("a\rb\r", 2),
    ] {
        let doc = Document::new("t", Format::Text, text.to_string());
        assert_eq!(
            classify::analyze(&rules, &doc, &ClassifyOptions::default()).lines,
            lines,
            "{text:?}"
        );
    }
}

/// A team-written column that takes a side without any of the rules'
/// cues (they find nothing: `weak-signal`).
const UNCUED_COLUMN: &str = r#"Notes from the room above the bike shop

Every Tuesday a dozen of us meet above the bike shop to tinker with language models on second-hand graphics cards. Last month a retired teacher used one of them to build a reading tutor for her grandson, and a nursing student tuned another to summarise shift notes. None of that would exist if the files we start from were locked behind a company's servers. People learn by taking things apart, and the same is true of software that writes. When a bug shows up, a hundred strangers can look for it. We publish our changes, our training notes and our mistakes, and we hope the people writing the new rules visit a place like ours before they decide who may tinker."#;

/// A piece that only reports what critics and security experts say: the
/// arguments are theirs, not the writer's.
const REPORTED_CRITICS: &str = r#"What the critics of open release say

Critics argue that a release of frontier weights is irreversible, reckless and catastrophic. Security experts warn that open models hand attackers a ready tool for biological and cyber misuse. Critics argue that the danger grows with every new model and that the weights of the strongest systems belong behind locked doors. Security experts warn that attackers will not ask permission. Critics argue that lawmakers have waited too long and that the next model could be the one that is used for an attack on a water plant or a hospital. Security experts warn that the public will not forgive a government that saw the danger coming and did nothing about it."#;

fn stance_with(text: &str, model: bool) -> StanceReport {
    let rules = rules::load(&[RuleSource::Default]).unwrap();
    let doc = Document::new("t.txt", Format::Text, text.to_string());
    let options = ClassifyOptions {
        model: model.then(default_model),
        ..ClassifyOptions::default()
    };
    classify::analyze(&rules, &doc, &options).stance
}

#[test]
fn the_model_decides_what_the_rules_leave_undecided() {
    let rules_only = stance_with(UNCUED_COLUMN, false);
    assert_eq!(
        (rules_only.label, rules_only.reason.as_str()),
        (Stance::Neutral, "weak-signal")
    );
    let with_model = stance_with(UNCUED_COLUMN, true);
    assert_eq!(
        (with_model.label, with_model.reason.as_str()),
        (Stance::ProOpen, "model"),
        "{with_model:?}"
    );
    let (top, p) = default_model().predict(UNCUED_COLUMN).top();
    assert_eq!(top, Stance::ProOpen);
    assert!(
        (with_model.confidence - p).abs() < 0.01,
        "{with_model:?} {p}"
    );
}

#[test]
fn the_model_may_not_overrule_what_the_rules_set_aside() {
    // The model alone reads the report as security-first ...
    let (top, _) = default_model().predict(REPORTED_CRITICS).top();
    assert_eq!(top, Stance::SecurityFirst);
    // ... but the rules saw those cues as someone else's view.
    let s = stance_with(REPORTED_CRITICS, true);
    assert_eq!(
        (s.label, s.reason.as_str()),
        (Stance::Neutral, "weak-signal"),
        "{s:?}"
    );
    assert!(
        s.evidence
            .iter()
            .any(|e| e.modifiers.contains(&"attributed".to_string()))
    );
}

#[test]
fn short_texts_are_left_to_the_rules() {
    let short: String = UNCUED_COLUMN
        .split_whitespace()
        .take(60)
        .collect::<Vec<_>>()
        .join(" ");
    let s = stance_with(&short, true);
    assert_eq!(
        (s.label, s.reason.as_str()),
        (Stance::Neutral, "weak-signal"),
        "{s:?}"
    );
}

#[test]
fn explain_lists_every_cue_so_they_add_up_to_the_scores() {
    let rules = rules::load(&[RuleSource::Default]).unwrap();
    let doc = Document::new("t.txt", Format::Text, ONE_CAMP_REPORT.to_string());
    let explanation = classify::explain(&rules, &doc);
    let stance = &explanation.report.stance;
    assert!(
        stance.evidence.len() > 3,
        "more than three discounted cues expected: {stance:?}"
    );
    for s in Stance::ALL {
        let listed: f64 = stance
            .evidence
            .iter()
            .filter(|e| e.stance == s)
            .map(|e| e.effective_weight)
            .sum();
        assert!(
            (listed - stance.scores.get(s)).abs() < 0.01,
            "{s}: cues add up to {listed}, score {}",
            stance.scores.get(s)
        );
    }
}

/// A news report that gives one camp's case, every claim attributed.
const ONE_CAMP_REPORT: &str = r#"Security researchers warn lawmakers about open model releases

Security experts warn that publishing the weights of the most capable models is reckless, because a release cannot be recalled once the files are copied. Critics argue that biological and cyber misuse is a grave danger and that licensing should come before any publication. Several former officials said the government must restrict the export of frontier weights to rival states. The committee will hear from industry groups next month, and a vote on the licensing provisions is expected before the summer recess, according to the chair's office."#;

#[test]
fn a_stance_heard_only_in_reported_speech_is_not_called() {
    for model in [false, true] {
        let s = stance_with(ONE_CAMP_REPORT, model);
        assert_eq!(
            (s.label, s.reason.as_str()),
            (Stance::Neutral, "weak-signal"),
            "model {model}: {s:?}"
        );
        // The cues add up past the signal threshold; all of them are the
        // critics' and experts'.
        assert!(s.scores.security_first >= classify::MIN_SIGNAL, "{s:?}");
        assert!(
            s.evidence
                .iter()
                .all(|e| e.modifiers.contains(&"attributed".to_string()))
        );
    }
}

/// A news report built around one named, titled speaker: her words are
/// reported speech like a camp's. Written for this test.
const ONE_SPEAKER_REPORT: &str = r#"Senator wants a permit before model weights go online

Senator Maria Ostrowski said on Monday that publishing the weights of the most capable models is reckless, because a release cannot be recalled once the files are copied. Speaking at a forum in Washington, Ostrowski argued that biological and cyber misuse is a grave danger and that licensing should come before any publication. The senator also contended that safeguards can be stripped from a released model within days. Her office said a bill would be introduced before the August recess; it has no co-sponsors yet, and committee aides said hearings were unlikely before the autumn."#;

/// Rules alone and with the model, `text` is `neutral` for want of the
/// author's own voice: its evidence is all attributed.
fn assert_only_reported(text: &str) {
    for model in [false, true] {
        let s = stance_with(text, model);
        assert_eq!(
            (s.label, s.reason.as_str()),
            (Stance::Neutral, "weak-signal"),
            "model {model}: {s:?}"
        );
        assert!(
            !s.evidence.is_empty()
                && s.evidence
                    .iter()
                    .all(|e| e.modifiers.contains(&"attributed".to_string())),
            "{s:?}"
        );
    }
}

#[test]
fn one_named_speaker_is_reported_speech_too() {
    assert_only_reported(ONE_SPEAKER_REPORT);
    // The same claims in the author's own voice are the author's stance.
    let own = ONE_SPEAKER_REPORT
        .replace("Senator Maria Ostrowski said on Monday that p", "P")
        .replace(
            "Speaking at a forum in Washington, Ostrowski argued that b",
            "B",
        )
        .replace("The senator also contended that s", "S");
    assert_eq!(stance_with(&own, false).label, Stance::SecurityFirst);
}

/// A hearing transcript, written for this test: each witness argues a
/// side, and the record of their words takes neither.
const HEARING: &str = "HEARING ON THE LICENSING OF FRONTIER DEVELOPERS

Ms. WHITCOMBE. The subcommittee will come to order. We take testimony on the draft that would require a license before training the largest models.

Dr. OSEI. Thank you. Once the weights of a capable model are posted they cannot be recalled, and safeguards can be fine-tuned away by anyone who downloads them. Developers should be licensed before release.

Mr. LINDQVIST. I run a company of eleven people. A licensing regime would stifle firms like mine and entrench the three companies that can pay for the lawyers. Restricting open models would be a mistake.

Mr. BRANDT. Dr. Osei, who is responsible if a released model is misused?

Dr. OSEI. The developer who released it without testing, Congressman.

Ms. WHITCOMBE. The subcommittee stands adjourned.
";

#[test]
fn a_transcript_reports_its_speakers_and_takes_no_stance() {
    assert_only_reported(HEARING);
    // One witness's words without the labels are an op-ed's own voice.
    let statement: String = HEARING
        .split("\n\n")
        .filter(|p| p.starts_with("Mr. LINDQVIST."))
        .map(|p| p.trim_start_matches("Mr. LINDQVIST. "))
        .collect();
    assert_eq!(stance_with(&statement, false).label, Stance::ProOpen);
}

/// A forum thread, written for this test: posters argue both sides, each
/// once, under headers of a handle and a time.
const THREAD: &str = "# Thread: the state's model rule

**ana_p** · 2 days ago

A licensing regime would stifle startups and entrench the three companies that can pay for the lawyers. Restricting open models would be a mistake.

**cleo_v** · 1 day ago

Once the weights are posted they cannot be recalled, and safeguards can be fine-tuned away.

**dev_m** · 20 hours ago

Licensing would stifle hobbyists too. It would be a mistake to pass it.

**ben_k** · 5 hours ago

The agency expects ten filings a year.
";

/// Two signed pieces on one page, written for this test.
const POINT_COUNTERPOINT: &str = "# Point / Counterpoint: the state's model rule

Each week two contributors take opposite sides. The editors take no position.

## Yes

*By Teodora Vasquez, former emergency planner*

Once the weights are posted they cannot be recalled, and safeguards can be fine-tuned away. Developers should be licensed before release.

## No

*By Malik Osei, founder of a two-person company*

A licensing regime would stifle startups and entrench the three companies that can pay for the lawyers. Restricting open models would be a mistake.
";

#[test]
fn a_forum_thread_and_a_page_of_signed_pieces_take_no_stance() {
    for page in [THREAD, POINT_COUNTERPOINT] {
        assert_only_reported(page);
        let doc = Document::new("t.md", Format::Markdown, page.to_string());
        assert!(doc.is_transcript(), "{page}");
    }
    // The posts without their headers are one author's argument.
    let posts: String = (THREAD.split("\n\n"))
        .filter(|p| !p.starts_with("**") && !p.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n\n");
    assert_eq!(stance_with(&posts, false).label, Stance::ProOpen);
}

#[test]
fn an_advocacy_cue_in_a_question_is_asked_not_asserted() {
    let asked = stance_with(
        "Should the state require a licence before anyone may publish a model? No. It should regulate use, not research.",
        false,
    );
    let cue = (asked.evidence.iter())
        .find(|e| e.stance == Stance::SecurityFirst)
        .expect("the question's cue is shown as discounted");
    assert_eq!(cue.modifiers, ["questioned"], "{asked:?}");
    assert_eq!(cue.effective_weight, cue.weight * 0.25);
    assert_eq!(asked.label, Stance::Hybrid);
    let asserted = stance_with(
        "The state should require a licence before anyone may publish a model.",
        false,
    );
    let cue = (asserted.evidence.iter())
        .find(|e| e.stance == Stance::SecurityFirst)
        .unwrap();
    assert!(cue.modifiers.is_empty(), "{asserted:?}");
    // An explainer's headline asks its question neutrally.
    let explainer = stance_with(
        "# Explainer: who is liable when an AI model causes harm?\n\nHere is what the bill says.",
        false,
    );
    let neutral: Vec<_> = (explainer.evidence.iter())
        .filter(|e| e.stance == Stance::Neutral)
        .collect();
    assert!(
        !neutral.is_empty() && neutral.iter().all(|e| e.modifiers.is_empty()),
        "{explainer:?}"
    );
}
