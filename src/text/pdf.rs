//! PDF: the text of each page, by pdf-extract.
//!
//! Pages follow one another, each starting on a new line; the document
//! records where each starts so evidence can give its page. Words split by
//! a hyphen at the end of a layout line are joined: `regu-` + `lation`
//! becomes `regu\u{AD}lation` (a soft hyphen, which keyword matching
//! ignores, so `regulation` matches), except after a few words that form
//! real hyphenated compounds (`open-` + `source` stays `open-source`). The
//! rest of the line moves up with it, so the line count stays the same.
//! A word hyphenated over a page break is joined the same way, on the
//! page where it starts.
//! A line that starts an em or more right of the page's usual left edge
//! keeps its indentation as spaces (a space per half em), which the
//! plain-text output drops: a printed hearing marks each speaker's turn
//! only by an indented first line.
//! Running headers and footers, lines that open or close at least half
//! the pages (and three or more) the same but for their numbers, are
//! emptied: a docket title on every page is not the comment's argument,
//! and would otherwise count once a page and run into the sentence that
//! goes on over the page break. Such a sentence (a page ending in a word
//! or a comma, the next going on in lower case) stays one sentence: the
//! blank lines between the pages, which would be a paragraph break, are
//! left out.
//!
//! The PDF reader can fail badly on a malformed file: a page tree whose
//! `Parent` links loop makes it loop forever, and a form that draws itself
//! makes it recurse until the stack overflows, which aborts the process and
//! would lose every other document of the run. Both are found before
//! reading: a page-tree loop is an error, and a page whose forms draw
//! themselves (or nest too deep) is left unread, with a warning. A stream
//! that inflates past 64 MB (a decompression bomb) is read as empty, with
//! a warning, and images (which the reader would inflate and parse as page
//! content) are emptied as the file loads. Beyond that, the binary calls
//! [`isolate`]: each PDF is then read by a child process (this program,
//! run with [`HELPER_ARG`]), under a time and (on Linux) a memory limit,
//! so a crash, a hang or a swelling nobody foresaw costs that file an
//! error entry and nothing else. Without [`isolate`] (a program embedding
//! the library) PDFs are read in the calling process, where the checks
//! above still hold and a panic of the reader is caught.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::io::{Read as _, Write};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use pdf_extract::content::Content;
use pdf_extract::{
    ConvertToFmt, Dictionary, Document, MediaBox, Object, OutputDev, OutputError, PlainTextOutput,
    Stream, Transform,
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

/// The environment variable read by [`memory_from_env`].
pub const MEMORY_VAR: &str = "POLICYSCAN_PDF_MEMORY";

/// How much memory the child reading a PDF may take (Linux; elsewhere only
/// the time limit holds). Past it an allocation fails: the reader gives up
/// inflating that stream, or the child ends and the file costs an error
/// entry; the machine keeps its memory either way. This is for what the
/// checks before reading cannot see, such as a decompression bomb in a
/// cross-reference stream (1 MB inflating to 1 GB took the reader 2.2 GB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryLimit {
    /// 1 GiB plus 8 times the file's size (the file, the reader's objects
    /// and the pages' text take a few times its size).
    Scaled,
    /// This many bytes, whatever the file.
    Fixed(u64),
    /// No limit.
    Unlimited,
}

impl MemoryLimit {
    /// The limit in bytes for a PDF of `len` bytes.
    fn for_len(self, len: usize) -> Option<u64> {
        match self {
            MemoryLimit::Scaled => {
                let len = u64::try_from(len).unwrap_or(u64::MAX);
                Some(len.saturating_mul(8).saturating_add(1 << 30))
            }
            MemoryLimit::Fixed(bytes) => Some(bytes),
            MemoryLimit::Unlimited => None,
        }
    }
}

/// The child process that reads PDFs, once [`isolate`] has been called.
static HELPER: OnceLock<Helper> = OnceLock::new();

struct Helper {
    exe: PathBuf,
    timeout: Option<Duration>,
    memory: MemoryLimit,
}

/// Reads every PDF from now on in a child process: `exe HELPER_ARG
/// [BYTES]`, which must call [`serve`]. One taking longer than `timeout`
/// is stopped and becomes an error, as does one needing more memory than
/// `memory` allows. The first call wins.
pub fn isolate(exe: PathBuf, timeout: Option<Duration>, memory: MemoryLimit) {
    let _ = HELPER.set(Helper {
        exe,
        timeout,
        memory,
    });
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

/// The memory limit from [`MEMORY_VAR`], in megabytes:
/// [`MemoryLimit::Scaled`] when unset, [`MemoryLimit::Unlimited`] for 0,
/// an error for anything but a whole number.
pub fn memory_from_env() -> Result<MemoryLimit, String> {
    let Some(value) = std::env::var_os(MEMORY_VAR) else {
        return Ok(MemoryLimit::Scaled);
    };
    let megabytes: u64 = value
        .to_str()
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| {
            format!(
                "{MEMORY_VAR}={}: expected a number of megabytes (0 for no limit)",
                value.to_string_lossy()
            )
        })?;
    Ok(match megabytes {
        0 => MemoryLimit::Unlimited,
        mb => MemoryLimit::Fixed(mb.saturating_mul(1 << 20)),
    })
}

/// The child's side of [`isolate`]: reads a PDF on standard input and
/// writes its pages' text, or the error, as JSON on standard output; the
/// argument after [`HELPER_ARG`], if any, is how many bytes of memory it
/// may take. Returns the exit code.
pub fn serve() -> i32 {
    let limit: Option<u64> = std::env::args().nth(2).and_then(|a| a.parse().ok());
    if let Some(bytes) = limit {
        limit_memory(bytes);
    }
    // A panic of the reader is caught and sent as the error; the default
    // hook would also print it.
    std::panic::set_hook(Box::new(|_| {}));
    let mut bytes = Vec::new();
    let result: Result<Read, String> = match std::io::stdin().lock().read_to_end(&mut bytes) {
        Ok(_) => read_in_process(&bytes),
        Err(err) => Err(failed(match limit {
            Some(limit) if err.kind() == std::io::ErrorKind::OutOfMemory => format!(
                "the file does not fit in the {} MB of memory allowed for reading it; \
                 {MEMORY_VAR} sets the limit",
                limit >> 20
            ),
            _ => format!("could not take it from the parent process ({err})"),
        })),
    };
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer(&mut out, &result).map(|()| out.flush()) {
        Ok(Ok(())) => 0,
        _ => 2,
    }
}

/// Limits the data this process may allocate to `bytes` (Linux; elsewhere
/// only the time limit holds).
fn limit_memory(bytes: u64) {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let maximum = getrlimit(Resource::Data).maximum;
        let current = Some(maximum.map_or(bytes, |m| m.min(bytes)));
        let _ = setrlimit(Resource::Data, Rlimit { current, maximum });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = bytes;
}

/// Extracts the text of every page. Pages the reader fails on are empty,
/// with a warning, so the others keep their numbers.
pub fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    let read = match HELPER.get() {
        Some(helper) => helper.read(bytes)?,
        None => read_in_process(bytes)?,
    };
    let mut extracted = join_pages(&read.pages);
    extracted.warnings.extend(read.warnings);
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
    /// Warnings about the document as a whole.
    warnings: Vec<String>,
}

