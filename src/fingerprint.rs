//! The fingerprint of a build's inputs: every source file's path, size and
//! modification time, the program itself and the options that change the
//! output. A build whose fingerprint matches the one its output directory
//! records (and whose recorded files are all there) has nothing to do: it
//! reads no source and writes nothing.

use std::time::UNIX_EPOCH;

use crate::cli::BuildArgs;
use crate::hash::Stable;
use crate::inventory::{INPUTS, Inventory, Kind};

/// The fingerprint of what a build of `args` would read, as seen by `inv`,
/// as 32 hex digits; `None` when it cannot be taken (a file that cannot be
/// examined).
pub(crate) fn of(args: &BuildArgs, inv: &Inventory) -> Option<String> {
    if !inv.complete() {
        return None;
    }
    let mut entries: Vec<(&str, u64, u128)> = Vec::with_capacity(inv.entries().len() + 1);
    for input in INPUTS {
        if inv.get(input).is_none() {
            entries.push((input, u64::MAX, 0));
        }
    }
    for e in inv.entries() {
        let mtime = e.modified?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
        let len = if e.kind == Kind::Dir { u64::MAX - 1 } else { e.len };
        entries.push((&e.path, len, mtime));
    }
    let exe = std::env::current_exe().ok().and_then(|e| std::fs::metadata(e).ok());
    let exe_stamp = exe
        .and_then(|m| {
            Some((m.len(), m.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos()))
        })
        .unwrap_or_default();
    let mut a = Stable::new(Stable::BASIS);
    let mut b = Stable::new(0x6c62_272e_07bb_0142);
    let mut feed = |bytes: &[u8]| {
        a.write(bytes);
        b.write(bytes);
        b.write(&[0xff]);
    };
    feed(env!("CARGO_PKG_VERSION").as_bytes());
    feed(&exe_stamp.0.to_le_bytes());
    feed(&exe_stamp.1.to_le_bytes());
    feed(args.base_url.as_deref().unwrap_or("").as_bytes());
    feed(&[u8::from(args.drafts)]);
    for (path, len, mtime) in &entries {
        feed(path.as_bytes());
        feed(&[0]);
        feed(&len.to_le_bytes());
        feed(&mtime.to_le_bytes());
    }
    Some(format!("{:016x}{:016x}", a.finish(), b.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_follows_sources_and_options() {
        let dir = tempfile::tempdir().expect("temp");
        std::fs::write(dir.path().join("book.toml"), "a").expect("write");
        let args = BuildArgs { root: dir.path().to_path_buf(), ..BuildArgs::default() };
        let of = |args: &BuildArgs| of(args, &Inventory::take(&args.root));
        let first = of(&args).expect("fingerprint");
        assert_eq!(of(&args), Some(first.clone()), "stable");
        let drafts = BuildArgs { drafts: true, ..args.clone() };
        assert_ne!(of(&drafts), Some(first.clone()));
        std::fs::create_dir(dir.path().join("content")).expect("dir");
        std::fs::write(dir.path().join("content/index.md"), "x").expect("write");
        assert_ne!(of(&args), Some(first));
    }
}
