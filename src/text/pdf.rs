//! PDF: the text of each page, by pdf-extract.
//!
//! Pages follow one another, each starting on a new line; the document
//! records where each starts so evidence can give its page. Words split by
//! a hyphen at the end of a layout line are joined: `regu-` + `lation`
//! becomes `regu\u{AD}lation` (a soft hyphen, which keyword matching
//! ignores, so `regulation` matches), except after a few words that form
//! real hyphenated compounds (`open-` + `source` stays `open-source`). The
//! rest of the line moves up with it, so the line count stays the same.
//!
//! The PDF reader can fail badly on a malformed file: a page tree whose
//! `Parent` links loop makes it loop forever, and a form that draws itself
//! makes it recurse until the stack overflows, which aborts the process and
//! would lose every other document of the run. A page-tree loop is caught
//! before reading. Beyond that, the binary calls [`isolate`]: each PDF is
//! then read by a child process (this program, run with [`HELPER_ARG`]), so
//! a crash or a hang costs that file an error entry and nothing else.
//! Without [`isolate`] (a program embedding the library) PDFs are read in
//! the calling process, and a panic of the reader is still caught.

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::{Read as _, Write};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use pdf_extract::{
    ConvertToFmt, Document, MediaBox, Object, OutputDev, OutputError, PlainTextOutput, Transform,
};

use super::Extracted;

/// The argument that makes the binary serve one PDF ([`serve`]) instead of
/// parsing a command line.
pub const HELPER_ARG: &str = "__read-pdf";

/// How long the reader may take over one PDF unless [`TIMEOUT_VAR`] says
/// otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The environment variable read by [`timeout_from_env`].
pub const TIMEOUT_VAR: &str = "POLICYSCAN_PDF_TIMEOUT";

/// The child process that reads PDFs, once [`isolate`] has been called.
static HELPER: OnceLock<Helper> = OnceLock::new();

struct Helper {
    exe: PathBuf,
    timeout: Option<Duration>,
}

/// Reads every PDF from now on in a child process: `exe HELPER_ARG`, which
/// must call [`serve`]. One taking longer than `timeout` is stopped and
/// becomes an error. The first call wins.
pub fn isolate(exe: PathBuf, timeout: Option<Duration>) {
    let _ = HELPER.set(Helper { exe, timeout });
}

/// The time limit from [`TIMEOUT_VAR`]: [`DEFAULT_TIMEOUT`] when unset,
/// `None` (no limit) for 0 or more seconds than a `Duration` holds, an
/// error for anything but a number of seconds.
pub fn timeout_from_env() -> Result<Option<Duration>, String> {
    let Some(value) = std::env::var_os(TIMEOUT_VAR) else {
        return Ok(Some(DEFAULT_TIMEOUT));
    };
    let seconds: f64 = value
        .to_str()
        .and_then(|v| v.trim().parse().ok())
        .filter(|s: &f64| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| {
            format!(
                "{TIMEOUT_VAR}={}: expected a number of seconds (0 for no limit)",
                value.to_string_lossy()
            )
        })?;
    // Too large for a `Duration` is as good as no limit.
    Ok(Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|t| !t.is_zero()))
}

/// The child's side of [`isolate`]: reads a PDF on standard input and
/// writes its pages' text, or the error, as JSON on standard output.
/// Returns the exit code.
pub fn serve() -> i32 {
    // A panic of the reader is caught and sent as the error; the default
    // hook would also print it.
    std::panic::set_hook(Box::new(|_| {}));
    let mut bytes = Vec::new();
    let result: Result<Read, String> = match std::io::stdin().lock().read_to_end(&mut bytes) {
        Ok(_) => read_in_process(&bytes),
        Err(err) => Err(format!(
            "could not read the PDF from the parent process: {err}"
        )),
    };
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer(&mut out, &result).map(|()| out.flush()) {
        Ok(Ok(())) => 0,
        _ => 2,
    }
}

/// Extracts the text of every page. Pages the reader fails on are empty,
/// with a warning, so the others keep their numbers.
pub fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    let read = match HELPER.get() {
        Some(helper) => helper.read(bytes)?,
        None => read_in_process(bytes)?,
    };
    let mut extracted = join_pages(&read.pages);
    if let Some((first, why)) = read.unreadable.first() {
        let mut pages: Vec<String> = read
            .unreadable
            .iter()
            .take(10)
            .map(|(n, _)| n.to_string())
            .collect();
        if read.unreadable.len() > pages.len() {
            pages.push("…".to_string());
        }
        extracted.warnings.push(match read.unreadable.len() {
            1 => format!("page {first} could not be read ({why}); it is scanned as empty"),
            n => format!(
                "{n} pages could not be read (pages {}; page {first}: {why}); they are scanned as empty",
                pages.join(", ")
            ),
        });
    }
    Ok(extracted)
}

