//! The stable code of every kind of author's mistake (`data/unknown-column`),
//! carried by each `Diagnostic` so that tools reading `--message-format json`
//! can tell mistakes apart without reading the English message. A code names
//! the kind of input, a slash and the kind of mistake; once published, a
//! code keeps its meaning (a new kind of mistake gets a new code).

/// Declares the codes: each variant with its text and what it means (the
/// README's list of codes is checked against this one).
macro_rules! codes {
    ($($variant:ident => $code:literal, $meaning:literal;)*) => {
        /// The kind of an author's mistake.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $meaning]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the order of the README's list.
            pub const ALL: &[Code] = &[$(Code::$variant),*];

            /// The code as written in machine output, such as `data/unknown-column`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// What the code means, in one sentence.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                }
            }
        }
    };
}

codes! {
    // Any TOML file: book.toml, front matter, datasets, words files.
    TomlSyntax => "toml/syntax", "The TOML cannot be read: a quote, bracket or `=` is missing or extra.";
    UnknownKey => "toml/unknown-key", "A key the format does not have (often a typo).";
    WrongType => "toml/wrong-type", "A value of the wrong type: text where a number or list is wanted, and so on.";
    MissingKey => "toml/missing-key", "A key the file needs is missing.";

    // Files and folders.
    NotUtf8 => "file/not-utf8", "The file is not valid UTF-8.";
    Unreadable => "file/unreadable", "The file or folder cannot be read.";
    LinkOutside => "file/link-outside", "A symbolic link leads out of the site; it is not read.";
    OutOfPlace => "file/out-of-place", "A file where the format has no place for it.";
    ReservedName => "file/reserved-name", "A static file whose name is kept for briefing's own files.";

    // book.toml.
    EmptyTitle => "config/empty-title", "The book's title is empty.";
    BaseUrl => "config/base-url", "base_url (or --base-url) is not an absolute http(s) address.";
    ThemeName => "config/theme-name", "The theme's name is not a folder name.";
    UnknownTheme => "config/unknown-theme", "The theme named in book.toml does not exist.";
    UnknownTaxonomy => "config/unknown-taxonomy", "[taxonomies] names a taxonomy the format does not have.";
    BadTerm => "config/term", "A term of [taxonomies] has no letters or digits, or is listed twice.";
    LanguageTag => "config/language-tag", "A language that is not a BCP 47 tag, or that repeats the default language.";
    UnknownTermTranslation => "config/unknown-term-translation", "[languages.<lang>] terms translates a term no taxonomy lists.";
    Palette => "config/palette", "[figures] palette is empty or holds something that is not a colour.";

    // Pages: front matter and text.
    NoFrontMatter => "content/no-front-matter", "The page does not start with a `+++` front matter block, or does not close it.";
    MissingFrontPage => "content/missing-front-page", "content/index.md, the front page, is missing.";
    MissingField => "content/missing-key", "A key a case study needs (date, summary, area) is missing.";
    BadDate => "content/date", "A date that is not a date, or written in a form the format does not take.";
    EmptyText => "content/empty", "A title or summary that is empty.";
    UnknownTerm => "content/unknown-term", "An area, issue or region that [taxonomies] in book.toml does not list.";
    TermWithoutLetters => "content/term", "A term with no letters or digits to make an address from.";
    DuplicateCompany => "content/duplicate-company", "A company listed twice in one case study.";
    UnknownResponse => "content/unknown-response", "A response other than responded, declined, no-response or pending.";
    NotWebAddress => "content/url", "An address that is not a full https://, http:// or mailto: address.";
    BadSlug => "content/slug", "A slug that is not lowercase letters, digits and single hyphens.";
    DuplicateAddress => "content/duplicate-address", "Two pages with the same address, or a page inside a language's folder.";
    MisplacedKey => "content/misplaced-key", "A key that only some pages may have (such as highlights outside the front page).";
    HighlightValue => "content/highlight", "A front-page highlight that names no dataset value, or in an unknown format.";

    // Shortcodes and links in Markdown.
    BadShortcode => "shortcode/malformed", "A shortcode that cannot be read, is unknown, or has wrong arguments.";
    ShortcodeInLink => "shortcode/in-link", "A shortcode written as a link's address.";
    TooManyShortcodes => "shortcode/too-many", "More shortcodes in one page than a page may hold.";
    UnknownFigure => "shortcode/unknown-figure", "A figure id no dataset declares.";
    UnknownDataset => "shortcode/unknown-dataset", "A dataset that data/ does not have.";
    UnknownValue => "shortcode/unknown-value", "A value a dataset does not have, or a cell it cannot show.";
    NoSuchPage => "link/no-such-page", "An `@/` link to a page that does not exist.";
    NoSuchHeading => "link/no-such-heading", "An `@/` link to a heading id the page does not have.";
    BrokenLink => "link/broken", "A link inside the site to a file or id the build does not make.";
    ExternalBroken => "link/external-broken", "An external link whose server answers 4xx or cannot be reached (check --external).";
    ExternalMaybeBroken => "link/external-may-be-broken", "An external link whose server still answers 429 or 5xx after retries (a warning).";

    // Datasets.
    DatasetId => "data/invalid-id", "A dataset file name that is not an id (lowercase letters, digits, hyphens).";
    DatasetKey => "data/missing-key", "A dataset without its title or source, or a figure without x, y, kind or id.";
    UnknownColumn => "data/unknown-column", "A column the dataset does not have.";
    Columns => "data/columns", "Declared columns that are empty, repeated, or differ from the CSV's header.";
    NoRows => "data/no-rows", "A dataset with no rows, an empty first row, or rows written twice.";
    BadCell => "data/cell", "A cell that cannot be used: neither text nor a number, a qualified cell written wrongly, text in a figure's series, or a row without its category.";
    BadValue => "data/value", "A named value under [values] that is not a number.";
    NumberTooLarge => "data/number-too-large", "A number beyond 2^53 in a figure's series or [values]: it cannot be drawn or written exactly.";
    Csv => "data/csv", "A CSV file that cannot be read: its quoting, header or a row's width.";
    CheckFailed => "data/check-failed", "[checks] sum: the cells do not add up.";
    CheckImpossible => "data/check-impossible", "[checks] sum cannot be made because a cell is not stated (a warning).";
    FromCases => "data/from-cases", "A mistake in [from_cases]: an unknown grouping, or rows or values it counts itself.";

    // Figures.
    FigureId => "figure/invalid-id", "A figure id that is not an id, or that is already used.";
    FigureKind => "figure/kind", "An unknown figure kind.";
    FigureData => "figure/data", "A figure that cannot be drawn from its data: no rows, several series where one is shown, shares that add up to zero or are not stated.";
    FigureTooLarge => "figure/too-many-categories", "A figure of more categories than a chart can show (1,000).";
    FigureSort => "figure/sort", "An unknown sort order.";
    FigureColors => "figure/colors", "`colors` names something the figure does not draw, or is not a colour.";
    FigureMarks => "figure/marks", "A mark that is not a line at a number or one category of the figure.";
    DrawFailed => "figure/draw-failed", "The figure or its PNG could not be drawn.";

    // Languages and translations.
    UndeclaredLanguage => "i18n/undeclared-language", "A language in a file name or dataset that book.toml does not declare, or the default language written as a translation.";
    NoOriginal => "i18n/no-original", "A translation of a page that does not exist (or is a draft).";
    UnknownLabel => "i18n/unknown-label", "A label translation for a label or figure the dataset does not have.";
    MissingWords => "i18n/missing-words", "The theme has no words in a language, or a words file leaves some out (a warning).";
    UnusedWords => "i18n/unused-words", "A words file for a language the site does not have.";
    BadWords => "i18n/words", "A words file with a value that is not text, or a broken number format.";

    // Templates and the output.
    Template => "template/error", "A template that cannot be read or rendered.";
    MissingParentTemplate => "template/missing-parent", "A template extends a template that does not exist.";
    OutputClash => "output/clash", "Two files of the site are written to the same path.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "{s} twice");
            let (kind, what) = s.split_once('/').expect("kind/what");
            for part in [kind, what] {
                assert!(
                    !part.is_empty()
                        && part
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                    "{s}"
                );
            }
            assert!(code.meaning().ends_with('.'), "{s}");
        }
    }

    #[test]
    fn the_readme_lists_every_code() {
        let readme = include_str!("../README.md");
        for code in Code::ALL {
            let row = format!("| `{}` | {} |", code.as_str(), code.meaning());
            assert!(readme.contains(&row), "README.md lacks the row\n{row}");
        }
    }
}
