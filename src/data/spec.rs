//! A stage of `data::parse`: each `[[figures]]` spec checked against the
//! rows (its id, kind, columns, series of numbers, shares) becomes a `FigureSpec`.

use std::ops::Range;

use toml::Spanned;

use super::csv::looks_like_number;
use super::raw::{RawFigure, RawMark, number};
use super::rows::Table;
use super::{Cell, DataFile, FigureKind, FigureSpec, KINDS, Mark, MarkTarget, Sort, format_number};
use crate::config::is_css_colour;
use crate::diag::{Code, nearest, suggest};
use crate::slug::is_slug;

/// The figure specs of the dataset `dataset` (whose title is `title`) that
/// pass their checks; the others are reported and left out.
pub(super) fn figures(
    dataset: &str,
    title: &str,
    written: &[Spanned<RawFigure>],
    table: &Table,
    file: &mut DataFile,
) -> Vec<FigureSpec> {
    let single = written.len() == 1;
    written.iter().filter_map(|f| figure(dataset, title, single, f, table, file)).collect()
}

/// One figure spec, if it passes its checks.
fn figure(
    dataset: &str,
    title: &str,
    single: bool,
    written: &Spanned<RawFigure>,
    table: &Table,
    file: &mut DataFile,
) -> Option<FigureSpec> {
    let span = written.span();
    let f = written.get_ref();
    let id = figure_id(f, dataset, single, span.clone(), file)?;
    let kind = figure_kind(f, span.clone(), file)?;
    let Some(x) = &f.x else {
        file.error(
            Code::DatasetKey,
            span,
            "missing key `x`",
            "add `x = \"<column>\"`: the column of categories",
        );
        return None;
    };
    let Some(y) = &f.y else {
        file.error(
            Code::DatasetKey,
            span,
            "missing key `y`",
            "add `y = [\"<column>\"]`: the columns of numbers",
        );
        return None;
    };
    // Every check runs, so that the author sees every problem at once.
    let mut ok = has_rows(table, span.clone(), file) && few_enough_rows(table, span.clone(), file);
    ok &= columns_are_known(&id, x, y.get_ref(), table, file);
    ok &= names_a_series(y, file);
    ok &= series_hold_numbers(&id, y.get_ref(), table, file);
    ok &= categories_are_stated(x, table, file);
    if ok && kind.is_share() {
        ok = shares_are_drawable(kind, y, table, file);
    }
    let sort = sort(f, file);
    let colors = colors(f, kind, x, y.get_ref(), table, file);
    let marks = marks(f, kind, x, table, file);
    let (Some(sort), Some(colors), Some(marks)) = (sort, colors, marks) else { return None };
    ok.then(|| FigureSpec {
        id,
        kind,
        title: f.title.clone().unwrap_or_else(|| title.to_string()),
        own_title: f.title.is_some(),
        caption: f.caption.clone(),
        x: x.get_ref().clone(),
        y: y.get_ref().iter().map(|c| c.get_ref().clone()).collect(),
        sort,
        colors,
        marks,
        at: file.place(span),
    })
}

/// The figure's id: as written, or the dataset's when it has one figure.
fn figure_id(
    f: &RawFigure,
    dataset: &str,
    single: bool,
    span: Range<usize>,
    file: &mut DataFile,
) -> Option<String> {
    match &f.id {
        Some(id) if !is_slug(id.get_ref()) => {
            file.error(
                Code::FigureId,
                id.span(),
                format!("figure id {:?} is not a valid id", id.get_ref()),
                "use lowercase letters, digits and hyphens",
            );
            None
        }
        Some(id) => Some(id.get_ref().clone()),
        None if single => Some(dataset.to_string()),
        None => {
            file.error(
                Code::DatasetKey,
                span,
                "missing key `id`",
                "a dataset with several figures needs an id for each",
            );
            None
        }
    }
}

/// The figure's kind, parsed from the name the author wrote.
fn figure_kind(f: &RawFigure, span: Range<usize>, file: &mut DataFile) -> Option<FigureKind> {
    let Some(name) = &f.kind else {
        file.error(
            Code::DatasetKey,
            span,
            "missing key `kind`",
            format!("add `kind = \"bar\"`; the kinds are {}", KINDS.join(", ")),
        );
        return None;
    };
    let kind = FigureKind::from_name(name.get_ref());
    if kind.is_none() {
        let known: Vec<String> = KINDS.iter().map(|s| s.to_string()).collect();
        file.error(
            Code::FigureKind,
            name.span(),
            format!("unknown figure kind {:?}", name.get_ref()),
            suggest(name.get_ref(), "kinds", &known),
        );
    }
    kind
}

