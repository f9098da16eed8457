//! The site's input files as one walk saw them: every file and folder under
//! book.toml and the input folders, with its size and modification time.
//! A build takes one inventory and uses it twice: for the fingerprint of its
//! inputs and for the list of files to read. `serve` takes one every time it
//! polls, compares it with the last, and hands the new one to the rebuild,
//! which then neither lists the folders nor examines each file again.

use std::path::Path;
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

/// What a site may read: book.toml and these folders.
pub(crate) const INPUTS: [&str; 7] =
    ["book.toml", "content", "data", "templates", "static", "i18n", "themes"];

/// The inputs of a site at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Inventory {
    /// Every file and folder, sorted by path.
    entries: Vec<Entry>,
    /// What the walk could not read: the path and why.
    errors: Vec<(String, String)>,
}

/// One file or folder of an `Inventory`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative to the site's root, with `/`.
    pub path: String,
    /// In bytes (0 for what is not a file).
    pub len: u64,
    /// When it was last modified, if the system says.
    pub modified: Option<SystemTime>,
    /// What it is; for a symbolic link, what it leads to.
    pub kind: Kind,
    /// Is it a symbolic link, and where does it lead?
    pub link: Link,
}

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A file.
    File,
    /// A folder.
    Dir,
    /// Anything else, or a link that leads nowhere.
    Other,
}

/// Whether an entry is a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// It is not a link.
    No,
    /// A link to something inside the site.
    Inside,
    /// A link that leads out of the site (or nowhere).
    Outside,
}

impl Inventory {
    /// Walks the inputs of the site at `root`. Symbolic links are examined
    /// by what they lead to and not followed into.
    pub(crate) fn take(root: &Path) -> Inventory {
        let mut inv = Inventory::default();
        let canonical_root = std::sync::OnceLock::new();
        let inside = |p: &Path| {
            let root = canonical_root
                .get_or_init(|| root.canonicalize().unwrap_or_else(|_| root.to_path_buf()));
            p.canonicalize().is_ok_and(|t| t.starts_with(root))
        };
        for input in INPUTS {
            let start = root.join(input);
            if std::fs::symlink_metadata(&start).is_err() {
                continue;
            }
            // The walk reads folders one by one; the files' metadata (a
            // system call each) is read on every core.
            let walked: Vec<_> = WalkDir::new(&start).into_iter().collect();
            let looked: Vec<Result<Entry, (String, String)>> = walked
                .into_par_iter()
                .map(|entry| {
                    let entry = entry.map_err(|e| {
                        let path =
                            e.path().map_or_else(|| input.to_string(), |p| rel_path(root, p));
                        (path, e.to_string())
                    })?;
                    let is_link = entry.path_is_symlink();
                    let meta = if is_link {
                        std::fs::metadata(entry.path())
                    } else {
                        entry.metadata().map_err(Into::into)
                    };
                    let (len, modified, kind) = match meta {
                        Ok(m) if m.is_file() => (m.len(), m.modified().ok(), Kind::File),
                        Ok(m) if m.is_dir() => (0, m.modified().ok(), Kind::Dir),
                        Ok(m) => (0, m.modified().ok(), Kind::Other),
                        Err(_) => (0, None, Kind::Other),
                    };
                    let link = match is_link {
                        false => Link::No,
                        true if inside(entry.path()) => Link::Inside,
                        true => Link::Outside,
                    };
                    Ok(Entry { path: rel_path(root, entry.path()), len, modified, kind, link })
                })
                .collect();
            for found in looked {
                match found {
                    Ok(entry) => inv.entries.push(entry),
                    Err(error) => inv.errors.push(error),
                }
            }
        }
        inv.entries.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        inv
    }

