//! Rich Text Format (`.rtf`): the document text of an RTF file, a line per
//! paragraph.
//!
//! RTF is what many legislatures' drafting systems and comment portals
//! export, and what word processors offer as the format anyone can open.
//! As for Word, each paragraph (`\par`, a table cell's `\cell`) becomes one
//! line, so a line number in evidence is the paragraph number; paragraphs
//! whose style is named `heading N` or `Title`, or that carry an
//! `\outlinelevel`, become sections. Tabs and line breaks stay on the
//! paragraph's line. Not read: the font, colour and style tables, document
//! information, pictures and objects, headers and footers, footnotes and
//! comments, a field's code (`\fldinst`: a link's address), destinations
//! marked ignorable (`{\*\…}`), tracked deletions (`\deleted`) and
//! struck-through text. A superscript number after a digit gets a `^`
//! (`10^26`). `\'hh` bytes are read as Windows-1252, which is what nearly
//! every RTF declares (`\ansicpg1252`); other code pages are named in a
//! warning. Bytes beyond ASCII written as they are (not the standard, but
//! some programs do) are read as UTF-8 when the file is UTF-8, else as
//! Windows-1252.

use super::Extracted;
use super::docx::{Role, push_line};

/// Whether `bytes` are an RTF file.
pub fn sniff(bytes: &[u8]) -> bool {
    bytes.starts_with(b"{\\rtf")
}

/// Groups nested deeper than this are read as if at this depth, so a file
/// of a million `{` costs no more memory than its text.
const MAX_DEPTH: usize = 1000;

/// Destinations whose text is not the document's running text.
const SKIPPED: &[&[u8]] = &[
    b"fonttbl",
    b"colortbl",
    b"info",
    b"pict",
    b"object",
    b"header",
    b"headerl",
    b"headerr",
    b"headerf",
    b"footer",
    b"footerl",
    b"footerr",
    b"footerf",
    b"footnote",
    b"annotation",
    b"fldinst",
    b"listtable",
    b"listoverridetable",
    b"revtbl",
    b"rsidtbl",
    b"generator",
    b"xmlnstbl",
    b"filetbl",
    b"datafield",
    b"themedata",
    b"colorschememapping",
    b"latentstyles",
    b"datastore",
    b"pgdsctbl",
    b"shppict",
    b"nonshppict",
    b"template",
    b"bkmkstart",
    b"bkmkend",
    b"txe",
    b"xe",
    b"tc",
];

/// What a group sets that its enclosing group gets back at `}`.
#[derive(Clone, Copy, Default)]
struct State {
    /// In a destination that is not running text.
    skip: bool,
    /// Characters after `\uN` that stand in for readers without Unicode.
    uc: usize,
    deleted: bool,
    struck: bool,
    superscript: bool,
    /// The paragraph's style number and outline level (paragraph
    /// properties are a group's state too: a list item's `{\listtext\pard
    /// …}` does not reset its paragraph's).
    style: i32,
    outline: Option<usize>,
}

/// Extracts the paragraphs of an RTF file.
pub fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    if !sniff(bytes) {
        return Err("could not read the RTF document: it does not start with {\\rtf".into());
    }
    Ok(Reader::default().read(bytes))
}

#[derive(Default)]
struct Reader {
    out: Extracted,
    line: String,
    /// What each paragraph style number makes of its paragraphs (from
    /// the stylesheet; a later entry of the same number wins).
    styles: std::collections::HashMap<i32, Role>,
    /// The depth of the stylesheet's group, while in it.
    stylesheet: Option<usize>,
    /// The stylesheet entry being read: its number (`None`: not a
    /// paragraph style) and name.
    entry: Option<(Option<i32>, String)>,
    /// Characters still to skip after a `\uN`.
    pending_skip: usize,
    /// A `\uN` high surrogate waiting for its low half.
    high_surrogate: Option<u32>,
    /// The last character kept was superscript.
    in_superscript: bool,
}

