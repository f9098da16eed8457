//! Bad inputs (issue 7) in the file system: symbolic links that lead out of
//! the site or of the output, manifest entries outside the output, output
//! folders that must be refused or cannot be written, and a theme named
//! like a path. A build must never read, write or remove anything outside
//! the site and its output.

mod common;

use std::fs;
use std::os::unix::fs::symlink;

use common::broken::{Reports, build_fails, builds, edit, fails_with, good_site, redact, warnings};
use common::fixtures::BOOK_WITH_TERMS;
use common::{TestSite, tree};

/// A folder beside the site with files a build must never read or touch.
fn outside(site: &TestSite) -> std::path::PathBuf {
    let dir = site.tmp().join("outside");
    fs::create_dir_all(dir.join("templates")).expect("outside folder");
    fs::write(dir.join("secret.txt"), "SECRET-OUTSIDE").expect("secret");
    fs::write(dir.join("page.md"), "+++\ntitle = \"SECRET-OUTSIDE\"\n+++\nSECRET-OUTSIDE\n")
        .expect("page");
    fs::write(dir.join("d.toml"), "title = \"SECRET-OUTSIDE\"\nsource = \"SECRET-OUTSIDE\"\n")
        .expect("dataset");
    fs::write(dir.join("index.md"), "+++\n+++\nSECRET-OUTSIDE\n").expect("front page");
    fs::write(dir.join("templates/404.html"), "SECRET-OUTSIDE").expect("template");
    dir
}

/// Asserts that no output file holds the outside folder's secret.
#[track_caller]
fn assert_no_secret(site: &TestSite) {
    for (file, bytes) in tree(&site.out()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET-OUTSIDE"),
            "{file} holds a file from outside the site"
        );
    }
}

#[test]
fn symlinked_files_that_lead_out_of_the_site_are_not_followed() {
    let site = good_site();
    let out = outside(&site);
    let root = site.root();
    fs::create_dir_all(root.join("static")).expect("static");
    symlink(out.join("page.md"), root.join("content/leak.md")).expect("link");
    symlink(out.join("page.md"), root.join("content/cases/leak.md")).expect("link");
    symlink(out.join("d.toml"), root.join("data/leak.toml")).expect("link");
    symlink(out.join("secret.txt"), root.join("static/secret.txt")).expect("link");
    symlink(out.join("templates/404.html"), root.join("templates/cases.html")).expect("link");
    symlink(&out, root.join("content/cases/folder")).expect("link");
    let stderr = builds(&site);
    // A warning names each link.
    insta::assert_snapshot!(warnings(&site, &stderr));
    assert!(!site.has("secret.txt") && !site.has("leak/index.html"), "{:?}", site.files());
    assert_no_secret(&site);
}

#[test]
fn symlinked_source_folders_that_lead_out_of_the_site_are_not_followed() {
    for folder in ["static", "data", "templates", "content/cases"] {
        let site = good_site();
        let out = outside(&site);
        let link = site.root().join(folder);
        if link.exists() {
            fs::remove_dir_all(&link).expect("remove folder");
        }
        let target = out.join("folder");
        fs::create_dir_all(&target).expect("target");
        for (name, from) in [
            ("secret.txt", "secret.txt"),
            ("leak.toml", "d.toml"),
            ("leak.md", "page.md"),
            ("404.html", "templates/404.html"),
        ] {
            fs::copy(out.join(from), target.join(name)).expect("copy");
        }
        symlink(&target, &link).expect("link");
        let (status, _, stderr) = site.cli(&["build"]);
        assert!(status == 0 || status == 1, "{stderr}");
        assert_no_secret(&site);
    }
}

#[test]
fn symlinked_book_toml_that_leads_out_of_the_site_is_not_read() {
    let site = good_site();
    let out = outside(&site);
    fs::write(out.join("book.toml"), BOOK_WITH_TERMS.replace("Test briefing", "SECRET-OUTSIDE"))
        .expect("outside book");
    fs::remove_file(site.root().join("book.toml")).expect("remove book");
    symlink(out.join("book.toml"), site.root().join("book.toml")).expect("link");
    build_fails(&site, &[("book.toml", 0)]);
    assert_no_secret(&site);
}

#[test]
fn a_symlink_inside_the_output_is_never_written_through() {
    let site = good_site();
    let out = outside(&site);
    let target = out.join("victim");
    fs::create_dir_all(&target).expect("victim folder");
    fs::write(target.join("keep.txt"), "keep").expect("victim file");
    fs::remove_dir_all(site.out().join("cases")).expect("remove cases");
    symlink(&target, site.out().join("cases")).expect("link");
    let stderr = fails_with(&site, &["build"], &[]);
    insta::assert_snapshot!(stderr);
    assert_eq!(common::list_files(&target), ["keep.txt"]);
}

#[test]
fn a_symlinked_output_file_is_replaced_not_written_through() {
    let site = good_site();
    let out = outside(&site);
    fs::remove_file(site.out().join("index.html")).expect("remove");
    symlink(out.join("secret.txt"), site.out().join("index.html")).expect("link");
    builds(&site);
    assert_eq!(fs::read_to_string(out.join("secret.txt")).expect("secret"), "SECRET-OUTSIDE");
    assert!(!fs::symlink_metadata(site.out().join("index.html")).expect("meta").is_symlink());
}

