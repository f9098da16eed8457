//! The corpus of figure_layout.rs: a random dataset per seed, of every kind, 1 to 40 categories,
//! 1 to 6 series, labels in English, French and Arabic of 1 to about 120 characters, values from
//! a millionth to a trillion, zero, negative, not stated and qualified; a seed reproduces its own.

use std::fmt::Write as _;

use briefing::data::KINDS;

/// The kinds that show one series as shares of a whole: no negative value,
/// no value not stated, and a total above zero (`data::spec` refuses others).
const SHARES: [&str; 3] = ["pie", "donut", "waffle"];

/// The kinds that draw values below zero.
const NEGATIVES: [&str; 4] = ["bar", "hbar", "grouped-bar", "line"];

/// SplitMix64: a small generator that gives the same numbers on every machine.
struct Rng(u64);

impl Rng {
    /// The generator of `seed`.
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number from `lo` to `hi`, both included.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One of `items`.
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.between(0, items.len() - 1)]
    }

    /// A number from `lo` to `hi` whose every order of magnitude is as likely.
    fn magnitude(&mut self, lo: f64, hi: f64) -> f64 {
        (lo.ln() + self.unit() * (hi.ln() - lo.ln())).exp()
    }
}

/// A cell of a series, as the generator writes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// A plain number.
    Number(f64),
    /// `{ value = .., bound = .., note = .., derived = .. }`.
    Qualified {
        /// The number.
        value: f64,
        /// "at least", "at most" or "about".
        bound: Option<&'static str>,
        /// `note`, `derived`, or both, with their texts.
        remarks: Vec<(&'static str, String)>,
    },
    /// Left out of the row.
    NotStated,
}

impl Cell {
    /// The number, if the cell states one.
    pub(crate) fn value(&self) -> Option<f64> {
        match self {
            Cell::Number(v) | Cell::Qualified { value: v, .. } => Some(*v),
            Cell::NotStated => None,
        }
    }
}

/// One dataset of the corpus, with one figure.
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    /// The seed it is drawn from.
    pub(crate) seed: u64,
    /// The figure's kind.
    pub(crate) kind: &'static str,
    /// The dataset's title.
    pub(crate) title: String,
    /// What the numbers count.
    pub(crate) unit: Option<String>,
    /// The category of each row.
    pub(crate) categories: Vec<String>,
    /// The names of the series (the `y` columns).
    pub(crate) series: Vec<String>,
    /// The cells of each row, one per series.
    pub(crate) cells: Vec<Vec<Cell>>,
    /// The figure's `sort` and `[[figures.marks]]`, as TOML lines.
    pub(crate) options: String,
}

/// The dataset of `seed`; its kind is the seed's turn among the kinds, so
/// that consecutive seeds cover every kind equally.
pub(crate) fn sample(seed: u64) -> Sample {
    let kind = KINDS[(seed % KINDS.len() as u64) as usize];
    let mut rng = Rng::new(seed);
    let rows = match rng.between(0, 9) {
        0..=4 => rng.between(1, 8),
        5..=7 => rng.between(9, 20),
        _ => rng.between(21, 40),
    };
    let width = if SHARES.contains(&kind) || rng.chance(0.35) { 1 } else { rng.between(2, 6) };
    let title = phrase(&mut rng, 3, 8);
    let unit = rng.chance(0.5).then(|| rng.pick(UNITS).to_string());
    let categories: Vec<String> = (0..rows).map(|_| label(&mut rng, 120)).collect();
    let series = series_names(&mut rng, width);
    let cells = Values::draw(&mut rng, kind).cells(&mut rng, rows, width);
    let options = options(&mut rng, kind, &categories, &cells);
    Sample { seed, kind, title, unit, categories, series, cells, options }
}

