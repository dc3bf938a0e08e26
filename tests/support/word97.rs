//! Writes small Word 97–2003 (`.doc`) files for tests: an OLE compound
//! file with a WordDocument stream (File Information Block, text, one page
//! of character and one of paragraph properties) and a table stream
//! (stylesheet, bin tables, piece table), per [MS-DOC]. Shared by the
//! `.doc` reader's unit tests (src/text/doc.rs), the integration tests
//! (tests/it/input_formats.rs) and the `docx` fuzz target, which starts
//! from these files. What this writes is only what policyscan reads (no
//! fonts, no document properties), so Word and LibreOffice need not open
//! it; that the reader follows the format as Word processors write it is
//! tested on files LibreOffice wrote (tests/data/word97).
//!
//! [MS-DOC]: https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-doc/

#![allow(dead_code)]

use std::io::Write;

/// Character run flags.
pub(crate) const DELETED: u8 = 1;
pub(crate) const STRUCK: u8 = 2;
pub(crate) const SUPERSCRIPT: u8 = 4;

/// A paragraph: runs of text with their flags, and a heading level (0:
/// body text; 1 to 9: the built-in style `Heading n`; 62, `Title`)
/// unless an outline level is given directly.
#[derive(Default, Clone)]
pub(crate) struct Paragraph {
    pub(crate) runs: Vec<(String, u8)>,
    pub(crate) style: u16,
    pub(crate) outline_level: Option<u8>,
}

impl Paragraph {
    pub(crate) fn plain(text: &str) -> Paragraph {
        Paragraph {
            runs: vec![(text.to_string(), 0)],
            ..Paragraph::default()
        }
    }

    pub(crate) fn heading(level: u16, text: &str) -> Paragraph {
        Paragraph {
            style: level,
            ..Paragraph::plain(text)
        }
    }
}

/// How the text is stored.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// One byte a character (what Word calls compressed text): the text
    /// must be Latin-1.
    Windows1252,
    Utf16,
}

/// Built-in style identifiers the stylesheet has, by style index: Normal,
/// Heading 1 to 9, Title.
const STYLES: &[u16] = &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 62];

/// Where the text starts in the WordDocument stream.
const TEXT_AT: usize = 0x400;

/// A `.doc` file holding `paragraphs`.
pub(crate) fn write(paragraphs: &[Paragraph], encoding: Encoding) -> Vec<u8> {
    let (word, table) = streams(paragraphs, encoding);
    compound_file(&[("/WordDocument", &word), ("/1Table", &table)])
}

