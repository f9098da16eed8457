//! Injection (issue 7): a payload in every string field of book.toml, front
//! matter and datasets must come out as text everywhere: no element, attribute
//! or `javascript:` address of its own in any HTML, SVG, Atom, sitemap or JSON
//! output; `javascript:` and other non-web addresses in URL fields are errors;
//! CSV cells that a spreadsheet would run as formulas are neutralised.

mod common;

use common::{TestSite, attr_values, run_in};

/// One string holding every trick: a script element, an attribute breaking out
/// of its quotes (double and single), a comment, a CDATA end, an SVG handler,
/// and template syntax that must stay text.
const PAYLOAD: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>' onmouseover='alert(2)' \
                       ]]></script></title><!-- --><svg onload=alert(3)>{{ config.title }}{% if true %}T{% endif %}&amp;";

/// Raw pieces of `PAYLOAD` that must never reach an HTML, SVG or XML file as they are.
const RAW: [&str; 6] =
    ["<script", "<img src=x", "<svg onload", "' onmouseover='", "\" onmouseover", "<!-- -->"];

/// `s` as a TOML basic string (JSON's string escapes are TOML's too).
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// The chart kinds, each drawn once from the payload dataset.
const KINDS: [&str; 8] =
    ["bar", "hbar", "stacked-bar", "grouped-bar", "pie", "donut", "waffle", "line"];

/// A site with `PAYLOAD` in every string field; with `closed`, the payload is
/// also a term of each closed vocabulary.
fn payload_site(closed: bool) -> TestSite {
    let p = q(PAYLOAD);
    let p2 = q(&format!("{PAYLOAD} 2"));
    let mut book = format!(
        "[book]\ntitle = {p}\nsubtitle = {p}\ndescription = {p}\nauthors = [{p}, {p2}]\n\n\
         [site]\nbase_url = \"https://example.org/\"\n\n[languages.fr]\ntitle = {p}\n\n\
         [extra]\npayload = {p}\nlist = [{p}]\nnested = {{ deeper = {p} }}\n"
    );
    if closed {
        book.push_str(&format!(
            "\n[taxonomies]\nareas = [{p}]\nissues = [{p}]\nregions = [{p}]\ncompanies = [{p}]\n"
        ));
    }
    let figures: String =
        KINDS.iter().map(|k| format!("{{{{ figure(id=\"f-{k}\") }}}}\n\n")).collect();
    let index = format!(
        "+++\ndescription = {p}\n+++\n\n## Figures\n\n{figures}See {{{{ figref(id=\"f-bar\") }}}} and \
         {{{{ value(data=\"xss\", key=\"v\") }}}}.\n"
    );
    let chapter = format!("+++\ntitle = {p}\ndescription = {p}\n+++\n\nText.\n");
    let case = format!(
        "+++\ntitle = {p}\ndescription = {p}\ndate = 2018-01-01\nsummary = {p}\narea = {p}\n\
         issues = [{p}]\nregions = [{p}]\n\n[[companies]]\nname = {p}\nhq = {p}\nresponse = \"responded\"\n\
         response_url = \"https://example.org/?q='onmouseover='alert(1)//\"\n\n[[sources]]\ntitle = {p}\n\
         url = \"https://example.org/'onmouseover='alert(2)\"\n\n[[sources]]\ntitle = {p}\n+++\n\nBody.\n"
    );
    let (x, n, m) = (q(PAYLOAD), q(&format!("{PAYLOAD} n")), q(&format!("{PAYLOAD} m")));
    let mut data =
        format!("title = {p}\nsource = {p}\nnote = {p}\nunit = {p}\n\n[values]\nv = 0.5\n\n");
    for i in 1..=3 {
        let label = q(&format!("{PAYLOAD} row {i}"));
        data.push_str(&format!("[[rows]]\n{x} = {label}\n{n} = {i}\n{m} = {}\n\n", 4 - i));
    }
    for kind in KINDS {
        let y = if kind.contains("-bar") || kind == "line" {
            format!("[{n}, {m}]")
        } else {
            format!("[{n}]")
        };
        data.push_str(&format!(
            "[[figures]]\nid = \"f-{kind}\"\nkind = \"{kind}\"\ntitle = {p}\ncaption = {p}\nx = {x}\ny = {y}\n\n"
        ));
    }
    // A site template that prints [extra], in text and in an attribute.
    let template = "{% extends \"base.html\" %}\n{% block main %}\n<p title=\"{{ config.extra.payload }}\">\
                    {{ config.extra.payload }}</p>\n<ul>{% for x in config.extra.list %}<li>{{ x }}</li>{% endfor %}</ul>\n\
                    <p>{{ config.extra.nested.deeper }}</p>\n{% endblock main %}\n";
    TestSite::new()
        .file("book.toml", &book)
        .file("content/index.md", &index)
        .file("content/chapter.md", &chapter)
        .file("content/cases/c.md", &case)
        .file("data/xss.toml", &data)
        .file("templates/404.html", template)
}

