#!/usr/bin/env python3
"""Baseline of the send benchmark: smtplib through the lab's submission port (STARTTLS + AUTH).

    py_smtplib_send.py [--lab DIR] [--count N] [--attach-kb 100] [--to bob@lab.test] [--port P] [--reconnect]

One connection (or one per message with --reconnect, as each original action run does): EHLO, STARTTLS with the lab
CA, AUTH, then N messages, each with a text body and one attachment of --attach-kb random bytes, TCP_NODELAY set
on the socket. Prints one JSON result line (msgs/s; bytes = message bytes handed to smtplib).
"""

import argparse
import email.message
import os
import random
import smtplib
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def build(sender, to, n, attachment):
    msg = email.message.EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = "Benchmark message %d" % n
    msg["Message-ID"] = "<bench-%d-%d@lab.test>" % (os.getpid(), n)
    msg.set_content("Benchmark body %d.\n" % n)
    msg.add_attachment(attachment, maintype="application", subtype="octet-stream", filename="report-%d.bin" % n)
    return msg.as_bytes()


def connect(env, host, port, user):
    smtp = smtplib.SMTP(host, port, timeout=60)
    benchlib.set_nodelay(smtp.sock)
    smtp.ehlo("bench.lab.test")
    smtp.starttls(context=benchlib.tls_context(env))
    benchlib.set_nodelay(smtp.sock)
    smtp.ehlo("bench.lab.test")
    smtp.login(user, benchlib.user_password(env, user))
    return smtp


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lab")
    ap.add_argument("--user", default="alice@lab.test")
    ap.add_argument("--to", default="bob@lab.test")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--attach-kb", type=int, default=100)
    ap.add_argument("--host")
    ap.add_argument("--port", type=int, help="default: LAB_SUBMISSION_PORT")
    ap.add_argument("--reconnect", action="store_true", help="one connection per message")
    ap.add_argument("--label", default="")
    args = ap.parse_args()
    env = benchlib.lab_env(args.lab)
    host, port = args.host or env["LAB_HOST"], args.port or int(env["LAB_SUBMISSION_PORT"])
    attachment = random.Random(1).randbytes(args.attach_kb * 1024)
    meter = benchlib.Meter()
    smtp = None
    nbytes = 0
    for n in range(args.count):
        if smtp is None:
            smtp = connect(env, host, port, args.user)
        data = build(args.user, args.to, n, attachment)
        refused = smtp.sendmail(args.user, [args.to], data)
        if refused:
            sys.exit("recipients refused: %r" % refused)
        nbytes += len(data)
        if args.reconnect:
            smtp.quit()
            smtp = None
    if smtp is not None:
        smtp.quit()
    benchlib.emit(meter.result("smtp_send", "py_smtplib", args.count, nbytes, reconnect=args.reconnect,
                               label=args.label))


if __name__ == "__main__":
    main()
