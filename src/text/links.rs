//! Addresses in text: web addresses (`https://…`, `www.…`), email
//! addresses (`comments@open-weights.example`) and, in Markdown, link
//! destinations (`[report](../open-weights-ban.md)`).
//!
//! They are not prose: an address's slug (`/ban-open-weights-licensing`)
//! says nothing about what the document argues, so no rule matches inside
//! one (see `scan`). The text itself is left as it is, so evidence
//! snippets still show the sentence as written.

use std::ops::Range;

use memchr::memmem;

use super::Format;

/// The source byte ranges of the addresses in `text`, sorted and not
/// overlapping.
pub(crate) fn find(text: &str, format: Format) -> Vec<Range<usize>> {
    // Each search is one SIMD pass over a text that holds none, as most
    // documents do.
    let mut ranges = each(text, b"://", scheme_url);
    ranges.extend(each(text, b"www.", www_url));
    ranges.extend(memchr::memchr_iter(b'@', text.as_bytes()).filter_map(|at| email(text, at)));
    if format == Format::Markdown {
        ranges.extend(
            memmem::find_iter(text.as_bytes(), b"](").filter_map(|at| destination(text, at)),
        );
    }
    super::merge_ranges(ranges)
}

/// The address `address` finds at each occurrence of `needle`, skipping
/// occurrences inside the address found before (`a://a://…` without a
/// space is one address; reading it again from each would be quadratic).
fn each(
    text: &str,
    needle: &[u8],
    address: fn(&str, usize) -> Option<Range<usize>>,
) -> Vec<Range<usize>> {
    let mut found: Vec<Range<usize>> = Vec::new();
    for at in memmem::find_iter(text.as_bytes(), needle) {
        if found.last().is_none_or(|r| at >= r.end) {
            found.extend(address(text, at));
        }
    }
    found
}

/// The address around the `://` at `at`: a scheme of letters, digits, `+`,
/// `-` and `.` starting with a letter, then everything up to white space
/// or a delimiter, without trailing punctuation.
fn scheme_url(text: &str, at: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let scheme = bytes[..at]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        .count();
    // The scheme starts with a letter: skip what it cannot start with.
    let start = (at - scheme..at).find(|&i| bytes[i].is_ascii_alphabetic())?;
    let end = address_end(text, at + 3);
    (end > at + 3).then_some(start..end)
}

/// `www.` starting a word, then an address.
fn www_url(text: &str, at: usize) -> Option<Range<usize>> {
    let before = text[..at].chars().next_back();
    if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '/' | '@' | '-')) {
        return None;
    }
    let end = address_end(text, at + 4);
    // At least `www.x.y`: a name and a dot after `www.`.
    text[at + 4..end].contains('.').then_some(at..end)
}

/// The email address around the `@` at `at`: a local part of letters,
/// digits and `._%+-`, a domain of labels (letters, digits, `-`) with at
/// least one dot, the last label of letters.
fn email(text: &str, at: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let local = bytes[..at]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-'))
        .count();
    let domain = bytes[at + 1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
        .count();
    let domain = std::str::from_utf8(&bytes[at + 1..at + 1 + domain])
        .ok()?
        .trim_end_matches(['.', '-']);
    let tld = domain.rsplit_once('.')?.1;
    let valid = local > 0
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && !domain.starts_with(['.', '-']);
    valid.then(|| at - local..at + 1 + domain.len())
}

/// Where an address starting at `from` ends: at white space, `<`, `>`,
/// `"` or a backtick; then trailing punctuation (`.,;:!?'*_~` and closing
/// quotes such as `»`) is not part
/// of it, nor a closing `)` or `]` that it does not open (as GitHub reads
/// autolinks: `(see https://example.org/a).`).
///
/// An address is read at most [`MAX_ADDRESS`] bytes far: no real one is
/// longer, and text that never pauses for a space costs no more.
fn address_end(text: &str, from: usize) -> usize {
    let limit = super::floor_boundary(text, (from + MAX_ADDRESS).min(text.len()));
    let rest = &text[from..limit];
    let address = &rest[..rest
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(rest.len())];
    let count = |c: u8| address.bytes().filter(|&b| b == c).count();
    let (mut parens, mut brackets) = (
        count(b')') as isize - count(b'(') as isize,
        count(b']') as isize - count(b'[') as isize,
    );
    let mut end = address.len();
    while let Some(last) = address[..end].chars().next_back() {
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_' | '~' | '»' | '”' | '’' | '›' => {
                true
            }
            ')' if parens > 0 => {
                parens -= 1;
                true
            }
            ']' if brackets > 0 => {
                brackets -= 1;
                true
            }
            _ => false,
        };
        if !trim {
            break;
        }
        end -= last.len_utf8();
    }
    from + end
}

/// The longest address read (see [`address_end`]).
const MAX_ADDRESS: usize = 4096;

