#!/usr/bin/env python3
"""CSV rows against TOML rows: the same 100,000-row dataset written as
data/big.csv (with data/big.toml for its title and source) and as
[[rows]] in data/big.toml, each built and checked with the release binary.

    bench/csv_rows.py [--rows 100000] [--runs 3] [--bin target/release/briefing]

Prints the median wall time of `build` (into an empty folder) and of
`check` for each, and checks that both builds write the same files.
Python 3 standard library only.
"""

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import tempfile
import time

BOOK = '[book]\ntitle = "T"\n[site]\nbase_url = "https://example.org/"\n'
HEAD = 'title = "Big"\nsource = "S"\n'


def rows(n):
    """Company, year, count and a share that every 13th row does not state."""
    for i in range(n):
        share = "" if i % 13 == 0 else str((i % 1000) / 10)
        yield f"Company {i}", 2000 + i % 20, i % 97, share


def write_site(root, n, csv):
    os.makedirs(f"{root}/content")
    os.makedirs(f"{root}/data")
    with open(f"{root}/book.toml", "w") as f:
        f.write(BOOK)
    with open(f"{root}/content/index.md", "w") as f:
        f.write("+++\n+++\n\nBig data.\n")
    with open(f"{root}/data/big.toml", "w") as f:
        if csv:
            f.write(HEAD)
        else:
            f.write(HEAD + 'columns = ["company", "year", "count", "share"]\n')
            for name, year, count, share in rows(n):
                f.write(f'[[rows]]\ncompany = "{name}"\nyear = {year}\ncount = {count}\n')
                if share:
                    f.write(f"share = {share}\n")
    if csv:
        with open(f"{root}/data/big.csv", "w", newline="") as f:
            f.write("company;year;count;share\r\n")
            for row in rows(n):
                f.write(";".join(str(c) for c in row) + "\r\n")


def timed(args):
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--bin", default="target/release/briefing")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("toml", "csv"):
            root = f"{tmp}/{kind}"
            write_site(root, a.rows, kind == "csv")
            builds, checks = [], []
            for _ in range(a.runs):
                shutil.rmtree(f"{root}/public", ignore_errors=True)
                builds.append(timed([a.bin, "build", "--root", root, "-q"]))
                checks.append(timed([a.bin, "check", "--root", root]))
            print(f"{kind:>4} rows: build {statistics.median(builds):.2f} s, "
                  f"check {statistics.median(checks):.2f} s")
        cmp = filecmp.dircmp(f"{tmp}/toml/public", f"{tmp}/csv/public", ignore=[".briefing-manifest"])
        same = not (cmp.left_only or cmp.right_only or cmp.diff_files)
        print("outputs:", "the same" if same else f"DIFFER {cmp.diff_files}")


if __name__ == "__main__":
    main()
