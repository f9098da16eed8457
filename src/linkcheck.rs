//! Internal link checking over the rendered site, before anything is
//! written: every `href` and `src` inside the site must name a file the build
//! produces, and every `#fragment` an id of that page. A broken link written
//! in Markdown is reported at its line; one written by a template names the
//! output page.

use std::borrow::Cow;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::hash::{FastMap, FastSet};
use crate::output_file::OutputFile;
use crate::site::Site;

/// What links may lead to: the site's files and the ids of its pages.
pub(crate) trait Targets: Sync {
    /// Is there a file at `path` (relative to the output folder)?
    fn has_path(&self, path: &str) -> bool;
    /// Has the page at `path` an element with this id?
    fn has_id(&self, path: &str, id: &str) -> bool;
}

/// The targets of a set of rendered files, borrowed from them.
struct Borrowed<'a> {
    paths: FastSet<&'a str>,
    ids: FastMap<&'a str, FastSet<&'a str>>,
}

impl Targets for Borrowed<'_> {
    fn has_path(&self, path: &str) -> bool {
        self.paths.contains(path)
    }
    fn has_id(&self, path: &str, id: &str) -> bool {
        self.ids.get(path).is_some_and(|set| set.contains(id))
    }
}

/// Checks the links of `files`, the whole rendered `site`.
pub fn check(site: &Site, files: &[OutputFile]) -> Diagnostics {
    let html: Vec<(&str, &[u8])> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let targets = Borrowed {
        paths: files.iter().map(|f| f.path.as_str()).collect(),
        ids: html.par_iter().map(|(path, bytes)| (*path, ids_of(bytes))).collect(),
    };
    check_pages(site, &targets, &found_links(&html))
}

/// The addresses linked to from the pages of a build, each kept once
/// (most links are the same on every page), numbered as first met.
#[derive(Debug, Default)]
pub(crate) struct Addresses {
    index: FastMap<Arc<str>, u32>,
    all: Vec<Arc<str>>,
}

impl Addresses {
    fn number(&mut self, url: &str) -> u32 {
        if let Some(&n) = self.index.get(url) {
            return n;
        }
        let n = u32::try_from(self.all.len()).unwrap_or(u32::MAX);
        let url: Arc<str> = Arc::from(url);
        self.index.insert(Arc::clone(&url), n);
        self.all.push(url);
        n
    }
}

/// What link checking needs of one page, kept after its bytes are gone:
/// the numbers of its links in `Addresses`, and its ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageLinks {
    /// The page's path in the output.
    pub path: String,
    links: Vec<u32>,
    ids: Vec<Box<str>>,
}

impl PageLinks {
    /// The links and ids of the page at `path`, its addresses numbered in `addresses`.
    pub(crate) fn of(path: &str, html: &[u8], addresses: &Mutex<Addresses>) -> PageLinks {
        let mut links: Vec<&str> = Vec::new();
        let mut ids: Vec<&str> = Vec::new();
        attributes(html, |name, value| match name {
            Attribute::Id => ids.push(value),
            Attribute::Link => links.push(value),
        });
        let links: Vec<Cow<str>> = site_links(links).collect();
        let mut numbers: Vec<u32> = {
            let mut addresses = addresses.lock().unwrap_or_else(PoisonError::into_inner);
            links.iter().map(|l| addresses.number(l)).collect()
        };
        numbers.sort_unstable();
        numbers.dedup();
        ids.sort_unstable();
        ids.dedup();
        PageLinks {
            path: path.to_string(),
            links: numbers,
            ids: ids.into_iter().map(Box::from).collect(),
        }
    }
}

/// A `render::Sink` that keeps what link checking needs of each page and
/// drops its bytes: the links of a large site are checked without holding it.
#[derive(Debug, Default)]
pub(crate) struct Extractor {
    pages: Mutex<Vec<PageLinks>>,
    addresses: Mutex<Addresses>,
}

impl Extractor {
    /// Checks the links of every page taken, all the pages of the rendered
    /// `site`, against `paths`, all its files.
    pub(crate) fn check(self, site: &Site, paths: &[String]) -> Diagnostics {
        let mut pages = self.pages.into_inner().unwrap_or_else(PoisonError::into_inner);
        let addresses = self.addresses.into_inner().unwrap_or_else(PoisonError::into_inner);
        // In the order of their paths, whatever order they were rendered in.
        pages.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
        check_extracted(site, paths, &pages, &addresses)
    }
}

