//! A stage of `data::parse`: the rows, each checked to have the first row's
//! keys and each cell to be text or a number, as cells in column order;
//! or the rows of data/<id>.csv, whose header names the columns.

use std::borrow::Cow;
use std::ops::Range;

use toml::Spanned;

use super::csv::{self, Places};
use super::raw::{RawRow, cell_span};
use super::{Bound, Cell, DataFile, Qualified, Spot};
use crate::diag::{Code, closest, nearest, suggest};
use crate::hash::FastSet;

/// The rows of a dataset, beside where they were written (for the
/// diagnostics of later checks).
pub(super) struct Table<'r> {
    /// The column names, in the first row's order (or the CSV header's).
    pub(super) columns: Vec<String>,
    /// The rows whose keys are the columns, cells in column order.
    pub(super) rows: Vec<Vec<Cell>>,
    /// Where the rows were written.
    written: Written<'r>,
    /// The cells already reported as written wrongly (row, column): they
    /// are left not stated, and later checks say nothing more about them.
    reported: Vec<(usize, usize)>,
}

/// Where a table's rows were written.
enum Written<'r> {
    /// As `[[rows]]` of the .toml.
    Toml(&'r [Spanned<RawRow>]),
    /// In data/<id>.csv.
    Csv(Places),
    /// Nowhere: the rows were made (counted from the case studies).
    Made,
}

impl Table<'_> {
    /// A table of rows that were not written but made (counted from the
    /// case studies): no cell was written wrongly.
    pub(super) fn made(columns: Vec<String>, rows: Vec<Vec<Cell>>) -> Table<'static> {
        Table { columns, rows, written: Written::Made, reported: Vec::new() }
    }

    /// Was the cell of row `r` in column `c` already reported as written wrongly?
    pub(super) fn reported(&self, r: usize, c: usize) -> bool {
        self.reported.contains(&(r, c))
    }

    /// Where the cell `column` of row `r` is.
    pub(super) fn cell_spot(&self, r: usize, column: &str) -> Spot {
        match &self.written {
            Written::Toml(rows) => {
                Spot::Toml(rows.get(r).map_or(0..0, |row| cell_span(row, column)))
            }
            Written::Made => Spot::Toml(0..0),
            Written::Csv(places) => {
                let c = self.columns.iter().position(|k| k == column).unwrap_or(0);
                Spot::Csv(places.cell(r, c))
            }
        }
    }

    /// Where row `r` is.
    pub(super) fn row_spot(&self, r: usize) -> Spot {
        match &self.written {
            Written::Toml(rows) => Spot::Toml(rows.get(r).map_or(0..0, Spanned::span)),
            Written::Made => Spot::Toml(0..0),
            Written::Csv(places) => Spot::Csv(places.rows[r].clone()),
        }
    }

    /// Where the header names the column `c` (its line when `c` is none),
    /// for rows that come from a CSV.
    pub(super) fn header_spot(&self, c: Option<usize>) -> Option<Spot> {
        let Written::Csv(places) = &self.written else { return None };
        Some(Spot::Csv(
            c.and_then(|c| places.names.get(c).cloned()).unwrap_or(places.header.clone()),
        ))
    }

    /// Were rows left out for mistakes already reported?
    pub(super) fn left_out_rows(&self) -> bool {
        matches!(&self.written, Written::Csv(places) if places.left_out)
    }

    /// Do the rows come from a CSV?
    pub(super) fn is_csv(&self) -> bool {
        matches!(self.written, Written::Csv(_))
    }

    /// Is `name` a column, a text cell or the remark of a qualified cell
    /// (what `[i18n.<lang>] labels` may translate)?
    pub(super) fn has_label(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c == name)
            || self.rows.iter().flatten().any(|c| cell_label(c).is_some_and(|l| l == name))
    }

    /// The columns, then every distinct text cell and remark in row order.
    pub(super) fn labels(&self) -> Vec<String> {
        let mut names: Vec<String> = self.columns.clone();
        let mut seen: FastSet<String> = names.iter().cloned().collect();
        for l in self.rows.iter().flatten().filter_map(cell_label) {
            if seen.insert(l.to_string()) {
                names.push(l.into_owned());
            }
        }
        names
    }
}

