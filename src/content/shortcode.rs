//! Shortcodes: `{{ figure(id="x") }}`, `{{ figref(id="x") }}`,
//! `{{ value(data="d", key="k", format="percent") }}` and
//! `{{ value(data="d", row="r", column="c") }}` in Markdown. `find`
//! returns each one with its byte span, so errors point at the right column.

use std::ops::Range;

/// What a shortcode asks for (the spec; the renderer fills it in later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shortcode {
    /// Place a figure here.
    Figure {
        /// The figure's id.
        id: String,
    },
    /// Write "Figure N" as a link to the figure.
    FigRef {
        /// The figure's id.
        id: String,
    },
    /// Write a named value of a dataset.
    Value {
        /// The dataset's id.
        data: String,
        /// The name under `[values]`.
        key: String,
        /// How to write the number.
        format: NumberFormat,
    },
    /// Write one cell of a dataset's rows.
    Cell {
        /// The dataset's id.
        data: String,
        /// The row, named by its category (its first column's text).
        row: String,
        /// The column.
        column: String,
        /// How to write a number.
        format: NumberFormat,
    },
}

/// How a quoted value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberFormat {
    /// As it is: 68, 0.58.
    Number,
    /// Times 100 with a percent sign: 58%.
    Percent,
}

/// A shortcode found in the text, or what is wrong with it.
#[derive(Debug, PartialEq, Eq)]
pub struct Found {
    /// The bytes from `{{` to `}}` inclusive.
    pub span: Range<usize>,
    /// The shortcode, or the message and help for a malformed one.
    pub parsed: Result<Shortcode, (String, String)>,
}

/// The names of the shortcodes, for "did you mean".
pub(crate) const NAMES: [&str; 3] = ["figure", "figref", "value"];

/// Every `{{ ... }}` in `src` outside the byte ranges `skip` (code spans and blocks).
pub fn find(src: &str, skip: &[Range<usize>]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut from = 0;
    // Where the next `}}` is, searched afresh only once passed (`usize::MAX`: none left).
    let mut next_close: Option<usize> = Some(0);
    while let Some(i) = src[from..].find("{{") {
        let start = from + i;
        if let Some(r) = skip.iter().find(|r| r.contains(&start)) {
            from = r.end.max(start + 2);
            continue;
        }
        // A shortcode lives on one line.
        // Look for the nearest `}}` first: scanning to the line's end for each
        // `{{` would be quadratic on one long line of shortcodes.
        // The next `}}` is remembered, so a file of many `{{` and few `}}` stays linear.
        if next_close.is_some_and(|c| c < start + 2) {
            next_close = src[start + 2..].find("}}").map(|c| start + 2 + c).or(Some(usize::MAX));
        }
        let close = next_close
            .filter(|&c| c != usize::MAX && !src[start + 2..c].contains('\n'))
            .map(|c| c - start - 2);
        let Some(close) = close else {
            let line_end = src[start..].find('\n').map_or(src.len(), |n| start + n);
            out.push(Found {
                span: start..line_end,
                parsed: Err((
                    "unclosed shortcode: `{{` without `}}` on the same line".into(),
                    "close it with `}}`, or write `\\{{` for literal braces".into(),
                )),
            });
            from = line_end;
            continue;
        };
        let end = start + 2 + close + 2;
        if start > 0 && src.as_bytes()[start - 1] == b'\\' {
            from = end;
            continue;
        }
        out.push(Found { span: start..end, parsed: parse(&src[start + 2..end - 2]) });
        from = end;
    }
    out
}