impl Sample {
    /// The dataset as its TOML file; its columns are declared, since a
    /// first row may leave some out (not stated).
    pub(crate) fn toml(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "title = {}", quote(&self.title));
        let _ = writeln!(out, "source = \"Layout corpus, seed {}\"", self.seed);
        if let Some(unit) = &self.unit {
            let _ = writeln!(out, "unit = {}", quote(unit));
        }
        let names: Vec<String> = self.series.iter().map(|s| quote(s)).collect();
        let _ = writeln!(out, "columns = [\"category\", {}]", names.join(", "));
        for (category, cells) in self.categories.iter().zip(&self.cells) {
            let _ = write!(out, "\n[[rows]]\ncategory = {}\n", quote(category));
            for (name, cell) in names.iter().zip(cells) {
                match cell {
                    Cell::NotStated => {}
                    Cell::Number(v) => {
                        let _ = writeln!(out, "{name} = {}", number(*v));
                    }
                    Cell::Qualified { value, bound, remarks } => {
                        let mut keys = vec![format!("value = {}", number(*value))];
                        keys.extend(bound.map(|b| format!("bound = \"{b}\"")));
                        keys.extend(
                            remarks.iter().map(|(k, text)| format!("{k} = {}", quote(text))),
                        );
                        let _ = writeln!(out, "{name} = {{ {} }}", keys.join(", "));
                    }
                }
            }
        }
        let _ = write!(
            out,
            "\n[[figures]]\nid = \"corpus\"\nkind = \"{}\"\nx = \"category\"\ny = [{}]\n",
            self.kind,
            names.join(", ")
        );
        out.push_str(&self.options);
        out
    }
}

/// Now and then a `sort`, a reference line at one of the values, and a
/// category brought forward, each mark with a label or without.
fn options(rng: &mut Rng, kind: &str, categories: &[String], cells: &[Vec<Cell>]) -> String {
    let mut out = String::new();
    if rng.chance(0.3) {
        let _ = writeln!(out, "sort = \"{}\"", rng.pick(&["descending", "ascending", "none"]));
    }
    let numbers: Vec<f64> = cells.iter().flatten().filter_map(Cell::value).collect();
    if !SHARES.contains(&kind) && !numbers.is_empty() && rng.chance(0.25) {
        let at = rng.pick(&numbers) * 0.8;
        let _ = writeln!(out, "[[figures.marks]]\nat = {at}");
        if rng.chance(0.8) {
            let _ = writeln!(out, "label = {}", quote(&phrase(rng, 1, 9)));
        }
    }
    if !categories.is_empty() && rng.chance(0.2) {
        let category = &categories[rng.between(0, categories.len() - 1)];
        let _ = writeln!(out, "[[figures.marks]]\ncategory = {}", quote(category));
        if rng.chance(0.7) {
            let _ = writeln!(out, "label = {}", quote(&phrase(rng, 1, 7)));
        }
    }
    out
}

/// How a dataset's numbers are drawn.
struct Values {
    /// Each number's order of magnitude: between the bounds of one of these.
    scales: Vec<(f64, f64)>,
    /// Decimals kept (tiny numbers keep three significant digits instead).
    decimals: i32,
    zero: f64,
    negative: f64,
    not_stated: f64,
    qualified: f64,
    /// A chart of shares needs a value above zero.
    shares: bool,
}

const ORDINARY: (f64, f64) = (0.5, 5000.0);
const COUNTS: (f64, f64) = (1.0, 120.0);
const HUGE: (f64, f64) = (1e9, 1e12);
const TINY: (f64, f64) = (1e-6, 1e-3);