/// What a cell gives `[i18n] labels` to translate: its text, or the remark
/// of a qualified cell.
fn cell_label(c: &Cell) -> Option<Cow<'_, str>> {
    match c {
        Cell::Text(t) => Some(Cow::Borrowed(t)),
        Cell::Qualified(q) => q.remark().map(Cow::Owned),
        _ => None,
    }
}

/// The table of `written`: its columns are `declared`, else the first
/// row's keys; a key that is not a column is reported (with the nearest
/// column) and left out, and a column a row leaves out is not stated there.
pub(super) fn rows<'r>(
    written: &'r [Spanned<RawRow>],
    declared: Option<&Spanned<Vec<Spanned<String>>>>,
    file: &mut DataFile,
) -> Table<'r> {
    let mut table = Table {
        columns: Vec::new(),
        rows: Vec::new(),
        written: Written::Toml(written),
        reported: Vec::new(),
    };
    match declared {
        Some(cols) => {
            table.columns = declared_columns(cols, file);
        }
        None => {
            let Some(first) = written.first() else { return table };
            table.columns = first.get_ref().0.iter().map(|(k, _)| k.get_ref().clone()).collect();
            if table.columns.is_empty() {
                file.error(
                    Code::NoRows,
                    first.span(),
                    "the first row is empty",
                    "write each row as column = value lines",
                );
            }
        }
    }
    for (r, row) in written.iter().enumerate() {
        unknown_keys(row, &table.columns, file);
        let cells = cells(row, &table.columns, file);
        for (c, cell) in cells.iter().enumerate() {
            if cell.is_none() {
                table.reported.push((r, c));
            }
        }
        table.rows.push(cells.into_iter().map(|c| c.unwrap_or(Cell::Missing)).collect());
    }
    table
}

