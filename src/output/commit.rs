//! The commit of a build's files into the output folder, through a journal
//! that the next build finishes if this one is stopped.

use std::fs;
use std::path::Path;

use anyhow::{Context as _, Result};

use super::{
    COMMIT, MANIFEST, Place, STAGING, create_afresh, fault, is_safe_relative, no_link_above,
    place_of, remove_stale, temporary, write_if_changed,
};

/// What a commit does, in order: remove the files of an earlier build
/// where new folders go, move the staged files and folders into place, put
/// the files written beside others over them, remove the staging folder and
/// the earlier build's stale files, write the record. Written to `COMMIT`
/// first, so that it can be done again, each step whether or not it was done
/// before (`apply`).
#[derive(Default)]
pub(super) struct Journal {
    pub(super) in_the_way: Vec<String>,
    pub(super) moves: Vec<String>,
    pub(super) beside: Vec<String>,
    pub(super) stale: Vec<String>,
    pub(super) manifest: String,
}

const JOURNAL_END: &str = "end";

impl Journal {
    /// Writes the journal whole (a temporary file, then a rename).
    pub(super) fn write(&self, out: &Path) -> Result<()> {
        let mut text = String::from("# briefing commit journal\n");
        let lists = [
            ("in-the-way", &self.in_the_way),
            ("move", &self.moves),
            ("beside", &self.beside),
            ("stale", &self.stale),
        ];
        for (key, list) in lists {
            for rel in list {
                text.push_str(&format!("{key} {rel}\n"));
            }
        }
        for line in self.manifest.lines() {
            text.push_str(&format!("manifest {line}\n"));
        }
        text.push_str(JOURNAL_END);
        text.push('\n');
        let path = out.join(COMMIT);
        let tmp = temporary(&path);
        let written = create_afresh(&tmp, text.as_bytes())
            .and_then(|()| fs::File::open(&tmp)?.sync_all())
            .and_then(|()| fs::rename(&tmp, &path));
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(e).with_context(|| format!("cannot write {}", path.display()));
        }
        Ok(())
    }

    /// The journal in `out`, if a whole one is there.
    fn read(out: &Path) -> Option<Journal> {
        let text = fs::read_to_string(out.join(COMMIT)).ok()?;
        if text.lines().last() != Some(JOURNAL_END) {
            return None;
        }
        let mut j = Journal::default();
        for line in text.lines() {
            let Some((key, rest)) = line.split_once(' ') else { continue };
            let list = match key {
                "in-the-way" => &mut j.in_the_way,
                "move" => &mut j.moves,
                "beside" => &mut j.beside,
                "stale" => &mut j.stale,
                "manifest" => {
                    j.manifest.push_str(rest);
                    j.manifest.push('\n');
                    continue;
                }
                _ => continue,
            };
            if is_safe_relative(rest) {
                list.push(rest.to_string());
            }
        }
        Some(j)
    }

    /// Does each step that is not done yet; returns how many stale files
    /// it removed. Every step can be done again after a stop at any point:
    /// a file moved is no longer in the staging folder, a file put over
    /// another no longer beside it, a file removed no longer there.
    pub(super) fn apply(&self, out: &Path) -> Result<usize> {
        let staging = out.join(STAGING);
        let mut step = 0;
        let mut done = || {
            step += 1;
            fault::step(step);
        };
        for rel in &self.in_the_way {
            let at = out.join(rel);
            if place_of(&at) == Place::File && no_link_above(out, rel) {
                fs::remove_file(&at).with_context(|| format!("cannot remove {}", at.display()))?;
            }
            done();
        }
        for rel in &self.moves {
            let (from, to) = (staging.join(rel), out.join(rel));
            if place_of(&from) != Place::Missing && no_link_above(out, rel) {
                fs::rename(&from, &to).with_context(|| format!("cannot write {}", to.display()))?;
            }
            done();
        }
        for rel in &self.beside {
            let to = out.join(rel);
            let tmp = temporary(&to);
            if place_of(&tmp) == Place::File && no_link_above(out, rel) {
                fs::rename(&tmp, &to).with_context(|| format!("cannot write {}", to.display()))?;
            }
            done();
        }
        // What is left of the staging folder: folders whose files moved one by one.
        if place_of(&staging) == Place::Dir {
            fs::remove_dir_all(&staging)
                .with_context(|| format!("cannot remove {}", staging.display()))?;
        }
        done();
        let removed = remove_stale(out, &self.stale)?;
        done();
        write_if_changed(&out.join(MANIFEST), self.manifest.as_bytes())?;
        done();
        let journal = out.join(COMMIT);
        fs::remove_file(&journal)
            .with_context(|| format!("cannot remove {}", journal.display()))?;
        Ok(removed)
    }
}

/// Finishes the commit a stopped build began in `out`, if it left a whole
/// journal (one cut short was never acted on: it is removed, and the
/// staging folder with it when the build opens).
pub(super) fn finish_commit(out: &Path) -> Result<()> {
    let _ = fs::remove_file(temporary(&out.join(COMMIT)));
    match Journal::read(out) {
        Some(journal) => journal.apply(out).map(|_| ()),
        None => match fs::remove_file(out.join(COMMIT)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("cannot remove {}", out.join(COMMIT).display()))
            }
            _ => Ok(()),
        },
    }
}
