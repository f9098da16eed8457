//! `briefing serve`, driven over HTTP on a free loopback port: pages are
//! served with the reload script, a change brings a reload event and the new
//! page, a bad edit brings the errors while the last good pages stay served,
//! traversal attempts fail, and nothing is written to disk.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use common::TestSite;

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
    log: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &TestSite, extra: &[&str]) -> Server {
    start_with_env(site, extra, &[])
}

/// `start`, with the site's root as the current folder and no `--root`.
fn start_here(site: &TestSite) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["serve", "--port", "0"])
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    listen(child)
}

/// `start`, with these environment variables set for the server.
fn start_with_env(site: &TestSite, extra: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["serve", "--root"])
        .arg(site.root())
        .args(["--port", "0"])
        .args(extra)
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    listen(child)
}

/// Reads the log of a server just started until it says its address.
fn listen(mut child: Child) -> Server {
    let stderr = child.stderr.take();
    let (tx, log) = mpsc::channel();
    let mut server = Server { child, addr: String::new(), log };
    thread::spawn(move || {
        for line in BufReader::new(stderr.expect("stderr")).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line = server
            .log
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("serve prints its address");
        assert!(!line.contains("panicked"), "{line}");
        if let Some(at) = line.split(" at http://").nth(1) {
            server.addr = at.split('/').next().expect("address").to_string();
            return server;
        }
    }
}

/// GET `path`; returns the status code, the headers and the body.
fn get(addr: &str, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// Opens the event stream; events arrive on the returned channel as (name, data).
fn events(addr: &str) -> mpsc::Receiver<(String, String)> {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(s, "GET /__briefing/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("send");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut name = String::new();
        let mut data = String::new();
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data.push_str(d);
                data.push('\n');
            } else if line.is_empty()
                && !name.is_empty()
                && tx.send((std::mem::take(&mut name), std::mem::take(&mut data))).is_err()
            {
                break;
            }
        }
    });
    rx
}

fn next_event(rx: &mpsc::Receiver<(String, String)>) -> (String, String) {
    rx.recv_timeout(Duration::from_secs(20)).expect("an event after the change")
}

/// The address of the stylesheet a page links to (`/style.1a2b3c4d.css`).
fn stylesheet(html: &str) -> String {
    let at = html.find("<link rel=\"stylesheet\" href=\"").expect("a stylesheet link") + 29;
    html[at..at + html[at..].find('"').expect("end of href")].to_string()
}

fn site() -> TestSite {
    TestSite::minimal().file("content/about.md", "+++\ntitle = \"About\"\n+++\n\nFirst version.\n")
}

#[test]
fn pages_are_served_with_the_reload_script_and_nothing_is_written() {
    let site = site();
    let server = start(&site, &[]);
    let (status, head, body) = get(&server.addr, "/about/");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("Content-Type: text/html; charset=utf-8"), "{head}");
    assert!(body.contains("First version.") && body.contains("/__briefing/live.js"), "{body}");
    // The theme's stylesheet, at the hashed name the page links to.
    let (status, head, _) = get(&server.addr, &stylesheet(&body));
    assert_eq!(status, 200);
    assert!(head.contains("text/css"), "{head}");
    let (status, head, _) = get(&server.addr, "/about");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /about/"), "{head}");
    let (status, _, body) = get(&server.addr, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the theme's 404 page: {body}");
    assert!(!site.out().exists(), "serve wrote the output folder");
    // The script is only ever added when serving.
    site.build_ok();
    assert!(!site.read("about/index.html").contains("__briefing"));
}

#[test]
fn a_change_brings_a_reload_and_the_new_page() {
    let site = site();
    let server = start(&site, &[]);
    let rx = events(&server.addr);
    thread::sleep(Duration::from_millis(300));
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\n\nSecond version.\n");
    let (name, _) = next_event(&rx);
    assert_eq!(name, "reload");
    let (_, _, body) = get(&server.addr, "/about/");
    assert!(body.contains("Second version."), "{body}");
    // The rebuild parsed the one file saved and rendered only what shows it:
    // the page and the print edition (the search index comes just after).
    let line = loop {
        let line = server.log.recv_timeout(Duration::from_secs(30)).expect("a rebuild line");
        if line.starts_with("rebuilt in") {
            break line;
        }
    };
    assert!(line.contains(": 1 source files parsed, 2 pages rendered,"), "{line}");
}

