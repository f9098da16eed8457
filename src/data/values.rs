//! A stage of `data::parse`: the named values (`[values]`), each a number
//! that prose can quote with `{{ value }}`.

use std::collections::BTreeMap;

use toml::Spanned;

use super::DataFile;
use crate::diag::Code;

/// The named values that are numbers; any other is reported at its line.
pub(super) fn values(
    written: BTreeMap<String, Spanned<toml::Value>>,
    file: &mut DataFile,
) -> BTreeMap<String, f64> {
    let mut values = BTreeMap::new();
    for (key, v) in written {
        match super::raw::number(v.get_ref()) {
            Some(n) if n.abs() > super::spec::LARGEST => file.error(
                Code::NumberTooLarge,
                v.span(),
                format!("value {key:?} is too large to write exactly"),
                super::spec::LARGEST_HELP,
            ),
            Some(n) => {
                values.insert(key, n);
            }
            None => file.error(
                Code::BadValue,
                v.span(),
                format!("value {key:?} is not a number"),
                "named values are numbers, such as 68 or 0.58",
            ),
        }
    }
    values
}
