//! External link checking, for `briefing check --external`: every `http`
//! and `https` `href` and `src` of the rendered pages is fetched once, a few
//! at a time (HEAD, then GET where HEAD is refused), with timeouts and
//! retries for failures that may pass. Broken links are reported page by
//! page, at their place in the page's source file when they are written there.
//!
//! The build keeps no record of where external links were written (that would
//! cost every build); the source of a page with a broken link is read again
//! and the address looked up in it.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;
use std::thread;
use std::time::Duration;

use crate::diag::{Code, Diagnostic, Severity};
use crate::linkcheck::{decode_entities, links_of, percent_decode};
use crate::output_file::OutputFile;
use crate::progress::Progress;
use crate::site::Site;

/// How external links are fetched.
#[derive(Debug, Clone)]
pub struct Options {
    /// At most this many requests in flight at once.
    pub concurrency: usize,
    /// How long to wait to connect, and then for each part of the answer.
    pub timeout: Duration,
    /// How many times to try again after a failure that may pass (a timeout, a
    /// connection error, 429 Too Many Requests, a 5xx answer).
    pub retries: u32,
    /// The wait before the first retry; it doubles before each next one.
    pub backoff: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            concurrency: 8,
            timeout: Duration::from_secs(10),
            retries: 2,
            backoff: Duration::from_millis(500),
        }
    }
}

/// The longest wait a `Retry-After` header is granted.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

/// What became of one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// It answered with a success or a redirect to one.
    Ok,
    /// It is broken: a 4xx answer other than 429, or no answer at all after
    /// every retry. The text says why.
    Broken(String),
    /// It still answered 429 or 5xx after every retry: the server is busy or
    /// failing, and the link may well be right. Reported as a warning.
    Doubtful(String),
}

/// The external links of a rendered site.
#[derive(Debug, Default)]
pub struct Links {
    /// Each distinct address to fetch (without its `#fragment`), sorted.
    pub urls: Vec<String>,
    /// The pages that have external links, by output path: each link as
    /// written, and the index of its address in `urls`.
    pub pages: Vec<(String, Vec<(String, usize)>)>,
}

/// Finds the external links of `files`. Addresses under the site's own
/// `base_url` are left out: they are the site itself, which may not be
/// published yet.
pub fn links(site: &Site, files: &[OutputFile]) -> Links {
    let base = site.config.site.base_url.to_ascii_lowercase();
    let scheme = if base.starts_with("http://") { "http:" } else { "https:" };
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut pages = Vec::new();
    // The print edition only repeats the pages' links: each is reported once, at its page.
    let is_print = |p: &str| p == "print/index.html" || p.ends_with("/print/index.html");
    for f in files.iter().filter(|f| f.path.ends_with(".html") && !is_print(&f.path)) {
        let mut written: Vec<String> = links_of(&f.bytes)
            .into_iter()
            .map(|u| decode_entities(u).trim().to_string())
            .filter(|u| is_external(u) && !is_under(u, &base))
            .collect();
        written.sort_unstable();
        written.dedup();
        if written.is_empty() {
            continue;
        }
        let links: Vec<(String, usize)> = written
            .into_iter()
            .map(|w| {
                let url = address(&w, scheme);
                let next = index.len();
                let i = *index.entry(url).or_insert(next);
                (w, i)
            })
            .collect();
        pages.push((f.path.clone(), links));
    }
    // Number the addresses in sorted order, so that the work is the same on every run.
    let mut urls: Vec<(String, usize)> = index.into_iter().collect();
    let mut renumber = vec![0; urls.len()];
    for (sorted, (_, first)) in urls.iter().enumerate() {
        renumber[*first] = sorted;
    }
    for (_, links) in &mut pages {
        for (_, i) in links.iter_mut() {
            *i = renumber[*i];
        }
    }
    urls.sort_unstable_by_key(|(_, i)| renumber[*i]);
    Links { urls: urls.into_iter().map(|(u, _)| u).collect(), pages }
}