/// The WordDocument and table streams of a `.doc` holding `paragraphs`.
pub(crate) fn streams(paragraphs: &[Paragraph], encoding: Encoding) -> (Vec<u8>, Vec<u8>) {
    let mut text = Vec::new();
    // Character runs and paragraphs as (start, end) byte offsets of the
    // WordDocument stream, with their properties.
    let mut chars: Vec<(usize, usize, Vec<u8>)> = Vec::new();
    let mut paras: Vec<(usize, usize, Vec<u8>)> = Vec::new();
    let mut cp = 0;
    for p in paragraphs {
        let start = TEXT_AT + text.len();
        for (run, flags) in p
            .runs
            .iter()
            .map(|(t, f)| (t.clone(), *f))
            .chain([("\r".into(), 0)])
        {
            let run_start = TEXT_AT + text.len();
            for c in run.chars() {
                if encoding == Encoding::Utf16 {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        text.extend_from_slice(&unit.to_le_bytes());
                        cp += 1;
                    }
                } else {
                    text.push(u8::try_from(u32::from(c)).expect("Latin-1 text"));
                    cp += 1;
                }
            }
            let mut grpprl = Vec::new();
            for (flag, sprm) in [
                (DELETED, 0x0800u16),
                (STRUCK, 0x0837),
                (SUPERSCRIPT, 0x2A48),
            ] {
                if flags & flag != 0 {
                    grpprl.extend_from_slice(&sprm.to_le_bytes());
                    grpprl.push(1);
                }
            }
            chars.push((run_start, TEXT_AT + text.len(), grpprl));
        }
        let istd = STYLES
            .iter()
            .position(|&sti| sti == p.style)
            .expect("a style") as u16;
        let mut props = istd.to_le_bytes().to_vec();
        if let Some(level) = p.outline_level {
            props.extend_from_slice(&0x2640u16.to_le_bytes());
            props.push(level);
        }
        paras.push((start, TEXT_AT + text.len(), props));
    }
    let text_end = TEXT_AT + text.len();
    let page = |at: usize| at.div_ceil(512);
    let chpx_page = page(text_end);
    let papx_page = chpx_page + 1;

    let mut word = vec![0u8; papx_page * 512 + 512];
    word[TEXT_AT..text_end].copy_from_slice(&text);
    word[chpx_page * 512..][..512].copy_from_slice(&fkp(&chars, false));
    word[papx_page * 512..][..512].copy_from_slice(&fkp(&paras, true));

    // The table stream: stylesheet, bin tables, piece table.
    let mut table = Vec::new();
    let mut pairs = vec![(0u32, 0u32); 93];
    let mut put = |table: &mut Vec<u8>, index: usize, bytes: &[u8]| {
        pairs[index] = (table.len() as u32, bytes.len() as u32);
        table.extend_from_slice(bytes);
    };
    put(&mut table, 1, &stylesheet());
    let bte = |pn: usize| {
        [TEXT_AT as u32, text_end as u32, pn as u32]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect::<Vec<_>>()
    };
    put(&mut table, 12, &bte(chpx_page));
    put(&mut table, 13, &bte(papx_page));
    let mut clx = vec![0x02];
    let fc = if encoding == Encoding::Utf16 {
        TEXT_AT as u32
    } else {
        (TEXT_AT as u32 * 2) | 0x4000_0000
    };
    let mut plc = Vec::new();
    for v in [0u32, cp as u32] {
        plc.extend_from_slice(&v.to_le_bytes());
    }
    plc.extend_from_slice(&[0, 0]);
    plc.extend_from_slice(&fc.to_le_bytes());
    plc.extend_from_slice(&[0, 0]);
    clx.extend_from_slice(&(plc.len() as u32).to_le_bytes());
    clx.extend_from_slice(&plc);
    put(&mut table, 31, &[0; 544]); // the document properties (DOP), all default
    put(&mut table, 33, &clx);

    // The File Information Block.
    let mut fib = Vec::new();
    fib.extend_from_slice(&0xA5ECu16.to_le_bytes()); // wIdent
    fib.extend_from_slice(&0x00C1u16.to_le_bytes()); // nFib: Word 97
    fib.extend_from_slice(&0x6A62u16.to_le_bytes()); // nProduct
    fib.extend_from_slice(&0x0409u16.to_le_bytes()); // lid: English (US)
    fib.extend_from_slice(&0u16.to_le_bytes()); // pnNext
    fib.extend_from_slice(&0x0200u16.to_le_bytes()); // fWhichTblStm: 1Table
    fib.extend_from_slice(&0x00BFu16.to_le_bytes()); // nFibBack
    fib.resize(0x18, 0);
    fib.extend_from_slice(&(TEXT_AT as u32).to_le_bytes()); // fcMin
    fib.extend_from_slice(&(text_end as u32).to_le_bytes()); // fcMac
    fib.resize(32, 0);
    fib.extend_from_slice(&14u16.to_le_bytes()); // csw
    fib.extend_from_slice(&[0; 28]);
    fib.extend_from_slice(&22u16.to_le_bytes()); // cslw
    let mut lw = [0u32; 22];
    lw[0] = word.len() as u32; // cbMac
    lw[3] = cp as u32; // ccpText
    fib.extend(lw.iter().flat_map(|v| v.to_le_bytes()));
    fib.extend_from_slice(&(pairs.len() as u16).to_le_bytes());
    fib.extend(
        pairs
            .iter()
            .flat_map(|(a, b)| [a.to_le_bytes(), b.to_le_bytes()])
            .flatten(),
    );
    fib.extend_from_slice(&0u16.to_le_bytes()); // cswNew
    word[..fib.len()].copy_from_slice(&fib);
    (word, table)
}

