//! Datasets: data/<id>.toml -> `Dataset`, with its rows, named values and
//! figure specs, each checked where the author can see the line.

pub mod export;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diag::{Diagnostic, Place, suggest};
use crate::slug::is_slug;

/// A dataset: a table of rows, named values and the figures drawn from it.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The file stem.
    pub id: String,
    /// The source path relative to the site root (`data/x.toml`).
    pub source_path: String,
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
    /// The translations of its strings, by language (`[i18n.<lang>]`).
    pub i18n: BTreeMap<String, DatasetI18n>,
    /// A hash of its id and text: equal fingerprints, same dataset.
    pub fingerprint: u64,
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
        self.labels.get(original).map_or(original, String::as_str)
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
}

impl Cell {
    /// The number in the cell, if it holds one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Number(n) => Some(*n),
            Cell::Text(_) => None,
        }
    }

    /// The cell as text (numbers written as `format_number` writes them).
    pub fn label(&self) -> String {
        match self {
            Cell::Number(n) => format_number(*n),
            Cell::Text(t) => t.clone(),
        }
    }
}

/// The kinds of chart a figure can be.
pub const KINDS: [&str; 8] =
    ["bar", "hbar", "stacked-bar", "grouped-bar", "pie", "donut", "waffle", "line"];

/// A figure as the author asked for it.
#[derive(Debug, Clone)]
pub struct FigureSpec {
    /// Unique in the site.
    pub id: String,
    /// One of `KINDS`.
    pub kind: String,
    /// The title (the dataset's unless given).
    pub title: String,
    /// Was the title written in the spec (rather than taken from the dataset)?
    pub own_title: bool,
    /// A caption under the figure.
    pub caption: Option<String>,
    /// The category column.
    pub x: String,
    /// The series columns.
    pub y: Vec<String>,
    /// Where the spec is, for errors found later (duplicate ids).
    pub at: Place,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDataset {
    title: Option<String>,
    source: Option<String>,
    note: Option<String>,
    unit: Option<String>,
    #[serde(default)]
    values: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    rows: Vec<Spanned<Row>>,
    #[serde(default)]
    figures: Vec<Spanned<RawFigure>>,
    #[serde(default)]
    i18n: BTreeMap<Spanned<String>, Spanned<RawI18n>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawI18n {
    title: Option<String>,
    source: Option<String>,
    note: Option<String>,
    unit: Option<String>,
    #[serde(default)]
    labels: BTreeMap<Spanned<String>, String>,
    #[serde(default)]
    figures: BTreeMap<Spanned<String>, FigureI18n>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigure {
    id: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    title: Option<String>,
    caption: Option<String>,
    x: Option<Spanned<String>>,
    y: Option<Spanned<Vec<Spanned<String>>>>,
}

/// A row with its keys in the order written.
struct Row(Vec<(Spanned<String>, Spanned<toml::Value>)>);

impl<'de> Deserialize<'de> for Row {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RowVisitor;
        impl<'de> Visitor<'de> for RowVisitor {
            type Value = Row;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of column = value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Row, A::Error> {
                let mut cells = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    cells.push(entry);
                }
                Ok(Row(cells))
            }
        }
        d.deserialize_map(RowVisitor)
    }
}

/// Parses the dataset `id` from the text of data/<id>.toml.
///
/// # Errors
/// Every problem found: TOML syntax, missing title or source, rows whose
/// keys differ, cells that are neither text nor numbers, figure specs that
/// name unknown columns or kinds, text in a y column, no rows to draw.
pub fn parse(id: &str, src: &str) -> Result<Dataset, Vec<Diagnostic>> {
    let path = format!("data/{id}.toml");
    let mut diags = Vec::new();
    let raw: RawDataset = crate::schema::parse(&path, src, src, 0, &crate::schema::DATASET)?;
    let err = |span: Range<usize>, msg: String| Diagnostic::error(&path, src, span, msg);
    let top = 0..0;
    if !is_slug(id) {
        diags.push(
            Diagnostic::file_error(&path, format!("dataset id {id:?} is not a valid id"))
                .with_help("rename the file with lowercase letters, digits and hyphens, such as data/issues-raised.toml"),
        );
    }
    let title = raw.title.unwrap_or_else(|| {
        diags.push(
            err(top.clone(), "missing key `title`".into())
                .with_help("add `title = \"...\"`: what the numbers are"),
        );
        String::new()
    });
    let source = raw.source.unwrap_or_else(|| {
        diags.push(
            err(top.clone(), "missing key `source`".into())
                .with_help("add `source = \"...\"`: where the numbers come from"),
        );
        String::new()
    });

    let mut values = BTreeMap::new();
    for (key, v) in raw.values {
        match v.get_ref() {
            toml::Value::Integer(i) => {
                values.insert(key, *i as f64);
            }
            toml::Value::Float(f) if f.is_finite() => {
                values.insert(key, *f);
            }
            _ => diags.push(
                err(v.span(), format!("value {key:?} is not a number"))
                    .with_help("named values are numbers, such as 68 or 0.58"),
            ),
        }
    }

    let mut columns: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for (i, row) in raw.rows.iter().enumerate() {
        let cells = &row.get_ref().0;
        let keys: Vec<&str> = cells.iter().map(|(k, _)| k.get_ref().as_str()).collect();
        if i == 0 {
            columns = keys.iter().map(|k| k.to_string()).collect();
            if columns.is_empty() {
                diags.push(
                    err(row.span(), "the first row is empty".into())
                        .with_help("write each row as column = value lines"),
                );
            }
        } else {
            let mut sorted_keys = keys.clone();
            sorted_keys.sort_unstable();
            let mut sorted_cols: Vec<&str> = columns.iter().map(String::as_str).collect();
            sorted_cols.sort_unstable();
            if sorted_keys != sorted_cols {
                diags.push(
                    err(
                        row.span(),
                        format!(
                            "row {} has the columns {} but the first row has {}",
                            i + 1,
                            keys.join(", "),
                            columns.join(", ")
                        ),
                    )
                    .with_help("every row needs the same keys"),
                );
                continue;
            }
        }
        let mut out = Vec::with_capacity(columns.len());
        for col in &columns {
            let Some((_, v)) = cells.iter().find(|(k, _)| k.get_ref() == col) else { continue };
            out.push(match v.get_ref() {
                toml::Value::Integer(n) => Cell::Number(*n as f64),
                toml::Value::Float(f) if f.is_finite() => Cell::Number(*f),
                toml::Value::String(s) => Cell::Text(s.clone()),
                other => {
                    diags.push(
                        err(
                            v.span(),
                            format!(
                                "cell {col:?} holds {}, not text or a number",
                                other.type_str()
                            ),
                        )
                        .with_help("cells are text in quotes or numbers"),
                    );
                    Cell::Text(String::new())
                }
            });
        }
        rows.push(out);
    }

    let single = raw.figures.len() == 1;
    let mut figures = Vec::new();
    for f in &raw.figures {
        let fspan = f.span();
        let f = f.get_ref();
        let at = Place::of(&path, src, fspan.clone());
        let id_value = match &f.id {
            Some(fid) if !is_slug(fid.get_ref()) => {
                diags.push(
                    err(fid.span(), format!("figure id {:?} is not a valid id", fid.get_ref()))
                        .with_help("use lowercase letters, digits and hyphens"),
                );
                continue;
            }
            Some(fid) => fid.get_ref().clone(),
            None if single => id.to_string(),
            None => {
                diags.push(
                    err(fspan.clone(), "missing key `id`".into())
                        .with_help("a dataset with several figures needs an id for each"),
                );
                continue;
            }
        };
        let kind = match &f.kind {
            None => {
                diags.push(err(fspan.clone(), "missing key `kind`".into()).with_help(format!(
                    "add `kind = \"bar\"`; the kinds are {}",
                    KINDS.join(", ")
                )));
                continue;
            }
            Some(k) if !KINDS.contains(&k.get_ref().as_str()) => {
                let known: Vec<String> = KINDS.iter().map(|s| s.to_string()).collect();
                diags.push(
                    err(k.span(), format!("unknown figure kind {:?}", k.get_ref()))
                        .with_help(suggest(k.get_ref(), "kinds", &known)),
                );
                continue;
            }
            Some(k) => k.get_ref().clone(),
        };
        let Some(x) = &f.x else {
            diags.push(
                err(fspan.clone(), "missing key `x`".into())
                    .with_help("add `x = \"<column>\"`: the column of categories"),
            );
            continue;
        };
        let Some(y) = &f.y else {
            diags.push(
                err(fspan.clone(), "missing key `y`".into())
                    .with_help("add `y = [\"<column>\"]`: the columns of numbers"),
            );
            continue;
        };
        let mut ok = true;
        if rows.is_empty() {
            diags.push(
                err(fspan.clone(), "the figure has no data: the dataset has no rows".into())
                    .with_help("add [[rows]] to the dataset"),
            );
            ok = false;
        }
        for col in std::iter::once(x).chain(y.get_ref()) {
            if !columns.is_empty() && !columns.contains(col.get_ref()) {
                diags.push(
                    err(col.span(), format!("unknown column {:?}", col.get_ref()))
                        .with_help(suggest(col.get_ref(), "columns", &columns)),
                );
                ok = false;
            }
        }
        if y.get_ref().is_empty() {
            diags.push(
                err(y.span(), "`y` names no column".into())
                    .with_help("name at least one column of numbers"),
            );
            ok = false;
        }
        for col in y.get_ref() {
            let Some(c) = columns.iter().position(|k| k == col.get_ref()) else { continue };
            for (r, row) in raw.rows.iter().enumerate() {
                if let Some(Cell::Text(t)) = rows.get(r).and_then(|cells| cells.get(c)) {
                    let span = row
                        .get_ref()
                        .0
                        .iter()
                        .find(|(k, _)| k.get_ref() == col.get_ref())
                        .map_or(row.span(), |(_, v)| v.span());
                    diags.push(
                        err(span, format!("column {:?} is a series of the figure {id_value:?} but holds the text {t:?}", col.get_ref()))
                            .with_help("write a number (without quotes), or take the column out of `y`"),
                    );
                    ok = false;
                }
            }
        }
        if ok && matches!(kind.as_str(), "pie" | "donut" | "waffle") {
            ok = check_shares(&kind, y, &columns, &rows, &raw.rows, &path, src, &mut diags);
        }
        if ok {
            figures.push(FigureSpec {
                id: id_value,
                kind,
                title: f.title.clone().unwrap_or_else(|| title.clone()),
                own_title: f.title.is_some(),
                caption: f.caption.clone(),
                x: x.get_ref().clone(),
                y: y.get_ref().iter().map(|c| c.get_ref().clone()).collect(),
                at,
            });
        }
    }
    let mut i18n = BTreeMap::new();
    for (lang, table) in raw.i18n {
        let at = Place::of(&path, src, lang.span());
        let table = table.into_inner();
        let mut labels = BTreeMap::new();
        for (label, translation) in table.labels {
            let known = columns.contains(label.get_ref())
                || rows
                    .iter()
                    .flatten()
                    .any(|c| matches!(c, Cell::Text(t) if t == label.get_ref()));
            if !known {
                let mut names: Vec<String> = columns.clone();
                for c in rows.iter().flatten() {
                    if let Cell::Text(t) = c
                        && !names.contains(t)
                    {
                        names.push(t.clone());
                    }
                }
                diags.push(
                    err(
                        label.span(),
                        format!(
                            "{:?} is neither a column nor a label of this dataset",
                            label.get_ref()
                        ),
                    )
                    .with_help(suggest(
                        label.get_ref(),
                        "columns and labels",
                        &names,
                    )),
                );
                continue;
            }
            labels.insert(label.into_inner(), translation);
        }
        let mut figs = BTreeMap::new();
        for (fid, f) in table.figures {
            if !raw.figures.iter().any(|rf| {
                rf.get_ref()
                    .id
                    .as_ref()
                    .map_or(single && fid.get_ref() == id, |x| x.get_ref() == fid.get_ref())
            }) {
                let ids: Vec<String> = figures.iter().map(|f| f.id.clone()).collect();
                diags.push(
                    err(fid.span(), format!("this dataset has no figure {:?}", fid.get_ref()))
                        .with_help(suggest(fid.get_ref(), "figure ids", &ids)),
                );
                continue;
            }
            figs.insert(fid.into_inner(), f);
        }
        i18n.insert(
            lang.into_inner(),
            DatasetI18n {
                title: table.title,
                source: table.source,
                note: table.note,
                unit: table.unit,
                labels,
                figures: figs,
                at,
            },
        );
    }

    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok(Dataset {
        fingerprint: crate::hash::of((id, src)),
        id: id.to_string(),
        source_path: path,
        title,
        source,
        note: raw.note,
        unit: raw.unit,
        values,
        columns,
        rows,
        figures,
        labels: BTreeMap::new(),
        i18n,
    })
}

/// A pie, donut or waffle shows one series of shares: exactly one y column,
/// no negative value, and something to share out.
#[allow(clippy::too_many_arguments)]
fn check_shares(
    kind: &str,
    y: &Spanned<Vec<Spanned<String>>>,
    columns: &[String],
    rows: &[Vec<Cell>],
    raw_rows: &[Spanned<Row>],
    path: &str,
    src: &str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if y.get_ref().len() != 1 {
        diags.push(
            Diagnostic::error(path, src, y.span(), format!("a {kind} chart shows one series, but `y` names {}", y.get_ref().len()))
                .with_help("name one column in `y`, or use kind = \"stacked-bar\" or \"grouped-bar\" for several"),
        );
        return false;
    }
    let Some(c) = columns.iter().position(|k| *k == *y.get_ref()[0].get_ref()) else {
        return false;
    };
    let mut ok = true;
    for (r, row) in rows.iter().enumerate() {
        if let Some(v) = row.get(c).and_then(Cell::number).filter(|v| *v < 0.0) {
            let span = raw_rows[r]
                .get_ref()
                .0
                .iter()
                .find(|(k, _)| *k.get_ref() == columns[c])
                .map_or(raw_rows[r].span(), |(_, v)| v.span());
            diags.push(
                Diagnostic::error(
                    path,
                    src,
                    span,
                    format!("a {kind} chart cannot show the negative value {}", format_number(v)),
                )
                .with_help("shares are zero or more; use kind = \"bar\" for values below zero"),
            );
            ok = false;
        }
    }
    let total: f64 = rows.iter().filter_map(|r| r.get(c).and_then(Cell::number)).sum();
    if ok && total <= 0.0 {
        diags.push(
            Diagnostic::error(
                path,
                src,
                y.span(),
                format!("the values of this {kind} chart add up to zero"),
            )
            .with_help("a chart of shares needs at least one value above zero"),
        );
        ok = false;
    }
    ok
}

/// Writes a number as the data has it: integers without a point, other
/// numbers with up to two decimals (fixed, so output is stable).
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Writes a ratio as a whole percentage: 0.58 -> "58%".
pub fn format_percent(n: f64) -> String {
    format!("{}%", format_number((n * 100.0).round()))
}

/// How a language writes numbers: its decimal mark, its thousands
/// separator and its percentages. The default is English as `format_number`
/// writes it (no separator, so years and counts read the same in data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbers {
    /// The decimal mark (`.` or `,`).
    pub decimal: String,
    /// Put between groups of three digits in numbers of five digits or more
    /// (empty: none). Four-digit numbers, such as years, are never grouped.
    pub group: String,
    /// A percentage, with `{n}` for the number: `{n}%`, or `{n} %` in French.
    pub percent: String,
}