/// Builds `site` through the binary; it must build.
fn build(site: &TestSite) {
    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 0, "{stderr}");
}

/// The names and values of every attribute of every tag in `html`. The scan
/// knows quotes, so it finds exactly the attributes a browser would.
fn tag_attributes(html: &str) -> Vec<(String, String)> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' || !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        // Skip the tag name.
        i += 1;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
            i += 1;
        }
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let start = i;
            while i < bytes.len() && !b"=> \t\n\r/".contains(&bytes[i]) {
                i += 1;
            }
            let name = html[start..i].to_ascii_lowercase();
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                match bytes.get(i) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let end =
                            html[i + 1..].find(quote as char).map_or(bytes.len(), |e| i + 1 + e);
                        value = html[i + 1..end].to_string();
                        i = end + 1;
                    }
                    _ => {
                        let start = i;
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                        value = html[start..i].to_string();
                    }
                }
            }
            if name.is_empty() {
                i += 1;
                continue;
            }
            out.push((name, value));
        }
    }
    out
}

/// Is `url` (an attribute value as written) a script address?
fn is_script_url(url: &str) -> bool {
    let decoded = url.replace("&#x09;", "").replace("&#9;", "").replace("&colon;", ":");
    let plain: String = decoded
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"].iter().any(|s| plain.starts_with(s))
}

/// Fails on any element or attribute an XML document has no business holding.
#[track_caller]
fn assert_inert_xml(file: &str, text: &str) {
    let doc = roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("{file} is not well-formed XML: {e}\n{text}"));
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        let name = node.tag_name().name().to_ascii_lowercase();
        assert!(
            !matches!(name.as_str(), "script" | "img" | "foreignobject" | "iframe"),
            "{file}: a <{name}> element"
        );
        for a in node.attributes() {
            let attr = a.name().to_ascii_lowercase();
            assert!(!attr.starts_with("on"), "{file}: an {attr} attribute on <{name}>");
            if matches!(attr.as_str(), "href" | "src") {
                assert!(!is_script_url(a.value()), "{file}: {attr}={:?}", a.value());
            }
        }
    }
}

/// The page without the theme's own scripts: the search box's loader (on
/// every page), an embed page's poster of its height, and search.js and
/// briefing.js. None holds a string from the site, so no payload can hide
/// in them.
fn without_theme_scripts(html: &str) -> String {
    let mut out = html.to_string();
    for start in [
        "<script>(function(){var q=document.getElementById(\"site-search\");",
        "<script>(function(){function post(){parent.postMessage(",
        "<script src=\"",
    ] {
        while let Some(at) = out.find(start) {
            let end = at + out[at..].find("</script>").expect("</script>") + "</script>".len();
            let element = &out[at..end];
            let is_ours = start.len() > 20
                || element.contains("/search.")
                    && element.ends_with(".js\" data-search-script defer></script>")
                || element.contains("/briefing.") && element.ends_with(".js\" defer></script>");
            assert!(is_ours, "a script that is not the theme's: {element}");
            out.replace_range(at..end, "");
        }
    }
    out
}

/// Checks every output file of `site` for the payload.
fn assert_payload_is_inert(site: &TestSite) {
    let files = site.files();
    assert!(files.len() > 20, "{files:?}");
    let mut svgs_seen = 0;
    for file in &files {
        if file.ends_with(".png") {
            // Pixels: the payload can only be drawn as text, never run.
            continue;
        }
        let text = site.read(file);
        if file.ends_with(".html") {
            let text = without_theme_scripts(&text);
            for raw in RAW {
                assert!(!text.contains(raw), "{file} holds {raw:?}:\n{text}");
            }
            for (name, value) in tag_attributes(&text) {
                assert!(!name.starts_with("on"), "{file}: an {name} attribute ({value:?})");
                if matches!(name.as_str(), "href" | "src" | "action" | "formaction" | "xlink:href")
                {
                    assert!(!is_script_url(&value), "{file}: {name}={value:?}");
                }
            }
            for attr in ["href", "src"] {
                for v in attr_values(&text, attr) {
                    assert!(!is_script_url(v), "{file}: {attr}={v:?}");
                }
            }
            // Inline charts are XML too.
            let mut rest = text.as_str();
            while let Some(start) = rest.find("<svg") {
                let end = rest[start..].find("</svg>").map(|e| start + e + 6).expect("</svg>");
                assert_inert_xml(file, &rest[start..end]);
                svgs_seen += 1;
                rest = &rest[end..];
            }
        } else if file.ends_with(".svg") || file.ends_with(".xml") {
            for raw in RAW {
                assert!(!text.contains(raw), "{file} holds {raw:?}:\n{text}");
            }
            assert_inert_xml(file, &text);
        } else if file.contains("search/") && file.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!text.contains(['<', '>', '&']), "{file} is not safe to inline:\n{text}");
        } else if file.ends_with(".json") {
            let value: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(value["title"], PAYLOAD, "{file} keeps the title as it was written");
        }
    }
    assert!(svgs_seen >= KINDS.len(), "every figure's chart was checked ({svgs_seen})");
    // The payload did land on the pages (escaped), so the checks above saw it.
    let landed =
        files.iter().filter(|f| f.ends_with(".html") && site.read(f).contains("alert(1)")).count();
    assert!(landed >= 15, "the payload is on {landed} pages only");
    // Template syntax in a string is text, never run.
    let index = site.read("index.html");
    assert!(index.contains("{{ config.title }}"), "{index}");
    assert!(index.contains("{% if true %}T{% endif %}"), "{index}");
}

