//! A stage of `data::parse`: the dataset's header, its id checked and its
//! title, source, note and unit taken from the file.

use super::DataFile;
use super::raw::RawDataset;
use crate::diag::{Code, Diagnostic};
use crate::slug::is_slug;

/// What the numbers are, where they come from, and what they count.
pub(super) struct Header {
    pub(super) title: String,
    pub(super) source: String,
    pub(super) note: Option<String>,
    pub(super) unit: Option<String>,
}

/// The header of the dataset `id`; a missing title or source is reported
/// (at the top of the file) and left empty.
pub(super) fn header(id: &str, raw: &RawDataset, file: &mut DataFile) -> Header {
    if !is_slug(id) {
        file.diags.push(
            Diagnostic::file_error(Code::DatasetId, file.path, format!("dataset id {id:?} is not a valid id"))
                .with_help("rename the file with lowercase letters, digits and hyphens, such as data/issues-raised.toml"),
        );
    }
    let title = raw.title.clone().unwrap_or_else(|| {
        file.error(
            Code::DatasetKey,
            0..0,
            "missing key `title`",
            "add `title = \"...\"`: what the numbers are",
        );
        String::new()
    });
    let source = raw.source.clone().unwrap_or_else(|| {
        file.error(
            Code::DatasetKey,
            0..0,
            "missing key `source`",
            "add `source = \"...\"`: where the numbers come from",
        );
        String::new()
    });
    Header { title, source, note: raw.note.clone(), unit: raw.unit.clone() }
}
