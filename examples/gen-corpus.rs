//! Writes a deterministic corpus of article-like documents for benchmarks.
//!
//! ```sh
//! cargo run --release --example gen-corpus -- --docs 20000 --words 1200 --seed 7 --out /tmp/corpus
//! ```
//!
//! Documents are `.txt` and `.md` files in nested folders
//! (`YEAR/MONTH/outlet/NNNNNN.md`). Their prose mixes sentences about the
//! open-source AI debate (releases, licensing, liability, evaluations,
//! export controls, ...) with general news filler: about one sentence in
//! five is about the debate and carries several of the default ruleset's
//! keywords, and each document sticks to three to five arguments, so the
//! matcher and the classifier do real work, as they would on a news
//! archive filtered for AI policy. The same arguments always write the same bytes
//! (a splitmix64 generator seeded by `--seed` and the document number), and
//! documents are generated in parallel.
//!
//! With `--jsonl PARTS` the same documents are written as JSON Lines
//! records instead, spread over `PARTS` files `part-00000.jsonl`, …, as a
//! news archive or a comment docket would be exported:
//! `{"id": "2023/04/outlet/000017.md", "source": "outlet", "month":
//! "2023-04", "text": "…"}` (the input of `scan --input jsonl` and of
//! examples/spark).
//!
//! All text is assembled from phrase lists written for this generator.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

/// Subjects of debate sentences.
const SUBJECTS: &[&str] = &[
    "Lawmakers",
    "The agency",
    "Open-source developers",
    "Security researchers",
    "Several startups",
    "The committee",
    "Civil society groups",
    "Frontier labs",
    "University researchers",
    "The ministry",
    "Industry associations",
    "Critics of the bill",
    "Supporters of the proposal",
    "Regulators in Brussels",
    "State legislators",
];

/// Verb phrases of debate sentences, with their objects.
const CLAIMS: &[&str] = &[
    "should restrict the release of model weights above the compute threshold",
    "warned that open-weight models cannot be recalled once published",
    "argued that a licensing regime would entrench incumbents",
    "called for pre-deployment testing and red-teaming of frontier models",
    "proposed a safe harbor for good-faith security research",
    "said export controls on advanced chips lose force if weights are posted online",
    "want developers to be held liable for foreseeable misuse",
    "asked for transparency reports and incident reporting within 72 hours",
    "said compliance costs would fall hardest on small developers and hobbyists",
    "pointed to training runs above 10^26 floating-point operations",
    "favour a risk-based approach that regulates high-risk uses rather than research",
    "described open models as a public good that lets anyone inspect the weights",
    "raised concerns about biological weapons uplift and cyberattacks",
    "noted that strategic competitors could fine-tune published models",
    "urged the government to require registration of frontier models",
    "said personal data in training sets raises privacy questions under the GDPR",
    "warned that market concentration in a handful of companies would grow",
    "backed tiered access with know-your-customer checks for the most capable systems",
    "opposed any ban on publishing open-source models",
    "said the code of practice asks providers to publish model cards and technical documentation",
];

/// Sentence openers and tails that frame a debate claim.
const FRAMES: &[(&str, &str)] = &[
    ("", "."),
    ("On Tuesday, ", "."),
    ("In a public comment, ", ", according to the filing."),
    ("At the hearing, ", "."),
    ("In an open letter, ", ", citing recent studies."),
    ("", ", a position that drew criticism."),
    ("Last month, ", "."),
];

/// Filler vocabulary for general news prose.
const FILLER: &[&str] = &[
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "that",
    "for",
    "on",
    "with",
    "as",
    "was",
    "at",
    "by",
    "from",
    "city",
    "council",
    "budget",
    "meeting",
    "officials",
    "residents",
    "said",
    "plan",
    "year",
    "report",
    "week",
    "new",
    "public",
    "local",
    "schools",
    "road",
    "water",
    "project",
    "state",
    "program",
    "community",
    "market",
    "prices",
    "growth",
    "workers",
    "company",
    "business",
    "results",
    "season",
    "team",
    "game",
    "weather",
    "forecast",
    "rain",
    "election",
    "voters",
    "survey",
    "hospital",
    "health",
    "transport",
    "bus",
    "train",
    "housing",
    "rent",
    "energy",
    "power",
    "grid",
    "farm",
    "harvest",
    "museum",
    "festival",
    "library",
    "park",
    "bridge",
    "repairs",
    "funding",
    "grant",
    "court",
    "judge",
    "case",
    "police",
    "fire",
    "students",
    "teachers",
    "university",
    "research",
    "data",
    "software",
    "phone",
    "online",
    "service",
    "customers",
    "bank",
    "loan",
    "rates",
    "inflation",
    "quarter",
    "sales",
    "shares",
    "investors",
    "director",
    "manager",
    "spokesperson",
    "statement",
    "interview",
    "morning",
    "evening",
    "district",
    "county",
    "region",
    "national",
    "international",
    "travel",
    "tourism",
];

