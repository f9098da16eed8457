//! The first stage of `data::parse`: the dataset's TOML as written, checked
//! only for its shape (`schema::DATASET`), with the spans later stages report at.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use toml::Spanned;

use super::FigureI18n;

/// A data/<id>.toml file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDataset {
    pub(super) title: Option<String>,
    pub(super) source: Option<String>,
    pub(super) note: Option<String>,
    pub(super) unit: Option<String>,
    #[serde(default)]
    pub(super) values: BTreeMap<String, Spanned<toml::Value>>,
    pub(super) columns: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub(super) rows: Vec<Spanned<RawRow>>,
    pub(super) checks: Option<Spanned<RawChecks>>,
    #[serde(default)]
    pub(super) figures: Vec<Spanned<RawFigure>>,
    #[serde(default)]
    pub(super) i18n: BTreeMap<Spanned<String>, Spanned<RawI18n>>,
    pub(super) from_cases: Option<Spanned<RawFromCases>>,
}

/// `[from_cases]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFromCases {
    pub(super) count: Option<Spanned<String>>,
    pub(super) by: Option<Spanned<String>>,
    pub(super) split: Option<Spanned<String>>,
}

/// `[checks]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawChecks {
    /// What each column's stated cells add up to.
    pub(super) sum: Option<Spanned<BTreeMap<Spanned<String>, Spanned<toml::Value>>>>,
}

/// `[i18n.<lang>]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawI18n {
    pub(super) title: Option<String>,
    pub(super) source: Option<String>,
    pub(super) note: Option<String>,
    pub(super) unit: Option<String>,
    #[serde(default)]
    pub(super) labels: BTreeMap<Spanned<String>, String>,
    #[serde(default)]
    pub(super) figures: BTreeMap<Spanned<String>, FigureI18n>,
}

/// `[[figures]]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFigure {
    pub(super) id: Option<Spanned<String>>,
    pub(super) kind: Option<Spanned<String>>,
    pub(super) title: Option<String>,
    pub(super) caption: Option<String>,
    pub(super) x: Option<Spanned<String>>,
    pub(super) y: Option<Spanned<Vec<Spanned<String>>>>,
    pub(super) sort: Option<Spanned<String>>,
    pub(super) colors: Option<Spanned<BTreeMap<Spanned<String>, Spanned<String>>>>,
    #[serde(default)]
    pub(super) marks: Vec<Spanned<RawMark>>,
}

/// `[[figures.marks]]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMark {
    pub(super) at: Option<Spanned<toml::Value>>,
    pub(super) category: Option<Spanned<String>>,
    pub(super) label: Option<Spanned<String>>,
}

/// A row with its keys in the order written.
pub(super) struct RawRow(pub(super) Vec<(Spanned<String>, Spanned<toml::Value>)>);

/// The number a TOML value holds: an integer or a finite float.
pub(super) fn number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Integer(n) => Some(*n as f64),
        toml::Value::Float(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}

/// Where the cell `column` of `row` is written, or the whole row if it has none.
pub(super) fn cell_span(row: &Spanned<RawRow>, column: &str) -> Range<usize> {
    row.get_ref()
        .0
        .iter()
        .find(|(k, _)| k.get_ref() == column)
        .map_or(row.span(), |(_, v)| v.span())
}

impl<'de> Deserialize<'de> for RawRow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RowVisitor;
        impl<'de> Visitor<'de> for RowVisitor {
            type Value = RawRow;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of column = value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRow, A::Error> {
                let mut cells = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    cells.push(entry);
                }
                Ok(RawRow(cells))
            }
        }
        d.deserialize_map(RowVisitor)
    }
}
