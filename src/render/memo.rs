//! What `serve` keeps between renders so that the next one renders only the
//! pages whose inputs changed. Every page made with a template gets a key, a
//! hash of everything it is made from: the site's global inputs
//! (`Site::inputs`, the navigation), the template and every template it
//! extends, includes or imports, and the page's own inputs (its source's
//! fingerprint, the fills of its holes, the list items it shows...). A page
//! whose key is the one it had is not rendered again: its previous bytes
//! still hold. A plain `build` keeps no memo and computes no key.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::OutputFile;
use super::context::CaseSummary;
use crate::hash::{FastMap, FastSet};

/// The keys and parts of the last render.
#[derive(Debug, Default, Clone)]
pub struct Memo {
    /// The key each output path was made from (pages, and the search files).
    pub(super) keys: FastMap<String, u64>,
    /// Each case study's summary and list item, by output prefix and page key.
    pub(super) items: FastMap<String, FastMap<String, Arc<Item>>>,
    /// Each page's section of the print edition, by output path.
    pub(super) sections: FastMap<String, String>,
    /// A hash of the paths of the pages of each language, by output prefix:
    /// when a page goes away, the search index cannot wait (it links to it).
    pub(super) page_sets: FastMap<String, u64>,
    /// Each chart's SVG and what it was drawn from, by output prefix and figure id.
    pub(super) svgs: FastMap<String, (u64, String)>,
}

/// A page's summary and its item in lists (none but for case studies).
#[derive(Debug, Clone)]
pub(super) struct Item {
    /// A hash of what they were made from.
    pub(super) from: u64,
    pub(super) summary: Option<CaseSummary>,
    pub(super) html: String,
    /// A hash of what the item shows.
    pub(super) key: u64,
}

/// When the search index is made. It depends on every page, so any edit
/// changes it, and at 10,000 case studies it takes longer than the rest of
/// an edit's rebuild: `serve` serves the pages first and the index after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchPlan {
    /// With the pages.
    Now,
    /// Not now: the previous index files are kept, and keep their old
    /// keys, so that the next render with `Now` makes them (and, given the
    /// same site, keeps every other page).
    Defer,
}

/// A render that may keep what an earlier one made.
#[derive(Debug, Clone, Copy)]
pub struct Incremental<'a> {
    /// What the earlier render made.
    pub memo: &'a Memo,
    /// When to make the search index.
    pub search: SearchPlan,
}

/// What an incremental render made.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The files made by this render, sorted by path; a file the previous
    /// render made with the same bytes may be among them.
    pub files: Vec<OutputFile>,
    /// The paths of the files handed to a sink (`render_to`), sorted.
    pub streamed: Vec<String>,
    /// The paths of the previous render whose files still hold as they were.
    pub kept: Vec<String>,
    /// The paths of the pages rendered with a template, sorted.
    pub rendered: Vec<String>,
    /// The memo for the next render.
    pub memo: Memo,
    /// Was a changed search index left for later (`SearchPlan::Defer`)?
    pub search_deferred: bool,
}

/// Each template's key: its text and the keys of the templates it extends,
/// includes or imports.
pub(super) fn template_keys(texts: &BTreeMap<String, String>) -> FastMap<String, u64> {
    fn key(
        name: &str,
        texts: &BTreeMap<String, String>,
        done: &mut FastMap<String, u64>,
        visiting: &mut FastSet<String>,
    ) -> u64 {
        if let Some(k) = done.get(name) {
            return *k;
        }
        let Some(text) = texts.get(name) else { return crate::hash::of(("missing", name)) };
        if !visiting.insert(name.to_string()) {
            return crate::hash::of(text);
        }
        let mut refs = references(text);
        refs.sort();
        refs.dedup();
        let parts: Vec<u64> = refs.iter().map(|r| key(r, texts, done, visiting)).collect();
        visiting.remove(name);
        let k = crate::hash::of((text, parts));
        done.insert(name.to_string(), k);
        k
    }
    let mut done = FastMap::default();
    for name in texts.keys() {
        key(name, texts, &mut done, &mut FastSet::default());
    }
    done
}

/// The template names a template's `{% extends %}`, `{% include %}` and
/// `{% import %}` tags name.
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        let tag_start = start + 2;
        let Some(len) = rest[tag_start..].find("%}") else { break };
        let tag = rest[tag_start..tag_start + len].trim_start_matches('-').trim_start();
        if ["extends", "include", "import"].iter().any(|w| tag.starts_with(w)) {
            let mut quoted = tag;
            while let Some(q) = quoted.find(['"', '\'']) {
                let mark = &quoted[q..=q];
                let Some(end) = quoted[q + 1..].find(mark) else { break };
                out.push(quoted[q + 1..q + 1 + end].to_string());
                quoted = &quoted[q + 1 + end + 1..];
            }
        }
        rest = &rest[tag_start + len + 2..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_key_follows_what_it_extends_and_includes() {
        let mut texts = BTreeMap::new();
        texts.insert("base.html".to_string(), "<html>{% block x %}{% endblock %}".to_string());
        texts.insert(
            "case.html".to_string(),
            "{% extends \"base.html\" %}{%- include 'partials/a.html' -%}".to_string(),
        );
        texts.insert("partials/a.html".to_string(), "a".to_string());
        texts.insert("other.html".to_string(), "{% import \"macros.html\" as m %}".to_string());
        let before = template_keys(&texts);
        texts.insert("partials/a.html".to_string(), "b".to_string());
        let after = template_keys(&texts);
        assert_ne!(before["case.html"], after["case.html"]);
        assert_ne!(before["partials/a.html"], after["partials/a.html"]);
        assert_eq!(before["base.html"], after["base.html"]);
        assert_eq!(before["other.html"], after["other.html"]);
        assert_eq!(references("{% import \"macros.html\" as m %}"), vec!["macros.html"]);
    }

    #[test]
    fn templates_that_include_each_other_still_get_keys() {
        let mut texts = BTreeMap::new();
        texts.insert("a.html".to_string(), "{% include \"b.html\" %}".to_string());
        texts.insert("b.html".to_string(), "{% include \"a.html\" %}".to_string());
        let keys = template_keys(&texts);
        assert_eq!(keys.len(), 2);
    }
}
