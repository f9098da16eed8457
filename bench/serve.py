#!/usr/bin/env python3
"""Save-to-reload benchmark for `briefing serve` on a large synthetic site.

    bench/serve.py [--cases 10000] [--rounds 5] [--idle 10] [--shared DIR] [--work DIR]
                   [--poll] [--binary PATH]

Generates the site with ../shared/bench/gen.py (into --work, reused when
there), copies it, adds a site template (templates/case.html, the theme's,
so that editing it is a template edit), starts the release `briefing serve`
on a free loopback port, waits for its first build and listens to its
events stream (/__briefing/events), as an open page does.

Then, --rounds times, it saves four kinds of change the way editors save
(a temporary file written, then renamed onto the file), one at a time:
  text      a sentence added to one case study's text
  terms     a case study's issue changed to another of the vocabulary
  dataset   a number of a dataset changed
  template  a comment added to templates/case.html
and times each from just before the save to the `reload` event arriving
on the stream (what an open page waits for). It checks that the page shows
the change, and waits for the deferred search index before the next save.

Then it measures the CPU that `serve` spends idle over --idle seconds (from
/proc/<pid>/stat), and its memory (VmRSS and VmHWM from /proc/<pid>/status)
after the first build and after the saves. Linux only (/proc).

Targets (issue 21): text edit under 50 ms median; idle under 2% of a core.
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
TEXT_TARGET_MS = 50.0
IDLE_TARGET = 2.0
REBUILT = re.compile(r"rebuilt in (\d+) ms: (\d+) source files parsed, (\d+) pages rendered, (\d+) files changed")
SEARCH = re.compile(r"search index updated in (\d+) ms")
KINDS = ["text", "terms", "dataset", "template"]


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
            sys.exit("a rebuild failed:\n" + "\n".join(log[-40:]))
        m = pattern.search(line)
        if m:
            return at, m


def listen(port, events):
    """Reads the server-sent events stream; puts (time, name) on `events`."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__briefing/events HTTP/1.1\r\nHost: x\r\n\r\n")
    buf = b""
    name = None
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return
        at = time.perf_counter()
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            line = line.decode(errors="replace").rstrip("\r")
            if line.startswith("event: "):
                name = line[7:]
            elif line == "" and name:
                events.put((at, name))
                name = None


