//! Sharing: canonical addresses, descriptions, OpenGraph and Twitter card
//! metadata on every page, figure previews rendered to PNG at build time
//! (reused by the next build when nothing they show has changed), and what a
//! figure's page offers to show the figure elsewhere: its chart as SVG and
//! PNG, and an embed page with the code that frames it on another site.

mod common;

use std::fs;

use briefing::cli::BuildArgs;
use common::{TestSite, attr_values, pos};

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

/// The width and height of the view box of the SVG file `svg`.
fn view_box(svg: &str) -> (f64, f64) {
    let start = pos(svg, "viewBox=\"") + "viewBox=\"".len();
    let numbers: Vec<f64> = svg[start..]
        .split('"')
        .next()
        .expect("a view box")
        .split(' ')
        .map(|n| n.parse().expect("a number"))
        .collect();
    (numbers[2], numbers[3])
}

#[test]
fn each_figure_has_a_png_of_its_chart_at_twice_its_view_box_size_in_every_language() {
    let site = TestSite::fixture("figures");
    site.build_ok();
    for id in ["alpha", "beta", "mid", "omega", "zeta"] {
        let (width, height) = view_box(&site.read(&format!("figures/{id}.svg")));
        let png = fs::read(site.out().join(format!("figures/{id}@2x.png"))).expect("png");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{id}");
        let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().expect("size"));
        assert_eq!(size(16), (2.0 * width) as u32, "{id}: twice the view box's width");
        assert_eq!(size(20), (2.0 * height).ceil() as u32, "{id}: and its height");
        // The figure's page offers it beside the SVG and the data.
        let page = site.read(&format!("figures/{id}/index.html"));
        let downloads = &page[pos(&page, "<p class=\"downloads\">")..];
        let downloads = &downloads[..pos(downloads, "</p>")];
        assert_eq!(
            attr_values(downloads, "href"),
            [
                format!("/figures/{id}.svg"),
                format!("/figures/{id}@2x.png"),
                "/data/fruit.csv".to_string(),
                "/data/fruit.json".to_string()
            ],
            "{downloads}"
        );
    }
    // A French edition has its own, under fr/ (its chart speaks French).
    let site = TestSite::fixture("figure_pages");
    site.build_ok();
    for prefix in ["", "fr/"] {
        let (width, _) = view_box(&site.read(&format!("{prefix}figures/fruit.svg")));
        let png = fs::read(site.out().join(format!("{prefix}figures/fruit@2x.png"))).expect("png");
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), (2.0 * width) as u32);
        let page = site.read(&format!("{prefix}figures/fruit/index.html"));
        assert!(page.contains(&format!("href=\"/{prefix}figures/fruit@2x.png\" download>PNG")));
    }
}

#[test]
fn every_figure_has_an_embed_page_in_every_language_that_shows_it_alone() {
    let site = TestSite::fixture("figure_pages");
    site.build_ok();
    for (prefix, lang, title, source, back) in [
        (
            "",
            "en",
            "Fruit &quot;eaten&quot; &lt;daily&gt;",
            "Fruit survey",
            "Figure 1 on Test briefing",
        ),
        ("fr/", "fr", "Fruits mangés", "Enquête sur les fruits", "Figure 1 sur Briefing de test"),
    ] {
        let path = format!("{prefix}figures/fruit/embed/index.html");
        let html = site.read(&path);
        assert!(html.starts_with("<!doctype html>\n<html lang=\""), "{path}: a whole page");
        assert!(html.contains(&format!("<html lang=\"{lang}\" dir=\"ltr\">")), "{path}");
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"), "{path}");
        let canonical = format!("https://example.org/{prefix}figures/fruit/");
        assert_eq!(
            attr_values(&html, "href").first().copied(),
            Some(canonical.as_str()),
            "{path}: the canonical address is the figure's page"
        );
        assert!(html.contains(&format!("<link rel=\"canonical\" href=\"{canonical}\">")));
        let style = format!("<link rel=\"stylesheet\" href=\"/{}\">", site.asset("style.css"));
        assert!(html.contains(&style), "{path}");
        let figure = &html[pos(&html, "<figure")..pos(&html, "</figure>")];
        let at = |needle: &str| pos(figure, needle);
        assert!(at(title) < at("<svg") && at("<svg") < at(source), "{path}: {figure}");
        let link = format!("<a href=\"/{prefix}figures/fruit/\" target=\"_top\">{back}</a>");
        assert!(at(source) < at(&link), "{path}: a way back to the figure's page: {figure}");
        // The chart is the same markup the figure's page shows.
        let page = site.read(&format!("{prefix}figures/fruit/index.html"));
        let chart = &figure[at("<svg")..at("</svg>")];
        assert!(page.contains(chart), "{path}: not the figure page's chart");
        // It tells the window around it how tall it is.
        assert!(html.contains("parent.postMessage({type:\"briefing-embed\",height:"), "{path}");
        assert!(html.contains("addEventListener(\"resize\",post)"), "{path}");
        // Nothing but the figure: no site header, navigation or search box.
        assert!(!html.contains("site-header") && !html.contains("<nav"), "{path}");
    }
}

