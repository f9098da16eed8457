//! A static file server on loopback for the browser tests: serves a built
//! site under its base path, with 404.html (status 404) for anything else.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;

/// Serves `root` at `http://<listener address><base_path>` until the process ends.
pub(crate) fn serve(listener: TcpListener, root: PathBuf, base_path: String) {
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (root, base_path) = (root.clone(), base_path.clone());
            // One thread a connection, so a slow keep-alive connection never
            // holds up the next request.
            thread::spawn(move || {
                let _ = answer(stream, &root, &base_path);
            });
        }
    });
}

/// Answers the requests of one connection, keeping it alive while the browser wants.
fn answer(stream: TcpStream, root: &Path, base_path: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut close = false;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
                break;
            }
            let lower = header.to_ascii_lowercase();
            close |= lower.starts_with("connection:") && lower.contains("close");
        }
        let mut parts = request_line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
        let (status, content_type, body) = match resolve(root, base_path, target) {
            Some(file) => ("200 OK", content_type(&file), fs::read(&file)?),
            None => ("404 Not Found", "text/html; charset=utf-8", not_found(root)),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n{}\r\n",
            body.len(),
            if close { "Connection: close\r\n" } else { "" }
        );
        out.write_all(head.as_bytes())?;
        if method != "HEAD" {
            out.write_all(&body)?;
        }
        out.flush()?;
        if close {
            return Ok(());
        }
    }
}

/// The file a request target names, if the site has it.
fn resolve(root: &Path, base_path: &str, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let rest = path.strip_prefix(base_path)?;
    let rest = briefing::serve::percent_decode(rest)?;
    if rest.split('/').any(|segment| segment == ".." || segment.contains('\\')) {
        return None;
    }
    let mut file = root.join(rest.trim_start_matches('/'));
    if rest.is_empty() || rest.ends_with('/') {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn not_found(root: &Path) -> Vec<u8> {
    fs::read(root.join("404.html")).unwrap_or_else(|_| b"not found".to_vec())
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