#[test]
fn a_bad_edit_shows_the_errors_and_keeps_the_last_good_site() {
    let site = site();
    let server = start(&site, &[]);
    let rx = events(&server.addr);
    thread::sleep(Duration::from_millis(300));
    site.write("content/about.md", "+++\ntitle = \"About\"\nwieght = 1\n+++\n\nBroken version.\n");
    let (name, data) = next_event(&rx);
    assert_eq!(name, "errors");
    assert!(data.contains("content/about.md:3:1: error: unknown key `wieght`"), "{data}");
    assert!(data.contains("= help:"), "{data}");
    let (status, _, body) = get(&server.addr, "/about/");
    assert_eq!(status, 200);
    assert!(body.contains("First version."), "the last good page: {body}");
    // Fixing the file clears the errors with a reload.
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\n\nFixed version.\n");
    let (name, _) = next_event(&rx);
    assert_eq!(name, "reload");
    assert!(get(&server.addr, "/about/").2.contains("Fixed version."));
    // A deleted file is a rebuild too, not a crash.
    site.remove("content/about.md");
    let (name, _) = next_event(&rx);
    assert_eq!(name, "reload");
    assert_eq!(get(&server.addr, "/about/").0, 404);
    // A renamed folder: the front page is gone, an error, not a crash.
    std::fs::rename(site.root().join("content"), site.root().join("content-old")).unwrap();
    let (name, data) = next_event(&rx);
    assert_eq!(name, "errors");
    assert!(data.contains("the front page is missing"), "{data}");
    assert_eq!(get(&server.addr, "/").0, 200, "the last good site is still served");
    std::fs::rename(site.root().join("content-old"), site.root().join("content")).unwrap();
    let (name, _) = next_event(&rx);
    assert_eq!(name, "reload");
    assert!(server.log.try_iter().all(|l| !l.contains("panicked")));
}

#[test]
fn traversal_attempts_get_404() {
    let site = site();
    let server = start(&site, &[]);
    for path in [
        "/../book.toml",
        "/%2e%2e/book.toml",
        "/%2E%2E%2Fbook.toml",
        "/about/..%2f..%2fbook.toml",
        "/..\\book.toml",
        "/%5c..%5cbook.toml",
        "/content/about.md",
    ] {
        let (status, _, body) = get(&server.addr, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("base_url"), "{path} leaked book.toml");
    }
}

#[test]
fn a_busy_port_is_a_clear_error_naming_the_port() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("addr").port().to_string();
    let site = site();
    let out = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["serve", "--root"])
        .arg(site.root())
        .args(["--port", &port])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("port {port} on 127.0.0.1 is busy")), "{stderr}");
}

#[test]
fn a_change_to_css_alone_refreshes_styles_without_a_reload() {
    let site = site().file("static/style.css", "body { color: black; }\n");
    let server = start(&site, &[]);
    let old = stylesheet(&get(&server.addr, "/about/").2);
    assert!(get(&server.addr, &old).2.contains("black"));
    let rx = events(&server.addr);
    thread::sleep(Duration::from_millis(300));
    site.write("static/style.css", "body { color: navy; }\n");
    // The stylesheet has a new name, which every page links to instead of
    // the old one: the event names both, so open pages swap the link.
    let (name, data) = next_event(&rx);
    assert_eq!(name, "css", "{data}");
    let new = stylesheet(&get(&server.addr, "/about/").2);
    assert_ne!(new, old);
    assert_eq!(data.trim(), format!("{} {}", &old[1..], &new[1..]));
    assert!(get(&server.addr, &new).2.contains("navy"));
    assert_eq!(get(&server.addr, &old).0, 404, "the old stylesheet is gone");
    // The site's file is also served under its own name, as it is.
    assert!(get(&server.addr, "/style.css").2.contains("navy"));
}

#[test]
fn a_burst_of_saves_through_temporary_files_is_one_rebuild() {
    let site = site().file("content/more.md", "+++\ntitle = \"More\"\n+++\n\nFirst more.\n");
    let server = start(&site, &[]);
    let rx = events(&server.addr);
    thread::sleep(Duration::from_millis(300));
    // As editors save ("save all"): for each page a temporary file, then a
    // rename onto the page; two pages, then the first again, back to back.
    for (page, text) in
        [("about", "Second about."), ("more", "Second more."), ("about", "Third about.")]
    {
        let tmp = format!("content/.{page}.md.swp");
        site.write(&tmp, format!("+++\ntitle = \"{page}\"\n+++\n\n{text}\n"));
        std::fs::rename(site.root().join(&tmp), site.root().join(format!("content/{page}.md")))
            .unwrap();
    }
    let (name, _) = next_event(&rx);
    assert_eq!(name, "reload");
    assert!(get(&server.addr, "/about/").2.contains("Third about."));
    assert!(get(&server.addr, "/more/").2.contains("Second more."));
    // One rebuild for the burst (`start` read the first build's line).
    thread::sleep(Duration::from_millis(1000));
    let rebuilds: Vec<String> =
        server.log.try_iter().filter(|l| l.starts_with("rebuilt in")).collect();
    assert_eq!(rebuilds.len(), 1, "one rebuild: {rebuilds:?}");
    assert!(rebuilds[0].contains(": 2 source files parsed,"), "{rebuilds:?}");
}

