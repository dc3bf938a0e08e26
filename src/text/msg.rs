//! Outlook messages (`.msg`): what Outlook saves when a message is dragged
//! out of it or "saved as", the form in which a legislative office, a
//! law firm or an agency often keeps correspondence.
//!
//! A `.msg` is an OLE compound file of MAPI properties, each a stream
//! named `__substg1.0_` and the property's tag and type. What is read:
//!
//! - the subject (`PR_SUBJECT`), as the message's heading, on its own
//!   line;
//! - the plain-text body (`PR_BODY`), or, when it has none, the HTML body
//!   (`PR_HTML`) read as a page is; quoted `> ` lines and what follows a
//!   forwarding or Outlook reply header are quotations, as in an `.eml`;
//! - attachments in a format policyscan reads, each a section named by its
//!   file name, through the `read` function the caller passes;
//! - a message attached to the message (Outlook's "attach as item"), as a
//!   quotation: someone else's words.
//!
//! A message whose text Outlook kept only as compressed RTF
//! (`PR_RTF_COMPRESSED`, MS-OXRTFCP's LZ77 variant) is decompressed and
//! read by the RTF reader. Sender, recipients, dates and the other
//! properties are not read.

use std::io::{Cursor, Read};

use super::Extracted;
use super::eml::{Piece, ReadAttachment, message_text, section};

/// How deep messages attached to messages are read.
const MAX_DEPTH: usize = 8;

/// Whether `bytes` are an Outlook message: an OLE compound file holding
/// MAPI property streams.
pub fn sniff(bytes: &[u8]) -> bool {
    super::doc::sniff(bytes)
        && cfb::CompoundFile::open(Cursor::new(bytes)).is_ok_and(|file| {
            file.exists("/__properties_version1.0")
                && file
                    .read_storage("/")
                    .is_ok_and(|mut e| e.any(|e| e.name().starts_with("__substg1.0_")))
        })
}

/// The text of an Outlook message (see the module's comment). `read` reads
/// an attachment's bytes, named by its file name.
pub fn extract(bytes: &[u8], read: &mut ReadAttachment<'_>) -> Result<Extracted, String> {
    let file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| {
        format!("could not read the Outlook message: it is not a valid OLE compound file ({e})")
    })?;
    let mut reader = Reader {
        file,
        limit: bytes.len() as u64,
        read,
        warnings: Vec::new(),
    };
    let piece = reader.message("", 0);
    Ok(piece.into_extracted(reader.warnings))
}

struct Reader<'r, 'a, 'b> {
    file: cfb::CompoundFile<Cursor<&'b [u8]>>,
    /// No stream is longer than the file holding it.
    limit: u64,
    read: &'r mut ReadAttachment<'a>,
    warnings: Vec<String>,
}

/// MAPI property tags read.
const SUBJECT: u16 = 0x0037;
const BODY: u16 = 0x1000;
const HTML: u16 = 0x1013;
const RTF_COMPRESSED: u16 = 0x1009;
const ATTACH_DATA: u16 = 0x3701;
const ATTACH_FILENAME: u16 = 0x3704;
const ATTACH_LONG_FILENAME: u16 = 0x3707;

