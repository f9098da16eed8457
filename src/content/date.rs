//! The date of a case study: a day, or a month or a year when the source
//! gives no day (issue 18). Read from the front matter's `date` value by
//! `content::case`, shown by `i18n::Words::date`, written by the feeds.

use std::fmt;

use serde::Serialize;

/// How much of a date its source gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// A day: `date = 2018-07-01`.
    Day,
    /// A month: `date = "2018-07"`.
    Month,
    /// A year: `date = "2018"`.
    Year,
}

/// A calendar date, as precise as its source.
///
/// A month or a year is held as its first day, so dates sort and filter as
/// their first day. On the same first day the shorter span comes first (the
/// day, then its month, then its year; the order of the fields), so that the
/// order is total and lists never depend on the order files were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    /// The year.
    pub year: u16,
    /// 1 to 12 (1 for a year).
    pub month: u8,
    /// 1 to 31 (1 for a month or a year).
    pub day: u8,
    /// Whether the source gives the day, the month or only the year.
    pub precision: Precision,
}

impl Date {
    /// The day `year`-`month`-`day`.
    pub fn of_day(year: u16, month: u8, day: u8) -> Self {
        Date { year, month, day, precision: Precision::Day }
    }

    /// The month `month` of `year`, held as its first day.
    pub fn of_month(year: u16, month: u8) -> Self {
        Date { year, month, day: 1, precision: Precision::Month }
    }

    /// The year `year`, held as its first day.
    pub fn of_year(year: u16) -> Self {
        Date { year, month: 1, day: 1, precision: Precision::Year }
    }

    /// The date as precise as it was written, in ISO 8601: `2018-07-01`,
    /// `2018-07` or `2018`, each a valid `<time datetime>` in HTML.
    pub fn iso(self) -> String {
        match self.precision {
            Precision::Day => self.to_string(),
            Precision::Month => format!("{:04}-{:02}", self.year, self.month),
            Precision::Year => format!("{:04}", self.year),
        }
    }

    /// The month or year a front matter writes as text: `"YYYY-MM"` or `"YYYY"`.
    pub(crate) fn parse(text: &str) -> Result<Date, DateError> {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str| s.parse::<u16>().map_err(|_| DateError::Form);
        match parts[..] {
            [y] if y.len() == 4 && digits(y) => Ok(Date::of_year(number(y)?)),
            [y, m] if y.len() == 4 && m.len() == 2 && digits(y) && digits(m) => {
                let month = number(m)?;
                if !(1..=12).contains(&month) {
                    return Err(DateError::NoSuchMonth(month));
                }
                Ok(Date::of_month(number(y)?, month as u8))
            }
            [y, m, d]
                if [y.len(), m.len(), d.len()] == [4, 2, 2] && parts.iter().all(|p| digits(p)) =>
            {
                Err(DateError::DayAsText)
            }
            _ => Err(DateError::Form),
        }
    }
}

/// Why a text is not a month or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateError {
    /// A whole day in quotes (`"2018-07-01"`): days are TOML dates, so that
    /// each date has one spelling.
    DayAsText,
    /// `"2018-13"`.
    NoSuchMonth(u16),
    /// Anything else (`"July 2018"`, `"2018-7"`, `"18"`).
    Form,
}

/// The first day, `YYYY-MM-DD`, as feeds write every date.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_years_parse_from_text() {
        for (text, want) in [
            ("2018-07", Ok(Date::of_month(2018, 7))),
            ("2018-12", Ok(Date::of_month(2018, 12))),
            ("2018", Ok(Date::of_year(2018))),
            ("0999", Ok(Date::of_year(999))),
            ("2018-07-01", Err(DateError::DayAsText)),
            ("2018-13", Err(DateError::NoSuchMonth(13))),
            ("2018-00", Err(DateError::NoSuchMonth(0))),
            ("July 2018", Err(DateError::Form)),
            ("2018-7", Err(DateError::Form)),
            ("18", Err(DateError::Form)),
            ("20180", Err(DateError::Form)),
            (" 2018", Err(DateError::Form)),
            ("2018-", Err(DateError::Form)),
            ("+201", Err(DateError::Form)),
            ("2018-07-1", Err(DateError::Form)),
            ("", Err(DateError::Form)),
        ] {
            assert_eq!(Date::parse(text), want, "{text:?}");
        }
    }

    #[test]
    fn dates_are_written_as_precise_as_given_or_as_their_first_day() {
        for (date, iso, first_day) in [
            (Date::of_day(2018, 7, 9), "2018-07-09", "2018-07-09"),
            (Date::of_month(2018, 7), "2018-07", "2018-07-01"),
            (Date::of_year(2018), "2018", "2018-01-01"),
        ] {
            assert_eq!((date.iso(), date.to_string()), (iso.to_string(), first_day.to_string()));
        }
    }

    #[test]
    fn dates_sort_by_first_day_then_the_shorter_span_first() {
        let mut dates = [
            Date::of_year(2018),
            Date::of_day(2018, 7, 2),
            Date::of_month(2018, 7),
            Date::of_day(2018, 1, 1),
            Date::of_day(2018, 7, 1),
            Date::of_month(2018, 1),
            Date::of_year(2017),
        ];
        dates.sort();
        let iso: Vec<String> = dates.iter().map(|d| d.iso()).collect();
        assert_eq!(
            iso,
            ["2017", "2018-01-01", "2018-01", "2018", "2018-07-01", "2018-07", "2018-07-02"]
        );
    }
}
