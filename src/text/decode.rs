//! Decoding: raw bytes of an input into text, or a reason to skip it.
//!
//! Policy documents scraped from the web are often not clean UTF-8. We
//! never refuse a document for that: invalid sequences are replaced with
//! U+FFFD and the document carries a warning. A UTF-8 byte-order mark is
//! dropped. UTF-16 (little or big endian) with a byte-order mark, as Word
//! and Windows tools write "Unicode text", is decoded to UTF-8 (unpaired
//! surrogates replaced, with a warning). Files that look binary (a NUL byte
//! near the start, the same heuristic as ripgrep and git) are skipped with
//! a notice instead of being scanned as noise.

use std::borrow::Cow;

/// How many leading bytes are inspected for a NUL byte.
pub(crate) const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// The outcome of decoding one input's bytes.
#[derive(Debug)]
pub enum Decoded<'a> {
    /// Text, with warnings about anything that was repaired.
    Text {
        /// The decoded text.
        text: Cow<'a, str>,
        /// Human-readable notes about repairs (lossy decoding).
        warnings: Vec<String>,
    },
    /// The input looks binary and was not scanned.
    Binary,
}

/// Decodes `bytes` as UTF-8 text, lossily if needed.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    if let Some((rest, little)) = utf16_body(bytes) {
        return decode_utf16(rest, little);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
    if sniff.contains(&0) {
        return Decoded::Binary;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded::Text {
            text: Cow::Borrowed(text),
            warnings: Vec::new(),
        },
        Err(err) => {
            let at = err.valid_up_to();
            // Text saved by Word or a Windows tool as "ANSI" is
            // Windows-1252: its curly quotes, dashes and accented letters
            // are single bytes that are never valid UTF-8. A file with no
            // valid UTF-8 beyond ASCII is read so; one that has some is
            // UTF-8 with damage, and only the damage is repaired
            // ([`repair_utf8`]).
            if !has_utf8_beyond_ascii(bytes) {
                let warnings = vec![format!(
                    "not UTF-8 (byte {at} is the first that is not); read as Windows-1252"
                )];
                return Decoded::Text {
                    text: Cow::Owned(windows_1252(bytes)),
                    warnings,
                };
            }
            let (text, single, damaged) = repair_utf8(bytes);
            let mut repairs = Vec::new();
            if single > 0 {
                repairs.push(format!(
                    "{single} stray byte{} read as Windows-1252",
                    plural(single)
                ));
            }
            if damaged > 0 {
                repairs.push(format!(
                    "{damaged} broken sequence{} replaced with U+FFFD",
                    plural(damaged)
                ));
            }
            let warnings = vec![format!(
                "invalid UTF-8 at byte {at}; {}",
                repairs.join(", ")
            )];
            Decoded::Text {
                text: Cow::Owned(text),
                warnings,
            }
        }
    }
}

/// UTF-8 with damage, repaired: a lone byte that is not UTF-8 is most
/// often a Windows-1252 character pasted into UTF-8 text (a curly quote
/// or an accented letter from a Word document: "don\x92t") and becomes
/// that character; a broken sequence of two or three bytes (a character
/// cut off) becomes U+FFFD. Returns the text and how many of each.
fn repair_utf8(bytes: &[u8]) -> (String, usize, usize) {
    let mut text = String::with_capacity(bytes.len() + 16);
    let (mut single, mut damaged) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        match chunk.invalid() {
            [] => {}
            [byte] => {
                text.push(windows_1252_char(*byte));
                single += 1;
            }
            _ => {
                text.push('\u{FFFD}');
                damaged += 1;
            }
        }
    }
    (text, single, damaged)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Whether `bytes` hold at least one valid UTF-8 sequence of two or more
/// bytes.
fn has_utf8_beyond_ascii(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
}

/// The characters of Windows-1252's bytes 0x80 to 0x9F (WHATWG's mapping,
/// which keeps the five unassigned bytes as the C1 controls of the same
/// value); 0xA0 to 0xFF are Latin-1, the same code points as the bytes.
const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

fn windows_1252(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| windows_1252_char(b)).collect()
}

/// Decodes UTF-16 a code unit at a time: a high surrogate waits in `high`
/// for its low half (`None` is returned meanwhile); a surrogate without
/// its other half is U+FFFD.
pub(super) fn utf16_unit(high: &mut Option<u32>, unit: u32) -> Option<char> {
    match (unit, high.take()) {
        (0xD800..=0xDBFF, _) => {
            *high = Some(unit);
            None
        }
        (0xDC00..=0xDFFF, Some(first)) => Some(
            char::from_u32(0x10000 + ((first - 0xD800) << 10) + (unit - 0xDC00))
                .unwrap_or(char::REPLACEMENT_CHARACTER),
        ),
        (unit, _) => Some(char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)),
    }
}