impl Reader {
    fn read(mut self, bytes: &[u8]) -> Extracted {
        let utf8 = std::str::from_utf8(bytes).ok();
        let mut stack: Vec<State> = Vec::new();
        let mut state = State {
            uc: 1,
            ..State::default()
        };
        let mut depth = 0usize;
        // The group just opened: its first control word may name it a
        // destination.
        let mut group_start = false;
        // `{\*` seen: an ignorable destination if the reader does not know
        // the word that follows.
        let mut ignorable = false;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'{' => {
                    if self.stylesheet == Some(depth) {
                        // A stylesheet entry: style 0 unless it says.
                        self.entry = Some((Some(0), String::new()));
                    }
                    depth += 1;
                    if depth <= MAX_DEPTH {
                        stack.push(state);
                    }
                    group_start = true;
                    ignorable = false;
                    i += 1;
                    continue;
                }
                b'}' => {
                    if depth <= MAX_DEPTH
                        && let Some(outer) = stack.pop()
                    {
                        state = outer;
                    }
                    depth = depth.saturating_sub(1);
                    if self.stylesheet == Some(depth) {
                        self.end_style_entry();
                    } else if self.stylesheet == Some(depth + 1) {
                        self.stylesheet = None;
                    }
                    self.pending_skip = 0;
                    group_start = false;
                    i += 1;
                    continue;
                }
                b'\\' => {
                    let (token, next) = control(bytes, i);
                    i = next;
                    let at_start = std::mem::take(&mut group_start);
                    match token {
                        Control::Symbol(b'*') => {
                            ignorable = at_start;
                            group_start = at_start;
                        }
                        Control::Symbol(s) => {
                            if self.skip_one() {
                                continue;
                            }
                            match s {
                                b'~' => self.text(&state, '\u{a0}'),
                                b'_' => self.text(&state, '-'),
                                b'\\' | b'{' | b'}' => self.text(&state, char::from(s)),
                                // `\-`: an optional hyphen; line ends in
                                // the source are not text.
                                _ => {}
                            }
                        }
                        Control::Hex(byte) => {
                            if !self.skip_one() {
                                self.text(&state, super::decode::windows_1252_char(byte));
                            }
                        }
                        Control::Word(word, param) => {
                            let destination = at_start || ignorable;
                            let was_ignorable = std::mem::take(&mut ignorable);
                            if word == b"bin" {
                                // Binary data: skipped whole.
                                i = i.saturating_add(param.unwrap_or(0).max(0) as usize);
                                continue;
                            }
                            if destination && SKIPPED.contains(&word) {
                                state.skip = true;
                            } else if destination && word == b"stylesheet" {
                                self.stylesheet = Some(depth);
                            } else if was_ignorable && !known(word) {
                                state.skip = true;
                            } else {
                                self.word(&mut state, word, param);
                            }
                        }
                    }
                    continue;
                }
                b'\r' | b'\n' => {}
                _ => {
                    group_start = false;
                    ignorable = false;
                    let c = match utf8 {
                        // A character's first byte; the rest of one whose
                        // start a control took (`\é`, `\bin1`) is skipped.
                        Some(text) if b >= 0x80 => {
                            match text.get(i..).and_then(|t| t.chars().next()) {
                                Some(c) => {
                                    i += c.len_utf8() - 1;
                                    c
                                }
                                None => {
                                    i += 1;
                                    continue;
                                }
                            }
                        }
                        _ => super::decode::windows_1252_char(b),
                    };
                    if !self.skip_one() {
                        self.text(&state, c);
                    }
                }
            }
            i += 1;
        }
        if !self.line.is_empty() {
            self.end_paragraph(&state);
        }
        self.out
    }

    /// Whether the character is one of the stand-ins after a `\uN`.
    fn skip_one(&mut self) -> bool {
        if self.pending_skip > 0 {
            self.pending_skip -= 1;
            true
        } else {
            false
        }
    }

    fn word(&mut self, state: &mut State, word: &[u8], param: Option<i32>) {
        let on = param != Some(0);
        match word {
            _ if state.skip => {}
            b"s" if self.stylesheet.is_some() => {
                if let Some((number, _)) = &mut self.entry {
                    *number = param;
                }
            }
            // Character, section and table styles are not paragraphs'.
            b"cs" | b"ds" | b"ts" if self.stylesheet.is_some() => {
                if let Some((number, _)) = &mut self.entry {
                    *number = None;
                }
            }
            _ if self.stylesheet.is_some() => {}
            b"par" | b"cell" | b"nestcell" => {
                if state.deleted {
                    // A deleted paragraph mark joins its paragraph to the
                    // next.
                    self.line.push(' ');
                } else {
                    self.end_paragraph(state);
                }
            }
            b"line" | b"page" | b"column" | b"sect" => self.text(state, ' '),
            b"tab" => self.text(state, '\t'),
            b"emdash" => self.text(state, '\u{2014}'),
            b"endash" => self.text(state, '\u{2013}'),
            b"lquote" => self.text(state, '\u{2018}'),
            b"rquote" => self.text(state, '\u{2019}'),
            b"ldblquote" => self.text(state, '\u{201c}'),
            b"rdblquote" => self.text(state, '\u{201d}'),
            b"bullet" => self.text(state, '\u{2022}'),
            b"u" => {
                let Some(n) = param else { return };
                // Signed 16-bit values: negative ones are the code units
                // from 32768 up.
                let unit = (n as i64).rem_euclid(65536) as u32;
                if let Some(c) = super::decode::utf16_unit(&mut self.high_surrogate, unit) {
                    self.text(state, c);
                }
                self.pending_skip = state.uc;
            }
            b"uc" => state.uc = param.unwrap_or(1).clamp(0, 16) as usize,
            b"deleted" => state.deleted = on,
            b"strike" | b"striked" => state.struck = on,
            b"super" => state.superscript = on,
            b"up" => state.superscript = param.unwrap_or(6) > 0,
            b"nosupersub" | b"sub" => state.superscript = false,
            b"plain" => {
                (state.struck, state.superscript, state.deleted) = (false, false, false);
            }
            b"pard" => (state.style, state.outline) = (0, None),
            b"s" => state.style = param.unwrap_or(0),
            b"outlinelevel" => {
                state.outline = param.and_then(|n| usize::try_from(n).ok());
            }
            // The header declares the code page once; only the first
            // declaration is told of (a file of a million is one warning).
            b"ansicpg" if param.is_some_and(|p| p != 1252) && self.out.warnings.is_empty() => {
                self.out.warnings.push(format!(
                    "its code page {} is read as Windows-1252",
                    param.unwrap_or(0)
                ));
            }
            _ => {}
        }
    }

    fn text(&mut self, state: &State, c: char) {
        if state.skip {
            return;
        }
        if self.stylesheet.is_some() {
            if let Some((_, name)) = &mut self.entry {
                name.push(c);
            }
            return;
        }
        if state.deleted || state.struck {
            return;
        }
        // A raised run starts here: `10` then `26` is `10^26`.
        if state.superscript && !self.in_superscript {
            super::docx::push_raised(&mut self.line, c.encode_utf8(&mut [0; 4]));
        } else {
            self.line.push(c);
        }
        self.in_superscript = state.superscript;
    }

    fn end_style_entry(&mut self) {
        if let Some((Some(number), name)) = self.entry.take() {
            let name = name.trim().trim_end_matches(';').trim().to_string();
            if !name.is_empty() {
                self.styles.insert(number, super::docx::style_role(&name));
            }
        }
    }

    fn end_paragraph(&mut self, state: &State) {
        let role = match state.outline {
            Some(n @ 0..=5) => Role::Heading(n + 1),
            Some(6..=8) => Role::Heading(6),
            Some(_) => Role::Body,
            None => self.styles.get(&state.style).copied().unwrap_or_default(),
        };
        push_line(&mut self.out, &self.line, role);
        self.line.clear();
        self.in_superscript = false;
    }
}

