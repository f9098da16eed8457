//! `check --external` against a real HTTP server on 127.0.0.1 (a small
//! server in this file, on a free port): good, missing, flaky, slow, silent
//! and HEAD-refusing addresses, how many requests are in flight at once, and
//! that each address is fetched once however many pages link to it.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use briefing::check::{CheckOptions, Checked, check_with};
use briefing::diag::Severity;
use briefing::external::Options;
use briefing::progress::Progress;
use common::TestSite;

/// What the test server saw.
#[derive(Default)]
struct Seen {
    /// The methods of the requests for each path, in order.
    requests: Mutex<BTreeMap<String, Vec<String>>>,
    /// Requests being handled now, and the most at any time.
    open: AtomicUsize,
    most_open: AtomicUsize,
}

/// A small HTTP/1.1 server on 127.0.0.1 that answers by path:
/// `/ok...` 200; `/missing` 404; `/flaky` 500 the first time, then 200;
/// `/no-head` 405 to HEAD and 200 to GET; `/slow...` 200 after 150 ms;
/// `/busy` 503 always; anything else 404. Each connection serves one request.
struct Server {
    addr: SocketAddr,
    seen: Arc<Seen>,
    stop: Arc<AtomicBool>,
    accepting: Option<JoinHandle<()>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let addr = listener.local_addr().expect("address");
        let seen = Arc::new(Seen::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (seen.clone(), stop.clone());
        let accepting = thread::spawn(move || {
            for stream in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let now = s.open.fetch_add(1, Ordering::SeqCst) + 1;
                s.most_open.fetch_max(now, Ordering::SeqCst);
                let s = s.clone();
                thread::spawn(move || serve_one(stream, &s));
            }
        });
        Server { addr, seen, stop, accepting: Some(accepting) }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The methods of the requests for `path`, in order.
    fn requests(&self, path: &str) -> Vec<String> {
        self.seen.requests.lock().expect("lock").get(path).cloned().unwrap_or_default()
    }

    fn request_count(&self) -> usize {
        self.seen.requests.lock().expect("lock").values().map(Vec::len).sum()
    }

    fn most_open(&self) -> usize {
        self.seen.most_open.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.accepting.take() {
            let _ = t.join();
        }
    }
}

fn serve_one(mut stream: TcpStream, seen: &Seen) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut first = head.lines().next().unwrap_or("").split(' ');
    let (method, path) = (first.next().unwrap_or("").to_string(), first.next().unwrap_or(""));
    let before = {
        let mut requests = seen.requests.lock().expect("lock");
        let list = requests.entry(path.to_string()).or_default();
        list.push(method.clone());
        list.len() - 1
    };
    // Redirects: where each leads.
    let location = match path {
        "/to-file" => Some("file:///etc/passwd"),
        "/to-ok" => Some("/ok-after-a-redirect"),
        "/to-relative" => Some("ok-relative"),
        "/to-missing" => Some("/missing"),
        "/loop" => Some("/loop"),
        _ => None,
    };
    let status = match path {
        _ if location.is_some() => 302,
        p if p.starts_with("/ok") => 200,
        "/missing" => 404,
        "/flaky" if before == 0 => 500,
        "/flaky" => 200,
        "/no-head" if method == "HEAD" => 405,
        "/no-head" => 200,
        p if p.starts_with("/slow") => {
            thread::sleep(Duration::from_millis(150));
            200
        }
        "/busy" => 503,
        _ => 404,
    };
    // The request is done before the answer leaves, so that the client's
    // next request can never be counted while this one still is.
    seen.open.fetch_sub(1, Ordering::SeqCst);
    let body = if method == "HEAD" { "" } else { "ok" };
    let location = location.map(|l| format!("Location: {l}\r\n")).unwrap_or_default();
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\n{location}Content-Length: 2\r\nConnection: close\r\n\r\n{body}"
    );
}

/// Options for tests: short waits, so that retries and timeouts stay quick.
fn quick() -> Options {
    Options {
        concurrency: 8,
        timeout: Duration::from_secs(5),
        retries: 2,
        backoff: Duration::from_millis(10),
    }
}

