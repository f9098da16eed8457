#!/usr/bin/env node
/* Weighs the search index formats written by examples/search_formats.rs:
   bytes (raw and gzip) and, in this JS engine, the time to load and parse
   what a first query needs and the time of each query as a reader types.
   Normalising, tokenising and ranking come from the theme's search.js, so
   every format answers the same queries the same way.

     node bench/search_formats.js DIR [RUNS]                       */
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const core = require("../themes/default/static/search.js");

const dir = process.argv[2];
const runs = Number(process.argv[3] || 5);
if (!dir) { console.error("usage: search_formats.js DIR [RUNS]"); process.exit(2); }

// What a reader types, one keystroke at a time, then whole queries.
const typed = ["labour rights", "cote d'ivoire", "vietnam assembly"].flatMap((q) =>
  Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)));
const whole = ["overtime", "alatron", "privacy data protection", "2016", "zzzz"];

function sizes(files) {
  let raw = 0, gz = 0;
  for (const f of files) {
    const b = fs.readFileSync(f);
    raw += b.length;
    gz += zlib.gzipSync(b, { level: 9 }).length;
  }
  return { raw, gz };
}

function walk(d) {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
}

function ms(t0) { return Number(process.hrtime.bigint() - t0) / 1e6; }
function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; }

/* Full text: every document's terms in one string, scanned per query. */
function fullFormat() {
  let idx;
  return {
    name: "full text, one file",
    files: [path.join(dir, "full/index.json")],
    load() {
      idx = JSON.parse(fs.readFileSync(path.join(dir, "full/index.json"), "utf8"));
      idx.padded = idx.text.map((t) => " " + t + " ");
      idx.titles = idx.docs.map((d) => " " + core.tokens(d[1]).map((t) => t.text).join(" ") + " ");
    },
    query(q) {
      const toks = core.tokens(q), found = [];
      if (!toks.length) return found;
      const score = new Uint32Array(idx.padded.length);
      for (let d = 0; d < idx.padded.length; d++) {
        const text = idx.padded[d];
        let all = true;
        for (const t of toks) {
          const exact = text.indexOf(" " + t.text + " ") >= 0;
          if (!exact && !(t.prefix && text.indexOf(" " + t.text) >= 0)) { all = false; break; }
          if (exact) score[d] += 1;
          if (idx.titles[d].indexOf(" " + t.text + (t.prefix ? "" : " ")) >= 0) score[d] += 4;
        }
        if (all) found.push(d);
      }
      return found.sort((a, b) => score[b] - score[a] || a - b);
    },
  };
}

/* Inverted index in one file: terms with document lists. */
function invertedFormat() {
  let idx;
  return {
    name: "inverted, one file",
    files: [path.join(dir, "inverted/index.json")],
    load() { idx = JSON.parse(fs.readFileSync(path.join(dir, "inverted/index.json"), "utf8")); },
    query(q) {
      const toks = core.tokens(q);
      return core.rank(idx.docs.length, toks, toks.map(() => idx.terms));
    },
  };
}

/* Sharded (what the build writes): index.json, then the shards a query needs. */
function shardedFormat() {
  let index, head;
  const base = path.join(dir, "sharded") + "/";
  const fetched = { bytes: 0, files: 0 };
  const read = (f) => {
    const text = fs.readFileSync(f, "utf8");
    fetched.bytes += Buffer.byteLength(text);
    fetched.files += 1;
    return Promise.resolve(JSON.parse(text));
  };
  return {
    name: "inverted, sharded (built)",
    files: walk(path.join(dir, "sharded")).filter((f) => !f.includes(path.sep + "d" + path.sep)),
    docFiles: walk(path.join(dir, "sharded")).filter((f) => f.includes(path.sep + "d" + path.sep)),
    fetched,
    load() { index = new core.Index(base, read); },
    async query(q) {
      const r = await index.query(q);
      head = r.head;
      await index.describe(head, r.ids.slice(0, 8));
      return r.ids;
    },
  };
}

async function measure(fmt) {
  const loads = [], firsts = [], keys = [], wholes = [], counts = {};
  for (let r = 0; r < runs; r++) {
    let t0 = process.hrtime.bigint();
    fmt.load();
    loads.push(ms(t0));
    t0 = process.hrtime.bigint();
    await fmt.query("labour");
    firsts.push(ms(t0));
    for (const q of typed) {
      t0 = process.hrtime.bigint();
      const found = await fmt.query(q);
      keys.push(ms(t0));
      counts[q] = found.length;
    }
    for (const q of whole) {
      t0 = process.hrtime.bigint();
      const found = await fmt.query(q);
      wholes.push(ms(t0));
      counts[q] = found.length;
    }
  }
  return { loads, firsts, keys, wholes, counts };
}

(async () => {
  const results = [];
  const sharded = shardedFormat();
  sharded.load();
  await sharded.query("labour");
  const first = { ...sharded.fetched };
  for (const q of typed) await sharded.query(q);
  const typing = { ...sharded.fetched };
  for (const fmt of [fullFormat(), invertedFormat(), sharded]) {
    const size = sizes(fmt.files.concat(fmt.docFiles || []));
    const m = await measure(fmt);
    results.push([fmt, size, m]);
  }
  const kib = (n) => (n / 1024).toFixed(0) + " KiB";
  console.log("| format | files | raw | gzip | load + parse | first query | per keystroke (median / max) | whole queries (median) |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const [fmt, size, m] of results) {
    const n = fmt.files.length + (fmt.docFiles || []).length;
    console.log(`| ${fmt.name} | ${n} | ${kib(size.raw)} | ${kib(size.gz)} | ${median(m.loads).toFixed(1)} ms | ${median(m.firsts).toFixed(1)} ms | ${median(m.keys).toFixed(2)} / ${Math.max(...m.keys).toFixed(1)} ms | ${median(m.wholes).toFixed(2)} ms |`);
  }
  // The three must agree: same queries, same results.
  const [a, b, c] = results.map((r) => JSON.stringify(r[2].counts));
  console.log(a === b && b === c ? "all formats found the same number of results" : "formats disagree:\n" + a + "\n" + b + "\n" + c);
  // What queries fetch from the sharded format.
  console.log(`sharded: the first query ("labour") fetched ${first.files} files, ${kib(first.bytes)}; typing ${typed.length} keystrokes of three queries after it, ${typing.files} files, ${kib(typing.bytes)} in all`);
  const headBytes = fs.statSync(path.join(dir, "sharded/index.json")).size;
  const shardSizes = sharded.files.filter((f) => f.includes(path.sep + "t" + path.sep)).map((f) => fs.statSync(f).size);
  const chunkSizes = sharded.docFiles.map((f) => fs.statSync(f).size);
  console.log(`sharded: index.json ${headBytes} B; ${shardSizes.length} shards, median ${kib(median(shardSizes))}, largest ${kib(Math.max(...shardSizes))}; ${chunkSizes.length} title chunks, median ${kib(median(chunkSizes))}`);
})();