/// A Markdown inline link's destination and title after the `](` at
/// `at`: `](dest)`, `](dest "title")`, `](<dest with spaces>)`; the range
/// runs from the `(` to the `)`. Not a link (`a](b c d)`): none.
fn destination(text: &str, at: usize) -> Option<Range<usize>> {
    let open = at + 1;
    let rest = &text[open + 1..];
    // A destination is one line; a title may follow it. It is not read
    // past the next `](` either: none holds one, and a line of `](](](…`
    // would be read again from each.
    let next = memmem::find(rest.as_bytes(), b"](").unwrap_or(rest.len());
    let line = &rest[..memchr::memchr(b'\n', &rest.as_bytes()[..next]).unwrap_or(next)];
    let after = if let Some(inner) = line.strip_prefix('<') {
        &line[inner.find('>')? + 2..]
    } else {
        let mut depth = 0usize;
        let len = line
            .char_indices()
            .find(|&(_, c)| match c {
                '(' => {
                    depth += 1;
                    false
                }
                ')' if depth > 0 => {
                    depth -= 1;
                    false
                }
                ')' => true,
                c => c.is_whitespace(),
            })
            .map_or(line.len(), |(i, _)| i);
        &line[len..]
    };
    let trimmed = after.trim_start();
    let title_len = match trimmed.chars().next()? {
        ')' => 0,
        quote @ ('"' | '\'') => trimmed[1..].find(quote)? + 2,
        '(' => trimmed.find(')')? + 1,
        _ => return None,
    };
    let close_rel = trimmed[title_len..].trim_start();
    if !close_rel.starts_with(')') {
        return None;
    }
    let close = open + 1 + line.len() - close_rel.len();
    Some(open..close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, format: Format) -> Vec<&str> {
        find(text, format).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn web_addresses_without_trailing_punctuation() {
        let text = "See https://example.org/ban-open-weights, (also http://a.eu/x_(y)) and \
                    <ftp://files.example.org/licensing>. Or www.example.com/open-source.";
        assert_eq!(
            found(text, Format::Text),
            [
                "https://example.org/ban-open-weights",
                "http://a.eu/x_(y)",
                "ftp://files.example.org/licensing",
                "www.example.com/open-source",
            ]
        );
    }

    #[test]
    fn what_is_not_an_address() {
        for text in [
            "The ratio was 3://4 in the table.",
            "Nothing after the scheme: https:// here.",
            "A sentence about www. and wwwhat.",
            "A handle @open-weights and a price of 3@5.",
            "Between [brackets](and text) in plain text.",
            "",
        ] {
            assert_eq!(found(text, Format::Text), Vec::<&str>::new(), "{text}");
        }
    }

    #[test]
    fn email_addresses() {
        let text = "Write to comments.open-weights@ai-office.europa.eu, or (licensing@example.org), \
                    policy@www.example.org. Not: policy@localhost, a@b.c, @handle, x@-bad.org.";
        assert_eq!(
            found(text, Format::Text),
            [
                "comments.open-weights@ai-office.europa.eu",
                "licensing@example.org",
                "policy@www.example.org"
            ]
        );
    }

    #[test]
    fn markdown_link_destinations_and_titles() {
        let text = "See [the report](../reports/open-weights-ban.md \"licensing regime\") and \
                    [this](<a b.md>), [paren](x_(y).md), ![chart](img/export-controls.png).\n\
                    Not a link: [a](b c d) or a](\nb).";
        assert_eq!(
            found(text, Format::Markdown),
            [
                "(../reports/open-weights-ban.md \"licensing regime\")",
                "(<a b.md>)",
                "(x_(y).md)",
                "(img/export-controls.png)",
            ]
        );
        assert_eq!(found(text, Format::Text), Vec::<&str>::new());
    }

    #[test]
    fn an_address_in_a_markdown_destination_is_one_range() {
        let text = "[a](https://example.org/open-weights \"t\") and https://b.org/c.";
        assert_eq!(
            found(text, Format::Markdown),
            [
                "(https://example.org/open-weights \"t\")",
                "https://b.org/c"
            ]
        );
    }

    /// Text that never pauses for a space: one address where the
    /// occurrences run together, none where nothing follows. (Each of
    /// these took time quadratic in its length; `bench/many-parts.sh`
    /// times the `addresses` kind.)
    #[test]
    fn degenerate_text() {
        let n = 20_000;
        let cases = [
            ("a://".repeat(n), Format::Text, 1),
            (format!("a://b{}", ")".repeat(n)), Format::Text, 1),
            ("](".repeat(n), Format::Markdown, 0),
            ("a@".repeat(n), Format::Text, 0),
            ("www.".repeat(n), Format::Text, 1),
        ];
        for (text, format, count) in cases {
            let ranges = find(&text, format);
            assert_eq!(ranges.len(), count, "{:?}…", &text[..8]);
        }
        assert_eq!(
            find(&format!("a://b{}", ")".repeat(10)), Format::Text)[0],
            0..5
        );
    }

    #[test]
    fn multibyte_text_around_and_inside_addresses() {
        let text = "Voir https://exemple.fr/réglementation-ouverte» — et «www.exemple.fr/ç».";
        assert_eq!(
            found(text, Format::Text),
            [
                "https://exemple.fr/réglementation-ouverte",
                "www.exemple.fr/ç"
            ]
        );
    }
}
