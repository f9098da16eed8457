//! Datasets: data/<id>.toml (and data/<id>.csv, its rows) -> `Dataset`,
//! with its rows, named values and figure specs, each checked where the
//! author can see the line. `parse` runs the stages, one module each: raw,
//! header, values, rows (or csv), checks, spec, i18n.

mod checks;
mod csv;
pub mod export;
mod from_cases;
mod header;
mod i18n;
mod numbers;
mod raw;
mod rows;
mod spec;
mod values;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::diag::{Code, Diagnostic, Place};
pub use from_cases::{Count, Counted, FromCases, Grouping};
pub use numbers::Numbers;
pub(crate) use numbers::format_number;

/// A dataset: a table of rows, named values and the figures drawn from it.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The file stem.
    pub id: String,
    /// The source path relative to the site root (`data/x.toml`).
    pub(crate) source_path: String,
    /// What the numbers are.
    pub title: String,
    /// Where the numbers come from.
    pub source: String,
    /// A remark on the numbers.
    pub note: Option<String>,
    /// What the numbers count.
    pub unit: Option<String>,
    /// Named scalars (`[values]`), quotable with `{{ value }}`.
    pub values: BTreeMap<String, f64>,
    /// The column names, in the first row's order.
    pub columns: Vec<String>,
    /// The rows, cells in column order.
    pub rows: Vec<Vec<Cell>>,
    /// The figures drawn from the dataset.
    pub figures: Vec<FigureSpec>,
    /// Translations of category labels and column names in the language
    /// this dataset is shown in (empty in the default language).
    pub labels: BTreeMap<String, String>,
    /// What the format's own words among its labels (a counted dataset's
    /// `no-response`) are called in this edition, where `labels` does not
    /// translate them; shown, never exported.
    pub(crate) names: BTreeMap<String, String>,
    /// The translations of its strings, by language (`[i18n.<lang>]`).
    pub i18n: BTreeMap<String, DatasetI18n>,
    /// A hash of its id and text: equal fingerprints, same dataset.
    pub(crate) fingerprint: u64,
    /// What the parse found that does not stop the build (a check that
    /// cannot be made); the site's loading reports them.
    pub(crate) warnings: Vec<Diagnostic>,
    /// `[from_cases]`: what the rows are counted from (`None`: written rows).
    pub from_cases: Option<FromCases>,
}

/// `[i18n.<lang>]` of a dataset: its strings in another language.
#[derive(Debug, Clone)]
pub struct DatasetI18n {
    /// The title.
    pub title: Option<String>,
    /// The source.
    pub source: Option<String>,
    /// The note.
    pub note: Option<String>,
    /// The unit.
    pub unit: Option<String>,
    /// Category labels and column names, translated.
    pub labels: BTreeMap<String, String>,
    /// Figure titles and captions, by figure id.
    pub figures: BTreeMap<String, FigureI18n>,
    /// Where the table is, for errors about its language.
    pub at: Place,
}

/// `[i18n.<lang>.figures.<id>]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureI18n {
    /// The figure's title.
    pub title: Option<String>,
    /// Its caption.
    pub caption: Option<String>,
}

impl Dataset {
    /// The dataset as language `lang` shows it: its strings translated where
    /// `[i18n.<lang>]` gives a translation, and its labels ready to translate.
    /// Numbers, column names and cells stay as they are, so that figure specs
    /// and data downloads keep referring to the original.
    pub fn translated(&self, lang: &str) -> Dataset {
        let mut d = self.clone();
        let Some(t) = self.i18n.get(lang) else { return d };
        if let Some(v) = &t.title {
            d.title = v.clone();
        }
        if let Some(v) = &t.source {
            d.source = v.clone();
        }
        if t.note.is_some() {
            d.note = t.note.clone();
        }
        if t.unit.is_some() {
            d.unit = t.unit.clone();
        }
        d.labels = t.labels.clone();
        for f in &mut d.figures {
            let given = t.figures.get(&f.id);
            match given.and_then(|g| g.title.clone()) {
                Some(title) => f.title = title,
                None if !f.own_title => f.title = d.title.clone(),
                None => {}
            }
            if let Some(caption) = given.and_then(|g| g.caption.clone()) {
                f.caption = Some(caption);
            }
        }
        d
    }

    /// A category label or column name as this dataset's language writes it.
    pub fn label<'a>(&'a self, original: &'a str) -> &'a str {
        self.labels
            .get(original)
            .or_else(|| self.names.get(original))
            .map_or(original, String::as_str)
    }
}

