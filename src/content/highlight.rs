//! `[[highlights]]` in index.md's front matter: the front page's key numbers,
//! each naming a dataset's value (`"dataset.key"`). Checked here for what one
//! file shows; the values are looked up once the datasets are known.

use super::InFile;
use super::front_matter::HighlightSpec;
use super::shortcode::NumberFormat;
use crate::diag::{Code, Diagnostic, Place};
use toml::Spanned;

/// A key number of the front page, as the editor asked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlight {
    /// What the number is ("Companies approached").
    pub label: String,
    /// The value shown: `dataset.key`.
    pub value: ValueName,
    /// How the number is written (also the compared one).
    pub format: NumberFormat,
    /// A value shown beside it for comparison.
    pub compare: Option<ValueName>,
    /// What the compared value is ("average across all sectors").
    pub compare_label: Option<String>,
}

/// A named value of a dataset, as written (`"response-rates.companies"`),
/// and where, for the error when it does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueName {
    /// `dataset.key` as written.
    pub name: String,
    /// Where it is written.
    pub at: Place,
}

/// The highlights written in `written` (the front matter of `file`);
/// a format that is not "number" or "percent" is reported at its line.
pub(super) fn highlights(
    written: &[Spanned<HighlightSpec>],
    file: &InFile,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Highlight> {
    let name = |v: &Spanned<String>| ValueName {
        name: v.get_ref().clone(),
        at: Place::of(file.source, file.src, file.span(v.span())),
    };
    written
        .iter()
        .map(|h| {
            let h = h.get_ref();
            let format = match h.format.as_ref().map(|f| (f.get_ref().as_str(), f.span())) {
                None | Some(("number", _)) => NumberFormat::Number,
                Some(("percent", _)) => NumberFormat::Percent,
                Some((other, span)) => {
                    diags.push(
                        file.error(Code::HighlightValue, span, format!("unknown format {other:?}"))
                            .with_help("format is \"number\" or \"percent\""),
                    );
                    NumberFormat::Number
                }
            };
            Highlight {
                label: h.label.clone(),
                value: name(&h.value),
                format,
                compare: h.compare.as_ref().map(name),
                compare_label: h.compare_label.clone(),
            }
        })
        .collect()
}
