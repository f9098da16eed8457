// Evaluated in each page by tests/browser.rs: layout shift, the keyboard walk
// (one call of step() after each Tab) and what a keyboard user must reach.
(() => {
  const describe = (el) => {
    if (!el || el === document.body || el === document.documentElement) return "the page itself";
    let s = "<" + el.tagName.toLowerCase();
    for (const name of ["id", "class", "href", "aria-label"]) {
      const value = el.getAttribute(name);
      if (value) s += ` ${name}="${value}"`;
    }
    const text = (el.textContent || "").trim().replace(/\s+/g, " ");
    return s + ">" + (text ? " " + text.slice(0, 50) : "");
  };
  // The focus indicator as drawn: an outline that shows, and any box shadow.
  const ring = (el) => {
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0
      ? `outline ${s.outlineWidth} ${s.outlineStyle} ${s.outlineColor}` : "no outline";
    return `${outline}, box-shadow ${s.boxShadow}`;
  };
  const onScreen = (el) => {
    const r = el.getBoundingClientRect();
    return r.width >= 2 && r.height >= 2 && r.bottom > 0 && r.right > 0
      && r.top < innerHeight && r.left < innerWidth
      && el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  };
  // What covers the middle of a focused element, if anything else does (an
  // open menu over it, a sticky header): focus hidden under it cannot be seen.
  const coveredBy = (el) => {
    const r = el.getBoundingClientRect();
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    return !hit || el.contains(hit) || hit.contains(el) ? null : hit;
  };
  const main = () => document.querySelector("main");
  const walk = { seen: new Set(), last: null, lastRing: "", first: null, problems: [] };
  const isPage = (el) => !el || el === document.body || el === document.documentElement;
  // A link to an id on this page whose element is <main>.
  const isSkipLink = (el) => {
    if (!el || el.tagName !== "A" || !el.hash || el.pathname !== location.pathname) return false;
    return document.getElementById(decodeURIComponent(el.hash.slice(1))) === main();
  };

  window.__briefing = {
    layoutShift: () => new Promise((resolve) => {
      let total = 0;
      const shifted = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (entry.hadRecentInput) continue;
          total += entry.value;
          for (const source of entry.sources || []) shifted.push(describe(source.node));
        }
      }).observe({ type: "layout-shift", buffered: true });
      setTimeout(() => resolve({ total, shifted }), 100);
    }),

    // Called after each Tab; says whether the walk is over and whether focus
    // is on the summary of a closed <details> (which the walk then opens).
    step() {
      const el = document.activeElement;
      if (walk.last && walk.last !== el) {
        const unfocused = ring(walk.last);
        if (unfocused === walk.lastRing) {
          walk.problems.push(`no visible focus indicator on ${describe(walk.last)} (${unfocused}, focused or not)`);
        }
        walk.last = null;
      }
      if (isPage(el) || walk.seen.has(el)) return { done: true };
      walk.seen.add(el);
      if (!walk.first) walk.first = el;
      if (!onScreen(el)) {
        walk.problems.push(`focus is on ${describe(el)}, which cannot be seen`);
      } else if (coveredBy(el)) {
        walk.problems.push(`focus is on ${describe(el)}, hidden under ${describe(coveredBy(el))}`);
      }
      walk.last = el;
      walk.lastRing = ring(el);
      const closedSummary = el.tagName === "SUMMARY" && el.parentElement.tagName === "DETAILS" && !el.parentElement.open;
      return { done: false, closedSummary };
    },

    // After the walk: what went wrong, and what a keyboard user could not reach.
    walkProblems() {
      const problems = [...walk.problems];
      const first = walk.first;
      const operable = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, iframe, '
        + '[tabindex]:not([tabindex="-1"]), [contenteditable="true"], [contenteditable=""]';
      // A skip link bypasses what comes before <main> (WCAG 2.4.1); a page
      // with nothing to Tab through before it (a figure's embed page) needs none.
      const before = [...document.querySelectorAll(operable)].some((el) => main() && !main().contains(el)
        && (el.compareDocumentPosition(main()) & Node.DOCUMENT_POSITION_FOLLOWING));
      if (before && !isSkipLink(first)) {
        problems.push(`the first Tab stop is ${describe(first)}, not a skip link to <main>`);
      } else if (!before && first && !main().contains(first)) {
        problems.push(`the first Tab stop is ${describe(first)}, not in <main>`);
      }
      for (const el of document.querySelectorAll(operable)) {
        if (el.disabled || walk.seen.has(el) || !el.checkVisibility({ visibilityProperty: true })) continue;
        problems.push(`Tab never reaches ${describe(el)}`);
      }
      return problems;
    },

    // For the skip link: where focus is now.
    focus() {
      const el = document.activeElement;
      return { isMain: el === main(), isSkipLink: isSkipLink(el), inMain: !!main() && main().contains(el) && el !== main(),
        onScreen: !isPage(el) && onScreen(el), what: describe(el) };
    },

    // Why the page is wider than the window, or null: what sticks out, not
    // counting what lies in a box that scrolls or clips (a wide table's wrapper).
    reflow() {
      const width = document.documentElement.clientWidth;
      const scrollWidth = document.documentElement.scrollWidth;
      if (scrollWidth <= width) return null;
      const inBox = (el) => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== "visible") return true;
        }
        return false;
      };
      const out = [...document.body.querySelectorAll("*")]
        .filter((el) => el.getBoundingClientRect().right > width + 1 && !inBox(el))
        .slice(0, 5).map(describe);
      return `the page is ${scrollWidth} px wide in a ${width} px window; sticking out: ${out.join("; ")}`;
    },

    openAllDetails() {
      for (const d of document.querySelectorAll("details")) d.open = true;
    },

    // Each figure as a reader sees it: of its two drawings, `want` ("wide"
    // or "narrow") is the one shown; its texts stay inside it, apart and at
    // least 11 px; it is as wide as its column and does not scroll sideways.
    // Returns the figures seen ("lang:id") and what is wrong with them.
    figures(want) {
      const seen = [];
      const problems = [];
      const px = (n) => Math.round(n * 10) / 10;
      const box = (r) => `[${px(r.left)},${px(r.top)} ${px(r.right)},${px(r.bottom)}]`;
      const says = (t) => JSON.stringify(t.textContent.trim().replace(/\s+/g, " "));
      const page = document.documentElement;
      for (const wrap of document.querySelectorAll(".chart-wrap")) {
        const drawings = { narrow: wrap.querySelector(".chart-narrow svg"), wide: wrap.querySelector(".chart-wide svg") };
        // The wide drawing's title is "<figure id>-svg-title" (after "<page>--" in the print edition).
        const title = drawings.wide && drawings.wide.querySelector("title");
        const id = (title && (title.id.match(/(?:^|--)figure-(.+)-svg-title$/) || [])[1]) || "(unnamed)";
        const figure = `at ${innerWidth} px, figure ${id}`;
        if (!drawings.narrow || !drawings.wide) {
          problems.push(`${figure}: the chart does not have both a narrow and a wide drawing`);
          continue;
        }
        const shown = Object.keys(drawings).filter((k) => drawings[k].checkVisibility());
        if (shown.length !== 1 || shown[0] !== want) {
          const which = shown.length === 2 ? "both drawings are" : shown.length ? `the ${shown[0]} drawing is` : "no drawing is";
          problems.push(`${figure}: ${which} displayed, not the ${want} one alone (the chart's column is ${px(wrap.clientWidth)} px wide)`);
        }
        const svg = drawings[want];
        if (!svg.checkVisibility()) continue;
        seen.push(`${document.documentElement.lang}:${id}`);
        const drawn = `${figure} (${want} drawing)`;
        const frame = svg.getBoundingClientRect();
        // As wide as the column: the plot gets the width there is.
        const style = getComputedStyle(wrap);
        const column = wrap.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        if (Math.abs(frame.width - column) > 2) {
          problems.push(`${drawn}: the chart is ${px(frame.width)} px wide in a column ${px(column)} px wide`);
        }
        if (frame.left < -0.5 || frame.right > page.clientWidth + 0.5) {
          problems.push(`${drawn}: the chart spans ${px(frame.left)} to ${px(frame.right)} px in a window ${page.clientWidth} px wide`);
        }
        for (let a = svg.parentElement; a; a = a.parentElement) {
          if (a.scrollWidth > a.clientWidth + 1 && (a === page || getComputedStyle(a).overflowX !== "visible")) {
            const where = a === page ? "the page" : `<${a.tagName.toLowerCase()} class="${a.className}">`;
            problems.push(`${drawn}: ${where} around the chart scrolls sideways (${a.scrollWidth} px in ${a.clientWidth})`);
          }
        }
        const texts = [...svg.querySelectorAll("text")]
          .filter((t) => t.textContent.trim() !== "")
          .map((t) => ({ t, r: t.getBoundingClientRect() }));
        for (const { t, r } of texts) {
          if (r.left < frame.left - 1 || r.top < frame.top - 1 || r.right > frame.right + 1 || r.bottom > frame.bottom + 1) {
            problems.push(`${drawn}: text ${says(t)} ${box(r)} leaves the chart ${box(frame)}`);
          }
          // The font size in view-box units, times the view box's scale on screen.
          const m = t.getScreenCTM();
          const units = parseFloat(getComputedStyle(t).fontSize);
          const size = units * Math.hypot(m.a, m.b);
          if (size < 11 - 0.005) {
            problems.push(`${drawn}: text ${says(t)} is ${px(size)} px (font size ${units} in a view box`
              + ` ${svg.viewBox.baseVal.width} wide drawn ${px(frame.width)} px wide), under 11 px`);
          }
        }
        for (let i = 0; i < texts.length; i++) {
          for (let j = i + 1; j < texts.length; j++) {
            const [a, b] = [texts[i].r, texts[j].r];
            const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (across > 1 && down > 1) {
              problems.push(`${drawn}: texts ${says(texts[i].t)} ${box(a)} and ${says(texts[j].t)} ${box(b)} overlap by ${px(across)} × ${px(down)} px`);
            }
          }
        }
      }
      return { seen, problems };
    },

    // The texts of the displayed charts, whose fonts the test asks the browser for.
    chartTexts() {
      return [...document.querySelectorAll(".chart-wrap svg")]
        .filter((svg) => svg.checkVisibility())
        .flatMap((svg) => [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim() !== ""));
    },
  };
})();
