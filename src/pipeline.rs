//! The pipeline: inputs in, a [`RunReport`] out.
//!
//! Each input is read, decoded and classified independently, in parallel
//! with rayon; results are collected in input order and the report sorts
//! them by path, so the output is the same for any number of threads.
//! A bad input becomes an error or a skipped entry; it never stops the run.

use rayon::prelude::*;

use crate::classify::{self, ClassifyOptions};
use crate::report::{DocumentReport, InputError, RunReport, Skipped};
use crate::rules::CompiledRules;
use crate::stats::{Phase, timed};
use crate::text::{Decoded, Document, Extracted, Format, decode_owned};
use crate::walk::Input;

/// What became of one input.
#[derive(Debug)]
pub enum Outcome {
    /// Scanned.
    Report(Box<DocumentReport>),
    /// Deliberately not scanned.
    Skipped(Skipped),
    /// Could not be read.
    Error(InputError),
}

/// Scans every input in parallel (on the current rayon pool) and returns
/// the outcomes in input order.
pub fn scan_inputs(
    rules: &CompiledRules,
    inputs: &[Input],
    options: &ClassifyOptions,
) -> Vec<Outcome> {
    inputs
        .par_iter()
        .map(|input| scan_input(rules, input, options))
        .collect()
}

/// Inputs per batch in [`scan_ordered`]: enough to keep every thread busy
/// and amortize the hand-over, small enough that the reports in flight
/// take a few megabytes whatever the corpus size.
const BATCH: usize = 256;

/// Scans `inputs` in parallel and hands each outcome to `each` in input
/// order, batch by batch, while the next batch is being scanned. Memory
/// holds two batches of reports, however many inputs there are. Stops at
/// the first error `each` returns.
pub fn scan_ordered<E: Send>(
    rules: &CompiledRules,
    inputs: &[Input],
    options: &ClassifyOptions,
    mut each: impl FnMut(Outcome) -> Result<(), E> + Send,
) -> Result<(), E> {
    let scan_batch = |batch: &[Input]| -> Vec<Outcome> {
        batch
            .par_iter()
            .map(|input| scan_input(rules, input, options))
            .collect()
    };
    let mut batches = inputs.chunks(BATCH);
    let Some(first) = batches.next() else {
        return Ok(());
    };
    let mut current = scan_batch(first);
    loop {
        let upcoming = batches.next();
        let (handed, next) = rayon::join(
            || current.drain(..).try_for_each(&mut each),
            || upcoming.map(scan_batch),
        );
        handed?;
        match next {
            Some(outcomes) => current = outcomes,
            None => return Ok(()),
        }
    }
}

/// Why an input's bytes did not become a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotScanned {
    /// The bytes look binary (and are not a format policyscan extracts):
    /// skipped, with a notice.
    Binary,
    /// A PDF or Word document whose text could not be extracted: an error
    /// entry with this message.
    Failed(String),
    /// XML that is not in a document vocabulary (a build or
    /// configuration file, its root element named): skipped, with a
    /// notice.
    NotADocument(String),
}

/// Prepares one named document the way `scan` does, its format taken from
/// `path`'s extension (then from the content), for commands that read a
/// single document (`explain`, `diff`) and for training the stance model.
/// The error names the document.
pub fn prepare_one(
    name: String,
    path: &std::path::Path,
    bytes: Vec<u8>,
) -> Result<Document, String> {
    prepare_as(name, Format::from_path(path).unwrap_or(Format::Text), bytes)
}

/// [`prepare_one`] with the format given ([`Format::Text`] lets the
/// content decide).
pub fn prepare_as(name: String, format: Format, bytes: Vec<u8>) -> Result<Document, String> {
    match prepare(name.clone(), format, bytes, &ClassifyOptions::default()) {
        Ok((_, doc)) => Ok(doc),
        Err(NotScanned::Binary) => Err(format!("{name}: binary file")),
        Err(NotScanned::Failed(message)) => Err(format!("{name}: {message}")),
        Err(NotScanned::NotADocument(root)) => Err(format!("{name}: {}", not_a_document(&root))),
    }
}

