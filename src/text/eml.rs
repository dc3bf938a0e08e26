//! Email messages (`.eml`): a message as a mail program saves it (RFC 5322
//! headers, MIME parts, transfer encodings, character sets).
//!
//! Public comments arrive by email, constituents write to their
//! legislators, and releases under freedom-of-information laws are
//! folders of messages. What is read is what a mail program shows:
//!
//! - the subject, as the message's heading (encoded words decoded);
//! - the body's text: of a `multipart/alternative`, the plain-text version
//!   unless it holds less than half the words of another (a "view this
//!   email in your browser" stub), else the richest; every inline
//!   `text/plain` and `text/html` part of a `multipart/mixed` message;
//!   HTML read as an HTML page is;
//! - attachments in a format policyscan reads (a comment letter as PDF or
//!   Word, a statement as text), each a section named by its file name,
//!   through the `read` function the caller passes;
//! - a forwarded or attached message (`message/rfc822`), and whatever
//!   follows a forwarding or reply header ("---------- Forwarded message
//!   ---------", "-----Original Message-----", Outlook's "From: … Sent: …
//!   Subject: …" block), as someone else's words, the way quoted `> `
//!   lines are.
//!
//! Header fields, MIME boundaries and part headers, and parts that are not
//! text (images, signatures, calendars) are not read. Every line of them
//! stays a line, so evidence in a message stored as it is written (7-bit
//! or 8-bit text) points at the file's line and column. Quoted-printable
//! text is decoded keeping its lines (a soft line break ends its line at
//! the next space, so a word is never cut); base64 text is decoded and
//! padded with empty lines to the lines it took, so what follows it keeps
//! its lines too.

use std::ops::Range;

use super::{Extracted, Heading};

/// How deep parts may nest (a multipart in a multipart in a forwarded
/// message…) before the rest is not read.
const MAX_DEPTH: usize = 16;

/// How much of a file is looked at to recognise a message by its headers.
const SNIFF_LEN: usize = 16 * 1024;

/// Header fields that mail systems write and other documents do not: a
/// memo that opens `To:`, `From:`, `Subject:` is not a message, one with
/// a `Message-ID` or a `Received` line is.
const MAIL_FIELDS: &[&str] = &[
    "mime-version",
    "received",
    "message-id",
    "return-path",
    "delivered-to",
    "dkim-signature",
    "x-mailer",
    "in-reply-to",
    "references",
    "authentication-results",
    "x-originating-ip",
    "thread-index",
];

/// Reads an attachment: `None` for a kind policyscan does not read (an
/// image), an error for one it could not.
pub type ReadAttachment<'a> = dyn FnMut(&str, Vec<u8>) -> Option<Result<Extracted, String>> + 'a;

/// Whether `bytes` start like a saved email message: a block of header
/// fields (after an mbox `From ` line, if any) that includes one only
/// mail systems write (a `Message-ID`, a `Received` line, `MIME-Version`…).
pub fn sniff(bytes: &[u8]) -> bool {
    let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let truncated = head.len() > SNIFF_LEN;
    let head = &head[..head.len().min(SNIFF_LEN)];
    // Lines are read one at a time: most files fail on the first, and
    // every plain-text file named or found is sniffed.
    let mut lines = head.split(|&b| b == b'\n').enumerate().peekable();
    let (mut fields, mut mail) = (0, false);
    while let Some((i, line)) = lines.next() {
        if truncated && lines.peek().is_none() {
            // The last line may be cut short.
            break;
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return mail && fields >= 2;
        }
        if i == 0 && line.starts_with(b"From ") {
            continue;
        }
        if matches!(line[0], b' ' | b'\t') {
            if fields == 0 {
                return false;
            }
            continue;
        }
        let Some(name) = field_name(line) else {
            return false;
        };
        fields += 1;
        let name = name.to_ascii_lowercase();
        mail |= MAIL_FIELDS.iter().any(|f| f.as_bytes() == name.as_slice());
    }
    truncated && mail && fields >= 2
}

/// The name of the header field `line` opens (`Subject` of `Subject: …`).
fn field_name(line: &[u8]) -> Option<&[u8]> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = &line[..colon];
    (!name.is_empty() && name.iter().all(|&b| (33..=126).contains(&b))).then_some(name)
}

/// The text of an email message (see the module's comment). `read` reads
/// an attachment's bytes, named by its file name.
pub fn extract(source: &str, read: &mut ReadAttachment<'_>) -> Extracted {
    let mut reader = Reader {
        read,
        warnings: Vec::new(),
    };
    let (piece, _) = reader.entity(source, 0, true);
    piece.into_extracted(reader.warnings)
}

/// Part of the text being written, with its structure; offsets are into
/// `text`.
#[derive(Debug, Default)]
pub(super) struct Piece {
    pub(super) text: String,
    pub(super) headings: Vec<Heading>,
    pub(super) quotes: Vec<Range<usize>>,
    pub(super) paragraphs: Vec<usize>,
}

impl Piece {
    /// A piece holding only the line breaks of `source`: what stands in for
    /// what is not read (headers, boundaries, images), keeping the lines.
    fn blank(source: &str) -> Piece {
        let mut piece = Piece::default();
        piece.push_blank(source);
        piece
    }

