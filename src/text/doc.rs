//! Word 97–2003 (`.doc`): the text of the main document, read from the
//! piece table of an OLE compound file ([MS-DOC]).
//!
//! Public-comment dockets and older legislative archives still hold many
//! `.doc` files. As for `.docx`, each paragraph becomes one line, so a line
//! number in evidence is the paragraph number; table cells end their
//! paragraph too. Paragraphs whose style is a built-in heading
//! (`Heading 1`…, `Title`) or that carry an outline level become sections.
//! Tabs and line breaks stay on the paragraph's line; a field's result is
//! read and its code (`HYPERLINK "…"`) is not; deleted text of tracked
//! changes and struck-through text are not read, and a superscript number
//! after a digit gets a `^` (`10^26`). Not read: footnotes, endnotes,
//! comments, headers and text boxes (the parts of the text after the main
//! document), as Word's `.docx` parts are not.
//!
//! [MS-DOC]: https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-doc/

use std::io::{Cursor, Read};

use super::Extracted;
use super::docx::Role;

/// The signature of an OLE compound file: the legacy `.doc` format, and
/// what Word writes for a password-protected `.docx`.
pub(super) const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Whether `bytes` are an OLE compound file (a `.doc`, or an encrypted
/// Office document, which [`extract`] names as such).
pub fn sniff(bytes: &[u8]) -> bool {
    bytes.starts_with(OLE)
}

/// Extracts the paragraphs of a `.doc` file.
pub fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    read(bytes).map_err(|e| format!("could not read the Word 97-2003 document: {e}"))
}

/// What a password-protected file gets told, `.doc` or `.docx`.
const ENCRYPTED: &str = "it is password-protected (encrypted); save it without a password";

fn read(bytes: &[u8]) -> Result<Extracted, String> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| format!("it is not a valid OLE compound file ({e})"))?;
    if file.exists("/EncryptionInfo") || file.exists("/EncryptedPackage") {
        return Err(ENCRYPTED.into());
    }
    if !file.exists("/WordDocument") {
        return Err("it is an OLE compound file without a WordDocument stream \
                    (an Excel or PowerPoint file?)"
            .into());
    }
    let mut stream = |name: &str| -> Result<Vec<u8>, String> {
        let mut data = Vec::new();
        file.open_stream(name)
            .map_err(|e| format!("its {} stream cannot be read ({e})", &name[1..]))?
            // A stream is never longer than the file holding it.
            .take(bytes.len() as u64)
            .read_to_end(&mut data)
            .map_err(|e| format!("its {} stream cannot be read ({e})", &name[1..]))?;
        Ok(data)
    };
    let word = stream("/WordDocument")?;
    let fib = Fib::parse(&word)?;
    if fib.encrypted {
        return Err(ENCRYPTED.into());
    }
    let table = stream(if fib.table_1 { "/1Table" } else { "/0Table" })?;
    let pieces = pieces(
        fib.slice(&table, CLX)
            .ok_or("its piece table is cut short")?,
    )?;
    let styles = styles(fib.slice(&table, STSH));
    let runs = Runs {
        chars: fkp_runs(
            &word,
            fib.slice(&table, BTE_CHPX),
            Fkp::Character,
            character_flags,
        ),
        paragraphs: fkp_runs(&word, fib.slice(&table, BTE_PAPX), Fkp::Paragraph, |p| {
            paragraph_level(p, &styles)
        }),
    };
    Ok(text(&word, &pieces, fib.ccp_text, &runs))
}

/// Indexes of the (offset, length) pairs in the FIB's `FibRgFcLcb97`.
const STSH: usize = 1;
const BTE_CHPX: usize = 12;
const BTE_PAPX: usize = 13;
const CLX: usize = 33;

/// What policyscan needs of the File Information Block at the start of
/// the WordDocument stream.
struct Fib {
    encrypted: bool,
    /// The table stream is `1Table` (else `0Table`).
    table_1: bool,
    /// Characters of the main document (the text before footnotes,
    /// headers, comments and the rest).
    ccp_text: usize,
    /// `FibRgFcLcb`: (offset, length) pairs into the table stream.
    fc_lcb: Vec<(usize, usize)>,
}

