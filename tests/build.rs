//! What a build writes: the output tree and what each page holds, one small
//! fixture site per behaviour (tests/fixtures/<name>/), built through the library.

mod common;

use std::collections::BTreeSet;

use briefing::cli::BuildArgs;
use common::fixtures::BOOK;
use common::{TestSite, attr_values, pos};

/// The HTML of the placed figure `id` on a page, from `<figure` to `</figure>`.
fn figure_block<'a>(html: &'a str, id: &str) -> &'a str {
    let start = pos(html, &format!("<figure class=\"figure\" id=\"figure-{id}\""));
    let len = pos(&html[start..], "</figure>");
    &html[start..start + len]
}

/// Does `text` say "Figure n" (and not "Figure n0", "Figure n1"...)?
fn says_figure(text: &str, n: usize) -> bool {
    let label = format!("Figure {n}");
    text.match_indices(&label)
        .any(|(i, _)| !text[i + label.len()..].starts_with(|c: char| c.is_ascii_digit()))
}

/// The table row (`<tr>...</tr>`) of `html` that mentions `needle`.
fn row_with<'a>(html: &'a str, needle: &str) -> &'a str {
    html.split("<tr>")
        .find(|row| row.contains(needle))
        .and_then(|row| row.split("</tr>").next())
        .unwrap_or_else(|| panic!("no table row with {needle:?} in:\n{html}"))
}

fn html_files(site: &TestSite) -> Vec<String> {
    site.files().into_iter().filter(|f| f.ends_with(".html")).collect()
}

#[test]
fn front_page_is_written_at_the_root_and_lists_chapters_by_weight() {
    let site = TestSite::fixture("chapters_by_weight");
    site.build_ok();
    let index = site.read("index.html");
    assert!(index.contains("The front page text."), "{index}");
    let (bravo, charlie, alpha) = (
        pos(&index, ">Bravo chapter<"),
        pos(&index, ">Charlie chapter<"),
        pos(&index, ">Alpha chapter<"),
    );
    assert!(bravo < charlie && charlie < alpha, "chapters are not in weight order:\n{index}");
}

#[test]
fn chapters_are_ordered_by_weight_with_prev_and_next_links() {
    let site = TestSite::fixture("chapters_by_weight");
    site.build_ok();
    for slug in ["alpha", "bravo", "charlie"] {
        assert!(site.has(&format!("{slug}/index.html")), "{slug}: {:?}", site.files());
    }
    let bravo = site.read("bravo/index.html");
    assert!(!bravo.contains("rel=\"prev\""), "the first chapter has no previous one:\n{bravo}");
    assert!(bravo.contains("rel=\"next\" href=\"/charlie/\""), "{bravo}");
    let charlie = site.read("charlie/index.html");
    assert!(charlie.contains("rel=\"prev\" href=\"/bravo/\""), "{charlie}");
    assert!(charlie.contains("rel=\"next\" href=\"/alpha/\""), "{charlie}");
    let alpha = site.read("alpha/index.html");
    assert!(alpha.contains("rel=\"prev\" href=\"/charlie/\""), "{alpha}");
    assert!(!alpha.contains("rel=\"next\""), "the last chapter has no next one:\n{alpha}");
}

#[test]
fn case_studies_are_written_at_cases_slug() {
    let site = TestSite::fixture("case_studies");
    site.build_ok();
    for (path, title, summary) in [
        ("cases/old-case/index.html", "Old case", "The oldest case."),
        ("cases/mid-case/index.html", "Middle case", "The middle case."),
        // new-case.md says `slug = "newest"`.
        ("cases/newest/index.html", "New case", "The newest case."),
    ] {
        let html = site.read(path);
        assert!(html.contains(&format!("<h1>{title}")), "{path}:\n{html}");
        assert!(html.contains(summary), "{path}:\n{html}");
    }
    assert!(!site.has("cases/new-case/index.html"), "the slug replaces the file stem");
}

#[test]
fn case_index_lists_case_studies_newest_first() {
    let site = TestSite::fixture("case_studies");
    site.build_ok();
    let html = site.read("cases/index.html");
    let (new, mid, old) =
        (pos(&html, ">New case<"), pos(&html, ">Middle case<"), pos(&html, ">Old case<"));
    assert!(new < mid && mid < old, "not newest first:\n{html}");
}

