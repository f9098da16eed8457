//! Shared by the integration tests: `TestSite`, a site in a temporary folder
//! (copied from tests/fixtures/<name>/ or written inline), built through the
//! library or the real binary, with helpers to read what came out; the texts
//! of small sites written inline (`fixtures`); and broken sites, built good
//! then broken (`broken`). tests/README.md says how they are used.

// Each test crate uses a different part of this module.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use briefing::cli::BuildArgs;
use briefing::diag::Diagnostic;
use briefing::{Built, Failure};
use tempfile::TempDir;

use fixtures::{BOOK, INDEX};

pub(crate) mod broken;
pub(crate) mod fixtures;

/// A site in a fresh temporary folder. The site root is `<tmp>/site`, so that
/// tests about what a build may touch outside the root still stay inside `<tmp>`.
pub(crate) struct TestSite {
    tmp: TempDir,
    root: PathBuf,
}

impl TestSite {
    /// An empty site folder.
    pub(crate) fn new() -> Self {
        let tmp = tempfile::Builder::new().prefix("briefing-test-").tempdir().expect("temp dir");
        let root = tmp.path().join("site");
        fs::create_dir(&root).expect("site dir");
        TestSite { tmp, root }
    }

    /// A copy of tests/fixtures/<name>/.
    pub(crate) fn fixture(name: &str) -> Self {
        let from = fixture_dir(name);
        assert!(from.is_dir(), "no fixture {}", from.display());
        let site = TestSite::new();
        copy_tree(&from, &site.root);
        site
    }

    /// A site with just `fixtures::BOOK` and `fixtures::INDEX`, to which a test adds its files.
    pub(crate) fn minimal() -> Self {
        TestSite::new().file("book.toml", BOOK).file("content/index.md", INDEX)
    }

    /// Writes `text` to `rel` (relative to the site root), creating folders.
    pub(crate) fn file(self, rel: &str, text: &str) -> Self {
        self.write(rel, text);
        self
    }

    /// Writes `bytes` to `rel` (relative to the site root), creating folders.
    pub(crate) fn write(&self, rel: impl AsRef<Path>, bytes: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("create folders");
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Removes the file `rel` of the site.
    pub(crate) fn remove(&self, rel: &str) {
        fs::remove_file(self.root.join(rel)).expect("remove");
    }

    /// The site root.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// The temporary folder that holds the site root (`root()/..`).
    pub(crate) fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    /// The default output folder, `<root>/public`.
    pub(crate) fn out(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Builds through the library with default arguments.
    pub(crate) fn build(&self) -> Result<Built, Failure> {
        self.build_with(BuildArgs::default())
    }

    /// Builds through the library; `args.root` is set to the site root.
    pub(crate) fn build_with(&self, args: BuildArgs) -> Result<Built, Failure> {
        briefing::build(&BuildArgs { root: self.root.clone(), ..args })
    }

    /// Builds and panics with the whole report if the build fails.
    pub(crate) fn build_ok(&self) -> Built {
        self.build_ok_with(BuildArgs::default())
    }

    /// `build_with`, panicking with the whole report if the build fails.
    pub(crate) fn build_ok_with(&self, args: BuildArgs) -> Built {
        match self.build_with(args) {
            Ok(built) => built,
            Err(Failure::Site(d)) => panic!("the build failed:\n{}", d.report()),
            Err(Failure::Env(e)) => panic!("the build failed: {e:#}"),
        }
    }

    /// Builds through the library, expects site errors and returns them sorted.
    pub(crate) fn build_errors(&self) -> Vec<Diagnostic> {
        match self.build() {
            Ok(_) => panic!("the build succeeded, but errors were expected"),
            Err(Failure::Site(d)) => d.sorted(),
            Err(Failure::Env(e)) => panic!("expected site errors, got an environment error: {e:#}"),
        }
    }

    /// The text of the output file `rel` (under public/).
    pub(crate) fn read(&self, rel: &str) -> String {
        let path = self.out().join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("read {}: {e}; the output has {:?}", path.display(), self.files())
        })
    }

    /// The text of the site file `rel` (under the root).
    pub(crate) fn source(&self, rel: &str) -> String {
        fs::read_to_string(self.root.join(rel)).expect("read source")
    }

    /// Is there an output file `rel`?
    pub(crate) fn has(&self, rel: &str) -> bool {
        self.out().join(rel).is_file()
    }

    /// Every file of the output, relative, sorted, with `/`.
    pub(crate) fn files(&self) -> Vec<String> {
        list_files(&self.out())
    }

