//! The output folder's promises (FORMAT.md, "The command line"): a failed
//! build changes nothing, unchanged files keep their times, stale files go,
//! files briefing did not write stay, unsafe folders are refused, the same
//! inputs give the same bytes, and `check` writes nothing.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::time::{Duration, SystemTime};

use briefing::Failure;
use briefing::cli::BuildArgs;
use common::{TestSite, mtimes, set_mtimes, tree};

/// A time no build will write at: files set to it and still at it were not touched.
fn long_ago() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000)
}

/// Asserts two trees hold the same files with the same bytes, naming the differences.
#[track_caller]
fn assert_same_tree(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) {
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let removed: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let changed: Vec<&String> =
        before.keys().filter(|k| after.get(*k).is_some_and(|b| *b != before[*k])).collect();
    assert!(
        added.is_empty() && removed.is_empty() && changed.is_empty(),
        "added {added:?}, removed {removed:?}, changed {changed:?}"
    );
}

#[test]
fn failed_build_leaves_the_previous_output_byte_identical() {
    let site = TestSite::fixture("small_site");
    site.build_ok();
    let before = tree(&site.out());
    assert!(before.contains_key("index.html"));

    // One page changes for the better, another breaks: nothing may be written.
    site.write("content/index.md", "+++\n+++\n\nA new front page.\n");
    site.write(
        "content/chapter.md",
        "+++\ntitle = \"A chapter\"\n+++\n\n{{ figure(id=\"nope\") }}\n",
    );
    site.remove("content/cases/second-case.md");
    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert_same_tree(&before, &tree(&site.out()));
}

#[test]
fn failed_first_build_creates_no_output_folder() {
    let site = TestSite::fixture("small_site");
    site.write(
        "content/chapter.md",
        "+++\ntitle = \"A chapter\"\n+++\n\n{{ figure(id=\"nope\") }}\n",
    );
    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(!site.out().exists());
}

#[test]
fn unchanged_files_are_left_untouched() {
    let site = TestSite::fixture("small_site");
    let first = site.build_ok();
    set_mtimes(&site.out(), long_ago());
    let second = site.build_ok();
    assert_eq!((second.report.written, second.report.removed), (0, 0), "{:?}", second.report);
    assert_eq!(second.report.unchanged, first.files);
    for (path, time) in mtimes(&site.out()) {
        assert_eq!(time, long_ago(), "{path} was touched");
    }
}

#[test]
fn a_figures_png_is_reused_by_what_it_was_drawn_from_and_not_rewritten() {
    let site = TestSite::fixture("figure_pages");
    site.build_ok();
    let chart = site.out().join("figures/fruit@2x.png");
    let drawn = fs::read(&chart).expect("the chart's PNG");
    // Spoil its pixels but not the key it records (in a chunk before the
    // pixels): a build that reuses it keeps these bytes, one that draws
    // again would not.
    let mut spoiled = drawn.clone();
    let end = spoiled.windows(4).rposition(|w| w == b"IEND").expect("IEND") - 5;
    spoiled[end] ^= 0xff;
    fs::write(&chart, &spoiled).expect("spoil");
    set_mtimes(&site.out(), long_ago());
    // --force: a build with nothing changed would not even look.
    let rebuilt = site.build_ok_with(BuildArgs { force: true, ..BuildArgs::default() });
    assert_eq!(rebuilt.report.written, 0, "{:?}", rebuilt.report);
    assert_eq!(fs::read(&chart).expect("png"), spoiled, "the PNG was drawn again");
    assert_eq!(mtimes(&site.out())["figures/fruit@2x.png"], long_ago(), "it was rewritten");
    assert_eq!(mtimes(&site.out())["fr/figures/fruit@2x.png"], long_ago());
    // What the chart shows changes: it is drawn again.
    site.write("data/fruit.toml", site.source("data/fruit.toml").replace("eaten = 5", "eaten = 6"));
    site.build_ok();
    let redrawn = fs::read(&chart).expect("png");
    assert!(redrawn != spoiled && redrawn != drawn, "the new chart is drawn");
}