#[test]
fn every_term_has_a_page_with_its_case_studies() {
    let site = TestSite::fixture("case_studies");
    site.build_ok();
    for index in ["areas", "issues", "regions", "companies"] {
        assert!(site.has(&format!("{index}/index.html")), "{index}: {:?}", site.files());
    }
    for (path, cases, not) in [
        ("areas/mining/index.html", &["Old case", "Middle case"][..], "New case"),
        ("areas/manufacturing/index.html", &["New case"], "Old case"),
        ("issues/labour-rights/index.html", &["Old case", "New case"], "Middle case"),
        ("issues/right-to-privacy/index.html", &["New case"], "Old case"),
        ("regions/africa/index.html", &["Old case"], "New case"),
        ("regions/asia/index.html", &["New case"], "Old case"),
        ("companies/acme/index.html", &["Old case", "Middle case", "New case"], "no such case"),
        // Slugs fold case and diacritics: "Telefónica" -> telefonica.
        ("companies/telefonica/index.html", &["Old case", "New case"], "Middle case"),
    ] {
        let html = site.read(path);
        for case in cases {
            assert!(html.contains(&format!(">{case}<")), "{path} lacks {case}:\n{html}");
        }
        assert!(!html.contains(&format!(">{not}<")), "{path} lists {not}:\n{html}");
    }
    assert!(site.read("companies/telefonica/index.html").contains("<h1>Telefónica</h1>"));
    let areas = site.read("areas/index.html");
    assert!(areas.contains("href=\"/areas/mining/\""), "{areas}");
}

#[test]
fn company_page_shows_each_response_and_the_rate_without_pending() {
    let site = TestSite::fixture("case_studies");
    site.build_ok();
    // Acme: no response (old), responded (middle), pending (new): 1 of 2 settled.
    let acme = site.read("companies/acme/index.html");
    for (case, response) in [
        ("Old case", "response-no-response"),
        ("Middle case", "response-responded"),
        ("New case", "response-pending"),
    ] {
        let row = row_with(&acme, &format!(">{case}<"));
        assert!(row.contains(response), "{case} should show {response}: {row}");
    }
    assert!(acme.contains("<dd>50%</dd>"), "Acme's rate is 1 of 2 settled:\n{acme}");
    // Telefónica: responded (old), pending (new): 1 of 1 settled.
    let telefonica = site.read("companies/telefonica/index.html");
    assert!(telefonica.contains("<dd>100%</dd>"), "{telefonica}");
    let row = row_with(&telefonica, ">Old case<");
    assert!(row.contains("href=\"https://example.org/telefonica-response\""), "{row}");
    let tracker = site.read("companies/index.html");
    assert!(row_with(&tracker, ">Acme<").contains(">50%<"), "{tracker}");
    assert!(row_with(&tracker, ">Telefónica<").contains(">100%<"), "{tracker}");
}

#[test]
fn drafts_are_skipped_unless_asked_for() {
    let site = TestSite::fixture("drafts");
    site.build_ok();
    assert!(!site.has("unfinished/index.html"), "{:?}", site.files());
    assert!(!site.has("cases/draft-case/index.html"), "{:?}", site.files());
    assert!(!site.read("index.html").contains("Unfinished chapter"));
    assert!(!site.read("cases/index.html").contains("Draft case"));
    assert!(!site.read("sitemap.xml").contains("unfinished"));
    assert!(!site.has("companies/drafty/index.html"), "a draft's terms are not published");

    site.build_ok_with(BuildArgs { drafts: true, ..BuildArgs::default() });
    assert!(site.read("unfinished/index.html").contains("Unfinished chapter"));
    assert!(site.read("cases/draft-case/index.html").contains("Draft case"));
    assert!(site.read("cases/index.html").contains("Draft case"));
    assert!(site.has("companies/drafty/index.html"), "{:?}", site.files());
}

#[test]
fn build_drafts_setting_builds_drafts() {
    let site = TestSite::fixture("drafts");
    site.write("book.toml", format!("{BOOK}\n[build]\ndrafts = true\n"));
    site.build_ok();
    assert!(site.has("unfinished/index.html"), "{:?}", site.files());
    assert!(site.has("cases/draft-case/index.html"), "{:?}", site.files());
}

#[test]
fn atom_feed_lists_case_studies_newest_first_with_absolute_links() {
    let site = TestSite::fixture("feeds");
    site.build_ok();
    let xml = site.read("atom.xml");
    let doc = roxmltree::Document::parse(&xml).expect("atom.xml is XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    let child = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.children().find(|c| c.has_tag_name(name)).map(|c| c.text().unwrap_or("").to_string())
    };
    assert_eq!(child(feed, "title").as_deref(), Some("Test briefing"));
    let entries: Vec<_> = feed.children().filter(|c| c.has_tag_name("entry")).collect();
    let titles: Vec<String> = entries.iter().filter_map(|e| child(*e, "title")).collect();
    assert_eq!(titles, ["Second case", "First case"]);
    let link = entries[0].children().find(|c| c.has_tag_name("link")).expect("entry link");
    assert_eq!(link.attribute("href"), Some("https://example.org/brief/cases/second/"));
    assert_eq!(child(entries[0], "summary").as_deref(), Some("The second case."));
}