/// A site whose chapter `about.md` has `body` from line 7 on.
fn chapter(body: &str) -> TestSite {
    TestSite::minimal()
        .file("content/about.md", &format!("+++\ntitle = \"About\"\n+++\n\n## Methods\n\n{body}\n"))
}

fn check(site: &TestSite, opts: Options) -> Checked {
    let opts = CheckOptions { drafts: false, external: Some(opts) };
    match check_with(site.root(), &opts, &Progress::hidden()) {
        Ok(checked) => checked,
        Err(d) => panic!("the site does not render:\n{}", d.report()),
    }
}

#[test]
fn a_good_link_passes() {
    let server = Server::start();
    let site = chapter(&format!("See [it]({}).", server.url("/ok")));
    let checked = check(&site, quick());
    let report = checked.external.as_ref().expect("external links were checked");
    assert!(!checked.has_errors(), "{}", report.text());
    // The page's canonical link, under the site's own base_url, is not fetched.
    assert_eq!((report.checked, report.broken, report.pages.len()), (1, 0, 0), "{}", report.text());
    assert_eq!(server.requests("/ok"), ["HEAD"]);
    assert!(site.files().is_empty(), "check wrote {:?}", site.files());
}

#[test]
fn a_404_is_reported_under_its_page_at_its_line() {
    let server = Server::start();
    let missing = server.url("/missing");
    let site =
        chapter(&format!("Text.\n\nSee [the list]({missing}) and [this]({}).", server.url("/ok")));
    let checked = check(&site, quick());
    let report = checked.external.expect("external links were checked");
    assert!(report.has_errors());
    assert_eq!((report.checked, report.broken), (2, 1));
    assert_eq!(report.pages.len(), 1, "{}", report.text());
    let page = &report.pages[0];
    assert_eq!(page.page, "about/index.html");
    assert_eq!(page.source.as_deref(), Some("content/about.md"));
    assert_eq!(page.problems.len(), 1, "{}", report.text());
    let d = &page.problems[0];
    assert_eq!((d.path.as_str(), d.line, d.col), ("content/about.md", 9, 16), "{d}");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.message, format!("broken link {missing:?}: the server answered 404 Not Found"));
    let text = report.text();
    assert!(text.starts_with("in about/index.html, made from content/about.md:\ncontent/about.md:9:16: error: broken link"), "{text}");
    assert!(text.ends_with("external links: 2 checked, 1 broken, 0 may be broken\n"), "{text}");
    // A 404 is not worth asking again.
    assert_eq!(server.requests("/missing"), ["HEAD"]);
}

#[test]
fn a_broken_address_in_front_matter_is_placed_there_and_on_template_pages() {
    let server = Server::start();
    let missing = server.url("/missing");
    let case = format!(
        "+++\ntitle = \"A case\"\ndate = 2018-07-01\nsummary = \"S.\"\narea = \"Manufacturing\"\n\n[[companies]]\nname = \"Acme\"\nresponse = \"responded\"\nresponse_url = \"{missing}\"\n+++\n\nBody.\n"
    );
    let site = TestSite::minimal().file("content/cases/a-case.md", &case);
    let report = check(&site, quick()).external.expect("checked");
    let text = report.text();
    assert_eq!(report.broken, 1, "{text}");
    let case_page = report.pages.iter().find(|p| p.page == "cases/a-case/index.html");
    let case_page = case_page.unwrap_or_else(|| panic!("no case page in:\n{text}"));
    let d = &case_page.problems[0];
    assert_eq!((d.path.as_str(), d.line, d.col), ("content/cases/a-case.md", 10, 17), "{text}");
    let company = report.pages.iter().find(|p| p.page == "companies/acme/index.html");
    let company = company.unwrap_or_else(|| panic!("no company page in:\n{text}"));
    assert_eq!(company.source, None);
    let d = &company.problems[0];
    assert_eq!(d.path, "companies/acme/index.html (output)");
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("the address is in content/cases/a-case.md:10")),
        "{text}"
    );
    assert_eq!(server.requests("/missing").len(), 1, "fetched once for both pages");
}