/// The table of data/<id>.csv, whose text is `text`. The .toml may not
/// have rows as well, and its `columns`, if it declares them, must be the
/// header's.
pub(super) fn csv_rows<'r>(
    written: &[Spanned<RawRow>],
    declared: Option<&Spanned<Vec<Spanned<String>>>>,
    text: &str,
    file: &mut DataFile,
) -> Table<'r> {
    let (csv_path, _) = file.csv.unwrap_or_default();
    let csv_path = csv_path.to_string();
    if let Some(first) = written.first() {
        file.error(
            Code::NoRows,
            first.span(),
            format!("this dataset has rows both here and in {csv_path}"),
            format!("keep one: remove the [[rows]] from this file, or remove {csv_path}"),
        );
    }
    let read = csv::read(&csv_path, text, &mut file.diags);
    if let Some(cols) = declared {
        let names: Vec<&String> = cols.get_ref().iter().map(Spanned::get_ref).collect();
        if !read.columns.is_empty() && names != read.columns.iter().collect::<Vec<_>>() {
            file.error(Code::Columns,
                cols.span(),
                format!("the declared columns differ from the header of {csv_path}"),
                format!(
                    "the header names {}; remove `columns` (the header names the columns) or make them the same",
                    read.columns.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }
    Table {
        columns: read.columns,
        rows: read.rows,
        written: Written::Csv(read.places),
        reported: Vec::new(),
    }
}

/// The columns of `columns = [...]`, each once.
fn declared_columns(cols: &Spanned<Vec<Spanned<String>>>, file: &mut DataFile) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in cols.get_ref() {
        if out.contains(c.get_ref()) {
            file.error(
                Code::Columns,
                c.span(),
                format!("the column {:?} is declared twice", c.get_ref()),
                "declare each column once",
            );
        } else {
            out.push(c.get_ref().clone());
        }
    }
    if out.is_empty() {
        file.error(
            Code::Columns,
            cols.span(),
            "no columns are declared",
            "name the columns: columns = [\"region\", \"companies\"]",
        );
    }
    out
}

/// Reports each key of `row` that is not one of `columns`.
fn unknown_keys(row: &Spanned<RawRow>, columns: &[String], file: &mut DataFile) {
    for (k, _) in &row.get_ref().0 {
        let key = k.get_ref();
        if columns.contains(key) {
            continue;
        }
        let help = match nearest(key, columns.iter().map(String::as_str)) {
            Some(near) => format!(
                "did you mean {near:?}? the columns are {}",
                columns.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>().join(", ")
            ),
            None => "declare the dataset's columns with columns = [...]".to_string(),
        };
        file.error(
            Code::UnknownColumn,
            k.span(),
            format!("{key:?} is not a column of this dataset"),
            help,
        );
    }
}

/// The cells of `row` in the order of `columns`; a column the row leaves
/// out is not stated; a cell written wrongly is reported and is `None`.
fn cells(row: &Spanned<RawRow>, columns: &[String], file: &mut DataFile) -> Vec<Option<Cell>> {
    let written = &row.get_ref().0;
    columns
        .iter()
        .map(|column| match written.iter().find(|(k, _)| k.get_ref() == column) {
            Some((_, v)) => cell(column, v, file),
            None => Some(Cell::Missing),
        })
        .collect()
}

/// A cell as written: text, a number, or a qualified number (an inline
/// table); anything else is reported (`None`).
fn cell(column: &str, value: &Spanned<toml::Value>, file: &mut DataFile) -> Option<Cell> {
    if let Some(n) = super::raw::number(value.get_ref()) {
        return Some(Cell::Number(n));
    }
    match value.get_ref() {
        toml::Value::String(s) => Some(Cell::Text(s.clone())),
        toml::Value::Table(t) => qualified(column, t, value.span(), file),
        other => {
            file.error(
                Code::BadCell,
                value.span(),
                format!("cell {column:?} holds {}, not text or a number", other.type_str()),
                "cells are text in quotes, numbers, or { value = 30, bound = \"at least\" }",
            );
            None
        }
    }
}

/// The keys a qualified cell may have.
const QUALIFIERS: [&str; 4] = ["value", "bound", "derived", "note"];

/// The help line's list of them.
const KEYS: &str = "a qualified cell has value, bound, derived and note";

/// `{ value, bound, derived, note }`: `value` is required and a number,
/// `bound` one of the format's bounds, `derived` and `note` text; `None`
/// when any of it is reported.
fn qualified(
    column: &str,
    t: &toml::Table,
    span: Range<usize>,
    file: &mut DataFile,
) -> Option<Cell> {
    let mut ok = true;
    for key in t.keys().filter(|k| !QUALIFIERS.contains(&k.as_str())) {
        let help = match closest(key, QUALIFIERS) {
            Some(near) => format!("did you mean {near:?}? {KEYS}"),
            None => KEYS.to_string(),
        };
        file.error(
            Code::BadCell,
            span.clone(),
            format!("cell {column:?} has the key {key:?}"),
            help,
        );
        ok = false;
    }
    let value = match t.get("value").and_then(super::raw::number) {
        Some(n) => Some(n),
        None => {
            file.error(
                Code::BadCell,
                span.clone(),
                format!("cell {column:?} needs a number as its value"),
                "write { value = 30, ... }",
            );
            None
        }
    };
    let text = |key: &str, file: &mut DataFile, ok: &mut bool| match t.get(key) {
        None => None,
        Some(toml::Value::String(s)) => Some(s.clone()),
        Some(_) => {
            file.error(
                Code::BadCell,
                span.clone(),
                format!("the {key} of cell {column:?} must be text"),
                "write it in quotes",
            );
            *ok = false;
            None
        }
    };
    let bound = match text("bound", file, &mut ok) {
        None => None,
        Some(b) => {
            let found = Bound::ALL.into_iter().find(|x| x.as_str() == b);
            if found.is_none() {
                let names: Vec<String> =
                    Bound::ALL.iter().map(|b| b.as_str().to_string()).collect();
                file.error(
                    Code::BadCell,
                    span.clone(),
                    format!("unknown bound {b:?}"),
                    suggest(&b, "bounds", &names),
                );
                ok = false;
            }
            found
        }
    };
    let derived = text("derived", file, &mut ok);
    let note = text("note", file, &mut ok);
    let value = value.filter(|_| ok)?;
    Some(Cell::Qualified(Qualified { value, bound, derived, note }))
}