    fn push_blank(&mut self, source: &str) {
        for line in source.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            self.text.push_str(&line[body.len()..]);
        }
    }

    /// Appends `other`, moving its offsets.
    pub(super) fn append(&mut self, other: Piece) {
        let at = self.text.len();
        self.text.push_str(&other.text);
        self.headings
            .extend(other.headings.into_iter().map(|h| Heading {
                offset: h.offset + at,
                ..h
            }));
        self.quotes
            .extend(other.quotes.into_iter().map(|q| q.start + at..q.end + at));
        self.paragraphs
            .extend(other.paragraphs.into_iter().map(|p| p + at));
    }

    pub(super) fn from_extracted(ex: Extracted) -> Piece {
        Piece {
            text: ex.text,
            headings: ex.headings,
            quotes: ex.quotes,
            paragraphs: ex.paragraphs,
        }
    }

    /// The text read, with `warnings` (repeats dropped).
    pub(super) fn into_extracted(self, mut warnings: Vec<String>) -> Extracted {
        warnings.dedup();
        Extracted {
            text: self.text,
            headings: self.headings,
            pages: Vec::new(),
            warnings,
            quotes: super::merge_ranges(self.quotes),
            paragraphs: self.paragraphs,
        }
    }

    fn words(&self) -> usize {
        self.text.split_whitespace().count()
    }

    /// Adds empty lines until the piece has as many lines as `source` took.
    fn pad_to(&mut self, source: &str) {
        let want = memchr::memchr_iter(b'\n', source.as_bytes()).count();
        let have = memchr::memchr_iter(b'\n', self.text.as_bytes()).count();
        for _ in have..want {
            self.text.push('\n');
        }
    }
}

/// A header field, its value unfolded.
struct Field<'a> {
    name: String,
    value: String,
    /// The field's lines in the entity's source.
    lines: &'a str,
}

/// What the headers of a message or part say about its content.
#[derive(Debug, Default)]
struct Content {
    /// `type/subtype`, lowercase; empty when not given (plain text).
    mime: String,
    boundary: Option<String>,
    charset: String,
    encoding: String,
    attachment: bool,
    filename: Option<String>,
}

struct Reader<'r, 'a> {
    read: &'r mut ReadAttachment<'a>,
    warnings: Vec<String>,
}

impl Reader<'_, '_> {
    /// Reads a message or a part: its headers, then its body. Returns the
    /// text and the part's MIME type.
    fn entity(&mut self, source: &str, depth: usize, top: bool) -> (Piece, String) {
        let (fields, body_at) = fields(source, top);
        let content = content(&fields);
        let mut piece = Piece::default();
        let head = &source[..body_at];
        if top {
            self.write_head(&mut piece, head, &fields);
        } else {
            piece.push_blank(head);
        }
        let body = &source[body_at..];
        if depth >= MAX_DEPTH {
            if depth == MAX_DEPTH {
                self.warnings.push(format!(
                    "parts nested deeper than {MAX_DEPTH} levels were not read"
                ));
            }
            piece.append(Piece::blank(body));
            return (piece, content.mime);
        }
        let read = self.body(body, &content, depth);
        piece.append(read);
        (piece, content.mime)
    }