impl Fib {
    fn parse(word: &[u8]) -> Result<Fib, String> {
        let short = || "its File Information Block is cut short".to_string();
        if u16_at(word, 0) != Some(0xA5EC) {
            return Err("its WordDocument stream does not start with a Word \
                        File Information Block (a Word 6 or older file?)"
                .into());
        }
        let flags = u16_at(word, 0x0A).ok_or_else(short)?;
        // FibBase (32 bytes), csw and FibRgW, cslw and FibRgLw, then
        // cbRgFcLcb and the pairs.
        let csw = usize::from(u16_at(word, 32).ok_or_else(short)?);
        let rg_lw = 34 + 2 * csw + 2;
        let cslw = usize::from(u16_at(word, rg_lw - 2).ok_or_else(short)?);
        let ccp_text = u32_at(word, rg_lw + 12).ok_or_else(short)? as usize;
        let at = rg_lw + 4 * cslw;
        let count = usize::from(u16_at(word, at).ok_or_else(short)?);
        let fc_lcb = (0..count)
            .map_while(|i| {
                let pair = at + 2 + 8 * i;
                Some((
                    u32_at(word, pair)? as usize,
                    u32_at(word, pair + 4)? as usize,
                ))
            })
            .collect::<Vec<_>>();
        if fc_lcb.len() <= CLX {
            return Err(short());
        }
        Ok(Fib {
            encrypted: flags & 0x0100 != 0,
            table_1: flags & 0x0200 != 0,
            ccp_text,
            fc_lcb,
        })
    }

    /// The part of the table stream that pair `index` points at, if the
    /// file has it and it is in the stream.
    fn slice<'t>(&self, table: &'t [u8], index: usize) -> Option<&'t [u8]> {
        let &(fc, lcb) = self.fc_lcb.get(index)?;
        table.get(fc..fc.checked_add(lcb)?)
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// A run of text: characters `cp..cp_end` stored at byte `fc` of the
/// WordDocument stream, one byte a character (Windows-1252) or two
/// (UTF-16).
struct Piece {
    cp: usize,
    cp_end: usize,
    fc: usize,
    compressed: bool,
}

