//! A stage of `data::parse`: `[checks]`, what the numbers must add up to.
//! `sum = { approaches = 88 }` adds up the column's stated cells; a cell
//! not stated makes the check impossible (a warning, not an error).

use std::collections::BTreeMap;

use toml::Spanned;

use super::raw::RawChecks;
use super::rows::Table;
use super::{Cell, DataFile, format_number};
use crate::diag::{Code, suggest};

/// Runs the checks of `checks` on `table`.
pub(super) fn checks(checks: Option<&Spanned<RawChecks>>, table: &Table, file: &mut DataFile) {
    let Some(sum) = checks.and_then(|c| c.get_ref().sum.as_ref()) else { return };
    sums(sum.get_ref(), table, file);
}

/// `sum = { column = total, ... }`.
fn sums(sum: &BTreeMap<Spanned<String>, Spanned<toml::Value>>, table: &Table, file: &mut DataFile) {
    for (column, want) in sum {
        let name = column.get_ref();
        let Some(c) = table.columns.iter().position(|k| k == name) else {
            file.error(
                Code::UnknownColumn,
                column.span(),
                format!("[checks] sum names the column {name:?}, which this dataset does not have"),
                suggest(name, "columns", &table.columns),
            );
            continue;
        };
        let expected = match super::raw::number(want.get_ref()) {
            Some(n) => n,
            None => {
                file.error(
                    Code::CheckFailed,
                    want.span(),
                    format!("the sum of {name:?} must be a number"),
                    "write sum = { column = 88 }",
                );
                continue;
            }
        };
        if (0..table.rows.len()).any(|r| table.reported(r, c)) {
            // A cell of the column is written wrongly and already reported.
            continue;
        }
        let cells: Vec<&Cell> = table.rows.iter().filter_map(|r| r.get(c)).collect();
        let missing = cells.iter().filter(|cell| matches!(cell, Cell::Missing)).count();
        let actual: f64 = cells.iter().filter_map(|cell| cell.number()).sum();
        if missing > 0 {
            file.warning(
                Code::CheckImpossible,
                column.span(),
                format!(
                    "the sum of {name:?} cannot be checked: {missing} of its cells {} not stated",
                    if missing == 1 { "is" } else { "are" }
                ),
                format!(
                    "the stated cells add up to {}; the check expects {}",
                    format_number(actual),
                    format_number(expected)
                ),
            );
        } else if (actual - expected).abs() > 1e-9 * expected.abs().max(1.0) {
            file.error(
                Code::CheckFailed,
                column.span(),
                format!(
                    "the cells of {name:?} add up to {}, not {}",
                    format_number(actual),
                    format_number(expected)
                ),
                "correct the rows, or the expected sum under [checks]",
            );
        }
    }
}
