#!/usr/bin/env python3
"""Byte-transparent TCP relay used by scripts/mail-lab.

Why it exists: Dovecot treats a connection whose remote IP equals its local IP
as "secured" (src/login-common: "localhost connections are always secured"),
so on 127.0.0.1 -> 127.0.0.1 it would accept LOGIN before STARTTLS and never
answer [PRIVACYREQUIRED].  The relay listens on 127.0.0.1:P and connects to
Dovecot on 127.0.0.N:P (N = 2, 3, 4) from 127.0.0.1, so Dovecot sees
remote != local and enforces STARTTLS like a real server.  The extra loopback
addresses also let Dovecot `local 127.0.0.N { }` blocks give the no-MOVE /
no-UIDPLUS listeners their own imap_capability.

usage: relay.py PIDFILE LISTEN_PORT:TARGET_IP:TARGET_PORT [...]
Binds every listener, then writes PIDFILE (so "pidfile exists" => "bound").
"""
import asyncio
import os
import signal
import socket
import sys

BUF = 256 * 1024


async def pump(reader, writer):
    try:
        while True:
            data = await reader.read(BUF)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError, asyncio.CancelledError):
        pass
    finally:
        try:
            if writer.can_write_eof():
                writer.write_eof()
        except (OSError, RuntimeError):
            pass


def make_handler(target_ip, target_port):
    async def handle(creader, cwriter):
        try:
            sreader, swriter = await asyncio.open_connection(
                target_ip, target_port, local_addr=("127.0.0.1", 0))
        except OSError as e:
            print(f"relay: connect {target_ip}:{target_port}: {e}", file=sys.stderr, flush=True)
            cwriter.close()
            return
        for w in (cwriter, swriter):
            s = w.get_extra_info("socket")
            if s is not None:
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        await asyncio.gather(pump(creader, swriter), pump(sreader, cwriter))
        for w in (cwriter, swriter):
            try:
                w.close()
            except OSError:
                pass
    return handle


async def main(pidfile, specs):
    servers = []
    for spec in specs:
        lport, tip, tport = spec.split(":")
        srv = await asyncio.start_server(make_handler(tip, int(tport)), "127.0.0.1", int(lport),
                                         reuse_address=True, backlog=256)
        servers.append(srv)
    tmp = pidfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{os.getpid()}\n")
    os.rename(tmp, pidfile)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for s in servers:
        s.close()
    try:
        os.unlink(pidfile)
    except OSError:
        pass


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1], sys.argv[2:]))
