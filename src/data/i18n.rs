//! A stage of `data::parse`: the `[i18n.<lang>]` tables, each label checked
//! to be a column or a label of the rows and each figure id to be the dataset's.

use std::collections::BTreeMap;

use toml::Spanned;

use super::raw::{RawFigure, RawI18n};
use super::rows::Table;
use super::{DataFile, DatasetI18n, FigureI18n, FigureSpec};
use crate::diag::{Code, suggest};

/// The translations of the dataset `dataset`, by language; unknown labels
/// and figure ids are reported and left out.
pub(super) fn i18n(
    dataset: &str,
    written: BTreeMap<Spanned<String>, Spanned<RawI18n>>,
    written_figures: &[Spanned<RawFigure>],
    specs: &[FigureSpec],
    table: &Table,
    file: &mut DataFile,
) -> BTreeMap<String, DatasetI18n> {
    let mut i18n = BTreeMap::new();
    for (lang, t) in written {
        let at = file.place(lang.span());
        let t = t.into_inner();
        let translation = DatasetI18n {
            labels: labels(t.labels, table, specs, file),
            figures: figure_texts(dataset, t.figures, written_figures, specs, file),
            title: t.title,
            source: t.source,
            note: t.note,
            unit: t.unit,
            at,
        };
        i18n.insert(lang.into_inner(), translation);
    }
    i18n
}

/// The translated labels that are a column or a text cell of `table`, or
/// the label of a figure's mark.
fn labels(
    written: BTreeMap<Spanned<String>, String>,
    table: &Table,
    specs: &[FigureSpec],
    file: &mut DataFile,
) -> BTreeMap<String, String> {
    let mark_labels = || specs.iter().flat_map(|f| &f.marks).filter_map(|m| m.label.as_ref());
    let mut labels = BTreeMap::new();
    for (label, translation) in written {
        let name = label.get_ref();
        if !table.has_label(name) && !mark_labels().any(|l| l == name) {
            let mut known = table.labels();
            known.extend(mark_labels().cloned());
            file.error(
                Code::UnknownLabel,
                label.span(),
                format!("{name:?} is neither a column nor a label of this dataset"),
                suggest(name, "columns and labels", &known),
            );
            continue;
        }
        labels.insert(label.into_inner(), translation);
    }
    labels
}

/// The figure titles and captions whose id is a figure written in the
/// dataset (`written`); the ids suggested are those of the valid `specs`.
fn figure_texts(
    dataset: &str,
    texts: BTreeMap<Spanned<String>, FigureI18n>,
    written: &[Spanned<RawFigure>],
    specs: &[FigureSpec],
    file: &mut DataFile,
) -> BTreeMap<String, FigureI18n> {
    let single = written.len() == 1;
    let is_written = |id: &str| {
        written
            .iter()
            .any(|f| f.get_ref().id.as_ref().map_or(single && id == dataset, |x| x.get_ref() == id))
    };
    let mut figures = BTreeMap::new();
    for (id, text) in texts {
        if !is_written(id.get_ref()) {
            let ids: Vec<String> = specs.iter().map(|f| f.id.clone()).collect();
            file.error(
                Code::UnknownLabel,
                id.span(),
                format!("this dataset has no figure {:?}", id.get_ref()),
                suggest(id.get_ref(), "figure ids", &ids),
            );
            continue;
        }
        figures.insert(id.into_inner(), text);
    }
    figures
}
