//! `briefing serve`: build in memory, serve the site on loopback, watch the
//! sources and rebuild when they change, and tell open pages to reload (or
//! show the errors) through server-sent events. Nothing is written to disk:
//! the server answers only from the files of the last good build.

use std::io::{BufRead, BufReader, Read as _, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use crate::html::escape_html;
use crate::inventory::Inventory;
use crate::render::SearchPlan;
use crate::session::{Files, Session};
use crate::site::LoadOptions;
use crate::watch::Watch;

/// What the server needs to know.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's root folder.
    pub root: PathBuf,
    /// The address to listen on (loopback unless told otherwise).
    pub(crate) interface: String,
    /// The port (0 picks a free one).
    pub port: u16,
    /// Build drafts too.
    pub drafts: bool,
    /// Open the site in the browser once it is built.
    pub open: bool,
    /// Poll the sources instead of using the system's file events.
    pub poll: bool,
}

/// The site as served: the files of the last good build, and the errors of
/// the last build if it failed.
#[derive(Default)]
struct Served {
    files: Arc<Files>,
    errors: Option<String>,
    /// Bumped on every rebuild, good or bad.
    generation: u64,
    /// When the last good rebuild changed only stylesheets: the ones it
    /// renamed (a hashed name's new hash), `old new` a line.
    css_only: Option<String>,
}

type Shared = Arc<(Mutex<Served>, Condvar)>;

/// How long the deferred search index waits after a rebuild, so that open
/// pages reload before it takes the cores.
const SEARCH_AFTER: Duration = Duration::from_millis(60);

/// The script that reloads pages, injected into HTML only when serving.
const LIVE_PATH: &str = "/__briefing/live.js";
const EVENTS_PATH: &str = "/__briefing/events";

/// Builds, serves and rebuilds until the process is stopped.
///
/// # Errors
/// A busy port or an address that cannot be bound.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let listener = TcpListener::bind((opts.interface.as_str(), opts.port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::anyhow!(
                "port {} on {} is busy: stop what uses it, or pass --port with another number",
                opts.port,
                opts.interface
            )
        } else {
            anyhow::anyhow!("cannot listen on {}:{}: {e}", opts.interface, opts.port)
        }
    })?;
    let addr = listener.local_addr().context("cannot read the listening address")?;
    let shared: Shared = Arc::new((Mutex::new(Served::default()), Condvar::new()));
    let load = LoadOptions { drafts: opts.drafts, base_url: Some(format!("http://{addr}/")) };
    let mut session = Session::new(opts.root.clone(), load);
    // Watching starts before the first look at the sources, so that no
    // change made during the first build is missed.
    let (mut watch, how) = Watch::start(&opts.root, opts.poll);
    let seen = Inventory::take(&opts.root);
    rebuild(&mut session, &shared, &seen, true);
    eprintln!("serving {} at http://{addr}/ (stop with Ctrl-C)", opts.root.display());
    eprintln!("{how}");
    if opts.open {
        open_browser(&format!("http://{addr}/"));
    }
    let watcher = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || {
            let mut last = seen;
            loop {
                let now = watch.next(&last);
                rebuild(&mut session, &shared, &now, false);
                last = now;
            }
        })
    };
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        // At most `MAX_CONNECTIONS` at once: past that, a busy answer at once
        // and no thread (held connections cannot pile up threads).
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = stream.write_all(BUSY.as_bytes());
            continue;
        }
        let (shared, open) = (Arc::clone(&shared), Arc::clone(&open));
        thread::spawn(move || {
            let _ = answer(stream, &shared);
            open.fetch_sub(1, Ordering::SeqCst);
        });
    }
    let _ = watcher.join();
    Ok(())
}

