//! `briefing check`: everything a build checks (sources, cross-references,
//! templates), with the rendering done in memory and nothing written.

use std::path::Path;

use crate::diag::Diagnostics;
use crate::site::{self, LoadOptions};

/// Checks the site at `root`.
///
/// # Errors
/// Every diagnostic, when there is at least one error. On success, the warnings.
pub fn check(root: &Path, drafts: bool) -> Result<Diagnostics, Diagnostics> {
    let (mut site, warnings) = site::load(root, &LoadOptions { drafts, base_url: None })?;
    let files = crate::render::render(&mut site, &crate::render::Previous::default())?;
    let broken = crate::linkcheck::check(&site, &files);
    if broken.has_errors() {
        return Err(broken);
    }
    Ok(warnings)
}