#[test]
fn changed_page_is_rewritten() {
    let site = TestSite::fixture("small_site");
    site.build_ok();
    set_mtimes(&site.out(), long_ago());
    site.write(
        "content/cases/first-case.md",
        site.source("content/cases/first-case.md")
            .replace("What happened.", "What really happened."),
    );
    site.build_ok();
    let times = mtimes(&site.out());
    assert_ne!(
        times["cases/first-case/index.html"],
        long_ago(),
        "the changed page was not rewritten"
    );
    assert!(site.read("cases/first-case/index.html").contains("What really happened."));
    assert_eq!(
        times["cases/second-case/index.html"],
        long_ago(),
        "an unrelated page was rewritten"
    );
    assert_eq!(times["chapter/index.html"], long_ago(), "an unrelated page was rewritten");
}

#[test]
fn removed_case_study_output_is_removed_but_hand_placed_files_stay() {
    let site = TestSite::fixture("small_site");
    site.build_ok();
    assert!(site.has("cases/second-case/index.html"));
    assert!(site.has("companies/globex/index.html"));
    site.write("public/notes.txt", "mine");
    site.write("public/cases/mine.txt", "mine too");
    site.write("public/cases/second-case/kept.txt", "also mine");

    site.remove("content/cases/second-case.md");
    site.build_ok();
    assert!(!site.has("cases/second-case/index.html"), "{:?}", site.files());
    assert!(!site.has("companies/globex/index.html"), "{:?}", site.files());
    assert!(!site.out().join("companies/globex").exists(), "its emptied folder is removed too");
    assert!(site.has("cases/first-case/index.html"));
    assert_eq!(site.read("notes.txt"), "mine");
    assert_eq!(site.read("cases/mine.txt"), "mine too");
    assert_eq!(site.read("cases/second-case/kept.txt"), "also mine");
}

#[test]
fn non_empty_output_folder_without_a_record_is_refused_unless_forced() {
    let site = TestSite::fixture("small_site");
    site.write("public/foreign.txt", "not briefing's");
    let before = tree(site.tmp());
    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("--force"), "the message says how to go on:\n{stderr}");
    assert_same_tree(&before, &tree(site.tmp()));
    assert!(matches!(site.build(), Err(Failure::Env(_))));
    assert_same_tree(&before, &tree(site.tmp()));

    let (status, _, stderr) = site.cli(&["build", "--force"]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(site.read("foreign.txt"), "not briefing's");
    assert!(site.has("index.html"));
    assert!(site.has(".briefing-manifest"));
    assert!(!site.read(".briefing-manifest").contains("foreign.txt"));

    // Now there is a record, so a plain build works and still keeps the foreign file.
    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(site.read("foreign.txt"), "not briefing's");
}

#[test]
fn output_dir_that_holds_the_sources_is_refused_and_nothing_is_deleted() {
    for output_dir in [".", "./", "..", "content/out", "content/..", "data"] {
        let site = TestSite::fixture("small_site");
        let book = site
            .source("book.toml")
            .replace("[site]\n", &format!("[site]\noutput_dir = {output_dir:?}\n"));
        site.write("book.toml", &book);
        // Something beside the site, which `..` would hold.
        fs::write(site.tmp().join("beside.txt"), "keep").expect("write");
        let before = tree(site.tmp());
        let (status, _, stderr) = site.cli(&["build"]);
        assert_eq!(status, 1, "output_dir = {output_dir:?}:\n{stderr}");
        assert!(stderr.contains("refusing"), "{stderr}");
        assert_same_tree(&before, &tree(site.tmp()));
        assert!(matches!(site.build(), Err(Failure::Env(_))), "output_dir = {output_dir:?}");
        assert_same_tree(&before, &tree(site.tmp()));
    }
}

