//! Captions and subtitles: SubRip (`.srt`) and WebVTT (`.vtt`).
//!
//! A caption file is the words of a video or a broadcast (a hearing, a
//! floor debate, an interview, a video essay) cut into timed cues. What is
//! read is the cues' text, in place: cue numbers and identifiers, timing
//! lines, WebVTT's header, `NOTE`, `STYLE` and `REGION` blocks, and markup
//! inside cues (`<i>`, `<c.yellow>`, `<00:01:02.500>`, `{\an8}`) are
//! blanked, so every line and column of evidence is the file's.
//!
//! Cues are not paragraphs: a sentence goes on from one cue into the next
//! (the blank line between cues ends a cue, not a thought). Paragraphs
//! break where the speaker changes (a WebVTT voice `<v Name>`, a broadcast
//! `>>`, a `- ` dialogue dash), and, in captions without sentence
//! punctuation (a speech recogniser's), at pauses between cues.
//!
//! A WebVTT voice becomes a speaker's label (`<v Ines Ferreira>` reads as
//! `Ines Ferreira:`), so captions of several voices read as a transcript.
//! Lines a cue repeats from the one before (the rolling captions that
//! video platforms generate repeat each line in the next cue) are read
//! once.

use super::Extracted;

/// A pause between cues this long or longer (milliseconds) ends a
/// paragraph in captions without sentence punctuation.
const PAUSE_MS: u64 = 1_500;

/// The longest tag or override read as markup, in bytes (`<font
/// color="…">`, a voice's name): past it, `<` is text.
const MAX_MARKUP: usize = 256;

/// Whether `bytes` start like a caption file: WebVTT's `WEBVTT` header, or
/// a SubRip cue (a number, then a timing line).
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    let head = &bytes[..bytes.len().min(256)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.starts_with(b"WEBVTT")
        && head
            .get(6)
            .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        return Some(Kind::WebVtt);
    }
    let text = String::from_utf8_lossy(head);
    let mut lines = text.lines().map(str::trim).skip_while(|l| l.is_empty());
    let number = lines.next()?;
    let timing = lines.next()?;
    let is_number = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
    (is_number && parse_timing(timing).is_some()).then_some(Kind::SubRip)
}

/// The two caption formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// SubRip (`.srt`): numbered cues, `00:01:02,500 --> 00:01:04,000`.
    SubRip,
    /// WebVTT (`.vtt`): a `WEBVTT` header, cues with optional identifiers,
    /// `00:01:02.500 --> 00:01:04.000 align:start`, voices and classes.
    WebVtt,
}

/// The text of a caption file, in place (see the module's comment):
/// [`Extracted::paragraphs`] are where the speaker changes or, in
/// unpunctuated captions, where the speech pauses.
pub fn extract(source: &str, kind: Kind) -> Extracted {
    let mut out = String::with_capacity(source.len());
    let mut cues: Vec<Cue> = Vec::new();
    let mut breaks = Vec::new();
    let mut voice: Option<String> = None;
    let mut last_line = String::new();
    let mut skipping = false;
    // At the first line of a block, and of the file's first block.
    let (mut first, mut top) = (true, true);
    let mut lines = source.split_inclusive('\n').peekable();
    while let Some(raw) = lines.next() {
        let line = raw.trim_end_matches(['\n', '\r']);
        let ending = &raw[line.len()..];
        if line.trim().is_empty() {
            out.push_str(raw);
            skipping = false;
            first = true;
            continue;
        }
        if first {
            skipping = is_skipped_block(line, kind, top);
            (first, top) = (false, false);
        }
        let timing = (!skipping).then(|| parse_timing(line)).flatten();
        // A cue's identifier (a SubRip number, a WebVTT name) stands on
        // the line before its timing line.
        let mut identifier = || {
            lines
                .peek()
                .is_some_and(|next| parse_timing(next.trim_end()).is_some())
        };
        if let Some((from, to)) = timing {
            cues.push(Cue {
                from,
                to,
                text: None,
            });
        } else if !skipping && !identifier() {
            let at = out.len();
            let opens = cue_text(line, kind, &mut voice, &mut out);
            let key = words_of(&out[at..]);
            if !key.is_empty() && key == last_line {
                // The line before, repeated by rolling captions.
                out.truncate(at);
                pad(line, &mut out);
            } else if !key.is_empty() {
                last_line = key;
                if let Some(cue) = cues.last_mut() {
                    cue.text.get_or_insert(at);
                }
                if let Some(opens) = opens {
                    breaks.push(at + opens);
                }
            }
            out.push_str(ending);
            continue;
        }
        pad(line, &mut out);
        out.push_str(ending);
    }
    if !punctuated(&out) {
        breaks.extend(
            cues.windows(2)
                .filter(|w| w[1].from.saturating_sub(w[0].to) >= PAUSE_MS)
                .filter_map(|w| w[1].text),
        );
    }
    breaks.sort_unstable();
    breaks.dedup();
    Extracted {
        text: out,
        paragraphs: breaks,
        ..Extracted::default()
    }
}

