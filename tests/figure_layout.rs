//! Chart layout over a corpus of random datasets (figure_layout/corpus.rs): in every SVG of
//! every kind, in English, French and Arabic, no text overlaps another, leaves the chart or is
//! empty (figure_layout/text_boxes.rs). `drawings` is the one call of the drawing API.

#[path = "figure_layout/corpus.rs"]
mod corpus;
#[path = "figure_layout/text_boxes.rs"]
mod text_boxes;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::ops::Range;

use rayon::prelude::*;

use briefing::data::{self, Dataset};
use briefing::figures::{self, Figure};
use briefing::i18n::Words;
use corpus::{Cell, Sample};

/// The seeds of the corpus: 250 datasets of each kind.
const SEEDS: Range<u64> = 0..2000;

/// Seeds whose charts are laid out well today, two of each kind, for the
/// test that shows the checker passes good charts.
const GOOD: [u64; 16] =
    [1992, 2216, 145, 2601, 1226, 2146, 2531, 2627, 772, 1412, 61, 453, 2734, 1958, 1679, 911];

/// At most this many problems are shown in a report, with their datasets.
const SHOWN: usize = 30;

/// Every SVG drawn for `figure`: the only call of the drawing API here, so
/// that a change of the API changes this function alone.
fn drawings(figure: &Figure, data: &Dataset, words: &Words) -> Result<Vec<String>, String> {
    let drawn = figures::draw(figure, data, words)?;
    Ok(vec![drawn.narrow, drawn.wide])
}

/// The words charts are drawn with in each language: English and French
/// as the built-in theme has them, and Arabic as a site adds it, over the
/// English words (numbers with Arabic separators, "not stated" in Arabic).
fn languages() -> Vec<(&'static str, Words)> {
    let french = Words::parse(include_str!("../themes/default/i18n/fr.toml")).expect("French");
    let mut arabic = Words::english().table().clone();
    for (key, word) in [
        ("decimal_separator", "٫"),
        ("group_separator", "٬"),
        ("percent_format", "{n}٪"),
        ("not_stated", "غير مذكور"),
        ("figure", "الشكل"),
    ] {
        arabic.insert(key.to_string(), toml::Value::String(word.to_string()));
    }
    let arabic = Words::parse(&arabic.to_string()).expect("Arabic");
    vec![("en", Words::english()), ("fr", french), ("ar", arabic)]
}

/// A problem of one SVG of the corpus.
struct Finding {
    seed: u64,
    kind: &'static str,
    language: &'static str,
    /// Which of the figure's drawings (`drawings` order).
    layout: usize,
    cause: &'static str,
    detail: String,
}

/// What checking some seeds found.
#[derive(Default)]
struct Outcome {
    datasets: usize,
    /// SVGs checked and SVGs with a problem, by kind.
    svgs: BTreeMap<&'static str, (usize, usize)>,
    findings: Vec<Finding>,
}

