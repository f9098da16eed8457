//! One page of the browser, driven as a reader would: load, look, run
//! axe-core, Tab through; and what each visit showed.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::cdp::Chromium;

/// The WCAG 2.1 A and AA rules of axe-core.
const AXE_TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// A colour scheme and a window width.
#[derive(Clone, Copy)]
pub(crate) struct View {
    pub(crate) name: &'static str,
    pub(crate) scheme: &'static str,
    pub(crate) width: u32,
    /// Whether the keyboard walk is made in this view.
    pub(crate) keyboard: bool,
    /// Which drawing of each figure a reader sees in this view, when the
    /// figures are looked at in it.
    pub(crate) figures: Option<Drawing>,
}

/// One of the two drawings of a figure: which one shows is the theme's
/// container query's choice, by the width of the figure's column.
#[derive(Clone, Copy)]
pub(crate) enum Drawing {
    /// 440 view-box units wide, for phones.
    Narrow,
    /// 760 view-box units wide, for a column at least 600 px wide.
    Wide,
}

impl Drawing {
    fn name(self) -> &'static str {
        match self {
            Drawing::Narrow => "narrow",
            Drawing::Wide => "wide",
        }
    }
}

/// What one visit of one page in one view showed.
pub(crate) struct Visit {
    /// The kind of page, as named in PAGE_KINDS.
    pub(crate) kind: &'static str,
    /// The view's name.
    pub(crate) view: &'static str,
    pub(crate) url: String,
    /// The page is the answer to an address the site does not have: its 404 is expected.
    pub(crate) is_missing: bool,
    pub(crate) console_errors: Vec<String>,
    pub(crate) failed_requests: Vec<String>,
    pub(crate) off_site_requests: Vec<String>,
    /// The sum of the layout shifts while loading, and the elements that moved.
    pub(crate) layout_shift: f64,
    pub(crate) shifted: Vec<String>,
    /// Why the page scrolls sideways, if it does.
    pub(crate) reflow: Option<String>,
    /// axe-core's violations, one line each: rule, impact, help, element, summary.
    pub(crate) violations: Vec<String>,
    /// What the keyboard walk and the skip link showed to be wrong.
    pub(crate) keyboard: Vec<String>,
    /// What a scripted use of the page (filters, sorting) showed to be wrong.
    pub(crate) behaviour: Vec<String>,
    /// Whether the figures were looked at in this visit (its view says which drawing should show).
    pub(crate) figures_looked_at: bool,
    /// What was wrong with the figures: which drawing shows, their width, their texts.
    pub(crate) figures: Vec<String>,
    /// The figures seen in the drawing the view should show, as `lang:id`.
    pub(crate) figures_seen: Vec<String>,
    /// The figure a figure page or embed page is the page of, as `lang:id`.
    pub(crate) figure: Option<String>,
    /// Every document, stylesheet and script loaded, with its size in bytes.
    pub(crate) weight: Vec<(String, u64)>,
}

impl Visit {
    /// A visit of `url` in `view` with nothing seen yet.
    fn new(kind: &'static str, view: &'static str, url: &str, is_missing: bool) -> Visit {
        Visit {
            kind,
            view,
            url: url.to_string(),
            is_missing,
            console_errors: Vec::new(),
            failed_requests: Vec::new(),
            off_site_requests: Vec::new(),
            layout_shift: 0.0,
            shifted: Vec::new(),
            reflow: None,
            violations: Vec::new(),
            keyboard: Vec::new(),
            behaviour: Vec::new(),
            figures_looked_at: false,
            figures: Vec::new(),
            figures_seen: Vec::new(),
            figure: None,
            weight: Vec::new(),
        }
    }

    pub(crate) fn label(&self) -> String {
        format!("{} ({}, {})", self.kind, self.view, self.url)
    }
}

/// One page target of the browser, attached over the browser's connection.
pub(crate) struct Tab<'a> {
    browser: &'a mut Chromium,
    session: String,
    origin: String,
    /// Requests of the current visit.
    requests: Vec<Request>,
}

struct Request {
    id: String,
    url: String,
    kind: String,
}