/// The timestamps that open the lines of a transcript copied from a video
/// page (`0:04 so thanks everyone…`, a line `12:03` above its words,
/// `[00:01:18] Ines Ferreira: …`), when at least three lines and half of
/// the text's lines open with one: ranges of plain text to blank in place,
/// so they are not read into sentences and evidence. A timestamp is
/// `m:ss`, `h:mm:ss` or `mm:ss.mmm`, alone or in brackets or parentheses,
/// then white space or the line's end.
pub fn line_timestamps(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut stamps = Vec::new();
    let mut lines = 0;
    // Line starts found with SIMD: this runs on every plain-text input.
    let starts =
        std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|n| n + 1));
    for start in starts {
        let line = &text[start..];
        let body = line.trim_start_matches([' ', '\t', '\r']);
        let from = start + (line.len() - body.len());
        match body.as_bytes().first() {
            None | Some(b'\n') => continue,
            // Most lines open with a letter: no need to read a token.
            Some(b'0'..=b'9' | b'[' | b'(') => {}
            Some(_) => {
                lines += 1;
                continue;
            }
        }
        lines += 1;
        let token = body
            .split([' ', '\t', '\r', '\n'])
            .next()
            .unwrap_or_default();
        if is_line_timestamp(token) {
            stamps.push(from..from + token.len());
        }
    }
    if stamps.len() < 3 || stamps.len() * 2 < lines {
        stamps.clear();
    }
    stamps
}

/// `1:07`, `01:02:03`, `00:01:18.250`, `[00:01:18]`, `(12:03)`.
fn is_line_timestamp(token: &str) -> bool {
    let inner = match token.as_bytes().first() {
        Some(b'[') => token[1..].strip_suffix(']'),
        Some(b'(') => token[1..].strip_suffix(')'),
        _ => Some(token),
    };
    let Some(inner) = inner else {
        return false;
    };
    let clock = match inner.split_once(['.', ',']) {
        Some((clock, millis)) => {
            if !(1..=3).contains(&millis.len()) || !millis.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            clock
        }
        None => inner,
    };
    let mut parts = 0;
    for (i, part) in clock.split(':').enumerate() {
        let digits = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        let width = if i == 0 {
            part.len() <= 2
        } else {
            part.len() == 2
        };
        if !digits || !width {
            return false;
        }
        parts += 1;
    }
    (2..=3).contains(&parts)
}

/// A cue: its start and end (milliseconds), and where its first line of
/// text is in the text read (the place a pause breaks the paragraph).
struct Cue {
    from: u64,
    to: u64,
    text: Option<usize>,
}

/// Whether a block that opens with `line` is not read: WebVTT's header
/// (its `WEBVTT` line and what follows it up to a blank line) and its
/// `NOTE`, `STYLE` and `REGION` blocks.
fn is_skipped_block(line: &str, kind: Kind, at_top: bool) -> bool {
    if kind != Kind::WebVtt {
        return false;
    }
    let line = line.trim_start_matches('\u{FEFF}');
    let opens = |word: &str| {
        line.strip_prefix(word)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    };
    (at_top && opens("WEBVTT")) || opens("NOTE") || opens("STYLE") || opens("REGION")
}

/// The start and end of a timing line (`00:01:02,500 --> 00:01:04,000`,
/// WebVTT's `01:02.500 --> 01:04.000 align:start`), in milliseconds.
fn parse_timing(line: &str) -> Option<(u64, u64)> {
    let (from, rest) = line.split_once("-->")?;
    let to = rest.split_whitespace().next()?;
    Some((parse_time(from.trim())?, parse_time(to)?))
}

/// `hh:mm:ss,mmm`, `hh:mm:ss.mmm` or `mm:ss.mmm`, in milliseconds.
fn parse_time(time: &str) -> Option<u64> {
    let (clock, millis) = time.split_once([',', '.'])?;
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    let mut seconds = 0;
    let mut parts = 0;
    for part in clock.split(':') {
        seconds = seconds * 60 + number(part)?;
        parts += 1;
    }
    let millis = number(millis).filter(|_| millis.len() <= 3)?;
    (2..=3).contains(&parts).then_some(seconds * 1000 + millis)
}

