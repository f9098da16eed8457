//! Incremental rebuilds (what `serve` does after each save): a change
//! renders again only the pages that depend on it, and what comes out is
//! byte for byte what a fresh build of the same sources makes. The site is
//! a copy of the repository's own briefing, in English and French.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::Path;
use std::sync::Arc;

use briefing::render::{self, Previous, SearchPlan};
use briefing::session::Session;
use briefing::site::{self, LoadOptions};
use common::TestSite;

/// A copy of the repository's site (sources only).
fn repo_site() -> TestSite {
    let site = TestSite::new();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::copy(repo.join("book.toml"), site.root().join("book.toml")).expect("book.toml");
    for folder in ["content", "data", "i18n", "themes"] {
        common::copy_tree(&repo.join(folder), &site.root().join(folder));
    }
    site
}

fn session(site: &TestSite) -> Session {
    let mut s = Session::new(site.root().to_path_buf(), LoadOptions::default());
    s.rebuild(SearchPlan::Now).expect("the first build");
    s
}

/// Every file of a fresh build of the site, through `render` itself.
fn fresh(site: &TestSite) -> HashMap<String, Vec<u8>> {
    let (mut s, _) = site::load(site.root(), &LoadOptions::default()).expect("loads");
    render::render(&mut s, &Previous::default())
        .expect("renders")
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect()
}

/// The session's files are exactly those of a fresh build.
fn assert_same_as_fresh(s: &Session, site: &TestSite) {
    let want = fresh(site);
    let got = s.files();
    let got_paths: BTreeSet<&String> = got.keys().collect();
    let want_paths: BTreeSet<&String> = want.keys().collect();
    assert_eq!(got_paths, want_paths, "the same files");
    for (path, bytes) in &want {
        assert!(**got[path] == *bytes, "{path} differs from a fresh build's");
    }
}

/// Rewrites `rel` with `edit` applied to its text (and a later time, so
/// that a filesystem with coarse times still sees the change).
fn edit(site: &TestSite, rel: &str, edit: impl FnOnce(String) -> String) {
    let path = site.root().join(rel);
    let text = fs::read_to_string(&path).expect("readable");
    let new = edit(text.clone());
    assert_ne!(new, text, "the edit changes {rel}");
    fs::write(&path, new).expect("writable");
    let later =
        fs::metadata(&path).unwrap().modified().unwrap() + std::time::Duration::from_secs(2);
    fs::File::options().write(true).open(&path).unwrap().set_modified(later).unwrap();
}

fn set(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| p.to_string()).collect()
}

#[test]
fn the_first_build_renders_every_page_and_matches_a_plain_build() {
    let site = repo_site();
    let mut s = Session::new(site.root().to_path_buf(), LoadOptions::default());
    let r = s.rebuild(SearchPlan::Now).unwrap();
    let pages = s.files().keys().filter(|p| p.ends_with(".html")).count();
    assert_eq!(r.rendered.len(), pages, "every page is rendered once");
    assert!(r.parsed > 10, "every source is parsed: {}", r.parsed);
    assert_same_as_fresh(&s, &site);
}

#[test]
fn a_rebuild_with_nothing_changed_renders_nothing() {
    let site = repo_site();
    let mut s = session(&site);
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert_eq!(r.parsed, 0);
    assert_eq!(r.rendered, Vec::<String>::new(), "nothing to render");
    assert!(r.changed.is_empty() && r.removed.is_empty(), "{:?} {:?}", r.changed, r.removed);
    assert_same_as_fresh(&s, &site);
}

#[test]
fn editing_a_case_studys_text_renders_its_page_and_what_shows_its_text() {
    let site = repo_site();
    let mut s = session(&site);
    edit(&site, "content/cases/hirevue-ai-bias.md", |t| {
        t.replace("## Company response", "A new sentence from the editor.\n\n## Company response")
            + "\nAnother new sentence.\n"
    });
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert_eq!(r.parsed, 1, "only the saved file is parsed");
    assert!(r.patched, "a text edit patches the site in both languages");
    let want = set(&[
        "cases/hirevue-ai-bias/index.html",
        "print/index.html",
        "search/index.html",
        // The French site shows the untranslated case in English.
        "fr/cases/hirevue-ai-bias/index.html",
        "fr/print/index.html",
        "fr/search/index.html",
    ]);
    assert_eq!(r.rendered.iter().cloned().collect::<BTreeSet<_>>(), want);
    let page = String::from_utf8(s.files()["cases/hirevue-ai-bias/index.html"].to_vec()).unwrap();
    assert!(page.contains("Another new sentence."));
    assert_same_as_fresh(&s, &site);
}

