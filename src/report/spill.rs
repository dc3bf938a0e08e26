//! Parts of a report written before the part that comes first.
//!
//! SARIF, Markdown and HTML put run totals or errors ahead of the
//! documents, so a printer fed one document at a time cannot write each
//! document's part where it belongs as it arrives. It writes it into a
//! [`Spill`] instead: memory up to [`LIMIT`] bytes, then an unnamed
//! temporary file, which the operating system removes when it is closed,
//! even if the process is killed. At the end the spill is copied into
//! place. Memory then stays flat however many documents a run has.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, Write};

/// Bytes kept in memory until a temporary file is opened.
const LIMIT: usize = 8 << 20;

/// A buffer that moves to an unnamed temporary file once it holds
/// [`LIMIT`] bytes. If no temporary file can be created it stays in
/// memory: the report is still written, with more memory.
pub(super) struct Spill {
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
    /// Where to move (the limit, or `usize::MAX` after a failed attempt).
    limit: usize,
    /// Opens the temporary file ([`tempfile::tempfile`]; tests make it fail).
    open: fn() -> io::Result<File>,
}

impl Spill {
    pub(super) fn new() -> Spill {
        #[cfg(test)]
        if let Some(limit) = tests::LIMIT.get() {
            return Spill::with_limit(limit);
        }
        Spill::with_limit(LIMIT)
    }

    /// A spill that moves to a file past `limit` bytes (tests use small
    /// limits to cover both kinds).
    pub(super) fn with_limit(limit: usize) -> Spill {
        Spill {
            memory: Vec::new(),
            file: None,
            limit,
            open: tempfile::tempfile,
        }
    }

    /// Whether nothing has been written.
    pub(super) fn is_empty(&self) -> bool {
        self.memory.is_empty() && self.file.is_none()
    }

    /// The bytes written, from the start, for reading back.
    pub(super) fn into_reader(self) -> io::Result<Box<dyn BufRead>> {
        match self.file {
            None => Ok(Box::new(io::Cursor::new(self.memory))),
            Some(file) => {
                let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.rewind()?;
                Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
            }
        }
    }

    /// Copies the bytes written into `w`.
    pub(super) fn copy_to<W: Write + ?Sized>(self, w: &mut W) -> io::Result<()> {
        if self.file.is_none() {
            return w.write_all(&self.memory);
        }
        io::copy(&mut self.into_reader()?, w).map(|_| ())
    }
}

impl Write for Spill {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(file) = &mut self.file {
            return file.write(buf);
        }
        if self.memory.len() + buf.len() > self.limit {
            match (self.open)() {
                Ok(file) => {
                    let mut file = BufWriter::with_capacity(1 << 16, file);
                    file.write_all(&self.memory)?;
                    self.memory = Vec::new();
                    let n = file.write(buf)?;
                    self.file = Some(file);
                    return Ok(n);
                }
                Err(_) => self.limit = usize::MAX,
            }
        }
        self.memory.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        /// A limit for [`Spill::new`] in this thread's tests, so the
        /// printers can be run with their spills in temporary files.
        pub(in crate::report) static LIMIT: Cell<Option<usize>> = const { Cell::new(None) };
    }

    #[test]
    fn bytes_come_back_in_order_from_memory_and_from_a_file() {
        let pieces: Vec<Vec<u8>> = (0..200u32)
            .map(|i| format!("piece {i} {}\n", "x".repeat(i as usize)).into_bytes())
            .collect();
        let want: Vec<u8> = pieces.concat();
        for limit in [0, 1, 100, 5_000, usize::MAX] {
            let mut spill = Spill::with_limit(limit);
            assert!(spill.is_empty());
            for piece in &pieces {
                spill.write_all(piece).unwrap();
            }
            assert!(!spill.is_empty());
            assert_eq!(spill.file.is_some(), limit < want.len(), "limit {limit}");
            let mut out = Vec::new();
            spill.copy_to(&mut out).unwrap();
            assert_eq!(out, want, "limit {limit}");
        }
        // No temporary file to be had: the bytes stay in memory.
        let mut spill = Spill::with_limit(10);
        spill.open = || Err(io::Error::other("no temporary directory"));
        spill.write_all(b"first line\nsecond line\n").unwrap();
        spill.write_all(b"third line\n").unwrap();
        assert!(spill.file.is_none());
        let lines: Vec<String> = spill
            .into_reader()
            .unwrap()
            .lines()
            .map(Result::unwrap)
            .collect();
        assert_eq!(lines, ["first line", "second line", "third line"]);
    }
}
