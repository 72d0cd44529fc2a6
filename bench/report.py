#!/usr/bin/env python3
"""Turn benchmark result lines (JSON, one per line) into the markdown results table.

    report.py RESULTS.jsonl [--title T] [--meta KEY=VALUE ...] > bench/results/<date>.md

Rows are grouped by benchmark and path (the "label": direct or delay<N>ms). Each row shows the ratios the issues
set targets for, against the baselines measured in the same run and on the same path. An implementation that is
expected but has no result yet (the C++ emailv2 rows until their hooks exist) gets a "pending" row naming the hook.
"""

import argparse
import json
import os
import sys

# bench -> (title, [(baseline impl, bench the baseline lives in, how to show)], expected impls, targets text)
BENCHES = {
    "imap_fetch": ("IMAP: fetch every body of the folder",
                   [("py_imaplib", "imap_fetch", "x"), ("cpp_raw_ceiling", "imap_fetch", "%"),
                    ("py_raw_ceiling", "imap_fetch", "%")],
                   ["emailv2", "cpp_raw_ceiling"],
                   "issue 3: >= 85% of cpp_raw_ceiling and >= 6x py_imaplib on loopback; >= 30x py_imaplib with "
                   "20 ms each way; peak RSS < 64 MB + the largest message"),
    "connector_ingest": ("Connector: ingest the folder into a fresh store",
                         [("py_original", "connector_ingest", "x"), ("mbsync", "imap_fetch", "x"),
                          ("py_raw_ceiling", "imap_fetch", "%")],
                         ["emailv2"],
                         "issue 7: >= 4.5x py_original and >= 1x mbsync on loopback; >= 30x py_original with 20 ms "
                         "each way; peak RSS < 64 MB + the largest message"),
    "mime_parse": ("MIME: parse only (files already on disk, read time excluded)",
                   [("py_email", "mime_parse", "x"), ("gmime_bare", "mime_parse", "%")],
                   ["emailv2"],
                   "issue 4: >= 80% of gmime_bare with hashes and HTML->text on, >= 4x py_email"),
    "smtp_send": ("SMTP: send messages with one attachment through submission (STARTTLS + AUTH)",
                  [("py_smtplib", "smtp_send", "x")],
                  ["emailv2"],
                  "no numeric target; same message count and size as py_smtplib"),
}
HOOK_HINT = "pending: add bench/%s_bench.cpp or a bench/hooks/*.sh printing a result line (bench/README.md)"


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                row = json.loads(line)
            except ValueError:
                print("report.py: %s:%d is not JSON, skipped" % (path, n), file=sys.stderr)
                continue
            if isinstance(row, dict) and "bench" in row and "impl" in row:
                row.setdefault("label", "")
                rows.append(row)
    return rows


def find(rows, bench, impl, label):
    for row in rows:
        if row["bench"] == bench and row["impl"] == impl and (row.get("label") or "direct") == label:
            return row
    return None


def ratio_text(row, base, how):
    if not base or not base.get("msgs_per_s"):
        return ""
    r = row["msgs_per_s"] / base["msgs_per_s"]
    return "%.0f%% of %s" % (100 * r, base["impl"]) if how == "%" else "%.2fx %s" % (r, base["impl"])


def fmt(value, digits=1):
    return "" if value is None else ("%.*f" % (digits, value) if isinstance(value, float) else str(value))


def section(rows, bench, out):
    title, baselines, expected, targets = BENCHES.get(bench, (bench, [], [], ""))
    mine = [r for r in rows if r["bench"] == bench]
    labels = sorted({r.get("label") or "direct" for r in mine}, key=lambda l: (l != "direct", l)) or ["direct"]
    out.append("### %s (`%s`)\n" % (title, bench))
    if targets:
        out.append("Targets: %s.\n" % targets)
    out.append("| path | impl | msgs | seconds | msgs/s | MB/s | peak RSS MB | CPU s | msgs/CPU-s | compared |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for label in labels:
        here = [r for r in mine if (r.get("label") or "direct") == label]
        impls = [r["impl"] for r in here]
        for row in here:
            compared = "; ".join(t for t in (ratio_text(row, find(rows, b_bench, b_impl, label), how)
                                             for b_impl, b_bench, how in baselines if b_impl != row["impl"]) if t)
            cpu = row.get("cpu_s")
            per_cpu = row["msgs"] / cpu if cpu else None
            out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                label, row["impl"], row["msgs"], fmt(row.get("seconds"), 2), fmt(row.get("msgs_per_s")),
                fmt(row.get("mb_per_s"), 2), fmt(row.get("peak_rss_mb")), fmt(cpu, 2), fmt(per_cpu, 0), compared))
        for impl in expected:
            if impl not in impls:
                out.append("| %s | %s | | | | | | | | %s |" % (label, impl, HOOK_HINT % bench))
    out.append("")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("--title", default="Benchmark results")
    ap.add_argument("--meta", action="append", default=[], help="KEY=VALUE shown under the title")
    args = ap.parse_args()
    rows = load(args.results)
    out = ["# %s\n" % args.title]
    for item in args.meta:
        key, _, value = item.partition("=")
        out.append("* %s: %s" % (key, value))
    out.append("")
    benches = list(BENCHES) + sorted({r["bench"] for r in rows} - set(BENCHES))
    for bench in benches:
        section(rows, bench, out)
    out.append("Raw result lines: `%s` (next to this file)." % os.path.basename(args.results))
    print("\n".join(out))


if __name__ == "__main__":
    main()
