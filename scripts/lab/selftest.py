#!/usr/bin/env python3
"""End-to-end check of a running mail lab: scripts/lab/selftest.py DIR

Exercises every service the way the project's tests will, using only the standard library, and prints one
line per check. Exit 0 only if every check passes. It sends a few messages to the lab users (run
`scripts/mail-lab reset DIR` afterwards if a test needs empty mailboxes).
"""
import base64
import email
import imaplib
import os
import socket
import smtplib
import ssl
import struct
import subprocess
import sys
import time
import uuid

FAILS = []


def load_env(d):
    env = {}
    with open(os.path.join(d, "lab.env"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                env[k] = v
    return env


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + (f"  [{detail}]" if detail and not cond else ""), flush=True)
    if not cond:
        FAILS.append(name)


def ctx(cafile):
    c = ssl.create_default_context(cafile=cafile)
    return c


def imap_caps(conn):
    typ, data = conn.capability()
    return set(data[0].decode().upper().split())


def auth_plain(user, pw):
    return lambda _: b"\0" + user.encode() + b"\0" + pw.encode("utf-8")


def find_message(env, user, pw, marker, timeout=10.0):
    """Poll INBOX of USER over IMAPS until a message whose Subject contains MARKER arrives; return raw bytes."""
    deadline = time.monotonic() + timeout
    while True:
        m = imaplib.IMAP4_SSL("127.0.0.1", int(env["LAB_IMAPS_PORT"]), ssl_context=ctx(env["LAB_CA"]))
        m.authenticate("PLAIN", auth_plain(user, pw))
        m.select("INBOX")
        typ, data = m.uid("SEARCH", None, "SUBJECT", marker)
        uids = data[0].split()
        raw = None
        if uids:
            typ, fd = m.uid("FETCH", uids[-1], "(BODY.PEEK[])")
            raw = fd[0][1]
        m.logout()
        if raw is not None:
            return raw
        if time.monotonic() > deadline:
            return None
        time.sleep(0.1)


def test_env_files(env, labdir):
    r = subprocess.run(["bash", "-c", 'set -euo pipefail; set -a; . "$1/lab.env"; set +a; '
                        'eval "$(sed "s/^/export /" "$1/lab.env")"; printf %s "$LAB_USER4"', "x", labdir],
                       capture_output=True, text=True)
    check("lab.env can be sourced / eval'd by a strict shell", r.returncode == 0 and r.stdout == env["LAB_USER4"],
          r.stderr)
    r = subprocess.run(["bash", "-c", '. "$1/lab.sh"; printf %s "$LAB_SPECIAL_PASS"', "x", labdir],
                       capture_output=True)
    check("lab.sh (= env --export) gives the exact special password",
          r.stdout.decode("utf-8") == env["LAB_SPECIAL_PASS"], repr(r.stdout))


def test_imaps(env):
    m = imaplib.IMAP4_SSL("127.0.0.1", int(env["LAB_IMAPS_PORT"]), ssl_context=ctx(env["LAB_CA"]))
    m.login(env["LAB_USER1"], env["LAB_PASS1"])
    typ, data = m.list()
    listing = b"\n".join(data).decode()
    check("IMAPS login + LIST", typ == "OK")
    for flag, name in (("\\Sent", "Sent"), ("\\Drafts", "Drafts"), ("\\Trash", "Trash"), ("\\Junk", "Junk")):
        check(f"special-use {flag} on {name}", any(flag in l and name in l for l in listing.splitlines()), listing)
    caps = imap_caps(m)
    check("main listener advertises MOVE and UIDPLUS", {"MOVE", "UIDPLUS"} <= caps, " ".join(sorted(caps)))
    typ, _ = m.create("Reports.2024/Phish")
    check("folder names may contain '.' (listescape)", typ == "OK")
    m.delete("Reports.2024/Phish")
    m.delete("Reports.2024")
    m.logout()
    # wrong CA must fail the handshake
    try:
        imaplib.IMAP4_SSL("127.0.0.1", int(env["LAB_IMAPS_PORT"]), ssl_context=ctx(env["LAB_OTHER_CA"]))
        check("other CA is rejected", False, "handshake succeeded")
    except ssl.SSLCertVerificationError:
        check("other CA is rejected", True)
    # hostname mismatch
    c = ctx(env["LAB_CA"])
    try:
        with socket.create_connection(("127.0.0.1", int(env["LAB_IMAPS_PORT"])), timeout=5) as s:
            c.wrap_socket(s, server_hostname="wrong.example")
        check("hostname mismatch is rejected", False)
    except ssl.SSLCertVerificationError:
        check("hostname mismatch is rejected", True)
    with socket.create_connection(("127.0.0.1", int(env["LAB_IMAPS_PORT"])), timeout=5) as s:
        c.wrap_socket(s, server_hostname="localhost").close()
    check("certificate valid for localhost and 127.0.0.1", True)


def test_starttls(env):
    m = imaplib.IMAP4("127.0.0.1", int(env["LAB_IMAP_PORT"]))
    caps = imap_caps(m)
    check("plain port offers STARTTLS + LOGINDISABLED", {"STARTTLS", "LOGINDISABLED"} <= caps, " ".join(caps))
    # raw LOGIN before STARTTLS (imaplib would refuse to send it)
    tag = m._new_tag().decode()
    m.send(f'{tag} LOGIN "{env["LAB_USER1"]}" "{env["LAB_PASS1"]}"\r\n'.encode())
    line = m.readline().decode()
    while not line.startswith(tag):
        line = m.readline().decode()
    check("LOGIN before STARTTLS refused with [PRIVACYREQUIRED]", "PRIVACYREQUIRED" in line, line.strip())
    m.starttls(ssl_context=ctx(env["LAB_CA"]))
    m.login(env["LAB_USER2"], env["LAB_PASS2"])
    typ, _ = m.select("INBOX")
    check("STARTTLS then LOGIN on the plain port", typ == "OK")
    m.logout()


def test_special_password(env):
    user, pw = env["LAB_SPECIAL_USER"], env["LAB_SPECIAL_PASS"]
    check("special password has \" \\ space non-ASCII",
          all(c in pw for c in ('"', "\\", " ")) and any(ord(c) > 127 for c in pw))
    m = imaplib.IMAP4_SSL("127.0.0.1", int(env["LAB_IMAPS_PORT"]), ssl_context=ctx(env["LAB_CA"]))
    typ, _ = m.authenticate("PLAIN", auth_plain(user, pw))
    check("special user: AUTHENTICATE PLAIN (UTF-8)", typ == "OK")
    m.logout()
    # LOGIN with the password as a literal (8-bit data is not allowed in quoted strings)
    s = ctx(env["LAB_CA"]).wrap_socket(socket.create_connection(("127.0.0.1", int(env["LAB_IMAPS_PORT"])), timeout=5),
                                       server_hostname="127.0.0.1")
    f = s.makefile("rb")
    f.readline()
    b = pw.encode("utf-8")
    s.sendall(f'a1 LOGIN "{user}" {{{len(b)}}}\r\n'.encode())
    cont = f.readline()
    s.sendall(b + b"\r\n")
    resp = f.readline()
    check("special user: LOGIN with a literal password", cont.startswith(b"+") and resp.startswith(b"a1 OK"), resp)
    s.close()


def test_failures_fast(env):
    t0 = time.monotonic()
    refused = 0
    for user, pw in ((env["LAB_USER1"], "wrong-password"), (env["LAB_USER1"], ""), ("nobody@lab.test", "x"),
                     (env["LAB_USER2"], env["LAB_PASS1"])):
        m = imaplib.IMAP4_SSL("127.0.0.1", int(env["LAB_IMAPS_PORT"]), ssl_context=ctx(env["LAB_CA"]))
        try:
            m.login(user, pw)
        except imaplib.IMAP4.error as e:
            refused += "AUTHENTICATIONFAILED" in str(e)
        m.shutdown()
    check("wrong password / empty password / unknown user / other user's password refused", refused == 4,
          f"{refused}/4")
    m = imaplib.IMAP4_SSL("127.0.0.1", int(env["LAB_IMAPS_PORT"]), ssl_context=ctx(env["LAB_CA"]))
    m.login(env["LAB_USER1"], env["LAB_PASS1"])
    m.logout()
    # same over STARTTLS (the relayed port, where Dovecot sees another local address)
    for _ in range(3):
        m = imaplib.IMAP4("127.0.0.1", int(env["LAB_IMAP_PORT"]))
        m.starttls(ssl_context=ctx(env["LAB_CA"]))
        try:
            m.login(env["LAB_USER1"], "wrong-password")
        except imaplib.IMAP4.error:
            pass
        m.shutdown()
    m = imaplib.IMAP4("127.0.0.1", int(env["LAB_IMAP_PORT"]))
    m.starttls(ssl_context=ctx(env["LAB_CA"]))
    m.login(env["LAB_USER1"], env["LAB_PASS1"])
    m.logout()
    dt = time.monotonic() - t0
    check(f"7 failed logins + 2 good ones without delay/penalty ({dt:.2f}s)", dt < 2.0)


def test_capability_listeners(env):
    for key, hidden in (("NOMOVE", {"MOVE"}), ("NOUIDPLUS", {"MOVE", "UIDPLUS"})):
        m = imaplib.IMAP4_SSL("127.0.0.1", int(env[f"LAB_IMAPS_{key}_PORT"]), ssl_context=ctx(env["LAB_CA"]))
        m.login(env["LAB_USER1"], env["LAB_PASS1"])
        caps = imap_caps(m)
        check(f"IMAPS_{key} CAPABILITY lacks {'/'.join(sorted(hidden))}", not (caps & hidden) and "IDLE" in caps,
              " ".join(sorted(caps)))
        m.logout()
        m = imaplib.IMAP4("127.0.0.1", int(env[f"LAB_IMAP_{key}_PORT"]))
        m.starttls(ssl_context=ctx(env["LAB_CA"]))
        m.login(env["LAB_USER1"], env["LAB_PASS1"])
        caps = imap_caps(m)
        check(f"IMAP_{key} (STARTTLS) CAPABILITY lacks {'/'.join(sorted(hidden))}", not (caps & hidden),
              " ".join(sorted(caps)))
        m.logout()


def raw_message(env, marker, frm, to, bcc=None, extra=""):
    lines = [f"From: {frm}", f"To: {to}"]
    if bcc:
        lines.append(f"Bcc: {bcc}")
    lines += [f"Subject: {marker}", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", f"body {marker}{extra}", ""]
    return "\r\n".join(lines).encode()


def test_smtp(env):
    c = ctx(env["LAB_CA"])
    u1, p1, u2, p2, u4, p4 = (env[k] for k in ("LAB_USER1", "LAB_PASS1", "LAB_USER2", "LAB_PASS2", "LAB_USER4", "LAB_PASS4"))

    # submission: AUTH only after STARTTLS
    s = smtplib.SMTP("127.0.0.1", int(env["LAB_SUBMISSION_PORT"]), timeout=10)
    s.ehlo("client.example")
    check("submission: no AUTH before STARTTLS", not s.has_extn("auth") and s.has_extn("starttls"))
    try:
        s.sendmail(u1, [u2], raw_message(env, "noauth", u1, u2))
        check("submission: unauthenticated mail refused", False)
    except smtplib.SMTPRecipientsRefused:
        check("submission: unauthenticated mail refused", True)
    s.rset()
    s.starttls(context=c)
    s.ehlo("client.example")
    check("submission: AUTH after STARTTLS", s.has_extn("auth"))
    s.login(u1, p1)
    marker = "sub-" + uuid.uuid4().hex[:8]
    s.sendmail(u1, [u2], raw_message(env, marker, u1, u2, bcc=u4))
    try:
        s.sendmail(u1, ["someone@example.com"], raw_message(env, "relay", u1, "someone@example.com"))
        check("submission: non-lab recipient refused (no relaying)", False)
    except smtplib.SMTPRecipientsRefused:
        check("submission: non-lab recipient refused (no relaying)", True)
    s.quit()
    raw = find_message(env, u2, p2, marker)
    check("submission STARTTLS+AUTH delivered", raw is not None)
    if raw is not None:
        msg = email.message_from_bytes(raw)
        check("Postfix added no Date header", msg["Date"] is None, str(msg["Date"]))
        check("Postfix added no Message-ID header", msg["Message-ID"] is None, str(msg["Message-ID"]))
        check("Bcc header arrives as sent", msg["Bcc"] == u4, str(msg["Bcc"]))
        check("IMAP serves CRLF", b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""))

    # SMTPS
    s = smtplib.SMTP_SSL("127.0.0.1", int(env["LAB_SMTPS_PORT"]), context=c, timeout=10)
    s.login(u4, p4)
    marker = "smtps-" + uuid.uuid4().hex[:8]
    s.sendmail(u4, [u2], raw_message(env, marker, u4, u2))
    s.quit()
    check("SMTPS AUTH delivered", find_message(env, u2, p2, marker) is not None)

    # special-character password over SMTP AUTH PLAIN
    s = smtplib.SMTP_SSL("127.0.0.1", int(env["LAB_SMTPS_PORT"]), context=c, timeout=10)
    code, _ = s.docmd("AUTH", "PLAIN " + base64.b64encode(
        b"\0" + env["LAB_SPECIAL_USER"].encode() + b"\0" + env["LAB_SPECIAL_PASS"].encode("utf-8")).decode())
    check("special user: SMTP AUTH PLAIN", code == 235, str(code))
    s.quit()

    # wrong password on SMTPS
    s = smtplib.SMTP_SSL("127.0.0.1", int(env["LAB_SMTPS_PORT"]), context=c, timeout=10)
    try:
        s.login(u1, "nope")
        check("SMTPS wrong password refused", False)
    except smtplib.SMTPAuthenticationError:
        check("SMTPS wrong password refused", True)
    s.close()

    # plain SMTP port: no auth needed for lab.test, external refused
    s = smtplib.SMTP("127.0.0.1", int(env["LAB_SMTP_PORT"]), timeout=10)
    marker = "plain-" + uuid.uuid4().hex[:8]
    s.sendmail("outside@example.net", [u2], raw_message(env, marker, "outside@example.net", u2, bcc="hidden@example.net"))
    try:
        s.sendmail("outside@example.net", ["x@example.org"], raw_message(env, "relay2", "a@b", "x@example.org"))
        check("plain SMTP: no relaying", False)
    except smtplib.SMTPRecipientsRefused:
        check("plain SMTP: no relaying", True)
    try:
        s.sendmail("outside@example.net", ["nobody@lab.test"], raw_message(env, "unknown", "a@b", "nobody@lab.test"))
        check("plain SMTP: unknown lab user refused", False)
    except smtplib.SMTPRecipientsRefused:
        check("plain SMTP: unknown lab user refused", True)
    s.quit()
    raw = find_message(env, u2, p2, marker)
    check("plain SMTP (no auth) delivered", raw is not None)
    if raw is not None:
        msg = email.message_from_bytes(raw)
        check("plain SMTP: no Date/Message-ID added, Bcc kept",
              msg["Date"] is None and msg["Message-ID"] is None and msg["Bcc"] == "hidden@example.net")


def test_deliver(env, labdir):
    marker = "lmtp-" + uuid.uuid4().hex[:8]
    path = os.path.join(labdir, f"selftest-{marker}.eml")
    with open(path, "wb") as f:
        f.write(raw_message(env, marker, "x@example.com", env["LAB_USER3"], extra="\r\n.leading dot line\r\n"
                            "caf\xc3\xa9".encode("latin-1").decode("utf-8")))
    here = os.path.dirname(os.path.abspath(__file__))
    r = subprocess.run([os.path.join(here, "..", "mail-lab"), "deliver", labdir, env["LAB_USER3"], path],
                       capture_output=True, text=True)
    check("mail-lab deliver exits 0", r.returncode == 0, r.stderr)
    r2 = subprocess.run([os.path.join(here, "..", "mail-lab"), "deliver", labdir, "nobody@lab.test", path],
                        capture_output=True, text=True)
    check("mail-lab deliver to an unknown user fails", r2.returncode != 0, r2.stdout + r2.stderr)
    os.unlink(path)
    raw = find_message(env, env["LAB_USER3"], env["LAB_PASS3"], marker)
    check("mail-lab deliver: message in INBOX, dot line intact",
          raw is not None and b"\r\n.leading dot line" in raw and "café".encode() in raw)


def recv_line(s):
    buf = b""
    while not buf.endswith(b"\n"):
        ch = s.recv(1)
        if not ch:
            break
        buf += ch
    return buf


def http_connect(env, port, target, auth=None):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    req = f"CONNECT 127.0.0.1:{target} HTTP/1.1\r\nHost: 127.0.0.1:{target}\r\n"
    if auth:
        req += "Proxy-Authorization: Basic " + base64.b64encode(auth.encode()).decode() + "\r\n"
    s.sendall((req + "\r\n").encode())
    status = recv_line(s)
    while True:
        line = recv_line(s)
        if line in (b"\r\n", b"\n", b""):
            break
    return s, status


def greeting_over(env, sock):
    t = ctx(env["LAB_CA"]).wrap_socket(sock, server_hostname="127.0.0.1")
    g = recv_line(t)
    t.close()
    return g


def test_proxies(env):
    port = int(env["LAB_IMAPS_PORT"])
    s, status = http_connect(env, int(env["LAB_HTTP_PROXY_PORT"]), port)
    check("HTTP CONNECT via tinyproxy: 200", b" 200" in status, status)
    check("IMAPS greeting through HTTP proxy", greeting_over(env, s).startswith(b"* OK"))
    s, status = http_connect(env, int(env["LAB_HTTP_PROXY_AUTH_PORT"]), port)
    check("auth proxy without credentials: 407", b" 407" in status, status)
    s.close()
    s, status = http_connect(env, int(env["LAB_HTTP_PROXY_AUTH_PORT"]), port, "labproxy:wrong")
    # tinyproxy 1.11 answers a wrong password with 401 (a missing one with 407)
    check("auth proxy with a wrong password: 401/407", b" 401" in status or b" 407" in status, status)
    s.close()
    s, status = http_connect(env, int(env["LAB_HTTP_PROXY_AUTH_PORT"]), port,
                             f'{env["LAB_PROXY_USER"]}:{env["LAB_PROXY_PASS"]}')
    check("auth proxy with credentials: 200", b" 200" in status, status)
    check("IMAPS greeting through authenticated HTTP proxy", greeting_over(env, s).startswith(b"* OK"))

    for atyp, name in ((1, "SOCKS5 (IPv4)"), (3, "SOCKS5h (hostname localhost)")):
        s = socket.create_connection(("127.0.0.1", int(env["LAB_SOCKS_PORT"])), timeout=10)
        s.sendall(b"\x05\x01\x00")
        rep = s.recv(2)
        ok = rep == b"\x05\x00"
        if atyp == 1:
            addr = b"\x01" + socket.inet_aton("127.0.0.1")
        else:
            addr = b"\x03" + bytes([9]) + b"localhost"
        s.sendall(b"\x05\x01\x00" + addr + struct.pack("!H", port))
        rep = s.recv(4)
        ok = ok and len(rep) == 4 and rep[1] == 0
        if ok:
            alen = {1: 4, 4: 16}.get(rep[3])
            if alen is None:
                alen = s.recv(1)[0]
            s.recv(alen + 2)
        check(f"{name} CONNECT via dante", ok, repr(rep))
        if ok:
            check(f"IMAPS greeting through {name}", greeting_over(env, s).startswith(b"* OK"))


def test_many_connections(env):
    conns = []
    try:
        for _ in range(40):
            m = imaplib.IMAP4_SSL("127.0.0.1", int(env["LAB_IMAPS_PORT"]), ssl_context=ctx(env["LAB_CA"]))
            m.login(env["LAB_USER4"], env["LAB_PASS4"])
            conns.append(m)
        check("40 concurrent IMAP sessions for one user", True)
    except Exception as e:  # noqa: BLE001
        check("40 concurrent IMAP sessions for one user", False, repr(e))
    for m in conns:
        m.logout()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    labdir = os.path.abspath(sys.argv[1])
    env = load_env(labdir)
    for t in (lambda e: test_env_files(e, labdir), test_imaps, test_starttls, test_special_password, test_failures_fast, test_capability_listeners,
              test_smtp, lambda e: test_deliver(e, labdir), test_proxies, test_many_connections):
        try:
            t(env)
        except Exception as e:  # noqa: BLE001
            check(t.__name__, False, repr(e))
    print(f"{'FAILED: ' + ', '.join(FAILS) if FAILS else 'all checks passed'}")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
