//! Writing the output directory: the only code that writes a built site.
//! Each file is written whole (a temporary file beside it, then a rename);
//! files whose bytes did not change are left alone, times included; only
//! files listed in the previous build's record are ever removed.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;

use crate::render::OutputFile;

/// The record of the files a build wrote, kept in the output directory.
pub const MANIFEST: &str = ".briefing-manifest";
const MANIFEST_HEADER: &str =
    "# Files written by `briefing build`. It removes only files listed here.\n";

/// What a clean build records beside its files: the fingerprint of its
/// inputs and what it made, so that the same build can be skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// `fingerprint::of` the build's inputs.
    pub inputs: String,
    /// HTML pages.
    pub pages: usize,
    /// Figures drawn.
    pub figures: usize,
}

const STAMP_PREFIX: &str = "# inputs ";

/// The stamp of the last build in `out`, if it left one and every file it
/// records is still there, with the number of those files.
pub fn unchanged_since(out: &Path) -> Option<(Stamp, usize)> {
    let text = fs::read_to_string(out.join(MANIFEST)).ok()?;
    let line = text.lines().find_map(|l| l.strip_prefix(STAMP_PREFIX))?;
    let mut parts = line.split(' ');
    let stamp = Stamp {
        inputs: parts.next()?.to_string(),
        pages: parts.next()?.parse().ok()?,
        figures: parts.next()?.parse().ok()?,
    };
    let files: Vec<&str> = text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
    let all_there = files.par_iter().all(|f| {
        is_safe_relative(f) && fs::symlink_metadata(out.join(f)).is_ok_and(|m| m.is_file())
    });
    all_there.then_some((stamp, files.len()))
}

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written because they were new or changed.
    pub written: usize,
    /// Files left untouched because their bytes were the same.
    pub unchanged: usize,
    /// Files of the previous build that this one no longer produces, removed.
    pub removed: usize,
}

/// Refuses an output directory that would put the sources at risk: the site
/// root itself, a folder that contains it, or one inside its sources.
///
/// # Errors
/// A message naming the directory and why it is refused.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<()> {
    let root = absolute(root)?;
    let out = absolute(out)?;
    if out == root {
        bail!(
            "refusing to build into {}: it is the site root; set output_dir to a folder such as \"public\"",
            out.display()
        );
    }
    if root.starts_with(&out) {
        bail!(
            "refusing to build into {}: it contains the site; choose a folder inside or beside the site",
            out.display()
        );
    }
    for source in ["content", "data", "themes", "templates", "static", "i18n"] {
        if out.starts_with(root.join(source)) {
            bail!(
                "refusing to build into {}: it is inside the site's {source}/ folder",
                out.display()
            );
        }
    }
    Ok(())
}

/// An absolute, normalised path, resolving symlinks of the part that exists.
fn absolute(p: &Path) -> Result<PathBuf> {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().context("cannot read the current directory")?.join(p)
    };
    let mut existing = p.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.into_iter().rev() {
        match Path::new(&name).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => out.push(name),
        }
    }
    Ok(out)
}

/// Is `path` a safe relative output path: no `..`, no root, no backslash or NUL?
/// Reads the files at `paths` that an earlier build left in `out` (for
/// `render` to reuse what was made from the same input). Missing files,
/// unsafe paths and files reached through a symbolic link are skipped.
pub fn read_previous(out: &Path, paths: &[String]) -> crate::render::Previous {
    let files = paths
        .iter()
        .filter(|p| is_safe_relative(p))
        .filter_map(|p| {
            let full = out.join(p);
            let plain = fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_file());
            let no_link_above = Path::new(p).ancestors().skip(1).all(|a| {
                a.as_os_str().is_empty()
                    || fs::symlink_metadata(out.join(a)).is_ok_and(|m| !m.file_type().is_symlink())
            });
            (plain && no_link_above).then(|| fs::read(&full).ok().map(|b| (p.clone(), b))).flatten()
        })
        .collect();
    crate::render::Previous { files }
}

fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0', ':'])
        && Path::new(path).components().all(|c| matches!(c, Component::Normal(_)))
}