/// The piece table (`PlcPcd`) from the `Clx`, after any property
/// modifiers (`Prc`) before it.
fn pieces(clx: &[u8]) -> Result<Vec<Piece>, String> {
    let corrupt = |what: &str| format!("its piece table is corrupt ({what})");
    let mut at = 0;
    while clx.get(at) == Some(&0x01) {
        let size = u16_at(clx, at + 1).ok_or_else(|| corrupt("cut short"))?;
        at += 3 + usize::from(size);
    }
    if clx.get(at) != Some(&0x02) {
        return Err(corrupt("no piece descriptors"));
    }
    let size = u32_at(clx, at + 1).ok_or_else(|| corrupt("cut short"))? as usize;
    let plc = clx
        .get(at + 5..)
        .and_then(|rest| rest.get(..size))
        .ok_or_else(|| corrupt("cut short"))?;
    let n = plc.len().saturating_sub(4) / 12;
    let mut pieces = Vec::with_capacity(n);
    for i in 0..n {
        let cp = u32_at(plc, 4 * i).unwrap_or(0) as usize;
        let cp_end = u32_at(plc, 4 * i + 4).unwrap_or(0) as usize;
        let fc = u32_at(plc, 4 * (n + 1) + 8 * i + 2).unwrap_or(0);
        if cp_end < cp || pieces.last().is_some_and(|p: &Piece| p.cp_end > cp) {
            return Err(corrupt("character positions out of order"));
        }
        let compressed = fc & 0x4000_0000 != 0;
        let fc = (fc & 0x3FFF_FFFF) as usize;
        pieces.push(Piece {
            cp,
            cp_end,
            fc: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Ok(pieces)
}

/// Character run flags.
const DELETED: u8 = 1;
const STRUCK: u8 = 2;
const SUPERSCRIPT: u8 = 4;

/// Properties of byte ranges of the WordDocument stream, from the
/// formatted disk pages (FKPs) that a bin table (`PlcBte`) lists.
struct Runs {
    /// `(start, end, flags)` of character runs.
    chars: Vec<(usize, usize, u8)>,
    /// `(start, end, heading level or 0)` of paragraph runs.
    paragraphs: Vec<(usize, usize, u8)>,
}

/// Reads the FKPs (512-byte pages of the WordDocument stream) that a bin
/// table (`PlcBte`) lists; `value` turns a run's properties (for
/// paragraphs, the style index then the sprms) into what is kept.
fn fkp_runs(
    word: &[u8],
    bte: Option<&[u8]>,
    kind: Fkp,
    value: impl Fn(&[u8]) -> u8,
) -> Vec<(usize, usize, u8)> {
    let Some(bte) = bte else {
        return Vec::new();
    };
    let n = bte.len().saturating_sub(4) / 8;
    // Each page once: a table naming one page a million times must not
    // make a million copies of its runs.
    let mut pages: Vec<usize> = (0..n)
        .map(|i| (u32_at(bte, 4 * (n + 1) + 4 * i).unwrap_or(0) & 0x003F_FFFF) as usize)
        .collect();
    pages.sort_unstable();
    pages.dedup();
    let mut runs = Vec::new();
    for pn in pages {
        let Some(page) = word.get(pn * 512..pn * 512 + 512) else {
            continue;
        };
        let crun = usize::from(page[511]);
        for r in 0..crun {
            let (Some(start), Some(end)) = (u32_at(page, 4 * r), u32_at(page, 4 * r + 4)) else {
                break;
            };
            let props = fkp_props(page, kind, 4 * (crun + 1), r).unwrap_or_default();
            runs.push((start as usize, end as usize, value(props)));
        }
    }
    runs.sort_unstable_by_key(|r| r.0);
    runs
}

#[derive(Clone, Copy)]
enum Fkp {
    Character,
    Paragraph,
}

/// The properties of run `r` of an FKP page whose offsets start at
/// `offsets`: a character page's `Chpx` (an offset byte a run; 0 is no
/// properties) or a paragraph page's `PapxInFkp` (a 13-byte `BxPap` a
/// run, whose first byte is the offset).
fn fkp_props(page: &[u8], kind: Fkp, offsets: usize, r: usize) -> Option<&[u8]> {
    match kind {
        Fkp::Character => {
            let at = 2 * usize::from(*page.get(offsets + r)?);
            if at == 0 {
                return Some(&[]);
            }
            let cb = usize::from(*page.get(at)?);
            page.get(at + 1..at + 1 + cb)
        }
        Fkp::Paragraph => {
            let at = 2 * usize::from(*page.get(offsets + 13 * r)?);
            match usize::from(*page.get(at)?) {
                0 => {
                    let cb = usize::from(*page.get(at + 1)?);
                    page.get(at + 2..at + 2 + 2 * cb)
                }
                cb => page.get(at + 1..at + 2 * cb),
            }
        }
    }
}

/// The value of the run holding byte `fc`, 0 outside every run.
fn value_at(runs: &[(usize, usize, u8)], fc: usize) -> u8 {
    let i = runs.partition_point(|r| r.0 <= fc);
    match i.checked_sub(1).map(|i| runs[i]) {
        Some((_, end, value)) if fc < end => value,
        _ => 0,
    }
}

/// Flags of a character run's sprms.
fn character_flags(grpprl: &[u8]) -> u8 {
    let mut flags = 0;
    for (sprm, operand) in sprms(grpprl) {
        let on = |o: &[u8]| matches!(o.first(), Some(1 | 0x81));
        match sprm {
            0x0800 if on(operand) => flags |= DELETED,
            0x0837 | 0x2A53 if on(operand) => flags |= STRUCK,
            // Superscript (Word), or raised text (how LibreOffice writes
            // superscript).
            0x2A48 if operand.first() == Some(&1) => flags |= SUPERSCRIPT,
            0x4845 if u16_at(operand, 0).is_some_and(|raise| (raise as i16) > 0) => {
                flags |= SUPERSCRIPT;
            }
            _ => {}
        }
    }
    flags
}

/// What [`paragraph_level`] says of the mark that ends a table row: not
/// a paragraph.
const ROW_END: u8 = u8::MAX;

/// What [`paragraph_level`] says of a paragraph in a quotation style.
const QUOTE: u8 = u8::MAX - 1;

/// A style of the stylesheet, as far as paragraphs' roles go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Style {
    /// The built-in style identifier (`sti`; 0x0FFE: not built in).
    sti: u16,
    /// The name says it is a quotation's ([`super::docx::style_role`]).
    quote: bool,
}

/// The heading level (0: not a heading) of a paragraph run: `grpprl` is
/// the style index then the sprms; an outline level sprm wins over the
/// style. A table row's end mark is [`ROW_END`]; a body paragraph in a
/// quotation style, [`QUOTE`].
fn paragraph_level(istd_grpprl: &[u8], styles: &[Style]) -> u8 {
    let istd = u16_at(istd_grpprl, 0).unwrap_or(0);
    let style = styles.get(usize::from(istd));
    let mut level = match style.map(|s| s.sti) {
        Some(sti @ 1..=6) => sti as u8,
        // Headings 7 to 9 are sections at the deepest level there is.
        Some(7..=9) => 6,
        // Title.
        Some(62) => 1,
        _ if style.is_some_and(|s| s.quote) => QUOTE,
        _ => 0,
    };
    for (sprm, operand) in sprms(istd_grpprl.get(2..).unwrap_or_default()) {
        match (sprm, operand.first()) {
            (0x2640, Some(&n @ 0..=5)) => level = n + 1,
            (0x2640, Some(6..=8)) => level = 6,
            (0x2640, _) => level = 0,
            // sprmPFTtp, sprmPFInnerTtp: the mark ends a table row.
            (0x2417 | 0x244C, Some(1)) => return ROW_END,
            _ => {}
        }
    }
    level
}

/// The style of each style index of the stylesheet (`STSH`): its
/// built-in identifier (`sti`), and whether its name (`xstzName`, after
/// the first `cbSTDBaseInFile` bytes of the style) is a quotation's.
fn styles(stsh: Option<&[u8]>) -> Vec<Style> {
    let Some(stsh) = stsh else {
        return Vec::new();
    };
    let Some(cb_stshi) = u16_at(stsh, 0) else {
        return Vec::new();
    };
    let count = u16_at(stsh, 2).unwrap_or(0);
    let base = usize::from(u16_at(stsh, 4).unwrap_or(10));
    let mut at = 2 + usize::from(cb_stshi);
    let mut out = Vec::with_capacity(usize::from(count).min(stsh.len() / 2));
    for _ in 0..count {
        let Some(cb) = u16_at(stsh, at) else { break };
        let std = stsh
            .get(at + 2..at + 2 + usize::from(cb))
            .unwrap_or_default();
        let name = || {
            let cch = usize::from(u16_at(std, base)?);
            let units = std.get(base + 2..base + 2 + 2 * cch)?;
            let units = units
                .chunks_exact(2)
                .map(|u| u16::from_le_bytes([u[0], u[1]]));
            Some(
                char::decode_utf16(units)
                    .map(|c| c.unwrap_or('\u{fffd}'))
                    .collect::<String>(),
            )
        };
        out.push(match u16_at(std, 0) {
            Some(sti) if cb > 0 => Style {
                sti: sti & 0x0FFF,
                quote: name().is_some_and(|n| super::docx::style_role(&n) == Role::Quote),
            },
            _ => Style {
                sti: 0x0FFF,
                quote: false,
            },
        });
        at += 2 + usize::from(cb);
    }
    out
}

/// The (sprm, operand) pairs of a `grpprl`, as far as they parse.
fn sprms(grpprl: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let sprm = u16_at(grpprl, at)?;
        let rest = grpprl.get(at + 2..)?;
        let size = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            // sprmTDefTable: a two-byte size, one more than what follows.
            _ if sprm == 0xD608 => usize::from(u16_at(rest, 0)?) + 1,
            _ => 1 + usize::from(*rest.first()?),
        };
        let operand = rest.get(..size)?;
        at += 2 + size;
        Some((sprm, operand))
    })
}