#[test]
fn sitemap_lists_every_page_by_absolute_url_but_not_404() {
    let site = TestSite::fixture("feeds");
    site.build_ok();
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is XML");
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect();
    let pages: BTreeSet<String> = html_files(&site)
        .iter()
        .filter(|f| f.ends_with("index.html"))
        .map(|f| format!("https://example.org/brief/{}", f.trim_end_matches("index.html")))
        .collect();
    assert!(pages.contains("https://example.org/brief/cases/first/"), "{pages:?}");
    assert_eq!(locs, pages);
    assert!(!xml.contains("404"), "{xml}");
}

#[test]
fn not_found_page_is_written() {
    let site = TestSite::minimal();
    site.build_ok();
    let html = site.read("404.html");
    assert!(html.contains("Page not found"), "{html}");
    assert!(html.contains("href=\"/\""), "the 404 page links home:\n{html}");
}

#[test]
fn dataset_is_exported_as_rfc_4180_csv() {
    let site = TestSite::fixture("dataset_exports");
    site.build_ok();
    assert_eq!(
        site.read("data/responses.csv"),
        "company,approaches\r\n\"Acme, Inc.\",3\r\n\"Say \"\"hi\"\" Ltd\",2.5\r\n"
    );
}

#[test]
fn dataset_is_exported_as_valid_json() {
    let site = TestSite::fixture("dataset_exports");
    site.build_ok();
    let json: serde_json::Value =
        serde_json::from_str(&site.read("data/responses.json")).expect("valid JSON");
    assert_eq!(json["title"], "Responses");
    assert_eq!(json["source"], "Test source");
    assert_eq!(json["unit"], "approaches");
    assert_eq!(json["values"]["rate"], 0.58);
    assert_eq!(json["columns"], serde_json::json!(["company", "approaches"]));
    assert_eq!(json["rows"][0]["company"], "Acme, Inc.");
    assert_eq!(json["rows"][0]["approaches"], 3.0);
    assert_eq!(json["rows"][1]["company"], "Say \"hi\" Ltd");
    assert_eq!(json["rows"][1]["approaches"], 2.5);
}

#[test]
fn static_files_are_copied_to_the_output_root() {
    let site = TestSite::fixture("static_files");
    site.build_ok();
    for rel in ["robots.txt", "img/pixel.png"] {
        let want = std::fs::read(site.root().join("static").join(rel)).expect("fixture");
        let got = std::fs::read(site.out().join(rel)).expect("copied");
        assert_eq!(got, want, "{rel}");
    }
    // The theme's files too, under names with a hash of their content.
    for name in ["style.css", "briefing.js", "search.js", "search-excerpts.js", "favicon.svg"] {
        let hashed = site.asset(name);
        assert!(site.has(&hashed) && !site.has(name), "{name}: {:?}", site.files());
    }
}

#[test]
fn site_template_overrides_the_theme_template_of_the_same_name() {
    let site = TestSite::fixture("template_override");
    site.build_ok();
    let not_found = site.read("404.html");
    assert!(not_found.contains("This site's own not-found page."), "{not_found}");
    assert!(!not_found.contains("There is no page at this address"), "{not_found}");
    // The templates it does not override still come from the theme.
    assert!(site.read("index.html").contains("class=\"site-header\""));
}

#[test]
fn sub_path_base_url_starts_every_site_link_with_the_base_path() {
    let site = TestSite::fixture("sub_path");
    site.build_ok();
    for file in html_files(&site) {
        let html = site.read(&file);
        for url in attr_values(&html, "href").into_iter().chain(attr_values(&html, "src")) {
            if url.starts_with('/') {
                assert!(url.starts_with("/sub/path/"), "{file}: {url:?}");
            }
            if url.starts_with("https://example.org") {
                assert!(url.starts_with("https://example.org/sub/path/"), "{file}: {url:?}");
            }
        }
    }
    let index = site.read("index.html");
    let style = format!("/sub/path/{}", site.asset("style.css"));
    for href in ["/sub/path/", "/sub/path/chapter/", "/sub/path/chapter/#figure-counts", &style] {
        assert!(attr_values(&index, "href").contains(&href), "{href} in:\n{index}");
    }
    let chapter = site.read("chapter/index.html");
    assert!(attr_values(&chapter, "href").contains(&"/sub/path/data/counts.csv"), "{chapter}");
    assert!(site.read("404.html").contains("href=\"/sub/path/\""));
    assert!(site.read("sitemap.xml").contains("<loc>https://example.org/sub/path/chapter/</loc>"));
}

