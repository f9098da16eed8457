//! How numbers are written: as the data has them (`format_number`) and as a
//! language writes them (`Numbers`), in prose, tables, figures and exports.

use super::{Bound, Cell};

/// Writes a number as the data has it: integers without a point, other
/// numbers with up to two decimals (fixed, so output is stable).
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// How a language writes numbers: its decimal mark, its thousands
/// separator and its percentages. The default is English as `format_number`
/// writes it (no separator, so years and counts read the same in data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbers {
    /// The decimal mark (`.` or `,`).
    pub(crate) decimal: String,
    /// Put between groups of three digits in numbers of five digits or more
    /// (empty: none). Four-digit numbers, such as years, are never grouped.
    pub group: String,
    /// A percentage, with `{n}` for the number: `{n}%`, or `{n} %` in French.
    pub percent: String,
    /// What a cell the source does not state says: "not stated".
    pub not_stated: String,
    /// A bounded number in prose, with `{n}`: "at least {n}", "at most {n}", "about {n}".
    pub bounds: [String; 3],
}

impl Default for Numbers {
    fn default() -> Self {
        Numbers {
            decimal: ".".into(),
            group: String::new(),
            percent: "{n}%".into(),
            not_stated: "not stated".into(),
            bounds: ["at least {n}".into(), "at most {n}".into(), "about {n}".into()],
        }
    }
}

impl Numbers {
    /// `n` as this language writes it: 1234.5 -> "1234.5" or "1234,5"; 12345 -> "12 345".
    pub fn number(&self, n: f64) -> String {
        let plain = format_number(n);
        if self.decimal == "." && self.group.is_empty() {
            return plain;
        }
        let (sign, digits) = plain.strip_prefix('-').map_or(("", plain.as_str()), |d| ("-", d));
        let (int, frac) = digits.split_once('.').map_or((digits, None), |(i, f)| (i, Some(f)));
        let mut out = String::with_capacity(plain.len() + 8);
        out.push_str(sign);
        if !self.group.is_empty() && int.len() >= 5 && int.bytes().all(|b| b.is_ascii_digit()) {
            for (i, ch) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    out.push_str(&self.group);
                }
                out.push(ch);
            }
        } else {
            out.push_str(int);
        }
        if let Some(f) = frac {
            out.push_str(&self.decimal);
            out.push_str(f);
        }
        out
    }

    /// A ratio as a whole percentage: 0.58 -> "58%" or "58 %".
    pub fn percent(&self, ratio: f64) -> String {
        self.percent.replace("{n}", &self.number((ratio * 100.0).round()))
    }

    /// A share of a whole, as charts label it: like `percent`, but a share
    /// that rounds to 0 without being 0 is "<1%".
    pub fn share(&self, share: f64) -> String {
        if (share * 100.0).round() == 0.0 && share > 0.0 {
            self.under_one_percent()
        } else {
            self.percent(share)
        }
    }

    /// A share above zero too small to round to 1%: "<1%".
    pub(crate) fn under_one_percent(&self) -> String {
        format!("<{}", self.percent.replace("{n}", "1"))
    }

    /// A cell as this language writes it in labels and tables: a bound as
    /// its sign ("≥ 30"), a cell not stated as "not stated".
    pub fn cell(&self, cell: &Cell) -> String {
        match cell {
            Cell::Number(n) => self.number(*n),
            Cell::Qualified(q) => match q.bound {
                Some(b) => format!("{}\u{a0}{}", b.sign(), self.number(q.value)),
                None => self.number(q.value),
            },
            Cell::Text(t) => t.clone(),
            Cell::Missing => self.not_stated.clone(),
        }
    }

    /// A cell as this language writes it in prose: a bound in words ("at
    /// least 30"); `number` writes the number (plain, or as a percentage).
    pub fn prose(&self, cell: &Cell, number: impl Fn(f64) -> String) -> String {
        match cell {
            Cell::Number(n) => number(*n),
            Cell::Qualified(q) => match q.bound {
                Some(b) => self.bound(b).replace("{n}", &number(q.value)),
                None => number(q.value),
            },
            Cell::Text(t) => t.clone(),
            Cell::Missing => self.not_stated.clone(),
        }
    }

    /// A bound in prose, with `{n}` for the number.
    fn bound(&self, b: Bound) -> &str {
        let i = Bound::ALL.iter().position(|x| *x == b).unwrap_or(0);
        &self.bounds[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_with_fixed_precision() {
        for (n, want) in
            [(68.0, "68"), (0.58, "0.58"), (1.0 / 3.0, "0.33"), (2.5, "2.5"), (-3.0, "-3")]
        {
            assert_eq!(format_number(n), want);
        }
    }

    #[test]
    fn numbers_follow_the_language() {
        let fr = Numbers {
            decimal: ",".into(),
            group: "\u{202f}".into(),
            percent: "{n}\u{a0}%".into(),
            ..Numbers::default()
        };
        assert_eq!(fr.number(4.5), "4,5");
        assert_eq!(fr.number(2018.0), "2018");
        assert_eq!(fr.number(-12345.25), "-12\u{202f}345,25");
        assert_eq!(fr.number(1234567.0), "1\u{202f}234\u{202f}567");
        assert_eq!(fr.percent(0.58), "58\u{a0}%");
        assert_eq!(fr.share(0.001), "<1\u{a0}%");
        let en = Numbers::default();
        assert_eq!(en.number(12345.5), "12345.5");
        assert_eq!(
            (en.percent(0.58), en.share(0.001), en.share(0.0)),
            ("58%".into(), "<1%".into(), "0%".into())
        );
    }
}