/// The main document's text, a line per paragraph.
fn text(word: &[u8], pieces: &[Piece], ccp_text: usize, runs: &Runs) -> Extracted {
    let mut out = Extracted::default();
    let mut line = String::new();
    // Open fields, innermost last: `true` while in the field's code (before
    // its separator), whose text is not read.
    let mut fields: Vec<bool> = Vec::new();
    // Overlapping pieces could repeat the stream many times over: read no
    // more characters than the stream has bytes.
    let mut budget = word.len();
    let mut high_surrogate = None;
    // The last character kept was superscript.
    let mut in_superscript = false;
    for piece in pieces.iter().take_while(|p| p.cp < ccp_text) {
        let count = piece.cp_end.min(ccp_text) - piece.cp;
        let width = if piece.compressed { 1 } else { 2 };
        let Some(bytes) = piece
            .fc
            .checked_add(count * width)
            .and_then(|end| word.get(piece.fc..end))
        else {
            out.warnings
                .push("part of the text lies outside the file (a damaged document?)".into());
            break;
        };
        if count > budget {
            break;
        }
        budget -= count;
        for (i, unit) in bytes.chunks_exact(width).enumerate() {
            let fc = piece.fc + i * width;
            let c = if piece.compressed {
                super::decode::windows_1252_char(unit[0])
            } else {
                let unit = u32::from(u16::from_le_bytes([unit[0], unit[1]]));
                let Some(c) = super::decode::utf16_unit(&mut high_surrogate, unit) else {
                    continue;
                };
                c
            };
            match c {
                '\u{13}' => {
                    if fields.len() < 64 {
                        fields.push(true);
                    }
                    continue;
                }
                '\u{14}' => {
                    if let Some(code) = fields.last_mut() {
                        *code = false;
                    }
                    continue;
                }
                '\u{15}' => {
                    fields.pop();
                    continue;
                }
                _ => {}
            }
            let flags = value_at(&runs.chars, fc);
            let end = matches!(c, '\r' | '\u{7}' | '\u{c}');
            if end {
                // A field's code never runs past its paragraph: a field
                // left open there is broken, not a reason to drop the rest.
                fields.retain(|&code| !code);
            }
            if fields.contains(&true) {
                continue;
            }
            if end && flags & DELETED == 0 {
                let level = value_at(&runs.paragraphs, fc);
                if level == ROW_END && line.is_empty() {
                    continue;
                }
                let role = match level {
                    0 | ROW_END => Role::Body,
                    QUOTE => Role::Quote,
                    level => Role::Heading(usize::from(level)),
                };
                super::docx::push_line(&mut out, &line, role);
                line.clear();
                continue;
            }
            if flags & (DELETED | STRUCK) != 0 {
                // A deleted paragraph mark joins its paragraph to the next.
                if end {
                    line.push(' ');
                }
                continue;
            }
            match c {
                '\t' => line.push('\t'),
                '\u{b}' => line.push(' '),
                '\u{1e}' => line.push('-'),
                '\0'..='\u{1f}' => {}
                _ => {
                    // A raised run starts here: `10` then `26` is `10^26`.
                    let superscript = flags & SUPERSCRIPT != 0;
                    if superscript && !in_superscript {
                        super::docx::push_raised(&mut line, c.encode_utf8(&mut [0; 4]));
                    } else {
                        line.push(c);
                    }
                    in_superscript = superscript;
                }
            }
        }
    }
    if !line.is_empty() {
        super::docx::push_line(&mut out, &line, Role::Body);
    }
    out
}

