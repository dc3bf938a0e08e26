//! Parts of a report written before the part that comes first.
//!
//! SARIF, Markdown and HTML put run totals or errors ahead of the
//! documents, so a printer fed one document at a time cannot write each
//! document's part where it belongs as it arrives. It writes it into a
//! [`Spill`] instead: memory up to [`LIMIT`] bytes, then an unnamed
//! temporary file, which the operating system removes when it is closed,
//! even if the process is killed. At the end the spill is copied into
//! place. Memory then stays flat however many documents a run has.
//!
//! The temporary file is a way to save memory, not a place the report
//! depends on: if none can be created, or the disk fills up while it is
//! written, the spill takes back what the file held and goes on in
//! memory, and the report is the same.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, Write};

/// Bytes kept in memory until a temporary file is opened.
const LIMIT: usize = 8 << 20;

/// Bytes gathered before each write to the temporary file.
const CHUNK: usize = 64 << 10;

/// A buffer that moves to an unnamed temporary file once it holds
/// [`LIMIT`] bytes, and back to memory if the file fails.
pub(super) struct Spill {
    /// The bytes not in the file: all of them while there is none.
    memory: Vec<u8>,
    file: Option<File>,
    /// How many bytes the file holds: the first bytes of the spill.
    in_file: u64,
    /// Where to move (the limit, or `usize::MAX` once a file has failed).
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
            in_file: 0,
            limit,
            open: tempfile::tempfile,
        }
    }

    /// Whether nothing has been written.
    pub(super) fn is_empty(&self) -> bool {
        self.memory.is_empty() && self.in_file == 0
    }

    /// Moves the bytes in memory to the file; if the file fails, takes its
    /// bytes back and stays in memory from then on.
    fn drain(&mut self) -> io::Result<()> {
        let Some(file) = &mut self.file else {
            return Ok(());
        };
        if file.write_all(&self.memory).is_ok() {
            self.in_file += self.memory.len() as u64;
            self.memory.clear();
            return Ok(());
        }
        // Part of the failed write may have reached the file: only the
        // first `in_file` bytes are the spill's.
        let mut file = self.file.take().expect("checked above");
        self.limit = usize::MAX;
        let mut bytes = Vec::new();
        file.rewind()?;
        file.take(self.in_file).read_to_end(&mut bytes)?;
        if bytes.len() as u64 != self.in_file {
            return Err(io::Error::other(
                "the temporary file lost part of the report",
            ));
        }
        bytes.append(&mut self.memory);
        self.memory = bytes;
        self.in_file = 0;
        Ok(())
    }

    /// The bytes written, from the start, for reading back.
    pub(super) fn into_reader(mut self) -> io::Result<Box<dyn BufRead>> {
        self.drain()?;
        match self.file {
            None => Ok(Box::new(io::Cursor::new(self.memory))),
            Some(mut file) => {
                file.rewind()?;
                let file = file.take(self.in_file);
                Ok(Box::new(BufReader::with_capacity(CHUNK, file)))
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
        self.memory.extend_from_slice(buf);
        if self.file.is_none() && self.memory.len() > self.limit {
            match (self.open)() {
                Ok(file) => self.file = Some(file),
                Err(_) => self.limit = usize::MAX,
            }
        }
        if self.file.is_some() && self.memory.len() >= CHUNK.min(self.limit) {
            self.drain()?;
        }
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

    /// A temporary file that stops taking writes (a full disk) gives its
    /// bytes back, and the spill goes on in memory.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_failing_file_hands_its_bytes_back() {
        use std::os::fd::AsRawFd;
        let piece = |i: usize| format!("piece {i:06} {}\n", "y".repeat(i % 300)).into_bytes();
        let want: Vec<u8> = (0..2_000).flat_map(piece).collect();
        // One that refuses every write.
        let mut spill = Spill::with_limit(0);
        spill.open = || File::open("/dev/null");
        for i in 0..2_000 {
            spill.write_all(&piece(i)).unwrap();
        }
        assert!(spill.file.is_none());
        let mut out = Vec::new();
        spill.copy_to(&mut out).unwrap();
        assert!(out == want, "refused from the start");
        // One that fails part way: after 1,000 pieces (several chunks in
        // the file), the same file opened read-only replaces it.
        let mut spill = Spill::with_limit(100);
        for i in 0..1_000 {
            spill.write_all(&piece(i)).unwrap();
        }
        let fd = spill.file.as_ref().expect("moved to a file").as_raw_fd();
        assert!(spill.in_file > CHUNK as u64);
        spill.file = Some(File::open(format!("/proc/self/fd/{fd}")).unwrap());
        for i in 1_000..2_000 {
            spill.write_all(&piece(i)).unwrap();
        }
        assert!(spill.file.is_none(), "back in memory");
        let mut out = Vec::new();
        spill.copy_to(&mut out).unwrap();
        assert!(out == want, "failed part way");
    }
}