/// Is `url` an address on another site (`http:`, `https:` or `//host`)?
fn is_external(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || (lower.starts_with("//") && !lower.starts_with("///"))
}

/// Is `url` the site itself, whose base URL (lowercase, ending in `/`) is `base`?
fn is_under(url: &str, base: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let bare = base.trim_end_matches('/');
    let rest = lower.strip_prefix(bare).or_else(|| {
        // A protocol-relative link to the site.
        let host_and_path = bare.split_once("//").map(|(_, r)| r)?;
        lower.strip_prefix("//")?.strip_prefix(host_and_path)
    });
    rest.is_some_and(|r| r.is_empty() || r.starts_with(['/', '?', '#']))
}

/// The address to fetch for a link as written: no fragment, a scheme, an
/// international host name in its ASCII form (punycode, `xn--`), and
/// characters that may not stand in an address percent-encoded.
fn address(written: &str, scheme: &str) -> String {
    let without = written.split('#').next().unwrap_or(written);
    let mut out = String::with_capacity(without.len() + 8);
    if without.starts_with("//") {
        out.push_str(scheme);
    }
    let (host_at, host_end) = host_span(without);
    let host = &without[host_at..host_end];
    let ascii_host = if host.is_ascii() {
        None
    } else {
        // A port, or credentials, stay as they are; the name is converted.
        let (name, port) = host
            .rsplit_once(':')
            .filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit()))
            .unwrap_or((host, ""));
        idna::domain_to_ascii(name)
            .ok()
            .map(|a| if port.is_empty() { a } else { format!("{a}:{port}") })
    };
    for (i, b) in without.bytes().enumerate() {
        if let Some(a) = &ascii_host {
            if i == host_at {
                out.push_str(a);
            }
            if (host_at..host_end).contains(&i) {
                continue;
            }
        }
        if b.is_ascii_graphic()
            && !matches!(b, b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}')
        {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Where the host of an address starts and ends (after `//`, up to the next
/// `/`, `?` or `#`); an empty span when it has none.
fn host_span(url: &str) -> (usize, usize) {
    let Some(i) = url.find("//") else { return (0, 0) };
    let start = i + 2;
    let end = url[start..].find(['/', '?', '#']).map_or(url.len(), |e| start + e);
    (start, end)
}

/// The address a redirect from `from` to `location` leads to, resolved as
/// a browser would; an error when it leads somewhere a browser would not
/// fetch from the web (`file:`, `data:`, `javascript:`...).
fn redirected(from: &str, location: &str) -> Result<String, String> {
    let location = location.trim();
    let scheme = location.split_once(':').map(|(s, _)| s).filter(|s| {
        !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    });
    let from_scheme = from.split_once("://").map_or("https", |(s, _)| s);
    match scheme {
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {
            Ok(address(location, from_scheme))
        }
        Some(s) => {
            Err(format!("it redirects to a {}: address, which is not on the web", s.to_lowercase()))
        }
        None if location.starts_with("//") => {
            Ok(address(&format!("{from_scheme}:{location}"), from_scheme))
        }
        None => {
            let (_, host_end) = host_span(from);
            let origin = &from[..host_end];
            let joined = if location.starts_with('/') {
                format!("{origin}{location}")
            } else {
                let path = from[host_end..].split(['?', '#']).next().unwrap_or("");
                let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
                format!("{origin}{dir}/{location}")
            };
            Ok(address(&joined, from_scheme))
        }
    }
}

/// Fetches every address of `urls`, at most `opts.concurrency` at once,
/// ticking `progress` once per address. The verdicts are in the order of `urls`.
pub(crate) fn probe_all(urls: &[String], opts: &Options, progress: &Progress) -> Vec<Verdict> {
    let agent = agent(opts);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = opts.concurrency.clamp(1, urls.len().max(1));
    let mut verdicts: Vec<Option<Verdict>> = vec![None; urls.len()];
    thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(url) = urls.get(i) else { break };
                        done.push((i, probe(&agent, url, opts)));
                        progress.tick();
                    }
                    done
                })
            })
            .collect();
        for h in handles {
            // A worker that died leaves its addresses without a verdict (below).
            for (i, v) in h.join().unwrap_or_default() {
                verdicts[i] = Some(v);
            }
        }
    });
    verdicts
        .into_iter()
        .map(|v| v.unwrap_or_else(|| Verdict::Broken("it could not be checked".to_string())))
        .collect()
}

