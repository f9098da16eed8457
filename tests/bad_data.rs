//! Bad inputs (issue 7) in datasets: syntax, missing keys, wrong types,
//! file names that are not ids. Each test builds the good site of
//! `common::broken` through the real binary, breaks data/ and expects exit
//! status 1, the path and line of each mistake, and not one byte changed
//! around the site.

mod common;

use common::broken::{build_fails, edit, good_site, without_line};
use common::fixtures::DATASET;

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