/// A cell of a dataset.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// A number.
    Number(f64),
    /// Text.
    Text(String),
    /// A number the source does not state: the row leaves the column out.
    /// Never drawn or counted as zero.
    Missing,
    /// A number with what qualifies it: a bound, a derivation, a note.
    Qualified(Qualified),
}

/// A number the source gives only as a bound, a share or a phrase:
/// `{ value = 30, bound = "at least", derived = "...", note = "..." }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Qualified {
    /// The number drawn and counted.
    pub value: f64,
    /// Whether the number is a bound or an approximation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound: Option<Bound>,
    /// How a number the source does not state was worked out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived: Option<String>,
    /// Any remark on the number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Qualified {
    /// The derivation and the note, as one text (none when neither is given).
    pub fn remark(&self) -> Option<String> {
        match (&self.derived, &self.note) {
            (Some(d), Some(n)) => Some(format!("{d} {n}")),
            (Some(t), None) | (None, Some(t)) => Some(t.clone()),
            (None, None) => None,
        }
    }
}

/// How a qualified number relates to the true one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Bound {
    /// The true number is this or more.
    #[serde(rename = "at least")]
    AtLeast,
    /// The true number is this or less.
    #[serde(rename = "at most")]
    AtMost,
    /// The true number is near this.
    #[serde(rename = "about")]
    About,
}

impl Bound {
    /// Every bound, as the format spells them.
    pub(crate) const ALL: [Bound; 3] = [Bound::AtLeast, Bound::AtMost, Bound::About];

    /// The format's spelling: `at least`, `at most`, `about`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bound::AtLeast => "at least",
            Bound::AtMost => "at most",
            Bound::About => "about",
        }
    }

    /// The sign written before the number in labels and tables: ≥, ≤, ≈.
    pub fn sign(self) -> &'static str {
        match self {
            Bound::AtLeast => "≥",
            Bound::AtMost => "≤",
            Bound::About => "≈",
        }
    }
}

impl Cell {
    /// The number in the cell, if it holds one (a qualified cell's value).
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Number(n) => Some(*n),
            Cell::Qualified(q) => Some(q.value),
            Cell::Text(_) | Cell::Missing => None,
        }
    }

    /// The cell as text (numbers written as `format_number` writes them; a
    /// not-stated cell is empty).
    pub fn label(&self) -> String {
        match self {
            Cell::Number(n) => format_number(*n),
            Cell::Qualified(q) => format_number(q.value),
            Cell::Text(t) => t.clone(),
            Cell::Missing => String::new(),
        }
    }

    /// The qualification of a qualified cell.
    pub fn qualified(&self) -> Option<&Qualified> {
        match self {
            Cell::Qualified(q) => Some(q),
            _ => None,
        }
    }
}

/// The kind of chart a figure is, parsed from its `kind = "..."` once, where
/// the author wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FigureKind {
    /// `bar`: vertical bars.
    Bar,
    /// `hbar`: horizontal bars.
    HBar,
    /// `stacked-bar`: series stacked in one bar per category.
    StackedBar,
    /// `grouped-bar`: series side by side in each category.
    GroupedBar,
    /// `pie`: shares of a whole.
    Pie,
    /// `donut`: a pie with a hole.
    Donut,
    /// `waffle`: shares of a whole as a grid of squares.
    Waffle,
    /// `line`: series over the categories.
    Line,
}

impl FigureKind {
    /// Every kind, in the order the format lists them.
    pub(crate) const ALL: [FigureKind; 8] = [
        FigureKind::Bar,
        FigureKind::HBar,
        FigureKind::StackedBar,
        FigureKind::GroupedBar,
        FigureKind::Pie,
        FigureKind::Donut,
        FigureKind::Waffle,
        FigureKind::Line,
    ];

    /// The name the format gives the kind (`"stacked-bar"`), as written in
    /// `kind = "..."`, in CSS classes and in exports.
    pub const fn as_str(self) -> &'static str {
        match self {
            FigureKind::Bar => "bar",
            FigureKind::HBar => "hbar",
            FigureKind::StackedBar => "stacked-bar",
            FigureKind::GroupedBar => "grouped-bar",
            FigureKind::Pie => "pie",
            FigureKind::Donut => "donut",
            FigureKind::Waffle => "waffle",
            FigureKind::Line => "line",
        }
    }

    /// The kind named `name`, if there is one.
    pub(crate) fn from_name(name: &str) -> Option<FigureKind> {
        FigureKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Does the chart show one series as shares of a whole (pie, donut, waffle)?
    pub fn is_share(self) -> bool {
        matches!(self, FigureKind::Pie | FigureKind::Donut | FigureKind::Waffle)
    }
}