/// The HTTP client: timeouts on every phase, redirects followed, and every
/// status returned as an answer rather than an error.
fn agent(opts: &Options) -> ureq::Agent {
    let t = Some(opts.timeout);
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_resolve(t)
        .timeout_connect(t)
        .timeout_send_request(t)
        .timeout_recv_response(t)
        .timeout_recv_body(t)
        // Redirects are followed by `attempt`, which looks at each one.
        .max_redirects(0)
        .user_agent(concat!("briefing/", env!("CARGO_PKG_VERSION"), " (link checker)"))
        .build()
        .into()
}

/// What one try gave.
enum Attempt {
    /// The server answered with this status (and maybe a `Retry-After` wait).
    Answer(u16, Option<Duration>),
    /// No answer; `transient` when trying again may help.
    Failed { transient: bool, why: String },
}

/// Checks one address: HEAD, then GET if HEAD is not allowed; failures that
/// may pass are tried again `opts.retries` times, waiting longer each time.
pub(crate) fn probe(agent: &ureq::Agent, url: &str, opts: &Options) -> Verdict {
    let mut tries: u32 = 0;
    loop {
        tries += 1;
        let (doubtful, why, retry_after) = match attempt(agent, url) {
            Attempt::Answer(code, _) if code < 400 => return Verdict::Ok,
            Attempt::Answer(code, after) if code == 429 || code >= 500 => {
                (true, format!("the server answered {}", status_text(code)), after)
            }
            Attempt::Answer(code, _) => {
                return Verdict::Broken(format!("the server answered {}", status_text(code)));
            }
            Attempt::Failed { transient: false, why } => return Verdict::Broken(why),
            Attempt::Failed { transient: true, why } => (false, why, None),
        };
        if tries > opts.retries {
            let why = if tries == 1 { why } else { format!("{why} ({tries} tries)") };
            return if doubtful { Verdict::Doubtful(why) } else { Verdict::Broken(why) };
        }
        let backoff = opts.backoff.saturating_mul(1 << (tries - 1).min(10));
        let wait = retry_after.map_or(backoff, |a| a.min(MAX_RETRY_AFTER).max(backoff));
        thread::sleep(wait);
    }
}

/// The most redirects followed from one address.
const MAX_REDIRECTS: usize = 10;

/// One try at `url`, following its redirects: each `Location` is resolved
/// against the address it came from, and one that leaves the web is broken.
fn attempt(agent: &ureq::Agent, url: &str) -> Attempt {
    let mut url = url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        let (code, location, after) = match fetch(agent, &url) {
            Ok(answer) => answer,
            Err(failed) => return failed,
        };
        let Some(location) = location.filter(|_| matches!(code, 301 | 302 | 303 | 307 | 308))
        else {
            return Attempt::Answer(code, after);
        };
        match redirected(&url, &location) {
            Ok(next) => url = next,
            Err(why) => return Attempt::Failed { transient: false, why },
        }
    }
    Attempt::Failed { transient: false, why: format!("more than {MAX_REDIRECTS} redirects") }
}

/// HEAD `url`, then GET if HEAD is not allowed: the status, where it
/// redirects to, and how long it asks to wait.
fn fetch(
    agent: &ureq::Agent,
    url: &str,
) -> Result<(u16, Option<String>, Option<Duration>), Attempt> {
    let r = match agent.head(url).call() {
        // Some servers refuse HEAD; GET is what a reader's browser sends.
        Ok(r) if matches!(r.status().as_u16(), 405 | 501) => agent.get(url).call(),
        other => other,
    };
    // The body is never read: dropping the answer closes the connection.
    let r = r.map_err(failed)?;
    let location = r.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    let (code, after) = answer(&r);
    Ok((code, location, after))
}