    /// The top-level headers: the subject is read, as the heading, on its
    /// own line; every other field is a blank line.
    fn write_head(&mut self, piece: &mut Piece, head: &str, fields: &[Field<'_>]) {
        let mut at = 0;
        for field in fields {
            let start = field.lines.as_ptr() as usize - head.as_ptr() as usize;
            piece.push_blank(&head[at..start]);
            at = start + field.lines.len();
            if field.name != "subject" {
                piece.push_blank(field.lines);
                continue;
            }
            let subject = decode_words(&field.value, &mut self.warnings);
            let subject = subject.trim();
            let first = field.lines.split_inclusive('\n').next().unwrap_or("");
            // The value keeps its column when it is written as it reads.
            let indent = first.find(':').map_or(0, |c| c + 1);
            let indent = indent + first[indent..].len() - first[indent..].trim_start().len();
            piece.text.extend(std::iter::repeat_n(' ', indent));
            let offset = piece.text.len();
            piece.text.push_str(&subject.replace(['\r', '\n'], " "));
            if !subject.is_empty() {
                piece.headings.push(Heading {
                    offset,
                    level: 1,
                    label: subject.to_string(),
                });
            }
            let rest = field.lines.trim_end_matches(['\n', '\r']);
            let ending = &field.lines[rest.len()..];
            // One line break per line the field took.
            let breaks = memchr::memchr_iter(b'\n', rest.as_bytes()).count();
            piece.text.extend(std::iter::repeat_n('\n', breaks));
            piece.text.push_str(ending);
        }
        piece.push_blank(&head[at..]);
    }

    fn body(&mut self, body: &str, content: &Content, depth: usize) -> Piece {
        let mime = content.mime.as_str();
        if let Some(boundary) = content
            .boundary
            .as_deref()
            .filter(|_| mime.starts_with("multipart/"))
        {
            return self.multipart(body, mime, boundary, depth);
        }
        if mime == "message/rfc822" || mime == "message/global" {
            let inner = match content.encoding.as_str() {
                "base64" | "quoted-printable" => {
                    String::from_utf8_lossy(&transfer_decode(body, &content.encoding)).into_owned()
                }
                _ => body.to_string(),
            };
            let (mut piece, _) = self.entity(&inner, depth + 1, false);
            piece.pad_to(body);
            piece.quotes = std::iter::once(0..piece.text.len()).collect();
            return piece;
        }
        let text_part = matches!(
            mime,
            "" | "text/plain" | "text/html" | "text/markdown" | "text/x-markdown"
        );
        if content.attachment || (!text_part && content.filename.is_some()) {
            return self.attachment(body, content, text_part);
        }
        if !text_part {
            return Piece::blank(body);
        }
        let mut piece = self.text_piece(body, content);
        piece.pad_to(body);
        piece
    }

    /// A text part's text: plain, or HTML read as a page is.
    fn text_piece(&mut self, body: &str, content: &Content) -> Piece {
        let text = self.text_of(body, content);
        message_text(text, content.mime == "text/html", &mut self.warnings)
    }

    /// A part's text: decoded from its transfer encoding and character set.
    /// Text stored as it reads (7-bit, 8-bit) was decoded with the file.
    fn text_of(&mut self, body: &str, content: &Content) -> String {
        match content.encoding.as_str() {
            "base64" | "quoted-printable" => {
                let bytes = transfer_decode(body, &content.encoding);
                decode_charset(bytes, &content.charset, &mut self.warnings)
            }
            _ => body.to_string(),
        }
    }

    fn multipart(&mut self, body: &str, mime: &str, boundary: &str, depth: usize) -> Piece {
        let parts = split_parts(body, boundary);
        if parts.is_empty() {
            // No boundary line: a body that is not what its headers say;
            // read as text, as a mail program shows it.
            return self.body(body, &Content::default(), depth);
        }
        let mut rendered = Vec::with_capacity(parts.len());
        for part in &parts {
            rendered.push(self.entity(&body[part.clone()], depth + 1, false));
        }
        let chosen = if mime == "multipart/alternative" {
            alternative(&rendered)
        } else {
            None
        };
        let mut piece = Piece::default();
        let mut at = 0;
        for (i, (part, (read, _))) in parts.iter().zip(rendered).enumerate() {
            piece.push_blank(&body[at..part.start]);
            at = part.end;
            if chosen.is_none_or(|c| c == i) {
                piece.append(read);
            } else {
                piece.push_blank(&body[part.clone()]);
            }
        }
        piece.push_blank(&body[at..]);
        piece
    }

    /// An attachment: read by `read` when it is a format policyscan reads
    /// (and, if `read` does not know it, as the text it is when its type is
    /// text), as a section named by its file name.
    fn attachment(&mut self, body: &str, content: &Content, text: bool) -> Piece {
        let name = content
            .filename
            .clone()
            .unwrap_or_else(|| "attachment".to_string());
        let bytes = match content.encoding.as_str() {
            "base64" | "quoted-printable" => transfer_decode(body, &content.encoding),
            _ => body.as_bytes().to_vec(),
        };
        let mut piece = match (self.read)(&name, bytes) {
            None if text => {
                let piece = self.text_piece(body, content);
                section(name, piece)
            }
            None => return Piece::blank(body),
            Some(Err(message)) => {
                self.warnings
                    .push(format!("attachment {name} was not read: {message}"));
                return Piece::blank(body);
            }
            Some(Ok(mut ex)) => {
                for warning in ex.warnings.drain(..) {
                    self.warnings.push(format!("attachment {name}: {warning}"));
                }
                section(name, Piece::from_extracted(ex))
            }
        };
        piece.pad_to(body);
        piece
    }
}

/// An attachment's text as a section headed by its file name, its own
/// headings a level down.
pub(super) fn section(name: String, mut read: Piece) -> Piece {
    for heading in &mut read.headings {
        heading.level = (heading.level + 1).min(6);
    }
    let mut piece = Piece::default();
    piece.headings.push(Heading {
        offset: 0,
        level: 1,
        label: name,
    });
    // A line of its own, so the attachment's text is not read as part
    // of the sentence before it.
    piece.text.push('\n');
    piece.paragraphs.push(0);
    piece.append(read);
    piece.text.push('\n');
    piece
}

/// A message's text, plain or HTML (read as a page is): quoted `> `
/// lines, and what follows a forwarding or reply header, are quotations.
pub(super) fn message_text(text: String, html: bool, warnings: &mut Vec<String>) -> Piece {
    let mut piece = if html {
        let mut ex = super::html::extract(&text);
        warnings.append(&mut ex.warnings);
        Piece::from_extracted(ex)
    } else {
        let quotes = super::mail::quoted_replies(&text);
        Piece {
            text,
            quotes,
            ..Piece::default()
        }
    };
    if let Some(at) = forwarded(&piece.text) {
        piece.quotes.push(at..piece.text.len());
        piece.quotes = super::merge_ranges(std::mem::take(&mut piece.quotes));
    }
    piece
}

/// Which of a `multipart/alternative`'s versions to read: the plain text
/// unless it holds less than half the words of the richest, else the
/// richest (the last of equals, as mail programs prefer the last version
/// they can show). `None` when none holds a word.
fn alternative(rendered: &[(Piece, String)]) -> Option<usize> {
    let words: Vec<usize> = rendered.iter().map(|(p, _)| p.words()).collect();
    let most = words.iter().copied().max().filter(|&w| w > 0)?;
    let plain = rendered.iter().zip(&words).position(|((_, mime), &w)| {
        matches!(mime.as_str(), "" | "text/plain") && w > 0 && w * 2 >= most
    });
    plain.or_else(|| words.iter().rposition(|&w| w == most))
}

/// The header fields at the start of `source` and where its body starts
/// (after the blank line that ends them). A part that opens with a line
/// that is not a field has no headers; a message's first line may be an
/// mbox `From ` line.
fn fields(source: &str, top: bool) -> (Vec<Field<'_>>, usize) {
    /// The field being read: where it starts, its name and value so far.
    type Open = Option<(usize, String, String)>;
    fn close<'s>(source: &'s str, current: &mut Open, fields: &mut Vec<Field<'s>>, end: usize) {
        if let Some((start, name, value)) = current.take() {
            fields.push(Field {
                name,
                value,
                lines: &source[start..end],
            });
        }
    }
    let mut fields: Vec<Field<'_>> = Vec::new();
    let mut at = 0;
    let mut current: Open = None;
    for line in source.split_inclusive('\n') {
        let start = at;
        let content = line.trim_end_matches(['\n', '\r']);
        if content.is_empty() {
            close(source, &mut current, &mut fields, start);
            return (fields, start + line.len());
        }
        if top && start == 0 && content.starts_with("From ") {
            at += line.len();
            continue;
        }
        if content.starts_with([' ', '\t'])
            && let Some((_, _, value)) = current.as_mut()
        {
            value.push(' ');
            value.push_str(content.trim());
            at += line.len();
            continue;
        }
        let Some(name) = field_name(content.as_bytes()) else {
            // Not a header: the body starts here.
            close(source, &mut current, &mut fields, start);
            return (fields, start);
        };
        close(source, &mut current, &mut fields, start);
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        let value = content[name.len() + 1..].trim().to_string();
        current = Some((start, name, value));
        at += line.len();
    }
    close(source, &mut current, &mut fields, at);
    (fields, at)
}

