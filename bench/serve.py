#!/usr/bin/env python3
"""Edit-to-served benchmark for `briefing serve` on a large synthetic site.

    bench/serve.py [--cases 10000] [--edits 15] [--shared DIR] [--work DIR]

Generates the site with ../shared/bench/gen.py (into --work, reused when
there), copies it, starts the release `briefing serve` on a free loopback
port and waits for its first build. Then, --edits times, it appends a
sentence with a fresh word to one case study, waits for the server's
"rebuilt in N ms" line, fetches the case's page over HTTP and checks the word
is there, and waits for the deferred search index before the next edit.

It reports, as median / min / max over the edits:
  rebuild   the server's own time from the start of the rebuild to the new
            files being served (what the 100 ms target of issue 4 is about)
  pages     how many pages each rebuild rendered
  search    the time to make the search index after the pages are served
  saved     wall time from the file's save to the page being served, which
            adds the watcher's polling (every 200 ms, then 120 ms of quiet
            to fold bursts of saves)
Python 3 standard library only.
"""

import argparse
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET_MS = 100.0
REBUILT = re.compile(r"rebuilt in (\d+) ms: (\d+) source files parsed, (\d+) pages rendered")
SEARCH = re.compile(r"search index updated in (\d+) ms")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lines_of(stream, q):
    for raw in iter(stream.readline, b""):
        q.put((time.perf_counter(), raw.decode(errors="replace").rstrip("\n")))
    q.put((time.perf_counter(), None))


def wait_for(q, pattern, timeout, log):
    deadline = time.perf_counter() + timeout
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            sys.exit(f"timed out waiting for {pattern.pattern!r}; server said:\n" + "\n".join(log[-20:]))
        try:
            at, line = q.get(timeout=left)
        except queue.Empty:
            continue
        if line is None:
            sys.exit("the server stopped:\n" + "\n".join(log[-20:]))
        log.append(line)
        if "the rebuild failed" in line:
            sys.exit("a rebuild failed:\n" + "\n".join(log[-20:]))
        m = pattern.search(line)
        if m:
            return at, m


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=15)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared"))
    ap.add_argument("--work", default=None, help="where the site goes (default: a temporary folder)")
    args = ap.parse_args()
    gen = os.path.join(args.shared, "bench", "gen.py")
    if not os.path.exists(gen):
        sys.exit(f"no {gen}: pass --shared DIR")
    work = args.work or tempfile.mkdtemp(prefix="briefing-serve-bench-")
    os.makedirs(work, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    briefing = os.path.join(ROOT, "target", "release", "briefing")
    source = os.path.join(work, f"site-briefing-{args.cases}")
    if not os.path.exists(source):
        subprocess.run([sys.executable, gen, "--cases", str(args.cases), "--datasets", "20",
                        "--flavor", "briefing", "--out", source], check=True, stdout=subprocess.DEVNULL)
    site = os.path.join(work, f"serve-{args.cases}")
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(source, site, ignore=shutil.ignore_patterns("public"))

    port = free_port()
    server = subprocess.Popen([briefing, "serve", "--root", site, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    q, log = queue.Queue(), []
    threading.Thread(target=lines_of, args=(server.stderr, q), daemon=True).start()
    try:
        _, first = wait_for(q, REBUILT, 600, log)
        print(f"first build: {first.group(1)} ms, {first.group(3)} pages")
        cases = sorted(os.listdir(os.path.join(site, "content", "cases")))
        case = cases[len(cases) // 2]
        page = f"http://127.0.0.1:{port}/cases/{case[:-3]}/"
        rebuild, pages, search, saved = [], [], [], []
        for k in range(args.edits):
            word = f"benchword{k}x{os.getpid()}"
            time.sleep(0.5)  # let the watcher take its snapshot of the last edit
            with open(os.path.join(site, "content", "cases", case), "a", encoding="utf-8") as f:
                f.write(f"\nThe editor adds {word}.\n")
            t0 = time.perf_counter()
            _, m = wait_for(q, REBUILT, 120, log)
            body = urllib.request.urlopen(page, timeout=30).read().decode()
            t1 = time.perf_counter()
            if word not in body:
                sys.exit(f"edit {k}: the served page lacks {word}")
            rebuild.append(float(m.group(1)))
            pages.append(int(m.group(3)))
            saved.append((t1 - t0) * 1000)
            _, s = wait_for(q, SEARCH, 120, log)
            search.append(float(s.group(1)))
    finally:
        server.terminate()
        server.wait()

    def row(name, xs, unit):
        print(f"{name:8} median {statistics.median(xs):7.0f} {unit}   min {min(xs):7.0f}   max {max(xs):7.0f}")

    print(f"{args.cases} cases, {args.edits} one-case edits:")
    row("rebuild", rebuild, "ms")
    row("pages", pages, "  ")
    row("search", search, "ms")
    row("saved", saved, "ms")
    med = statistics.median(rebuild)
    print(f"rebuild median {med:.0f} ms: {'within' if med <= TARGET_MS else 'over'} the {TARGET_MS:.0f} ms target")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