impl Helper {
    /// Reads the pages in a child process, or in this one if no child can
    /// be started (the program was removed, or processes are not allowed).
    fn read(&self, bytes: &[u8]) -> Result<Read, String> {
        let memory = self.memory.for_len(bytes.len());
        let mut command = Command::new(&self.exe);
        command.arg(HELPER_ARG);
        if let Some(limit) = memory {
            // mimalloc (the binary's allocator) otherwise takes a 1 GiB
            // arena in one go, before the limit is set, so a lower limit
            // would not hold.
            command.arg(limit.to_string());
            command.env("MIMALLOC_ARENA_EAGER_COMMIT", "0");
        }
        let Ok(mut child) = command
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
        } else if let Some(limit) = memory.filter(|_| stderr.contains("memory allocation of")) {
            // The default limit is far above what a real document takes.
            let guess = match self.memory {
                MemoryLimit::Scaled => ", a decompression bomb perhaps",
                _ => "",
            };
            format!(
                "it needed more than the {} MB of memory allowed for this file{guess}; \
                 {MEMORY_VAR} sets the limit",
                limit >> 20
            )
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
    let (mut doc, warnings) = load(bytes)?;
    if let Some(page) = check_pages(&mut doc) {
        return Err(failed(format!(
            "its page tree is malformed (the Parent links above page {page} loop)"
        )));
    }
    let ids = doc.get_pages();
    let refused = check_forms(&doc, &ids);
    let mut read = read_in_passes(&mut doc, &ids, refused);
    read.warnings = warnings;
    if let Some((_, why)) = read.unreadable.first()
        && read.unreadable.len() == read.pages.len()
    {
        return Err(reader_failed(why));
    }
    Ok(read)
}

/// The most pages one pass of [`read_in_passes`] reads: a pass costs a
/// page tree of its pages to set up, so a failure early in a pass wastes
/// the set-up of up to this many.
const PASS_PAGES: usize = 256;

/// Reads the pages in passes, each page once. A pass reads the next
/// [`PASS_PAGES`] pages left, in order, through a page tree of their own
/// (the reader finds inherited attributes through each page's `Parent`,
/// which stays). When the reader fails (an error or a panic), the page it
/// stopped on is listed and left empty, and the next pass starts after
/// it: however many pages fail, the time stays linear in the pages.
/// Pages `refused` are left out.
fn read_in_passes(doc: &mut Document, ids: &PageIds, refused: Vec<(u32, String)>) -> Read {
    let mut texts: Vec<Option<String>> = vec![None; ids.len()];
    for (number, _) in &refused {
        let index = usize::try_from(*number).ok().and_then(|n| n.checked_sub(1));
        if let Some(text) = index.and_then(|i| texts.get_mut(i)) {
            *text = Some(String::new());
        }
    }
    let mut unreadable = refused;
    let left: Vec<(usize, pdf_extract::ObjectId)> = (ids.values().copied().enumerate())
        .filter(|&(index, _)| texts[index].is_none())
        .collect();
    let mut left = left.as_slice();
    let root = doc.add_object(Dictionary::new());
    match doc.catalog_mut() {
        Ok(catalog) => catalog.set("Pages", root),
        Err(_) => left = &[],
    }
    while !left.is_empty() {
        let pass = &left[..left.len().min(PASS_PAGES)];
        let kids: Vec<Object> = pass.iter().map(|&(_, id)| id.into()).collect();
        let count = i64::try_from(kids.len()).unwrap_or(i64::MAX);
        let mut node = Dictionary::new();
        node.set("Type", Object::Name(b"Pages".to_vec()));
        node.set("Kids", kids);
        node.set("Count", count);
        doc.objects.insert(root, Object::Dictionary(node));
        let mut pages = Pages::default();
        let whole = std::panic::catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc(doc, &mut pages)
        }));
        let finished = pages.done.len();
        for (&(index, _), read) in pass.iter().zip(pages.done) {
            texts[index] = Some(read);
        }
        let why = match whole {
            Ok(Ok(())) => {
                left = &left[pass.len()..];
                continue;
            }
            Ok(Err(err)) => err.to_string(),
            Err(panic) => crate::pipeline::panic_message(panic.as_ref()),
        };
        // The reader stopped on the page after those it finished (it
        // cannot fail after the last: it returns once that page ends).
        let Some(&(index, _)) = pass.get(finished) else {
            left = &left[pass.len()..];
            continue;
        };
        texts[index] = Some(String::new());
        unreadable.push((u32::try_from(index + 1).unwrap_or(u32::MAX), why));
        left = &left[finished + 1..];
    }
    unreadable.sort_by_key(|(number, _)| *number);
    Read {
        pages: texts.into_iter().map(Option::unwrap_or_default).collect(),
        unreadable,
        warnings: Vec::new(),
    }
}

/// Loads and decrypts the document, its streams [`defuse`]d, with a
/// warning for each stream emptied for inflating too far.
fn load(bytes: &[u8]) -> Result<(Document, Vec<String>), String> {
    let options = pdf_extract::LoadOptions::with_filter(defuse_on_load);
    let mut doc = Document::load_mem_with_options(bytes, options)
        .map_err(|e| failed(OutputError::from(e)))?;
    // The loader decrypts what it can after the filter has run, putting
    // back streams as they were; what it could not, it leaves to `decrypt`.
    let encrypted = doc.encryption_state.is_some() || doc.is_encrypted();
    if doc.is_encrypted() {
        doc.decrypt("").map_err(|e| failed(OutputError::from(e)))?;
    }
    let warnings = defused(&mut doc, encrypted);
    Ok((doc, warnings))
}

/// The most a stream may inflate to before it is taken for a
/// decompression bomb and read as empty. Page content is rarely over a
/// megabyte; a megabyte of zeros deflated inflates to a gigabyte, which
/// took the reader 10 s and 3 GB of memory.
const MAX_STREAM: usize = 64 << 20;

/// How many times its size one decoding step can inflate a stream, at
/// most: deflate ~1,032 times, LZW ~2,730 (a 12-bit code for a 4,096-byte
/// string). A stream that cannot pass [`MAX_STREAM`] at this rate is not
/// inflated to check.
const MAX_RATIO: usize = 2_731;

/// The key [`defuse`] adds to a stream it emptied for inflating too far,
/// so that the warning can name it once the document is loaded.
const DEFUSED: &[u8] = b"PolicyscanDefused";

/// Empties a stream the reader would inflate for nothing or for too much:
/// an image (it draws an image as if it were page content, inflating and
/// parsing the pixels, which yields nothing or fails the page) or a stream
/// that inflates past [`MAX_STREAM`], which is marked [`DEFUSED`] (and is
/// no longer an object stream, whose objects the loader would unpack).
fn defuse(stream: &mut Stream) {
    let subtype = stream.dict.get(b"Subtype").and_then(Object::as_name);
    if subtype.is_ok_and(|name| name == b"Image") {
        stream.set_plain_content(Vec::new());
    } else if inflates_past(stream, MAX_STREAM) {
        stream.set_plain_content(Vec::new());
        stream.dict.remove(b"Type");
        stream.dict.set(DEFUSED, true);
    }
}

/// [`defuse`] as the loader's object filter, so that an object stream is
/// checked before the loader inflates it to unpack its objects. The
/// loader keeps the object it was given, changed, and uses the one
/// returned only for objects unpacked from object streams, which are never
/// streams: a stream is not copied to be thrown away.
fn defuse_on_load(
    id: pdf_extract::ObjectId,
    object: &mut Object,
) -> Option<(pdf_extract::ObjectId, Object)> {
    match object {
        Object::Stream(stream) => {
            defuse(stream);
            Some((id, Object::Null))
        }
        other => Some((id, other.clone())),
    }
}