/// The values of a message's header fields named `names` (lowercase),
/// RFC 2047 words decoded, folded lines joined; "" for a field it does
/// not have. For listing a mailbox's messages.
pub(crate) fn header_values(source: &str, names: &[&str]) -> Vec<String> {
    let (fields, _) = fields(source, true);
    let mut warnings = Vec::new();
    names
        .iter()
        .map(|&name| {
            fields
                .iter()
                .find(|f| f.name == name)
                .map(|f| decode_words(&f.value, &mut warnings).trim().to_string())
                .unwrap_or_default()
        })
        .collect()
}

/// What a part's headers say about its content.
fn content(fields: &[Field<'_>]) -> Content {
    let mut content = Content::default();
    for field in fields {
        match field.name.as_str() {
            "content-type" => {
                let (mime, params) = parameters(&field.value);
                content.mime = mime.to_ascii_lowercase();
                for (name, value) in params {
                    match name.as_str() {
                        "boundary" => content.boundary = Some(value),
                        "charset" => content.charset = value.to_ascii_lowercase(),
                        "name" if content.filename.is_none() => content.filename = Some(value),
                        _ => {}
                    }
                }
            }
            "content-transfer-encoding" => {
                content.encoding = field.value.trim().to_ascii_lowercase();
            }
            "content-disposition" => {
                let (kind, params) = parameters(&field.value);
                content.attachment = kind.eq_ignore_ascii_case("attachment");
                if let Some((_, name)) = params.into_iter().find(|(n, _)| n == "filename") {
                    content.filename = Some(name);
                }
            }
            _ => {}
        }
    }
    if let Some(name) = content.filename.take() {
        let name = decode_words(&name, &mut Vec::new());
        // A name is shown, not a path to follow.
        let name = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
        content.filename = (!name.is_empty()).then(|| name.to_string());
    }
    content
}

/// A structured field's value and its parameters (`text/plain;
/// charset="utf-8"`): names lowercase, quoted values unquoted, RFC 2231's
/// continued and encoded values (`filename*0*=utf-8''…`) joined and
/// decoded.
fn parameters(value: &str) -> (String, Vec<(String, String)>) {
    let mut parts = split_unquoted(value, ';').into_iter();
    let main = parts.next().unwrap_or_default().trim().to_string();
    // (name, section, encoded, value)
    let mut raw: Vec<(String, usize, bool, String)> = Vec::new();
    for part in parts {
        let Some((name, value)) = part.split_once('=') else {
            continue;
        };
        let mut name = name.trim().to_ascii_lowercase();
        let encoded = name.ends_with('*');
        if encoded {
            name.pop();
        }
        let (name, section) = match name.split_once('*') {
            Some((base, n)) => (base.to_string(), n.parse().unwrap_or(0)),
            None => (name, 0),
        };
        raw.push((name, section, encoded, unquote(value.trim())));
    }
    raw.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut params: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let name = raw[i].0.clone();
        let mut bytes = Vec::new();
        let mut charset = None;
        let mut any_encoded = false;
        while i < raw.len() && raw[i].0 == name {
            let (_, section, encoded, value) = &raw[i];
            let mut value = value.as_str();
            if *encoded {
                any_encoded = true;
                if *section == 0 {
                    let mut pieces = value.splitn(3, '\'');
                    if let (Some(cs), Some(_), Some(rest)) =
                        (pieces.next(), pieces.next(), pieces.next())
                    {
                        charset = Some(cs.to_ascii_lowercase());
                        value = rest;
                    }
                }
                bytes.extend(unescape(value, b'%'));
            } else {
                bytes.extend_from_slice(value.as_bytes());
            }
            i += 1;
        }
        let value = if any_encoded {
            decode_charset(bytes, charset.as_deref().unwrap_or(""), &mut Vec::new())
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        params.push((name, value));
    }
    (main, params)
}

/// `value` cut at each `sep` outside double quotes.
fn split_unquoted(value: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut quoted, mut escaped, mut start) = (false, false, 0);
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == sep && !quoted => {
                parts.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    parts
}

fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"') else {
        return value.to_string();
    };
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// `value` with each `escape` and two hex digits (`%20`, `=E2`) replaced
/// by the byte they stand for; an escape without them is kept.
fn unescape(value: &str, escape: u8) -> Vec<u8> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex_pair(&bytes[i + 1..])) {
            (b, Some(byte)) if b == escape => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// The byte two hex digits at the start of `bytes` stand for.
fn hex_pair(bytes: &[u8]) -> Option<u8> {
    let digit = |b: u8| (b as char).to_digit(16);
    match bytes {
        [h, l, ..] => Some((digit(*h)? * 16 + digit(*l)?) as u8),
        _ => None,
    }
}

/// The parts of a multipart body: the byte ranges between its boundary
/// lines (`--boundary`, the last `--boundary--`). Empty when no boundary
/// line is found.
fn split_parts(body: &str, boundary: &str) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut open: Option<usize> = None;
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let Some(rest) = line
            .strip_prefix("--")
            .and_then(|l| l.strip_prefix(boundary))
        else {
            continue;
        };
        let rest = rest.trim_end();
        let close = rest == "--";
        if !close && !rest.is_empty() {
            continue;
        }
        if let Some(from) = open.take() {
            parts.push(from..start);
        }
        if close {
            break;
        }
        open = Some(at);
    }
    // A message cut short: its last part runs to the end.
    if let Some(from) = open {
        parts.push(from..body.len());
    }
    parts
}

