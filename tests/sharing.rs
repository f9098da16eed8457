//! Sharing: canonical addresses, descriptions, OpenGraph and Twitter card
//! metadata on every page, figure previews rendered to PNG at build time
//! (reused by the next build when nothing they show has changed), and what a
//! figure's page offers to show the figure elsewhere: its chart as SVG and
//! PNG, and an embed page with the code that frames it on another site.

mod common;

use std::fs;

use common::TestSite;

/// The `content` of `<meta {attr}="{name}" content="...">` in `html`.
fn meta<'a>(html: &'a str, attr: &str, name: &str) -> Option<&'a str> {
    let tag = format!("<meta {attr}=\"{name}\" content=\"");
    let start = html.find(&tag)? + tag.len();
    html[start..].split('"').next()
}

#[test]
fn every_page_has_a_canonical_address_a_description_and_card_metadata() {
    let site = TestSite::fixture("figures");
    site.build_ok();
    // (A figure's embed page is for frames on other sites: its canonical
    // address is the figure's page, and it has no card; see below.)
    let pages: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html") && !f.ends_with("/embed/index.html"))
        .collect();
    assert!(pages.len() > 10, "{pages:?}");
    for page in &pages {
        let html = site.read(page);
        let folder = page.trim_end_matches("index.html");
        if page != "404.html" {
            let canonical =
                format!("<link rel=\"canonical\" href=\"https://example.org/{folder}\">");
            assert!(html.contains(&canonical), "{page}: no {canonical}");
            assert_eq!(
                meta(&html, "property", "og:url"),
                Some(format!("https://example.org/{folder}").as_str()),
                "{page}"
            );
        }
        for (attr, name) in [
            ("name", "description"),
            ("property", "og:title"),
            ("property", "og:description"),
            ("property", "og:type"),
            ("property", "og:site_name"),
            ("name", "twitter:card"),
            ("name", "twitter:title"),
        ] {
            let value = meta(&html, attr, name);
            assert!(value.is_some_and(|v| !v.trim().is_empty()), "{page}: no {name}");
        }
    }
}

#[test]
fn figure_pages_share_their_figure_as_a_png_preview() {
    let site = TestSite::fixture("figures");
    site.build_ok();
    let page = site.read("figures/mid/index.html");
    assert_eq!(meta(&page, "property", "og:image"), Some("https://example.org/figures/mid.png"));
    assert_eq!(meta(&page, "name", "twitter:card"), Some("summary_large_image"));
    assert_eq!(meta(&page, "property", "og:image:width"), Some("1200"));
    assert_eq!(meta(&page, "property", "og:image:height"), Some("630"));
    let alt = meta(&page, "property", "og:image:alt").expect("alt text");
    assert!(alt.starts_with("Figure "), "{alt}");
    // A chapter that places a figure previews with it; a page without one has a plain card.
    let chapter = site.read("chapter-a/index.html");
    assert_eq!(meta(&chapter, "property", "og:image"), Some("https://example.org/figures/mid.png"));
    let cases = site.read("cases/index.html");
    assert_eq!(meta(&cases, "property", "og:image"), None);
    assert_eq!(meta(&cases, "name", "twitter:card"), Some("summary"));

    let previews = site.files().into_iter().filter(|f| f.ends_with(".png") && !f.contains('@'));
    for f in previews {
        let png = fs::read(site.out().join(&f)).expect("png");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{f}");
        let width = u32::from_be_bytes(png[16..20].try_into().expect("width"));
        let height = u32::from_be_bytes(png[20..24].try_into().expect("height"));
        assert_eq!((width, height), (1200, 630), "{f}");
        assert!(png.len() > 5_000, "{f} looks empty: {} bytes", png.len());
    }
}

#[test]
fn previews_are_reused_when_unchanged_and_redrawn_when_the_figure_changes() {
    let site = TestSite::fixture("figures");
    site.build_ok();
    let before = common::mtimes(&site.out());
    let first = fs::read(site.out().join("figures/mid.png")).expect("png");
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build_ok();
    assert_eq!(common::mtimes(&site.out()), before, "a second build writes nothing");

    // A new title changes the preview (it shows the title) and nothing else of it.
    let data = site.source("data/fruit.toml");
    assert!(data.contains("title = "), "{data}");
    site.write("data/fruit.toml", data.replacen("title = \"", "title = \"Renamed ", 1));
    site.build_ok();
    let second = fs::read(site.out().join("figures/mid.png")).expect("png");
    assert_ne!(first, second, "the preview shows the new title");

    // A preview that does not match its source is drawn again, not trusted.
    fs::write(site.out().join("figures/mid.png"), b"\x89PNG\r\n\x1a\nnot really").expect("spoil");
    // (--force: a build with nothing changed would otherwise trust the folder and skip.)
    site.build_ok_with(briefing::cli::BuildArgs { force: true, ..Default::default() });
    assert_eq!(fs::read(site.out().join("figures/mid.png")).expect("png"), second);
}

#[test]
fn metadata_escapes_what_editors_wrote() {
    let site = TestSite::minimal().file(
        "content/a.md",
        "+++\ntitle = \"A \\\"quoted\\\" <b>title</b>\"\ndescription = \"x\\\" onload=\\\"alert(1)\"\n+++\nText.\n",
    );
    site.build_ok();
    let html = site.read("a/index.html");
    assert_eq!(
        meta(&html, "property", "og:title"),
        Some("A &quot;quoted&quot; &lt;b&gt;title&lt;/b&gt;")
    );
    assert!(!html.contains("onload=\"alert"), "{html}");
}