/// Sends `raw` as a request and returns the status of the answer (0 if none).
fn raw_status(addr: &str, raw: &[u8]) -> u16 {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(15))).expect("timeout");
    let _ = s.write_all(raw);
    let mut got = Vec::new();
    let _ = s.read_to_end(&mut got);
    let text = String::from_utf8_lossy(&got);
    text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

/// The number of threads of a process (Linux).
fn threads(pid: u32) -> Option<usize> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("Threads:")).and_then(|n| n.trim().parse().ok())
}

#[test]
fn requests_past_their_bounds_get_an_answer_not_memory_or_threads() {
    let site = site();
    let server = start(&site, &[]);
    let addr = server.addr.as_str();
    // A request line of 20 KB, a header of 100 KB, 10,000 short headers.
    let long_target = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(20_000));
    assert_eq!(raw_status(addr, long_target.as_bytes()), 414);
    let long_header = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "b".repeat(100_000));
    assert_eq!(raw_status(addr, long_header.as_bytes()), 431);
    let many = format!("GET / HTTP/1.1\r\n{}\r\n", "X-A: 1\r\n".repeat(10_000));
    assert_eq!(raw_status(addr, many.as_bytes()), 431);
    // Bytes that are not UTF-8 in the path: an answer, not a closed connection.
    assert_eq!(raw_status(addr, b"GET /\xff\xfe HTTP/1.1\r\n\r\n"), 400);
    // A path that starts with // redirects to a path of this server, never to another host.
    let (status, head, _) = get(addr, "//about");
    assert_eq!(status, 301, "{head}");
    assert!(head.contains("\r\nLocation: /about/\r\n"), "{head}");
    // Held connections: past the bound, a busy answer, and no thread each.
    let held: Vec<TcpStream> =
        (0..200).map(|_| TcpStream::connect(addr).expect("connect")).collect();
    thread::sleep(Duration::from_millis(500));
    let n = threads(server.child.id()).expect("Linux /proc");
    assert!(n < 100, "{n} threads for 200 held connections");
    assert_eq!(raw_status(addr, b"GET / HTTP/1.1\r\n\r\n"), 503, "busy while 200 are held");
    drop(held);
    thread::sleep(Duration::from_millis(500));
    assert_eq!(get(addr, "/about/").0, 200, "served again once they are gone");
}

/// Waits for a reload after which `path` answers `status`, and the page holds `text`.
#[track_caller]
fn reloads_to(
    server: &Server,
    rx: &mpsc::Receiver<(String, String)>,
    path: &str,
    status: u16,
    text: &str,
) {
    let (name, data) = next_event(rx);
    assert_eq!(name, "reload", "{data}");
    let (got, _, body) = get(&server.addr, path);
    assert_eq!(got, status, "{path}: {body}");
    assert!(body.contains(text), "{path} lacks {text:?}: {body}");
}

#[test]
fn files_created_renamed_and_deleted_are_seen() {
    let site = site();
    let server = start(&site, &[]);
    assert!(
        server
            .log
            .recv_timeout(Duration::from_secs(10))
            .is_ok_and(|l| l.contains("the system's file events")),
        "serve says how it watches"
    );
    let rx = events(&server.addr);
    thread::sleep(Duration::from_millis(200));
    site.write("content/new.md", "+++\ntitle = \"New\"\n+++\n\nA new page.\n");
    reloads_to(&server, &rx, "/new/", 200, "A new page.");
    std::fs::rename(site.root().join("content/new.md"), site.root().join("content/renamed.md"))
        .unwrap();
    reloads_to(&server, &rx, "/renamed/", 200, "A new page.");
    assert_eq!(get(&server.addr, "/new/").0, 404);
    site.remove("content/renamed.md");
    reloads_to(&server, &rx, "/about/", 200, "First version.");
    assert_eq!(get(&server.addr, "/renamed/").0, 404);
}

