//! A stage of `data::parse`: the named values (`[values]`), each a number
//! that prose can quote with `{{ value }}`.

use std::collections::BTreeMap;

use toml::Spanned;

use super::DataFile;

/// The named values that are numbers; any other is reported at its line.
pub(super) fn values(
    written: BTreeMap<String, Spanned<toml::Value>>,
    file: &mut DataFile,
) -> BTreeMap<String, f64> {
    let mut values = BTreeMap::new();
    for (key, v) in written {
        match v.get_ref() {
            toml::Value::Integer(i) => {
                values.insert(key, *i as f64);
            }
            toml::Value::Float(f) if f.is_finite() => {
                values.insert(key, *f);
            }
            _ => file.error(
                v.span(),
                format!("value {key:?} is not a number"),
                "named values are numbers, such as 68 or 0.58",
            ),
        }
    }
    values
}