/// The status of an answer and the wait its `Retry-After` asks for.
fn answer<B>(r: &ureq::http::Response<B>) -> (u16, Option<Duration>) {
    let after = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    (r.status().as_u16(), after)
}

fn failed(e: ureq::Error) -> Attempt {
    use std::io::ErrorKind;
    use ureq::Error as E;
    let (transient, why) = match e {
        E::Timeout(_) => (true, "no answer in time".to_string()),
        E::HostNotFound => (true, "no such host".to_string()),
        E::ConnectionFailed => (true, "could not connect".to_string()),
        E::Io(io) => {
            let why = match io.kind() {
                ErrorKind::ConnectionRefused => "the connection was refused".to_string(),
                ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => {
                    "the connection was cut".to_string()
                }
                ErrorKind::TimedOut | ErrorKind::WouldBlock => "no answer in time".to_string(),
                ErrorKind::UnexpectedEof => "the server closed the connection".to_string(),
                _ => format!("could not connect: {io}"),
            };
            (true, why)
        }
        E::TooManyRedirects => (false, format!("more than {MAX_REDIRECTS} redirects")),
        E::BadUri(_) | E::Http(_) => {
            (false, "it is not an address that can be fetched".to_string())
        }
        other => (false, other.to_string()),
    };
    Attempt::Failed { transient, why }
}

fn status_text(code: u16) -> String {
    match ureq::http::StatusCode::from_u16(code).ok().and_then(|s| s.canonical_reason()) {
        Some(reason) => format!("{code} {reason}"),
        None => code.to_string(),
    }
}

/// The broken and doubtful external links of a site, page by page.
#[derive(Debug, Default)]
pub struct Report {
    /// How many distinct addresses were fetched.
    pub checked: usize,
    /// How many of them are broken.
    pub broken: usize,
    /// How many of them may be broken (429 or 5xx after every retry).
    pub doubtful: usize,
    /// The pages with a broken or doubtful link, by output path.
    pub pages: Vec<PageReport>,
}

/// One page's broken and doubtful external links.
#[derive(Debug)]
pub struct PageReport {
    /// The page's output path (`cases/x/index.html`).
    pub page: String,
    /// The source file it was made from, if any (`content/cases/x.md`).
    pub source: Option<String>,
    /// One diagnostic per link: at its place in `source` when it is found
    /// there (errors, or warnings for doubtful links), else naming the page.
    pub problems: Vec<Diagnostic>,
}

impl Report {
    /// Is any external link broken (doubtful ones do not count)?
    pub fn has_errors(&self) -> bool {
        self.broken > 0
    }

    /// The report as text: the problems grouped by page, then a count line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for p in &self.pages {
            match &p.source {
                Some(source) => {
                    let _ = writeln!(out, "in {}, made from {source}:", p.page);
                }
                None => {
                    let _ = writeln!(out, "in {}:", p.page);
                }
            }
            for d in &p.problems {
                let _ = writeln!(out, "{d}");
            }
        }
        let _ = writeln!(
            out,
            "external links: {} checked, {} broken, {} may be broken",
            self.checked, self.broken, self.doubtful
        );
        out
    }
}

/// Checks the external links of the rendered `site` (whose sources are under
/// `root`), ticking `progress` once per address.
pub fn check(
    root: &Path,
    site: &Site,
    files: &[OutputFile],
    opts: &Options,
    progress: &Progress,
) -> Report {
    let links = links(site, files);
    progress.stage("checking external links", Some(links.urls.len() as u64));
    let verdicts = probe_all(&links.urls, opts, progress);
    report(root, site, &links, &verdicts)
}

/// The code of an external link's problem: broken, or a warning that it may be.
fn code_of(severity: Severity) -> Code {
    match severity {
        Severity::Error => Code::ExternalBroken,
        Severity::Warning => Code::ExternalMaybeBroken,
    }
}