/// A warning for each stream [`defuse`] emptied for inflating too far,
/// after defusing the streams again if the document was `encrypted` (the
/// loader's filter saw them encrypted, and decrypting put them back).
fn defused(doc: &mut Document, encrypted: bool) -> Vec<String> {
    let mut warnings = Vec::new();
    for (&(number, generation), object) in &mut doc.objects {
        let Object::Stream(stream) = object else {
            continue;
        };
        if encrypted {
            defuse(stream);
        }
        if stream.dict.has(DEFUSED) {
            warnings.push(format!(
                "a stream in it (object {number} {generation}) inflates past {} MB, \
                 probably a decompression bomb; it is read as empty",
                MAX_STREAM >> 20
            ));
        }
    }
    warnings
}

/// Whether the reader would inflate `stream` past `limit` bytes, found
/// without ever holding more than `limit` + 1 bytes of it. The filters
/// are those pdf-extract's `lopdf` decodes, step by step as it does; with
/// any other filter in the chain it reads the stream as it is.
fn inflates_past(stream: &Stream, limit: usize) -> bool {
    let Ok(filters) = stream.filters() else {
        return false;
    };
    let known = |f: &&[u8]| matches!(*f, b"FlateDecode" | b"LZWDecode" | b"ASCII85Decode");
    let expanding = filters.iter().filter(|f| **f != b"ASCII85Decode").count();
    let most = (0..expanding).fold(stream.content.len(), |n, _| n.saturating_mul(MAX_RATIO));
    // An empty chain the reader decodes to nothing.
    if filters.is_empty() || !filters.iter().all(known) || most <= limit {
        return false;
    }
    let params = stream
        .dict
        .get(b"DecodeParms")
        .and_then(Object::as_dict)
        .ok();
    let mut data = std::borrow::Cow::Borrowed(stream.content.as_slice());
    let last = filters.len() - 1;
    for (step, filter) in filters.into_iter().enumerate() {
        // The last step's output is only counted, not kept.
        let mut out = Capped {
            bytes: (step < last).then(Vec::new),
            len: 0,
            limit,
        };
        match filter {
            b"FlateDecode" => inflate(&data, &mut out),
            b"LZWDecode" => unlzw(&data, params, &mut out),
            // Never longer than its input: decoded as the reader does.
            _ => {
                let mut dict = Dictionary::new();
                dict.set("Filter", Object::Name(filter.to_vec()));
                match Stream::new(dict, data.to_vec()).decompressed_content() {
                    Ok(decoded) => _ = out.write(&decoded),
                    Err(_) => return false,
                }
            }
        }
        if out.len > limit {
            return true;
        }
        data = std::borrow::Cow::Owned(out.bytes.unwrap_or_default());
    }
    false
}

/// Inflates zlib data into `out` as the reader does (falling back to raw
/// deflate when the zlib wrapper is broken), stopping past its limit.
fn inflate(data: &[u8], out: &mut Capped) {
    let wrapped = std::io::copy(&mut flate2::read::ZlibDecoder::new(data), out);
    if wrapped.is_err() && out.len == 0 && data.len() > 2 {
        let _ = std::io::copy(&mut flate2::read::DeflateDecoder::new(&data[2..]), out);
    }
}

/// Decodes LZW data into `out` as the reader does, stopping past its
/// limit.
fn unlzw(data: &[u8], params: Option<&Dictionary>, out: &mut Capped) {
    use weezl::{BitOrder, decode::Decoder};
    let early_change = params
        .and_then(|p| p.get(b"EarlyChange").ok())
        .and_then(|p| p.as_i64().ok())
        .is_none_or(|v| v != 0);
    let mut decoder = if early_change {
        Decoder::with_tiff_size_switch(BitOrder::Msb, 8)
    } else {
        Decoder::new(BitOrder::Msb, 8)
    };
    let _ = decoder.into_stream(out).decode_all(data);
}

/// A writer that counts what it is given, keeps it if asked to, and
/// refuses more once it is past `limit`.
struct Capped {
    bytes: Option<Vec<u8>>,
    len: usize,
    limit: usize,
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.len > self.limit {
            return Err(std::io::Error::other("past the limit"));
        }
        self.len += buf.len();
        if let Some(bytes) = &mut self.bytes {
            bytes.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The text of each page, written by pdf-extract's plain-text output
/// started afresh on every page, so that each page reads as it would
/// alone. (If a page fails, [`read_in_passes`] goes on after it.)
#[derive(Default)]
struct Pages {
    text: Rc<RefCell<String>>,
    page: Option<PlainTextOutput<Shared>>,
    /// Where each line of the page's text starts, and the horizontal
    /// position and font size of its first character ([`indent`]).
    line_starts: Vec<LineStart>,
    done: Vec<String>,
}

/// The start of a line of a page's text: its byte offset, and where on
/// the page its first character was drawn (`x`, in points) at what size
/// (`em`, points).
#[derive(Clone, Copy)]
struct LineStart {
    offset: usize,
    x: f64,
    em: f64,
}

/// The most spaces an indented line is given ([`indent`]).
const MAX_INDENT: usize = 16;

/// Writes the page's indentation into its text, which the plain-text
/// output leaves out: a line that starts at least an em right of the
/// page's usual left edge (the most common start, to the point) gets a
/// space for every half em, up to [`MAX_INDENT`]. How a printed hearing
/// or a book marks a paragraph is an indented first line with no blank
/// line before it; the transcript reader, like a reader of plain text,
/// then sees where each turn starts (`text/transcript.rs`).
fn indent(text: &mut String, starts: &[LineStart]) {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for start in starts {
        *counts.entry(start.x.round() as i64).or_default() += 1;
    }
    // The usual left edge: the most common start, the leftmost of a tie.
    let Some(margin) = counts
        .iter()
        .max_by_key(|&(&x, &n)| (n, std::cmp::Reverse(x)))
        .map(|(&x, _)| x as f64)
    else {
        return;
    };
    // One copy of the page, however many lines are indented (the starts
    // come in the order the text was written).
    let mut out = String::with_capacity(text.len());
    let (mut from, mut indented) = (0, false);
    for start in starts {
        let by = start.x - margin;
        if start.em > 0.0 && by >= start.em && start.offset >= from {
            let Some(before) = text.get(from..start.offset) else {
                continue;
            };
            out.push_str(before);
            let spaces = ((by / (start.em / 2.0)).round() as usize).min(MAX_INDENT);
            out.extend(std::iter::repeat_n(' ', spaces));
            (from, indented) = (start.offset, true);
        }
    }
    if indented {
        out.push_str(&text[from..]);
        *text = out;
    }
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
        self.line_starts.clear();
        let mut page = PlainTextOutput::new(Shared(Rc::clone(&self.text)));
        page.begin_page(number, media_box, art_box)?;
        self.page = Some(page);
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        if let Some(mut page) = self.page.take() {
            page.end_page()?;
            let mut text = std::mem::take(&mut *self.text.borrow_mut());
            indent(&mut text, &self.line_starts);
            self.done.push(text);
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
        let Some(page) = &mut self.page else {
            return Ok(());
        };
        page.output_character(trm, width, spacing, font_size, char)?;
        // The character starts a line when nothing or a line break comes
        // before it.
        let text = self.text.borrow();
        let offset = text.len() - char.len();
        if !char.is_empty() && (offset == 0 || text[..offset].ends_with('\n')) {
            self.line_starts.push(LineStart {
                offset,
                x: trm.m31,
                em: font_size * trm.m11.hypot(trm.m12),
            });
        }
        Ok(())
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

/// The document's pages by number, as `Document::get_pages` gives them.
type PageIds = std::collections::BTreeMap<u32, pdf_extract::ObjectId>;

/// How deep forms may nest (a form that draws a form …) on a page that is
/// read: the reader recurses once a level. Real documents nest a few.
const MAX_FORM_DEPTH: usize = 64;

/// The pages the reader must not draw, and why: a form on them that draws
/// itself (directly or through other forms) makes the reader recurse until
/// its stack overflows, which aborts the process; so would forms nested
/// far deeper than [`MAX_FORM_DEPTH`]. Follows `Do` as the reader does:
/// the name is looked up in the `XObject` dictionary of the resources in
/// force, and the stream is drawn with its own `Resources`, else with
/// those in force. What the reader would fail on anyway (a missing
/// object, a content stream it cannot decode) is left to it.
fn check_forms(doc: &Document, ids: &PageIds) -> Vec<(u32, String)> {
    let mut forms = Forms {
        doc,
        height: HashMap::new(),
    };
    let mut refused = Vec::new();
    for (&number, &page) in ids {
        // Most pages draw no forms: skip them before decompressing.
        let Some(resources) = page_resources(doc, page).filter(|r| xobjects(doc, r).is_some())
        else {
            continue;
        };
        // What the reader would panic on, this may too: the page is then
        // as unreadable as the reader would have found it.
        let checked = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let content = doc.get_page_content(page).unwrap_or_default();
            forms.check(&content, resources)
        }));
        match checked {
            Ok(Ok(())) => {}
            Ok(Err(why)) => refused.push((number, why)),
            Err(panic) => refused.push((number, crate::pipeline::panic_message(panic.as_ref()))),
        }
    }
    refused
}

/// A stream drawn with a resources dictionary.
#[derive(Clone, Copy)]
struct Frame<'a> {
    stream: &'a Stream,
    resources: &'a Dictionary,
}

