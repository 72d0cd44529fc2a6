#!/usr/bin/env python3
"""Baseline of the connector benchmark: the original connector's method, in one process.

    py_original_connector.py [--lab DIR] [--user U] [--folder F] [--port P] [--days N] [--limit N] [--mark-read]

imaplib IMAP4_SSL, SELECT, `UID SEARCH SINCE <today - N days>`, then per message: one `UID FETCH <uid> (BODY.PEEK[])`
(plus `UID STORE +FLAGS (\\Seen)` with --mark-read, as the original does right after the fetch), parse with the
`email` package the way the original does (compat32 message_from_bytes; every text/plain and text/html part
decoded with its charset, "replace"; attachments = parts with a Content-Disposition attachment/inline or an image with
a Content-ID, MD5 of each; URL regex over the body). No alert store is written: the figure is the ingest work only,
which flatters the original. Prints one JSON result line.
"""

import argparse
import datetime
import email
import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

URL = re.compile(r"(?i)(?:(?:(?:http|https)(?:://))|www\.(?!://))(?:[a-zA-Z0-9\-\._~:/\?#\[\]@!\$&'\(\)\*\+,=%])+")


def decode_text(part):
    payload = part.get_payload(decode=True) or b""
    charset = (part.get_content_charset() or "utf-8").split('"')[0]
    try:
        return payload.decode(charset, "replace")
    except LookupError:
        return payload.decode("utf-8", "replace")


def convert(raw):
    msg = email.message_from_bytes(raw)
    texts, htmls, md5s = [], [], []
    for part in msg.walk():
        if part.is_multipart():
            continue
        disposition = (part.get("Content-Disposition") or "").lower()
        ctype = part.get_content_type()
        if disposition.startswith(("attachment", "inline")) or (ctype.startswith("image/") and part.get("Content-ID")):
            md5s.append(hashlib.md5(part.get_payload(decode=True) or b"").hexdigest())
        elif ctype == "text/plain":
            texts.append(decode_text(part))
        elif ctype == "text/html":
            htmls.append(decode_text(part))
    body = "\n".join(texts) or "\n".join(htmls)
    urls = [u for u in URL.findall(body) if "@" not in u]
    return {"subject": str(msg.get("Subject", "")), "message_id": msg.get("Message-ID"), "md5": md5s, "urls": urls}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    benchlib.imap_args(ap)
    ap.add_argument("--days", type=int, default=3, help="SINCE today - N days (default 3)")
    ap.add_argument("--mark-read", action="store_true")
    args = ap.parse_args()
    env = benchlib.lab_env(args.lab)
    meter = benchlib.Meter()
    imap = benchlib.imaplib_connect(env, args)
    typ, data = imap.select(benchlib.quote(args.folder), readonly=not args.mark_read)
    if typ != "OK":
        sys.exit("SELECT failed: %r" % data)
    since = (datetime.date.today() - datetime.timedelta(days=args.days)).strftime("%d-%b-%Y")
    typ, data = imap.uid("SEARCH", "SINCE", since)
    uids = data[0].split()
    if args.limit:
        uids = uids[:args.limit]
    msgs = nbytes = attachments = urls = 0
    for uid in uids:
        typ, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
        if typ != "OK" or not data or not isinstance(data[0], tuple):
            sys.exit("FETCH %s failed: %r" % (uid, typ))
        if args.mark_read:
            imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        raw = data[0][1]
        model = convert(raw)
        nbytes += len(raw)
        attachments += len(model["md5"])
        urls += len(model["urls"])
        msgs += 1
    imap.logout()
    benchlib.emit(meter.result("connector_ingest", "py_original", msgs, nbytes, attachments=attachments, urls=urls,
                               label=args.label))


if __name__ == "__main__":
    main()