impl crate::render::Sink for Extractor {
    /// Takes the links and ids of `file` if it is a page.
    fn put(&self, file: &OutputFile) {
        if file.path.ends_with(".html") {
            let links = PageLinks::of(&file.path, &file.bytes, &self.addresses);
            self.pages.lock().unwrap_or_else(PoisonError::into_inner).push(links);
        }
    }
}

/// Checks the links of `pages`, all the pages of the rendered `site`,
/// against `paths`, all its files.
fn check_extracted(
    site: &Site,
    paths: &[String],
    pages: &[PageLinks],
    addresses: &Addresses,
) -> Diagnostics {
    let targets = Extracted {
        paths: paths.par_iter().map(String::as_str).collect(),
        ids: pages.par_iter().map(|p| (p.path.as_str(), &*p.ids)).collect(),
    };
    let numbered: Vec<(&str, &[u32])> =
        pages.iter().map(|p| (p.path.as_str(), &*p.links)).collect();
    check_numbered(site, &targets, &numbered, &addresses.all)
}

/// Checks the links of `pages` (each a path and the numbers of its links
/// in `addresses`) against `targets`. Most links are the same on every page
/// (navigation, stylesheet, terms), and a link from the site's root resolves
/// alike wherever it is: each such address is checked once.
fn check_numbered(
    site: &Site,
    targets: &dyn Targets,
    pages: &[(&str, &[u32])],
    addresses: &[Arc<str>],
) -> Diagnostics {
    let base = site.config.site.base_path.as_str();
    let rooted: Vec<Option<String>> = addresses
        .par_iter()
        .map(|url| url.starts_with('/').then(|| problem(url, "", base, targets)).flatten())
        .collect();
    let broken: Vec<(String, String, String)> = pages
        .par_iter()
        .flat_map_iter(|&(page, links)| {
            links
                .iter()
                .filter_map(|&n| {
                    let url = &*addresses[n as usize];
                    let why = if url.starts_with('/') {
                        rooted[n as usize].clone()
                    } else {
                        problem(url, page, base, targets)
                    };
                    why.map(|why| (page.to_string(), url.to_string(), why))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    report(site, broken)
}

/// The targets of a build whose pages were taken apart as they were
/// written: the ids of each page are sorted (`PageLinks`).
struct Extracted<'a> {
    paths: FastSet<&'a str>,
    ids: FastMap<&'a str, &'a [Box<str>]>,
}

impl Targets for Extracted<'_> {
    fn has_path(&self, path: &str) -> bool {
        self.paths.contains(path)
    }
    fn has_id(&self, path: &str, id: &str) -> bool {
        self.ids.get(path).is_some_and(|ids| ids.binary_search_by(|x| (**x).cmp(id)).is_ok())
    }
}

/// The links of each page `html` (path, bytes): entities decoded, each once.
pub(crate) fn found_links<'a>(html: &[(&'a str, &'a [u8])]) -> Vec<(&'a str, Vec<Cow<'a, str>>)> {
    html.par_iter().map(|(path, bytes)| (*path, page_links(bytes))).collect()
}

/// The links of one page inside the site: entities decoded, sorted, each once.
fn page_links(html: &[u8]) -> Vec<Cow<'_, str>> {
    let mut urls: Vec<Cow<str>> = site_links(links_of(html)).collect();
    urls.sort_unstable();
    urls.dedup();
    urls
}

/// The `links` (attribute values) that lead inside the site, entities
/// decoded: links out of it are never checked here (`external` does that).
fn site_links<'a>(links: Vec<&'a str>) -> impl Iterator<Item = Cow<'a, str>> {
    links.into_iter().map(decode_entities).filter(|l| !leaves_site(l))
}

/// The ids of a page, owned (`serve` keeps them between rebuilds).
pub(crate) fn owned_ids(html: &[u8]) -> FastSet<String> {
    ids_of(html).into_iter().map(str::to_string).collect()
}

/// Checks the links `found` on pages of `site` (`found_links`) against `targets`.
pub(crate) fn check_pages(
    site: &Site,
    targets: &dyn Targets,
    found: &[(&str, Vec<Cow<str>>)],
) -> Diagnostics {
    let mut addresses = Addresses::default();
    let numbers: Vec<Vec<u32>> =
        found.iter().map(|(_, urls)| urls.iter().map(|u| addresses.number(u)).collect()).collect();
    let pages: Vec<(&str, &[u32])> =
        found.iter().zip(&numbers).map(|((page, _), n)| (*page, &n[..])).collect();
    check_numbered(site, targets, &pages, &addresses.all)
}

