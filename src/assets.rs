//! The theme's own files (its stylesheet, scripts and icon) under names that
//! carry a hash of their bytes (`style.1a2b3c4d.css`): a new version is a
//! new address, so a CDN or a browser may keep any of them forever, and a
//! page never meets a stylesheet older or newer than itself. `site::load`
//! names them (`Assets::of`); templates link them through `urls`;
//! `render` writes them.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::hash::Stable;

/// The built-in theme's static files, by output path.
pub(crate) const BUILTIN_STATIC: [(&str, &[u8]); 5] = [
    ("briefing.js", include_bytes!("../themes/default/static/briefing.js")),
    ("favicon.svg", include_bytes!("../themes/default/static/favicon.svg")),
    ("search-excerpts.js", include_bytes!("../themes/default/static/search-excerpts.js")),
    ("search.js", include_bytes!("../themes/default/static/search.js")),
    ("style.css", include_bytes!("../themes/default/static/style.css")),
];

/// The files written under a hashed name, with the key of `urls` that
/// templates link them by. A theme or a site may replace any of them (a
/// file of the same name in its `static/`); what it gives is hashed too. A
/// theme's are written under their hashed names only; a site's `static/`
/// files are also copied under their own names, as all of them are.
pub(crate) const HASHED: [(&str, &str); 5] = [
    ("stylesheet", "style.css"),
    ("script", "briefing.js"),
    ("search_script", "search.js"),
    ("search_excerpts", "search-excerpts.js"),
    ("favicon", "favicon.svg"),
];

/// The theme's files as the site writes them: each hashed file's output
/// name and bytes (scripts and the stylesheet without their comment lines
/// and indentation, `strip_lines`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assets {
    /// By plain name (`style.css`): the output name (`style.1a2b3c4d.css`)
    /// and the bytes (the site's or the theme's file, else the built-in one).
    files: BTreeMap<&'static str, (String, Vec<u8>)>,
}

impl Assets {
    /// The hashed files of a site whose theme's and own `static/` folders
    /// hold `theme` and `site` (by output path; the site's over the
    /// theme's, the theme's over the built-in ones).
    pub(crate) fn of(theme: &BTreeMap<String, Vec<u8>>, site: &BTreeMap<String, Vec<u8>>) -> Self {
        let files = HASHED
            .iter()
            .map(|&(_, name)| {
                let bytes = match site.get(name).or_else(|| theme.get(name)) {
                    Some(given) => given.as_slice(),
                    None => builtin(name),
                };
                let bytes = match name.rsplit_once('.') {
                    Some((_, "js")) => strip_lines(bytes, Comments::Script),
                    Some((_, "css")) => strip_lines(bytes, Comments::Style),
                    _ => bytes.to_vec(),
                };
                (name, (hashed_name(name, &bytes), bytes))
            })
            .collect();
        Assets { files }
    }

    /// The output path of the file whose plain name is `name`
    /// (`style.css` -> `style.1a2b3c4d.css`); `name` itself if it is not
    /// one of `HASHED`.
    pub fn path<'a>(&'a self, name: &'a str) -> &'a str {
        self.files.get(name).map_or(name, |(path, _)| path.as_str())
    }

    /// Each hashed file: its output path and bytes.
    pub(crate) fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.values().map(|(path, bytes)| (path.as_str(), bytes.as_slice()))
    }

    /// The output paths of the hashed files.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.values().map(|(path, _)| path.as_str())
    }
}

/// The built-in file `name` (empty if there is none).
fn builtin(name: &str) -> &'static [u8] {
    BUILTIN_STATIC.iter().find(|(n, _)| *n == name).map_or(&[], |(_, bytes)| bytes)
}

/// The comments a file's lines may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comments {
    /// JavaScript: `//` and `/* */`.
    Script,
    /// CSS: `/* */` only.
    Style,
}

