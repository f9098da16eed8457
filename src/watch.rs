//! What `serve` watches: book.toml and the input folders, through the
//! system's file events (inotify, FSEvents, ReadDirectoryChangesW, by the
//! `notify` crate), or by reading every file's size and time every 200 ms
//! where events are unavailable or with `--poll`. Either way a burst of
//! changes is folded into one, and what comes out is the inventory of the
//! sources after it, for the rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind, RenameMode};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::inventory::{INPUTS, Inventory, rel_path};

/// How long the sources must be still after an event before the rebuild,
/// while a file may still be being written (opened for writing and not yet
/// closed, or where the system does not say when a file is closed): an
/// editor's save takes well under a millisecond, a "save all" one or two.
const QUIET: Duration = Duration::from_millis(8);
/// How long they must be still once every file written has been closed or
/// renamed into place (a save is whole then): only long enough to fold the
/// other files of a "save all" into the same rebuild.
const SETTLED: Duration = Duration::from_millis(2);
/// The longest a stream of events may put the rebuild off.
const MOST: Duration = Duration::from_millis(400);
/// How often the polling watcher reads every file's size and time.
const POLL: Duration = Duration::from_millis(200);
/// How long polling waits for the sources to be still.
const POLL_QUIET: Duration = Duration::from_millis(120);

/// A watcher of a site's sources.
pub(crate) struct Watch {
    root: PathBuf,
    how: How,
}

enum How {
    Events(Events),
    Poll,
}

/// The system's file events on book.toml's folder (not recursively) and
/// each input folder (recursively).
struct Events {
    watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    /// The input folders watched now.
    watched: BTreeSet<&'static str>,
}

/// What one batch of events says.
enum Seen {
    /// These paths (relative to the root) may have changed.
    Paths(BTreeSet<String>),
    /// Anything may have changed: look at every file again.
    Everything,
}

impl Watch {
    /// Starts watching the site at `root`: with file events unless `poll`,
    /// falling back to polling when they cannot be had. Returns the
    /// watcher and a line saying how it watches.
    pub(crate) fn start(root: &Path, poll: bool) -> (Watch, String) {
        // Events name absolute paths (the watcher makes a relative one
        // absolute): so does the root they are taken relative to.
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        if poll {
            let says =
                format!("watching for changes by polling every {} ms (--poll)", POLL.as_millis());
            return (Watch { root, how: How::Poll }, says);
        }
        match Events::start(&root) {
            Ok(events) => {
                let says = "watching for changes with the system's file events".to_string();
                (Watch { root, how: How::Events(events) }, says)
            }
            Err(e) => {
                let says = format!(
                    "file events are unavailable ({e}); watching for changes by polling every {} ms",
                    POLL.as_millis()
                );
                (Watch { root, how: How::Poll }, says)
            }
        }
    }

    /// Waits for the sources to change from `last`, and for them to be
    /// still again; returns what they are then.
    pub(crate) fn next(&mut self, last: &Inventory) -> Inventory {
        match &mut self.how {
            How::Poll => poll(&self.root, last),
            How::Events(events) => loop {
                let seen = events.next(&self.root);
                let now = match seen {
                    Seen::Everything => Inventory::take(&self.root),
                    Seen::Paths(paths) => last
                        .refresh(&self.root, paths.iter().map(String::as_str))
                        .unwrap_or_else(|| Inventory::take(&self.root)),
                };
                // A file written and removed before we looked, or a folder's time alone.
                if now != *last {
                    return now;
                }
            },
        }
    }
}

impl Events {
    fn start(root: &Path) -> notify::Result<Events> {
        let (tx, rx) = channel();
        let watcher = notify::recommended_watcher(move |event| {
            let _ = tx.send(event);
        })?;
        let mut events = Events { watcher, rx, watched: BTreeSet::new() };
        events.watcher.watch(root, RecursiveMode::NonRecursive)?;
        events.sync_folders(root);
        Ok(events)
    }

    /// Watches each input folder that is there and not watched yet (a
    /// folder created or moved in), and forgets those that went.
    fn sync_folders(&mut self, root: &Path) {
        for input in INPUTS.iter().filter(|i| **i != "book.toml") {
            let dir = root.join(input);
            let there = dir.is_dir();
            if there && !self.watched.contains(input) {
                if self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok() {
                    self.watched.insert(input);
                }
            } else if !there && self.watched.remove(input) {
                let _ = self.watcher.unwatch(&dir);
            }
        }
    }

