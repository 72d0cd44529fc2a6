#!/usr/bin/env python3
"""Run a command and print its benchmark result line: the hook for implementations that do not print one.

    measure.py --bench imap_fetch --impl mbsync --msgs 10000 --bytes 1330000000 [--label delay20ms] -- CMD ARGS...

Wall time of CMD, CPU time (user + system) and peak RSS of CMD and its children (getrusage RUSAGE_CHILDREN), in
the convention of benchlib.py. If CMD itself prints a JSON line with a "bench" key, that line is passed through
instead, completed with cpu_s/peak_rss_mb when it lacks them. CMD's other output goes to stderr. Exit status: CMD's
(no result line when CMD fails).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", required=True)
    ap.add_argument("--impl", required=True)
    ap.add_argument("--msgs", type=int, default=0)
    ap.add_argument("--bytes", type=int, default=0)
    ap.add_argument("--label", default="")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        sys.exit("measure.py: no command after --")
    server_cpu = benchlib.ServerCpu()
    started = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE)
    seconds = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    server = server_cpu.used(settle_s=0.5)
    own = None
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        try:
            parsed = json.loads(line)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict) and "bench" in parsed:
            own = parsed
        else:
            print(line, file=sys.stderr)
    if proc.returncode != 0:
        print("measure.py: %s exited with %d" % (cmd[0], proc.returncode), file=sys.stderr)
        sys.exit(proc.returncode)
    cpu = round(usage.ru_utime + usage.ru_stime, 3)
    rss = round(usage.ru_maxrss / 1024, 1)
    if own is not None:
        own.setdefault("cpu_s", cpu)
        own.setdefault("peak_rss_mb", rss)
        own.setdefault("server_cpu_s", server)
        if args.label:
            own.setdefault("label", args.label)
        benchlib.emit(own)
        return
    s = max(seconds, 1e-9)
    benchlib.emit({"bench": args.bench, "impl": args.impl, "msgs": args.msgs, "bytes": args.bytes,
                   "seconds": round(s, 3), "msgs_per_s": round(args.msgs / s, 1),
                   "mb_per_s": round(args.bytes / s / 1048576, 2), "peak_rss_mb": rss, "cpu_s": cpu,
                   "server_cpu_s": server, "label": args.label})


if __name__ == "__main__":
    main()
