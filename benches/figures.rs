//! Figure drawing speed: figures per second for each chart kind, on one
//! thread and on all of them (rayon). Run with `cargo bench --bench figures`;
//! the results are recorded in docs/performance.md.

use std::time::{Duration, Instant};

use briefing::data;
use briefing::figures::{self, Figure};
use briefing::i18n::Words;
use rayon::prelude::*;

const KINDS: [(&str, &str); 8] = [
    ("bar", "[\"n\"]"),
    ("hbar", "[\"n\"]"),
    ("stacked-bar", "[\"n\", \"m\"]"),
    ("grouped-bar", "[\"n\", \"m\"]"),
    ("pie", "[\"n\"]"),
    ("donut", "[\"n\"]"),
    ("waffle", "[\"n\"]"),
    ("line", "[\"n\", \"m\"]"),
];

fn main() {
    // Eight rows, like the datasets of the benchmark sites.
    let mut rows = String::new();
    for (i, name) in [
        "Labour rights",
        "Right to privacy",
        "Freedom of expression",
        "Health & safety",
        "Child labour",
        "Forced labour",
        "Discrimination",
        "Land rights & displacement",
    ]
    .iter()
    .enumerate()
    {
        rows.push_str(&format!(
            "[[rows]]\nissue = \"{name}\"\nn = {}\nm = {}\n",
            10 + i * 7 % 23,
            3 + i * 5 % 11
        ));
    }
    let threads = rayon::current_num_threads();
    println!("{:<12} {:>14} {:>16}", "kind", "1 thread /s", format!("{threads} threads /s"));
    for (kind, y) in KINDS {
        let src = format!(
            "title = \"Bench\"\nsource = \"S\"\n{rows}[[figures]]\nkind = \"{kind}\"\nx = \"issue\"\ny = {y}\n"
        );
        let d = data::parse("bench", &src).expect("valid dataset");
        let f = Figure {
            number: 1,
            spec: d.figures[0].clone(),
            dataset: d.id.clone(),
            placed_in: vec![],
            referenced_in: vec![],
            colours: Default::default(),
        };
        let one = rate(|| {
            let _ = figures::draw(&f, &d, &Words::english()).expect("draws");
            1
        });
        let all = rate(|| {
            (0..threads * 16)
                .into_par_iter()
                .map(|_| figures::draw(&f, &d, &Words::english()).expect("draws").wide.len().min(1))
                .sum()
        });
        println!("{kind:<12} {one:>14.0} {all:>16.0}");
    }
}

/// Runs `work` (which returns how many figures it drew) for about a second.
fn rate(mut work: impl FnMut() -> usize) -> f64 {
    for _ in 0..20 {
        work();
    }
    let start = Instant::now();
    let mut n = 0;
    while start.elapsed() < Duration::from_millis(800) {
        n += work();
    }
    n as f64 / start.elapsed().as_secs_f64()
}