/// Why XML with root element `root` (empty: none found) is not scanned.
pub fn not_a_document(root: &str) -> String {
    let what = match root {
        "" => "not XML with a root element".to_string(),
        root => format!("XML whose root element is <{root}>"),
    };
    format!(
        "{what}, not a document vocabulary policyscan reads (a bill, statute, regulation, article or feed)"
    )
}

/// Turns a file's bytes into a document ready to scan: picks the format
/// by content when the name did not say (a PDF header, a Word package, an
/// HTML doctype), extracts the text of PDF and Word files, decodes text,
/// takes out suppression comments, blanks HTML markup (in pages and in
/// Markdown) and (unless [`ClassifyOptions::markdown_code`]) Markdown code
/// blocks and front matter. Every step on a text format keeps line and column positions.
/// The directives are returned for [`crate::suppress`].
pub fn prepare(
    name: String,
    format: Format,
    bytes: Vec<u8>,
    options: &ClassifyOptions,
) -> Result<(Vec<crate::suppress::Directive>, Document), NotScanned> {
    let size = bytes.len() as u64;
    let format = sniffed(format, &bytes);
    let (text, mut warnings, structure) = read_text(format, bytes, options)?;
    let (directives, mut text) = crate::suppress::extract_owned(text);
    let mut structure = read_structure(format, &mut text, structure, options)?;
    // An email's: a part it could not read, an attachment's own.
    warnings.append(&mut structure.warnings);
    let doc = Document::with_paragraphs(name, format, text, &structure.paragraphs)
        .with_origin(size, warnings)
        .with_structure(&structure.headings, structure.pages)
        .with_quotes(structure.quotes);
    Ok((directives, doc))
}

/// The format to read `bytes` as, named `format`: plain text is
/// whatever its content shows.
fn sniffed(format: Format, bytes: &[u8]) -> Format {
    match format {
        Format::Text => Format::sniff(bytes).unwrap_or(Format::Text),
        // Word opens a .doc saved under a .docx name, and so does this.
        Format::Docx if crate::text::msg::sniff(bytes) => Format::Msg,
        Format::Docx if crate::text::doc::sniff(bytes) => Format::Doc,
        Format::Doc if crate::text::msg::sniff(bytes) => Format::Msg,
        other => other,
    }
}

/// A document's text: extracted from a container (PDF, Word…), with what
/// the container says of its structure, or decoded.
fn read_text(
    format: Format,
    bytes: Vec<u8>,
    options: &ClassifyOptions,
) -> Result<(String, Vec<String>, Extracted), NotScanned> {
    if !format.is_container() {
        let (text, warnings) = decode_owned(bytes).ok_or(NotScanned::Binary)?;
        return Ok((text, warnings, Extracted::default()));
    }
    let mut extracted = match format {
        Format::Pdf => crate::text::pdf::extract(&bytes),
        Format::Docx => crate::text::docx::extract(&bytes),
        Format::Doc => crate::text::doc::extract(&bytes),
        Format::Rtf => crate::text::rtf::extract(&bytes),
        Format::Pptx => crate::text::pptx::extract(&bytes),
        Format::Msg => crate::text::msg::extract(&bytes, &mut |name, bytes| {
            read_attachment(name, bytes, options)
        }),
        _ => crate::text::odt::extract(&bytes),
    }
    .map_err(NotScanned::Failed)?;
    let mut warnings = std::mem::take(&mut extracted.warnings);
    if extracted.text.trim().is_empty() {
        warnings.push(format!(
            "no text could be extracted from this {}{}",
            format.as_str().to_uppercase(),
            if format == Format::Pdf {
                " (a scanned image without a text layer?)"
            } else {
                ""
            }
        ));
    }
    let text = std::mem::take(&mut extracted.text);
    Ok((text, warnings, extracted))
}

