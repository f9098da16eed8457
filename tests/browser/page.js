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
  };
})();
