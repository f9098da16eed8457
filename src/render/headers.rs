//! `_headers`, for hosts that read it (Netlify, Cloudflare Pages), written
//! when book.toml says `[site] headers = true`: files whose names carry a
//! hash of their content (the theme's `style.1a2b3c4d.css`..., the search
//! index's folder `search/1a2b3c4d/`) may be kept forever; every other
//! file (pages, feeds, figures, data, `search/index.json`) is asked for again
//! each time. No two rules match one address: Cloudflare Pages joins the
//! values of every rule that matches, so the rules for other files name
//! them, or folders without hashed files, never a folder that holds one.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::{OutputFile, Rendered};
use crate::site::Site;

/// The output path of the file.
pub(super) const PATH: &str = "_headers";

/// What a file whose name carries a hash of its content is sent with.
pub(crate) const FOREVER: &str = "public, max-age=31536000, immutable";
/// What every other file is sent with: kept, but asked about each time
/// (a conditional request, answered "not modified" while it is the same).
pub(crate) const EACH_TIME: &str = "public, max-age=0, must-revalidate";

/// Characters written percent-encoded in a rule's address.
const ENCODED: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'?');

/// The `_headers` file of a site at `base_path` (`/` or `/ict/`) whose files
/// are `paths` (relative to the output folder; `_headers` itself not among
/// them), where `is_hashed(path)` says a file may be kept forever and
/// `hashed_folder(folder)` (`search/1a2b3c4d/`) that all of a folder may.
pub(super) fn headers<'a>(
    base_path: &str,
    paths: impl Iterator<Item = &'a str>,
    is_hashed: impl Fn(&str) -> bool,
    hashed_folder: impl Fn(&str) -> bool,
) -> String {
    let paths: BTreeSet<&str> = paths.collect();
    let mut forever = Vec::new();
    let mut each_time = Vec::new();
    // Folders that hold a file kept forever, or are kept forever whole.
    let mut mixed: BTreeSet<&str> = BTreeSet::new();
    for path in &paths {
        let folder_whole = folders(path).find(|f| hashed_folder(f));
        if let Some(folder) = folder_whole {
            let rule = format!("{folder}*");
            if forever.last() != Some(&rule) {
                forever.push(rule);
            }
        } else if is_hashed(path) {
            forever.push(path.to_string());
        } else {
            continue;
        }
        mixed.insert("");
        mixed.extend(folders(path));
    }
    for path in &paths {
        let inside_hashed = folders(path).any(&hashed_folder);
        if inside_hashed || is_hashed(path) {
            continue;
        }
        // The outermost folder of `path` that holds nothing kept forever
        // is covered whole; a file directly in a mixed folder by its name.
        match folders(path).find(|f| !mixed.contains(f)) {
            Some(folder) => {
                let rule = format!("{folder}*");
                if each_time.last() != Some(&rule) {
                    each_time.push(rule);
                }
            }
            None => {
                if let Some(folder) = path.strip_suffix("index.html") {
                    // The folder's address, `/cases/` as well as `/cases/index.html`.
                    each_time.push(folder.to_string());
                }
                each_time.push(path.to_string());
            }
        }
    }
    each_time.sort();
    each_time.dedup();
    let mut out = String::from(
        "# Written by briefing ([site] headers = true in book.toml): files named\n\
         # after a hash of their content never change and may be kept forever;\n\
         # every other file is asked for again each time. No address matches two\n\
         # rules.\n",
    );
    for (rules, value) in [(forever, FOREVER), (each_time, EACH_TIME)] {
        for rule in rules {
            let address = utf8_percent_encode(&rule, ENCODED);
            let _ = write!(out, "\n{base_path}{address}\n  Cache-Control: {value}\n");
        }
    }
    out
}

/// The folders that hold `path`, outermost first (`a/`, `a/b/` for `a/b/c`).
fn folders(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..=i])
}

/// Adds `_headers` (`[site] headers = true`) for the files of `all`, in order.
pub(super) fn add_headers(site: &Site, all: &mut Rendered) {
    let prefixes: Vec<String> = site
        .lang
        .all
        .iter()
        .skip(1)
        .map(|l| format!("{}/", l.code))
        .chain([String::new()])
        .collect();
    let is_search_folder = |folder: &str| {
        prefixes.iter().any(|p| {
            folder
                .strip_prefix(p.as_str())
                .and_then(|f| f.strip_prefix("search/"))
                .and_then(|f| f.strip_suffix('/'))
                .is_some_and(|hash| hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        })
    };
    let hashed: Vec<&str> = site.assets.paths().collect();
    let paths = all
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(all.kept.iter().chain(&all.streamed).map(String::as_str));
    let text =
        headers(&site.config.site.base_path, paths, |p| hashed.contains(&p), is_search_folder);
    let file = OutputFile { path: PATH.to_string(), bytes: text.into_bytes() };
    let at = all.files.partition_point(|f| f.path.as_str() < PATH);
    all.files.insert(at, file);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_files_are_kept_forever_and_no_other_rule_covers_them() {
        let paths = [
            "index.html",
            "404.html",
            "style.1a2b3c4d.css",
            "cases/index.html",
            "cases/a/index.html",
            "search/index.html",
            "search/index.json",
            "search/0badc0de/t/0.json",
            "search/0badc0de/d/0.json",
            "fr/index.html",
            "fr/cases/a/index.html",
            "fr/search/index.json",
            "fr/search/feedf00d/t/0.json",
            "my file.pdf",
        ];
        let text = headers(
            "/ict/",
            paths.iter().copied(),
            |p| p.starts_with("style."),
            |f| f == "search/0badc0de/" || f == "fr/search/feedf00d/",
        );
        let rules: Vec<(&str, &str)> = text
            .split("\n\n")
            .skip(1)
            .map(|block| {
                let (address, value) = block.split_once("\n  Cache-Control: ").expect("a rule");
                (address, value.trim_end())
            })
            .collect();
        assert_eq!(
            rules,
            [
                ("/ict/fr/search/feedf00d/*", FOREVER),
                ("/ict/search/0badc0de/*", FOREVER),
                ("/ict/style.1a2b3c4d.css", FOREVER),
                ("/ict/", EACH_TIME),
                ("/ict/404.html", EACH_TIME),
                ("/ict/cases/*", EACH_TIME),
                ("/ict/fr/", EACH_TIME),
                ("/ict/fr/cases/*", EACH_TIME),
                ("/ict/fr/index.html", EACH_TIME),
                ("/ict/fr/search/index.json", EACH_TIME),
                ("/ict/index.html", EACH_TIME),
                ("/ict/my%20file.pdf", EACH_TIME),
                ("/ict/search/", EACH_TIME),
                ("/ict/search/index.html", EACH_TIME),
                ("/ict/search/index.json", EACH_TIME),
            ]
        );
    }
}