impl fmt::Display for FigureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The names of the kinds of chart a figure can be, as `FigureKind::as_str` writes them.
pub const KINDS: [&str; 8] = {
    let mut names = [""; 8];
    let mut i = 0;
    while i < names.len() {
        names[i] = FigureKind::ALL[i].as_str();
        i += 1;
    }
    names
};

/// A figure as the author asked for it.
#[derive(Debug, Clone)]
pub struct FigureSpec {
    /// Unique in the site.
    pub id: String,
    /// The kind of chart.
    pub kind: FigureKind,
    /// The title (the dataset's unless given).
    pub title: String,
    /// Was the title written in the spec (rather than taken from the dataset)?
    pub(crate) own_title: bool,
    /// A caption under the figure.
    pub caption: Option<String>,
    /// The category column.
    pub x: String,
    /// The series columns.
    pub y: Vec<String>,
    /// How the categories are ordered.
    pub sort: Sort,
    /// Colours the author chose, by series or category (as written or as labelled), `#rrggbb`.
    pub colors: Vec<(String, String)>,
    /// Reference lines and categories brought forward, in the order written.
    pub marks: Vec<Mark>,
    /// Where the spec is, for errors found later (duplicate ids).
    pub at: Place,
}

/// How a figure orders its categories (`sort`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Sort {
    /// As the rows are written.
    #[default]
    None,
    /// Largest first (by the first series, or the total of a stacked bar).
    Descending,
    /// Smallest first.
    Ascending,
}

impl Sort {
    /// The names `sort` takes.
    pub(crate) const NAMES: [&str; 3] = ["descending", "ascending", "none"];

    fn from_name(name: &str) -> Option<Sort> {
        match name {
            "descending" => Some(Sort::Descending),
            "ascending" => Some(Sort::Ascending),
            "none" => Some(Sort::None),
            _ => None,
        }
    }
}

/// A `[[figures.marks]]` entry: a labelled reference line or a category brought forward.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Where the mark is.
    pub target: MarkTarget,
    /// What it says, in the dataset's language (translated by `[i18n.<lang>.labels]`).
    pub label: Option<String>,
}

/// What a mark points at.
#[derive(Debug, Clone, PartialEq)]
pub enum MarkTarget {
    /// A line across the value axis at this value.
    Value(f64),
    /// The category whose label (as written in the rows) is this.
    Category(String),
}

/// The dataset file being parsed and the problems found in it so far: each
/// stage of `parse` reports here and keeps going.
struct DataFile<'a> {
    path: &'a str,
    src: &'a str,
    /// The path and text of data/<id>.csv, when the rows are there.
    csv: Option<(&'a str, &'a str)>,
    diags: Vec<Diagnostic>,
}

/// Where something of a dataset was written: a byte span of its .toml, or
/// of the .csv that holds its rows.
#[derive(Debug, Clone)]
enum Spot {
    /// In data/<id>.toml.
    Toml(Range<usize>),
    /// In data/<id>.csv.
    Csv(Range<usize>),
}

impl DataFile<'_> {
    /// Reports an error at `spot`, in whichever file it is, with its help line.
    fn error_at(
        &mut self,
        code: Code,
        spot: Spot,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        match (spot, self.csv) {
            (Spot::Csv(span), Some((path, src))) => {
                self.diags.push(Diagnostic::error(code, path, src, span, message).with_help(help))
            }
            (Spot::Toml(span) | Spot::Csv(span), _) => self.error(code, span, message, help),
        }
    }

    /// Reports an error at the byte span `span`, with its help line.
    fn error(
        &mut self,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::error(code, self.path, self.src, span, message).with_help(help));
    }

    /// Reports a warning at the byte span `span`, with its help line.
    fn warning(
        &mut self,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::warning(code, self.path, self.src, span, message).with_help(help));
    }

    /// The place of `span`, kept for a diagnostic found later.
    fn place(&self, span: Range<usize>) -> Place {
        Place::of(self.path, self.src, span)
    }
}

