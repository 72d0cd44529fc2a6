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


def server_cpu_s(lab_dir=None):
    """CPU seconds (user + system) the lab's Dovecot has used so far: its master, its live descendants (imap,
    imap-login with the TLS, ...) and the children it has reaped. The difference around a run is the server's share
    of it (the box's CPUs are shared). None when the master's PID file is not readable."""
    lab_dir = lab_dir or os.environ.get("EMAILV2_LAB_DIR")
    if not lab_dir:
        return None
    try:
        with open(os.path.join(lab_dir, "dovecot", "run", "master.pid"), encoding="ascii") as f:
            master = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    stats, children = {}, {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # exited meanwhile
        stats[int(name)] = fields
        children.setdefault(int(fields[1]), []).append(int(name))
    if master not in stats:
        return None
    total, todo = 0, [master]
    while todo:
        pid = todo.pop()
        f = stats[pid]
        total += int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])  # utime stime cutime cstime
        todo.extend(children.get(pid, []))
    return total / ticks


class ServerCpu:
    """The lab's Dovecot CPU from construction to used(): the server's share of a run on the shared CPUs."""

    def __init__(self, lab_dir=None):
        self.lab_dir = lab_dir
        self.start = server_cpu_s(lab_dir)

    def used(self, settle_s=0.0):
        """CPU seconds since construction, None when unreadable. `settle_s` first lets Dovecot's master reap the
        imap process of a connection that has just ended (its CPU then moves into the master's cutime)."""
        if settle_s:
            time.sleep(settle_s)
        end = server_cpu_s(self.lab_dir)
        return None if self.start is None or end is None else round(end - self.start, 2)


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
    """Wall clock, CPU time and peak RSS of this process from construction to result(), and the lab's Dovecot CPU in
    the same span (server_cpu_s)."""

    def __init__(self):
        self.wall = time.monotonic()
        self.cpu = time.process_time()
        self.server = ServerCpu()

    def result(self, bench, impl, msgs, nbytes, seconds=None, **extra):
        """The result line; `seconds` overrides the wall clock (e.g. parse time only, file reads excluded)."""
        seconds = max(seconds if seconds is not None else time.monotonic() - self.wall, 1e-9)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        out = {"bench": bench, "impl": impl, "msgs": msgs, "bytes": nbytes, "seconds": round(seconds, 3),
               "msgs_per_s": round(msgs / seconds, 1), "mb_per_s": round(nbytes / seconds / 1048576, 2),
               "peak_rss_mb": round(peak_kb / 1024, 1), "cpu_s": round(time.process_time() - self.cpu, 3)}
        server = self.server.used()
        if server is not None:
            out["server_cpu_s"] = server
        out.update(extra)
        return out


def emit(result):
    print(json.dumps(result), flush=True)


def progress(text):
    print(text, file=sys.stderr, flush=True)


def imap_args(parser, folder="Bench"):
    """The options every IMAP benchmark takes."""
    parser.add_argument("--lab", help="lab DIR (default: $EMAILV2_LAB_DIR)")
    parser.add_argument("--user", default="soc@lab.test")
    parser.add_argument("--folder", default=folder)
    parser.add_argument("--host", help="default: LAB_HOST")
    parser.add_argument("--port", type=int, help="IMAPS port (default: LAB_IMAPS_PORT; a delay proxy's port)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N messages (default: all)")
    parser.add_argument("--label", default="", help="free text copied into the result line (e.g. delay20ms)")


def imap_endpoint(env, args):
    return args.host or env["LAB_HOST"], args.port or int(env["LAB_IMAPS_PORT"])


def imaplib_connect(env, args):
    import imaplib
    host, port = imap_endpoint(env, args)
    imap = imaplib.IMAP4_SSL(host, port, ssl_context=tls_context(env))
    set_nodelay(imap.sock)
    imap.login(args.user, user_password(env, args.user))
    return imap


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
