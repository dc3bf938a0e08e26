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
            let text = String::from_utf8_lossy(bytes);
            let warnings = vec![format!(
                "invalid UTF-8 at byte {at}; invalid sequences were replaced with U+FFFD"
            )];
            Decoded::Text { text, warnings }
        }
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
    fn invalid_utf8_is_replaced_with_a_warning() {
        match decode(b"caf\xE9 open") {
            Decoded::Text { text, warnings } => {
                assert_eq!(text, "caf\u{FFFD} open");
                assert_eq!(warnings.len(), 1);
                assert!(warnings[0].contains("byte 3"), "{warnings:?}");
            }
            other => panic!("unexpected {other:?}"),
        }
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