/// Decodes a body's transfer encoding (`base64`, `quoted-printable`).
fn transfer_decode(body: &str, encoding: &str) -> Vec<u8> {
    match encoding {
        "base64" => base64(body),
        _ => quoted_printable(body),
    }
}

/// Decodes base64, skipping what is not of its alphabet (line breaks,
/// stray characters); padding ends a group, so joined encodings decode.
fn base64(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in text.bytes() {
        let value = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => {
                (acc, bits) = (0, 0);
                continue;
            }
            _ => continue,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// Decodes quoted-printable keeping its lines: a soft line break (`=` at
/// a line's end) becomes a line break at the next space or tab (or right
/// away after one), so words stay whole and every line after is where
/// the file has it. One still owed when its paragraph ends goes to the
/// last space before it, or, with none, after it as an empty line.
fn quoted_printable(text: &str) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut owed = 0usize;
    // Where the current output line starts.
    let mut line_start = 0;
    let push = |out: &mut Vec<u8>, owed: &mut usize, line_start: &mut usize, b: u8| {
        if *owed > 0 && matches!(b, b' ' | b'\t') {
            *owed -= 1;
            out.push(b'\n');
            *line_start = out.len();
        } else {
            out.push(b);
        }
    };
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let ending = &raw[line.len()..];
        // Trailing white space on an encoded line is transport padding.
        let line = line.trim_end_matches([' ', '\t']);
        let (content, soft) = match line.strip_suffix('=') {
            Some(content) if !ending.is_empty() => (content, true),
            _ => (line, false),
        };
        let bytes = content.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match (bytes[i], hex_pair(&bytes[i + 1..])) {
                (b'=', Some(b)) => {
                    push(&mut out, &mut owed, &mut line_start, b);
                    i += 3;
                }
                (b, _) => {
                    push(&mut out, &mut owed, &mut line_start, b);
                    i += 1;
                }
            }
        }
        if soft {
            if out.last().is_some_and(|b| matches!(b, b' ' | b'\t')) {
                out.push(b'\n');
                line_start = out.len();
            } else {
                owed += 1;
            }
            continue;
        }
        // The paragraph's line ends: break at earlier spaces for what is
        // still owed, and after it for what has none.
        while owed > 0 {
            let Some(space) = out[line_start..]
                .iter()
                .rposition(|b| matches!(b, b' ' | b'\t'))
            else {
                break;
            };
            out[line_start + space] = b'\n';
            owed -= 1;
        }
        out.extend(std::iter::repeat_n(b'\n', owed));
        owed = 0;
        out.extend_from_slice(ending.as_bytes());
        line_start = out.len();
    }
    out
}

/// Text in a declared character set. UTF-8 (and ASCII) as policyscan
/// reads files; ISO-8859-1 and Windows-1252 by their table; any other is
/// read as UTF-8, with a warning when that had to replace bytes.
fn decode_charset(bytes: Vec<u8>, charset: &str, warnings: &mut Vec<String>) -> String {
    let latin = matches!(
        charset,
        "iso-8859-1"
            | "iso8859-1"
            | "latin1"
            | "latin-1"
            | "windows-1252"
            | "cp1252"
            | "iso-8859-15"
            | "us-ascii"
            | "ascii"
    );
    if latin {
        return bytes
            .iter()
            .map(|&b| super::decode::windows_1252_char(b))
            .collect();
    }
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let known = matches!(charset, "" | "utf-8" | "utf8");
            if !known {
                warnings.push(format!(
                    "text in the character set {charset} was read as UTF-8, which it is not"
                ));
            }
            match super::decode::decode(err.as_bytes()) {
                super::decode::Decoded::Text { text, .. } => text.into_owned(),
                super::decode::Decoded::Binary => {
                    String::from_utf8_lossy(err.as_bytes()).into_owned()
                }
            }
        }
    }
}

/// Decodes RFC 2047 encoded words (`=?utf-8?Q?Open_models?=`,
/// `=?UTF-8?B?…?=`) in a header's value; white space between two encoded
/// words goes.
fn decode_words(value: &str, warnings: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    let mut after_word = false;
    while let Some(start) = rest.find("=?") {
        let Some((word, len)) = encoded_word(&rest[start..], warnings) else {
            out.push_str(&rest[..start + 2]);
            rest = &rest[start + 2..];
            after_word = false;
            continue;
        };
        let between = &rest[..start];
        if !(after_word && between.trim().is_empty()) {
            out.push_str(between);
        }
        out.push_str(&word);
        rest = &rest[start + len..];
        after_word = true;
    }
    out.push_str(rest);
    out
}