/// Reads the structure of a text format (Markdown, HTML, captions, XML,
/// email) from `text`, blanking what is not prose in place; a container's
/// `structure` is returned as it is.
fn read_structure(
    format: Format,
    text: &mut String,
    mut structure: Extracted,
    options: &ClassifyOptions,
) -> Result<Extracted, NotScanned> {
    match format {
        Format::Markdown => {
            let blocks = crate::text::markdown::blank_non_prose(text, options.markdown_code);
            structure.quotes = blocks.quotes;
            structure.paragraphs = blocks.items;
        }
        Format::Html => {
            structure = crate::text::html::extract(text);
            *text = std::mem::take(&mut structure.text);
        }
        // Plain text: an email's quoted replies (`> …`) and the message
        // below a forwarding or reply header are someone else's words, as
        // a Markdown block quotation is; the timestamps of a transcript
        // copied from a video page are not words.
        Format::Text => {
            let stamps = crate::text::captions::line_timestamps(text);
            crate::text::blank_all(text, &stamps);
            let mut quotes = crate::text::mail::quoted_replies(text);
            if let Some(at) = crate::text::eml::forwarded(text) {
                quotes.push(at..text.len());
                quotes = crate::text::merge_ranges(quotes);
            }
            structure.quotes = quotes;
        }
        Format::Srt | Format::Vtt => {
            let kind = match format {
                Format::Srt => crate::text::captions::Kind::SubRip,
                _ => crate::text::captions::Kind::WebVtt,
            };
            structure = crate::text::captions::extract(text, kind);
            *text = std::mem::take(&mut structure.text);
        }
        Format::Xml => {
            if !crate::text::xml::is_document(text) {
                let root = crate::text::xml::root(text).unwrap_or_default();
                return Err(NotScanned::NotADocument(root));
            }
            structure = crate::text::xml::extract(text);
            *text = std::mem::take(&mut structure.text);
        }
        Format::Eml => {
            structure = crate::text::eml::extract(text, &mut |name, bytes| {
                read_attachment(name, bytes, options)
            });
            *text = std::mem::take(&mut structure.text);
        }
        _ => {}
    }
    Ok(structure)
}

/// Reads an email's attachment the way a file of its name is read, for
/// [`crate::text::eml::extract`]. `None` for what policyscan does not
/// read (an image, a spreadsheet, a name that says nothing and content
/// that shows no format) and for a message attached as a file, which is
/// not opened.
fn read_attachment(
    name: &str,
    bytes: Vec<u8>,
    options: &ClassifyOptions,
) -> Option<Result<Extracted, String>> {
    let format = match Format::from_path(std::path::Path::new(name)) {
        Some(format) => sniffed(format, &bytes),
        None => Format::sniff(&bytes)?,
    };
    // A message attached as a file is not opened: messages in messages
    // are read by the email readers themselves, to a bounded depth.
    if matches!(format, Format::Eml | Format::Msg) {
        return None;
    }
    let read = read_text(format, bytes, options).and_then(|(mut text, warnings, structure)| {
        let mut structure = read_structure(format, &mut text, structure, options)?;
        structure.text = text;
        structure.warnings.splice(0..0, warnings);
        // Pages number the message's own file.
        structure.pages.clear();
        Ok(structure)
    });
    match read {
        Ok(extracted) => Some(Ok(extracted)),
        Err(NotScanned::Binary | NotScanned::NotADocument(_)) => None,
        Err(NotScanned::Failed(message)) => Some(Err(message)),
    }
}

/// Reads, decodes and classifies one input.
///
/// A panic while scanning it (a bug: none is known, and the fuzzers look
/// for them) becomes an error entry for this input instead of ending the
/// run, so one bad document never hides the others. The panic message is
/// still printed on stderr by the panic hook, for the bug report.
pub fn scan_input(rules: &CompiledRules, input: &Input, options: &ClassifyOptions) -> Outcome {
    guarded(input, || scan_unguarded(rules, input, options))
}

