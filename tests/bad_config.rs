//! Bad inputs (issue 7) in book.toml: syntax, missing keys, wrong types,
//! values outside the format's vocabularies, encodings, several mistakes at
//! once. Each test builds the good site of `common::broken` through the real
//! binary, breaks book.toml and expects exit status 1, the path and line of
//! each mistake, and not one byte changed around the site.

mod common;

use common::broken::{build_fails, edit, good_site, without_line};
use common::fixtures::BOOK_WITH_TERMS;

#[test]
fn syntax_error_in_book_toml_names_its_line() {
    let site = good_site();
    edit(&site, "book.toml", "title = \"Test briefing\"", "title = \"Test briefing");
    build_fails(&site, &[("book.toml", 2)]);
}

#[test]
fn each_missing_key_of_book_toml_is_reported() {
    for (text, line) in [
        (without_line(BOOK_WITH_TERMS, "title ="), 1),
        (without_line(BOOK_WITH_TERMS, "base_url ="), 5),
        (
            BOOK_WITH_TERMS
                .replace("[book]\ntitle = \"Test briefing\"\nauthors = [\"An author\"]\n", ""),
            1,
        ),
        (BOOK_WITH_TERMS.replace("[site]\nbase_url = \"https://example.org/\"\n", ""), 1),
    ] {
        let site = good_site();
        site.write("book.toml", &text);
        build_fails(&site, &[("book.toml", line)]);
    }
}

#[test]
fn wrong_types_in_book_toml_are_reported_at_their_line() {
    for (from, to, line) in [
        ("title = \"Test briefing\"", "title = 1", 2),
        ("authors = [\"An author\"]", "authors = \"An author\"", 3),
        ("base_url = \"https://example.org/\"", "base_url = 3", 6),
        ("areas = [\"Mining\", \"Manufacturing\"]", "areas = \"Mining\"", 9),
        ("authors = [\"An author\"]", "published = \"2018-10-01\"", 3),
        (
            "regions = [\"Africa\", \"Asia\"]",
            "regions = [\"Africa\", \"Asia\"]\n\n[build]\ndrafts = \"yes\"",
            14,
        ),
    ] {
        let site = good_site();
        edit(&site, "book.toml", from, to);
        build_fails(&site, &[("book.toml", line)]);
    }
}

#[test]
fn values_outside_vocabularies_in_book_toml_are_placed_at_their_line() {
    for (from, to, line) in [
        ("authors = [\"An author\"]", "language = \"English\"", 3),
        (
            "base_url = \"https://example.org/\"",
            "base_url = \"https://example.org/\"\ntheme = \"nope\"",
            7,
        ),
        ("[taxonomies]", "[figures]\npalette = [\"red\"]\n\n[taxonomies]", 9),
    ] {
        let site = good_site();
        edit(&site, "book.toml", from, to);
        build_fails(&site, &[("book.toml", line)]);
    }
}

#[test]
fn invalid_utf8_in_book_toml_is_explained_as_an_encoding_problem() {
    let site = good_site();
    let mut bytes = BOOK_WITH_TERMS.as_bytes().to_vec();
    bytes.splice(10..10, [0xff]);
    site.write("book.toml", bytes);
    // An encoding problem, not a missing book.toml (no advice to run `briefing init`).
    insta::assert_snapshot!(build_fails(&site, &[("book.toml", 2)]));
}

#[test]
fn several_errors_in_book_toml_are_all_reported() {
    let site = good_site();
    edit(&site, "book.toml", "authors =", "titel = 1\nauthors =");
    edit(&site, "book.toml", "base_url =", "ouput = 2\nbase_url =");
    edit(&site, "book.toml", "[taxonomies]", "[bulid]\ndrafts = true\n\n[taxonomies]");
    let stderr = build_fails(&site, &[("book.toml", 3), ("book.toml", 7), ("book.toml", 10)]);
    insta::assert_snapshot!(stderr);
}