#[test]
fn output_flag_that_holds_the_sources_is_refused() {
    let site = TestSite::fixture("small_site");
    let before = tree(site.tmp());
    for output in [site.root().to_path_buf(), site.tmp().to_path_buf(), site.root().join("data")] {
        let (status, _, stderr) = site.cli(&["build", "--output", output.to_str().expect("UTF-8")]);
        assert_eq!(status, 1, "--output {}:\n{stderr}", output.display());
        assert_same_tree(&before, &tree(site.tmp()));
    }
}

#[cfg(unix)]
#[test]
fn output_folder_that_is_a_link_to_the_site_is_refused() {
    let site = TestSite::fixture("small_site");
    let link = site.tmp().join("out-link");
    std::os::unix::fs::symlink(site.root(), &link).expect("symlink");
    let before = tree(site.root());
    let (status, _, stderr) = site.cli(&["build", "--output", link.to_str().expect("UTF-8")]);
    assert_eq!(status, 1, "{stderr}");
    assert_same_tree(&before, &tree(site.root()));
}

#[test]
fn record_naming_paths_outside_the_output_folder_deletes_nothing_there() {
    let site = TestSite::fixture("small_site");
    site.build_ok();
    fs::write(site.tmp().join("beside.txt"), "keep").expect("write");
    let absolute = site.tmp().join("absolute.txt");
    fs::write(&absolute, "keep").expect("write");
    let manifest = site.out().join(".briefing-manifest");
    let mut record = fs::read_to_string(&manifest).expect("record");
    record.push_str(&format!("../book.toml\n../../beside.txt\n{}\n", absolute.display()));
    fs::write(&manifest, record).expect("write record");
    site.build_ok();
    assert!(site.root().join("book.toml").is_file(), "book.toml was deleted");
    assert!(site.tmp().join("beside.txt").is_file(), "a file beside the site was deleted");
    assert!(absolute.is_file(), "a file named by its absolute path was deleted");
}

#[test]
fn same_inputs_give_byte_identical_output() {
    for fixture in ["small_site", "figures", "case_studies"] {
        let site = TestSite::fixture(fixture);
        let (a, b) = (site.tmp().join("out-a"), site.tmp().join("out-b"));
        site.build_ok_with(BuildArgs { output: Some(a.clone()), ..BuildArgs::default() });
        site.build_ok_with(BuildArgs { output: Some(b.clone()), ..BuildArgs::default() });
        let (a, b) = (tree(&a), tree(&b));
        assert!(a.len() > 10, "{fixture}: {:?}", a.keys());
        assert!(!a.keys().any(|k| k.contains("briefing-tmp")), "{fixture}: {:?}", a.keys());
        assert_same_tree(&a, &b);
    }
}

