/* Search for briefing sites, loaded only once a reader uses a search box.
   It reads the index the build wrote (src/search/: index.json, then only the
   shards and title chunks a query needs) and lists results as they are typed. Normalising, tokenising and ranking are
   those of src/search/text.rs and index.rs, which the tests compare.
   No dependencies; no request to another host. */
(function () {
  "use strict";

  var MAX_TERM_CHARS = 32;
  var TITLE_WEIGHT = 4;
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

  /* The terms a query looks up: words (prefixes from two characters on),
     and for scripts without spaces a lone character or every pair. */
  function tokens(query) {
    var out = [], seen = new Set();
    function push(text, prefix) {
      if (!seen.has(text)) { seen.add(text); out.push({ text: text, prefix: prefix }); }
    }
    (normalise(query).match(WORD) || []).forEach(function (word) {
      var runs = [], run = [], kind = null;
      for (var ch of word) {
        var k = isSpaceless(ch.codePointAt(0));
        if (run.length && k !== kind) { runs.push([run, kind]); run = []; }
        run.push(ch); kind = k;
      }
      if (run.length) runs.push([run, kind]);
      runs.forEach(function (r) {
        var cs = r[0];
        if (r[1] && cs.length > 1) {
          for (var j = 0; j + 1 < cs.length; j++) push(cs[j] + cs[j + 1], false);
        } else if (r[1]) {
          push(cs[0], false);
        } else {
          cs = cs.slice(0, MAX_TERM_CHARS);
          push(cs.join(""), cs.length > 1);
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

  /* Rows of a shard are [term, documents, title documents], sorted as JS
     compares strings; decoded lists are kept on the row. */
  function lists(row) {
    if (!row.docs) { row.docs = decode(row[1]); row.titles = decode(row[2] || ""); }
    return row;
  }

  function firstAtLeast(rows, text) {
    var lo = 0, hi = rows.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (rows[mid][0] < text) lo = mid + 1; else hi = mid; }
    return lo;
  }

  /* The documents matching every token, best first (as Index::query). */
  function rank(count, toks, shards) {
    if (!toks.length) return [];
    var hits = new Uint32Array(count), score = new Uint32Array(count);
    toks.forEach(function (t, k) {
      var rows = shards[k], round = k + 1, seen = new Uint8Array(count);
      for (var r = firstAtLeast(rows, t.text); r < rows.length; r++) {
        var term = rows[r][0];
        if (t.prefix ? !term.startsWith(t.text) : term !== t.text) break;
        var whole = term === t.text, row = lists(rows[r]);
        row.docs.forEach(function (d) {
          if (hits[d] === round - 1) hits[d] = round;
          if (whole && !(seen[d] & 1)) { seen[d] |= 1; score[d] += 1; }
        });
        row.titles.forEach(function (d) {
          if (!(seen[d] & 2)) { seen[d] |= 2; score[d] += TITLE_WEIGHT; }
        });
      }
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
      return Promise.all(toks.map(function (t) {
        return self.file(head.files + "t/" + shardOf(t.text, head.shards) + ".json");
      })).then(function (shards) { return { head: head, ids: rank(head.docs, toks, shards) }; });
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
        return { id: id, title: row[0], path: row[1], parent: row[2] || "", kind: kind };
      });
    }));
  };

  var core = { normalise: normalise, tokens: tokens, shardOf: shardOf, decode: decode, rank: rank, Index: Index };
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
        var w = found.head.words;
        return index.describe(found.head, found.ids.slice(0, limit)).then(function (docs) {
          if (mine !== serial) return;
          var items = docs.map(function (d) {
            var li = el("li"), a = el("a", "", d.title);
            a.href = new URL(d.path, root).href;
            li.append(a, " ", el("span", "search-kind", d.kind + (d.parent ? " · " + d.parent : "")));
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
