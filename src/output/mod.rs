//! Writing the output directory: the only code that writes a built site.
//! Files are written as they are rendered (`Stage`) and put in place only
//! when the whole build has succeeded; files whose bytes did not change are
//! left alone, times included; only files listed in the previous build's
//! record are ever removed.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;

use crate::hash::{FastMap, FastSet};

mod commit;
mod fault;
mod lock;

use crate::output_file::OutputFile;
use commit::{Journal, finish_commit};
use lock::lock;

/// The record of the files a build wrote, kept in the output directory.
pub(crate) const MANIFEST: &str = ".briefing-manifest";
const MANIFEST_HEADER: &str =
    "# Files written by `briefing build`. It removes only files listed here.\n";

/// What a clean build records beside its files: the fingerprint of its
/// inputs and what it made, so that the same build can be skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// `fingerprint::of` the build's inputs.
    pub inputs: String,
    /// HTML pages.
    pub pages: usize,
    /// Figures drawn.
    pub figures: usize,
}

const STAMP_PREFIX: &str = "# inputs ";

/// The stamp of the last build in `out`, if it left one and every file it
/// records is still there, with the number of those files. Never when a
/// build was stopped there: the next build clears what it left.
pub(crate) fn unchanged_since(out: &Path) -> Option<(Stamp, usize)> {
    if place_of(&out.join(STAGING)) != Place::Missing
        || place_of(&out.join(COMMIT)) != Place::Missing
    {
        return None;
    }
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
pub(crate) fn check_output_dir(root: &Path, out: &Path) -> Result<()> {
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
pub(crate) fn read_previous(out: &Path, paths: &[String]) -> crate::render::Previous {
    let files = paths
        .iter()
        .filter(|p| is_safe_relative(p))
        .filter_map(|p| {
            let full = out.join(p);
            let plain = fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_file());
            (plain && no_link_above(out, p))
                .then(|| fs::read(&full).ok().map(|b| (p.clone(), b)))
                .flatten()
        })
        .collect();
    crate::render::Previous { files }
}

fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0', ':'])
        && Path::new(path).components().all(|c| matches!(c, Component::Normal(_)))
}

/// The folder inside the output folder where a build puts what it writes
/// into new folders, until it is known to succeed.
pub const STAGING: &str = ".briefing-staging";

/// The empty file that marks a staging folder as briefing's: only such a
/// folder (or an empty one) is removed when a build finds one.
const MARK: &str = ".briefing-stage";

/// The list, in the staging folder, of the files written beside the ones
/// they replace, so that the next build removes them if this one is stopped.
const JOURNAL: &str = ".briefing-beside";

/// The file a build holds locked (an advisory lock, released by the kernel
/// when the process ends however it ends) while it reads and writes the
/// output folder, so that two builds into one folder take turns.
pub const LOCK: &str = ".briefing-lock";

/// The commit journal: written (whole, by a rename) before the first file
/// is moved into place and removed after the record is written, it lists
/// every move, removal and the new record, so that a build finding it
/// finishes the commit a stopped build began.
pub const COMMIT: &str = ".briefing-commit";

/// What stands at a path of the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Missing,
    Dir,
    File,
    Link,
}

fn place_of(path: &Path) -> Place {
    match fs::symlink_metadata(path) {
        Err(_) => Place::Missing,
        Ok(m) if m.file_type().is_symlink() => Place::Link,
        Ok(m) if m.is_dir() => Place::Dir,
        Ok(_) => Place::File,
    }
}

