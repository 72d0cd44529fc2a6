#!/usr/bin/env python3
"""Small helpers for scripts/mail-lab (port picking, readiness polling, LMTP delivery).

  labtool.py ports N [REUSE_CSV]   print N distinct free TCP ports (bindable on 127.0.0.1..4);
                                   if REUSE_CSV lists N ports that are all free, print those instead
  labtool.py wait SECS PORT...     poll until every 127.0.0.1:PORT accepts a connection (exit 1 on timeout,
                                   printing the ports still down)
  labtool.py probe PORT...         print "PORT up|down" for each port
  labtool.py deliver PORT USER FILE   deliver FILE (raw RFC 5322) to USER's INBOX over LMTP at 127.0.0.1:PORT
  labtool.py secret PREFIX         print PREFIX + 12 random [A-Za-z0-9]
"""
import secrets
import smtplib
import socket
import string
import sys
import time

ADDRS = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]


def _bind(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # like the daemons: a port whose only users are TIME_WAIT connections counts as free, a listener does not
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((addr, port))
        return s
    except OSError:
        s.close()
        return None


def _claim(port, held):
    """Bind PORT on every lab address; on success keep the sockets in HELD."""
    got = []
    for a in ADDRS:
        s = _bind(a, port)
        if s is None:
            for x in got:
                x.close()
            return False
        got.append(s)
    held.extend(got)
    return True


def ports(n, reuse=""):
    held = []
    try:
        want = [int(p) for p in reuse.split(",") if p.strip()] if reuse else []
        if len(want) == n and len(set(want)) == n and all(_claim(p, held) for p in want):
            return want
        for s in held:
            s.close()
        held = []
        out = []
        tries = 0
        while len(out) < n:
            tries += 1
            if tries > 2000:
                raise SystemExit("labtool: could not find free ports")
            s = _bind("127.0.0.1", 0)
            p = s.getsockname()[1]
            s.close()
            if p in out:
                continue
            if _claim(p, held):
                out.append(p)
        return out
    finally:
        for s in held:
            s.close()


def up(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait(secs, plist):
    deadline = time.monotonic() + secs
    pending = list(plist)
    delay = 0.01
    while pending:
        pending = [p for p in pending if not up(p)]
        if not pending:
            return 0
        if time.monotonic() > deadline:
            print("down: " + " ".join(map(str, pending)))
            return 1
        time.sleep(delay)
        delay = min(delay * 2, 0.1)
    return 0


def deliver(port, user, path):
    with open(path, "rb") as f:
        data = f.read()
    opts = []
    if any(b > 0x7F for b in data):
        opts.append("BODY=8BITMIME")
    with smtplib.LMTP("127.0.0.1", port) as c:
        c.ehlo("mail-lab")
        refused = c.sendmail("", [user], data, mail_options=opts)
        if refused:
            raise SystemExit(f"deliver: refused: {refused}")
    return 0


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd = argv[1]
    if cmd == "ports":
        print(" ".join(map(str, ports(int(argv[2]), argv[3] if len(argv) > 3 else ""))))
        return 0
    if cmd == "wait":
        return wait(float(argv[2]), [int(p) for p in argv[3:]])
    if cmd == "probe":
        for p in argv[2:]:
            print(p, "up" if up(int(p)) else "down")
        return 0
    if cmd == "deliver":
        try:
            return deliver(int(argv[2]), argv[3], argv[4])
        except (OSError, smtplib.SMTPException) as e:
            print(f"deliver: {e}", file=sys.stderr)
            return 1
    if cmd == "secret":
        alphabet = string.ascii_letters + string.digits
        print(argv[2] + "".join(secrets.choice(alphabet) for _ in range(12)))
        return 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
