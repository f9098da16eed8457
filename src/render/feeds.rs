//! atom.xml (the newest case studies) and sitemap.xml (every page), written
//! as strings with every text escaped for XML. No clock: the feed's date is
//! that of its newest entry.

use std::fmt::Write as _;

use rayon::prelude::*;

use crate::html::escape_html as escape_xml;
use crate::site::Site;

/// How many case studies the feed carries.
pub(crate) const FEED_ENTRIES: usize = 50;

/// The Atom feed of the newest case studies. `cases` are page indices, newest first.
pub fn atom(site: &Site, cases: &[usize]) -> String {
    let c = &site.config;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape_xml(&c.book.language)
    );
    let _ = writeln!(out, "  <title>{}</title>", escape_xml(&c.book.title));
    if let Some(d) = c.book.description.as_ref().or(c.book.subtitle.as_ref()) {
        let _ = writeln!(out, "  <subtitle>{}</subtitle>", escape_xml(d));
    }
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape_xml(&c.permalink("atom.xml"))
    );
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape_xml(&c.permalink(""))
    );
    let _ = writeln!(out, "  <id>{}</id>", escape_xml(&c.permalink("")));
    let newest = cases.first().and_then(|&i| site.pages[i].case.as_ref()).map(|c| c.date);
    let updated = newest
        .map(|d| d.to_string())
        .or_else(|| {
            c.book
                .published
                .and_then(|p| p.date)
                .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
        })
        .unwrap_or_else(|| "1970-01-01".to_string());
    let _ = writeln!(out, "  <updated>{updated}T00:00:00Z</updated>");
    for a in &c.book.authors {
        let _ = writeln!(out, "  <author><name>{}</name></author>", escape_xml(a));
    }
    if c.book.authors.is_empty() {
        let _ = writeln!(out, "  <author><name>{}</name></author>", escape_xml(&c.book.title));
    }
    for &i in cases.iter().take(FEED_ENTRIES) {
        let p = &site.pages[i];
        let Some(case) = &p.case else { continue };
        let url = c.permalink(&p.path);
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", escape_xml(&p.title));
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape_xml(&url)
        );
        let _ = writeln!(out, "    <id>{}</id>", escape_xml(&url));
        let _ = writeln!(out, "    <published>{}T00:00:00Z</published>", case.date);
        let _ = writeln!(out, "    <updated>{}T00:00:00Z</updated>", case.date);
        let _ = writeln!(out, "    <summary>{}</summary>", escape_xml(&case.summary));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The sitemap: the absolute address of every HTML page of every language
/// (`pages`: language prefix, page key for pages of content/, output folder),
/// sorted; with several languages each entry lists its alternates.
pub fn sitemap(languages: &super::Languages, pages: &[(String, Option<String>, String)]) -> String {
    let multi = languages.all.len() > 1;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
    if multi {
        out.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    out.push_str(">\n");
    let mut sorted: Vec<&(String, Option<String>, String)> = pages.iter().collect();
    sorted.par_sort_unstable_by(|a, b| (&a.0, &a.2).cmp(&(&b.0, &b.2)));
    // Thousands of entries: written a slice at a time on every core.
    let parts: Vec<String> = sorted
        .par_chunks(512)
        .map(|chunk| {
            let mut out = String::with_capacity(chunk.len() * 96);
            for (prefix, key, path) in chunk {
                let loc = format!("{}{prefix}{path}", languages.base_url);
                if !multi {
                    let _ = writeln!(out, "  <url><loc>{}</loc></url>", escape_xml(&loc));
                    continue;
                }
                let _ = write!(out, "  <url><loc>{}</loc>", escape_xml(&loc));
                let current =
                    languages.all.iter().find(|l| &l.1 == prefix).map_or("", |l| l.0.as_str());
                for a in languages.alternates(current, key.as_deref(), path) {
                    let _ = write!(
                        out,
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        escape_xml(&a.lang),
                        escape_xml(&a.permalink)
                    );
                }
                out.push_str("</url>\n");
            }
            out
        })
        .collect();
    out.reserve(parts.iter().map(String::len).sum::<usize>() + 16);
    for part in parts {
        out.push_str(&part);
    }
    out.push_str("</urlset>\n");
    out
}