/// A build's writing, file by file as they are rendered, so that no file is
/// held in memory longer than it takes to write it, and nothing the reader
/// sees changes until `commit`:
/// - a file whose bytes are already in place is left alone, times included;
/// - a changed file in a folder that exists is written beside its old one
///   (`.name.briefing-tmp`), to be renamed over it;
/// - a file in a new folder goes into `STAGING`, mirroring the output; each
///   new folder is moved into place whole, so a build into an empty folder
///   moves a handful of folders, not a file at a time.
///
/// A stage dropped without `commit` removes what it wrote: the output is
/// left as it was.
pub(crate) struct Stage {
    out: PathBuf,
    staging: PathBuf,
    previous: BTreeSet<String>,
    /// The folders made for the output folder, itself first, then its
    /// parents that did not exist.
    created: Vec<PathBuf>,
    /// Nothing was in the output folder: no file to compare with.
    fresh: bool,
    /// What each folder of the output is, as far as it was looked at.
    places: Mutex<FastMap<String, Place>>,
    /// Folders made in the staging folder.
    staged_dirs: Mutex<FastSet<String>>,
    /// `JOURNAL`, once a file is written beside another.
    journal: Mutex<Option<fs::File>>,
    state: Mutex<StageState>,
    committed: bool,
    /// The lock on the output folder, held until the stage is dropped.
    _lock: Option<fs::File>,
}

#[derive(Default)]
struct StageState {
    /// Files written into the staging folder.
    staged: Vec<String>,
    /// Files written beside the ones they replace.
    beside: Vec<String>,
    /// Files left as they were.
    unchanged: Vec<String>,
    /// A failure, with the path it happened at; what follows it is not written.
    error: Option<(String, anyhow::Error)>,
}

impl Stage {
    /// Opens the output folder `out` for a build: makes it if needed, and
    /// an empty staging folder in it (removing one a stopped build left).
    ///
    /// # Errors
    /// A non-empty folder without a record (unless `force`), or an I/O failure.
    pub(crate) fn open(out: &Path, force: bool) -> Result<Stage> {
        // The folders this build makes, deepest first: a failed first build removes them.
        let created: Vec<PathBuf> = out
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && place_of(a) == Place::Missing)
            .map(Path::to_path_buf)
            .collect();
        // A folder briefing did not write is refused before anything is put in it.
        read_manifest(out, force)?;
        fs::create_dir_all(out)
            .with_context(|| format!("cannot create the output directory {}", out.display()))?;
        let lock = lock(out)?;
        // A commit a stopped build began is finished before anything else.
        finish_commit(out)?;
        let previous = match read_manifest(out, force) {
            Ok(previous) => previous,
            Err(e) => {
                drop(lock);
                unmake(out, &created);
                return Err(e);
            }
        };
        let staging = out.join(STAGING);
        match place_of(&staging) {
            Place::Missing => {}
            Place::Dir if made_by_briefing(&staging) => {
                // A build was stopped: its files beside others go first.
                remove_beside(out, &staging);
                fs::remove_dir_all(&staging)
                    .with_context(|| format!("cannot remove {}", staging.display()))?;
            }
            Place::Dir | Place::File | Place::Link => bail!(
                "cannot build into {}: {} was not made by briefing and its name is kept for briefing's own use; move or remove it",
                out.display(),
                staging.display()
            ),
        }
        fs::create_dir(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
        fs::write(staging.join(MARK), "")
            .with_context(|| format!("cannot write in {}", staging.display()))?;
        let fresh = previous.is_empty()
            && fs::read_dir(out)
                .with_context(|| format!("cannot read {}", out.display()))?
                .filter_map(Result::ok)
                .all(|e| is_own(&e.file_name()));
        Ok(Stage {
            out: out.to_path_buf(),
            staging,
            previous,
            created,
            fresh,
            places: Mutex::default(),
            staged_dirs: Mutex::default(),
            journal: Mutex::default(),
            state: Mutex::default(),
            committed: false,
            _lock: lock,
        })
    }