/// Does the dataset have few enough rows for a chart (`MOST_CATEGORIES`)?
fn few_enough_rows(table: &Table, span: Range<usize>, file: &mut DataFile) -> bool {
    if table.rows.len() > MOST_CATEGORIES {
        file.error(
            Code::FigureTooLarge,
            span,
            format!(
                "the figure would draw {} categories; a figure draws at most {MOST_CATEGORIES}",
                table.rows.len()
            ),
            "draw a figure from a dataset of the rows worth showing, or leave the figure out: every dataset is downloadable as CSV and JSON",
        );
        return false;
    }
    true
}

/// Does the dataset have rows to draw?
fn has_rows(table: &Table, span: Range<usize>, file: &mut DataFile) -> bool {
    if table.rows.is_empty() {
        if table.left_out_rows() {
            return false;
        }
        let help = match file.csv {
            Some((csv, _)) => format!("add rows under the header line of {csv}"),
            None => "add [[rows]] to the dataset".to_string(),
        };
        file.error(Code::FigureData, span, "the figure has no data: the dataset has no rows", help);
        return false;
    }
    true
}

/// Are `x` and every `y` columns of the dataset? (Unknowable when it has none.)
fn columns_are_known(
    id: &str,
    x: &Spanned<String>,
    y: &[Spanned<String>],
    table: &Table,
    file: &mut DataFile,
) -> bool {
    let mut ok = true;
    for col in std::iter::once(x).chain(y) {
        if table.columns.is_empty() || table.columns.contains(col.get_ref()) {
            continue;
        }
        ok = false;
        let name = col.get_ref();
        let near = nearest(name, table.columns.iter().map(String::as_str));
        let c = near.and_then(|n| table.columns.iter().position(|k| k == n));
        match table.header_spot(c) {
            // Rows from a CSV: the header is where a renamed column shows.
            Some(spot) => {
                let key = if std::ptr::eq(col, x) { "x" } else { "y" };
                let line = file.place(col.span()).line;
                let help = format!(
                    "{}the header names {}; or change `{key}` in {}, line {line}",
                    near.map(|n| format!("the nearest is {n:?}; ")).unwrap_or_default(),
                    table.columns.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>().join(", "),
                    file.path,
                );
                file.error_at(
                    Code::UnknownColumn,
                    spot,
                    format!("the header names no column {name:?}, which the figure {id:?} uses"),
                    help,
                );
            }
            None => file.error(
                Code::UnknownColumn,
                col.span(),
                format!("unknown column {name:?}"),
                suggest(name, "columns", &table.columns),
            ),
        }
    }
    ok
}

/// The largest number a figure draws and writes exactly: 2^53 (beyond it
/// not every whole number has a double, and axes and shares overflow).
pub(super) const LARGEST: f64 = 9_007_199_254_740_992.0;

/// What to do about a number larger than `LARGEST`.
pub(super) const LARGEST_HELP: &str = "numbers are exact up to 9007199254740992 (2^53); write large amounts in a larger unit (millions, billions) and say so in `unit`";

/// The most categories a figure draws: past this a chart is unreadable (and
/// slow to draw); the data stays downloadable as CSV and JSON.
pub(super) const MOST_CATEGORIES: usize = 1_000;

/// Does `y` name at least one column?
fn names_a_series(y: &Spanned<Vec<Spanned<String>>>, file: &mut DataFile) -> bool {
    if y.get_ref().is_empty() {
        file.error(
            Code::UnknownColumn,
            y.span(),
            "`y` names no column",
            "name at least one column of numbers",
        );
        return false;
    }
    true
}