#[test]
fn base_url_flag_overrides_book_toml() {
    let site = TestSite::fixture("sub_path");
    let (status, _, stderr) = site.cli(&["build", "--base-url", "https://other.example/x/"]);
    assert_eq!(status, 0, "{stderr}");
    for file in html_files(&site) {
        let html = site.read(&file);
        assert!(!html.contains("/sub/path/"), "{file} still uses book.toml's base_url");
        for url in attr_values(&html, "href") {
            if url.starts_with('/') {
                assert!(url.starts_with("/x/"), "{file}: {url:?}");
            }
        }
    }
    assert!(site.read("index.html").contains("href=\"/x/chapter/\""));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://other.example/x/chapter/</loc>"), "{sitemap}");
    assert!(!sitemap.contains("example.org"), "{sitemap}");
}

#[test]
fn figure_shortcode_places_a_numbered_figure_with_its_data_table() {
    let site = TestSite::fixture("figures");
    site.build_ok();
    let index = site.read("index.html");
    let block = figure_block(&index, "zeta");
    assert!(says_figure(block, 1), "{block}");
    assert!(block.contains("<table"), "{block}");
    assert!(block.contains("<th scope=\"row\">Apples</th>"), "{block}");
    assert!(block.contains("<th scope=\"row\">Pears</th>"), "{block}");
    assert!(block.contains(">5<"), "{block}");
    assert!(block.contains("Fruit survey"), "the figure names its source: {block}");
    assert!(block.contains("href=\"/data/fruit.csv\""), "the figure links to its data: {block}");
    assert!(!index.contains("<p><figure"), "a figure is not inside a paragraph:\n{index}");
    let chapter_b = site.read("chapter-b/index.html");
    let block = figure_block(&chapter_b, "alpha");
    assert!(block.contains("Fruit as bars"), "{block}");
    assert!(block.contains("Apples and pears."), "the caption: {block}");
}

/// The ids of `html` that appear more than once.
fn repeated_ids(html: &str) -> Vec<&str> {
    let mut seen = BTreeSet::new();
    attr_values(html, "id").into_iter().filter(|id| !seen.insert(*id)).collect()
}

#[test]
fn a_placed_figure_keeps_its_note_and_remarks_behind_one_disclosure_after_caption_and_source() {
    let site = TestSite::fixture("figure_pages");
    site.build_ok();
    for (page, summary, note) in [
        ("chapter/index.html", "About these numbers", "Counted at lunch."),
        ("fr/chapter/index.html", "À propos de ces chiffres", "Compté au déjeuner."),
    ] {
        let html = site.read(page);
        let block = figure_block(&html, "fruit");
        // The data table keeps its own disclosure, between the chart and the notes.
        let chart = pos(block, "<svg");
        let data = pos(block, "<details class=\"figure-data\">");
        let caption = pos(block, "<p class=\"figure-caption\">");
        let source = pos(block, "<p class=\"figure-source\">");
        let notes = pos(block, "<details class=\"figure-notes\"><summary>");
        assert_eq!(block.matches("class=\"figure-notes\"").count(), 1, "{page}: {block}");
        assert!(chart < data && data < caption && caption < source && source < notes, "{block}");
        let inside = &block[notes..notes + pos(&block[notes..], "</details>")];
        assert!(inside.contains(&format!("<summary>{summary}</summary>")), "{page}: {inside}");
        assert!(inside.contains(note), "{page}: the note is in the disclosure: {inside}");
        assert!(
            inside.contains("<ol class=\"figure-remarks\"><li id=\"figure-fruit-remark-1\">"),
            "{page}: the remark is in the disclosure: {inside}"
        );
        // Not under the table any more, and nowhere else in the block.
        assert_eq!(block.matches(note).count(), 1, "{page}: {block}");
        assert_eq!(block.matches("figure-remarks").count(), 1, "{page}: {block}");
        // The table's mark leads to the remark, the remark back to the mark.
        let table = &block[data..caption];
        assert!(table.contains("href=\"#figure-fruit-remark-1\" id=\"figure-fruit-mark-1\""));
        assert!(inside.contains("href=\"#figure-fruit-mark-1\""), "{inside}");
        // The links to the figure's page and data come after the notes.
        assert!(notes < pos(block, "<p class=\"figure-links\">"), "{block}");
        assert!(repeated_ids(&html).is_empty(), "{page}: {:?}", repeated_ids(&html));
        // The notes open for printing: the page loads the theme's script.
        let script = format!("{}\" defer></script>", site.asset("briefing.js"));
        assert!(html.contains(&script), "{page}");
    }
    // A page without a figure does not load it.
    assert!(!site.read("index.html").contains(&site.asset("briefing.js")));
}

