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
    let expected: Vec<&str> = expected.collect();
    let given = &caps[1];
    let synonym = SYNONYMS
        .iter()
        .find(|(words, field, _)| words.contains(&given) && expected.contains(field))
        .map(|&(_, _, hint)| hint);
    match (closest(given, expected.iter().copied()), synonym) {
        (Some(near), _) => format!("{message} (did you mean `{near}`?)"),
        (None, Some(hint)) => format!("{message} ({hint})"),
        (None, None) => message.to_string(),
    }
}

/// Names a rule author may reach for that are not typos of the field
/// meant: the names, the field that takes their place (suggested only
/// where it is expected), and the hint.
const SYNONYMS: &[(&[&str], &str, &str)] = &[
    (
        &["stance", "stances", "stance-cues"],
        "cues",
        "stance cues are listed under `cues:`, each with its `stance:`",
    ),
    (
        &["regex", "regexes", "regexps", "pattern"],
        "patterns",
        "regexes go in `patterns:`",
    ),
    (
        &["terms", "phrases", "words", "literals"],
        "keywords",
        "literal phrases go in `keywords:`",
    ),
];

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
        // Names that are not typos but stand for another field.
        let top = "unknown field `stance`, expected one of name, themes, rules, cues, checks";
        assert!(
            did_you_mean(top).ends_with("each with its `stance:`)"),
            "{top}"
        );
        let rule = "unknown field `regex`, expected one of id, keywords, patterns";
        assert!(did_you_mean(rule).ends_with("(regexes go in `patterns:`)"));
        // Only where the field it stands for is expected.
        let check = "unknown field `regex`, expected one of id, when";
        assert_eq!(did_you_mean(check), check);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            closest("licencing", ["licensing", "liability"]),
            Some("licensing")
        );
        assert_eq!(closest("zzz", ["licensing"]), None);
    }
}