#[test]
fn a_figure_page_shows_an_embed_code_with_the_embed_pages_permalink_escaped() {
    let site = TestSite::fixture("figure_pages");
    site.build_ok();
    let page = site.read("figures/fruit/index.html");
    let start = pos(&page, "<textarea id=\"embed-code\"");
    let shown =
        &page[start + pos(&page[start..], ">") + 1..start + pos(&page[start..], "</textarea>")];
    // What a reader copies, once the page's escaping is undone.
    let code = shown
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    assert!(!shown.contains('<') && !shown.contains('"'), "escaped in the page: {shown}");
    assert!(
        code.starts_with(
            "<iframe src=\"https://example.org/figures/fruit/embed/\" \
             title=\"Figure 1: Fruit &quot;eaten&quot; &lt;daily&gt;\" \
             style=\"width:100%;border:0\" height=\""
        ),
        "{code}"
    );
    let height: u32 = code
        .split("height=\"")
        .nth(1)
        .and_then(|h| h.split('"').next())
        .map_or(0, |h| h.parse().expect("a number of pixels"));
    assert!((200..=1200).contains(&height), "a sensible first height: {height}");
    assert!(code.contains("loading=\"lazy\"></iframe>"), "{code}");
    // The script sizes the frame whose page posted its height, and no other.
    assert!(code.contains("<script>addEventListener(\"message\""), "{code}");
    assert!(code.contains("f[i].contentWindow===e.source"), "{code}");
    assert!(code.trim_end().ends_with("</script>"), "{code}");
    assert!(page.contains("<label for=\"embed-code\">"), "the code has a label");
    assert!(page.contains("readonly"), "{page}");
    assert!(page.contains(
        "<button type=\"button\" class=\"copy-button\" data-copy=\"embed-code\">Copy</button>"
    ));
    let script = format!("<script src=\"/{}\" defer></script>", site.asset("briefing.js"));
    assert!(page.contains(&script), "the copy button's script");
    // In French, the French embed page.
    let fr = site.read("fr/figures/fruit/index.html");
    assert!(fr.contains("src=&quot;https://example.org/fr/figures/fruit/embed/&quot;"), "{fr}");
    assert!(fr.contains(">Copier</button>"), "{fr}");
}

#[test]
fn embed_pages_work_under_a_sub_path_and_stay_out_of_the_sitemap_and_the_search_index() {
    let site = TestSite::fixture("figure_pages");
    site.build_ok_with(BuildArgs {
        base_url: Some("https://example.org/sub/path/".to_string()),
        ..BuildArgs::default()
    });
    for prefix in ["", "fr/"] {
        let html = site.read(&format!("{prefix}figures/fruit/embed/index.html"));
        let links: Vec<&str> =
            attr_values(&html, "href").into_iter().chain(attr_values(&html, "src")).collect();
        assert_eq!(
            links,
            [
                format!("https://example.org/sub/path/{prefix}figures/fruit/"),
                format!("/sub/path/{}", site.asset("style.css")),
                format!("/sub/path/{}", site.asset("favicon.svg")),
                format!("/sub/path/{prefix}figures/fruit/"),
            ],
            "{html}"
        );
        let page = site.read(&format!("{prefix}figures/fruit/index.html"));
        assert!(page.contains(&format!(
            "src=&quot;https://example.org/sub/path/{prefix}figures/fruit/embed/&quot;"
        )));
    }
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/sub/path/figures/fruit/</loc>"));
    assert!(sitemap.contains("<loc>https://example.org/sub/path/fr/figures/fruit/</loc>"));
    assert!(!sitemap.contains("embed"), "{sitemap}");
    let index: Vec<String> = site.files().into_iter().filter(|f| f.contains("search/")).collect();
    assert!(index.iter().any(|f| f.ends_with(".json")), "{index:?}");
    for file in index.iter().filter(|f| !f.ends_with(".html")) {
        assert!(!site.read(file).contains("embed"), "{file} lists an embed page");
    }
    // Search finds the figure's own page.
    assert!(index.iter().any(|f| !f.ends_with(".html") && site.read(f).contains("figures/fruit/")));
}