/// Puts the verdicts on the pages, placing each bad link in its page's source.
fn report(root: &Path, site: &Site, links: &Links, verdicts: &[Verdict]) -> Report {
    let sources: HashMap<String, &str> =
        site.pages.iter().map(|p| (format!("{}index.html", p.path), p.source.as_str())).collect();
    let mut texts: HashMap<&str, Option<String>> = HashMap::new();
    // Where each bad link, as written, was first found in a source file.
    let mut found_at: HashMap<&str, String> = HashMap::new();
    let mut pages = Vec::new();
    for (page, page_links) in &links.pages {
        let source = sources.get(page).copied();
        let mut problems = Vec::new();
        let mut unplaced = Vec::new();
        for (written, i) in page_links {
            let Some((severity, message, advice)) = problem(written, &verdicts[*i]) else {
                continue;
            };
            let text = source.and_then(|s| {
                texts.entry(s).or_insert_with(|| std::fs::read_to_string(root.join(s)).ok()).clone()
            });
            let places = match (&text, source) {
                (Some(text), Some(s)) => places_in(text, written)
                    .into_iter()
                    .map(|span| {
                        let mut d =
                            Diagnostic::error(code_of(severity), s, text, span, message.clone());
                        d.severity = severity;
                        d.with_help(advice)
                    })
                    .collect(),
                _ => Vec::new(),
            };
            if let Some(d) = places.first() {
                found_at.entry(written).or_insert_with(|| format!("{}:{}", d.path, d.line));
                problems.extend(places);
            } else {
                unplaced.push((written.as_str(), severity, message, advice));
            }
        }
        if !problems.is_empty() || !unplaced.is_empty() {
            pages.push((page, source, problems, unplaced));
        }
    }
    let mut report = Report { checked: verdicts.len(), ..Report::default() };
    for v in verdicts {
        match v {
            Verdict::Ok => {}
            Verdict::Broken(_) => report.broken += 1,
            Verdict::Doubtful(_) => report.doubtful += 1,
        }
    }
    for (page, source, mut problems, unplaced) in pages {
        problems.sort_by_key(|d| (d.line, d.col));
        for (written, severity, message, advice) in unplaced {
            let help = match found_at.get(written) {
                Some(at) => format!("the link is written by a template; the address is in {at}"),
                None => format!("the link is written by a template or by raw HTML; {advice}"),
            };
            let mut d =
                Diagnostic::file_error(code_of(severity), &format!("{page} (output)"), message)
                    .with_help(help);
            d.severity = severity;
            problems.push(d);
        }
        report.pages.push(PageReport {
            page: page.clone(),
            source: source.map(str::to_string),
            problems,
        });
    }
    report
}

/// The severity, message and advice for a link with this verdict; `None` when it is fine.
fn problem(written: &str, verdict: &Verdict) -> Option<(Severity, String, &'static str)> {
    match verdict {
        Verdict::Ok => None,
        Verdict::Broken(why) if why.starts_with("the server answered 4") => Some((
            Severity::Error,
            format!("broken link {written:?}: {why}"),
            "if the page has moved, link to where it is now, or to an archived copy",
        )),
        Verdict::Broken(why) if why.starts_with("no answer in time") => Some((
            Severity::Error,
            format!("broken link {written:?}: {why}"),
            "check the address; if the server is only slow, give it longer with --timeout",
        )),
        Verdict::Broken(why) => Some((
            Severity::Error,
            format!("broken link {written:?}: {why}"),
            "check the address in a browser; the server could not be reached from here",
        )),
        Verdict::Doubtful(why) => Some((
            Severity::Warning,
            format!("link {written:?} may be broken: {why}"),
            "the server was busy or failing; check the link again later",
        )),
    }
}