/// Writes `line` as spaces (one per character): not read, lines and
/// columns kept.
fn pad(line: &str, out: &mut String) {
    out.extend(super::padded(line, ' '));
}

/// Writes a line of cue text to `out`, its markup blanked (tags, timestamps,
/// SubRip's `{\an8}`) and character references decoded in place (as in
/// HTML), a WebVTT voice as a speaker's label when it changes, a `>>`
/// speaker-change marker blanked. Returns where in what it wrote a new
/// speaker's turn opens, if one does.
fn cue_text(line: &str, kind: Kind, voice: &mut Option<String>, out: &mut String) -> Option<usize> {
    let mut text = String::with_capacity(line.len());
    let mut opens = None;
    let mut rest = line;
    while let Some(at) = rest.find(['<', '{']) {
        text.push_str(&rest[..at]);
        rest = &rest[at..];
        let close = if rest.starts_with('<') { '>' } else { '}' };
        // Markup is short: looking no further than this keeps a line of
        // `<` that nothing closes linear.
        let window = &rest[..super::floor_boundary(rest, MAX_MARKUP)];
        let markup = window
            .find(close)
            .map(|end| &rest[..=end])
            .filter(|m| is_markup(m));
        let Some(markup) = markup else {
            text.push_str(&rest[..1]);
            rest = &rest[1..];
            continue;
        };
        rest = &rest[markup.len()..];
        let name = (kind == Kind::WebVtt)
            .then(|| voice_of(markup))
            .flatten()
            .filter(|name| voice.as_deref() != Some(*name));
        match name {
            Some(name) => {
                // `<v.loud Ines Ferreira>` → `Ines Ferreira:         `:
                // the label where the tag starts, the text after it in
                // its place.
                opens = Some(text.len());
                text.push_str(name);
                text.push(':');
                let head = markup.len() - name.len() - 1;
                text.extend(super::padded(&markup[..head], ' '));
                *voice = Some(name.to_string());
            }
            None => text.extend(super::padded(markup, ' ')),
        }
    }
    text.push_str(rest);
    let body = text.trim_start();
    let indent = text.len() - body.len();
    if let Some(after) = body.strip_prefix(">>") {
        // A broadcast caption's change of speaker.
        let speaker = indent + 2 + (after.len() - after.trim_start().len());
        text.replace_range(indent..indent + 2, "  ");
        opens = Some(speaker);
    } else if body.starts_with("- ") || body.starts_with("-\t") {
        // A dialogue dash: the second speaker in one cue.
        opens = Some(indent);
    }
    let at = out.len();
    super::html::decode_in_place(&text, out);
    // Decoding keeps characters, not bytes: find the opening again by
    // its character count.
    opens.map(|byte| {
        let chars = text[..byte].chars().count();
        out[at..]
            .char_indices()
            .nth(chars)
            .map_or(out.len() - at, |(i, _)| i)
    })
}

/// Whether `<…>` or `{…}` is caption markup: a tag (`<i>`, `</c>`,
/// `<c.yellow.bg_blue>`, `<v Ines>`, `<lang en>`, `<font color="…">`), a
/// WebVTT timestamp (`<00:01:02.500>`), or a SubRip override (`{\an8}`,
/// `{\i1}`).
fn is_markup(markup: &str) -> bool {
    let inner = &markup[1..markup.len() - 1];
    if markup.starts_with('{') {
        return inner.starts_with('\\');
    }
    let name = inner.strip_prefix('/').unwrap_or(inner);
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => {
            let tag: String = name
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            matches!(
                tag.to_ascii_lowercase().as_str(),
                "b" | "i" | "u" | "c" | "v" | "lang" | "ruby" | "rt" | "font" | "s" | "em" | "br"
            )
        }
        Some(c) if c.is_ascii_digit() => parse_time(name).is_some(),
        _ => false,
    }
}

/// The speaker a WebVTT voice tag names: `Ines Ferreira` in
/// `<v Ines Ferreira>` or `<v.loud Ines Ferreira>`.
fn voice_of(markup: &str) -> Option<&str> {
    let inner = markup.strip_prefix("<v")?.strip_suffix('>')?;
    let inner = match inner.strip_prefix('.') {
        // Classes run to the first white space.
        Some(classes) => &classes[classes.find([' ', '\t'])?..],
        None => inner,
    };
    if !inner.starts_with([' ', '\t']) {
        return None;
    }
    let name = inner.trim();
    // The name ends the tag: `markup` ends with `name` and `>`.
    (!name.is_empty() && inner.ends_with(name)).then_some(name)
}