    /// Waits for a change to the sources, then for them to be still (QUIET,
    /// or SETTLED once every file written is closed; at most MOST);
    /// returns what the events name.
    fn next(&mut self, root: &Path) -> Seen {
        let mut paths = BTreeSet::new();
        let mut everything = false;
        let mut writing = BTreeSet::new();
        // The first event that concerns the sources.
        loop {
            let Ok(event) = self.rx.recv() else { return Seen::Everything };
            track_writes(&event, &mut writing);
            if self.take(root, event, &mut paths, &mut everything) {
                break;
            }
        }
        let started = Instant::now();
        loop {
            let left = MOST.saturating_sub(started.elapsed());
            let quiet = if writing.is_empty() { SETTLED } else { QUIET };
            match self.rx.recv_timeout(quiet.min(left)) {
                Ok(event) => {
                    track_writes(&event, &mut writing);
                    self.take(root, event, &mut paths, &mut everything);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Seen::Everything,
            }
            if left.is_zero() {
                break;
            }
        }
        if everything { Seen::Everything } else { Seen::Paths(paths) }
    }

    /// Adds what `event` says to `paths`; is it about the sources?
    fn take(
        &mut self,
        root: &Path,
        event: notify::Result<notify::Event>,
        paths: &mut BTreeSet<String>,
        everything: &mut bool,
    ) -> bool {
        let event = match event {
            Ok(event) => event,
            // Events were lost (a full queue): look at everything.
            Err(_) => {
                *everything = true;
                return true;
            }
        };
        if event.need_rescan() {
            *everything = true;
            return true;
        }
        // Opening and reading (the rebuild's own reads among them) change nothing.
        if matches!(event.kind, EventKind::Access(_)) {
            return false;
        }
        let mut ours = false;
        for path in &event.paths {
            let rel = rel_path(root, path);
            let first = rel.split('/').next().unwrap_or("");
            if !INPUTS.contains(&first) {
                continue;
            }
            ours = true;
            if !rel.contains('/') && first != "book.toml" {
                // An input folder itself came, went or moved: watch it anew.
                self.sync_folders(root);
                *everything = true;
            }
            paths.insert(rel);
        }
        ours
    }
}

/// Keeps `writing`, the files opened for writing and not yet closed, up to
/// date with `event`. A file created or written to is being written until
/// it is closed after writing, renamed or removed; systems that do not say
/// when a file is closed (FSEvents, ReadDirectoryChangesW) leave it being
/// written, and the watcher waits the longer quiet.
fn track_writes(event: &notify::Result<notify::Event>, writing: &mut BTreeSet<PathBuf>) {
    let Ok(event) = event else { return };
    match event.kind {
        EventKind::Create(CreateKind::File | CreateKind::Any)
        | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => {
            writing.extend(event.paths.iter().cloned());
        }
        EventKind::Access(AccessKind::Close(AccessMode::Write))
        | EventKind::Modify(ModifyKind::Name(
            RenameMode::From | RenameMode::To | RenameMode::Both,
        ))
        | EventKind::Remove(_) => {
            for path in &event.paths {
                writing.remove(path);
            }
        }
        _ => {}
    }
}

/// Polls the sources; a change, once they have been still for a moment
/// (editors save through temporary files and renames), is returned.
fn poll(root: &Path, last: &Inventory) -> Inventory {
    loop {
        thread::sleep(POLL);
        let now = Inventory::take(root);
        if now == *last {
            continue;
        }
        // Fold a burst of saves into one rebuild.
        let mut settled = now;
        loop {
            thread::sleep(POLL_QUIET);
            let again = Inventory::take(root);
            if again == settled {
                return settled;
            }
            settled = again;
        }
    }
}

#[cfg(test)]
mod tests {
    use notify::event::{DataChange, RemoveKind};

    use super::*;

    fn event(kind: EventKind, paths: &[&str]) -> notify::Result<notify::Event> {
        let mut e = notify::Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(p));
        }
        Ok(e)
    }

    fn after(events: &[notify::Result<notify::Event>]) -> BTreeSet<PathBuf> {
        let mut writing = BTreeSet::new();
        for e in events {
            track_writes(e, &mut writing);
        }
        writing
    }

    #[test]
    fn a_save_through_a_renamed_temporary_file_is_whole_once_renamed() {
        let data = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let renamed = |mode| EventKind::Modify(ModifyKind::Name(mode));
        let save = [
            event(EventKind::Create(CreateKind::File), &["c/.a.md.tmp"]),
            event(data, &["c/.a.md.tmp"]),
            event(closed, &["c/.a.md.tmp"]),
            event(renamed(RenameMode::From), &["c/.a.md.tmp"]),
            event(renamed(RenameMode::To), &["c/a.md"]),
            event(renamed(RenameMode::Both), &["c/.a.md.tmp", "c/a.md"]),
        ];
        assert!(after(&save).is_empty());
        // Written in place: whole once closed, not before.
        assert_eq!(after(&save[..2]).len(), 1);
        assert!(after(&[event(data, &["c/b.md"]), event(closed, &["c/b.md"])]).is_empty());
        // Where the system never says a file was closed, it stays written.
        let unclosed = after(&[event(EventKind::Modify(ModifyKind::Any), &["c/b.md"])]);
        assert_eq!(unclosed, BTreeSet::from([PathBuf::from("c/b.md")]));
        // A file removed while written is no longer waited for; reads and
        // folders change nothing.
        let removed = EventKind::Remove(RemoveKind::File);
        assert!(after(&[event(data, &["c/b.md"]), event(removed, &["c/b.md"])]).is_empty());
        let read = EventKind::Access(AccessKind::Close(AccessMode::Read));
        assert!(after(&[event(EventKind::Create(CreateKind::Folder), &["c/d"])]).is_empty());
        assert_eq!(after(&[event(data, &["c/b.md"]), event(read, &["c/b.md"])]).len(), 1);
        assert!(after(&[Err(notify::Error::generic("lost"))]).is_empty());
    }
}