/// Rebuilds what changed; keeps the last good files on failure. The open
/// pages hear of it at once; a search index left for later is made after,
/// and served without a reload.
fn rebuild(session: &mut Session, shared: &Shared, seen: &Inventory, first: bool) {
    let plan = if first { SearchPlan::Now } else { SearchPlan::Defer };
    let result = session.rebuild_seen(plan, seen);
    let (lock, changed) = &**shared;
    let mut served = lock.lock().unwrap_or_else(|e| e.into_inner());
    served.generation += 1;
    let pending = match result {
        Ok(r) => {
            if !r.warnings.is_empty() {
                eprint!("{}", r.warnings.report());
            }
            // Styles alone changed, and the open pages show no errors to clear.
            served.css_only = if !first && served.errors.is_none() {
                restyled(&r, &served.files, &session.files())
            } else {
                None
            };
            eprintln!(
                "rebuilt in {} ms: {} source files parsed, {} pages rendered, {} files changed, {} removed",
                r.took.as_millis(),
                r.parsed,
                r.rendered.len(),
                r.changed.len(),
                r.removed.len()
            );
            served.files = session.files();
            served.errors = None;
            r.search_pending
        }
        Err(diags) => {
            let report = diags.report();
            eprint!("{report}");
            eprintln!("the rebuild failed; still serving the last good build");
            served.errors = Some(report);
            served.css_only = None;
            false
        }
    };
    changed.notify_all();
    drop(served);
    if pending {
        // The index takes every core for a moment: first let the open pages
        // hear of the rebuild and fetch the page again.
        thread::sleep(SEARCH_AFTER);
        match session.finish_search() {
            Ok(r) => {
                eprintln!("search index updated in {} ms", r.took.as_millis());
                lock.lock().unwrap_or_else(|e| e.into_inner()).files = session.files();
            }
            Err(diags) => eprint!("{}", diags.report()),
        }
    }
    crate::memory::give_back();
}

/// Opens `url` in the system's browser, best effort: a warning says so
/// when no opener can be run or it fails (the address is printed anyway).
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let spawned = std::process::Command::new(program)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let url = url.to_string();
    match spawned {
        // The opener may take a moment; serving does not wait for it.
        Ok(mut child) => {
            thread::spawn(move || match child.wait() {
                Ok(status) if status.success() => {}
                Ok(status) => eprintln!(
                    "warning: {program} could not open a browser ({status}); open {url} yourself"
                ),
                Err(e) => eprintln!("warning: {program} failed ({e}); open {url} yourself"),
            });
        }
        Err(e) => eprintln!("warning: cannot run {program} ({e}); open {url} yourself"),
    }
}

/// Connections served at once (pages, their assets, open event streams).
const MAX_CONNECTIONS: usize = 64;
/// The longest request line, and the most a request's headers may take.
const MAX_REQUEST_LINE: usize = 8 * 1024;
const MAX_HEADERS: usize = 32 * 1024;
/// How long a client has to send its request, however slowly it sends.
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// The answer past `MAX_CONNECTIONS`.
const BUSY: &str = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// A request that cannot be answered as asked, and the status that says why.
enum Refused {
    TooLong(&'static str),
    Malformed,
}

/// Reads one line of at most `max` bytes (with its end) before `deadline`.
fn read_bounded(
    reader: &mut BufReader<TcpStream>,
    max: usize,
    deadline: Instant,
) -> std::io::Result<Result<Vec<u8>, ()>> {
    let mut line = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        reader.get_ref().set_read_timeout(Some(left))?;
        let room = (max + 1).saturating_sub(line.len()) as u64;
        let n = (&mut *reader).take(room).read_until(b'\n', &mut line)?;
        if line.ends_with(b"\n") || n == 0 {
            return Ok(Ok(line));
        }
        if line.len() > max {
            return Ok(Err(()));
        }
    }
}

/// The request line of the request on `reader`, its headers read and left
/// aside; or why it is refused.
fn read_request(reader: &mut BufReader<TcpStream>) -> std::io::Result<Result<String, Refused>> {
    let deadline = Instant::now() + REQUEST_DEADLINE;
    let Ok(line) = read_bounded(reader, MAX_REQUEST_LINE, deadline)? else {
        return Ok(Err(Refused::TooLong("414 URI Too Long")));
    };
    let mut total = 0;
    loop {
        let Ok(header) = read_bounded(reader, MAX_HEADERS, deadline)? else {
            return Ok(Err(Refused::TooLong("431 Request Header Fields Too Large")));
        };
        total += header.len();
        if total > MAX_HEADERS {
            return Ok(Err(Refused::TooLong("431 Request Header Fields Too Large")));
        }
        if header.len() <= 2 {
            break;
        }
    }
    Ok(String::from_utf8(line).map_err(|_| Refused::Malformed))
}

