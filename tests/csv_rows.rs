//! CSV rows (issue 18, point 8): data/<id>.csv beside data/<id>.toml holds
//! the dataset's rows. A site whose rows are in a CSV (with or without a
//! byte-order mark, CRLF or LF, `,` or `;`, quoted cells, empty cells)
//! builds byte for byte like the same site with `[[rows]]` in the TOML; a
//! mistake in the CSV exits 1 naming `data/<id>.csv:line:col` and leaves the
//! previous output as it was; an edit of the CSV alone is rebuilt.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::time::Duration;

use briefing::render::SearchPlan;
use briefing::session::Session;
use briefing::site::LoadOptions;
use common::broken::{build_fails, builds, crlf, edit, good_site, without_line};
use common::fixtures::{BOOK, DATASET};
use common::{TestSite, tree};

/// The dataset without its rows, with a figure of the companies by region.
const HEAD: &str = "title = \"Companies by region\"
source = \"S\"
unit = \"companies\"

[[figures]]
id = \"regions\"
kind = \"hbar\"
x = \"region\"
y = [\"companies\"]
";

/// The rows as TOML: a note with a comma, quotes and a line end; Asia does
/// not state its companies, Africa has no note.
const TOML_ROWS: &str = "
[[rows]]
region = \"Europe\"
companies = 12
note = \"Berlin, Paris\"

[[rows]]
region = \"Asia\"
note = \"said \\\"no\\\"\\nthen \\\"yes\\\"\"

[[rows]]
region = \"Africa\"
companies = 3.5
";

/// The same rows as CSV, with `,`, LF and no byte-order mark.
const CSV_ROWS: &str = "region,companies,note
Europe,12,\"Berlin, Paris\"
Asia,,\"said \"\"no\"\"
then \"\"yes\"\"\"
Africa,3.5,
";

/// A front page that places the figure.
const INDEX: &str = "+++\ntitle = \"Home\"\n+++\n\n{{ figure(id=\"regions\") }}\n";

/// A site with data/d.toml (`toml`) and, if given, data/d.csv (`csv`).
fn site(toml: &str, csv: Option<&str>) -> TestSite {
    let site = TestSite::new()
        .file("book.toml", BOOK)
        .file("content/index.md", INDEX)
        .file("data/d.toml", toml);
    if let Some(csv) = csv {
        site.write("data/d.csv", csv);
    }
    site
}

/// Every output file but the manifest (which records the sources' fingerprint).
fn output(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    site.build_ok();
    let mut files = tree(&site.out());
    files.retain(|path, _| {
        !path.ends_with(".briefing-manifest") && !path.ends_with(".briefing-lock")
    });
    files
}

#[test]
fn csv_rows_build_byte_for_byte_like_toml_rows() {
    let want = output(&site(&format!("{HEAD}{TOML_ROWS}"), None));
    let semicolons = CSV_ROWS
        .replace("region,companies,note", "region;companies;note")
        .replace("Europe,12,", "Europe;12;")
        .replace("Asia,,", "Asia;;")
        .replace("Africa,3.5,", "Africa;3.5;");
    for (case, csv) in [
        ("LF and ,", CSV_ROWS.to_string()),
        ("BOM, CRLF and ;", crlf(&semicolons)),
        (
            "every cell quoted",
            CSV_ROWS
                .replace("Europe,12", "\"Europe\",\"12\"")
                .replace("Africa,3.5,", "\"Africa\",\"3.5\",\"\""),
        ),
        (
            "no last line end, spaces and blank lines",
            format!(
                "\n{}",
                CSV_ROWS.replace("Europe,12", "Europe , 12").replace("Asia,", "\nAsia,").trim_end()
            ),
        ),
    ] {
        let got = output(&site(HEAD, Some(&csv)));
        assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "{case}");
        for (path, bytes) in &want {
            assert!(got[path] == *bytes, "{case}: {path} differs from the TOML rows' build");
        }
    }
    // What the comparison covers: the figure says which value is not stated.
    let csv = String::from_utf8(want["data/d.csv"].clone()).expect("UTF-8");
    assert!(csv.contains("Asia,,\"said \"\"no\"\"\nthen \"\"yes\"\"\"\r\n"), "{csv}");
    let svg = String::from_utf8(want["figures/regions.svg"].clone()).expect("UTF-8");
    assert!(svg.contains("not stated"), "{svg}");
}

/// The good site of `common::broken` with its rows moved to data/d.csv
/// (`k;n` then `a;1`): it must build.
fn good_csv_site() -> TestSite {
    let site = good_site();
    let toml = without_line(&without_line(&without_line(DATASET, "[[rows]]"), "k ="), "n =");
    site.write("data/d.toml", toml);
    site.write("data/d.csv", "k;n\na;1\n");
    builds(&site);
    site
}