/// The diagnostics of `broken` links (page, URL, why), each once, in order:
/// at the line of the Markdown that wrote the link, or at the output page.
fn report(site: &Site, broken: Vec<(String, String, String)>) -> Diagnostics {
    if broken.is_empty() {
        return Diagnostics::new();
    }
    // Where Markdown wrote a link, by (output page, URL as written).
    let mut written: FastMap<(String, &str), &Diagnostic> = FastMap::default();
    for s in std::iter::once(site).chain(&site.translations) {
        for p in &s.pages {
            for (url, at) in &p.body.links {
                written
                    .entry((format!("{}{}index.html", s.lang.prefix, p.path), url.as_str()))
                    .or_insert(at);
            }
        }
    }
    let mut diags = Diagnostics::new();
    let mut seen = FastSet::default();
    for (page, url, why) in broken {
        if !seen.insert((page.clone(), url.clone())) {
            continue;
        }
        let d = match written.get(&(page.clone(), url.as_str())) {
            Some(at) => {
                let mut d = (*at).clone();
                d.message = format!("broken link {url:?}: {why}");
                d.with_help("link to pages by their source file, as [text](@/cases/file.md#heading), so the address is checked and kept right")
            }
            None => Diagnostic::file_error(
                Code::BrokenLink,
                &format!("{page} (output)"),
                format!("broken link {url:?}: {why}"),
            )
            .with_help("the link is written by a template or by raw HTML; fix the address there"),
        };
        diags.push(d);
    }
    diags
}

/// Why `url`, found on `page`, does not resolve; `None` when it does or points outside the site.
fn problem(url: &str, page: &str, base: &str, targets: &dyn Targets) -> Option<String> {
    if leaves_site(url) {
        return None;
    }
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        page.to_string()
    } else if let Some(rest) = path.strip_prefix('/') {
        let Some(inside) = format!("/{rest}").strip_prefix(base).map(str::to_string) else {
            return Some(format!("it is outside the site's base path {base}"));
        };
        resolve(&inside, targets)
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        let joined = if dir.is_empty() { path.to_string() } else { format!("{dir}/{path}") };
        let Some(inside) = normalise(&joined) else {
            return Some("it climbs out of the site".to_string());
        };
        resolve(&inside, targets)
    };
    if !targets.has_path(&target) {
        return Some("no such page or file in the site".to_string());
    }
    match fragment.map(percent_decode) {
        Some(f) if !f.is_empty() && target.ends_with(".html") => {
            let found = targets.has_id(&target, &f);
            (!found).then(|| format!("{target} has no element with id {f:?}"))
        }
        _ => None,
    }
}

/// Does `url` lead out of the site: to another site (`//host/`, `https:`)
/// or elsewhere (`mailto:`, `data:`...)?
fn leaves_site(url: &str) -> bool {
    // A scheme is what comes before a colon that has no `/`, `?` or `#`
    // before it: most links of a page (`/ict/...`, `#id`) stop at their
    // first byte.
    url.starts_with("//")
        || url.bytes().find(|b| matches!(b, b':' | b'/' | b'?' | b'#')) == Some(b':')
}

/// The output file a site path names: `cases/x/` -> `cases/x/index.html`.
fn resolve(path: &str, targets: &dyn Targets) -> String {
    let path = percent_decode(path);
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else if targets.has_path(&path) {
        path
    } else {
        format!("{path}/index.html")
    }
}

/// Resolves `.` and `..` in a relative path; `None` if it climbs out of the site.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

pub(crate) fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">"),
    )
}

/// Decodes the `%XX` escapes of a link; bytes that are not UTF-8 once
/// decoded become U+FFFD, and a `%` that starts no escape stays as it is.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// The kinds of attribute link checking reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attribute {
    /// `href` or `src`.
    Link,
    /// `id`.
    Id,
}

/// Calls `f` with each `href`, `src` and `id` attribute written as
/// ` name="value"`, in the order they come, in one pass over `html`.
fn attributes<'a>(html: &'a [u8], mut f: impl FnMut(Attribute, &'a str)) {
    for at in memchr::memmem::find_iter(html, b"=\"") {
        let before = &html[..at];
        let kind = if before.ends_with(b" href") || before.ends_with(b" src") {
            Attribute::Link
        } else if before.ends_with(b" id") {
            Attribute::Id
        } else {
            continue;
        };
        let start = at + 2;
        if let Some(len) = memchr::memchr(b'"', &html[start..])
            && let Ok(value) = std::str::from_utf8(&html[start..start + len])
        {
            f(kind, value);
        }
    }
}