#[test]
fn editing_a_case_studys_issue_renders_the_lists_and_terms_it_leaves_and_joins() {
    let site = repo_site();
    let mut s = session(&site);
    let total = s.files().keys().filter(|p| p.ends_with(".html")).count();
    edit(&site, "content/cases/hirevue-ai-bias.md", |t| {
        t.replace("issues = [\"Discrimination\"]", "issues = [\"Right to privacy\"]")
    });
    let r = s.rebuild(SearchPlan::Now).unwrap();
    let rendered: BTreeSet<String> = r.rendered.iter().cloned().collect();
    for must in [
        "cases/hirevue-ai-bias/index.html",
        "cases/index.html",
        "issues/index.html",
        "issues/right-to-privacy/index.html",
        "index.html",
        "print/index.html",
        "fr/cases/index.html",
        "fr/issues/right-to-privacy/index.html",
    ] {
        assert!(rendered.contains(must), "{must} is rendered again: {rendered:?}");
    }
    // The term it left has no case any more, so its page goes away.
    assert!(r.removed.contains(&"issues/discrimination/index.html".to_string()), "{r:?}");
    for untouched in [
        "cases/drc-minerals/index.html",
        "what-abuses-were-alleged/index.html",
        "figures/issues-raised/index.html",
        "areas/index.html",
        "regions/index.html",
        "404.html",
    ] {
        assert!(!rendered.contains(untouched), "{untouched} is not rendered again");
    }
    assert!(rendered.len() * 3 < total, "{} of {total} pages rendered", rendered.len());
    assert_same_as_fresh(&s, &site);
}

#[test]
fn editing_a_dataset_redraws_its_figures_and_the_pages_that_place_them() {
    let site = repo_site();
    let mut s = session(&site);
    edit(&site, "data/issues-raised.toml", |t| t.replace("approaches = 7", "approaches = 8"));
    let r = s.rebuild(SearchPlan::Now).unwrap();
    let rendered: BTreeSet<String> = r.rendered.iter().cloned().collect();
    for must in [
        "figures/issues-raised/index.html",
        "figures/index.html",
        "what-abuses-were-alleged/index.html",
        "fr/what-abuses-were-alleged/index.html",
        "fr/figures/issues-raised/index.html",
    ] {
        assert!(rendered.contains(must), "{must} is rendered again: {rendered:?}");
    }
    for path in &rendered {
        assert!(
            !path.contains("cases/") && !path.contains("issues/") && !path.contains("companies/"),
            "{path} does not show the dataset"
        );
    }
    assert!(r.changed.contains(&"figures/issues-raised.svg".to_string()));
    assert!(r.changed.contains(&"data/issues-raised.csv".to_string()));
    assert_same_as_fresh(&s, &site);
}

#[test]
fn editing_a_template_renders_the_pages_that_use_it() {
    let site = repo_site();
    let mut s = session(&site);
    edit(&site, "themes/default/templates/case.html", |t| {
        t.replacen("{% block main %}", "{% block main %}<p class=\"edited\">edited</p>", 1)
    });
    let r = s.rebuild(SearchPlan::Now).unwrap();
    let cases: BTreeSet<String> = s
        .files()
        .keys()
        .filter(|p| p.contains("cases/") && p.ends_with("/index.html") && *p != "cases/index.html")
        .filter(|p| *p != "fr/cases/index.html")
        .cloned()
        .collect();
    let rendered: BTreeSet<String> = r.rendered.iter().cloned().collect();
    assert_eq!(cases.len(), 12, "six case studies in two languages: {cases:?}");
    assert_eq!(rendered, cases, "the case pages and nothing else");
    assert_same_as_fresh(&s, &site);
}

