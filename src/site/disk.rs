//! The site's folder as a load reads it: the inventory says which files
//! there are, and these helpers read them, turning what goes wrong (a file
//! missing, unreadable, not UTF-8, or a link out of the site) into diagnostics.

use std::fs;
use std::path::Path;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::inventory::{Inventory, Kind, Link};

use super::Source;

/// The site's root and the inventory taken of it just before the load.
#[derive(Clone, Copy)]
pub(super) struct Disk<'a> {
    pub(super) root: &'a Path,
    pub(super) inv: &'a Inventory,
}

impl Disk<'_> {
    /// Reads a text file of the site (see `read_text`).
    pub(super) fn read_text(&self, rel: &str) -> Result<String, Diagnostic> {
        read_text(self.root, rel)
    }

    /// Files under `dir`, as sorted paths relative to the root with `/`.
    /// Symlinks count only when they stay inside the site.
    pub(super) fn list_files(&self, dir: &str, diags: &mut Diagnostics) -> Vec<String> {
        let Some(base) = self.inv.get(dir).filter(|e| e.kind == Kind::Dir) else {
            return Vec::new();
        };
        let out_of_site = |path: &str, what: &str| {
            Diagnostic::warning(
                Code::LinkOutside,
                path,
                "",
                0..0,
                "this symbolic link leads out of the site and is ignored",
            )
            .with_help(format!("copy the {what} into the site instead"))
        };
        // The walk follows its starting folder even when it is a link: check it here.
        if base.link == Link::Outside {
            diags.push(out_of_site(dir, "folder"));
            return Vec::new();
        }
        for (path, e) in self.inv.errors_in(dir) {
            diags.push(Diagnostic::file_error(
                Code::Unreadable,
                path,
                format!("cannot be read: {e}"),
            ));
        }
        let mut out = Vec::new();
        for entry in self.inv.under(dir) {
            let name = entry.path.rsplit('/').next().unwrap_or(&entry.path);
            if name.starts_with('.')
                || name.ends_with('~')
                || name.ends_with(".swp")
                || name.ends_with(".tmp")
            {
                // Hidden files and editors' temporary files are not part of the site.
                continue;
            }
            match (entry.link, entry.kind) {
                (Link::Outside, _) => diags.push(out_of_site(&entry.path, "file")),
                (_, Kind::File) => out.push(entry.path.clone()),
                _ => {}
            }
        }
        out
    }

    /// Reads the text files `rels`, without a leading byte-order mark; a
    /// file that cannot be read is a diagnostic and left out.
    pub(super) fn read_all(&self, rels: &[String], diags: &mut Diagnostics) -> Vec<Source> {
        rels.iter()
            .filter_map(|rel| match self.read_text(rel) {
                // Editors may save templates with a byte-order mark; Tera must not see it.
                Ok(text) => Some(Source {
                    path: rel.clone(),
                    text: text.strip_prefix('\u{feff}').map_or(text.clone(), str::to_string),
                }),
                Err(d) => {
                    diags.push(d);
                    None
                }
            })
            .collect()
    }
}

/// An error when `rel` is a symbolic link whose target lies outside the site:
/// the build never reads beyond its root.
pub(super) fn link_out_of_site(root: &Path, rel: &str) -> Option<Diagnostic> {
    let path = root.join(rel);
    let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let inside = path.canonicalize().is_ok_and(|t| t.starts_with(&canonical_root));
    (is_link && !inside).then(|| {
        Diagnostic::file_error(
            Code::LinkOutside,
            rel,
            "is a symbolic link that leads out of the site; it is not read",
        )
    })
}

/// Reads a text file of the site; a missing, unreadable or non-UTF-8 file is a diagnostic.
pub(super) fn read_text(root: &Path, rel: &str) -> Result<String, Diagnostic> {
    let bytes = fs::read(root.join(rel)).map_err(|e| {
        let what = if e.kind() == std::io::ErrorKind::NotFound {
            "not found".to_string()
        } else {
            format!("cannot be read: {e}")
        };
        Diagnostic::file_error(Code::Unreadable, rel, what)
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        Diagnostic::error(
            Code::NotUtf8,
            rel,
            &text,
            text.len()..text.len(),
            "the file is not valid UTF-8",
        )
        .with_help("save the file as UTF-8 in your editor")
    })
}
