#!/usr/bin/env python3
"""Search Emails benchmark (issue 6): emailv2 `search-emails` side by side, in the same run, with the bare server
search and with the original integration's approach.

    search_bench.py [--lab DIR] [--user soc@lab.test] [--folder Bench] [--port P] [--emailv2 PATH]
                    [--subject invoice] [--sender bank-secure.example] [--minutes 1440] [--max 100] [--runs 3]

Rows (one result line each, bench "search_emails", median of --runs runs, interleaved so load swings hit all rows):
  bare_search        only the `UID SEARCH SINCE <day before> SUBJECT s FROM f` command, on a logged-in connection
  bare_search_fetch  connect + LOGIN + EXAMINE + that UID SEARCH + one `UID FETCH <the N highest hits> BODY.PEEK[]`
                     + LOGOUT (imaplib): the floor for "search, then fetch the N returned"
  emailv2            the `emailv2 search-emails` process (start, config, TLS, search, INTERNALDATE of every hit,
                     exact filter, newest N, BODY.PEEK[] of the N, MIME parse, Mail Object JSON on stdout)
  original           O's approach: imaplib, SELECT, UID SEARCH, then one `UID FETCH <uid> (BODY.PEEK[])` per hit
                     (every hit, not only the N returned; no parsing — flatters the original)
A last line {"bench": "search_emails", "impl": "summary", ...} gives emailv2 / bare_search_fetch (target <= 1.5).
Load the folder first: bench/load_lab.py --user soc@lab.test --folder Bench <corpus>.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
import json

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def criteria(args):
    cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=args.minutes)
    day = (cutoff - datetime.timedelta(days=1)).strftime("%d-%b-%Y")
    return ["SINCE", day, "SUBJECT", benchlib.quote(args.subject), "FROM", benchlib.quote(args.sender)]


def bare_search(env, args):
    imap = benchlib.imaplib_connect(env, args)
    imap.select(benchlib.quote(args.folder), readonly=True)
    start = time.monotonic()
    typ, data = imap.uid("SEARCH", *criteria(args))
    seconds = time.monotonic() - start
    imap.logout()
    if typ != "OK":
        sys.exit("UID SEARCH failed: %r" % data)
    return seconds, len(data[0].split()), 0


def bare_search_fetch(env, args):
    start = time.monotonic()
    imap = benchlib.imaplib_connect(env, args)
    imap.select(benchlib.quote(args.folder), readonly=True)
    typ, data = imap.uid("SEARCH", *criteria(args))
    uids = sorted(int(u) for u in data[0].split())[-args.max:]
    nbytes = 0
    if uids:
        typ, data = imap.uid("FETCH", ",".join(str(u) for u in uids), "(BODY.PEEK[])")
        nbytes = sum(len(part[1]) for part in data if isinstance(part, tuple))
    imap.logout()
    return time.monotonic() - start, len(uids), nbytes


def original(env, args):
    start = time.monotonic()
    imap = benchlib.imaplib_connect(env, args)
    imap.select(benchlib.quote(args.folder), readonly=True)
    typ, data = imap.uid("SEARCH", "(" + " ".join(criteria(args)) + ")")
    nbytes = msgs = 0
    for uid in data[0].split():
        typ, body = imap.uid("FETCH", uid, "(BODY.PEEK[])")
        nbytes += len(body[0][1])
        msgs += 1
    imap.logout()
    return time.monotonic() - start, msgs, nbytes


def write_config(env, args, directory):
    host, port = benchlib.imap_endpoint(env, args)
    path = os.path.join(directory, "emailv2.toml")
    with open(path, "w") as f:
        f.write('[integration]\n"Sender\'s Address" = "%s"\nUsername = "%s"\n"CA File" = "%s"\n'
                '"IMAP Server Address" = "%s"\n"IMAP Port" = %d\n' % (args.user, args.user, env["LAB_CA"], host, port))
    os.chmod(path, 0o600)
    return path


def emailv2(env, args, config):
    cmd = [args.emailv2, "--config", config, "--log-level", "warn", "search-emails", "--folder-name", args.folder,
           "--subject-filter", args.subject, "--sender-filter", args.sender,
           "--time-frame-minutes", str(args.minutes), "--max-emails-to-return", str(args.max)]
    child_env = dict(os.environ, EMAILV2_PASSWORD=benchlib.user_password(env, args.user))
    start = time.monotonic()
    out = subprocess.run(cmd, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    seconds = time.monotonic() - start
    if out.returncode not in (0, 1):
        sys.exit("emailv2 failed (%d): %s %s" % (out.returncode, out.stdout[:500], out.stderr[-2000:]))
    envelope = json.loads(out.stdout)
    emails = (envelope.get("json_result") or {}).get("emails", [])
    return seconds, len(emails), sum(e.get("size", 0) for e in emails)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    benchlib.imap_args(ap)
    ap.add_argument("--emailv2", default=os.environ.get("BENCH_EMAILV2", "build/emailv2"))
    ap.add_argument("--subject", default="invoice")
    ap.add_argument("--sender", default="bank-secure.example")
    ap.add_argument("--minutes", type=int, default=1440)
    ap.add_argument("--max", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    env = benchlib.lab_env(args.lab)
    rows = {"bare_search": [], "bare_search_fetch": [], "emailv2": [], "original": []}
    with tempfile.TemporaryDirectory() as tmp:
        config = write_config(env, args, tmp)
        for run in range(args.runs):
            for impl in rows:
                fn = {"bare_search": bare_search, "bare_search_fetch": bare_search_fetch, "original": original}.get(impl)
                result = fn(env, args) if fn else emailv2(env, args, config)
                rows[impl].append(result)
                benchlib.progress("run %d %s: %.3f s, %d msgs, %d bytes" % ((run + 1, impl) + result))
    medians = {}
    for impl, results in rows.items():
        seconds = statistics.median(r[0] for r in results)
        medians[impl] = seconds
        msgs, nbytes = results[0][1], results[0][2]
        benchlib.emit({"bench": "search_emails", "impl": impl, "msgs": msgs, "bytes": nbytes,
                       "seconds": round(seconds, 3), "runs": [round(r[0], 3) for r in results],
                       "query": "SUBJECT %s FROM %s, last %d min, max %d" % (args.subject, args.sender, args.minutes,
                                                                             args.max),
                       "label": args.label or "direct"})
    benchlib.emit({"bench": "search_emails", "impl": "summary", "label": args.label or "direct",
                   "emailv2_over_bare_search_fetch": round(medians["emailv2"] / medians["bare_search_fetch"], 2),
                   "original_over_emailv2": round(medians["original"] / medians["emailv2"], 2),
                   "target": "emailv2 <= 1.5 x bare_search_fetch"})


if __name__ == "__main__":
    main()
