#!/usr/bin/env python3
"""The emailv2 row of the connector benchmark: one `emailv2 connector --once` cycle ingesting the whole lab folder
into a fresh case store, all rules on their defaults.

    connector_ingest.py --emailv2 BIN [--lab DIR] [--user U] [--folder F] [--port P] [--corpus DIR] [--limit N]
                        [--label L] [--keep DIR] [--perf FILE] [--until-drained]

Writes a private configuration ([integration] + [connector]: the folder, Unread Emails Only off so a re-run on the
same folder sees every message, Offset Time In Days 3650 so the generated dates are all in the first-run window,
Max Emails Per Cycle = the folder size (or --limit, ≤ 10,000), Script Timeout 3600 s; every other parameter on its
default, Mark Emails as Read included) and an empty store in a temporary directory (--keep DIR: there, kept), runs
the connector as a child, and prints one result line: wall time, CPU time (user + system) and peak RSS of the child
(getrusage RUSAGE_CHILDREN), msgs = the summary's `processed`, bytes = the sizes of that many corpus files in UID
order (--corpus, the folder's source), plus the summary's status, alerts_created and the exit code. The connector
connects to 127.0.0.1 (the lab certificate has that IP) on --port, so the delay proxy's port measures through it.
--perf FILE runs the child under `perf record --call-graph dwarf` (profile in FILE; CPU and RSS then include perf's own).
--until-drained runs further cycles (same store: they resume from the checkpoint) while a cycle ends `partial`
with mail left, and reports the sum (`cycles` says how many); `status`/`exit` are the last cycle's.
Exit status: the connector's (no result line when it processed nothing or printed no summary).
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def toml_string(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_config(path, env, args, store, budget):
    password = benchlib.user_password(env, args.user)
    host = "127.0.0.1"
    lines = [
        "[integration]",
        '"Instance Name" = "bench"',
        f'"Sender\'s Address" = {toml_string(args.user)}',
        f'"IMAP Server Address" = "{host}"',
        f'"IMAP Port" = {args.port}',
        '"IMAP – Use SSL" = true',
        f'"SMTP Server Address" = "{host}"',
        f'"SMTP Port" = {env["LAB_SUBMISSION_PORT"]}',
        f'"Username" = {toml_string(args.user)}',
        f'"Password" = {toml_string(password)}',
        f'"CA File" = {toml_string(env["LAB_CA"])}',
        f'"Store Path" = {toml_string(store)}',
        "",
        "[connector]",
        f'"IMAP Server Address" = "{host}"',
        f'"IMAP Port" = {args.port}',
        '"IMAP USE SSL" = true',
        f'"Username" = {toml_string(args.user)}',
        f'"Password" = {toml_string(password)}',
        f'"Folder to check for emails" = {toml_string(args.folder)}',
        '"Unread Emails Only" = false',
        '"Offset Time In Days" = 3650',
        f'"Max Emails Per Cycle" = {budget}',
        '"Script Timeout (Seconds)" = 3600',
        "",
    ]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def corpus_sizes(corpus):
    if not corpus:
        return []
    names = sorted(n for n in os.listdir(corpus) if n.endswith(".eml"))
    return [os.path.getsize(os.path.join(corpus, n)) for n in names]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    benchlib.imap_args(ap)
    ap.add_argument("--emailv2", required=True, help="the emailv2 binary")
    ap.add_argument("--corpus", help="the folder's source files (bytes and the largest message)")
    ap.add_argument("--keep", help="write config and store into this directory and keep them")
    ap.add_argument("--perf", help="record a perf profile of the connector into this file")
    ap.add_argument("--until-drained", action="store_true",
                    help="run further --once cycles while one ends early (partial) with mail left; the row sums them")
    args = ap.parse_args()
    env = benchlib.lab_env(args.lab)
    args.port = args.port or int(env["LAB_IMAPS_PORT"])
    sizes = corpus_sizes(args.corpus)
    budget = args.limit or min(len(sizes) or 10000, 10000)

    work = args.keep or tempfile.mkdtemp(prefix="emailv2-connector-bench.")
    os.makedirs(work, exist_ok=True)
    store = os.path.join(work, "store.sqlite")
    for suffix in ("", "-wal", "-shm", ".lock"):
        if os.path.exists(store + suffix):
            os.remove(store + suffix)
    config = os.path.join(work, "emailv2.toml")
    write_config(config, env, args, store, budget)

    cmd = [args.emailv2, "--config", config, "connector", "--once", "--log-level", "warn"]
    if args.perf:
        # DWARF unwinding: the RelWithDebInfo build keeps no frame pointers, so -g alone loses most callers.
        cmd = ["perf", "record", "-F", "997", "--call-graph", "dwarf,32768", "-o", args.perf, "--"] + cmd
    benchlib.progress("connector_ingest: " + " ".join(cmd[-6:]))
    server_cpu = benchlib.ServerCpu(args.lab)
    started = time.monotonic()
    processed = cycles = 0
    totals = {"alerts_created": 0, "alerted": 0, "duplicates": 0, "placeholders": 0}
    while True:  # one cycle, or (--until-drained) more cycles while a cycle ends early with mail left
        cycles += 1
        proc = subprocess.run(cmd, stdout=subprocess.PIPE)
        summary = None
        for line in proc.stdout.decode("utf-8", "replace").splitlines():
            try:
                parsed = json.loads(line)
            except ValueError:
                parsed = None
            if isinstance(parsed, dict) and "folders" in parsed:
                summary = parsed
            else:
                print(line, file=sys.stderr)
        if summary is None:
            print("connector_ingest: no summary line (exit %d)" % proc.returncode, file=sys.stderr)
            sys.exit(proc.returncode or 1)
        done = sum(f.get("processed") or 0 for f in summary["folders"])
        processed += done
        totals["alerts_created"] += summary.get("alerts_created") or 0
        for key in ("alerted", "duplicates", "placeholders"):
            totals[key] += sum(f.get(key) or 0 for f in summary["folders"])
        if not args.until_drained or summary.get("status") == "ok" or done == 0 or processed >= budget or \
                cycles >= 50:
            break
        benchlib.progress("connector_ingest: cycle %d ended %s after %d messages; next cycle" %
                          (cycles, summary.get("status"), done))
    seconds = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    server = server_cpu.used(settle_s=0.5)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    if processed == 0:
        print("connector_ingest: nothing processed: %s" % json.dumps(summary)[:2000], file=sys.stderr)
        sys.exit(proc.returncode or 1)
    nbytes = sum(sizes[:processed])
    largest = max(sizes[:processed]) if sizes else 0
    seconds = max(seconds, 1e-9)
    benchlib.emit({
        "bench": "connector_ingest", "impl": "emailv2", "msgs": processed, "bytes": nbytes,
        "seconds": round(seconds, 3), "msgs_per_s": round(processed / seconds, 1),
        "mb_per_s": round(nbytes / seconds / 1048576, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3), "label": args.label,
        "status": summary.get("status"), "exit": proc.returncode, "cycles": cycles, **totals,
        "largest_msg_mb": round(largest / 1048576, 2), "rss_target_mb": round(64 + largest / 1048576, 1),
        "server_cpu_s": server,
    })
    sys.exit(0 if proc.returncode in (0, 2) else proc.returncode)


if __name__ == "__main__":
    main()