const HEADINGS: &[&str] = &[
    "Background",
    "What the proposal does",
    "Reactions",
    "What comes next",
    "Costs and benefits",
    "The view from industry",
    "Research and security",
];

const OUTLETS: &[&str] = &[
    "daily-ledger",
    "policy-review",
    "tech-wire",
    "civic-post",
    "gazette",
    "observer",
];

/// splitmix64: tiny, fast and fully deterministic.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, doc: u64) -> Rng {
        Rng(seed ^ doc.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

struct Args {
    docs: u64,
    words: usize,
    seed: u64,
    out: PathBuf,
    /// Write JSON Lines records into this many part files instead of
    /// one file per document.
    jsonl: Option<u64>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        docs: 1000,
        words: 1200,
        seed: 7,
        out: PathBuf::new(),
        jsonl: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--docs" => args.docs = value()?.parse().map_err(|e| format!("--docs: {e}"))?,
            "--words" => args.words = value()?.parse().map_err(|e| format!("--words: {e}"))?,
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => args.out = PathBuf::from(value()?),
            "--jsonl" => {
                let parts: u64 = value()?.parse().map_err(|e| format!("--jsonl: {e}"))?;
                if parts == 0 {
                    return Err("--jsonl needs at least one part".to_string());
                }
                args.jsonl = Some(parts);
            }
            "-h" | "--help" => {
                return Err(
                    "usage: gen-corpus [--docs N] [--words N] [--seed N] [--jsonl PARTS] --out DIR"
                        .to_string(),
                );
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.out.as_os_str().is_empty() {
        return Err("--out DIR is required".to_string());
    }
    Ok(args)
}

/// One paragraph of about `words` words, its debate sentences drawn from
/// the document's `topic` claims.
fn paragraph(rng: &mut Rng, topic: &[&str], words: usize, text: &mut String) -> usize {
    let mut written = 0;
    while written < words {
        if rng.below(5) == 0 {
            let (open, close) = FRAMES[rng.below(FRAMES.len())];
            let sentence = format!("{open}{} {}{close} ", rng.pick(SUBJECTS), rng.pick(topic));
            written += sentence.split_whitespace().count();
            text.push_str(&sentence);
        } else {
            let n = 8 + rng.below(14);
            for i in 0..n {
                let word = rng.pick(FILLER);
                if i == 0 {
                    let mut chars = word.chars();
                    if let Some(first) = chars.next() {
                        text.extend(first.to_uppercase());
                        text.push_str(chars.as_str());
                    }
                } else {
                    text.push(' ');
                    text.push_str(word);
                }
            }
            text.push_str(". ");
            written += n;
        }
    }
    text.push_str("\n\n");
    written
}

/// The path and text of document `n`.
fn document(seed: u64, n: u64, words: usize) -> (PathBuf, String) {
    let mut rng = Rng::new(seed, n);
    let markdown = rng.below(2) == 0;
    let year = 2019 + rng.below(7);
    let month = 1 + rng.below(12);
    let outlet = rng.pick(OUTLETS);
    let path = PathBuf::from(format!("{year}"))
        .join(format!("{month:02}"))
        .join(outlet)
        .join(format!("{n:06}.{}", if markdown { "md" } else { "txt" }));
    let mut text = String::with_capacity(words * 7);
    // Articles stay on a few arguments: three to five claims per document.
    let topic: Vec<&str> = (0..3 + rng.below(3)).map(|_| rng.pick(CLAIMS)).collect();
    let title = format!("{} {}", rng.pick(SUBJECTS), topic[0]);
    if markdown {
        let _ = writeln!(text, "# {title}\n");
    } else {
        let _ = writeln!(text, "{}\n", title.to_uppercase());
    }
    let mut written = 0;
    let mut paragraphs = 0;
    while written < words {
        if markdown && paragraphs > 0 && paragraphs % 4 == 0 {
            let _ = writeln!(text, "## {}\n", rng.pick(HEADINGS));
        }
        let size = (60 + rng.below(90)).min(words - written).max(1);
        written += paragraph(&mut rng, &topic, size, &mut text);
        paragraphs += 1;
    }
    // Hard-wrap plain text at about 78 columns, as many archives do.
    if !markdown {
        text = wrap(&text, 78);
    }
    (path, text)
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width);
    for line in text.split('\n') {
        let mut column = 0;
        for (i, word) in line.split(' ').filter(|w| !w.is_empty()).enumerate() {
            if i > 0 && column + 1 + word.len() > width {
                out.push('\n');
                column = 0;
            } else if i > 0 {
                out.push(' ');
                column += 1;
            }
            out.push_str(word);
            column += word.len();
        }
        out.push('\n');
    }
    out
}

fn write(out: &Path, seed: u64, n: u64, words: usize) -> std::io::Result<u64> {
    let (path, text) = document(seed, n, words);
    let path = out.join(path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, &text)?;
    Ok(text.len() as u64)
}

/// The JSON Lines record of document `n`: its path as `id`, the outlet as
/// `source` and `YEAR-MONTH` as `month`, taken from that path.
fn record(seed: u64, n: u64, words: usize) -> String {
    let (path, text) = document(seed, n, words);
    let parts: Vec<String> = path
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let id = parts.join("/");
    let value = serde_json::json!({
        "id": id,
        "source": parts[2],
        "month": format!("{}-{}", parts[0], parts[1]),
        "text": text,
    });
    value.to_string()
}

/// Writes part file `part` of `parts`: documents `part * docs / parts`
/// up to the next part's first, in order.
fn write_part(args: &Args, part: u64, parts: u64) -> std::io::Result<u64> {
    use std::io::Write as _;
    let first = part * args.docs / parts;
    let end = (part + 1) * args.docs / parts;
    std::fs::create_dir_all(&args.out)?;
    let path = args.out.join(format!("part-{part:05}.jsonl"));
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut bytes = 0;
    for n in first..end {
        let line = record(args.seed, n, args.words);
        bytes += line.len() as u64 + 1;
        file.write_all(line.as_bytes())?;
        file.write_all(b"\n")?;
    }
    file.flush()?;
    Ok(bytes)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen-corpus: {e}");
            return ExitCode::from(2);
        }
    };
    let result: std::io::Result<u64> = match args.jsonl {
        Some(parts) => (0..parts)
            .into_par_iter()
            .map(|part| write_part(&args, part, parts))
            .sum(),
        None => (0..args.docs)
            .into_par_iter()
            .map(|n| write(&args.out, args.seed, n, args.words))
            .sum(),
    };
    match result {
        Ok(bytes) => {
            eprintln!(
                "gen-corpus: wrote {} documents, {:.1} MB, to {}",
                args.docs,
                bytes as f64 / 1e6,
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-corpus: {}: {e}", args.out.display());
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_writes_the_same_document() {
        assert_eq!(document(7, 42, 300), document(7, 42, 300));
        assert_ne!(document(7, 42, 300).1, document(8, 42, 300).1);
        assert_ne!(document(7, 42, 300).1, document(7, 43, 300).1);
    }

    #[test]
    fn documents_have_about_the_requested_length_and_debate_vocabulary() {
        for n in 0..20 {
            let (path, text) = document(7, n, 1200);
            let words = text.split_whitespace().count();
            assert!((1200..1400).contains(&words), "{words} words");
            let ext = path.extension().unwrap();
            assert!(ext == "md" || ext == "txt");
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(CLAIMS.iter().any(|c| flat.contains(&c[..20])), "{text}");
        }
    }

    #[test]
    fn a_record_carries_the_document_and_the_fields_of_its_path() {
        let (path, text) = document(7, 5, 300);
        let value: serde_json::Value = serde_json::from_str(&record(7, 5, 300)).unwrap();
        let mut parts = path.iter().map(|p| p.to_str().unwrap());
        let (year, month, outlet) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        assert_eq!(value["text"], text);
        assert_eq!(value["id"], path.to_str().unwrap());
        assert_eq!(value["source"], outlet);
        assert_eq!(value["month"], format!("{year}-{month}"));
        assert!(OUTLETS.contains(&outlet));
    }
}
