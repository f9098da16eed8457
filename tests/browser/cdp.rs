//! A minimal Chrome DevTools Protocol client for the browser tests: starts
//! headless Chromium with a throwaway profile, talks to it over one websocket
//! and keeps the events that arrive while it waits for answers.

use std::collections::VecDeque;
use std::fs;
use std::io::ErrorKind;
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};
use tempfile::TempDir;
use tungstenite::{Message, WebSocket};

/// How long one protocol call may take before the test gives up on the browser.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// A running headless Chromium and the connection to it.
pub(crate) struct Chromium {
    child: Child,
    socket: WebSocket<TcpStream>,
    next_id: u64,
    events: VecDeque<Value>,
    /// Removed when the browser is gone (fields drop after `drop`).
    _profile: TempDir,
}

impl Chromium {
    /// Starts `binary` headless, with a new profile, and connects to it.
    pub(crate) fn launch(binary: &Path) -> Result<Chromium> {
        let profile = tempfile::Builder::new().prefix("briefing-chromium-").tempdir()?;
        let log = fs::File::create(profile.path().join("stderr.log"))?;
        let mut child = Command::new(binary)
            .args([
                "--headless",
                // CI runs as root, where Chromium's sandbox cannot start; the
                // browser only ever opens the test's own loopback server.
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-port=0",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-default-apps",
                "--disable-extensions",
                "--disable-sync",
                "--metrics-recording-only",
                "--mute-audio",
                "--hide-scrollbars",
                "--window-size=1280,900",
                // Nothing but loopback resolves: a request to another host
                // fails here, and is reported, instead of leaving the machine.
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .with_context(|| format!("failed to start {}", binary.display()))?;
        match connect(&mut child, profile.path()) {
            Ok(socket) => Ok(Chromium {
                child,
                socket,
                next_id: 0,
                events: VecDeque::new(),
                _profile: profile,
            }),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(e)
            }
        }
    }
}

/// Waits for Chromium to write its DevTools address into the profile, then opens the websocket.
fn connect(child: &mut Child, profile: &Path) -> Result<WebSocket<TcpStream>> {
    let port_file = profile.join("DevToolsActivePort");
    let started = Instant::now();
    let text = loop {
        if let Ok(text) = fs::read_to_string(&port_file)
            && text.lines().count() >= 2
        {
            break text;
        }
        if let Some(status) = child.try_wait()? {
            bail!("chromium exited at start ({status}):\n{}", stderr_tail(profile));
        }
        if started.elapsed() > Duration::from_secs(30) {
            bail!("chromium did not open its DevTools port in 30 s:\n{}", stderr_tail(profile));
        }
        thread::sleep(Duration::from_millis(50));
    };
    let mut lines = text.lines();
    let port = lines.next().unwrap_or("").trim();
    let path = lines.next().unwrap_or("").trim();
    let address = format!("127.0.0.1:{port}");
    let stream = TcpStream::connect(&address)
        .with_context(|| format!("failed to connect to chromium at {address}"))?;
    stream.set_read_timeout(Some(CALL_TIMEOUT))?;
    let (socket, _) = tungstenite::client(format!("ws://{address}{path}"), stream)
        .map_err(|e| anyhow!("websocket handshake with chromium failed: {e}"))?;
    Ok(socket)
}

/// The end of what Chromium wrote to stderr, for error messages.
fn stderr_tail(profile: &Path) -> String {
    let text = fs::read_to_string(profile.join("stderr.log")).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

impl Chromium {
    /// Calls `method` (on the page `session`, or on the browser) and returns its result;
    /// events that arrive meanwhile are kept for `take_events`.
    pub(crate) fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .with_context(|| format!("failed to send {method} to chromium"))?;
        let started = Instant::now();
        loop {
            let value = self.receive().with_context(|| format!("no answer to {method}"))?;
            if value.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(error) = value.get("error") {
                    bail!("{method} failed: {error}");
                }
                return Ok(value.get("result").cloned().unwrap_or(Value::Null));
            }
            if value.get("method").is_some() {
                self.events.push_back(value);
            }
            if started.elapsed() > CALL_TIMEOUT {
                bail!("no answer to {method} in {CALL_TIMEOUT:?}");
            }
        }
    }

    /// Waits for the event `method` of `session`; every event seen on the way is kept.
    pub(crate) fn wait_for(
        &mut self,
        session: &str,
        method: &str,
        timeout: Duration,
    ) -> Result<()> {
        let is_it = |e: &Value| e["method"] == method && e["sessionId"] == session;
        if self.events.iter().any(is_it) || self.pump(is_it, timeout)? {
            Ok(())
        } else {
            bail!("no {method} within {timeout:?}")
        }
    }

    /// Reads for `time`, keeping every event that arrives.
    pub(crate) fn idle(&mut self, time: Duration) -> Result<()> {
        self.pump(|_| false, time).map(|_| ())
    }

    /// Keeps the events that arrive until one satisfies `stop` (true) or `timeout` passes (false).
    fn pump(&mut self, stop: impl Fn(&Value) -> bool, timeout: Duration) -> Result<bool> {
        let started = Instant::now();
        self.socket.get_mut().set_read_timeout(Some(Duration::from_millis(20)))?;
        let found = loop {
            if started.elapsed() > timeout {
                break Ok(false);
            }
            match self.socket.read() {
                Ok(message) => match parse(message) {
                    Ok(Some(value)) => {
                        let found = stop(&value);
                        self.events.push_back(value);
                        if found {
                            break Ok(true);
                        }
                    }
                    Ok(None) => {}
                    Err(e) => break Err(e),
                },
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) => break Err(e).context("reading from chromium"),
            }
        };
        self.socket.get_mut().set_read_timeout(Some(CALL_TIMEOUT))?;
        found
    }

    /// The events of `session` kept so far, which are then forgotten.
    pub(crate) fn take_events(&mut self, session: &str) -> Vec<Value> {
        let (mine, others): (Vec<Value>, Vec<Value>) =
            self.events.drain(..).partition(|e| e["sessionId"] == session);
        self.events = others.into();
        mine
    }

    fn receive(&mut self) -> Result<Value> {
        loop {
            let message = self.socket.read()?;
            if let Some(value) = parse(message)? {
                return Ok(value);
            }
        }
    }

    /// Closes the browser and waits for it to end.
    pub(crate) fn close(mut self) {
        let _ = self.call(None, "Browser.close", json!({}));
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn parse(message: Message) -> Result<Option<Value>> {
    match message {
        Message::Text(text) => Ok(Some(serde_json::from_str(text.as_str())?)),
        Message::Close(_) => bail!("chromium closed the connection"),
        _ => Ok(None),
    }
}