    /// Writes `file` where `commit` will find it, unless its bytes are in
    /// place already. A failure is kept for `commit` to report.
    pub(crate) fn put(&self, file: &OutputFile) {
        if self.lock().error.is_some() {
            return;
        }
        let path = file.path.as_str();
        // Names starting `.briefing-` (the record, the staging folder) are briefing's own.
        let done = if !is_safe_relative(path)
            || path.split('/').next().is_some_and(|top| top.starts_with(".briefing-"))
        {
            Err(anyhow::anyhow!(
                "refusing to write {path:?}: not a plain path inside the output directory"
            ))
        } else {
            self.write(path, &file.bytes)
        };
        let mut state = self.lock();
        match done {
            Ok(Written::Staged) => state.staged.push(file.path.clone()),
            Ok(Written::Beside) => state.beside.push(file.path.clone()),
            Ok(Written::Unchanged) => state.unchanged.push(file.path.clone()),
            // Threads fail in any order: keep the failure at the first path,
            // so that the same build reports the same error.
            Err(e) => match &state.error {
                Some((first, _)) if *first <= file.path => {}
                _ => state.error = Some((file.path.clone(), e)),
            },
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, StageState> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self, path: &str, bytes: &[u8]) -> Result<Written> {
        if !self.fresh {
            match self.folders_of(path)? {
                Place::Dir => {
                    let target = self.out.join(path);
                    if holds(&target, bytes)? {
                        return Ok(Written::Unchanged);
                    }
                    self.note_beside(path)?;
                    let tmp = temporary(&target);
                    if let Err(e) = create_afresh(&tmp, bytes).and_then(|()| fault::write(path)) {
                        // A disk that filled up leaves nothing half-written behind.
                        let _ = fs::remove_file(&tmp);
                        return Err(e)
                            .with_context(|| format!("cannot write {}", target.display()));
                    }
                    return Ok(Written::Beside);
                }
                // A new folder, or a file where a folder goes: staged.
                // (`folders_of` refuses links.)
                Place::Missing | Place::File | Place::Link => {}
            }
        }
        if let Some((dir, _)) = path.rsplit_once('/') {
            let known = self.staged_dirs.lock().is_ok_and(|d| d.contains(dir));
            if !known {
                let at = self.staging.join(dir);
                fs::create_dir_all(&at)
                    .with_context(|| format!("cannot create {}", at.display()))?;
                if let Ok(mut d) = self.staged_dirs.lock() {
                    d.insert(dir.to_string());
                }
            }
        }
        // The staging folder is new: nothing can be in the way but a file
        // of the same path written twice, which is an error.
        let at = self.staging.join(path);
        if let Err(e) = create_new(&at, bytes).and_then(|()| fault::write(path)) {
            let _ = fs::remove_file(&at);
            return Err(e).with_context(|| format!("cannot write {}", at.display()));
        }
        Ok(Written::Staged)
    }

    /// Adds `path` to the journal before its file is written beside the old one.
    fn note_beside(&self, path: &str) -> Result<()> {
        let mut journal = self.journal.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let at = self.staging.join(JOURNAL);
        if journal.is_none() {
            let f = fs::OpenOptions::new()
                .append(true)
                .create_new(true)
                .open(&at)
                .with_context(|| format!("cannot write {}", at.display()))?;
            *journal = Some(f);
        }
        if let Some(f) = journal.as_mut() {
            f.write_all(format!("{path}\n").as_bytes())
                .with_context(|| format!("cannot write {}", at.display()))?;
        }
        Ok(())
    }

    /// `Dir` when every folder above `path` is a folder of the output;
    /// else what the first one that is not is (never `Link`: an error).
    fn folders_of(&self, path: &str) -> Result<Place> {
        for (i, _) in path.match_indices('/') {
            let dir = &path[..i];
            let known = self.places.lock().ok().and_then(|p| p.get(dir).copied());
            let place = known.unwrap_or_else(|| {
                let place = place_of(&self.out.join(dir));
                if let Ok(mut p) = self.places.lock() {
                    p.insert(dir.to_string(), place);
                }
                place
            });
            match place {
                Place::Dir => {}
                Place::Link => bail!(
                    "refusing to write through the symbolic link {}",
                    self.out.join(dir).display()
                ),
                other => return Ok(other),
            }
        }
        Ok(Place::Dir)
    }

    /// Puts every file written into place and removes what an earlier
    /// build wrote and this one did not, then records what was written
    /// (with `stamp`, when the build may be skipped next time).
    ///
    /// # Errors
    /// The first failure of `put`, a file or symbolic link in the way of a
    /// new folder, or an I/O failure. Until files are moved, a failure
    /// leaves the output as it was.
    pub(crate) fn commit(mut self, stamp: Option<&Stamp>) -> Result<WriteReport> {
        let Stage { out, previous, places, state, .. } = &mut self;
        let state = state.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, e)) = state.error.take() {
            return Err(e);
        }
        state.staged.sort_unstable();
        let places = places.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (moves, in_the_way) = plan_moves(out, previous, places, &state.staged)?;
        let mut new: Vec<&str> = state
            .staged
            .iter()
            .chain(&state.beside)
            .chain(&state.unchanged)
            .map(String::as_str)
            .collect();
        new.sort_unstable();
        let stale: Vec<&str> = previous
            .iter()
            .map(String::as_str)
            .filter(|p| new.binary_search(p).is_err() && is_safe_relative(p))
            .collect();
        let mut manifest = String::from(MANIFEST_HEADER);
        if let Some(s) = stamp {
            manifest.push_str(&format!("{STAMP_PREFIX}{} {} {}\n", s.inputs, s.pages, s.figures));
        }
        for p in &new {
            manifest.push_str(p);
            manifest.push('\n');
        }
        let journal = Journal {
            in_the_way: in_the_way.iter().map(|s| s.to_string()).collect(),
            moves: moves.iter().map(|s| s.to_string()).collect(),
            beside: state.beside.clone(),
            stale: stale.iter().map(|s| s.to_string()).collect(),
            manifest,
        };
        // From here on, a stopped build's commit is finished by the next one.
        journal.write(out)?;
        let removed = journal.apply(out)?;
        let report = WriteReport {
            written: state.staged.len() + state.beside.len(),
            unchanged: state.unchanged.len(),
            removed,
        };
        self.committed = true;
        Ok(report)
    }
}