/// Answers one HTTP request.
fn answer(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let request = match read_request(&mut reader)? {
        Ok(request) => request,
        Err(refused) => {
            let (status, why) = match refused {
                Refused::TooLong(status) => (status, "the request is too long"),
                Refused::Malformed => ("400 Bad Request", "the request is not UTF-8"),
            };
            let mut out = stream;
            return respond(&mut out, status, "text/plain", why.as_bytes(), false);
        }
    };
    let mut parts = request.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut out,
            "405 Method Not Allowed",
            "text/plain",
            b"only GET and HEAD",
            method == "HEAD",
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path == EVENTS_PATH {
        return events(out, shared);
    }
    if path == LIVE_PATH {
        return respond(
            &mut out,
            "200 OK",
            "text/javascript; charset=utf-8",
            LIVE_JS.as_bytes(),
            method == "HEAD",
        );
    }
    let head = method == "HEAD";
    let (lock, _) = &**shared;
    let served = lock.lock().unwrap_or_else(|e| e.into_inner());
    match lookup(&served.files, path) {
        Lookup::File(name) => {
            let body = &served.files[&name];
            let kind = content_type(&name);
            if kind.starts_with("text/html") {
                let body = inject(body);
                drop(served);
                respond(&mut out, "200 OK", kind, &body, head)
            } else {
                let body = Arc::clone(body);
                drop(served);
                respond(&mut out, "200 OK", kind, &body, head)
            }
        }
        Lookup::Redirect(to) => {
            drop(served);
            let msg = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            out.write_all(msg.as_bytes())
        }
        Lookup::Missing => {
            let body = served
                .files
                .get("404.html")
                .map(|b| inject(b))
                .unwrap_or_else(|| b"not found".to_vec());
            drop(served);
            respond(&mut out, "404 Not Found", "text/html; charset=utf-8", &body, head)
        }
    }
}

/// What a request path names among the served files.
#[derive(Debug, PartialEq, Eq)]
enum Lookup {
    File(String),
    Redirect(String),
    Missing,
}

/// Maps a request path to a served file. Only names of built files can be
/// served, so `..`, encoded or not, and backslashes lead nowhere.
fn lookup(files: &Files, path: &str) -> Lookup {
    let Some(decoded) = percent_decode(path) else { return Lookup::Missing };
    if decoded.contains(['\\', '\0']) || decoded.split('/').any(|s| s == ".." || s == ".") {
        return Lookup::Missing;
    }
    let rel = decoded.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return if files.contains_key(&index) { Lookup::File(index) } else { Lookup::Missing };
    }
    if files.contains_key(rel) {
        return Lookup::File(rel.to_string());
    }
    if files.contains_key(&format!("{rel}/index.html")) {
        // One leading slash: `//fr/cases` must not lead to another host.
        return Lookup::Redirect(format!("/{}/", path.trim_start_matches('/')));
    }
    Lookup::Missing
}

/// Decodes `%XX` escapes of a URL path; `None` when an escape is malformed
/// or the result is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    // The crate keeps a malformed escape as it is: a path with one names no file.
    let well_formed = s.split('%').skip(1).all(|rest| {
        rest.as_bytes().get(..2).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(s).decode_utf8().ok()?;
    Some(decoded.into_owned())
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The page with the live-reload script before `</body>` (serve mode only).
fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_PATH}\" defer></script>");
    match memchr::memmem::rfind(html, b"</body>") {
        Some(i) => [&html[..i], tag.as_bytes(), &html[i..]].concat(),
        None => [html, tag.as_bytes()].concat(),
    }
}

fn respond(
    out: &mut TcpStream,
    status: &str,
    kind: &str,
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    out.write_all(header.as_bytes())?;
    if !head {
        out.write_all(body)?;
    }
    out.flush()
}

/// Server-sent events: `reload`, `css` or `errors` after every rebuild.
fn events(mut out: TcpStream, shared: &Shared) -> std::io::Result<()> {
    out.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n")?;
    let (lock, changed) = &**shared;
    let mut seen = {
        let served = lock.lock().unwrap_or_else(|e| e.into_inner());
        // A page opened while the site is broken shows the errors at once.
        if let Some(report) = &served.errors {
            out.write_all(event("errors", &overlay(report)).as_bytes())?;
        }
        served.generation
    };
    out.write_all(b": connected\n\n")?;
    out.flush()?;
    loop {
        let message = {
            let served = lock.lock().unwrap_or_else(|e| e.into_inner());
            let (served, _) = changed
                .wait_timeout_while(served, Duration::from_secs(15), |s| s.generation == seen)
                .unwrap_or_else(|e| e.into_inner());
            if served.generation == seen {
                ": keep-alive\n\n".to_string()
            } else {
                seen = served.generation;
                match (&served.errors, &served.css_only) {
                    (Some(report), _) => event("errors", &overlay(report)),
                    (None, Some(renamed)) => event("css", renamed),
                    (None, None) => event("reload", ""),
                }
            }
        };
        out.write_all(message.as_bytes())?;
        out.flush()?;
    }
}