/// The script or stylesheet `js` without its comment lines, blank lines
/// and indentation: a reader's browser has no use for them. Only whole
/// lines go (a `//` line in a script, or a `/* */` comment that starts a
/// line and ends one), and only the white space that starts a line, so no
/// statement or rule changes; a file with a backtick (a template literal)
/// or a line ending in `\`, where a line's start may be in a string, is
/// left as it is.
fn strip_lines(js: &[u8], comments: Comments) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(js) else { return js.to_vec() };
    let mut out = String::with_capacity(text.len());
    let mut in_comment = false;
    for line in text.lines() {
        let line = line.trim_start();
        if in_comment {
            match line.find("*/") {
                None => {}
                Some(end) if end + 2 == line.trim_end().len() => in_comment = false,
                // Code after the comment's end: too clever to cut.
                Some(_) => return js.to_vec(),
            }
            continue;
        }
        if line.starts_with("/*") {
            match line.find("*/") {
                None => in_comment = true,
                Some(end) if end + 2 == line.trim_end().len() => {}
                // Code after a comment on its line: keep the line.
                Some(_) => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
            continue;
        }
        if (comments == Comments::Script && line.starts_with("//")) || line.trim_end().is_empty() {
            continue;
        }
        if line.contains('`') || line.trim_end().ends_with('\\') {
            return js.to_vec();
        }
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

/// `name` with 8 hex digits of a hash of `bytes` before its extension:
/// `style.css` -> `style.1a2b3c4d.css`.
pub(crate) fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = content_hash(bytes);
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

/// 8 hex digits of FNV-1a 64 of `bytes`, folded to 32 bits: the same on
/// every machine and in every version of Rust. A clash between two
/// versions of one file is a 1 in 4 billion chance, and costs only a
/// stale copy.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    let mut h = Stable::new(Stable::BASIS);
    h.write(bytes);
    hex(h)
}

/// A hash like `content_hash` of a set of files, names and bytes, in the
/// order given: each file hashed on its own (on every core: a large site's
/// search index is tens of megabytes), then the names, lengths and hashes.
pub(crate) fn files_hash(files: &[(&str, &[u8])]) -> String {
    let each: Vec<u64> = files
        .par_iter()
        .map(|(_, bytes)| {
            let mut h = Stable::new(Stable::BASIS);
            h.write(bytes);
            h.finish()
        })
        .collect();
    let mut h = Stable::new(Stable::BASIS);
    for ((name, bytes), hash) in files.iter().zip(each) {
        h.write(name.as_bytes());
        h.write(&(bytes.len() as u64).to_le_bytes());
        h.write(&hash.to_le_bytes());
    }
    hex(h)
}

/// 8 hex digits of a 64-bit hash, folded to 32 bits.
fn hex(h: Stable) -> String {
    let h = h.finish();
    format!("{:08x}", (h ^ (h >> 32)) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_scripts_and_stylesheet_lose_comment_lines_and_indentation_only() {
        let js = "/* A script.\n   Two lines. */\n(function () {\n  // a note\n  var a = \"/* not a comment */\"; // kept\n\n  /* one line */\n  /* a */ var b = 1;\n  return a + b;\n})();\n";
        assert_eq!(
            String::from_utf8(strip_lines(js.as_bytes(), Comments::Script)).expect("text"),
            "(function () {\nvar a = \"/* not a comment */\"; // kept\n/* a */ var b = 1;\nreturn a + b;\n})();\n"
        );
        for kept in ["var a = `\n  x`;\n", "var a = \"x\\\n  y\";\n", "/* a\n b */ var c;\n"] {
            assert_eq!(strip_lines(kept.as_bytes(), Comments::Script), kept.as_bytes(), "{kept}");
        }
        let search = strip_lines(builtin("search.js"), Comments::Script);
        assert!(search.len() < builtin("search.js").len() * 4 / 5, "{}", search.len());
        let css = "/* The theme. */\n.a{color:red}\n  .b{x:1} /* kept */\n//.c{}\n";
        assert_eq!(
            strip_lines(css.as_bytes(), Comments::Style),
            b".a{color:red}\n.b{x:1} /* kept */\n//.c{}\n"
        );
    }

    #[test]
    fn a_hashed_name_keeps_the_stem_and_extension_and_follows_the_bytes() {
        let a = hashed_name("style.css", b"body{}");
        assert!(a.starts_with("style.") && a.ends_with(".css") && a.len() == "style.css".len() + 9);
        assert_eq!(a, hashed_name("style.css", b"body{}"));
        assert_ne!(a, hashed_name("style.css", b"body{color:red}"));
        // FNV-1a 64 of "" is the offset basis, folded.
        assert_eq!(content_hash(b""), format!("{:08x}", (0xcbf2_9ce4_u32 ^ 0x8422_2325)));
    }

    #[test]
    fn a_file_of_the_site_replaces_the_built_in_one_under_its_own_hash() {
        let none = BTreeMap::new();
        let builtin = Assets::of(&none, &none);
        let mut theme = BTreeMap::new();
        theme.insert("style.css".to_string(), b"body{}".to_vec());
        theme.insert("search.js".to_string(), b"1".to_vec());
        let mut site = BTreeMap::new();
        site.insert("search.js".to_string(), b"2".to_vec());
        let site = Assets::of(&theme, &site);
        assert_eq!(site.path("style.css"), hashed_name("style.css", b"body{}\n"));
        assert_ne!(site.path("style.css"), builtin.path("style.css"));
        // Files are hashed as they are shipped, each line ended.
        assert_eq!(site.path("search.js"), hashed_name("search.js", b"2\n"));
        assert_eq!(site.path("briefing.js"), builtin.path("briefing.js"));
        assert_eq!(site.path("robots.txt"), "robots.txt");
        assert_eq!(builtin.files().count(), 5);
    }
}