/// Is `name` one of briefing's own files in the output folder's top (the
/// record, the lock, the journal, the staging folder)?
fn is_own(name: &std::ffi::OsStr) -> bool {
    name == STAGING || name == LOCK || name == COMMIT || name == MANIFEST
}

/// Removes what a first build made for `out` (the lock file, then the
/// folders it created, if nothing else went into them).
fn unmake(out: &Path, created: &[PathBuf]) {
    if created.is_empty() {
        return;
    }
    let _ = fs::remove_file(out.join(LOCK));
    for dir in created {
        if fs::remove_dir(dir).is_err() {
            break;
        }
    }
}

/// Removes the files a stopped or failed build wrote beside others, as the
/// staging folder's list names them (each is listed before it is written).
fn remove_beside(out: &Path, staging: &Path) {
    if let Ok(text) = fs::read_to_string(staging.join(JOURNAL)) {
        for rel in text.lines().filter(|l| is_safe_relative(l)) {
            if no_link_above(out, rel) {
                let _ = fs::remove_file(temporary(&out.join(rel)));
            }
        }
    }
}

/// What moving the `staged` files (sorted) into `out` takes: the staged
/// paths to rename into place (each new folder whole), and the files of an
/// earlier build to remove first because a new folder goes where they stand.
///
/// # Errors
/// A folder where a file goes, a symbolic link where a folder goes, or a
/// file not written by briefing where a folder goes.
fn plan_moves<'a>(
    out: &Path,
    previous: &BTreeSet<String>,
    places: &FastMap<String, Place>,
    staged: &'a [String],
) -> Result<(Vec<&'a str>, Vec<&'a str>)> {
    let place = |rel: &str| places.get(rel).copied().unwrap_or_else(|| place_of(&out.join(rel)));
    let mut moves: Vec<&str> = Vec::new();
    let mut in_the_way: Vec<&str> = Vec::new();
    for path in staged {
        let moved = moves.last().is_some_and(|m: &&str| {
            path.strip_prefix(*m).is_some_and(|rest| rest.starts_with('/'))
        });
        if moved {
            continue;
        }
        let ends = path.match_indices('/').map(|(i, _)| i).chain([path.len()]);
        for end in ends {
            let rel = &path[..end];
            let is_file = end == path.len();
            match place(rel) {
                Place::Missing => {
                    moves.push(rel);
                    break;
                }
                Place::Dir if is_file => {
                    bail!("cannot write {}: a folder is in the way", out.join(rel).display())
                }
                Place::Dir => {}
                Place::Link if !is_file => {
                    bail!("refusing to write through the symbolic link {}", out.join(rel).display())
                }
                // A file, or a link, is replaced by the new file.
                Place::File | Place::Link if is_file => {
                    moves.push(rel);
                    break;
                }
                _ if previous.contains(rel) => {
                    // A file of an earlier build stands where a folder goes now.
                    in_the_way.push(rel);
                    moves.push(rel);
                    break;
                }
                _ => bail!(
                    "cannot create the folder {}: a file not written by briefing is in the way",
                    out.join(rel).display()
                ),
            }
        }
    }
    Ok((moves, in_the_way))
}

