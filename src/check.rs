//! `briefing check`: everything a build checks (sources, cross-references,
//! templates, internal links), with nothing written: each rendered page is
//! dropped once its links and ids are taken; with `--external`, the site is
//! held and the links to other sites are fetched too.

use std::path::Path;

use crate::diag::Diagnostics;
use crate::external;
use crate::progress::Progress;
use crate::site::{self, LoadOptions};

/// What `check` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Check drafts too.
    pub drafts: bool,
    /// Fetch external links with these options; `None` leaves the network alone.
    pub external: Option<external::Options>,
}

/// What `check` found in a site that could be rendered.
#[derive(Debug)]
pub struct Checked {
    /// The warnings, and the broken internal links.
    pub diagnostics: Diagnostics,
    /// The external links, when they were checked.
    pub external: Option<external::Report>,
}

impl Checked {
    /// Did the check find any error, inside the site or out?
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors() || self.external.as_ref().is_some_and(|r| r.has_errors())
    }
}

/// Checks the site at `root`.
///
/// # Errors
/// Every diagnostic, when there is at least one error. On success, the warnings.
pub fn check(root: &Path, drafts: bool) -> Result<Diagnostics, Diagnostics> {
    let checked = check_with(root, &CheckOptions { drafts, external: None }, &Progress::hidden())?;
    if checked.diagnostics.has_errors() {
        return Err(checked.diagnostics);
    }
    Ok(checked.diagnostics)
}

/// Checks the site at `root` as `opts` say, showing its stages on
/// `progress`. Broken internal links do not stop the external check, so that
/// one run reports both.
///
/// # Errors
/// Every diagnostic, when the site cannot be loaded or rendered.
pub fn check_with(
    root: &Path,
    opts: &CheckOptions,
    progress: &Progress,
) -> Result<Checked, Diagnostics> {
    progress.stage("reading the sources", None);
    let (mut site, mut diagnostics) =
        site::load(root, &LoadOptions { drafts: opts.drafts, base_url: None })?;
    // Figure previews of the last build are reused (read, never written).
    let out = root.join(&site.config.site.output_dir);
    let previous = crate::output::read_previous(&out, &crate::render::Previous::wanted(&site));
    let Some(external) = &opts.external else {
        // Only the links and ids of each page are kept, as `build` does.
        let links = crate::linkcheck::Extractor::default();
        let rendered = crate::render::render_to(&mut site, &previous, progress, &links)?;
        progress.stage("checking links", None);
        diagnostics.extend(links.check(&site, &rendered.streamed));
        return Ok(Checked { diagnostics, external: None });
    };
    // The external check reads every page again: the site is held.
    let files = crate::render::render_with_progress(&mut site, &previous, progress)?;
    progress.stage("checking links", None);
    diagnostics.extend(crate::linkcheck::check(&site, &files));
    let external = Some(external::check(root, &site, &files, external, progress));
    Ok(Checked { diagnostics, external })
}