/// Runs `scan`, turning a panic into an error entry for `input`.
fn guarded(input: &Input, scan: impl FnOnce() -> Outcome) -> Outcome {
    catch_panic(scan).unwrap_or_else(|message| {
        Outcome::Error(InputError {
            path: input.name(),
            message,
        })
    })
}

/// Runs `f`; a panic becomes the message reported for the input it was
/// scanning: `internal error while scanning (…); please report it`.
pub(crate) fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        let what = panic_message(panic.as_ref());
        format!("internal error while scanning ({what}); please report it")
    })
}

/// The message a panic was raised with, or "" if it was not a string.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

fn scan_unguarded(rules: &CompiledRules, input: &Input, options: &ClassifyOptions) -> Outcome {
    let stats = options.stats.as_deref();
    let name = input.name();
    let budget = crate::memory::Budget::global();
    let read = |path, format| {
        timed(stats, Phase::Read, || {
            read_admitted(path, format, options, budget)
        })
    };
    // Held until the document's report is made: the memory its scan takes.
    let _ticket;
    let (bytes, format) = match input {
        Input::File { path, format } => match read(path, *format) {
            Ok((bytes, ticket)) => {
                _ticket = ticket;
                (std::borrow::Cow::Owned(bytes), *format)
            }
            Err(message) => {
                return Outcome::Error(InputError {
                    path: name,
                    message,
                });
            }
        },
        Input::Bytes { bytes, format, .. } => {
            (std::borrow::Cow::Borrowed(bytes.as_slice()), *format)
        }
    };
    let size = bytes.len() as u64;
    let lossy_name = matches!(input, Input::File { path, .. } if path.to_str().is_none());
    let records = match input {
        Input::File { path, .. } => records_hint(path),
        Input::Bytes { .. } => None,
    };
    let extract = || {
        let (directives, mut doc) = prepare(name.clone(), format, bytes.into_owned(), options)?;
        if lossy_name || records.is_some() {
            let mut warnings = doc.warnings().to_vec();
            if lossy_name {
                warnings.push(
                    "the file name is not valid UTF-8; it is shown with U+FFFD in its place".into(),
                );
            }
            warnings.extend(records);
            doc = doc.with_origin(size, warnings);
        }
        Ok((directives, doc))
    };
    let extracted = timed(stats, Phase::Extract, extract);
    match extracted {
        Err(NotScanned::Binary) => Outcome::Skipped(Skipped {
            path: name,
            reason: "binary".to_string(),
        }),
        Err(NotScanned::NotADocument(_)) => Outcome::Skipped(Skipped {
            path: name,
            reason: "not-a-document".to_string(),
        }),
        Err(NotScanned::Failed(message)) => Outcome::Error(InputError {
            path: name,
            message,
        }),
        Ok((directives, doc)) => {
            if let Some(stats) = stats {
                stats.add_document(size);
            }
            let mut report = classify::analyze(rules, &doc, options);
            crate::suppress::apply_inline(rules, &doc, &directives, &mut report);
            Outcome::Report(Box::new(report))
        }
    }
}

/// For a file whose name says it holds records (a table, JSON Lines),
/// scanned whole as one document: how to scan each record instead.
fn records_hint(path: &std::path::Path) -> Option<String> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    let mode = match ext.as_str() {
        "csv" | "tsv" | "tab" => "csv",
        "jsonl" | "ndjson" => "jsonl",
        "mbox" => "mbox",
        _ => return None,
    };
    Some(format!(
        "read as one document; to scan each record (row or line) on its own, use --input {mode}"
    ))
}

/// Reads a file named to scan. A regular file is read whole, as
/// `std::fs::read` does. Anything else (a pipe from `<(…)`, a FIFO, a
/// device) is read by [`read_stream`], so `/dev/zero` is skipped as binary
/// instead of being read until memory runs out.
pub fn read_file(path: &std::path::Path, format: Format) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    read_open(file, &meta, format)
}

