//! A stage of `data::parse`: `[from_cases]`, a dataset counted from the case
//! studies' front matter instead of written rows. Here it is only checked
//! (the spec); `site::load` counts it once the pages are parsed and parses
//! the dataset again with the counted table (`Counted`).

use std::collections::BTreeMap;

use toml::Spanned;

use super::raw::RawDataset;
use super::rows::Table;
use super::{Cell, DataFile};
use crate::diag::{Code, Place, suggest};

/// What a counted dataset counts: each case study once, or each company
/// named in a case study (an approach).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Count {
    /// `cases`.
    Cases,
    /// `approaches`.
    Approaches,
}

impl Count {
    /// The word the format uses, also the name of the single count column.
    pub fn as_str(self) -> &'static str {
        match self {
            Count::Cases => "cases",
            Count::Approaches => "approaches",
        }
    }
}

/// What a counted dataset groups by (`by`) or splits by (`split`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grouping {
    /// `area`: the case's area of activity.
    Area,
    /// `issues`: the issues raised.
    Issues,
    /// `regions`: where the abuse took place.
    Regions,
    /// `hq`: where the companies are headquartered.
    Hq,
    /// `response`: how the companies responded.
    Response,
    /// `year`: the year of the case study's date.
    Year,
}

impl Grouping {
    /// Every grouping, in the order the format lists them.
    pub(crate) const ALL: [Grouping; 6] = [
        Grouping::Area,
        Grouping::Issues,
        Grouping::Regions,
        Grouping::Hq,
        Grouping::Response,
        Grouping::Year,
    ];

    /// The word the format uses, also the name of the category column.
    pub fn as_str(self) -> &'static str {
        match self {
            Grouping::Area => "area",
            Grouping::Issues => "issues",
            Grouping::Regions => "regions",
            Grouping::Hq => "hq",
            Grouping::Response => "response",
            Grouping::Year => "year",
        }
    }
}

/// `[from_cases]`, checked: what to count and how to group it.
#[derive(Debug, Clone)]
pub struct FromCases {
    /// What is counted.
    pub count: Count,
    /// The rows.
    pub by: Grouping,
    /// The columns, one per value; `None`: one column named after `count`.
    pub split: Option<Grouping>,
    /// The text of the dataset file, parsed again with the counted rows.
    pub(crate) src: String,
    /// Where `[from_cases]` is.
    pub at: Place,
}

impl FromCases {
    /// Are its rows or its columns the kinds of response?
    pub(crate) fn by_response(&self) -> bool {
        self.by == Grouping::Response || self.split == Some(Grouping::Response)
    }
}

/// The table counted from the case studies, and its values (`total`, `rate`).
#[derive(Debug, Clone, Default)]
pub struct Counted {
    /// The column names: `by`'s name, then the counts' columns.
    pub columns: Vec<String>,
    /// The rows: a category, then its counts.
    pub rows: Vec<Vec<Cell>>,
    /// `total`, and `rate` when grouped by response.
    pub values: BTreeMap<String, f64>,
    /// A hash of the counts: the dataset's fingerprint follows it.
    pub key: u64,
}

impl Counted {
    /// The counted rows as the later stages of `parse` read a table.
    pub(super) fn table(&self) -> Table<'static> {
        Table::made(self.columns.clone(), self.rows.clone())
    }
}

/// The values a counted dataset makes itself.
const COUNTED_VALUES: [&str; 2] = ["total", "rate"];

