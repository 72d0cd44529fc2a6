#!/usr/bin/env python3
"""Baseline (b) of the IMAP benchmark, the ceiling: one `UID FETCH 1:* BODY.PEEK[]` over a raw TLS socket.

    py_raw_fetch.py [--lab DIR] [--user U] [--folder F] [--port P] [--limit N]

LOGIN, SELECT, then a single UID FETCH for the whole folder (or UIDs 1:N with --limit); the response is read in
large chunks and discarded by a minimal literal-aware scanner (lines are looked at only to find `{n}` literal
announcements and the tagged completion; literal bytes are skipped by count). Prints one JSON result line.
"""

import argparse
import os
import re
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

LITERAL = re.compile(rb"\{(\d+)\+?\}$")
CHUNK = 1 << 18


class Scanner:
    """Reads one command's responses; counts literals and their bytes; returns the tagged completion line."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = bytearray()
        self.literals = 0
        self.literal_bytes = 0
        self.wire_bytes = 0

    def _fill(self):
        data = self.sock.recv(CHUNK)
        if not data:
            sys.exit("server closed the connection")
        self.wire_bytes += len(data)
        self.buf += data

    def until_tagged(self, tag):
        while True:
            end = self.buf.find(b"\r\n")
            while end < 0:
                self._fill()
                end = self.buf.find(b"\r\n")
            line = bytes(self.buf[:end])
            del self.buf[:end + 2]
            m = LITERAL.search(line)
            if m:
                self._skip(int(m.group(1)))
                continue
            if line.startswith(tag + b" "):
                return line

    def _skip(self, n):
        self.literals += 1
        self.literal_bytes += n
        while n > 0:
            if not self.buf:
                self._fill()
            take = min(n, len(self.buf))
            del self.buf[:take]
            n -= take


def command(sock, scanner, tag, text):
    sock.sendall(tag + b" " + text + b"\r\n")
    line = scanner.until_tagged(tag)
    if not line.startswith(tag + b" OK"):
        sys.exit("%s failed: %r" % (text.split(b" ")[0].decode(), line))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    benchlib.imap_args(ap)
    args = ap.parse_args()
    env = benchlib.lab_env(args.lab)
    meter = benchlib.Meter()
    host, port = benchlib.imap_endpoint(env, args)
    raw = socket.create_connection((host, port))
    benchlib.set_nodelay(raw)
    sock = benchlib.tls_context(env).wrap_socket(raw, server_hostname=host)
    scanner = Scanner(sock)
    scanner.until_tagged(b"*")  # the greeting is the first untagged line
    password = benchlib.user_password(env, args.user)
    command(sock, scanner, b"a1", b"LOGIN " + benchlib.quote(args.user).encode() + b" "
            + benchlib.quote(password).encode())
    command(sock, scanner, b"a2", b"EXAMINE " + benchlib.quote(args.folder).encode())
    scanner.literals = scanner.literal_bytes = 0
    uid_set = b"1:%d" % args.limit if args.limit else b"1:*"
    command(sock, scanner, b"a3", b"UID FETCH " + uid_set + b" BODY.PEEK[]")
    msgs, nbytes = scanner.literals, scanner.literal_bytes
    sock.sendall(b"a4 LOGOUT\r\n")
    sock.close()
    benchlib.emit(meter.result("imap_fetch", "py_raw_ceiling", msgs, nbytes, wire_bytes=scanner.wire_bytes,
                               label=args.label))


if __name__ == "__main__":
    main()