/// The stylesheets the rebuild `r` renamed (`old new` a line; none when
/// only unhashed ones changed), if stylesheets are all it changed: every
/// file added, changed or removed is a stylesheet, or a page that differs
/// from its `old` bytes only in the renamed stylesheets' addresses (a
/// stylesheet's name carries a hash of its content, so every page links to
/// the new name). `None` when the pages must be reloaded.
fn restyled(r: &crate::session::Rebuild, old: &Files, new: &Files) -> Option<String> {
    let is_css = |p: &str| p.ends_with(".css");
    if r.changed.is_empty() || !r.removed.iter().all(|p| is_css(p)) {
        return None;
    }
    // `style.1a2b3c4d.css` -> `style`.
    let stem = |p: &str| Some(p.strip_suffix(".css")?.rsplit_once('.')?.0.to_string());
    let added: Vec<&String> =
        r.changed.iter().filter(|p| is_css(p) && !old.contains_key(p.as_str())).collect();
    let renamed: Vec<(&str, &str)> = r
        .removed
        .iter()
        .filter_map(|gone| {
            let stem_gone = stem(gone)?;
            let to = added.iter().find(|a| stem(a).as_ref() == Some(&stem_gone))?;
            Some((gone.as_str(), to.as_str()))
        })
        .collect();
    for path in r.changed.iter().filter(|p| !is_css(p)) {
        let (Some(before), Some(after)) = (old.get(path), new.get(path)) else { return None };
        let mut text = String::from_utf8_lossy(before).into_owned();
        for (gone, to) in &renamed {
            text = text.replace(gone, to);
        }
        if text.as_bytes() != after.as_slice() {
            return None;
        }
    }
    Some(renamed.iter().map(|(gone, to)| format!("{gone} {to}\n")).collect())
}

fn event(name: &str, data: &str) -> String {
    let mut s = format!("event: {name}\n");
    for line in data.lines() {
        s.push_str("data: ");
        s.push_str(line);
        s.push('\n');
    }
    if data.is_empty() {
        s.push_str("data: \n");
    }
    s.push('\n');
    s
}

/// The errors as the overlay shows them: escaped text, one block per diagnostic.
fn overlay(report: &str) -> String {
    escape_html(report)
}

const LIVE_JS: &str = r#"(() => {
  const source = new EventSource("/__briefing/events");
  let box = null;
  const clear = () => { if (box) { box.remove(); box = null; } };
  source.addEventListener("reload", () => location.reload());
  source.addEventListener("css", (e) => {
    clear();
    const renamed = e.data.split("\n").filter(Boolean).map((line) => line.split(" "));
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      const to = renamed.find(([from]) => url.pathname.endsWith("/" + from));
      if (to) url.pathname = url.pathname.slice(0, -to[0].length) + to[1];
      else url.searchParams.set("v", Date.now());
      link.href = url.toString();
    }
  });
  source.addEventListener("errors", (e) => {
    clear();
    box = document.createElement("div");
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:1rem;z-index:2147483647;overflow:auto;background:#1b1b1b;color:#f5f5f5;border:3px solid #d55e00;border-radius:6px;padding:1rem;font:14px/1.45 ui-monospace,monospace;white-space:pre-wrap";
    const title = document.createElement("strong");
    title.textContent = "The site has errors; this page is the last good build.\n\n";
    const text = document.createElement("div");
    const tmp = document.createElement("textarea");
    tmp.innerHTML = e.data;
    text.textContent = tmp.value;
    box.append(title, text);
    document.body.append(box);
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_built_files_can_be_looked_up() {
        let files: Files = [("index.html", ""), ("cases/a/index.html", ""), ("style.css", "")]
            .iter()
            .map(|(k, v)| (k.to_string(), Arc::new(v.as_bytes().to_vec())))
            .collect();
        for (path, want) in [
            ("/", Lookup::File("index.html".into())),
            ("/cases/a/", Lookup::File("cases/a/index.html".into())),
            ("/cases/a", Lookup::Redirect("/cases/a/".into())),
            ("/style.css", Lookup::File("style.css".into())),
            ("/../book.toml", Lookup::Missing),
            ("/%2e%2e/book.toml", Lookup::Missing),
            ("/cases/..%2f..%2fbook.toml", Lookup::Missing),
            ("/..\\book.toml", Lookup::Missing),
            ("/%5c..%5cbook.toml", Lookup::Missing),
            ("/cases/%00", Lookup::Missing),
            ("/%zz", Lookup::Missing),
            ("/style%2ecss", Lookup::File("style.css".into())),
            ("/style.css%", Lookup::Missing),
            ("/%ff", Lookup::Missing),
            ("/nope", Lookup::Missing),
        ] {
            assert_eq!(lookup(&files, path), want, "{path}");
        }
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let out = inject(b"<html><body><p>x</p></body></html>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!(
                "<html><body><p>x</p><script src=\"{LIVE_PATH}\" defer></script></body></html>"
            )
        );
    }
}