#[test]
fn the_print_edition_shows_figure_notes_open() {
    let site = TestSite::fixture("figure_pages");
    site.build_ok();
    let print = site.read("print/index.html");
    assert!(print.contains("<details class=\"figure-notes\" open><summary>About these numbers"));
    assert!(!print.contains("<details class=\"figure-notes\">"), "no note stays folded");
    assert!(print.contains("Counted at lunch."));
    assert!(print.contains("id=\"p-chapter--figure-fruit-remark-1\""), "{print}");
    assert!(repeated_ids(&print).is_empty(), "{:?}", repeated_ids(&print));
    // The chapter's own page keeps them folded.
    assert!(site.read("chapter/index.html").contains("<details class=\"figure-notes\">"));
}

#[test]
fn a_figure_page_shows_caption_source_note_and_remarks_in_full() {
    let site = TestSite::fixture("figure_pages");
    site.build_ok();
    for (page, caption, note) in [
        ("figures/fruit/index.html", "Apples and pears.", "Counted at lunch."),
        ("fr/figures/fruit/index.html", "Pommes et poires.", "Compté au déjeuner."),
    ] {
        let html = site.read(page);
        let main = &html[pos(&html, "<main")..pos(&html, "</main>")];
        assert!(!main.contains("<details"), "{page}: nothing is folded:\n{main}");
        let at = |needle: &str| pos(main, needle);
        assert!(at(caption) < at("<p class=\"figure-source\">"), "{page}");
        let notes = at("<div class=\"figure-notes\">");
        assert!(at("<p class=\"figure-source\">") < notes && notes < at(note), "{page}");
        assert!(notes < at("<li id=\"figure-fruit-remark-1\">Half of six, rounded."), "{page}");
        // The data table, shown once, marks the cell with a link to that remark.
        assert_eq!(main.matches("<table").count(), 1, "{page}");
        assert!(main.contains("href=\"#figure-fruit-remark-1\" id=\"figure-fruit-mark-1\""));
        assert!(repeated_ids(&html).is_empty(), "{page}: {:?}", repeated_ids(&html));
    }
}

#[test]
fn placed_figure_contains_its_svg() {
    let site = TestSite::fixture("figures");
    site.build_ok();
    let index = site.read("index.html");
    assert!(figure_block(&index, "zeta").contains("<svg"), "{index}");
}

#[test]
fn each_figure_has_its_own_page() {
    let site = TestSite::fixture("figures");
    site.build_ok();
    for id in ["alpha", "beta", "mid", "omega", "zeta"] {
        let html = site.read(&format!("figures/{id}/index.html"));
        assert!(html.contains("<th scope=\"row\">Apples</th>"), "{id}:\n{html}");
    }
    assert!(site.has("figures/index.html"));
}

#[test]
fn each_figure_is_written_as_an_svg_file() {
    let site = TestSite::fixture("figures");
    site.build_ok();
    for id in ["alpha", "beta", "mid", "omega", "zeta"] {
        let svg = site.read(&format!("figures/{id}.svg"));
        let doc = roxmltree::Document::parse(&svg).expect("the SVG is XML");
        assert_eq!(doc.root_element().tag_name().name(), "svg", "{id}");
    }
}

#[test]
fn figures_are_numbered_in_reading_order() {
    let site = TestSite::fixture("figures");
    site.build_ok();
    // Front page, chapters by weight (A = 10, B = 20), then case studies by date.
    for (page, id, n) in [
        ("index.html", "zeta", 1),
        ("chapter-a/index.html", "mid", 2),
        ("chapter-b/index.html", "alpha", 3),
        ("cases/earlier/index.html", "omega", 4),
        ("cases/later/index.html", "beta", 5),
    ] {
        let html = site.read(page);
        let block = figure_block(&html, id);
        assert!(says_figure(block, n), "{id} on {page} should be Figure {n}: {block}");
    }
}