#[test]
fn adding_and_removing_a_case_study_renders_its_neighbours_and_removes_its_files() {
    let site = repo_site();
    let mut s = session(&site);
    let new = fs::read_to_string(site.root().join("content/cases/hirevue-ai-bias.md"))
        .unwrap()
        .replace("date = 2018-07", "date = 2018-09")
        .replace("HireVue", "Newco");
    site.write("content/cases/newco.md", &new);
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert_eq!(r.parsed, 1);
    assert!(r.rendered.contains(&"cases/newco/index.html".to_string()));
    assert!(r.rendered.contains(&"cases/index.html".to_string()));
    assert_same_as_fresh(&s, &site);

    fs::remove_file(site.root().join("content/cases/newco.md")).unwrap();
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert!(r.removed.contains(&"cases/newco/index.html".to_string()), "{:?}", r.removed);
    assert!(r.link_checked > 20, "a page went away: every page's links are checked");
    assert_same_as_fresh(&s, &site);
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_files_and_the_next_good_one_catches_up() {
    let site = repo_site();
    let mut s = session(&site);
    let before = s.files();
    edit(&site, "content/cases/drc-minerals.md", |t| t.replacen("date = ", "date = x", 1));
    let err = s.rebuild(SearchPlan::Now).unwrap_err();
    assert!(err.report().contains("content/cases/drc-minerals.md:"), "{}", err.report());
    assert!(std::sync::Arc::ptr_eq(&before, &s.files()), "the last good files stay");
    // A broken link fails the rebuild too, at its line.
    edit(&site, "content/cases/drc-minerals.md", |t| {
        t.replacen("date = x", "date = ", 1)
            + "\nSee [gone](@/cases/drc-minerals.md#no-such-heading).\n"
    });
    let err = s.rebuild(SearchPlan::Now).unwrap_err();
    assert!(err.report().contains("no-such-heading"), "{}", err.report());
    edit(&site, "content/cases/drc-minerals.md", |t| {
        t.replace("See [gone](@/cases/drc-minerals.md#no-such-heading).", "Fixed.")
    });
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert!(r.rendered.contains(&"cases/drc-minerals/index.html".to_string()));
    assert_same_as_fresh(&s, &site);
}

#[test]
fn a_deferred_search_index_is_made_after_the_pages() {
    let site = repo_site();
    let mut s = session(&site);
    let index_before = s.files()["search/index.html"].clone();
    edit(&site, "content/cases/nso-group-mexico.md", |t| t + "\nA word like zyzzyva.\n");
    let r = s.rebuild(SearchPlan::Defer).unwrap();
    assert!(r.search_pending);
    assert!(!r.rendered.iter().any(|p| p.contains("search/")), "{:?}", r.rendered);
    assert!(r.rendered.contains(&"cases/nso-group-mexico/index.html".to_string()));
    assert!(s.files()["search/index.html"] == index_before, "the old index is served meanwhile");
    let r = s.finish_search().unwrap();
    assert_eq!(r.rendered, vec!["fr/search/index.html".to_string(), "search/index.html".into()]);
    assert!(
        s.files().iter().any(|(p, b)| p.starts_with("search/")
            && p.ends_with(".json")
            && String::from_utf8_lossy(b).contains("zyzzyva")),
        "the new word is in the index"
    );
    assert_same_as_fresh(&s, &site);
    let r = s.finish_search().unwrap();
    assert!(r.rendered.is_empty(), "nothing left to do");
}

#[test]
fn removing_a_page_makes_the_search_index_at_once_as_it_links_to_every_page() {
    let site = repo_site();
    let new = fs::read_to_string(site.root().join("content/cases/hirevue-ai-bias.md"))
        .unwrap()
        .replace("HireVue", "Newco");
    site.write("content/cases/newco.md", &new);
    let mut s = session(&site);
    fs::remove_file(site.root().join("content/cases/newco.md")).unwrap();
    let r = s.rebuild(SearchPlan::Defer).unwrap();
    assert!(!r.search_pending);
    assert!(r.rendered.contains(&"search/index.html".to_string()), "{:?}", r.rendered);
    assert_same_as_fresh(&s, &site);
}

#[test]
fn editing_a_translated_case_or_its_translation_patches_both_languages() {
    let site = repo_site();
    let mut s = session(&site);
    // The original: its translation inherits its front matter, so both are made again.
    edit(&site, "content/cases/samsung-vietnam.md", |t| t + "\nAn English addition.\n");
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert!(r.patched);
    assert_eq!(r.parsed, 2, "the page and its French translation");
    assert!(
        r.rendered.contains(&"cases/samsung-vietnam/index.html".to_string()),
        "{:?}",
        r.rendered
    );
    assert_same_as_fresh(&s, &site);
    // The translation alone.
    edit(&site, "content/cases/samsung-vietnam.fr.md", |t| t + "\nUn ajout en français.\n");
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert!(r.patched);
    assert_eq!(r.parsed, 1);
    assert!(
        r.rendered.contains(&"fr/cases/samsung-vietnam/index.html".to_string())
            && !r.rendered.contains(&"cases/samsung-vietnam/index.html".to_string()),
        "{:?}",
        r.rendered
    );
    let page =
        String::from_utf8(s.files()["fr/cases/samsung-vietnam/index.html"].to_vec()).unwrap();
    assert!(page.contains("Un ajout en français."));
    assert_same_as_fresh(&s, &site);
    // Both at once, the translation's title too.
    edit(&site, "content/cases/samsung-vietnam.md", |t| t + "\nMore English.\n");
    edit(&site, "content/cases/samsung-vietnam.fr.md", |t| {
        t.replacen("title = \"Des ouvrières", "title = \"Selon un rapport, des ouvrières", 1)
    });
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert!(r.patched);
    assert_same_as_fresh(&s, &site);
    // A translation that changes what links rely on (a heading id) loads the site.
    edit(&site, "content/cases/samsung-vietnam.fr.md", |t| {
        t.replace("{#company-response}", "{#reponse}")
    });
    let r = s.rebuild(SearchPlan::Now);
    assert!(r.as_ref().map_or(true, |r| !r.patched), "a changed id is not patched");
}

/// The repository's site in English only.
fn english_site() -> TestSite {
    let site = repo_site();
    // Drops the tables `[<prefix>...]` (and what they hold) from a TOML file.
    let drop_tables = |path: &Path, prefix: &str| {
        let text = fs::read_to_string(path).expect("readable");
        let mut keep = true;
        let mut out = String::new();
        for line in text.lines() {
            if line.starts_with('[') {
                keep = !line.starts_with(prefix);
            }
            if keep {
                out.push_str(line);
                out.push('\n');
            }
        }
        fs::write(path, out).expect("writable");
    };
    drop_tables(&site.root().join("book.toml"), "[languages.fr");
    for entry in fs::read_dir(site.root().join("data")).expect("data") {
        drop_tables(&entry.expect("entry").path(), "[i18n.fr");
    }
    fs::remove_file(site.root().join("i18n/fr.toml")).ok();
    for dir in ["content", "content/cases"] {
        for entry in fs::read_dir(site.root().join(dir)).expect("content") {
            let path = entry.expect("entry").path();
            if path.to_string_lossy().ends_with(".fr.md") {
                fs::remove_file(path).expect("removable");
            }
        }
    }
    site
}

#[test]
fn a_text_edit_patches_the_site_in_place_and_matches_a_fresh_build() {
    let site = english_site();
    let mut s = session(&site);
    assert!(!s.files().keys().any(|p| p.starts_with("fr/")), "one language");
    let case = "content/cases/hirevue-ai-bias.md";
    edit(&site, case, |t| t + "\nA sentence the editor adds.\n");
    let r = s.rebuild(SearchPlan::Defer).unwrap();
    assert!(r.patched, "a text edit patches the last site");
    assert_eq!(r.parsed, 1);
    assert_eq!(r.rendered, ["cases/hirevue-ai-bias/index.html", "print/index.html"]);
    assert!(r.search_pending, "the index waits");
    let r = s.finish_search().unwrap();
    assert_eq!(r.rendered, ["search/index.html"]);
    assert_same_as_fresh(&s, &site);

    // A title shows in the lists: they follow, still by a patch.
    edit(&site, case, |t| t.replacen("title = \"", "title = \"Revised: ", 1));
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert!(r.patched);
    assert!(r.rendered.contains(&"cases/index.html".to_string()), "{:?}", r.rendered);
    assert_same_as_fresh(&s, &site);

    // Saved through a temporary file and a rename, as editors do.
    let path = site.root().join(case);
    let text = fs::read_to_string(&path).unwrap() + "\nOne more sentence.\n";
    fs::write(site.root().join("content/cases/.hirevue.swp"), &text).unwrap();
    fs::rename(site.root().join("content/cases/.hirevue.swp"), &path).unwrap();
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert!(r.patched, "a rename onto the file is an edit of it");
    assert_same_as_fresh(&s, &site);
}

#[test]
fn an_edit_that_moves_what_other_pages_rely_on_loads_the_site_again() {
    let site = english_site();
    let mut s = session(&site);
    let case = "content/cases/hirevue-ai-bias.md";
    // Its terms: the taxonomies are grouped again.
    edit(&site, case, |t| t.replacen("issues = [", "issues = [\"Right to privacy\", ", 1));
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert!(!r.patched, "a change of terms loads the site");
    assert_same_as_fresh(&s, &site);
    // A new heading id: links into the page may now resolve differently.
    edit(&site, case, |t| t + "\n## A new part {#a-new-part}\n\nText.\n");
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert!(!r.patched, "new heading ids load the site");
    assert_same_as_fresh(&s, &site);
    // A mistake: the full load reports it, and the last good files stay.
    let before = s.files();
    edit(&site, case, |t| t.replacen("date = ", "date = 2024-13-45\nwas = ", 1));
    let e = s.rebuild(SearchPlan::Now).unwrap_err();
    assert!(e.report().contains(case), "{}", e.report());
    assert!(Arc::ptr_eq(&before, &s.files()), "the last good files are kept");
    // Fixed: caught up by a full load, then patched again.
    edit(&site, case, |t| t.replacen("date = 2024-13-45\nwas = ", "date = ", 1));
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert!(!r.patched, "after a failure the site is loaded");
    assert_same_as_fresh(&s, &site);
    edit(&site, case, |t| t + "\nAnd now a plain edit.\n");
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert!(r.patched);
    assert_same_as_fresh(&s, &site);
}

#[cfg(unix)]
#[test]
fn a_site_with_warnings_is_loaded_again_to_show_them() {
    let site = english_site();
    // A link out of the site: a warning on every build.
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("x.md"), "+++\ntitle = \"X\"\n+++\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("x.md"), site.root().join("content/x.md"))
        .unwrap();
    let mut s = session(&site);
    edit(&site, "content/cases/hirevue-ai-bias.md", |t| t + "\nMore.\n");
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert!(!r.patched, "a patch could not show the warnings again");
    assert!(r.warnings.report().contains("content/x.md"), "{}", r.warnings.report());
    assert_same_as_fresh(&s, &site);
}

#[test]
fn a_text_edit_of_a_listed_case_leaves_the_print_edition_of_a_large_briefing_be() {
    // Past PRINT_FULL_CASES the print edition lists the case studies (their
    // items) instead of holding their text: a text edit renders the case's
    // page alone, a title edit renders the print edition with the lists.
    let site = TestSite::minimal();
    let n = briefing::render::PRINT_FULL_CASES + 1;
    for i in 0..n {
        site.write(
            format!("content/cases/c{i}.md"),
            format!(
                "+++\ntitle = \"Case {i}\"\ndate = 2018-01-01\nsummary = \"S.\"\narea = \"A\"\n\n\
                 [[companies]]\nname = \"Co {i}\"\nresponse = \"pending\"\n+++\n\nText {i}.\n"
            ),
        );
    }
    let mut s = session(&site);
    edit(&site, "content/cases/c7.md", |t| t + "\nA sentence the editor adds.\n");
    let r = s.rebuild(SearchPlan::Defer).unwrap();
    assert!(r.patched);
    assert_eq!(r.rendered, ["cases/c7/index.html"]);
    let r = s.finish_search().unwrap();
    assert_eq!(r.rendered, ["search/index.html"]);
    assert_same_as_fresh(&s, &site);
    edit(&site, "content/cases/c7.md", |t| t.replacen("title = \"", "title = \"Revised: ", 1));
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert!(r.rendered.contains(&"print/index.html".to_string()), "{:?}", r.rendered);
    assert_same_as_fresh(&s, &site);
}

/// The parsed templates are kept between rebuilds while what they are made
/// from holds: every input of their global context (the configuration, the
/// words, the chapters in the menu, the templates themselves) makes them
/// again.
#[test]
fn the_templates_global_context_follows_every_edit_it_is_made_from() {
    let site = repo_site();
    let mut s = session(&site);
    let page = "cases/index.html";
    edit(&site, "book.toml", |t| t.replacen("title = \"Business", "title = \"Edited Business", 1));
    s.rebuild(SearchPlan::Now).unwrap();
    assert!(read(&s, page).contains("Edited Business"));
    assert_same_as_fresh(&s, &site);
    edit(&site, "content/case-studies.md", |t| {
        t.replacen("title = \"", "title = \"Edited chapter: ", 1)
    });
    s.rebuild(SearchPlan::Now).unwrap();
    assert!(read(&s, page).contains("Edited chapter: "), "the menu follows the chapter's title");
    assert_same_as_fresh(&s, &site);
    let fr = "fr/cases/index.html";
    let before = read(&s, fr);
    edit(&site, "i18n/fr.toml", |t| t + "\nskip_to_content = \"Aller au texte (édité)\"\n");
    s.rebuild(SearchPlan::Now).unwrap();
    assert_ne!(read(&s, fr), before, "the French words follow their file");
    assert_same_as_fresh(&s, &site);
}

fn read(s: &Session, path: &str) -> String {
    String::from_utf8(s.files()[path].to_vec()).unwrap()
}