impl Frame<'_> {
    /// The frame by the addresses of its stream and resources: the same
    /// pair drawn again inside itself draws itself forever.
    fn key(self) -> (usize, usize) {
        (
            std::ptr::from_ref(self.stream).addr(),
            std::ptr::from_ref(self.resources).addr(),
        )
    }
}

/// One level of [`Forms::check`]'s walk: a frame, the frames it draws that
/// are still to follow, and how deep those followed so far nest.
struct Level<'a> {
    key: Option<(usize, usize)>,
    rest: std::vec::IntoIter<Frame<'a>>,
    below: usize,
}

/// The forms of a document, walked once each.
struct Forms<'a> {
    doc: &'a Document,
    /// Frames followed to the end without trouble: how many levels deep
    /// they nest, themselves included.
    height: HashMap<(usize, usize), usize>,
}

impl<'a> Forms<'a> {
    /// Walks what a page's content draws, without recursion (the point is
    /// not to overflow the stack), and says why the page must not be read.
    fn check(&mut self, content: &[u8], resources: &'a Dictionary) -> Result<(), String> {
        let too_deep = || format!("its forms nest more than {MAX_FORM_DEPTH} deep");
        let mut path = vec![Level {
            key: None,
            rest: draws(self.doc, content, resources).into_iter(),
            below: 0,
        }];
        while let Some(top) = path.last_mut() {
            let next = top.rest.next();
            let Some(frame) = next else {
                let Some(done) = path.pop() else { break };
                let height = done.below + 1;
                if let Some(key) = done.key {
                    self.height.insert(key, height);
                }
                if let Some(parent) = path.last_mut() {
                    parent.below = parent.below.max(height);
                }
                continue;
            };
            let key = frame.key();
            // The depth of this frame: 1 for a form the page draws.
            let depth = path.len();
            if let Some(&height) = self.height.get(&key) {
                if depth + height - 1 > MAX_FORM_DEPTH {
                    return Err(too_deep());
                }
                if let Some(top) = path.last_mut() {
                    top.below = top.below.max(height);
                }
                continue;
            }
            if path.iter().any(|level| level.key == Some(key)) {
                return Err(
                    "a form on it draws itself, which the reader would follow until it crashed"
                        .to_string(),
                );
            }
            if depth > MAX_FORM_DEPTH {
                return Err(too_deep());
            }
            let content = stream_content(frame.stream);
            path.push(Level {
                key: Some(key),
                rest: draws(self.doc, &content, frame.resources).into_iter(),
                below: 0,
            });
        }
        Ok(())
    }
}

/// The frames a content stream draws with `Do`, as the reader finds them.
fn draws<'a>(doc: &'a Document, content: &[u8], resources: &'a Dictionary) -> Vec<Frame<'a>> {
    let Some(xobjects) = xobjects(doc, resources) else {
        return Vec::new();
    };
    if memchr::memmem::find(content, b"Do").is_none() {
        return Vec::new();
    }
    let Ok(content) = Content::decode(content) else {
        return Vec::new();
    };
    let mut frames: Vec<Frame<'a>> = Vec::new();
    let mut seen = HashSet::new();
    for op in content.operations.iter().filter(|op| op.operator == "Do") {
        let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else {
            continue;
        };
        let Some(stream) = entry(doc, xobjects, name).and_then(|s| s.as_stream().ok()) else {
            continue;
        };
        let own = entry(doc, &stream.dict, b"Resources").and_then(|r| r.as_dict().ok());
        let frame = Frame {
            stream,
            resources: own.unwrap_or(resources),
        };
        if seen.insert(frame.key()) {
            frames.push(frame);
        }
    }
    frames
}

/// The `XObject` dictionary of `resources`, if it has one with entries.
fn xobjects<'a>(doc: &'a Document, resources: &'a Dictionary) -> Option<&'a Dictionary> {
    let xobjects = entry(doc, resources, b"XObject")?.as_dict().ok()?;
    (!xobjects.is_empty()).then_some(xobjects)
}

/// The resources a page is drawn with: its own or inherited, as the reader
/// looks them up (the Parent links are known not to loop).
fn page_resources(doc: &Document, page: pdf_extract::ObjectId) -> Option<&Dictionary> {
    let mut dict = doc.get_dictionary(page).ok()?;
    loop {
        if let Some(resources) = entry(doc, dict, b"Resources").and_then(|r| r.as_dict().ok()) {
            return Some(resources);
        }
        let parent = dict.get(b"Parent").and_then(Object::as_reference).ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
}

/// `dict[key]`, a reference followed.
fn entry<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    match dict.get(key).ok()? {
        Object::Reference(id) => doc.get_object(*id).ok(),
        value => Some(value),
    }
}

/// A stream's content as the reader takes it: decompressed if it can be.
fn stream_content(stream: &Stream) -> Vec<u8> {
    if stream.filters().is_ok() {
        stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone())
    } else {
        stream.content.clone()
    }
}

