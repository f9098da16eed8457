//! atom.xml (the newest case studies) and sitemap.xml (every page), written
//! as strings with every text escaped for XML. No clock: the feed's date is
//! that of its newest entry.

use std::fmt::Write as _;

use crate::content::markdown::escape_html as escape_xml;
use crate::site::Site;

/// How many case studies the feed carries.
pub const FEED_ENTRIES: usize = 50;

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

/// The sitemap: the absolute address of every HTML page, sorted.
pub fn sitemap(site: &Site, paths: &[&str]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in paths {
        let _ = writeln!(out, "  <url><loc>{}</loc></url>", escape_xml(&site.config.permalink(p)));
    }
    out.push_str("</urlset>\n");
    out
}