/// What the reader made of a PDF: each page's text, and the pages it failed
/// on (left empty) with the reason. Sent by the child as JSON.
#[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct Read {
    pages: Vec<String>,
    unreadable: Vec<(u32, String)>,
}

impl Helper {
    /// Reads the pages in a child process, or in this one if no child can
    /// be started (the program was removed, or processes are not allowed).
    fn read(&self, bytes: &[u8]) -> Result<Read, String> {
        let Ok(mut child) = Command::new(&self.exe)
            .arg(HELPER_ARG)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        else {
            return read_in_process(bytes);
        };
        // The child reads all of its input before it writes anything, so
        // this cannot block on a child that waits for its output to be read;
        // a child that died early makes it fail, and its status says why.
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(bytes);
        }
        // Both pipes are drained while waiting: a large output would
        // otherwise fill the pipe and stall the child.
        let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                if let Some(mut pipe) = pipe {
                    let _ = pipe.read_to_end(&mut buf);
                }
                buf
            })
        };
        let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
        let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
        let deadline = self.timeout.and_then(|t| Instant::now().checked_add(t));
        let mut pause = Duration::from_millis(1);
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) => {}
                Err(err) => {
                    let _ = child.kill();
                    return Err(failed(format!("lost the PDF reader: {err}")));
                }
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                let _ = child.kill();
                let _ = child.wait();
                let limit = self.timeout.unwrap_or_default().as_secs_f64();
                return Err(failed(format!(
                    "the PDF reader did not finish within {limit} s and was stopped \
                     (a malformed PDF can make it loop; {TIMEOUT_VAR} sets the limit)"
                )));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
        };
        let stdout = stdout.join().unwrap_or_default();
        let stderr = stderr.join().unwrap_or_default();
        if let Ok(result) = serde_json::from_slice::<Result<Read, String>>(&stdout) {
            return result;
        }
        let stderr = String::from_utf8_lossy(&stderr);
        let why = if stderr.contains("overflowed its stack") {
            "its stack overflowed: the PDF probably refers to itself".to_string()
        } else {
            match stderr.lines().rev().find(|l| !l.trim().is_empty()) {
                Some(line) => format!("{status}: {}", line.trim()),
                None => status.to_string(),
            }
        };
        Err(failed(format!("the PDF reader crashed ({why})")))
    }
}

/// Reads the pages in this process; a panic of the reader is an error.
fn read_in_process(bytes: &[u8]) -> Result<Read, String> {
    std::panic::catch_unwind(|| read_pages(bytes)).unwrap_or_else(|panic| {
        Err(reader_failed(&crate::pipeline::panic_message(
            panic.as_ref(),
        )))
    })
}

/// The error for a PDF whose text could not be extracted, and why.
fn failed(why: impl std::fmt::Display) -> String {
    format!("could not extract text from the PDF: {why}")
}

fn reader_failed(why: &str) -> String {
    failed(format!("the PDF reader failed on it ({why})"))
}

/// The text of every page, the page tree checked first. A page the reader
/// fails on (an error or a panic) is left empty and listed; if it fails on
/// every page, that is the error.
fn read_pages(bytes: &[u8]) -> Result<Read, String> {
    let mut doc = Document::load_mem(bytes).map_err(|e| failed(OutputError::from(e)))?;
    if doc.is_encrypted() {
        doc.decrypt("").map_err(|e| failed(OutputError::from(e)))?;
    }
    if let Some(page) = check_pages(&mut doc) {
        return Err(failed(format!(
            "its page tree is malformed (the Parent links above page {page} loop)"
        )));
    }
    // Page by page (pdf-extract's `extract_text_from_mem_by_pages`) looks
    // each page up in a fresh page map: quadratic, 2 s at 3,000 pages. So
    // all pages in one pass first, and page by page only if one fails.
    let mut pages = Pages::default();
    let whole = std::panic::catch_unwind(AssertUnwindSafe(|| {
        pdf_extract::output_doc(&doc, &mut pages)
    }));
    if matches!(whole, Ok(Ok(()))) {
        return Ok(Read {
            pages: pages.done,
            unreadable: Vec::new(),
        });
    }
    let count = u32::try_from(doc.get_pages().len()).unwrap_or(u32::MAX);
    let mut read = Read::default();
    for number in 1..=count {
        let mut text = String::new();
        let page = std::panic::catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(&doc, &mut PlainTextOutput::new(&mut text), number)
        }));
        let failed = match page {
            Ok(Ok(())) => None,
            Ok(Err(err)) => Some(err.to_string()),
            Err(panic) => Some(crate::pipeline::panic_message(panic.as_ref())),
        };
        if let Some(why) = failed {
            text.clear();
            read.unreadable.push((number, why));
        }
        read.pages.push(text);
    }
    if let Some((_, why)) = read.unreadable.first()
        && read.unreadable.len() == read.pages.len()
    {
        return Err(reader_failed(why));
    }
    Ok(read)
}