/// Whether `dict`'s `MediaBox` is one the reader can use: `None` when it
/// has none that is an array (the reader then looks further up), else
/// whether it holds four numbers.
fn usable_box(doc: &Document, dict: &Dictionary) -> Option<bool> {
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

/// Joins page texts, recording page starts, leaving out running headers
/// and footers, joining hyphenated words, and letting a sentence that
/// goes on over a page break go on.
pub(crate) fn join_pages(pages: &[String]) -> Extracted {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(pages.len());
    let running = running_lines(pages);
    for page in pages {
        let read = if running.is_empty() {
            dehyphenate(page)
        } else {
            dehyphenate(&blank_running(page, &running))
        };
        let mut read = read.as_str();
        // A page that ends mid-sentence ("… would need a") and a next that
        // goes on in lower case ("clear exemption."): the blank lines
        // between (the page's margins, an emptied footer and header) would
        // end the sentence as a paragraph break; they are left out.
        // Not over a blank page: no page start may move.
        let last_start = starts.last().copied().unwrap_or(0);
        let goes_on_in_lowercase = text.trim_end().len() >= last_start
            && read.trim_start().starts_with(char::is_lowercase);
        if goes_on_in_lowercase && let Some(joiner) = hyphenated_end(text.trim_end()) {
            // A word hyphenated over the break ("regu-" / "lation"): it
            // is joined on the page it starts on, as within a page.
            text.truncate(text.trim_end().len() - 1);
            let next = read.trim_start();
            let end = next.find(char::is_whitespace).unwrap_or(next.len());
            text.push_str(joiner);
            text.push_str(&next[..end]);
            text.push('\n');
            read = next[end..].trim_start_matches([' ', '\t']);
            read = read.strip_prefix('\n').unwrap_or(read);
        } else if goes_on_in_lowercase && goes_on(&text) {
            text.truncate(text.trim_end().len());
            text.push('\n');
            read = read.trim_start();
        }
        starts.push(text.len());
        text.push_str(read);
        // Each page ends its last line (an emptied footer's too).
        if !page.is_empty() && !page.ends_with('\n') {
            text.push('\n');
        }
    }
    Extracted {
        text,
        pages: starts,
        ..Extracted::default()
    }
}

/// Whether `text` ends in the middle of a sentence: its last word is a
/// word, or a comma follows it (not a number, which a page number or a
/// list's is; not a sentence's or a heading's end).
fn goes_on(text: &str) -> bool {
    text.trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphabetic() || c == ',')
}

/// How many lines at each end of a page may be a running header or
/// footer (a title and a date, a docket number and a page number).
const RUNNING_EDGE: usize = 3;

/// Running headers and footers: lines (as [`running_key`] sees them) among
/// the first or last [`RUNNING_EDGE`] non-blank lines of at least half the
/// pages, and of three or more. "Comment of the Coalition, Docket
/// AI-2026-0001" on top of every page is the page's furniture, not its
/// argument, and would count once a page.
fn running_lines(pages: &[String]) -> std::collections::HashSet<String> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    if pages.len() < 3 {
        return Default::default();
    }
    for page in pages {
        let mut seen = std::collections::HashSet::new();
        for (_, line) in edge_lines(page) {
            if let Some(key) = running_key(line)
                && seen.insert(key.clone())
            {
                *counts.entry(key).or_default() += 1;
            }
        }
    }
    let needed = pages.len().div_ceil(2).max(3);
    counts
        .into_iter()
        .filter(|&(_, n)| n >= needed)
        .map(|(key, _)| key)
        .collect()
}

/// The first and last [`RUNNING_EDGE`] non-blank lines of a page, as
/// (line index, line).
fn edge_lines(page: &str) -> Vec<(usize, &str)> {
    let lines: Vec<(usize, &str)> = page
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let head = lines.len().min(RUNNING_EDGE);
    let tail = lines.len().saturating_sub(RUNNING_EDGE).max(head);
    [&lines[..head], &lines[tail..]].concat()
}

/// A line as running headers repeat it: words the same, numbers (page,
/// date) free; `None` for a line too long to be one.
fn running_key(line: &str) -> Option<String> {
    let line = line.trim();
    if line.chars().count() > 200 {
        return None;
    }
    let mut key = String::with_capacity(line.len());
    for word in line.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().map(|c| if c.is_numeric() { '#' } else { c }));
    }
    Some(key)
}

/// `page` with its running lines emptied (the line stays, so line numbers
/// do not move).
fn blank_running(page: &str, running: &std::collections::HashSet<String>) -> String {
    let blanked: std::collections::HashSet<usize> = edge_lines(page)
        .into_iter()
        .filter(|(_, line)| running_key(line).is_some_and(|key| running.contains(&key)))
        .map(|(i, _)| i)
        .collect();
    let mut out = String::with_capacity(page.len());
    for (i, line) in page.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        if !blanked.contains(&i) {
            out.push_str(body);
        }
        out.push_str(&line[body.len()..]);
    }
    out
}

/// For a line ending in a word and a hyphen (`regu-`, `open-`), what
/// joins the word to its rest on the next line: a soft hyphen, or a
/// hyphen after a word that usually starts a real compound
/// ([`COMPOUND_HEADS`]); `None` for a line that does not end so.
fn hyphenated_end(line: &str) -> Option<&'static str> {
    let head = line.strip_suffix('-')?;
    let word_start = head.rfind(|c: char| !c.is_alphabetic()).map_or(0, |i| {
        i + head[i..].chars().next().map_or(1, char::len_utf8)
    });
    let fragment = &head[word_start..];
    if fragment.is_empty() {
        return None;
    }
    Some(
        if COMPOUND_HEADS.contains(&fragment.to_lowercase().as_str()) {
            "-"
        } else {
            "\u{AD}"
        },
    )
}