impl Drop for Stage {
    /// Removes what an uncommitted stage wrote: the output stays as it was.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        // The files beside others first, as the list in the staging folder
        // names them (each is listed before it is written, so a file whose
        // writing failed is included).
        remove_beside(&self.out, &self.staging);
        let _ = fs::remove_dir_all(&self.staging);
        // Folders made for this build, if nothing else went into them.
        unmake(&self.out, &self.created);
    }
}

/// Where a file went.
enum Written {
    Staged,
    Beside,
    Unchanged,
}

/// Was the folder `staging` made by a build (it holds `MARK`, or nothing)?
fn made_by_briefing(staging: &Path) -> bool {
    fs::symlink_metadata(staging.join(MARK)).is_ok_and(|m| m.is_file())
        || fs::read_dir(staging).is_ok_and(|mut d| d.next().is_none())
}

/// Is every folder above `rel` inside `out` a plain folder (no link)?
fn no_link_above(out: &Path, rel: &str) -> bool {
    rel.match_indices('/').all(|(i, _)| place_of(&out.join(&rel[..i])) == Place::Dir)
}

/// The temporary file a changed file is written to, beside it.
fn temporary(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.briefing-tmp"))
}

/// Writes `bytes` to a new file at `path`. Whatever was there, even a
/// symlink, is removed first, never written through.
fn create_afresh(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    create_new(path, bytes)
}

/// Writes `bytes` to a file at `path` that must not exist yet.
fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    fs::OpenOptions::new().write(true).create_new(true).open(path)?.write_all(bytes)
}

/// Removes the files `stale` of an earlier build, and the folders that
/// leaves empty; returns how many files it removed.
fn remove_stale(out: &Path, stale: &[String]) -> Result<usize> {
    let mut removed = 0;
    let mut emptied: BTreeSet<PathBuf> = BTreeSet::new();
    for old in stale.iter().filter(|p| is_safe_relative(p) && no_link_above(out, p)) {
        let path = out.join(old);
        match fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() || m.file_type().is_symlink() => {
                fs::remove_file(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
                removed += 1;
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
    Ok(removed)
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
            // A staging folder alone is what a first build that was stopped leaves.
            let non_empty = fs::read_dir(out)
                .map(|d| d.filter_map(Result::ok).any(|e| !is_own(&e.file_name())))
                .unwrap_or(false);
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

/// Is `path` a plain file holding `bytes` already?
///
/// # Errors
/// A folder at `path`: no file can be written there.
fn holds(path: &Path, bytes: &[u8]) -> Result<bool> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => bail!("cannot write {}: a folder is in the way", path.display()),
        Ok(m) => Ok(m.is_file()
            && m.len() == bytes.len() as u64
            && fs::read(path).is_ok_and(|old| old == bytes)),
        Err(_) => Ok(false),
    }
}

/// Writes `bytes` to `path` unless it already holds them (a temporary file
/// beside it, then a rename); returns whether it wrote.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool> {
    if holds(path, bytes)? {
        return Ok(false);
    }
    let tmp = temporary(path);
    if let Err(e) = create_afresh(&tmp, bytes).and_then(|()| fs::rename(&tmp, path)) {
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
