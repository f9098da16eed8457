//! A dataset as CSV (RFC 4180, CRLF line ends, cells that could start a
//! spreadsheet formula neutralised) and as JSON, written to strings.

use serde_json::{Map, Value, json};

use super::{Cell, Dataset};

/// The dataset's rows as CSV, with a header line of column names.
pub fn csv(d: &Dataset) -> String {
    let mut out = String::new();
    let line = |cells: &mut dyn Iterator<Item = String>, out: &mut String| {
        let joined: Vec<String> = cells.map(|c| csv_cell(&c)).collect();
        out.push_str(&joined.join(","));
        out.push_str("\r\n");
    };
    line(&mut d.columns.iter().cloned(), &mut out);
    for row in &d.rows {
        line(&mut row.iter().map(Cell::label), &mut out);
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

/// The dataset as JSON: its strings, named values, columns and rows as objects.
pub fn json(d: &Dataset) -> String {
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