/// Parses the dataset `id` from the text of data/<id>.toml. A dataset
/// counted from the case studies (`[from_cases]`) comes back with its spec
/// and no rows or figures yet: see `parse_counted`.
///
/// # Errors
/// Every problem found: TOML syntax, missing title or source, rows whose
/// keys differ, cells that are neither text nor numbers, figure specs that
/// name unknown columns or kinds, text in a y column, no rows to draw.
pub fn parse(id: &str, src: &str) -> Result<Dataset, Vec<Diagnostic>> {
    parse_files(id, src, None, None)
}

/// Parses the dataset `id`, counted from the case studies, again with the
/// rows and values `counted`: its figures and translations are checked
/// against them as a written dataset's are against its rows.
///
/// # Errors
/// As `parse`.
pub fn parse_counted(id: &str, src: &str, counted: &Counted) -> Result<Dataset, Vec<Diagnostic>> {
    parse_files(id, src, None, Some(counted))
}

/// Parses the dataset `id` whose rows are in data/<id>.csv (`csv`, its
/// text) and everything else in data/<id>.toml (`src`).
///
/// # Errors
/// As `parse`, and every problem of the CSV at its line and column (quotes,
/// a row of more or fewer cells than the header names, a header that names
/// a column twice or none, a malformed number in a figure's series), rows
/// written in both files, and declared `columns` that differ from the header.
pub fn parse_with_csv(id: &str, src: &str, csv: &str) -> Result<Dataset, Vec<Diagnostic>> {
    parse_files(id, src, Some(csv), None)
}

