/* Search for briefing sites, loaded only once a reader uses a search box.
   It reads the index the build wrote (src/search/: index.json, then only the
   shards, title chunks and texts a query needs) and lists results as they
   are typed, each with the words found in its text. Normalising,
   tokenising, word forms and ranking are those of src/search/text.rs and
   index.rs, which the tests compare; the build stemmed the words, so no
   stemmer is needed here. No dependencies; no request to another host. */
(function () {
  "use strict";

  var MAX_TERM_CHARS = 32;
  var MIN_STEM_CHARS = 3;
  var TITLE_WEIGHT = 4;
  var ARTICLES = ["\u0648\u0627\u0644", "\u0628\u0627\u0644", "\u0643\u0627\u0644", "\u0641\u0627\u0644", "\u0644\u0644", "\u0627\u0644"];
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var VALUE = new Int8Array(128).fill(-1);
  for (var i = 0; i < 64; i++) VALUE[DIGITS.charCodeAt(i)] = i;
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  var MARK = /\p{M}/gu;

  function normalise(s) {
    return s.normalize("NFKD")
      .replace(MARK, function (m) { return m === "\u3099" || m === "\u309A" ? m : ""; })
      .normalize("NFC").toLowerCase().replace(/ς/g, "σ");
  }

  /* An Arabic word without an attached conjunction or article (text.rs). */
  function strip(word) {
    for (var i = 0; i < ARTICLES.length; i++) {
      if (word.startsWith(ARTICLES[i]) && Array.from(word.slice(ARTICLES[i].length)).length >= 2) return word.slice(ARTICLES[i].length);
    }
    return word[0] === "\u0648" && Array.from(word).length >= 4 ? word.slice(1) : word;
  }

  function isSpaceless(c) {
    return (c >= 0x0E00 && c <= 0x0EFF) || (c >= 0x1000 && c <= 0x109F) ||
      (c >= 0x1100 && c <= 0x11FF) || (c >= 0x1780 && c <= 0x17FF) ||
      (c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x3005 && c <= 0x3007) ||
      (c >= 0x3021 && c <= 0x3029) || (c >= 0x3038 && c <= 0x303B) ||
      (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3130 && c <= 0x318F) ||
      (c >= 0x31F0 && c <= 0x31FF) || (c >= 0x3400 && c <= 0x4DBF) ||
      (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA960 && c <= 0xA97F) ||
      (c >= 0xAC00 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0x20000 && c <= 0x3FFFF);
  }

  /* A word's runs of characters of one kind: [characters, spaceless]. */
  function runs(word) {
    var out = [], run = [], kind = null;
    for (var ch of word) {
      var k = isSpaceless(ch.codePointAt(0));
      if (run.length && k !== kind) { out.push([run, kind]); run = []; }
      run.push(ch); kind = k;
    }
    if (run.length) out.push([run, kind]);
    return out;
  }

  /* The terms a query looks up: words (prefixes from two characters on),
     and for scripts without spaces a lone character or every pair. */
  function tokens(query) {
    var out = [], seen = new Set();
    function push(text, prefix, spaceless) {
      if (!seen.has(text)) { seen.add(text); out.push({ text: text, prefix: prefix, spaceless: spaceless }); }
    }
    (normalise(query).match(WORD) || []).forEach(function (word) {
      runs(word).forEach(function (r) {
        var cs = r[0];
        if (r[1] && cs.length > 1) {
          for (var j = 0; j + 1 < cs.length; j++) push(cs[j] + cs[j + 1], false, true);
        } else if (r[1]) {
          push(cs[0], false, true);
        } else {
          cs = Array.from(strip(cs.join(""))).slice(0, MAX_TERM_CHARS);
          push(cs.join(""), cs.length > 1, false);
        }
      });
    });
    return out;
  }

  /* FNV-1a over the code points of a term's first two characters. */
  function shardOf(term, shards) {
    var h = 0x811c9dc5, n = 0;
    for (var ch of term) {
      if (n++ === 2) break;
      h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    }
    return h % shards;
  }

  function decode(s) {
    var out = [], v = 0, next = 0;
    for (var k = 0; k < s.length; k++) {
      var d = VALUE[s.charCodeAt(k)];
      if (d >= 32) v = v * 32 + d - 32;
      else if (d >= 0) { var id = next + v * 32 + d; out.push(id); next = id + 1; v = 0; }
    }
    return out;
  }

  /* Rows of a shard are keys, [key, documents, title documents], and words
     filed under another key, [word, n, rest] (the key is the word's first
     n units and rest), sorted as JS compares strings; decoded lists are
     kept on the row. */
  function lists(row) {
    if (!row.docs) { row.docs = decode(row[1]); row.titles = decode(row[2] || ""); }
    return row;
  }

  function firstAtLeast(rows, text) {
    var lo = 0, hi = rows.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (rows[mid][0] < text) lo = mid + 1; else hi = mid; }
    return lo;
  }

  function keyOf(row) {
    return typeof row[1] === "number" ? row[0].slice(0, row[1]) + (row[2] || "") : row[0];
  }

  function keyRow(rows, key) {
    for (var r = firstAtLeast(rows, key); r < rows.length && rows[r][0] === key; r++) {
      if (typeof rows[r][1] === "string") return rows[r];
    }
    return null;
  }

  /* The keys a token finds, each with whether as a whole word: its own,
     its word's, the stems that begin a word no document has when the rest
     is a known suffix, and, for a prefix, every key and word's key it
     begins (Index::matches). */
  function matches(rows, t, suffixes) {
    var keys = new Map(), known = false;
    for (var r = firstAtLeast(rows, t.text); r < rows.length; r++) {
      var term = rows[r][0], key = keyOf(rows[r]);
      if (t.prefix ? !term.startsWith(t.text) : term !== t.text) break;
      if (term === t.text) known = true;
      keys.set(key, keys.get(key) || term === t.text);
    }
    if (!known) {
      var cs = Array.from(t.text);
      for (var n = MIN_STEM_CHARS; n < cs.length; n++) {
        var stem = cs.slice(0, n).join("");
        if (suffixes.has(cs.slice(n).join("")) && keyRow(rows, stem)) keys.set(stem, true);
      }
    }
    return keys;
  }

  /* The documents matching every token, best first (as Index::query); each
     token keeps the keys it found and its shard's rows, for excerpts. */
  function rank(count, toks, shards, suffixes) {
    if (!toks.length) return [];
    var hits = new Uint32Array(count), score = new Uint32Array(count);
    toks.forEach(function (t, k) {
      var rows = shards[k], round = k + 1, seen = new Uint8Array(count);
      t.rows = rows;
      t.keys = matches(rows, t, suffixes || new Set());
      t.keys.forEach(function (whole, key) {
        var row = keyRow(rows, key);
        if (!row) return;
        lists(row);
        row.docs.forEach(function (d) {
          if (hits[d] === round - 1) hits[d] = round;
          if (whole && !(seen[d] & 1)) { seen[d] |= 1; score[d] += 1; }
        });
        row.titles.forEach(function (d) {
          if (!(seen[d] & 2)) { seen[d] |= 2; score[d] += TITLE_WEIGHT; }
        });
      });
    });
    var found = [];
    for (var d = 0; d < count; d++) if (hits[d] === toks.length) found.push(d);
    return found.sort(function (a, b) { return score[b] - score[a] || a - b; });
  }

  /* One language's index at `base` (its search folder); `load(url, fresh)`
     fetches JSON, fresh for index.json, which names the rest's folder. */
  function Index(base, load) {
    this.base = base;
    this.load = load;
    this.files = new Map();
  }
  Index.prototype.file = function (name) {
    if (!this.files.has(name)) {
      var p = this.load(this.base + name, name === "index.json");
      this.files.set(name, p);
      p.catch(function () { this.files.delete(name); }.bind(this));
    }
    return this.files.get(name);
  };
  Index.prototype.query = function (q, again) {
    var self = this, toks = tokens(q);
    return self.file("index.json").then(function (head) {
      if (!head.suffixSet) head.suffixSet = new Set(head.suffixes || []);
      return Promise.all(toks.map(function (t) {
        t.shard = shardOf(t.text, head.shards);
        return self.file(head.files + "t/" + t.shard + ".json");
      })).then(function (shards) {
        return { head: head, toks: toks, ids: rank(head.docs, toks, shards, head.suffixSet) };
      });
    }).catch(function (e) {
      /* Another build's shards: read index.json again, once. */
      if (again) throw e;
      self.files.delete("index.json");
      return self.query(q, true);
    });
  };
  /* Title, path, chapter and kind of each of `ids` (`file` keeps promises:
     a chunk is fetched once). */
  Index.prototype.describe = function (head, ids) {
    var self = this;
    return Promise.all(ids.map(function (id) {
      return self.file(head.files + "d/" + Math.floor(id / head.chunk) + ".json").then(function (rows) {
        var row = rows[id % head.chunk], kind = "";
        head.kinds.forEach(function (k) { if (k[1] <= id) kind = k[0]; });
        return { id: id, title: row[0], path: row[1], text: row[2], parent: row[3] || "", kind: kind };
      });
    }));
  };
  /* The plain text of a described document ("" if it has none). */
  Index.prototype.text = function (head, doc) {
    if (!(doc.text >= 0)) return Promise.resolve("");
    return this.file(head.files + "x/" + doc.text + ".json").then(function (rows) {
      return rows[1 + doc.id - rows[0]] || "";
    });
  };

  /* search-excerpts.js adds excerpt and landing, when results are shown. */
  var core = {
    normalise: normalise, tokens: tokens, shardOf: shardOf, decode: decode, rank: rank, Index: Index,
    runs: runs, strip: strip, firstAtLeast: firstAtLeast, keyOf: keyOf, MAX_TERM_CHARS: MAX_TERM_CHARS
  };
  if (typeof module === "object" && module.exports) { module.exports = core; return; }
  if (typeof document === "undefined" || window.briefingSearch) return;
  window.briefingSearch = core;

  /* ---- The page: search boxes, results as the reader types ---- */

  var indexes = new Map();
  function indexFor(base) {
    if (!indexes.has(base)) {
      indexes.set(base, new Index(base, function (url, fresh) {
        return fetch(url, { credentials: "same-origin", cache: fresh ? "no-cache" : "default" }).then(function (r) {
          if (!r.ok) throw new Error(url + ": " + r.status);
          return r.json();
        });
      }));
    }
    return indexes.get(base);
  }

  /* Loads search-excerpts.js (named by the box) once results are to be
     shown; true once core has excerpts, false if it cannot have them. */
  var excerptScript = null;
  function excerpts(input) {
    var src = input.getAttribute("data-excerpts");
    if (core.excerpt || !src) return Promise.resolve(!!core.excerpt);
    if (!excerptScript) {
      excerptScript = new Promise(function (done) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () { done(!!core.excerpt); };
        s.onerror = function () { excerptScript = null; done(false); };
        document.head.appendChild(s);
      });
    }
    return excerptScript;
  }

  function say(template, n, q) {
    return (template || "").replace("{n}", n.toLocaleString()).replace("{q}", q);
  }

  function el(name, cls, text) {
    var e = document.createElement(name);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function attach(input) {
    var base = new URL(input.getAttribute("data-search"), location.href).href;
    var root = new URL("../", base);
    var index = indexFor(base);
    var onPage = input.hasAttribute("data-search-page");
    var list, status, box, step = onPage ? 50 : 8, limit = step, serial = 0;
    if (onPage) {
      list = document.getElementById(input.getAttribute("aria-controls"));
      status = document.getElementById(input.getAttribute("data-status"));
      if (input.form) input.form.hidden = false;
    } else {
      box = el("div", "search-popup");
      box.hidden = true;
      status = el("p", "search-status");
      list = el("ul", "search-results");
      list.id = input.id + "-results";
      box.append(status, list);
      (input.form || input).insertAdjacentElement("afterend", box);
      input.setAttribute("aria-controls", list.id);
    }
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    function show(visible) { if (box) box.hidden = !visible; }

    function run() {
      var q = input.value.trim(), mine = ++serial;
      if (onPage) {
        var url = new URL(location.href);
        if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
        history.replaceState(null, "", url);
      }
      if (!q) { list.replaceChildren(); status.textContent = ""; list.hidden = onPage; show(false); return; }
      index.query(q).then(function (found) {
        var head = found.head, w = head.words;
        return index.describe(head, found.ids.slice(0, limit)).then(function (docs) {
          return Promise.all([excerpts(input)].concat(docs.map(function (d) { return index.text(head, d); }))).then(function (texts) {
          if (mine !== serial) return;
          var items = docs.map(function (d, n) {
            var li = el("li"), a = el("a", "", d.title), shown = null, x = null;
            if (texts[0] && texts[n + 1]) {
              x = core.excerpt(texts[n + 1], found.toks, head.shards);
              shown = el("span", "search-excerpt", x.before ? "… " : "");
              x.parts.forEach(function (p) { shown.append(p.mark ? el("mark", "", p.text) : p.text); });
              if (x.after) shown.append(" …");
            }
            a.href = new URL(d.path, root).href;
            if (x) a.href = core.landing(a.href, x.fragment);
            li.append(a, " ", el("span", "search-kind", d.kind + (d.parent ? " · " + d.parent : "")));
            if (shown) li.append(shown);
            return li;
          });
          var total = found.ids.length;
          if (total > docs.length) {
            var li = el("li", "search-more");
            if (onPage) {
              var more = el("button", "", w.search_more);
              more.type = "button";
              more.addEventListener("click", function () { limit += step; run(); });
              li.append(more);
            } else {
              var all = el("a", "", say(w.search_all, total, q));
              all.href = base + "?q=" + encodeURIComponent(q);
              li.append(all);
            }
            items.push(li);
          }
          list.replaceChildren.apply(list, items);
          list.hidden = false;
          status.textContent = total === 0 ? say(w.search_none, 0, q)
            : total === 1 ? say(w.search_result_one, 1, q) : say(w.search_results, total, q);
          show(true);
          });
        });
      }).catch(function () {
        if (mine !== serial) return;
        index.file("index.json").then(function (head) { status.textContent = head.words.search_error; })
          .catch(function () { status.textContent = "Search is not available."; });
        show(true);
      });
    }

    var timer = 0;
    input.addEventListener("input", function () {
      limit = step;
      clearTimeout(timer);
      timer = setTimeout(run, 60);
    });
    function links() { return Array.prototype.slice.call(list.querySelectorAll("a, button")); }
    function move(e) {
      var all = links(), at = all.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && all.length) {
        e.preventDefault();
        all[Math.min(at + 1, all.length - 1)].focus();
      } else if (e.key === "ArrowUp" && at >= 0) {
        e.preventDefault();
        (at === 0 ? input : all[at - 1]).focus();
      } else if (e.key === "Escape" && box) {
        show(false);
        input.focus();
      }
    }
    input.addEventListener("keydown", move);
    list.addEventListener("keydown", move);
    if (box) {
      input.addEventListener("focus", function () { if (input.value.trim() && list.childElementCount) show(true); });
      document.addEventListener("click", function (e) {
        if (!box.contains(e.target) && e.target !== input) show(false);
      });
    }
    if (onPage) {
      var q = new URL(location.href).searchParams.get("q");
      if (q && !input.value) input.value = q;
    }
    if (input.value.trim()) run();
  }

  document.querySelectorAll("input[data-search]").forEach(attach);
})();