/// Draws the dataset of `seed` in every language and checks each SVG.
fn check_seed(seed: u64, languages: &[(&'static str, Words)]) -> Outcome {
    let sample = corpus::sample(seed);
    let toml = sample.toml();
    let data = data::parse("corpus", &toml).unwrap_or_else(|d| {
        panic!("the corpus wrote a dataset that does not parse (seed {seed}): {d:#?}\n{toml}")
    });
    let figure = figure_of(&data);
    let mut outcome = Outcome { datasets: 1, ..Outcome::default() };
    let finding = |language, layout, cause, detail| Finding {
        seed,
        kind: sample.kind,
        language,
        layout,
        cause,
        detail,
    };
    for (language, words) in languages {
        let svgs = drawings(&figure, &data, words).unwrap_or_else(|e| {
            outcome.findings.push(finding(language, 0, "a chart that cannot be drawn", e));
            Vec::new()
        });
        for (layout, svg) in svgs.iter().enumerate() {
            let problems = text_boxes::problems(svg);
            let count = outcome.svgs.entry(sample.kind).or_default();
            count.0 += 1;
            count.1 += usize::from(!problems.is_empty());
            outcome.findings.extend(
                problems.iter().map(|p| finding(language, layout, p.cause(), p.to_string())),
            );
        }
    }
    outcome
}

/// Checks the datasets of `seeds`, in parallel, in seed order.
fn check(seeds: impl IntoParallelIterator<Item = u64>) -> Outcome {
    let languages = languages();
    let outcomes: Vec<Outcome> =
        seeds.into_par_iter().map(|seed| check_seed(seed, &languages)).collect();
    let mut all = Outcome::default();
    for o in outcomes {
        all.datasets += o.datasets;
        for (kind, (svgs, bad)) in o.svgs {
            let count = all.svgs.entry(kind).or_default();
            count.0 += svgs;
            count.1 += bad;
        }
        all.findings.extend(o.findings);
    }
    all
}

/// A report of the problems: counts by kind and cause, then the first
/// problems of each kind and cause (at most `SHOWN`), then the dataset of
/// each problem shown, as TOML.
fn report(outcome: &Outcome) -> String {
    let svgs: usize = outcome.svgs.values().map(|c| c.0).sum();
    let bad: usize = outcome.svgs.values().map(|c| c.1).sum();
    let mut out = format!(
        "{} problems in {bad} of {svgs} SVGs ({} datasets)\n",
        outcome.findings.len(),
        outcome.datasets
    );
    let mut causes: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in &outcome.findings {
        *causes.entry((f.kind, f.cause)).or_default() += 1;
    }
    for (kind, (svgs, bad)) in &outcome.svgs {
        let _ = writeln!(out, "{kind}: {bad} of {svgs} SVGs");
        for ((_, cause), n) in causes.range((*kind, "")..).take_while(|((k, _), _)| k == kind) {
            let _ = writeln!(out, "    {n} {cause}");
        }
    }
    // The first dataset of each kind and cause, then the second...
    let mut rank: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut shown: Vec<(usize, &Finding)> = Vec::new();
    for f in &outcome.findings {
        if seen.insert((f.kind, f.cause, f.seed)) {
            let r = rank.entry((f.kind, f.cause)).or_default();
            *r += 1;
            shown.push((*r, f));
        }
    }
    shown.sort_by_key(|(r, f)| (*r, f.kind, f.cause, f.seed));
    shown.truncate(SHOWN);
    let _ = writeln!(out, "\nThe first problems of each kind and cause:");
    let mut seeds: Vec<u64> = Vec::new();
    for (_, f) in &shown {
        let _ = writeln!(
            out,
            "- seed {} ({}, {}, drawing {}): {}",
            f.seed, f.kind, f.language, f.layout, f.detail
        );
        if !seeds.contains(&f.seed) {
            seeds.push(f.seed);
        }
    }
    let _ = writeln!(out, "\nTheir datasets (corpus::sample(seed) draws each again):");
    for seed in seeds {
        let _ = writeln!(out, "=== seed {seed}\n{}", corpus::sample(seed).toml());
    }
    out
}

#[test]
fn no_chart_of_the_corpus_has_text_that_collides_or_leaves_the_chart() {
    let outcome = check(SEEDS);
    assert!(outcome.findings.is_empty(), "{}", report(&outcome));
}

#[test]
fn charts_laid_out_well_pass_the_checker() {
    let outcome = check(GOOD);
    assert_eq!(outcome.datasets, GOOD.len());
    assert!(outcome.findings.is_empty(), "{}", report(&outcome));
}

#[test]
fn a_report_counts_problems_by_kind_and_cause_and_shows_their_datasets() {
    let finding = |seed, kind, cause: &'static str| Finding {
        seed,
        kind,
        language: "fr",
        layout: 0,
        cause,
        detail: format!("{cause}: the details"),
    };
    let outcome = Outcome {
        datasets: 3,
        svgs: BTreeMap::from([("bar", (3, 1)), ("pie", (6, 2))]),
        findings: vec![
            finding(8, "bar", "overlapping texts"),
            finding(12, "pie", "a text past the right edge"),
            finding(20, "pie", "a text past the right edge"),
        ],
    };
    let report = report(&outcome);
    for want in [
        "3 problems in 3 of 9 SVGs (3 datasets)\n",
        "bar: 1 of 3 SVGs\n    1 overlapping texts\n",
        "pie: 2 of 6 SVGs\n    2 a text past the right edge\n",
        "- seed 12 (pie, fr, drawing 0): a text past the right edge: the details\n",
    ] {
        assert!(report.contains(want), "{want:?} in\n{report}");
    }
    for seed in [8, 12, 20] {
        assert!(report.contains(&format!("=== seed {seed}\n{}", corpus::sample(seed).toml())));
    }
}

#[test]
fn the_corpus_holds_every_kind_and_every_extreme() {
    let samples: Vec<Sample> = SEEDS.map(corpus::sample).collect();
    let any = |what: &str, test: &dyn Fn(&Sample) -> bool| {
        assert!(samples.iter().any(test), "no dataset of the corpus has {what}");
    };
    for kind in data::KINDS {
        any(kind, &|s| s.kind == kind);
        any("one category", &|s| s.kind == kind && s.categories.len() == 1);
        any("forty categories", &|s| s.kind == kind && s.categories.len() == 40);
    }
    let values = |s: &Sample| s.cells.iter().flatten().filter_map(Cell::value).collect::<Vec<_>>();
    let labels = |s: &Sample| s.categories.iter().chain(&s.series).cloned().collect::<Vec<_>>();
    any("six series", &|s| s.series.len() == 6);
    any("a label of one character", &|s| labels(s).iter().any(|l| l.chars().count() == 1));
    any("a label of about 120 characters", &|s| labels(s).iter().any(|l| l.chars().count() > 110));
    any("a French colon", &|s| labels(s).iter().any(|l| l.contains("\u{a0}:")));
    any("French quotes", &|s| labels(s).iter().any(|l| l.contains("«\u{a0}")));
    any("Arabic", &|s| labels(s).iter().any(|l| l.contains("حقوق")));
    any("a slash inside a word", &|s| labels(s).iter().any(|l| l.contains("Manufacturing/")));
    any("a value of a billion", &|s| values(s).iter().any(|v| v.abs() >= 1e9));
    any("a value of a millionth", &|s| values(s).iter().any(|v| *v != 0.0 && v.abs() < 1e-5));
    any("zero", &|s| values(s).contains(&0.0));
    any("a negative value", &|s| values(s).iter().any(|v| *v < 0.0));
    any("a value not stated", &|s| s.cells.iter().flatten().any(|c| *c == Cell::NotStated));
    any("a qualified value", &|s| {
        s.cells
            .iter()
            .flatten()
            .any(|c| matches!(c, Cell::Qualified { remarks, .. } if !remarks.is_empty()))
    });
}

/// The dataset's one figure, drawn alone (not part of a site).
fn figure_of(data: &Dataset) -> Figure {
    Figure {
        number: 1,
        spec: data.figures[0].clone(),
        dataset: data.id.clone(),
        placed_in: Vec::new(),
        referenced_in: Vec::new(),
        colours: Default::default(),
    }
}

/// Prints the dataset of the seed `CORPUS_SEED` and its SVGs in every
/// language (run with `--ignored --nocapture`), to look at a problem.
#[test]
#[ignore = "a tool: CORPUS_SEED=<seed> cargo test --test figure_layout show_seed -- --ignored --nocapture"]
fn show_seed() {
    let seed: u64 = std::env::var("CORPUS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    let sample = corpus::sample(seed);
    let toml = sample.toml();
    println!("{toml}");
    let data = data::parse("corpus", &toml).expect("parses");
    let figure = figure_of(&data);
    for (language, words) in languages() {
        for (layout, svg) in drawings(&figure, &data, &words).expect("draws").iter().enumerate() {
            println!("=== {language} {layout}\n{svg}");
            for p in text_boxes::problems(svg) {
                println!("!!! {p}");
            }
        }
    }
}