#[test]
fn the_checks_catch_a_raw_payload() {
    let raw = format!("<p title='x'>{PAYLOAD}</p><a href=\" JaVaScRiPt:alert(1)\">x</a>");
    let attrs = tag_attributes(&raw);
    assert!(attrs.iter().any(|(n, _)| n == "onerror"), "{attrs:?}");
    assert!(attrs.iter().any(|(n, _)| n == "onload"), "{attrs:?}");
    assert!(attrs.iter().any(|(n, v)| n == "href" && is_script_url(v)), "{attrs:?}");
    assert_eq!(RAW.iter().filter(|r| PAYLOAD.contains(**r)).count(), RAW.len() - 1);
    let escaped =
        tag_attributes("<p title=\"&lt;img src=x onerror=alert(1)&gt;\">&lt;img onerror=x&gt;</p>");
    assert_eq!(escaped, [("title".to_string(), "&lt;img src=x onerror=alert(1)&gt;".to_string())]);
}

#[test]
fn payload_in_every_field_with_open_taxonomies_is_inert() {
    let site = payload_site(false);
    build(&site);
    assert_payload_is_inert(&site);
}

#[test]
fn payload_inside_every_closed_vocabulary_is_inert() {
    let site = payload_site(true);
    build(&site);
    assert_payload_is_inert(&site);
}

#[test]
fn payload_comes_out_as_the_same_text_after_unescaping() {
    let site = payload_site(false);
    build(&site);
    let feed = site.read("atom.xml");
    let doc = roxmltree::Document::parse(&feed).expect("the feed is XML");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title") || n.has_tag_name("summary") || n.has_tag_name("name"))
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.iter().filter(|t| **t == PAYLOAD).count() >= 3, "{titles:?}");
    let svg = site.read("figures/f-bar.svg");
    let doc = roxmltree::Document::parse(&svg).expect("the SVG is XML");
    let title = doc.descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text());
    assert!(title.is_some_and(|t| t.ends_with(PAYLOAD)), "the chart's title as written: {title:?}");
    // The escaped form, once, not twice.
    let case = site.read("cases/c/index.html");
    assert!(
        case.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || case.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{case}"
    );
    assert!(!case.contains("&amp;lt;"), "escaped twice:\n{case}");
    // Attribute values hold the quote characters escaped.
    let page = site.read("404.html");
    let title_attr = attr_values(&page, "title").into_iter().find(|v| v.contains("alert(1)"));
    let v = title_attr.unwrap_or_else(|| panic!("no title attribute with the payload:\n{page}"));
    assert!(!v.contains('\'') && !v.contains('<'), "{v}");
}

#[test]
fn json_exports_hold_the_payload_as_exact_json_strings() {
    let site = payload_site(false);
    build(&site);
    let json: serde_json::Value =
        serde_json::from_str(&site.read("data/xss.json")).expect("valid JSON");
    for key in ["title", "source", "note", "unit"] {
        assert_eq!(json[key], PAYLOAD, "{key}");
    }
    assert_eq!(json["columns"][0], PAYLOAD);
    assert_eq!(json["rows"][0][PAYLOAD], format!("{PAYLOAD} row 1"));
}

#[test]
fn json_exports_are_safe_to_inline_in_html() {
    let site = payload_site(false);
    build(&site);
    let text = site.read("data/xss.json");
    assert!(!text.contains('<') && !text.contains('>'), "{text}");
}

