//! Mailboxes as records (`scan --input mbox`): each message of an mbox
//! file (what Thunderbird, Apple Mail, mutt and Google Takeout export,
//! and how released email often arrives) is a record, read as an `.eml`
//! file is.
//!
//! - A message starts at a line beginning `From ` at the start of the
//!   file or after a blank line (the mbox separator); whatever comes
//!   before the first separator is a message too, if it is not blank.
//! - `>From ` lines (and `>>From `, as mboxrd escapes) lose one `>`.
//! - The record's id is `PATH#N`, N counting messages from 1; its fields
//!   are the message's `message_id`, `from`, `to`, `date` and `subject`
//!   (RFC 2047 words decoded, "" when missing); `line` is the line of the
//!   mbox its separator is on, and the report's lines are the message's,
//!   its separator line 1.

use std::io::{self, BufRead};

use serde_json::{Map, Value};

use super::{Raw, Record, Source};
use crate::text::Format;

/// The header fields a message's record carries, and their names in it.
pub(super) const FIELDS: [(&str, &str); 5] = [
    ("message-id", "message_id"),
    ("from", "from"),
    ("to", "to"),
    ("date", "date"),
    ("subject", "subject"),
];

/// The messages of an mbox stream.
pub(super) struct Mbox<R> {
    input: R,
    /// The mailbox's name, for ids.
    name: String,
    /// Lines read.
    line: usize,
    /// Messages read.
    count: usize,
    /// The separator line of the next message, read ahead, and its
    /// line number.
    next: Option<(usize, Vec<u8>)>,
    /// Whether the last line read was blank (or none was read).
    after_blank: bool,
}

impl<R: BufRead> Mbox<R> {
    pub(super) fn new(input: R, name: String) -> Mbox<R> {
        Mbox {
            input,
            name,
            line: 0,
            count: 0,
            next: None,
            after_blank: true,
        }
    }

    /// Reads one line, with its end; `None` at the end of the stream.
    fn read_line(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        if self.input.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        self.line += 1;
        Ok(Some(line))
    }

    /// The next message's bytes and the line it starts on.
    fn next_message(&mut self) -> io::Result<Option<(usize, Vec<u8>)>> {
        let (mut start, mut message) = match self.next.take() {
            Some(next) => next,
            None => (self.line + 1, Vec::new()),
        };
        while let Some(line) = self.read_line()? {
            let blank = line.iter().all(|b| b.is_ascii_whitespace());
            if line.starts_with(b"From ") && self.after_blank && !message.is_empty() {
                self.after_blank = false;
                if message.iter().any(|b| !b.is_ascii_whitespace()) {
                    self.next = Some((self.line, line));
                    return Ok(Some((start, message)));
                }
                // Only blank lines came before the first separator.
                start = self.line;
                message = line;
                continue;
            }
            self.after_blank = blank;
            push_unescaped(&mut message, &line);
        }
        let kept = message.iter().any(|b| !b.is_ascii_whitespace());
        Ok(kept.then_some((start, message)))
    }
}

/// Appends `line` to `message`, one `>` taken off a quoted `From ` line.
fn push_unescaped(message: &mut Vec<u8>, line: &[u8]) {
    let quotes = line.iter().take_while(|&&b| b == b'>').count();
    if quotes > 0 && line[quotes..].starts_with(b"From ") {
        message.extend_from_slice(&line[1..]);
    } else {
        message.extend_from_slice(line);
    }
}

impl<R: BufRead> Source for Mbox<R> {
    fn next_raw(&mut self) -> io::Result<Option<(usize, Raw)>> {
        let Some((start, message)) = self.next_message()? else {
            return Ok(None);
        };
        self.count += 1;
        let id = format!("{}#{}", self.name, self.count);
        let head_end = memchr::memmem::find(&message, b"\n\n")
            .or_else(|| memchr::memmem::find(&message, b"\r\n\r\n"))
            .unwrap_or(message.len());
        let head = String::from_utf8_lossy(&message[..head_end]);
        let names: Vec<&str> = FIELDS.iter().map(|(header, _)| *header).collect();
        let values = crate::text::eml::header_values(&head, &names);
        let rest: Map<String, Value> = FIELDS
            .iter()
            .zip(values)
            .map(|((_, name), value)| (name.to_string(), Value::String(value)))
            .collect();
        let record = Record {
            id: ("id".into(), Value::String(id)),
            text: message,
            format: Format::Eml,
            rest,
        };
        Ok(Some((start, Raw::Row(Ok(record)))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(mbox: &[u8]) -> Vec<(usize, String, Vec<String>)> {
        let mut source = Mbox::new(mbox, "box".into());
        let mut out = Vec::new();
        while let Some((line, raw)) = source.next_raw().unwrap() {
            let Raw::Row(Ok(record)) = raw else {
                unreachable!()
            };
            let fields = FIELDS
                .iter()
                .map(|(_, name)| record.rest[*name].as_str().unwrap().to_string())
                .collect();
            assert_eq!(record.id.1, format!("box#{}", out.len() + 1));
            out.push((line, String::from_utf8(record.text).unwrap(), fields));
        }
        out
    }

    #[test]
    fn messages_split_at_separators_after_blank_lines() {
        let mbox = b"From alice@example.org Mon Mar  2 09:00:00 2026\n\
            Message-ID: <1@example.org>\n\
            From: Alice <alice@example.org>\n\
            Subject: =?utf-8?Q?Open_weights?=\n\
            \n\
            First body.\n\
            From the start, a line that opens with From is not a separator.\n\
            >From here on, an escaped one.\n\
            \n\
            From bob@example.org Mon Mar  2 10:00:00 2026\n\
            From: Bob <bob@example.org>\n\
            To: list@example.org\n\
            \n\
            >>From twice.\n";
        let got = messages(mbox);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, 1);
        assert!(got[0].1.contains("From the start, a line"));
        assert!(got[0].1.contains("\nFrom here on, an escaped one.\n"));
        assert_eq!(
            got[0].2,
            [
                "<1@example.org>",
                "Alice <alice@example.org>",
                "",
                "",
                "Open weights"
            ]
        );
        assert_eq!(got[1].0, 10);
        assert!(got[1].1.starts_with("From bob@example.org"));
        assert!(got[1].1.ends_with("\n>From twice.\n"));
        assert_eq!(
            got[1].2[1..3],
            ["Bob <bob@example.org>", "list@example.org"]
        );
    }

    #[test]
    fn text_before_the_first_separator_is_a_message_unless_blank() {
        assert_eq!(messages(b"").len(), 0);
        assert_eq!(messages(b"\n\n").len(), 0);
        let blank_first = messages(b"\n\nFrom a Mon\nSubject: x\n\nbody\n");
        assert_eq!(blank_first.len(), 1);
        assert_eq!(blank_first[0].0, 3);
        assert_eq!(blank_first[0].2[4], "x");
        let no_separator = messages(b"Subject: loose\n\nA message without one.\n");
        assert_eq!(no_separator.len(), 1);
        assert_eq!(no_separator[0].0, 1);
    }
}
