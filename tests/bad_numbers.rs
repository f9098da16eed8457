//! Bad inputs in the honest numbers of version 2 (issue 18, points 5 and 6):
//! a dataset counted from the case studies, a quoted cell and the front
//! page's highlights, each broken in the good site of `common::broken`,
//! must fail the build at the mistake's line and leave every byte as it was.

mod common;

use common::broken::{build_fails, builds, edit, good_site};

/// A dataset `counted` (data/counted.toml): `count` on line 4, `by` on
/// line 5, `split` on line 6.
const COUNTED: &str = "title = \"Counted\"
source = \"The case studies\"
[from_cases]
count = \"approaches\"
by = \"regions\"
split = \"response\"
";

#[test]
fn unknown_count_by_and_split_are_reported_at_their_line() {
    for (from, to, line) in [
        ("\"approaches\"", "\"companies\"", 4),
        ("\"regions\"", "\"region\"", 5),
        ("\"response\"", "\"responses\"", 6),
        ("\"response\"", "\"regions\"", 6),
    ] {
        let site = good_site();
        site.write("data/counted.toml", COUNTED);
        builds(&site);
        edit(&site, "data/counted.toml", from, to);
        let report = build_fails(&site, &[("data/counted.toml", line)]);
        assert!(report.contains("known `") || report.contains("as `by` is"), "{report}");
    }
    let site = good_site();
    site.write("data/counted.toml", COUNTED.replace("by = \"regions\"", "by = \"regoins\""));
    let report = build_fails(&site, &[("data/counted.toml", 5)]);
    assert!(report.contains("did you mean \"regions\""), "{report}");
}

#[test]
fn rows_beside_from_cases_are_an_error_at_the_rows() {
    let site = good_site();
    site.write(
        "data/counted.toml",
        format!("{COUNTED}[[rows]]\nregions = \"Asia\"\nresponded = 1\n"),
    );
    build_fails(&site, &[("data/counted.toml", 7)]);
}

#[test]
fn a_figure_of_a_counted_dataset_is_checked_against_the_counted_columns() {
    let site = good_site();
    site.write(
        "data/counted.toml",
        format!("{COUNTED}[[figures]]\nkind = \"bar\"\nx = \"regions\"\ny = [\"respondd\"]\n"),
    );
    let report = build_fails(&site, &[("data/counted.toml", 10)]);
    assert!(report.contains("did you mean \"responded\""), "{report}");
}

#[test]
fn a_quoted_cell_names_a_known_row_and_column() {
    let site = good_site();
    let quote = |row: &str, column: &str| {
        format!("Rate: {{{{ value(data=\"d\", row=\"{row}\", column=\"{column}\") }}}}.")
    };
    edit(
        &site,
        "content/chapter.md",
        "Rate: {{ value(data=\"d\", key=\"rate\", format=\"percent\") }}.",
        &quote("a", "n"),
    );
    let stderr = builds(&site);
    assert!(!stderr.contains("error"));
    assert!(site.read("chapter/index.html").contains("Rate: 1."));
    for (row, column, help) in [("b", "n", "did you mean \"a\""), ("a", "m", "did you mean \"n\"")]
    {
        edit(&site, "content/chapter.md", &quote("a", "n"), &quote(row, column));
        let report = build_fails(&site, &[("content/chapter.md", 8)]);
        assert!(report.contains(help), "{report}");
        edit(&site, "content/chapter.md", &quote(row, column), &quote("a", "n"));
    }
}

#[test]
fn highlights_name_existing_values_and_formats() {
    let good = "+++\ntitle = \"Welcome\"\n\n[[highlights]]\nlabel = \"Rate\"\nvalue = \"d.rate\"\nformat = \"percent\"\ncompare = \"d.rate\"\n+++\n";
    for (from, to, line, help) in [
        ("value = \"d.rate\"", "value = \"e.rate\"", 6, "did you mean \"d\""),
        ("value = \"d.rate\"", "value = \"d.rat\"", 6, "did you mean \"rate\""),
        ("value = \"d.rate\"", "value = \"rate\"", 6, "<dataset>.<key>"),
        ("compare = \"d.rate\"", "compare = \"d.rates\"", 8, "did you mean \"rate\""),
        ("format = \"percent\"", "format = \"pct\"", 7, "\"number\" or \"percent\""),
        ("label = \"Rate\"", "labell = \"Rate\"", 5, "label"),
    ] {
        let site = good_site();
        let index = site.source("content/index.md");
        site.write("content/index.md", index.replacen("+++\ntitle = \"Welcome\"\n+++\n", good, 1));
        builds(&site);
        edit(&site, "content/index.md", from, to);
        let report = build_fails(&site, &[("content/index.md", line)]);
        assert!(report.contains(help), "{help}: {report}");
    }
}

#[test]
fn highlights_on_a_chapter_are_an_error() {
    let site = good_site();
    edit(
        &site,
        "content/chapter.md",
        "weight = 1\n",
        "weight = 1\n[[highlights]]\nlabel = \"R\"\nvalue = \"d.rate\"\n",
    );
    build_fails(&site, &[("content/chapter.md", 4)]);
}