#[test]
fn a_500_then_200_passes_thanks_to_a_retry() {
    let server = Server::start();
    let site = chapter(&format!("[flaky]({})", server.url("/flaky")));
    let checked = check(&site, quick());
    let report = checked.external.expect("checked");
    assert_eq!((report.checked, report.broken, report.doubtful), (1, 0, 0), "{}", report.text());
    assert_eq!(server.requests("/flaky"), ["HEAD", "HEAD"]);
}

#[test]
fn a_server_that_keeps_failing_is_a_warning_after_every_retry() {
    let server = Server::start();
    let busy = server.url("/busy");
    let site = chapter(&format!("[busy]({busy})"));
    let checked = check(&site, Options { retries: 2, ..quick() });
    assert!(!checked.has_errors());
    let report = checked.external.expect("checked");
    assert_eq!((report.broken, report.doubtful), (0, 1));
    let d = &report.pages[0].problems[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        d.message,
        format!(
            "link {busy:?} may be broken: the server answered 503 Service Unavailable (3 tries)"
        )
    );
    assert_eq!(server.requests("/busy").len(), 3);
}

#[test]
fn a_server_that_never_answers_times_out_in_bounded_time() {
    // Connections are accepted by the system into the backlog, and never answered.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/", silent.local_addr().expect("address"));
    let site = chapter(&format!("[silent]({url})"));
    let opts = Options { timeout: Duration::from_millis(300), retries: 1, ..quick() };
    let started = Instant::now();
    let checked = check(&site, opts);
    let took = started.elapsed();
    let report = checked.external.expect("checked");
    assert_eq!(report.broken, 1, "{}", report.text());
    assert_eq!(
        report.pages[0].problems[0].message,
        format!("broken link {url:?}: no answer in time (2 tries)")
    );
    assert!(took >= Duration::from_millis(600), "two tries of 300 ms took {took:?}");
    assert!(took < Duration::from_secs(5), "two tries of 300 ms took {took:?}");
    drop(silent);
}

#[test]
fn a_refused_connection_is_broken() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("address").port()
    };
    let url = format!("http://127.0.0.1:{port}/gone");
    let site = chapter(&format!("[gone]({url})"));
    let report = check(&site, quick()).external.expect("checked");
    assert_eq!(report.broken, 1, "{}", report.text());
    assert!(report.pages[0].problems[0].message.contains("(3 tries)"), "{}", report.text());
}

#[test]
fn head_refused_with_405_falls_back_to_get() {
    let server = Server::start();
    let site = chapter(&format!("[no head]({})", server.url("/no-head")));
    let report = check(&site, quick()).external.expect("checked");
    assert_eq!(report.broken, 0, "{}", report.text());
    assert_eq!(server.requests("/no-head"), ["HEAD", "GET"]);
}

#[test]
fn requests_in_flight_never_exceed_the_bound() {
    let server = Server::start();
    let links: Vec<String> =
        (0..24).map(|i| format!("- [{i}]({})", server.url(&format!("/slow/{i}")))).collect();
    let site = chapter(&links.join("\n"));
    let report = check(&site, Options { concurrency: 3, ..quick() }).external.expect("checked");
    assert_eq!((report.checked, report.broken), (24, 0), "{}", report.text());
    assert_eq!(server.request_count(), 24);
    let most = server.most_open();
    assert!(most <= 3, "{most} requests were in flight at once");
    assert!(most >= 2, "the requests did not overlap at all ({most})");
}

#[test]
fn the_default_bound_is_8() {
    let server = Server::start();
    let links: Vec<String> =
        (0..40).map(|i| format!("- [{i}]({})", server.url(&format!("/slow/{i}")))).collect();
    let site = chapter(&links.join("\n"));
    let opts = Options { timeout: quick().timeout, backoff: quick().backoff, ..Options::default() };
    let report = check(&site, opts).external.expect("checked");
    assert_eq!(report.broken, 0, "{}", report.text());
    assert!(server.most_open() <= 8, "{} requests were in flight at once", server.most_open());
}