def save(path, text):
    """Saves as editors do: a temporary file beside, then a rename onto it."""
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def memory_mib(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":")
                out[key + ":"] = int(value.split()[0]) / 1024
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=5, help="saves of each kind")
    ap.add_argument("--idle", type=float, default=10.0, help="seconds of idle CPU measured")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared"))
    ap.add_argument("--work", default=None, help="where the site goes (default: a temporary folder)")
    ap.add_argument("--poll", action="store_true", help="serve with --poll")
    ap.add_argument("--binary", default=None, help="the briefing to run (default: a release build of this checkout)")
    args = ap.parse_args()
    gen = os.path.join(args.shared, "bench", "gen.py")
    if not os.path.exists(gen):
        sys.exit(f"no {gen}: pass --shared DIR")
    work = args.work or tempfile.mkdtemp(prefix="briefing-serve-bench-")
    os.makedirs(work, exist_ok=True)
    briefing = args.binary
    if not briefing:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        briefing = os.path.join(ROOT, "target", "release", "briefing")
    source = os.path.join(work, f"site-briefing-{args.cases}")
    if not os.path.exists(source):
        subprocess.run([sys.executable, gen, "--cases", str(args.cases), "--datasets", "20",
                        "--flavor", "briefing", "--out", source], check=True, stdout=subprocess.DEVNULL)
    site = os.path.join(work, f"serve-{args.cases}")
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(source, site, ignore=shutil.ignore_patterns("public"))
    os.makedirs(os.path.join(site, "templates"), exist_ok=True)
    template = os.path.join(site, "templates", "case.html")
    shutil.copy(os.path.join(ROOT, "themes", "default", "templates", "case.html"), template)

    cases = sorted(os.listdir(os.path.join(site, "content", "cases")))
    datasets = sorted(d for d in os.listdir(os.path.join(site, "data")) if d.endswith(".toml"))
    book = read(os.path.join(site, "book.toml"))
    issues = re.search(r"^issues = \[(.*)\]$", book, re.M).group(1)
    issues = re.findall(r'"([^"]+)"', issues)

    port = free_port()
    cmd = [briefing, "serve", "--root", site, "--port", str(port)] + (["--poll"] if args.poll else [])
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    q, log = queue.Queue(), []
    threading.Thread(target=lines_of, args=(server.stderr, q), daemon=True).start()
    try:
        _, first = wait_for(q, REBUILT, 900, log)
        wait_for(q, re.compile(r"^watching"), 30, log)
        print(f"first build: {first.group(1)} ms, {first.group(3)} pages; {log[-1]}")
        mem_first = memory_mib(server.pid)
        events = queue.Queue()
        threading.Thread(target=listen, args=(port, events), daemon=True).start()
        time.sleep(1.0)

        def edit(kind, k):
            """Saves one change of `kind`; returns the page that shows it and a word to find there."""
            case = cases[(len(cases) // 2 + 97 * k) % len(cases)]
            path = os.path.join(site, "content", "cases", case)
            page = f"/cases/{case[:-3]}/"
            word = f"benchword{kind}{k}x{os.getpid()}"
            if kind == "text":
                save(path, read(path) + f"\nThe editor adds {word}.\n")
                return page, word
            if kind == "terms":
                text = read(path)
                current = re.search(r"^issues = \[\"([^\"]+)\"", text, re.M).group(1)
                other = next(i for i in issues[k % len(issues):] + issues if i != current)
                save(path, re.sub(r"^issues = \[.*\]$", f'issues = ["{other}"]', text, count=1, flags=re.M))
                return page, other.replace("&", "&amp;")
            if kind == "dataset":
                d = os.path.join(site, "data", datasets[k % len(datasets)])
                text = read(d)
                number = 1000 + k
                save(d, re.sub(r"^total = \d+$", f"total = {number}", text, count=1, flags=re.M))
                return None, None
            if kind == "template":
                save(template, read(template) + f"\n{{# {word} #}}\n")
                return page, None
            raise ValueError(kind)

        took = {kind: [] for kind in KINDS}
        rebuild = {kind: [] for kind in KINDS}
        for k in range(args.rounds):
            for kind in KINDS:
                while not events.empty():
                    events.get()
                t0 = time.perf_counter()
                page, word = edit(kind, k)
                while True:
                    at, name = events.get(timeout=120)
                    if name in ("reload", "css", "errors"):
                        break
                if name != "reload":
                    sys.exit(f"{kind} edit {k}: got {name!r}, not reload:\n" + "\n".join(log[-20:]))
                took[kind].append((at - t0) * 1000)
                _, m = wait_for(q, REBUILT, 120, log)
                rebuild[kind].append(float(m.group(1)))
                if page and word:
                    body = urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=30).read().decode()
                    if word not in body:
                        sys.exit(f"{kind} edit {k}: {page} lacks {word}")
                # The deferred search index, when the save changed a page.
                deadline = time.perf_counter() + (120 if int(m.group(4)) else 1)
                while time.perf_counter() < deadline:
                    try:
                        _, line = q.get(timeout=0.1)
                    except queue.Empty:
                        continue
                    log.append(line or "")
                    if line and SEARCH.search(line):
                        break
                time.sleep(0.3)
        mem_after = memory_mib(server.pid)
        time.sleep(2.0)
        ticks = os.sysconf("SC_CLK_TCK")
        c0, t0 = cpu_ticks(server.pid), time.perf_counter()
        time.sleep(args.idle)
        c1, t1 = cpu_ticks(server.pid), time.perf_counter()
        idle = (c1 - c0) / ticks / (t1 - t0) * 100
    finally:
        server.terminate()
        server.wait()

    print(f"{args.cases} cases, {args.rounds} saves of each kind, {'polling' if args.poll else 'file events'}:")
    print(f"{'save':9} {'to reload: median':>18} {'worst':>7}   {'rebuild: median':>16} {'worst':>6}")
    for kind in KINDS:
        xs, rs = took[kind], rebuild[kind]
        print(f"{kind:9} {statistics.median(xs):15.0f} ms {max(xs):4.0f} ms   "
              f"{statistics.median(rs):13.0f} ms {max(rs):3.0f} ms")
    every = [x for kind in KINDS for x in took[kind]]
    print(f"{'all':9} {statistics.median(every):15.0f} ms {max(every):4.0f} ms")
    print(f"idle CPU over {args.idle:.0f} s: {idle:.2f}% of a core")
    print(f"memory after the first build: {mem_first['VmRSS:']:.0f} MiB resident, "
          f"after the saves: {mem_after['VmRSS:']:.0f} MiB (peak {mem_after['VmHWM:']:.0f} MiB)")
    med = statistics.median(took["text"])
    print(f"text edit median {med:.0f} ms: {'within' if med < TEXT_TARGET_MS else 'over'} the "
          f"{TEXT_TARGET_MS:.0f} ms target; idle {'within' if idle < IDLE_TARGET else 'over'} "
          f"the {IDLE_TARGET:.0f}% target")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