/// The values of every `href` and `src` attribute.
pub(crate) fn links_of(html: &[u8]) -> Vec<&str> {
    let mut out = Vec::new();
    attributes(html, |kind, value| {
        if kind == Attribute::Link {
            out.push(value);
        }
    });
    out
}

/// The values of every `id` attribute.
fn ids_of(html: &[u8]) -> FastSet<&str> {
    let mut out = FastSet::default();
    attributes(html, |kind, value| {
        if kind == Attribute::Id {
            out.insert(value);
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_escapes_are_decoded_to_the_end() {
        for (input, want) in [
            ("plain", "plain"),
            ("a%20b", "a b"),
            ("%C3%A9t%C3%A9", "\u{e9}t\u{e9}"),
            ("end%2F", "end/"),
            ("%zz%", "%zz%"),
            ("%ff", "\u{fffd}"),
        ] {
            assert_eq!(percent_decode(input), want, "{input}");
        }
    }

    fn site_of(files: &[(&str, &str)]) -> Borrowed<'static> {
        let leaked: Vec<(&'static str, &'static str)> =
            files.iter().map(|(p, h)| (&*p.to_string().leak(), &*h.to_string().leak())).collect();
        let paths = leaked.iter().map(|(p, _)| *p).collect();
        let ids = leaked.iter().map(|(p, h)| (*p, ids_of(h.as_bytes()))).collect();
        Borrowed { paths, ids }
    }

    #[test]
    fn links_resolve_to_pages_files_and_ids() {
        let targets = site_of(&[
            ("index.html", "<h2 id=\"top-x\">"),
            ("cases/a/index.html", "<p id=\"fn-1\">"),
            ("style.css", ""),
        ]);
        let base = "/ict/";
        for (url, page, ok) in [
            ("/ict/", "cases/a/index.html", true),
            ("/ict/cases/a/", "index.html", true),
            ("/ict/cases/a", "index.html", true),
            ("/ict/cases/a/#fn-1", "index.html", true),
            ("/ict/cases/a/#nope", "index.html", false),
            ("#top-x", "index.html", true),
            ("#missing", "index.html", false),
            ("/ict/style.css", "index.html", true),
            ("/ict/cases/b/", "index.html", false),
            ("/elsewhere/", "index.html", false),
            ("../../", "cases/a/index.html", true),
            ("../../../x", "cases/a/index.html", false),
            ("https://example.org/x", "index.html", true),
            ("mailto:a@b.c", "index.html", true),
            ("/ict/cases/a/?q=1", "index.html", true),
            ("/ict/cases/%61/", "index.html", true),
        ] {
            assert_eq!(problem(url, page, base, &targets).is_none(), ok, "{url} from {page}");
        }
    }

    #[test]
    fn only_href_src_and_id_attributes_are_read_in_one_pass() {
        let html = br#"<p data-id="no" class="x" id="yes"><a data-href="no" href="/a/">a</a><img src="b.png" srcset="no"></p>"#;
        let mut seen = Vec::new();
        attributes(html, |kind, value| seen.push((kind, value)));
        assert_eq!(
            seen,
            [(Attribute::Id, "yes"), (Attribute::Link, "/a/"), (Attribute::Link, "b.png")]
        );
        let addresses = Mutex::new(Addresses::default());
        let page = PageLinks::of("x/index.html", html, &addresses);
        let again = PageLinks::of(
            "y/index.html",
            br#"<a href="b.png"></a><a href="b.png"></a>"#,
            &addresses,
        );
        assert_eq!(page.ids, [Box::from("yes")]);
        assert_eq!(page.links.len(), 2);
        assert_eq!(again.links.len(), 1, "each address once per page");
        assert!(page.links.contains(&again.links[0]), "and once per build");
    }

    #[test]
    fn links_with_a_scheme_or_a_host_leave_the_site() {
        for url in
            ["https://example.org/", "mailto:a@b.c", "data:,x", "//cdn.example/x.js", "tel:+1"]
        {
            assert!(leaves_site(url), "{url}");
        }
        for url in ["/ict/cases/", "#top", "a/b:c", "?q=a:b", "cases/x/#fn:1", "", "/a:b"] {
            assert!(!leaves_site(url), "{url}");
        }
    }

    #[test]
    fn attributes_are_found() {
        let html = b"<a href=\"/a/\">x</a><img src=\"b.svg\" alt=\"\"><h2 id=\"c\">";
        assert_eq!(links_of(html), ["/a/", "b.svg"]);
        assert!(ids_of(html).contains("c"));
    }
}