#[cfg(test)]
#[path = "../../tests/support/word97.rs"]
mod word97;

#[cfg(test)]
pub(super) mod tests {
    use super::word97::{DELETED, Encoding, Paragraph, STRUCK, SUPERSCRIPT, write};
    use super::*;
    use crate::testutil::headings_of;

    /// What Word writes for a password-protected `.docx`: an OLE file
    /// with the encrypted package and how it is encrypted.
    pub(crate) fn encrypted() -> Vec<u8> {
        word97::compound_file(&[
            ("/EncryptionInfo", b"\x04\x00\x04\x00"),
            ("/EncryptedPackage", &[0; 64]),
        ])
    }

    fn runs(runs: &[(&str, u8)]) -> Paragraph {
        Paragraph {
            runs: runs.iter().map(|(t, f)| (t.to_string(), *f)).collect(),
            ..Paragraph::default()
        }
    }

    #[test]
    fn paragraphs_are_lines_and_heading_styles_are_sections() {
        for encoding in [Encoding::Windows1252, Encoding::Utf16] {
            let doc = write(
                &[
                    Paragraph::heading(62, "Model Act"),
                    Paragraph::heading(1, "Section 1. Scope"),
                    Paragraph::plain("Developers shall register.\tSee\u{b}below."),
                    Paragraph {
                        outline_level: Some(1),
                        ..Paragraph::plain("Numbered by outline")
                    },
                    // An outline level of 9 is body text, whatever the style.
                    Paragraph {
                        outline_level: Some(9),
                        ..Paragraph::heading(2, "Styled, but body text")
                    },
                    Paragraph::heading(8, "Deep"),
                ],
                encoding,
            );
            let out = extract(&doc).unwrap();
            assert_eq!(
                out.text,
                "Model Act\nSection 1. Scope\nDevelopers shall register.\tSee below.\n\
                 Numbered by outline\nStyled, but body text\nDeep\n"
            );
            assert_eq!(
                headings_of(&out),
                vec![
                    (0, 1, "Model Act"),
                    (10, 1, "Section 1. Scope"),
                    (65, 2, "Numbered by outline"),
                    (107, 6, "Deep"),
                ]
            );
        }
    }

