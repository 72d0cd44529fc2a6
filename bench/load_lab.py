#!/usr/bin/env python3
"""Put generated messages into a lab user's folder, fast.

    load_lab.py [--lab DIR] [--user soc@lab.test] [--folder Bench] [--reset] [--copy] [--count N] SRC_DIR

Writes the .eml files of SRC_DIR (sorted by name, the first N) straight into the user's Maildir
(`$LAB_MAILDIR_ROOT/<user>/` is INBOX, folder `A/B` is `.A.B/`), as files of `cur/` owned by the lab's `mail`
uid, named so that Dovecot assigns UIDs in file order and reads sizes from the name (`,S=`/`,W=`; the generator
writes CRLF, so both sizes are the file size). Files are hard-linked when SRC_DIR is on the same file system
(instant; gen_mail.py replaces files by rename, so the links never change under Dovecot), else copied (--copy forces
copying). Then logs in over IMAPS and SELECTs the folder, so Dovecot builds its index now rather than inside the
first benchmark, and checks that EXISTS equals the number of messages written. Prints one JSON line.

--reset empties the folder first (the Maildir folder and Dovecot's index files in it are removed; INBOX: its
cur/new/tmp and index files). Run it while no client has the folder selected. Needs root (files owned by `mail`).
"""

import argparse
import imaplib
import os
import pwd
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

DOVECOT_STATE = ("dovecot-uidlist", "dovecot-keywords", "dovecot.index", "dovecot.index.log",
                 "dovecot.index.log.2", "dovecot.index.cache", "dovecot.list.index", "dovecot.list.index.log")


def folder_dir(root, folder):
    if folder.upper() == "INBOX":
        return root
    if folder.startswith(".") or ".." in folder or "\\" in folder or not folder.isprintable():
        sys.exit("unsupported folder name for direct Maildir loading: %r" % folder)
    # Maildir++ with '/' as the IMAP separator; listescape writes '.' inside a name as \2e
    return os.path.join(root, "." + ".".join(part.replace(".", "\\2e") for part in folder.split("/")))


def chown_tree(path, uid, gid):
    os.chown(path, uid, gid)
    for base, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(base, name), uid, gid, follow_symlinks=False)


def reset_folder(path, is_inbox):
    if not os.path.isdir(path):
        return
    if not is_inbox:
        shutil.rmtree(path)
        return
    for sub in ("cur", "new", "tmp"):
        shutil.rmtree(os.path.join(path, sub), ignore_errors=True)
    for name in DOVECOT_STATE:
        try:
            os.unlink(os.path.join(path, name))
        except FileNotFoundError:
            pass


def ensure_maildir(root, path, uid, gid):
    for d in (root, path, os.path.join(path, "cur"), os.path.join(path, "new"), os.path.join(path, "tmp")):
        if not os.path.isdir(d):
            os.makedirs(d, mode=0o700, exist_ok=True)
            os.chown(d, uid, gid)
    if path != root:
        marker = os.path.join(path, "maildirfolder")
        if not os.path.exists(marker):
            open(marker, "w").close()
            os.chown(marker, uid, gid)


def write_messages(files, cur, uid, gid, copy):
    stamp, pid, total, linked = int(time.time()), os.getpid(), 0, True
    existing = len(os.listdir(cur))
    for n, src in enumerate(files):
        size = os.path.getsize(src)
        # Fixed-width sequence: Dovecot sorts new files by name before giving them UIDs.
        name = "%d.M%07dP%d.bench,S=%d,W=%d:2," % (stamp, existing + n, pid, size, size)
        dst = os.path.join(cur, name)
        if not copy and linked:
            try:
                os.link(src, dst)
            except OSError:
                linked = False
        if copy or not linked:
            shutil.copyfile(src, dst)
        os.chown(dst, uid, gid)
        os.chmod(dst, 0o600)
        os.utime(dst)  # INTERNALDATE (the file's mtime) = now, so "SINCE <recent day>" searches find them
        total += size
    return total, (linked and not copy)


def imap_exists(env, user, folder):
    password = benchlib.user_password(env, user)
    with imaplib.IMAP4_SSL(env["LAB_HOST"], int(env["LAB_IMAPS_PORT"]),
                           ssl_context=benchlib.tls_context(env)) as imap:
        imap.login(user, password)
        typ, data = imap.select(imaplib_quote(folder), readonly=True)
        if typ != "OK":
            sys.exit("SELECT %s failed: %r" % (folder, data))
        count = int(data[0])
        imap.logout()
        return count


def imaplib_quote(folder):
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", help="directory of .eml files (gen_mail.py --out)")
    ap.add_argument("--lab", help="lab DIR (default: $EMAILV2_LAB_DIR)")
    ap.add_argument("--user", default="soc@lab.test")
    ap.add_argument("--folder", default="Bench")
    ap.add_argument("--count", type=int, default=0, help="only the first N files (default: all)")
    ap.add_argument("--reset", action="store_true", help="empty the folder first")
    ap.add_argument("--copy", action="store_true", help="copy instead of hard-linking")
    args = ap.parse_args()

    env = benchlib.lab_env(args.lab)
    benchlib.user_password(env, args.user)  # unknown users fail before anything is written
    files = sorted(os.path.join(args.src, f) for f in os.listdir(args.src) if f.endswith(".eml"))
    if args.count:
        files = files[:args.count]
    if not files:
        sys.exit("no .eml files in %s" % args.src)
    mail = pwd.getpwnam("mail")
    root = os.path.join(env["LAB_MAILDIR_ROOT"], args.user.lower())
    path = folder_dir(root, args.folder)
    started = time.monotonic()
    if args.reset:
        reset_folder(path, path == root)
    ensure_maildir(root, path, mail.pw_uid, mail.pw_gid)
    total, linked = write_messages(files, os.path.join(path, "cur"), mail.pw_uid, mail.pw_gid, args.copy)
    chown_tree(path if path != root else os.path.join(root, "cur"), mail.pw_uid, mail.pw_gid)
    written = time.monotonic() - started
    exists = imap_exists(env, args.user, args.folder)
    result = {"loaded": len(files), "bytes": total, "user": args.user, "folder": args.folder,
              "exists": exists, "linked": linked, "write_s": round(written, 2),
              "total_s": round(time.monotonic() - started, 2)}
    benchlib.emit(result)
    if args.reset and exists != len(files):
        sys.exit("folder has %d messages, expected %d" % (exists, len(files)))


if __name__ == "__main__":
    main()