/// The text of the encoded word `text` opens, and its length.
fn encoded_word(text: &str, warnings: &mut Vec<String>) -> Option<(String, usize)> {
    let inner = text.strip_prefix("=?")?;
    let (charset, inner) = inner.split_once('?')?;
    let (encoding, inner) = inner.split_once('?')?;
    let end = inner.find("?=")?;
    let payload = &inner[..end];
    if payload.contains(char::is_whitespace) {
        return None;
    }
    // RFC 2231 lets a language follow the charset: `utf-8*en`.
    let charset = charset.split('*').next().unwrap_or("").to_ascii_lowercase();
    let bytes = match encoding {
        "B" | "b" => base64(payload),
        "Q" | "q" => unescape(&payload.replace('_', " "), b'='),
        _ => return None,
    };
    let len = 2 + (text.len() - 2 - inner.len()) + end + 2;
    Some((decode_charset(bytes, &charset, warnings), len))
}

/// Where a forwarded message, or the earlier message a reply carries
/// below it, starts in a part's text: a forwarding line ("----------
/// Forwarded message ---------", "-----Original Message-----", "Begin
/// forwarded message:") or Outlook's reply header (`From:`, then `Sent:`
/// and `Subject:` within a few lines).
pub(crate) fn forwarded(text: &str) -> Option<usize> {
    // Every plain-text file is asked, so the text is searched as it is,
    // not through a lowercase copy, and once per word: for "essage"
    // ("Message", "message") and "rom:" ("From:", "from:"). Headers in
    // capitals ("-----ORIGINAL MESSAGE-----", "FROM:") are not looked for.
    let bytes = text.as_bytes();
    let mut found: Option<usize> = None;
    let mut earliest = |at: usize| found = Some(found.map_or(at, |f: usize| f.min(at)));
    let messages = memchr::memmem::find_iter(bytes, b"essage")
        .filter_map(|i| i.checked_sub(1))
        .filter(|&m| matches!(bytes[m], b'm' | b'M'));
    for m in messages {
        let before = text[..m].trim_end_matches([' ', '\t']);
        let word_at = before
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .len();
        let word = &before[word_at..];
        let forwarding = word.eq_ignore_ascii_case("forwarded");
        if !forwarding && !word.eq_ignore_ascii_case("original") {
            continue;
        }
        let lead = before[..word_at].trim_end_matches([' ', '\t']);
        let dashes = lead.len() - lead.trim_end_matches('-').len();
        if dashes >= 3 {
            earliest(lead.len() - dashes);
            break;
        }
        let begin =
            lead.len() >= 5 && lead.as_bytes()[lead.len() - 5..].eq_ignore_ascii_case(b"begin");
        if forwarding && begin && bytes.get(m + "message".len()) == Some(&b':') {
            earliest(lead.len() - 5);
            break;
        }
    }
    let froms = memchr::memmem::find_iter(bytes, b"rom:")
        .filter_map(|i| i.checked_sub(1))
        .filter(|&at| matches!(bytes[at], b'f' | b'F'));
    for at in froms {
        if !opens_line(text, at) {
            continue;
        }
        // Lowercased only here: the few hundred bytes after a `From:`
        // that opens a line.
        let window = text[at..super::floor_boundary(text, at + 600)].to_ascii_lowercase();
        let field = |name: &str| {
            memchr::memmem::find_iter(window.as_bytes(), name).any(|i| opens_line(&window, i))
        };
        if field("sent:") && field("subject:") {
            earliest(at);
            break;
        }
    }
    found
}