    /// This inventory with the files at `paths` (relative to `root`) looked
    /// at again: each one changed, came or went. `None` when that is not
    /// enough to know the new inventory (a folder came, a link, something
    /// unreadable, or this inventory is incomplete): then take a new one.
    pub(crate) fn refresh<'a>(
        &self,
        root: &Path,
        paths: impl IntoIterator<Item = &'a str>,
    ) -> Option<Inventory> {
        if !self.errors.is_empty() {
            return None;
        }
        let mut inv = self.clone();
        for rel in paths {
            let is_input = INPUTS.contains(&rel.split('/').next().unwrap_or(""));
            if !is_input {
                continue;
            }
            let found = inv.entries.binary_search_by(|e| e.path.as_str().cmp(rel));
            match std::fs::symlink_metadata(root.join(rel)) {
                Ok(m) if m.is_file() => {
                    // A new file must be in a folder the inventory knows.
                    let parent = rel.rsplit_once('/').map(|(dir, _)| dir);
                    if parent.is_some_and(|dir| inv.get(dir).is_none_or(|e| e.kind != Kind::Dir)) {
                        return None;
                    }
                    let entry = Entry {
                        path: rel.to_string(),
                        len: m.len(),
                        modified: Some(m.modified().ok()?),
                        kind: Kind::File,
                        link: Link::No,
                    };
                    match found {
                        Ok(i) if inv.entries[i].kind == Kind::File => inv.entries[i] = entry,
                        Ok(_) => return None,
                        Err(i) => inv.entries.insert(i, entry),
                    }
                }
                // A folder's own time: what is in it has events of its own.
                Ok(m) if m.is_dir() && found.is_ok_and(|i| inv.entries[i].kind == Kind::Dir) => {}
                Ok(_) => return None,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => match found {
                    Ok(i) if inv.entries[i].kind == Kind::File => {
                        inv.entries.remove(i);
                    }
                    Ok(_) => return None,
                    // Written and removed before we looked (an editor's temporary file).
                    Err(_) => {}
                },
                Err(_) => return None,
            }
        }
        Some(inv)
    }

    /// Every entry, sorted by path.
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry at `path`, if the walk saw one.
    pub(crate) fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.binary_search_by(|e| e.path.as_str().cmp(path)).ok().map(|i| &self.entries[i])
    }

    /// The entries inside the folder `dir` (not the folder itself), sorted.
    pub(crate) fn under(&self, dir: &str) -> &[Entry] {
        let prefix = format!("{dir}/");
        let start = self.entries.partition_point(|e| e.path.as_str() < prefix.as_str());
        let len = self.entries[start..].partition_point(|e| e.path.starts_with(&prefix));
        &self.entries[start..start + len]
    }

    /// What could not be read inside the folder `dir` (or the folder itself).
    pub(crate) fn errors_in<'a>(
        &'a self,
        dir: &'a str,
    ) -> impl Iterator<Item = &'a (String, String)> + 'a {
        self.errors.iter().filter(move |(p, _)| {
            p == dir || p.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
        })
    }

    /// The files that changed since `older` was taken, when nothing else
    /// did: the same paths, the same errors, and folders that differ only
    /// in their own time (a save through a rename touches its folder).
    /// `None` when a file or folder came or went, something not a plain
    /// file changed, or a file has no time to tell a change by.
    pub(crate) fn changed_since(&self, older: &Inventory) -> Option<Vec<&Entry>> {
        if self.entries.len() != older.entries.len()
            || self.errors != older.errors
            || !self.complete()
        {
            return None;
        }
        let mut changed = Vec::new();
        for (new, old) in self.entries.iter().zip(&older.entries) {
            if new == old {
                continue;
            }
            if new.path != old.path || new.kind != old.kind || new.link != old.link {
                return None;
            }
            match new.kind {
                Kind::Dir => {}
                Kind::File if new.link == Link::No => changed.push(new),
                _ => return None,
            }
        }
        Some(changed)
    }

    /// Did every file examine cleanly (no unreadable folder, no broken link)?
    pub(crate) fn complete(&self) -> bool {
        self.errors.is_empty() && self.entries.iter().all(|e| e.modified.is_some())
    }
}

