#!/usr/bin/env python3
"""Baseline (a) of the IMAP benchmark: what the original integration does.

    py_imaplib_fetch.py [--lab DIR] [--user U] [--folder F] [--port P] [--since DD-Mon-YYYY] [--limit N]

imaplib.IMAP4_SSL with the lab CA, SELECT, UID SEARCH ALL (or SINCE), then one `UID FETCH <uid> (BODY.PEEK[])` per
message, the body kept only long enough to count it. Prints one JSON result line (benchlib.py).
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    benchlib.imap_args(ap)
    ap.add_argument("--since", help="UID SEARCH SINCE this date (dd-Mon-yyyy) instead of ALL")
    args = ap.parse_args()
    env = benchlib.lab_env(args.lab)
    meter = benchlib.Meter()
    imap = benchlib.imaplib_connect(env, args)
    typ, data = imap.select(benchlib.quote(args.folder), readonly=True)
    if typ != "OK":
        sys.exit("SELECT failed: %r" % data)
    typ, data = imap.uid("SEARCH", "SINCE", args.since) if args.since else imap.uid("SEARCH", "ALL")
    uids = data[0].split()
    if args.limit:
        uids = uids[:args.limit]
    msgs = nbytes = 0
    for uid in uids:
        typ, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
        if typ != "OK" or not data or not isinstance(data[0], tuple):
            sys.exit("FETCH %s failed: %r" % (uid, typ))
        nbytes += len(data[0][1])
        msgs += 1
    imap.logout()
    benchlib.emit(meter.result("imap_fetch", "py_imaplib", msgs, nbytes, label=args.label))


if __name__ == "__main__":
    main()