#[test]
fn a_stale_temporary_symlink_in_the_output_is_not_written_through() {
    let site = good_site();
    let out = outside(&site);
    symlink(out.join("secret.txt"), site.out().join(".index.html.briefing-tmp")).expect("link");
    edit(&site, "content/index.md", "## Findings", "## New findings");
    builds(&site);
    assert_eq!(fs::read_to_string(out.join("secret.txt")).expect("secret"), "SECRET-OUTSIDE");
}

#[test]
fn manifest_entries_outside_the_output_are_never_removed() {
    let site = good_site();
    let victim = site.tmp().join("victim.txt");
    fs::write(&victim, "keep").expect("victim");
    fs::write(site.root().join("keep.txt"), "keep").expect("root file");
    let manifest = site.out().join(".briefing-manifest");
    let mut text = fs::read_to_string(&manifest).expect("manifest");
    for line in ["../../victim.txt", "../keep.txt", &victim.display().to_string(), "..", "/"] {
        text.push_str(line);
        text.push('\n');
    }
    fs::write(&manifest, text).expect("manifest");
    builds(&site);
    assert_eq!(fs::read_to_string(&victim).expect("victim"), "keep");
    assert_eq!(site.source("keep.txt"), "keep");
}

#[test]
fn an_output_directory_that_is_the_site_root_is_refused() {
    let site = good_site();
    let root = site.root().display().to_string();
    let mut reports = Reports::new();
    for arg in [root.clone(), format!("{root}/"), format!("{root}/public/..")] {
        let stderr = fails_with(&site, &["build", "--output", &arg], &[]);
        reports.add(format_args!("--output {}", redact(&site, &arg)), &stderr);
    }
    for dir in ["\"\"", "\".\"", "\"public/..\""] {
        let site = good_site();
        edit(&site, "book.toml", "base_url =", &format!("output_dir = {dir}\nbase_url ="));
        let stderr = build_fails(&site, &[]);
        reports.add(format_args!("output_dir = {dir}"), &stderr);
    }
    // Each report says the output would be the "site root".
    insta::assert_snapshot!(reports.text());
}

#[test]
fn an_output_directory_that_contains_the_site_is_refused() {
    let site = good_site();
    let tmp = site.tmp().display().to_string();
    let mut reports = Reports::new();
    for arg in [tmp.as_str(), "/", "."] {
        let stderr = fails_with(&site, &["build", "--output", arg], &[]);
        reports.add(format_args!("--output {}", redact(&site, arg)), &stderr);
    }
    // Each report says the output folder "contains the site".
    insta::assert_snapshot!(reports.text());
    let site = good_site();
    edit(&site, "book.toml", "base_url =", "output_dir = \"..\"\nbase_url =");
    build_fails(&site, &[]);
}

#[test]
fn an_output_directory_inside_the_sources_is_refused() {
    let mut reports = Reports::new();
    for folder in
        ["content", "content/cases", "data", "templates", "themes/x", "static", "i18n/out"]
    {
        let site = good_site();
        let arg = site.root().join(folder).display().to_string();
        let stderr = fails_with(&site, &["build", "--output", &arg], &[]);
        reports.add(format_args!("--output [tmp]/site/{folder}"), &stderr);
        let site = good_site();
        edit(&site, "book.toml", "base_url =", &format!("output_dir = \"{folder}\"\nbase_url ="));
        build_fails(&site, &[]);
    }
    // Each report is "refusing" to write into the sources.
    insta::assert_snapshot!(reports.text());
}

#[test]
fn an_output_directory_holding_files_briefing_did_not_write_is_refused() {
    let site = good_site();
    let other = site.tmp().join("other");
    fs::create_dir_all(other.join("sub")).expect("other");
    fs::write(other.join("index.html"), "mine").expect("mine");
    fs::write(other.join("sub/keep.txt"), "keep").expect("keep");
    let arg = other.display().to_string();
    let stderr = fails_with(&site, &["build", "--output", &arg], &[]);
    // The report says how to go on: `--force`.
    insta::assert_snapshot!(stderr);
}

#[test]
fn an_output_directory_that_cannot_be_written_is_a_clear_error() {
    let site = good_site();
    let file = site.tmp().join("a-file");
    fs::write(&file, "not a folder").expect("file");
    let mut reports = Reports::new();
    for arg in [file.join("out"), file.clone(), file.join("deep/er/out")] {
        let arg = arg.display().to_string();
        let stderr = fails_with(&site, &["build", "--output", &arg], &[]);
        reports.add(format_args!("--output {}", redact(&site, &arg)), &stderr);
    }
    // Each report names the path: [tmp]/a-file.
    insta::assert_snapshot!(reports.text());
    assert_eq!(fs::read_to_string(&file).expect("file"), "not a folder");
}

#[test]
fn a_theme_name_that_leaves_the_site_is_refused() {
    let site = good_site();
    let out = outside(&site);
    fs::create_dir_all(out.join("static")).expect("static");
    fs::write(out.join("static/secret.txt"), "SECRET-OUTSIDE").expect("secret");
    fs::create_dir_all(site.root().join("themes")).expect("themes");
    edit(&site, "book.toml", "base_url =", "theme = \"../../outside\"\nbase_url =");
    build_fails(&site, &[("book.toml", 6)]);
    assert_no_secret(&site);
}