/// The words of a line, lowercased and joined by single spaces: what two
/// lines share when a cue repeats the line before it.
fn words_of(line: &str) -> String {
    let mut key = String::new();
    for word in line
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

/// Whether captions end their sentences: at least one `.`, `?` or `!`
/// before white space every 60 words. A speech recogniser's captions
/// have none.
fn punctuated(text: &str) -> bool {
    let words = text.split_whitespace().count();
    let ends = text
        .split_whitespace()
        .filter(|w| {
            w.trim_end_matches(['"', '\'', ')', ']'])
                .ends_with(['.', '?', '!'])
        })
        .count();
    ends * 60 >= words
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks that `source` reads as `expected` (the words of each line
    /// read, joined by single spaces), each word in its line and column
    /// of the source (the words here are ASCII and unchanged).
    fn assert_read_in_place(source: &str, kind: Kind, expected: &[&str]) {
        let text = extract(source, kind).text;
        let read: Vec<String> = text
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(read, expected);
        for (read, line) in text.lines().zip(source.lines()) {
            let mut at = 0;
            for word in read.split_whitespace() {
                at += read[at..].find(word).unwrap();
                assert_eq!(line.get(at..at + word.len()), Some(word), "{line:?}");
                at += word.len();
            }
        }
    }

    #[test]
    fn subrip_numbers_timings_and_markup_are_blanked_in_place() {
        let srt = "1\n00:00:01,000 --> 00:00:03,500\n<i>Open weights</i> {\\an8}cannot\n\n2\r\n00:00:03,600 --> 00:00:05,000 X1:10\r\nbe <font color=\"#fff\">recalled</font>.\r\n";
        assert_read_in_place(
            srt,
            Kind::SubRip,
            &["", "", "Open weights cannot", "", "", "", "be recalled ."],
        );
        assert!(
            extract(srt, Kind::SubRip).text.contains("\r\n"),
            "line endings are kept"
        );
    }

    #[test]
    fn webvtt_header_notes_styles_identifiers_and_timestamps_are_not_read() {
        let vtt = "WEBVTT - a hearing\nKind: captions\n\nNOTE licensing now\nsecond line\n\nSTYLE\n::cue { color: red }\n\nREGION\nid:fred\n\nintro\n00:01.000 --> 00:03.000 align:start position:0%\nso<00:01.500><c.yellow> the</c> weights &amp; data\n\n00:03.000 --> 00:04.000\nWEBVTT NOTE is text here\n";
        let mut expected = vec![""; 14];
        expected.extend(["so the weights & data", "", "", "WEBVTT NOTE is text here"]);
        // `&` is where its reference started; the words keep their columns.
        let text = extract(vtt, Kind::WebVtt).text;
        assert!(text.contains("weights &    "), "{text:?}");
        let without_reference = vtt.replace("&amp;", "&    ");
        assert_read_in_place(&without_reference, Kind::WebVtt, &expected);
        assert_eq!(text, extract(&without_reference, Kind::WebVtt).text);
    }

    #[test]
    fn a_voice_is_a_speakers_label_where_it_changes() {
        let vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v.loud Ines Ferreira>Open models\n\n00:02.000 --> 00:03.000\n<v Ines Ferreira>help research.\n\n00:03.000 --> 00:04.000\n<v Tom>They do not.\n";
        let out = extract(vtt, Kind::WebVtt);
        let lines: Vec<&str> = out.text.lines().map(str::trim_end).collect();
        // The label where the tag was, the words after it in their place.
        let tag = "<v.loud Ines Ferreira>";
        assert_eq!(
            lines[3],
            format!("Ines Ferreira:{}Open models", " ".repeat(tag.len() - 14))
        );
        assert_eq!(
            lines[6],
            format!("{}help research.", " ".repeat("<v Ines Ferreira>".len()))
        );
        assert_eq!(lines[9], "Tom:   They do not.");
        let at = |needle: &str| out.text.find(needle).unwrap();
        assert_eq!(out.paragraphs, [at("Ines"), at("Tom")]);
    }

    #[test]
    fn broadcast_markers_and_dialogue_dashes_change_speaker() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\n>> SENATOR PELL: Welcome.\n- Thank you.\n";
        let out = extract(srt, Kind::SubRip);
        assert!(out.text.contains("   SENATOR PELL: Welcome."));
        let at = |needle: &str| out.text.find(needle).unwrap();
        assert_eq!(out.paragraphs, [at("SENATOR"), at("- Thank")]);
    }

    #[test]
    fn lines_rolling_captions_repeat_are_read_once() {
        let vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\n \nonce the<00:01.000><c> weights</c>\n\n00:02.000 --> 00:02.010\nonce the weights\n \n\n00:02.010 --> 00:04.000\nonce the weights\nare<00:03.000><c> out</c>\n";
        let out = extract(vtt, Kind::WebVtt);
        let words: Vec<&str> = out.text.split_whitespace().collect();
        assert_eq!(words, ["once", "the", "weights", "are", "out"]);
    }

    #[test]
    fn pauses_break_paragraphs_only_in_unpunctuated_captions() {
        let cues = |first: &str, second: &str| {
            format!(
                "1\n00:00:01,000 --> 00:00:02,000\n{first}\n\n2\n00:00:05,000 --> 00:00:06,000\n{second}\n"
            )
        };
        let bare = extract(
            &cues("we should not stop", "open models at all"),
            Kind::SubRip,
        );
        assert_eq!(bare.paragraphs, [bare.text.find("open").unwrap()]);
        let punctuated = extract(
            &cues("We should not stop", "open models. At all."),
            Kind::SubRip,
        );
        assert_eq!(punctuated.paragraphs, Vec::<usize>::new());
    }

    #[test]
    fn times_parse_in_both_formats_and_nothing_else_does() {
        assert_eq!(parse_time("00:01:02,500"), Some(62_500));
        assert_eq!(parse_time("01:02.500"), Some(62_500));
        assert_eq!(parse_time("100:00:00.000"), Some(360_000_000));
        for bad in [
            "1:2",
            "00:01:02",
            "a:01.000",
            "01.000",
            "00:01:02.5000",
            "1:2:3:4.000",
            "99999999999:00.000",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        assert_eq!(
            parse_timing("00:01.000 --> 00:02.000 line:0"),
            Some((1000, 2000))
        );
        assert_eq!(parse_timing("the vote was 10 --> 12"), None);
    }

    #[test]
    fn sniffing_knows_captions_from_text() {
        assert_eq!(
            sniff(b"\xEF\xBB\xBFWEBVTT\n\n00:01.000 --> 00:02.000\nhi"),
            Some(Kind::WebVtt)
        );
        assert_eq!(sniff(b"WEBVTT"), Some(Kind::WebVtt));
        assert_eq!(
            sniff(b"\n1\r\n00:00:01,000 --> 00:00:02,000\r\nhi"),
            Some(Kind::SubRip)
        );
        assert_eq!(sniff(b"WEBVTTX\n"), None);
        assert_eq!(sniff(b"1\nThe first point.\n"), None);
        assert_eq!(sniff(b"2024\n"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn timestamps_opening_most_lines_of_a_text_are_found() {
        let pasted = "0:00 so thanks everyone\n0:04 for having me\n\n1:07\ndevelopers should test\n[00:01:18] Ines Ferreira: Yes.\n(12:03) And 1:07 here stays.\n";
        let found: Vec<&str> = line_timestamps(pasted)
            .into_iter()
            .map(|r| &pasted[r])
            .collect();
        assert_eq!(found, ["0:00", "0:04", "1:07", "[00:01:18]", "(12:03)"]);
        // Not when few lines open with one: a time of day, a ratio.
        let prose = "10:30 the committee met.\nIt voted 12:3 and adjourned.\nAt 14:00 it met again.\nThen 5:1.\n";
        assert!(line_timestamps(prose).is_empty());
        for not in [
            "1:2",
            "123:45",
            "1:234",
            "[1:23",
            "1:23]",
            "1:23.4567",
            "a:23",
            "1::23",
        ] {
            assert!(!is_line_timestamp(not), "{not}");
        }
    }

    #[test]
    fn unclosed_markup_is_text() {
        let line = format!("a < b {} {{ c", "<x ".repeat(100));
        let srt = format!("1\n00:00:01,000 --> 00:00:02,000\n{line}\n");
        assert_eq!(
            extract(&srt, Kind::SubRip).text.lines().nth(2),
            Some(line.as_str())
        );
        // A tag past the longest markup read is text too.
        let long = format!("<font color=\"{}\">x</font>", "f".repeat(MAX_MARKUP));
        let text = extract(&long, Kind::SubRip).text;
        assert!(
            text.starts_with("<font") && text.trim_end().ends_with('x'),
            "{text}"
        );
    }

    #[test]
    fn a_number_line_is_text_unless_a_timing_line_follows() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nThe vote was\n2024\n";
        assert_read_in_place(srt, Kind::SubRip, &["", "", "The vote was", "2024"]);
    }
}
