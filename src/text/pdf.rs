//! PDF: the text of each page, by pdf-extract.
//!
//! Pages follow one another, each starting on a new line; the document
//! records where each starts so evidence can give its page. Words split by
//! a hyphen at the end of a layout line are joined: `regu-` + `lation`
//! becomes `regu\u{AD}lation` (a soft hyphen, which keyword matching
//! ignores, so `regulation` matches), except after a few words that form
//! real hyphenated compounds (`open-` + `source` stays `open-source`). The
//! rest of the line moves up with it, so the line count stays the same.

use super::Extracted;

/// Words before a line-end hyphen that usually start a real compound
/// (`open-source`, `non-profit`, `high-risk`), where the hyphen is kept.
const COMPOUND_HEADS: &[&str] = &[
    "anti", "closed", "co", "cross", "dual", "end", "first", "frontier", "general", "high",
    "large", "long", "low", "multi", "non", "open", "post", "pre", "risk", "safety", "self",
    "short", "small", "so", "state", "third", "well",
];

/// Whether `bytes` are a PDF: `%PDF-` first (after whitespace). Readers
/// accept junk before it, but a text that merely mentions `%PDF-` must
/// stay text.
pub fn sniff(bytes: &[u8]) -> bool {
    bytes.trim_ascii_start().starts_with(b"%PDF-")
}

/// Extracts the text of every page.
pub fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    let pages = crate::pipeline::catch_panic(|| pdf_extract::extract_text_from_mem_by_pages(bytes))
        .map_err(|_| {
            "could not extract text from the PDF: the PDF reader failed on it".to_string()
        })?
        .map_err(|e| format!("could not extract text from the PDF: {e}"))?;
    Ok(join_pages(&pages))
}

/// Joins page texts, recording page starts and joining hyphenated words.
pub(crate) fn join_pages(pages: &[String]) -> Extracted {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(pages.len());
    for page in pages {
        starts.push(text.len());
        text.push_str(&dehyphenate(page));
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
    }
    Extracted {
        text,
        headings: Vec::new(),
        pages: starts,
    }
}

/// Joins words split by a hyphen at a line end (see the module docs).
fn dehyphenate(page: &str) -> String {
    let mut lines: Vec<String> = page.lines().map(str::to_string).collect();
    for i in 0..lines.len().saturating_sub(1) {
        let line = lines[i].trim_end();
        let Some(head) = line.strip_suffix('-') else {
            continue;
        };
        let word_start = head.rfind(|c: char| !c.is_alphabetic()).map_or(0, |i| {
            i + head[i..].chars().next().map_or(1, char::len_utf8)
        });
        let fragment = &head[word_start..];
        let next = lines[i + 1].trim_start();
        if fragment.is_empty() || !next.starts_with(|c: char| c.is_lowercase()) {
            continue;
        }
        let end = next.find(char::is_whitespace).unwrap_or(next.len());
        let (tail, rest) = next.split_at(end);
        let joiner = if COMPOUND_HEADS.contains(&fragment.to_lowercase().as_str()) {
            "-"
        } else {
            "\u{AD}"
        };
        let joined = format!("{head}{joiner}{tail}");
        lines[i + 1] = rest.trim_start().to_string();
        lines[i] = joined;
    }
    let mut out = lines.join("\n");
    if page.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_end_hyphens_are_joined_and_compounds_keep_theirs() {
        let page = "The regu-\nlation of open-\nsource models\nends here -\nNot joined: Capital-\nLetter\n";
        let out = dehyphenate(page);
        assert_eq!(
            out,
            "The regu\u{AD}lation\nof open-source\nmodels\nends here -\nNot joined: Capital-\nLetter\n"
        );
        assert_eq!(out.lines().count(), page.lines().count());
    }

    #[test]
    fn pages_start_on_their_own_lines() {
        let out = join_pages(&["one\ntwo".to_string(), "three\n".to_string(), String::new()]);
        assert_eq!(out.text, "one\ntwo\nthree\n");
        assert_eq!(out.pages, vec![0, 8, 14]);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(extract(b"%PDF-1.7\n%garbage").is_err());
        assert!(extract(b"").is_err());
        assert!(sniff(b"%PDF-1.4"));
        assert!(!sniff(b"plain"));
        assert!(!sniff(b"Save the form as %PDF-1.7 and send it."));
    }
}
