//! Bad inputs (issue 7) in templates and themes: template syntax, a
//! byte-order mark in a template, a theme name that is not a plain name.
//! Each test builds the good site of `common::broken` through the real
//! binary, then breaks or changes its templates or theme.

mod common;

use std::fs;

use common::broken::{build_fails, builds, crlf, edit, good_site};
use common::fixtures::TEMPLATE_404;

#[test]
fn syntax_error_in_a_template_names_its_line() {
    let site = good_site();
    edit(&site, "templates/404.html", "<p>Not here.</p>", "<p>{{ page.title </p>");
    build_fails(&site, &[("templates/404.html", 3)]);
}

#[test]
fn byte_order_mark_in_a_template_builds() {
    let site = good_site();
    site.write("templates/404.html", crlf(TEMPLATE_404));
    builds(&site);
    assert!(site.read("404.html").contains("Not here."));
    assert!(!site.read("404.html").contains('\u{feff}'));
}

#[test]
fn issue_7_theme_name_with_a_trailing_slash_does_not_panic() {
    let site = good_site();
    fs::create_dir_all(site.root().join("themes/t/templates")).expect("theme");
    fs::create_dir_all(site.root().join("themes/t/static")).expect("theme static");
    fs::write(site.root().join("themes/t/static/été.txt"), "summer").expect("static");
    edit(&site, "book.toml", "base_url =", "theme = \"t/\"\nbase_url =");
    let (status, _, stderr) = site.cli(&["build"]);
    assert!(status == 0 || status == 1, "{stderr}");
    if status == 0 {
        assert!(site.has("été.txt"), "{:?}", site.files());
    }
}