/// `parse`, with the rows from `csv` or `counted` when one is given.
fn parse_files(
    id: &str,
    src: &str,
    csv: Option<&str>,
    counted: Option<&Counted>,
) -> Result<Dataset, Vec<Diagnostic>> {
    let path = format!("data/{id}.toml");
    let csv_path = format!("data/{id}.csv");
    let raw: raw::RawDataset =
        match crate::schema::parse(&path, src, src, 0, &crate::schema::DATASET) {
            Ok(raw) => raw,
            Err(mut diags) => {
                // The CSV's own mistakes are worth showing at once.
                if let Some(text) = csv {
                    csv::read(&csv_path, text, &mut diags);
                }
                return Err(diags);
            }
        };
    let mut file =
        DataFile { path: &path, src, csv: csv.map(|c| (csv_path.as_str(), c)), diags: Vec::new() };
    let header = header::header(id, &raw, &mut file);
    let from_cases = from_cases::spec(&raw, src, &mut file);
    // Counted rows are not known yet: figures and labels wait for them.
    let waits = raw.from_cases.is_some() && counted.is_none();
    let mut values = values::values(raw.values, &mut file);
    let table = match (counted, csv) {
        (Some(c), _) => c.table(),
        (None, None) => rows::rows(&raw.rows, raw.columns.as_ref(), &mut file),
        (None, Some(text)) => rows::csv_rows(&raw.rows, raw.columns.as_ref(), text, &mut file),
    };
    checks::checks(raw.checks.as_ref(), &table, &mut file);
    let (figures, i18n) = if waits {
        (Vec::new(), BTreeMap::new())
    } else {
        let figures = spec::figures(id, &header.title, &raw.figures, &table, &mut file);
        let i18n = i18n::i18n(id, raw.i18n, &raw.figures, &figures, &table, &mut file);
        (figures, i18n)
    };
    if file.diags.iter().any(Diagnostic::is_error) {
        return Err(file.diags);
    }
    let warnings = std::mem::take(&mut file.diags);
    if let Some(c) = counted {
        values.extend(c.values.clone());
    }
    Ok(Dataset {
        fingerprint: match (counted, csv) {
            (None, None) => crate::hash::of((id, src)),
            (Some(c), _) => crate::hash::of((id, src, c.key)),
            (None, Some(text)) => crate::hash::of((id, src, text)),
        },
        id: id.to_string(),
        source_path: path,
        title: header.title,
        source: header.source,
        note: header.note,
        unit: header.unit,
        values,
        columns: table.columns,
        rows: table.rows,
        figures,
        labels: BTreeMap::new(),
        names: BTreeMap::new(),
        i18n,
        warnings,
        from_cases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = "title = \"T\"\nsource = \"S\"\n[values]\nrate = 0.58\n[[rows]]\nissue = \"A\"\nn = 3\n[[rows]]\nn = 4.5\nissue = \"B\"\n[[figures]]\nkind = \"bar\"\nx = \"issue\"\ny = [\"n\"]\n";

    #[test]
    fn parses_rows_in_first_row_column_order() {
        let d = parse("d", OK).expect("valid");
        assert_eq!(d.columns, ["issue", "n"]);
        assert_eq!(d.rows[1], vec![Cell::Text("B".into()), Cell::Number(4.5)]);
        assert_eq!(d.figures[0].id, "d");
        assert_eq!(d.values["rate"], 0.58);
    }

    #[test]
    fn figure_errors_name_their_lines() {
        for (src, line, want) in [
            (
                "title = \"T\"\nsource = \"S\"\n[[figures]]\nkind = \"bar\"\nx = \"a\"\ny = [\"b\"]\n",
                3,
                "the figure has no data",
            ),
            (&OK.replace("y = [\"n\"]", "y = [\"m\"]"), 14, "unknown column \"m\""),
            (&OK.replace("kind = \"bar\"", "kind = \"bars\""), 12, "unknown figure kind \"bars\""),
            (&OK.replace("x = \"issue\"\n", ""), 11, "missing key `x`"),
            (
                &OK.replace("n = 4.5", "n = \"many\""),
                9,
                "column \"n\" is a series of the figure \"d\" but holds the text \"many\"",
            ),
        ] {
            let d = parse("d", src).expect_err(want);
            assert!(
                d.iter().any(|d| d.line == line && d.message.starts_with(want)),
                "{want}: {d:#?}"
            );
        }
    }

    /// `OK` without its rows, which `OK_CSV` holds.
    const HEAD: &str = "title = \"T\"\nsource = \"S\"\n[values]\nrate = 0.58\n[[figures]]\nkind = \"bar\"\nx = \"issue\"\ny = [\"n\"]\n";
    const OK_CSV: &str = "issue;n\nA;3\nB;4.5\n";

    #[test]
    fn csv_rows_make_the_dataset_toml_rows_make() {
        let toml = parse("d", OK).expect("valid");
        let csv = parse_with_csv("d", HEAD, OK_CSV).expect("valid");
        assert_eq!((&csv.columns, &csv.rows), (&toml.columns, &toml.rows));
        assert_eq!(csv.figures[0].y, toml.figures[0].y);
        let other = parse_with_csv("d", HEAD, "issue;n\nA;3\nB;4\n").expect("valid");
        assert_ne!(csv.fingerprint, other.fingerprint, "the CSV is part of the fingerprint");
    }

    #[test]
    fn csv_mistakes_name_the_file_they_are_in() {
        let declared = HEAD.replace("[values]", "columns = [\"n\", \"issue\"]\n[values]");
        for (toml, csv, want) in [
            (HEAD, "issue;n\nA;1,5\n", "data/d.csv:2:3 malformed number \"1,5\""),
            (HEAD, "issue;n\nA;many\n", "data/d.csv:2:3 column \"n\" is a series"),
            (HEAD, "issue;m\nA;1\n", "data/d.csv:1:7 the header names no column \"n\""),
            (HEAD, "issue;n\n;1\n", "data/d.csv:2:1 this row has no \"issue\""),
            (HEAD, "issue;n\n", "data/d.toml:5:1 the figure has no data"),
            (OK, OK_CSV, "data/d.toml:5:1 this dataset has rows both here and in data/d.csv"),
            (&declared, OK_CSV, "data/d.toml:3:11 the declared columns differ"),
            ("title = ", "a;\"b\n", "data/d.csv:1:3 this quote is never closed"),
        ] {
            let errors = parse_with_csv("d", toml, csv).expect_err(want);
            let found: Vec<String> = errors
                .iter()
                .map(|d| format!("{}:{}:{} {}", d.path, d.line, d.col, d.message))
                .collect();
            assert!(found.iter().any(|f| f.starts_with(want)), "{want}: {found:#?}");
        }
    }

    #[test]
    fn figure_kinds_are_parsed_from_their_names() {
        for (kind, name) in FigureKind::ALL.into_iter().zip(KINDS) {
            assert_eq!((kind.as_str(), FigureKind::from_name(name)), (name, Some(kind)));
        }
        assert_eq!(FigureKind::from_name("bars"), None);
        let d = parse("d", &OK.replace("kind = \"bar\"", "kind = \"donut\"")).expect("valid");
        assert_eq!(d.figures[0].kind, FigureKind::Donut);
    }
}