impl Reader<'_, '_, '_> {
    /// The message stored under `storage` ("" for the file's own).
    fn message(&mut self, storage: &str, depth: usize) -> Piece {
        let mut piece = Piece::default();
        if let Some(subject) = self.string(storage, SUBJECT) {
            let subject = subject.trim();
            if !subject.is_empty() && depth == 0 {
                piece.headings.push(super::Heading {
                    offset: 0,
                    level: 1,
                    label: subject.to_string(),
                });
            }
            piece.text.push_str(&subject.replace(['\r', '\n'], " "));
            piece.text.push_str("\n\n");
        }
        let body = match self.string(storage, BODY).filter(|b| !b.trim().is_empty()) {
            Some(text) => Some(message_text(text, false, &mut self.warnings)),
            None => self.html(storage).or_else(|| self.rtf(storage)),
        };
        if let Some(body) = body {
            piece.append(body);
        }
        for attachment in self.attachments(storage) {
            piece.text.push('\n');
            let embedded = format!("{attachment}/__substg1.0_3701000D");
            if self.file.is_storage(&embedded) {
                if depth + 1 >= MAX_DEPTH {
                    self.warnings.push(format!(
                        "messages attached deeper than {MAX_DEPTH} levels were not read"
                    ));
                    continue;
                }
                let mut attached = self.message(&embedded, depth + 1);
                attached.quotes = std::iter::once(0..attached.text.len()).collect();
                piece.append(attached);
                continue;
            }
            let name = self
                .string(&attachment, ATTACH_LONG_FILENAME)
                .or_else(|| self.string(&attachment, ATTACH_FILENAME))
                .map(|n| {
                    n.rsplit(['/', '\\'])
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_string()
                })
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "attachment".to_string());
            let Some(data) = self.stream(&property(&attachment, ATTACH_DATA, "0102")) else {
                continue;
            };
            match (self.read)(&name, data) {
                None => {}
                Some(Err(message)) => self
                    .warnings
                    .push(format!("attachment {name} was not read: {message}")),
                Some(Ok(mut ex)) => {
                    for warning in ex.warnings.drain(..) {
                        self.warnings.push(format!("attachment {name}: {warning}"));
                    }
                    piece.append(section(name, Piece::from_extracted(ex)));
                }
            }
        }
        piece
    }

    /// The HTML body, read as a page.
    fn html(&mut self, storage: &str) -> Option<Piece> {
        let text = match self.stream(&property(storage, HTML, "0102")) {
            Some(bytes) => match super::decode::decode(&bytes) {
                super::decode::Decoded::Text { text, .. } => text.into_owned(),
                super::decode::Decoded::Binary => String::from_utf8_lossy(&bytes).into_owned(),
            },
            None => self.string(storage, HTML)?,
        };
        (!text.trim().is_empty()).then(|| message_text(text, true, &mut self.warnings))
    }

    /// The compressed RTF body, decompressed and read as RTF.
    fn rtf(&mut self, storage: &str) -> Option<Piece> {
        let compressed = self.stream(&property(storage, RTF_COMPRESSED, "0102"))?;
        let read = decompress_rtf(&compressed).and_then(|rtf| super::rtf::extract(&rtf));
        match read {
            Ok(mut ex) => {
                self.warnings.append(&mut ex.warnings);
                let text = std::mem::take(&mut ex.text);
                (!text.trim().is_empty()).then(|| message_text(text, false, &mut self.warnings))
            }
            Err(e) => {
                self.warnings
                    .push(format!("the message's RTF text could not be read: {e}"));
                None
            }
        }
    }

    /// The attachments' storages of the message under `storage`, in order.
    fn attachments(&self, storage: &str) -> Vec<String> {
        let root = if storage.is_empty() { "/" } else { storage };
        let mut names: Vec<String> = self
            .file
            .read_storage(root)
            .map(|entries| {
                entries
                    .filter(|e| e.is_storage() && e.name().starts_with("__attach_version1.0_#"))
                    .map(|e| format!("{storage}/{}", e.name()))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// A string property: Unicode (`001F`), else 8-bit (`001E`).
    fn string(&mut self, storage: &str, tag: u16) -> Option<String> {
        if let Some(bytes) = self.stream(&property(storage, tag, "001F")) {
            let units = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
            let text: String = char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            return Some(text.trim_end_matches('\0').to_string());
        }
        let bytes = self.stream(&property(storage, tag, "001E"))?;
        let text = match super::decode::decode(&bytes) {
            super::decode::Decoded::Text { text, .. } => text.into_owned(),
            super::decode::Decoded::Binary => String::from_utf8_lossy(&bytes).into_owned(),
        };
        Some(text.trim_end_matches('\0').to_string())
    }

    /// A stream's bytes, `None` when it is missing or cannot be read.
    fn stream(&mut self, path: &str) -> Option<Vec<u8>> {
        if !self.file.is_stream(path) {
            return None;
        }
        let mut data = Vec::new();
        let read = self
            .file
            .open_stream(path)
            .and_then(|s| s.take(self.limit).read_to_end(&mut data));
        match read {
            Ok(_) => Some(data),
            Err(e) => {
                self.warnings
                    .push(format!("a part of the message could not be read ({e})"));
                None
            }
        }
    }
}

/// What MS-OXRTFCP's dictionary starts with.
const RTF_PREBUF: &[u8] = b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";

/// Decompresses `PR_RTF_COMPRESSED` (MS-OXRTFCP): a 16-byte header, then
/// runs of eight items under a control byte, each a literal byte or a
/// reference (12-bit offset, 4-bit length) into a 4 KB dictionary that
/// starts with [`RTF_PREBUF`]. A reference to the write position ends
/// the stream. Stored ("MELA") RTF is returned as it is.
fn decompress_rtf(data: &[u8]) -> Result<Vec<u8>, String> {
    let word = |at: usize| {
        data.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (Some(size), Some(raw), Some(kind)) = (word(0), word(4), word(8)) else {
        return Err("its header is cut short".into());
    };
    // COMPSIZE counts the bytes after itself.
    let end = (size as usize).saturating_add(4).min(data.len());
    let body = data.get(16..end).unwrap_or_default();
    match kind {
        0x414C_454D => return Ok(body.to_vec()),
        0x7546_5A4C => {}
        _ => {
            return Err(format!(
                "its compression type {kind:#010x} is not one of RTF's"
            ));
        }
    }
    let mut dict = [0u8; 4096];
    dict[..RTF_PREBUF.len()].copy_from_slice(RTF_PREBUF);
    let mut write = RTF_PREBUF.len();
    // RAWSIZE is a claim; the output is bounded by what the input encodes.
    let mut out = Vec::with_capacity((raw as usize).min(body.len() * 8));
    let mut at = 0;
    while at < body.len() {
        let control = body[at];
        at += 1;
        for bit in 0..8 {
            if at >= body.len() {
                return Ok(out);
            }
            if control & (1 << bit) == 0 {
                let b = body[at];
                at += 1;
                out.push(b);
                dict[write] = b;
                write = (write + 1) % dict.len();
                continue;
            }
            let Some(pair) = body.get(at..at + 2) else {
                return Ok(out);
            };
            at += 2;
            let token = usize::from(u16::from_be_bytes([pair[0], pair[1]]));
            let (offset, len) = (token >> 4, (token & 0xF) + 2);
            if offset == write {
                return Ok(out);
            }
            for i in 0..len {
                let b = dict[(offset + i) % dict.len()];
                out.push(b);
                dict[write] = b;
                write = (write + 1) % dict.len();
            }
        }
    }
    Ok(out)
}

/// The path of property `tag` of type `kind` in `storage`.
fn property(storage: &str, tag: u16, kind: &str) -> String {
    format!("{storage}/__substg1.0_{tag:04X}{kind}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn utf16(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    /// A message as Outlook stores one: property streams, an attachment, a
    /// message attached as an item.
    fn message(body: Option<&str>, html: Option<&str>) -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        let put = |file: &mut cfb::CompoundFile<Cursor<Vec<u8>>>, path: &str, data: &[u8]| {
            file.create_stream(path).unwrap().write_all(data).unwrap();
        };
        put(&mut file, "/__properties_version1.0", &[0; 32]);
        put(
            &mut file,
            "/__substg1.0_0037001F",
            &utf16("RE: Open models bill"),
        );
        put(&mut file, "/__substg1.0_0C1A001F", &utf16("Ines Ferreira"));
        if let Some(body) = body {
            put(&mut file, "/__substg1.0_1000001F", &utf16(body));
        }
        if let Some(html) = html {
            put(&mut file, "/__substg1.0_10130102", html.as_bytes());
        }
        file.create_storage("/__attach_version1.0_#00000000")
            .unwrap();
        put(
            &mut file,
            "/__attach_version1.0_#00000000/__substg1.0_3707001F",
            &utf16("letter.txt"),
        );
        put(
            &mut file,
            "/__attach_version1.0_#00000000/__substg1.0_37010102",
            b"Licensing would stifle startups.",
        );
        file.create_storage("/__attach_version1.0_#00000001")
            .unwrap();
        file.create_storage("/__attach_version1.0_#00000001/__substg1.0_3701000D")
            .unwrap();
        put(
            &mut file,
            "/__attach_version1.0_#00000001/__substg1.0_3701000D/__substg1.0_0037001E",
            b"Earlier",
        );
        put(
            &mut file,
            "/__attach_version1.0_#00000001/__substg1.0_3701000D/__substg1.0_1000001E",
            b"Open weights cannot be recalled.",
        );
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    fn read(bytes: &[u8]) -> Extracted {
        extract(bytes, &mut |name, bytes| {
            name.ends_with(".txt").then(|| {
                Ok(Extracted {
                    text: String::from_utf8(bytes).unwrap(),
                    ..Extracted::default()
                })
            })
        })
        .unwrap()
    }

    #[test]
    fn recognises_messages_not_word_files() {
        assert!(sniff(&message(Some("x"), None)));
        let mut doc = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        doc.create_stream("/WordDocument").unwrap();
        doc.flush().unwrap();
        assert!(!sniff(&doc.into_inner().into_inner()));
        assert!(!sniff(b"plain text"));
    }

    /// The subject is the heading; the body, attachments and the attached
    /// message follow; the sender is not read; the attached message and
    /// the reply below Outlook's header are quotations.
    #[test]
    fn reads_subject_body_attachments_and_attached_messages() {
        let body = "We support the bill.\r\n\r\n________________________________\r\nFrom: Tom\r\nSent: Monday\r\nTo: Ines\r\nSubject: Open models bill\r\n\r\nShould we oppose it?\r\n";
        let ex = read(&message(Some(body), Some("<p>ignored</p>")));
        assert!(
            ex.text
                .starts_with("RE: Open models bill\n\nWe support the bill.")
        );
        assert_eq!(ex.headings[0].label, "RE: Open models bill");
        assert_eq!(ex.headings[1].label, "letter.txt");
        assert!(ex.text.contains("\nLicensing would stifle startups.\n"));
        assert!(!ex.text.contains("Ines Ferreira") && !ex.text.contains("ignored"));
        let quoted = |needle: &str| crate::testutil::quoted(&ex, needle);
        assert!(!quoted("We support"));
        assert!(quoted("Should we oppose"));
        assert!(quoted("Open weights cannot"));
        assert!(!quoted("Licensing would"));
        assert!(ex.warnings.is_empty(), "{:?}", ex.warnings);
    }

    #[test]
    fn an_html_body_is_read_when_there_is_no_plain_one() {
        let ex = read(&message(
            None,
            Some("<html><body><p>Open <b>weights</b> matter.</p><footer>x</footer></body></html>"),
        ));
        assert!(ex.text.contains("Open"));
        assert!(!ex.text.contains("<b>") && !ex.text.contains("footer"));
    }

    /// Messages attached as items inside each other are read 8 deep, then
    /// a warning.
    #[test]
    fn attached_messages_nest_to_a_bound() {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        file.create_stream("/__properties_version1.0").unwrap();
        let mut path = String::new();
        for level in 0..20 {
            file.create_stream(format!("{path}/__substg1.0_1000001E"))
                .unwrap()
                .write_all(format!("Level {level}.").as_bytes())
                .unwrap();
            path.push_str("/__attach_version1.0_#00000000");
            file.create_storage(&path).unwrap();
            path.push_str("/__substg1.0_3701000D");
            file.create_storage(&path).unwrap();
        }
        file.flush().unwrap();
        let ex = read(&file.into_inner().into_inner());
        assert!(ex.text.contains("Level 7.") && !ex.text.contains("Level 8."));
        assert_eq!(
            ex.warnings,
            ["messages attached deeper than 8 levels were not read"]
        );
        assert!(!crate::testutil::quoted(&ex, "Level 0."));
        assert!(crate::testutil::quoted(&ex, "Level 1."));
    }

    /// The compressed example of MS-OXRTFCP section 3.1.1, and a message
    /// whose only text is compressed RTF.
    #[test]
    fn compressed_rtf_decompresses_and_is_read() {
        let example: [u8; 45] = [
            0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5,
            0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42,
            0x32, 0x0a, 0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0,
            0x6c, 0x64, 0x7d,
        ];
        let tail: [u8; 4] = [0x0a, 0x80, 0x0f, 0xa0];
        let data = [&example[..], &tail[..]].concat();
        assert_eq!(
            String::from_utf8(decompress_rtf(&data).unwrap()).unwrap(),
            "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"
        );
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        file.create_stream("/__properties_version1.0").unwrap();
        file.create_stream("/__substg1.0_10090102")
            .unwrap()
            .write_all(&data)
            .unwrap();
        file.flush().unwrap();
        let ex = read(&file.into_inner().into_inner());
        assert_eq!(ex.text.trim(), "hello world");
        assert!(decompress_rtf(b"short").is_err());
        assert!(decompress_rtf(&[0; 16]).is_err());
    }

    #[test]
    fn broken_messages_are_errors_not_panics() {
        let mut bytes = message(Some("x"), None);
        bytes.truncate(bytes.len() / 3);
        let _ = extract(&bytes, &mut |_, _| None);
        assert!(extract(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1junk", &mut |_, _| None).is_err());
    }
}