/// Writes `files` into `out`, keeping what is unchanged and removing what an
/// earlier build wrote and this one does not.
///
/// # Errors
/// A non-empty directory without a record (unless `force`), an unsafe path,
/// a symlink inside the output, or any I/O failure, with the path concerned.
pub fn write(
    out: &Path,
    files: &[OutputFile],
    force: bool,
    stamp: Option<&Stamp>,
) -> Result<WriteReport> {
    let previous = read_manifest(out, force)?;
    fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output directory {}", out.display()))?;
    let new: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for f in files {
        if !is_safe_relative(&f.path) || f.path == MANIFEST {
            bail!("refusing to write {:?}: not a plain path inside the output directory", f.path);
        }
    }
    // Folders: every one once, parents before children (a level at a time, in
    // parallel), and never through a symlink that could lead out.
    let mut dirs: BTreeSet<&str> = BTreeSet::new();
    for f in files {
        let mut path = f.path.as_str();
        while let Some((dir, _)) = path.rsplit_once('/') {
            if !dirs.insert(dir) {
                break;
            }
            path = dir;
        }
    }
    let depth = |d: &str| d.matches('/').count();
    let deepest = dirs.iter().map(|d| depth(d)).max().unwrap_or(0);
    for level in 0..=deepest {
        let at_level: Vec<&str> = dirs.iter().copied().filter(|d| depth(d) == level).collect();
        at_level
            .par_iter()
            .map(|dir| make_dir(out, dir, &previous))
            .collect::<Result<Vec<()>>>()?;
    }
    let results: Vec<Result<bool>> =
        files.par_iter().map(|f| write_if_changed(&out.join(&f.path), &f.bytes)).collect();
    let mut report = WriteReport::default();
    for r in results {
        if r? {
            report.written += 1;
        } else {
            report.unchanged += 1;
        }
    }
    let mut emptied: BTreeSet<PathBuf> = BTreeSet::new();
    for old in previous.iter().filter(|p| !new.contains(p.as_str()) && is_safe_relative(p)) {
        let path = out.join(old);
        match fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() || m.file_type().is_symlink() => {
                fs::remove_file(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
                report.removed += 1;
                if let Some(parent) = path.parent() {
                    emptied.insert(parent.to_path_buf());
                }
            }
            _ => {}
        }
    }
    // Remove folders left empty, deepest first; a folder with anything else in it stays.
    for dir in emptied.iter().rev() {
        let mut d = dir.clone();
        while d.starts_with(out) && d != out && fs::remove_dir(&d).is_ok() {
            d.pop();
        }
    }
    let mut manifest = String::from(MANIFEST_HEADER);
    if let Some(s) = stamp {
        manifest.push_str(&format!("{STAMP_PREFIX}{} {} {}\n", s.inputs, s.pages, s.figures));
    }
    for p in &new {
        manifest.push_str(p);
        manifest.push('\n');
    }
    write_if_changed(&out.join(MANIFEST), manifest.as_bytes())?;
    Ok(report)
}

/// Makes the folder `dir` (its parent exists), unless it is there already.
fn make_dir(out: &Path, dir: &str, previous: &BTreeSet<String>) -> Result<()> {
    let at = out.join(dir);
    match fs::symlink_metadata(&at) {
        Ok(m) if m.file_type().is_symlink() => {
            bail!("refusing to write through the symbolic link {}", at.display());
        }
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) if previous.contains(dir) => {
            // A file of an earlier build stands where a folder must go now.
            fs::remove_file(&at).with_context(|| format!("cannot remove {}", at.display()))?;
            fs::create_dir(&at).with_context(|| format!("cannot create {}", at.display()))
        }
        Ok(_) => bail!(
            "cannot create the folder {}: a file not written by briefing is in the way",
            at.display()
        ),
        Err(_) => fs::create_dir(&at).with_context(|| format!("cannot create {}", at.display())),
    }
}

/// The previous build's record; an empty set for a new or empty directory.
fn read_manifest(out: &Path, force: bool) -> Result<BTreeSet<String>> {
    match fs::read_to_string(out.join(MANIFEST)) {
        Ok(text) => Ok(text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(str::to_string)
            .collect()),
        Err(_) => {
            let non_empty = fs::read_dir(out).map(|mut d| d.next().is_some()).unwrap_or(false);
            if non_empty && !force {
                bail!(
                    "refusing to write into {}: the folder is not empty and was not written by briefing (it has no {MANIFEST}); \
                     choose an empty folder, or pass --force to write into it (files not written by briefing are never removed)",
                    out.display()
                );
            }
            Ok(BTreeSet::new())
        }
    }
}

/// Writes `bytes` to `path` unless it already holds them; returns whether it wrote.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool> {
    if let Ok(m) = fs::symlink_metadata(path) {
        if m.is_file()
            && m.len() == bytes.len() as u64
            && fs::read(path).is_ok_and(|old| old == bytes)
        {
            return Ok(false);
        }
        if m.is_dir() {
            bail!("cannot write {}: a folder is in the way", path.display());
        }
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.briefing-tmp"));
    let result = (|| -> std::io::Result<()> {
        // A temporary left behind, even a symlink planted there, is removed,
        // never written through: the new file is always created afresh.
        match fs::remove_file(&tmp) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut f = fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_safe() {
        for (p, want) in [
            ("index.html", true),
            ("cases/a/index.html", true),
            ("../x", false),
            ("/etc/passwd", false),
            ("a\\b", false),
            ("a\0b", false),
            ("", false),
            ("c:/x", false),
            ("./x", false),
        ] {
            assert_eq!(is_safe_relative(p), want, "{p:?}");
        }
    }
}