    #[test]
    fn deleted_and_struck_text_is_not_read_and_superscripts_are_powers() {
        let doc = write(
            &[
                runs(&[
                    ("Developers ", 0),
                    ("are exempt ", DELETED),
                    ("are immune ", STRUCK),
                    ("shall be liable above 10", 0),
                    ("26", SUPERSCRIPT),
                    (" operations", 0),
                    // A footnote reference after a word stays as it is.
                    ("1", SUPERSCRIPT),
                    (".", 0),
                ]),
                // A deleted paragraph mark joins two paragraphs.
                runs(&[("Joined", 0)]),
                runs(&[("here.", 0)]),
            ],
            Encoding::Windows1252,
        );
        let out = extract(&doc).unwrap();
        assert_eq!(
            out.text,
            "Developers shall be liable above 10^26 operations1.\nJoined\nhere.\n"
        );
        let joined = write(
            &[Paragraph {
                runs: vec![
                    ("Joined".into(), 0),
                    ("\r".into(), DELETED),
                    ("here.".into(), 0),
                ],
                ..Paragraph::default()
            }],
            Encoding::Windows1252,
        );
        assert_eq!(extract(&joined).unwrap().text, "Joined here.\n");
    }

    #[test]
    fn field_codes_are_not_read_and_their_results_are() {
        let doc = write(
            &[Paragraph::plain(
                "See \u{13} HYPERLINK \"https://example.org/ban\" \u{14}the \u{13}PAGE\u{14}7\u{15} guidance\u{15} \
                 and \u{13} TOC \\o \u{15}the annex\u{1}\u{8}.",
            )],
            Encoding::Windows1252,
        );
        assert_eq!(
            extract(&doc).unwrap().text,
            "See the 7 guidance and the annex.\n"
        );
        // A field code left open ends with its paragraph.
        let broken = write(
            &[
                Paragraph::plain("Broken \u{13} HYPERLINK \"x\""),
                Paragraph::plain("Next paragraph."),
            ],
            Encoding::Windows1252,
        );
        assert_eq!(extract(&broken).unwrap().text, "Broken \nNext paragraph.\n");
    }

    #[test]
    fn unicode_text_and_windows_1252_text_are_decoded() {
        let utf16 = write(
            &[Paragraph::plain(
                "Caf\u{e9} \u{201c}open\u{201d} \u{1F600} \u{4e2d}\u{6587}",
            )],
            Encoding::Utf16,
        );
        assert_eq!(
            extract(&utf16).unwrap().text,
            "Caf\u{e9} \u{201c}open\u{201d} \u{1F600} \u{4e2d}\u{6587}\n"
        );
        // Byte 0x93 is a left double quotation mark in Windows-1252.
        let compressed = write(
            &[Paragraph::plain("na\u{ef}ve \u{93}AI\u{94}")],
            Encoding::Windows1252,
        );
        assert_eq!(
            extract(&compressed).unwrap().text,
            "na\u{ef}ve \u{201c}AI\u{201d}\n"
        );
    }