    /// The output path of the theme's file `name` (`style.css`), which is
    /// written under a name with a hash of its content
    /// (`style.1a2b3c4d.css`); panics unless there is exactly one.
    pub(crate) fn asset(&self, name: &str) -> String {
        hashed_asset(&self.files(), name)
    }

    /// The output path of the search index's file `rel` (`t/0.json`) of the
    /// language at `prefix` (`""` or `"fr/"`): in the folder that its
    /// index.json names (`search/1a2b3c4d/t/0.json`).
    pub(crate) fn search_file(&self, prefix: &str, rel: &str) -> String {
        let head: serde_json::Value =
            serde_json::from_str(&self.read(&format!("{prefix}search/index.json")))
                .expect("index.json is JSON");
        let folder = head["files"].as_str().expect("index.json names its folder");
        format!("{prefix}search/{folder}{rel}")
    }

    /// Runs the binary with `args` followed by `--root <root>`.
    pub(crate) fn cli(&self, args: &[&str]) -> (i32, String, String) {
        let root = self.root.to_str().expect("UTF-8 temp path");
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--root", root]);
        run_in(self.tmp(), &all)
    }
}

/// tests/fixtures/<name>.
pub(crate) fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Runs the binary with `args` in the folder `cwd`; returns (status, stdout, stderr).
/// Any panic message in stderr fails the test: authors' mistakes are not crashes.
pub(crate) fn run_in(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        // `new case` dates files with the local date: make it UTC's, as the tests compute it.
        .env("TZ", "UTC0")
        .output()
        .expect("run briefing");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "briefing {args:?} panicked:\n{stderr}");
    let status = out.status.code().expect("briefing was killed by a signal");
    (status, String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

/// The one path of `files` that is `name` (`style.css`, `css/a.css`) with 8
/// hex digits before its extension (`style.1a2b3c4d.css`).
pub(crate) fn hashed_asset(files: &[String], name: &str) -> String {
    let (stem, ext) = name.rsplit_once('.').expect("a name with an extension");
    let found: Vec<&String> = files
        .iter()
        .filter(|f| {
            f.strip_prefix(stem)
                .and_then(|rest| rest.strip_prefix('.'))
                .and_then(|rest| rest.strip_suffix(ext))
                .and_then(|rest| rest.strip_suffix('.'))
                .is_some_and(|hash| hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .collect();
    assert_eq!(found.len(), 1, "one hashed {name} in {files:?}");
    found[0].clone()
}

/// Every file under `dir`, relative, sorted, with `/`; empty if `dir` does not exist.
pub(crate) fn list_files(dir: &Path) -> Vec<String> {
    tree(dir).into_keys().collect()
}

/// Every file under `dir` with its bytes, by relative path.
pub(crate) fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut |rel, path| {
        out.insert(rel, fs::read(path).expect("read output file"));
    });
    out
}

/// Every file under `dir` with its modification time, by relative path.
pub(crate) fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut |rel, path| {
        out.insert(rel, fs::metadata(path).and_then(|m| m.modified()).expect("mtime"));
    });
    out
}

/// Sets the modification time of every file under `dir` to `when`.
pub(crate) fn set_mtimes(dir: &Path, when: SystemTime) {
    walk(dir, dir, &mut |_, path| {
        let f = fs::File::options().write(true).open(path).expect("open to set mtime");
        f.set_modified(when).expect("set mtime");
    });
}

fn walk(base: &Path, dir: &Path, f: &mut dyn FnMut(String, &Path)) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.map(|e| e.expect("dir entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(base, &path, f);
        } else {
            let rel = path.strip_prefix(base).expect("inside base");
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>();
            f(rel.join("/"), &path);
        }
    }
}

/// Copies the folder `from` and everything in it to `to`.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// Every value of the attribute `attr` in `html` (`href="..."`), in order.
pub(crate) fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').expect("closing quote");
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// The position of `needle` in `haystack`, panicking with both when absent.
pub(crate) fn pos(haystack: &str, needle: &str) -> usize {
    haystack.find(needle).unwrap_or_else(|| panic!("{needle:?} not found in:\n{haystack}"))
}

/// Today's date in UTC as YYYY-MM-DD, computed independently of the library.
pub(crate) fn today_utc() -> String {
    today_at_offset(0)
}

/// Today's date as YYYY-MM-DD where the clock is `offset` seconds ahead of UTC.
pub(crate) fn today_at_offset(offset: i64) -> String {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64
        + offset;
    let days = secs.div_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's days_from_civil inverse).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