/// Where `written` stands in `text` as a whole address (not the start of a
/// longer one); as written, or else percent-decoded.
fn places_in(text: &str, written: &str) -> Vec<Range<usize>> {
    let decoded = percent_decode(written);
    for needle in [written, decoded.as_str()] {
        let found: Vec<Range<usize>> = text
            .match_indices(needle)
            .map(|(at, _)| at..at + needle.len())
            .filter(|r| {
                let after = text[r.end..].chars().next();
                let before = text[..r.start].chars().next_back();
                after.is_none_or(|c| {
                    c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '>' | '<' | ']')
                }) && before.is_none_or(|c| !c.is_alphanumeric())
            })
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_addresses_are_http_https_and_protocol_relative() {
        for (url, external) in [
            ("https://example.org/x", true),
            ("HTTP://EXAMPLE.ORG", true),
            ("//example.org/x", true),
            ("///x", false),
            ("/x", false),
            ("mailto:a@b.c", false),
            ("ftp://example.org/", false),
            ("#top", false),
            ("", false),
            ("é", false),
        ] {
            assert_eq!(is_external(url), external, "{url}");
        }
    }

    #[test]
    fn links_to_the_site_itself_are_not_external() {
        let base = "https://example.org/ict/";
        for (url, under) in [
            ("https://example.org/ict/", true),
            ("https://example.org/ict", true),
            ("https://EXAMPLE.org/ict/cases/x/", true),
            ("https://example.org/ict#top", true),
            ("//example.org/ict/x", true),
            ("https://example.org/ictx", false),
            ("https://example.org/", false),
            ("http://example.org/ict/", false),
        ] {
            assert_eq!(is_under(url, base), under, "{url}");
        }
    }

    #[test]
    fn addresses_lose_their_fragment_and_get_a_scheme_and_escapes() {
        assert_eq!(address("https://a.org/x#y", "https:"), "https://a.org/x");
        assert_eq!(address("//a.org/x", "http:"), "http://a.org/x");
        assert_eq!(address("https://a.org/a b/é", "https:"), "https://a.org/a%20b/%C3%A9");
    }

    #[test]
    fn international_host_names_are_fetched_in_their_ascii_form() {
        assert_eq!(
            address("https://bücher.example/ü?q=é#frag", "https:"),
            "https://xn--bcher-kva.example/%C3%BC?q=%C3%A9"
        );
        assert_eq!(
            address("//Bücher.example:8080/", "http:"),
            "http://xn--bcher-kva.example:8080/"
        );
        assert_eq!(address("https://例え.テスト/", "https:"), "https://xn--r8jz45g.xn--zckzah/");
    }

    #[test]
    fn redirects_resolve_as_a_browser_resolves_them() {
        let from = "https://a.example/dir/page?x=1";
        assert_eq!(redirected(from, "/b").as_deref(), Ok("https://a.example/b"));
        assert_eq!(redirected(from, "c").as_deref(), Ok("https://a.example/dir/c"));
        assert_eq!(redirected(from, "//b.example/").as_deref(), Ok("https://b.example/"));
        assert_eq!(redirected(from, "HTTP://c.example/").as_deref(), Ok("HTTP://c.example/"));
        assert!(redirected(from, "file:///etc/passwd").is_err());
        assert!(redirected(from, "javascript:alert(1)").is_err());
    }

    #[test]
    fn places_are_whole_addresses() {
        let text = "[a](https://a.org/x) [b](https://a.org/x/y) <https://a.org/x>\nurl = \"https://a.org/x\"";
        let found = places_in(text, "https://a.org/x");
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(&text[found[0].clone()], "https://a.org/x");
        assert!(places_in("see https://a.org/%C3%A9)", "https://a.org/%C3%A9").len() == 1);
        assert_eq!(places_in("[é](https://a.org/é)", "https://a.org/%C3%A9"), vec![5..21]);
        assert!(places_in("nothing here", "https://a.org/").is_empty());
    }

    #[test]
    fn odd_addresses_are_reported_not_panicked_on() {
        let opts = Options {
            timeout: Duration::from_millis(200),
            retries: 0,
            backoff: Duration::ZERO,
            ..Options::default()
        };
        let agent = agent(&opts);
        for url in ["http://", "https://[::1", "http://a:99999/", "http://%zz/", "https:///x"] {
            let v = probe(&agent, url, &opts);
            assert!(matches!(v, Verdict::Broken(_)), "{url}: {v:?}");
        }
    }
}