/// An OLE compound file holding `streams`.
pub(crate) fn compound_file(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    for (name, data) in streams {
        file.create_stream(name).unwrap().write_all(data).unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

/// One formatted disk page: the runs' offsets, then a byte (character
/// page) or a 13-byte `BxPap` (paragraph page) a run pointing at its
/// properties, which sit at the end of the page.
fn fkp(runs: &[(usize, usize, Vec<u8>)], paragraph: bool) -> [u8; 512] {
    let mut page = [0u8; 512];
    let crun = runs.len();
    for (i, (start, end, _)) in runs.iter().enumerate() {
        page[4 * i..4 * i + 4].copy_from_slice(&(*start as u32).to_le_bytes());
        page[4 * i + 4..4 * i + 8].copy_from_slice(&(*end as u32).to_le_bytes());
    }
    let offsets = 4 * (crun + 1);
    let mut free = 511;
    for (i, (_, _, props)) in runs.iter().enumerate() {
        let stored = if !paragraph {
            if props.is_empty() {
                continue;
            }
            [&[props.len() as u8][..], props].concat()
        } else if props.len() % 2 == 1 {
            [&[props.len().div_ceil(2) as u8][..], props].concat()
        } else {
            [&[0, (props.len() / 2) as u8][..], props].concat()
        };
        free = (free - stored.len()) & !1;
        page[free..free + stored.len()].copy_from_slice(&stored);
        let slot = if paragraph {
            offsets + 13 * i
        } else {
            offsets + i
        };
        page[slot] = (free / 2) as u8;
    }
    page[511] = crun as u8;
    page
}

/// A stylesheet of [`STYLES`]: each style is only its built-in identifier
/// and a name.
fn stylesheet() -> Vec<u8> {
    let mut stshi = Vec::new();
    stshi.extend_from_slice(&(STYLES.len() as u16).to_le_bytes()); // cstd
    stshi.extend_from_slice(&10u16.to_le_bytes()); // cbSTDBaseInFile
    stshi.extend_from_slice(&1u16.to_le_bytes()); // fStdStylenamesWritten
    stshi.extend_from_slice(&0x5Bu16.to_le_bytes()); // stiMaxWhenSaved
    stshi.extend_from_slice(&15u16.to_le_bytes()); // istdMaxFixedWhenSaved
    stshi.extend_from_slice(&0u16.to_le_bytes()); // nVerBuiltInNamesWhenSaved
    stshi.extend_from_slice(&[0; 6]); // rgftcStandardChpStsh
    let mut out = (stshi.len() as u16).to_le_bytes().to_vec();
    out.extend_from_slice(&stshi);
    for &sti in STYLES {
        let name = match sti {
            0 => "Normal".to_string(),
            62 => "Title".to_string(),
            n => format!("heading {n}"),
        };
        let mut std = Vec::new();
        std.extend_from_slice(&sti.to_le_bytes());
        std.extend_from_slice(&0xFFF1u16.to_le_bytes()); // a paragraph style, no base
        std.extend_from_slice(&0x0002u16.to_le_bytes()); // two UPXs, next: Normal
        std.extend_from_slice(&0u16.to_le_bytes()); // bchUpe
        std.extend_from_slice(&0u16.to_le_bytes()); // grfstd
        std.extend_from_slice(&(name.len() as u16).to_le_bytes());
        std.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
        std.extend_from_slice(&[0, 0]);
        // The paragraph UPX (the style index, no sprms), then an empty
        // character UPX.
        std.extend_from_slice(&2u16.to_le_bytes());
        std.extend_from_slice(&0u16.to_le_bytes());
        std.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&(std.len() as u16).to_le_bytes());
        out.extend_from_slice(&std);
    }
    out
}