/// The `[from_cases]` spec of `raw`, if it has one that passes its checks:
/// known `count`, `by` and `split` words, no `[[rows]]` beside it, no
/// written value named as a counted one.
pub(super) fn spec(raw: &RawDataset, src: &str, file: &mut DataFile) -> Option<FromCases> {
    let written = raw.from_cases.as_ref()?;
    let span = written.span();
    let f = written.get_ref();
    let mut ok = true;
    if let Some(first) = raw.rows.first() {
        file.error(
            Code::FromCases,
            first.span(),
            "a dataset counted from the case studies has no [[rows]]",
            "remove [from_cases] to write the rows, or remove the [[rows]] to count them",
        );
        ok = false;
    }
    for (key, v) in &raw.values {
        if COUNTED_VALUES.contains(&key.as_str()) {
            file.error(
                Code::FromCases,
                v.span(),
                format!("value {key:?} is counted from the case studies"),
                "give the written value another name",
            );
            ok = false;
        }
    }
    let counts: Vec<String> = [Count::Cases, Count::Approaches].map(|c| c.as_str().into()).into();
    let count = word(&f.count, "count", &counts, span.clone(), file).map(|w| match w {
        0 => Count::Cases,
        _ => Count::Approaches,
    });
    let groupings: Vec<String> = Grouping::ALL.map(|g| g.as_str().into()).into();
    let by = word(&f.by, "by", &groupings, span.clone(), file).map(|i| Grouping::ALL[i]);
    let split = match &f.split {
        None => Some(None),
        Some(s) => word(&f.split, "split", &groupings, span.clone(), file).and_then(|i| {
            let split = Grouping::ALL[i];
            if by == Some(split) {
                file.error(
                    Code::FromCases,
                    s.span(),
                    format!("`split` is {:?}, as `by` is", split.as_str()),
                    "split by another grouping, or leave `split` out",
                );
                return None;
            }
            Some(Some(split))
        }),
    };
    let (Some(count), Some(by), Some(split)) = (count, by, split) else { return None };
    ok.then(|| FromCases { count, by, split, src: src.to_string(), at: file.place(span) })
}

/// The index in `known` of the word `key` gives, reported when missing or unknown.
fn word(
    given: &Option<Spanned<String>>,
    key: &str,
    known: &[String],
    table: std::ops::Range<usize>,
    file: &mut DataFile,
) -> Option<usize> {
    let listed = known.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>().join(", ");
    let Some(w) = given else {
        file.error(
            Code::FromCases,
            table,
            format!("missing key `{key}`"),
            format!("`{key}` is one of {listed}"),
        );
        return None;
    };
    let at = known.iter().position(|k| k == w.get_ref());
    if at.is_none() {
        file.error(
            Code::FromCases,
            w.span(),
            format!("unknown `{key}` {:?}", w.get_ref()),
            suggest(w.get_ref(), &format!("`{key}` values"), known),
        );
    }
    at
}

#[cfg(test)]
mod tests {
    use crate::data::{Count, Grouping, parse};

    const SPEC: &str = "title = \"T\"\nsource = \"S\"\n[from_cases]\ncount = \"cases\"\nby = \"year\"\nsplit = \"area\"\n";

    #[test]
    fn a_counted_dataset_waits_for_its_rows() {
        let d = parse("d", SPEC).expect("valid");
        let spec = d.from_cases.expect("counted");
        assert_eq!(
            (spec.count, spec.by, spec.split),
            (Count::Cases, Grouping::Year, Some(Grouping::Area))
        );
        assert!(d.rows.is_empty() && d.figures.is_empty());
    }

    #[test]
    fn unknown_words_and_written_rows_are_reported_at_their_line() {
        for (src, line, want) in [
            (SPEC.replace("\"cases\"", "\"companies\""), 4, "unknown `count` \"companies\""),
            (SPEC.replace("\"year\"", "\"years\""), 5, "unknown `by` \"years\""),
            (SPEC.replace("\"area\"", "\"year\""), 6, "`split` is \"year\", as `by` is"),
            (SPEC.replace("count = \"cases\"\n", ""), 3, "missing key `count`"),
            (
                format!("{SPEC}[[rows]]\nyear = \"2018\"\n"),
                7,
                "a dataset counted from the case studies has no [[rows]]",
            ),
            (
                SPEC.replace("source = \"S\"\n", "source = \"S\"\n[values]\ntotal = 3\n"),
                4,
                "value \"total\" is counted",
            ),
        ] {
            let d = parse("d", &src).expect_err(want);
            assert!(
                d.iter().any(|d| d.line == line && d.message.starts_with(want)),
                "{want}: {d:#?}"
            );
        }
    }
}
