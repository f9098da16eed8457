//! `OutputFile`: one file of a built site, its path and its bytes, as the
//! renderer and the search index make them and the writer puts them in place.

/// A file of the output, with its path relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path with `/` separators (`cases/x/index.html`).
    pub path: String,
    /// The bytes to write.
    pub bytes: Vec<u8>,
}