/// Whether `text[at..]` opens a line, after white space, a rule of
/// underscores or the blanks of HTML markup (`<b>From:</b>`).
fn opens_line(text: &str, at: usize) -> bool {
    // Looked at no further back than this, so the check stays cheap.
    let from = super::floor_boundary(text, at.saturating_sub(256));
    let before = text[from..at].trim_end_matches([' ', '\t', '_', '*', '\r', super::html::PAD]);
    before.is_empty() || before.ends_with('\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(source: &str) -> Extracted {
        extract(source, &mut |_, _| None)
    }

    fn lines(text: &str) -> usize {
        text.matches('\n').count()
    }

    const PLAIN: &str = "Return-Path: <ines@example.org>\r\n\
Received: from mail.example.org by mx.example.net; Mon, 7 Dec 2026 09:00:00 +0000\r\n\
Message-ID: <1@example.org>\r\n\
From: Ines Ferreira <ines@example.org>\r\n\
To: comments@agency.example.gov\r\n\
Subject: Comment on the draft rule\r\n\
\x20for open models\r\n\
Date: Mon, 7 Dec 2026 09:00:00 +0000\r\n\
\r\n\
Open weights cannot be recalled.\r\n\
Please keep the research exemption.\r\n";

    #[test]
    fn recognises_messages_not_memos() {
        assert!(sniff(PLAIN.as_bytes()));
        assert!(sniff(
            format!("From ines@example.org Mon Dec  7 09:00:00 2026\n{PLAIN}").as_bytes()
        ));
        let memo = "To: All staff\nFrom: The director\nSubject: Open models\n\nText.\n";
        assert!(!sniff(memo.as_bytes()));
        assert!(!sniff(b"Message-ID: one field only\n\nText\n"));
        assert!(!sniff(b"Open weights: a primer\nMessage-ID: x\n\n"));
        assert!(!sniff(b"\n\nMessage-ID: <x>\nFrom: a\n\n"));
    }

    /// The body of a plain message is the file's text, in place; headers
    /// are blank lines, but the subject is read as the heading.
    #[test]
    fn a_plain_message_reads_in_place() {
        let ex = read(PLAIN);
        assert_eq!(lines(&ex.text), lines(PLAIN));
        let body_at = PLAIN.find("Open weights").unwrap();
        assert_eq!(
            &ex.text[ex.text.len() - (PLAIN.len() - body_at)..],
            &PLAIN[body_at..]
        );
        assert!(!ex.text.contains("ines@example.org"));
        assert!(!ex.text.contains("Received"));
        assert_eq!(ex.headings.len(), 1);
        assert_eq!(
            ex.headings[0].label,
            "Comment on the draft rule for open models"
        );
        let subject_line = ex.text.split('\n').nth(5).unwrap();
        // The subject keeps its column.
        assert_eq!(
            subject_line.find("Comment"),
            PLAIN.split('\n').nth(5).unwrap().find("Comment")
        );
        assert!(ex.quotes.is_empty());
    }

    #[test]
    fn encoded_words_decode() {
        let mut w = Vec::new();
        assert_eq!(
            decode_words("=?UTF-8?Q?Open_models_=E2=80=94_a_comment?=", &mut w),
            "Open models \u{2014} a comment"
        );
        assert_eq!(
            decode_words(
                "=?utf-8?B?T3BlbiB3ZWlnaHRz?= =?utf-8?Q?_matter?= today",
                &mut w
            ),
            "Open weights matter today"
        );
        assert_eq!(decode_words("=?iso-8859-1?Q?Caf=E9?=", &mut w), "Caf\u{e9}");
        assert_eq!(decode_words("a =? b ?= c", &mut w), "a =? b ?= c");
        assert_eq!(decode_words("=?x?Z?abc?= y", &mut w), "=?x?Z?abc?= y");
        assert!(w.is_empty());
    }

    /// Quoted-printable: escapes decode, soft breaks join words, and every
    /// line keeps its place.
    #[test]
    fn quoted_printable_keeps_lines_and_words() {
        let encoded = "The bill would regula=\ntion of open models =E2=80=94 it=\n would.\nA=\n=\n=\nB\nthe end=3D\n";
        let decoded = String::from_utf8(quoted_printable(encoded)).unwrap();
        assert_eq!(lines(&decoded), lines(encoded));
        // Three soft breaks with no space to take them: blank lines after.
        assert_eq!(
            decoded,
            "The bill would regulation\nof open models \u{2014} it\nwould.\nAB\n\n\n\nthe end=\n"
        );
    }

    #[test]
    fn base64_decodes_and_skips_noise() {
        assert_eq!(base64("T3Bl\r\nbiB3\nZWlnaHRz"), b"Open weights");
        assert_eq!(base64("T3A=T3A="), b"OpOp");
        assert_eq!(base64("!!"), b"");
    }

    fn multipart(plain: &str, html: &str) -> String {
        format!(
            "Message-ID: <2@example.org>\nSubject: =?utf-8?Q?Newsletter=3A_open_models?=\nMIME-Version: 1.0\n\
Content-Type: multipart/alternative; boundary=\"b1\"\n\nThis is a multi-part message.\n\
--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n{plain}\n\
--b1\nContent-Type: text/html; charset=utf-8\n\n{html}\n--b1--\nepilogue\n"
        )
    }

    /// Of alternative versions the plain text is read, unless it is a
    /// stub; the other is blank lines.
    #[test]
    fn alternatives_read_one_version() {
        let source = multipart(
            "Licensing would stifle small labs, and open=\n weights help research.",
            "<p>Licensing would <b>stifle</b> small labs, and open weights help research.</p>",
        );
        let ex = read(&source);
        assert_eq!(lines(&ex.text), lines(&source));
        assert_eq!(ex.text.matches("stifle").count(), 1);
        assert!(ex.text.contains("open\nweights help"));
        assert!(!ex.text.contains("multi-part") && !ex.text.contains("epilogue"));
        assert!(!ex.text.contains("<b>"));
        assert_eq!(ex.headings[0].label, "Newsletter: open models");

        let stub = multipart(
            "View this email in a browser.",
            "<p>Licensing would stifle small labs, and open weights help research.</p>\n<p>Write to your senator before the markup on Thursday.</p>",
        );
        let ex = read(&stub);
        assert!(!ex.text.contains("browser"));
        assert!(ex.text.contains("stifle"));
        // The HTML's paragraphs come through, moved to the whole text.
        let p = ex.text.find("Licensing").unwrap();
        assert!(ex.paragraphs.iter().any(|&b| b <= p && p - b <= 3));
    }

    /// A forwarded message is someone else's words: as an attached
    /// message, and after a forwarding line in the text.
    #[test]
    fn forwarded_messages_are_quotations() {
        let source = "Message-ID: <3@example.org>\nSubject: Fwd: open models\nContent-Type: multipart/mixed; boundary=xyz\n\n\
--xyz\nContent-Type: text/plain\n\nI disagree with this entirely.\n\n---------- Forwarded message ---------\nFrom: Lobby <l@example.com>\n\nOpen weights cannot be recalled.\n\
--xyz\nContent-Type: message/rfc822\n\nFrom: x@example.com\nSubject: earlier\n\nLicensing would stifle startups.\n--xyz--\n";
        let ex = read(source);
        assert_eq!(lines(&ex.text), lines(source));
        let quoted = |needle: &str| crate::testutil::quoted(&ex, needle);
        assert!(!quoted("I disagree"));
        assert!(quoted("Open weights cannot"));
        assert!(quoted("Licensing would"));
        // The attached message's headers are not read.
        assert!(!ex.text.contains("earlier"));
    }

    #[test]
    fn reply_headers_start_quotations() {
        assert_eq!(
            forwarded("Thanks.\n\n-----Original Message-----\nFrom: a"),
            Some(9)
        );
        assert_eq!(forwarded("ok\nBegin forwarded message:\n\nx"), Some(3));
        let outlook = "Agreed.\n________________________________\nFrom: Tom\nSent: Monday\nTo: Ines\nSubject: RE: x\n\ntext";
        assert_eq!(forwarded(outlook), outlook.find("From:"));
        assert_eq!(
            forwarded("The original message of the bill was clear."),
            None
        );
        assert_eq!(
            forwarded("From: the lab. Sent: to us. Subject: none."),
            None
        );
        let html = super::super::html::extract(
            "<p>Agreed.</p>\n<hr><div><b>From:</b> Tom \u{e9}<br>\n<b>Sent:</b> Monday<br>\n<b>Subject:</b> RE: x</div>",
        );
        assert_eq!(forwarded(&html.text), html.text.find("From:"));
    }

    /// Base64 text decodes in its character set and keeps the lines after it.
    #[test]
    fn base64_parts_decode_and_keep_later_lines() {
        let encoded = "T3BlbiB3ZWlnaHRzIGNhbm5vdCBiZSByZWNhbGxlZC4=\nCg==\nCg==\n";
        let source = format!(
            "Message-ID: <4@example.org>\nContent-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n{encoded}--q\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nCaf=E9 owners agree.\n--q--\n"
        );
        let ex = read(&source);
        assert_eq!(lines(&ex.text), lines(&source));
        assert!(ex.text.contains("Open weights cannot be recalled."));
        let line_of = |t: &str, n: &str| t[..t.find(n).unwrap()].matches('\n').count();
        assert_eq!(
            line_of(&ex.text, "owners agree"),
            line_of(&source, "owners agree")
        );
        assert!(ex.text.contains("Caf\u{e9} owners"));
    }

    /// Attachments go to the reader, as sections named by their file
    /// names; what it does not read is blank lines.
    #[test]
    fn attachments_are_read_by_the_caller() {
        let source = "Message-ID: <5@example.org>\nSubject: Our comment\nContent-Type: multipart/mixed; boundary=\"=_b\"\n\n\
--=_b\nContent-Type: text/plain\n\nPlease see the attached letter.\n\
--=_b\nContent-Type: application/pdf; name=\"letter.pdf\"\nContent-Disposition: attachment; filename*=utf-8''comment%20letter.pdf\nContent-Transfer-Encoding: base64\n\nT3BlbiB3ZWlnaHRz\nT3BlbiB3ZWlnaHRz\nT3BlbiB3ZWlnaHRz\n\
--=_b\nContent-Type: image/png; name=logo.png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--=_b--\n";
        let mut asked = Vec::new();
        let ex = extract(source, &mut |name, bytes| {
            asked.push((name.to_string(), bytes.clone()));
            name.ends_with(".pdf").then(|| {
                Ok(Extracted {
                    text: "Licensing would stifle startups.\n".into(),
                    headings: vec![Heading {
                        offset: 0,
                        level: 1,
                        label: "Summary".into(),
                    }],
                    ..Extracted::default()
                })
            })
        });
        assert_eq!(asked.len(), 2);
        assert_eq!(asked[0].0, "comment letter.pdf");
        assert_eq!(asked[0].1, b"Open weightsOpen weightsOpen weights");
        assert_eq!(asked[1].0, "logo.png");
        assert_eq!(lines(&ex.text), lines(source));
        assert!(ex.text.contains("\nLicensing would stifle startups.\n"));
        let labels: Vec<_> = ex
            .headings
            .iter()
            .map(|h| (h.label.as_str(), h.level))
            .collect();
        assert_eq!(
            labels,
            [
                ("Our comment", 1),
                ("comment letter.pdf", 1),
                ("Summary", 2)
            ]
        );
        let at = ex.text.find("Licensing").unwrap();
        assert!(ex.headings[1].offset <= at && ex.headings[2].offset == at);
    }

    #[test]
    fn attachment_errors_are_warnings() {
        let source = "Message-ID: <6@example.org>\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"../../x.pdf\"\n\nJUNK\n--b--\n";
        let ex = extract(source, &mut |_, _| Some(Err("not a PDF".into())));
        assert_eq!(ex.warnings, ["attachment x.pdf was not read: not a PDF"]);
        assert!(ex.text.trim().is_empty());
    }

    /// Malformed messages read without panicking, every line kept.
    #[test]
    fn malformed_messages_keep_their_lines() {
        for source in [
            "Message-ID: <x>\nContent-Type: multipart/mixed; boundary=zz\n\nno boundary line here\n",
            "Message-ID: <x>\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\n\ncut short",
            "Message-ID: <x>\nContent-Transfer-Encoding: quoted-printable\n\n=\n=E2=\n=ZZ and =",
            "Message-ID: <x>\nContent-Type: text/plain; charset=\"unclosed\n\nbody",
            "Message-ID: <x>\nSubject: =?utf-8?B?////?=\n\n",
            "Message-ID: <x>",
            "",
        ] {
            let ex = read(source);
            assert!(lines(&ex.text) <= lines(source) + 1, "{source:?}");
        }
        let mut deep = String::from("Message-ID: <x>\n");
        for i in 0..40 {
            deep.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n"
            ));
        }
        deep.push_str("\nOpen weights.\n");
        let ex = read(&deep);
        assert!(!ex.text.contains("Open weights"));
        assert_eq!(ex.warnings.len(), 1);
        assert_eq!(lines(&ex.text), lines(&deep));
    }

    #[test]
    fn parameters_unquote_and_join() {
        let (main, params) = parameters(
            "attachment; filename*0*=utf-8''r%C3%A9sum; filename*1=\"\u{e9}.pdf\"; Size=\"a;b\\\"c\"",
        );
        assert_eq!(main, "attachment");
        assert_eq!(
            params,
            [
                ("filename".to_string(), "r\u{e9}sum\u{e9}.pdf".to_string()),
                ("size".to_string(), "a;b\"c".to_string())
            ]
        );
    }
}
