//! Month and year dates (issue 18, point 7): a case study dated `"2018-07"`
//! or `"2018"` shows as "July 2018" or "2018" in every language, sorts and
//! filters as its first day, and feeds write that day. Built from
//! tests/fixtures/dates (a day, a month and a year case study, in English
//! and French); and each bad date, reported at its value.

mod common;

use common::broken::{Reports, build_fails, edit, good_site};
use common::{TestSite, pos};

fn built() -> TestSite {
    let site = TestSite::fixture("dates");
    site.build_ok();
    site
}

/// `<time datetime="{iso}">{shown}</time>`.
fn time(iso: &str, shown: &str) -> String {
    format!("<time datetime=\"{iso}\">{shown}</time>")
}

#[test]
fn dates_show_as_precise_as_their_source_in_english_and_french() {
    let site = built();
    for (page, iso, english, french) in [
        ("cases/day/index.html", "2018-07-01", "1 July 2018", "1er juillet 2018"),
        ("cases/month/index.html", "2018-07", "July 2018", "juillet 2018"),
        // The French translation writes a date of its own.
        ("cases/year/index.html", "2017", "2017", "mai 2017"),
    ] {
        let en = site.read(page);
        assert!(en.contains(&time(iso, english)), "{page}: {en}");
        let fr = site.read(&format!("fr/{page}"));
        let fr_iso = if french == "mai 2017" { "2017-05" } else { iso };
        assert!(fr.contains(&time(fr_iso, french)), "fr/{page}: {fr}");
    }
}

#[test]
fn every_list_and_the_print_edition_show_the_same_words() {
    let site = built();
    for page in ["cases/index.html", "companies/acme/index.html", "print/index.html"] {
        let en = site.read(page);
        for (iso, shown) in
            [("2018-07-01", "1 July 2018"), ("2018-07", "July 2018"), ("2017", "2017")]
        {
            assert!(en.contains(&time(iso, shown)), "{page}: {shown:?} in {en}");
        }
        let fr = site.read(&format!("fr/{page}"));
        for (iso, shown) in [
            ("2018-07-01", "1er juillet 2018"),
            ("2018-07", "juillet 2018"),
            ("2017-05", "mai 2017"),
        ] {
            assert!(fr.contains(&time(iso, shown)), "fr/{page}: {shown:?} in {fr}");
        }
    }
}

#[test]
fn the_case_list_is_newest_first_by_first_day_and_a_month_before_its_first_day() {
    let site = built();
    let list = site.read("cases/index.html");
    // "July 2018" and 1 July 2018 start on the same day; the month ends
    // later, so newest first it comes first.
    let (month, day, year) = (
        pos(&list, "Dated to the month"),
        pos(&list, "Dated to the day"),
        pos(&list, "Dated to the year"),
    );
    assert!(month < day && day < year, "{list}");
}

#[test]
fn months_and_years_filter_under_their_year() {
    let site = built();
    let list = site.read("cases/index.html");
    let options = list.find("name=\"year\"").map(|i| &list[i..]).expect("a year filter");
    let options = &options[..pos(options, "</select>")];
    assert!(
        pos(options, "<option value=\"2018\">2018</option>")
            < pos(options, "<option value=\"2017\">2017</option>"),
        "{options}"
    );
    assert_eq!(options.matches("<option value=\"2018\">").count(), 1, "{options}");
    for (title, year) in [
        ("Dated to the day", "2018"),
        ("Dated to the month", "2018"),
        ("Dated to the year", "2017"),
    ] {
        let item = &list[..pos(&list, title)];
        let item = &item[item.rfind("<li class=\"case-item\"").expect("its item")..];
        assert!(item.contains(&format!("data-year=\"{year}\"")), "{title}: {item}");
    }
}

#[test]
fn feeds_write_months_and_years_as_their_first_day() {
    let site = built();
    let atom = site.read("atom.xml");
    assert!(atom.contains("  <updated>2018-07-01T00:00:00Z</updated>\n"), "{atom}");
    for (title, day) in [
        ("Dated to the month", "2018-07-01"),
        ("Dated to the day", "2018-07-01"),
        ("Dated to the year", "2017-01-01"),
    ] {
        let entry = &atom[pos(&atom, &format!("<title>{title}</title>"))..];
        let entry = &entry[..pos(entry, "</entry>")];
        assert!(entry.contains(&format!("<published>{day}T00:00:00Z</published>")), "{entry}");
        assert!(entry.contains(&format!("<updated>{day}T00:00:00Z</updated>")), "{entry}");
    }
    // The same order as the case list: newest first, the month before its first day.
    assert!(pos(&atom, "Dated to the month") < pos(&atom, "Dated to the day"), "{atom}");
    // The sitemap lists every case study and writes no date.
    let sitemap = site.read("sitemap.xml");
    for case in ["day", "month", "year"] {
        assert!(sitemap.contains(&format!("https://example.org/cases/{case}/")), "{sitemap}");
    }
    assert!(!sitemap.contains("2018") && !sitemap.contains("lastmod"), "{sitemap}");
}

#[test]
fn bad_dates_are_reported_at_their_value_with_the_accepted_forms() {
    let mut reports = Reports::new();
    for to in [
        "date = \"2018-13\"",
        "date = \"July 2018\"",
        "date = \"2018-7\"",
        "date = \"2018-07-01\"",
        "date = 2018",
        "date = 2018-07-01T10:00:00",
    ] {
        let site = good_site();
        edit(&site, "content/cases/c.md", "date = 2018-01-01", to);
        let stderr = build_fails(&site, &[("content/cases/c.md", 3)]);
        assert!(stderr.contains("content/cases/c.md:3:8: error: "), "{stderr}");
        assert!(stderr.contains("= help: "), "{stderr}");
        reports.add(to, &stderr);
    }
    insta::assert_snapshot!(reports.text());
}

#[test]
fn a_bad_date_in_a_translation_is_reported_at_its_value() {
    let site = built();
    edit(&site, "content/cases/year.fr.md", "date = \"2017-05\"", "date = \"mai 2017\"");
    let stderr = build_fails(&site, &[("content/cases/year.fr.md", 3)]);
    assert!(
        stderr.contains("content/cases/year.fr.md:3:8: error: \"mai 2017\" is not a date"),
        "{stderr}"
    );
}

#[test]
fn months_and_years_build_the_same_bytes_twice() {
    let site = built();
    let first = common::tree(&site.out());
    site.build_ok();
    assert_eq!(first, common::tree(&site.out()));
}