/// A case study whose `response_url` (line 12) and source `url` (line 16) are given.
fn case_with_urls(response_url: &str, source_url: &str) -> String {
    format!(
        "+++\ntitle = \"A case\"\ndate = 2018-01-01\nsummary = \"S.\"\narea = \"Mining\"\nissues = []\nregions = []\n\n\
         [[companies]]\nname = \"Acme\"\nresponse = \"responded\"\nresponse_url = {}\n\n[[sources]]\ntitle = \"T\"\n\
         url = {}\n+++\n\nBody.\n",
        q(response_url),
        q(source_url)
    )
}

const SCRIPT_URLS: [&str; 12] = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "\u{1}javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "/relative/path",
    "https://example.org/\" onmouseover=\"alert(1)",
    "mailto:x@example.org?body=<script>",
];

#[test]
fn script_and_relative_addresses_in_url_fields_are_errors_with_position() {
    for url in SCRIPT_URLS {
        for (response_url, source_url, line) in
            [(url, "https://example.org/", 12), ("https://example.org/", url, 16)]
        {
            let site = TestSite::minimal()
                .file("content/cases/c.md", &case_with_urls(response_url, source_url));
            let (status, _, stderr) = site.cli(&["build"]);
            assert_eq!(status, 1, "{url:?} was accepted:\n{stderr}");
            let place = format!("content/cases/c.md:{line}:");
            assert!(stderr.contains(&place), "{url:?}: {place} not in\n{stderr}");
            assert!(stderr.contains("is not a web address"), "{url:?}:\n{stderr}");
            assert!(!site.out().exists(), "nothing is written");
        }
    }
}

#[test]
fn web_and_mail_addresses_in_url_fields_build() {
    let site = TestSite::minimal().file(
        "content/cases/c.md",
        &case_with_urls("mailto:press@example.org", "http://example.org/a?b=c&d=e"),
    );
    build(&site);
    let page = site.read("cases/c/index.html");
    assert!(page.contains("href=\"mailto:press@example.org\""), "{page}");
    assert!(page.contains("href=\"http://example.org/a?b=c&amp;d=e\""), "{page}");
}

#[test]
fn script_base_urls_are_refused() {
    for url in [
        "javascript:alert(1)//",
        "data:text/html,x",
        "//example.org/",
        "https://example.org/\"><script>/",
    ] {
        let book = format!("[book]\ntitle = \"T\"\n\n[site]\nbase_url = {}\n", q(url));
        let site = TestSite::minimal().file("book.toml", &book);
        let (status, _, stderr) = site.cli(&["build"]);
        assert_eq!(status, 1, "{url:?}:\n{stderr}");
        assert!(stderr.contains("book.toml:5:"), "{url:?}:\n{stderr}");
        let site = TestSite::minimal();
        let root = site.root().display().to_string();
        let (status, _, stderr) =
            run_in(site.tmp(), &["build", "--root", &root, "--base-url", url]);
        assert_eq!(status, 2, "--base-url {url:?} is a usage error:\n{stderr}");
    }
}

/// Splits RFC 4180 CSV into records of cells.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(!quoted && cell.is_empty() && record.is_empty(), "the CSV ends with a line end");
    records
}

#[test]
fn csv_cells_that_could_run_as_formulas_are_neutralised() {
    let formulas = [
        "=1+1",
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "=HYPERLINK(\"https://evil.example/\",\"click\")",
        "-",
        "+",
        "=",
        "@",
    ];
    let mut data = String::from("title = \"F\"\nsource = \"S\"\n\n");
    for (i, f) in formulas.iter().enumerate() {
        data.push_str(&format!(
            "[[rows]]\n\"=cmd|' /C calc'!A0\" = {}\nn = {}\n\n",
            q(f),
            -(i as i64) - 1
        ));
    }
    data.push_str("[[rows]]\n\"=cmd|' /C calc'!A0\" = \"-1.5\"\nn = 2.5\n");
    let site = TestSite::minimal().file("data/f.toml", &data);
    build(&site);
    let csv = site.read("data/f.csv");
    let records = parse_csv(&csv);
    assert_eq!(records.len(), formulas.len() + 2, "{csv}");
    for (r, record) in records.iter().enumerate() {
        for cell in record {
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                assert!(
                    cell.parse::<f64>().is_ok_and(f64::is_finite),
                    "record {r}: {cell:?} is live in\n{csv}"
                );
            }
        }
    }
    // Numbers stay numbers, negative ones included; every formula is kept, as text.
    for (i, f) in formulas.iter().enumerate() {
        assert_eq!(records[i + 1][0], format!("'{f}"), "{csv}");
        assert_eq!(records[i + 1][1], format!("-{}", i + 1));
    }
    assert_eq!(records[0][0], "'=cmd|' /C calc'!A0");
    assert_eq!(records.last().expect("rows")[..], ["-1.5".to_string(), "2.5".to_string()]);
}