#[test]
fn figref_links_to_the_placed_figure() {
    let site = TestSite::fixture("figures");
    site.build_ok();
    let index = site.read("index.html");
    let at = pos(&index, "href=\"/chapter-a/#figure-mid\"");
    let link = &index[at..at + pos(&index[at..], "</a>")];
    assert!(link.ends_with(">Figure 2"), "{link}");
    assert!(site.read("chapter-a/index.html").contains("id=\"figure-mid\""));
}

#[test]
fn value_shortcode_writes_numbers_and_percentages() {
    let site = TestSite::fixture("values");
    site.build_ok();
    let index = site.read("index.html");
    assert!(index.contains("Of 68 companies, 58% responded."), "{index}");
}

#[test]
fn at_links_resolve_to_the_target_page_url_and_anchor() {
    let site = TestSite::fixture("links_and_headings");
    site.build_ok();
    let hrefs = site.read("index.html");
    let hrefs = attr_values(&hrefs, "href");
    for want in ["/the-chapter/#method", "/the-chapter/", "/cases/a-case/"] {
        assert!(hrefs.contains(&want), "{want} not in {hrefs:?}");
    }
    assert!(!hrefs.iter().any(|h| h.starts_with("@/")), "{hrefs:?}");
    assert!(site.read("the-chapter/index.html").contains("id=\"method\""));
}

#[test]
fn headings_get_ids_with_numbered_repeats_and_anchor_links() {
    let site = TestSite::fixture("links_and_headings");
    site.build_ok();
    let index = site.read("index.html");
    for id in ["findings", "findings-1", "findings-2"] {
        assert!(index.contains(&format!("<h2 id=\"{id}\">Findings")), "{id}:\n{index}");
        assert!(index.contains(&format!("class=\"anchor\" href=\"#{id}\"")), "{id}:\n{index}");
    }
}

#[test]
fn strings_from_front_matter_and_datasets_are_escaped_everywhere() {
    let site = TestSite::fixture("escaping");
    site.build_ok();
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
    for file in site.files() {
        if file.ends_with(".html") || file.ends_with(".xml") || file.ends_with(".svg") {
            let text = site.read(&file);
            assert!(!text.contains("<script>alert(1)</script>"), "raw in {file}:\n{text}");
            assert!(!text.contains("\" onmouseover=\""), "attribute injected in {file}:\n{text}");
        }
    }
    let index = site.read("index.html");
    let figure = figure_block(&index, "xss");
    // Dataset title, caption, source, note, column name and row label.
    assert!(figure.matches(escaped).count() >= 5, "{figure}");
    assert!(
        index.contains("<span class=\"editor-html\">raw HTML</span>"),
        "an editor's HTML passes through"
    );
    let case = site.read("cases/a-case/index.html");
    assert!(case.matches(escaped).count() >= 6, "{case}");
    assert!(site.read("chapter/index.html").contains(&format!("<h1>{escaped}</h1>")));
    assert!(site.read("atom.xml").contains(escaped));
}

#[test]
fn byte_order_marks_and_crlf_line_ends_build_fine() {
    let site = TestSite::new()
        .file("book.toml", "[book]\r\ntitle = \"Test briefing\"\r\n\r\n[site]\r\nbase_url = \"https://example.org/\"\r\n")
        .file(
            "content/index.md",
            "\u{feff}+++\r\ntitle = \"Welcome\"\r\n+++\r\n\r\n## A heading\r\n\r\nRate: {{ value(data=\"d\", key=\"rate\", format=\"percent\") }}.\r\n",
        )
        .file(
            "content/cases/c.md",
            "\u{feff}+++\r\ntitle = \"A case\"\r\ndate = 2018-01-01\r\nsummary = \"A case.\"\r\narea = \"Mining\"\r\n+++\r\n\r\nBody.\r\n",
        )
        .file("data/d.toml", "\u{feff}title = \"D\"\r\nsource = \"S\"\r\n\r\n[values]\r\nrate = 0.5\r\n");
    site.build_ok();
    let index = site.read("index.html");
    assert!(index.contains("<h2 id=\"a-heading\">A heading"), "{index}");
    assert!(index.contains("Rate: 50%."), "{index}");
    assert!(site.read("cases/c/index.html").contains("<h1>A case"));
    for file in site.files() {
        assert!(!site.read(&file).contains('\u{feff}'), "a byte-order mark leaked into {file}");
    }
}

#[test]
fn byte_order_mark_in_book_toml_builds_fine() {
    let site = TestSite::minimal().file("book.toml", &format!("\u{feff}{BOOK}"));
    site.build_ok();
    assert!(site.read("index.html").contains("Test briefing"));
}