#[test]
fn each_mistake_in_a_csv_names_its_line_and_column_and_changes_nothing() {
    for (csv, place, message) in [
        ("k;n\na;1,5\n", "data/d.csv:2:3", "malformed number \"1,5\""),
        ("k;n\na;12a\n", "data/d.csv:2:3", "malformed number \"12a\""),
        ("k;n\na;1;2\n", "data/d.csv:2:5", "this row has 3 cells, more than the 2 columns"),
        ("k;n\na\n", "data/d.csv:2:2", "this row has 1 cell, fewer than the 2 columns"),
        ("k;n\na\"b;1\n", "data/d.csv:2:2", "a quote inside a cell that is not in quotes"),
        ("k;n\n\"a;1\n", "data/d.csv:2:1", "this quote is never closed"),
        ("k;k;n\na;b;1\n", "data/d.csv:1:3", "the header names the column \"k\" twice"),
        ("k;;n\na;b;1\n", "data/d.csv:1:3", "this column of the header has no name"),
        ("K;n\na;1\n", "data/d.csv:1:1", "the header names no column \"k\""),
        ("\u{feff}k;n\r\n;1\r\n", "data/d.csv:2:1", "this row has no \"k\""),
    ] {
        let site = good_csv_site();
        site.write("data/d.csv", csv);
        let line = place.split(':').nth(1).and_then(|l| l.parse().ok()).expect("a line");
        let report = build_fails(&site, &[("data/d.csv", line)]);
        assert!(report.contains(&format!("{place}: error: {message}")), "{csv:?}:\n{report}");
        assert!(report.contains("= help: "), "{csv:?}:\n{report}");
    }
}

#[test]
fn a_csv_without_a_toml_is_an_error_asking_for_one() {
    let site = good_csv_site();
    site.write("data/e.csv", "k;n\na;1\n");
    let report = build_fails(&site, &[("data/e.csv", 0)]);
    assert!(
        report.contains("data/e.csv: error: the rows of a dataset need data/e.toml"),
        "{report}"
    );
    assert!(report.contains("title and source"), "{report}");
}

#[test]
fn rows_in_both_files_are_an_error_saying_which_to_keep() {
    let site = good_site();
    site.write("data/d.csv", "k;n\na;1\n");
    let report = build_fails(&site, &[("data/d.toml", 7)]);
    assert!(report.contains("rows both here and in data/d.csv"), "{report}");
    assert!(
        report.contains("remove the [[rows]] from this file, or remove data/d.csv"),
        "{report}"
    );
}

#[test]
fn declared_columns_must_be_the_csv_header() {
    let site = good_csv_site();
    edit(&site, "data/d.toml", "source = \"S\"", "source = \"S\"\ncolumns = [\"k\", \"n\"]");
    builds(&site);
    edit(&site, "data/d.toml", "columns = [\"k\", \"n\"]", "columns = [\"n\", \"k\"]");
    let report = build_fails(&site, &[("data/d.toml", 3)]);
    assert!(
        report.contains("the declared columns differ from the header of data/d.csv"),
        "{report}"
    );
}

#[test]
fn an_edit_of_the_csv_alone_is_rebuilt_like_a_fresh_build() {
    let site = site(HEAD, Some(CSV_ROWS));
    let mut s = Session::new(site.root().to_path_buf(), LoadOptions::default());
    s.rebuild(SearchPlan::Now).expect("the first build");
    let path = site.root().join("data/d.csv");
    fs::write(&path, CSV_ROWS.replace("Europe,12,", "Europe,13,")).expect("write");
    // A later time, so that a filesystem with coarse times sees the change.
    let later =
        fs::metadata(&path).and_then(|m| m.modified()).expect("mtime") + Duration::from_secs(2);
    fs::File::options().write(true).open(&path).and_then(|f| f.set_modified(later)).expect("touch");
    let r = s.rebuild(SearchPlan::Now).expect("the rebuild");
    assert!(!r.patched, "a dataset's rows are not a page's text");
    for changed in ["data/d.csv", "data/d.json", "figures/regions.svg"] {
        assert!(r.changed.iter().any(|c| c == changed), "{changed} not in {:?}", r.changed);
    }
    let fresh = output(&site);
    let files = s.files();
    for (path, bytes) in &fresh {
        assert!(
            files.get(path).is_some_and(|b| **b == *bytes),
            "{path} differs from a fresh build's"
        );
    }
}
