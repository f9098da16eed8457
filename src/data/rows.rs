//! A stage of `data::parse`: the rows, each checked to have the first row's
//! keys and each cell to be text or a number, as cells in column order.

use std::ops::Range;

use toml::Spanned;

use super::raw::{RawRow, cell_span};
use super::{Cell, DataFile};

/// The rows of a dataset, beside the rows as written (for the spans of
/// later checks).
pub(super) struct Table<'r> {
    /// The column names, in the first row's order.
    pub(super) columns: Vec<String>,
    /// The rows whose keys are the columns, cells in column order.
    pub(super) rows: Vec<Vec<Cell>>,
    /// Every row as written.
    pub(super) written: &'r [Spanned<RawRow>],
}

impl Table<'_> {
    /// Where the cell `column` of the written row `r` is.
    pub(super) fn cell_span(&self, r: usize, column: &str) -> Range<usize> {
        cell_span(&self.written[r], column)
    }

    /// Is `name` a column or a text cell?
    pub(super) fn has_label(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c == name)
            || self.rows.iter().flatten().any(|c| matches!(c, Cell::Text(t) if t == name))
    }

    /// The columns, then every distinct text cell in row order.
    pub(super) fn labels(&self) -> Vec<String> {
        let mut names: Vec<String> = self.columns.clone();
        for c in self.rows.iter().flatten() {
            if let Cell::Text(t) = c
                && !names.contains(t)
            {
                names.push(t.clone());
            }
        }
        names
    }
}

/// The table of `written`: its columns are the first row's keys; a row with
/// other keys is reported and left out.
pub(super) fn rows<'r>(written: &'r [Spanned<RawRow>], file: &mut DataFile) -> Table<'r> {
    let mut table = Table { columns: Vec::new(), rows: Vec::new(), written };
    for (i, row) in written.iter().enumerate() {
        let keys: Vec<&str> = row.get_ref().0.iter().map(|(k, _)| k.get_ref().as_str()).collect();
        if i == 0 {
            table.columns = keys.iter().map(|k| k.to_string()).collect();
            if table.columns.is_empty() {
                file.error(
                    row.span(),
                    "the first row is empty",
                    "write each row as column = value lines",
                );
            }
        } else if !same_keys(&keys, &table.columns) {
            file.error(
                row.span(),
                format!(
                    "row {} has the columns {} but the first row has {}",
                    i + 1,
                    keys.join(", "),
                    table.columns.join(", ")
                ),
                "every row needs the same keys",
            );
            continue;
        }
        table.rows.push(cells(row, &table.columns, file));
    }
    table
}

/// Are `keys` the `columns`, in any order?
fn same_keys(keys: &[&str], columns: &[String]) -> bool {
    let mut sorted_keys = keys.to_vec();
    sorted_keys.sort_unstable();
    let mut sorted_cols: Vec<&str> = columns.iter().map(String::as_str).collect();
    sorted_cols.sort_unstable();
    sorted_keys == sorted_cols
}

/// The cells of `row` in the order of `columns`.
fn cells(row: &Spanned<RawRow>, columns: &[String], file: &mut DataFile) -> Vec<Cell> {
    let written = &row.get_ref().0;
    let mut out = Vec::with_capacity(columns.len());
    for column in columns {
        let Some((_, v)) = written.iter().find(|(k, _)| k.get_ref() == column) else { continue };
        out.push(cell(column, v, file));
    }
    out
}

/// A cell as written: text or a number; anything else is reported and
/// becomes empty text.
fn cell(column: &str, value: &Spanned<toml::Value>, file: &mut DataFile) -> Cell {
    match value.get_ref() {
        toml::Value::Integer(n) => Cell::Number(*n as f64),
        toml::Value::Float(f) if f.is_finite() => Cell::Number(*f),
        toml::Value::String(s) => Cell::Text(s.clone()),
        other => {
            file.error(
                value.span(),
                format!("cell {column:?} holds {}, not text or a number", other.type_str()),
                "cells are text in quotes or numbers",
            );
            Cell::Text(String::new())
        }
    }
}