/// Joins words split by a hyphen at a line end (see the module docs).
fn dehyphenate(page: &str) -> String {
    let mut lines: Vec<String> = page.lines().map(str::to_string).collect();
    for i in 0..lines.len().saturating_sub(1) {
        let line = lines[i].trim_end();
        let Some(joiner) = hyphenated_end(line) else {
            continue;
        };
        let head = &line[..line.len() - 1];
        let next = lines[i + 1].trim_start();
        if !next.starts_with(|c: char| c.is_lowercase()) {
            continue;
        }
        let end = next.find(char::is_whitespace).unwrap_or(next.len());
        let (tail, rest) = next.split_at(end);
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

    /// Lines that start an em or more right of the page's usual left
    /// edge get a space per half em (at most [`MAX_INDENT`]); lines at
    /// or left of it, or less than an em right, get none.
    #[test]
    fn indented_lines_keep_their_indentation() {
        let page = "Title\nOne\ntwo\nthree\nfour\nfar\nnear\nleft\n";
        let starts: Vec<LineStart> = [72.0, 84.0, 60.0, 60.0, 70.0, 400.0, 65.0, 40.0]
            .into_iter()
            .zip(
                page.match_indices(|_| true)
                    .filter(|&(i, _)| i == 0 || page.as_bytes()[i - 1] == b'\n'),
            )
            .map(|(x, (offset, _))| LineStart {
                offset,
                x,
                em: 10.0,
            })
            .collect();
        let mut text = page.to_string();
        indent(&mut text, &starts);
        assert_eq!(
            text,
            "  Title\n     One\ntwo\nthree\n  four\n                far\nnear\nleft\n"
        );
        let mut unchanged = page.to_string();
        indent(&mut unchanged, &[]);
        assert_eq!(unchanged, page);
    }

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

    /// A page as a word processor prints it: a running header, the
    /// body, a footer with the page number.
    fn printed_page(n: usize, body: &str) -> String {
        // Some pages end without a line break.
        let end = if n.is_multiple_of(2) { "" } else { "\n" };
        format!(
            "\n\nComment on the Open-Weight Licensing Proposal, Docket AI-2026-0001\n\n{body}\n\nPage {n} of 4{end}"
        )
    }

    #[test]
    fn running_headers_and_footers_are_not_read() {
        let pages: Vec<String> = (1..=4)
            .map(|n| {
                let word = ["first", "second", "third", "fourth"][n - 1];
                let mut body = format!("The {word} page, on compute thresholds.");
                if n == 1 {
                    // A line on top of one page only is the page's own.
                    body = format!("A title on the first page only\n{body}");
                }
                printed_page(n, &body)
            })
            .collect();
        let out = join_pages(&pages);
        assert!(!out.text.contains("Docket"), "{}", out.text);
        assert!(!out.text.contains("Page 2 of 4"), "{}", out.text);
        assert!(out.text.contains("A title on the first page only"));
        assert_eq!(out.text.matches("page, on compute thresholds.").count(), 4);
        // Lines stay where they were: the header's line is empty.
        let lines: usize = pages.iter().map(|p| p.lines().count()).sum();
        assert_eq!(out.text.lines().count(), lines);
        assert_eq!(out.text.lines().nth(2), Some(""));
        let kept = join_pages(&pages[..2]);
        // With fewer than three pages nothing repeats enough to tell.
        assert!(kept.text.contains("Docket"));
        // A line that repeats inside the body is not furniture.
        let body = "Intro\nOne\nTwo\nThree\nThe same sentence on licensing.\nFour\nFive\nSix\nEnd";
        let same: Vec<String> = (0..4).map(|_| body.to_string()).collect();
        let out = join_pages(&same);
        assert_eq!(
            out.text.matches("The same sentence on licensing.").count(),
            4
        );
        assert!(!out.text.contains("Intro") && !out.text.contains("End\n"));
    }

    /// A sentence that goes on over a page break is one sentence: the
    /// blank lines between the pages go; elsewhere they stay.
    #[test]
    fn a_sentence_goes_on_over_a_page_break() {
        let pages = |a: &str, b: &str| join_pages(&[a.to_string(), b.to_string()]);
        let out = pages(
            "Developers would need a\n\n\n",
            "\n\n  clear exemption. Next.\n",
        );
        assert_eq!(
            out.text,
            "Developers would need a\nclear exemption. Next.\n"
        );
        assert_eq!(out.pages, vec![0, 24]);
        let comma = pages("small labs,\n", "\nuniversities and startups.\n");
        assert_eq!(comma.text, "small labs,\nuniversities and startups.\n");
        // A word hyphenated over the break is joined on its first page;
        // the next page starts after it.
        let word = pages("the regu-\n\n", "\n  lation of open-\n");
        assert_eq!(word.text, "the regu\u{AD}lation\nof open-\n");
        assert_eq!(word.pages, vec![0, 17]);
        let compound = pages("open-\n", "source models.\nNext.\n");
        assert_eq!(compound.text, "open-source\nmodels.\nNext.\n");
        assert_eq!(compound.pages, vec![0, 12]);
        let alone = pages("open-\n", "source\nNext.\n");
        assert_eq!(alone.text, "open-source\nNext.\n");
        // A sentence's end, a number (a page's or a list's) or a capital
        // letter keep the break.
        // Not over a blank page.
        let blank = join_pages(&["would need a\n".into(), "\n\n".into(), "clear.\n".into()]);
        assert_eq!(blank.text, "would need a\n\n\nclear.\n");
        assert_eq!(blank.pages, vec![0, 13, 15]);
        for (a, b) in [
            ("An end.\n\n", "\nlower case.\n"),
            ("Page 2\n\n", "\nlower case.\n"),
            ("Goes on\n\n", "\nUpper case.\n"),
        ] {
            let out = pages(a, b);
            assert_eq!(out.text, format!("{a}{b}"));
            assert_eq!(out.pages, vec![0, a.len()]);
        }
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
    fn objects_packed_in_object_streams_are_read() {
        // The pages, fonts and page tree in object streams, as most PDFs
        // written since 1.5 have them: the loader unpacks them through the
        // filter that defuses streams, keeping the objects it returns.
        let texts = ["open weights page one", "licensing page two"];
        let mut doc = Pdf::load_mem(&pdf(&texts, |_, _, _| {})).unwrap();
        let mut bytes = Vec::new();
        doc.save_modern(&mut bytes).unwrap();
        assert!(bytes.windows(7).any(|w| w == b"/ObjStm"));
        let (doc, warnings) = load(&bytes).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(doc.get_pages().len(), 2);
        let read = read_in_process(&bytes).unwrap();
        assert!(read.unreadable.is_empty(), "{:?}", read.unreadable);
        for (page, text) in read.pages.iter().zip(texts) {
            assert!(page.contains(text), "{page:?} lacks {text:?}");
        }
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

    /// Adds a form drawing `content` (with the resources in force: it has
    /// none of its own) under `name` in the Pages node's resources, and
    /// returns it.
    fn add_form(doc: &mut Pdf, pages: ObjectId, name: &str, content: &str) -> ObjectId {
        let form = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            },
            content.as_bytes().to_vec(),
        ));
        let resources = dict(doc, pages)
            .get(b"Resources")
            .unwrap()
            .as_reference()
            .unwrap();
        let resources = dict(doc, resources);
        if resources.get(b"XObject").is_err() {
            resources.set("XObject", dictionary! {});
        }
        let xobjects = resources.get_mut(b"XObject").unwrap();
        xobjects.as_dict_mut().unwrap().set(name, form);
        form
    }

    /// Appends `content` to the content of `page`.
    fn draw(doc: &mut Pdf, page: ObjectId, content: &str) {
        let mut bytes = doc.get_page_content(page).unwrap();
        bytes.extend_from_slice(format!("\n{content}\n").as_bytes());
        doc.change_page_content(page, bytes).unwrap();
    }

    #[test]
    fn a_page_whose_forms_draw_themselves_is_left_unread_not_a_crash() {
        // Read in this process: before the check, the reader recursed
        // until the stack overflowed, which aborted the test run.
        let texts = ["open weights one", "licensing two", "liability three"];
        let bytes = pdf(&texts, |doc, pages, kids| {
            add_form(doc, pages, "Me", "/Me Do");
            draw(doc, kids[1], "/Me Do");
            // Through another form, and with resources of its own.
            add_form(doc, pages, "A", "/B Do");
            let b = add_form(doc, pages, "B", "/A Do");
            let shared = dict(doc, pages).get(b"Resources").unwrap().clone();
            doc.get_object_mut(b)
                .and_then(Object::as_stream_mut)
                .unwrap()
                .dict
                .set("Resources", shared);
            draw(doc, kids[2], "/A Do");
        });
        let read = read_in_process(&bytes).unwrap();
        assert_eq!(read.pages.len(), 3);
        assert!(read.pages[0].contains(texts[0]), "{:?}", read.pages);
        assert_eq!(read.pages[1..], ["", ""]);
        let numbers: Vec<u32> = read.unreadable.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [2, 3]);
        for (_, why) in &read.unreadable {
            assert!(why.contains("a form on it draws itself"), "{why}");
        }
        let extracted = extract(&bytes).unwrap();
        assert!(
            extracted.warnings[0].starts_with("2 pages could not be read (pages 2, 3"),
            "{:?}",
            extracted.warnings
        );
    }

    #[test]
    fn forms_drawn_again_or_nested_are_read_up_to_a_depth() {
        // A chain of `n` forms, each drawing the next, the last some text.
        let chain = |n: usize, doc: &mut Pdf, pages: ObjectId| {
            for i in 0..n {
                let content = if i + 1 == n {
                    "BT /F1 12 Tf 50 600 Td (deep text) Tj ET".to_string()
                } else {
                    format!("/C{} Do", i + 1)
                };
                add_form(doc, pages, &format!("C{i}"), &content);
            }
        };
        let bytes = pdf(&["open weights", "licensing"], |doc, pages, kids| {
            add_form(
                doc,
                pages,
                "Box",
                "BT /F1 12 Tf 50 650 Td (boxed text) Tj ET",
            );
            draw(doc, kids[0], "/Box Do /Box Do");
            chain(MAX_FORM_DEPTH, doc, pages);
            draw(doc, kids[1], "/C0 Do /Box Do");
        });
        let read = read_in_process(&bytes).unwrap();
        assert!(read.unreadable.is_empty(), "{:?}", read.unreadable);
        assert_eq!(
            read.pages[0].matches("boxed text").count(),
            2,
            "{:?}",
            read.pages
        );
        assert!(read.pages[1].contains("deep text"), "{:?}", read.pages);

        let bytes = pdf(&["open weights", "licensing"], |doc, pages, kids| {
            chain(MAX_FORM_DEPTH + 1, doc, pages);
            draw(doc, kids[1], "/C0 Do");
        });
        let read = read_in_process(&bytes).unwrap();
        assert!(read.pages[0].contains("open weights"), "{:?}", read.pages);
        assert_eq!(read.pages[1], "");
        assert_eq!(read.unreadable.len(), 1, "{:?}", read.unreadable);
        let (page, why) = &read.unreadable[0];
        assert_eq!(*page, 2);
        assert_eq!(
            why,
            &format!("its forms nest more than {MAX_FORM_DEPTH} deep")
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Forms drawing forms at random, some in loops: a page is left
        /// unread exactly when a loop can be reached from it, and every
        /// other page shows the text of every form it reaches. (A page the
        /// check missed would abort the test run.)
        #[test]
        fn pages_are_refused_exactly_when_their_forms_loop(
            edges in proptest::collection::vec(proptest::collection::vec(0..5usize, 0..3), 5),
            drawn in proptest::collection::vec(proptest::collection::vec(0..5usize, 0..3), 1..4),
        ) {
            let texts: Vec<String> = (0..drawn.len()).map(|p| format!("page {p}")).collect();
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let bytes = pdf(&texts, |doc, pages, kids| {
                for (i, to) in edges.iter().enumerate() {
                    let mut content = format!("BT /F1 12 Tf 50 {} Td (form{i}) Tj ET", 600 - 20 * i);
                    for j in to {
                        content.push_str(&format!(" /F{j} Do"));
                    }
                    add_form(doc, pages, &format!("F{i}"), &content);
                }
                for (page, to) in kids.iter().zip(&drawn) {
                    let calls: Vec<String> = to.iter().map(|j| format!("/F{j} Do")).collect();
                    draw(doc, *page, &calls.join(" "));
                }
            });
            let read = read_in_process(&bytes);
            for (p, to) in drawn.iter().enumerate() {
                // The forms the page reaches, and whether one reaches itself.
                let mut reached = std::collections::BTreeSet::new();
                let mut todo: Vec<usize> = to.clone();
                while let Some(f) = todo.pop() {
                    if reached.insert(f) {
                        todo.extend(&edges[f]);
                    }
                }
                let loops = reached.iter().any(|&f| {
                    let mut seen = std::collections::BTreeSet::new();
                    let mut todo = edges[f].clone();
                    while let Some(g) = todo.pop() {
                        if g == f {
                            return true;
                        }
                        if seen.insert(g) {
                            todo.extend(&edges[g]);
                        }
                    }
                    false
                });
                let number = u32::try_from(p + 1).unwrap();
                let refused = match &read {
                    Ok(read) => read
                        .unreadable
                        .iter()
                        .any(|(n, why)| *n == number && why.contains("draws itself")),
                    // Every page refused: the whole PDF is an error.
                    Err(err) => err.contains("draws itself"),
                };
                proptest::prop_assert_eq!(refused, loops, "page {}: {:?}", number, read);
                if let (false, Ok(read)) = (loops, &read) {
                    let text = &read.pages[p];
                    proptest::prop_assert!(text.contains(&format!("page {p}")), "{:?}", text);
                    for f in &reached {
                        let form = format!("form{f}");
                        proptest::prop_assert!(text.contains(&form), "{:?} lacks {}", text, form);
                    }
                }
            }
        }
    }

    /// A stand-in for the binary as the PDF reader: a shell script.
    #[cfg(unix)]
    fn helper(dir: &std::path::Path, script: &str) -> Helper {
        use std::os::unix::fs::PermissionsExt;
        let exe = dir.join(format!("reader-{}", script.len()));
        std::fs::write(&exe, format!("#!/bin/sh\ncat >/dev/null\n{script}\n")).unwrap();
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        Helper {
            exe,
            timeout: Some(Duration::from_secs(30)),
            memory: MemoryLimit::Scaled,
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_reader_that_crashes_costs_an_error_saying_how() {
        let dir = tempfile::tempdir().unwrap();
        let overflow = helper(
            dir.path(),
            "echo \"thread 'main' has overflowed its stack\" >&2; kill -ABRT $$",
        );
        let err = overflow.read(b"%PDF-1.7").unwrap_err();
        assert!(
            err.contains("the PDF reader crashed (its stack overflowed"),
            "{err}"
        );
        let dies = helper(dir.path(), "echo 'out of luck' >&2; exit 3");
        let err = dies.read(b"%PDF-1.7").unwrap_err();
        assert!(
            err.ends_with("the PDF reader crashed (exit status: 3: out of luck)"),
            "{err}"
        );
        // The reader is given its memory limit, and running out of it is
        // named, with the limit for this file.
        let arg = dir.path().join("arg");
        let script = format!(
            "echo \"$2\" > {}; echo 'memory allocation of 64 bytes failed' >&2; kill -ABRT $$",
            arg.display()
        );
        let mut starved = helper(dir.path(), &script);
        let err = starved.read(&[b'%'; 1 << 20]).unwrap_err();
        let scaled = (1u64 << 30) + 8 * (1 << 20);
        assert_eq!(
            std::fs::read_to_string(&arg).unwrap().trim(),
            scaled.to_string()
        );
        assert!(
            err.contains(
                "crashed (it needed more than the 1032 MB of memory allowed for this file, \
                 a decompression bomb perhaps; POLICYSCAN_PDF_MEMORY sets the limit)"
            ),
            "{err}"
        );
        starved.memory = MemoryLimit::Fixed(5 << 20);
        let err = starved.read(b"%PDF-1.7").unwrap_err();
        assert_eq!(
            std::fs::read_to_string(&arg).unwrap().trim(),
            (5u64 << 20).to_string()
        );
        // A limit the user set is not taken for a bomb's doing.
        assert!(
            err.contains("more than the 5 MB of memory allowed for this file; POLICYSCAN"),
            "{err}"
        );
        starved.memory = MemoryLimit::Unlimited;
        let err = starved.read(b"%PDF-1.7").unwrap_err();
        assert_eq!(std::fs::read_to_string(&arg).unwrap().trim(), "");
        assert!(
            err.contains("memory allocation of 64 bytes failed"),
            "{err}"
        );
    }

    #[test]
    fn pages_the_reader_fails_on_anywhere_cost_only_themselves() {
        // Broken pages first, last, side by side, most of them, on either
        // side of where one pass ends and the next begins, and after whole
        // passes read without one (each page finds its font through its
        // parent, which the passes' page trees must not lose).
        let n = PASS_PAGES;
        let cases: [(usize, Vec<usize>); 4] = [
            (12, vec![0, 3, 4, 9]),
            (12, (0..12).filter(|p| p % 4 != 1).collect()),
            (2 * n + 40, vec![0, n - 1, n, n + 1, 2 * n - 2, 2 * n + 39]),
            (3 * n + 40, vec![n + 5]),
        ];
        for (count, broken) in cases {
            let texts: Vec<String> = (0..count)
                .map(|p| format!("open weights page {p}"))
                .collect();
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let bytes = pdf(&texts, |doc, _, kids| {
                for &p in &broken {
                    let dangling = dictionary! { "Font" => dictionary! { "F1" => (999, 0) } };
                    dict(doc, kids[p]).set("Resources", dangling);
                }
            });
            let read = read_in_process(&bytes).unwrap();
            let numbers: Vec<usize> = read
                .unreadable
                .iter()
                .map(|(n, _)| *n as usize - 1)
                .collect();
            assert_eq!(numbers, broken);
            assert_eq!(read.pages.len(), count);
            for (p, page) in read.pages.iter().enumerate() {
                if broken.contains(&p) {
                    assert_eq!(page, "", "page {}", p + 1);
                } else {
                    assert!(page.contains(texts[p]), "page {}: {page:?}", p + 1);
                }
            }
        }
    }

    /// `head`, then `len` bytes of `fill`, zlib-compressed.
    fn deflated(head: &[u8], fill: u8, len: usize) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(head).unwrap();
        let chunk = vec![fill; 1 << 20];
        let mut left = len;
        while left > 0 {
            let n = left.min(chunk.len());
            z.write_all(&chunk[..n]).unwrap();
            left -= n;
        }
        z.finish().unwrap()
    }

    fn ascii85(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for group in data.chunks(4) {
            let mut word = [0u8; 4];
            word[..group.len()].copy_from_slice(group);
            let mut n = u32::from_be_bytes(word);
            let mut digits = [0u8; 5];
            for d in digits.iter_mut().rev() {
                *d = (n % 85) as u8 + b'!';
                n /= 85;
            }
            out.extend_from_slice(&digits[..group.len() + 1]);
        }
        out.extend_from_slice(b"~>");
        out
    }

    #[test]
    fn streams_are_measured_as_the_reader_inflates_them() {
        const SIZE: usize = 10_000;
        let head = b"BT /F1 12 Tf (open weights) Tj ET ";
        let flate = deflated(head, b' ', SIZE - head.len());
        let lzw = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
            .encode(&[b' '; SIZE])
            .unwrap();
        let mut unwrapped = flate.clone();
        unwrapped[..2].copy_from_slice(b"??");
        let stream = |filters: &[&str], content: Vec<u8>| {
            let names: Vec<Object> = filters
                .iter()
                .map(|f| Object::Name(f.as_bytes().to_vec()))
                .collect();
            Stream::new(dictionary! { "Filter" => names }, content)
        };
        let measured = [
            stream(&["FlateDecode"], flate.clone()),
            stream(&["LZWDecode"], lzw),
            stream(&["FlateDecode", "FlateDecode"], deflated(&flate, 0, 0)),
            stream(&["ASCII85Decode", "FlateDecode"], ascii85(&flate)),
            // A broken zlib header: the reader inflates the raw deflate data.
            stream(&["FlateDecode"], unwrapped),
        ];
        for stream in &measured {
            let filters = stream.dict.get(b"Filter").unwrap();
            assert_eq!(
                stream.decompressed_content().unwrap().len(),
                SIZE,
                "{filters:?}"
            );
            assert!(inflates_past(stream, SIZE - 1), "{filters:?}");
            assert!(!inflates_past(stream, SIZE), "{filters:?}");
        }
        // A filter the reader does not know: it reads the stream as it is.
        let unknown = stream(&["FlateDecode", "RunLengthDecode"], flate);
        assert!(unknown.decompressed_content().is_err());
        assert!(!inflates_past(&unknown, 1));
        let none = stream(&[], head.to_vec());
        assert_eq!(none.decompressed_content().unwrap(), b"");
        assert!(!inflates_past(&none, 1));
    }

    #[test]
    fn decompression_bombs_and_images_are_emptied_before_reading() {
        let texts = ["open weights page one", "licensing page two"];
        let bytes = pdf(&texts, |doc, pages, kids| {
            // Pixels that happen to spell page content, drawn on page one.
            let pixels = b"BT /F1 12 Tf 50 600 Td (pixel text) Tj ET".to_vec();
            let image = dictionary! { "Type" => "XObject", "Subtype" => "Image" };
            let image = doc.add_object(Stream::new(image, pixels));
            let resources = dict(doc, pages).get(b"Resources").unwrap();
            let resources = resources.as_reference().unwrap();
            dict(doc, resources).set("XObject", dictionary! { "Im1" => image });
            let content = b"BT /F1 12 Tf 50 700 Td (open weights page one) Tj ET q /Im1 Do Q";
            let content = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
            dict(doc, kids[0]).set("Contents", content);
            // Page two's content inflates to one byte past the limit.
            let head = b"BT /F1 12 Tf 50 700 Td (bomb text) Tj ET ";
            let bomb = deflated(head, b' ', MAX_STREAM + 1 - head.len());
            let flate = dictionary! { "Filter" => "FlateDecode" };
            let bomb = doc.add_object(Stream::new(flate, bomb));
            dict(doc, kids[1]).set("Contents", bomb);
            // An object stream the loader would unpack, inflating as far.
            let head = b"99 0 << >> ";
            let objects = deflated(head, b' ', MAX_STREAM + 1 - head.len());
            let stm = dictionary! { "Type" => "ObjStX", "N" => 1, "First" => 5 };
            let mut stream = Stream::new(stm, objects);
            stream.dict.set("Filter", "FlateDecode");
            doc.add_object(stream);
        });
        // lopdf's `save_to` writes no object streams: the type is set after.
        let mut bytes = bytes;
        let at = bytes.windows(7).position(|w| w == b"/ObjStX").unwrap();
        bytes[at..at + 7].copy_from_slice(b"/ObjStm");
        let (doc, _) = load(&bytes).unwrap();
        assert!(!doc.objects.contains_key(&(99, 0)), "unpacked");
        let read = read_in_process(&bytes).unwrap();
        assert!(read.pages[0].contains(texts[0]), "{:?}", read.pages);
        assert!(!read.pages[0].contains("pixel text"), "{:?}", read.pages);
        assert_eq!(read.pages[1].trim(), "");
        assert_eq!(read.warnings.len(), 2, "{:?}", read.warnings);
        for warning in &read.warnings {
            assert!(warning.contains("inflates past 64 MB"), "{warning}");
        }
        assert!(read.unreadable.is_empty());
    }

    #[test]
    fn bombs_in_encrypted_pdfs_are_found_once_decrypted() {
        let bytes = pdf(&["open weights page one"], |doc, _, kids| {
            let head = b"BT /F1 12 Tf 50 700 Td (bomb text) Tj ET ";
            let bomb = deflated(head, b' ', MAX_STREAM + 1 - head.len());
            let flate = dictionary! { "Filter" => "FlateDecode" };
            let bomb = doc.add_object(Stream::new(flate, bomb));
            dict(doc, kids[0]).set("Contents", bomb);
            let id = Object::string_literal("policyscan test");
            doc.trailer.set("ID", vec![id.clone(), id]);
            let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
                document: doc,
                owner_password: "owner",
                user_password: "",
                key_length: 128,
                permissions: lopdf::Permissions::all(),
            })
            .unwrap();
            doc.encrypt(&state).unwrap();
        });
        assert!(bytes.windows(8).any(|w| w == b"/Encrypt"));
        let (_, warnings) = load(&bytes).unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("inflates past 64 MB"), "{warnings:?}");
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
