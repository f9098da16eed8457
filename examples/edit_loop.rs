//! Times a text edit's rebuild in an editing session (what `serve` does
//! after a save): `cargo run --release --example edit_loop -- SITE [N]`.
//! Appends a sentence to one case study N times and prints each rebuild.

use std::path::PathBuf;
use std::time::Instant;

use briefing::render::SearchPlan;
use briefing::session::Session;
use briefing::site::LoadOptions;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("a site's folder"));
    let rounds: usize = args.next().map_or(20, |n| n.parse().expect("a number of edits"));
    let mut session = Session::new(root.clone(), LoadOptions::default());
    let first = Instant::now();
    session.rebuild(SearchPlan::Defer).expect("the site builds");
    session.finish_search().expect("the search index builds");
    eprintln!("first build {:?}", first.elapsed());
    let cases = root.join("content/cases");
    let mut names: Vec<_> = std::fs::read_dir(&cases).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let file = &names[names.len() / 2];
    let mut times = Vec::new();
    for i in 0..rounds {
        let mut text = std::fs::read_to_string(file).unwrap();
        text.push_str(&format!("\nOne more sentence, number {i}.\n"));
        std::fs::write(file, text).unwrap();
        let r = session.rebuild(SearchPlan::Defer).expect("the edit builds");
        times.push(r.took.as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "text edit rebuild: median {:.1} ms, min {:.1}, max {:.1}",
        times[rounds / 2],
        times[0],
        times[rounds - 1]
    );
}