#[test]
fn folders_moved_in_and_out_and_book_toml_changes_are_seen() {
    let site = site();
    let server = start(&site, &[]);
    let rx = events(&server.addr);
    thread::sleep(Duration::from_millis(200));
    // A folder moved into static/, which did not exist when serve started.
    let outside = site.tmp().join("pictures");
    std::fs::create_dir_all(outside.join("deep")).unwrap();
    std::fs::write(outside.join("deep/a.txt"), "picture a").unwrap();
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::fs::rename(&outside, site.root().join("static/pictures")).unwrap();
    reloads_to(&server, &rx, "/pictures/deep/a.txt", 200, "picture a");
    // A file saved inside the moved-in folder is seen too.
    site.write("static/pictures/deep/b.txt", "picture b");
    reloads_to(&server, &rx, "/pictures/deep/b.txt", 200, "picture b");
    // Moved out again.
    std::fs::rename(site.root().join("static/pictures"), &outside).unwrap();
    reloads_to(&server, &rx, "/about/", 200, "First version.");
    assert_eq!(get(&server.addr, "/pictures/deep/a.txt").0, 404);
    // book.toml: a new title on every page.
    let book = site.source("book.toml").replace("Test briefing", "Renamed briefing");
    site.write("book.toml", book);
    reloads_to(&server, &rx, "/about/", 200, "Renamed briefing");
}

#[test]
fn poll_watches_by_polling_and_says_so() {
    let site = site();
    let server = start(&site, &["--poll"]);
    let line = log_line(&server, "watching");
    assert!(line.contains("polling every 200 ms (--poll)"), "{line}");
    let rx = events(&server.addr);
    thread::sleep(Duration::from_millis(300));
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\n\nPolled version.\n");
    reloads_to(&server, &rx, "/about/", 200, "Polled version.");
    site.write("content/polled.md", "+++\ntitle = \"Polled\"\n+++\n\nNew.\n");
    reloads_to(&server, &rx, "/polled/", 200, "New.");
}

/// A folder holding a fake browser opener (`xdg-open`, or `open` on macOS)
/// that runs `body`, and the PATH that finds it first.
#[cfg(unix)]
fn fake_opener(site: &TestSite, body: &str) -> (std::path::PathBuf, std::ffi::OsString) {
    use std::os::unix::fs::PermissionsExt as _;
    let bin = site.tmp().join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    let name = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    let script = bin.join(name);
    std::fs::write(&script, format!("#!/bin/sh\n{body}\n")).expect("write opener");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut path = std::ffi::OsString::from(&bin);
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    (bin, path)
}

/// Waits for a line of the server's log that contains `needle`.
fn log_line(server: &Server, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let line = server
            .log
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("no line with {needle:?}"));
        if line.contains(needle) {
            return line;
        }
    }
}

#[cfg(unix)]
#[test]
fn open_opens_the_served_address_in_the_browser() {
    let site = site();
    let (bin, path) = fake_opener(&site, "echo \"$@\" > \"$(dirname \"$0\")/opened\"");
    let server = start_with_env(&site, &["--open"], &[("PATH", &path)]);
    let opened = bin.join("opened");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !opened.is_file() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(50));
    }
    let url = std::fs::read_to_string(&opened).expect("the opener was run");
    assert_eq!(url.trim(), format!("http://{}/", server.addr));
    assert!(server.log.try_iter().all(|l| !l.contains("warning")));
}

#[cfg(unix)]
#[test]
fn open_warns_when_no_browser_opens_and_serves_anyway() {
    let site = site();
    let (_, path) = fake_opener(&site, "exit 3");
    let server = start_with_env(&site, &["--open"], &[("PATH", &path)]);
    let line = log_line(&server, "warning:");
    assert!(line.contains("could not open a browser") && line.contains(&server.addr), "{line}");
    assert_eq!(get(&server.addr, "/about/").0, 200);
    // No opener at all.
    let empty = site.tmp().join("empty");
    std::fs::create_dir_all(&empty).expect("empty");
    let server = start_with_env(&site, &["--open"], &[("PATH", empty.as_os_str())]);
    let line = log_line(&server, "warning:");
    assert!(line.contains("cannot run") && line.contains(&server.addr), "{line}");
    assert_eq!(get(&server.addr, "/about/").0, 200);
}

#[test]
fn short_flags_set_the_interface_and_port() {
    let site = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("addr").port();
    drop(taken);
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["-r"])
        .arg(site.root())
        .args(["serve", "-i", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let line = lines.find(|l| l.as_ref().is_ok_and(|l| l.contains(" at http://")));
    let _ = child.kill();
    let _ = child.wait();
    let line = line.expect("an address").expect("text");
    assert!(line.contains(&format!("at http://127.0.0.1:{port}/")), "{line}");
}

#[test]
fn a_site_served_from_its_own_folder_sees_its_changes() {
    // `briefing serve` with no --root: the root is ".", and events name
    // absolute paths.
    let site = site();
    let server = start_here(&site);
    let rx = events(&server.addr);
    thread::sleep(Duration::from_millis(200));
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\n\nSeen from here.\n");
    reloads_to(&server, &rx, "/about/", 200, "Seen from here.");
    site.write("content/here.md", "+++\ntitle = \"Here\"\n+++\n\nA new page.\n");
    reloads_to(&server, &rx, "/here/", 200, "A new page.");
}