impl Default for Numbers {
    fn default() -> Self {
        Numbers { decimal: ".".into(), group: String::new(), percent: "{n}%".into() }
    }
}

impl Numbers {
    /// `n` as this language writes it: 1234.5 -> "1234.5" or "1234,5"; 12345 -> "12 345".
    pub fn number(&self, n: f64) -> String {
        let plain = format_number(n);
        if self.decimal == "." && self.group.is_empty() {
            return plain;
        }
        let (sign, digits) = plain.strip_prefix('-').map_or(("", plain.as_str()), |d| ("-", d));
        let (int, frac) = digits.split_once('.').map_or((digits, None), |(i, f)| (i, Some(f)));
        let mut out = String::with_capacity(plain.len() + 8);
        out.push_str(sign);
        if !self.group.is_empty() && int.len() >= 5 && int.bytes().all(|b| b.is_ascii_digit()) {
            for (i, ch) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    out.push_str(&self.group);
                }
                out.push(ch);
            }
        } else {
            out.push_str(int);
        }
        if let Some(f) = frac {
            out.push_str(&self.decimal);
            out.push_str(f);
        }
        out
    }

    /// A ratio as a whole percentage: 0.58 -> "58%" or "58 %".
    pub fn percent(&self, ratio: f64) -> String {
        self.percent.replace("{n}", &self.number((ratio * 100.0).round()))
    }

    /// A share of a whole, as charts label it: like `percent`, but a share
    /// that rounds to 0 without being 0 is "<1%".
    pub fn share(&self, share: f64) -> String {
        if (share * 100.0).round() == 0.0 && share > 0.0 {
            format!("<{}", self.percent.replace("{n}", "1"))
        } else {
            self.percent(share)
        }
    }

    /// A cell as this language writes it.
    pub fn cell(&self, cell: &Cell) -> String {
        match cell {
            Cell::Number(n) => self.number(*n),
            Cell::Text(t) => t.clone(),
        }
    }
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

    #[test]
    fn numbers_are_written_with_fixed_precision() {
        for (n, want) in
            [(68.0, "68"), (0.58, "0.58"), (1.0 / 3.0, "0.33"), (2.5, "2.5"), (-3.0, "-3")]
        {
            assert_eq!(format_number(n), want);
        }
        assert_eq!(format_percent(0.58), "58%");
    }

    #[test]
    fn numbers_follow_the_language() {
        let fr =
            Numbers { decimal: ",".into(), group: "\u{202f}".into(), percent: "{n}\u{a0}%".into() };
        assert_eq!(fr.number(4.5), "4,5");
        assert_eq!(fr.number(2018.0), "2018");
        assert_eq!(fr.number(-12345.25), "-12\u{202f}345,25");
        assert_eq!(fr.number(1234567.0), "1\u{202f}234\u{202f}567");
        assert_eq!(fr.percent(0.58), "58\u{a0}%");
        assert_eq!(fr.share(0.001), "<1\u{a0}%");
        let en = Numbers::default();
        assert_eq!(en.number(12345.5), "12345.5");
        assert_eq!(
            (en.percent(0.58), en.share(0.001), en.share(0.0)),
            ("58%".into(), "<1%".into(), "0%".into())
        );
    }
}