impl Values {
    /// The kind of numbers of one dataset for a figure of `kind`.
    fn draw(rng: &mut Rng, kind: &str) -> Self {
        let scales = match rng.between(0, 9) {
            0..=2 => vec![ORDINARY],
            3..=4 => vec![COUNTS],
            5..=6 => vec![HUGE],
            7 => vec![TINY],
            _ => vec![ORDINARY, COUNTS, HUGE, TINY],
        };
        let shares = SHARES.contains(&kind);
        let negative = match rng.between(0, 9) {
            _ if !NEGATIVES.contains(&kind) => 0.0,
            0..=1 => 0.4,
            2 => 1.0,
            _ => 0.0,
        };
        Values {
            scales,
            decimals: rng.between(0, 2) as i32,
            zero: if rng.chance(0.1) { 0.7 } else { 0.06 },
            negative,
            not_stated: if !shares && rng.chance(0.2) { 0.2 } else { 0.0 },
            qualified: if rng.chance(0.2) { 0.25 } else { 0.0 },
            shares,
        }
    }

    /// `rows` rows of `width` cells.
    fn cells(&self, rng: &mut Rng, rows: usize, width: usize) -> Vec<Vec<Cell>> {
        let mut cells: Vec<Vec<Cell>> =
            (0..rows).map(|_| (0..width).map(|_| self.cell(rng)).collect()).collect();
        if self.shares && !cells.iter().flatten().any(|c| c.value().is_some_and(|v| v > 0.0)) {
            let r = rng.between(0, rows - 1);
            cells[r][0] = Cell::Number(self.number(rng).max(1.0));
        }
        cells
    }

    fn cell(&self, rng: &mut Rng) -> Cell {
        if rng.chance(self.not_stated) {
            return Cell::NotStated;
        }
        let value = if rng.chance(self.zero) { 0.0 } else { self.number(rng) };
        if !rng.chance(self.qualified) {
            return Cell::Number(value);
        }
        let bound = rng.pick(&[None, Some("at least"), Some("at most"), Some("about")]);
        let mut remarks = Vec::new();
        for key in ["note", "derived"] {
            if rng.chance(0.4) {
                remarks.push((key, phrase(rng, 2, 14)));
            }
        }
        Cell::Qualified { value, bound, remarks }
    }

    /// A number other than zero.
    fn number(&self, rng: &mut Rng) -> f64 {
        let (lo, hi) = rng.pick(&self.scales);
        let v = rng.magnitude(lo, hi);
        let v = if hi <= TINY.1 {
            let digits = 10f64.powi(2 - v.log10().floor() as i32);
            (v * digits).round() / digits
        } else {
            let p = 10f64.powi(self.decimals);
            ((v * p).round() / p).max(1.0 / p)
        };
        if rng.chance(self.negative) { -v } else { v }
    }
}

/// Words of labels in English, French and Arabic, from the briefing's own vocabulary.
#[rustfmt::skip]
const ENGLISH: &[&str] = &[
    "Labour", "rights", "Right", "to", "privacy", "Raw", "material", "sourcing", "Violence", "and",
    "oppression", "Complicity", "with", "government", "restrictions", "Freedom", "of", "expression",
    "Asia", "Central", "Europe", "North", "America", "Middle", "East", "Africa", "Latin",
    "Caribbean", "Pacific", "Health", "safety", "Discrimination", "Child", "labour", "Forced",
    "Surveillance", "Data", "protection", "Conflict", "minerals", "Electronics", "Software",
    "Telecommunications", "companies", "responded", "declined", "pending", "no response",
    "Global / multi-region", "Manufacturing/assembly", "&", "the", "W",
];

#[rustfmt::skip]
const FRENCH: &[&str] = &[
    "Droits", "du", "travail", "Vie", "privée", "Liberté", "d'expression", "Approvisionnement",
    "en", "matières", "premières", "Santé", "sécurité", "Égalité", "Réponses", "reçues",
    "Sous-traitance", "Amérique", "latine", "Moyen-Orient", "Afrique", "Île-de-France",
    "Côte d'Ivoire", "entreprises", "à", "l'égard", "des", "salarié·es", "Œuvres", "façonnage",
    "Fabrication/assemblage", "répondu", "refusé", "en attente", "Télécommunications",
];

