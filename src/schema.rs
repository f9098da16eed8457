//! The keys each TOML file of a site may have, and the parse that reports
//! every mistake of a file at once: all syntax errors (the parser recovers),
//! then all unknown keys with "did you mean", and only then the typed
//! deserialisation of the file's struct.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, Deserializer};

use crate::diag::{Code, Diagnostic, suggest};

/// The shape of a TOML value, as far as key checking goes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Schema {
    /// Anything (free-form tables such as `[extra]`, or plain values).
    Any,
    /// A table with these keys only.
    Table(&'static [(&'static str, Schema)]),
    /// A table whose keys are free but whose values all have this shape.
    MapOf(&'static Schema),
    /// An array whose tables have this shape.
    ArrayOf(&'static Schema),
}

/// book.toml.
pub(crate) const CONFIG: Schema = Schema::Table(&[
    (
        "book",
        Schema::Table(&[
            ("title", Schema::Any),
            ("subtitle", Schema::Any),
            ("description", Schema::Any),
            ("authors", Schema::Any),
            ("language", Schema::Any),
            ("published", Schema::Any),
        ]),
    ),
    (
        "site",
        Schema::Table(&[
            ("base_url", Schema::Any),
            ("output_dir", Schema::Any),
            ("theme", Schema::Any),
            ("headers", Schema::Any),
        ]),
    ),
    ("build", Schema::Table(&[("drafts", Schema::Any)])),
    ("taxonomies", Schema::MapOf(&Schema::Any)),
    (
        "languages",
        Schema::MapOf(&Schema::Table(&[
            ("title", Schema::Any),
            ("subtitle", Schema::Any),
            ("description", Schema::Any),
            ("terms", Schema::Any),
        ])),
    ),
    ("figures", Schema::Table(&[("palette", Schema::Any)])),
    ("extra", Schema::Any),
]);

/// Front matter of pages and case studies.
pub(crate) const FRONT_MATTER: Schema = Schema::Table(&[
    ("title", Schema::Any),
    ("weight", Schema::Any),
    ("slug", Schema::Any),
    ("description", Schema::Any),
    ("draft", Schema::Any),
    ("date", Schema::Any),
    ("summary", Schema::Any),
    ("area", Schema::Any),
    ("issues", Schema::Any),
    ("regions", Schema::Any),
    (
        "companies",
        Schema::ArrayOf(&Schema::Table(&[
            ("name", Schema::Any),
            ("hq", Schema::Any),
            ("response", Schema::Any),
            ("response_url", Schema::Any),
        ])),
    ),
    ("sources", Schema::ArrayOf(&Schema::Table(&[("title", Schema::Any), ("url", Schema::Any)]))),
    (
        "highlights",
        Schema::ArrayOf(&Schema::Table(&[
            ("label", Schema::Any),
            ("value", Schema::Any),
            ("format", Schema::Any),
            ("compare", Schema::Any),
            ("compare_label", Schema::Any),
        ])),
    ),
]);

/// Datasets.
pub(crate) const DATASET: Schema = Schema::Table(&[
    ("title", Schema::Any),
    ("source", Schema::Any),
    ("note", Schema::Any),
    ("unit", Schema::Any),
    ("values", Schema::Any),
    ("columns", Schema::Any),
    ("rows", Schema::Any),
    ("checks", Schema::Table(&[("sum", Schema::Any)])),
    (
        "from_cases",
        Schema::Table(&[("count", Schema::Any), ("by", Schema::Any), ("split", Schema::Any)]),
    ),
    (
        "figures",
        Schema::ArrayOf(&Schema::Table(&[
            ("id", Schema::Any),
            ("kind", Schema::Any),
            ("title", Schema::Any),
            ("caption", Schema::Any),
            ("x", Schema::Any),
            ("y", Schema::Any),
            ("sort", Schema::Any),
            ("colors", Schema::Any),
            (
                "marks",
                Schema::ArrayOf(&Schema::Table(&[
                    ("at", Schema::Any),
                    ("category", Schema::Any),
                    ("label", Schema::Any),
                ])),
            ),
        ])),
    ),
    (
        "i18n",
        Schema::MapOf(&Schema::Table(&[
            ("title", Schema::Any),
            ("source", Schema::Any),
            ("note", Schema::Any),
            ("unit", Schema::Any),
            ("labels", Schema::Any),
            (
                "figures",
                Schema::MapOf(&Schema::Table(&[("title", Schema::Any), ("caption", Schema::Any)])),
            ),
        ])),
    ),
]);

/// Parses `text`, which starts at byte `offset` of the file `path` whose
/// whole text is `file`, into `T`, checking its keys against `schema` first.
///
/// # Errors
/// Every syntax error; or every unknown key and the first type error.
pub(crate) fn parse<T: DeserializeOwned>(
    path: &str,
    file: &str,
    text: &str,
    offset: usize,
    schema: &Schema,
) -> Result<T, Vec<Diagnostic>> {
    // A byte-order mark is not TOML; three spaces keep every offset in place.
    let cleaned;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            cleaned = format!("   {rest}");
            cleaned.as_str()
        }
        None => text,
    };
    let (table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(errors.iter().map(|e| toml_error(path, file, e, offset)).collect());
    }
    let mut diags = Vec::new();
    check_table(table.get_ref(), schema, &mut Vec::new(), &mut |span, msg, help| {
        diags.push(
            Diagnostic::error(
                Code::UnknownKey,
                path,
                file,
                span.start + offset..span.end + offset,
                msg,
            )
            .with_help(help),
        );
    });
    match T::deserialize(Deserializer::from(table)) {
        Ok(value) if diags.is_empty() => Ok(value),
        Ok(_) => Err(diags),
        Err(e) => {
            // An unknown key is already reported, with help; any other error is news.
            if !e.message().starts_with("unknown field") {
                diags.push(toml_error(path, file, &e, offset));
            }
            Err(diags)
        }
    }
}

