//! The lock that makes builds into one output folder take turns.

use std::fs;
use std::path::Path;

use anyhow::{Context as _, Result, bail};

use super::{LOCK, Place, place_of};

/// Takes the lock on the output folder `out`: at once, or after waiting for
/// the build that holds it (saying so). A file system without locks builds
/// unlocked.
pub(super) fn lock(out: &Path) -> Result<Option<fs::File>> {
    let path = out.join(LOCK);
    if place_of(&path) == Place::Link {
        bail!("refusing to lock through the symbolic link {}", path.display());
    }
    // The file stays empty: a build that fails changes nothing, not even it.
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!(
                "waiting for another build into {} to finish (it holds {})",
                out.display(),
                path.display()
            );
            file.lock().with_context(|| format!("cannot lock {}", path.display()))?;
        }
        Err(fs::TryLockError::Error(_)) => return Ok(None),
    }
    Ok(Some(file))
}
