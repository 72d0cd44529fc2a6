"""Shared helpers of the Python benchmarks: the lab's settings, the result line, resource figures.

Every benchmark prints exactly one JSON line on stdout (progress and diagnostics go to stderr):

    {"bench": "imap_fetch", "impl": "py_imaplib", "msgs": 10000, "bytes": ..., "seconds": ..., "msgs_per_s": ...,
     "mb_per_s": ..., "peak_rss_mb": ..., "cpu_s": ..., ...extra keys}

run_benchmarks.sh collects those lines (from any implementation, C++ included) into bench/results/<date>.md.
Python 3 standard library only.
"""

import json
import os
import resource
import socket
import ssl
import sys
import time


def lab_env(lab_dir=None):
    """KEY=value pairs of DIR/lab.env (value = everything after the first '='), DIR from --lab or EMAILV2_LAB_DIR."""
    lab_dir = lab_dir or os.environ.get("EMAILV2_LAB_DIR")
    if not lab_dir:
        sys.exit("no lab: pass --lab DIR or set EMAILV2_LAB_DIR (scripts/mail-lab start DIR)")
    path = os.path.join(lab_dir, "lab.env")
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        sys.exit("cannot read %s: %s" % (path, e))
    env = {}
    for line in lines:
        key, sep, value = line.partition("=")
        if sep:
            env[key] = value
    return env


def user_password(env, user):
    for suffix in ["1", "2", "3", "4", "_SPECIAL"]:
        ukey, pkey = ("LAB_SPECIAL_USER", "LAB_SPECIAL_PASS") if suffix == "_SPECIAL" else \
            ("LAB_USER" + suffix, "LAB_PASS" + suffix)
        if env.get(ukey, "").lower() == user.lower():
            return env[pkey]
    sys.exit("user %s is not in lab.env" % user)


def tls_context(env):
    return ssl.create_default_context(cafile=env["LAB_CA"])


def set_nodelay(sock):
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class Meter:
    """Wall clock, CPU time and peak RSS of this process from construction to result()."""

    def __init__(self):
        self.wall = time.monotonic()
        self.cpu = time.process_time()

    def result(self, bench, impl, msgs, nbytes, **extra):
        seconds = max(time.monotonic() - self.wall, 1e-9)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        out = {"bench": bench, "impl": impl, "msgs": msgs, "bytes": nbytes, "seconds": round(seconds, 3),
               "msgs_per_s": round(msgs / seconds, 1), "mb_per_s": round(nbytes / seconds / 1048576, 2),
               "peak_rss_mb": round(peak_kb / 1024, 1), "cpu_s": round(time.process_time() - self.cpu, 3)}
        out.update(extra)
        return out


def emit(result):
    print(json.dumps(result), flush=True)


def progress(text):
    print(text, file=sys.stderr, flush=True)