/// `p` relative to `root`, with `/`.
pub(crate) fn rel_path(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    if std::path::MAIN_SEPARATOR == '/' {
        return rel.to_string_lossy().into_owned();
    }
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inventory_lists_inputs_sorted_and_finds_folders() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path();
        std::fs::write(root.join("book.toml"), "a").expect("write");
        std::fs::create_dir_all(root.join("content/cases")).expect("dirs");
        std::fs::write(root.join("content/index.md"), "xy").expect("write");
        std::fs::write(root.join("content/cases/b.md"), "b").expect("write");
        std::fs::write(root.join("content-other.md"), "not an input").expect("write");
        std::fs::create_dir_all(root.join("public")).expect("dirs");
        let inv = Inventory::take(root);
        let paths: Vec<&str> = inv.entries().iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            ["book.toml", "content", "content/cases", "content/cases/b.md", "content/index.md"]
        );
        let under: Vec<&str> = inv.under("content").iter().map(|e| e.path.as_str()).collect();
        assert_eq!(under, ["content/cases", "content/cases/b.md", "content/index.md"]);
        assert!(inv.under("data").is_empty());
        let index = inv.get("content/index.md").expect("seen");
        assert_eq!((index.len, index.kind, index.link), (2, Kind::File, Link::No));
        assert_eq!(inv.get("content").map(|e| e.kind), Some(Kind::Dir));
        assert!(inv.complete());
        assert_eq!(Inventory::take(root), inv, "the same files make the same inventory");
        std::fs::write(root.join("content/index.md"), "xyz").expect("write");
        assert_ne!(Inventory::take(root), inv, "a change in size shows");
    }

    #[test]
    fn changes_since_an_older_inventory_are_files_or_nothing() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/cases")).expect("dirs");
        std::fs::write(root.join("content/index.md"), "a").expect("write");
        std::fs::write(root.join("content/cases/b.md"), "b").expect("write");
        let first = Inventory::take(root);
        assert_eq!(Inventory::take(root).changed_since(&first).map(|c| c.len()), Some(0));
        // Saved through a temporary file and a rename: the folder's time moves too.
        std::fs::write(root.join("content/cases/b.tmp"), "bb").expect("write");
        std::fs::rename(root.join("content/cases/b.tmp"), root.join("content/cases/b.md"))
            .expect("rename");
        let second = Inventory::take(root);
        let changed: Vec<&str> = second
            .changed_since(&first)
            .expect("only a file changed")
            .iter()
            .map(|e| e.path.as_str())
            .collect();
        assert_eq!(changed, ["content/cases/b.md"]);
        std::fs::write(root.join("content/cases/c.md"), "c").expect("write");
        assert!(Inventory::take(root).changed_since(&second).is_none(), "a file came");
        std::fs::remove_file(root.join("content/cases/c.md")).expect("remove");
        std::fs::remove_file(root.join("content/cases/b.md")).expect("remove");
        std::fs::write(root.join("content/cases/c.md"), "bb").expect("write");
        assert!(Inventory::take(root).changed_since(&second).is_none(), "a file was renamed");
    }

    #[test]
    fn a_refresh_sees_files_change_come_and_go_like_a_new_walk() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path();
        std::fs::write(root.join("book.toml"), "a").expect("write");
        std::fs::create_dir_all(root.join("content/cases")).expect("dirs");
        std::fs::write(root.join("content/index.md"), "a").expect("write");
        std::fs::write(root.join("content/cases/b.md"), "b").expect("write");
        let first = Inventory::take(root);
        std::fs::write(root.join("content/cases/b.md"), "bb").expect("write");
        std::fs::write(root.join("content/cases/c.md"), "c").expect("write");
        std::fs::remove_file(root.join("content/index.md")).expect("remove");
        std::fs::write(root.join("book.toml"), "abc").expect("write");
        let paths = [
            "content/cases/b.md",
            "content/cases/c.md",
            "content/index.md",
            "content/cases/.gone.swp",
            "book.toml",
            "public/index.html",
        ];
        let refreshed = first.refresh(root, paths).expect("files only");
        let walked = Inventory::take(root);
        let files = |inv: &Inventory| {
            inv.entries()
                .iter()
                .filter(|e| e.kind == Kind::File)
                .map(|e| (e.path.clone(), e.len, e.modified))
                .collect::<Vec<_>>()
        };
        assert_eq!(files(&refreshed), files(&walked));
        assert_eq!(
            refreshed.entries().iter().map(|e| &e.path).collect::<Vec<_>>(),
            walked.entries().iter().map(|e| &e.path).collect::<Vec<_>>()
        );
        // A new folder needs a walk.
        std::fs::create_dir_all(root.join("content/more")).expect("dirs");
        std::fs::write(root.join("content/more/d.md"), "d").expect("write");
        assert!(walked.refresh(root, ["content/more/d.md"]).is_none());
        assert!(walked.refresh(root, ["content/more"]).is_none());
        assert!(walked.refresh(root, ["content/cases"]).is_some(), "a known folder's time");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_told_apart_by_where_they_lead() {
        let outside = tempfile::tempdir().expect("temp");
        std::fs::write(outside.path().join("secret.md"), "s").expect("write");
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).expect("dirs");
        std::fs::write(root.join("content/a.md"), "a").expect("write");
        std::os::unix::fs::symlink(root.join("content/a.md"), root.join("content/b.md"))
            .expect("link");
        std::os::unix::fs::symlink(outside.path().join("secret.md"), root.join("content/c.md"))
            .expect("link");
        std::os::unix::fs::symlink(root.join("content/gone.md"), root.join("content/d.md"))
            .expect("link");
        let inv = Inventory::take(root);
        let link = |p: &str| inv.get(p).map(|e| (e.kind, e.link));
        assert_eq!(link("content/b.md"), Some((Kind::File, Link::Inside)));
        assert_eq!(link("content/c.md"), Some((Kind::File, Link::Outside)));
        assert_eq!(link("content/d.md"), Some((Kind::Other, Link::Outside)));
        assert!(!inv.complete(), "a broken link cannot be fingerprinted");
    }
}