#[test]
fn case_lists_carry_each_items_terms_for_the_filters_and_link_the_term_pages() {
    let site = TestSite::fixture("languages");
    site.build_ok();
    let list = site.read("cases/index.html");
    assert!(
        list.contains("<li class=\"case-item\" data-area=\"manufacturing\" data-issue=\"labour-rights \" data-region=\"asia \" data-response=\"responded \" data-year=\"2018\">"),
        "{list}"
    );
    // The filters name their address parameters and offer every term by slug.
    for name in ["area", "issue", "region", "response", "year"] {
        assert!(list.contains(&format!("<select name=\"{name}\">")), "no {name} filter: {list}");
    }
    assert!(list.contains("<option value=\"labour-rights\">Labour rights (1)</option>"), "{list}");
    assert!(list.contains("<option value=\"no-response\">No response</option>"), "{list}");
    let script = format!("<script src=\"/brief/{}\" defer></script>", site.asset("briefing.js"));
    assert!(list.contains(&script), "{list}");
    // Without JavaScript the filters are hidden and the term pages do their work.
    assert!(list.contains("<noscript><style>.filters{display:none}</style></noscript>"));
    assert!(list.contains("<a href=\"/brief/issues/labour-rights/\">Labour rights</a>"), "{list}");
    // French lists filter by the same slugs, with French names.
    let fr = site.read("fr/cases/index.html");
    assert!(fr.contains("<option value=\"labour-rights\">Droits du travail (1)</option>"), "{fr}");
    // The company table is sortable by script and sorted by name without.
    let companies = site.read("companies/index.html");
    assert!(companies.contains("<table class=\"tracker\" data-sortable>"), "{companies}");
    assert!(companies.contains("data-sort=\"100\">100%</td>"), "{companies}");
    assert!(companies.contains("data-sort=\"0\">0%</td>"), "{companies}");
    // Case pages do not load the filters' script (only the search box's small loader).
    assert!(!site.read("cases/factory/index.html").contains(&site.asset("briefing.js")));
}

#[test]
fn a_print_edition_of_more_than_500_case_studies_lists_them() {
    let site = TestSite::minimal().file("content/about.md", "+++\ntitle = \"About\"\n+++\nText.\n");
    for i in 0..501 {
        site.write(
            format!("content/cases/case-{i}.md"),
            format!("+++\ntitle = \"Case {i}\"\ndate = 2018-01-01\nsummary = \"S.\"\narea = \"A\"\n+++\nBody of case {i}.\n"),
        );
    }
    site.build_ok();
    let print = site.read("print/index.html");
    assert!(print.contains("id=\"p-about\""), "chapters stay in full");
    assert!(!print.contains("print-section print-case\""), "no case in full");
    assert!(!print.contains("Body of case"), "no case text");
    assert!(print.contains("id=\"p-cases\"") && print.contains("href=\"#p-cases\""));
    assert_eq!(print.matches("<li class=\"case-item\"").count(), 501);
}

// ---- Addresses that may be cached forever, and `_headers` ----

/// The stylesheet addresses (`href` of `<link rel="stylesheet">`) of a page.
fn stylesheets(html: &str) -> Vec<String> {
    html.match_indices("<link rel=\"stylesheet\" href=\"")
        .map(|(at, tag)| {
            let rest = &html[at + tag.len()..];
            rest[..pos(rest, "\"")].to_string()
        })
        .collect()
}

#[test]
fn a_changed_stylesheet_gets_a_new_name_that_every_page_links_to_and_the_old_one_goes() {
    // English and French pages, figure and embed pages, the print edition,
    // the search page and 404.html: every kind of page that links the theme.
    let site = TestSite::fixture("figure_pages");
    site.build_ok();
    let old = site.asset("style.css");
    let (script, search) = (site.asset("briefing.js"), site.asset("search.js"));
    let pages = html_files(&site);
    for must in ["404.html", "print/index.html", "fr/figures/fruit/embed/index.html"] {
        assert!(pages.iter().any(|p| p == must), "{must} in {pages:?}");
    }
    for page in &pages {
        assert_eq!(stylesheets(&site.read(page)), [format!("/{old}")], "{page}");
    }
    let before = common::tree(&site.out());

    // The same input gives the same name and the same bytes.
    site.build_ok_with(BuildArgs { force: true, ..BuildArgs::default() });
    assert_eq!(common::tree(&site.out()), before);

    // A site's own stylesheet replaces the theme's, under its own hash.
    site.write("static/style.css", "body { color: navy; }\n");
    site.build_ok();
    let new = site.asset("style.css");
    assert_ne!(new, old);
    assert_eq!(site.read(&new), "body { color: navy; }\n");
    assert!(!site.has(&old), "the old stylesheet is removed with the build that replaced it");
    for page in &pages {
        let html = site.read(page);
        assert_eq!(stylesheets(&html), [format!("/{new}")], "{page}");
        assert!(!html.contains(&old), "{page} still names {old}");
    }
    // The files that did not change keep their names.
    assert_eq!((site.asset("briefing.js"), site.asset("search.js")), (script, search));
    // The site's file is also copied under its own name, as static files are.
    assert_eq!(site.read("style.css"), "body { color: navy; }\n");
}