/// Do the `y` columns hold numbers only? Each text cell is reported.
fn series_hold_numbers(
    id: &str,
    y: &[Spanned<String>],
    table: &Table,
    file: &mut DataFile,
) -> bool {
    let mut ok = true;
    for col in y {
        let Some(c) = table.columns.iter().position(|k| k == col.get_ref()) else { continue };
        for (r, row) in table.rows.iter().enumerate() {
            if let Some(v) = row.get(c).and_then(Cell::number).filter(|v| v.abs() > LARGEST) {
                file.error_at(
                    Code::NumberTooLarge,
                    table.cell_spot(r, col.get_ref()),
                    format!(
                        "{} is too large to draw or write exactly in the figure {id:?}",
                        format_number(v)
                    ),
                    LARGEST_HELP,
                );
                ok = false;
                continue;
            }
            let Some(Cell::Text(t)) = row.get(c) else { continue };
            let spot = table.cell_spot(r, col.get_ref());
            if table.is_csv() && looks_like_number(t) {
                file.error_at(Code::BadCell,
                    spot,
                    format!("malformed number {t:?} in the column {:?}", col.get_ref()),
                    "use . for decimals and no thousands separators (1234.5); leave the cell empty if the source does not state it",
                );
            } else if table.is_csv() {
                file.error_at(Code::BadCell,
                    spot,
                    format!(
                        "column {:?} is a series of the figure {id:?} but holds the text {t:?}",
                        col.get_ref()
                    ),
                    "write a number, leave the cell empty if the source does not state it, or take the column out of `y`",
                );
            } else {
                file.error_at(
                    Code::BadCell,
                    spot,
                    format!(
                        "column {:?} is a series of the figure {id:?} but holds the text {t:?}",
                        col.get_ref()
                    ),
                    "write a number (without quotes), or take the column out of `y`",
                );
            }
            ok = false;
        }
    }
    ok
}

/// Does every row name its category? (The category column is never missing.)
fn categories_are_stated(x: &Spanned<String>, table: &Table, file: &mut DataFile) -> bool {
    let Some(c) = table.columns.iter().position(|k| k == x.get_ref()) else { return true };
    let mut ok = true;
    for (r, row) in table.rows.iter().enumerate() {
        if matches!(row.get(c), Some(Cell::Missing)) && !table.reported(r, c) {
            let help = if table.is_csv() {
                format!("write the row's category in its {:?} cell", x.get_ref())
            } else {
                format!("name the row's category: {} = \"...\"", x.get_ref())
            };
            file.error_at(
                Code::BadCell,
                table.row_spot(r),
                format!("this row has no {:?}, the figure's category column", x.get_ref()),
                help,
            );
            ok = false;
        }
    }
    ok
}

/// A pie, donut or waffle shows one series of shares: exactly one y column,
/// no negative value, and something to share out.
fn shares_are_drawable(
    kind: FigureKind,
    y: &Spanned<Vec<Spanned<String>>>,
    table: &Table,
    file: &mut DataFile,
) -> bool {
    if y.get_ref().len() != 1 {
        file.error(
            Code::FigureData,
            y.span(),
            format!("a {kind} chart shows one series, but `y` names {}", y.get_ref().len()),
            "name one column in `y`, or use kind = \"stacked-bar\" or \"grouped-bar\" for several",
        );
        return false;
    }
    let Some(c) = table.columns.iter().position(|k| *k == *y.get_ref()[0].get_ref()) else {
        return false;
    };
    let mut ok = true;
    for (r, row) in table.rows.iter().enumerate() {
        if table.reported(r, c) {
            ok = false;
        } else if matches!(row.get(c), Some(Cell::Missing)) {
            file.error_at(Code::FigureData,
                table.row_spot(r),
                format!(
                    "a {kind} chart cannot show a share of an unknown whole: this row does not state {:?}",
                    table.columns[c]
                ),
                "give the number, or draw the figure as kind = \"bar\", which shows \"not stated\"",
            );
            ok = false;
        }
        if let Some(v) = row.get(c).and_then(Cell::number).filter(|v| *v < 0.0) {
            file.error_at(
                Code::FigureData,
                table.cell_spot(r, &table.columns[c]),
                format!("a {kind} chart cannot show the negative value {}", format_number(v)),
                "shares are zero or more; use kind = \"bar\" for values below zero",
            );
            ok = false;
        }
    }
    let total: f64 = table.rows.iter().filter_map(|r| r.get(c).and_then(Cell::number)).sum();
    if ok && total <= 0.0 {
        file.error(
            Code::FigureData,
            y.span(),
            format!("the values of this {kind} chart add up to zero"),
            "a chart of shares needs at least one value above zero",
        );
        ok = false;
    }
    ok
}

/// The figure's `sort`: "descending", "ascending" or "none" (the default).
fn sort(f: &RawFigure, file: &mut DataFile) -> Option<Sort> {
    let Some(name) = &f.sort else { return Some(Sort::None) };
    let sort = Sort::from_name(name.get_ref());
    if sort.is_none() {
        let known: Vec<String> = Sort::NAMES.iter().map(|s| s.to_string()).collect();
        file.error(
            Code::FigureSort,
            name.span(),
            format!("unknown sort {:?}", name.get_ref()),
            suggest(name.get_ref(), "orders", &known),
        );
    }
    sort
}

