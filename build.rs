//! Build script: the version `briefing --version` prints, with the git
//! commit the program is built from when it is built from a git checkout
//! (`0.1.0 (1a2b3c4)`), else the crate's version alone. Nothing else of the
//! machine or the time goes in, so a build stays reproducible; pages never
//! show the commit (their generator tag says the version only).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let long = match commit(&manifest) {
        Some(commit) => format!("{version} ({commit})"),
        None => version,
    };
    println!("cargo:rustc-env=BRIEFING_LONG_VERSION={long}");
}

/// The short id of the commit checked out at `root`, if `root` is a git
/// checkout (its own, not one of a folder above it: a crate unpacked inside
/// another repository has no commit) and git runs. Asks cargo to run this
/// script again when HEAD or the branch it names moves.
fn commit(root: &Path) -> Option<String> {
    // `.git` is a folder in a clone, a file in a worktree.
    if !root.join(".git").exists() {
        return None;
    }
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git").arg("-C").arg(root).args(args).output().ok()?;
        let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
        (out.status.success() && !text.is_empty()).then_some(text)
    };
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])?];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.extend(git(&["rev-parse", "--git-path", &branch]));
    }
    watched.extend(git(&["rev-parse", "--git-path", "packed-refs"]));
    for path in watched {
        let path = root.join(path);
        // A path that does not exist would make cargo run this every build;
        // a branch whose ref is packed gets a file of its own at its next
        // commit, in a folder that is watched instead.
        let watch = if path.exists() { Some(path.as_path()) } else { path.parent() };
        if let Some(watch) = watch.filter(|p| p.exists()) {
            println!("cargo:rerun-if-changed={}", watch.display());
        }
    }
    git(&["rev-parse", "--short=7", "HEAD"])
}
