//! Decoding: raw bytes of an input into text, or a reason to skip it.
//!
//! Policy documents scraped from the web are often not clean UTF-8. We
//! never refuse a document for that: invalid sequences are replaced with
//! U+FFFD and the document carries a warning. A UTF-8 byte-order mark is
//! dropped. Files that look binary (a NUL byte near the start, the same
//! heuristic as ripgrep and git) are skipped with a notice instead of being
//! scanned as noise.

use std::borrow::Cow;

/// How many leading bytes are inspected for a NUL byte.
const BINARY_SNIFF_LEN: usize = 8 * 1024;

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

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(matches!(decode(b"PK\x03\x04\x00\x00"), Decoded::Binary));
    }
}
