//! An editing session: the site built in memory and rebuilt after each
//! change with as little work as the change needs. Files whose size and
//! time did not change are not parsed again (`site::Cache`); pages whose
//! inputs did not change are not rendered again (`render::Memo`); links are
//! checked on the pages that changed, and on every page when a page or an
//! id went away. `serve` holds one; nothing here touches the disk but the
//! reading of the sources.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diag::Diagnostics;
use crate::hash::{Fast, FastMap, FastSet};
use crate::inventory::Inventory;
use crate::linkcheck::{self, Targets};
use crate::render::{self, Incremental, Memo, OutputFile, Previous, Rendered, SearchPlan};
use crate::site::{self, Cache, LoadOptions, Site};

/// The files of a build, by output path, shared with whoever serves them.
pub type Files = FastMap<String, Arc<Vec<u8>>>;

/// A site being edited.
pub struct Session {
    root: PathBuf,
    load: LoadOptions,
    cache: Cache,
    memo: Memo,
    files: Arc<Files>,
    /// The ids of every page of `files`, for link checking.
    ids: FastMap<String, FastSet<String>>,
    /// The site of the last good build (its pages lent by `cache`).
    site: Option<Site>,
    /// What the last good build read, when it loaded the site.
    seen: Option<Inventory>,
    /// Did the last good build have no warnings? (A patched site has none
    /// to show again.)
    clean: bool,
    /// Is the search index of the last good build still to be made?
    search_pending: bool,
}

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// How many page files were parsed (the others were unchanged). A patch
    /// counts the translations it parsed again; a load parses every
    /// translation and counts none.
    pub parsed: usize,
    /// The pages rendered with a template, sorted by output path.
    pub rendered: Vec<String>,
    /// The files added or changed, sorted.
    pub changed: Vec<String>,
    /// The files that went away, sorted.
    pub removed: Vec<String>,
    /// How many pages had their links checked.
    pub link_checked: usize,
    /// The warnings of the build.
    pub warnings: Diagnostics,
    /// Is the search index still to be made (`finish_search`)?
    pub search_pending: bool,
    /// Were the saved pages put into the last site in place (`site::patch`)
    /// rather than the site loaded again?
    pub patched: bool,
    /// How long it took.
    pub took: Duration,
}

impl Session {
    /// A session on the site at `root`; nothing is built yet.
    pub fn new(root: PathBuf, load: LoadOptions) -> Self {
        Session {
            root,
            load,
            cache: Cache::default(),
            memo: Memo::default(),
            files: Arc::new(Files::default()),
            ids: FastMap::default(),
            site: None,
            seen: None,
            clean: false,
            search_pending: false,
        }
    }

    /// The files of the last good build.
    pub fn files(&self) -> Arc<Files> {
        Arc::clone(&self.files)
    }

    /// Builds what changed since the last good build. With
    /// `SearchPlan::Defer` the search index is left as it was, to be made by
    /// `finish_search`. On failure nothing of the last good build changes.
    ///
    /// # Errors
    /// Every error of the build (warnings included).
    pub fn rebuild(&mut self, search: SearchPlan) -> Result<Rebuild, Diagnostics> {
        let inv = Inventory::take(&self.root);
        self.run(search, Some(&inv))
    }

    /// `rebuild`, reading the files as `inv` (taken just before) lists them:
    /// what a watcher that has just looked at every file already knows.
    ///
    /// # Errors
    /// As `rebuild`.
    pub(crate) fn rebuild_seen(
        &mut self,
        search: SearchPlan,
        inv: &Inventory,
    ) -> Result<Rebuild, Diagnostics> {
        self.run(search, Some(inv))
    }

    /// Makes the search index that a deferred rebuild left out (nothing if
    /// none was).
    ///
    /// # Errors
    /// Template errors of the search page.
    pub fn finish_search(&mut self) -> Result<Rebuild, Diagnostics> {
        if !self.search_pending {
            return Ok(Rebuild::default());
        }
        self.run(SearchPlan::Now, None)
    }

    /// Loads the site again from `inv`, or, without one, takes up the site
    /// whose search index was deferred.
    fn run(&mut self, search: SearchPlan, inv: Option<&Inventory>) -> Result<Rebuild, Diagnostics> {
        let started = Instant::now();
        let Some(Loaded { mut site, warnings, patched }) = self.load(inv)? else {
            return Ok(Rebuild::default());
        };
        let parsed = if inv.is_some() { self.cache.parsed() } else { 0 };
        let out = match self.render(&mut site, search) {
            Ok(out) => out,
            Err(e) => {
                self.cache.restore(site);
                return Err(e);
            }
        };
        let merged = self.merge(out.files, out.kept);
        let links = self.check_links(&site, &merged);
        if links.broken.has_errors() {
            self.cache.restore(site);
            self.put_back_ids(links.undo);
            let mut all = warnings;
            all.extend(links.broken);
            return Err(all);
        }
        if let Some(inv) = inv {
            self.seen = Some(inv.clone());
            self.clean = warnings.is_empty();
        }
        let mut warnings = warnings;
        warnings.extend(links.broken);

        self.memo = out.memo;
        self.files = Arc::new(merged.files);
        self.search_pending = out.search_deferred;
        self.site = Some(site);
        Ok(Rebuild {
            parsed,
            rendered: out.rendered,
            changed: merged.changed,
            removed: merged.removed,
            link_checked: links.checked,
            warnings,
            search_pending: out.search_deferred,
            patched,
            took: started.elapsed(),
        })
    }

