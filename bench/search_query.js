#!/usr/bin/env node
/* Weighs a built site's search index as a reader uses it: the index's
   files (raw and gzip), the bytes and files a first query and typing
   fetch, and the time of each keystroke in this JS engine, with the
   search.js given (so one build's index can be measured with its own
   script, another's with its own). Each keystroke does what the header's
   box does: query, titles of the first 8 results and, when the script has
   excerpts, their texts and excerpts.

     node bench/search_query.js SEARCH_JS SITE_OUTPUT [RUNS]            */
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const [script, out, runsArg] = process.argv.slice(2);
if (!script || !out) {
  console.error("usage: search_query.js SEARCH_JS SITE_OUTPUT [RUNS]");
  process.exit(2);
}
const core = require(path.resolve(script));
// Excerpts come from search-excerpts.js beside search.js, when there is one.
const excerpts = path.join(path.dirname(path.resolve(script)), "search-excerpts.js");
if (fs.existsSync(excerpts)) require(excerpts)(core);
const runs = Number(runsArg || 5);
const dir = path.join(out, "search");

// What a reader types, one keystroke at a time, then whole queries.
const typed = ["labour rights", "cote d'ivoire", "vietnam assembly"].flatMap((q) =>
  Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)));
const whole = ["overtime", "alatron", "privacy data protection", "2016", "zzzz", "responding"];

function walk(d) {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
}
function ms(t0) { return Number(process.hrtime.bigint() - t0) / 1e6; }
function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; }
function kib(b) { return (b / 1024).toFixed(0) + " KiB"; }

function reader() {
  const fetched = { bytes: 0, files: 0 };
  const index = new core.Index(dir + "/", (f) => {
    const text = fs.readFileSync(f, "utf8");
    fetched.bytes += Buffer.byteLength(text);
    fetched.files += 1;
    return Promise.resolve(JSON.parse(text));
  });
  async function query(q) {
    const found = await index.query(q);
    const docs = await index.describe(found.head, found.ids.slice(0, 8));
    if (core.excerpt) {
      for (const d of docs) {
        const text = await index.text(found.head, d);
        if (text) core.landing(d.path, core.excerpt(text, found.toks, found.head.shards).fragment);
      }
    }
    return found.ids;
  }
  return { fetched, query };
}

(async () => {
  const files = walk(dir).filter((f) => f.endsWith(".json"));
  let raw = 0, gz = 0;
  const byKind = {};
  for (const f of files) {
    const b = fs.readFileSync(f);
    raw += b.length;
    gz += zlib.gzipSync(b, { level: 9 }).length;
    const kind = path.basename(path.dirname(f));
    byKind[kind] = (byKind[kind] || 0) + b.length;
  }
  console.log(`index: ${files.length} files, ${kib(raw)} raw, ${kib(gz)} gzip`);
  console.log("  by folder: " + Object.entries(byKind).map(([k, b]) => `${k} ${kib(b)}`).join(", "));

  const r = reader();
  await r.query("labour");
  console.log(`first query "labour": ${r.fetched.files} files, ${kib(r.fetched.bytes)}`);
  const first = { ...r.fetched };
  for (const q of typed) await r.query(q);
  console.log(`then typing ${typed.length} keystrokes: ${r.fetched.files - first.files} files, ${kib(r.fetched.bytes - first.bytes)}`);

  const keys = [], wholes = [], firsts = [];
  for (let n = 0; n < runs; n++) {
    const fresh = reader();
    let t0 = process.hrtime.bigint();
    await fresh.query("labour");
    firsts.push(ms(t0));
    for (const q of typed) {
      t0 = process.hrtime.bigint();
      await fresh.query(q);
      keys.push(ms(t0));
    }
    for (const q of whole) {
      t0 = process.hrtime.bigint();
      await fresh.query(q);
      wholes.push(ms(t0));
    }
  }
  console.log(`first query (fetch and parse included): median ${median(firsts).toFixed(2)} ms`);
  console.log(`per keystroke: median ${median(keys).toFixed(2)} ms, max ${Math.max(...keys).toFixed(2)} ms`);
  console.log(`whole query: median ${median(wholes).toFixed(2)} ms`);
})();