#[test]
fn check_writes_nothing() {
    let site = TestSite::fixture("small_site");
    let before = tree(site.tmp());
    let (status, _, stderr) = site.cli(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(briefing::check::check(site.root(), true).is_ok());
    assert!(!site.out().exists());
    assert_same_tree(&before, &tree(site.tmp()));

    site.write(
        "content/chapter.md",
        "+++\ntitle = \"A chapter\"\n+++\n\n{{ figure(id=\"nope\") }}\n",
    );
    let before = tree(site.tmp());
    let (status, _, stderr) = site.cli(&["check"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(briefing::check::check(site.root(), false).is_err());
    assert_same_tree(&before, &tree(site.tmp()));
}

#[test]
fn a_rebuild_with_nothing_changed_is_skipped_and_anything_changed_is_built() {
    let site = TestSite::fixture("small_site");
    let first = site.build_ok();
    assert!(first.report.written > 5);
    let manifest = site.read(".briefing-manifest");
    assert!(manifest.lines().any(|l| l.starts_with("# inputs ")), "{manifest}");

    // Nothing changed: nothing rendered, nothing written, the same counts.
    let second = site.build_ok();
    assert_eq!(second.report.written, 0);
    assert_eq!(second.report.unchanged, first.files);
    assert_eq!((second.pages, second.figures), (first.pages, first.figures));

    // A deleted output file is made again.
    let victim = site.files().into_iter().find(|f| f.ends_with("index.html")).expect("a page");
    std::fs::remove_file(site.out().join(&victim)).expect("remove");
    let third = site.build_ok();
    assert_eq!(third.report.written, 1, "only the missing file is written");
    assert!(site.has(&victim));

    // A source whose time changed is read again, and its change shows.
    let index = site.source("content/index.md");
    site.write("content/index.md", index.replace("front page", "FRONT PAGE EDITED"));
    site.build_ok();
    assert!(site.read("index.html").contains("FRONT PAGE EDITED"));

    // Other options make another site.
    let moved = site.build_ok_with(BuildArgs {
        base_url: Some("https://example.com/elsewhere/".into()),
        ..BuildArgs::default()
    });
    assert!(moved.report.written > 5);
    assert!(site.read("index.html").contains("/elsewhere/"));
}

#[test]
fn a_build_with_warnings_is_never_skipped() {
    let site = TestSite::fixture("small_site").file(
        "content/about.md",
        "+++\ntitle = \"About\"\nsummary = \"only for case studies\"\n+++\nText.\n",
    );
    let first = site.build_ok();
    assert!(!first.warnings.is_empty(), "the fixture must warn");
    assert!(!site.read(".briefing-manifest").contains("# inputs "));
    let again = site.build_ok();
    assert!(!again.warnings.is_empty(), "the warnings are shown again");
}

/// Every folder under `dir`, relative, sorted.
fn folders(dir: &std::path::Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(dir).expect("inside").to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn a_build_that_fails_after_files_were_written_leaves_the_output_as_it_was() {
    // Files are written as they are rendered: a changed page beside its old
    // file, a new case study into the staging folder. A failure after that
    // must take them all back.
    let site = TestSite::fixture("small_site");
    site.build_ok();
    set_mtimes(&site.out(), long_ago());
    let (before, before_folders) = (tree(&site.out()), folders(&site.out()));
    site.write(
        "content/cases/first-case.md",
        site.source("content/cases/first-case.md")
            .replace("What happened.", "What really happened."),
    );
    let new_case = "+++\ntitle = \"Third case\"\ndate = 2019-01-01\nsummary = \"S.\"\narea = \"Mining\"\n+++\n\n";

    // Every file rendered and written, then a broken link found.
    site.write("content/cases/third-case.md", format!("{new_case}A [link](/nowhere/).\n"));
    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("broken link"), "{stderr}");
    assert_same_tree(&before, &tree(&site.out()));
    assert_eq!(before_folders, folders(&site.out()));
    assert!(mtimes(&site.out()).values().all(|t| *t == long_ago()));

    // A template that fails on one page, while the others are written.
    site.write("content/cases/third-case.md", format!("{new_case}Fine.\n"));
    site.write(
        "templates/case.html",
        "{% extends \"base.html\" %}{% block main %}{% if page.title == \"Third case\" %}{{ nope.x }}{% endif %}{{ page.title }}{% endblock %}",
    );
    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("case.html"), "{stderr}");
    assert_same_tree(&before, &tree(&site.out()));
    assert_eq!(before_folders, folders(&site.out()));

    // Fixed: the new folder and the changed page are in place, nothing else moved.
    site.remove("templates/case.html");
    let built = site.build_ok();
    assert!(site.read("cases/third-case/index.html").contains("Third case"));
    assert!(site.read("cases/first-case/index.html").contains("What really happened."));
    assert!(built.report.unchanged > 0 && built.report.written > 0, "{:?}", built.report);
    assert!(!site.out().join(briefing::output::STAGING).exists());
    assert!(!site.files().iter().any(|f| f.contains("briefing-tmp")), "{:?}", site.files());
    assert_eq!(mtimes(&site.out())["cases/second-case/index.html"], long_ago());
}

#[test]
fn a_staging_folder_left_by_a_stopped_build_is_cleared() {
    let site = TestSite::fixture("small_site");
    site.build_ok();
    // What a stopped build leaves: its staging folder, with briefing's mark.
    site.write("public/.briefing-staging/.briefing-stage", "");
    site.write("public/.briefing-staging/cases/half/index.html", "half written");
    // Nothing changed in the sources, but the build is not skipped.
    site.build_ok();
    assert!(!site.out().join(briefing::output::STAGING).exists(), "{:?}", site.files());
    assert!(!site.read(".briefing-manifest").contains("staging"));

    // A first build that was stopped leaves only its staging folder: the
    // next build goes ahead without --force.
    let fresh = TestSite::fixture("small_site");
    fresh.write("public/.briefing-staging/.briefing-stage", "");
    fresh.write("public/.briefing-staging/index.html", "half written");
    fresh.build_ok();
    assert!(!fresh.out().join(briefing::output::STAGING).exists(), "{:?}", fresh.files());
    assert!(fresh.read("index.html").contains("<html"));
}

#[test]
fn a_staging_folder_briefing_did_not_make_is_never_removed() {
    let site = TestSite::fixture("small_site");
    site.build_ok();
    site.write("public/.briefing-staging/mine.txt", "someone else's");
    site.write("content/index.md", "+++\n+++\n\nChanged.\n");
    let (status, _, stderr) = site.cli(&["build", "--force"]);
    assert_ne!(status, 0, "{stderr}");
    assert!(stderr.contains("was not made by briefing"), "{stderr}");
    assert_eq!(site.read(".briefing-staging/mine.txt"), "someone else's");
}

#[test]
fn a_failed_first_build_removes_the_folders_it_made_for_the_output() {
    let site = TestSite::fixture("small_site");
    site.write("content/chapter.md", "+++\ntitle = \"A chapter\"\n+++\n\n[x](/nowhere/)\n");
    let (status, _, stderr) = site.cli(&["build", "--output", "deep/er/public"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(!site.tmp().join("deep").exists(), "{stderr}");
}

#[test]
fn files_of_the_site_with_the_same_path_are_an_error_before_anything_moves() {
    // A static file where a page's folder goes.
    let site = TestSite::fixture("small_site").file("static/notes", "a file");
    site.build_ok();
    let before = tree(&site.out());
    site.write("content/notes.md", "+++\ntitle = \"Notes\"\n+++\n\nText.\n");
    let errors = site.build_errors();
    assert!(
        errors.iter().any(|d| d.path == "notes (output)" && d.message.contains("notes/index.html")),
        "{errors:#?}"
    );
    assert_same_tree(&before, &tree(&site.out()));

    // A page of the default language inside another language's folder.
    let site = TestSite::fixture("languages");
    site.build_ok();
    let before = tree(&site.out());
    site.write("content/fr.md", "+++\ntitle = \"Français\"\n+++\n\nText.\n");
    let errors = site.build_errors();
    let e = errors
        .iter()
        .find(|d| d.message.contains("inside the folder of the language \"fr\""))
        .unwrap_or_else(|| panic!("{errors:#?}"));
    assert_eq!(e.path, "content/fr.md");
    assert_same_tree(&before, &tree(&site.out()));

    // A static file named like briefing's own files.
    let site = TestSite::fixture("small_site").file("static/.briefing-x/a.txt", "x");
    let errors = site.build_errors();
    assert!(
        errors.iter().any(
            |d| d.path == "static/.briefing-x/a.txt" && d.message.contains("kept for briefing")
        ),
        "{errors:#?}"
    );
}

#[test]
fn a_folder_goes_where_an_earlier_build_wrote_a_file_but_never_over_a_file_of_someone_else() {
    let site = TestSite::fixture("small_site").file("static/notes", "a file");
    site.build_ok();
    assert_eq!(site.read("notes"), "a file");
    site.remove("static/notes");
    site.write("static/notes/a.txt", "now a folder");
    site.build_ok();
    assert_eq!(site.read("notes/a.txt"), "now a folder");

    // A file briefing did not write stands where a new page's folder goes.
    site.write("public/cases/third-case", "someone else's");
    let before = tree(&site.out());
    site.write(
        "content/cases/third-case.md",
        "+++\ntitle = \"Third\"\ndate = 2019-01-01\nsummary = \"S.\"\narea = \"Mining\"\n+++\n\nText.\n",
    );
    let (status, _, stderr) = site.cli(&["build"]);
    assert_ne!(status, 0, "{stderr}");
    assert!(stderr.contains("a file not written by briefing is in the way"), "{stderr}");
    assert!(stderr.contains("third-case"), "{stderr}");
    assert_same_tree(&before, &tree(&site.out()));
}

#[test]
fn files_a_stopped_build_wrote_beside_others_are_cleared_by_the_next() {
    let site = TestSite::fixture("small_site");
    site.build_ok();
    // What a build stopped between writing and moving leaves: a journal in
    // the staging folder naming the files it wrote beside others.
    site.write("public/cases/first-case/.index.html.briefing-tmp", "half written");
    site.write("public/.briefing-staging/.briefing-stage", "");
    site.write("public/.briefing-staging/.briefing-beside", "cases/first-case/index.html\n");
    site.write("content/index.md", "+++\n+++\n\nChanged.\n");
    site.build_ok();
    let files = site.files();
    assert!(!files.iter().any(|f| f.contains("briefing-tmp")), "{files:?}");
    assert!(!site.out().join(briefing::output::STAGING).exists(), "{files:?}");
}

/// `small_site` with `n` more case studies named `<tag>-case-<i>`, so that
/// two sites of different tags share some pages and differ in others.
fn site_of(tag: &str, n: usize) -> TestSite {
    let site = TestSite::fixture("small_site");
    for i in 0..n {
        site.write(
            format!("content/cases/{tag}-case-{i}.md"),
            format!(
                "+++\ntitle = \"Case {i} of {tag}\"\ndate = 2018-02-{:02}\nsummary = \"A case.\"\narea = \"Manufacturing\"\n\n[[companies]]\nname = \"Company {tag} {i}\"\nresponse = \"responded\"\n+++\n\nWhat {tag} says about case {i}.\n",
                i % 28 + 1
            ),
        );
    }
    site.write("content/index.md", format!("+++\n+++\n\nThe front page of {tag}.\n"));
    site
}

/// The binary's build of `site` into `out`, with `fault` (`BRIEFING_TEST_FAULT`) if any.
fn build_into(
    site: &TestSite,
    out: &std::path::Path,
    fault: Option<&str>,
) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"));
    c.args(["build", "--root", site.root().to_str().expect("UTF-8")])
        .args(["--output", out.to_str().expect("UTF-8")])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    if let Some(f) = fault {
        c.env("BRIEFING_TEST_FAULT", f);
    }
    c
}

/// The output folder's files and bytes, without the lock file (which only
/// says that builds take turns).
fn published(out: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let mut t = tree(out);
    t.remove(".briefing-lock");
    t
}

#[test]
fn two_builds_at_once_into_one_folder_take_turns_and_leave_one_whole_output() {
    let (a, b) = (site_of("alpha", 120), site_of("beta", 150));
    let clean = |site: &TestSite| {
        let out = site.tmp().join("clean");
        let status = build_into(site, &out, None).status().expect("runs");
        assert!(status.success());
        published(&out)
    };
    let (clean_a, clean_b) = (clean(&a), clean(&b));
    for offset in [0, 20, 80, 200, 400] {
        let out = a.tmp().join(format!("shared-{offset}"));
        let first = build_into(&a, &out, None).spawn().expect("runs");
        std::thread::sleep(Duration::from_millis(offset));
        let second = build_into(&b, &out, None).spawn().expect("runs");
        let (first, second) =
            (first.wait_with_output().expect("a"), second.wait_with_output().expect("b"));
        assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
        assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
        // Every file is classified: the output is wholly one build's.
        let got = published(&out);
        let whole_a = got == clean_a;
        let whole_b = got == clean_b;
        let of = |clean: &BTreeMap<String, Vec<u8>>| {
            got.iter().filter(|(k, v)| clean.get(*k) == Some(*v)).count()
        };
        assert!(
            whole_a || whole_b,
            "offset {offset} ms: a mix: {} files, {} as alpha's, {} as beta's",
            got.len(),
            of(&clean_a),
            of(&clean_b)
        );
    }
}

#[test]
fn a_build_killed_at_any_step_of_its_commit_is_finished_by_the_next_with_no_orphan() {
    let (a, b) = (site_of("alpha", 6), site_of("beta", 9));
    let out_of = |name: &str| a.tmp().join(name);
    let run = |site: &TestSite, out: &std::path::Path, fault: Option<&str>| {
        build_into(site, out, fault).output().expect("runs")
    };
    let clean = |site: &TestSite, name: &str| {
        let out = out_of(name);
        assert!(run(site, &out, None).status.success());
        published(&out)
    };
    let (clean_a, clean_b) = (clean(&a, "clean-a"), clean(&b, "clean-b"));
    let mut steps = 0;
    for step in 1..200 {
        // Alpha's output, then beta's build stopped after `step` steps of its commit.
        for (next, want) in [(&b, &clean_b), (&a, &clean_a)] {
            let out = out_of(&format!("killed-{step}"));
            let _ = fs::remove_dir_all(&out);
            assert!(run(&a, &out, None).status.success());
            let killed = run(&b, &out, Some(&format!("abort-commit-after={step}")));
            if killed.status.success() {
                // The commit has fewer steps: every one was tried.
                assert!(steps > 5, "only {steps} steps");
                return;
            }
            assert!(killed.status.code().is_none(), "stopped by a signal, as a kill would");
            steps = step;
            // The next build, of either site, leaves exactly its own output.
            let next_run = run(next, &out, None);
            assert!(next_run.status.success(), "{}", String::from_utf8_lossy(&next_run.stderr));
            let got = published(&out);
            assert!(&got == want, "step {step}: not one build's output");
        }
    }
    panic!("the commit never finished");
}

#[test]
fn a_full_disk_leaves_no_temporary_file_and_the_output_as_it_was() {
    let site = site_of("alpha", 3);
    site.build_ok();
    let before = tree(&site.out());
    site.write("content/index.md", "+++\n+++\n\nA changed front page.\n");
    site.write(
        "content/cases/alpha-case-9.md",
        site.source("content/cases/alpha-case-0.md").replace("Case 0", "Case 9"),
    );
    // A changed file beside its old one, and a file of a new folder.
    for path in ["index.html", "cases/alpha-case-9/index.html"] {
        let out = site.out();
        let failed =
            build_into(&site, &out, Some(&format!("no-space-at={path}"))).output().expect("runs");
        assert_eq!(failed.status.code(), Some(1), "{path}");
        let stderr = String::from_utf8_lossy(&failed.stderr);
        assert!(stderr.contains(path), "{path}: {stderr}");
        assert_same_tree(&before, &tree(&site.out()));
        let leftovers: Vec<String> = tree(&site.out())
            .into_keys()
            .filter(|k| k.contains("briefing-tmp") || k.contains("briefing-staging"))
            .collect();
        assert!(leftovers.is_empty(), "{path}: {leftovers:?}");
    }
    // And the next build succeeds.
    site.build_ok();
    assert!(site.read("index.html").contains("A changed front page."));
}
