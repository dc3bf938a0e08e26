//! The fuzz input read a byte at a time, shared by the targets that build
//! structured files (PDF, DOCX) from it.

/// The fuzz input, read a byte at a time (zeros once it runs out).
pub struct Bytes<'a>(pub std::slice::Iter<'a, u8>);

impl Bytes<'_> {
    pub fn next(&mut self) -> usize {
        self.0.next().copied().map_or(0, usize::from)
    }

    /// Bytes not yet read.
    #[allow(dead_code)] // Not every target asks.
    pub fn left(&self) -> usize {
        self.0.len()
    }
}