/// [`read_file`] for `scan`: a regular file of [`memory::CHECKED_FROM`]
/// bytes or more is first admitted by `budget`, and the ticket returned
/// is to be held while it is scanned; one too large for the memory
/// available is not read, and the error says why.
///
/// [`memory::CHECKED_FROM`]: crate::memory::CHECKED_FROM
fn read_admitted<'b>(
    path: &std::path::Path,
    format: Format,
    options: &ClassifyOptions,
    budget: &'b crate::memory::Budget,
) -> Result<(Vec<u8>, Option<crate::memory::Ticket<'b>>), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    let size = meta.len();
    let ticket = if meta.is_file() && size >= crate::memory::CHECKED_FROM {
        // Past 10,000 evidence items a theme, evidence grows with the
        // text (every item of a 1.1 GB file: 17 million of them).
        let all_evidence = options.max_evidence > 10_000;
        let need = crate::memory::estimate(size, all_evidence);
        budget
            .admit(size, need)
            .map_err(|refusal| refusal.to_string())?
    } else {
        None
    };
    let bytes = read_open(file, &meta, format).map_err(|e| e.to_string())?;
    Ok((bytes, ticket))
}

/// Reads an opened file whose metadata is `meta`.
fn read_open(
    mut file: std::fs::File,
    meta: &std::fs::Metadata,
    format: Format,
) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    if !meta.is_file() {
        return read_stream(file, format);
    }
    let mut bytes = Vec::new();
    let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    bytes.try_reserve_exact(size)?;
    // Through `Take`, whose `read_to_end` fills the reserved space
    // without the fstat and lseek `File`'s own does first: the same
    // system calls as `std::fs::read`.
    (&mut file).take(u64::MAX).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads a stream (standard input, a pipe, a device) to its end, unless
/// its first 8 KiB look binary and not like a PDF or a Word document
/// (nor `format` says it is one): then only those, which the scan skips as
/// binary. An endless binary source ends there.
pub fn read_stream(mut reader: impl std::io::Read, format: Format) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let sniff = crate::text::BINARY_SNIFF_LEN as u64;
    (&mut reader).take(sniff).read_to_end(&mut bytes)?;
    let document = format.is_container()
        || crate::text::pdf::sniff(&bytes)
        || crate::text::doc::sniff(&bytes)
        || bytes.starts_with(b"PK\x03\x04");
    if !document && matches!(crate::text::decode(&bytes), Decoded::Binary) {
        return Ok(bytes);
    }
    reader.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Builds the run report from outcomes plus the skips and errors found
/// while walking.
pub fn assemble(
    rules: &CompiledRules,
    outcomes: Vec<Outcome>,
    mut skipped: Vec<Skipped>,
    mut errors: Vec<InputError>,
) -> RunReport {
    let mut documents = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Report(r) => documents.push(*r),
            Outcome::Skipped(s) => skipped.push(s),
            Outcome::Error(e) => errors.push(e),
        }
    }
    let theme_ids: Vec<String> = rules.themes().iter().map(|t| t.id.clone()).collect();
    RunReport::new(
        rules.rulesets().to_vec(),
        &theme_ids,
        documents,
        skipped,
        errors,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_scanning_becomes_an_error_entry() {
        let input = Input::Bytes {
            name: "doc.txt".into(),
            format: Format::Text,
            bytes: Vec::new(),
        };
        // The panic message goes to this test's captured output.
        let outcome = guarded(&input, || panic!("index out of bounds"));
        match outcome {
            Outcome::Error(e) => {
                assert_eq!(e.path, "doc.txt");
                assert_eq!(
                    e.message,
                    "internal error while scanning (index out of bounds); please report it"
                );
            }
            _ => panic!("not an error entry"),
        }
    }
}
