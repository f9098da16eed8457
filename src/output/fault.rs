//! Faults a test can ask for through `BRIEFING_TEST_FAULT`, to show what
//! a stopped or failing build leaves: `abort-commit-after=N` ends the
//! process (as a kill would: nothing is cleaned up) after the N-th step of
//! a commit; `no-space-at=PATH` fails the writing of the output file PATH
//! as a full disk would, once its bytes are on disk (a file left to clean).

use std::sync::OnceLock;

fn setting() -> &'static Option<(String, String)> {
    static SETTING: OnceLock<Option<(String, String)>> = OnceLock::new();
    SETTING.get_or_init(|| {
        let v = std::env::var("BRIEFING_TEST_FAULT").ok()?;
        let (k, v) = v.split_once('=')?;
        Some((k.to_string(), v.to_string()))
    })
}

/// Ends the process after commit step `n`, if asked to.
pub(super) fn step(n: usize) {
    if let Some((k, v)) = setting()
        && k == "abort-commit-after"
        && v.parse() == Ok(n)
    {
        std::process::abort();
    }
}

/// A full disk at `path`, if asked for.
pub(super) fn write(path: &str) -> std::io::Result<()> {
    match setting() {
        Some((k, v)) if k == "no-space-at" && v == path => {
            Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
        }
        _ => Ok(()),
    }
}