    /// The site to render: the last one with the saved pages patched in,
    /// or the site loaded again from `inv`; without `inv`, the last one as
    /// it is (none if there is none).
    fn load(&mut self, inv: Option<&Inventory>) -> Result<Option<Loaded>, Diagnostics> {
        let Some(inv) = inv else {
            return Ok(self.site.take().map(|site| Loaded {
                site,
                warnings: Diagnostics::new(),
                patched: false,
            }));
        };
        // An edit of a page's text alone patches the last site;
        // anything else loads it again (from the parse cache).
        let kept = match (self.site.take(), &self.seen) {
            (Some(mut site), Some(seen)) if self.clean => match inv.changed_since(seen) {
                Some(changed) if site::patch(&mut site, &self.root, &changed, &mut self.cache) => {
                    return Ok(Some(Loaded { site, warnings: Diagnostics::new(), patched: true }));
                }
                _ => Some(site),
            },
            (site, _) => site,
        };
        if let Some(site) = kept {
            self.cache.restore(site);
        }
        let (site, warnings) = site::load_with(&self.root, &self.load, inv, Some(&mut self.cache))?;
        Ok(Some(Loaded { site, warnings, patched: false }))
    }

    /// Renders what changed since the last good build (the figure previews
    /// of the last build are reused).
    fn render(&self, site: &mut Site, search: SearchPlan) -> Result<Rendered, Diagnostics> {
        let previous = Previous {
            files: self
                .files
                .iter()
                .filter(|(p, _)| p.ends_with(".png"))
                .map(|(p, b)| (p.clone(), b.to_vec()))
                .collect(),
        };
        let out =
            render::render_incremental(site, &previous, Incremental { memo: &self.memo, search });
        if out.as_ref().is_ok_and(|o| o.kept.iter().any(|p| !self.files.contains_key(p))) {
            // The memo and the files disagree (they never should): render all.
            let memo = Memo::default();
            return render::render_incremental(
                site,
                &previous,
                Incremental { memo: &memo, search },
            );
        }
        out
    }

    /// The files of the new build: the `kept` files of the last one and the
    /// files `made`, with what changed and what went away.
    fn merge(&self, made: Vec<OutputFile>, kept: Vec<String>) -> Merged {
        let mut files = Files::with_capacity_and_hasher(made.len() + kept.len(), Fast::default());
        for path in kept {
            if let Some(bytes) = self.files.get(&path) {
                files.insert(path, Arc::clone(bytes));
            }
        }
        let mut changed = Vec::new();
        for f in made {
            if self.files.get(&f.path).is_none_or(|old| **old != f.bytes) {
                changed.push(f.path.clone());
            }
            files.insert(f.path, Arc::new(f.bytes));
        }
        let mut removed: Vec<String> =
            self.files.keys().filter(|p| !files.contains_key(*p)).cloned().collect();
        removed.sort();
        changed.sort();
        Merged { files, changed, removed }
    }

    /// Checks the links of the changed pages, or of every page when
    /// something they may have linked to went away. The ids are updated in
    /// place; `put_back_ids` undoes that if the build fails.
    fn check_links(&mut self, site: &Site, merged: &Merged) -> LinkCheck {
        let Merged { files, changed, removed } = merged;
        let first = self.ids.is_empty();
        let mut lost = !removed.is_empty();
        let mut undo: Vec<(String, Option<FastSet<String>>)> = Vec::new();
        for path in removed {
            undo.push((path.clone(), self.ids.remove(path)));
        }
        for path in changed.iter().filter(|p| p.ends_with(".html")) {
            let new = linkcheck::owned_ids(&files[path]);
            let old = self.ids.insert(path.clone(), new);
            if let Some(old) = &old {
                lost |= old.iter().any(|id| !self.ids[path].contains(id));
            }
            undo.push((path.clone(), old));
        }
        let to_check: Vec<(&str, &[u8])> = files
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .filter(|(p, _)| first || lost || changed.binary_search(p).is_ok())
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        let found = linkcheck::found_links(&to_check);
        let broken = linkcheck::check_pages(site, &Known { files, ids: &self.ids }, &found);
        LinkCheck { broken, undo, checked: to_check.len() }
    }

    /// Puts back the ids that `check_links` replaced, last first.
    fn put_back_ids(&mut self, undo: Vec<(String, Option<FastSet<String>>)>) {
        for (path, old) in undo.into_iter().rev() {
            match old {
                Some(ids) => self.ids.insert(path, ids),
                None => self.ids.remove(&path),
            };
        }
    }
}

/// The site a rebuild renders, and how it came.
struct Loaded {
    site: Site,
    /// The warnings of the load (none for a patched or deferred site).
    warnings: Diagnostics,
    /// Were the saved pages patched into the last site?
    patched: bool,
}

/// The files of a new build, and how they differ from the last one's.
struct Merged {
    files: Files,
    /// The paths added or changed, sorted.
    changed: Vec<String>,
    /// The paths that went away, sorted.
    removed: Vec<String>,
}

/// What checking the links of a new build found.
struct LinkCheck {
    /// The broken links.
    broken: Diagnostics,
    /// Each page's ids before the check, to put back if the build fails.
    undo: Vec<(String, Option<FastSet<String>>)>,
    /// How many pages had their links checked.
    checked: usize,
}

/// The files and ids of a build in the making.
struct Known<'a> {
    files: &'a Files,
    ids: &'a FastMap<String, FastSet<String>>,
}

impl Targets for Known<'_> {
    fn has_path(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }
    fn has_id(&self, path: &str, id: &str) -> bool {
        self.ids.get(path).is_some_and(|set| set.contains(id))
    }
}
