//! The texts of small sites that tests write inline: book.toml, pages and
//! datasets. Tests name the line numbers of these texts in their assertions,
//! so changing a line here moves the expected positions of the tests that
//! use it: add a new constant rather than edit one in place.
//!
//! Three families:
//! - the smallest files that build (`BOOK`, `INDEX`), for tests that add
//!   only what they are about;
//! - a complete small site (`BOOK_WITH_TERMS`, `INDEX_WITH_LINKS`, `CHAPTER`,
//!   `CASE`, `DATASET`, `TEMPLATE_404`), which `broken::good_site` builds
//!   and the tests of tests/bad_*.rs and tests/errors.rs break a line of;
//! - texts that use every key of their format (`*_EVERY_KEY`), which the
//!   property tests (tests/properties.rs) edit at random.

/// The smallest book.toml that builds: output goes to public/.
pub(crate) const BOOK: &str =
    "[book]\ntitle = \"Test briefing\"\n\n[site]\nbase_url = \"https://example.org/\"\n";

/// The smallest front page.
pub(crate) const INDEX: &str = "+++\n+++\n\nThe front page.\n";

/// A book.toml with closed vocabularies: areas "Mining" and "Manufacturing"
/// (line 9), issues "Labour rights" and "Right to privacy" (line 10), regions
/// "Africa" and "Asia" (line 11). `authors` is on line 3, `base_url` on line 6.
pub(crate) const BOOK_WITH_TERMS: &str = "[book]
title = \"Test briefing\"
authors = [\"An author\"]

[site]
base_url = \"https://example.org/\"

[taxonomies]
areas = [\"Mining\", \"Manufacturing\"]
issues = [\"Labour rights\", \"Right to privacy\"]
regions = [\"Africa\", \"Asia\"]
";

/// A front page with a heading, the figure of `DATASET` (line 7) and two `@/`
/// links, to `CASE` and to `CHAPTER`'s heading (line 9).
pub(crate) const INDEX_WITH_LINKS: &str = "+++
title = \"Welcome\"
+++

## Findings

{{ figure(id=\"d\") }}

See [the case](@/cases/c.md) and [the chapter](@/chapter.md#known-heading).
";

/// A chapter (content/chapter.md) with a heading and, on line 8, the value
/// `rate` of `DATASET`; `weight` is on line 3.
pub(crate) const CHAPTER: &str = "+++
title = \"Chapter\"
weight = 1
+++

## Known heading

Rate: {{ value(data=\"d\", key=\"rate\", format=\"percent\") }}.
";

/// A case study (content/cases/c.md) using every front-matter key, with terms
/// from `BOOK_WITH_TERMS`: `date` on line 3, `area` on line 5, `issues` on
/// line 6, `regions` on line 7, its one [[companies]] on line 9 (`response`
/// on line 11), its one [[sources]] on line 14 (`url` on line 16), the body
/// on line 19.
pub(crate) const CASE: &str = "+++
title = \"A case\"
date = 2018-01-01
summary = \"What happened.\"
area = \"Mining\"
issues = [\"Labour rights\"]
regions = [\"Africa\"]

[[companies]]
name = \"Acme\"
response = \"responded\"
response_url = \"https://example.org/response\"

[[sources]]
title = \"A report\"
url = \"https://example.org/report\"
+++

Body.
";

/// A dataset `d` (data/d.toml) with the value `rate` (line 5), one row
/// (`n` on line 9) and one bar figure, whose [[figures]] is on line 11.
pub(crate) const DATASET: &str = "title = \"D\"
source = \"S\"

[values]
rate = 0.58

[[rows]]
k = \"a\"
n = 1

[[figures]]
kind = \"bar\"
x = \"k\"
y = [\"n\"]
";

/// A site template (templates/404.html) that builds; its paragraph is on line 3.
pub(crate) const TEMPLATE_404: &str =
    "{% extends \"base.html\" %}\n{% block main %}\n<p>Not here.</p>\n{% endblock main %}\n";

/// A book.toml with every table of the format: languages, figures, extra.
pub(crate) const BOOK_EVERY_KEY: &str = "[book]
title = \"Test briefing\"
subtitle = \"Sub\"
authors = [\"A\", \"B\"]
language = \"en\"
published = 2018-10-01

[site]
base_url = \"https://example.org/ict/\"
output_dir = \"public\"

[build]
drafts = false

[taxonomies]
areas = [\"Mining\", \"Manufacturing/assembly\"]
issues = [\"Labour rights\", \"Right to privacy\"]

[languages.fr]
title = \"Titre\"

[figures]
palette = [\"#0072b2\", \"#e69f00\"]

[extra]
x = { y = [1, 2] }
";

/// A case study with a byte-order mark, every front-matter key and a body
/// with every shortcode, an `@/` link, code, an escaped shortcode, raw HTML,
/// a footnote and a table.
pub(crate) const CASE_EVERY_KEY: &str = "\u{feff}+++
title = \"A case\"
date = 2018-01-01
summary = \"What happened.\"
area = \"Mining\"
issues = [\"Labour rights\"]
regions = [\"Africa\"]

[[companies]]
name = \"Telefónica\"
hq = \"Europe\"
response = \"no-response\"
response_url = \"https://example.org/r\"

[[sources]]
title = \"A report\"
url = \"mailto:a@example.org\"
+++

## What happened

Text with {{ figure(id=\"d\") }} and {{ figref(id=\"d\") }} and
{{ value(data=\"d\", key=\"rate\", format=\"percent\") }}, a [link](@/index.md#what-happened),
`{{ figure(id=\"code\") }}`, \\{{ literal }}, <span>raw</span> and a footnote[^1].

[^1]: A note.

| a | b |
|---|---|
| 1 | 2 |
";

/// A draft chapter with CRLF line ends, every chapter key and GFM extensions.
pub(crate) const CHAPTER_EVERY_KEY: &str = "+++\r\ntitle = \"Chapter\"\r\nweight = -3\r\nslug = \"chap\"\r\ndraft = true\r\n+++\r\n\r\n# Head\r\n\r\n- [x] done\r\n- ~~no~~\r\n";

/// A dataset with every key: note, unit, values, rows with mixed key order,
/// two figures with and without titles, and a translation.
pub(crate) const DATASET_EVERY_KEY: &str = "title = \"Human rights issues\"
source = \"BHRRC\"
note = \"Some cases concern more than one issue.\"
unit = \"approaches\"

[values]
companies = 68
response_rate = 0.58

[[rows]]
issue = \"Violence & oppression\"
approaches = 31
other = 2.5

[[rows]]
approaches = 12
issue = \"Labour rights\"
other = 0

[[figures]]
id = \"issues-raised\"
kind = \"hbar\"
title = \"Issues\"
caption = \"A caption\"
x = \"issue\"
y = [\"approaches\"]

[[figures]]
id = \"shares\"
kind = \"pie\"
x = \"issue\"
y = [\"approaches\"]

[i18n.fr]
title = \"Questions\"
";

/// A dataset `h` (data/h.toml) with declared columns (line 3), a qualified
/// cell (line 7), a row whose `approaches` is on line 12 (its [[rows]] on
/// line 10, `region` on line 11), a `[checks]` sum on line 16 and a bar
/// figure on line 18.
pub(crate) const DATASET_HONEST: &str = "title = \"H\"
source = \"S\"
columns = [\"region\", \"approaches\", \"responses\"]

[[rows]]
region = \"Asia\"
approaches = { value = 30, bound = \"at least\", note = \"More than a third.\" }
responses = 12

[[rows]]
region = \"Europe\"
approaches = 10
responses = 4

[checks]
sum = { approaches = 40 }

[[figures]]
id = \"h\"
kind = \"bar\"
x = \"region\"
y = [\"approaches\"]
";