    /// Files LibreOffice wrote from documents written for these tests
    /// (tests/data/README.md), not by the writer the other tests
    /// use: headings, a link field, superscript, strikethrough, a table,
    /// text beyond Latin-1 and a tracked deletion as a word processor
    /// stores them.
    #[test]
    fn files_a_word_processor_wrote_read_as_their_sources() {
        crate::testutil::reads_word_processor_files("word97/", ".doc", extract);
    }

    /// Pieces that all point at the same bytes would repeat the stream
    /// without end; a piece past the stream's end is where reading stops.
    #[test]
    fn damaged_piece_tables_cost_no_more_than_the_stream() {
        let word = vec![b'a'; 1000];
        let piece = |i: usize, fc: usize| Piece {
            cp: i * 1000,
            cp_end: (i + 1) * 1000,
            fc,
            compressed: true,
        };
        let no_runs = Runs {
            chars: Vec::new(),
            paragraphs: Vec::new(),
        };
        let overlapping: Vec<Piece> = (0..1000).map(|i| piece(i, 0)).collect();
        let out = text(&word, &overlapping, usize::MAX, &no_runs);
        assert_eq!(out.text.len(), 1001);
        let past_the_end = text(&word, &[piece(0, 0), piece(1, 500)], usize::MAX, &no_runs);
        assert_eq!(past_the_end.text.len(), 1001);
        assert_eq!(
            past_the_end.warnings.len(),
            1,
            "{:?}",
            past_the_end.warnings
        );
        // Character positions that go back are a corrupt table.
        let mut plc = Vec::new();
        for v in [0u32, 10, 5] {
            plc.extend_from_slice(&v.to_le_bytes());
        }
        plc.extend_from_slice(&[0; 16]);
        let clx = [&[2][..], &(plc.len() as u32).to_le_bytes(), &plc].concat();
        assert!(pieces(&clx).is_err_and(|e| e.contains("out of order")));
    }

    /// A bin table that names one page of properties over and over reads
    /// it once.
    #[test]
    fn a_page_named_many_times_is_read_once() {
        let mut word = vec![0u8; 1024];
        word[1024 - 1] = 255;
        let bte = |n: usize| {
            let mut bte = vec![0u8; 4 * (n + 1)];
            bte.extend((0..n).flat_map(|_| 1u32.to_le_bytes()));
            bte
        };
        let once = fkp_runs(&word, Some(&bte(1)), Fkp::Character, character_flags);
        let many = fkp_runs(&word, Some(&bte(100_000)), Fkp::Character, character_flags);
        assert!(!once.is_empty());
        assert_eq!(many.len(), once.len());
    }

    #[test]
    fn broken_and_foreign_files_are_errors_that_say_why() {
        let doc = write(&[Paragraph::plain("Text.")], Encoding::Windows1252);
        let err = |bytes: &[u8]| extract(bytes).unwrap_err();
        assert!(err(&doc[..doc.len() / 2]).contains("not a valid OLE compound file"));
        assert!(err(&[OLE, &[0u8; 512][..]].concat()).contains("not a valid OLE"));
        assert!(err(&encrypted()).contains("password-protected"));
        // A .doc encrypted by Word keeps its streams, with fEncrypted set.
        let (mut word, table) = word97::streams(&[Paragraph::plain("Text.")], Encoding::Utf16);
        word[0x0B] |= 0x01;
        let protected = word97::compound_file(&[("/WordDocument", &word), ("/1Table", &table)]);
        assert!(err(&protected).contains("password-protected"));
        let workbook = word97::compound_file(&[("/Workbook", &[0; 64])]);
        assert!(err(&workbook).contains("without a WordDocument stream"));
        let word6 = word97::compound_file(&[("/WordDocument", &[0xDC, 0xA5, 0, 0])]);
        assert!(err(&word6).contains("Word 6 or older"));
    }
}