/// Parses the inside of `{{ ... }}`: `name(key="value", ...)`.
fn parse(inner: &str) -> Result<Shortcode, (String, String)> {
    let inner = inner.trim();
    let Some(open) = inner.find('(') else {
        return Err((
            format!("{inner:?} is not a shortcode call"),
            "write it as `{{ figure(id=\"...\") }}`".into(),
        ));
    };
    let name = inner[..open].trim();
    let Some(args_src) = inner[open + 1..].strip_suffix(')') else {
        return Err((
            "shortcode arguments are not closed with `)`".into(),
            "write it as `{{ figure(id=\"...\") }}`".into(),
        ));
    };
    let args = parse_args(args_src)?;
    let get = |key: &str| args.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let allow = |keys: &[&str]| -> Result<(), (String, String)> {
        for (k, _) in &args {
            if !keys.contains(&k.as_str()) {
                return Err((
                    format!("unknown argument {k:?} for `{name}`"),
                    format!(
                        "`{name}` takes {}",
                        keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        Ok(())
    };
    let need = |key: &str| -> Result<String, (String, String)> {
        get(key).ok_or_else(|| (format!("`{name}` needs `{key}`"), format!("add `{key}=\"...\"`")))
    };
    match name {
        "figure" | "figref" => {
            allow(&["id"])?;
            let id = need("id")?;
            Ok(if name == "figure" { Shortcode::Figure { id } } else { Shortcode::FigRef { id } })
        }
        "value" => {
            allow(&["data", "key", "row", "column", "format"])?;
            let format = match get("format").as_deref() {
                None | Some("number") => NumberFormat::Number,
                Some("percent") => NumberFormat::Percent,
                Some(other) => {
                    return Err((
                        format!("unknown format {other:?}"),
                        "format is \"number\" or \"percent\"".into(),
                    ));
                }
            };
            match (get("key"), get("row"), get("column")) {
                (Some(key), None, None) => Ok(Shortcode::Value { data: need("data")?, key, format }),
                (None, Some(row), Some(column)) => {
                    Ok(Shortcode::Cell { data: need("data")?, row, column, format })
                }
                (None, None, None) => Err((
                    "`value` needs `key`, or `row` and `column`".into(),
                    "add `key=\"...\"` for a named value, or `row=\"...\", column=\"...\"` for a cell".into(),
                )),
                (Some(_), _, _) => Err((
                    "`value` takes `key`, or `row` and `column`, not both".into(),
                    "keep `key` for a named value, or `row` and `column` for a cell".into(),
                )),
                (None, Some(_), None) => Err((
                    "`value` needs `column` beside `row`".into(),
                    "add `column=\"...\"`: the column of the cell".into(),
                )),
                (None, None, Some(_)) => Err((
                    "`value` needs `row` beside `column`".into(),
                    "add `row=\"...\"`: the category of the cell's row".into(),
                )),
            }
        }
        _ => {
            let help = match crate::diag::closest(name, NAMES) {
                Some(near) => {
                    format!("did you mean `{near}`? the shortcodes are figure, figref and value")
                }
                None => "the shortcodes are figure, figref and value".to_string(),
            };
            Err((format!("unknown shortcode {name:?}"), help))
        }
    }
}

/// `key="value", key2='v'` -> pairs. Values are quoted strings or bare words.
fn parse_args(src: &str) -> Result<Vec<(String, String)>, (String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut rest = src.trim();
    let malformed = || {
        (
            "malformed shortcode arguments".to_string(),
            "write arguments as key=\"value\", separated by commas".to_string(),
        )
    };
    while !rest.is_empty() {
        let eq = rest.find('=').ok_or_else(malformed)?;
        let key = rest[..eq].trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(malformed());
        }
        rest = rest[eq + 1..].trim_start();
        let value;
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let close = rest[1..].find(q).ok_or_else(malformed)?;
            value = rest[1..1 + close].to_string();
            rest = rest[close + 2..].trim_start();
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            value = rest[..end].trim().to_string();
            rest = &rest[end..];
        }
        if out.iter().any(|(k, _)| k == key) {
            return Err((format!("argument {key:?} is given twice"), "keep one".into()));
        }
        out.push((key.to_string(), value));
        rest = match rest.strip_prefix(',') {
            Some(r) => r.trim_start(),
            None if rest.is_empty() => rest,
            None => return Err(malformed()),
        };
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_shortcodes_with_spans() {
        let src = "a {{ figure(id=\"x\") }} b {{figref(id='y')}}";
        let found = find(src, &[]);
        assert_eq!(found.len(), 2);
        assert_eq!(&src[found[0].span.clone()], "{{ figure(id=\"x\") }}");
        assert_eq!(found[0].parsed, Ok(Shortcode::Figure { id: "x".into() }));
        assert_eq!(found[1].parsed, Ok(Shortcode::FigRef { id: "y".into() }));
    }

    #[test]
    fn parses_value_with_formats() {
        for (src, want) in [
            ("{{ value(data=\"d\", key=\"k\") }}", NumberFormat::Number),
            ("{{ value(data=\"d\", key=\"k\", format=\"percent\") }}", NumberFormat::Percent),
        ] {
            let found = find(src, &[]);
            assert_eq!(
                found[0].parsed,
                Ok(Shortcode::Value { data: "d".into(), key: "k".into(), format: want })
            );
        }
    }

    #[test]
    fn parses_value_of_a_cell() {
        let found = find("{{ value(data=\"d\", row=\"Europe\", column=\"n\") }}", &[]);
        let want = Shortcode::Cell {
            data: "d".into(),
            row: "Europe".into(),
            column: "n".into(),
            format: NumberFormat::Number,
        };
        assert_eq!(found[0].parsed, Ok(want));
    }

    #[test]
    fn malformed_shortcodes_say_why() {
        for (src, want) in [
            ("{{ figur(id=\"x\") }}", "unknown shortcode \"figur\""),
            ("{{ figure() }}", "`figure` needs `id`"),
            ("{{ figure(id=\"x\", size=\"2\") }}", "unknown argument \"size\" for `figure`"),
            ("{{ value(data=\"d\", key=\"k\", format=\"pct\") }}", "unknown format \"pct\""),
            ("{{ value(data=\"d\") }}", "`value` needs `key`, or `row` and `column`"),
            (
                "{{ value(data=\"d\", key=\"k\", row=\"r\") }}",
                "`value` takes `key`, or `row` and `column`, not both",
            ),
            ("{{ value(data=\"d\", row=\"r\") }}", "`value` needs `column` beside `row`"),
            ("{{ value(data=\"d\", column=\"c\") }}", "`value` needs `row` beside `column`"),
            ("{{ figure(id=\"x\" }}", "shortcode arguments are not closed with `)`"),
            ("{{ figure(id=\"x) }}", "malformed shortcode arguments"),
            ("{{ figure(id=\"x\")\n}}", "unclosed shortcode: `{{` without `}}` on the same line"),
        ] {
            let found = find(src, &[]);
            assert_eq!(found[0].parsed.as_ref().map_err(|e| e.0.as_str()), Err(want), "{src}");
        }
        let found = find("{{ figur(id=\"x\") }}", &[]);
        assert!(found[0].parsed.as_ref().unwrap_err().1.contains("did you mean `figure`"));
    }

    #[test]
    fn skips_code_and_escaped_braces() {
        let src = "`{{ figure(id=\"x\") }}` and \\{{ figure(id=\"y\") }}";
        let code = std::ops::Range { start: 0, end: 23 };
        assert!(find(src, &[code]).is_empty());
    }
}