/// The character of a Windows-1252 byte.
pub(super) fn windows_1252_char(b: u8) -> char {
    match b {
        0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The bytes after a UTF-16 byte-order mark, and whether they are little
/// endian. An odd number of bytes is still UTF-16 (the last byte is
/// reported as invalid).
fn utf16_body(bytes: &[u8]) -> Option<(&[u8], bool)> {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        // FF FE 00 00 is a UTF-32 LE mark: not supported, left to the NUL sniff.
        (!rest.starts_with(b"\x00\x00")).then_some((rest, true))
    } else {
        bytes.strip_prefix(b"\xFE\xFF").map(|rest| (rest, false))
    }
}

fn decode_utf16(bytes: &[u8], little: bool) -> Decoded<'static> {
    let units = bytes.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let mut text = String::with_capacity(bytes.len() / 2 + bytes.len() / 8);
    let mut invalid = 0usize;
    for unit in char::decode_utf16(units) {
        text.push(unit.unwrap_or_else(|_| {
            invalid += 1;
            char::REPLACEMENT_CHARACTER
        }));
    }
    let mut warnings = Vec::new();
    let endian = if little { "LE" } else { "BE" };
    if bytes.len() % 2 == 1 {
        text.push(char::REPLACEMENT_CHARACTER);
        invalid += 1;
    }
    if invalid > 0 {
        warnings.push(format!(
            "invalid UTF-16 {endian}: {invalid} unpaired surrogate(s) or stray byte replaced with U+FFFD"
        ));
    }
    Decoded::Text {
        text: Cow::Owned(text),
        warnings,
    }
}

/// [`decode`] taking ownership: valid UTF-8 becomes the text without a
/// copy (only a byte-order mark is shifted out). `None` for binary input.
pub fn decode_owned(mut bytes: Vec<u8>) -> Option<(String, Vec<String>)> {
    match decode(&bytes) {
        Decoded::Binary => None,
        Decoded::Text {
            text: Cow::Owned(text),
            warnings,
        } => Some((text, warnings)),
        Decoded::Text {
            text: Cow::Borrowed(_),
            warnings,
        } => {
            if bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes.drain(..3);
            }
            // `decode` just validated these bytes.
            let text = String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            Some((text, warnings))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_utf8_is_borrowed() {
        match decode("plain text".as_bytes()) {
            Decoded::Text {
                text: Cow::Borrowed(t),
                warnings,
            } => {
                assert_eq!(t, "plain text");
                assert!(warnings.is_empty());
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn bom_is_dropped() {
        match decode(b"\xEF\xBB\xBFhello") {
            Decoded::Text { text, .. } => assert_eq!(text, "hello"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn invalid_utf8_is_repaired_with_a_warning() {
        // UTF-8 (the `ï` of "naïve" is valid) with a Windows-1252 `é` and
        // curly apostrophe pasted in, and a character cut off (the first
        // two of the three bytes of `’`).
        match decode(b"na\xC3\xAFve caf\xE9 don\x92t open \xE2\x80 end") {
            Decoded::Text { text, warnings } => {
                assert_eq!(text, "na\u{EF}ve caf\u{E9} don\u{2019}t open \u{FFFD} end");
                assert_eq!(
                    warnings,
                    [
                        "invalid UTF-8 at byte 10; 2 stray bytes read as Windows-1252, \
                      1 broken sequence replaced with U+FFFD"
                    ]
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn text_with_no_utf8_beyond_ascii_is_read_as_windows_1252() {
        // Word's "ANSI" text: curly quotes, a dash, an accented letter.
        let ansi = b"We don\x92t want a \x93ban\x94 \x96 caf\xE9 \x80 5\x81";
        match decode(ansi) {
            Decoded::Text { text, warnings } => {
                assert_eq!(
                    text,
                    "We don\u{2019}t want a \u{201C}ban\u{201D} \u{2013} caf\u{E9} \u{20AC} 5\u{81}"
                );
                assert_eq!(
                    warnings,
                    ["not UTF-8 (byte 6 is the first that is not); read as Windows-1252"]
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        // Every byte maps to one character, so positions count as before.
        let all: Vec<u8> = (1..=255).collect();
        assert_eq!(windows_1252(&all).chars().count(), 255);
        // NUL still means binary.
        assert!(matches!(decode(b"caf\xE9\x00"), Decoded::Binary));
    }

    fn utf16(text: &str, little: bool) -> Vec<u8> {
        let mut out = if little {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in text.encode_utf16() {
            out.extend(if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        out
    }

    #[test]
    fn utf16_with_a_bom_is_decoded_in_both_byte_orders() {
        let text = "Open-weight models\r\nÖffentlich 开源 🚀\n";
        for little in [true, false] {
            match decode(&utf16(text, little)) {
                Decoded::Text { text: t, warnings } => {
                    assert_eq!(t, text);
                    assert!(warnings.is_empty(), "{warnings:?}");
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn broken_utf16_is_repaired_with_a_warning() {
        let mut bytes = utf16("ab", true);
        bytes.extend([0x00, 0xD8]); // an unpaired high surrogate
        bytes.push(b'x'); // a stray odd byte
        match decode(&bytes) {
            Decoded::Text { text, warnings } => {
                assert_eq!(text, "ab\u{FFFD}\u{FFFD}");
                assert!(warnings[0].contains("UTF-16 LE: 2"), "{warnings:?}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(matches!(decode(b"PK\x03\x04\x00\x00"), Decoded::Binary));
    }
}