impl<'a> Tab<'a> {
    pub(crate) fn open(browser: &'a mut Chromium, origin: &str) -> Result<Tab<'a>> {
        let target = browser.call(None, "Target.createTarget", json!({ "url": "about:blank" }))?;
        let attached = browser.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
        )?;
        let session = attached["sessionId"].as_str().context("no session id")?.to_string();
        let mut tab = Tab { browser, session, origin: format!("{origin}/"), requests: Vec::new() };
        for domain in ["Page", "Runtime", "Log", "Network", "DOM", "CSS"] {
            tab.call(&format!("{domain}.enable"), json!({}))?;
        }
        tab.call("Network.setCacheDisabled", json!({ "cacheDisabled": true }))?;
        // Headless windows never have the operating system's focus; without
        // this, :focus-visible and focus events would not match a real reader's.
        tab.call("Emulation.setFocusEmulationEnabled", json!({ "enabled": true }))?;
        Ok(tab)
    }

    /// Emulates the colour scheme and the window width of `view` from the next load on.
    pub(crate) fn show_as(&mut self, view: &View) -> Result<()> {
        self.call(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": view.scheme }] }),
        )?;
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": view.width, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
        )?;
        Ok(())
    }

    pub(crate) fn call(&mut self, method: &str, params: Value) -> Result<Value> {
        self.browser.call(Some(&self.session), method, params)
    }

    /// Loads `url` and evaluates `script` in it, as a reader's scripted
    /// use of the page; returns what the script returns and the visit's
    /// console and request problems.
    pub(crate) fn run(
        &mut self,
        kind: &'static str,
        url: &str,
        script: &str,
    ) -> Result<(Value, Visit)> {
        let mut visit = Visit::new(kind, "scripted", url, false);
        self.requests.clear();
        self.navigate(url, &mut visit)?;
        let value = self.eval(script)?;
        self.collect(&mut visit);
        Ok((value, visit))
    }

    /// Loads `url` and prints it to PDF as Chromium's "Save as PDF" would (A4, backgrounds off).
    pub(crate) fn pdf(&mut self, url: &str) -> Result<Vec<u8>> {
        let (_, _) = self.run("print", url, "true")?;
        let printed = self.call(
            "Page.printToPDF",
            json!({ "paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": true }),
        )?;
        decode_base64(printed["data"].as_str().context("no PDF data")?)
    }

    /// Evaluates `expression` in the page, waiting for a promise, and returns its value.
    fn eval(&mut self, expression: &str) -> Result<Value> {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
        )?;
        if let Some(details) = result.get("exceptionDetails") {
            bail!(
                "{expression:.80} threw: {}",
                details["exception"]["description"].as_str().unwrap_or(&details.to_string())
            );
        }
        Ok(result["result"]["value"].clone())
    }

    /// Loads `url`, after sorting the events so far into `visit` (so that
    /// the last load's events cannot be taken for this one's).
    fn navigate(&mut self, url: &str, visit: &mut Visit) -> Result<()> {
        self.collect(visit);
        let _ = self.call("Page.navigate", json!({ "url": url }))?;
        self.browser.wait_for(&self.session, "Page.loadEventFired", Duration::from_secs(30))?;
        // Anything a page does right after load (lazy images, late scripts) counts too.
        self.browser.idle(Duration::from_millis(150))?;
        self.eval(include_str!("page.js"))?;
        Ok(())
    }

    fn key(&mut self, key: &str, code: u32, text: Option<&str>) -> Result<()> {
        let mut down =
            json!({ "type": "rawKeyDown", "key": key, "code": key, "windowsVirtualKeyCode": code });
        if let Some(text) = text {
            down["type"] = json!("keyDown");
            down["text"] = json!(text);
        }
        self.call("Input.dispatchKeyEvent", down)?;
        self.call(
            "Input.dispatchKeyEvent",
            json!({ "type": "keyUp", "key": key, "code": key, "windowsVirtualKeyCode": code }),
        )?;
        Ok(())
    }

    pub(crate) fn visit(
        &mut self,
        kind: &'static str,
        view: &View,
        url: &str,
        is_missing: bool,
        axe: &str,
        screenshots: Option<&Path>,
    ) -> Result<Visit> {
        let mut visit = Visit::new(kind, view.name, url, is_missing);
        self.requests.clear();

        // As loaded: layout shift, reflow, then axe as loaded and with every
        // <details> open; then the skip link moves focus into <main>.
        self.navigate(url, &mut visit)?;
        let shift = self.eval("__briefing.layoutShift()")?;
        visit.layout_shift = shift["total"].as_f64().unwrap_or(0.0);
        visit.shifted = strings(&shift["shifted"]);
        visit.reflow = self.eval("__briefing.reflow()")?.as_str().map(String::from);
        self.look_at_figures(view, &mut visit)?;
        if let Some(dir) = screenshots {
            self.save_screenshot(dir, &format!("{kind} {}", view.name))?;
        }
        let mut violations: BTreeSet<String> = self.axe(axe)?.into_iter().collect();
        self.eval("__briefing.openAllDetails()")?;
        violations.extend(self.axe(axe)?);
        visit.violations = violations.into_iter().collect();
        self.key("Tab", 9, None)?;
        if self.eval("__briefing.focus()")?["isSkipLink"] == true {
            self.key("Enter", 13, Some("\r"))?;
            let focus = self.eval("__briefing.focus()")?;
            if focus["isMain"] != true {
                visit.keyboard.push(format!(
                    "after Enter on the skip link, focus is on {}, not <main>",
                    focus["what"]
                ));
            }
            self.key("Tab", 9, None)?;
            let focus = self.eval("__briefing.focus()")?;
            if focus["inMain"] != true {
                visit.keyboard.push(format!(
                    "Tab after the skip link goes to {}, outside <main>",
                    focus["what"]
                ));
            }
        }
        if view.keyboard {
            // Loaded again: Tab from the top of the page to its end, opening
            // each closed <details> on the way as a reader would.
            self.navigate(url, &mut visit)?;
            for _ in 0..2000 {
                self.key("Tab", 9, None)?;
                let step = self.eval("__briefing.step()")?;
                if step["done"] == true {
                    break;
                }
                if step["closedSummary"] == true {
                    self.key("Enter", 13, Some("\r"))?;
                }
            }
            visit.keyboard.extend(strings(&self.eval("__briefing.walkProblems()")?));
        }
        self.browser.idle(Duration::from_millis(50))?;
        self.collect(&mut visit);
        Ok(visit)
    }

    /// axe-core's WCAG 2.1 A and AA violations on the page as it is now, one line each.
    fn axe(&mut self, axe: &str) -> Result<Vec<String>> {
        if self.eval("typeof axe")? != "object" {
            self.eval(axe)?;
        }
        let run = format!(
            "axe.run(document, {{ runOnly: {{ type: 'tag', values: {} }}, resultTypes: ['violations'] }})
               .then(r => r.violations.flatMap(v => v.nodes.map(n =>
                 `${{v.id}} (${{v.impact}}): ${{v.help}}: ${{n.target.join(' ')}}: ${{(n.failureSummary || '').replace(/\\s+/g, ' ')}}`)))",
            json!(AXE_TAGS)
        );
        Ok(strings(&self.eval(&run)?))
    }

    /// Loads `url`, types `query` into the header's search box a key at a
    /// time, waits for its results, then evaluates `check` with them open
    /// and runs axe-core on the page as it shows them. Returns what `check`
    /// returns and the visit (its violations those with the results open).
    pub(crate) fn search(
        &mut self,
        url: &str,
        query: &str,
        check: &str,
        axe: &str,
    ) -> Result<(Value, Visit)> {
        let mut visit = Visit::new("search", "scripted", url, false);
        self.requests.clear();
        self.navigate(url, &mut visit)?;
        self.eval("document.getElementById('site-search').focus()")?;
        for c in query.chars() {
            self.call("Input.insertText", json!({ "text": c.to_string() }))?;
            self.browser.idle(Duration::from_millis(20))?;
        }
        let shown = self.eval(&format!(
            "new Promise(done => {{
               const started = Date.now();
               const look = () => {{
                 const status = document.querySelector('.search-popup .search-status');
                 const box = document.querySelector('.search-popup');
                 const ready = box && !box.hidden && document.getElementById('site-search').value === {query:?}
                   && status && status.textContent && Date.now() - started > 400;
                 if (ready || Date.now() - started > 10000) done(!!ready); else setTimeout(look, 50);
               }};
               look();
             }})"
        ))?;
        if shown != true {
            visit.behaviour.push(format!("no results were shown for {query:?}"));
        }
        let value = self.eval(check)?;
        visit.violations = self.axe(axe)?;
        self.collect(&mut visit);
        Ok((value, visit))
    }

    /// Clicks the link `selector` as a reader would (a real click: a text
    /// fragment needs one), waits for the page it opens, and evaluates
    /// `check` there; the visit has that page's layout shift.
    pub(crate) fn follow(
        &mut self,
        kind: &'static str,
        selector: &str,
        check: &str,
    ) -> Result<(Value, Visit)> {
        let mut visit = Visit::new(kind, "scripted", "", false);
        let at = self.eval(&format!(
            "(() => {{
               const a = document.querySelector({selector:?});
               if (!a) return null;
               a.scrollIntoView({{ block: 'center' }});
               const r = a.getBoundingClientRect();
               return {{ x: r.left + Math.min(8, r.width / 2), y: r.top + r.height / 2, href: a.href }};
             }})()"
        ))?;
        let (Some(x), Some(y)) = (at["x"].as_f64(), at["y"].as_f64()) else {
            bail!("no link {selector} to follow");
        };
        visit.url = at["href"].as_str().unwrap_or("").to_string();
        self.collect(&mut visit);
        self.requests.clear();
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            )?;
        }
        self.browser.wait_for(&self.session, "Page.loadEventFired", Duration::from_secs(30))?;
        self.browser.idle(Duration::from_millis(300))?;
        self.eval(include_str!("page.js"))?;
        let shift = self.eval("__briefing.layoutShift()")?;
        visit.layout_shift = shift["total"].as_f64().unwrap_or(0.0);
        visit.shifted = strings(&shift["shifted"]);
        let value = self.eval(check)?;
        self.collect(&mut visit);
        Ok((value, visit))
    }

    /// Loads `url` in `view` only to look at its figures (and what the
    /// console and the network say); `figure` is the one the page is of.
    /// `screenshot` is a folder and a name to save a PNG of the page as.
    pub(crate) fn look(
        &mut self,
        kind: &'static str,
        view: &View,
        url: &str,
        figure: Option<String>,
        screenshot: Option<(&Path, &str)>,
    ) -> Result<Visit> {
        let mut visit = Visit::new(kind, view.name, url, false);
        visit.figure = figure;
        self.requests.clear();
        self.navigate(url, &mut visit)?;
        self.look_at_figures(view, &mut visit)?;
        if let Some((dir, name)) = screenshot {
            self.save_screenshot(dir, name)?;
        }
        self.collect(&mut visit);
        Ok(visit)
    }

    /// Looks at the figures as shown, when the view says which drawing should
    /// show, and asks the browser which fonts draw their texts:
    /// their layout is measured in DejaVu Sans, which their `font-family` names first.
    fn look_at_figures(&mut self, view: &View, visit: &mut Visit) -> Result<()> {
        let Some(drawing) = view.figures else {
            return Ok(());
        };
        let found = self.eval(&format!("__briefing.figures({:?})", drawing.name()))?;
        visit.figures_looked_at = true;
        visit.figures = strings(&found["problems"]);
        visit.figures_seen = strings(&found["seen"]);
        let texts = self.call(
            "Runtime.evaluate",
            json!({ "expression": "__briefing.chartTexts()", "returnByValue": false }),
        )?;
        let Some(array) = texts["result"]["objectId"].as_str().map(String::from) else {
            bail!("no chart texts to ask the font of: {texts}");
        };
        let items = self
            .call("Runtime.getProperties", json!({ "objectId": array, "ownProperties": true }))?;
        self.call("DOM.getDocument", json!({ "depth": 0 }))?;
        for item in items["result"].as_array().into_iter().flatten() {
            let Some(element) = item["value"]["objectId"].as_str().map(String::from) else {
                continue;
            };
            let node = self.call("DOM.requestNode", json!({ "objectId": element }))?;
            let fonts =
                self.call("CSS.getPlatformFontsForNode", json!({ "nodeId": node["nodeId"] }))?;
            let families: BTreeSet<&str> = fonts["fonts"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f["familyName"].as_str())
                .collect();
            if families.iter().any(|f| *f != "DejaVu Sans") {
                let text = self.call(
                    "Runtime.callFunctionOn",
                    json!({
                        "objectId": element,
                        "functionDeclaration": "function () { return this.textContent.trim(); }",
                        "returnByValue": true,
                    }),
                )?;
                visit.figures.push(format!(
                    "at {} px, a chart's text {} is drawn in {}, not DejaVu Sans alone",
                    view.width,
                    text["result"]["value"],
                    families.into_iter().collect::<Vec<_>>().join(" and ")
                ));
            }
        }
        self.call("Runtime.releaseObject", json!({ "objectId": array }))?;
        Ok(())
    }

    /// Saves a PNG of the whole page in `dir` as `<name>.png`, with `name`
    /// cut down to letters and digits joined by dashes.
    fn save_screenshot(&mut self, dir: &Path, name: &str) -> Result<()> {
        let name: String = name
            .chars()
            .map(|c| if matches!(c, '/' | '-') { ' ' } else { c })
            .filter(|c| c.is_alphanumeric() || *c == ' ')
            .collect();
        let name = name.split_whitespace().collect::<Vec<_>>().join("-");
        fs::write(dir.join(format!("{name}.png")), self.screenshot()?)?;
        Ok(())
    }

    /// Sorts the events kept since the last call into the visit's findings.
    fn collect(&mut self, visit: &mut Visit) {
        let is_missing_page =
            |url: &str, status: i64| status == 404 && url == visit.url && visit.is_missing;
        for event in self.browser.take_events(&self.session) {
            let p = &event["params"];
            match event["method"].as_str().unwrap_or("") {
                "Runtime.consoleAPICalled"
                    if matches!(p["type"].as_str(), Some("error" | "assert")) =>
                {
                    let args: Vec<String> = p["args"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|a| {
                            a["value"]
                                .as_str()
                                .map_or_else(|| a["description"].to_string(), String::from)
                        })
                        .collect();
                    visit.console_errors.push(args.join(" "));
                }
                "Runtime.exceptionThrown" => {
                    let d = &p["exceptionDetails"];
                    visit.console_errors.push(format!(
                        "uncaught {}",
                        d["exception"]["description"].as_str().unwrap_or(&d["text"].to_string())
                    ));
                }
                "Log.entryAdded" if p["entry"]["level"] == "error" => {
                    let entry = &p["entry"];
                    let url = entry["url"].as_str().unwrap_or("");
                    // The 404 page's own status is what it is there for.
                    if url == visit.url && visit.is_missing && entry["source"] == "network" {
                        continue;
                    }
                    visit
                        .console_errors
                        .push(format!("{} {url}", entry["text"].as_str().unwrap_or("")));
                }
                "Network.requestWillBeSent" => {
                    let url = p["request"]["url"].as_str().unwrap_or("").to_string();
                    let is_local = url.starts_with(&self.origin)
                        || ["data:", "blob:", "about:"].iter().any(|s| url.starts_with(s));
                    if !is_local {
                        visit.off_site_requests.push(url.clone());
                    }
                    let kind = p["type"].as_str().unwrap_or("Other").to_string();
                    self.requests.push(Request {
                        id: p["requestId"].as_str().unwrap_or("").to_string(),
                        url,
                        kind,
                    });
                }
                "Network.responseReceived" => {
                    let status = p["response"]["status"].as_i64().unwrap_or(0);
                    let url = p["response"]["url"].as_str().unwrap_or("");
                    if status >= 400 && !is_missing_page(url, status) {
                        visit.failed_requests.push(format!("{url}: HTTP {status}"));
                    }
                }
                "Network.loadingFailed" => {
                    let id = p["requestId"].as_str().unwrap_or("");
                    let url = self
                        .requests
                        .iter()
                        .rev()
                        .find(|r| r.id == id)
                        .map_or("?", |r| r.url.as_str());
                    visit
                        .failed_requests
                        .push(format!("{url}: {}", p["errorText"].as_str().unwrap_or("failed")));
                }
                _ => {}
            }
        }
    }

    /// The documents, stylesheets and scripts requested during the visit, with their sizes on disk.
    pub(crate) fn weigh(&mut self, out: &Path, base_path: &str) -> Result<Vec<(String, u64)>> {
        let mut seen = BTreeSet::new();
        let mut weights = Vec::new();
        for r in &self.requests {
            if !matches!(r.kind.as_str(), "Document" | "Stylesheet" | "Script")
                || !seen.insert(r.url.clone())
            {
                continue;
            }
            let Some(path) = r
                .url
                .strip_prefix(&self.origin)
                .and_then(|p| p.strip_prefix(base_path.trim_start_matches('/')))
            else {
                continue;
            };
            let path = path.split(['?', '#']).next().unwrap_or("");
            let file = if path.is_empty() || path.ends_with('/') {
                out.join(path).join("index.html")
            } else {
                out.join(path)
            };
            let bytes = fs::metadata(&file)
                .with_context(|| format!("{} was requested but is not in the site", r.url))?
                .len();
            weights.push((r.url.clone(), bytes));
        }
        Ok(weights)
    }

    /// A PNG of the whole page.
    pub(crate) fn screenshot(&mut self) -> Result<Vec<u8>> {
        let shot = self.call(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true }),
        )?;
        decode_base64(shot["data"].as_str().unwrap_or(""))
    }
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().into_iter().flatten().filter_map(|s| s.as_str().map(String::from)).collect()
}

fn decode_base64(text: &str) -> Result<Vec<u8>> {
    let value = |c: u8| -> Result<u32> {
        Ok(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => bail!("not base64: {:?}", c as char),
        }
        .into())
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for chunk in text.trim_end_matches('=').as_bytes().chunks(4) {
        let mut n = 0;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    Ok(out)
}
