//! "Did you mean" suggestions for misspelled field names and ids, shared by
//! ruleset errors, `rules show` and `policyscan.toml` errors.

use std::sync::LazyLock;

use regex::Regex;

/// The candidate closest to `given`, if it is close enough to be a typo:
/// at most two edits, or a third of the length for long names.
pub fn closest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(given, c), c))
        .filter(|&(d, _)| d <= 2.max(given.chars().count() / 3))
        .min()
        .map(|(_, c)| c)
}

static UNKNOWN_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"unknown (?:field|variant) `([^`]+)`, expected (?:one of )?(.*)$").unwrap()
});

/// Adds "(did you mean `weight`?)" to serde's (or toml's) unknown-field or
/// unknown-variant message when one of the expected names is close to the
/// one given; other messages come back unchanged.
pub fn did_you_mean(message: &str) -> String {
    let Some(caps) = UNKNOWN_FIELD.captures(message) else {
        return message.to_string();
    };
    let expected = caps[2]
        .split(',')
        .map(|c| {
            c.trim()
                .trim_matches('`')
                .trim_start_matches("or ")
                .trim_matches('`')
        })
        .filter(|c| !c.is_empty());
    match closest(&caps[1], expected) {
        Some(near) => format!("{message} (did you mean `{near}`?)"),
        None => message.to_string(),
    }
}

/// Levenshtein distance.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_for_misspelled_fields() {
        let msg = "unknown field `wieght`, expected one of id, weight, whole-word";
        assert!(did_you_mean(msg).ends_with("(did you mean `weight`?)"));
        let toml = "unknown field `formt`, expected one of `rules`, `format`, `fail-on`";
        assert!(did_you_mean(toml).ends_with("(did you mean `format`?)"));
        let json = "unknown field `colour`, expected one of `id`, `keywords`";
        assert_eq!(did_you_mean(json), json);
        assert_eq!(did_you_mean("something else"), "something else");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            closest("licencing", ["licensing", "liability"]),
            Some("licensing")
        );
        assert_eq!(closest("zzz", ["licensing"]), None);
    }
}