/// The text of each page, written by pdf-extract's plain-text output
/// started afresh on every page, as reading page by page did. (If a page
/// fails, `read_pages` reads them all again one by one.)
#[derive(Default)]
struct Pages {
    text: Rc<RefCell<String>>,
    page: Option<PlainTextOutput<Shared>>,
    done: Vec<String>,
}

/// A writer for [`PlainTextOutput`] whose text [`Pages`] can take.
struct Shared(Rc<RefCell<String>>);

impl ConvertToFmt for Shared {
    type Writer = Shared;

    fn convert(self) -> Shared {
        self
    }
}

impl std::fmt::Write for Shared {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.borrow_mut().push_str(s);
        Ok(())
    }
}

impl OutputDev for Pages {
    fn begin_page(
        &mut self,
        number: u32,
        media_box: &MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.text.borrow_mut().clear();
        let mut page = PlainTextOutput::new(Shared(Rc::clone(&self.text)));
        page.begin_page(number, media_box, art_box)?;
        self.page = Some(page);
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        if let Some(mut page) = self.page.take() {
            page.end_page()?;
            self.done.push(std::mem::take(&mut *self.text.borrow_mut()));
        }
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        match &mut self.page {
            Some(page) => page.output_character(trm, width, spacing, font_size, char),
            None => Ok(()),
        }
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.page.as_mut().map_or(Ok(()), OutputDev::begin_word)
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        self.page.as_mut().map_or(Ok(()), OutputDev::end_word)
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        self.page.as_mut().map_or(Ok(()), OutputDev::end_line)
    }
}

/// Walks up from every page as the reader will for inherited attributes.
/// Returns the first page whose chain of `Parent` links comes back on
/// itself (the reader would follow it forever). A page without a usable
/// `MediaBox` (the reader panics) is given US Letter, as viewers assume.
fn check_pages(doc: &mut Document) -> Option<u32> {
    let mut seen = HashSet::new();
    let mut boxless = Vec::new();
    for (&number, &page) in &doc.get_pages() {
        seen.clear();
        let mut media_box = None;
        let mut at = page;
        while let Ok(dict) = doc.get_dictionary(at) {
            if !seen.insert(at) {
                return Some(number);
            }
            media_box = media_box.or_else(|| usable_box(doc, dict));
            match dict.get(b"Parent").and_then(Object::as_reference) {
                Ok(parent) => at = parent,
                Err(_) => break,
            }
        }
        if media_box != Some(true) {
            boxless.push(page);
        }
    }
    for page in boxless {
        if let Ok(dict) = doc.get_object_mut(page).and_then(Object::as_dict_mut) {
            let letter = [0, 0, 612, 792].map(Object::Integer);
            dict.set("MediaBox", Object::Array(letter.to_vec()));
        }
    }
    None
}

