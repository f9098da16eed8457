/* Excerpts of search results for briefing sites, loaded by search.js once
   it has results to show: the words of a result's text that show the
   query's words, marked, in a passage around the best of them, and a link
   that lands on them (a text fragment). It reads the shards the query
   loaded, so a word is matched by its stem as the index files it
   (docs/search.md). No dependencies. */
(function () {
  "use strict";

  function install(core) {
    /* Does the word `w` (folded) show token t? Its key must be one t found;
       a word, its key and t share their first two characters, so the word
       is in the shard t looked in. */
    function shows(w, t, shards) {
      if (w.charCodeAt(0) !== t.text.charCodeAt(0)) return false;
      if (t.text === w || (t.prefix && w.startsWith(t.text))) return true;
      if (!t.keys || core.shardOf(w, shards) !== t.shard) return false;
      if (t.keys.has(w)) return true;
      for (var r = core.firstAtLeast(t.rows, w); r < t.rows.length && t.rows[r][0] === w; r++) {
        if (t.keys.has(core.keyOf(t.rows[r]))) return true;
      }
      return false;
    }

    /* The words of a text: a word of a script with spaces, folded as the
       index folds it, or a character of one without, folded alone; kept for
       the last texts, which the next keystroke mostly shows again. */
    var TEXT_WORD = /[\p{Alphabetic}\p{N}\p{M}]+/gu, ASCII = /^[\x00-\x7f]*$/, wordsOf = new Map();
    function words(text) {
      var out = wordsOf.get(text), m;
      if (out) return out;
      out = [];
      TEXT_WORD.lastIndex = 0;
      while ((m = TEXT_WORD.exec(text))) {
        var at = m.index;
        if (ASCII.test(m[0])) {
          out.push({ at: at, end: at + m[0].length, w: m[0].slice(0, core.MAX_TERM_CHARS).toLowerCase() });
          continue;
        }
        core.runs(m[0]).forEach(function (r) {
          if (!r[1]) {
            var s = r[0].join("");
            out.push({ at: at, end: at + s.length, w: Array.from(core.strip(core.normalise(s))).slice(0, core.MAX_TERM_CHARS).join("") });
            at += s.length;
          } else {
            r[0].forEach(function (ch) {
              out.push({ at: at, end: at + ch.length, w: core.normalise(ch), cjk: true });
              at += ch.length;
            });
          }
        });
      }
      if (wordsOf.size >= 64) wordsOf.clear();
      wordsOf.set(text, out);
      return out;
    }

    /* The words of `text`, each with the tokens it shows as bits. */
    function units(text, toks, shards) {
      var ws = words(text), hitOf = new Map();
      var out = ws.map(function (u) {
        var hit = 0;
        if (!u.cjk) {
          hit = hitOf.get(u.w);
          if (hit === undefined) {
            hit = 0;
            toks.forEach(function (t, k) { if (!t.spaceless && shows(u.w, t, shards)) hit |= 1 << k; });
            hitOf.set(u.w, hit);
          }
        }
        return { at: u.at, end: u.end, hit: hit, cjk: u.cjk };
      });
      toks.forEach(function (t, k) {
        if (!t.spaceless) return;
        var len = Array.from(t.text).length;
        for (var i = 0; i + len <= ws.length; i++) {
          var seq = "";
          for (var j = i; j < i + len && ws[j].cjk && (j === i || ws[j].at === ws[j - 1].end); j++) seq += ws[j].w;
          if (seq !== t.text) continue;
          for (j = i; j < i + len; j++) out[j].hit |= 1 << k;
        }
      });
      return out;
    }

    function bits(n) { var c = 0; for (; n; n &= n - 1) c++; return c; }

    /* The passage of `text` to show for a query's tokens: about `size` words
       from just before the window holding most of the tokens, the words that
       show one, and the words of a text fragment that lands on the first. */
    function excerpt(text, toks, shards, size) {
      var us = units(text, toks, shards), best = -1, most = 0;
      size = size || 25;
      for (var i = 0; i < us.length; i++) {
        if (!us[i].hit) continue;
        var seen = 0;
        for (var j = i; j < us.length && j < i + size; j++) seen |= us[j].hit;
        if (bits(seen) > most) { most = bits(seen); best = i; }
      }
      var from = best < 0 ? 0 : Math.max(0, Math.min(best - 4, us.length - size));
      var to = Math.min(us.length, from + size);
      var parts = [], last = from ? us[from].at : 0;
      for (var k = from; k < to; k++) {
        var gap = text.slice(last, us[k].at).replace(/\s+/g, " "), mark = !!us[k].hit;
        var prev = parts[parts.length - 1];
        if (gap) parts.push({ text: gap, mark: false });
        else if (prev && prev.mark === mark) { prev.text += text.slice(us[k].at, us[k].end); last = us[k].end; continue; }
        parts.push({ text: text.slice(us[k].at, us[k].end), mark: mark });
        last = us[k].end;
      }
      var tail = to < us.length ? "" : text.slice(last).replace(/\s+/g, " ").trimEnd();
      if (tail) parts.push({ text: tail, mark: false });
      var fragment = "";
      if (best >= 0) {
        /* A few words of the match's line, from the match on, else around it. */
        var start = best, end = best, most = us[best].cjk ? 9 : 5;
        var first = text.lastIndexOf("\n", us[best].at) + 1, line = text.indexOf("\n", us[best].at);
        if (line < 0) line = text.length;
        while (end + 1 < us.length && us[end + 1].end <= line && end - start < most) end++;
        while (start > 0 && us[start - 1].at >= first && end - start < most) start--;
        fragment = text.slice(us[start].at, us[end].end).replace(/\s+/g, " ");
      }
      return { before: from > 0, parts: parts, after: to < us.length, fragment: fragment };
    }

    /* A link to `href` that lands on the words `passage` (a text fragment:
       https://wicg.github.io/scroll-to-text-fragment/), after its own fragment. */
    function landing(href, passage) {
      if (!passage) return href;
      var text = encodeURIComponent(passage).replace(/-/g, "%2D");
      return href + (href.indexOf("#") < 0 ? "#" : "") + ":~:text=" + text;
    }

    core.excerpt = excerpt;
    core.landing = landing;
    return core;
  }

  if (typeof module === "object" && module.exports) module.exports = install;
  else if (typeof window === "object" && window.briefingSearch) install(window.briefingSearch);
})();
