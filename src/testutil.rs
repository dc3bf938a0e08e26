//! Helpers for unit tests.

/// A small deterministic random generator (xorshift64) for property
/// tests: no dependency, and a failure repeats on every run.
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator started from `seed` (not zero).
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// A number in `0..n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The words of a text as read, without the word joiners that pad
/// markup, one space between words.
pub(crate) fn visible(s: &str) -> String {
    s.replace(crate::text::html::PAD, "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Asserts that two texts have the same shape: as many lines, each of as
/// many characters.
#[track_caller]
pub(crate) fn same_shape(a: &str, b: &str) {
    assert_eq!(a.lines().count(), b.lines().count(), "{a:?}\n{b:?}");
    for (x, y) in a.lines().zip(b.lines()) {
        assert_eq!(x.chars().count(), y.chars().count(), "{x:?} / {y:?}");
    }
}

/// The headings of extracted text as `(offset, level, label)`.
/// Whether the first occurrence of `needle` in `out`'s text is inside a
/// quotation.
pub(crate) fn quoted(out: &crate::text::Extracted, needle: &str) -> bool {
    let at = out.text.find(needle).expect("the needle is in the text");
    out.quotes.iter().any(|q| q.contains(&at))
}

pub(crate) fn headings_of(out: &crate::text::Extracted) -> Vec<(usize, usize, &str)> {
    out.headings
        .iter()
        .map(|h| (h.offset, h.level, h.label.as_str()))
        .collect()
}

/// Checks `extract` on the files in tests/data that LibreOffice made from
/// `features.html` and `tracked-deletion.docx` (tests/data/README.md),
/// `dir` and `ext` naming the format's: each must hold its source's text
/// and headings.
pub(crate) fn reads_word_processor_files(
    dir: &str,
    ext: &str,
    extract: fn(&[u8]) -> Result<crate::text::Extracted, String>,
) {
    let read = |name: &str| {
        let path = format!("{}/tests/data/{dir}{name}{ext}", env!("CARGO_MANIFEST_DIR"));
        extract(&std::fs::read(path).unwrap()).unwrap()
    };
    let features = read("features");
    assert_eq!(
        features.text,
        "Model Act of 2026\n\
         Developers of open-weight models shall register with the Office of AI Safety.\n\
         Section 2. Thresholds\n\
         A model trained with more than 10^26 operations is covered.\n\
         The Office may  publish guidance.\n\
         Cell one text\nCell two text\n\
         Caf\u{e9} na\u{ef}ve \u{201c}quoted\u{201d} \u{1F600} end.\n\
         Open weights cannot be recalled.\n\
         We disagree.\n",
        "{ext}"
    );
    // The `<blockquote>`, a "Quotations" paragraph, is a quotation; the
    // paragraph after it is not.
    let quoted: Vec<&str> = features
        .quotes
        .iter()
        .map(|q| &features.text[q.clone()])
        .collect();
    assert_eq!(quoted, ["Open weights cannot be recalled.\n"], "{ext}");
    assert_eq!(
        headings_of(&features),
        vec![
            (0, 1, "Model Act of 2026"),
            (96, 2, "Section 2. Thresholds")
        ],
        "{ext}"
    );
    assert_eq!(
        read("tracked-deletion").text,
        "Open-weight models deserve a safe harbor and more study.\nSecond paragraph.\n",
        "{ext}"
    );
}

/// A zip package of `parts` (name, bytes), in order: an office document
/// with only the parts a test needs.
pub(crate) fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}