/// The categories of the column `x`, as written (numbers as `format_number` writes them).
fn categories(x: &str, table: &Table) -> Vec<String> {
    let Some(c) = table.columns.iter().position(|k| k == x) else { return Vec::new() };
    table.rows.iter().filter_map(|r| r.get(c)).map(Cell::label).collect()
}

/// The figure's `colors`: each key a series (a `y` column) or, in a chart
/// of one series, a category; each value a hex colour.
fn colors(
    f: &RawFigure,
    kind: FigureKind,
    x: &Spanned<String>,
    y: &[Spanned<String>],
    table: &Table,
    file: &mut DataFile,
) -> Option<Vec<(String, String)>> {
    let Some(written) = &f.colors else { return Some(Vec::new()) };
    let mut known: Vec<String> = y.iter().map(|c| c.get_ref().clone()).collect();
    if y.len() == 1 {
        known.extend(categories(x.get_ref(), table));
    }
    let mut ok = true;
    let mut out = Vec::new();
    for (key, colour) in written.get_ref() {
        if !known.contains(key.get_ref()) {
            let what = if y.len() == 1 { "series or categories" } else { "series" };
            let help = if kind.is_share() || y.len() == 1 {
                suggest(key.get_ref(), what, &known)
            } else {
                format!(
                    "a chart of several series colours its series; {}",
                    suggest(key.get_ref(), what, &known)
                )
            };
            file.error(
                Code::FigureColors,
                key.span(),
                format!("`colors` names {:?}, which the figure does not draw", key.get_ref()),
                help,
            );
            ok = false;
        }
        if !is_css_colour(colour.get_ref()) {
            file.error(
                Code::FigureColors,
                colour.span(),
                format!("{:?} is not a colour", colour.get_ref()),
                "write colours as \"#rrggbb\" or \"#rgb\"",
            );
            ok = false;
        }
        out.push((key.get_ref().clone(), colour.get_ref().clone()));
    }
    ok.then_some(out)
}

/// The figure's `[[figures.marks]]`: each either a line `at` a value (on a
/// chart with a value axis) or a `category` of the chart brought forward.
fn marks(
    f: &RawFigure,
    kind: FigureKind,
    x: &Spanned<String>,
    table: &Table,
    file: &mut DataFile,
) -> Option<Vec<Mark>> {
    let mut ok = true;
    let mut out = Vec::new();
    let mut forward = 0;
    for written in &f.marks {
        let span = written.span();
        let m: &RawMark = written.get_ref();
        let label = m.label.as_ref().map(|l| l.get_ref().clone());
        let target = match (&m.at, &m.category) {
            (Some(_), Some(category)) => {
                file.error(
                    Code::FigureMarks,
                    category.span(),
                    "a mark is either a line `at` a value or a `category`, not both",
                    "write two [[figures.marks]] entries",
                );
                None
            }
            (None, None) => {
                file.error(
                    Code::FigureMarks,
                    span,
                    "a mark needs `at` (a value where a line is drawn) or `category`",
                    "add `at = 73` for a reference line, or `category = \"<a category>\"`",
                );
                None
            }
            (Some(at), None) if kind.is_share() => {
                file.error(Code::FigureMarks,
                    at.span(),
                    format!("a {kind} chart has no value axis to draw a line `at`"),
                    "bring a slice forward with `category = \"...\"`, or draw the figure as a bar chart",
                );
                None
            }
            (Some(at), None) => match number(at.get_ref()) {
                Some(v) => Some(MarkTarget::Value(v)),
                None => {
                    file.error(Code::FigureMarks,
                        at.span(),
                        "`at` must be a number",
                        "write the value where the line goes, in the units of the figure's numbers (at = 73)",
                    );
                    None
                }
            },
            (None, Some(category)) => {
                let known = categories(x.get_ref(), table);
                forward += 1;
                if forward == 2 {
                    file.error(
                        Code::FigureMarks,
                        category.span(),
                        "a figure brings at most one category forward",
                        "keep one `category` mark; reference lines (`at`) may be several",
                    );
                    None
                } else if known.contains(category.get_ref()) || known.is_empty() {
                    Some(MarkTarget::Category(category.get_ref().clone()))
                } else {
                    file.error(
                        Code::FigureMarks,
                        category.span(),
                        format!(
                            "the figure has no category {:?} (column {:?})",
                            category.get_ref(),
                            x.get_ref()
                        ),
                        suggest(category.get_ref(), "categories", &known),
                    );
                    None
                }
            }
        };
        match target {
            Some(target) => out.push(Mark { target, label }),
            None => ok = false,
        }
    }
    ok.then_some(out)
}