type Report<'a> = dyn FnMut(Range<usize>, String, String) + 'a;

fn check_table(table: &DeTable, schema: &Schema, at: &mut Vec<String>, report: &mut Report) {
    match schema {
        Schema::Any => {}
        Schema::MapOf(inner) => {
            for (k, v) in table.iter() {
                at.push(k.get_ref().to_string());
                check_value(v, inner, at, report);
                at.pop();
            }
        }
        Schema::ArrayOf(_) => {}
        Schema::Table(keys) => {
            for (k, v) in table.iter() {
                let name: &str = k.get_ref();
                match keys.iter().find(|(key, _)| *key == name) {
                    Some((_, inner)) => {
                        at.push(name.to_string());
                        check_value(v, inner, at, report);
                        at.pop();
                    }
                    None => {
                        let known: Vec<String> = keys.iter().map(|(k, _)| k.to_string()).collect();
                        let place = if at.is_empty() {
                            String::new()
                        } else {
                            format!(" in [{}]", at.join("."))
                        };
                        report(
                            k.span(),
                            format!("unknown key `{name}`{place}"),
                            suggest(name, "keys here", &known)
                                + "; the README lists the format's keys",
                        );
                    }
                }
            }
        }
    }
}

fn check_value(v: &Spanned<DeValue>, schema: &Schema, at: &mut Vec<String>, report: &mut Report) {
    match (v.get_ref(), schema) {
        (DeValue::Table(t), _) => check_table(t, schema, at, report),
        (DeValue::Array(items), Schema::ArrayOf(inner)) => {
            for item in items.iter() {
                if let DeValue::Table(t) = item.get_ref() {
                    check_table(t, inner, at, report);
                }
            }
        }
        _ => {}
    }
}

/// A TOML error as a diagnostic; `offset` is where the parsed text starts in the file.
pub(crate) fn toml_error(path: &str, src: &str, e: &toml::de::Error, offset: usize) -> Diagnostic {
    let message = e.message().trim().trim_end_matches('.').to_string();
    let message = if message.is_empty() { "invalid TOML".to_string() } else { message };
    let deep = message.contains("recursion limit");
    let span = match e.span() {
        Some(s) => s.start + offset..s.end + offset,
        // The parser says how deep, not where: the line nested deepest.
        None if deep => deepest_line(src, offset),
        None => offset..offset,
    };
    let (message, code, help) = if deep {
        (
            "nested too deeply for TOML to read".to_string(),
            Code::TomlSyntax,
            "write it with fewer levels of tables, arrays or dotted keys (at most a few dozen)",
        )
    } else {
        let (code, help) = if message.starts_with("unknown field") {
            (
                Code::UnknownKey,
                "remove the key or fix its spelling; the format's keys are listed in the README",
            )
        } else if message.starts_with("missing field") {
            (Code::MissingKey, "add the key; the README lists the keys each file needs")
        } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
            (
                Code::WrongType,
                "check the value's type: text needs quotes, lists need [ ], dates are written 2018-10-01",
            )
        } else {
            (Code::TomlSyntax, "check the TOML syntax around this place")
        };
        (message, code, help)
    };
    Diagnostic::error(code, path, src, span, message).with_help(help)
}

/// The start of the line of `src` (from byte `offset` on) with the most
/// brackets, braces and dots: where a too deep nesting is.
fn deepest_line(src: &str, offset: usize) -> std::ops::Range<usize> {
    let text = src.get(offset..).unwrap_or("");
    let mut best = (0, offset);
    let mut at = offset;
    for line in text.split_inclusive('\n') {
        let depth = line.bytes().filter(|b| matches!(b, b'[' | b'{' | b'.')).count();
        if depth > best.0 {
            best = (depth, at);
        }
        at += line.len();
    }
    best.1..best.1 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Loose {
        #[serde(default)]
        title: Option<String>,
    }

    #[test]
    fn every_unknown_key_is_reported_with_its_place() {
        let src = "titel = 1\n[[companies]]\nname = \"A\"\nrespnse = \"x\"\n";
        let errors =
            parse::<Loose>("a.md", src, src, 0, &FRONT_MATTER).expect_err("two unknown keys");
        let got: Vec<(usize, usize, &str)> =
            errors.iter().map(|d| (d.line, d.col, d.message.as_str())).collect();
        assert_eq!(
            got,
            [(1, 1, "unknown key `titel`"), (4, 1, "unknown key `respnse` in [companies]")]
        );
        assert!(errors[0].help.as_deref().is_some_and(|h| h.contains("did you mean \"title\"")));
    }

    #[test]
    fn every_syntax_error_is_reported() {
        let src = "a = \nb = [1,\n";
        let errors = parse::<Loose>("x.toml", src, src, 0, &Schema::Any).expect_err("syntax");
        assert!(!errors.is_empty());
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_positions_stay() {
        let src = "\u{feff}title = \"T\"\nfoo = 1\n";
        let errors = parse::<Loose>("x.toml", src, src, 0, &FRONT_MATTER).expect_err("unknown key");
        assert_eq!((errors[0].line, errors[0].col), (2, 1));
        let ok: Loose =
            parse("x.toml", "\u{feff}title = \"T\"\n", "\u{feff}title = \"T\"\n", 0, &FRONT_MATTER)
                .expect("BOM is fine");
        assert_eq!(ok.title.as_deref(), Some("T"));
    }
}