#[test]
fn a_themes_own_stylesheet_is_written_under_its_hashed_name_only() {
    let site = TestSite::minimal()
        .file("themes/default/static/style.css", "body { color: teal; }\n")
        .file("themes/default/static/fonts/a.woff2", "font");
    site.build_ok();
    let style = site.asset("style.css");
    assert_eq!(site.read(&style), "body { color: teal; }\n");
    assert!(!site.has("style.css"), "{:?}", site.files());
    assert_eq!(site.read("fonts/a.woff2"), "font", "the theme's other files keep their names");
}

#[test]
fn the_generator_tag_names_the_version_and_not_the_commit() {
    let site = TestSite::fixture("figure_pages");
    site.build_ok();
    let tag =
        format!("<meta name=\"generator\" content=\"briefing {}\">", env!("CARGO_PKG_VERSION"));
    for page in ["index.html", "fr/index.html", "figures/fruit/embed/index.html", "404.html"] {
        assert!(site.read(page).contains(&tag), "{page}");
    }
}

/// The value of the `Cache-Control` rule of `_headers` that matches `url`,
/// panicking unless exactly one does (`*` at the end of a rule matches
/// anything, as Netlify and Cloudflare Pages read it).
fn cache_control<'a>(rules: &'a [(String, String)], url: &str) -> &'a str {
    let matching: Vec<&(String, String)> = rules
        .iter()
        .filter(|(rule, _)| match rule.strip_suffix('*') {
            Some(prefix) => url.starts_with(prefix),
            None => url == rule,
        })
        .collect();
    assert_eq!(matching.len(), 1, "{url} matches {matching:?}");
    &matching[0].1
}

#[test]
fn headers_true_writes_one_cache_rule_for_every_address_long_for_hashed_files() {
    let site = TestSite::fixture("figure_pages");
    site.build_ok();
    assert!(!site.has("_headers"), "only when book.toml asks");
    let book = site.source("book.toml").replace(
        "base_url = \"https://example.org/\"",
        "base_url = \"https://example.org/ict/\"\nheaders = true",
    );
    site.write("book.toml", &book);
    site.build_ok();
    let text = site.read("_headers");
    let rules: Vec<(String, String)> = text
        .split("\n\n")
        .skip(1)
        .map(|block| {
            let (rule, value) = block.split_once("\n  Cache-Control: ").expect("a rule");
            (rule.to_string(), value.trim_end().to_string())
        })
        .collect();
    let forever = "public, max-age=31536000, immutable";
    let each_time = "public, max-age=0, must-revalidate";
    let hashed: Vec<String> =
        ["style.css", "briefing.js", "search.js", "search-excerpts.js", "favicon.svg"]
            .iter()
            .map(|name| site.asset(name))
            .collect();
    let folders = [site.search_file("", ""), site.search_file("fr/", "")];
    let mut long = 0;
    for file in site.files().into_iter().filter(|f| !f.starts_with('_') && !f.starts_with('.')) {
        let kept = hashed.contains(&file) || folders.iter().any(|f| file.starts_with(f.as_str()));
        let want = if kept { forever } else { each_time };
        long += usize::from(kept);
        let mut urls = vec![format!("/ict/{file}")];
        if let Some(folder) = file.strip_suffix("index.html") {
            urls.push(format!("/ict/{folder}"));
        }
        for url in urls {
            assert_eq!(cache_control(&rules, &url), want, "{url}");
        }
    }
    assert!(long > hashed.len() + 2, "the search index's files are kept too");
    assert!(rules.len() < 60, "few rules: {rules:?}");
    assert!(text.contains("\n/ict/search/index.json\n  Cache-Control: public, max-age=0,"));

    // Not a switch: anything but true or false is an error at its line.
    site.write("book.toml", book.replace("headers = true", "headers = \"yes\""));
    let errors = site.build_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].path.as_str(), errors[0].line), ("book.toml", 7), "{errors:?}");
}