#[rustfmt::skip]
const ARABIC: &[&str] = &[
    "حقوق", "العمال", "الخصوصية", "حرية", "التعبير", "الشركات", "الاستجابة", "أفريقيا", "آسيا",
    "أوروبا", "الشرق", "الأوسط", "التصنيع", "التجميع", "المواد", "الخام", "السلامة", "الصحة",
    "العمل", "القسري", "المراقبة", "البيانات", "في", "و",
];

/// Words no line break can split, but after a slash.
const UNBROKEN: &[&str] = &[
    "Manufacturing/assembly",
    "Raw/material/sourcing/and/refining",
    "Internationalisation",
    "Anticonstitutionnellement",
    "Rechtsschutzversicherungsgesellschaften",
    "Software/hardware/services/retail/distribution",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
    "والاتصالاتوالتكنولوجياوالمعلومات",
    "https://example.org/reports/2018/allegations-and-responses",
    "Telecommunications-infrastructure-equipment",
];

/// Labels of one to three characters.
const SHORT: &[&str] =
    &["A", "B", "x", "É", "ع", "7", "Q3", "ÎLE", "&", "<1", "%", "W", "WWW", "i", "«\u{a0}»"];

const UNITS: &[&str] = &[
    "approaches",
    "companies",
    "US dollars",
    "millions de dollars US",
    "entreprises",
    "شركات",
    "allegations of human rights abuses reported to the companies concerned",
    "%",
];

/// A category label of at most `max` characters.
fn label(rng: &mut Rng, max: usize) -> String {
    let text = match rng.between(0, 19) {
        0..=1 => rng.pick(SHORT).to_string(),
        2..=3 => year(rng),
        4..=5 => {
            let word = rng.pick(UNBROKEN);
            if rng.chance(0.5) { format!("{} {word}", phrase(rng, 1, 2)) } else { word.to_string() }
        }
        6..=7 => {
            let chars = rng.between(40, 130);
            long(rng, chars)
        }
        _ => phrase(rng, 1, 6),
    };
    let cut: String = text.chars().take(max).collect();
    cut.trim_end().to_string()
}

/// "2017", or a span of years "2014–2015".
fn year(rng: &mut Rng) -> String {
    let y = rng.between(1990, 2030);
    if rng.chance(0.3) { format!("{y}–{}", y + 1) } else { y.to_string() }
}

/// Words in one language until there are at least `chars` characters.
fn long(rng: &mut Rng, chars: usize) -> String {
    let mut text = phrase(rng, 1, 1);
    while text.chars().count() < chars {
        text.push(' ');
        text.push_str(&phrase(rng, 1, 4));
    }
    text
}

/// `min` to `max` words in English, French or Arabic; French ones may have
/// a colon after a no-break space and quotes « » inside no-break spaces.
fn phrase(rng: &mut Rng, min: usize, max: usize) -> String {
    let n = rng.between(min, max);
    let words = match rng.between(0, 2) {
        0 => ENGLISH,
        1 => FRENCH,
        _ => ARABIC,
    };
    let mut text: Vec<String> = (0..n).map(|_| rng.pick(words).to_string()).collect();
    if words == FRENCH {
        if n > 1 && rng.chance(0.3) {
            text[0].push_str("\u{a0}:");
        }
        if rng.chance(0.2) {
            let last = text.len() - 1;
            text[0].insert_str(0, "«\u{a0}");
            text[last].push_str("\u{a0}»");
        }
    }
    text.join(" ")
}

/// `width` series names, each unique and none "category" (the x column).
fn series_names(rng: &mut Rng, width: usize) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    while names.len() < width {
        let name = match rng.between(0, 5) {
            0 => rng.pick(SHORT).to_string(),
            1 => year(rng),
            2 => label(rng, 40),
            _ => phrase(rng, 1, 3),
        };
        if name != "category" && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// `s` as a TOML basic string; no-break spaces are escaped so that a
/// reader of a failure report sees them.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{a0}' | '\u{202f}' | '\u{2007}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number as TOML writes it: an integer when it is one.
fn number(v: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:?}")
    }
}
