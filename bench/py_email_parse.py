#!/usr/bin/env python3
"""Baseline of the MIME parse benchmark: Python's `email` package over a directory of .eml files.

    py_email_parse.py DIR [--limit N]

For each file: BytesParser(policy=email.policy.default), walk every part, get_content() of each text part,
MD5 of each attachment's decoded bytes. Only parse time is counted (file reads are not). Prints one JSON line.
"""

import argparse
import email.parser
import email.policy
import hashlib
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def parse_one(raw, parser):
    msg = parser.parsebytes(raw)
    parts = attachments = 0
    for part in msg.walk():
        parts += 1
        if part.is_multipart():
            continue
        if part.is_attachment() or part.get_content_maintype() not in ("text", "message"):
            hashlib.md5(part.get_payload(decode=True) or b"").hexdigest()
            attachments += 1
        elif part.get_content_maintype() == "text":
            try:
                part.get_content()
            except (LookupError, UnicodeError):
                part.get_payload(decode=True)
    str(msg.get("subject", ""))
    return parts, attachments


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--label", default="")
    args = ap.parse_args()
    names = sorted(f for f in os.listdir(args.dir) if f.endswith(".eml"))
    if args.limit:
        names = names[:args.limit]
    parser = email.parser.BytesParser(policy=email.policy.default)
    nbytes = parts = attachments = 0
    parse_s = 0.0
    meter = benchlib.Meter()
    for name in names:
        with open(os.path.join(args.dir, name), "rb") as f:
            raw = f.read()
        started = time.perf_counter()
        p, a = parse_one(raw, parser)
        parse_s += time.perf_counter() - started
        parts += p
        attachments += a
        nbytes += len(raw)
    benchlib.emit(meter.result("mime_parse", "py_email", len(names), nbytes, seconds=parse_s, parts=parts, attachments=attachments,
                               label=args.label))


if __name__ == "__main__":
    main()