/// Control words a reader that meets them after `\*` reads as usual (all
/// others there are destinations it skips).
fn known(word: &[u8]) -> bool {
    matches!(word, b"deleted" | b"ud")
}

enum Control<'a> {
    /// `\word` or `\wordN`.
    Word(&'a [u8], Option<i32>),
    /// `\'hh`.
    Hex(u8),
    /// `\` and any other character.
    Symbol(u8),
}

/// The control at `bytes[at]` (a backslash) and where the input goes on.
fn control(bytes: &[u8], at: usize) -> (Control<'_>, usize) {
    let start = at + 1;
    let Some(&first) = bytes.get(start) else {
        return (Control::Symbol(b'\\'), start);
    };
    if first == b'\'' {
        let hex = bytes
            .get(start + 1..start + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        return match hex {
            Some(byte) => (Control::Hex(byte), start + 3),
            None => (Control::Symbol(b'\''), start + 1),
        };
    }
    if !first.is_ascii_alphabetic() {
        return (Control::Symbol(first), start + 1);
    }
    let mut end = start;
    while end < bytes.len() && end - start < 32 && bytes[end].is_ascii_alphabetic() {
        end += 1;
    }
    let word = &bytes[start..end];
    let mut param_end = end;
    if bytes.get(param_end) == Some(&b'-') {
        param_end += 1;
    }
    while param_end < bytes.len() && param_end - end < 11 && bytes[param_end].is_ascii_digit() {
        param_end += 1;
    }
    let param = std::str::from_utf8(&bytes[end..param_end])
        .ok()
        .and_then(|p| p.parse::<i64>().ok())
        .map(|p| p.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32);
    let param_end = if param.is_some() { param_end } else { end };
    // A space after a control word is its delimiter, not text.
    let next = if bytes.get(param_end) == Some(&b' ') {
        param_end + 1
    } else {
        param_end
    };
    (Control::Word(word, param), next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::headings_of;

    fn text(rtf: &str) -> String {
        extract(rtf.as_bytes()).unwrap().text
    }

    /// The header of an RTF file as Word writes it, in brief: tables and
    /// ignorable destinations whose text is not the document's.
    const HEAD: &str = r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman\fcharset0 Times New Roman;}}
{\colortbl;\red0\green0\blue0;}{\*\defchp \f0\fs22 }
{\stylesheet{\ql \widctlpar \f0\fs22 \snext0 \sqformat Normal;}{\s1\ql\outlinelevel0 \f0\fs32 \sbasedon0 \snext0 \slink15 \sqformat heading 1;}
{\s2\ql\outlinelevel1 \sbasedon0 \snext0 heading 2;}{\*\cs15 \additive \f0\fs32 \sbasedon10 \slink1 Heading 1 Char;}{\s30 Title;}}
{\*\listtable{\list\listtemplateid1{\listlevel{\leveltext\'01\'b7;}{\levelnumbers;}}{\listname ;}\listid1}}
{\info{\title Licensing regime}{\author Drafting Office}}{\*\rsidtbl \rsid123}{\*\generator Microsoft Word 16;}
\paperw12240\paperh15840\margl1440 ";

    #[test]
    fn paragraphs_are_lines_and_heading_styles_are_sections() {
        let out = extract(
            format!(
                r"{HEAD}\pard\plain \s30 Model Act\par
\pard\plain \s1\outlinelevel0 Section 1. Scope\par
\pard\plain \ql Developers shall register.\tab See\line below.\par
\pard\plain \outlinelevel2 Numbered by outline\par
{{\listtext\pard\plain \'b7\tab}}\pard\plain \s2 Listed heading\par
\pard\plain \s2\outlinelevel9 Styled, but body text\par
\pard\plain A table:\par
\trowd\cellx1000\cellx2000\pard\intbl First cell\cell Second cell\cell\row
\pard Last line with no mark}}"
            )
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            out.text,
            "Model Act\nSection 1. Scope\nDevelopers shall register.\tSee below.\n\
             Numbered by outline\n\u{b7}\tListed heading\nStyled, but body text\nA table:\n\
             First cell\nSecond cell\nLast line with no mark\n"
        );
        assert_eq!(
            headings_of(&out),
            vec![
                (0, 1, "Model Act"),
                (10, 1, "Section 1. Scope"),
                (65, 3, "Numbered by outline"),
                (85, 2, "\u{b7} Listed heading"),
            ]
        );
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    }

    /// A style number defined twice is what its last entry says; a
    /// character style of the same number is not a paragraph style.
    #[test]
    fn the_last_entry_of_a_style_number_counts() {
        let out = extract(
            br"{\rtf1{\stylesheet{\s1 heading 1;}{\s1 Body Text;}{\s2 Normal;}{\s2 heading 3;}{\*\cs2 heading 1;}}
\pard\s1 Body\par\pard\s2 Heading\par}",
        )
        .unwrap();
        assert_eq!(out.text, "Body\nHeading\n");
        assert_eq!(headings_of(&out), vec![(5, 3, "Heading")]);
    }

    #[test]
    fn field_codes_deletions_and_strikethrough_are_not_read() {
        assert_eq!(
            text(&format!(
                r#"{HEAD}\pard See {{\field{{\*\fldinst {{ HYPERLINK "https://example.org/ban" }}}}{{\fldrslt {{\ul the guidance}}}}}} now{{\*\bkmkstart x}}{{\*\bkmkend x}}.\par
\pard Developers {{\deleted\revauthdel1 are exempt }}{{\strike are immune }}{{\striked1 are free }}{{\strike0 shall be }}liable.{{\footnote \pard {{\super \chftn}} A note on licensing.}}\par
\pard Joined{{\deleted \par}}here.\par}}"#
            )),
            "See the guidance now.\nDevelopers shall be liable.\nJoined here.\n"
        );
    }

    #[test]
    fn characters_are_decoded_every_way_rtf_writes_them() {
        assert_eq!(
            text(
                r"{\rtf1\ansi Caf\'e9 \'93open\'94 \u8220\'93quoted\u8221\'94 {\uc2\u20013\'d6\'d0\u25991\'ce\'c4} \u-10179\'3f\u-8704\'3f \emdash\~\_\-x \{\}\\ 10{\super 26} 10{\up6 9}.}"
            ),
            "Caf\u{e9} \u{201c}open\u{201d} \u{201c}quoted\u{201d} \u{4e2d}\u{6587} \u{1F600} \u{2014}\u{a0}-x {}\\ 10^26 10^9.\n"
        );
        // Raw UTF-8 where the file is UTF-8; Windows-1252 where it is not.
        assert_eq!(text("{\\rtf1 na\u{ef}ve}"), "na\u{ef}ve\n");
        // A control that takes the first byte of a character leaves the
        // rest unread (the fuzzer's first find).
        assert_eq!(text("{\\rtf1 a\\\u{2c6}b \\bin1 \u{e9}c}"), "ab c\n");
        assert_eq!(
            extract(b"{\\rtf1 na\xefve \x93AI\x94}").unwrap().text,
            "na\u{ef}ve \u{201c}AI\u{201d}\n"
        );
        let cyrillic = extract(br"{\rtf1\ansi\ansicpg1251\ansicpg1250\ansicpg1251 \'cf}").unwrap();
        assert_eq!(
            cyrillic.warnings,
            ["its code page 1251 is read as Windows-1252"]
        );
    }

    /// Files LibreOffice wrote from documents written for these tests
    /// (tests/data/README.md), as a word processor writes RTF.
    #[test]
    fn files_a_word_processor_wrote_read_as_their_sources() {
        crate::testutil::reads_word_processor_files("rtf/", ".rtf", extract);
    }

    #[test]
    fn binary_data_and_hostile_nesting_cost_no_more_than_their_bytes() {
        // `\binN` skips N bytes, braces and backslashes among them.
        assert_eq!(
            text("{\\rtf1 Before {\\pict\\bin6 }{\\\\x}} after.}"),
            "Before  after.\n"
        );
        assert_eq!(text("{\\rtf1 End \\bin999999999"), "End \n");
        // A million groups deep, and more closed than opened.
        let deep = format!(
            "{{\\rtf1 {}deep{}}}}}}} after",
            "{".repeat(1_000_000),
            "}".repeat(1_000_000)
        );
        assert_eq!(text(&deep), "deep after\n");
        assert!(extract(b"{\\rtf1 \\").is_ok());
        assert!(extract(b"{\\rtf1 \\'").is_ok());
        assert!(extract(b"{\\rtf1 \\u").is_ok());
        assert!(extract(b"{\\rtf1 \\u99999999999999999999 x}").is_ok());
        assert!(
            extract(b"plain text named .rtf")
                .is_err_and(|e| e.contains("does not start with {\\rtf"))
        );
    }
}