#[test]
fn the_same_address_on_many_pages_is_fetched_once() {
    let server = Server::start();
    let (ok, missing) = (server.url("/ok"), server.url("/missing"));
    let mut site = TestSite::minimal();
    for n in 1..=6 {
        site = site.file(
            &format!("content/chapter-{n}.md"),
            &format!(
                "+++\ntitle = \"Chapter {n}\"\n+++\n\n[a]({ok}) [b]({ok}#part) [c]({missing})\n"
            ),
        );
    }
    let report = check(&site, quick()).external.expect("checked");
    assert_eq!((report.checked, report.broken), (2, 1), "{}", report.text());
    assert_eq!(server.requests("/ok"), ["HEAD"]);
    assert_eq!(server.requests("/missing"), ["HEAD"]);
    let pages: Vec<&str> = report.pages.iter().map(|p| p.page.as_str()).collect();
    let want: Vec<String> = (1..=6).map(|n| format!("chapter-{n}/index.html")).collect();
    assert_eq!(pages, want, "the broken link is reported on each page");
    for p in &report.pages {
        assert_eq!((p.problems.len(), p.problems[0].line), (1, 5), "{}", report.text());
    }
}

#[test]
fn cli_check_external_exits_1_with_the_report_grouped_by_page() {
    let server = Server::start();
    let missing = server.url("/missing");
    let site =
        chapter(&format!("Text.\n\nSee [the list]({missing}) and [this]({}).", server.url("/ok")));
    let (status, _, stderr) = site.cli(&["check", "--external", "--timeout", "5"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "in about/index.html, made from content/about.md:\ncontent/about.md:9:16: error: broken link {missing:?}: the server answered 404 Not Found\n"
        )),
        "{stderr}"
    );
    assert!(stderr.ends_with("external links: 2 checked, 1 broken, 0 may be broken\n"), "{stderr}");
    assert!(!site.out().exists(), "check wrote its output");

    site.write(
        "content/about.md",
        format!("+++\ntitle = \"About\"\n+++\n\n[this]({})\n", server.url("/ok")),
    );
    let (status, _, stderr) = site.cli(&["check", "--external", "--concurrency", "2"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.ends_with("external links: 1 checked, 0 broken, 0 may be broken\nno errors found\n"),
        "{stderr}"
    );
}

#[test]
fn cli_check_without_external_touches_no_network() {
    let server = Server::start();
    let site = chapter(&format!("[gone]({})", server.url("/missing")));
    let (status, _, stderr) = site.cli(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(!stderr.contains("external"), "{stderr}");
    assert_eq!(server.request_count(), 0);
}

#[test]
fn cli_external_options_need_external_and_sane_values() {
    let site = chapter("Text.");
    for args in [
        &["check", "--timeout", "1"][..],
        &["check", "--concurrency", "2"],
        &["check", "--external", "--timeout", "0"],
        &["check", "--external", "--timeout", "soon"],
        &["check", "--external", "--concurrency", "0"],
        &["check", "--external", "--retries", "99"],
    ] {
        let (status, _, stderr) = site.cli(args);
        assert_eq!(status, 2, "briefing {args:?}:\n{stderr}");
    }
}

#[test]
fn redirects_are_followed_as_a_browser_would_and_one_off_the_web_is_broken() {
    let server = Server::start();
    let links = ["/to-file", "/to-ok", "/to-relative", "/to-missing", "/loop"]
        .map(|p| format!("[{p}]({})", server.url(p)))
        .join("\n\n");
    let site = chapter(&links);
    let checked = check(&site, quick());
    let text = checked.external.as_ref().expect("checked").text();
    assert!(text.contains("it redirects to a file: address, which is not on the web"), "{text}");
    assert!(text.contains("more than 10 redirects"), "{text}");
    assert!(text.contains("404"), "{text}");
    // The file: address was never asked for on the same host.
    assert!(server.requests("/file:///etc/passwd").is_empty());
    assert_eq!(server.requests("/ok-after-a-redirect"), ["HEAD"], "an absolute path");
    assert_eq!(server.requests("/ok-relative"), ["HEAD"], "a relative one");
    let report = checked.external.as_ref().expect("checked");
    assert_eq!(report.broken, 3, "{text}");
}
