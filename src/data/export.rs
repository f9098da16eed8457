//! A dataset as CSV (RFC 4180, CRLF line ends, cells that could start a
//! spreadsheet formula neutralised) and as JSON, written to strings.

use serde_json::{Map, Value, json};

use super::{Cell, Dataset};

/// Columns of text with at least one translated label, by index.
fn translated_columns(d: &Dataset) -> Vec<usize> {
    (0..d.columns.len())
        .filter(|&c| {
            d.rows
                .iter()
                .any(|r| matches!(r.get(c), Some(Cell::Text(t)) if d.labels.contains_key(t)))
        })
        .collect()
}

/// The qualifiers a column's cells use, in the format's order: `bound`,
/// `derived`, `note` (each as `(name, reads the cell)`).
type Qualifier = (&'static str, fn(&Cell) -> Option<String>);

const QUALIFIERS: [Qualifier; 3] = [
    ("bound", |c| c.qualified()?.bound.map(|b| b.as_str().to_string())),
    ("derived", |c| c.qualified()?.derived.clone()),
    ("note", |c| c.qualified()?.note.clone()),
];

/// The qualifiers used in column `c`.
fn qualifiers_of(d: &Dataset, c: usize) -> Vec<Qualifier> {
    QUALIFIERS
        .into_iter()
        .filter(|(_, read)| d.rows.iter().any(|r| r.get(c).and_then(read).is_some()))
        .collect()
}

/// The dataset's rows as CSV, with a header line of column names. A cell
/// not stated is empty; a column with qualified cells is followed by a
/// column for each qualifier its cells use (`<column> (bound)`,
/// `<column> (derived)`, `<column> (note)`). In a translated edition
/// (`lang` with labels), each column of translated labels is followed, at
/// the end, by the translations, in a column named `<column> (<lang>)`: the
/// original columns stay as they are, so scripts keep working.
pub fn csv(d: &Dataset, lang: &str) -> String {
    let mut out = String::new();
    let line = |cells: &mut dyn Iterator<Item = String>, out: &mut String| {
        let joined: Vec<String> = cells.map(|c| csv_cell(&c)).collect();
        out.push_str(&joined.join(","));
        out.push_str("\r\n");
    };
    let extra = translated_columns(d);
    let qualifiers: Vec<Vec<Qualifier>> =
        (0..d.columns.len()).map(|c| qualifiers_of(d, c)).collect();
    let mut header = Vec::new();
    for (c, name) in d.columns.iter().enumerate() {
        header.push(name.clone());
        header.extend(qualifiers[c].iter().map(|(q, _)| format!("{name} ({q})")));
    }
    for &c in &extra {
        header.push(format!("{} ({lang})", d.columns[c]));
    }
    line(&mut header.into_iter(), &mut out);
    for row in &d.rows {
        let mut cells = Vec::with_capacity(row.len() + extra.len());
        for (c, cell) in row.iter().enumerate() {
            cells.push(cell.label());
            cells.extend(qualifiers[c].iter().map(|(_, read)| read(cell).unwrap_or_default()));
        }
        for &c in &extra {
            let label = row.get(c).map(Cell::label).unwrap_or_default();
            cells.push(d.label(&label).to_string());
        }
        line(&mut cells.into_iter(), &mut out);
    }
    out
}

fn csv_cell(cell: &str) -> String {
    // A cell starting with = + - @ (or a tab or CR) could run as a formula in a
    // spreadsheet; a leading quote makes it text. Plain negative numbers stay numbers.
    let is_number = cell.parse::<f64>().is_ok();
    let cell = if !is_number && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// The dataset as JSON: its strings, named values, columns and rows as
/// objects, with the original column names; a translated edition adds its
/// `language` and the `labels` it translates (column names and labels).
pub fn json(d: &Dataset, lang: &str) -> String {
    let rows: Vec<Value> = d
        .rows
        .iter()
        .map(|row| {
            let mut m = Map::new();
            for (col, cell) in d.columns.iter().zip(row) {
                m.insert(col.clone(), serde_json::to_value(cell).unwrap_or(Value::Null));
            }
            Value::Object(m)
        })
        .collect();
    let value = json!({
        "id": d.id,
        "title": d.title,
        "source": d.source,
        "note": d.note,
        "unit": d.unit,
        "values": d.values,
        "columns": d.columns,
        "rows": rows,
    });
    let mut value = value;
    if !d.labels.is_empty()
        && let Value::Object(m) = &mut value
    {
        m.insert("language".into(), Value::String(lang.to_string()));
        m.insert("labels".into(), json!(d.labels));
    }
    // `<`, `>` and `&` only ever occur inside JSON strings: escaping them
    // keeps the file valid and makes it safe to inline in a <script> element.
    let mut s = serde_json::to_string_pretty(&value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_neutralises_formulas() {
        for (input, want) in [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("+1+1", "'+1+1"),
            ("-3", "-3"),
            ("@SUM(A1)", "'@SUM(A1)"),
        ] {
            assert_eq!(csv_cell(input), want, "{input}");
        }
    }
}
