//! The repository is itself a sample site, the largest smoke test: it must
//! build cleanly, with its six case studies and six figures.

mod common;

use std::path::Path;

use briefing::Failure;
use briefing::cli::BuildArgs;
use common::list_files;

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn repository_site_builds_without_warnings_or_errors() {
    let out = tempfile::tempdir().expect("temp dir");
    let args = BuildArgs {
        root: repo_root().to_path_buf(),
        output: Some(out.path().join("public")),
        ..BuildArgs::default()
    };
    let built = match briefing::build(&args) {
        Ok(built) => built,
        Err(Failure::Site(d)) => panic!("the repository's site has errors:\n{}", d.report()),
        Err(Failure::Env(e)) => panic!("the repository's site did not build: {e:#}"),
    };
    assert!(built.warnings.is_empty(), "warnings:\n{}", built.warnings.report());

    let files = list_files(&out.path().join("public"));
    let pages_under = |dir: &str| {
        files
            .iter()
            .filter(|f| {
                f.strip_prefix(dir)
                    .and_then(|rest| rest.strip_suffix("/index.html"))
                    .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
            })
            .count()
    };
    assert_eq!(pages_under("cases/"), 6, "case studies in {files:?}");
    assert_eq!(pages_under("figures/"), 6, "figures in {files:?}");
}

#[test]
fn repository_site_checks_clean() {
    match briefing::check::check(repo_root(), false) {
        Ok(warnings) => assert!(warnings.is_empty(), "warnings:\n{}", warnings.report()),
        Err(d) => panic!("the repository's site has errors:\n{}", d.report()),
    }
}
