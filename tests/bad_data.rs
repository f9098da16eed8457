//! Bad inputs (issue 7) in datasets: syntax, missing keys, wrong types,
//! file names that are not ids. Each test builds the good site of
//! `common::broken` through the real binary, breaks data/ and expects exit
//! status 1, the path and line of each mistake, and not one byte changed
//! around the site.

mod common;

use common::broken::{Reports, build_fails, builds, edit, good_site, without_line};
use common::fixtures::{DATASET, DATASET_HONEST};

#[test]
fn syntax_error_in_a_dataset_names_its_line() {
    let site = good_site();
    edit(&site, "data/d.toml", "n = 1", "n = = 1");
    build_fails(&site, &[("data/d.toml", 9)]);
}

#[test]
fn each_missing_key_of_a_dataset_is_reported() {
    for (text, line) in [
        (without_line(DATASET, "title ="), 1),
        (without_line(DATASET, "source ="), 1),
        (without_line(DATASET, "kind ="), 11),
        (without_line(DATASET, "x ="), 11),
        (without_line(DATASET, "y ="), 11),
        // Two figures need an id each; the second [[figures]] is on line 15.
        (
            format!(
                "{DATASET}\n[[figures]]\nid = \"d2\"\nkind = \"pie\"\nx = \"k\"\ny = [\"n\"]\n"
            ),
            11,
        ),
    ] {
        let site = good_site();
        site.write("data/d.toml", &text);
        build_fails(&site, &[("data/d.toml", line)]);
    }
}

#[test]
fn wrong_types_in_a_dataset_are_reported_at_their_line() {
    for (from, to, line) in [
        ("title = \"D\"", "title = 3", 1),
        ("rate = 0.58", "rate = \"high\"", 5),
        ("rate = 0.58", "rate = nan", 5),
        ("n = 1", "n = [1]", 9),
        ("n = 1", "n = \"one\"", 9),
        ("y = [\"n\"]", "y = \"n\"", 14),
        ("x = \"k\"", "x = 1", 13),
    ] {
        let site = good_site();
        edit(&site, "data/d.toml", from, to);
        build_fails(&site, &[("data/d.toml", line)]);
    }
}

#[test]
fn dataset_file_names_that_are_not_ids_are_reported() {
    for name in ["Bad Name", "UPPER", "a..b", "-x"] {
        let site = good_site();
        site.write(format!("data/{name}.toml"), "title = \"T\"\nsource = \"S\"\n");
        build_fails(&site, &[(&format!("data/{name}.toml"), 0)]);
    }
}

/// The good site of `common::broken` with `DATASET_HONEST` as data/h.toml, built.
fn honest_site() -> common::TestSite {
    let site = good_site();
    site.write("data/h.toml", DATASET_HONEST);
    builds(&site);
    site
}

#[test]
fn honest_number_mistakes_are_reported_at_their_line() {
    let mut reports = Reports::new();
    for (case, from, to, line, said) in [
        (
            "a key that is not a column",
            "responses = 4",
            "responze = 4",
            13,
            "\"responze\" is not a column of this dataset",
        ),
        (
            "an unknown bound",
            "bound = \"at least\"",
            "bound = \"more than\"",
            7,
            "unknown bound \"more than\"",
        ),
        (
            "a qualified cell without a value",
            "{ value = 30, bound",
            "{ bound",
            7,
            "cell \"approaches\" needs a number as its value",
        ),
        (
            "a qualified cell with an unknown key",
            "note = \"More",
            "remark = \"More",
            7,
            "cell \"approaches\" has the key \"remark\"",
        ),
        (
            "a share chart with a cell not stated",
            "approaches = 10\n",
            "",
            10,
            "a pie chart cannot show a share of an unknown whole",
        ),
        (
            "a failed sum",
            "sum = { approaches = 40 }",
            "sum = { approaches = 41 }",
            16,
            "the cells of \"approaches\" add up to 40, not 41",
        ),
        (
            "a sum of an unknown column",
            "sum = { approaches = 40 }",
            "sum = { approachs = 40 }",
            16,
            "[checks] sum names the column \"approachs\"",
        ),
        (
            "a row without the figure's category",
            "region = \"Europe\"\n",
            "",
            10,
            "this row has no \"region\", the figure's category column",
        ),
    ] {
        let site = honest_site();
        edit(&site, "data/h.toml", from, to);
        if case.starts_with("a share chart") {
            edit(&site, "data/h.toml", "kind = \"bar\"", "kind = \"pie\"");
        }
        let report = build_fails(&site, &[("data/h.toml", line)]);
        assert!(report.contains(said), "{case}: {said:?} not in\n{report}");
        // One mistake, one error: a cell written wrongly is not also "text"
        // in a series, nor a sum that fails.
        assert!(report.contains("1 error found"), "{case}:\n{report}");
        reports.add(case, &report);
    }
    insta::assert_snapshot!(reports.text());
}

/// `DATASET` (rows on lines 7-9, the figure from line 11) with a figure
/// option appended to its `[[figures]]` entry.
fn with_option(option: &str) -> String {
    format!("{DATASET}{option}")
}

#[test]
fn figure_option_mistakes_are_reported_at_their_line() {
    let mut reports = Reports::new();
    for (case, option, line, said) in [
        ("an unknown sort", "sort = \"biggest\"\n", 15, "unknown sort \"biggest\""),
        (
            "a colour for what the figure does not draw",
            "colors = { b = \"#112233\" }\n",
            15,
            "`colors` names \"b\", which the figure does not draw",
        ),
        ("a colour that is not one", "colors = { a = \"blue\" }\n", 15, "\"blue\" is not a colour"),
        (
            "a mark with neither at nor category",
            "[[figures.marks]]\nlabel = \"L\"\n",
            15,
            "a mark needs `at`",
        ),
        (
            "a mark with both",
            "[[figures.marks]]\nat = 1\ncategory = \"a\"\n",
            17,
            "either a line `at` a value or a `category`, not both",
        ),
        ("a mark at a text", "[[figures.marks]]\nat = \"high\"\n", 16, "`at` must be a number"),
        (
            "a mark on an unknown category",
            "[[figures.marks]]\ncategory = \"z\"\n",
            16,
            "the figure has no category \"z\"",
        ),
        ("an unknown mark key", "[[figures.marks]]\nat = 1\ncolour = \"x\"\n", 17, "colour"),
    ] {
        let site = good_site();
        site.write("data/d.toml", with_option(option));
        let report = build_fails(&site, &[("data/d.toml", line)]);
        assert!(report.contains(said), "{case}: {said:?} not in\n{report}");
        reports.add(case, &report);
    }
    insta::assert_snapshot!(reports.text());
}

#[test]
fn numbers_too_large_to_draw_or_write_exactly_are_reported_at_their_line() {
    for (case, from, to, line, said) in [
        ("a cell of a figure", "n = 1", "n = 1e308", 9, "is too large to draw or write exactly"),
        ("a negative cell", "n = 1", "n = -1e300", 9, "is too large to draw or write exactly"),
        ("a named value", "rate = 0.58", "rate = 1e20", 5, "value \"rate\" is too large"),
    ] {
        let site = good_site();
        edit(&site, "data/d.toml", from, to);
        let report = build_fails(&site, &[("data/d.toml", line)]);
        assert!(report.contains(said), "{case}: {said:?} not in\n{report}");
        assert!(report.contains("2^53"), "{case}: the help says the bound\n{report}");
        assert!(report.contains("1 error found"), "{case}: one mistake, one error\n{report}");
    }
}