/// Whether `dict`'s `MediaBox` is one the reader can use: `None` when it
/// has none that is an array (the reader then looks further up), else
/// whether it holds four numbers.
fn usable_box(doc: &Document, dict: &pdf_extract::Dictionary) -> Option<bool> {
    let value = match dict.get(b"MediaBox").ok()? {
        Object::Reference(id) => match doc.get_object(*id) {
            Ok(value) => value,
            Err(_) => return Some(false),
        },
        value => value,
    };
    let items = value.as_array().ok()?;
    Some(
        items.len() >= 4
            && items
                .iter()
                .all(|x| matches!(x, Object::Integer(_) | Object::Real(_))),
    )
}

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
        pages: starts,
        ..Extracted::default()
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

    use lopdf::content::{Content, Operation};
    use lopdf::{Document as Pdf, ObjectId, Stream, dictionary};

    /// A PDF with one page per text, its MediaBox and font on the Pages
    /// node; `edit` gets the document, the Pages node and the pages before
    /// it is saved.
    fn pdf(texts: &[&str], edit: impl FnOnce(&mut Pdf, ObjectId, &[ObjectId])) -> Vec<u8> {
        let mut doc = Pdf::with_version("1.5");
        let pages = doc.new_object_id();
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
        let mut kids = Vec::new();
        for text in texts {
            let content = Content {
                operations: vec![
                    Operation::new("BT", vec![]),
                    Operation::new("Tf", vec!["F1".into(), 12.into()]),
                    Operation::new("Td", vec![50.into(), 700.into()]),
                    Operation::new("Tj", vec![Object::string_literal(*text)]),
                    Operation::new("ET", vec![]),
                ],
            };
            let content = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
            kids.push(doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages, "Contents" => content,
            }));
        }
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => kids.iter().map(|&k| k.into()).collect::<Vec<Object>>(),
                "Count" => kids.len() as i64,
                "Resources" => resources,
                "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        doc.trailer.set("Root", catalog);
        edit(&mut doc, pages, &kids);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    fn dict(doc: &mut Pdf, id: ObjectId) -> &mut pdf_extract::Dictionary {
        doc.get_object_mut(id).unwrap().as_dict_mut().unwrap()
    }

    #[test]
    fn pages_are_read_in_one_pass_as_page_by_page_did() {
        let texts = [
            "open weights page one",
            "licensing page two",
            "liability page three",
        ];
        let bytes = pdf(&texts, |_, _, _| {});
        let read = read_in_process(&bytes).unwrap();
        assert!(read.unreadable.is_empty());
        let pages = read.pages;
        assert_eq!(pages.len(), 3);
        for (page, text) in pages.iter().zip(texts) {
            assert!(page.contains(text), "{page:?} lacks {text:?}");
        }
        assert_eq!(
            pages,
            pdf_extract::extract_text_from_mem_by_pages(&bytes).unwrap()
        );
    }

    #[test]
    fn parent_links_that_loop_are_an_error_not_a_hang() {
        // A page that is its own parent, and a Pages node whose parent is
        // a page under it: the reader would climb either forever.
        // A regression would hang: read on a thread, and fail after 30 s.
        let read = |bytes: Vec<u8>| {
            let (send, receive) = std::sync::mpsc::channel();
            std::thread::spawn(move || send.send(read_in_process(&bytes)));
            receive
                .recv_timeout(Duration::from_secs(30))
                .expect("the reader hung")
                .unwrap_err()
        };
        let own = pdf(&["one", "two"], |doc, _, kids| {
            dict(doc, kids[1]).set("Parent", kids[1]);
        });
        let err = read(own);
        assert!(
            err.contains("page tree is malformed") && err.contains("page 2"),
            "{err}"
        );
        let cycle = pdf(&["one"], |doc, pages, kids| {
            dict(doc, pages).set("Parent", kids[0]);
        });
        let err = read(cycle);
        assert!(err.contains("above page 1 loop"), "{err}");
    }

    #[test]
    fn pages_without_a_usable_media_box_are_read_as_letter() {
        let boxes: [Option<Object>; 4] = [
            None,
            Some(vec![0.into(), 0.into(), 612.into()].into()),
            Some(vec![0.into(), 0.into(), Object::string_literal("x"), 792.into()].into()),
            Some(Object::Reference((999, 0))),
        ];
        for media_box in boxes {
            let label = format!("{media_box:?}");
            let bytes = pdf(&["open weights"], |doc, pages, _| {
                let pages = dict(doc, pages);
                pages.remove(b"MediaBox");
                if let Some(media_box) = media_box {
                    pages.set("MediaBox", media_box);
                }
            });
            let read = read_in_process(&bytes).unwrap_or_else(|e| panic!("{label}: {e}"));
            assert!(read.pages[0].contains("open weights"), "{label}: {read:?}");
            assert!(read.unreadable.is_empty(), "{label}: {read:?}");
        }
    }

    #[test]
    fn a_panic_of_the_reader_is_an_error_with_its_message() {
        // The font is a reference to an object that does not exist.
        let bytes = pdf(&["open weights"], |doc, pages, _| {
            let resources = dict(doc, pages)
                .get(b"Resources")
                .unwrap()
                .as_reference()
                .unwrap();
            dict(doc, resources).set("Font", dictionary! { "F1" => (999, 0) });
        });
        let err = read_in_process(&bytes).unwrap_err();
        assert!(
            err.contains("the PDF reader failed on it (missing object reference"),
            "{err}"
        );
    }

    #[test]
    fn a_page_the_reader_fails_on_is_empty_and_the_others_keep_their_numbers() {
        let texts = [
            "open weights page one",
            "licensing page two",
            "liability page three",
        ];
        let bytes = pdf(&texts, |doc, _, kids| {
            let broken = dictionary! { "Font" => dictionary! { "F1" => (999, 0) } };
            dict(doc, kids[1]).set("Resources", broken);
        });
        let extracted = extract(&bytes).unwrap();
        let page = |n: usize| {
            let end = extracted.pages.get(n + 1).copied();
            &extracted.text[extracted.pages[n]..end.unwrap_or(extracted.text.len())]
        };
        assert_eq!(extracted.pages.len(), 3);
        assert!(page(0).contains(texts[0]), "{:?}", page(0));
        assert_eq!(page(1), "");
        assert!(page(2).contains(texts[2]), "{:?}", page(2));
        assert_eq!(extracted.warnings.len(), 1, "{:?}", extracted.warnings);
        let warning = &extracted.warnings[0];
        assert!(
            warning.starts_with("page 2 could not be read (missing object reference"),
            "{warning}"
        );
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
