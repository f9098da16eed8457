//! Bad inputs (issue 7) that concern every kind of file: words outside the
//! format's vocabularies, unknown keys, duplicates across files, files
//! outside the site layout, invalid UTF-8, byte-order marks and CRLF line
//! ends, several mistakes in several files, and `briefing check`. Each test
//! builds the good site of `common::broken` through the real binary, then
//! breaks it.

mod common;

use std::fs;

use common::broken::{Reports, build_fails, builds, crlf, edit, fails_with, good_site};
use common::fixtures::{DATASET, TEMPLATE_404};

#[test]
fn words_outside_the_format_vocabularies_are_reported_at_their_line() {
    for (rel, from, to, line) in [
        ("content/cases/c.md", "response = \"responded\"", "response = \"answered\"", 11),
        ("data/d.toml", "kind = \"bar\"", "kind = \"bars\"", 12),
        ("book.toml", "[taxonomies]\n", "[taxonomies]\ntopics = [\"x\"]\n", 9),
        (
            "book.toml",
            "base_url = \"https://example.org/\"",
            "base_url = \"ftp://example.org/\"",
            6,
        ),
        ("content/chapter.md", "format=\"percent\"", "format=\"permille\"", 8),
    ] {
        let site = good_site();
        edit(&site, rel, from, to);
        build_fails(&site, &[(rel, line)]);
    }
}

#[test]
fn unknown_keys_in_every_kind_of_file_are_reported_at_their_line() {
    for (rel, from, to, line) in [
        ("book.toml", "authors =", "titel = \"x\"\nauthors =", 3),
        ("book.toml", "base_url =", "ouput_dir = \"x\"\nbase_url =", 6),
        ("content/chapter.md", "weight = 1", "wieght = 1", 3),
        ("content/cases/c.md", "response = \"responded\"", "respons = \"responded\"", 11),
        ("content/cases/c.md", "url = \"https://example.org/report\"", "link = \"x\"", 16),
        ("data/d.toml", "source = \"S\"", "sources = \"S\"", 2),
        ("data/d.toml", "kind = \"bar\"", "kind = \"bar\"\ncolour = \"red\"", 13),
        ("data/d.toml", "x = \"k\"", "x = \"key\"", 13),
    ] {
        let site = good_site();
        edit(&site, rel, from, to);
        build_fails(&site, &[(rel, line)]);
    }
}

#[test]
fn duplicate_figure_ids_terms_and_companies_are_reported() {
    let site = good_site();
    site.write("data/e.toml", DATASET.replace("[[figures]]\n", "[[figures]]\nid = \"d\"\n"));
    build_fails(&site, &[("data/e.toml", 11)]);

    let site = good_site();
    edit(&site, "book.toml", "\"Mining\", \"Manufacturing\"", "\"Mining\", \"mining\"");
    build_fails(&site, &[("book.toml", 9)]);

    let site = good_site();
    edit(
        &site,
        "content/cases/c.md",
        "[[sources]]",
        "[[companies]]\nname = \"ACME\"\nresponse = \"declined\"\n\n[[sources]]",
    );
    build_fails(&site, &[("content/cases/c.md", 15)]);
}

#[test]
fn files_outside_the_site_layout_are_reported() {
    let site = good_site();
    site.write("content/deep/er.md", "+++\ntitle = \"Deep\"\n+++\n");
    site.write("data/sub/d.toml", DATASET);
    build_fails(&site, &[("content/deep/er.md", 0), ("data/sub/d.toml", 0)]);
}

#[test]
fn invalid_utf8_in_every_kind_of_file_names_its_line() {
    let mut reports = Reports::new();
    for (rel, from, to, line) in [
        ("book.toml", "authors = [\"An author\"]", "authors = [\"An \u{1} author\"]", 3),
        ("content/chapter.md", "title = \"Chapter\"", "title = \"Chap\u{1}ter\"", 2),
        ("content/chapter.md", "Rate:", "Ra\u{1}te:", 8),
        ("content/cases/c.md", "Body.", "Bo\u{1}dy.", 19),
        ("data/d.toml", "source = \"S\"", "source = \"\u{1}S\"", 2),
        ("templates/404.html", "Not here.", "Not \u{1}here.", 3),
    ] {
        let site = good_site();
        edit(&site, rel, from, to);
        // \u{1} marks where the invalid bytes go: a lone continuation byte, then a cut sequence.
        let bytes: Vec<u8> = site
            .source(rel)
            .bytes()
            .flat_map(|b| if b == 1 { vec![0x80, 0xe2, 0x28] } else { vec![b] })
            .collect();
        site.write(rel, bytes);
        let stderr = build_fails(&site, &[(rel, line)]);
        reports.add(format_args!("{rel}:{line}"), &stderr);
    }
    // Each report says the line is "not valid UTF-8".
    insta::assert_snapshot!(reports.text());
}

#[test]
fn byte_order_marks_and_crlf_line_ends_in_book_content_and_data_build() {
    let site = good_site();
    let before = site.read("index.html");
    for rel in
        ["book.toml", "content/index.md", "content/chapter.md", "content/cases/c.md", "data/d.toml"]
    {
        site.write(rel, crlf(&site.source(rel)));
    }
    // Templates get CRLF line ends without a byte-order mark (see the test below).
    site.write("templates/404.html", TEMPLATE_404.replace('\n', "\r\n"));
    builds(&site);
    let index = site.read("index.html");
    assert_eq!(index.replace('\r', ""), before.replace('\r', ""), "the same page, CRLF or not");
    for file in site.files() {
        let bytes = fs::read(site.out().join(&file)).expect("read output");
        assert!(!String::from_utf8_lossy(&bytes).contains('\u{feff}'), "a BOM leaked into {file}");
    }
    assert!(site.read("404.html").contains("Not here."));
    assert!(site.read("cases/c/index.html").contains("A report"));
}

#[test]
fn several_errors_in_several_files_are_all_reported() {
    let site = good_site();
    edit(&site, "content/index.md", "figure(id=\"d\")", "figure(id=\"e\")");
    edit(&site, "content/index.md", "#known-heading", "#unknown-heading");
    edit(&site, "content/chapter.md", "weight = 1", "wieght = 1");
    edit(&site, "content/cases/c.md", "area = \"Mining\"", "area = \"Minning\"");
    edit(&site, "content/cases/c.md", "response = \"responded\"", "response = \"respond\"");
    edit(&site, "data/d.toml", "rate = 0.58", "rate = \"high\"");
    site.write("content/other.md", "+++\ntitle = \"Other\"\nslug = \"../x\"\n+++\n");
    // The link to the chapter's unknown heading (content/index.md:9) is not
    // reported: the chapter's front matter fails, so its headings are not
    // known, and its own error is the one to fix first (issue 21).
    let stderr = build_fails(
        &site,
        &[
            ("content/cases/c.md", 5),
            ("content/cases/c.md", 11),
            ("content/chapter.md", 3),
            ("content/index.md", 7),
            ("content/other.md", 3),
            ("data/d.toml", 5),
        ],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn check_reports_the_same_errors_and_writes_nothing() {
    let site = good_site();
    edit(&site, "content/chapter.md", "weight = 1", "wieght = 1");
    fails_with(&site, &["check"], &[("content/chapter.md", 3)]);
}
